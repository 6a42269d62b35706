"""The fund's public page /fonden/: money granted, what it became, and the decision register."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.formats import date_format

from cms.selectors import GrantOutcome, compute_fund_figures, fund_figures
from ideasluss.accounts.roles import Role
from ideasluss.fund.models import GRANTING_KINDS, BudgetLine, Decision, DecisionKind
from ideasluss.fund.money import GrantBalance
from ideasluss.fund.selectors import granted_by_category
from ideasluss.fund.services import cost_record
from ideasluss.fund.templatetags.fund_money import kronor
from ideasluss.ideas.models import Idea, IdeaState
from tests.factories import ApplicationFactory, FundFactory, IdeaFactory, UserFactory
from tests.fund.conftest import bulk_decisions
from tests.fund.decision_helpers import (
    committee_decision,
    count_queries,
    delegated_decision,
    open_meeting,
)
from workflows.fund.services import decision_record

pytestmark = pytest.mark.django_db

INDEX = "/fonden/"
REGISTER = "/fonden/beslut/"


def decision_url(decision) -> str:
    return f"{REGISTER}{decision.pk}/"


def sv_kronor(amount: int) -> str:
    with translation.override("sv"):
        return kronor(amount)


def set_state(idea, state: str) -> None:
    # The idea's lifecycle is not under test here; write the state as a situation.
    Idea.objects.filter(pk=idea.pk).update(state=state)


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached figures and pages must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fund(db):
    return FundFactory(name="Innovationsfonden", capital=1_000_000, delegated_limit=50_000)


@pytest.fixture
def members(db):
    return [
        UserFactory(
            username=f"ledamot{i}",
            first_name="Ledamotsnamn",
            last_name=f"Efternamnsson{i}",
            roles=[Role.STAFF, Role.COMMITTEE_MEMBER],
        )
        for i in range(3)
    ]


@pytest.fixture
def record(site_tree, fund, coach, chair, members):
    """Last year: one grant (its idea is now learned). This year: a grant corrected to a
    lower amount (still testing), a committee grant with a recused member (scaled), a
    rejection, and a grant whose idea was withdrawn (stopped)."""
    last_year = timezone.now().replace(year=timezone.now().year - 1, month=3, day=15)
    with mock.patch("django.utils.timezone.now", return_value=last_year):
        old = delegated_decision(
            fund=fund,
            coach=coach,
            total=10_000,
            idea=IdeaFactory(title="Läxhjälp på biblioteket", state="planning"),
        )
    set_state(old.application.idea, IdeaState.LEARNED)

    locks = ApplicationFactory(
        fund=fund, total=20_000, idea=IdeaFactory(title="Digitala lås", state="planning")
    )
    BudgetLine.objects.filter(application=locks).update(amount=8_000)
    locks.budget_lines.create(
        category="substitute_staff", description="Vikarie", hours=40, hourly_rate=300, amount=12_000
    )
    first = decision_record(
        application=locks, by=coach, kind=DecisionKind.APPROVE, rationale="Ett billigt test."
    )
    correction = decision_record(
        application=locks,
        by=coach,
        kind=DecisionKind.APPROVE_LOWER,
        amount=15_000,
        rationale="Rättelse: materialet kostar mindre.",
        conditions="Redovisa kostnaderna senast i december.",
        supersedes=first,
    )
    cost_record(application=locks, by=coach, amount=4_000, date=timezone.localdate(), note="Lås")

    committee, meeting = committee_decision(
        fund=fund, chair=chair, members=members, recused=[members[0]]
    )
    set_state(committee.application.idea, IdeaState.SCALED)

    rejected = delegated_decision(
        fund=fund,
        coach=coach,
        kind=DecisionKind.REJECT,
        idea=IdeaFactory(title="Avslagen idé", state="planning"),
    )
    stopped = delegated_decision(
        fund=fund,
        coach=coach,
        total=5_000,
        idea=IdeaFactory(title="Avbruten idé", state="planning"),
    )
    set_state(stopped.application.idea, IdeaState.WITHDRAWN)
    return {
        "old": old,
        "first": first,
        "correction": correction,
        "committee": committee,
        "meeting": meeting,
        "rejected": rejected,
        "stopped": stopped,
    }


def people_in(record, coach, chair, members):
    """Everyone involved: deciders, attendees, the recused member and the applicants."""
    people = {coach, chair, *members}
    for decision in record.values():
        if isinstance(decision, Decision):
            people |= {decision.application.applicant, decision.application.idea.owner}
    return people


# --- anonymous reading ------------------------------------------------------------------------


def test_every_route_is_public(client, record):
    assert client.get(INDEX).status_code == 200
    assert client.get(REGISTER).status_code == 200
    for decision in (record["old"], record["committee"], record["rejected"]):
        assert client.get(decision_url(decision)).status_code == 200


def test_a_nonexistent_decision_is_404(client, record):
    assert client.get(f"{REGISTER}999999/").status_code == 404
    assert client.get(f"{REGISTER}abc/").status_code == 404


def test_the_page_is_swedish_and_uses_its_templates(client, record):
    response = client.get(INDEX)
    assert [t.name for t in response.templates][0] == "cms/fund_page.html"
    content = response.content.decode()
    assert "Beviljade medel" in content
    assert "Vad pengarna blev" in content
    register = client.get(REGISTER)
    assert [t.name for t in register.templates][0] == "cms/fund_register.html"
    assert "<h1>Beslutsregister</h1>" in register.content.decode()


# --- figures equal the database ------------------------------------------------------------


def granted_in_db_by_year() -> dict[int, int]:
    grants = Decision.objects.in_force().filter(kind__in=GRANTING_KINDS)
    return {
        row["year"]: row["total"]
        for row in grants.values("year").annotate(total=Sum("amount")).order_by()
    }


def test_granted_per_year_equals_the_database(client, record):
    this_year = record["correction"].year
    assert granted_in_db_by_year() == {this_year - 1: 10_000, this_year: 80_000}
    figures = client.get(INDEX).context["figures"]
    assert {year.year: year.granted for year in figures.years} == granted_in_db_by_year()
    assert [year.year for year in figures.years] == [this_year, this_year - 1]
    assert {year.year: year.grants for year in figures.years} == {
        this_year: 3,
        this_year - 1: 1,
    }
    assert figures.granted == 90_000


def test_granted_per_year_and_category(client, record):
    this_year = record["correction"].year
    figures = client.get(INDEX).context["figures"]
    with translation.override("sv"):
        by_year = {
            year.year: {str(label): amount for label, amount in year.by_category}
            for year in figures.years
        }
        dashboard = {str(label): amount for label, amount in granted_by_category()}
    # The corrected grant: 15 000 of 20 000 applied for, so its lines count three quarters.
    assert by_year[this_year] == {
        "Vikarier": 9_000,
        "Material": 6_000 + 60_000 + 5_000,
        "Externa tjänster": 0,
        "Övrigt": 0,
    }
    assert by_year[this_year - 1] == {
        "Vikarier": 0,
        "Material": 10_000,
        "Externa tjänster": 0,
        "Övrigt": 0,
    }
    # Summed over the years, the split is the staff dashboard's.
    assert {
        label: sum(categories[label] for categories in by_year.values()) for label in dashboard
    } == dashboard


def test_figures_show_as_chart_and_table(client, record):
    this_year = record["correction"].year
    content = client.get(INDEX).content.decode()
    assert content.count('<svg class="bar-chart" role="img"') == 3  # the years, then each year
    assert content.count("<caption") >= 4
    assert sv_kronor(80_000) in content
    assert sv_kronor(71_000) in content
    assert f'id="chart-categories-{this_year}-title"' in content
    assert f'id="chart-categories-{this_year - 1}-title"' in content


def test_what_the_grants_became_equals_the_database(client, record):
    figures = client.get(INDEX).context["figures"]
    outcomes = {outcome.outcome: (outcome.grants, outcome.granted) for outcome in figures.outcomes}
    assert outcomes == {
        GrantOutcome.SCALED: (1, 60_000),
        GrantOutcome.LEARNED: (1, 10_000),
        GrantOutcome.TESTING: (1, 15_000),
        GrantOutcome.STOPPED: (1, 5_000),
    }
    grants = Decision.objects.in_force().filter(kind__in=GRANTING_KINDS)
    assert sum(grants for grants, _ in outcomes.values()) == grants.count()


def test_each_grant_shows_what_it_became_and_what_was_spent(client, record):
    response = client.get(INDEX)
    rows = {grant.pk: grant for grant in response.context["grants"]}
    correction, committee = record["correction"], record["committee"]
    assert set(rows) == {
        record["old"].pk,
        correction.pk,
        committee.pk,
        record["stopped"].pk,
    }
    assert GrantBalance.of(rows[correction.pk]).spent == 4_000
    assert rows[correction.pk].outcome == GrantOutcome.TESTING
    assert rows[committee.pk].outcome == GrantOutcome.SCALED
    assert rows[record["stopped"].pk].outcome == GrantOutcome.STOPPED
    content = response.content.decode()
    assert "Digitala lås" in content
    assert sv_kronor(4_000) in content
    for label in ("Införd", "Blev en lärdom", "Testas fortfarande", "Avbruten"):
        assert label in content
    # The rejected application got no money and is not a grant.
    assert "Avslagen idé" not in content


def test_a_grant_links_to_its_live_result_page(client, record, site_tree):
    from cms.models import ResultPage

    idea = record["committee"].application.idea
    result = ResultPage(title="Nycklar i mobilen", slug="nycklar", summary="Det fungerade.")
    result.idea = idea
    site_tree["resultat"].add_child(instance=result)
    result.save_revision().publish()
    draft = ResultPage(title="Utkast", slug="utkast", summary="Inte klart.", live=False)
    draft.idea = record["correction"].application.idea
    site_tree["resultat"].add_child(instance=draft)

    content = client.get(INDEX).content.decode()
    assert 'href="/resultat/nycklar/"' in content
    assert "/resultat/utkast/" not in content
    assert (
        'href="/resultat/nycklar/"'
        in client.get(decision_url(record["committee"])).content.decode()
    )


def test_figures_are_cached_and_renewed_when_a_decision_is_made(client, record, coach, fund):
    first = fund_figures()
    assert cache.get("cms:fund-figures") is not None
    assert fund_figures() == first
    delegated_decision(fund=fund, coach=coach, total=1_000)
    assert fund_figures().granted == first.granted + 1_000
    assert fund_figures() == compute_fund_figures()


def test_figures_without_any_grant(client, site_tree):
    response = client.get(INDEX)
    assert response.status_code == 200
    assert "Fonden har inte beviljat några pengar än." in response.content.decode()


# --- the register: search, filters, supersession ---------------------------------------------


def register_numbers(client, query: str = "") -> set[str]:
    response = client.get(REGISTER + query)
    assert response.status_code == 200
    return {decision.registration_number for decision in response.context["decisions"]}


def test_the_register_lists_every_decision_newest_first(client, record):
    response = client.get(REGISTER)
    numbers = [decision.registration_number for decision in response.context["decisions"]]
    assert len(numbers) == Decision.objects.count() == 6
    assert numbers[0] == record["stopped"].registration_number
    assert numbers[-1] == record["old"].registration_number


def test_search_by_registration_number_title_and_rationale(client, record):
    committee = record["committee"]
    assert register_numbers(client, f"?q={committee.registration_number}") == {
        committee.registration_number
    }
    assert register_numbers(client, "?q=DIGITALA+lås") == {
        record["first"].registration_number,
        record["correction"].registration_number,
    }
    assert register_numbers(client, "?q=Rättelse") == {record["correction"].registration_number}
    assert register_numbers(client, "?q=finns+inte+alls") == set()


def test_filters_by_year_kind_and_fund(client, record, coach):
    this_year = record["correction"].year
    assert register_numbers(client, f"?year={this_year - 1}") == {record["old"].registration_number}
    assert register_numbers(client, "?kind=reject") == {record["rejected"].registration_number}
    assert register_numbers(client, f"?kind=approve_lower&year={this_year}") == {
        record["correction"].registration_number
    }
    other_fund = FundFactory(name="Klimatfonden")
    other = delegated_decision(fund=other_fund, coach=coach, total=3_000)
    assert register_numbers(client, f"?fund={other_fund.pk}") == {other.registration_number}
    idea = record["committee"].application.idea
    assert register_numbers(client, f"?idea={idea.pk}") == {record["committee"].registration_number}


def test_bad_filters_filter_nothing_and_say_so(client, record):
    response = client.get(REGISTER + "?year=1999&kind=nonsense&fund=abc&page=99")
    assert response.status_code == 200
    assert len(response.context["decisions"].object_list) == 6
    assert response.context["filter_form"].errors


def test_superseded_decisions_are_shown_as_such(client, record):
    first, correction = record["first"], record["correction"]
    content = client.get(REGISTER).content.decode()
    assert (
        f'Ersatt av <a href="{decision_url(correction)}">{correction.registration_number}</a>'
        in (content)
    )
    assert f'Rättar <a href="{decision_url(first)}">{first.registration_number}</a>' in content

    page = client.get(decision_url(first)).content.decode()
    assert "gäller inte längre" in page
    assert f'href="{decision_url(correction)}"' in page
    corrected = client.get(decision_url(correction)).content.decode()
    assert f'href="{decision_url(first)}"' in corrected
    assert "Rättelse: materialet kostar mindre." in corrected
    assert "Redovisa kostnaderna senast i december." in corrected


def test_a_decision_page_states_the_record(client, record):
    committee, meeting = record["committee"], record["meeting"]
    content = client.get(decision_url(committee)).content.decode()
    assert committee.registration_number in content
    assert "Innovationsfonden" in content
    assert committee.application.idea.title in content
    assert sv_kronor(60_000) in content
    assert f"möte {meeting.number}" in content
    # Counts, never names: the chair and two members took part; one member was recused.
    assert len(committee.attendees) == 3 and len(committee.recused) == 1
    assert "3 ledamöter deltog i beslutet." in content
    assert "1 ledamot var jävig." in content
    assert f'href="/api/v1/decisions/{committee.pk}/"' in content

    delegated = client.get(decision_url(record["old"])).content.decode()
    assert "på delegation" in delegated
    assert "deltog i beslutet" not in delegated


def test_no_personal_data_appears(client, record, coach, chair, members):
    pages = [INDEX, REGISTER, *(decision_url(d) for d in Decision.objects.all())]
    html = "".join(client.get(url).content.decode() for url in pages)
    for person in people_in(record, coach, chair, members):
        assert person.email not in html
        assert person.get_full_name() not in html
        assert person.last_name not in html
    for decision in Decision.objects.all():
        for name in [*decision.attendees, *decision.recused]:
            assert name not in html
    assert "@" not in html.replace("@media", "")


# --- query counts do not grow with the number of decisions --------------------------------


def queries_for(client, url) -> int:
    cache.clear()  # count a page rendered from scratch, figures included
    return count_queries(client, url)


def test_query_counts_do_not_grow_with_the_register(client, site_tree, fund, coach):
    bulk_decisions(fund=fund, by=coach, count=2)
    small = {url: queries_for(client, url) for url in (INDEX, REGISTER)}
    bulk_decisions(fund=fund, by=coach, count=28, start=2)
    large = {url: queries_for(client, url) for url in (INDEX, REGISTER)}
    assert large == small
    # Wagtail's localisation adds a query for the active locale when it routes, and one
    # for the site root's translations when it builds a page's address (cached after).
    assert small[INDEX] <= 20 and small[REGISTER] <= 14, small


def test_a_decision_page_runs_a_few_queries(client, site_tree, fund, coach):
    decision = bulk_decisions(fund=fund, by=coach, count=30)[0]
    assert queries_for(client, decision_url(decision)) <= 14


def test_cached_figures_cost_no_query(record, django_assert_num_queries):
    fund_figures()
    with django_assert_num_queries(0):
        fund_figures()


def test_long_lists_are_paginated(client, site_tree, fund, coach):
    bulk_decisions(fund=fund, by=coach, count=30)
    index = client.get(INDEX)
    assert len(index.context["grants"].object_list) == 20
    assert index.context["grants"].paginator.num_pages == 2
    assert len(client.get(INDEX + "?page=2").context["grants"].object_list) == 10
    register = client.get(REGISTER + "?q=Bulk&page=2")
    assert len(register.context["decisions"].object_list) == 5
    assert 'href="?q=Bulk&amp;page=1" rel="prev"' in register.content.decode()


def test_the_page_reads_in_english(client, record):
    client.cookies["django_language"] = "en"
    response = client.get(INDEX)
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Money granted per year" in content
    assert "Still testing" in content
    assert "Substitute staff" in content


def test_the_sitemap_lists_the_register(site_tree):
    locations = [url["location"] for url in site_tree["fonden"].get_sitemap_urls()]
    assert locations[0].endswith("/fonden/")
    assert locations[1].endswith("/fonden/beslut/")


# --- the minutes behind a committee decision: justering, posting, the appeal period ----------


def _post_the_minutes(meeting, chair, checker):
    from workflows.fund.services import meeting_minute_checkers_set, minutes_sign
    from workflows.transitions import transition_perform

    meeting_minute_checkers_set(meeting=meeting, by=chair, checkers=[checker])
    transition_perform(name="close", obj=meeting, by=chair)
    minutes_sign(meeting=meeting, by=chair)
    minutes_sign(meeting=meeting, by=checker)
    return transition_perform(name="post_minutes", obj=meeting, by=chair)


def test_before_posting_the_register_says_the_minutes_are_not_checked(client, record):
    committee = record["committee"]
    for url in (REGISTER, decision_url(committee)):
        page = client.get(url).content.decode()
        assert "Protokollet är ännu inte justerat." in page
        assert "sista dag att överklaga" not in page


def test_after_posting_the_register_shows_the_posting_date_and_the_appeal_deadline(
    client, record, chair, members
):
    meeting = _post_the_minutes(record["meeting"], chair, members[1])
    today = timezone.localdate()
    posted = date_format(today, "j F Y")
    deadline = date_format(today + datetime.timedelta(days=21), "j F Y")
    said = f"Protokollet anslogs den {posted}; sista dag att överklaga är {deadline}."
    assert meeting.appeal_deadline == today + datetime.timedelta(days=21)
    for url in (REGISTER, decision_url(record["committee"])):
        page = client.get(url).content.decode()
        assert said in page
        assert "Protokollet är ännu inte justerat." not in page
    # A coach's decision has no meeting and no minutes to wait for.
    assert "Protokollet" not in client.get(decision_url(record["rejected"])).content.decode()


def test_a_committee_decision_carries_its_meetings_date(client, record):
    from ideasluss.fund.models import Meeting

    committee = record["committee"]
    earlier = timezone.localdate() - datetime.timedelta(days=3)
    Meeting.objects.filter(pk=committee.meeting_id).update(date=earlier)
    page = client.get(decision_url(committee)).content.decode()
    assert f'<time datetime="{earlier:%Y-%m-%d}">{date_format(earlier, "j F Y")}</time>' in page
    register = client.get(REGISTER).content.decode()
    short_date = date_format(earlier, "SHORT_DATE_FORMAT")  # "29 nov 2026" in a table
    assert f'<time datetime="{earlier:%Y-%m-%d}">{short_date}</time>' in register


def test_the_public_page_counts_a_disqualified_co_owner_out(
    client, site_tree, fund, chair, members
):
    application = ApplicationFactory(fund=fund, total=40_000, state="in_review")
    application.idea.co_owners.add(members[0])
    meeting = open_meeting(fund=fund, chair=chair, attendees=members, agenda=[application])
    decision = decision_record(
        application=application,
        by=chair,
        kind=DecisionKind.APPROVE,
        rationale="Bra för brukarna.",
        meeting=meeting,
    )
    assert members[0].full_name in decision.recused
    content = client.get(decision_url(decision)).content.decode()
    assert "3 ledamöter deltog i beslutet." in content  # the chair and two members
    assert "1 ledamot var jävig." in content
    assert members[0].last_name not in content
