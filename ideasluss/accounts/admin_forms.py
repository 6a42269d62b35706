"""Forms and fields of the accounts screens in Wagtail's admin (units, users and their roles)."""

from django import forms
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.users import forms as wagtail_user_forms

from .models import Unit
from .roles import Role, role_label
from .selectors import units_in_tree_order


def role_groups() -> models.QuerySet[Group]:
    """The role groups in the order the roles are declared, then any other group by name."""
    order = models.Case(
        *(models.When(name=role, then=models.Value(i)) for i, role in enumerate(Role.values)),
        default=models.Value(len(Role.values)),
        output_field=models.IntegerField(),
    )
    return Group.objects.annotate(role_order=order).order_by("role_order", "name")


class RoleChoiceField(forms.ModelMultipleChoiceField):
    """Groups shown as the roles they stand for, in the reader's language."""

    def label_from_instance(self, obj) -> str:
        return role_label(obj.name)


class UnitChoiceField(forms.ModelChoiceField):
    """Units shown with their place in the organisation, “Förvaltning › Enhet”."""

    def label_from_instance(self, obj) -> str:
        return obj.path


class UnitAdminForm(WagtailAdminModelForm):
    """The parent is chosen from the tree, top down; `Unit.clean()` refuses a loop."""

    parent = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("part of"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units_in_tree_order()


class _IdeslussUserFields(forms.ModelForm):
    groups = RoleChoiceField(
        queryset=role_groups(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Roles"),
    )
    unit = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("unit"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_tree_order()


class UserCreationForm(_IdeslussUserFields, wagtail_user_forms.UserCreationForm):
    class Meta(wagtail_user_forms.UserCreationForm.Meta):
        fields = wagtail_user_forms.UserCreationForm.Meta.fields | {"unit", "preferred_language"}


class UserEditForm(_IdeslussUserFields, wagtail_user_forms.UserEditForm):
    class Meta(wagtail_user_forms.UserEditForm.Meta):
        fields = wagtail_user_forms.UserEditForm.Meta.fields | {
            "unit",
            "preferred_language",
            "email_notifications",
        }
