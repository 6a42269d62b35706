"""`seed_scale`: the demo at the scale of a large municipality, for the benchmark.

On top of the demo (`seed_demo`, run first: the site tree, roles, demo users and the
demo's fund), by default: 40,000 employees in 300 units, 100,000 ideas in every state
created from 2019 until today with the steps, test plans and evaluations their states
imply, 300,000 champions, 200,000 comments, three funds (this year's and the two
before) with 5,000 applications in every state and their decisions in the decision
register, and 500 published result and lesson pages. `Scale.of(ideas)` scales every
count with the number of ideas (the benchmark also seeds 10,000).

Written in bulk (`bulk.insert`, batches of 5,000; no `save()`, no signals) in one
transaction, from a seeded random generator. Seeding a database that has the scale's
users already adds nothing.

What the benchmark can rely on:

- `username(n)` (`scale-00001` …) signs in with `SCALE_PASSWORD`; the coaches, committee
  members and chairs among them are in their role's group;
- a search of the idea bank for `BENCH_COMMON_WORD` finds about `BENCH_COMMON_SHARE` of
  the ideas, one for `BENCH_RARE_WORD` finds `BENCH_RARE_IDEAS` ideas.

Search: the ideas' full-text index is an expression index and their vocabulary
(`search_word`) is kept by statement triggers (ideas 0006), so a bulk insert is indexed
as it is written; the pages are indexed by Wagtail as each is saved. After seeding,
PostgreSQL's statistics are refreshed (`ANALYZE`), so that its plans fit the new sizes.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, fields, replace

from django.db import connection, transaction
from django.utils import timezone

from cms.cache import public_site_changed
from cms.figures import forget_home_figures
from cms.selectors import forget_fund_figures
from ideasluss.accounts.models import User
from ideasluss.demo.data import load
from ideasluss.demo.loader import quiet_seeding, seed_demo
from ideasluss.fund.models import (
    Application,
    ConflictDeclaration,
    Cost,
    DeclarationEntry,
    MinutesSignature,
    MoneyReturn,
    Review,
)
from ideasluss.ideas.models import Champion, Comment, Evaluation, Idea, TestPlan
from workflows.models import Notification

from . import fund, ideas, notices, pages, people, search
from .bulk import Progress, dates_as_written, no_cycle_collection

#: The benchmark's searches (docs/benchmarks): a word in about 7 % of the ideas, and one in 5.
BENCH_COMMON_WORD = "hemtjänst"
BENCH_COMMON_SHARE = 0.07
BENCH_RARE_WORD = "skolskjuts"
BENCH_RARE_IDEAS = 5
SCALE_PASSWORD = people.PASSWORD
USERNAME_PREFIX = people.USERNAME_PREFIX
username = people.username

DEFAULT_IDEAS = 100_000
#: Every model whose dates the seed writes itself (see `bulk.dates_as_written`).
DATED_MODELS = (
    Idea,
    TestPlan,
    Evaluation,
    Champion,
    Comment,
    Application,
    ConflictDeclaration,
    DeclarationEntry,
    Review,
    MinutesSignature,
    Cost,
    MoneyReturn,
    Notification,
)


class AlreadySeeded(Exception):
    """The database holds the scale's users already, at another scale."""


@dataclass(frozen=True)
class Scale:
    """How much to seed. Funds and committees do not grow with the ideas."""

    ideas: int = DEFAULT_IDEAS
    users: int = 40_000
    units: int = 300
    champions: int = 300_000
    comments: int = 200_000
    applications: int = 5_000
    pages: int = 500
    coaches: int = 60
    committee: int = 15
    funds: int = 3

    @classmethod
    def of(cls, ideas: int = DEFAULT_IDEAS, **counts) -> "Scale":
        """The default scale with every count multiplied by `ideas` / 100,000 (each kept
        large enough for every state to occur), then the `counts` given."""
        default, factor = cls(), ideas / DEFAULT_IDEAS
        least = {"users": 150, "units": 4, "applications": 12, "pages": 2, "coaches": 3}
        scaled = {
            name: max(least.get(name, 0), round(getattr(default, name) * factor))
            for name in ("users", "units", "champions", "comments", "applications", "pages")
        }
        scaled["coaches"] = max(least["coaches"], round(default.coaches * factor))
        given = {name: value for name, value in counts.items() if value is not None}
        return replace(cls(ideas=ideas, **scaled), **given).checked()

    def checked(self) -> "Scale":
        if self.ideas < 20:
            raise ValueError("seed at least 20 ideas")
        if self.applications > self.ideas // 2:
            raise ValueError("at most one application for every two ideas")
        if self.committee < 3 or self.funds < 1:
            raise ValueError("a fund needs a committee of at least 3")
        if self.users < self.coaches + self.committee * self.funds + 20:
            raise ValueError("too few users for the coaches and the committees")
        return self

    def __str__(self) -> str:
        return ", ".join(f"{field.name} {getattr(self, field.name):,}" for field in fields(self))


def seeded_users() -> int:
    return User.objects.filter(username__startswith=USERNAME_PREFIX).count()


def seed_scale(*, scale: Scale, write=print, seed: int = 13) -> str:
    """Seed the demo, then the scale (unless its users exist); returns what it did in a
    sentence. Raises `AlreadySeeded` when the database was seeded at another scale."""
    existing = seeded_users()
    if existing == scale.users:
        return f"Already seeded ({existing:,} scale users): nothing added."
    if existing:
        raise AlreadySeeded(
            f"This database has {existing:,} scale users, not {scale.users:,}: it was seeded "
            "at another scale. Seed a new database."
        )
    progress = Progress(write)
    write(f"Seeding {scale}.")
    with progress.step("the demo (seed_demo)"), quiet_seeding(), transaction.atomic():
        seed_demo()
    with (
        quiet_seeding(),
        dates_as_written(*DATED_MODELS),
        no_cycle_collection(),
        transaction.atomic(),
    ):
        figures = _seed(scale, progress=progress, rng=random.Random(seed))
    forget_home_figures()
    forget_fund_figures()
    public_site_changed()
    if connection.vendor == "postgresql":
        with progress.step("ANALYZE"), connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return (
        f"Scale ready in {progress.elapsed:.0f} s: {figures}. Users sign in as "
        f"{username(1)}…{username(scale.users)} with the password '{SCALE_PASSWORD}'."
    )


def _seed(scale: Scale, *, progress: Progress, rng: random.Random) -> str:
    now = timezone.now()
    start = timezone.make_aware(datetime.datetime(load("scale")["first_year"], 1, 1, 8))
    step = progress.step
    with step("units") as done:
        all_units = people.seed_units(count=scale.units, rng=rng)
        units = [unit for unit in all_units if unit.parent_id is not None]
        done["rows"] = len(all_units)
    with step("users") as done:
        users = people.seed_users(count=scale.users, units=units, rng=rng, since=start, now=now)
        done["rows"] = len(users)
    with step("roles") as done:
        staff = people.assign_roles(
            users=users, coaches=scale.coaches, committee=scale.committee, funds=scale.funds
        )
        done["rows"] = len(users) + scale.coaches + scale.committee * scale.funds
    with step("funds and the plan of their applications") as done:
        planner = fund.FundPlanner(rng=rng, people=staff, now=now)
        years = planner.create_funds(scale.funds)
        plans = planner.plan(scale.applications)
        done["rows"] = len(plans)
    with step("idea stories (in memory)") as done:
        sluice = ideas.Sluice(rng=rng, people=staff, units=units, start=start, now=now)
        for plan in plans:
            plan.story = sluice.story_around(plan)
        stories = [plan.story for plan in plans]
        stories += [sluice.story_in_state(s) for s in sluice.states(scale.ideas - len(stories))]
        stories.sort(key=lambda story: story.created_at)
        kinds = sluice.kinds(stories, common_share=BENCH_COMMON_SHARE, rare=BENCH_RARE_IDEAS)
        for story, kind in zip(stories, kinds, strict=True):
            sluice.complete(story, kind)
        champions = ideas.plan_champions(rng, stories, users, count=scale.champions, now=now)
        comments = ideas.plan_comments(rng, stories, staff, count=scale.comments, now=now)
        done["rows"] = len(stories)
    with step("ideas (and their search vocabulary)") as done:
        counts = Counter(backing.story for backing in champions)
        done["rows"] = search.insert_counting_words(
            lambda: ideas.write_ideas(stories, champion_counts=counts), stories
        )
    with step("co-owners") as done:
        done["rows"] = ideas.write_teams(stories)
    with step("tags") as done:
        done["rows"] = ideas.write_tags(stories)
    with step("test plans and evaluations") as done:
        done["rows"] = ideas.write_plans(stories)
    with step("the ideas' steps") as done:
        done["rows"] = ideas.write_timelines(stories)
    with step("champions") as done:
        champions = ideas.write_champions(stories, champions)
        done["rows"] = len(champions)
    with step("comments") as done:
        comments = ideas.write_comments(rng, stories, comments, now=now)
        done["rows"] = len(comments)
    writer = fund.FundWriter(rng=rng, people=staff, now=now, years=years)
    with step("meetings") as done:
        done["rows"] = writer.write_meetings()
    with step("applications, reviews and decisions (one signed checkpoint)") as done:
        written = writer.write_applications(plans)
        done["rows"] = sum(written.values())
    with step("notifications") as done:
        done["rows"] = notices.write_notifications(
            stories=stories, champions=champions, comments=comments, now=now
        )
    with step("result and lesson pages") as done:
        published = pages.seed_pages(
            rng=rng, stories=stories, count=scale.pages, editors=staff.coaches, now=now
        )
        done["rows"] = published
    return (
        f"{len(users):,} users in {len(all_units):,} units, {len(stories):,} ideas, "
        f"{len(champions):,} champions, {len(comments):,} comments, {len(years)} funds with "
        f"{written['applications']:,} applications and {written['decisions']:,} decisions, "
        f"{published:,} public pages"
    )
