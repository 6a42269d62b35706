"""A committee meeting as kommunallagen has it, in a real browser: the agenda with the
quorum shown per item, a co-owner disqualified without declaring, the chair's own item led
by a stand-in the meeting appoints, a confirmation before each decision, minutes checked by
two minute checkers and posted, and the public register showing the posting date, the last
day to appeal and a link to the signed checkpoint. axe-core checks every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cms.site_tree import ensure_site_tree
from ideasluss.accounts.roles import Role
from ideasluss.fund.models import Decision, Meeting, MeetingState
from ideasluss.fund.services import conflict_declare
from tests.e2e.helpers import log_in
from tests.factories import ApplicationFactory, FundFactory, IdeaFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEAM_ITEM = "Lånecyklar för hemtjänsten"
CHAIR_ITEM = "Ljudkartor i parkerna"


def figure(scope, term):
    """The value (<dd>) next to the term (<dt>) in a list of facts."""
    return scope.locator(f"dt:text-is('{term}') + dd")


def person(username, first, last, role):
    return UserFactory(
        username=username, first_name=first, last_name=last, roles=[Role.STAFF, role]
    )


def build_committee():
    """A fund whose committee has four members (a quorum is three); two applications
    under review: one whose idea has erik as co-owner, one of the chair's own."""
    ensure_site_tree()
    lars = person("lars", "Lars", "Ek", Role.COMMITTEE_CHAIR)
    erik = person("erik", "Erik", "Ström", Role.COMMITTEE_MEMBER)
    maria = person("maria", "Maria", "Holm", Role.COMMITTEE_MEMBER)
    sara = person("sara", "Sara", "Lund", Role.COMMITTEE_MEMBER)
    person("cecilia", "Cecilia", "Berg", Role.COACH)
    anna = UserFactory(username="anna", first_name="Anna", last_name="Lind", roles=[Role.STAFF])
    fund = FundFactory(
        name="Innovationsfonden",
        registration_prefix="IF",
        capital=500_000,
        delegated_limit=30_000,
        committee=[lars, erik, maria, sara],
    )
    team_idea = IdeaFactory(title=TEAM_ITEM, owner=anna, state="planning")
    team_idea.co_owners.add(erik)
    team_item = ApplicationFactory(fund=fund, idea=team_idea, total=60_000, state="in_review")
    chair_idea = IdeaFactory(title=CHAIR_ITEM, owner=lars, state="planning")
    chair_item = ApplicationFactory(fund=fund, idea=chair_idea, total=45_000, state="in_review")
    for application in (team_item, chair_item):
        for member in (maria, sara):
            conflict_declare(application=application, member=member, has_conflict=False)
    conflict_declare(application=team_item, member=lars, has_conflict=False)
    conflict_declare(application=chair_item, member=erik, has_conflict=False)
    return fund


def decide(page, item_title, *, rationale, axe_check):
    item = page.get_by_role("region", name=re.compile(rf"^§ \d+\. {item_title}$"))
    form = item.get_by_role("group", name=f"Beslut om ”{item_title}”")
    form.get_by_label("Bevilja sökt belopp").check()
    form.get_by_label("Motivering").fill(rationale)
    item.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekräfta beslutet")
    axe_check(page)
    return page


def test_a_committee_meeting_from_agenda_to_posted_minutes(live_server, page, axe_check):
    base = live_server.url
    fund = build_committee()
    today = timezone.localdate()

    # 1. The chair plans today's meeting: who attends, the agenda, the minute checkers.
    log_in(page, base, "lars")
    page.goto(base + "/fund/meetings/")
    page.get_by_role("link", name="Planera ett möte").click()
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Plats", exact=True).fill("Stadshuset, rum 3")
    page.get_by_role("button", name="Planera mötet").click()
    for name in ["Erik Ström", "Maria Holm", "Sara Lund", "Cecilia Berg"]:
        page.get_by_role("group", name="Närvarande").get_by_label(name).check()
    for title in [TEAM_ITEM, CHAIR_ITEM]:
        page.get_by_role("group", name="Ärenden").get_by_label(re.compile(title)).check()
    page.get_by_role("button", name="Spara närvaro och dagordning").click()
    expect(page.get_by_text("Närvaron och dagordningen är sparade.")).to_be_visible()
    page.get_by_role("link", name="Välj justerare").click()
    axe_check(page)
    for name in ["Maria Holm", "Sara Lund"]:
        page.get_by_label(name).check()
    page.get_by_role("button", name="Spara justerarna").click()
    page.get_by_role("button", name="Öppna mötet").click()
    expect(page.get_by_text("Mötet är öppnat: registrera besluten.")).to_be_visible()
    axe_check(page)

    # 2. The agenda: the co-owner is disqualified without declaring, the quorum holds.
    team = page.get_by_role("region", name=f"§ 1. {TEAM_ITEM}")
    expect(figure(team, "Jäviga")).to_have_text("Erik Ström (medägare till idén)")
    expect(figure(team, "Beslutförhet")).to_have_text("Ja: 3 av 4 ledamöter deltar (3 behövs)")
    expect(figure(team, "Närvarande utan att delta i beslutet (föredragande)")).to_have_text(
        "Cecilia Berg"
    )
    chair_item = page.get_by_role("region", name=f"§ 2. {CHAIR_ITEM}")
    expect(figure(chair_item, "Jäviga")).to_have_text("Lars Ek (sökande)")
    expect(chair_item.get_by_role("button", name="Registrera beslutet")).to_have_count(0)

    # 3. A decision is confirmed before it is recorded.
    decide(page, TEAM_ITEM, rationale="Stor nytta för brukarna.", axe_check=axe_check)
    expect(figure(page, "Beslutförhet")).to_have_text(
        "Ja: 3 av beslutsgruppens 4 ledamöter deltar (3 behövs)."
    )
    expect(figure(page, "Jäviga, deltar inte")).to_have_text("Erik Ström")
    page.get_by_role("button", name="Bekräfta och registrera beslutet").click()
    expect(
        page.get_by_text(re.compile(rf"Beslut IF .+ om ”{TEAM_ITEM}” är registrerat\."))
    ).to_be_visible()

    # 4. The chair is disqualified on their own item: the meeting appoints Maria to lead it.
    chair_item = page.get_by_role("region", name=f"§ 2. {CHAIR_ITEM}")
    chair_item.get_by_label("Utsedd att leda ärendet").select_option(label="Maria Holm")
    chair_item.get_by_role("button", name="Utse").click()
    expect(page.get_by_text(f"Maria Holm leder ärendet ”{CHAIR_ITEM}”.")).to_be_visible()
    axe_check(page)

    log_in(page, base, "maria")
    meeting = Meeting.objects.get(fund=fund)
    page.goto(base + meeting.get_absolute_url())
    decide(page, CHAIR_ITEM, rationale="Ett lärorikt test.", axe_check=axe_check)
    expect(figure(page, "Ärendet leds av")).to_have_text("Maria Holm")
    page.get_by_role("button", name="Bekräfta och registrera beslutet").click()
    expect(page.get_by_text(re.compile(rf"om ”{CHAIR_ITEM}” är registrerat\."))).to_be_visible()
    led = Decision.objects.get(application__idea__title=CHAIR_ITEM)
    assert led.chaired_by == "Maria Holm" and "Lars Ek" in led.recused

    # 5. The chair closes the meeting; the minutes are a draft until they are checked.
    log_in(page, base, "lars")
    page.goto(base + meeting.get_absolute_url())
    page.get_by_role("button", name="Avsluta mötet").click()
    expect(page.get_by_text(re.compile("Mötet är avslutat"))).to_be_visible()
    page.get_by_role("link", name="Läs protokollet").click()
    expect(page.get_by_text("Protokollet är inte justerat")).to_be_visible()
    expect(
        page.get_by_text(re.compile("Maria Holm ledde ärendet i ordförandens ställe"))
    ).to_be_visible()
    axe_check(page)

    # 6. The chair and both checkers check the minutes; then the chair posts them.
    for username in ["lars", "maria", "sara"]:
        log_in(page, base, username)
        page.goto(base + f"/fund/meetings/{meeting.pk}/minutes/")
        page.get_by_role("link", name="Justera protokollet").click()
        axe_check(page)
        page.get_by_role("button", name="Justera protokollet").click()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CHECKED
    log_in(page, base, "lars")
    page.goto(base + f"/fund/meetings/{meeting.pk}/minutes/")
    page.get_by_role("link", name="Anslå protokollet").click()
    axe_check(page)
    page.get_by_role("button", name="Anslå protokollet").click()
    meeting.refresh_from_db()
    assert meeting.posted_on == today
    deadline = today + datetime.timedelta(weeks=3)

    # 7. The public register: the posting date, the last day to appeal, the checkpoint.
    page.context.clear_cookies()
    page.goto(base + "/fonden/beslut/")
    axe_check(page)
    posted = f"{today.day} {date_month(today)} {today.year}"
    last_day = f"{deadline.day} {date_month(deadline)} {deadline.year}"
    expect(page.get_by_text(f"Protokollet anslogs den {posted}").first).to_be_visible()
    expect(
        page.get_by_text(re.compile(f"sista dag att överklaga är {last_day}")).first
    ).to_be_visible()
    checkpoint = page.get_by_role("link", name="den senaste kontrollpunkten")
    response = page.request.get(base + checkpoint.get_attribute("href"))
    assert response.status == 200
    assert response.text().splitlines()[1] == str(Decision.objects.count())
    page.get_by_role("link", name=led.registration_number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(led.registration_number)
    axe_check(page)


MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip


def date_month(day: datetime.date) -> str:
    return MONTHS[day.month - 1]
