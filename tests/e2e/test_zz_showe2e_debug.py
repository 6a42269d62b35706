import pytest
from cms import cache as pc
from tests.e2e.test_showcase_journey import build_showcase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

def test_debug(live_server, browser, monkeypatch):
    scaled, decision, year = build_showcase()
    orig_call = pc.PublicPageCacheMiddleware.__call__
    def call(self, request):
        before = pc.site_version()
        resp = orig_call(self, request)
        print("REQ", request.path, request.COOKIES.keys(), before[:6], pc.site_version()[:6], resp.get("X-Public-Cache"), resp.status_code)
        return resp
    monkeypatch.setattr(pc.PublicPageCacheMiddleware, "__call__", call)
    orig = pc._renew_site_version
    import traceback
    def renew():
        print("RENEW", "".join(traceback.format_stack(limit=14)))
        orig()
    monkeypatch.setattr(pc, "_renew_site_version", renew)
    ctx = browser.new_context(locale="sv-SE")
    p = ctx.new_page()
    base = live_server.url
    for url in ["/resultat/", "/resultat/", "/arets-basta-misstag/", f"/arets-basta-misstag/{year}/", f"/arets-basta-misstag/{year}/", f"/arets-basta-misstag/{year}/"]:
        r = p.goto(base + url)
        print("GOT", url, r.headers.get("x-public-cache"))
    ctx.close()
