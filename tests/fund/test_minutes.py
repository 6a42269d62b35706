"""Minutes generated from a meeting's decisions: content, corrections, PDF and file name."""

import datetime

from django.urls import reverse
from django.utils import translation

from ideasluss.fund.minutes import minutes_filename, minutes_for, minutes_pdf
from ideasluss.fund.models import DecisionKind, Meeting
from ideasluss.fund.services import conflict_declare, meeting_create
from tests.factories import ApplicationFactory, FundFactory, UserFactory
from tests.fund.pdf import pdf_text
from workflows.fund.services import decision_record, meeting_update
from workflows.transitions import transition_perform


def held_meeting(fund, chair, applications, attendees=()) -> Meeting:
    meeting = meeting_create(fund=fund, by=chair, date=datetime.date(2026, 3, 12))
    meeting_update(meeting=meeting, by=chair, attendees=[chair, *attendees], agenda=applications)
    return transition_perform(name="open", obj=meeting, by=chair)


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
    assert [e.paragraph for e in minutes.entries] == [1, 2]
    assert [e.registration_number for e in minutes.entries] == [
        one.registration_number,
        two.registration_number,
    ]
    assert minutes.entries[0].recused == []
    assert minutes.entries[1].recused == [members[0].full_name]
    assert members[0].full_name not in minutes.entries[1].attendees
    assert minutes.undecided == [tabled.idea.title]
    assert sorted(minutes.attendees) == sorted(u.full_name for u in [chair, *members])


def test_a_correction_is_noted_on_both_decisions(client, fund, chair):
    application = ApplicationFactory(fund=fund, total=80_000)
    meeting = held_meeting(fund, chair, [application])
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

    with translation.override("sv"):
        text = pdf_text(minutes_pdf(minutes_for(meeting)))
    assert f"Beslutet ersätter beslut {wrong.registration_number}" in text
    assert "Preliminärt" in text


def test_the_pdf_is_swedish_and_survives_any_text(fund, chair):
    application = ApplicationFactory(fund=fund, idea__title="Łódź-modellen 🚲 för “cykelpooler”")
    meeting = held_meeting(fund, chair, [application])
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
    meeting = meeting_create(fund=fund, by=chair, date=datetime.date(2026, 3, 12))
    client.force_login(UserFactory())  # staff may read minutes
    page = client.get(reverse("fund:minutes", args=[meeting.pk])).content.decode()
    assert "Inga beslut fattades vid mötet." in page
    response = client.get(reverse("fund:minutes-pdf", args=[meeting.pk]))
    assert "Inga beslut fattades vid mötet." in pdf_text(response.content)


def test_minutes_of_a_missing_meeting_are_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("fund:minutes", args=[999])).status_code == 404
    assert client.get(reverse("fund:minutes-pdf", args=[999])).status_code == 404
