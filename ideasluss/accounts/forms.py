from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from ideasluss.input_policy import IdChoiceField, SingleLineField

from .models import EmailNotifications
from .selectors import units_in_tree_order


class LoginForm(AuthenticationForm):
    """Django's login form with a message that tells a person what to do next."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is wrong. Check both and try again; "
            "if you have forgotten your password you can reset it below."
        ),
    }


class PasswordChangeWithHelpForm(PasswordChangeForm):
    """Django's password change (its password rules included) with labels and messages
    that say what to do."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _(
            "Your current password is not right. Type it again; if you have forgotten it, "
            "log out and reset it."
        ),
        "password_mismatch": _("The two new passwords are not the same. Type the same one twice."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("The new password again")
        self.fields["new_password2"].help_text = ""
        for name in self.fields:
            self.fields[name].error_messages["required"] = {
                "old_password": _("Type your current password."),
                "new_password1": _("Type a new password."),
                "new_password2": _("Type the new password once more."),
            }[name]


class UnitChoiceField(IdChoiceField):
    def label_from_instance(self, unit) -> str:
        return unit.path


def language_choices() -> list[tuple[str, str]]:
    """Each language named in itself (“Svenska”, “English”), as a language switcher does."""
    return [
        (code, get_language_info(code)["name_local"].capitalize()) for code, _ in settings.LANGUAGES
    ]


class ProfileForm(forms.Form):
    """What a person keeps up to date about themselves."""

    first_name = SingleLineField(
        label=_("First name"),
        max_length=150,
        error_messages={"required": _("Write your first name.")},
    )
    last_name = SingleLineField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": _("Write your last name.")},
    )
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=None,
        empty_label=_("Choose your unit"),
        help_text=_("Your new ideas belong to this unit."),
        error_messages={
            "required": _("Choose the unit you work in."),
            "invalid_choice": _("Choose a unit from the list."),
        },
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        widget=forms.RadioSelect,
        help_text=_("The language of the pages and of the e-mails you receive."),
        error_messages={
            "required": _("Choose a language."),
            "invalid_choice": _("Choose one of the languages shown."),
        },
    )
    email_notifications = forms.ChoiceField(
        label=_("Notifications by e-mail"),
        choices=EmailNotifications.choices,
        widget=forms.RadioSelect,
        help_text=_("Every notification is also listed under Notifications in Idésluss."),
        error_messages={
            "required": _("Choose how you want to hear of your notifications."),
            "invalid_choice": _("Choose one of the ways shown."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_tree_order()
