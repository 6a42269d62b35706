import rules
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """An organisational unit: a *förvaltning*, or an *enhet* within one.

    The hierarchy is a plain `parent` key (a municipality has a few hundred units,
    a few levels deep); `clean()` keeps it a tree.
    """

    PATH_SEPARATOR = " › "

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_unit_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Unit"]:
        """The units above this one, nearest first; stops at a loop rather than run forever."""
        found, seen, unit = [], {self.pk}, self.parent
        while unit is not None and unit.pk not in seen:
            found.append(unit)
            seen.add(unit.pk)
            unit = unit.parent
        return found

    @property
    @admin.display(description=_("place in the organisation"))
    def path(self) -> str:
        """“Förvaltning › Enhet”: where the unit sits, from the top."""
        return self.PATH_SEPARATOR.join(u.name for u in [*reversed(self.ancestors()), self])

    def clean(self):
        if self.parent_id is None or self.pk is None:
            return
        if self.parent_id == self.pk or any(u.pk == self.pk for u in self.parent.ancestors()):
            raise ValidationError(
                {"parent": _("A unit cannot be part of itself or of one of its own sub-units.")}
            )

    def deletion_refusal(self) -> str | None:
        """Why this unit cannot be deleted (sub-units, people or ideas point to it), or None."""
        try:
            Collector(using=DEFAULT_DB_ALIAS).collect([self])
        except (ProtectedError, RestrictedError):
            return _(
                "“%(unit)s” has sub-units, people or ideas and cannot be deleted. "
                "Move them to another unit first."
            ) % {"unit": self.name}
        return None


class EmailNotifications(models.TextChoices):
    """How a person hears of their notifications by e-mail; the in-app list always has them."""

    IMMEDIATE = "immediate", _("An e-mail for each notification, at once")
    DAILY_DIGEST = "daily_digest", _("One e-mail a day with all new notifications")
    OFF = "off", _("No e-mail: I read them in Idésluss")


class User(AbstractUser):
    """A person in the municipality.

    The full name is kept as first and last name because Wagtail's user admin
    edits those two fields; `full_name` is how the rest of the code reads it.
    """

    email = models.EmailField(_("e-mail address"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the pages and of the e-mails you receive."),
    )
    email_notifications = models.CharField(
        _("notifications by e-mail"),
        max_length=12,
        choices=EmailNotifications.choices,
        default=EmailNotifications.IMMEDIATE,
        help_text=_("Every notification is also listed under Notifications in Idésluss."),
    )
    erased_at = models.DateTimeField(
        _("personal data erased"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When an administrator erased this person's personal data."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def has_perm(self, perm, obj=None) -> bool:
        """The product's own permissions (declared with `rules`) are answered by their
        predicates alone: Django's superuser shortcut and model permissions, which would
        let the superuser score, decide or edit someone's draft, apply only to the
        framework's permissions (the Wagtail and Django admin)."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    @property
    def full_name(self) -> str:
        if self.erased_at and not self.get_full_name():
            return str(_("Former employee"))
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        return self.full_name
