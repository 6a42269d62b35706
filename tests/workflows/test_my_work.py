"""“My work”: where signing in lands, what waits for each role, and flat query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ideasluss.accounts.roles import Role
from ideasluss.fund.models import AgendaItem, Application, Meeting, MinutesSignature
from ideasluss.fund.services import conflict_declare
from ideasluss.ideas.models import Champion, Comment, Idea, JuryVote
from tests.dates import today
from tests.factories import (
    TEST_PASSWORD,
    ApplicationFactory,
    CommentFactory,
    FundFactory,
    IdeaFactory,
    NominationFactory,
    TestPlanFactory,
    UserFactory,
)
from workflows.start.sections import SECTION_SIZE, first_rows, my_work
from workflows.transitions import transition_perform

pytestmark = pytest.mark.django_db

MY_WORK = reverse("start:my-work")


def sections_of(user) -> dict:
    work = my_work(user=user)
    return {section.key: section for section in [*work.waiting, *work.overview]}


def titles(section) -> list[str]:
    return [row.title for row in section.rows]


def set_state(obj, state):
    """Put a row in a state directly: these tests set up situations; the lifecycles are
    tested elsewhere."""
    type(obj).objects.filter(pk=obj.pk).update(state=state)
    obj.refresh_from_db()
    return obj


def meeting(fund, chair, *, state="planned", date=None, number=1):
    made = Meeting.objects.create(fund=fund, number=number, date=date or today(), chair=chair)
    return set_state(made, state)


# --- where signing in lands -------------------------------------------------------------


def test_signing_in_lands_on_my_work(client, staff):
    response = client.post(
        reverse("login"), {"username": staff.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == MY_WORK


def test_signing_in_still_follows_next(client, staff):
    response = client.post(
        reverse("login") + "?next=/ideas/new/",
        {"username": staff.username, "password": TEST_PASSWORD, "next": "/ideas/new/"},
    )
    assert response["Location"] == "/ideas/new/"


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(MY_WORK)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_my_work_is_first_in_the_navigation(client, staff):
    client.force_login(staff)
    html = client.get(MY_WORK).content.decode()
    nav = html[html.index('class="site-nav"') :]
    assert nav.index(MY_WORK) < nav.index(reverse("ideas:idea-list"))
    assert f'href="{MY_WORK}" aria-current="page"' in nav


# --- a staff member -----------------------------------------------------------------------


def test_drafts_and_returned_ideas_wait_for_the_team_with_the_coachs_message(staff, coach):
    draft = IdeaFactory(owner=staff, title="Ett eget utkast")
    returned = IdeaFactory(owner=staff, title="Tillbakaskickad", state="submitted")
    transition_perform(
        obj=returned, name="return_to_owner", by=coach, message="Beskriv målgruppen mer."
    )
    co_owned = IdeaFactory(title="Teamets utkast")
    co_owned.co_owners.add(staff)
    IdeaFactory(title="Någon annans utkast")

    drafts = sections_of(staff)["drafts"]

    assert titles(drafts) == ["Tillbakaskickad", "Teamets utkast", "Ett eget utkast"]
    assert drafts.total == 3
    assert drafts.rows[0].note == "Beskriv målgruppen mer."
    assert drafts.rows[0].flag.startswith("Återskickad av en coach")
    assert not drafts.rows[1].note
    assert draft.get_absolute_url() == drafts.rows[2].url


def test_tests_to_plan_and_to_report_wait_for_the_team(staff):
    IdeaFactory(owner=staff, title="Att planera", state="planning")
    running = IdeaFactory(owner=staff, title="Pågår", state="testing")
    TestPlanFactory(idea=running, end_date=today() + datetime.timedelta(days=10))
    ended = IdeaFactory(owner=staff, title="Slutat", state="testing")
    TestPlanFactory(
        idea=ended,
        start_date=today() - datetime.timedelta(days=30),
        end_date=today() - datetime.timedelta(days=2),
    )

    sections = sections_of(staff)

    assert titles(sections["plan"]) == ["Att planera"]
    report = sections["report"]
    assert set(titles(report)) == {"Pågår", "Slutat"}
    flags = {row.title: row.flag for row in report.rows}
    assert flags["Slutat"] and not flags["Pågår"]


def test_applications_to_complete_wait_for_the_team(staff):
    idea = IdeaFactory(owner=staff, title="Med ansökan", state="planning")
    ApplicationFactory(idea=idea, state="returned")
    ApplicationFactory(idea=IdeaFactory(owner=staff, state="planning"), state="submitted")

    section = sections_of(staff)["applications"]

    assert titles(section) == ["Med ansökan"]
    assert section.rows[0].state == "returned"


def test_a_staff_member_gets_no_coach_or_committee_sections(staff):
    IdeaFactory(state="submitted")
    keys = set(sections_of(staff)) | set(my_work(user=staff).checked_empty)
    assert "screen" not in keys and "declare" not in keys and "chair" not in keys


def test_my_ideas_and_applications_show_their_stage_and_who_acts_next(staff):
    idea = IdeaFactory(owner=staff, title="Inskickad idé", state="submitted")
    ApplicationFactory(idea=IdeaFactory(owner=staff, title="Med pengar", state="planning"))

    sections = sections_of(staff)

    row = next(r for r in sections["my-ideas"].rows if r.title == idea.title)
    assert row.state == "submitted"
    assert "coach" in row.details[0]
    assert titles(sections["my-applications"]) == ["Med pengar"]


def test_news_on_championed_ideas_shows_others_steps_and_comments_not_mine(staff, coach):
    idea = IdeaFactory(title="Idé jag stöttar", state="submitted")
    Champion.objects.create(idea=idea, user=staff)
    transition_perform(obj=idea, name="accept", by=coach)
    CommentFactory(idea=idea, author=coach, body="Vi kör!")
    CommentFactory(idea=idea, author=staff, body="Min egen kommentar")
    CommentFactory(idea=idea, author=coach, hidden_by=coach, body="Dold")
    IdeaFactory(title="Inte stöttad", state="submitted")

    news = sections_of(staff)["news"]

    assert news.total == 2
    assert titles(news) == ["Idé jag stöttar", "Idé jag stöttar"]
    assert {row.url for row in news.rows} == {
        idea.get_absolute_url(),
        idea.get_absolute_url() + "#comments",
    }


def test_old_news_is_left_out(staff):
    idea = IdeaFactory(title="Gammal", state="submitted")
    Champion.objects.create(idea=idea, user=staff)
    comment = CommentFactory(idea=idea)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60)
    )
    assert sections_of(staff)["news"].total == 0


def test_an_empty_page_says_so_kindly_and_lists_what_it_checked(client, staff):
    client.force_login(staff)
    response = client.get(MY_WORK)
    work = response.context["work"]
    assert work.waiting == []
    assert "Utkast och återskickade idéer att skicka in" in work.checked_empty
    html = response.content.decode()
    assert "Inget väntar på dig just nu" in html
    assert "Du har inga idéer ännu" in html


# --- a coach ---------------------------------------------------------------------------------


def test_a_coach_screens_submitted_ideas_but_not_their_own(coach):
    IdeaFactory(title="Att bedöma", state="submitted")
    IdeaFactory(title="Min egen", owner=coach, state="submitted")
    IdeaFactory(title="Ett utkast")

    assert titles(sections_of(coach)["screen"]) == ["Att bedöma"]


def test_a_newly_submitted_application_waits_for_the_coach_whatever_its_amount(coach, staff):
    """The bug of issue 11: an application over the delegated limit, or one taken up by
    the committee's first review, did not show in the coach's "Waiting for you"."""
    fund = FundFactory(delegated_limit=30_000)
    small = ApplicationFactory(fund=fund, total=20_000, idea__title="Liten ansökan")
    large = ApplicationFactory(fund=fund, total=80_000, idea__title="Stor ansökan")
    in_review = ApplicationFactory(
        fund=fund, total=25_000, state="in_review", idea__title="Under bedömning"
    )

    sections = sections_of(coach)

    assert titles(sections["take-up"]) == [large.idea.title]
    assert set(titles(sections["decide"])) == {small.idea.title, in_review.idea.title}


def test_the_fund_dashboard_shows_the_coach_every_submitted_application(client, coach):
    fund = FundFactory(delegated_limit=30_000)
    ApplicationFactory(fund=fund, total=80_000, idea__title="Stor ansökan")
    ApplicationFactory(fund=fund, total=25_000, state="in_review", idea__title="Tagen")
    client.force_login(coach)
    html = client.get(reverse("fund:dashboard")).content.decode()
    assert "Stor ansökan" in html
    assert "Tagen" in html


def test_a_coach_with_work_never_reads_that_nothing_waits(client, coach):
    IdeaFactory(title="Att bedöma", state="submitted")
    client.force_login(coach)
    html = client.get(MY_WORK).content.decode()
    assert "Att bedöma" in html
    assert "Inget väntar på dig just nu" not in html


def test_a_coach_follows_up_tests_past_their_end_and_tested_ideas(coach):
    late = IdeaFactory(title="Sen", state="testing")
    TestPlanFactory(
        idea=late,
        start_date=today() - datetime.timedelta(days=40),
        end_date=today() - datetime.timedelta(days=1),
    )
    IdeaFactory(title="Testad", state="tested")

    sections = sections_of(coach)

    assert titles(sections["follow-up-tests"]) == ["Sen"]
    assert titles(sections["tested"]) == ["Testad"]


# --- the committee and its chair ----------------------------------------------------------------


@pytest.fixture
def fund(chair, committee_member):
    return FundFactory(delegated_limit=30_000, committee=[chair, committee_member])


def test_a_member_declares_then_scores(fund, committee_member):
    to_declare = ApplicationFactory(fund=fund, total=60_000, idea__title="Att deklarera")
    to_score = ApplicationFactory(fund=fund, total=60_000, idea__title="Att bedöma")
    conflict_declare(application=to_score, member=committee_member, has_conflict=False)
    own = ApplicationFactory(fund=fund, idea__owner=committee_member, idea__title="Egen")

    sections = sections_of(committee_member)

    assert titles(sections["declare"]) == [to_declare.idea.title]
    assert titles(sections["score"]) == [to_score.idea.title]
    assert own.idea.title not in titles(sections["declare"])


def test_a_member_sees_the_decisions_on_the_agenda_of_coming_meetings(
    fund, chair, committee_member
):
    coming = meeting(fund, chair, date=today() + datetime.timedelta(days=7), number=1)
    held = meeting(fund, chair, state="posted", date=today() - datetime.timedelta(days=7), number=2)
    on_agenda = ApplicationFactory(fund=fund, state="in_review", idea__title="På dagordningen")
    AgendaItem.objects.create(meeting=coming, application=on_agenda, position=1)
    AgendaItem.objects.create(
        meeting=held, application=ApplicationFactory(fund=fund, state="in_review"), position=1
    )
    other_fund = FundFactory()
    elsewhere = meeting(other_fund, chair, date=today() + datetime.timedelta(days=3), number=1)
    AgendaItem.objects.create(
        meeting=elsewhere, application=ApplicationFactory(fund=other_fund), position=1
    )

    agenda = sections_of(committee_member)["agenda"]

    assert titles(agenda) == ["På dagordningen"]
    assert agenda.rows[0].url == coming.get_absolute_url()


def test_minute_checkers_and_the_chair_sign_the_minutes_once(fund, chair, committee_member):
    closed = meeting(fund, chair, state="closed", date=today() - datetime.timedelta(days=1))
    closed.minute_checkers.add(committee_member)

    assert sections_of(committee_member)["minutes"].total == 1
    assert sections_of(chair)["minutes"].total == 1
    MinutesSignature.objects.create(meeting=closed, signer=committee_member)
    assert "minutes" not in sections_of(committee_member)
    assert sections_of(chair)["minutes"].total == 1


def test_the_chair_opens_closes_and_posts_their_meetings(fund, chair):
    meeting(fund, chair, date=today(), number=1)
    meeting(fund, chair, state="open", date=today(), number=2)
    meeting(fund, chair, state="checked", date=today() - datetime.timedelta(days=3), number=3)
    meeting(fund, chair, state="posted", date=today() - datetime.timedelta(days=9), number=4)
    meeting(fund, UserFactory(roles=[Role.COMMITTEE_CHAIR]), number=5)

    rows = sections_of(chair)["chair"].rows

    assert sorted(row.state for row in rows) == ["checked", "open", "planned"]


# --- the jury of the best mistake of the year --------------------------------------------------


def test_the_jury_sorts_new_nominations_and_votes_once_a_year(coach):
    year = today().year
    NominationFactory(year=year, state="nominated")
    finalist = NominationFactory(year=year, state="shortlisted")
    NominationFactory(year=year - 1, state="winner")
    NominationFactory(year=year - 1, state="shortlisted")

    jury = sections_of(coach)["jury"]
    assert [row.title for row in jury.rows] == [f"Årets bästa misstag {year}"]
    assert len(jury.rows[0].details) == 2

    JuryVote.objects.create(juror=coach, year=year, nomination=finalist)
    assert len(sections_of(coach)["jury"].rows[0].details) == 1


# --- one query a section, whatever the size of the tables --------------------------------------


def test_first_rows_counts_all_rows_in_the_same_query(staff, django_assert_num_queries):
    Idea.objects.bulk_create(Idea(title=f"Idé {i}", owner=staff) for i in range(12))
    with django_assert_num_queries(1):
        rows, total = first_rows(Idea.objects.filter(owner=staff).order_by("pk"))
    assert total == 12
    assert len(rows) == SECTION_SIZE
    assert first_rows(Idea.objects.none()) == ([], 0)


def everyone_role():
    """One person with every role, so the page builds every section."""
    return UserFactory(
        username="allt",
        roles=[Role.STAFF, Role.COACH, Role.COMMITTEE_MEMBER, Role.COMMITTEE_CHAIR],
    )


def fill(user, fund, chair_meeting, count: int, offset: int):
    """`count` rows in every section of `user`'s page, in bulk."""
    other = UserFactory(username=f"annan{offset}")
    states = ["draft", "planning", "testing", "submitted", "tested"]
    ideas = Idea.objects.bulk_create(
        Idea(title=f"Idé {offset + i}", owner=user if i % 2 else other, unit=other.unit)
        for i in range(count * len(states))
    )
    for index, state in enumerate(states):
        chunk = [idea.pk for idea in ideas[index * count : (index + 1) * count]]
        Idea.objects.filter(pk__in=chunk).update(state=state)
    Champion.objects.bulk_create(
        Champion(idea=idea, user=user) for idea in ideas if idea.owner_id == other.pk
    )
    Comment.objects.bulk_create(
        Comment(idea=idea, author=other, body="Bra!") for idea in ideas[:count]
    )
    planned = [idea for idea in ideas if idea.owner_id == other.pk][:count]
    applications = Application.objects.bulk_create(
        Application(fund=fund, idea=idea, applicant=other, total=(i % 3) * 30_000 + 1_000)
        for i, idea in enumerate(planned)
    )
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(state="submitted")
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=chair_meeting, application=application, position=i)
        for i, application in enumerate(applications)
    )
    own = [idea for idea in ideas if idea.owner_id == user.pk][:count]
    Application.objects.bulk_create(
        Application(fund=fund, idea=idea, applicant=user, total=5_000) for idea in own
    )
    NominationFactory.create_batch(min(count, 3), state="nominated")


def test_the_page_runs_the_same_queries_for_10_and_1000_rows(client, django_assert_max_num_queries):
    user = everyone_role()
    fund = FundFactory(delegated_limit=30_000, committee=[user])
    chair_meeting = meeting(fund, user, date=today() + datetime.timedelta(days=5))
    yesterday = today() - datetime.timedelta(days=1)
    closed = meeting(fund, user, state="closed", number=2, date=yesterday)
    closed.minute_checkers.add(UserFactory(roles=[Role.COMMITTEE_MEMBER]))
    fill(user, fund, chair_meeting, 10, offset=0)
    client.force_login(user)
    client.get(MY_WORK)  # warm caches (content types)
    with CaptureQueriesContext(connection) as few:
        response = client.get(MY_WORK)
    assert response.status_code == 200
    shown = {section.key for section in response.context["work"].waiting}
    assert {"drafts", "plan", "report", "screen", "take-up", "decide", "agenda"} <= shown
    assert {"tested", "minutes", "chair", "jury", "applications"} <= shown

    fill(user, fund, chair_meeting, 990, offset=100_000)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(MY_WORK)
    assert response.status_code == 200
    screen = next(s for s in response.context["work"].waiting if s.key == "screen")
    assert screen.total == 500  # of 1,000 submitted ideas, half are the coach's own
    assert len(screen.rows) == SECTION_SIZE
