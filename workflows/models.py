"""Workflow models: notifications, and the four lifecycles (proxies of domain models)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ApplicationLifecycle",
    "IdeaLifecycle",
    "MeetingLifecycle",
    "NominationLifecycle",
    "Notification",
    "NotificationKind",
]


class NotificationKind(models.TextChoices):
    # ideas
    TRANSITION = "transition", _("The idea moved")
    SUBMITTED_FOR_SCREENING = "submitted_for_screening", _("New idea to screen")
    COMMENT = "comment", _("New comment")
    TEAM_ADDED = "team_added", _("Added to an idea's team")
    TEAM_REMOVED = "team_removed", _("Taken off an idea's team")
    CHAMPIONED = "championed", _("A new champion")
    FOLLOW_UP_DUE = "follow_up_due", _("A test's result is due")
    PAGE_PUBLISHED = "page_published", _("A public page about an idea")
    NOMINATION_SHORTLISTED = "nomination_shortlisted", _("A nomination on the shortlist")
    AWARD_WON = "award_won", _("The best mistake of the year")
    COMMENT_HIDDEN = "comment_hidden", _("A comment of yours hidden")
    NOMINATED = "nominated", _("An idea nominated for the best mistake")
    # the innovation fund
    APPLICATION_SUBMITTED = "application_submitted", _("New application to the fund")
    REVIEW_REQUESTED = "review_requested", _("An application to review")
    APPLICATION_TRANSITION = "application_transition", _("The application moved")
    APPLICATION_SCHEDULED = "application_scheduled", _("An application on a meeting's agenda")
    AGENDA_ITEM_ADDED = "agenda_item_added", _("New item on a meeting's agenda")
    FUND_DECISION = "fund_decision", _("Fund decision")
    MONEY_RETURNED = "money_returned", _("Unspent money returned")
    MEETING_PLANNED = "meeting_planned", _("A committee meeting is planned")
    MEETING_RESCHEDULED = "meeting_rescheduled", _("A committee meeting is moved")
    STAND_IN_APPOINTED = "stand_in_appointed", _("Appointed to lead an item")
    MINUTES_TO_SIGN = "minutes_to_sign", _("Minutes to check")
    MINUTES_CHECKED = "minutes_checked", _("The minutes are checked")
    MINUTES_POSTED = "minutes_posted", _("The minutes are posted")


#: How many times an e-mail is tried before it is given up (the in-app notification stays).
MAX_EMAIL_ATTEMPTS = 5


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def not_emailed(self):
        """Not yet e-mailed, and not given up on."""
        return self.filter(emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS)

    def for_page(self):
        """Everything a row's sentence and link read, in the one query of the page."""
        return self.select_related(
            "idea",
            "actor",
            "decision",
            "application__fund",
            "meeting__fund",
            "nomination",
            "page",
        )


class Notification(models.Model):
    """Something happened that `recipient` should know about or act on.

    Only facts are stored (who, which idea, application, meeting..., which states); the
    sentence is written when it is shown, in the language of the person reading it
    (`workflows.notification_texts`).
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
    # An idea's or an application's states, by the kind.
    source_state = models.CharField(_("from state"), max_length=20, blank=True)
    target_state = models.CharField(_("to state"), max_length=20, blank=True)
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
    application = models.ForeignKey(
        "fund.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "fund.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    nomination = models.ForeignKey(
        "ideas.Nomination",
        verbose_name=_("nomination"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("public page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The public page's address when it was published (its URL costs queries to work out).
    link = models.CharField(_("link"), max_length=500, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (SEK)"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # E-mail: sent (at once or in a digest), or tried and failed (retried with backoff).
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_retry_at = models.DateTimeField(_("next e-mail attempt"), null=True, blank=True)
    email_error = models.CharField(_("last e-mail error"), max_length=300, blank=True)

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
            # The daily digest and the retries look only at what is not yet e-mailed.
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(emailed_at__isnull=True),
                name="notification_not_emailed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind} ({self.idea_id})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def url(self) -> str:
        """Where the notification leads (a path on this site, or the public page)."""
        return notification_texts.url_of(self)

    @property
    def summary(self) -> str:
        """One sentence saying what happened, in the active language."""
        return notification_texts.summary_of(self)

    @property
    def subject(self) -> str:
        """The e-mail's subject, in the active language."""
        return notification_texts.subject_of(self)

    @property
    def link_label(self) -> str:
        """What the link opens (“Open the idea”), in the active language."""
        return notification_texts.link_label_of(self)


from . import notification_texts  # noqa: E402  (the texts read the models above)

# The lifecycles are models of this app (proxies); they notify, so they come last.
from .fund.lifecycle import ApplicationLifecycle, MeetingLifecycle  # noqa: E402
from .ideas.lifecycle import IdeaLifecycle, NominationLifecycle  # noqa: E402
