"""`seed_scale` at a tiny scale: every state, plausible stories, a register that verifies.

Seeded twice once for the module, inside a transaction rolled back afterwards (the demo
under it takes most of a minute); the checks are many.
"""

import io

import pytest
from django.contrib.auth.hashers import check_password
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.models import LessonPage, ResultPage
from cms.selectors import search_public_pages
from ideasluss.accounts.models import Unit, User
from ideasluss.accounts.roles import Role
from ideasluss.demo.data import load
from ideasluss.demo.scale import (
    BENCH_COMMON_SHARE,
    BENCH_COMMON_WORD,
    BENCH_RARE_IDEAS,
    BENCH_RARE_WORD,
    SCALE_PASSWORD,
    USERNAME_PREFIX,
    Scale,
    username,
)
from ideasluss.fund import money
from ideasluss.fund.models import (
    AgendaItem,
    Application,
    ApplicationState,
    Checkpoint,
    Decision,
    DecisionKind,
    Fund,
    Meeting,
)
from ideasluss.ideas.models import Champion, Comment, Idea, IdeaState
from ideasluss.ideas.search import search_ideas
from ideasluss.search.models import SearchWord
from workflows import guards
from workflows.models import Notification

IDEAS = 200
SCALE = Scale.of(IDEAS)
SCALE_FUNDS = Q(fund__registration_prefix=load("scale")["fund"]["registration_prefix"])


def counts() -> dict[str, int]:
    models = (User, Unit, Idea, Champion, Comment, StateLog, Application, Decision, Checkpoint)
    return {model.__name__: model.objects.count() for model in (*models, Page, Notification)}


def _delete_demo_files() -> None:
    """The rollback keeps the files of the demo's pictures and renditions: remove them."""
    for image in get_image_model().objects.all():
        for rendition in image.renditions.all():
            rendition.file.delete(save=False)
        image.file.delete(save=False)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The counts after the first run, the second run's output and the demo's checkpoints."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        demo_checkpoints = Checkpoint.objects.count()
        call_command("seed_scale", scale=IDEAS, verbosity=0)
        first = counts()
        again = io.StringIO()
        call_command("seed_scale", scale=IDEAS, stdout=again)
        yield {"first": first, "again": again.getvalue(), "demo_checkpoints": demo_checkpoints}
        _delete_demo_files()
        transaction.set_rollback(True)
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def site(seeded, db):
    return seeded


def scale_ideas():
    return Idea.objects.filter(owner__username__startswith=USERNAME_PREFIX)


# --- counts and idempotency ----------------------------------------------------------------


def test_the_scale_has_its_counts(site):
    assert User.objects.filter(username__startswith=USERNAME_PREFIX).count() == SCALE.users
    assert scale_ideas().count() == IDEAS
    assert Champion.objects.filter(idea__in=scale_ideas()).count() == SCALE.champions
    assert Comment.objects.filter(idea__in=scale_ideas()).count() == SCALE.comments
    assert Application.objects.filter(SCALE_FUNDS).count() == SCALE.applications
    assert Fund.objects.filter(registration_prefix="UF").count() == SCALE.funds


def test_a_second_run_adds_nothing(site):
    assert counts() == site["first"]
    assert "nothing added" in site["again"]


def test_another_scale_on_a_seeded_database_is_refused(site):
    with pytest.raises(CommandError, match="another scale"):
        call_command("seed_scale", scale=IDEAS * 2, verbosity=0)


def test_refused_outside_the_dev_and_test_settings(settings, db):
    settings.DEMO_DATA_ALLOWED = False
    before = counts()
    with pytest.raises(CommandError, match="refuses"):
        call_command("seed_scale", scale=IDEAS + 100, verbosity=0)
    assert counts() == before


def test_every_count_scales_with_the_ideas():
    scale = Scale.of(10_000)
    assert (scale.users, scale.units, scale.champions) == (4_000, 30, 30_000)
    assert (scale.comments, scale.applications, scale.pages) == (20_000, 500, 50)
    assert (scale.committee, scale.funds) == (15, 3)
    assert Scale.of(10_000, users=5_000).users == 5_000


# --- people --------------------------------------------------------------------------------


def test_scale_users_sign_in_with_the_published_password(site):
    user = User.objects.get(username=username(1))
    assert check_password(SCALE_PASSWORD, user.password)
    hashes = User.objects.filter(username__startswith=USERNAME_PREFIX).values("password")
    assert hashes.distinct().count() == 1


def test_everyone_is_staff_with_coaches_and_a_committee_with_a_chair_per_fund(site):
    scale_users = User.objects.filter(username__startswith=USERNAME_PREFIX)
    assert scale_users.filter(groups__name=Role.STAFF).count() == SCALE.users
    assert scale_users.filter(groups__name=Role.COACH).count() == SCALE.coaches
    for fund in Fund.objects.filter(registration_prefix="UF"):
        members = fund.committee_members.all()
        assert members.count() == SCALE.committee
        assert members.filter(groups__name=Role.COMMITTEE_CHAIR).count() == 1
        assert fund.vice_chair in members


def test_units_are_administrations_with_units_and_everyone_works_in_one(site):
    units = Unit.objects.filter(members__username__startswith=USERNAME_PREFIX).distinct()
    assert units.exists()
    assert not units.filter(parent__isnull=True).exists()
    assert Unit.objects.filter(parent__isnull=True).count() >= 1


# --- ideas ---------------------------------------------------------------------------------


def test_every_idea_state_occurs(site):
    assert set(scale_ideas().values_list("state", flat=True)) == set(IdeaState.values)


def test_ideas_are_spread_over_the_years_since_2019(site):
    now = timezone.now()
    first, last = load("scale")["first_year"], timezone.localdate(now).year
    years = {moment.year for moment in scale_ideas().values_list("created_at", flat=True)}
    assert min(years) >= first and max(years) <= last
    assert len(years) >= 5
    assert not scale_ideas().filter(Q(created_at__gt=now) | Q(state_changed_at__gt=now)).exists()


def test_each_idea_moved_to_its_state_along_its_timeline(site):
    for idea in scale_ideas().exclude(state=IdeaState.DRAFT, state_changed_at=F("created_at")):
        log = list(StateLog.objects.for_(idea).order_by("timestamp", "pk"))
        assert log, idea.state
        assert log[-1].state == idea.state
        assert log[-1].timestamp == idea.state_changed_at
        assert log[0].timestamp >= idea.created_at
        assert all(a.state == b.source_state for a, b in zip(log, log[1:], strict=False))


def test_each_state_has_what_its_pages_expect(site):
    tested_or_after = [IdeaState.TESTED, IdeaState.SCALED]
    for idea in scale_ideas().filter(state__in=[IdeaState.TESTING, *tested_or_after]):
        assert guards.ready_to_test.missing(idea) == []
    for idea in scale_ideas().filter(state__in=tested_or_after):
        assert guards.evaluation_complete.missing(idea) == []
    for idea in scale_ideas().filter(state=IdeaState.SCALED):
        assert guards.new_owner_named.missing(idea) == []
    for idea in scale_ideas().filter(state=IdeaState.LEARNED):
        assert guards.lessons_written.missing(idea) == []
    declines = StateLog.objects.filter(transition__in=["decline", "return_to_owner"])
    assert not declines.filter(Q(description="") | Q(description__isnull=True)).exists()


def test_champions_are_distinct_counted_and_never_the_team(site):
    pairs = Champion.objects.values("idea", "user").annotate(n=Count("pk"))
    assert not pairs.filter(n__gt=1).exists()
    counted = scale_ideas().annotate(n=Count("champions"))
    assert not counted.exclude(n=F("champion_count")).exists()
    assert not Champion.objects.filter(user=F("idea__owner")).exists()
    assert not Champion.objects.filter(user__co_owned_ideas=F("idea")).exists()
    assert not Champion.objects.filter(idea__state=IdeaState.DRAFT, idea__in=scale_ideas()).exists()


def test_colleagues_champion_and_comment_in_waking_hours(site):
    moments = [
        *Champion.objects.filter(idea__in=scale_ideas()).values_list("created_at", flat=True),
        *Comment.objects.filter(idea__in=scale_ideas()).values_list("created_at", flat=True),
    ]
    assert {timezone.localtime(moment).hour for moment in moments} <= set(range(7, 22))


def test_some_ideas_have_co_owners(site):
    assert scale_ideas().filter(co_owners__isnull=False).exists()


def test_the_benchmark_words_are_in_the_data_and_nowhere_else():
    search = load("scale")["search"]
    assert all(BENCH_COMMON_WORD in subject.lower() for subject in search["common_subjects"])
    assert all(BENCH_COMMON_WORD in group for group in search["common_target_groups"])
    assert all(BENCH_RARE_WORD in subject.lower() for subject in search["rare_subjects"])
    generated = str(load("ideas")["generated"]).lower()
    for word in (BENCH_COMMON_WORD, BENCH_RARE_WORD, "tjänst", "skjuts"):
        assert word not in generated


def test_the_idea_bank_finds_the_common_word_often_and_the_rare_word_five_times(site):
    bank = Idea.objects.submitted()
    common = search_ideas(bank, BENCH_COMMON_WORD).count()
    assert 0.05 <= common / bank.count() <= 0.10
    assert BENCH_COMMON_SHARE * bank.count() * 0.6 <= common
    assert search_ideas(bank, BENCH_RARE_WORD).count() == BENCH_RARE_IDEAS


@pytest.mark.postgres
def test_the_vocabulary_counted_by_the_seed_is_the_triggers(site):
    def vocabulary():
        rows = SearchWord.objects.filter(source=SearchWord.Source.IDEAS, documents__gt=0)
        return dict(rows.values_list("word", "documents"))

    counted = vocabulary()
    with connection.cursor() as cursor:
        cursor.execute("SELECT idea_search_words_rebuild()")
    assert counted == vocabulary()
    assert counted[""] == Idea.objects.submitted().count()


# --- the fund ------------------------------------------------------------------------------


def test_every_application_state_occurs(site):
    states = set(Application.objects.filter(SCALE_FUNDS).values_list("state", flat=True))
    assert states == set(ApplicationState.values)


def test_the_register_verifies_with_one_checkpoint_more(site):
    out = io.StringIO()
    call_command("verify_decisions", stdout=out)
    assert f"All {Decision.objects.count()} decisions verified." in out.getvalue()
    assert Checkpoint.objects.count() == site["demo_checkpoints"] + 1
    assert Decision.objects.aggregate(n=Max("log_index"))["n"] == Decision.objects.count() - 1


def test_each_application_is_settled_as_its_state_says(site):
    applications = Application.objects.filter(SCALE_FUNDS)
    for application in applications.filter(state=ApplicationState.DECIDED):
        decision = Decision.objects.in_force().get(application=application)
        assert decision.kind != DecisionKind.RETURN
        assert decision.decided_at == application.state_changed_at
    for application in applications.filter(state=ApplicationState.RETURNED):
        assert Decision.objects.get(application=application).kind == DecisionKind.RETURN
    undecided = [ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW]
    assert not Decision.objects.filter(application__state__in=undecided).exists()
    assert not applications.filter(
        state=ApplicationState.DRAFT, submitted_at__isnull=False
    ).exists()
    for application in applications.exclude(state=ApplicationState.DRAFT):
        assert application.budget_lines.exists()
        assert application.total == sum(line.amount for line in application.budget_lines.all())


def test_committee_decisions_are_taken_at_a_held_meeting_with_a_quorum(site):
    for decision in Decision.objects.filter(SCALE_FUNDS, delegated=False):
        meeting = decision.meeting
        assert timezone.localdate(decision.decided_at) == meeting.date
        assert AgendaItem.objects.filter(meeting=meeting, application=decision.application).exists()
        assert len(decision.attendees) > meeting.fund.committee_members.count() // 2
        assert decision.application.reviews.exists()
    for decision in Decision.objects.filter(SCALE_FUNDS, delegated=True):
        assert decision.amount_requested <= decision.fund.delegated_limit


def test_applications_were_made_while_their_idea_was_planned_or_tested(site):
    for application in Application.objects.filter(SCALE_FUNDS).select_related("idea"):
        accepted = StateLog.objects.for_(application.idea).get(transition="accept").timestamp
        assert accepted < application.created_at
        started = StateLog.objects.for_(application.idea).filter(transition="start_test").first()
        if started and application.state == ApplicationState.DECIDED:
            assert Decision.objects.get(application=application).decided_at < started.timestamp


def test_grants_stay_within_each_funds_capital(site):
    for fund in Fund.objects.all():
        assert money.fund_balance(fund).remaining >= 0


def test_meetings_in_the_past_are_held_and_those_ahead_planned(site):
    today = timezone.localdate()
    meetings = Meeting.objects.filter(SCALE_FUNDS)
    assert not meetings.filter(date__gte=today).exclude(state="planned").exists()
    assert not meetings.filter(date__lt=today, state="planned").exists()
    for meeting in meetings.filter(state="posted"):
        assert meeting.signatures.count() == 1 + meeting.minute_checkers.count() >= 2


# --- notifications and pages ---------------------------------------------------------------


def test_scale_users_have_some_notifications_all_emailed(site):
    notifications = Notification.objects.filter(recipient__username__startswith=USERNAME_PREFIX)
    assert notifications.exists()
    assert not notifications.filter(emailed_at__isnull=True).exists()


def test_result_and_lesson_pages_are_published_about_consenting_ideas(site):
    results = ResultPage.objects.filter(idea__in=scale_ideas()).live()
    lessons = LessonPage.objects.filter(idea__in=scale_ideas()).live()
    assert results.count() + lessons.count() == SCALE.pages
    assert not results.exclude(
        idea__state=IdeaState.SCALED, idea__publication_consent=True
    ).exists()
    assert not lessons.exclude(
        idea__state=IdeaState.LEARNED, idea__publication_consent=True
    ).exists()
    for page in [*results, *lessons]:
        assert page.first_published_at > page.idea.state_changed_at
        assert page.first_published_at <= timezone.now()


def test_the_public_search_finds_the_pages(site):
    site_root = Site.objects.get(is_default_site=True)
    for page in ResultPage.objects.filter(idea__in=scale_ideas())[:1]:
        found = search_public_pages(query=page.title, site=site_root)
        assert page.pk in {result.pk for result in found}


def test_the_pages_of_the_benchmark_render(site, client):
    coach = User.objects.filter(username__startswith=USERNAME_PREFIX, groups__name=Role.COACH)[0]
    client.force_login(coach)
    idea = scale_ideas().filter(state=IdeaState.TESTED).first()
    application = Application.objects.filter(SCALE_FUNDS, state=ApplicationState.DECIDED).first()
    result = ResultPage.objects.filter(idea__in=scale_ideas()).live().first()
    addresses = [
        reverse("ideas:idea-list"),
        reverse("ideas:idea-list") + f"?q={BENCH_COMMON_WORD}",
        idea.get_absolute_url(),
        reverse("ideas:idea-inbox"),
        reverse("ideas:idea-mine"),
        "/my-work/",
        "/flow/",
        "/notifications/",
        "/fund/",
        application.get_absolute_url(),
        "/fund/decisions/",
        "/api/v1/decisions/",
    ]
    for address in addresses:
        assert client.get(address).status_code == 200, address
    client.logout()
    for address in ("/", "/fonden/", result.url):
        assert client.get(address).status_code == 200, address
