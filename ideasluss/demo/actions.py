"""Every call the demo makes into the application, one small adapter for each kind of call.

The demo acts only through the real services, so permissions, guards, the timeline
and notifications are the real thing. Keeping the calls here, and nowhere else in
the demo, means a renamed service changes one function.
"""

from django.db.models import Model
from django.utils import timezone
from wagtail.models import Locale, Page

from cms.site_tree import ensure_site_tree
from ideasluss.accounts.models import User
from ideasluss.fund import services as fund
from ideasluss.fund.models import Application, Decision, Meeting
from ideasluss.fund.services import BudgetLineInput
from ideasluss.ideas import services as ideas
from ideasluss.ideas.models import Comment, Idea, Nomination
from workflows.fund import services as fund_steps
from workflows.ideas import services as idea_steps
from workflows.transitions import transition_perform


def fresh(obj: Model) -> Model:
    """The object as the database has it now: earlier use cases may have changed it."""
    return type(obj).objects.get(pk=obj.pk)


def transition(*, obj: Model, name: str, by: User, message: str = "", changes=None) -> Model:
    """One state change of an idea, application, meeting or nomination, together with the
    data written with it (`changes`, the step's own fields). A meeting's attendees are
    recorded when it opens."""
    obj, changes = fresh(obj), dict(changes or {})
    attendees = changes.pop("attendees", None) if isinstance(obj, Meeting) else None
    moved = transition_perform(
        obj=obj, name=name, by=by, message=message, expected_state=obj.state, changes=changes
    )
    if attendees is not None:
        fund_steps.meeting_update(meeting=fresh(obj), by=by, attendees=attendees)
    return moved


# --- ideas -----------------------------------------------------------------------------------


def idea_create(*, by: User, co_owners: list[User], **fields) -> Idea:
    idea = ideas.idea_create(by=by, **fields)
    for user in co_owners:
        ideas.idea_co_owner_add(idea=idea, by=by, user=user)
    return idea


def test_plan_save(*, idea: Idea, by: User, plan: dict, start, end, no_money_needed) -> None:
    ideas.test_plan_save(
        idea=idea,
        by=by,
        hypothesis=plan["hypothesis"],
        success_criteria=list(plan["criteria"]),
        start_date=start,
        end_date=end,
        resources=plan.get("resources", ""),
        no_money_needed=no_money_needed,
    )


def evaluation_save(*, idea: Idea, by: User, criteria: list[str], evaluation: dict) -> None:
    """One result per success criterion, in the order of the plan's criteria."""
    results = zip(criteria, evaluation["results"], strict=True)
    ideas.evaluation_save(
        idea=idea,
        by=by,
        results=[{"criterion": criterion, "result": result} for criterion, result in results],
        surprises=evaluation.get("surprises", ""),
        next_step=evaluation.get("next_step", ""),
    )


def consent_give(*, idea: Idea, by: User) -> None:
    ideas.idea_consent_set(idea=idea, by=by, consent=True)


def champion_add(*, idea: Idea, by: User, offer: str = "") -> None:
    ideas.champion_toggle(idea=idea, by=by, offer=offer)


def comment_add(*, idea: Idea, by: User, body: str) -> None:
    idea_steps.comment_create(idea=idea, by=by, body=body)


def comment_hide(*, comment: Comment, by: User, reason: str) -> None:
    idea_steps.comment_hide(comment=comment, by=by, reason=reason)


# --- the fund --------------------------------------------------------------------------------


def application_create(*, idea: Idea, fund_year, by: User, lines: list[dict], **texts) -> None:
    lines = [BudgetLineInput(**line) for line in lines]
    fund.application_create(idea=idea, fund=fund_year, by=by, lines=lines, **texts)


def conflict_declare(*, application: Application, member: User, conflict: str = "") -> None:
    """A `conflict` (its reason) recuses the member from the application."""
    fund.conflict_declare(
        application=application, member=member, has_conflict=bool(conflict), reason=conflict
    )


def review_submit(*, application: Application, member: User, scores: list[int], comment: str):
    """`scores` in the order of the fund's criteria."""
    criteria = application.fund.criteria.order_by("position")
    fund_steps.review_submit(
        application=application,
        member=member,
        scores={criterion.pk: score for criterion, score in zip(criteria, scores, strict=True)},
        comment=comment,
    )


def meeting_create(*, fund_year, by: User, date, location: str) -> None:
    fund.meeting_create(fund=fund_year, by=by, date=date, location=location)


def meeting_agenda(*, meeting: Meeting, by: User, agenda: list[Application]) -> None:
    fund_steps.meeting_update(meeting=meeting, by=by, agenda=agenda)


def minute_checkers_choose(*, meeting: Meeting, by: User, checkers: list[User]) -> None:
    fund_steps.meeting_minute_checkers_set(meeting=fresh(meeting), by=by, checkers=checkers)


def minutes_sign(*, meeting: Meeting, by: User) -> None:
    fund_steps.minutes_sign(meeting=fresh(meeting), by=by)


def decide(*, application: Application, by: User, corrects: bool = False, **decision) -> None:
    """A decision; `corrects` supersedes the decision in force."""
    if corrects:
        decision["supersedes"] = Decision.objects.in_force().get(application=application)
    fund_steps.decision_record(application=application, by=by, **decision)


def cost_record(*, application: Application, by: User, amount: int, note: str) -> None:
    """A cost paid today (the demo's today: the moment it happens)."""
    today = timezone.localdate()
    fund.cost_record(application=application, by=by, amount=amount, date=today, note=note)


def money_return(*, application: Application, by: User, note: str) -> None:
    fund.money_return(application=application, by=by, note=note)


# --- the best mistake and the public site ----------------------------------------------------


def nominate(*, by: User, year: int, title: str, story: str, idea: Idea | None) -> None:
    idea_steps.nomination_create(
        by=by, year=year, title=title, story=story, idea=idea, consent_confirmed=True
    )


def vote(*, by: User, nomination: Nomination) -> None:
    ideas.vote_cast(nomination=nomination, by=by)


def declare(*, by: User, year: int, motivation: str) -> None:
    """The jury's chair declares the result the votes give."""
    idea_steps.winner_declare(year=year, by=by, motivation=motivation)


def site_sections() -> dict[str, Page]:
    return ensure_site_tree()


def page_translate(*, page: Page, by: User, language: str, **fields) -> None:
    """Translate the page as an editor does with "Translate" in the Wagtail admin: Wagtail's
    copy of it in the locale of `language` (under its parent's translation, at the same
    address), then `fields` written over the copy and published by `by`."""
    locale = Locale.objects.get(language_code=language)
    translation = page.specific.copy_for_translation(locale).specific
    # Wagtail caches a user's page rights on the user object; the editor publishes in a
    # later request, as a fresh user who also holds the rights the copy just created.
    editor = type(by).objects.get(pk=by.pk)
    page_publish(page=translation, by=editor, **fields)


def page_publish(*, page: Page, by: User, parent: Page | None = None, **fields) -> None:
    """Publish the page as a revision by `by` (Wagtail checks the right to publish: the
    coaches' group has it on the site), new under `parent` or with `fields` changed."""
    for name, value in fields.items():
        setattr(page, name, value)
    if parent is not None:
        parent.add_child(instance=page)
    page.save_revision(user=by, log_action=True).publish(user=by)
