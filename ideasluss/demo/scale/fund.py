"""The innovation fund at scale: the scale's funds (one a year), their committees and
meetings, applications in every state with budgets, declarations and reviews where the
state implies them, and the decisions in the decision register.

An application is planned first (`Fund.plan`: its dates, its amount and how it was
settled), the idea is told around it (`ideas.Sluice.story_around`), then both are
written. Decisions are leaves of the transparency log (`ideasluss.fund.transparency`):
they are numbered and hashed here as `decision_record` would, in the order they were
made, written in bulk, and the grown log is signed once (`checkpoint_sign`).
"""

import datetime
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils import timezone
from django_fsm_log.models import StateLog

from ideasluss.accounts.models import User
from ideasluss.demo.data import load
from ideasluss.fund import transparency
from ideasluss.fund.models import (
    GRANTING_KINDS,
    AgendaItem,
    Application,
    ApplicationState,
    BudgetCategory,
    BudgetLine,
    ConflictDeclaration,
    Cost,
    Criterion,
    Decision,
    DecisionKind,
    DeclarationEntry,
    Fund,
    Meeting,
    MeetingState,
    MinutesSignature,
    MoneyReturn,
    Review,
    Score,
)
from ideasluss.fund.services import checkpoint_sign
from ideasluss.ideas.models import FINAL_STATES

from .bulk import between, days, insert, link, local_date, local_moment, working_hours

S = ApplicationState
PENDING = (S.DRAFT, S.SUBMITTED, S.IN_REVIEW)
#: A decision at a meeting is recorded this long after the one before it.
ITEM_MINUTES = 3


def second_tuesday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(1 - first.weekday()) % 7 + 7)


@dataclass
class FundYear:
    """One of the scale's funds, its committee (the chair first, the vice chair second)
    and its meetings, with who attends each."""

    fund: Fund
    committee: list[User]
    criteria: list[Criterion]
    meetings: list[Meeting] = field(default_factory=list)
    attendees: dict[int, list[User]] = field(default_factory=dict)  # by meeting number
    checkers: dict[int, list[User]] = field(default_factory=dict)
    items: Counter = field(default_factory=Counter)  # decisions so far, by meeting number

    @property
    def chair(self) -> User:
        return self.committee[0]

    @property
    def start(self) -> datetime.datetime:
        return local_moment(self.fund.start_date, 8)


@dataclass
class PlannedApplication:
    """An application's dates and money, planned before its idea exists."""

    fund: FundYear
    state: str
    lines: list[BudgetLine]
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None = None
    taken_up_at: datetime.datetime | None = None
    withdrawn_at: datetime.datetime | None = None
    kind: str | None = None
    decided_at: datetime.datetime | None = None
    amount: int = 0
    #: The meeting that decided it, or the one ahead whose agenda it is on.
    meeting: Meeting | None = None
    story: object | None = None  # the idea's `ideas.Story`, once it is told
    application: Application | None = None
    decision: Decision | None = None

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def by_committee(self) -> bool:
        return self.total > self.fund.fund.delegated_limit

    @property
    def granted(self) -> bool:
        return self.kind in GRANTING_KINDS

    @property
    def settled_at(self) -> datetime.datetime | None:
        """When the application's own story ended (decided or withdrawn); None while open."""
        return self.decided_at or self.withdrawn_at


class FundPlanner:
    def __init__(self, *, rng, people, now):
        self.rng, self.people, self.now = rng, people, now
        self.today = timezone.localdate(now)
        self.data = load("scale")["fund"]
        self.years: list[FundYear] = []

    # --- the funds and their meetings ---------------------------------------------------

    def create_funds(self, count: int) -> list[FundYear]:
        """This year's fund (open) and the `count - 1` before it, with criteria, committees
        and meetings (not yet written: their times depend on the decisions)."""
        data = self.data
        for index in range(count):
            year = self.today.year - (count - 1 - index)
            fund = Fund.objects.create(
                name=data["name"].format(year=year),
                registration_prefix=data["registration_prefix"],
                start_date=datetime.date(year, 1, 1),
                end_date=datetime.date(year, 12, 31),
                capital=data["capital"],
                delegated_limit=data["delegated_limit"],
                is_open=year == self.today.year,
                vice_chair=self.people.committees[index][1],
            )
            criteria = insert(
                Criterion,
                [
                    Criterion(fund=fund, name=name, position=position)
                    for position, name in enumerate(data["criteria"])
                ],
            )
            committee = self.people.committees[index]
            link(Fund.committee_members, [(fund.pk, member.pk) for member in committee])
            self.years.append(FundYear(fund=fund, committee=committee, criteria=criteria))
        for fund_year in self.years:
            self.plan_meetings(fund_year)
        return self.years

    def plan_meetings(self, fund_year: FundYear) -> None:
        rng, year = self.rng, fund_year.fund.start_date.year
        dates = [second_tuesday(year, month) for month in self.data["meeting_months"]]
        chair, others = fund_year.chair, fund_year.committee[1:]
        low, high = self.data["attendees"]
        for number, date in enumerate(dates, start=1):
            state = self.meeting_state(date)
            meeting = Meeting(
                fund=fund_year.fund,
                number=number,
                date=date,
                location=self.data["meeting_room"],
                chair=chair,
                state=state,
            )
            attending = [chair, *rng.sample(others, min(len(others), rng.randint(low, high) - 1))]
            fund_year.attendees[number] = [*attending, rng.choice(self.people.coaches)]
            if state != MeetingState.PLANNED:
                meeting.opened_at = local_moment(date, 13)
                fund_year.checkers[number] = rng.sample(attending[1:], min(2, len(attending) - 1))
            fund_year.meetings.append(meeting)

    def meeting_state(self, date: datetime.date) -> str:
        held = (self.today - date).days
        if held <= 0:
            return MeetingState.PLANNED
        if held < 3:
            return MeetingState.CLOSED
        return MeetingState.CHECKED if held < 6 else MeetingState.POSTED

    # --- the applications ---------------------------------------------------------------

    def plan(self, count: int) -> list[PlannedApplication]:
        """`count` applications in the states of the data's weights (each at least once
        when it fits), then money: grants in the order decided, while the capital lasts."""
        weights = self.data["applications"]["states"]
        states = list(weights)[:count]
        states += self.rng.choices(
            list(weights), weights=list(weights.values()), k=count - len(states)
        )
        plans = [self.plan_one(state) for state in states]
        committed = Counter()
        for plan in sorted((p for p in plans if p.decided_at), key=lambda p: p.decided_at):
            if plan.granted:
                capital = plan.fund.fund.capital
                if committed[plan.fund.fund.pk] + plan.amount > capital:
                    plan.kind, plan.amount = DecisionKind.REJECT, 0
                committed[plan.fund.fund.pk] += plan.amount
        return plans

    def budget(self, *, within_limit: bool | None = None) -> list[BudgetLine]:
        """One to three budget lines; at or under the delegated limit when asked."""
        rng, texts = self.rng, self.data["texts"]["lines"]
        for _ in range(20):
            lines = []
            for category in rng.sample(list(BudgetCategory.values), rng.randint(1, 3)):
                description = rng.choice(texts[category])
                if category == BudgetCategory.SUBSTITUTE_STAFF:
                    hours = rng.randrange(10, 240)
                    rate = rng.choice(self.data["texts"]["hourly_rates"])
                    line = BudgetLine(
                        category=category,
                        description=description,
                        hours=Decimal(hours),
                        hourly_rate=rate,
                        amount=hours * rate,
                    )
                else:
                    high = {"materials": 60_000, "external_services": 150_000}.get(category, 20_000)
                    amount = rng.randrange(1_000, high, 500)
                    line = BudgetLine(category=category, description=description, amount=amount)
                lines.append(line)
            total = sum(line.amount for line in lines)
            if within_limit is None or within_limit == (total <= self.data["delegated_limit"]):
                return lines
        return [BudgetLine(category="other", description=texts["other"][0], amount=10_000)]

    def moment(self, at: datetime.datetime, *, after: datetime.datetime) -> datetime.datetime:
        """`at` in working hours, after `after` and not after now."""
        moment = max(working_hours(self.rng, at), after + datetime.timedelta(minutes=5))
        return min(moment, self.now)

    def plan_one(self, state: str) -> PlannedApplication:
        rng, now = self.rng, self.now
        fund_year = self.years[-1] if state in PENDING else rng.choice(self.years)
        start = fund_year.start
        end = min(local_moment(fund_year.fund.end_date, 17), now)
        plan = PlannedApplication(fund_year, state, self.budget(), created_at=start)
        if state == S.DRAFT:
            plan.created_at = self.moment(
                between(rng, max(start, now - days(45)), now), after=start
            )
        elif state == S.SUBMITTED:
            plan.created_at = between(rng, max(start, now - days(40)), now - days(1))
            plan.submitted_at = self.moment(
                plan.created_at + days(rng.uniform(0.2, 7)), after=plan.created_at
            )
        elif state == S.IN_REVIEW:
            self.plan_in_review(plan, start=start)
        elif state == S.WITHDRAWN:
            plan.created_at = between(rng, start, max(start, end - days(10)))
            after = plan.created_at
            if rng.random() < 0.8:
                plan.submitted_at = after = self.moment(
                    after + days(rng.uniform(0.5, 7)), after=after
                )
            plan.withdrawn_at = self.moment(after + days(rng.uniform(3, 40)), after=after)
        else:
            self.plan_decision(plan, start=start, end=end)
        return plan

    def plan_in_review(self, plan: PlannedApplication, *, start) -> None:
        rng, now = self.rng, self.now
        plan.lines = self.budget(within_limit=rng.random() < 0.2)
        plan.created_at = between(rng, max(start, now - days(70)), now - days(2))
        plan.submitted_at = self.moment(
            plan.created_at + days(rng.uniform(0.5, 7)), after=plan.created_at
        )
        plan.taken_up_at = self.moment(
            plan.submitted_at + days(rng.uniform(0.5, 7)), after=plan.submitted_at
        )
        ahead = [m for m in plan.fund.meetings if m.state == MeetingState.PLANNED]
        if ahead and plan.by_committee and rng.random() < 0.7:
            plan.meeting = ahead[0]

    def plan_decision(self, plan: PlannedApplication, *, start, end) -> None:
        rng, data = self.rng, self.data["applications"]["kinds"]
        plan.kind = (
            DecisionKind.RETURN
            if plan.state == S.RETURNED
            else rng.choices(list(data), weights=list(data.values()))[0]
        )
        held = [
            m
            for m in plan.fund.meetings
            if m.state != MeetingState.PLANNED and m.date >= plan.fund.fund.start_date + days(20)
        ]
        if plan.by_committee and not held:
            plan.lines = self.budget(within_limit=True)
        if plan.by_committee:
            meeting = plan.meeting = rng.choice(held)
            plan.fund.items[meeting.number] += 1
            plan.decided_at = meeting.opened_at + datetime.timedelta(
                minutes=ITEM_MINUTES * plan.fund.items[meeting.number]
            )
            submitted = max(start, local_moment(meeting.date, 9) - days(rng.uniform(14, 50)))
        else:
            plan.decided_at = working_hours(rng, between(rng, start + days(5), end - days(0.2)))
            plan.decided_at = min(plan.decided_at, self.now - datetime.timedelta(minutes=30))
            submitted = max(start, plan.decided_at - days(rng.uniform(2, 25)))
        plan.created_at = max(start, submitted - days(rng.uniform(0.5, 10)))
        plan.submitted_at = self.moment(submitted, after=plan.created_at)
        if plan.by_committee:
            latest = plan.decided_at - days(1)
            plan.taken_up_at = min(
                self.moment(plan.submitted_at + days(rng.uniform(0.5, 6)), after=plan.submitted_at),
                latest,
            )
        if plan.kind == DecisionKind.APPROVE:
            plan.amount = plan.total
        elif plan.kind == DecisionKind.APPROVE_LOWER:
            plan.amount = max(500, int(round(plan.total * rng.uniform(0.5, 0.9), -2)))


class FundWriter:
    """Writes the planned applications once their ideas exist, and the meetings."""

    def __init__(self, *, rng, people, now, years: list[FundYear]):
        self.rng, self.people, self.now, self.years = rng, people, now, years
        self.data = load("scale")["fund"]
        self.application_type = ContentType.objects.get_for_model(Application)
        self.meeting_type = ContentType.objects.get_for_model(Meeting)
        #: The committee members who declared a conflict, by application (`id(plan)`).
        self.conflicts: dict[int, set[int]] = defaultdict(set)

    def log(self, obj, content_type, name, source, target, at, by, description="") -> StateLog:
        return StateLog(
            timestamp=at,
            by=by,
            source_state=source,
            state=target,
            transition=name,
            content_type=content_type,
            object_id=obj.pk,
            description=description,
        )

    # --- meetings -----------------------------------------------------------------------

    def write_meetings(self) -> int:
        """Every meeting with its attendees and minute checkers; a held one opened,
        closed, checked (signed by the chair and the checkers) and posted in its days."""
        meetings, attendees, checkers, signatures, logs = [], [], [], [], []
        for fund_year in self.years:
            for meeting in fund_year.meetings:
                if meeting.opened_at is not None:
                    last = meeting.opened_at + datetime.timedelta(
                        minutes=ITEM_MINUTES * (fund_year.items[meeting.number] + 5)
                    )
                    meeting.closed_at = max(last, local_moment(meeting.date, 16))
                if meeting.state in (MeetingState.CHECKED, MeetingState.POSTED):
                    meeting.checked_at = local_moment(meeting.date + datetime.timedelta(days=2), 11)
                if meeting.state == MeetingState.POSTED:
                    meeting.posted_on = meeting.date + datetime.timedelta(days=6)
                meetings.append(meeting)
        insert(Meeting, meetings)
        for fund_year in self.years:
            for meeting in fund_year.meetings:
                number = meeting.number
                attendees += [(meeting.pk, user.pk) for user in fund_year.attendees[number]]
                checkers += [(meeting.pk, user.pk) for user in fund_year.checkers.get(number, [])]
                signatures += self.signatures(meeting, fund_year)
                logs += self.meeting_logs(meeting)
        link(Meeting.attendees, attendees)
        link(Meeting.minute_checkers, checkers)
        insert(MinutesSignature, signatures)
        insert(StateLog, logs)
        return len(meetings)

    def signatures(self, meeting: Meeting, fund_year: FundYear) -> list[MinutesSignature]:
        if meeting.checked_at is None:
            return []
        signers = [meeting.chair, *fund_year.checkers[meeting.number]]
        return [
            MinutesSignature(
                meeting=meeting,
                signer=signer,
                signed_at=meeting.closed_at
                + (meeting.checked_at - meeting.closed_at) * (i + 1) / len(signers),
            )
            for i, signer in enumerate(signers)
        ]

    def meeting_logs(self, meeting: Meeting) -> list[StateLog]:
        M, ct, chair = MeetingState, self.meeting_type, meeting.chair
        logs = []
        if meeting.opened_at:
            logs.append(self.log(meeting, ct, "open", M.PLANNED, M.OPEN, meeting.opened_at, chair))
            logs.append(self.log(meeting, ct, "close", M.OPEN, M.CLOSED, meeting.closed_at, chair))
        if meeting.checked_at:
            logs.append(
                self.log(
                    meeting, ct, "check_minutes", M.CLOSED, M.CHECKED, meeting.checked_at, chair
                )
            )
        if meeting.posted_on:
            posted = local_moment(meeting.posted_on, 9)
            logs.append(self.log(meeting, ct, "post_minutes", M.CHECKED, M.POSTED, posted, chair))
        return logs

    # --- applications -------------------------------------------------------------------

    def write_applications(self, plans: list[PlannedApplication]) -> dict[str, int]:
        texts = self.data["texts"]
        applications = []
        for plan in plans:
            story = plan.story
            applicant = story.team[0]
            expected = (
                story.plan.hypothesis if story.plan else self.rng.choice(texts["expected_effects"])
            )
            plan.application = Application(
                fund=plan.fund.fund,
                idea=story.idea,
                applicant=applicant,
                motivation=self.rng.choice(texts["motivations"]),
                expected_effect=expected,
                total=plan.total,
                state=plan.state,
                created_at=plan.created_at,
                submitted_at=plan.submitted_at,
                state_changed_at=plan.settled_at
                or plan.taken_up_at
                or plan.submitted_at
                or plan.created_at,
            )
            applications.append(plan.application)
        insert(Application, applications)
        lines = []
        for plan in plans:
            for line in plan.lines:
                line.application = plan.application
                lines.append(line)
        insert(BudgetLine, lines)
        counts = {"applications": len(applications), "budget lines": len(lines)}
        counts.update(self.write_reviews(plans))
        counts["decisions"] = self.write_decisions(plans)
        counts["application steps"] = len(insert(StateLog, self.application_logs(plans)))
        counts["costs and returns"] = self.write_costs(plans)
        return counts

    def coach_for(self, plan: PlannedApplication) -> User:
        team = plan.story.team
        return self.rng.choice(
            [c for c in self.people.coaches if c not in team] or self.people.coaches
        )

    def application_logs(self, plans: list[PlannedApplication]) -> list[StateLog]:
        logs, ct = [], self.application_type
        for plan in plans:
            app, applicant = plan.application, plan.story.team[0]
            if plan.submitted_at:
                logs.append(
                    self.log(app, ct, "submit", S.DRAFT, S.SUBMITTED, plan.submitted_at, applicant)
                )
            state = S.SUBMITTED
            if plan.taken_up_at:
                coach = self.coach_for(plan)
                logs.append(
                    self.log(app, ct, "take_up", S.SUBMITTED, S.IN_REVIEW, plan.taken_up_at, coach)
                )
                state = S.IN_REVIEW
            if plan.withdrawn_at:
                source = state if plan.submitted_at else S.DRAFT
                logs.append(
                    self.log(app, ct, "withdraw", source, S.WITHDRAWN, plan.withdrawn_at, applicant)
                )
            if plan.decided_at:
                decision = plan.decision
                name, target = (
                    ("return_for_changes", S.RETURNED)
                    if plan.kind == DecisionKind.RETURN
                    else ("decide", S.DECIDED)
                )
                logs.append(
                    self.log(
                        app,
                        ct,
                        name,
                        state,
                        target,
                        plan.decided_at,
                        decision.decided_by,
                        decision.registration_number,
                    )
                )
        return logs

    def concerned(self, plan: PlannedApplication) -> set[int]:
        """Whoever the application concerns: the applicant and the idea's team."""
        return {member.pk for member in plan.story.team}

    def write_reviews(self, plans: list[PlannedApplication]) -> dict[str, int]:
        """Declarations of every committee member not concerned (all of them before a
        committee decision, some while in review), and the scores of some of those who
        declared no conflict."""
        rng, data = self.rng, self.data
        declarations, entries, reviews, scores = [], [], [], []
        for plan in plans:
            if not plan.by_committee or plan.taken_up_at is None:
                continue
            decided = plan.decided_at is not None
            if not decided and plan.state != S.IN_REVIEW:
                continue
            until = plan.decided_at - datetime.timedelta(hours=2) if decided else self.now
            concerned = self.concerned(plan)
            members = [m for m in plan.fund.committee if m.pk not in concerned]
            no_conflict = []
            for member in members:
                if not decided and rng.random() < 0.5:
                    continue
                conflict = rng.random() < data["conflict_share"] and self.room_for_conflict(plan)
                at = between(rng, plan.taken_up_at, until)
                reason = rng.choice(data["conflict_reasons"]) if conflict else ""
                fields = {
                    "application": plan.application,
                    "member": member,
                    "has_conflict": conflict,
                    "reason": reason,
                    "declared_at": at,
                }
                declarations.append(ConflictDeclaration(**fields))
                entries.append(DeclarationEntry(**fields))
                if conflict:
                    self.conflicts[id(plan)].add(member.pk)
                else:
                    no_conflict.append((member, at))
            low, high = data["reviewers"]
            wanted = rng.randint(low, high) if decided else rng.randint(0, len(no_conflict))
            for member, declared_at in rng.sample(no_conflict, min(wanted, len(no_conflict))):
                review = Review(
                    application=plan.application,
                    member=member,
                    comment=rng.choice(data["review_comments"]),
                    submitted_at=between(rng, declared_at, until),
                )
                reviews.append(review)
                scores += [
                    Score(review=review, criterion=c, value=rng.randint(1, 5))
                    for c in plan.fund.criteria
                ]
        insert(ConflictDeclaration, declarations)
        insert(DeclarationEntry, entries)
        insert(Review, reviews)
        insert(Score, scores)
        return {
            "declarations": len(declarations) + len(entries),
            "reviews and scores": len(reviews) + len(scores),
        }

    def room_for_conflict(self, plan: PlannedApplication) -> bool:
        """Whether one more member can be disqualified and the meeting keep its quorum."""
        if plan.meeting is None:
            return True
        committee = {m.pk for m in plan.fund.committee}
        attending = [u for u in plan.fund.attendees[plan.meeting.number] if u.pk in committee]
        out = self.concerned(plan) | self.conflicts[id(plan)]
        taking_part = [u for u in attending if u.pk not in out]
        return len(taking_part) - 1 >= len(committee) // 2 + 1

    # --- decisions ----------------------------------------------------------------------

    def participation(self, plan: PlannedApplication) -> tuple[dict, User, User | None]:
        """Who took part in the meeting's decision (`fund.participation` from the seed's
        data): the decision's people fields, who led the item, and the stand-in if any."""
        fund_year, meeting = plan.fund, plan.meeting
        committee = {m.pk for m in fund_year.committee}
        attending = sorted(
            fund_year.attendees[meeting.number], key=lambda u: (u.last_name, u.first_name, u.pk)
        )
        out = self.concerned(plan) | self.conflicts[id(plan)]
        taking_part = [u for u in attending if u.pk in committee and u.pk not in out]
        disqualified = [u for u in attending if u.pk in committee and u.pk in out]
        present = [u for u in attending if u.pk not in committee]
        if len(taking_part) < len(committee) // 2 + 1:
            raise ValueError(f"No quorum at {meeting} for an application: the seed's data is wrong")
        vice_chair = fund_year.committee[1]
        stand_in = None
        if fund_year.chair in taking_part:
            leader = fund_year.chair
        elif vice_chair in taking_part:
            leader = vice_chair
        else:
            leader = stand_in = taking_part[0]
        people = {
            "delegated": False,
            "attendees": [u.full_name for u in taking_part],
            "recused": [u.full_name for u in disqualified],
            "present": [u.full_name for u in present],
            "chaired_by": leader.full_name,
        }
        return people, leader, stand_in

    def write_decisions(self, plans: list[PlannedApplication]) -> int:
        """The decisions in the order they were made: numbered per series and year,
        appended to the log, hashed as leaves; then the grown log signed once."""
        texts = self.data["texts"]
        last_index = Decision.objects.aggregate(n=Max("log_index"))["n"]
        next_index = 0 if last_index is None else last_index + 1
        sequences: Counter = Counter()
        decisions, items = [], []
        decided = sorted((p for p in plans if p.decided_at), key=lambda p: p.decided_at)
        for plan in decided:
            fund = plan.fund.fund
            year = local_date(plan.decided_at).year
            series = f"{fund.registration_prefix} {year}/"
            if (series, year) not in sequences:
                existing = Decision.objects.filter(
                    registration_number__startswith=series, year=year
                )
                sequences[(series, year)] = existing.aggregate(n=Max("sequence"))["n"] or 0
            sequences[(series, year)] += 1
            sequence = sequences[(series, year)]
            if plan.meeting is not None:
                people, decider, stand_in = self.participation(plan)
                items.append((plan, stand_in))
            else:
                decider = self.coach_for(plan)
                people = {"delegated": True, "chaired_by": decider.full_name}
            kind = plan.kind
            decision = Decision(
                fund=fund,
                application=plan.application,
                year=year,
                sequence=sequence,
                registration_number=f"{series}{sequence:04d}",
                kind=kind,
                amount=plan.amount,
                amount_requested=plan.total,
                rationale=self.rng.choice(texts["rationales"][kind]),
                conditions=self.rng.choice(texts["conditions"]) if plan.granted else "",
                decided_at=plan.decided_at,
                decided_by=decider,
                meeting=plan.meeting,
                log_index=next_index,
                people_salt=secrets.token_hex(16),
                **people,
            )
            decision.leaf_hash = transparency.leaf_hash_hex(decision)
            next_index += 1
            plan.decision = decision
            decisions.append(decision)
        for plan in plans:
            if plan.decided_at is None and plan.meeting is not None:
                items.append((plan, None))
        positions: Counter = Counter()
        agenda = []
        for plan, stand_in in items:
            positions[plan.meeting.pk] += 1
            agenda.append(
                AgendaItem(
                    meeting=plan.meeting,
                    application=plan.application,
                    position=positions[plan.meeting.pk],
                    stand_in=stand_in,
                )
            )
        insert(AgendaItem, agenda)
        insert(Decision, decisions)
        if decisions:
            checkpoint_sign()
        return len(decisions)

    # --- follow-up ----------------------------------------------------------------------

    def write_costs(self, plans: list[PlannedApplication]) -> int:
        """What granted tests spent, and what ended ideas gave back."""
        rng, texts = self.rng, self.data["texts"]
        costs, returns = [], []
        for plan in plans:
            story = plan.story
            started = story.step_at("start_test")
            if not plan.granted or started is None:
                continue
            end = min(self.now, story.last_at if story.state in FINAL_STATES else self.now)
            spend = int(plan.amount * rng.uniform(0.5, 1.0))
            parts = rng.randint(1, 3)
            spent = 0
            for _ in range(parts):
                amount = spend // parts
                if amount <= 0:
                    continue
                moment = between(rng, started, max(started, end))
                costs.append(
                    Cost(
                        application=plan.application,
                        amount=amount,
                        date=local_date(moment),
                        note=rng.choice(texts["costs"]),
                        recorded_by=story.team[0],
                        recorded_at=moment,
                    )
                )
                spent += amount
            left = plan.amount - spent
            if story.state in FINAL_STATES and left > 0 and rng.random() < 0.6:
                returned_at = min(self.now, story.last_at + days(rng.uniform(2, 30)))
                returns.append(
                    MoneyReturn(
                        application=plan.application,
                        fund=plan.fund.fund,
                        amount=left,
                        note=rng.choice(texts["returns"]),
                        returned_by=self.coach_for(plan),
                        returned_at=returned_at,
                    )
                )
        return len(insert(Cost, costs)) + len(insert(MoneyReturn, returns))
