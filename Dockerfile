# The Idésluss app image. By default it serves the site with gunicorn; the same image runs
# the migrations, the task worker and the scheduler (compose.yaml, docs/deploy.md).
# Settings come from the environment at run time; nothing secret is built in.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=ideasluss.settings.production \
    IDESLUSS_VAR_DIR=/var/lib/idesluss \
    GUNICORN_BIND=0.0.0.0:8000

RUN groupadd --system --gid 10001 idesluss \
    && useradd --system --uid 10001 --gid idesluss --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin idesluss

WORKDIR /app

# The exact runtime set, in a layer of its own: it changes less often than the code.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock && pip check

# The code stays root's: the app can read it, never change it.
COPY . .

# Translations and static files are built into the image. collectstatic needs the
# production settings to load; these build-only values are not used at run time.
RUN pybabel compile --domain django --directory locale \
    && SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
        IDESLUSS_LOG_SIGNING_KEY_FILE=/nonexistent \
        python manage.py collectstatic --noinput \
    && chown idesluss:idesluss /var/lib/idesluss

# The idesluss user, by number so that any host resolves it.
USER 10001:10001
EXPOSE 8000

# /healthz answers before the host and HTTPS checks: 200 when the database and the
# cache answer, 503 otherwise (ideasluss/health.py).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["gunicorn", "--config", "python:ideasluss.gunicorn_config", "ideasluss.wsgi"]
