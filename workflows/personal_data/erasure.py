"""Erasing a person (GDPR art. 17), as far as the law lets a municipality.

What is erased: the account's username, e-mail, unit, password, roles, language and
notification choices, the person's notifications, the offers written when championing,
the Wagtail profile, and their sign-in records; the account can no longer sign in.
What is kept, pseudonymised: what the person did in the work on ideas (ideas, comments,
attachments, steps), shown as by "Former employee". An idea they owned passes to a
co-owner who remains; without one it stays, owned by "Former employee".

What is kept as it was: the fund's decisions, meetings, minutes and declarations of
conflicts of interest are public records (allmänna handlingar) the municipality must keep
(arkivlagen; GDPR art. 17.3 b). A person named in them keeps their name, because the
records name them and the register's signed log covers who decided
(`ideasluss.fund.transparency.people_digest`): removing it would rewrite public records
and break every verifier. Nothing in the decisions themselves is touched, so both
verifiers pass after an erasure (tests/workflows/personal_data/test_erasure.py).
"""

import logging
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.users.models import UserProfile

from ideasluss.accounts.models import EmailNotifications, User
from ideasluss.fund.models import (
    AgendaItem,
    Decision,
    DeclarationEntry,
    Fund,
    Meeting,
    MinutesSignature,
)
from ideasluss.ideas.models import Champion, Idea
from workflows.models import Notification

security_log = logging.getLogger("idesluss.security")

#: Where a person is named in a public record: then their name is kept.
PUBLIC_RECORDS = (
    (Decision, "decided_by"),
    (Meeting, "chair"),
    (Meeting, "attendees"),
    (Meeting, "minute_checkers"),
    (MinutesSignature, "signer"),
    (DeclarationEntry, "member"),
    (AgendaItem, "stand_in"),
)


@dataclass(frozen=True)
class Erasure:
    """What an erasure did, for the administrator's message and the log."""

    name_kept: bool
    ideas_passed_on: int
    ideas_kept: int
    notifications_deleted: int


def named_in_public_records(person: User) -> bool:
    return any(
        model._default_manager.filter(**{field: person}).exists() for model, field in PUBLIC_RECORDS
    )


def erasure_refusal(person: User, by: User) -> str | None:
    """Why `person` cannot be erased now, or None."""
    if person.erased_at:
        return _("This person's data has already been erased.")
    if person.pk == by.pk:
        return _("You cannot erase your own data: ask another administrator.")
    if Fund.objects.filter(vice_chair=person).exists():
        return _("This person is the vice chair of a fund. Appoint another vice chair first.")
    return None


def person_erase(*, person: User, by: User) -> Erasure:
    """Erase `person`'s personal data (the module's docstring says what and why)."""
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if refusal := erasure_refusal(person, by):
            raise ValidationError(refusal)
        passed_on, kept = _pass_on_ideas(person)
        Idea.co_owners.through.objects.filter(user=person).delete()
        Champion.objects.filter(user=person).update(offer="")
        notifications_deleted, _by_model = Notification.objects.filter(recipient=person).delete()
        Notification.objects.filter(actor=person).update(actor=None)
        UserProfile.objects.filter(user=person).delete()
        person.groups.clear()
        person.user_permissions.clear()
        Fund.committee_members.through.objects.filter(user=person).delete()
        _delete_sign_in_records(person.username)

        name_kept = named_in_public_records(person)
        if not name_kept:
            person.first_name = person.last_name = ""
        if not name_kept or person.get_full_name():
            person.username = f"erased-{person.pk}"
        person.email = ""
        person.oidc_subject = None
        person.unit = None
        person.preferred_language = settings.LANGUAGE_CODE
        person.email_notifications = EmailNotifications.OFF
        person.set_unusable_password()
        person.is_active = person.is_staff = person.is_superuser = False
        person.last_login = None
        person.erased_at = timezone.now()
        person.save()
    security_log.info(
        "personal data of user %s erased by user %s (name kept for public records: %s)",
        person.pk,
        by.pk,
        name_kept,
    )
    return Erasure(name_kept, passed_on, kept, notifications_deleted)


def _pass_on_ideas(person: User) -> tuple[int, int]:
    """Each idea the person owns goes to its first remaining co-owner, if any."""
    passed_on = kept = 0
    for idea in Idea.objects.filter(owner=person).prefetch_related("co_owners"):
        heirs = sorted(
            (u for u in idea.co_owners.all() if u.is_active and not u.erased_at),
            key=lambda user: user.pk,
        )
        if not heirs:
            kept += 1
            continue
        idea.owner = heirs[0]
        idea.save(update_fields=["owner"])
        idea.co_owners.remove(heirs[0])
        passed_on += 1
    return passed_on, kept


def _delete_sign_in_records(username: str) -> None:
    """django-axes keeps sign-ins and failed attempts by username, not by a key."""
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username=username).delete()
