"""The administrator's erasure of a person, in Wagtail's admin beside the user list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ideasluss.accounts.models import User

from .erasure import erasure_refusal, named_in_public_records, person_erase


class PersonEraseView(WagtailAdminTemplateMixin, TemplateView):
    """GET says what will be erased and what is kept; POST erases."""

    template_name = "workflows/admin/person_erase.html"
    page_title = gettext_lazy("Erase personal data")
    header_icon = "user"

    def dispatch(self, request, pk):
        if not request.user.has_perm("accounts.erase_person"):
            raise PermissionDenied
        self.person = get_object_or_404(User, pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.person.full_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailusers_users:index"), "label": _("Users")},
            {"url": "", "label": self.get_header_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            refusal=erasure_refusal(self.person, self.request.user),
            name_kept=named_in_public_records(self.person),
            **kwargs,
        )

    def post(self, request, pk):
        try:
            erasure = person_erase(person=self.person, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        if erasure.name_kept:
            message = _(
                "The personal data is erased. The name is kept where public records (fund "
                "decisions, meetings, minutes) name the person."
            )
        else:
            message = _("The personal data is erased; the person is now “Former employee”.")
        messages.success(request, message)
        return redirect("wagtailusers_users:index")
