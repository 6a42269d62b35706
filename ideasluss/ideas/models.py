"""The idea domain: an idea, its team, champions, comments, attachments, test plan and evaluation.

The state machine that moves an idea between states is declared in
`workflows.ideas.lifecycle`; here the state is only data, protected from direct writes.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin
from taggit.managers import TaggableManager

from ideasluss.input_policy import LONG_TEXT

from .expressions import IsAnyOf
from .storage import private_storage


class IdeaState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PLANNING = "planning", _("Planning")
    TESTING = "testing", _("Testing")
    TESTED = "tested", _("Tested")
    SCALED = "scaled", _("Scaled")
    LEARNED = "learned", _("Learned")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINAL_STATES = frozenset(
    {IdeaState.SCALED, IdeaState.LEARNED, IdeaState.DECLINED, IdeaState.WITHDRAWN}
)


SEARCH_FIELDS = ("title", "problem", "target_group", "description")


@deconstructible(path="ideasluss.ideas.models.IdeaSearchDocument")
class IdeaSearchDocument(models.Func):
    """The full-text document of an idea, stored in `Idea.search_document`: on PostgreSQL
    `idea_search_document(title, problem, target_group, description)` (migration 0006's
    function, `to_tsvector('swedish_compound', …)`); SQLite searches without it and
    stores nothing."""

    function = "idea_search_document"
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(*(models.F(field) for field in SEARCH_FIELDS))

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


class IdeaQuerySet(models.QuerySet):
    def submitted(self):
        """Every idea that has left its owner's drafts."""
        return self.exclude(state=IdeaState.DRAFT)

    def team_ids(self, user):
        """The ids of the ideas where `user` is owner or co-owner, for `pk__in`.

        A UNION of the two indexed lookups: `owner = user OR co-owner = user` over a join
        cannot use either index, and PostgreSQL tests every idea (with DISTINCT on top),
        which at 100,000 ideas took a second for "my ideas".
        """
        co_owned = Idea.co_owners.through.objects.filter(user=user).values("idea_id")
        return Idea.objects.filter(owner=user).order_by().values("pk").union(co_owned, all=True)

    def of_team(self, user):
        """These ideas where `user` is owner or co-owner (their ids found first)."""
        return self.filter(IsAnyOf(models.F("pk"), models.Subquery(self.team_ids(user))))


class IdeaManager(models.Manager.from_queryset(IdeaQuerySet)):
    def get_queryset(self):
        return super().get_queryset().defer("search_document")


class Idea(FSMModelMixin, models.Model):
    """An idea, problem first: what problem, for whom, and what could be tried."""

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"), max_length=LONG_TEXT, blank=True)
    target_group = models.CharField(_("target group"), max_length=200, blank=True)
    description = models.TextField(_("the idea"), max_length=LONG_TEXT, blank=True)
    first_test = models.TextField(
        _("what a first test could look like"), max_length=LONG_TEXT, blank=True
    )
    needs_hours = models.PositiveIntegerField(_("hours needed"), null=True, blank=True)
    needs_substitute = models.BooleanField(_("needs a substitute"), default=False)
    needs_money = models.PositiveIntegerField(_("money needed (SEK)"), null=True, blank=True)
    needs_other_units = models.CharField(
        _("help needed from other units"), max_length=300, blank=True
    )
    tags = TaggableManager(_("tags"), blank=True)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_ideas",
    )
    co_owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-owners"),
        blank=True,
        related_name="co_owned_ideas",
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    state = FSMField(_("state"), default=IdeaState.DRAFT, choices=IdeaState.choices, protected=True)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    champion_count = models.PositiveIntegerField(_("champions"), default=0, editable=False)

    no_money_needed = models.BooleanField(_("the test needs no money from the fund"), default=False)
    lessons_learned = models.TextField(_("lessons learned"), max_length=LONG_TEXT, blank=True)
    run_by_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit that runs it now"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scaled_ideas",
    )
    run_by_contact = models.CharField(_("contact person"), max_length=200, blank=True)
    publication_consent = models.BooleanField(
        _("the owner agrees to a public page about this idea"), default=False
    )

    # Computed by PostgreSQL whenever the text changes (a stored generated column), so a
    # search tests each row without computing its vector: about 0.1 ms an idea with the
    # Hunspell dictionary (migration 0008, docs/search.md). Never loaded with the idea.
    search_document = models.GeneratedField(
        expression=IdeaSearchDocument(),
        output_field=SearchVectorField(null=True),
        db_persist=True,
        editable=False,
    )

    objects = IdeaManager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "-created_at"], name="idea_state_created"),
            models.Index(fields=["-created_at", "-id"], name="idea_created"),
            models.Index(fields=["-champion_count", "-id"], name="idea_champions"),
            models.Index(fields=["state_changed_at"], name="idea_state_changed"),
            # The coaches' queues (inbox, to screen, to decide) read the few ideas in
            # these states longest-waiting first; the index above would walk them all.
            models.Index(
                fields=["state_changed_at", "id"],
                condition=models.Q(state__in=["submitted", "testing", "tested"]),
                name="idea_coach_queue",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:idea-detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    def is_member(self, user) -> bool:
        """Owner or co-owner (uses prefetched co-owners when present)."""
        if not user.is_authenticated:
            return False
        if self.owner_id == user.pk:
            return True
        return any(member.pk == user.pk for member in self.co_owners.all())


class TestPlan(models.Model):
    """How the idea is tested: written in *planning*, required to start the test."""

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="test_plan")
    hypothesis = models.TextField(_("hypothesis"))
    success_criteria = models.JSONField(_("success criteria"), default=list)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    resources = models.TextField(_("resources"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("test plan")
        verbose_name_plural = _("test plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="test_plan_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return str(self.idea)


class Evaluation(models.Model):
    """The owner's evaluation after the test: a result for each success criterion."""

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="evaluation")
    results = models.JSONField(_("results per criterion"), default=list)
    surprises = models.TextField(_("what surprised us"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return str(self.idea)


class Champion(models.Model):
    """A colleague who backs an idea, optionally offering concrete help."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="champions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="championed"
    )
    offer = models.CharField(_("offer of help"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("champion")
        verbose_name_plural = _("champions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="one_champion_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.idea}"


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="idea_comments"
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF document")


class Attachment(models.Model):
    """A picture or PDF on an idea. Stored outside the public media URL; served by a view
    that checks who may see the idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(
        _("file"), upload_to="ideas/%Y/%m/", storage=private_storage, max_length=300
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    alt_text = models.CharField(
        _("description of the picture (alt text)"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class NominationState(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    WINNER = "winner", _("Winner")
    NOT_CHOSEN = "not_chosen", _("Not chosen")


class Nomination(FSMModelMixin, models.Model):
    """A nomination for the best mistake of the year: a learned idea or a free story.

    Staff nominate; the jury (committee members, the chair and coaches) shortlists, each
    juror votes for one finalist (`JuryVote`), and the jury's chair declares the winner
    the votes give, with the jury's motivation: one winner a year. Only shortlisted
    nominations and the winner are shown publicly, and only with the consent of the
    people named. Its state moves only through its lifecycle (`workflows.ideas.lifecycle`).
    """

    year = models.PositiveSmallIntegerField(_("year"))
    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    title = models.CharField(_("title"), max_length=200)
    story = models.TextField(_("what happened and what was learned"), max_length=5000)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    consent_confirmed = models.BooleanField(
        _("the people named agree to being named publicly"), default=False
    )
    state = FSMField(
        _("state"),
        max_length=20,
        choices=NominationState.choices,
        default=NominationState.NOMINATED,
        protected=True,
    )
    jury_motivation = models.TextField(_("the jury's motivation"), max_length=5000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("best mistake nomination")
        verbose_name_plural = _("best mistake nominations")
        ordering = ["-year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(state="winner"),
                name="one_best_mistake_per_year",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="winner") | ~models.Q(jury_motivation=""),
                name="winner_has_motivation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class JuryVote(models.Model):
    """A juror's one vote of a year for the best mistake: a shortlisted nomination.

    One per juror and year: voting again changes the vote, until the year is decided.
    `year` is the nomination's year (kept here so the database holds "one vote a year").
    Only votes for nominations still on the shortlist count (see `jury_tally`).
    """

    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juror"),
        on_delete=models.PROTECT,
        related_name="jury_votes",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.CASCADE,
        related_name="votes",
    )
    cast_at = models.DateTimeField(_("voted"), auto_now=True)

    class Meta:
        verbose_name = _("jury vote")
        verbose_name_plural = _("jury votes")
        ordering = ["year", "cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["juror", "year"], name="one_jury_vote_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.juror} → {self.nomination_id}"
