"""Reads for the idea pages, each shaped so a page runs a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from ideasluss.accounts.models import Unit, User

from .models import Champion, Comment, Idea, IdeaState, JuryVote, Nomination, NominationState
from .rules import JURY_ROLES
from .search import search_ideas

ORDERINGS = {
    "newest": ("-created_at", "-id"),
    "champions": ("-champion_count", "-id"),
    "waiting": ("state_changed_at", "id"),
}


def _list_shape(queryset: QuerySet) -> QuerySet:
    """A list's rows with their owner, unit and `tag_list` (a plain list: taggit's
    manager, built per row, cost the idea bank 10 ms a page of 20)."""
    tags = Prefetch("tags", to_attr="tag_list")
    return queryset.select_related("owner", "unit").prefetch_related(tags)


def idea_bank(
    *,
    text: str = "",
    state: str = "",
    unit=None,
    target_group: str = "",
    tag: str = "",
    order: str = "newest",
) -> QuerySet:
    """Every submitted idea (never drafts), filtered, searched and sorted for the idea bank."""
    ideas = Idea.objects.submitted()
    if state:
        ideas = ideas.filter(state=state)
    if unit is not None:
        # The unit and the units right under it, as ids: "unit or its parent" over a join
        # read every idea in the state (11 ms at 100,000 ideas) where the ids use an index.
        below = Unit.objects.filter(parent=unit).values_list("pk", flat=True)
        ideas = ideas.filter(unit_id__in=[unit.pk, *below])
    if target_group:
        ideas = ideas.filter(target_group__icontains=target_group)
    if tag:
        ideas = ideas.filter(tags__name__iexact=tag)
    ideas = search_ideas(ideas, text)
    return _list_shape(ideas).order_by(*ORDERINGS.get(order, ORDERINGS["newest"]))


def my_ideas(*, user: User) -> QuerySet:
    """The ideas where `user` is on the team, drafts included, most recently changed first."""
    return _list_shape(Idea.objects.of_team(user)).order_by("-state_changed_at", "-id")


def _overdue_test(today: datetime.date | None) -> Q:
    return Q(state=IdeaState.TESTING, test_plan__end_date__lt=today or timezone.localdate())


def coach_inbox(*, today: datetime.date | None = None) -> QuerySet:
    """Ideas waiting for a coach: submitted ones to screen, and tests past their end date."""
    return (
        Idea.objects.filter(Q(state=IdeaState.SUBMITTED) | _overdue_test(today))
        .select_related("owner", "unit", "test_plan")
        .order_by("state_changed_at", "id")
    )


def coach_inbox_size(*, up_to: int, today: datetime.date | None = None) -> int:
    """How many ideas `coach_inbox` holds, counted no further than `up_to`.

    Counted in its two parts: the submitted ideas on their own index, and the overdue
    tests only if those do not reach the bound. One count of both joined every test plan
    to every idea in the two states (21 ms at 100,000 ideas, growing with them).
    """
    submitted = Idea.objects.filter(state=IdeaState.SUBMITTED).order_by()[:up_to].count()
    if submitted >= up_to:
        return submitted
    overdue = Idea.objects.filter(_overdue_test(today)).order_by()[: up_to - submitted].count()
    return submitted + overdue


def idea_for_page(*, pk: int, prefetch=()) -> Idea:
    """One idea with everything its page shows, in a fixed number of queries; `prefetch`
    adds what other apps show on it (the fund's applications)."""
    return (
        Idea.objects.select_related("owner", "unit", "run_by_unit", "test_plan", "evaluation")
        .prefetch_related(
            "co_owners",
            "tags",
            "attachments",
            Prefetch("champions__user"),
            Prefetch("comments", queryset=Comment.objects.select_related("author", "hidden_by")),
            *prefetch,
        )
        .get(pk=pk)
    )


def idea_timeline(*, idea: Idea) -> QuerySet:
    """Every transition of the idea, oldest first: who, when, from, to, message."""
    return StateLog.objects.for_(idea).select_related("by").order_by("timestamp", "pk")


# --- the best mistake of the year -------------------------------------------------------

_JURY_ORDER = Case(
    When(state=NominationState.WINNER, then=Value(0)),
    When(state=NominationState.SHORTLISTED, then=Value(1)),
    When(state=NominationState.NOMINATED, then=Value(2)),
    default=Value(3),
)


def my_nominations(*, user: User) -> QuerySet:
    """The nominations `user` made, newest year first."""
    return (
        Nomination.objects.filter(nominated_by=user)
        .select_related("idea")
        .order_by("-year", "-created_at", "-pk")
    )


def jury_nominations(*, year: int) -> QuerySet:
    """Every nomination of `year` for the jury: winner, shortlisted, new, then set aside."""
    return (
        Nomination.objects.filter(year=year)
        .select_related("idea", "nominated_by", "decided_by")
        .annotate(jury_order=_JURY_ORDER)
        .order_by("jury_order", "-created_at", "-pk")
    )


#: The first year the jury's pages go back to.
FIRST_YEAR = 2000


def decided_years(*, years) -> set[int]:
    """Those of `years` whose best mistake is decided (the year has its winner)."""
    return set(
        Nomination.objects.filter(year__in=list(years), state=NominationState.WINNER)
        .values_list("year", flat=True)
        .distinct()
    )


def nomination_open_years(*, idea: Idea | None = None) -> list[int]:
    """The years one may nominate for now, oldest first.

    Last year and this year, while the jury has not decided them; once this year is
    decided, next year opens, so there is always somewhere to nominate. With `idea`,
    without the years the idea is already nominated for. One query.
    """
    this_year = timezone.localdate().year
    candidates = (this_year - 1, this_year, this_year + 1)
    taken = Q(state=NominationState.WINNER)
    if idea is not None:
        taken |= Q(idea=idea)
    rows = Nomination.objects.filter(taken, year__in=candidates).values_list("year", "state")
    decided = {year for year, state in rows if state == NominationState.WINNER}
    closed = {year for year, _state in rows}
    years = [this_year - 1, this_year]
    if this_year in decided:
        years.append(this_year + 1)
    return [year for year in years if year not in closed]


def years_in_words(years) -> str:
    """ "2025 or 2027", in the active language."""
    return str(get_text_list([str(year) for year in years], _("or")))


@dataclass(frozen=True)
class NominationOffer:
    """What the idea page offers: the years the idea may be nominated for, or why none."""

    years: list[int]
    reason: str = ""


def nomination_offer(*, idea: Idea) -> NominationOffer:
    """The years `idea` may still be nominated for, or the sentence that says why not."""
    years = nomination_open_years(idea=idea)
    if years:
        return NominationOffer(years=years)
    open_years = nomination_open_years()
    if open_years:
        reason = _("The idea is already nominated for %(years)s.") % {
            "years": years_in_words(open_years)
        }
    else:
        reason = _("No year is open for nominations just now.")
    return NominationOffer(years=[], reason=reason)


def is_jury_year(year: int) -> bool:
    """Whether the jury has a page for `year`: any year up to this one, and a year that
    is open for nominations (next year, once this year is decided)."""
    this_year = timezone.localdate().year
    return FIRST_YEAR <= year <= this_year or year in nomination_open_years()


def jurors() -> QuerySet:
    """Everyone in the jury now (`ideas.rules.is_mistake_jury`), by name."""
    return (
        User.objects.filter(is_active=True, groups__name__in=JURY_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


@dataclass(frozen=True)
class JuryTally:
    """The jury's votes of a year. A vote counts when it is a juror's (someone who left
    the jury no longer votes) and its nomination is a finalist or the winner."""

    year: int
    jurors: list[User]
    votes: list[JuryVote] = field(default_factory=list)

    @property
    def counted(self) -> list[JuryVote]:
        juror_ids = {juror.pk for juror in self.jurors}
        finalists = (NominationState.SHORTLISTED, NominationState.WINNER)
        return [
            vote
            for vote in self.votes
            if vote.juror_id in juror_ids and vote.nomination.state in finalists
        ]

    @property
    def counts(self) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for vote in self.counted:
            counts[vote.nomination_id] += 1
        return dict(counts)

    def voters_of(self, nomination_id: int) -> list[User]:
        return [vote.juror for vote in self.counted if vote.nomination_id == nomination_id]

    def vote_of(self, user) -> JuryVote | None:
        """`user`'s vote of the year, counted or not."""
        return next((vote for vote in self.votes if vote.juror_id == user.pk), None)

    @property
    def voted(self) -> int:
        return len(self.counted)

    @property
    def needed(self) -> int:
        """More than half of the jury."""
        return len(self.jurors) // 2 + 1

    @property
    def has_quorum(self) -> bool:
        return bool(self.jurors) and self.voted >= self.needed

    @property
    def leaders(self) -> list[Nomination]:
        """The nominations with the most votes (more than one: a tie), by title."""
        counts = self.counts
        if not counts:
            return []
        most = max(counts.values())
        nominations = {vote.nomination_id: vote.nomination for vote in self.counted}
        return sorted(
            (nominations[pk] for pk, count in counts.items() if count == most),
            key=lambda nomination: (nomination.title, nomination.pk),
        )


def jury_tally(*, year: int) -> JuryTally:
    """Every vote of `year` with its juror and nomination, and the jury now: two queries."""
    votes = (
        JuryVote.objects.filter(year=year)
        .select_related("juror", "nomination")
        .order_by("cast_at", "pk")
    )
    return JuryTally(year=year, jurors=list(jurors()), votes=list(votes))


@dataclass(frozen=True)
class JuryResult:
    """What the votes of a year give when `chair` declares: the winner, or why not yet."""

    tally: JuryTally
    winner: Nomination | None
    problems: list[str]
    tie_broken: bool = False


def jury_result(*, year: int, chair: User, tally: JuryTally | None = None) -> JuryResult:
    """The nomination the jury's votes make the winner of `year`, as declared by `chair`.

    The most votes win. A tie is broken by the chair's vote; when the chair's vote is
    not among the tied, the chair must first vote for one of them. Declaring needs more
    than half of the jury to have voted.
    """
    tally = tally or jury_tally(year=year)
    winner = Nomination.objects.filter(year=year, state=NominationState.WINNER).first()
    if winner is not None:
        message = _("The best mistake of %(year)s is already declared: “%(title)s”.")
        return JuryResult(tally, None, [message % {"year": year, "title": winner.title}])
    if not tally.has_quorum:
        message = _(
            "More than half of the jury must have voted before the result is declared: "
            "%(voted)s of %(jurors)s jurors have voted for a finalist, %(needed)s are needed."
        )
        numbers = {"voted": tally.voted, "jurors": len(tally.jurors), "needed": tally.needed}
        return JuryResult(tally, None, [message % numbers])
    leaders = tally.leaders
    if len(leaders) == 1:
        return JuryResult(tally, leaders[0], [])
    chair_vote = next((vote for vote in tally.counted if vote.juror_id == chair.pk), None)
    chosen = next((n for n in leaders if chair_vote and n.pk == chair_vote.nomination_id), None)
    if chosen is not None:
        return JuryResult(tally, chosen, [], tie_broken=True)
    titles = get_text_list([_("“%(title)s”") % {"title": n.title} for n in leaders], _("and"))
    message = _(
        "The votes are tied between %(titles)s. As the jury's chair you break the tie: "
        "vote for one of them, then declare the result."
    )
    return JuryResult(tally, None, [message % {"titles": titles}])


def nomination_histories(*, nominations) -> dict[int, list[StateLog]]:
    """Each nomination's steps, oldest first (who, when, from and to which state with
    `source_label` and `target_label`, the reason given): one query for all of them."""
    pks = [nomination.pk for nomination in nominations]
    histories: dict[int, list[StateLog]] = {pk: [] for pk in pks}
    if not pks:
        return histories
    logs = (
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Nomination),
            object_id__in=pks,
        )
        .select_related("by")
        .order_by("timestamp", "pk")
    )
    labels = dict(NominationState.choices)
    for log in logs:
        log.source_label = labels.get(log.source_state, log.source_state)
        log.target_label = labels.get(log.state, log.state)
        histories[int(log.object_id)].append(log)
    return histories


def years_with_nominations() -> list[int]:
    """The years that have nominations, newest first."""
    return list(Nomination.objects.order_by("-year").values_list("year", flat=True).distinct())


def public_mistakes(*, year: int) -> tuple[Nomination | None, list[Nomination]]:
    """What the public may see of `year`: the winner and the shortlisted, once there is a
    winner, and only with the consent of the people named. Nothing about who nominated."""
    nominations = list(
        Nomination.objects.filter(
            year=year,
            consent_confirmed=True,
            state__in=[NominationState.WINNER, NominationState.SHORTLISTED],
        )
        .only("pk", "year", "idea_id", "title", "story", "state", "jury_motivation")
        .order_by("title", "pk")
    )
    winner = next((n for n in nominations if n.state == NominationState.WINNER), None)
    if winner is None:
        return None, []
    return winner, [n for n in nominations if n is not winner]


def public_winner_titles(*, years) -> dict[int, str]:
    """The winning title of each of `years` that has a public winner."""
    return dict(
        Nomination.objects.filter(
            year__in=list(years), state=NominationState.WINNER, consent_confirmed=True
        ).values_list("year", "title")
    )


# --- "My work": what waits for one person (workflows/start) ------------------------------
# Each returns an unsliced, ordered queryset shaped for its rows; the start page takes the
# first few rows and the count in one query (`workflows.start.sections.first_rows`).


def _idea_log() -> QuerySet:
    return StateLog.objects.filter(content_type=ContentType.objects.get_for_model(Idea))


def team_ideas(*, user: User, states=()) -> QuerySet:
    """The ideas on whose team `user` is (owner or co-owner), in `states` (all when empty),
    most recently moved first, with the test plan and evaluation their rows mention."""
    ideas = Idea.objects.of_team(user)
    if states:
        ideas = ideas.filter(state__in=list(states))
    return ideas.select_related("test_plan", "evaluation").order_by("-state_changed_at", "-pk")


def team_drafts(*, user: User) -> QuerySet:
    """The team's drafts, those a coach returned first, each with the coach's latest
    message (`return_message`, `returned_at`; None when it was never returned)."""
    returned = _idea_log().filter(object_id=OuterRef("pk"), transition="return_to_owner")
    latest = returned.order_by("-timestamp", "-pk")
    return (
        Idea.objects.of_team(user)
        .filter(state=IdeaState.DRAFT)
        .annotate(
            return_message=Subquery(latest.values("description")[:1]),
            returned_at=Subquery(latest.values("timestamp")[:1]),
        )
        .order_by(F("returned_at").desc(nulls_last=True), "-updated_at", "-pk")
    )


def _not_on_team(ideas: QuerySet, user: User) -> QuerySet:
    return ideas.exclude(owner=user).exclude(co_owners=user)


def ideas_to_screen(*, user: User) -> QuerySet:
    """Submitted ideas a coach screens (`ideas.accept_idea`: never their own team's),
    longest waiting first."""
    ideas = Idea.objects.filter(state=IdeaState.SUBMITTED).select_related("owner", "unit")
    return _not_on_team(ideas, user).order_by("state_changed_at", "pk")


def tests_past_end(*, user: User, today: datetime.date | None = None) -> QuerySet:
    """Tests still running after their plan's end date, for a coach to follow up (the
    coach inbox's second half), not of their own team; longest overdue first."""
    today = today or timezone.localdate()
    ideas = Idea.objects.filter(state=IdeaState.TESTING, test_plan__end_date__lt=today)
    ideas = ideas.select_related("owner", "test_plan")
    return _not_on_team(ideas, user).order_by("test_plan__end_date", "pk")


def tested_ideas_to_decide(*, user: User) -> QuerySet:
    """Tested ideas waiting for the coach's decision with the team: scale it up, test
    again or stop and keep the lessons (`ideas.scale_idea`: not their own team's)."""
    ideas = Idea.objects.filter(state=IdeaState.TESTED).select_related("owner", "evaluation")
    return _not_on_team(ideas, user).order_by("state_changed_at", "pk")


def jury_years(*, user: User) -> QuerySet:
    """The jury's open work per undecided year, one row a year (oldest first): `new`
    nominations to shortlist or set aside, `finalists` on the shortlist, and whether
    `user` has voted (`voted`). Years with a winner are done and left out. One query."""
    decided = Nomination.objects.filter(state=NominationState.WINNER).values("year")
    voted = JuryVote.objects.filter(juror=user, year=OuterRef("year"))
    open_states = [NominationState.NOMINATED, NominationState.SHORTLISTED]
    return (
        Nomination.objects.filter(state__in=open_states)
        .exclude(year__in=decided)
        .values("year")
        .annotate(
            new=Count("pk", filter=Q(state=NominationState.NOMINATED)),
            finalists=Count("pk", filter=Q(state=NominationState.SHORTLISTED)),
            voted=Exists(voted),
        )
        .order_by("year")
    )


def champion_transitions(*, user: User, since: datetime.datetime) -> QuerySet:
    """Steps others took since `since` on the ideas `user` champions, newest first, each
    with its idea's title (`idea_title`) and who took it."""
    championed = Champion.objects.filter(user=user).values("idea_id")
    titles = Idea.objects.filter(pk=OuterRef("object_id")).values("title")[:1]
    return (
        _idea_log()
        .filter(object_id__in=championed, timestamp__gte=since)
        .exclude(by=user)
        .select_related("by")
        .annotate(idea_title=Subquery(titles))
        .order_by("-timestamp", "-pk")
    )


def champion_comments(*, user: User, since: datetime.datetime) -> QuerySet:
    """Comments others wrote since `since` on the ideas `user` champions (hidden ones
    left out), newest first."""
    return (
        Comment.objects.filter(
            idea__champions__user=user, created_at__gte=since, hidden_at__isnull=True
        )
        .exclude(author=user)
        .select_related("idea", "author")
        .order_by("-created_at", "-pk")
    )
