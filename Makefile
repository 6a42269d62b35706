# The two commands: `make run` (set up and serve the demo) and `make test`.
# Everything else here is what they are made of.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
INSTALLED := $(VENV)/.installed-dev
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test setup install lint format messages compilemessages lock audit bench ci clean

run: setup
	$(MANAGE) runserver 127.0.0.1:8000

setup: install compilemessages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo

test: install compilemessages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile
	$(BIN)/check-jsonschema --schemafile deploy/compose-spec.json compose.yaml
	DJANGO_SETTINGS_MODULE=ideasluss.settings.test $(MANAGE) state_diagrams --check
	DJANGO_SETTINGS_MODULE=ideasluss.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(INSTALLED)

$(INSTALLED): requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip check
	touch $@

compilemessages: $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | install
	$(BIN)/pybabel compile --domain django --directory locale --locale $* --statistics

# Developer tools: extract new strings (needs GNU gettext), format, refresh the lock.
messages: install
	$(MANAGE) makemessages --locale sv --locale en --ignore '.venv/*' --ignore '.var/*' --no-obsolete

# The image and the process layout are linted too (docs/deploy.md): no Docker engine needed.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile
	$(BIN)/check-jsonschema --schemafile deploy/compose-spec.json compose.yaml

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-resolve the locked sets from the ranges in pyproject.toml.
lock:
	rm -rf /tmp/idesluss-lock && $(PYTHON) -m venv /tmp/idesluss-lock
	$(PYTHON) -c "import tomllib; d = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	  print('\n'.join(d['dependencies']), file=open('/tmp/idesluss-runtime.in', 'w')); \
	  print('\n'.join(d['optional-dependencies']['dev']), file=open('/tmp/idesluss-dev.in', 'w'))"
	/tmp/idesluss-lock/bin/pip install --quiet -r /tmp/idesluss-runtime.in
	/tmp/idesluss-lock/bin/pip freeze | LC_ALL=C sort > /tmp/idesluss-runtime.txt
	/tmp/idesluss-lock/bin/pip install --quiet -r /tmp/idesluss-dev.in
	/tmp/idesluss-lock/bin/pip freeze | LC_ALL=C sort > /tmp/idesluss-all.txt
	{ echo "# Exact runtime set, installed by make. Regenerate with 'make lock' after changing"; \
	  echo "# the dependency ranges in pyproject.toml."; \
	  cat /tmp/idesluss-runtime.txt; } > requirements.lock
	{ echo "# Runtime set plus tests and tools; what 'make test' and CI install."; \
	  echo "-r requirements.lock"; \
	  LC_ALL=C comm -13 /tmp/idesluss-runtime.txt /tmp/idesluss-all.txt; } > requirements-dev.lock

# Known vulnerabilities in the locked set (docs/security.md); CI runs it after the tests.
audit: install
	$(BIN)/python .ci/audit.py

# The benchmark (docs/benchmarks/README.md): PostgreSQL seeded at 10,000 and 100,000 ideas
# (reused when there), gunicorn with the production settings, wrk from another process;
# writes docs/benchmarks/<date>.md. BENCH_ARGS="--scales 100000 --page Idébanken" narrows it.
bench: install compilemessages
	command -v wrk >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq wrk || sudo apt-get install -y -qq wrk; }
	$(BIN)/python -m ideasluss.benchmark.runner $(BENCH_ARGS)

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) .var .pytest_cache .ruff_cache
	find locale -name '*.mo' -delete
