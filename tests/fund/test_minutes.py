"""Minutes generated from a meeting's agenda and decisions: content, corrections, PDF and
file name; the minute checkers, justering (signing) and posting, and who may read them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from ideasluss.accounts.roles import Role
from ideasluss.errors import NotAllowed, RequirementsMissing
from ideasluss.fund.minutes import minutes_filename, minutes_for, minutes_pdf
from ideasluss.fund.models import (
    APPEAL_PERIOD,
    AgendaItem,
    DecisionKind,
    Meeting,
    MeetingState,
    MinutesSignature,
)
from ideasluss.fund.services import conflict_declare, meeting_create
from tests.dates import today
from tests.factories import ApplicationFactory, FundFactory, UserFactory
from tests.fund.pdf import pdf_text
from workflows.fund.services import (
    agenda_move,
    decision_record,
    meeting_minute_checkers_set,
    meeting_update,
    minutes_sign,
)
from workflows.transitions import transition_perform


def held_meeting(fund, chair, applications, attendees=()) -> Meeting:
    """An open meeting (held today) with `attendees` and `applications` on the agenda."""
    meeting = meeting_create(fund=fund, by=chair, date=today())
    meeting_update(meeting=meeting, by=chair, attendees=[chair, *attendees], agenda=applications)
    return transition_perform(name="open", obj=meeting, by=chair)


def closed_meeting(fund, chair, members, *, checkers=None) -> Meeting:
    """A meeting held and closed, with one decision and `checkers` (default: the first
    member) chosen."""
    application = ApplicationFactory(fund=fund)
    meeting = held_meeting(fund, chair, [application], attendees=members)
    decide(meeting, application, chair)
    checkers = members[:1] if checkers is None else checkers
    if checkers:
        meeting_minute_checkers_set(meeting=meeting, by=chair, checkers=checkers)
    return transition_perform(name="close", obj=meeting, by=chair)


def checked_meeting(fund, chair, members) -> Meeting:
    meeting = closed_meeting(fund, chair, members)
    minutes_sign(meeting=meeting, by=chair)
    minutes_sign(meeting=meeting, by=members[0])
    meeting.refresh_from_db()
    return meeting


def decide(meeting, application, chair, kind=DecisionKind.APPROVE, **kwargs):
    return decision_record(
        application=application,
        by=chair,
        meeting=meeting,
        kind=kind,
        rationale=kwargs.pop("rationale", "Motivering."),
        **kwargs,
    )


def test_the_minutes_list_the_decisions_in_the_order_they_were_made(fund, chair, members):
    first, second, tabled = (ApplicationFactory(fund=fund) for _ in range(3))
    conflict_declare(application=second, member=members[0], has_conflict=True, reason="Jäv.")
    meeting = held_meeting(fund, chair, [first, second, tabled], attendees=members)
    one = decide(meeting, first, chair, conditions="Återrapport i juni.")
    two = decide(meeting, second, chair, kind=DecisionKind.REJECT)
    transition_perform(name="close", obj=meeting, by=chair)

    minutes = minutes_for(meeting)
    assert minutes.is_final
    assert [p.paragraph for p in minutes.paragraphs] == [1, 2, 3]
    assert [e.registration_number for e in minutes.entries] == [
        one.registration_number,
        two.registration_number,
    ]
    assert minutes.entries[0].recused == []
    assert minutes.entries[1].recused == [members[0].full_name]
    assert members[0].full_name not in minutes.entries[1].attendees
    assert minutes.paragraphs[2].title == tabled.idea.title
    assert not minutes.paragraphs[2].is_decided
    assert sorted(minutes.attendees) == sorted(u.full_name for u in [chair, *members])


def test_the_minutes_follow_the_agenda_order_with_a_paragraph_for_every_item(
    client, fund, chair, members
):
    first, second, third = (
        ApplicationFactory(fund=fund, idea__title=title) for title in ("Alfa", "Beta", "Gamma")
    )
    meeting = held_meeting(fund, chair, [first, second, third], attendees=members)
    for application, position in ((first, 3), (second, 1), (third, 2)):
        AgendaItem.objects.filter(meeting=meeting, application=application).update(
            position=position
        )
    decide(meeting, first, chair)  # decided first, but third on the agenda
    decide(meeting, second, chair, kind=DecisionKind.REJECT)
    transition_perform(name="close", obj=meeting, by=chair)

    minutes = minutes_for(meeting)
    assert [(p.paragraph, p.title, p.is_decided) for p in minutes.paragraphs] == [
        (1, "Beta", True),
        (2, "Gamma", False),
        (3, "Alfa", True),
    ]
    client.force_login(chair)
    page = client.get(reverse("fund:minutes", args=[meeting.pk])).content.decode()
    assert page.index("§ 1 Beta") < page.index("§ 2 Gamma") < page.index("§ 3 Alfa")
    assert "Ärendet bordlades" in page
    with translation.override("sv"):
        text = pdf_text(minutes_pdf(minutes))
    assert "Ärendet bordlades" in text


def test_a_correction_at_a_later_meeting_is_a_paragraph_of_that_meeting(fund, chair, members):
    application = ApplicationFactory(fund=fund, total=80_000)
    first = held_meeting(fund, chair, [application], attendees=members)
    wrong = decide(first, application, chair)
    transition_perform(name="close", obj=first, by=chair)
    later = held_meeting(fund, chair, [], attendees=members)
    right = decide(
        later,
        application,
        chair,
        kind=DecisionKind.APPROVE_LOWER,
        amount=60_000,
        supersedes=wrong,
        rationale="Rättelse.",
    )
    paragraphs = minutes_for(later).paragraphs
    assert [(p.paragraph, [e.decision for e in p.entries]) for p in paragraphs] == [(1, [right])]
    assert [e.decision for e in minutes_for(first).entries] == [wrong]


def test_a_correction_is_noted_on_both_decisions(client, fund, chair, committee_member):
    application = ApplicationFactory(fund=fund, total=80_000)
    meeting = held_meeting(fund, chair, [application], attendees=[committee_member])
    wrong = decide(meeting, application, chair)
    right = decide(
        meeting,
        application,
        chair,
        kind=DecisionKind.APPROVE_LOWER,
        amount=60_000,
        supersedes=wrong,
        rationale="Rättelse: beloppet skulle vara 60 000 kr.",
    )
    client.force_login(chair)
    page = client.get(reverse("fund:minutes", args=[meeting.pk])).content.decode()
    assert f"Beslutet har ersatts av beslut {right.registration_number} den" in page
    assert f"Beslutet ersätter beslut {wrong.registration_number} den" in page
    assert "Preliminärt: mötet är inte avslutat" in page
    assert page.count("§ ") == 1  # both decisions are on the one agenda item

    with translation.override("sv"):
        text = pdf_text(minutes_pdf(minutes_for(meeting)))
    assert f"Beslutet ersätter beslut {wrong.registration_number}" in text
    assert "Preliminärt" in text


def test_the_pdf_is_swedish_and_survives_any_text(fund, chair, committee_member):
    application = ApplicationFactory(fund=fund, idea__title="Łódź-modellen 🚲 för “cykelpooler”")
    meeting = held_meeting(fund, chair, [application], attendees=[committee_member])
    decide(
        meeting,
        application,
        chair,
        rationale="Å ä ö – “citat” <b>ingen markup</b> & mer.\n" + "Lång motivering. " * 400,
    )
    with translation.override("sv"):
        pdf = minutes_pdf(minutes_for(meeting))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Protokoll" in text
    assert "(Å ä ö – “citat” <)" in text  # markup in the text is printed, not applied
    assert "(> & mer.)" in text
    assert "-modellen" in text  # characters Helvetica lacks are drawn as boxes, not errors
    assert "sida 2" in text  # a long rationale flows onto the next page


def test_the_file_name_names_fund_year_and_meeting():
    fund = FundFactory.build(registration_prefix="IF")
    meeting = Meeting(fund=fund, number=3, date=datetime.date(2026, 5, 4))
    assert minutes_filename(meeting) == "protokoll-IF-2026-mote-3.pdf"
    meeting.fund.registration_prefix = "Kultur/ÅÄ"
    assert minutes_filename(meeting) == "protokoll-Kultur-2026-mote-3.pdf"


def test_minutes_without_decisions_say_so(client, fund, chair):
    meeting = meeting_create(fund=fund, by=chair, date=today())
    client.force_login(UserFactory(roles=[Role.COMMITTEE_MEMBER]))
    page = client.get(reverse("fund:minutes", args=[meeting.pk])).content.decode()
    assert "Inga beslut fattades vid mötet." in page
    response = client.get(reverse("fund:minutes-pdf", args=[meeting.pk]))
    assert "Inga beslut fattades vid mötet." in pdf_text(response.content)


def test_minutes_of_a_missing_meeting_are_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("fund:minutes", args=[999])).status_code == 404
    assert client.get(reverse("fund:minutes-pdf", args=[999])).status_code == 404


# --- the minute checkers -------------------------------------------------------------------


def test_the_chair_chooses_attending_members_as_checkers(client, fund, chair, members):
    meeting = held_meeting(fund, chair, [], attendees=members)
    client.force_login(chair)
    url = reverse("fund:meeting-checkers", args=[meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"checkers": [members[0].pk, members[1].pk]})
    assert response.status_code == 302
    assert set(meeting.minute_checkers.all()) == {members[0], members[1]}
    page = client.get(reverse("fund:minutes", args=[meeting.pk])).content.decode()
    assert f"{members[0].full_name}, {members[1].full_name}" in page or (
        f"{members[1].full_name}, {members[0].full_name}" in page
    )


def test_a_coach_cannot_check_the_minutes(fund, chair, coach, members):
    meeting = held_meeting(fund, chair, [], attendees=[coach, *members])
    with pytest.raises(RequirementsMissing, match="föredrar ärenden och justerar inte"):
        meeting_minute_checkers_set(meeting=meeting, by=chair, checkers=[coach])
    assert not meeting.minute_checkers.exists()


def test_the_chair_is_not_a_checker(fund, chair, members):
    meeting = held_meeting(fund, chair, [], attendees=members)
    with pytest.raises(RequirementsMissing, match="Ordföranden justerar protokollet ändå"):
        meeting_minute_checkers_set(meeting=meeting, by=chair, checkers=[chair])
    assert not meeting.minute_checkers.exists()


def test_a_checker_must_attend(fund, chair, members):
    meeting = held_meeting(fund, chair, [], attendees=members[:1])
    with pytest.raises(RequirementsMissing, match="inte registrerad som närvarande"):
        meeting_minute_checkers_set(meeting=meeting, by=chair, checkers=[members[2]])


def test_one_or_two_checkers(fund, chair, members):
    meeting = held_meeting(fund, chair, [], attendees=members)
    for checkers in ([], members):
        with pytest.raises(RequirementsMissing, match="Välj en eller två justerare."):
            meeting_minute_checkers_set(meeting=meeting, by=chair, checkers=checkers)
    assert not meeting.minute_checkers.exists()


def test_a_coach_posted_as_checker_is_refused_with_a_message(client, fund, chair, coach, members):
    meeting = held_meeting(fund, chair, [], attendees=[coach, *members])
    client.force_login(chair)
    response = client.post(
        reverse("fund:meeting-checkers", args=[meeting.pk]), {"checkers": [coach.pk]}
    )
    assert response.status_code == 400
    assert "Välj justerare bland de närvarande ledamöterna" in response.content.decode()
    response = client.post(reverse("fund:meeting-checkers", args=[meeting.pk]), {"checkers": ["x"]})
    assert response.status_code == 400
    assert not meeting.minute_checkers.exists()


def test_checkers_cannot_change_once_the_minutes_are_checked(fund, chair, members):
    meeting = checked_meeting(fund, chair, members)
    with pytest.raises(NotAllowed, match="Protokollet är redan justerat"):
        meeting_minute_checkers_set(meeting=meeting, by=chair, checkers=[members[1]])
    assert list(meeting.minute_checkers.all()) == [members[0]]


# --- justering ---------------------------------------------------------------------------


def test_minutes_are_a_draft_until_checked(client, fund, chair, members, staff):
    meeting = closed_meeting(fund, chair, members)
    client.force_login(members[1])
    page = client.get(reverse("fund:minutes", args=[meeting.pk])).content.decode()
    assert "Protokollet är inte justerat" in page
    with translation.override("sv"):
        assert "Protokollet är inte justerat" in pdf_text(minutes_pdf(minutes_for(meeting)))
    client.force_login(staff)
    assert client.get(reverse("fund:minutes", args=[meeting.pk])).status_code == 404


def test_checked_minutes_are_no_draft_and_every_employee_reads_them(
    client, fund, chair, members, staff
):
    meeting = checked_meeting(fund, chair, members)
    client.force_login(staff)
    page = client.get(reverse("fund:minutes", args=[meeting.pk])).content.decode()
    assert "Protokollet är inte justerat" not in page
    assert "Justerat " in page and chair.full_name in page and members[0].full_name in page
    pdf = client.get(reverse("fund:minutes-pdf", args=[meeting.pk]))
    assert "Protokollet är inte justerat" not in pdf_text(pdf.content)


def test_the_chair_and_each_checker_sign_once(fund, chair, members):
    meeting = closed_meeting(fund, chair, members, checkers=members[:2])
    minutes_sign(meeting=meeting, by=chair)
    with pytest.raises(NotAllowed, match="Du har redan justerat protokollet."):
        minutes_sign(meeting=meeting, by=chair)
    minutes_sign(meeting=meeting, by=members[0])
    with pytest.raises(NotAllowed, match="Du har redan justerat protokollet."):
        minutes_sign(meeting=meeting, by=members[0])
    assert MinutesSignature.objects.filter(meeting=meeting).count() == 2
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED and meeting.checked_at is None


def test_the_last_signature_checks_the_minutes(fund, chair, members):
    meeting = closed_meeting(fund, chair, members, checkers=members[:2])
    minutes_sign(meeting=meeting, by=members[1])
    minutes_sign(meeting=meeting, by=chair)
    minutes_sign(meeting=meeting, by=members[0])
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CHECKED and meeting.checked_at is not None
    with pytest.raises(NotAllowed, match="Protokollet är redan justerat."):
        minutes_sign(meeting=meeting, by=members[2])


def test_only_the_chair_and_the_checkers_sign(fund, chair, members, coach):
    meeting = closed_meeting(fund, chair, members)
    for outsider in (members[1], coach):
        with pytest.raises(NotAllowed, match="Bara mötets ordförande och dess justerare"):
            minutes_sign(meeting=meeting, by=outsider)
    assert not MinutesSignature.objects.exists()


def test_the_minutes_are_signed_after_the_meeting_is_closed(fund, chair, members):
    application = ApplicationFactory(fund=fund)
    meeting = held_meeting(fund, chair, [application], attendees=members)
    meeting_minute_checkers_set(meeting=meeting, by=chair, checkers=members[:1])
    with pytest.raises(NotAllowed, match="Protokollet justeras när mötet är avslutat."):
        minutes_sign(meeting=meeting, by=chair)
    assert not MinutesSignature.objects.exists()


def test_minutes_without_checkers_cannot_be_checked(client, fund, chair, members):
    meeting = closed_meeting(fund, chair, members, checkers=[])
    with pytest.raises(RequirementsMissing, match="Protokollet har inga justerare ännu"):
        minutes_sign(meeting=meeting, by=chair)
    client.force_login(chair)
    page = client.get(reverse("fund:minutes-sign", args=[meeting.pk])).content.decode()
    assert "Protokollet har inga justerare ännu" in page
    response = client.post(reverse("fund:minutes-sign", args=[meeting.pk]))
    assert response.status_code == 400
    assert not MinutesSignature.objects.exists()


def test_checkers_sign_on_the_minutes_page_after_confirming(client, fund, chair, members):
    meeting = closed_meeting(fund, chair, members)
    url = reverse("fund:minutes-sign", args=[meeting.pk])
    for signer in (chair, members[0]):
        client.force_login(signer)
        minutes_page = client.get(reverse("fund:minutes", args=[meeting.pk])).content.decode()
        assert url in minutes_page
        assert "Justera protokollet" in client.get(url).content.decode()
        assert client.post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CHECKED


# --- posting -------------------------------------------------------------------------------


def test_posting_sets_the_date_and_the_appeal_deadline(client, fund, chair, members):
    meeting = checked_meeting(fund, chair, members)
    client.force_login(chair)
    url = reverse("fund:minutes-post", args=[meeting.pk])
    assert "Anslå protokollet" in client.get(url).content.decode()
    assert client.post(url, {"expected_state": "checked"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.POSTED
    assert meeting.posted_on == today()
    posted = today()
    assert meeting.appeal_deadline == posted + datetime.timedelta(days=21) == posted + APPEAL_PERIOD


def test_minutes_that_are_not_checked_cannot_be_posted(client, fund, chair, members):
    meeting = closed_meeting(fund, chair, members)
    client.force_login(chair)
    response = client.post(reverse("fund:minutes-post", args=[meeting.pk]))
    assert response.status_code == 400
    assert "Protokollet kan anslås när det är justerat" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED and meeting.posted_on is None


def test_only_the_meetings_chair_posts(client, fund, chair, members):
    meeting = checked_meeting(fund, chair, members)
    client.force_login(members[0])
    assert client.post(reverse("fund:minutes-post", args=[meeting.pk])).status_code == 403
    client.force_login(UserFactory(roles=[Role.COMMITTEE_CHAIR]))
    assert client.post(reverse("fund:minutes-post", args=[meeting.pk])).status_code == 403
    meeting.refresh_from_db()
    assert meeting.posted_on is None


def test_a_minute_checker_cannot_be_removed_from_the_attendees(fund, chair, members):
    application = ApplicationFactory(fund=fund)
    meeting = held_meeting(fund, chair, [application], attendees=members)
    meeting_minute_checkers_set(meeting=meeting, by=chair, checkers=[members[0]])
    with pytest.raises(RequirementsMissing, match="justerar protokollet"):
        meeting_update(meeting=meeting, by=chair, attendees=members[1:])
    assert set(meeting.attendees.all()) == {chair, *members}


def test_the_chair_reorders_the_agenda_and_the_minutes_follow(client, fund, chair, members):
    first = ApplicationFactory(fund=fund, idea__title="Första ärendet")
    second = ApplicationFactory(fund=fund, idea__title="Andra ärendet")
    meeting = held_meeting(fund, chair, [first, second], attendees=members)
    client.force_login(chair)
    response = client.post(
        reverse("fund:agenda-move", args=[meeting.pk, second.pk, "up"]), follow=True
    )
    assert response.status_code == 200
    titles = [p.title for p in minutes_for(meeting).paragraphs]
    assert titles == ["Andra ärendet", "Första ärendet"]
    page = response.content.decode()
    assert page.index("§ 1. Andra ärendet") < page.index("§ 2. Första ärendet")


def test_a_closed_meetings_agenda_cannot_be_reordered(fund, chair, members):
    first, second = ApplicationFactory(fund=fund), ApplicationFactory(fund=fund)
    meeting = held_meeting(fund, chair, [first, second], attendees=members)
    transition_perform(name="close", obj=meeting, by=chair)
    with pytest.raises(NotAllowed):
        agenda_move(meeting=meeting, application=second, by=chair, step=-1)
    assert [i.application_id for i in meeting.items.order_by("position")] == [first.pk, second.pk]


def test_a_checker_sits_on_the_funds_committee(fund, chair, members):
    outsider = UserFactory(roles=[Role.STAFF, Role.COMMITTEE_MEMBER])
    meeting = held_meeting(fund, chair, [], attendees=[*members, outsider])
    with pytest.raises(RequirementsMissing):
        meeting_minute_checkers_set(meeting=meeting, by=chair, checkers=[outsider])
    assert not meeting.minute_checkers.exists()
