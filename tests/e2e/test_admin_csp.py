"""The Wagtail and Django admin work under their Content Security Policy: a crawl of the
admin's page types as an administrator finds no violation (ideasluss/admin_csp.py)."""

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page

from ideasluss.demo.data import load
from tests.e2e.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
));
"""


def admin_paths() -> list[str]:
    pages = {}
    for page in Page.objects.filter(depth__gt=1).specific().order_by("depth", "pk"):
        pages.setdefault(type(page), page)
    parent = next(iter(pages.values()))
    image = get_image_model().objects.order_by("pk").first()
    return [
        "/admin/",
        "/admin/pages/",
        *(f"/admin/pages/{page.pk}/edit/" for page in pages.values()),
        f"/admin/pages/{parent.pk}/add_subpage/",
        f"/admin/pages/{parent.pk}/history/",
        "/admin/images/",
        f"/admin/images/{image.pk}/",
        "/admin/documents/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/reports/locked/",
        "/admin/forms/",
        "/admin/account/",
        "/django-admin/",
    ]


def test_the_admin_runs_without_a_policy_violation(live_server, page):
    call_command("seed_demo", verbosity=0)
    page.add_init_script(LISTEN)
    log_in(page, live_server.url, "admin", load("people")["password"])
    found = {}
    for path in admin_paths():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "'unsafe-eval'" not in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        if violations := page.evaluate("window.__violations"):
            found[path] = violations
    assert found == {}
