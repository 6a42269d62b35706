"""A Content Security Policy for the Wagtail and Django admin, as strict as they allow.

Our own pages run under `CONTENT_SECURITY_POLICY` (no inline script or style at all).
The admin is Wagtail's and Django's code, which still writes some inline styles and
scripts; it gets its own policy, `ADMIN_CONTENT_SECURITY_POLICY`, that allows exactly
what a browser test of the admin's pages found it needs
(tests/e2e/test_admin_csp.py) and nothing from other sites.
"""

from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class AdminContentSecurityPolicyMiddleware:
    """Puts the admin's policy on admin responses; django-csp's middleware writes it.

    Placed after `csp.middleware.CSPMiddleware`, so it sees the response first and
    hands django-csp the policy to use (`_csp_config`, the same attribute django-csp's
    `@csp` decorator sets)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(ADMIN_PREFIXES) and not hasattr(response, "_csp_config"):
            response._csp_config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return response
