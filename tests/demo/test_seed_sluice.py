"""`seed_demo` tells about thirty believable idea stories through the real services."""

from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_fsm_log.models import StateLog

from ideasluss.demo import actions
from ideasluss.demo.data import load
from ideasluss.demo.loader import quiet_seeding
from ideasluss.ideas.models import Champion, Comment, Evaluation, Idea, IdeaState
from ideasluss.ideas.models import TestPlan as IdeaTestPlan
from workflows import guards
from workflows.ideas.lifecycle import IdeaLifecycle

pytestmark = pytest.mark.django_db

COACH_ONLY = {"return_to_owner", "accept", "decline", "scale"}
MEMBER_ONLY = {"submit", "report"}
IDEAS = load("ideas")["idea"]
TITLES = [spec["title"] for spec in IDEAS]


@pytest.fixture
def seeded():
    call_command("seed_demo", verbosity=0)
    return list(
        Idea.objects.filter(title__in=TITLES)
        .select_related("owner", "run_by_unit")
        .prefetch_related("co_owners", "tags")
    )


def log_of(idea):
    return list(StateLog.objects.for_(idea).select_related("by").order_by("timestamp", "pk"))


def test_about_thirty_ideas_in_every_state(seeded):
    assert len(seeded) == len(IDEAS) >= 28
    states = Counter(idea.state for idea in seeded)
    assert set(states) == set(IdeaState.values)
    assert states[IdeaState.SUBMITTED] >= 4, "the coach's inbox needs content"
    owners = {idea.owner.username for idea in seeded}
    assert owners >= {"anna", "bo", "dan", "eva", "fia"}


def test_at_least_one_running_test_is_overdue(seeded):
    today = timezone.localdate()
    testing = [idea for idea in seeded if idea.state == IdeaState.TESTING]
    assert any(idea.test_plan.end_date < today for idea in testing)
    assert any(idea.test_plan.end_date >= today for idea in testing)


def test_each_state_has_the_data_it_needs(seeded):
    for idea in seeded:
        log = log_of(idea)
        transitions = [entry.transition for entry in log]
        assert idea.tags.exists(), idea
        if idea.state != IdeaState.DRAFT:
            assert guards.submission_complete(idea), idea
        if idea.state in {
            IdeaState.TESTING,
            IdeaState.TESTED,
            IdeaState.SCALED,
            IdeaState.LEARNED,
        }:
            plan = idea.test_plan
            assert plan.hypothesis, idea
            assert 2 <= len(plan.success_criteria) <= 3, idea
            assert plan.start_date < plan.end_date
            # Settled one way or the other: a grant from the fund, or no money needed.
            assert idea.no_money_needed != guards.has_approved_grant(idea), idea
            assert idea.no_money_needed == (idea.needs_money is None), idea
            assert guards.ready_to_test(idea), idea
        if idea.state in {IdeaState.TESTED, IdeaState.SCALED} or "report" in transitions:
            assert guards.evaluation_complete(idea), idea
            assert len(idea.evaluation.results) == len(idea.test_plan.success_criteria)
        if idea.state == IdeaState.LEARNED:
            assert guards.lessons_written(idea) and len(idea.lessons_learned) > 100, idea
        if idea.state == IdeaState.SCALED:
            assert guards.new_owner_named(idea), idea
            assert idea.run_by_unit is not None and idea.run_by_contact
        if idea.state == IdeaState.PLANNING and hasattr(idea, "test_plan"):
            assert idea.test_plan.start_date > timezone.localdate(), "a planned test starts later"
        if idea.state in {IdeaState.SUBMITTED, IdeaState.DRAFT, IdeaState.DECLINED}:
            assert not IdeaTestPlan.objects.filter(idea=idea).exists(), idea
        for entry in log:
            if entry.transition in {"return_to_owner", "decline", "iterate"}:
                assert entry.description and len(entry.description) > 30, (idea, entry)


def test_some_drafts_were_returned_and_some_ideas_iterated(seeded):
    by_transition = Counter(
        entry.transition for idea in seeded for entry in log_of(idea)
    )  # every transition of the lifecycle appears in the demo
    declared = {
        t.name for t in IdeaLifecycle._meta.get_field("state").get_all_transitions(IdeaLifecycle)
    }
    assert set(by_transition) == declared
    returned_drafts = [idea for idea in seeded if idea.state == IdeaState.DRAFT and log_of(idea)]
    assert returned_drafts
    assert any(not log_of(idea) for idea in seeded if idea.state == IdeaState.DRAFT)


def test_timelines_replay_from_draft_in_order_by_people_allowed_to_act(seeded):
    now = timezone.now()
    for idea in seeded:
        log = log_of(idea)
        if idea.state == IdeaState.DRAFT and not log:
            assert idea.state_changed_at == idea.created_at
            continue
        assert log, f"{idea} has no timeline"
        state = IdeaState.DRAFT
        previous = idea.created_at
        for entry in log:
            assert entry.source_state == state, (idea, entry)
            assert entry.timestamp > previous, (idea, entry)
            assert entry.by.has_perm(f"ideas.{entry.transition}_idea", idea), (idea, entry)
            if entry.transition in COACH_ONLY:
                assert entry.by.username == "cia"
            if entry.transition in MEMBER_ONLY:
                assert idea.is_member(entry.by)
            state, previous = entry.state, entry.timestamp
        assert state == idea.state
        assert idea.state_changed_at == log[-1].timestamp
        assert previous < now


def test_dates_are_spread_over_months(seeded):
    now = timezone.now()
    created = sorted(idea.created_at for idea in seeded)
    assert now - created[0] > timedelta(days=180)
    assert now - created[-1] < timedelta(days=14)
    waiting = {(now - idea.state_changed_at).days for idea in seeded if idea.state == "submitted"}
    assert len(waiting) >= 4, "the coach's inbox shows different waiting times"


def test_champions_comments_and_co_owners_make_sense(seeded):
    champions = Champion.objects.filter(idea__in=seeded).select_related("idea", "user")
    comments = Comment.objects.filter(idea__in=seeded).select_related("idea", "author")
    assert champions.count() >= 40
    assert champions.exclude(offer="").count() >= 10
    assert comments.count() >= 20
    assert sum(1 for idea in seeded if idea.co_owners.exists()) >= 3
    for idea in seeded:
        assert idea.champion_count == idea.champions.count()
        for co_owner in idea.co_owners.all():
            assert not idea.champions.filter(user=co_owner).exists()
    for item, moment in [(c, c.created_at) for c in champions] + [
        (c, c.created_at) for c in comments
    ]:
        first_submit = (
            StateLog.objects.for_(item.idea).filter(transition="submit").order_by("pk").first()
        )
        assert first_submit is not None and moment > first_submit.timestamp, item
        assert moment < timezone.now()
    hidden = comments.filter(hidden_at__isnull=False)
    assert hidden.count() == 1
    comment = hidden.get()
    assert comment.hidden_by.username == "cia" and comment.hidden_reason
    assert comment.hidden_at > comment.created_at


def test_seeding_twice_changes_nothing(seeded):
    def snapshot():
        return {
            "ideas": list(Idea.objects.order_by("pk").values_list("pk", "state", "updated_at")),
            "log": StateLog.objects.count(),
            "plans": IdeaTestPlan.objects.count(),
            "evaluations": Evaluation.objects.count(),
            "champions": Champion.objects.count(),
            "comments": Comment.objects.count(),
        }

    before = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == before


def test_every_state_change_went_through_the_transition_service():
    calls = Counter()
    perform = actions.transition_perform

    def spy(**kwargs):
        if isinstance(kwargs["obj"], Idea):
            calls[kwargs["name"]] += 1
        return perform(**kwargs)

    with mock.patch.object(actions, "transition_perform", spy):
        call_command("seed_demo", verbosity=0)
    idea_log = StateLog.objects.filter(content_type=ContentType.objects.get_for_model(Idea))
    assert sum(calls.values()) == idea_log.count() > 80
    assert calls == Counter(idea_log.values_list("transition", flat=True))


def test_bulk_ideas_are_added_after_the_demo_ideas():
    call_command("seed_demo", ideas=len(IDEAS) + 20, verbosity=0)
    assert Idea.objects.count() == len(IDEAS) + 20
    assert Idea.objects.filter(title__in=TITLES).count() == len(IDEAS)


def test_quiet_seeding_sends_no_email(settings):
    previous = settings.EMAIL_BACKEND
    with quiet_seeding():
        mail.send_mail("Hej", "Text", "from@example.se", ["to@example.se"])
    restored = settings.EMAIL_BACKEND
    assert mail.outbox == []
    assert restored == previous
