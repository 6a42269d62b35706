"""Workflow models: notifications, and the four lifecycles (proxies of domain models)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ideasluss.ideas.models import IdeaState

__all__ = [
    "ApplicationLifecycle",
    "IdeaLifecycle",
    "MeetingLifecycle",
    "NominationLifecycle",
    "Notification",
    "NotificationKind",
]


class NotificationKind(models.TextChoices):
    TRANSITION = "transition", _("The idea moved")
    SUBMITTED_FOR_SCREENING = "submitted_for_screening", _("New idea to screen")
    COMMENT = "comment", _("New comment")
    FUND_DECISION = "fund_decision", _("Fund decision")


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something happened to an idea that `recipient` should know about.

    Only facts are stored (who, which idea, which transition, which states); the
    sentence is written when it is shown, in the language of the person reading it.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    idea = models.ForeignKey(
        "ideas.Idea",
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    transition = models.CharField(_("transition"), max_length=50, blank=True)
    source_state = models.CharField(
        _("from state"), max_length=20, choices=IdeaState.choices, blank=True
    )
    target_state = models.CharField(
        _("to state"), max_length=20, choices=IdeaState.choices, blank=True
    )
    message = models.TextField(_("message"), blank=True)
    comment = models.ForeignKey(
        "ideas.Comment",
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    decision = models.ForeignKey(
        "fund.Decision",
        verbose_name=_("fund decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "-created_at"], name="notification_unread"
            ),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind} ({self.idea_id})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def url(self) -> str:
        """Where the notification leads: the idea's page."""
        if self.idea_id is None:
            return reverse("notifications:list")
        return self.idea.get_absolute_url()

    @property
    def summary(self) -> str:
        """One sentence saying what happened, in the active language."""
        values = {
            "actor": self.actor.full_name if self.actor_id else "",
            "idea": self.idea.title if self.idea_id else gettext("a deleted idea"),
            "state": self.get_target_state_display(),
        }
        if self.kind == NotificationKind.SUBMITTED_FOR_SCREENING:
            if self.actor_id:
                text = gettext("%(actor)s submitted the idea “%(idea)s”. It waits for a coach.")
            else:
                text = gettext("The idea “%(idea)s” was submitted. It waits for a coach.")
        elif self.kind == NotificationKind.FUND_DECISION and self.decision_id:
            values["number"] = self.decision.registration_number
            values["decision"] = self.decision.get_kind_display().lower()
            text = gettext(
                "The innovation fund has decided on the application for “%(idea)s”: "
                "%(decision)s (%(number)s)."
            )
        elif self.kind == NotificationKind.COMMENT:
            if self.actor_id:
                text = gettext("%(actor)s commented on the idea “%(idea)s”.")
            else:
                text = gettext("Someone commented on the idea “%(idea)s”.")
        elif self.actor_id:
            text = gettext("%(actor)s moved the idea “%(idea)s” to “%(state)s”.")
        else:
            text = gettext("The idea “%(idea)s” moved to “%(state)s”.")
        return text % values


# The lifecycles are models of this app (proxies); they notify, so they come last.
from .fund.lifecycle import ApplicationLifecycle, MeetingLifecycle  # noqa: E402
from .ideas.lifecycle import IdeaLifecycle, NominationLifecycle  # noqa: E402
