"""The staff pages of the best mistake of the year: who may see what, forms, messages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from ideasluss.accounts.roles import Role
from ideasluss.ideas.models import IdeaState, JuryVote, Nomination, NominationState
from ideasluss.ideas.services import vote_cast
from tests.factories import IdeaFactory, NominationFactory, UserFactory
from workflows.ideas.services import winner_declare
from workflows.transitions import transition_perform

pytestmark = pytest.mark.django_db

N = NominationState
THIS_YEAR = timezone.localdate().year
MINE = reverse("ideas:mistake-mine")
NOMINATE = reverse("ideas:mistake-nominate")
JURY = reverse("ideas:mistake-jury", args=[THIS_YEAR])


def step_url(nomination, step):
    return reverse("ideas:mistake-step", args=[nomination.pk, step])


def vote_url(nomination):
    return reverse("ideas:mistake-vote", args=[nomination.pk])


def withdraw_url(nomination):
    return reverse("ideas:mistake-withdraw-winner", args=[nomination.pk])


DECLARE = reverse("ideas:mistake-declare", args=[THIS_YEAR])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def learned_idea(db):
    return IdeaFactory(
        title="Digitala lås i hemtjänsten",
        state=IdeaState.LEARNED,
        lessons_learned="Låsen passade inte dörrarna.",
    )


def nomination_data(**overrides):
    return {
        "year": THIS_YEAR,
        "idea": "",
        "title": "Vi beställde fel lås",
        "story": "Låsen passade inte. Nu mäter vi först.",
        "consent_confirmed": "on",
        **overrides,
    }


# Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [MINE, NOMINATE, JURY, reverse("ideas:mistake-jury-current")])
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_jury_steps_are_sent_to_login(client):
    nomination = NominationFactory()
    response = client.post(step_url(nomination, "shortlist"))
    assert response["Location"].startswith("/accounts/login/")
    nomination.refresh_from_db()
    assert nomination.state == N.NOMINATED


@pytest.mark.parametrize("url", [MINE, NOMINATE])
def test_a_user_without_a_role_may_not_nominate(client, url):
    client.force_login(UserFactory(roles=[]))
    assert client.get(url).status_code == 403


def test_the_jury_page_is_for_the_jury_only(client, staff):
    client.force_login(staff)
    response = client.get(JURY)
    assert response.status_code == 403
    assert "Du har inte behörighet" in response.content.decode()
    assert client.get(reverse("ideas:mistake-jury-current")).status_code == 403


@pytest.mark.parametrize("role", ["coach", "committee_member", "chair"])
def test_the_jury_sees_the_jury_page(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("ideas:mistake-jury-current"))
    assert response.status_code == 200
    assert f"Juryn: årets bästa misstag {THIS_YEAR}" in response.content.decode()


@pytest.mark.parametrize("step", ["shortlist", "set-aside", "withdraw-winner"])
def test_staff_cannot_take_jury_steps(client, staff, step):
    nomination = NominationFactory(state=N.WINNER if step == "withdraw-winner" else N.NOMINATED)
    client.force_login(staff)
    assert client.post(step_url(nomination, step)).status_code == 403
    state = nomination.state
    nomination.refresh_from_db()
    assert nomination.state == state


def test_staff_cannot_vote_declare_or_withdraw(client, staff):
    nomination = NominationFactory(state=N.SHORTLISTED, nominated_by=staff)
    client.force_login(staff)
    assert client.post(vote_url(nomination)).status_code == 403
    assert client.get(DECLARE).status_code == 403
    assert client.post(DECLARE, {"jury_motivation": "Bäst"}).status_code == 403
    assert client.get(withdraw_url(nomination)).status_code == 403
    nomination.refresh_from_db()
    assert nomination.state == N.SHORTLISTED
    assert not JuryVote.objects.exists()


def test_non_jury_get_403_whether_or_not_a_nomination_exists(client, staff):
    client.force_login(staff)
    assert client.post(reverse("ideas:mistake-step", args=[99999, "shortlist"])).status_code == 403


def test_an_unknown_step_is_404(client, coach):
    client.force_login(coach)
    assert client.post(step_url(NominationFactory(), "delete")).status_code == 404


def test_a_year_out_of_range_is_404(client, coach):
    client.force_login(coach)
    assert client.get(reverse("ideas:mistake-jury", args=[THIS_YEAR + 1])).status_code == 404
    assert client.get(reverse("ideas:mistake-jury", args=[1999])).status_code == 404


def test_next_years_jury_page_opens_once_this_year_is_decided(client, coach):
    NominationFactory(state=N.WINNER)
    client.force_login(coach)
    next_year = reverse("ideas:mistake-jury", args=[THIS_YEAR + 1])
    assert client.get(next_year).status_code == 200
    assert next_year in client.get(JURY).content.decode()


def test_only_the_jury_sees_others_nominations(client, staff):
    NominationFactory(title="Någon annans misstag")
    mine = NominationFactory(title="Mitt eget misstag", nominated_by=staff)
    client.force_login(staff)
    page = client.get(MINE).content.decode()
    assert mine.title in page
    assert "Någon annans misstag" not in page


# Nominating -----------------------------------------------------------------------------


def test_the_nomination_form_is_in_swedish(client, staff):
    client.force_login(staff)
    page = client.get(NOMINATE).content.decode()
    assert "Nominera årets bästa misstag" in page
    assert "De som nämns i berättelsen godkänner att nämnas offentligt" in page
    assert "Nummer på en idé som blev en lärdom (valfritt)" in page


def test_the_nomination_form_does_not_list_the_learned_ideas(client, staff):
    # A large municipality has thousands: one select of them all was a megabyte.
    IdeaFactory.create_batch(3, state=IdeaState.LEARNED, title="Lärdom i listan")
    client.force_login(staff)
    page = client.get(NOMINATE).content.decode()
    assert "Lärdom i listan" not in page
    assert "<option" not in page.split('name="idea"')[0].rsplit("<label", 1)[-1]


def test_a_nomination_is_sent_to_the_jury(client, staff):
    client.force_login(staff)
    response = client.post(NOMINATE, nomination_data(), follow=True)
    assert response.redirect_chain[-1][0] == MINE
    assert "Tack! Din nominering är skickad till juryn." in messages_of(response)[0]
    nomination = Nomination.objects.get()
    assert (nomination.title, nomination.nominated_by, nomination.state) == (
        "Vi beställde fel lås",
        staff,
        N.NOMINATED,
    )
    assert "Vi beställde fel lås" in response.content.decode()


def test_a_nomination_without_consent_is_refused(client, staff):
    client.force_login(staff)
    data = nomination_data()
    del data["consent_confirmed"]
    response = client.post(NOMINATE, data)
    assert response.status_code == 400
    assert "ingen nominering utan deras samtycke" in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_free_text_nomination_needs_a_title_and_a_story(client, staff):
    client.force_login(staff)
    response = client.post(NOMINATE, nomination_data(title="", story=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ge misstaget en rubrik." in page
    assert "Berätta vad som hände och vad ni lärde er." in page
    assert not Nomination.objects.exists()


def test_the_form_is_prefilled_from_a_learned_idea(client, staff, learned_idea):
    client.force_login(staff)
    response = client.get(NOMINATE, {"idea": learned_idea.pk})
    form = response.context["form"]
    assert form.initial == {
        "idea": learned_idea,
        "title": "Digitala lås i hemtjänsten",
        "story": "Låsen passade inte dörrarna.",
    }


@pytest.mark.parametrize("value", ["abc", "99999"])
def test_a_bad_idea_in_the_address_gives_an_empty_form(client, staff, value):
    client.force_login(staff)
    response = client.get(NOMINATE, {"idea": value})
    assert response.status_code == 200
    assert response.context["form"].initial == {}


def test_an_idea_that_is_not_learned_is_not_prefilled(client, staff):
    idea = IdeaFactory(state=IdeaState.TESTING)
    client.force_login(staff)
    assert client.get(NOMINATE, {"idea": idea.pk}).context["form"].initial == {}


def test_nominating_an_idea_with_empty_fields_uses_the_ideas_words(client, staff, learned_idea):
    client.force_login(staff)
    response = client.post(NOMINATE, nomination_data(idea=learned_idea.pk, title="", story=""))
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.idea == learned_idea
    assert nomination.title == "Digitala lås i hemtjänsten"
    assert nomination.story == "Låsen passade inte dörrarna."


def test_an_idea_that_is_not_learned_cannot_be_chosen(client, staff):
    idea = IdeaFactory(state=IdeaState.TESTING)
    client.force_login(staff)
    response = client.post(NOMINATE, nomination_data(idea=idea.pk))
    assert response.status_code == 400
    assert "Ingen idé som blev en lärdom har det numret." in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_decided_year_is_refused_on_the_form_which_offers_the_next_year(client, staff):
    NominationFactory(state=N.WINNER)
    NominationFactory(state=N.WINNER, year=THIS_YEAR - 1)
    client.force_login(staff)
    response = client.post(NOMINATE, nomination_data())
    assert response.status_code == 400
    assert (
        f"Årets bästa misstag {THIS_YEAR} är redan utsett. Nominera till {THIS_YEAR + 1} i stället."
        in response.content.decode()
    )
    assert response.context["form"].fields["year"].widget.choices == [
        (THIS_YEAR + 1, THIS_YEAR + 1)
    ]
    assert Nomination.objects.count() == 2
    response = client.post(NOMINATE, nomination_data(year=THIS_YEAR + 1))
    assert response.status_code == 302
    assert Nomination.objects.filter(year=THIS_YEAR + 1).count() == 1


def test_the_form_offers_the_open_years_newest_first(client, staff):
    client.force_login(staff)
    form = client.get(NOMINATE).context["form"]
    assert form.fields["year"].widget.choices == [
        (THIS_YEAR, THIS_YEAR),
        (THIS_YEAR - 1, THIS_YEAR - 1),
    ]
    assert form.fields["year"].initial == THIS_YEAR


def test_a_learned_idea_links_to_the_nomination_form(client, staff, learned_idea):
    client.force_login(staff)
    page = client.get(learned_idea.get_absolute_url()).content.decode()
    assert "Nominera som årets bästa misstag" in page
    assert f"{NOMINATE}?idea={learned_idea.pk}" in page


@pytest.mark.parametrize("decided", [(), (THIS_YEAR,), (THIS_YEAR, THIS_YEAR - 1)])
def test_the_idea_pages_button_leads_to_a_working_form(client, staff, learned_idea, decided):
    """Whatever the jury has decided, the idea page's button gives a form that works."""
    for year in decided:
        NominationFactory(state=N.WINNER, year=year)
    client.force_login(staff)
    page = client.get(learned_idea.get_absolute_url()).content.decode()
    link = f"{NOMINATE}?idea={learned_idea.pk}"
    assert link in page
    form = client.get(link).context["form"]
    data = {
        name: form[name].value() if form[name].value() is not None else ""
        for name in ("year", "title", "story")
    }
    data |= {"idea": learned_idea.pk, "consent_confirmed": "on"}
    response = client.post(NOMINATE, data)
    assert response.status_code == 302
    assert learned_idea.nominations.get().year not in decided


def test_an_idea_nominated_for_every_open_year_says_so_instead_of_linking(
    client, staff, learned_idea
):
    NominationFactory(state=N.WINNER, year=THIS_YEAR - 1)
    NominationFactory(idea=learned_idea, year=THIS_YEAR)
    client.force_login(staff)
    page = client.get(learned_idea.get_absolute_url()).content.decode()
    assert f"{NOMINATE}?idea=" not in page
    assert f"Idén är redan nominerad till {THIS_YEAR}." in page


def test_an_idea_still_testing_has_no_nomination_link(client, staff):
    idea = IdeaFactory(state=IdeaState.TESTING)
    client.force_login(staff)
    assert (
        "Nominera som årets bästa misstag"
        not in client.get(idea.get_absolute_url()).content.decode()
    )


# The jury -------------------------------------------------------------------------------


def test_the_jury_page_shows_the_years_nominations_with_their_nominators(client, coach):
    nominator = UserFactory(first_name="Greta", last_name="Garbo")
    NominationFactory(title="Årets misstag", nominated_by=nominator)
    NominationFactory(title="Förra årets misstag", year=THIS_YEAR - 1)
    client.force_login(coach)
    page = client.get(JURY).content.decode()
    assert "Årets misstag" in page
    assert "Nominerad av Greta Garbo" in page
    assert "Förra årets misstag" not in page
    assert reverse("ideas:mistake-jury", args=[THIS_YEAR - 1]) in page


@pytest.mark.parametrize(
    "step, before, after, message",
    [
        ("shortlist", N.NOMINATED, N.SHORTLISTED, "”Låsen” är finalist."),
        ("set-aside", N.SHORTLISTED, N.NOT_CHOSEN, "”Låsen” är bortvald."),
    ],
)
def test_the_jury_moves_a_nomination(client, committee_member, step, before, after, message):
    nomination = NominationFactory(title="Låsen", state=before)
    client.force_login(committee_member)
    response = client.post(step_url(nomination, step), follow=True)
    assert response.redirect_chain[-1][0] == JURY
    assert message in messages_of(response)[0]
    nomination.refresh_from_db()
    assert nomination.state == after


def test_a_refused_step_is_explained(client, coach):
    nomination = NominationFactory(state=N.WINNER)
    client.force_login(coach)
    response = client.post(step_url(nomination, "set-aside"), follow=True)
    assert messages_of(response) == ["Vinnaren kan inte väljas bort. Dra först tillbaka vinsten."]
    nomination.refresh_from_db()
    assert nomination.state == N.WINNER


def test_a_juror_votes_and_moves_the_vote(client, coach):
    locks, bikes = (NominationFactory(title=t, state=N.SHORTLISTED) for t in ("Låsen", "Cyklar"))
    client.force_login(coach)
    response = client.post(vote_url(locks), follow=True)
    assert response.redirect_chain[-1][0] == JURY
    assert messages_of(response) == [
        "Din röst är på ”Låsen”. Du kan ändra den tills resultatet är fastställt."
    ]
    assert "Din röst: ”Låsen”." in response.content.decode()
    client.post(vote_url(bikes))
    assert JuryVote.objects.get(juror=coach).nomination == bikes


def test_a_refused_vote_is_explained(client, coach):
    nomination = NominationFactory(state=N.NOMINATED)
    client.force_login(coach)
    response = client.post(vote_url(nomination), follow=True)
    assert messages_of(response) == [
        "Bara en finalist kan få röster: gör nomineringen till finalist först."
    ]


def test_the_jury_page_shows_the_votes_and_who_cast_them(client, coach, chair):
    locks = NominationFactory(title="Låsen", state=N.SHORTLISTED)
    voter = UserFactory(first_name="Greta", last_name="Garbo", roles=[Role.COMMITTEE_MEMBER])
    vote_cast(nomination=locks, by=voter)
    vote_cast(nomination=locks, by=chair)
    client.force_login(coach)
    page = client.get(JURY).content.decode()
    assert "2 röster: " in page
    assert "Greta Garbo" in page
    assert "2 av 3 jurymedlemmar har röstat på en finalist" in page
    assert "Rösta på den här" in page
    assert DECLARE not in page  # the chair declares, not a coach


def test_the_chair_declares_the_result_the_votes_give(client, coach, committee_member, chair):
    locks = NominationFactory(title="Låsen", state=N.SHORTLISTED)
    for juror in (coach, committee_member):
        vote_cast(nomination=locks, by=juror)
    client.force_login(chair)
    assert DECLARE in client.get(JURY).content.decode()
    page = client.get(DECLARE).content.decode()
    assert "Juryns val: ”Låsen”" in page
    response = client.post(DECLARE, {"jury_motivation": "Ärligt."}, follow=True)
    assert response.redirect_chain[-1][0] == JURY
    assert messages_of(response) == [f"”Låsen” är årets bästa misstag {THIS_YEAR}."]
    locks.refresh_from_db()
    assert (locks.state, locks.jury_motivation, locks.decided_by) == (N.WINNER, "Ärligt.", chair)


def test_the_declare_page_says_why_the_result_cannot_be_declared_yet(client, coach, chair):
    vote_cast(nomination=NominationFactory(title="Låsen", state=N.SHORTLISTED), by=coach)
    UserFactory(roles=[Role.COMMITTEE_MEMBER])
    client.force_login(chair)
    page = client.get(DECLARE).content.decode()
    assert "Resultatet kan inte fastställas ännu" in page
    assert "1 av 3 jurymedlemmar har röstat på en finalist, 2 behövs." in page
    response = client.post(DECLARE, {"jury_motivation": "Ärligt."})
    assert response.status_code == 400
    assert not Nomination.objects.filter(state=N.WINNER).exists()


def test_a_declaration_without_motivation_is_refused(client, coach, chair):
    locks = NominationFactory(state=N.SHORTLISTED)
    for juror in (coach, chair):
        vote_cast(nomination=locks, by=juror)
    client.force_login(chair)
    response = client.post(DECLARE, {"jury_motivation": "  "})
    assert response.status_code == 400
    assert "Skriv juryns motivering" in response.content.decode()
    locks.refresh_from_db()
    assert locks.state == N.SHORTLISTED


@pytest.mark.parametrize("role", ["coach", "committee_member"])
def test_only_the_chair_opens_the_declare_page(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(DECLARE).status_code == 403


def test_withdrawing_a_win_asks_for_confirmation_and_a_reason(client, chair):
    winner = NominationFactory(title="Låsen", state=N.WINNER)
    client.force_login(chair)
    page = client.get(withdraw_url(winner)).content.decode()
    assert "Varför dras vinsten tillbaka? (obligatoriskt)" in page
    response = client.post(withdraw_url(winner), {"expected_state": "winner", "message": " "})
    assert response.status_code == 400
    winner.refresh_from_db()
    assert winner.state == N.WINNER


def test_a_withdrawn_win_is_logged_and_its_reason_shown_in_the_history(client, chair):
    winner = NominationFactory(title="Låsen", state=N.WINNER)
    client.force_login(chair)
    response = client.post(
        withdraw_url(winner),
        {"expected_state": "winner", "message": "De som nämns har ångrat sig."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == JURY
    assert "Vinsten är tillbakadragen" in messages_of(response)[0]
    winner.refresh_from_db()
    assert (winner.state, winner.jury_motivation) == (N.SHORTLISTED, "")
    log = StateLog.objects.for_(winner).get()
    assert (log.transition, log.by, log.description) == (
        "withdraw_winner",
        chair,
        "De som nämns har ångrat sig.",
    )
    page = response.content.decode()
    assert "De som nämns har ångrat sig." in page
    assert f"{chair.full_name} flyttade nomineringen från ”Vinnare” till ”Finalist”." in page


def test_a_win_cannot_be_withdrawn_without_the_confirmation_page(client, chair):
    winner = NominationFactory(state=N.WINNER)
    client.force_login(chair)
    assert client.post(step_url(winner, "withdraw-winner"), {"message": "Ja"}).status_code == 404
    winner.refresh_from_db()
    assert winner.state == N.WINNER


def test_a_juror_who_is_not_the_chair_cannot_withdraw_a_win(client, coach):
    winner = NominationFactory(state=N.WINNER)
    client.force_login(coach)
    assert client.get(withdraw_url(winner)).status_code == 403
    assert client.post(withdraw_url(winner), {"message": "Ja"}).status_code == 403
    winner.refresh_from_db()
    assert winner.state == N.WINNER


# Query counts ---------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def make_nominations(count, **kwargs):
    states = [N.NOMINATED, N.SHORTLISTED, N.NOT_CHOSEN]
    for index in range(count):
        NominationFactory(
            state=states[index % 3], idea=IdeaFactory(state=IdeaState.LEARNED), **kwargs
        )


def test_the_jury_page_runs_the_same_queries_for_2_and_30_nominations(client, coach, chair):
    client.force_login(coach)
    make_nominations(2)
    count_queries(client, JURY)  # warm the content types' cache
    few = count_queries(client, JURY)
    make_nominations(28)
    for index, nomination in enumerate(Nomination.objects.filter(state=N.SHORTLISTED)[:5]):
        voter = UserFactory(roles=[Role.COMMITTEE_MEMBER])
        vote_cast(nomination=nomination, by=voter)
        if index == 0:
            vote_cast(nomination=nomination, by=chair)
            vote_cast(nomination=nomination, by=coach)
    winner = winner_declare(year=THIS_YEAR, by=chair, motivation="Ärligt.")
    transition_perform(name="withdraw_winner", obj=winner, by=chair, message="Fel år.")
    assert count_queries(client, JURY) == few


def test_the_declare_page_runs_the_same_queries_for_2_and_30_finalists(client, chair):
    client.force_login(chair)
    make_nominations(6)
    few = count_queries(client, DECLARE)
    make_nominations(60)
    for nomination in Nomination.objects.filter(state=N.SHORTLISTED)[:10]:
        vote_cast(nomination=nomination, by=UserFactory(roles=[Role.COACH]))
    assert count_queries(client, DECLARE) == few


def test_my_nominations_runs_the_same_queries_for_2_and_30(client, staff):
    client.force_login(staff)
    make_nominations(2, nominated_by=staff)
    few = count_queries(client, MINE)
    make_nominations(28, nominated_by=staff)
    assert count_queries(client, MINE) == few


def test_the_nomination_form_lists_learned_ideas_in_one_query(client, staff):
    client.force_login(staff)
    IdeaFactory.create_batch(2, state=IdeaState.LEARNED)
    few = count_queries(client, NOMINATE)
    IdeaFactory.create_batch(20, state=IdeaState.LEARNED)
    assert count_queries(client, NOMINATE) == few


def test_a_user_with_every_role_still_sees_only_their_own_nominations_on_their_page(client):
    user = UserFactory(roles=[Role.STAFF, Role.COACH])
    NominationFactory(title="Någon annans")
    client.force_login(user)
    assert "Någon annans" not in client.get(MINE).content.decode()
