"""`seed_demo` gives the innovation fund a believable year, written through the real services."""

import datetime
from collections import Counter
from io import StringIO
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from django_fsm_log.models import StateLog

from ideasluss.demo.data import load
from ideasluss.fund import money
from ideasluss.fund.models import (
    Application,
    ApplicationState,
    BudgetCategory,
    BudgetLine,
    ConflictDeclaration,
    Cost,
    Decision,
    DecisionKind,
    DeclarationEntry,
    Fund,
    Meeting,
    MeetingState,
    MoneyReturn,
    Review,
    Score,
)
from ideasluss.fund.participation import concern_of
from ideasluss.ideas.models import Idea, IdeaState

pytestmark = pytest.mark.django_db

IDEAS = load("ideas")["idea"]
CRITERIA = load("fund")["fund"]["criteria"]
STORY_GRANTS = {spec["title"] for spec in IDEAS if "grant" in spec}
STARTED = {IdeaState.TESTING, IdeaState.TESTED, IdeaState.SCALED, IdeaState.LEARNED}


@pytest.fixture
def fund():
    call_command("seed_demo", verbosity=0)
    return Fund.objects.get(name=f"Innovationsfonden {timezone.localdate().year}")


def snapshot() -> dict:
    models = [
        Fund,
        Application,
        BudgetLine,
        ConflictDeclaration,
        Review,
        Score,
        Meeting,
        Decision,
        Cost,
        MoneyReturn,
        StateLog,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["meeting states"] = sorted(Meeting.objects.values_list("number", "state"))
    counts["application states"] = sorted(Application.objects.values_list("pk", "state"))
    return counts


def test_seeding_twice_adds_nothing_and_the_chain_verifies(fund):
    before = snapshot()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert snapshot() == before
    assert "0 fund applications added" in out.getvalue()

    out = StringIO()
    call_command("verify_decisions", stdout=out)  # raises CommandError when broken
    assert f"All {before['Decision']} decisions verified." in out.getvalue()


def test_the_fund_is_this_years_with_the_agreed_figures(fund):
    year = timezone.localdate().year
    assert (fund.capital, fund.delegated_limit) == (12_000_000, 50_000)
    assert fund.registration_prefix == "IF"
    assert (fund.start_date, fund.end_date) == (
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
    )
    assert fund.is_open
    assert list(fund.criteria.values_list("name", flat=True)) == list(CRITERIA)


def test_applications_in_every_state_for_ideas_at_every_stage(fund):
    assert set(fund.applications.values_list("state", flat=True)) == set(ApplicationState.values)
    # The grants behind the stories' tests may lie in last year's fund.
    applications = Application.objects.select_related("idea").prefetch_related("budget_lines")
    assert {a.idea.state for a in applications} >= {IdeaState.PLANNING} | STARTED
    categories = Counter()
    for application in applications:
        lines = list(application.budget_lines.all())
        assert lines, application
        assert application.total == sum(line.amount for line in lines), application
        assert application.motivation and application.applicant == application.idea.owner
        for line in lines:
            categories[line.category] += 1
            if line.category == BudgetCategory.SUBSTITUTE_STAFF:
                assert line.amount == line.hours * line.hourly_rate > 0, line
                assert 250 <= line.hourly_rate <= 450, "a believable hourly cost"
    assert set(categories) == set(BudgetCategory.values)
    assert fund.applications.filter(state=ApplicationState.DRAFT).get().expected_effect == ""


def test_every_test_that_needed_money_started_with_a_grant(fund):
    needing = [spec["title"] for spec in IDEAS if spec.get("needs_money") is not None]
    started = Idea.objects.filter(title__in=needing, state__in=STARTED)
    assert started.count() == 12
    assert set(started.values_list("title", flat=True)) <= set(STORY_GRANTS)
    for idea in started:
        assert not idea.no_money_needed
        application = Application.objects.filter(idea=idea).order_by("pk").first()
        assert application.total == idea.needs_money, "the budget adds up to what the idea said"
        grant = money.grant_of(application)
        assert grant is not None, idea
        start = StateLog.objects.for_(idea).get(transition="start_test").timestamp
        accepted = StateLog.objects.for_(idea).get(transition="accept").timestamp
        assert accepted < grant.application.submitted_at < grant.decided_at < start, idea
    # Ideas whose test needs no money were never asked to apply.
    assert not Application.objects.filter(
        idea__no_money_needed=True, idea__state__in=STARTED
    ).exists()


def test_a_member_is_recused_and_kept_out(fund):
    recusal = ConflictDeclaration.objects.get(
        application__fund=fund, member__username="eva", reason__icontains="sambo"
    )
    application = recusal.application
    assert not Review.objects.filter(application=application, member=recusal.member).exists()
    decision = Decision.objects.get(application=application)
    assert decision.recused == ["Eva Sandberg"]
    assert "Eva Sandberg" not in decision.attendees
    # eva first answered "no conflict", then corrected it: both answers are kept.
    answers = DeclarationEntry.objects.filter(application=application, member=recusal.member)
    assert [(a.has_conflict, a.is_correction) for a in answers] == [(False, False), (True, True)]
    # Whoever an application concerns is disqualified without declaring.
    for declaration in ConflictDeclaration.objects.filter(application__fund=fund):
        assert concern_of(declaration.member, declaration.application) is None, declaration


def test_a_co_owner_on_the_committee_is_disqualified_without_declaring(fund):
    applications = Application.objects.filter(fund=fund, idea__title="Videosamtal med anhöriga")
    decided = [a for a in applications if a.decisions.filter(meeting__isnull=False).exists()]
    assert decided
    for application in decided:
        dan = application.idea.co_owners.get(username="dan")
        assert not application.declarations.filter(member=dan).exists()
        assert not application.reviews.filter(member=dan).exists()
        for decision in application.decisions.filter(meeting__isnull=False):
            assert dan.full_name in decision.recused
            assert dan.full_name not in decision.attendees


def test_a_held_meeting_with_decisions_and_a_planned_one(fund):
    held = Meeting.objects.filter(fund=fund, state=MeetingState.POSTED).order_by("-date").first()
    assert held.chair.username == "fia"
    assert held.opened_at < held.closed_at < held.checked_at < timezone.now()
    assert timezone.localdate(held.opened_at) == held.date
    assert list(held.minute_checkers.values_list("username", flat=True)) == ["dan"]
    signers = [s.signer.username for s in held.signatures.order_by("signed_at")]
    assert signers == ["fia", "dan"]
    assert held.date < held.posted_on <= timezone.localdate()
    assert held.appeal_deadline == held.posted_on + datetime.timedelta(weeks=3)
    assert set(held.attendees.values_list("username", flat=True)) == {"cia", "dan", "eva", "fia"}
    kinds = set(held.decisions.values_list("kind", flat=True))
    assert kinds == {DecisionKind.APPROVE_LOWER, DecisionKind.REJECT, DecisionKind.RETURN}
    for application in held.agenda.all():
        members = {d.member.username for d in application.declarations.all()}
        concerned = {m.username for m in fund.committee_members.all() if concern_of(m, application)}
        assert members == {"dan", "eva", "fia"} - concerned, "the others declared in time"
        reviewers = set(application.reviews.values_list("member__username", flat=True))
        recused = set(
            application.declarations.filter(has_conflict=True).values_list(
                "member__username", flat=True
            )
        )
        assert reviewers == members - recused
    reviewers = set(Review.objects.filter(application__fund=fund).values_list("member__username"))
    assert reviewers == {("dan",), ("eva",), ("fia",)}
    for review in Review.objects.filter(application__fund=fund):
        assert review.scores.count() == len(CRITERIA)

    planned = Meeting.objects.get(fund=fund, state=MeetingState.PLANNED)
    assert planned.date > timezone.localdate()
    assert planned.agenda.get().state == ApplicationState.IN_REVIEW


def test_delegated_decisions_stay_under_the_limit_and_one_is_corrected(fund):
    delegated = Decision.objects.filter(delegated=True)
    assert delegated.count() >= 10
    for decision in delegated:
        assert decision.decided_by.username == "cia"
        assert max(decision.amount, decision.amount_requested) <= decision.fund.delegated_limit
    for decision in Decision.objects.filter(delegated=False):
        assert decision.meeting.chair == decision.decided_by
    superseded = Decision.objects.get(fund=fund, superseded_by__isnull=False)
    correction = superseded.superseded_by
    assert correction.rationale.startswith("Rättelse")
    assert correction.amount < superseded.amount
    assert money.grant_of(superseded.application) == correction


def test_numbers_run_in_date_order_within_each_funds_year(fund):
    assert_numbered_in_date_order_within_the_year()
    assert set(Decision.objects.values_list("kind", flat=True)) == set(DecisionKind.values)


def assert_numbered_in_date_order_within_the_year():
    for each in Fund.objects.all():
        decisions = list(Decision.objects.filter(fund=each).order_by("pk"))
        assert [d.sequence for d in decisions] == list(range(1, len(decisions) + 1))
        moments = [d.decided_at for d in decisions]
        assert moments == sorted(moments), each
        assert all(each.start_date <= timezone.localdate(m) <= each.end_date for m in moments)
        assert all(m < timezone.now() for m in moments)


def test_costs_a_returned_balance_and_the_money_invariant(fund):
    for each in Fund.objects.all():
        balance = money.fund_balance(each)
        assert 0 <= balance.committed <= balance.capital
        spent = Cost.objects.filter(application__fund=each).aggregate(s=Sum("amount"))["s"]
        assert balance.spent == (spent or 0)
    assert money.fund_balance(fund).committed > 0
    costed = Application.objects.filter(costs__isnull=False).distinct()
    assert costed.count() >= 10
    for application in costed:
        grant = money.grant_of(application)
        assert grant is not None, application
        assert money.grant_balance(application).spent <= grant.amount, application
        start = timezone.localdate(grant.decided_at)
        assert all(start <= cost.date < timezone.localdate() for cost in application.costs.all())

    returned = MoneyReturn.objects.get()
    application = returned.application
    assert application.idea.is_final
    balance = money.grant_balance(application)
    assert returned.amount == balance.granted - balance.spent
    assert balance.left == 0
    assert returned.amount > 0 and returned.returned_by.username == "cia"


def test_application_timelines_are_dated_in_the_story():
    call_command("seed_demo", verbosity=0)
    logs = StateLog.objects.filter(content_type=ContentType.objects.get_for_model(Application))
    assert logs.count() > 30
    today = timezone.now() - datetime.timedelta(hours=12)
    assert all(entry.timestamp < today for entry in logs), "no entry dated at seeding time"
    for application in Application.objects.exclude(state=ApplicationState.DRAFT):
        last = StateLog.objects.for_(application).order_by("-timestamp").first()
        assert last.timestamp == application.state_changed_at, application


@pytest.mark.parametrize(
    "today",
    [
        datetime.datetime(2027, 1, 1, 0, 30),  # the year has just begun
        datetime.datetime(2027, 1, 10, 10, 0),  # this autumn's weeks straddle New Year
        datetime.datetime(2027, 6, 15, 10, 0),  # the stories began last year
    ],
)
def test_the_demo_holds_together_on_any_day_of_the_year(today):
    """Stories' grants come from the fund of the year they were decided in; the last weeks'
    applications go to this year's fund, squeezed into the days since New Year if need be."""
    now = timezone.make_aware(today)
    with mock.patch("django.utils.timezone.now", return_value=now):
        call_command("seed_demo", verbosity=0)
        call_command("verify_decisions", verbosity=0, stdout=StringIO())
        this_year = Fund.objects.get(name="Innovationsfonden 2027")
        states = set(this_year.applications.values_list("state", flat=True))
        assert states == set(ApplicationState.values)
        held = this_year.meetings.get(state=MeetingState.POSTED)
        assert datetime.date(2027, 1, 1) <= held.date <= today.date()
        assert this_year.meetings.get(state=MeetingState.PLANNED).date > today.date()
        assert_numbered_in_date_order_within_the_year()
        for idea in Idea.objects.filter(state__in=STARTED, no_money_needed=False):
            grant = money.grant_of(Application.objects.filter(idea=idea).order_by("pk").first())
            start = StateLog.objects.for_(idea).get(transition="start_test").timestamp
            assert grant.decided_at < start, idea
        before = snapshot()
        call_command("seed_demo", verbosity=0)
        assert snapshot() == before
