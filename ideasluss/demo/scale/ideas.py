"""Ideas at scale: each idea's story (the steps it took and when), its team, test plan,
evaluation, tags, champions and comments, and the timeline entries the pages read.

A story walks the idea's lifecycle as `workflows.ideas.lifecycle` declares it (a path in
the data that the lifecycle does not allow is an error), and carries what each step needs
where the pages expect it: a test plan from the start of the test (and the money question
settled), an evaluation before the report, lessons before stopping, who runs it after
scaling. Ideas with a fund application are told around it (`story_around`): accepted
before the application, tested after the grant.
"""

import datetime
import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog
from taggit.models import Tag, TaggedItem

from ideasluss.accounts.models import Unit, User
from ideasluss.demo.data import load
from ideasluss.demo.texts import COMMON, PLAIN, RARE, IdeaTexts
from ideasluss.ideas.models import (
    FINAL_STATES,
    Champion,
    Comment,
    Evaluation,
    Idea,
    IdeaState,
    TestPlan,
)
from workflows.transitions import transitions

from .bulk import between, days, insert, link, local_date, waking_hours, working_hours

#: Steps a coach takes (never one on the idea's team); the team takes the others.
COACH_STEPS = {"accept", "decline", "return_to_owner", "scale"}
MINUTE = datetime.timedelta(minutes=1)


@dataclass
class Step:
    transition: str
    source: str
    target: str
    at: datetime.datetime
    by: User
    message: str = ""


@dataclass
class Story:
    """One idea as it is written: its team (the owner first), the coach who screens it, its
    steps; then (`Sluice.complete`) the idea itself, its plan, evaluation and tags."""

    team: list[User]
    coach: User
    created_at: datetime.datetime
    steps: list[Step] = field(default_factory=list)
    idea: Idea | None = None
    #: The parts the idea's searched text is made of (`IdeaTexts.fields_and_parts`).
    parts: list[str] = field(default_factory=list)
    granted: bool = False
    kind: str = PLAIN
    plan: TestPlan | None = None
    evaluation: Evaluation | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        return self.steps[-1].target if self.steps else IdeaState.DRAFT

    @property
    def submitted_at(self) -> datetime.datetime | None:
        return next((step.at for step in self.steps if step.transition == "submit"), None)

    @property
    def last_at(self) -> datetime.datetime:
        return self.steps[-1].at if self.steps else self.created_at

    def step_at(self, name: str) -> datetime.datetime | None:
        return next((step.at for step in self.steps if step.transition == name), None)


class Lifecycle:
    """The idea's steps as the lifecycle declares them: (name, source) → target."""

    def __init__(self):
        self.targets = {(t.name, t.source): t.target for t in transitions(Idea)}

    def target(self, name: str, source: str) -> str:
        try:
            return self.targets[(name, source)]
        except KeyError:
            raise ValueError(f"An idea cannot {name!r} from {source!r} (scale.toml)") from None


class Sluice:
    """Tells every idea's story, at random but plausibly, from `start` to `now`."""

    def __init__(self, *, rng, people, units: list[Unit], start, now):
        self.rng, self.people, self.units = rng, people, units
        self.start, self.now = start, now
        self.data = load("scale")["ideas"]
        self.lifecycle = Lifecycle()
        self.texts = IdeaTexts(rng)

    # --- the choices --------------------------------------------------------------------

    def weighted(self, options: list) -> str:
        values, weights = zip(*options, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def gap(self, name: str) -> float:
        return self.rng.uniform(*self.data["gaps"][name])

    def states(self, count: int) -> list[str]:
        """`count` states by the data's weights, every state at least once when it fits."""
        weights = self.data["states"]
        first = list(weights)[:count]
        rest = self.rng.choices(list(weights), weights=list(weights.values()), k=count - len(first))
        return first + rest

    def team(self) -> list[User]:
        users, share = self.people.users, self.data["team"]
        # The first numbers own the most ideas: a few people write many, most write one or two.
        owner = users[int(len(users) * self.rng.random() ** 1.5)]
        team = [owner]
        if self.rng.random() < share["with_co_owners"]:
            for _ in range(self.rng.randint(1, share["most_co_owners"])):
                member = self.rng.choice(users)
                if member not in team:
                    team.append(member)
        return team

    def coach_for(self, team: list[User]) -> User:
        coaches = [coach for coach in self.people.coaches if coach not in team]
        return self.rng.choice(coaches or self.people.coaches)

    # --- a story ------------------------------------------------------------------------

    def new_story(self, created: datetime.datetime) -> Story:
        team = self.team()
        created = min(working_hours(self.rng, created), self.now)
        return Story(team=team, coach=self.coach_for(team), created_at=created)

    def take(self, story: Story, name: str, at: datetime.datetime) -> bool:
        """The story's next step, at `at` in working hours (and after the step before);
        False, and no step, when that would be after now."""
        at = max(working_hours(self.rng, at), story.last_at + MINUTE)
        if at > self.now:
            return False
        self._append(story, name, at)
        return True

    def take_before_now(self, story: Story, name: str) -> None:
        """The story's next step, halfway from the step before to now: for a story whose
        gaps, drawn at random, run past today."""
        self._append(story, name, story.last_at + (self.now - story.last_at) / 2)

    def _append(self, story: Story, name: str, at: datetime.datetime) -> None:
        by = story.coach if name in COACH_STEPS else self.team_member(story, name)
        if name == "stop_and_learn" and self.rng.random() < 0.5:
            by = story.coach
        messages = self.data["messages"]
        message = self.rng.choice(messages[name]) if name in messages else ""
        target = self.lifecycle.target(name, story.state)
        story.steps.append(Step(name, story.state, target, at, by, message))

    def team_member(self, story: Story, name: str) -> User:
        if name == "withdraw" or len(story.team) == 1 or self.rng.random() < 0.8:
            return story.team[0]
        return self.rng.choice(story.team[1:])

    def story_in_state(self, state: str) -> Story:
        """An idea that is in `state` today, along one of the state's paths: a recent one
        for a state an idea passes through, any time since `start` for a final one."""
        names = self.weighted(self.data["paths"][state]).split()
        gaps = [self.gap(name) for name in names]
        span = days(sum(gaps))
        if state in self.data["tails"]:
            created = self.now - days(self.rng.uniform(*self.data["tails"][state])) - span
        else:
            created = between(self.rng, self.start, self.now - span)
        story = self.new_story(max(created, self.start))
        moment = story.created_at
        for name, gap in zip(names, gaps, strict=True):
            moment += days(gap)
            if not self.take(story, name, moment):
                self.take_before_now(story, name)
        return story

    def story_around(self, application) -> Story:
        """An idea accepted before `application` (a planned one, `fund.PlannedApplication`)
        was written, and, once it is settled, tested with the grant or without it, as far
        as today allows."""
        accepted = application.created_at - days(self.rng.uniform(3, 40))
        submitted = accepted - days(self.gap("accept"))
        created = submitted - days(self.gap("submit"))
        story = self.new_story(created)
        story.created_at = min(story.created_at, submitted - MINUTE)
        self.take(story, "submit", submitted)
        self.take(story, "accept", accepted)
        story.granted = application.granted
        if application.settled_at is None:
            return story
        paths = self.data["paths"]["after_grant" if application.granted else "after_refusal"]
        moment = application.settled_at
        for name in self.weighted(paths).split():
            moment += days(self.gap(name))
            if not self.take(story, name, moment):
                break
        return story

    # --- what each step needs -----------------------------------------------------------

    def complete(self, story: Story, kind: str) -> None:
        """The idea's texts, and what its steps needed: the plan, the evaluation, the
        money question, the lessons, who runs it now; its dates and tags."""
        rng, data = self.rng, self.data
        story.kind = kind
        owner = story.team[0]
        texts, story.parts = self.texts.fields_and_parts(kind)
        story.idea = idea = Idea(
            **texts,
            owner=owner,
            unit=owner.unit,
            state=story.state,
            created_at=story.created_at,
            state_changed_at=story.last_at,
            updated_at=story.last_at,
        )
        started, reported = story.step_at("start_test"), story.step_at("report")
        accepted = story.step_at("accept")
        has_plan = started is not None or (
            story.state == IdeaState.PLANNING and (story.granted or rng.random() < 0.5)
        )
        if has_plan:
            story.plan = self.test_plan(story, accepted=accepted, started=started)
        if reported is not None:
            story.evaluation = self.evaluation(story.plan, written=reported - MINUTE * 30)
        if started is not None:
            idea.no_money_needed = not story.granted
        if story.step_at("stop_and_learn"):
            idea.lessons_learned = rng.choice(data["plan"]["lessons"])
        if story.step_at("scale"):
            idea.run_by_unit = rng.choice(self.units)
            contact = rng.choice(self.people.users)
            idea.run_by_contact = f"{contact.full_name}, {rng.choice(data['plan']['contacts'])}"
        if story.state in (IdeaState.SCALED, IdeaState.LEARNED):
            idea.publication_consent = rng.random() < data["team"]["consent"]
        tags = data["tags"]
        story.tags = rng.sample(tags["names"], rng.randint(0, tags["most"]))
        if kind == COMMON:
            story.tags.append(tags["common"])

    def test_plan(self, story: Story, *, accepted, started) -> TestPlan:
        """The plan as it stands: from the day the test started (or, not yet started, a day
        ahead), for some weeks; a reported test ended by its report."""
        plan = self.data["plan"]
        today = local_date(self.now)
        if started is not None:
            start = local_date(started)
        elif story.state == IdeaState.PLANNING:
            start = today + datetime.timedelta(days=self.rng.randint(7, 60))
        else:
            start = local_date(accepted) + datetime.timedelta(days=30)
        end = start + datetime.timedelta(weeks=self.rng.randint(*plan["weeks"]))
        if story.state == IdeaState.TESTING and end < today and self.rng.random() < 0.6:
            # Most teams move the end date when the test takes longer than planned.
            end = today + datetime.timedelta(days=self.rng.randint(7, 60))
        if (reported := story.step_at("report")) is not None:
            end = max(start, min(end, local_date(reported)))
        written = (started or story.last_at) - days(self.rng.uniform(0.5, 10))
        return TestPlan(
            hypothesis=self.rng.choice(plan["hypotheses"]),
            success_criteria=self.rng.sample(plan["criteria"], self.rng.randint(1, 3)),
            start_date=start,
            end_date=end,
            resources=self.rng.choice(plan["resources"]),
            updated_at=max(written, story.created_at),
        )

    def evaluation(self, plan: TestPlan, *, written) -> Evaluation:
        texts = self.data["plan"]
        results = [
            {"criterion": criterion, "result": self.rng.choice(texts["results"])}
            for criterion in plan.success_criteria
        ]
        return Evaluation(
            results=results,
            surprises=self.rng.choice(texts["surprises"]),
            next_step=self.rng.choice(texts["next_steps"]),
            updated_at=written,
        )

    def kinds(self, stories: list[Story], *, common_share: float, rare: int) -> list[str]:
        """Which stories are about the benchmark's words: `rare` submitted ideas about the
        rare word, `common_share` of the others about the common one."""
        kinds = [PLAIN] * len(stories)
        submitted = [i for i, story in enumerate(stories) if story.state != IdeaState.DRAFT]
        rare_ones = set(self.rng.sample(submitted, min(rare, len(submitted))))
        for i in rare_ones:
            kinds[i] = RARE
        others = [i for i in range(len(stories)) if i not in rare_ones]
        for i in self.rng.sample(others, round(common_share * len(stories))):
            kinds[i] = COMMON
        return kinds


# --- champions and comments ----------------------------------------------------------------


class Backing(NamedTuple):
    """A champion or a comment before it is written: which story, who, when."""

    story: int
    user: User
    at: datetime.datetime
    text: str = ""


def _popular(rng: random.Random, stories: list[Story]) -> tuple[list[int], list[float]]:
    """The stories in the idea bank (not drafts) and how popular each is (a few ideas
    draw most of the champions and comments), as cumulative weights."""
    eligible = [i for i, story in enumerate(stories) if story.state != IdeaState.DRAFT]
    weights = [min(rng.paretovariate(1.2), 200.0) for _ in eligible]
    return eligible, list(itertools.accumulate(weights))


def _after(rng, story: Story, now: datetime.datetime, mean_days: float):
    """A moment soon after the idea was submitted; for an idea that has ended, not long
    after its end."""
    start = story.submitted_at
    end = min(now, story.last_at + days(60)) if story.state in FINAL_STATES else now
    moment = start + days(rng.expovariate(1 / mean_days))
    moment = waking_hours(rng, moment if moment <= end else between(rng, start, end))
    return min(max(moment, start), end)


def plan_champions(rng, stories: list[Story], users: list[User], *, count: int, now) -> list:
    """`count` distinct (idea, colleague) pairs; nobody champions their own team's idea."""
    eligible, cumulative = _popular(rng, stories)
    if not eligible:
        return []
    offers = load("scale")["ideas"]["colleagues"]
    teams = {index: {member.pk for member in stories[index].team} for index in eligible}
    seen, backings = set(), []
    attempts = 0
    while len(backings) < count and attempts < count * 3:
        batch = rng.choices(eligible, cum_weights=cumulative, k=min(50_000, count * 3 - attempts))
        attempts += len(batch)
        for index in batch:
            user = rng.choice(users)
            story = stories[index]
            if (index, user.pk) in seen or user.pk in teams[index]:
                continue
            seen.add((index, user.pk))
            offer = rng.choice(offers["offers"]) if rng.random() < offers["offers_share"] else ""
            backings.append(Backing(index, user, _after(rng, story, now, 20), offer))
            if len(backings) == count:
                break
    return backings


def plan_comments(rng, stories: list[Story], people, *, count: int, now) -> list:
    eligible, cumulative = _popular(rng, stories)
    if not eligible:
        return []
    data = load("scale")["ideas"]["colleagues"]
    backings = []
    for index in rng.choices(eligible, cum_weights=cumulative, k=count):
        story, roll = stories[index], rng.random()
        if roll < data["coach_share"]:
            author = story.coach
        elif roll < data["coach_share"] + data["owner_share"]:
            author = story.team[0]
        else:
            author = rng.choice(people.users)
        at = _after(rng, story, now, 25)
        backings.append(Backing(index, author, at, rng.choice(data["comments"])))
    return backings


# --- writing ------------------------------------------------------------------------------


def write_ideas(stories: list[Story], *, champion_counts: Counter) -> int:
    ideas = []
    for index, story in enumerate(stories):
        story.idea.champion_count = champion_counts[index]
        ideas.append(story.idea)
    insert(Idea, ideas)
    return len(ideas)


def write_teams(stories: list[Story]) -> int:
    pairs = [(story.idea.pk, member.pk) for story in stories for member in story.team[1:]]
    return link(Idea.co_owners, pairs)


def write_plans(stories: list[Story]) -> int:
    plans, evaluations = [], []
    for story in stories:
        if story.plan is not None:
            story.plan.idea = story.idea
            plans.append(story.plan)
        if story.evaluation is not None:
            story.evaluation.idea = story.idea
            evaluations.append(story.evaluation)
    return len(insert(TestPlan, plans)) + len(insert(Evaluation, evaluations))


def write_tags(stories: list[Story]) -> int:
    names = sorted({name for story in stories for name in story.tags})
    existing = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
    insert(Tag, [Tag(name=name, slug=name) for name in names if name not in existing])
    tags = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    content_type = ContentType.objects.get_for_model(Idea)
    items = [
        TaggedItem(tag_id=tags[name], content_type=content_type, object_id=story.idea.pk)
        for story in stories
        for name in story.tags
    ]
    return len(insert(TaggedItem, items))


def write_timelines(stories: list[Story]) -> int:
    content_type = ContentType.objects.get_for_model(Idea)
    logs = [
        StateLog(
            timestamp=step.at,
            by=step.by,
            source_state=step.source,
            state=step.target,
            transition=step.transition,
            content_type=content_type,
            object_id=story.idea.pk,
            description=step.message,
        )
        for story in stories
        for step in story.steps
    ]
    return len(insert(StateLog, logs))


def write_champions(stories: list[Story], backings: list[Backing]) -> list[Champion]:
    champions = [
        Champion(idea=stories[b.story].idea, user=b.user, offer=b.text, created_at=b.at)
        for b in backings
    ]
    return insert(Champion, champions)


def write_comments(rng, stories: list[Story], backings: list[Backing], *, now) -> list[Comment]:
    data = load("scale")["ideas"]["colleagues"]
    comments = []
    for b in backings:
        story = stories[b.story]
        comment = Comment(idea=story.idea, author=b.user, body=b.text, created_at=b.at)
        if rng.random() < data["hidden_share"]:
            comment.hidden_at = min(now, b.at + days(rng.uniform(0.1, 3)))
            comment.hidden_by = story.coach
            comment.hidden_reason = rng.choice(data["hide_reasons"])
        comments.append(comment)
    return insert(Comment, comments)
