"""Units and people in Wagtail's admin.

Units get their own menu item, listed as a tree. People are edited in
Wagtail's own user admin, extended here (the app config
`IdeslussUsersAppConfig` points Wagtail at `UserViewSet`) with their unit,
language and roles. Who may use either is `accounts/rules.py`.
"""

from django.db.models import Prefetch
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters import ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.views import users as wagtail_users

from .admin_forms import (
    RoleChoiceField,
    UnitAdminForm,
    UnitChoiceField,
    UserCreationForm,
    UserEditForm,
    role_groups,
)
from .admin_views import RefusingDeleteView
from .models import Unit
from .roles import role_label
from .selectors import units_in_tree_order


def _units_for_filter(request):
    return units_in_tree_order()


class UnitFilter(ModelChoiceFilter):
    field_class = UnitChoiceField


# --- units -----------------------------------------------------------------------------


class UnitFilterSet(WagtailFilterSet):
    parent = UnitFilter(queryset=_units_for_filter, label=_("part of"))

    class Meta:
        model = Unit
        fields = ["parent"]


class UnitIndexView(generic.IndexView):
    """Children follow their parent, whatever the depth (see `units_in_tree_order`)."""

    def get_base_queryset(self):
        return units_in_tree_order(super().get_base_queryset())


class UnitViewSet(ModelViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Units")
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    # Nothing links to a fund or a unit through content: no index task on every save.
    add_to_reference_index = False
    index_view_class = UnitIndexView
    delete_view_class = RefusingDeleteView
    ordering = "tree_position"

    list_display = ["path", "parent"]
    filterset_class = UnitFilterSet
    search_fields = ["name"]
    list_export = ["path", "name", "parent"]
    export_filename = "units"

    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("parent")], base_form_class=UnitAdminForm
    )


@hooks.register("register_admin_viewset")
def register_unit_viewset():
    return UnitViewSet("units")


# --- users -----------------------------------------------------------------------------


class RoleFilter(wagtail_users.GroupFilter):
    field_class = RoleChoiceField


class UserFilterSet(wagtail_users.UserFilterSet):
    """Wagtail's user filters, with the groups shown as roles and a filter by unit."""

    unit = UnitFilter(queryset=_units_for_filter, label=_("unit"))

    def __init__(self, *args, is_searching=False, **kwargs):
        super().__init__(*args, is_searching=is_searching, **kwargs)
        self.filters["group"] = RoleFilter(
            field_name="groups",
            queryset=role_groups(),
            label=_("Roles"),
            use_subquery=is_searching,
            widget=self.filters["group"].extra["widget"],
        )

    class Meta(wagtail_users.UserFilterSet.Meta):
        fields = ["unit"]


class UserIndexView(wagtail_users.IndexView):
    @cached_property
    def columns(self):
        columns = list(super().columns)
        columns[3:3] = [
            Column("unit", label=_("unit"), accessor=lambda user: user.unit and user.unit.path),
            Column(
                "roles",
                label=_("Roles"),
                accessor=lambda user: ", ".join(
                    str(role_label(group.name)) for group in user.groups.all()
                ),
            ),
        ]
        return columns

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("unit__parent__parent")
            .prefetch_related(Prefetch("groups", queryset=role_groups()))
        )


class _NoSuperuserGrantMixin:
    """Only a superuser may make someone a superuser; an administrator manages roles."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not self.request.user.is_superuser:
            form.fields.pop("is_superuser", None)
        return form


class UserCreateView(_NoSuperuserGrantMixin, wagtail_users.CreateView):
    pass


class UserEditView(_NoSuperuserGrantMixin, wagtail_users.EditView):
    pass


class UserViewSet(wagtail_users.UserViewSet):
    filterset_class = UserFilterSet
    index_view_class = UserIndexView
    add_view_class = UserCreateView
    edit_view_class = UserEditView

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
