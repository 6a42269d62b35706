from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from ideasluss.accounts.views import language_switch
from ideasluss.api import api
from ideasluss.health import health

urlpatterns = [
    # Answered by HealthCheckMiddleware before the host and HTTPS checks; named here.
    path("healthz", health, name="health"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/my-data/", include("workflows.personal_data.urls")),
    path("accounts/", include("ideasluss.accounts.urls")),
    # Sign-on with the organisation's identity provider (404 while not configured).
    path("oidc/", include("ideasluss.accounts.oidc_urls")),
    path("language/<str:code>/", language_switch, name="language-switch"),
    path("my-work/", include("workflows.start.urls")),
    path("ideas/", include("workflows.ideas.urls")),
    path("fund/", include("workflows.fund.urls")),
    path("flow/", include("workflows.flow.urls")),
    path("api/v1/", api.urls),
    path("notifications/", include("workflows.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Staff routes of the public site (story pages from ideas), its own public addresses
# (search, feeds, sitemap, robots.txt), then Wagtail's pages.
urlpatterns += [
    path("", include("cms.staff_urls")),
    path("", include("cms.urls")),
    path("", include(wagtail_urls)),
]

handler400 = "ideasluss.views.bad_request"
handler403 = "ideasluss.views.permission_denied"
handler404 = "ideasluss.views.page_not_found"
handler500 = "ideasluss.views.server_error"
