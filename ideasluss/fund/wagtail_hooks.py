"""The fund in Wagtail's admin: administrators create funds and edit their criteria."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet

from ideasluss.accounts.admin_views import RefusingDeleteView

from .admin_forms import FundAdminForm
from .models import Fund


class FundViewSet(ModelViewSet):
    model = Fund
    icon = "tasks"
    menu_label = _("Funds")
    menu_order = 200
    add_to_admin_menu = True
    copy_view_enabled = False
    # Nothing links to a fund or a unit through content: no index task on every save.
    add_to_reference_index = False
    delete_view_class = RefusingDeleteView

    list_display = [
        "name",
        "registration_prefix",
        "start_date",
        "end_date",
        "capital",
        "delegated_limit",
        "is_open",
    ]
    list_filter = ["is_open", "registration_prefix", "start_date"]
    search_fields = ["name", "registration_prefix"]
    list_export = [
        "name",
        "registration_prefix",
        "start_date",
        "end_date",
        "capital",
        "delegated_limit",
        "is_open",
    ]
    export_filename = "funds"

    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Period")),
            MultiFieldPanel(
                [FieldPanel("capital"), FieldPanel("delegated_limit")], heading=_("Money")
            ),
            FieldPanel("registration_prefix"),
            FieldPanel("is_open"),
            MultiFieldPanel(
                [
                    FieldPanel("committee_members", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("vice_chair"),
                ],
                heading=_("Committee"),
            ),
            InlinePanel(
                "criteria",
                panels=[FieldPanel("name"), FieldPanel("description")],
                min_num=1,
                label=_("Review criterion"),
                heading=_("Criteria"),
            ),
        ],
        base_form_class=FundAdminForm,
    )


@hooks.register("register_admin_viewset")
def register_fund_viewset():
    return FundViewSet("funds")
