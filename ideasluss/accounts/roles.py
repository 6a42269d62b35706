"""The roles of Idésluss. Each role is a Django group whose name is the role's value."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Staff member")
    COACH = "coach", _("Innovation coach")
    COMMITTEE_MEMBER = "committee_member", _("Fund committee member")
    COMMITTEE_CHAIR = "committee_chair", _("Fund committee chair")
    ADMINISTRATOR = "administrator", _("Administrator")


def role_label(group_name: str) -> str:
    """The translated name of the role a group stands for (the group's name if none)."""
    return Role(group_name).label if group_name in Role.values else group_name
