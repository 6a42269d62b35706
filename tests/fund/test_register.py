"""The decision register for staff, one decision's page, and corrections (supersede)."""

import pytest
from django.urls import reverse

from ideasluss.accounts.roles import Role
from ideasluss.errors import ConcurrentChange
from ideasluss.fund.models import ApplicationState, Decision, DecisionKind
from tests.factories import FundFactory, IdeaFactory, UserFactory
from workflows.fund.services import decision_record
from workflows.fund.views import decisions as decisions_views
from workflows.transitions import transition_perform

from .conftest import bulk_decisions
from .decision_helpers import committee_decision, count_queries, delegated_decision

REGISTER = reverse("fund:register")


def register_numbers(response) -> list[str]:
    return [decision.registration_number for decision in response.context["decisions"]]


# --- who may see ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        REGISTER,
        reverse("fund:decision-detail", args=[1]),
        reverse("fund:decision-supersede", args=[1]),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_someone_without_a_role_is_refused(client, db):
    client.force_login(UserFactory(roles=[]))
    assert client.get(REGISTER).status_code == 403


def test_staff_see_the_register_newest_first(client, fund, coach, staff):
    first = delegated_decision(fund=fund, coach=coach)
    second = delegated_decision(fund=fund, coach=coach, kind=DecisionKind.REJECT)
    client.force_login(staff)
    response = client.get(REGISTER)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Beslutsregister" in page
    assert register_numbers(response) == [second.registration_number, first.registration_number]
    assert "Avslag" in page or "Avslagen" in page or "Avslaget" in page
    # Plain staff may export decisions but not costs.
    assert reverse("fund:decision-export", args=["xlsx"]) in page
    assert reverse("fund:cost-export", args=["xlsx"]) not in page


# --- search and filters ----------------------------------------------------------------


@pytest.fixture
def varied(fund, coach, chair, members):
    other_fund = FundFactory(name="Klimatfonden", capital=500_000, delegated_limit=50_000)
    return {
        "approved": delegated_decision(
            fund=fund, coach=coach, idea=IdeaFactory(title="Digitala lås", state="planning")
        ),
        "rejected": delegated_decision(fund=fund, coach=coach, kind=DecisionKind.REJECT),
        "other_fund": delegated_decision(fund=other_fund, coach=coach),
        "committee": committee_decision(fund=fund, chair=chair, members=members)[0],
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"fund": "other"}, ["other_fund"]),
        ({"kind": "reject"}, ["rejected"]),
        ({"authority": "committee"}, ["committee"]),
        ({"authority": "delegated"}, ["other_fund", "rejected", "approved"]),
        ({"q": "digitala"}, ["approved"]),
        ({"q": "invånarna"}, ["committee"]),
        ({"status": "superseded"}, []),
        (
            {"status": "in_force", "kind": "approve", "authority": "delegated"},
            ["other_fund", "approved"],
        ),
    ],
)
def test_filters_and_search(client, staff, varied, query, expected):
    if query.get("fund") == "other":
        query = {**query, "fund": varied["other_fund"].fund_id}
    client.force_login(staff)
    response = client.get(REGISTER, query)
    assert response.status_code == 200
    assert register_numbers(response) == [varied[key].registration_number for key in expected]


def test_search_by_registration_number_and_filter_by_year(client, staff, varied):
    client.force_login(staff)
    number = varied["rejected"].registration_number
    assert register_numbers(client.get(REGISTER, {"q": number})) == [number]
    year = varied["rejected"].year
    assert len(register_numbers(client.get(REGISTER, {"year": year}))) == 4
    # A year without decisions is not a choice: the filter is ignored, not an error page.
    assert client.get(REGISTER, {"year": year - 5}).status_code == 200


def test_in_force_and_superseded_filters(client, staff, fund, coach):
    first = delegated_decision(fund=fund, coach=coach)
    correction = decision_record(
        application=first.application,
        by=coach,
        kind=DecisionKind.REJECT,
        rationale="Rättelse: testet finansieras redan av förvaltningen.",
        supersedes=first,
    )
    client.force_login(staff)
    assert register_numbers(client.get(REGISTER, {"status": "superseded"})) == [
        first.registration_number
    ]
    assert register_numbers(client.get(REGISTER, {"status": "in_force"})) == [
        correction.registration_number
    ]
    page = client.get(REGISTER).content.decode()
    assert f"Ersatt av {correction.registration_number}" in page


def test_the_register_is_paginated(client, staff, fund, coach):
    fund.capital = 10_000_000
    fund.save()
    bulk_decisions(fund=fund, by=coach, count=30)
    client.force_login(staff)
    first_page = client.get(REGISTER)
    assert len(first_page.context["decisions"]) == 25
    assert first_page.context["paginator"].count == 30
    assert len(client.get(REGISTER, {"page": 2}).context["decisions"]) == 5


@pytest.mark.parametrize("query", ["", "?q=Bulk&authority=delegated&status=in_force"])
def test_register_query_count_is_constant(client, staff, fund, coach, query):
    fund.capital = 10_000_000
    fund.save()
    client.force_login(staff)
    bulk_decisions(fund=fund, by=coach, count=2)
    few = count_queries(client, REGISTER + query)
    bulk_decisions(fund=fund, by=coach, count=38, start=2)
    many = count_queries(client, REGISTER + query)
    assert many == few


# --- one decision -------------------------------------------------------------------------


def test_a_delegated_decision_shows_its_full_record(client, staff, fund, coach):
    decision = delegated_decision(fund=fund, coach=coach, kind=DecisionKind.APPROVE)
    client.force_login(staff)
    response = client.get(decision.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert decision.registration_number in page
    assert fund.name in page
    assert decision.application.idea.get_absolute_url() in page
    assert "10\xa0000 kr" in page
    assert "Ett bra och billigt test." in page
    assert f"Beslutat av {coach.full_name} på delegation" in page
    assert decision.leaf_hash[:12] in page and "Plats i loggen" in page
    # Plain staff cannot correct decisions.
    assert reverse("fund:decision-supersede", args=[decision.pk]) not in page


def test_a_committee_decision_names_the_meeting_attendees_and_recused(
    client, staff, fund, chair, members
):
    decision, meeting = committee_decision(
        fund=fund, chair=chair, members=members, recused=[members[0]]
    )
    client.force_login(staff)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert f"möte {meeting.number}" in page
    assert "beslutsgruppen" in page.lower()
    assert members[1].full_name in page and members[2].full_name in page
    assert "Jäviga" in page or "jäv" in page
    assert members[0].full_name in page


def test_the_idea_is_not_linked_for_someone_who_cannot_see_it(client, staff, fund, coach):
    decision = delegated_decision(fund=fund, coach=coach)
    # The idea went back to a draft (say, a data fix); drafts are visible to the team only.
    from ideasluss.ideas.models import Idea

    Idea.objects.filter(pk=decision.application.idea_id).update(state="draft")
    client.force_login(staff)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert decision.application.idea.title in page
    assert decision.application.idea.get_absolute_url() not in page


def test_an_unknown_decision_is_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("fund:decision-detail", args=[999])).status_code == 404


# --- corrections -------------------------------------------------------------------------------


def supersede_url(decision) -> str:
    return reverse("fund:decision-supersede", args=[decision.pk])


def test_a_coach_corrects_a_delegated_decision(client, fund, coach):
    first = delegated_decision(fund=fund, coach=coach, total=20_000)
    client.force_login(coach)
    assert reverse("fund:decision-supersede", args=[first.pk]) in (
        client.get(first.get_absolute_url()).content.decode()
    )
    assert client.get(supersede_url(first)).status_code == 200
    response = client.post(
        supersede_url(first),
        {
            "kind": DecisionKind.APPROVE_LOWER,
            "amount": "15000",
            "rationale": "Rättelse: materialet kostar mindre.",
            "confirmed": "on",
        },
    )
    correction = Decision.objects.get(supersedes=first)
    assert response.status_code == 302
    assert response.url == correction.get_absolute_url()
    assert correction.amount == 15_000 and correction.delegated
    page = client.get(response.url).content.decode()
    assert f"ersätter {first.registration_number}" in page
    old_page = client.get(first.get_absolute_url()).content.decode()
    assert f"ersatts av {correction.registration_number}" in old_page


def test_the_chair_corrects_a_committee_decision_at_the_open_meeting(client, fund, chair, members):
    decision, meeting = committee_decision(fund=fund, chair=chair, members=members)
    client.force_login(chair)
    form_page = client.get(supersede_url(decision))
    assert form_page.status_code == 200
    assert f"Möte {meeting.number}" in form_page.content.decode()
    response = client.post(
        supersede_url(decision),
        {
            "kind": DecisionKind.REJECT,
            "rationale": "Rättelse: ansökan gällde fel fond.",
            "confirmed": "on",
            "meeting": meeting.pk,
        },
    )
    assert response.status_code == 302
    correction = Decision.objects.get(supersedes=decision)
    assert correction.kind == DecisionKind.REJECT
    assert correction.meeting == meeting and not correction.delegated
    assert {m.full_name for m in members} <= set(correction.attendees)


def test_a_committee_member_cannot_correct_a_committee_decision(client, fund, chair, members):
    decision, meeting = committee_decision(fund=fund, chair=chair, members=members)
    client.force_login(members[1])
    response = client.post(
        supersede_url(decision),
        {
            "kind": DecisionKind.REJECT,
            "rationale": "Jag tycker annorlunda.",
            "confirmed": "on",
            "meeting": meeting.pk,
        },
    )
    assert response.status_code == 403
    assert "Du kan inte rätta det här beslutet" in response.content.decode()
    assert Decision.objects.count() == 1
    assert client.get(supersede_url(decision)).status_code == 403


def test_a_coach_cannot_correct_a_committee_decision(client, fund, chair, members, coach):
    decision, _meeting = committee_decision(fund=fund, chair=chair, members=members)
    client.force_login(coach)
    response = client.post(
        supersede_url(decision),
        {"kind": DecisionKind.REJECT, "rationale": "Nej.", "confirmed": "on"},
    )
    assert response.status_code == 403
    assert "ordföranden" in response.content.decode()
    assert Decision.objects.count() == 1


def test_plain_staff_cannot_reach_the_correction_page(client, fund, coach, staff):
    decision = delegated_decision(fund=fund, coach=coach)
    client.force_login(staff)
    assert client.get(supersede_url(decision)).status_code == 403
    assert client.post(supersede_url(decision), {"kind": "reject"}).status_code == 403


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"kind": DecisionKind.REJECT, "rationale": "", "confirmed": "on"},
            "Skriv en motivering till beslutet",
        ),
        (
            {"kind": DecisionKind.RETURN, "rationale": "Tillbaka", "confirmed": "on"},
            "giltigt alternativ",
        ),
        (
            {
                "kind": DecisionKind.APPROVE_LOWER,
                "amount": "10000",
                "rationale": "Lägre",
                "confirmed": "on",
            },
            "mindre än",
        ),
        (
            {"kind": DecisionKind.APPROVE_LOWER, "rationale": "Lägre", "confirmed": "on"},
            "lägre belopp",
        ),
    ],
)
def test_a_refused_correction_says_why_and_writes_nothing(client, fund, coach, data, message):
    decision = delegated_decision(fund=fund, coach=coach, total=10_000)
    client.force_login(coach)
    response = client.post(supersede_url(decision), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Decision.objects.count() == 1
    decision.application.refresh_from_db()
    assert decision.application.state == ApplicationState.DECIDED


def test_the_chair_needs_an_open_meeting(client, fund, chair, members):
    decision, meeting = committee_decision(fund=fund, chair=chair, members=members)
    transition_perform(name="close", obj=meeting, by=chair)
    client.force_login(chair)
    page = client.get(supersede_url(decision)).content.decode()
    assert "inget öppet möte" in page
    response = client.post(
        supersede_url(decision),
        {"kind": DecisionKind.REJECT, "rationale": "Rättelse.", "confirmed": "on"},
    )
    assert response.status_code == 400
    assert Decision.objects.count() == 1


def test_a_superseded_decision_points_to_its_correction(client, fund, coach):
    first = delegated_decision(fund=fund, coach=coach)
    correction = decision_record(
        application=first.application,
        by=coach,
        kind=DecisionKind.REJECT,
        rationale="Rättelse.",
        supersedes=first,
    )
    client.force_login(coach)
    response = client.post(
        supersede_url(first),
        {"kind": DecisionKind.APPROVE, "rationale": "Igen.", "confirmed": "on"},
    )
    assert response.status_code == 302
    assert response.url == correction.get_absolute_url()
    assert Decision.objects.count() == 2


def test_a_coach_on_the_ideas_team_cannot_correct(client, fund, coach):
    other_coach = UserFactory(username="coach2", roles=[Role.STAFF, Role.COACH])
    decision = delegated_decision(fund=fund, coach=other_coach, idea__owner=coach)
    client.force_login(coach)
    response = client.post(
        supersede_url(decision),
        {"kind": DecisionKind.REJECT, "rationale": "Nej.", "confirmed": "on"},
    )
    assert response.status_code == 403
    assert Decision.objects.count() == 1


def test_a_correction_racing_another_says_so(client, fund, coach, monkeypatch):
    decision = delegated_decision(fund=fund, coach=coach)

    def raced(**kwargs):
        raise ConcurrentChange()

    monkeypatch.setattr(decisions_views, "decision_record", raced)
    client.force_login(coach)
    response = client.post(
        supersede_url(decision),
        {"kind": DecisionKind.REJECT, "rationale": "Rättelse.", "confirmed": "on"},
        follow=True,
    )
    assert f"Någon rättade {decision.registration_number} alldeles nyss" in (
        response.content.decode()
    )
    assert Decision.objects.count() == 1
