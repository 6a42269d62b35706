"""The innovation fund: funds, applications, reviews, meetings, decisions and costs.

Money is whole kronor in integer fields, never floats. Decisions are an
append-only public record, the leaves of a transparency log (`tlog`,
`transparency`): the model refuses updates and deletes, and the database
refuses them too (triggers: migration 0002 on PostgreSQL, 0006 on SQLite). The
application's life is declared in `workflows.fund.lifecycle`; here its
state is only data, protected from direct writes.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from ideasluss.fund import tlog
from ideasluss.fund.amounts import kronor
from ideasluss.ideas.storage import private_storage

#: No single amount in the fund may exceed this (a typo guard: 1 billion SEK).
MAX_AMOUNT = 1_000_000_000


def amount_field(verbose_name, **kwargs):
    return models.PositiveBigIntegerField(
        verbose_name, validators=[MaxValueValidator(MAX_AMOUNT)], **kwargs
    )


class Fund(ClusterableModel):
    """A pot of money with a period and criteria; edited in Wagtail's admin with its criteria.

    Once a fund has decisions, `clean()` refuses the edits that would rewrite the
    public record: less capital than is committed, another registration prefix,
    a period that leaves a decision outside it.
    """

    name = models.CharField(_("name"), max_length=200)
    registration_prefix = models.CharField(
        _("registration prefix"),
        max_length=10,
        default="IF",
        help_text=_("Decisions are numbered “prefix year/number”, for example IF 2026/0042."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    capital = amount_field(_("capital (SEK)"))
    delegated_limit = amount_field(
        _("delegated limit (SEK)"),
        help_text=_("A coach may decide alone on applications at or under this amount."),
    )
    is_open = models.BooleanField(_("open for applications"), default=True)
    committee_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committee members"),
        blank=True,
        related_name="fund_committees",
        help_text=_(
            "The members of the fund committee, the chair included. A decision at a "
            "meeting needs more than half of them taking part."
        ),
    )
    vice_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vice chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vice_chaired_funds",
        help_text=_("Leads an item when the chair is disqualified on it."),
    )

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="fund_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(delegated_limit__lte=models.F("capital")),
                name="fund_limit_within_capital",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("fund:fund-detail", args=[self.pk])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The period must end after it starts.")})
        if (
            self.capital is not None
            and self.delegated_limit is not None
            and self.delegated_limit > self.capital
        ):
            raise ValidationError(
                {"delegated_limit": _("The delegated limit cannot exceed the capital.")}
            )
        if self.pk is not None:
            self._clean_against_decisions()

    def _clean_against_decisions(self):
        from .money import committed

        decisions = Decision.objects.filter(fund_id=self.pk)
        span = decisions.aggregate(first=models.Min("decided_at"), last=models.Max("decided_at"))
        if span["first"] is None:
            return
        errors = {}
        stored_prefix = Fund.objects.filter(pk=self.pk).values_list(
            "registration_prefix", flat=True
        )[0]
        if self.registration_prefix != stored_prefix:
            errors["registration_prefix"] = _(
                "The fund has decisions numbered “%(prefix)s”: the prefix can no longer change."
            ) % {"prefix": stored_prefix}
        already_committed = committed(self)
        if self.capital is not None and self.capital < already_committed:
            errors["capital"] = _(
                "The fund has already granted %(amount)s: the capital cannot be lower."
            ) % {"amount": kronor(already_committed)}
        first, last = timezone.localdate(span["first"]), timezone.localdate(span["last"])
        if self.start_date and self.start_date > first:
            errors["start_date"] = _(
                "The fund has a decision of %(date)s: the period must start on or before it."
            ) % {"date": date_format(first)}
        if self.end_date and self.end_date < last:
            errors["end_date"] = _(
                "The fund has a decision of %(date)s: the period must end on or after it."
            ) % {"date": date_format(last)}
        if errors:
            raise ValidationError(errors)

    def deletion_refusal(self) -> str | None:
        """Why this fund cannot be deleted, or None: applications and meetings keep it."""
        if self.applications.exists() or self.meetings.exists():
            return _(
                "“%(fund)s” has applications or meetings and cannot be deleted. "
                "Close it for applications instead."
            ) % {"fund": self.name}
        return None


class Criterion(models.Model):
    """One thing the committee scores every application on, 1–5.

    A ParentalKey so the fund's admin form edits the criteria inline (InlinePanel).
    """

    fund = ParentalKey(Fund, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    #: The inline editor's up/down buttons write the order here.
    sort_order_field = "position"

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "name"], name="criterion_unique_per_fund")
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    DECIDED = "decided", _("Decided")
    RETURNED = "returned", _("Returned for changes")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(FSMModelMixin, models.Model):
    """An application for money from one fund to test one idea."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="applications"
    )
    idea = models.ForeignKey(
        "ideas.Idea",
        verbose_name=_("idea"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="fund_applications",
    )
    motivation = models.TextField(_("motivation"), blank=True)
    expected_effect = models.TextField(_("expected effect"), blank=True)
    total = amount_field(_("amount applied for (SEK)"), default=0)
    state = FSMField(
        _("state"),
        default=ApplicationState.DRAFT,
        choices=ApplicationState.choices,
        protected=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["fund", "state"], name="application_fund_state")]

    def __str__(self) -> str:
        return f"{self.idea.title} ({self.fund})"

    def get_absolute_url(self) -> str:
        return reverse("fund:application-detail", args=[self.pk])

    @property
    def is_delegable(self) -> bool:
        """Small enough for a coach to decide alone."""
        return self.total <= self.fund.delegated_limit


class BudgetCategory(models.TextChoices):
    SUBSTITUTE_STAFF = "substitute_staff", _("Substitute staff")
    MATERIALS = "materials", _("Materials")
    EXTERNAL_SERVICES = "external_services", _("External services")
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    """One line of an application's budget; substitute staff is hours × hourly rate."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=30, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=200)
    hours = models.DecimalField(
        _("hours"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    hourly_rate = models.PositiveIntegerField(
        _("hourly rate (SEK)"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    amount = amount_field(_("amount (SEK)"))

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.description}"


class ConflictDeclaration(models.Model):
    """A committee member's answer to “do you have a conflict of interest (jäv)?”.

    The answer can be corrected until the application is decided; every answer,
    the first and each correction, is kept in `DeclarationEntry`.
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="declarations"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflict_declarations"
    )
    has_conflict = models.BooleanField(_("conflict of interest"))
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member"], name="one_declaration_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(has_conflict=False) | ~models.Q(reason=""),
                name="conflict_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.application_id}"


class Review(models.Model):
    """One member's scores of one application, with a comment."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reviews")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fund_reviews"
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="one_review_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.application_id}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="score_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("In progress")
    CLOSED = "closed", _("Held, minutes being checked")
    CHECKED = "checked", _("Minutes checked")
    POSTED = "posted", _("Minutes posted")


#: Kommunallagen 13 kap. 5 §: an appeal must reach the court within three weeks of the
#: day the notice that the minutes are checked was posted.
APPEAL_PERIOD = datetime.timedelta(weeks=3)


class Meeting(FSMModelMixin, models.Model):
    """A meeting of the fund committee, where the chair records decisions.

    Its state moves only through its lifecycle (`workflows.fund.lifecycle`)."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveIntegerField(_("meeting number"))
    date = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="chaired_meetings",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendees"),
        blank=True,
        related_name="attended_meetings",
    )
    agenda = models.ManyToManyField(
        Application,
        verbose_name=_("applications taken up"),
        blank=True,
        related_name="meetings",
        through="AgendaItem",
    )
    minute_checkers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minute checkers"),
        blank=True,
        related_name="checked_meetings",
        help_text=_("Attending members who check (justerar) the minutes with the chair."),
    )
    state = FSMField(
        _("state"),
        max_length=10,
        choices=MeetingState.choices,
        default=MeetingState.PLANNED,
        protected=True,
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    checked_at = models.DateTimeField(_("minutes checked"), null=True, blank=True)
    posted_on = models.DateField(_("minutes posted on the notice board"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "number"], name="meeting_number_per_fund")
        ]

    def __str__(self) -> str:
        return _("Meeting %(number)s, %(date)s") % {"number": self.number, "date": self.date}

    def get_absolute_url(self) -> str:
        return reverse("fund:meeting-detail", args=[self.pk])

    @property
    def appeal_deadline(self) -> datetime.date | None:
        """The last day to appeal its decisions: three weeks after the minutes were posted."""
        return self.posted_on + APPEAL_PERIOD if self.posted_on else None


class AgendaItem(models.Model):
    """An application taken up at a meeting, in the agenda's order (its § in the minutes).

    When the chair is disqualified on the item, the fund's vice chair leads it, or,
    without one who may, the attending member the meeting appoints (`stand_in`).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("position on the agenda"), default=0)
    stand_in = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stand-in chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "application"], name="agenda_item_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} § {self.position}: {self.application_id}"


class DecisionKind(models.TextChoices):
    APPROVE = "approve", _("Approved")
    APPROVE_LOWER = "approve_lower", _("Approved with a lower amount")
    REJECT = "reject", _("Rejected")
    RETURN = "return", _("Returned for changes")


GRANTING_KINDS = (DecisionKind.APPROVE, DecisionKind.APPROVE_LOWER)


class AppendOnly(Exception):
    """Raised when code tries to change or remove a public record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly(f"{self.model.__name__} records cannot be changed.")

    def delete(self):
        raise AppendOnly(f"{self.model.__name__} records cannot be deleted.")


class DecisionQuerySet(AppendOnlyQuerySet):
    def in_force(self):
        """Decisions no later decision has superseded."""
        return self.filter(superseded_by__isnull=True)


class AppendOnlyModel(models.Model):
    """A record that is written once and never updated or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly(f"{type(self).__name__} records cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(f"{type(self).__name__} records cannot be deleted.")


class Decision(AppendOnlyModel):
    """A fund decision: a public, append-only record and a leaf of the transparency log.

    Registration numbers run without gaps per year in the series of the fund's
    prefix (funds sharing a prefix share the series). `log_index` numbers every
    decision of every fund 0, 1, 2… in one Merkle tree; `leaf_hash` is the hash of
    its leaf (`transparency.leaf_record`) when it was written, kept for fast proofs.
    Signed checkpoints of the tree (`Checkpoint`) let anyone find a decision that was
    changed or removed afterwards (`manage.py verify_decisions`, docs/fund.md).
    """

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="decisions"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence number"))
    registration_number = models.CharField(_("registration number"), max_length=30, unique=True)
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    amount = amount_field(_("amount granted (SEK)"), default=0)
    amount_requested = amount_field(_("amount applied for (SEK)"))
    rationale = models.TextField(_("rationale"))
    conditions = models.TextField(_("conditions"), blank=True)
    decided_at = models.DateTimeField(_("decided"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="recorded_decisions",
    )
    delegated = models.BooleanField(_("decided by a coach under delegation"), default=False)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    attendees = models.JSONField(_("members taking part"), default=list, blank=True)
    recused = models.JSONField(_("disqualified members"), default=list, blank=True)
    present = models.JSONField(
        _("present without taking part"),
        default=list,
        blank=True,
        help_text=_("Coaches and officials present to present the matter (föredragande)."),
    )
    chaired_by = models.CharField(_("item led by"), max_length=300, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    log_index = models.PositiveBigIntegerField(_("position in the log"), unique=True)
    leaf_hash = models.CharField(_("leaf hash"), max_length=64)
    #: Who took part is published as a salted digest (`transparency.leaf_record`).
    people_salt = models.CharField(_("salt of the people digest"), max_length=32)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at", "-pk"]
        # The register's order: a page of it reads 25 rows, not a sort of every decision.
        indexes = [models.Index(fields=["-decided_at", "-id"], name="decision_register_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "year", "sequence"], name="decision_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=GRANTING_KINDS) | models.Q(amount=0),
                name="decision_only_grants_carry_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(delegated=True, meeting__isnull=True)
                | models.Q(delegated=False, meeting__isnull=False),
                name="decision_by_coach_or_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.registration_number

    def get_absolute_url(self) -> str:
        return reverse("fund:decision-detail", args=[self.pk])

    @property
    def grants_money(self) -> bool:
        return self.kind in GRANTING_KINDS

    @property
    def decided_on(self) -> datetime.date:
        """The decision's date: a committee decision is made at its meeting, so it carries
        the meeting's date; a coach's decision the day it was recorded (the municipality's
        date). Pages show this date; `decided_at` is the moment the record was written."""
        if self.meeting_id is not None:
            return self.meeting.date
        return timezone.localdate(self.decided_at)


class Checkpoint(AppendOnlyModel):
    """A signed head of the decision log at one tree size (c2sp.org/tlog-checkpoint).

    Public, and kept for every size signed so that a verifier can find the first
    decision that no longer matches what was signed. Append-only like decisions.

    `signed_with` names the key that signed it ("name+keyid", as on the note's signature
    line). After the signing key is rotated the current tree is signed again with the new
    key, so one size may have a checkpoint of each key (docs/deploy.md)."""

    tree_size = models.PositiveBigIntegerField(_("tree size"))
    root_hash = models.CharField(_("root hash"), max_length=64)
    note = models.TextField(_("signed note"))
    # Blank only when written by an app server of the release before this column, still
    # running during a rolling upgrade (the database default): then `key` reads the note.
    signed_with = models.CharField(_("signing key"), max_length=200, db_default="")
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["-tree_size", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tree_size", "signed_with"], name="checkpoint_one_per_size_and_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tree_size}: {self.root_hash}"

    @property
    def key(self) -> str:
        """The key that signed it, "name+keyid"."""
        return self.signed_with or tlog.signature_keys(self.note)[0]


class Cost(models.Model):
    """An actual cost recorded against a grant (follow-up, not part of the public record)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="costs"
    )
    amount = amount_field(_("amount (SEK)"))
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300)
    receipt = models.FileField(
        _("receipt"),
        upload_to="fund/receipts/%Y/%m/",
        storage=private_storage,
        blank=True,
        max_length=300,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recorded_costs"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.amount} kr – {self.note}"


class MoneyReturn(AppendOnlyModel):
    """Unspent money of a grant given back to the fund when the idea has ended."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="money_return",
    )
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="money_returns")
    amount = amount_field(_("amount returned (SEK)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="money_returns"
    )
    returned_at = models.DateTimeField(_("returned"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("returned money")
        verbose_name_plural = _("returned money")
        ordering = ["-returned_at"]

    def __str__(self) -> str:
        return f"{self.amount} kr"


class DeclarationEntry(AppendOnlyModel):
    """One answer of a member on their conflict of interest: the first or a correction."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="declaration_entries"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField(_("conflict of interest"))
    reason = models.TextField(_("reason"), blank=True)
    is_correction = models.BooleanField(_("correction"), default=False)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflict of interest answer")
        verbose_name_plural = _("conflict of interest answers")
        ordering = ["declared_at", "pk"]

    def __str__(self) -> str:
        return f"{self.member_id} – {self.application_id}"


class MinutesSignature(AppendOnlyModel):
    """The chair or a minute checker signing off the minutes (justering)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="minutes_signatures"
    )
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes signature")
        verbose_name_plural = _("minutes signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "signer"], name="one_signature_per_signer")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.signer_id}"
