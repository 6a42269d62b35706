"""Every fund decision is confirmed before it is recorded, on a page that shows what it
says, who takes part and that there is a quorum; and the meeting page says before anyone
tries why an item cannot be decided."""

from django.urls import reverse

from ideasluss.fund.models import AgendaItem, Decision, DecisionKind
from tests.factories import ApplicationFactory
from tests.fund.decision_helpers import open_meeting


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _post(application, **fields) -> dict:
    data = {"kind": DecisionKind.APPROVE, "rationale": "Stor nytta för invånarna.", **fields}
    return {"application": application.pk} | {
        f"item-{application.pk}-{name}": value for name, value in data.items()
    }


def test_a_meeting_decision_is_shown_for_confirmation_and_nothing_is_written(
    client, fund, chair, committee_member, coach
):
    application = ApplicationFactory(fund=fund, total=20_000, idea__title="Lånecyklar")
    meeting = open_meeting(
        fund=fund, chair=chair, attendees=[committee_member, coach], agenda=[application]
    )
    client.force_login(chair)
    response = client.post(reverse("fund:meeting-detail", args=[meeting.pk]), _post(application))
    page = _text(response)
    assert response.status_code == 200
    assert "Bekräfta beslutet" in page
    assert "20 000 kr" in page
    assert committee_member.full_name in page and chair.full_name in page
    assert "Närvarande utan att delta i beslutet (föredragande)" in page
    assert coach.full_name in page
    assert "Ja: 2 av beslutsgruppens 2 ledamöter deltar (2 behövs)." in page
    assert not Decision.objects.exists()


def test_confirming_records_the_decision(client, fund, chair, committee_member):
    application = ApplicationFactory(fund=fund, total=20_000)
    meeting = open_meeting(
        fund=fund, chair=chair, attendees=[committee_member], agenda=[application]
    )
    client.force_login(chair)
    response = client.post(
        reverse("fund:meeting-detail", args=[meeting.pk]), _post(application, confirmed="on")
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.amount == 20_000 and decision.chaired_by == chair.full_name


def test_changing_the_decision_returns_to_the_form_with_what_was_written(
    client, fund, chair, committee_member
):
    application = ApplicationFactory(fund=fund)
    meeting = open_meeting(
        fund=fund, chair=chair, attendees=[committee_member], agenda=[application]
    )
    client.force_login(chair)
    response = client.post(
        reverse("fund:meeting-detail", args=[meeting.pk]),
        _post(application, confirmed="on", rationale="Ett utkast.") | {"revise": "1"},
    )
    assert response.status_code == 200
    assert "Ett utkast." in response.content.decode()
    assert not Decision.objects.exists()


def test_the_meeting_page_says_why_an_item_lacks_a_quorum(client, fund, chair, members):
    application = ApplicationFactory(fund=fund)
    meeting = open_meeting(fund=fund, chair=chair, attendees=[], agenda=[application])
    client.force_login(chair)
    page = _text(client.get(reverse("fund:meeting-detail", args=[meeting.pk])))
    assert "Nej: 1 av 5 ledamöter deltar, 3 behövs" in page
    assert "inte beslutför" in page
    assert "Registrera beslutet" not in page


def test_the_chair_appoints_a_stand_in_who_then_decides(client, fund, chair, members):
    application = ApplicationFactory(fund=fund)
    application.idea.co_owners.add(chair)
    meeting = open_meeting(fund=fund, chair=chair, attendees=members, agenda=[application])
    client.force_login(chair)
    page = _text(client.get(reverse("fund:meeting-detail", args=[meeting.pk])))
    assert "Ordföranden är jävig i det här ärendet" in page
    response = client.post(
        reverse("fund:stand-in", args=[meeting.pk, application.pk]), {"member": members[1].pk}
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(meeting=meeting).stand_in == members[1]

    client.force_login(members[1])
    response = client.post(
        reverse("fund:meeting-detail", args=[meeting.pk]), _post(application, confirmed="on")
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.chaired_by == members[1].full_name
    assert chair.full_name in decision.recused


def test_a_disqualified_member_cannot_be_appointed_over_http(client, fund, chair, members):
    application = ApplicationFactory(fund=fund)
    application.idea.co_owners.add(chair, members[0])
    meeting = open_meeting(fund=fund, chair=chair, attendees=members, agenda=[application])
    client.force_login(chair)
    response = client.post(
        reverse("fund:stand-in", args=[meeting.pk, application.pk]),
        {"member": members[0].pk},
        follow=True,
    )
    assert "Utse en närvarande ledamot som inte är jävig i ärendet." in _text(response)
    assert AgendaItem.objects.get(meeting=meeting).stand_in is None


def test_a_coachs_decision_is_confirmed_too(client, application, coach):
    client.force_login(coach)
    url = reverse("fund:decide", args=[application.pk])
    form = {"kind": DecisionKind.APPROVE, "rationale": "Billigt och lärorikt."}
    page = _text(client.post(url, form))
    assert (
        "Bekräfta beslutet" in page and "under delegation" in page.lower() or "delegation" in page
    )
    assert not Decision.objects.exists()
    assert client.post(url, form | {"confirmed": "on"}).status_code == 302
    assert Decision.objects.get().delegated


def test_a_decided_item_shows_who_took_part_as_recorded_not_as_today(
    client, fund, chair, committee_member, members
):
    application = ApplicationFactory(fund=fund)
    meeting = open_meeting(
        fund=fund, chair=chair, attendees=[committee_member, *members], agenda=[application]
    )
    client.force_login(chair)
    client.post(
        reverse("fund:meeting-detail", args=[meeting.pk]), _post(application, confirmed="on")
    )
    fund.committee_members.remove(members[0])
    page = _text(client.get(reverse("fund:meeting-detail", args=[meeting.pk])))
    recorded = ", ".join(Decision.objects.get().attendees)
    assert members[0].full_name in recorded
    assert f"Deltagande ledamöter</dt><dd>{recorded}</dd>" in page.replace("> <", "><")
