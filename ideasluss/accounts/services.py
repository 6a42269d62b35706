"""Writes a person makes about themselves."""

from django.db import transaction

from .models import Unit, User

PROFILE_FIELDS = ("first_name", "last_name", "unit", "preferred_language", "email_notifications")


@transaction.atomic
def profile_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    unit: Unit,
    preferred_language: str,
    email_notifications: str,
) -> User:
    """A person corrects their name and unit and chooses their language and how they
    hear of their notifications (`User.email_notifications`). Their username and e-mail
    address come from the administrators and are not changed here."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.unit = unit
    user.preferred_language = preferred_language
    user.email_notifications = email_notifications
    user.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in PROFILE_FIELDS])
    user.save(update_fields=list(PROFILE_FIELDS))
    return user
