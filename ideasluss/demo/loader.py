"""`seed_demo`: the demo's data files (`data/*.toml`) told as the people would act them out.

Each idea story, fund application, meeting, best-mistake nomination and public page
becomes use cases at moments of the demo's past (`Demo.on`). They run in the order
of time, each at its moment (`clock.happening_at`), through `actions`: the real
services. A decision is therefore numbered in the order it was made, and a grant is
decided before the test it pays for starts. What exists already is left alone:
running the demo again adds nothing.
"""

import datetime
import itertools
import json
import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from cms.locales import originals
from cms.models import LessonPage, MistakeYearPage, ResultPage
from cms.site_tree import INFORMATION_PAGES, information_fields, information_texts
from ideasluss.accounts.models import Unit, User
from ideasluss.accounts.roles import Role
from ideasluss.demo import actions
from ideasluss.demo.clock import Clock, happening_at
from ideasluss.demo.data import load
from ideasluss.demo.pictures import demo_collection, demo_image
from ideasluss.demo.texts import IdeaTexts
from ideasluss.fund.models import Application, Criterion, Fund, Meeting
from ideasluss.ideas.models import Comment, Idea, IdeaState, Nomination

IDEA_FIELDS = (
    *("title", "problem", "target_group", "description", "first_test", "tags"),
    *("needs_hours", "needs_substitute", "needs_money", "needs_other_units"),
)
PEOPLE = ("by", "member")
LESSON_FIELDS = ("what_was_tried", "what_we_learned", "advice")
DUMMY_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
QUIET_LOGGERS = ("django_tasks", "wagtail")  # task runs; Wagtail's page and image log


@contextmanager
def quiet_seeding() -> Iterator[None]:
    """Send no e-mail and log no task runs or page publications while seeding (in-app
    notifications are still created). Wrap the whole transaction: notifications go out
    when it commits."""
    previous_backend = settings.EMAIL_BACKEND
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    previous_levels = [logger.level for logger in loggers]
    settings.EMAIL_BACKEND = DUMMY_EMAIL_BACKEND
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = previous_backend
        for logger, level in zip(loggers, previous_levels, strict=True):
            logger.setLevel(level)


def seed_people() -> tuple[dict[str, User], dict[str, Unit], int]:
    """The units and the demo users, created or refreshed; and how many users were new."""
    data = load("people")
    units: dict[str, Unit] = {}
    for administration, children in data["units"].items():
        parent, _ = Unit.objects.get_or_create(name=administration, parent=None)
        units[administration] = parent
        for name in children:
            units[name], _ = Unit.objects.get_or_create(name=name, parent=parent)
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    users, new = {}, 0
    for spec in data["user"]:
        administrator = Role.ADMINISTRATOR in spec["roles"]
        user, created = User.objects.update_or_create(
            username=spec["username"],
            defaults={
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "email": f"{spec['username']}@idesluss.example",
                "unit": units[spec["unit"]],
                "preferred_language": spec["language"],
                "is_active": True,
                "is_staff": administrator,
                "is_superuser": administrator,
            },
        )
        if created:
            user.set_password(data["password"])
            user.save(update_fields=["password"])
            new += 1
        user.groups.set([groups[role] for role in spec["roles"]])
        users[user.username] = user
    return users, units, new


def seed_bulk_ideas(*, total: int, owners: list[User], batch_size: int = 2000) -> int:
    """Top the idea table up to `total` rows in bulk (load and query tests); returns how
    many were added. The texts are those of `seed_scale`'s ideas (`IdeaTexts`)."""
    missing = total - Idea.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(total)
    texts, states = IdeaTexts(rng), load("ideas")["generated"]["states"]
    units = list(Unit.objects.filter(parent__isnull=False)) or [None]
    ideas = (
        Idea(**texts.fields(), owner=owner, unit=rng.choice(units), state=rng.choice(states))
        for owner in itertools.islice(itertools.cycle(owners), missing)
    )
    created = 0
    while batch := list(itertools.islice(ideas, batch_size)):
        Idea.objects.bulk_create(batch)
        created += len(batch)
    return created


class Find:
    """An object a use case finds when it runs, because an earlier one makes it."""

    def __init__(self, model, **lookup):
        self.model, self.lookup = model, lookup

    def get(self):
        return self.model.objects.get(**self.lookup)


def _found(value):
    if isinstance(value, Find):
        return value.get()
    if isinstance(value, list):
        return [_found(item) for item in value]
    return value


@dataclass
class Added:
    ideas: int = 0
    applications: int = 0
    pages: int = 0
    pictures: int = 0
    nominations: int = 0


class Demo:
    """One run of the demo: the people, the clock, and the use cases still to run."""

    def __init__(self, *, users: dict[str, User], units: dict[str, Unit]):
        self.users, self.units = users, units
        self.clock = Clock()
        self.events: list[tuple] = []
        self.added = Added()
        self.ideas = {spec["title"]: spec for spec in load("ideas")["idea"]}
        self.fund_data = load("fund")["fund"]

    def on(self, moment: datetime.datetime, act, **arguments) -> None:
        self.events.append((moment, len(self.events), act, arguments))

    def each(self, items, act, *, at, **arguments) -> None:
        """One use case `act` for each item, at the item's `at`; the item's other keys are
        its arguments (`by` and `member` name a person)."""
        for item in items:
            moment = at(item["at"])
            given = {**arguments, **{name: value for name, value in item.items() if name != "at"}}
            given.update({name: self.users[given[name]] for name in PEOPLE if name in item})
            self.on(moment, act, **given)

    def run(self) -> None:
        for moment, _, act, arguments in sorted(self.events, key=lambda event: event[:2]):
            try:
                with happening_at(moment):
                    act(**{name: _found(value) for name, value in arguments.items()})
            except Exception as error:
                error.add_note(f"in the demo's {act.__name__} at {moment:%Y-%m-%d %H:%M} UTC")
                raise
        self.events.clear()

    def fund(self, year: int) -> Fund:
        """The innovation fund of `year` and its criteria, created once."""
        data = self.fund_data
        fund, _ = Fund.objects.get_or_create(
            name=data["name"].format(year=year),
            defaults={
                "registration_prefix": data["registration_prefix"],
                "start_date": datetime.date(year, 1, 1),
                "end_date": datetime.date(year, 12, 31),
                "capital": data["capital"],
                "delegated_limit": data["delegated_limit"],
                "is_open": True,
            },
        )
        for position, name in enumerate(data["criteria"]):
            Criterion.objects.get_or_create(fund=fund, name=name, defaults={"position": position})
        fund.committee_members.add(*[self.users[name] for name in data["committee"]])
        if fund.vice_chair_id is None:
            fund.vice_chair = self.users[data["vice_chair"]]
            fund.save(update_fields=["vice_chair"])
        return fund

    # --- the sluice ------------------------------------------------------------------------

    def idea_story(self, spec: dict) -> None:
        owner, at = self.users[spec["owner"]], self.clock.at
        if Idea.objects.filter(owner=owner, title=spec["title"]).exists():
            return
        self.added.ideas += 1
        idea = Find(Idea, owner=owner, title=spec["title"])
        co_owners = [self.users[name] for name in spec.get("co_owners", ())]
        fields = {name: spec[name] for name in IDEA_FIELDS if name in spec}
        self.on(at(spec["created"]), actions.idea_create, by=owner, co_owners=co_owners, **fields)
        evaluations = iter(spec.get("evaluation", ()))
        for step in spec.get("step", ()):
            evaluation = next(evaluations) if step["transition"] == "report" else None
            self.on(
                at(step["at"]), self.step, idea=idea, spec=spec, step=step, evaluation=evaluation
            )
        if "written" in (plan := spec.get("plan", {})):
            start = self.clock.today + datetime.timedelta(days=plan["starts_in_days"])
            self.on(at(plan["written"]), self.plan_save, idea=idea, spec=spec, start=start)
        if "consent" in spec:
            self.on(at(spec["consent"]), actions.consent_give, idea=idea, by=owner)
        self.each(spec.get("champions", ()), actions.champion_add, at=at, idea=idea)
        for comment in spec.get("comment", ()):
            said = {name: value for name, value in comment.items() if name != "hidden"}
            self.each([said], actions.comment_add, at=at, idea=idea)
            if "hidden" in comment:
                found = Find(Comment, idea__title=spec["title"], body=comment["body"])
                self.each([comment["hidden"]], actions.comment_hide, at=at, comment=found)
        if "grant" in spec:
            self.application_story(spec["grant"], idea=spec["title"], squeeze=False)

    def step(self, *, idea: Idea, spec: dict, step: dict, evaluation: dict | None) -> None:
        """One transition, after writing what its guard asks for."""
        name, plan, today = step["transition"], spec.get("plan"), timezone.localdate()
        by, changes = self.users[step.get("by", spec["owner"])], {}
        if name == "start_test":
            self.plan_save(idea=idea, spec=spec, start=today)
        elif name == "report":
            criteria = plan["criteria"]
            actions.evaluation_save(idea=idea, by=by, criteria=criteria, evaluation=evaluation)
        elif name == "stop_and_learn":
            changes = {"lessons_learned": spec["lessons"]}
        elif name == "scale":
            unit, contact = spec["run_by"]
            changes = {"run_by_unit": self.units[unit], "run_by_contact": contact}
        message = step.get("message", "")
        actions.transition(obj=idea, name=name, by=by, message=message, changes=changes)
        if name == "iterate" and plan.get("weeks_after_iterate"):
            idea = actions.fresh(idea)
            end = today + datetime.timedelta(weeks=plan["weeks_after_iterate"])
            self.plan_save(idea=idea, spec=spec, start=idea.test_plan.start_date, end=end)

    def plan_save(self, *, idea: Idea, spec: dict, start: datetime.date, end=None) -> None:
        """The owner's test plan from `start`, for the plan's weeks unless it ends at `end`
        (then the money question stays as it was settled)."""
        plan, owner = spec["plan"], self.users[spec["owner"]]
        settled = None if end else spec.get("needs_money") is None  # a grant pays otherwise
        end = end or start + datetime.timedelta(weeks=plan["weeks"])
        actions.test_plan_save(
            idea=idea, by=owner, plan=plan, start=start, end=end, no_money_needed=settled
        )

    # --- the fund --------------------------------------------------------------------------

    def fund_story(self) -> None:
        data = load("fund")
        motivations = {spec["idea"]: spec["motivation"] for spec in data["application"]}
        new = {
            spec["idea"]
            for spec in data["application"]
            if self.application_story(spec, idea=spec["idea"], squeeze=True)
        }
        for meeting in data["meeting"]:
            if set(meeting["agenda"]) <= new:
                agenda = [
                    Find(Application, idea__title=title, motivation=motivations[title])
                    for title in meeting["agenda"]
                ]
                fund = self.fund(self.clock.today.year)
                self.meeting_story(meeting, fund=fund, agenda=agenda, squeeze=True)

    def application_story(self, spec: dict, *, idea: str, squeeze: bool) -> bool:
        """An application for `idea` (its title) unless it exists; True when it is new."""
        key = {"idea__title": idea, "motivation": spec["motivation"]}
        if Application.objects.filter(**key).exists():
            return False
        self.added.applications += 1

        def at(when: str) -> datetime.datetime:
            return self.clock.at(when, squeeze=squeeze)

        story, application = self.ideas[idea], Find(Application, **key)
        effect = (
            spec["expected_effect"] if "expected_effect" in spec else story["plan"]["hypothesis"]
        )
        owner, decisions = self.users[story["owner"]], spec.get("decision", ())
        decided = decisions[0]["at"] if decisions else spec["created"]
        fund = self.fund(timezone.localdate(at(decided)).year)  # the fund of the year it is decided
        self.on(
            at(spec["created"]),
            actions.application_create,
            idea=Find(Idea, owner=owner, title=idea),
            fund_year=fund,
            by=owner,
            lines=spec["lines"],
            motivation=spec["motivation"],
            expected_effect=effect,
        )
        steps = [{"at": spec["submitted"], "name": "submit"}] if "submitted" in spec else []
        steps += [{**spec["withdrawn"], "name": "withdraw"}] if "withdrawn" in spec else []
        self.each(steps, actions.transition, at=at, obj=application, by=owner)
        about = {"at": at, "application": application}
        self.each(spec.get("declarations", ()), actions.conflict_declare, **about)
        self.each(spec.get("reviews", ()), actions.review_submit, **about)
        meetings = load("fund")["meeting"] + ([spec["meeting"]] if "meeting" in spec else [])
        for decision in decisions:
            if name := decision.get("meeting"):
                meeting = next(meeting for meeting in meetings if meeting["name"] == name)
                found = self.meeting_found(meeting, fund=fund, squeeze=squeeze)
                decision = {**decision, "meeting": found}
            self.each([decision], actions.decide, **about)
        self.each(spec.get("costs", ()), actions.cost_record, by=owner, **about)
        self.each([spec["returned"]] if "returned" in spec else [], actions.money_return, **about)
        if "meeting" in spec:
            self.meeting_story(spec["meeting"], fund=fund, agenda=[application], squeeze=squeeze)
        return True

    def meeting_found(self, spec: dict, *, fund: Fund, squeeze: bool) -> Find:
        # A meeting is opened on its date: a held meeting's date is the day it opened
        # (squeezing could otherwise move its morning and its afternoon a day apart).
        date = self.clock.day(spec.get("opened", spec["date"]), squeeze=squeeze)
        return Find(Meeting, fund=fund, date=date, location=self.fund_data["meeting_room"])

    def meeting_story(self, spec: dict, *, fund: Fund, agenda: list[Find], squeeze: bool):
        """The chair plans the meeting, sets its agenda, opens it with the attendees, chooses
        the minute checkers and closes it; the chair and the checkers sign the minutes and
        the chair posts them. The decisions are the applications'."""
        chair = self.users[self.fund_data["chair"]]
        meeting = self.meeting_found(spec, fund=fund, squeeze=squeeze)

        def at(when: str) -> datetime.datetime:
            return self.clock.at(when, squeeze=squeeze)

        where = {"date": meeting.lookup["date"], "location": meeting.lookup["location"]}
        self.on(at(spec["planned"]), actions.meeting_create, fund_year=fund, by=chair, **where)
        self.on(
            at(spec["agenda_set"]), actions.meeting_agenda, meeting=meeting, by=chair, agenda=agenda
        )
        steps = []
        if "opened" in spec:
            attendees = [self.users[name] for name in spec["attendees"]]
            steps.append(
                {"at": spec["opened"], "name": "open", "changes": {"attendees": attendees}}
            )
        if "closed" in spec:
            steps.append({"at": spec["closed"], "name": "close"})
        self.each(steps, actions.transition, at=at, obj=meeting, by=chair)
        if "minute_checkers" in spec:
            # At the opening, once the attendees are recorded (events at one moment run
            # in the order they were added).
            checkers = [self.users[name] for name in spec["minute_checkers"]]
            self.on(
                at(spec["opened"]),
                actions.minute_checkers_choose,
                meeting=meeting,
                by=chair,
                checkers=checkers,
            )
        self.each(spec.get("signed", ()), actions.minutes_sign, at=at, meeting=meeting)
        if "posted" in spec:
            posting = [{"at": spec["posted"], "name": "post_minutes"}]
            self.each(posting, actions.transition, at=at, obj=meeting, by=chair)

    # --- the public site -------------------------------------------------------------------

    def site_story(self) -> None:
        data = load("showcase")
        editor, sections = self.users[data["editor"]], actions.site_sections()
        for key, introduction in data["introductions"].items():
            page = sections[key].specific
            if not page.introduction:  # an editor's text is never overwritten
                self.added.pages += 1
                self.on(
                    self.clock.now,
                    actions.page_publish,
                    page=Find(type(page), pk=page.pk),
                    by=editor,
                    introduction=introduction,
                )
        collection, images = demo_collection(), {}
        for key in load("pictures")["picture"]:
            images[key], created = demo_image(key, collection=collection, by=editor)
            self.added.pictures += created
        for kind, model, section in (
            ("result", ResultPage, "resultat"),
            ("lesson", LessonPage, "lardomar"),
        ):
            index = sections[section]
            for story in data[kind]:
                if not model.objects.child_of(index).filter(slug=story["slug"]).exists():
                    self.story_page(story, model=model, index=index, images=images, by=editor)
        for year in data["mistake_year"]:
            self.mistake_year(year, archive=sections["arets-basta-misstag"], editor=editor)
        self.site_translations(sections=sections, images=images, by=editor)

    def site_translations(self, *, sections: dict, images: dict, by: User) -> None:
        """The English version of every demo page (showcase_en.toml, the information
        pages' own texts), translated after the Swedish originals are published: the home
        page first, as Wagtail translates a page only under its parent's translation."""
        english, original = load("showcase_en"), load("showcase")
        translations = []
        for key, page in sections.items():
            if key in INFORMATION_PAGES:
                fields = information_fields(information_texts()[key]["en"])
            else:
                fields = {"title": english["titles"][key]}
                fields["introduction"] = english["introductions"][key]
            translations.append((Find(type(page), pk=page.pk), fields))
        stories = {story["slug"]: story for story in english["story"]}
        for kind, model in (("result", ResultPage), ("lesson", LessonPage)):
            for story in original[kind]:
                fields = self.story_translation(stories[story["slug"]], story, images)
                translations.append(
                    (Find(model, slug=story["slug"], locale__language_code="sv"), fields)
                )
        for spec in original["mistake_year"]:
            year = self.clock.today.year - spec["years_ago"]
            fields = {
                "title": english["mistake_page_title"].format(year=year),
                "introduction": english["mistake_year_introductions"][str(spec["years_ago"])],
            }
            translations.append(
                (Find(MistakeYearPage, year=year, locale__language_code="sv"), fields)
            )
        for page, fields in translations:
            if not self.translated(page, language="en"):
                self.added.pages += 1
                self.on(
                    self.clock.now,
                    actions.page_translate,
                    page=page,
                    by=by,
                    language="en",
                    **fields,
                )

    @staticmethod
    def translated(page: Find, *, language: str) -> bool:
        """True when the page exists already and has a translation into `language`."""
        existing = page.model.objects.filter(**page.lookup).first()
        return (
            existing is not None
            and existing.get_translations().filter(locale__language_code=language).exists()
        )

    @staticmethod
    def story_translation(english: dict, story: dict, images: dict) -> dict:
        """A story's translated fields: its text, the main picture's alt text, and its
        blocks in the original's order, with the pictures' translated alt texts."""
        alt = load("showcase_en")["alt"]
        return {
            "title": english["title"],
            "summary": english["summary"],
            "hero_image_alt": alt[story["hero"]],
            "body": json.dumps([_block(block, images, alt=alt) for block in english["block"]]),
            **{name: english[name] for name in LESSON_FIELDS if name in english},
        }

    def story_page(self, story: dict, *, model, index, images: dict, by: User) -> None:
        """A result or lesson about a demo idea, whose owner gave consent."""
        self.added.pages += 1
        page = model(
            title=story["title"],
            slug=story["slug"],
            summary=story["summary"],
            hero_image=images[story["hero"]],
            hero_image_alt=images[story["hero"]].description,
            body=json.dumps([_block(block, images) for block in story["block"]]),
            owner=by,
            live=False,
            **{name: story[name] for name in LESSON_FIELDS if name in story},
        )
        idea = Find(Idea, title=story["idea"], owner__username=story["owner"])
        self.on(
            self.clock.at(story["published"]),
            actions.page_publish,
            page=page,
            parent=Find(type(index), pk=index.pk),
            by=by,
            idea=idea,
        )

    def mistake_year(self, spec: dict, *, archive, editor: User) -> None:
        """Staff nominate, the jury shortlists or sets aside, each juror votes for a
        finalist and the jury's chair declares the result the votes give; then the year's
        page is published. A year with nominations is left to its jury."""
        year = self.clock.today.year - spec["years_ago"]

        def at(when: str) -> datetime.datetime:
            return self.clock.at(when, year=year, squeeze=not spec["years_ago"])

        jury, chair = self.users[spec["jury"]], self.users[spec["chair"]]
        if not Nomination.objects.filter(year=year).exists():
            motivation = ""
            for item in spec["nomination"]:
                self.added.nominations += 1
                title, outcome = item["title"], item["outcome"]
                idea = (
                    Find(Idea, title=item["idea"], state=IdeaState.LEARNED)
                    if "idea" in item
                    else None
                )
                self.on(
                    at(item["at"]),
                    actions.nominate,
                    by=self.users[item["by"]],
                    year=year,
                    title=title,
                    story=item["story"],
                    idea=idea,
                )
                nomination = Find(Nomination, year=year, title=title)
                judged = "set_aside" if outcome == "not_chosen" else "shortlist"
                self.on(
                    at(spec["judged"]), actions.transition, obj=nomination, name=judged, by=jury
                )
                for voter in item.get("votes", []):
                    self.on(
                        at(spec["voted"]), actions.vote, by=self.users[voter], nomination=nomination
                    )
                motivation = item.get("motivation", motivation)
            self.on(
                at(spec["decided"]), actions.declare, by=chair, year=year, motivation=motivation
            )
        if not originals(MistakeYearPage.objects.filter(year=year)).exists():
            self.added.pages += 1
            page = MistakeYearPage(
                title=load("showcase")["mistake_page_title"].format(year=year),
                slug=str(year),
                year=year,
                introduction=spec["introduction"],
                owner=editor,
                live=False,
            )
            self.on(
                at(spec["published"]),
                actions.page_publish,
                page=page,
                parent=Find(type(archive), pk=archive.pk),
                by=editor,
            )


def _block(block: dict, images: dict, *, alt: dict | None = None) -> dict:
    """A story block as the page's StreamField (`cms.blocks.StoryBlock`) stores it."""
    if "text" in block:
        html = format_html_join("", "<p>{}</p>", ((text,) for text in block["text"]))
        return {"type": "paragraph", "value": str(html)}
    if "picture" in block:
        picture = images[block["picture"]]
        alt_text = (alt or {}).get(block["picture"], picture.description)
        image = {"image": picture.pk, "decorative": False, "alt_text": alt_text}
        return {"type": "image", "value": {"image": image, "caption": block["caption"]}}
    if "quote" in block:
        return {"type": "quote", "value": {"quote": block["quote"], "attribution": block["by"]}}
    items = format_html_join("", "<li>{}</li>", ((item,) for item in block["items"]))
    body = str(format_html("<ul>{}</ul>", items))
    return {"type": "fact_box", "value": {"title": block["facts"], "body": body}}


def seed_demo(*, ideas: int = 0) -> str:
    """Seed the whole demo (run it inside `quiet_seeding()` and one transaction); returns
    what it did, in a sentence."""
    users, units, new_users = seed_people()
    demo = Demo(users=users, units=units)
    fund = demo.fund(demo.clock.today.year)
    for spec in demo.ideas.values():
        demo.idea_story(spec)
    demo.fund_story()
    demo.site_story()
    demo.run()
    generated = seed_bulk_ideas(total=ideas, owners=list(users.values())) if ideas else 0
    added = demo.added
    return (
        f"Demo ready: {len(users)} users ({new_users} new, password "
        f"'{load('people')['password']}'), {len(units)} units, {added.ideas} demo ideas and "
        f"{generated} generated ideas added; {added.applications} fund applications added "
        f"({fund} is this year's fund); public site: {added.pages} pages published, "
        f"{added.pictures} pictures drawn and {added.nominations} best-mistake nominations "
        "added."
    )
