"""The two addresses of sign-on (docs/sign-on.md); both answer 404 while it is not configured.

mozilla-django-oidc's own urls.py would add a logout view too; signing out is ours
(accounts:logout) for everyone, so only these two are included.
"""

from django.urls import path

from .oidc import SignOnCallbackView, SignOnRequestView

urlpatterns = [
    path("authenticate/", SignOnRequestView.as_view(), name="oidc_authentication_init"),
    path("callback/", SignOnCallbackView.as_view(), name="oidc_authentication_callback"),
]
