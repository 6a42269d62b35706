"""Reads for the fund pages, each shaped so a page runs a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone

from ideasluss.accounts.models import User
from ideasluss.accounts.roles import Role
from ideasluss.ideas.expressions import IsAnyOf
from ideasluss.ideas.models import FINAL_STATES, Idea, IdeaState, TestPlan

from . import figures, money
from .models import (
    GRANTING_KINDS,
    AgendaItem,
    Application,
    ApplicationState,
    BudgetCategory,
    BudgetLine,
    ConflictDeclaration,
    Cost,
    Criterion,
    Decision,
    Fund,
    Meeting,
    MeetingState,
    MinutesSignature,
    MoneyReturn,
    Review,
    Score,
)
from .money import FundBalance
from .participation import disqualification_of

# --- meetings and minutes ------------------------------------------------------------------


HELD_STATES = (MeetingState.CLOSED, MeetingState.CHECKED, MeetingState.POSTED)


def meeting_list(*, fund: Fund | None = None, held: bool = False) -> QuerySet[Meeting]:
    """Upcoming meetings (planned or open) soonest first, or held ones (closed, their
    minutes checked or posted) latest first."""
    meetings = Meeting.objects.select_related("fund", "chair").annotate(
        agenda_count=Count("agenda", distinct=True),
        decision_count=Count("decisions", distinct=True),
    )
    if fund is not None:
        meetings = meetings.filter(fund=fund)
    if held:
        return meetings.filter(state__in=HELD_STATES).order_by("-date", "-number", "-pk")
    return meetings.exclude(state__in=HELD_STATES).order_by("date", "number", "pk")


def _agenda_shape(meeting_pk: int) -> QuerySet[Application]:
    """Agenda applications with what the meeting page shows and checks per item:
    the idea (and its team, for the applicant rule), the mean score, the
    declarations (recusals) with their members, who has scored, and the
    decisions recorded at this meeting."""
    mean_score = (
        Score.objects.filter(review__application=OuterRef("pk"))
        .values("review__application")
        .annotate(mean=Avg("value"))
        .values("mean")
    )
    return (
        Application.objects.select_related("idea", "fund")
        .annotate(mean_score=Subquery(mean_score))
        .prefetch_related(
            "idea__co_owners",
            Prefetch(
                "declarations",
                queryset=ConflictDeclaration.objects.select_related("member").order_by(
                    "member__last_name", "member__first_name", "pk"
                ),
            ),
            Prefetch("reviews", queryset=Review.objects.only("pk", "application", "member")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.filter(meeting_id=meeting_pk).order_by("pk"),
                to_attr="meeting_decisions",
            ),
        )
        .order_by("submitted_at", "pk")
    )


def meeting_for_page(*, pk: int) -> Meeting:
    """One meeting with its fund (its committee and vice chair), chair, attendees, minute
    checkers and signatures, and its agenda items in agenda order, each application shaped
    for the meeting page."""
    meeting = (
        Meeting.objects.select_related("fund__vice_chair", "chair")
        .prefetch_related(
            Prefetch("attendees", queryset=User.objects.order_by("last_name", "first_name", "pk")),
            Prefetch(
                "fund__committee_members",
                queryset=User.objects.order_by("last_name", "first_name", "pk"),
            ),
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related("stand_in").prefetch_related(
                    Prefetch("application", queryset=_agenda_shape(pk))
                ),
            ),
            Prefetch(
                "minute_checkers", queryset=User.objects.order_by("last_name", "first_name", "pk")
            ),
            "signatures",
        )
        .get(pk=pk)
    )
    for item in meeting.items.all():
        item.meeting = meeting
        if item.application.fund_id == meeting.fund_id:
            item.application.fund = meeting.fund
    return meeting


def meeting_attendee_choices(*, meeting: Meeting | None = None) -> QuerySet[User]:
    """Who can be recorded as attending: committee members, the chair and coaches
    (and anyone already recorded, so an earlier choice never silently disappears)."""
    roles = [Role.COMMITTEE_CHAIR, Role.COMMITTEE_MEMBER, Role.COACH]
    users = Q(is_active=True, groups__name__in=roles)
    if meeting is not None:
        users |= Q(attended_meetings=meeting)
    return User.objects.filter(users).distinct().order_by("last_name", "first_name", "pk")


def meeting_agenda_choices(*, meeting: Meeting) -> QuerySet[Application]:
    """What the chair can take up: the fund's submitted and in-review applications,
    and those already on the agenda."""
    waiting = Q(state__in=[ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW])
    return (
        Application.objects.filter(fund_id=meeting.fund_id)
        .filter(waiting | Q(meetings=meeting))
        .select_related("idea")
        .distinct()
        .order_by("submitted_at", "pk")
    )


def minutes_decisions(*, meeting: Meeting) -> QuerySet[Decision]:
    """The meeting's decisions in the order they were recorded, with what the minutes print
    (the decisions they supersede or are superseded by, with their meetings' dates)."""
    return (
        Decision.objects.filter(meeting=meeting)
        .select_related(
            "application__idea", "meeting__chair", "supersedes__meeting", "superseded_by__meeting"
        )
        .order_by("pk")
    )


def minutes_agenda(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The meeting's agenda items in the agenda's order (their § in the minutes)."""
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("application__idea")
        .order_by("position", "pk")
    )


def minutes_signatures(*, meeting: Meeting) -> QuerySet[MinutesSignature]:
    """Who has signed (checked) the minutes, and when, in the order they signed."""
    return meeting.signatures.select_related("signer").order_by("signed_at", "pk")


def minute_checkers(*, meeting: Meeting) -> QuerySet[User]:
    return meeting.minute_checkers.order_by("last_name", "first_name", "pk")


def minute_checker_choices(*, meeting: Meeting) -> QuerySet[User]:
    """Who the chair can choose to check the minutes: the attending members of the fund's
    committee (not the meeting's chair, not coaches), and anyone already chosen."""
    members = Q(groups__name__in=[Role.COMMITTEE_MEMBER, Role.COMMITTEE_CHAIR])
    coaches = User.objects.filter(groups__name=Role.COACH)
    attending = (
        User.objects.filter(attended_meetings=meeting, fund_committees=meeting.fund_id)
        .filter(members)
        .exclude(pk=meeting.chair_id)
        .exclude(pk__in=coaches)
    )
    return (
        User.objects.filter(Q(pk__in=attending) | Q(checked_meetings=meeting))
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


# --- the decision register, its exports and the open-data API (register) ----------------

REGISTER_ORDER = ("-decided_at", "-pk")


def decision_register(
    *,
    text: str = "",
    fund: Fund | None = None,
    year: int | None = None,
    kind: str = "",
    authority: str = "",
    status: str = "",
) -> QuerySet:
    """Every decision, newest first, searched and filtered for the staff register and its
    export. `authority` is "delegated" or "committee"; `status` "in_force" or "superseded"."""
    decisions = Decision.objects.all()
    if fund is not None:
        decisions = decisions.filter(fund=fund)
    if year:
        decisions = decisions.filter(year=year)
    if kind:
        decisions = decisions.filter(kind=kind)
    if authority:
        decisions = decisions.filter(delegated=authority == "delegated")
    if status == "in_force":
        decisions = decisions.in_force()
    elif status == "superseded":
        decisions = decisions.filter(superseded_by__isnull=False)
    decisions = decisions_matching(decisions, text)
    return decisions.select_related(
        "fund", "application__idea", "decided_by", "meeting", "supersedes", "superseded_by"
    ).order_by(*REGISTER_ORDER)


def decisions_matching(decisions: QuerySet, text: str) -> QuerySet:
    """Decisions whose registration number, idea title or rationale contains `text`
    (the register's search, for staff and on the public site)."""
    text = text.strip()
    if not text:
        return decisions
    return decisions.filter(
        Q(registration_number__icontains=text)
        | Q(application__idea__title__icontains=text)
        | Q(rationale__icontains=text)
    )


def decision_years() -> list[int]:
    """The years that have decisions, newest first (for the register's filter)."""
    return list(Decision.objects.order_by("-year").values_list("year", flat=True).distinct())


def decision_for_page(*, pk: int) -> Decision:
    """One decision with everything its page shows, in one query."""
    return Decision.objects.select_related(
        "fund",
        "application__idea",
        "decided_by",
        "meeting",
        "supersedes",
        "superseded_by",
    ).get(pk=pk)


#: What the open-data register publishes of a decision; never who recorded it.
PUBLIC_DECISION_FIELDS = (
    "log_index",
    "registration_number",
    "decided_at",
    "kind",
    "amount",
    "amount_requested",
    "rationale",
    "conditions",
    "delegated",
)


def public_decisions(*, fund: str = "", year: int | None = None, kind: str = "") -> QuerySet:
    """Every decision as the public record states it, newest first: the fund's name, the
    idea's title and the numbers of the decisions it supersedes or is superseded by, all
    in the same single query. No user is loaded, so no personal data can leak."""
    return with_public_facts(matching_decisions(fund=fund, year=year, kind=kind))


def matching_decisions(*, fund: str = "", year: int | None = None, kind: str = "") -> QuerySet:
    """The decisions of a fund (by name), a year and a kind, newest first, and nothing
    joined to them: what a page of the register counts (PostgreSQL joins every table a
    query names, also to count, and the idea table grows with every idea)."""
    decisions = Decision.objects.all()
    if fund:
        decisions = decisions.filter(fund__name__iexact=fund.strip())
    if year:
        decisions = decisions.filter(year=year)
    if kind:
        decisions = decisions.filter(kind=kind)
    return decisions.order_by(*REGISTER_ORDER)


def with_public_facts(decisions: QuerySet) -> QuerySet:
    """`decisions` with what the public record states of each (`public_decisions`)."""
    return decisions.only(*PUBLIC_DECISION_FIELDS).annotate(
        fund_name=F("fund__name"),
        idea_title=F("application__idea__title"),
        supersedes_number=F("supersedes__registration_number"),
        superseded_by_number=F("superseded_by__registration_number"),
        meeting_date=F("meeting__date"),
        minutes_posted_on=F("meeting__posted_on"),
    )


def cost_ledger(*, fund: Fund | None = None) -> QuerySet:
    """Every recorded cost next to its grant: the grant's number and amount (the granting
    decision in force), and what was spent of it up to and including this cost, computed
    by the database (a window sum) so an export runs one query however long it is."""
    grant = (
        Decision.objects.in_force()
        .filter(application=OuterRef("application"), kind__in=GRANTING_KINDS)
        .order_by("-pk")
    )
    costs = Cost.objects.all()
    if fund is not None:
        costs = costs.filter(application__fund=fund)
    return (
        costs.select_related("application__fund", "application__idea")
        .annotate(
            grant_number=Subquery(grant.values("registration_number")[:1]),
            granted=Coalesce(
                Subquery(grant.values("amount")[:1]), 0, output_field=BigIntegerField()
            ),
            spent_to_date=Window(
                Sum("amount"),
                partition_by=[F("application")],
                order_by=[F("date").asc(), F("pk").asc()],
            ),
        )
        .order_by("application__fund__name", "application__fund", "application", "date", "pk")
    )


# --- the dashboard, fund pages and follow-up of grants --------------------------------------

UNDER_REVIEW = (ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW)
#: A grant whose test plan ended more than this many days ago with no cost recorded is overdue.
FOLLOW_UP_GRACE_DAYS = 14
SHORTLIST_SIZE = 10
#: States of funded ideas the chart always shows (others only when they hold money).
CHARTED_IDEA_STATES = (
    IdeaState.PLANNING,
    IdeaState.TESTING,
    IdeaState.TESTED,
    IdeaState.SCALED,
    IdeaState.LEARNED,
)


def _sum_of(queryset: QuerySet, *, per: str, field: str = "amount"):
    """A correlated subquery: the sum of `field` over the rows of one `per`, 0 if none."""
    totals = queryset.order_by().values(per).annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(totals), 0, output_field=BigIntegerField())


def _grants_in_force() -> QuerySet[Decision]:
    return Decision.objects.in_force().filter(kind__in=GRANTING_KINDS)


def funds_with_balances(*, funds: QuerySet[Fund] | None = None) -> list[Fund]:
    """Funds, open ones first, each with `.balance` (a `money.FundBalance`), in two queries
    or one.

    The same sums as `money.fund_balance`, computed for every fund at once and kept
    until a row under them changes (`figures`).
    """
    funds = Fund.objects.all() if funds is None else funds
    result = list(funds.order_by("-is_open", "-start_date", "name", "pk"))
    totals = figures.remembered("fund-balances", _fund_totals)
    if any(fund.pk not in totals for fund in result):
        # A fund written without a signal (bulk_create): count them all afresh, once.
        totals = _fund_totals()
    for fund in result:
        granted, returned, spent = totals[fund.pk]
        fund.balance = FundBalance(
            capital=fund.capital, granted=granted, returned=returned, spent=spent
        )
    return result


def _fund_totals() -> dict[int, tuple[int, int, int]]:
    """Granted, returned and spent of every fund, in one query."""
    funds = Fund.objects.annotate(
        granted_total=_sum_of(_grants_in_force().filter(fund=OuterRef("pk")), per="fund"),
        returned_total=_sum_of(MoneyReturn.objects.filter(fund=OuterRef("pk")), per="fund"),
        spent_total=_sum_of(
            Cost.objects.filter(application__fund=OuterRef("pk")), per="application__fund"
        ),
    )
    rows = funds.values_list("pk", "granted_total", "returned_total", "spent_total")
    return {pk: (granted, returned, spent) for pk, granted, returned, spent in rows}


def _fund_key(fund: Fund | None) -> str:
    return "all" if fund is None else str(fund.pk)


@dataclass(frozen=True)
class Shortlist:
    """The first few rows of a list and how many there are in all."""

    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def shortlist(queryset: QuerySet, *, size: int = SHORTLIST_SIZE) -> Shortlist:
    """Two queries whatever the list's length: the first `size` rows and the count."""
    return Shortlist(items=list(queryset[:size]), total=queryset.count())


def _waiting(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related("idea", "fund").order_by("submitted_at", "pk")


def _not_on_team(applications: QuerySet[Application], user: User) -> QuerySet[Application]:
    return (
        applications.exclude(applicant=user).exclude(idea__owner=user).exclude(idea__co_owners=user)
    )


def applications_to_declare(*, user: User) -> QuerySet[Application]:
    """Applications under review to funds on whose committee `user` sits, that do not concern
    them personally (those disqualify them without asking) and that they have not yet
    answered the conflict of interest question on."""
    applications = Application.objects.filter(
        state__in=UNDER_REVIEW, fund__committee_members=user
    ).exclude(declarations__member=user)
    return _waiting(_not_on_team(applications, user))


def applications_to_score(*, user: User) -> QuerySet[Application]:
    """Applications under review that `user` has declared no conflict on but not yet scored."""
    applications = Application.objects.filter(
        state__in=UNDER_REVIEW,
        fund__committee_members=user,
        declarations__member=user,
        declarations__has_conflict=False,
    ).exclude(reviews__member=user)
    return _waiting(_not_on_team(applications, user))


def applications_to_decide_delegated(*, user: User) -> QuerySet[Application]:
    """Applications under review at or under their fund's delegated limit that `user`, a
    coach, may decide alone (`fund.decide_delegated`): not on the idea's team and not
    recused. Under review, not only submitted: the first score or an agenda takes an
    application up, and the coach may still decide it, so it must not drop off the list."""
    recused = ConflictDeclaration.objects.filter(
        application=OuterRef("pk"), member=user, has_conflict=True
    )
    applications = Application.objects.filter(
        state__in=UNDER_REVIEW, total__lte=F("fund__delegated_limit")
    ).exclude(Exists(recused))
    return _waiting(_not_on_team(applications, user))


def applications_to_take_up(*, user: User) -> QuerySet[Application]:
    """Submitted applications over their fund's delegated limit, not on `user`'s team: the
    committee decides them, and a coach (or the chair) takes them up for review
    (`fund.take_up_application`) and puts them on a meeting's agenda. With
    `applications_to_decide_delegated`, every submitted application waits somewhere."""
    applications = Application.objects.filter(
        state=ApplicationState.SUBMITTED, total__gt=F("fund__delegated_limit")
    )
    return _waiting(_not_on_team(applications, user))


def upcoming_meetings(*, fund: Fund | None = None, today: datetime.date | None = None):
    """Meetings not yet closed, from today on, soonest first."""
    today = today or timezone.localdate()
    return meeting_list(fund=fund).filter(date__gte=today)


def application_counts_by_state(*, fund: Fund) -> list[tuple[str, str, int]]:
    """(state, label, count) for every state but draft (drafts are the applicants' own)."""
    counts = dict(
        fund.applications.exclude(state=ApplicationState.DRAFT)
        .order_by()
        .values_list("state")
        .annotate(count=Count("pk"))
    )
    return [
        (state.value, state.label, counts.get(state.value, 0))
        for state in ApplicationState
        if state != ApplicationState.DRAFT
    ]


def _granted_budget_lines(*, fund: Fund | None = None) -> QuerySet[BudgetLine]:
    """The budget lines of each application with a grant in force, annotated with the
    grant's `grant_year` and the line's `share` of it: the line scaled by granted ÷
    applied for, so an application approved with a lower amount counts with what it got."""
    grant = _grants_in_force().filter(application=OuterRef("application")).order_by("-pk")
    lines = BudgetLine.objects.annotate(
        grant=Subquery(grant.values("amount")[:1]),
        grant_year=Subquery(grant.values("year")[:1]),
    ).filter(grant__isnull=False)
    if fund is not None:
        lines = lines.filter(application__fund=fund)
    return lines.annotate(
        share=ExpressionWrapper(
            Cast("amount", FloatField()) * F("grant") / NullIf(F("application__total"), 0),
            output_field=FloatField(),
        )
    )


def granted_by_category(*, fund: Fund | None = None) -> list[tuple[str, int]]:
    """Money granted per budget category, every category in its order, in one query.

    The budget lines of each application with a grant in force are scaled by
    granted ÷ applied for, so an application approved with a lower amount counts
    with what it got; each category's sum is rounded to whole kronor.
    """

    def compute() -> dict[str, float]:
        lines = _granted_budget_lines(fund=fund)
        return dict(lines.order_by().values_list("category").annotate(total=Sum("share")))

    totals = figures.remembered("granted-by-category", compute, _fund_key(fund))
    return [(category.label, round(totals.get(category.value) or 0)) for category in BudgetCategory]


def granted_by_year_and_category(*, fund: Fund | None = None) -> dict[int, list[tuple[str, int]]]:
    """`granted_by_category` per year of the granting decision, newest year first, in one
    query: {year: [(category label, kronor), …every category in its order]}."""
    lines = _granted_budget_lines(fund=fund)
    totals: dict[int, dict[str, float]] = {}
    for year, category, total in (
        lines.order_by().values_list("grant_year", "category").annotate(total=Sum("share"))
    ):
        totals.setdefault(year, {})[category] = total or 0
    return {
        year: [
            (category.label, round(totals[year].get(category.value, 0)))
            for category in BudgetCategory
        ]
        for year in sorted(totals, reverse=True)
    }


def granted_by_idea_state(*, fund: Fund | None = None) -> list[tuple[str, int]]:
    """Money granted (decisions in force) by the state the funded idea is in now, in one query."""

    def compute() -> dict[str, int]:
        grants = _grants_in_force()
        if fund is not None:
            grants = grants.filter(fund=fund)
        states = grants.order_by().values_list("application__idea__state")
        return dict(states.annotate(total=Sum("amount")))

    totals = figures.remembered("granted-by-idea-state", compute, _fund_key(fund))
    return [
        (state.label, totals.get(state.value, 0))
        for state in IdeaState
        if state in CHARTED_IDEA_STATES or totals.get(state.value)
    ]


def follow_up(
    *, today: datetime.date | None = None, overdue_only: bool = False
) -> QuerySet[Decision]:
    """Every grant in force with what is left of it (`money.grant_balance_annotations`:
    read a row with `GrantBalance.of`), overdue ones first.

    A grant is overdue (`costs_overdue`, `return_overdue`) unless its unspent money
    has been returned, when
    - its idea's test plan ended more than FOLLOW_UP_GRACE_DAYS ago and no cost has
      been recorded, or
    - its idea has reached a final state and money is left of the grant (nothing left,
      or overspent: there is nothing to return, so no one is asked to).
    """
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=FOLLOW_UP_GRACE_DAYS)
    costs = Cost.objects.filter(application=OuterRef("application"))
    still_out = Q(is_returned=False)
    costs_overdue = still_out & Q(test_ended_long_ago=True, has_costs=False)
    return_overdue = still_out & Q(application__idea__state__in=FINAL_STATES, grant_left__gt=0)
    grants = (
        _grants_in_force()
        .select_related("fund", "application__idea__test_plan")
        .annotate(
            **money.grant_balance_annotations(application="application"),
            has_costs=Exists(costs),
            is_returned=Exists(MoneyReturn.objects.filter(application=OuterRef("application"))),
            test_ended_long_ago=Exists(
                TestPlan.objects.filter(idea=OuterRef("application__idea"), end_date__lt=cutoff)
            ),
        )
        .annotate(
            costs_overdue=Case(When(costs_overdue, then=True), default=False),
            return_overdue=Case(When(return_overdue, then=True), default=False),
            overdue=Case(When(costs_overdue | return_overdue, then=True), default=False),
        )
    )
    if overdue_only:
        grants = grants.filter(overdue=True)
    return grants.order_by("-overdue", "decided_at", "pk")


def overdue_follow_up_count(*, today: datetime.date | None = None) -> int:
    """How many grants are overdue for follow-up (one query, or none while the figures
    and the date are unchanged: `figures`)."""
    today = today or timezone.localdate()
    return figures.remembered(
        "overdue", lambda: follow_up(today=today, overdue_only=True).count(), today
    )


# --- applications: the applicant's pages, the review pages and the queue ------------------


def application_for_page(*, pk: int) -> Application:
    """One application with everything its page and the review pages show and check:
    the idea and its team (for the applicant rule), the budget, every decision, the
    costs, returned money and what is left of the grant (`GrantBalance.of`), the
    declarations (recusals) and the reviews with their scores."""
    return (
        Application.objects.select_related(
            "fund", "idea__owner", "applicant", "money_return__returned_by"
        )
        .annotate(**money.grant_balance_annotations())
        .prefetch_related(
            "idea__co_owners",
            "budget_lines",
            "fund__criteria",
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("decided_by", "meeting").order_by(
                    "decided_at", "pk"
                ),
            ),
            Prefetch(
                "costs",
                queryset=Cost.objects.select_related("recorded_by").order_by("date", "pk"),
            ),
            Prefetch(
                "declarations",
                queryset=ConflictDeclaration.objects.select_related("member").order_by(
                    "member__last_name", "member__first_name", "pk"
                ),
            ),
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("member")
                .prefetch_related("scores")
                .order_by("member__last_name", "member__first_name", "pk"),
            ),
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    label: str
    amount: int


def budget_by_category(lines) -> list[CategoryTotal]:
    """The budget's total per category, in the categories' order (only those used)."""
    totals: dict[str, int] = {}
    for line in lines:
        totals[line.category] = totals.get(line.category, 0) + line.amount
    return [
        CategoryTotal(category=value, label=str(label), amount=totals[value])
        for value, label in BudgetCategory.choices
        if value in totals
    ]


@dataclass(frozen=True)
class SpreadRow:
    member: User
    scores: list
    comment: str


@dataclass(frozen=True)
class ScoreSpread:
    """Each member's score per criterion, and the mean per criterion."""

    criteria: list[Criterion]
    rows: list[SpreadRow]
    means: list

    def __bool__(self) -> bool:
        return bool(self.rows)


def score_spread(application: Application) -> ScoreSpread:
    """The committee's scores of one application (uses `application_for_page`'s prefetch).

    Show it only to people with `fund.see_scores` on the application."""
    criteria = list(application.fund.criteria.all())
    rows = []
    for review in application.reviews.all():
        # A member who has since corrected their answer to a conflict no longer counts.
        if disqualification_of(review.member, application) is not None:
            continue
        values = {score.criterion_id: score.value for score in review.scores.all()}
        rows.append(
            SpreadRow(
                member=review.member,
                scores=[values.get(criterion.pk) for criterion in criteria],
                comment=review.comment,
            )
        )
    means = []
    for index in range(len(criteria)):
        given = [row.scores[index] for row in rows if row.scores[index] is not None]
        means.append(sum(given) / len(given) if given else None)
    return ScoreSpread(criteria=criteria, rows=rows, means=means)


def _application_rows(applications: QuerySet[Application], *, user: User) -> QuerySet:
    """List rows: fund, idea and applicant, the decision in force, and what `user` has
    done on each (declared, recused, scored) as annotations, not queries per row."""
    my_declaration = ConflictDeclaration.objects.filter(application=OuterRef("pk"), member=user)
    return (
        applications.select_related("fund", "idea", "applicant")
        .annotate(
            i_declared=Exists(my_declaration),
            i_am_recused=Exists(my_declaration.filter(has_conflict=True)),
            i_am_concerned=ExpressionWrapper(
                Q(applicant=user)
                | Q(idea__owner=user)
                | Q(
                    Exists(
                        Idea.co_owners.through.objects.filter(
                            idea_id=OuterRef("idea_id"), user_id=user.pk
                        )
                    )
                ),
                output_field=BooleanField(),
            ),
            i_reviewed=Exists(Review.objects.filter(application=OuterRef("pk"), member=user)),
        )
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.in_force().order_by("-pk"),
                to_attr="decisions_in_force",
            )
        )
    )


def _filtered(applications: QuerySet[Application], *, fund=None, state: str = "") -> QuerySet:
    if fund is not None:
        applications = applications.filter(fund=fund)
    if state:
        applications = applications.filter(state=state)
    return applications


def _of_team_ideas(user: User) -> IsAnyOf:
    return IsAnyOf(F("idea_id"), Subquery(Idea.objects.team_ids(user)))


def applications_of_applicant(*, user: User, fund=None, state: str = "") -> QuerySet:
    """“My applications”: those `user` made and those for ideas on whose team they are."""
    applications = Application.objects.filter(Q(applicant=user) | _of_team_ideas(user))
    applications = _filtered(applications, fund=fund, state=state)
    return _application_rows(applications, user=user).order_by("-created_at", "-pk")


def application_queue(*, user: User, fund=None, state: str = "") -> QuerySet:
    """The fund's applications for coaches and the committee (drafts stay with the
    applicant), newest submitted first."""
    applications = Application.objects.exclude(state=ApplicationState.DRAFT)
    applications = _filtered(applications, fund=fund, state=state)
    return _application_rows(applications, user=user).order_by("-submitted_at", "-pk")


#: An idea has at most one application in progress per fund (see `application_create`).
IN_PROGRESS = [ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW]


def applications_in_progress(*, idea: Idea) -> QuerySet[Application]:
    return idea.applications.filter(state__in=IN_PROGRESS).select_related("fund")


def funds_open_for_idea(*, idea: Idea, today: datetime.date | None = None) -> QuerySet[Fund]:
    """Funds the idea can apply to now: open, with no application of the idea in
    progress; those whose period covers `today` first (annotated `is_current`)."""
    today = today or timezone.localdate()
    current = Q(start_date__lte=today, end_date__gte=today)
    return (
        Fund.objects.filter(is_open=True)
        .exclude(pk__in=applications_in_progress(idea=idea).values("fund"))
        .annotate(is_current=Case(When(current, then=True), default=False))
        .order_by("-is_current", "-start_date", "name")
    )


def idea_applications_prefetch() -> Prefetch:
    """For an idea's page: its applications to the fund with their decisions in force
    and what is left of each grant (`GrantBalance.of`)."""
    in_force = Decision.objects.in_force().order_by("pk")
    return Prefetch(
        "applications",
        queryset=Application.objects.select_related("fund")
        .annotate(**money.grant_balance_annotations())
        .prefetch_related(Prefetch("decisions", queryset=in_force, to_attr="decisions_in_force"))
        .order_by("-created_at", "-pk"),
    )


# --- "My work": what waits for one person (workflows/start) ------------------------------
# Unsliced, ordered querysets shaped for their rows; the start page takes the first few
# rows and the count in one query.

#: What the team can still change and submit.
EDITABLE = (ApplicationState.DRAFT, ApplicationState.RETURNED)


def team_applications(*, user: User, states=()) -> QuerySet[Application]:
    """Applications `user` made or that belong to an idea on whose team they are, in
    `states` (all when empty), most recently moved first."""
    applications = Application.objects.filter(Q(applicant=user) | _of_team_ideas(user))
    if states:
        applications = applications.filter(state__in=list(states))
    return applications.select_related("idea", "fund").order_by("-state_changed_at", "-pk")


def agenda_ahead(*, user: User, today: datetime.date | None = None) -> QuerySet[AgendaItem]:
    """Undecided applications on the agenda of the coming (planned or open) meetings of the
    funds on whose committee `user` sits, soonest meeting first, in agenda order. Items
    that concern `user` personally are left out: they take no part in them."""
    today = today or timezone.localdate()
    items = AgendaItem.objects.filter(
        meeting__state__in=[MeetingState.PLANNED, MeetingState.OPEN],
        meeting__date__gte=today,
        meeting__fund__committee_members=user,
        application__state__in=UNDER_REVIEW,
    )
    items = (
        items.exclude(application__applicant=user)
        .exclude(application__idea__owner=user)
        .exclude(application__idea__co_owners=user)
    )
    return items.select_related("meeting", "application__idea").order_by(
        "meeting__date", "meeting__number", "position", "pk"
    )


def minutes_to_sign(*, user: User) -> QuerySet[Meeting]:
    """Closed meetings whose minutes `user` checks (as the chair or a minute checker,
    `fund.sign_minutes`) and has not signed yet, oldest first."""
    checking = Meeting.minute_checkers.through.objects.filter(user=user).values("meeting_id")
    return (
        Meeting.objects.filter(state=MeetingState.CLOSED)
        .filter(Q(chair=user) | Q(pk__in=checking))
        .exclude(signatures__signer=user)
        .select_related("fund")
        .order_by("date", "number", "pk")
    )


def meetings_to_chair(*, user: User) -> QuerySet[Meeting]:
    """The meetings `user` chairs that wait for them (`fund.chair_meeting`): planned ones to
    open on their day, open ones to close, checked minutes to post. Soonest first, each
    with its number of agenda items (`agenda_count`)."""
    waiting = [MeetingState.PLANNED, MeetingState.OPEN, MeetingState.CHECKED]
    return (
        Meeting.objects.filter(chair=user, state__in=waiting)
        .select_related("fund")
        .annotate(agenda_count=Count("agenda", distinct=True))
        .order_by("date", "number", "pk")
    )
