"""Meeting pages: who may plan, open, close and decide; a whole meeting; refusals; query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from ideasluss.accounts.roles import Role
from ideasluss.errors import RequirementsMissing
from ideasluss.fund.models import (
    ApplicationState,
    ConflictDeclaration,
    Decision,
    DecisionKind,
    Meeting,
    MeetingState,
    Review,
    Score,
)
from ideasluss.fund.selectors import meeting_for_page
from ideasluss.fund.services import conflict_declare, meeting_create
from tests.dates import today
from tests.factories import ApplicationFactory, FundFactory, UserFactory
from tests.fund.pdf import pdf_text
from workflows.fund.services import decision_record, meeting_update
from workflows.transitions import transition_perform


def text_of(response) -> str:
    return response.content.decode()


def planned_meeting(fund, chair, *, agenda=(), attendees=()) -> Meeting:
    meeting = meeting_create(fund=fund, by=chair, date=today(), location="Stadshuset, rum 3")
    meeting_update(meeting=meeting, by=chair, attendees=[chair, *attendees], agenda=agenda)
    return meeting


def open_meeting(fund, chair, **kwargs) -> Meeting:
    meeting = planned_meeting(fund, chair, **kwargs)
    return transition_perform(name="open", obj=meeting, by=chair)


def decision_post(application, **fields) -> dict:
    data = {
        "kind": DecisionKind.APPROVE,
        "amount": "",
        "rationale": "",
        "conditions": "",
        "confirmed": "on",
    }
    data |= fields
    return {"application": application.pk} | {
        f"item-{application.pk}-{name}": value for name, value in data.items()
    }


# --- who may do what ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, fund, chair):
    meeting = planned_meeting(fund, chair)
    for url in [
        reverse("fund:meeting-list"),
        reverse("fund:meeting-detail", args=[meeting.pk]),
        reverse("fund:minutes", args=[meeting.pk]),
        reverse("fund:minutes-pdf", args=[meeting.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"] or "login" in response["Location"]


def test_staff_cannot_see_or_manage_meetings(client, fund, chair, staff):
    meeting = planned_meeting(fund, chair)
    client.force_login(staff)
    assert client.get(reverse("fund:meeting-list")).status_code == 403
    assert client.get(reverse("fund:meeting-detail", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("fund:meeting-create")).status_code == 403
    response = client.post(
        reverse("fund:meeting-create"), {"fund": fund.pk, "date": today().isoformat()}
    )
    assert response.status_code == 403
    assert client.post(reverse("fund:meeting-action", args=[meeting.pk, "open"])).status_code == 403
    assert Meeting.objects.count() == 1
    assert Meeting.objects.get().state == MeetingState.PLANNED


def test_staff_cannot_read_minutes_that_are_not_checked(client, fund, chair, staff):
    meeting = planned_meeting(fund, chair)
    client.force_login(staff)
    assert client.get(reverse("fund:minutes", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("fund:minutes-pdf", args=[meeting.pk])).status_code == 404


def test_a_user_without_a_role_cannot_read_the_minutes(client, fund, chair):
    meeting = planned_meeting(fund, chair)
    client.force_login(UserFactory(roles=[]))
    assert client.get(reverse("fund:minutes", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("fund:minutes-pdf", args=[meeting.pk])).status_code == 404


def test_a_committee_member_sees_meetings_but_cannot_run_them(
    client, fund, application, chair, committee_member
):
    meeting = open_meeting(fund, chair, agenda=[application], attendees=[committee_member])
    client.force_login(committee_member)
    assert client.get(reverse("fund:meeting-list")).status_code == 200
    page = client.get(reverse("fund:meeting-detail", args=[meeting.pk]))
    assert page.status_code == 200
    assert "Registrera beslutet" not in text_of(page)
    assert client.get(reverse("fund:meeting-create")).status_code == 403
    assert client.get(reverse("fund:meeting-edit", args=[meeting.pk])).status_code == 403
    for action in ["open", "close"]:
        url = reverse("fund:meeting-action", args=[meeting.pk, action])
        assert client.post(url).status_code == 403
    response = client.post(
        reverse("fund:meeting-detail", args=[meeting.pk]),
        decision_post(application, rationale="Jag bestämmer."),
    )
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.OPEN
    assert not Decision.objects.exists()


def test_a_coach_cannot_run_meetings(client, fund, application, chair, coach):
    meeting = open_meeting(fund, chair, agenda=[application])
    client.force_login(coach)
    assert client.get(reverse("fund:meeting-detail", args=[meeting.pk])).status_code == 200
    assert (
        client.post(reverse("fund:meeting-action", args=[meeting.pk, "close"])).status_code == 403
    )
    response = client.post(
        reverse("fund:meeting-detail", args=[meeting.pk]),
        decision_post(application, rationale="Ja."),
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


# --- planning -----------------------------------------------------------------------------


def test_the_chair_plans_a_meeting(client, fund, chair):
    client.force_login(chair)
    assert client.get(reverse("fund:meeting-create")).status_code == 200
    response = client.post(
        reverse("fund:meeting-create"),
        {"fund": fund.pk, "date": today().isoformat(), "location": " Kommunhuset "},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fund:meeting-edit", args=[meeting.pk])
    assert (meeting.fund, meeting.number, meeting.chair) == (fund, 1, chair)
    assert meeting.location == "Kommunhuset"
    assert meeting.state == MeetingState.PLANNED


def test_a_meeting_without_a_date_is_not_planned(client, fund, chair):
    client.force_login(chair)
    response = client.post(reverse("fund:meeting-create"), {"fund": fund.pk, "date": ""})
    assert response.status_code == 400
    assert "Det här fältet är obligatoriskt" in text_of(response)
    assert not Meeting.objects.exists()


def test_the_chair_records_attendees_and_agenda(client, fund, chair, members, coach):
    waiting = ApplicationFactory(fund=fund, state=ApplicationState.SUBMITTED)
    draft = ApplicationFactory(fund=fund, state=ApplicationState.DRAFT)
    other_fund = ApplicationFactory(state=ApplicationState.SUBMITTED)
    meeting = planned_meeting(fund, chair)
    client.force_login(chair)
    page = client.get(reverse("fund:meeting-edit", args=[meeting.pk]))
    assert page.status_code == 200
    assert waiting.idea.title in text_of(page)
    assert draft.idea.title not in text_of(page)
    assert other_fund.idea.title not in text_of(page)
    assert members[0].full_name in text_of(page) and coach.full_name in text_of(page)

    response = client.post(
        reverse("fund:meeting-edit", args=[meeting.pk]),
        {"attendees": [chair.pk, members[0].pk, coach.pk], "agenda": [waiting.pk]},
    )
    assert response.status_code == 302
    assert set(meeting.attendees.all()) == {chair, members[0], coach}
    assert list(meeting.agenda.all()) == [waiting]
    waiting.refresh_from_db()
    assert waiting.state == ApplicationState.IN_REVIEW


def test_staff_cannot_be_recorded_as_attending(client, fund, chair, staff):
    meeting = planned_meeting(fund, chair)
    client.force_login(chair)
    response = client.post(
        reverse("fund:meeting-edit", args=[meeting.pk]), {"attendees": [staff.pk]}
    )
    assert response.status_code == 400
    assert list(meeting.attendees.all()) == [chair]


def test_a_closed_meeting_cannot_be_edited(client, fund, application, chair, members):
    meeting = open_meeting(fund, chair, agenda=[application])
    transition_perform(name="close", obj=meeting, by=chair)
    client.force_login(chair)
    response = client.post(
        reverse("fund:meeting-edit", args=[meeting.pk]),
        {"attendees": [chair.pk, members[0].pk], "agenda": [application.pk]},
    )
    assert response.status_code == 400
    assert "Mötet är avslutat; protokollet kan inte längre ändras." in text_of(response)
    assert list(meeting.attendees.all()) == [chair]


def test_opening_twice_is_explained(client, fund, chair):
    meeting = open_meeting(fund, chair)
    client.force_login(chair)
    response = client.post(reverse("fund:meeting-action", args=[meeting.pk, "open"]), follow=True)
    assert "Mötet är redan ”" in text_of(response)


def test_unknown_actions_and_gets_are_refused(client, fund, chair):
    meeting = planned_meeting(fund, chair)
    client.force_login(chair)
    assert (
        client.post(reverse("fund:meeting-action", args=[meeting.pk, "delete"])).status_code == 404
    )
    assert client.get(reverse("fund:meeting-action", args=[meeting.pk, "open"])).status_code == 405
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


# --- meetings on their dates ----------------------------------------------------------------


def _planned_on(fund, chair, date) -> Meeting:
    """A meeting planned (earlier) for `date`, which may lie in the past by now."""
    return Meeting.objects.create(fund=fund, number=90, date=date, chair=chair)


def test_a_meeting_cannot_be_opened_before_its_date(client, fund, chair):
    tomorrow = today() + datetime.timedelta(days=1)
    meeting = meeting_create(fund=fund, by=chair, date=tomorrow)
    client.force_login(chair)
    page = text_of(client.get(reverse("fund:meeting-detail", args=[meeting.pk])))
    day = date_format(tomorrow, "j F Y")
    said = f"Mötet är planerat till {day} och kan öppnas först den dagen."
    assert said in page
    assert reverse("fund:meeting-action", args=[meeting.pk, "open"]) not in page
    response = client.post(reverse("fund:meeting-action", args=[meeting.pk, "open"]), follow=True)
    assert said in text_of(response)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED and meeting.opened_at is None


def test_a_meeting_whose_date_has_passed_cannot_be_opened(fund, chair):
    meeting = _planned_on(fund, chair, today() - datetime.timedelta(days=2))
    with pytest.raises(RequirementsMissing, match="har passerat. Ändra mötets datum"):
        transition_perform(name="open", obj=meeting, by=chair)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


def test_a_meeting_is_opened_on_its_date(client, fund, chair):
    meeting = planned_meeting(fund, chair)
    client.force_login(chair)
    page = text_of(client.get(reverse("fund:meeting-detail", args=[meeting.pk])))
    assert reverse("fund:meeting-action", args=[meeting.pk, "open"]) in page
    client.post(reverse("fund:meeting-action", args=[meeting.pk, "open"]))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.OPEN


def test_a_meeting_is_closed_on_a_later_day(fund, chair):
    meeting = open_meeting(fund, chair)
    Meeting.objects.filter(pk=meeting.pk).update(date=today() - datetime.timedelta(days=1))
    transition_perform(name="close", obj=meeting, by=chair)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED


def test_a_meeting_cannot_be_planned_in_the_past(client, fund, chair):
    client.force_login(chair)
    yesterday = today() - datetime.timedelta(days=1)
    response = client.post(
        reverse("fund:meeting-create"), {"fund": fund.pk, "date": yesterday.isoformat()}
    )
    assert response.status_code == 400
    assert "Ett möte kan inte planeras bakåt i tiden" in text_of(response)
    assert not Meeting.objects.exists()


def test_the_chair_moves_a_planned_meeting_to_another_day(client, fund, chair):
    meeting = _planned_on(fund, chair, today() - datetime.timedelta(days=3))
    client.force_login(chair)
    url = reverse("fund:meeting-date", args=[meeting.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"date": today().isoformat()}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.date == today()
    transition_perform(name="open", obj=meeting, by=chair)


def test_a_meeting_is_not_moved_into_the_past_or_once_opened(client, fund, chair):
    meeting = planned_meeting(fund, chair)
    client.force_login(chair)
    url = reverse("fund:meeting-date", args=[meeting.pk])
    past = (today() - datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"date": past})
    assert response.status_code == 400
    assert "Ett möte kan inte planeras bakåt i tiden" in text_of(response)
    transition_perform(name="open", obj=meeting, by=chair)
    later = (today() + datetime.timedelta(days=7)).isoformat()
    response = client.post(url, {"date": later})
    assert response.status_code == 400
    assert "Mötet har hållits: dess datum kan inte längre ändras." in text_of(response)
    meeting.refresh_from_db()
    assert meeting.date == today()


def test_another_chair_cannot_move_the_meeting(client, fund, chair):
    meeting = planned_meeting(fund, chair)
    other = UserFactory(roles=[Role.COMMITTEE_CHAIR])
    client.force_login(other)
    response = client.post(
        reverse("fund:meeting-date", args=[meeting.pk]),
        {"date": (today() + datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    assert "Bara mötets ordförande ändrar dess datum." in text_of(response)
    meeting.refresh_from_db()
    assert meeting.date == today()


# --- a whole meeting ----------------------------------------------------------------------


def test_a_whole_meeting_from_planning_to_minutes(client, fund, chair, committee_member, members):
    big = ApplicationFactory(fund=fund, total=60_000, idea__title="Digitala lås i hemtjänsten")
    small = ApplicationFactory(fund=fund, total=40_000, idea__title="Läxhjälp på biblioteket")
    recused = UserFactory(
        username="asa", first_name="Åsa", last_name="Öberg", roles=[Role.COMMITTEE_MEMBER]
    )
    fund.committee_members.add(recused)
    conflict_declare(
        application=small, member=recused, has_conflict=True, reason="Min syster är sökande."
    )
    client.force_login(chair)

    response = client.post(
        reverse("fund:meeting-create"),
        {"fund": fund.pk, "date": today().isoformat(), "location": "Stadshuset"},
    )
    meeting = Meeting.objects.get()
    response = client.post(
        reverse("fund:meeting-edit", args=[meeting.pk]),
        {
            "attendees": [chair.pk, recused.pk, committee_member.pk, members[0].pk, members[1].pk],
            "agenda": [big.pk, small.pk],
        },
    )
    assert response.status_code == 302
    response = client.post(reverse("fund:meeting-action", args=[meeting.pk, "open"]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.OPEN

    page = text_of(client.get(reverse("fund:meeting-detail", args=[meeting.pk])))
    assert "Digitala lås i hemtjänsten" in page and "Läxhjälp på biblioteket" in page
    assert "Åsa Öberg" in page
    assert page.count("Registrera beslutet") == 2

    detail = reverse("fund:meeting-detail", args=[meeting.pk])
    response = client.post(
        detail,
        decision_post(
            big,
            kind=DecisionKind.APPROVE_LOWER,
            amount="50000",
            rationale="Bra idé – “lås” som sparar tid, men materialet kan bli billigare.",
            conditions="Rapport till beslutsgruppen i december.",
        ),
    )
    assert response.status_code == 302
    response = client.post(
        detail,
        decision_post(small, kind=DecisionKind.REJECT, rationale="Ryms inte i år."),
        follow=True,
    )
    assert "är registrerat" in text_of(response)

    first, second = Decision.objects.order_by("pk")
    assert (first.kind, first.amount, first.meeting) == (
        DecisionKind.APPROVE_LOWER,
        50_000,
        meeting,
    )
    assert second.kind == DecisionKind.REJECT and second.recused == ["Åsa Öberg"]
    assert "Åsa Öberg" not in second.attendees and "Åsa Öberg" in first.attendees

    response = client.post(reverse("fund:meeting-action", args=[meeting.pk, "close"]))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED

    minutes = text_of(client.get(reverse("fund:minutes", args=[meeting.pk])))
    assert "Protokoll" in minutes
    assert first.registration_number in minutes and second.registration_number in minutes
    assert "Åsa Öberg deltog inte i beslutet på grund av jäv." in minutes
    assert "Beviljad med lägre belopp" in minutes and "Avslagen" in minutes
    assert "Rapport till beslutsgruppen i december." in minutes
    assert "Preliminärt" not in minutes

    response = client.get(reverse("fund:minutes-pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    year = meeting.date.year
    assert (
        f'attachment; filename="protokoll-{fund.registration_prefix}-{year}-mote-1.pdf"'
        == response["Content-Disposition"]
    )
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert first.registration_number in text and second.registration_number in text
    assert "Digitala lås i hemtjänsten" in text
    assert "Åsa Öberg" in text
    assert "“lås”" in text


def test_closing_prevents_further_decisions(client, fund, application, chair):
    meeting = open_meeting(fund, chair, agenda=[application])
    client.force_login(chair)
    client.post(reverse("fund:meeting-action", args=[meeting.pk, "close"]))
    response = client.post(
        reverse("fund:meeting-detail", args=[meeting.pk]),
        decision_post(application, rationale="För sent."),
    )
    assert response.status_code == 400
    assert "Beslut registreras vid ett pågående möte." in text_of(response)
    assert not Decision.objects.exists()
    page = text_of(client.get(reverse("fund:meeting-detail", args=[meeting.pk])))
    assert "Registrera beslutet" not in page


def test_a_recused_chair_is_refused_and_nothing_is_written(client, fund, application, chair):
    meeting = open_meeting(fund, chair, agenda=[application])
    conflict_declare(
        application=application, member=chair, has_conflict=True, reason="Min bror söker."
    )
    client.force_login(chair)
    page = text_of(client.get(reverse("fund:meeting-detail", args=[meeting.pk])))
    assert "Registrera beslutet" not in page
    response = client.post(
        reverse("fund:meeting-detail", args=[meeting.pk]),
        decision_post(application, rationale="Jag tycker ja."),
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Du är jävig i ärendet" in page
    assert "Jag tycker ja." in page  # the form is kept
    assert not Decision.objects.exists()
    application.refresh_from_db()
    assert application.state == ApplicationState.IN_REVIEW


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"rationale": "   "}, "Skriv en motivering till beslutet: den är offentlig."),
        ({"kind": "", "rationale": "Ja"}, "Välj ett beslut."),
        (
            {"kind": DecisionKind.APPROVE_LOWER, "rationale": "Lägre"},
            "Ange det lägre belopp som beviljas",
        ),
        ({"kind": DecisionKind.APPROVE_LOWER, "amount": "-5", "rationale": "Ja"}, "1"),
    ],
)
def test_bad_decisions_keep_the_form_and_write_nothing(
    client, fund, application, chair, fields, message
):
    meeting = open_meeting(fund, chair, agenda=[application])
    client.force_login(chair)
    response = client.post(
        reverse("fund:meeting-detail", args=[meeting.pk]),
        decision_post(application, conditions="Villkoret finns kvar", **fields),
    )
    assert response.status_code == 400
    assert message in text_of(response)
    assert "Villkoret finns kvar" in text_of(response)
    assert not Decision.objects.exists()


def test_a_decision_over_the_remaining_capital_is_refused(client, chair):
    fund = FundFactory(capital=100_000, delegated_limit=10_000, committee=[chair])
    application = ApplicationFactory(fund=fund, total=150_000)
    meeting = open_meeting(fund, chair, agenda=[application])
    client.force_login(chair)
    response = client.post(
        reverse("fund:meeting-detail", args=[meeting.pk]),
        decision_post(application, rationale="Alla pengar."),
    )
    assert response.status_code == 400
    assert "Fonden har bara 100\xa0000 kr kvar att bevilja" in text_of(response)
    assert not Decision.objects.exists()


def test_an_application_not_on_the_agenda_is_refused(client, fund, application, chair):
    meeting = open_meeting(fund, chair)
    client.force_login(chair)
    response = client.post(
        reverse("fund:meeting-detail", args=[meeting.pk]),
        decision_post(application, rationale="Ja."),
    )
    assert response.status_code == 400
    assert "Ta först upp ansökan på mötets dagordning." in text_of(response)
    assert not Decision.objects.exists()


def test_an_application_of_another_fund_is_refused(client, fund, chair):
    meeting = open_meeting(fund, chair)
    stranger = ApplicationFactory()
    client.force_login(chair)
    response = client.post(
        reverse("fund:meeting-detail", args=[meeting.pk]),
        decision_post(stranger, rationale="Ja."),
    )
    assert response.status_code == 400
    assert not Decision.objects.exists()


# --- scores and recusals on the meeting page -------------------------------------------------


def _score(application, member, value):
    review = Review.objects.create(application=application, member=member)
    Score.objects.bulk_create(
        Score(review=review, criterion=criterion, value=value)
        for criterion in application.fund.criteria.all()
    )


def test_the_mean_score_is_shown_only_to_who_may_see_scores(
    client, fund, application, chair, coach, members
):
    ConflictDeclaration.objects.create(
        application=application, member=members[0], has_conflict=False
    )
    ConflictDeclaration.objects.create(
        application=application, member=members[1], has_conflict=True, reason="Jäv"
    )
    _score(application, members[0], 4)
    meeting = planned_meeting(fund, chair, agenda=[application])
    url = reverse("fund:meeting-detail", args=[meeting.pk])

    client.force_login(coach)
    assert "4,0 av 5" in text_of(client.get(url))
    client.force_login(members[0])
    assert "4,0 av 5" in text_of(client.get(url))
    client.force_login(members[1])  # recused
    page = text_of(client.get(url))
    assert "4,0 av 5" not in page
    assert members[1].full_name in page  # listed as recused
    client.force_login(members[2])  # has not scored yet
    assert "4,0 av 5" not in text_of(client.get(url))


# --- the list -----------------------------------------------------------------------------


def test_the_list_shows_upcoming_and_held_meetings(client, fund, chair, committee_member):
    upcoming = planned_meeting(fund, chair)
    held = open_meeting(fund, chair)
    transition_perform(name="close", obj=held, by=chair)
    client.force_login(committee_member)
    page = text_of(client.get(reverse("fund:meeting-list")))
    assert reverse("fund:meeting-detail", args=[upcoming.pk]) in page
    assert reverse("fund:meeting-detail", args=[held.pk]) not in page
    page = text_of(client.get(reverse("fund:meeting-list"), {"when": "held", "fund": fund.pk}))
    assert reverse("fund:meeting-detail", args=[held.pk]) in page
    assert reverse("fund:meeting-detail", args=[upcoming.pk]) not in page


def _meetings(fund, chair, count):
    for number in range(count):
        meeting = Meeting.objects.create(
            fund=fund, number=number + 100, date=today(), chair=chair, location="Rum"
        )
        meeting.agenda.add(ApplicationFactory(fund=fund))


def queries_for(client, url) -> int:
    """Queries one page view runs (after a first view has warmed per-process caches)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_the_list_runs_the_same_queries_for_2_and_30_meetings(client, chair, committee_member):
    few, many = FundFactory(), FundFactory()
    _meetings(few, chair, 2)
    _meetings(many, chair, 30)
    client.force_login(committee_member)
    url = reverse("fund:meeting-list")
    counts = [queries_for(client, f"{url}?fund={fund.pk}") for fund in (few, many)]
    assert counts[0] == counts[1] <= 10
    page = text_of(client.get(f"{url}?fund={many.pk}"))
    assert page.count("<tr>") == 20 + 1  # one page of 20, and the heading row


# --- query counts ---------------------------------------------------------------------------


def _busy_meeting(fund, chair, members, count) -> Meeting:
    """An open meeting with `count` items, each with declarations (one recusal) and a review."""
    applications = [ApplicationFactory(fund=fund, total=1_000) for _ in range(count)]
    for application in applications:
        ConflictDeclaration.objects.create(
            application=application, member=members[0], has_conflict=True, reason="Jäv"
        )
        ConflictDeclaration.objects.create(
            application=application, member=chair, has_conflict=False
        )
        _score(application, chair, 3)
    meeting = open_meeting(fund, chair, agenda=applications, attendees=members)
    for application in applications[: count // 2]:
        decision_record(
            application=application,
            by=chair,
            meeting=meeting,
            kind=DecisionKind.APPROVE,
            rationale="Bra.",
        )
    return meeting


def test_the_meeting_page_and_minutes_run_the_same_queries_for_2_and_10_items(
    client, chair, members
):
    small = _busy_meeting(FundFactory(committee=[chair, *members]), chair, members, 2)
    large = _busy_meeting(FundFactory(committee=[chair, *members]), chair, members, 10)
    client.force_login(chair)
    for name, limit in [
        # The page also reads the fund's committee and the minute checkers and signatures.
        ("fund:meeting-detail", 16),
        # The minutes also name the minute checkers and who has signed them.
        ("fund:minutes", 12),
        ("fund:minutes-pdf", 12),
    ]:
        counts = [queries_for(client, reverse(name, args=[m.pk])) for m in (small, large)]
        assert counts[0] == counts[1] <= limit, name
    page = text_of(client.get(reverse("fund:meeting-detail", args=[large.pk])))
    assert page.count("Registrera beslutet") == 5
    minutes = text_of(client.get(reverse("fund:minutes", args=[large.pk])))
    assert minutes.count("deltog inte i beslutet på grund av jäv") == 5


def test_the_recusal_rules_read_prefetched_declarations_and_reviews(
    fund, application, chair, members, django_assert_num_queries
):
    """The meeting page checks rules per item on prefetched rows; the answers must not change."""
    ConflictDeclaration.objects.create(
        application=application, member=members[0], has_conflict=True, reason="Jäv"
    )
    ConflictDeclaration.objects.create(
        application=application, member=members[1], has_conflict=False
    )
    _score(application, members[1], 5)
    meeting = planned_meeting(fund, chair, agenda=[application])
    users = [chair, *members]
    permissions = ["fund.see_scores", "fund.review_application", "fund.declare_conflict"]
    expected = {(u.pk, p): u.has_perm(p, application) for u in users for p in permissions}
    assert expected[(members[0].pk, "fund.see_scores")] is False
    assert expected[(members[1].pk, "fund.see_scores")] is True

    prefetched = meeting_for_page(pk=meeting.pk).items.all()[0].application
    for user in users:
        user.has_perm("fund.access_fund")  # loads the user's groups once
    with django_assert_num_queries(0):
        actual = {(u.pk, p): u.has_perm(p, prefetched) for u in users for p in permissions}
    assert actual == expected
