"""The committee's pages: declaring conflicts of interest (jäv) before any score is seen,
scoring, the spread of scores, and a coach's decision under delegation."""

import pytest
from django.urls import reverse

from ideasluss.accounts.roles import Role
from ideasluss.fund.models import (
    ApplicationState,
    ConflictDeclaration,
    Decision,
    DecisionKind,
    Review,
    Score,
)
from ideasluss.fund.services import conflict_declare, cost_record
from tests.factories import ApplicationFactory, UserFactory
from workflows.fund.services import decision_record, review_submit

pytestmark = pytest.mark.django_db

S = ApplicationState


def url(name, application):
    return reverse(f"fund:{name}", args=[application.pk])


def scores_form(application, value="4", comment="Tydlig plan."):
    return {
        **{f"criterion_{c.pk}": value for c in application.fund.criteria.all()},
        "comment": comment,
    }


def score(application, member, value=3, comment=""):
    conflict_declare(application=application, member=member, has_conflict=False)
    return review_submit(
        application=application,
        member=member,
        scores={c.pk: value for c in application.fund.criteria.all()},
        comment=comment,
    )


# Declaring --------------------------------------------------------------------------------


def test_a_member_declares_before_seeing_anything_else(client, application, members):
    score(application, members[0], value=5, comment="Hemlig kommentar från ledamot 0")
    member = members[1]
    client.force_login(member)
    response = client.get(url("review", application))
    assert response["Location"] == url("declare", application)
    page = client.get(url("declare", application))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Är du jävig?" in content
    assert application.idea.owner.full_name in content  # the team, to judge a conflict
    assert "Hemlig kommentar" not in content
    detail = client.get(url("application-detail", application)).content.decode()
    assert "Hemlig kommentar" not in detail


def test_declaring_no_conflict_leads_to_scoring(client, application, committee_member):
    client.force_login(committee_member)
    response = client.post(url("declare", application), {"answer": "no", "reason": ""})
    assert response["Location"] == url("review", application)
    declaration = ConflictDeclaration.objects.get()
    assert declaration.member == committee_member and not declaration.has_conflict
    correction = client.get(url("declare", application))
    assert correction.status_code == 200 and 'name="answer"' in correction.content.decode()


def test_a_conflict_needs_a_reason_and_nothing_is_written_without(
    client, application, committee_member
):
    client.force_login(committee_member)
    response = client.post(url("declare", application), {"answer": "yes", "reason": "  "})
    assert response.status_code == 400
    assert "Skriv varför du är jävig." in response.content.decode()
    assert not ConflictDeclaration.objects.exists()
    response = client.post(url("declare", application), {})
    assert response.status_code == 400
    assert "Svara på om du är jävig." in response.content.decode()
    assert not ConflictDeclaration.objects.exists()


def test_only_committee_members_declare(client, application, coach, staff):
    client.force_login(coach)
    assert client.get(url("declare", application)).status_code == 403
    assert client.post(url("declare", application), {"answer": "no"}).status_code == 403
    client.force_login(application.applicant)
    assert client.get(url("declare", application)).status_code == 403
    client.force_login(staff)
    assert client.get(url("declare", application)).status_code == 404
    assert not ConflictDeclaration.objects.exists()


# Recusal ----------------------------------------------------------------------------------


def test_a_recused_member_sees_they_are_recused_no_scores_and_cannot_score(
    client, application, members
):
    score(application, members[0], value=5, comment="Hemlig kommentar från ledamot 0")
    recused = members[1]
    client.force_login(recused)
    response = client.post(
        url("declare", application), {"answer": "yes", "reason": "Min syster äger idén."}
    )
    assert response["Location"] == url("application-detail", application)
    for page_url in (url("review", application), url("application-detail", application)):
        page = client.get(page_url)
        assert page.status_code == 200
        content = page.content.decode()
        assert "anmält jäv" in content
        assert "Hemlig kommentar" not in content
        assert "Medelvärde" not in content
    response = client.post(url("review", application), scores_form(application))
    assert response.status_code == 403
    assert Review.objects.filter(member=recused).count() == 0
    assert Score.objects.count() == len(application.fund.criteria.all())


def test_the_record_shows_who_was_recused(client, application, members, coach):
    conflict_declare(application=application, member=members[2], has_conflict=True, reason="Jävig")
    client.force_login(coach)
    content = client.get(url("application-detail", application)).content.decode()
    assert "Deltar inte på grund av jäv:" in content
    assert members[2].full_name in content


# Scoring and the spread -------------------------------------------------------------------


def test_the_score_form_has_a_fieldset_with_a_legend_per_criterion(
    client, application, committee_member
):
    conflict_declare(application=application, member=committee_member, has_conflict=False)
    client.force_login(committee_member)
    content = client.get(url("review", application)).content.decode()
    for criterion in application.fund.criteria.all():
        assert f"<legend>{criterion.name}" in content
    assert content.count("<fieldset") >= len(application.fund.criteria.all())
    assert content.count('type="radio"') == 5 * len(application.fund.criteria.all())


def test_the_spread_is_hidden_until_one_has_scored(client, application, members):
    score(application, members[0], value=5, comment="Kommentar från ledamot 0")
    member = members[1]
    conflict_declare(application=application, member=member, has_conflict=False)
    client.force_login(member)
    content = client.get(url("review", application)).content.decode()
    assert "Kommentar från ledamot 0" not in content
    assert members[0].full_name not in content
    assert "när du själv har bedömt" in content
    response = client.post(url("review", application), scores_form(application, value="2"))
    assert response["Location"] == url("review", application)
    content = client.get(url("review", application)).content.decode()
    assert "Kommentar från ledamot 0" in content
    assert members[0].full_name in content
    assert "Medelvärde" in content
    assert "3,5" in content  # (5 + 2) / 2 on each criterion
    detail = client.get(url("application-detail", application)).content.decode()
    assert "Kommentar från ledamot 0" in detail


def test_scoring_moves_a_submitted_application_into_review(client, application, committee_member):
    conflict_declare(application=application, member=committee_member, has_conflict=False)
    client.force_login(committee_member)
    client.post(url("review", application), scores_form(application))
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    review = Review.objects.get()
    assert review.comment == "Tydlig plan."
    assert sorted(review.scores.values_list("value", flat=True)) == [4, 4, 4, 4]


@pytest.mark.parametrize("value", ["", "0", "6", "tre"])
def test_every_criterion_needs_a_score_from_1_to_5(client, application, committee_member, value):
    conflict_declare(application=application, member=committee_member, has_conflict=False)
    client.force_login(committee_member)
    data = scores_form(application)
    first = application.fund.criteria.first()
    data[f"criterion_{first.pk}"] = value
    response = client.post(url("review", application), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert f"Ge ”{first.name}” ett betyg från 1 till 5." in content
    assert "Tydlig plan." in content  # the comment is kept
    assert not Review.objects.exists()


def test_a_member_cannot_score_before_declaring(client, application, committee_member):
    client.force_login(committee_member)
    response = client.post(url("review", application), scores_form(application))
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_a_coach_sees_the_spread_without_scoring(client, application, members, coach):
    score(application, members[0], value=4, comment="Kommentar från ledamot 0")
    client.force_login(coach)
    content = client.get(url("review", application)).content.decode()
    assert "Kommentar från ledamot 0" in content
    assert "Spara mina betyg" not in content
    assert client.post(url("review", application), scores_form(application)).status_code == 403


def test_the_applicant_and_other_staff_see_no_review(client, application, members, staff):
    score(application, members[0], comment="Kommentar från ledamot 0")
    client.force_login(application.applicant)
    assert client.get(url("review", application)).status_code == 403
    content = client.get(url("application-detail", application)).content.decode()
    assert "Kommentar från ledamot 0" not in content
    client.force_login(staff)
    assert client.get(url("review", application)).status_code == 404


# Deciding under delegation ----------------------------------------------------------------


def decision_form(**fields):
    return {
        "kind": DecisionKind.APPROVE,
        "rationale": "Ett bra och billigt test.",
        "confirmed": "on",
        **fields,
    }


def test_a_coach_approves_under_the_delegated_limit(client, application, coach):
    client.force_login(coach)
    assert client.get(url("decide", application)).status_code == 200
    response = client.post(url("decide", application), decision_form(conditions="Redovisa i maj."))
    decision = Decision.objects.get()
    assert response["Location"] == url("application-detail", application)
    assert decision.delegated and decision.decided_by == coach
    assert decision.amount == 20_000 and decision.conditions == "Redovisa i maj."
    application.refresh_from_db()
    assert application.state == S.DECIDED
    content = client.get(url("application-detail", application)).content.decode()
    assert decision.registration_number in content
    assert "på delegation" in content


def test_a_coach_approves_a_lower_amount(client, application, coach):
    client.force_login(coach)
    client.post(
        url("decide", application),
        decision_form(kind=DecisionKind.APPROVE_LOWER, amount="12000"),
    )
    assert Decision.objects.get().amount == 12_000


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"rationale": ""}, "Skriv en motivering till beslutet: den är offentlig."),
        ({"rationale": "   "}, "Skriv en motivering till beslutet: den är offentlig."),
        ({"kind": ""}, "Välj ett beslut."),
        ({"kind": DecisionKind.APPROVE_LOWER}, "Ange det lägre belopp som beviljas"),
        ({"kind": DecisionKind.APPROVE_LOWER, "amount": "-5"}, "större än noll"),
        ({"kind": DecisionKind.APPROVE_LOWER, "amount": "25000"}, "mindre än"),
    ],
)
def test_bad_decisions_are_refused_with_the_form_kept(client, application, coach, fields, message):
    client.force_login(coach)
    response = client.post(
        url("decide", application), decision_form(conditions="Mitt villkor", **fields)
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "Mitt villkor" in content
    assert not Decision.objects.exists()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_a_coach_cannot_decide_over_the_delegated_limit(client, fund, coach):
    big = ApplicationFactory(fund=fund, total=30_001)
    client.force_login(coach)
    page = client.get(url("decide", big)).content.decode()
    assert "över delegationsgränsen" in page
    response = client.post(url("decide", big), decision_form(rationale="Vi säger ja."))
    assert response.status_code == 400
    content = response.content.decode()
    assert "Beloppet är över fondens delegationsgräns" in content
    assert "Vi säger ja." in content
    assert not Decision.objects.exists()


def test_no_grant_over_the_remaining_capital(client, fund, coach):
    for _ in range(4):
        decision_record(
            application=ApplicationFactory(fund=fund, total=24_000),
            by=coach,
            kind=DecisionKind.APPROVE,
            rationale="Ja",
        )
    last = ApplicationFactory(fund=fund, total=20_000)
    client.force_login(coach)
    response = client.post(url("decide", last), decision_form())
    assert response.status_code == 400
    assert "Fonden har bara 4\xa0000 kr kvar att bevilja" in response.content.decode()
    assert Decision.objects.count() == 4


@pytest.mark.parametrize("who", ["applicant", "committee_member", "chair", "staff"])
def test_only_a_coach_off_the_team_decides_under_delegation(
    client, application, committee_member, chair, staff, who
):
    user = {
        "applicant": application.applicant,
        "committee_member": committee_member,
        "chair": chair,
        "staff": staff,
    }[who]
    client.force_login(user)
    expected = 404 if who == "staff" else 403
    assert client.get(url("decide", application)).status_code == expected
    assert client.post(url("decide", application), decision_form()).status_code == expected
    assert not Decision.objects.exists()


def test_a_coach_on_the_idea_team_cannot_decide(client, fund):
    coach = UserFactory(username="teamcoach", roles=[Role.STAFF, Role.COACH])
    own = ApplicationFactory(fund=fund, idea__owner=coach)
    client.force_login(coach)
    assert client.post(url("decide", own), decision_form()).status_code == 403
    assert not Decision.objects.exists()


def test_a_decided_application_is_not_decided_again_here(client, application, coach):
    decision_record(application=application, by=coach, kind=DecisionKind.REJECT, rationale="Nej")
    client.force_login(coach)
    assert client.get(url("decide", application)).status_code == 403
    assert Decision.objects.count() == 1


def test_anonymous_users_are_sent_to_login(client, application):
    for name in ("declare", "review", "decide"):
        response = client.post(url(name, application), {})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_application_page_runs_the_same_queries_however_much_it_holds(
    client, application, coach, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def member(n):
        user = UserFactory(username=f"ledamot-q{n}", roles=[Role.STAFF, Role.COMMITTEE_MEMBER])
        application.fund.committee_members.add(user)
        return user

    score(application, member(0), value=4, comment="Första")
    client.force_login(coach)
    page = url("application-detail", application)
    client.get(page)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(page).status_code == 200
    for n in range(1, 12):
        score(application, member(n), value=1 + n % 5, comment=f"Kommentar {n}")
    conflict_declare(application=application, member=member(99), has_conflict=True, reason="Jävig")
    decision_record(application=application, by=coach, kind=DecisionKind.APPROVE, rationale="Ja")
    for n in range(10):
        cost_record(
            application=application, by=coach, amount=100, date="2026-01-02", note=f"Kostnad {n}"
        )
    with django_assert_max_num_queries(len(few)):
        response = client.get(page)
        assert response.status_code == 200
    assert "Kommentar 11" in response.content.decode()
