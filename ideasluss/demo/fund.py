"""The innovation fund's demo for `seed_demo`: a year of applications, reviews, meetings,
decisions, costs and a returned balance, all through `workflows.fund_services`.

It comes in two parts. While the sluice demo tells its idea stories, `StoryGrants`
is called just before a test that needs money starts: the owner applies and the
coach (or, over the delegated limit, the committee at a meeting) grants the money,
so the start-test guard is satisfied for real. After the sluice, `seed_fund_demo`
records what the granted tests cost, returns one finished idea's unspent money,
and adds this autumn's applications: one in every state, a held meeting with
recusals and three decisions, a corrected decision and a planned meeting.

Decisions are sealed in a hash chain together with the moment they were made, so
their dates cannot be moved afterwards the way the sluice demo moves idea
timestamps. Instead each use case runs under a demo clock (`happening_at`) set to
the moment of the story. Every record is written once; running the demo again
finds each scenario's application and skips it.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone
from django_fsm_log.models import StateLog
from workflows.fund_services import BudgetLineInput

from ideasluss.accounts.models import User
from ideasluss.fund import money
from ideasluss.fund.models import (
    Application,
    BudgetCategory,
    Criterion,
    Decision,
    DecisionKind,
    Fund,
    Meeting,
    MoneyReturn,
)
from ideasluss.ideas.models import Idea
from workflows import fund_services as fs

CAPITAL = 12_000_000
DELEGATED_LIMIT = 50_000
CRITERIA = ("Nytta för invånarna", "Lärande", "Genomförbarhet", "Skalbarhet")
COACH, CHAIR, MEMBERS = "cia", "fia", ("dan", "eva")
MEETING_ROOM = "Stadshuset, sammanträdesrum Ekbacken"


# --- budget lines ------------------------------------------------------------------------


def staff(description: str, hours: int, hourly_rate: int) -> BudgetLineInput:
    """Substitute staff: hours × hourly cost (salary with payroll overhead)."""
    return BudgetLineInput(
        category=BudgetCategory.SUBSTITUTE_STAFF,
        description=description,
        hours=hours,
        hourly_rate=hourly_rate,
    )


def materials(description: str, amount: int) -> BudgetLineInput:
    return BudgetLineInput(
        category=BudgetCategory.MATERIALS, description=description, amount=amount
    )


def services(description: str, amount: int) -> BudgetLineInput:
    return BudgetLineInput(
        category=BudgetCategory.EXTERNAL_SERVICES, description=description, amount=amount
    )


def other(description: str, amount: int) -> BudgetLineInput:
    return BudgetLineInput(category=BudgetCategory.OTHER, description=description, amount=amount)


# --- the grants that let the sluice demo's tests start ---------------------------------------


@dataclass(frozen=True, kw_only=True)
class Spend:
    """A cost recorded against a grant, `days_ago` days ago."""

    days_ago: int
    amount: int
    note: str


@dataclass(frozen=True, kw_only=True)
class StoryGrant:
    """The application and decision behind a sluice idea's money, and what it cost."""

    lines: tuple[BudgetLineInput, ...]
    rationale: str
    lower_amount: int | None = None
    conditions: str = ""
    spending: tuple[Spend, ...] = ()


STORY_GRANTS: dict[str, StoryGrant] = {
    "Digitala nycklar i hemtjänsten": StoryGrant(
        lines=(
            services("Installation av 15 digitala lås (leverantören)", 15_000),
            staff("Vikarie när personalen lär sig låsen", 40, 300),
            materials("Mobilhållare och laddare till arbetslagen", 3_000),
            other("Leverantörens utbildning för personalen", 5_000),
        ),
        rationale=(
            "Ett väl avgränsat test med tydliga mått på tid och trygghet. Leverantören lånar "
            "ut låsen, så fonden betalar bara installation, utbildning och vikarietimmar."
        ),
        spending=(
            Spend(days_ago=198, amount=15_000, note="Faktura från låsleverantören: installation"),
            Spend(days_ago=196, amount=5_000, note="Utbildning av personalen, två tillfällen"),
            Spend(days_ago=190, amount=3_000, note="Mobilhållare och laddare, sex arbetslag"),
            Spend(days_ago=150, amount=12_000, note="Vikarietimmar under testet, 40 h"),
        ),
    ),
    "Språkcafé på biblioteket": StoryGrant(
        lines=(
            materials("Fika till sex träffar, cirka 25 personer per gång", 3_600),
            materials("Samtalskort och spel på lätt svenska", 1_200),
            other("Affischer och flygblad på sex språk", 1_200),
        ),
        rationale=(
            "Litet belopp, tydlig målgrupp och volontärer på plats. Lärdomarna kan komma "
            "fler bibliotek till nytta."
        ),
        spending=(
            Spend(days_ago=200, amount=1_200, note="Tryck av affischer och flygblad"),
            Spend(days_ago=175, amount=1_200, note="Samtalskort och spel"),
            Spend(days_ago=150, amount=3_600, note="Fika, sex träffar"),
        ),
    ),
    "Matsvinn i skolköket": StoryGrant(
        lines=(
            materials("Tallriksvåg med display", 7_500),
            materials("Fäste och kabel till skärmen i matsalen", 1_500),
            staff("Kökspersonal som väger och redovisar svinnet", 10, 260),
            other("Diplom och pris till vinnarklassen", 400),
        ),
        rationale=(
            "Enkelt att mäta före, under och efter. Kan spridas till alla skolkök om det "
            "faller väl ut."
        ),
        spending=(
            Spend(days_ago=183, amount=7_450, note="Tallriksvåg med display"),
            Spend(days_ago=182, amount=1_380, note="Skärmfäste och kabel"),
            Spend(days_ago=145, amount=2_600, note="Kökspersonalens timmar, 10 h"),
            Spend(days_ago=143, amount=370, note="Diplom och tårta till vinnarklassen"),
        ),
    ),
    "Cykelpool för personalen": StoryGrant(
        lines=(
            services("Hyra av sex elcyklar i tolv veckor", 21_600),
            materials("Hjälmar, lås och cykelkorgar", 4_800),
            other("Service och försäkring under testet", 3_600),
        ),
        rationale=(
            "Testet kan visa om elcyklar ersätter bilresor i tjänsten. Hyra i stället för köp "
            "gör att vi inte binder pengar om det inte faller väl ut."
        ),
        spending=(
            Spend(days_ago=174, amount=3_950, note="Hjälmar, lås och korgar"),
            Spend(days_ago=150, amount=10_800, note="Cykelhyra, vecka 1–6"),
            Spend(days_ago=92, amount=10_800, note="Cykelhyra, vecka 7–12"),
        ),
    ),
    "Robot som kontrollerar leverantörsfakturor": StoryGrant(
        lines=(
            services("Licens för mjukvarurobot (RPA) i tre månader", 27_000),
            services("Konsultstöd för att sätta upp robotens kontroller", 18_000),
            staff("Ekonomiadministratör som granskar robotens flaggor", 40, 375),
        ),
        rationale=(
            "Beslutsgruppen beviljar ansökan. Roboten prövas parallellt med den manuella "
            "kontrollen, så risken är låg och lärdomarna värdefulla för hela kommunen."
        ),
        conditions="Resultatet redovisas för beslutsgruppen senast en månad efter testets slut.",
        spending=(
            Spend(days_ago=148, amount=27_000, note="Robotlicens, tre månader"),
            Spend(days_ago=140, amount=18_000, note="Konsultstöd vid uppstarten"),
            Spend(days_ago=60, amount=9_750, note="Granskning av robotens flaggor, 26 h"),
        ),
    ),
    "Tvåspråkig sagostund": StoryGrant(
        lines=(
            staff("Modersmålslärare på lördagar (arvode)", 20, 350),
            materials("Bilderböcker på svenska, arabiska, somaliska och dari", 2_400),
            other("Fika till familjerna", 600),
        ),
        rationale="Ett litet test som når barn och familjer som biblioteket inte når i dag.",
        spending=(
            Spend(days_ago=148, amount=2_400, note="Bilderböcker på fyra språk"),
            Spend(days_ago=122, amount=2_100, note="Arvode till modersmålslärare, tre lördagar"),
            Spend(days_ago=122, amount=180, note="Fika"),
        ),
    ),
    "Gemensam inköpslista för hemtjänstens handling": StoryGrant(
        lines=(
            staff("Personal som lär brukare och anhöriga appen", 12, 290),
            materials("Instruktioner med bilder, tryck", 520),
            other("Ställ för surfplatta till två brukare", 1_000),
        ),
        rationale=(
            "Låg kostnad och ett snabbt svar på om appen sparar tid. Brukarnas synpunkter ska "
            "ingå i utvärderingen."
        ),
        spending=(
            Spend(days_ago=134, amount=520, note="Tryck av instruktioner"),
            Spend(days_ago=110, amount=1_740, note="Personalens tid, 6 h"),
        ),
    ),
    "Cykling utan ålder": StoryGrant(
        lines=(
            services("Hyra av eldriven rickshaw i sex veckor", 24_000),
            services("Pilotutbildning för volontärer", 6_000),
            staff("Personal som följer med på de första turerna", 30, 300),
            materials("Filtar, regnskydd och hjälmar", 1_000),
        ),
        rationale=(
            "Ett test med volontärer som kan minska ensamheten bland äldre. Cykeln hyrs först, "
            "innan något köps."
        ),
        spending=(
            Spend(days_ago=119, amount=6_000, note="Pilotutbildning, tio volontärer"),
            Spend(days_ago=118, amount=980, note="Filtar och regnskydd"),
            Spend(days_ago=80, amount=24_000, note="Cykelhyra, sex veckor"),
            Spend(days_ago=76, amount=6_300, note="Personal på de första turerna, 21 h"),
        ),
    ),
    "Ljudböcker för elever med lässvårigheter": StoryGrant(
        lines=(
            staff("Speciallärare som introducerar talsyntes och Legimus", 32, 400),
            materials("Hörlurar till elever som saknar (20 st)", 6_000),
            other("Laddare och förvaringsfodral", 1_200),
        ),
        rationale=(
            "Stärker likvärdigheten för elever med lässvårigheter, och samarbetet med "
            "biblioteket gör testet billigt."
        ),
        spending=(
            Spend(days_ago=99, amount=5_880, note="Hörlurar, 20 st"),
            Spend(days_ago=32, amount=12_800, note="Speciallärarens timmar, 32 h"),
        ),
    ),
    "Läxhjälp på biblioteket": StoryGrant(
        lines=(
            staff("Bibliotekarie som samordnar volontärerna", 25, 300),
            materials("Fika till volontärerna under terminen", 4_500),
            materials("Skrivmaterial, miniräknare och ordböcker", 3_000),
        ),
        rationale=(
            "Läxhjälpen når eleverna där de redan är. Budgeten är rimlig och volontärerna finns."
        ),
        spending=(
            Spend(days_ago=98, amount=2_780, note="Skrivmaterial och ordböcker"),
            Spend(days_ago=60, amount=2_100, note="Fika till volontärerna, september–oktober"),
            Spend(days_ago=20, amount=1_850, note="Fika till volontärerna, november"),
        ),
    ),
    "Sensorer i papperskorgar": StoryGrant(
        lines=(
            services("Hyra av 30 fyllnadssensorer i tolv veckor", 30_000),
            services("Kartvy och larm i mobilen (licens)", 8_000),
            materials("Mobiler till två arbetslag", 7_000),
        ),
        lower_amount=38_000,
        rationale=(
            "Beviljas med ett lägre belopp: IT-enheten lånar ut mobiler till arbetslagen, så "
            "posten för mobiler (7 000 kr) behövs inte. Övriga delar beviljas."
        ),
        spending=(
            Spend(days_ago=49, amount=8_000, note="Licens för kartvyn"),
            Spend(days_ago=20, amount=10_000, note="Sensorhyra, första månaden"),
        ),
    ),
    "Videosamtal med anhöriga": StoryGrant(
        lines=(
            materials("Tio surfplattor med fodral och stativ", 19_000),
            services("IT-enhetens uppsättning av förenklat videosamtal", 5_000),
            staff("Personal som hjälper brukarna med de första samtalen", 20, 300),
        ),
        rationale=(
            "Ett tydligt test med mätbara mål. IT-enheten står för supporten efter uppsättningen."
        ),
        spending=(
            Spend(days_ago=39, amount=18_640, note="Surfplattor, fodral och stativ"),
            Spend(days_ago=38, amount=5_000, note="IT-enhetens uppsättning"),
        ),
    ),
}

#: How the application behind a story's grant ends its motivation (and is found again).
STORY_MOTIVATION = "Det vi söker pengar för ryms inte i enhetens budget i år."

#: The finished idea whose unspent money goes back to the fund, and why.
RETURNED_GRANT = (
    "Cykelpool för personalen",
    74,
    "Service och försäkring ingick i cykelhyran. Testet är avslutat och resten går "
    "tillbaka till fonden.",
)


# --- the fund and its clock ----------------------------------------------------------------


def demo_fund(year: int | None = None) -> Fund:
    """The innovation fund of `year` (this year by default) and its criteria, created once."""
    year = year or timezone.localdate().year
    fund, _created = Fund.objects.get_or_create(
        name=f"Innovationsfonden {year}",
        defaults={
            "registration_prefix": "IF",
            "start_date": datetime.date(year, 1, 1),
            "end_date": datetime.date(year, 12, 31),
            "capital": CAPITAL,
            "delegated_limit": DELEGATED_LIMIT,
            "is_open": True,
        },
    )
    for position, name in enumerate(CRITERIA):
        Criterion.objects.get_or_create(fund=fund, name=name, defaults={"position": position})
    return fund


class DemoClock:
    """Moments of the demo's past, in UTC as `timezone.now()` gives them (a decision's
    hash covers `decided_at` as written, and the database gives it back in UTC)."""

    def __init__(self):
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.last_decision = Decision.objects.aggregate(last=Max("decided_at"))["last"]

    def at(self, days_ago: float, hour: int = 9, minute: int = 0) -> datetime.datetime:
        day = self.today - datetime.timedelta(days=days_ago)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        return min(moment, self.now).astimezone(datetime.UTC)

    def in_order(self, moment: datetime.datetime) -> datetime.datetime:
        """Decisions are numbered as they are written: keep their dates in that order too."""
        if self.last_decision is not None and moment <= self.last_decision:
            moment = self.last_decision + datetime.timedelta(minutes=1)
        self.last_decision = moment
        return moment


@contextmanager
def happening_at(moment: datetime.datetime) -> Iterator[None]:
    """Run real use cases as if it were `moment`: every `timezone.now()` answers `moment`,
    and the timeline entries (django-fsm-log) written meanwhile are dated `moment`."""
    last_log = StateLog.objects.aggregate(last=Max("pk"))["last"] or 0
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now
    StateLog.objects.filter(pk__gt=last_log).update(timestamp=moment)


# --- the people and what they do -------------------------------------------------------------


class FundDemo:
    """The demo people acting on the fund at chosen moments, through the services."""

    def __init__(self, *, users: list[User]):
        self.users = {user.username: user for user in users}
        self.clock = DemoClock()

    def user(self, username: str) -> User:
        return self.users[username]

    def idea(self, title: str) -> Idea:
        return Idea.objects.get(title=title, owner__username__in=self.users)

    def find(self, title: str, motivation: str) -> Application | None:
        """The demo application with this motivation, in whichever year's fund it went to."""
        return Application.objects.filter(idea__title=title, motivation=motivation).first()

    def apply(
        self,
        *,
        fund: Fund,
        idea: Idea,
        motivation: str,
        expected_effect: str,
        lines,
        created: datetime.datetime,
        submitted: datetime.datetime | None = None,
    ) -> Application:
        with happening_at(created):
            application = fs.application_create(
                idea=idea,
                fund=fund,
                by=idea.owner,
                motivation=motivation,
                expected_effect=expected_effect,
                lines=lines,
            )
        if submitted is not None:
            with happening_at(submitted):
                fs.application_submit(application=application, by=idea.owner)
        return Application.objects.get(pk=application.pk)

    def decide(self, application: Application, *, by: str, when, **decision) -> Decision:
        with happening_at(self.clock.in_order(when)):
            return fs.decide(
                application=Application.objects.get(pk=application.pk),
                by=self.user(by),
                **decision,
            )

    def declare(self, application: Application, username: str, when, reason: str = "") -> None:
        with happening_at(when):
            fs.declare_conflict(
                application=Application.objects.get(pk=application.pk),
                member=self.user(username),
                has_conflict=bool(reason),
                reason=reason,
            )

    def review(
        self, application: Application, username: str, when, scores: tuple, comment: str
    ) -> None:
        criteria = list(application.fund.criteria.order_by("position"))
        with happening_at(when):
            fs.submit_review(
                application=Application.objects.get(pk=application.pk),
                member=self.user(username),
                scores={c.pk: value for c, value in zip(criteria, scores, strict=True)},
                comment=comment,
            )

    def meeting(self, *, fund: Fund, planned_at, date: datetime.date) -> Meeting:
        with happening_at(planned_at):
            return fs.meeting_create(
                fund=fund, by=self.user(CHAIR), date=date, location=MEETING_ROOM
            )

    def set_agenda(self, meeting: Meeting, when, applications) -> None:
        with happening_at(when):
            fs.meeting_update(
                meeting=meeting,
                by=self.user(CHAIR),
                agenda=[Application.objects.get(pk=a.pk) for a in applications],
            )

    def open(self, meeting: Meeting, when, attendees=(*MEMBERS, CHAIR, COACH)) -> None:
        """The chair opens the meeting and records who is there."""
        with happening_at(when):
            fs.meeting_open(meeting=meeting, by=self.user(CHAIR))
            fs.meeting_update(
                meeting=meeting,
                by=self.user(CHAIR),
                attendees=[self.user(name) for name in attendees],
            )

    def close(self, meeting: Meeting, when) -> None:
        with happening_at(when):
            fs.meeting_close(meeting=meeting, by=self.user(CHAIR))


class StoryGrants(FundDemo):
    """Called by the sluice demo just before a test that needs money starts: the owner
    applies after the idea was accepted, and the money is granted before the start, from
    the fund of the year the decision falls in."""

    def __call__(self, *, idea: Idea, spec) -> Decision:
        story = STORY_GRANTS.get(idea.title) or StoryGrant(
            lines=(other("Kostnader enligt testplanen", spec.needs_money),),
            rationale="Ett avgränsat test med en rimlig budget.",
        )
        days = {step.transition: step.days_ago for step in spec.steps}
        start = days["start_test"]
        accepted = days.get("accept", start + 10)
        submitted_days_ago = max(accepted - 2, start + 2)
        decided_days_ago = max(accepted - 7, start + 1)
        decided = self.clock.at(decided_days_ago, 14, 0)
        application = self.apply(
            fund=demo_fund(timezone.localdate(decided).year),
            idea=idea,
            motivation=f"{spec.first_test} {STORY_MOTIVATION}",
            expected_effect=spec.plan.hypothesis,
            lines=story.lines,
            created=self.clock.at(submitted_days_ago, 9, 40),
            submitted=self.clock.at(submitted_days_ago, 10, 5),
        )
        kind = DecisionKind.APPROVE_LOWER if story.lower_amount else DecisionKind.APPROVE
        decision = {
            "kind": kind,
            "amount": story.lower_amount,
            "rationale": story.rationale,
            "conditions": story.conditions,
        }
        if application.is_delegable:
            return self.decide(application, by=COACH, when=decided, **decision)
        return self.at_a_meeting(application, decided_days_ago, decision)

    def at_a_meeting(self, application: Application, days_ago: int, decision: dict) -> Decision:
        """Over the delegated limit: the committee declares, scores and decides at a meeting."""
        at = self.clock.at
        owner = application.idea.owner.username
        meeting = self.meeting(
            fund=application.fund,
            planned_at=at(days_ago + 4),
            date=timezone.localdate(at(days_ago, 13, 0)),
        )
        self.set_agenda(meeting, at(days_ago + 3), [application])
        for minute, member in enumerate((*MEMBERS, CHAIR)):
            if member == owner:
                reason = "Jag är själv idéägare och sökande."
                self.declare(application, member, at(days_ago + 3, 10, minute), reason)
                continue
            self.declare(application, member, at(days_ago + 3, 10, minute))
            self.review(
                application,
                member,
                at(days_ago + 2, 11, minute),
                scores=(4, 5, 4, 4) if member != CHAIR else (4, 4, 3, 5),
                comment=(
                    "Stor potential om avtalsregistret håller måttet."
                    if member != CHAIR
                    else "Viktigt att resultatet jämförs med den manuella kontrollen."
                ),
            )
        self.open(meeting, at(days_ago, 13, 0))
        made = self.decide(
            application, by=CHAIR, when=at(days_ago, 13, 10), meeting=meeting, **decision
        )
        self.close(meeting, at(days_ago, 14, 30))
        return made


class ThisAutumn(FundDemo):
    """The last weeks' applications, all to this year's fund. Early in January those weeks
    lie partly in the previous year: then they are squeezed, in order, into the days since
    New Year, so that the fund's decisions stay within its year."""

    WEEKS = 5

    def __init__(self, *, fund: Fund, users: list[User]):
        super().__init__(users=users)
        self.fund = fund
        self.year_began = timezone.make_aware(
            datetime.datetime.combine(fund.start_date, datetime.time())
        )

    def at(self, days_ago: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
        moment = self.clock.at(days_ago, hour, minute)
        window = self.clock.at(self.WEEKS * 7, 0, 0)
        if window >= self.year_began:
            return moment
        squeeze = (self.clock.now - self.year_began) / (self.clock.now - window)
        return (self.year_began + (moment - window) * squeeze).astimezone(datetime.UTC)

    def day(self, days_ago: int) -> datetime.date:
        return timezone.localdate(self.at(days_ago, 12, 0))


# --- after the sluice: follow-up and this autumn's applications ------------------------------


def seed_fund_demo(*, fund: Fund, users: list[User]) -> None:
    """Costs, a returned balance, and the last weeks' applications, meetings and decisions
    in `fund` (this year's)."""
    demo = ThisAutumn(fund=fund, users=users)
    _record_story_costs(demo)
    _return_unspent_money(demo)
    for scenario in (
        _withdrawn_because_no_money_was_needed,
        _approved_by_the_coach,
        _held_meeting_with_a_recusal,
        _corrected_decision,
        _planned_meeting,
        _waiting_in_the_coachs_queue,
        _draft_being_written,
    ):
        scenario(demo)


def _story_grant(title: str) -> Application | None:
    """The granted application that paid for a story's test, in whichever year's fund."""
    application = (
        Application.objects.filter(idea__title=title, motivation__endswith=STORY_MOTIVATION)
        .select_related("idea", "applicant")
        .first()
    )
    return application if application and money.grant_of(application) else None


def _record_story_costs(demo: ThisAutumn) -> None:
    for title, story in STORY_GRANTS.items():
        application = _story_grant(title)
        if application is None or application.costs.exists():
            continue
        for spend in story.spending:
            with happening_at(demo.clock.at(spend.days_ago, 15, 0)):
                fs.record_cost(
                    application=application,
                    by=application.applicant,
                    amount=spend.amount,
                    date=demo.clock.today - datetime.timedelta(days=spend.days_ago),
                    note=spend.note,
                )


def _return_unspent_money(demo: ThisAutumn) -> None:
    title, days_ago, note = RETURNED_GRANT
    application = _story_grant(title)
    if application is None or MoneyReturn.objects.filter(application=application).exists():
        return
    with happening_at(demo.clock.at(days_ago, 10, 30)):
        fs.return_unspent(application=application, by=demo.user(COACH), note=note)


WITHDRAWN = (
    "Digital introduktion för nyanställda",
    "Vi vill att filmerna håller god kvalitet och är textade, och vi har ingen vana att "
    "producera film själva.",
)


def _withdrawn_because_no_money_was_needed(demo: ThisAutumn) -> None:
    title, motivation = WITHDRAWN
    if demo.find(title, motivation):
        return
    idea = demo.idea(title)
    application = demo.apply(
        fund=demo.fund,
        idea=idea,
        motivation=motivation,
        expected_effect=idea.test_plan.hypothesis,
        lines=(
            services("Filmproduktion: tolv korta filmer (extern byrå)", 36_000),
            services("Textning och tillgänglighetsanpassning", 4_800),
        ),
        created=demo.at(31, 14, 20),
        submitted=demo.at(30, 8, 50),
    )
    with happening_at(demo.at(25, 11, 15)):
        fs.application_withdraw(
            application=application,
            by=idea.owner,
            message=(
                "Kommunikationsenheten spelar in filmerna åt oss utan kostnad, så vi behöver "
                "inga pengar från fonden."
            ),
        )


BOOK_BAGS = (
    "Bokpåsar till förskolorna",
    "Familjerna vi vill nå lånar sällan på biblioteket. Påsarna kommer till förskolan, där "
    "familjerna redan är.",
)


def _approved_by_the_coach(demo: ThisAutumn) -> None:
    title, motivation = BOOK_BAGS
    if demo.find(title, motivation):
        return
    idea = demo.idea(title)
    application = demo.apply(
        fund=demo.fund,
        idea=idea,
        motivation=motivation,
        expected_effect=idea.test_plan.hypothesis,
        lines=(
            materials("Bilderböcker på arabiska, somaliska, dari och svenska", 6_000),
            materials("60 tygpåsar med tryck", 1_500),
            other("Transport till förskolan under åtta veckor", 1_500),
        ),
        created=demo.at(25, 16, 10),
        submitted=demo.at(24, 9, 30),
    )
    demo.decide(
        application,
        by=COACH,
        when=demo.at(20, 10, 45),
        kind=DecisionKind.APPROVE,
        rationale=(
            "Ett billigt test som bygger på lärdomarna från den tvåspråkiga sagostunden: gå "
            "dit familjerna redan är."
        ),
    )


def _corrected_decision(demo: ThisAutumn) -> None:
    title, motivation = BOOK_BAGS
    application = demo.find(title, motivation)
    if application is None:
        return
    first = Decision.objects.in_force().filter(application=application).first()
    if first is None or first.supersedes_id is not None or not first.delegated:
        return
    demo.decide(
        application,
        by=COACH,
        when=demo.at(6, 9, 20),
        kind=DecisionKind.APPROVE_LOWER,
        amount=7_500,
        supersedes=first,
        rationale=(
            "Rättelse: bokbilen kör påsarna till förskolan i sina ordinarie turer, så "
            "transportposten (1 500 kr) behövs inte. Beviljat belopp sänks till 7 500 kr; i "
            "övrigt gäller det tidigare beslutet."
        ),
    )


@dataclass(frozen=True, kw_only=True)
class AgendaItem:
    title: str
    motivation: str
    expected_effect: str
    lines: tuple[BudgetLineInput, ...]
    submitted_days_ago: int
    conflicts: dict[str, str]  # member → reason for recusal
    reviews: dict[str, tuple[tuple[int, int, int, int], str]]  # member → (scores, comment)
    decision: dict


HELD_MEETING = (
    AgendaItem(
        title="Cykling utan ålder",
        motivation=(
            "Testet har visat att turerna uppskattas, men den inlånade cykeln måste lämnas "
            "tillbaka. För att fortsätta behöver vi en egen rickshaw och fler utbildade "
            "volontärer."
        ),
        expected_effect=(
            "Minst 80 turer under våren och 15 aktiva volontärer från föreningarna, så att "
            "turerna inte hänger på personalen."
        ),
        lines=(
            materials("Eldriven rickshaw (köp)", 89_000),
            services("Pilotutbildning för 12 volontärer", 9_000),
            staff("Personal som följer med på de första turerna", 40, 285),
        ),
        submitted_days_ago=29,
        conflicts={"eva": "Min sambo arbetar i Hemtjänst Norr, enheten som söker."},
        reviews={
            "dan": ((5, 4, 3, 4), "Fina resultat hittills, men ett köp känns tidigt."),
            "fia": ((4, 4, 4, 3), "Leasing vore ett bättre nästa steg än köp."),
        },
        decision={
            "kind": DecisionKind.APPROVE_LOWER,
            "amount": 67_600,
            "rationale": (
                "Beslutsgruppen beviljar 67 600 kr: leasing av en rickshaw i tolv månader "
                "(58 600 kr) och pilotutbildning (9 000 kr). Ett köp prövas först när testet "
                "visar att turerna blir av utan personalens hjälp; personalens timmar ryms i "
                "ordinarie schema."
            ),
            "conditions": "Antal turer och aktiva volontärer redovisas efter sex månader.",
        },
    ),
    AgendaItem(
        title="Sensorer i papperskorgar",
        motivation=(
            "Sensorerna i Norrparken fungerar bra. Vi vill ta nästa steg och sätta sensorer "
            "i papperskorgarna vid busshållplatserna, där det blir mest skräp."
        ),
        expected_effect=(
            "Färre överfulla papperskorgar vid hållplatserna och en fjärdedel färre tömningsturer."
        ),
        lines=(
            services("Hyra av 30 sensorer till busshållplatser, sex månader", 43_500),
            staff("Parkarbetare som installerar sensorerna", 24, 340),
            services("Utökad licens för kartvyn", 6_000),
        ),
        submitted_days_ago=27,
        conflicts={"dan": "Jag är själv sökande och arbetar på Gata och park."},
        reviews={
            "eva": ((3, 3, 4, 4), "Vänta in utvärderingen av det pågående testet."),
            "fia": ((3, 4, 4, 4), "En bra idé, men för tidigt."),
        },
        decision={
            "kind": DecisionKind.REJECT,
            "rationale": (
                "Beslutsgruppen avslår ansökan i nuläget. Testet i Norrparken pågår "
                "fortfarande och ska utvärderas först. Välkommen att söka igen med resultaten."
            ),
        },
    ),
    AgendaItem(
        title="Videosamtal med anhöriga",
        motivation=(
            "Brukarna i Hemtjänst Norr ringer sina anhöriga varje vecka. Hemtjänst Söder vill "
            "vara med, och då behövs fler surfplattor."
        ),
        expected_effect=(
            "Lika många videosamtal i Hemtjänst Söder som i Norr, och färre samtal från "
            "anhöriga till hemtjänsten."
        ),
        lines=(
            materials("Tio surfplattor med fodral och stativ", 32_000),
            services("IT-enhetens uppsättning och support", 12_000),
            staff("Personal som hjälper brukarna i början", 60, 295),
        ),
        submitted_days_ago=26,
        conflicts={},
        reviews={
            "dan": ((4, 3, 3, 4), "Enhetschefens medgivande från Söder saknas."),
            "eva": ((4, 4, 3, 5), "Surfplattorna kostar mer än i förra ansökan – varför?"),
            "fia": ((5, 3, 3, 4), "Bra att fler får pröva, men ansökan behöver kompletteras."),
        },
        decision={
            "kind": DecisionKind.RETURN,
            "rationale": (
                "Återremiss: bifoga enhetschefens medgivande från Hemtjänst Söder och förklara "
                "varför surfplattorna kostar mer än i det första testet. Ansökan tas upp igen "
                "när den är kompletterad."
            ),
        },
    ),
)


def _held_meeting_with_a_recusal(demo: ThisAutumn) -> None:
    """Meeting held twelve days ago: every member declared, the recused did not score."""
    if demo.find(HELD_MEETING[0].title, HELD_MEETING[0].motivation):
        return
    at = demo.at
    applications = []
    for item in HELD_MEETING:
        idea = demo.idea(item.title)
        applications.append(
            demo.apply(
                fund=demo.fund,
                idea=idea,
                motivation=item.motivation,
                expected_effect=item.expected_effect,
                lines=item.lines,
                created=at(item.submitted_days_ago + 1, 15, 30),
                submitted=at(item.submitted_days_ago, 10, 0),
            )
        )
    meeting = demo.meeting(fund=demo.fund, planned_at=at(21, 8, 30), date=demo.day(12))
    demo.set_agenda(meeting, at(19, 9, 0), applications)
    for offset, (item, application) in enumerate(zip(HELD_MEETING, applications, strict=True)):
        for minute, member in enumerate((*MEMBERS, CHAIR)):
            declared = at(18 - offset, 9, 10 * minute)
            demo.declare(application, member, declared, item.conflicts.get(member, ""))
        for minute, (member, (scores, comment)) in enumerate(item.reviews.items()):
            reviewed = at(16 - offset, 13, 10 * minute)
            demo.review(application, member, reviewed, scores, comment)
    demo.open(meeting, at(12, 13, 0))
    times = (10, 35, 55)
    for minutes, item, application in zip(times, HELD_MEETING, applications, strict=True):
        demo.decide(
            application,
            by=CHAIR,
            when=at(12, 13, minutes),
            meeting=meeting,
            **item.decision,
        )
    demo.close(meeting, at(12, 14, 30))


MEADOW = (
    "Ängsmark i stället för klippt gräs",
    "Vi vill pröva ängsskötsel på två ytor i Norrparken. Det kostar fröer och en annan "
    "slåttermaskin än den vi har.",
)


def _planned_meeting(demo: ThisAutumn) -> None:
    """The next meeting, in two weeks: one application on the agenda, half reviewed."""
    title, motivation = MEADOW
    if demo.find(title, motivation):
        return
    at = demo.at
    application = demo.apply(
        fund=demo.fund,
        idea=demo.idea(title),
        motivation=motivation,
        expected_effect=(
            "Hälften så många klippningar på ytorna, fler pollinerare och inga klagomål från "
            "parkbesökarna."
        ),
        lines=(
            materials("Ängsfröblandning för en hektar", 9_500),
            services("Hyra av slåtteraggregat och uppsamling", 7_500),
            materials("Skyltar om ängen och pollinerarna", 3_000),
            staff("Parkarbetare som förbereder ytorna", 16, 310),
        ),
        created=at(6, 14, 0),
        submitted=at(5, 9, 15),
    )
    meeting = demo.meeting(
        fund=demo.fund, planned_at=at(4, 10, 0), date=demo.clock.today + datetime.timedelta(16)
    )
    demo.set_agenda(meeting, at(4, 10, 5), [application])
    demo.declare(application, "dan", at(3, 8, 45), "Jag är själv sökande.")
    demo.declare(application, "eva", at(3, 11, 20))
    demo.review(
        application,
        "eva",
        at(2, 9, 30),
        (4, 4, 5, 3),
        "Enkelt, billigt och lätt att mäta. Prata med miljöenheten om fästingarna.",
    )


HOMEWORK_SPRING = (
    "Läxhjälp på biblioteket",
    "Läxhjälpen var full varje vecka under hösten. Vi vill fortsätta under vårterminen medan "
    "vi utvärderar, med en samordnare som tar emot nya volontärer.",
)


def _waiting_in_the_coachs_queue(demo: ThisAutumn) -> None:
    title, motivation = HOMEWORK_SPRING
    if demo.find(title, motivation):
        return
    demo.apply(
        fund=demo.fund,
        idea=demo.idea(title),
        motivation=motivation,
        expected_effect="Minst 20 elever i veckan och tio volontärer hela terminen.",
        lines=(
            staff("Bibliotekarie som samordnar volontärerna", 40, 330),
            materials("Fika till volontärerna under vårterminen", 4_800),
            materials("Skrivmaterial, miniräknare och ordböcker", 3_600),
            services("Utbildningskväll för volontärerna (extern föreläsare)", 3_000),
        ),
        created=demo.at(4, 16, 30),
        submitted=demo.at(3, 8, 40),
    )


SUBSTITUTE_POOL = (
    "Vikariepool för skolorna i Norr",
    "Vikarierna betalas ur skolornas vikariebudget, men de fyra vikarierna behöver en gemensam "
    "introduktion och ett verktyg för sjukanmälan.",
)


def _draft_being_written(demo: ThisAutumn) -> None:
    """Not submitted yet: the expected effect is still missing."""
    title, motivation = SUBSTITUTE_POOL
    if demo.find(title, motivation):
        return
    demo.apply(
        fund=demo.fund,
        idea=demo.idea(title),
        motivation=motivation,
        expected_effect="",
        lines=(
            staff("Introduktionsdagar för poolens fyra vikarier (4 × 16 h)", 64, 310),
            services("Schemaläggningstjänst för sjukanmälan, en termin", 7_200),
        ),
        created=demo.at(2, 15, 45),
    )
