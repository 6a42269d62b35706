from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from .personal_data.admin_views import PersonEraseView


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [
        path(
            "personal-data/<int:pk>/erase/",
            PersonEraseView.as_view(),
            name="person_erase",
        )
    ]


@hooks.register("register_user_listing_buttons")
def person_erase_button(user, request_user):
    if request_user.has_perm("accounts.erase_person") and not user.erased_at:
        yield ListingButton(
            _("Erase personal data"), reverse("person_erase", args=[user.pk]), priority=90
        )
