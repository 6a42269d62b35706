"""Writes about a person: what they change themselves, and what sign-on brings."""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import Unit, User

logger = logging.getLogger("idesluss.security")

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


def _claim_values(value) -> list[str]:
    """A claim as a list of strings: providers send one group as a string, many as a list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


def roles_granted_by_claims(claims: dict) -> tuple[set[str], set[str]]:
    """The roles the provider grants this person, and the roles it manages.

    Managed are the roles named in OIDC_ROLE_MAP and OIDC_DEFAULT_ROLES: at each sign-in
    a managed role is given if granted and taken away if not. Roles the mapping never
    names are left as an administrator set them.
    """
    role_map: dict[str, str] = settings.OIDC_ROLE_MAP
    groups = _claim_values(claims.get(settings.OIDC_GROUPS_CLAIM))
    default_roles = set(settings.OIDC_DEFAULT_ROLES)
    granted = default_roles | {role_map[group] for group in groups if group in role_map}
    return granted, default_roles | set(role_map.values())


def _unit_from_claims(claims: dict, current: Unit | None, subject: str) -> Unit | None:
    """The unit the provider names (OIDC_UNIT_CLAIM), matched by name to an existing one.

    Units are the administrators' tree and a provider's spelling is not trusted to grow
    it: a name that matches no unit, or several (the same name under two parents),
    keeps the person's present unit, and the mismatch is logged for an administrator.
    """
    name = claims.get(settings.OIDC_UNIT_CLAIM) if settings.OIDC_UNIT_CLAIM else None
    if not isinstance(name, str) or not name.strip():
        return current
    matches = list(Unit.objects.filter(name__iexact=name.strip())[:2])
    if len(matches) == 1:
        return matches[0]
    logger.warning(
        "Sign-on: the unit %r of subject %r matches %s units; the unit is left as it was",
        name,
        subject,
        "no" if not matches else "several",
    )
    return current


def _free_username(claims: dict, subject: str) -> str:
    """The provider's `preferred_username` when it is valid and free, else one made from
    the subject (the username is only what the admin lists; sign-on never asks for it)."""
    wanted = claims.get("preferred_username")
    if isinstance(wanted, str) and wanted:
        try:
            User.username_validator(wanted)
        except ValidationError:
            wanted = None
        else:
            if len(wanted) <= 150 and not User.objects.filter(username=wanted).exists():
                return wanted
    return "sso-" + hashlib.sha256(subject.encode()).hexdigest()[:24]


def _names_from_claims(claims: dict) -> tuple[str, str]:
    given, family = claims.get("given_name"), claims.get("family_name")
    if isinstance(given, str) or isinstance(family, str):
        return (given or "").strip()[:150], (family or "").strip()[:150]
    first, _, last = str(claims.get("name") or "").strip().partition(" ")
    return first[:150], last.strip()[:150]


@transaction.atomic
def user_from_identity_provider(*, claims: dict) -> User:
    """Find or create the person the identity provider vouches for and bring their
    account up to date: name, e-mail, unit and the roles the provider manages.

    The account is found by the provider's subject (`User.oidc_subject`), so a changed
    address does not make a second account. A first sign-on may take over an existing
    local account with the same e-mail address when OIDC_LINK_BY_EMAIL is on (how
    accounts made before sign-on move over); several accounts with that address are
    refused rather than guessed between. Raises SuspiciousOperation to refuse.
    """
    subject = str(claims["sub"])[:255]
    email = str(claims["email"]).strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise SuspiciousOperation(
            f"The provider sent no valid e-mail address for {subject!r}."
        ) from error
    user = User.objects.select_for_update().filter(oidc_subject=subject).first()
    if user is not None and user.erased_at is not None:
        # An erased account stays erased: it lets go of the subject and the person, back
        # at work, gets a new account rather than their old one filled in again.
        user.oidc_subject = None
        user.save(update_fields=["oidc_subject"])
        user = None
    if user is None and settings.OIDC_LINK_BY_EMAIL:
        candidates = list(
            User.objects.select_for_update().filter(
                oidc_subject__isnull=True, erased_at__isnull=True, email__iexact=email
            )[:2]
        )
        if len(candidates) > 1:
            raise SuspiciousOperation(
                f"Several accounts have the e-mail address of subject {subject!r}."
            )
        user = candidates[0] if candidates else None
    if user is None:
        user = User(username=_free_username(claims, subject))
        user.set_unusable_password()
    user.oidc_subject = subject
    user.email = email
    first_name, last_name = _names_from_claims(claims)
    if first_name or last_name:
        user.first_name, user.last_name = first_name, last_name
    user.unit = _unit_from_claims(claims, user.unit, subject)
    user.save()

    granted, managed = roles_granted_by_claims(claims)
    held = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
    if granted - held:
        # The role groups come with migration 0002; made here if an administrator removed one.
        user.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in granted - held))
    if held - granted:
        user.groups.remove(*Group.objects.filter(name__in=held - granted))
    logger.info(
        "Sign-on of subject %r as %r; roles now %s",
        subject,
        user.username,
        sorted(set(user.groups.values_list("name", flat=True))),
    )
    return user
