"""The idea pages: access rules, bad input, escaping, and query counts that do not grow."""

import pytest
from django.urls import reverse

from ideasluss.accounts.roles import Role
from ideasluss.ideas.models import Comment, Idea, IdeaState
from ideasluss.ideas.services import champion_toggle
from tests.factories import CommentFactory, IdeaFactory, TestPlanFactory, UserFactory
from workflows.transitions import transition_perform

pytestmark = pytest.mark.django_db

S = IdeaState


def detail_url(idea):
    return reverse("ideas:idea-detail", args=[idea.pk])


# Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/ideas/", "/ideas/mine/", "/ideas/new/", "/ideas/inbox/", "/notifications/"],
)
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_users_are_sent_to_login_from_an_idea(client):
    response = client.get(detail_url(IdeaFactory(state=S.SUBMITTED)))
    assert response["Location"].startswith("/accounts/login/")


def test_nobody_sees_another_persons_draft(client, staff):
    draft = IdeaFactory(title="Hemlig idé")
    client.force_login(staff)
    assert client.get(detail_url(draft)).status_code == 404
    assert "Hemlig idé" not in client.get("/ideas/").content.decode()
    assert "Hemlig idé" not in client.get("/ideas/?q=Hemlig").content.decode()


def test_owner_and_co_owner_see_their_draft(client, staff):
    draft = IdeaFactory()
    draft.co_owners.add(staff)
    for user in (draft.owner, staff):
        client.force_login(user)
        assert client.get(detail_url(draft)).status_code == 200


def test_the_money_an_idea_needs_is_written_as_every_amount_is(client):
    idea = IdeaFactory(needs_money=30000)
    client.force_login(idea.owner)
    assert "Cirka 30\xa0000 kr" in client.get(detail_url(idea)).content.decode()


def test_staff_cannot_act_on_someone_elses_idea(client, staff):
    idea = IdeaFactory(state=S.SUBMITTED)
    client.force_login(staff)
    response = client.post(
        reverse("ideas:idea-transition", args=[idea.pk, "accept"]),
        {"expected_state": S.SUBMITTED},
    )
    assert response.status_code == 403
    assert "Du har inte behörighet" in response.content.decode()
    idea.refresh_from_db()
    assert idea.state == S.SUBMITTED


def test_staff_cannot_edit_someone_elses_draft(client, staff):
    draft = IdeaFactory(state=S.SUBMITTED)
    client.force_login(staff)
    assert client.get(reverse("ideas:idea-update", args=[draft.pk])).status_code == 403


def test_coach_inbox_is_for_coaches_only(client, staff, coach):
    client.force_login(staff)
    assert client.get("/ideas/inbox/").status_code == 403
    client.force_login(coach)
    assert client.get("/ideas/inbox/").status_code == 200


def test_hidden_comments_stay_hidden_from_non_coaches(client, staff, coach):
    idea = IdeaFactory(state=S.SUBMITTED)
    CommentFactory(idea=idea, body="Synlig kommentar")
    CommentFactory(
        idea=idea, body="Olämplig kommentar", hidden_by=coach, hidden_reason="Personuppgifter"
    )
    client.force_login(staff)
    content = client.get(detail_url(idea)).content.decode()
    assert "Synlig kommentar" in content
    assert "Olämplig kommentar" not in content
    client.force_login(idea.owner)
    assert "Olämplig kommentar" not in client.get(detail_url(idea)).content.decode()
    client.force_login(coach)
    content = client.get(detail_url(idea)).content.decode()
    assert "Olämplig kommentar" in content
    assert "Personuppgifter" in content


# Submitting ----------------------------------------------------------------------------


IDEA_FORM = {
    "title": "Läxhjälp på biblioteket",
    "problem": "Många elever saknar hjälp med läxor hemma.",
    "target_group": "elever i årskurs 4–6",
    "description": "Frivilliga läxhjälpare två kvällar i veckan.",
    "tags": "skola, bibliotek",
}


def test_staff_saves_a_draft_then_submits_it(client, staff):
    client.force_login(staff)
    response = client.post("/ideas/new/", {**IDEA_FORM, "save": "1"})
    idea = Idea.objects.get()
    assert response["Location"] == detail_url(idea)
    assert idea.state == S.DRAFT
    assert idea.owner == staff
    assert sorted(idea.tags.names()) == ["bibliotek", "skola"]
    response = client.post(
        reverse("ideas:idea-update", args=[idea.pk]), {**IDEA_FORM, "submit": "1"}
    )
    idea.refresh_from_db()
    assert idea.state == S.SUBMITTED


def test_submitting_an_incomplete_idea_keeps_the_draft_and_says_what_is_missing(client, staff):
    client.force_login(staff)
    response = client.post("/ideas/new/", {"title": "Bara en rubrik", "submit": "1"}, follow=True)
    idea = Idea.objects.get()
    assert idea.state == S.DRAFT
    assert idea.title == "Bara en rubrik"
    content = response.content.decode()
    assert "Beskriv problemet" in content


def test_an_invalid_form_is_refused_and_nothing_is_saved(client, staff):
    client.force_login(staff)
    response = client.post("/ideas/new/", {**IDEA_FORM, "title": "", "needs_money": "-5"})
    assert response.status_code == 400
    assert Idea.objects.count() == 0
    assert 'aria-invalid="true"' in response.content.decode()


def test_html_typed_into_fields_is_shown_as_text(client, staff):
    client.force_login(staff)
    evil = '<script>alert("x")</script><b>fet</b>'
    client.post("/ideas/new/", {**IDEA_FORM, "title": evil, "problem": evil, "submit": "1"})
    idea = Idea.objects.get()
    client.post(reverse("ideas:comment-create", args=[idea.pk]), {"body": evil})
    for url in (detail_url(idea), "/ideas/", "/ideas/mine/"):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "&lt;script&gt;alert" in content


def test_links_in_comments_become_safe_links(client, staff):
    idea = IdeaFactory(state=S.SUBMITTED)
    client.force_login(staff)
    client.post(
        reverse("ideas:comment-create", args=[idea.pk]),
        {"body": "Se https://example.se/rapport och javascript:alert(1)"},
    )
    content = client.get(detail_url(idea)).content.decode()
    assert 'href="https://example.se/rapport" rel="nofollow"' in content
    assert 'href="javascript' not in content


def test_transition_form_keeps_input_when_a_guard_refuses(client, coach):
    idea = IdeaFactory(state=S.TESTED)
    client.force_login(coach)
    response = client.post(
        reverse("ideas:idea-transition", args=[idea.pk, "scale"]),
        {"expected_state": S.TESTED, "run_by_contact": "Kim", "message": "Dags att skala"},
    )
    assert response.status_code == 400
    assert "Dags att skala" in response.content.decode()
    idea.refresh_from_db()
    assert idea.state == S.TESTED


def test_a_stale_form_gets_a_reload_message(client, coach):
    idea = IdeaFactory(state=S.PLANNING)
    client.force_login(coach)
    response = client.post(
        reverse("ideas:idea-transition", args=[idea.pk, "decline"]),
        {"expected_state": S.SUBMITTED, "message": "Nej"},
    )
    # The page showed "submitted"; the idea moved on: told to reload, nothing done.
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.state == S.PLANNING
    idea_submitted = IdeaFactory(state=S.SUBMITTED)
    client.post(
        reverse("ideas:idea-transition", args=[idea_submitted.pk, "accept"]),
        {"expected_state": S.SUBMITTED},
    )
    response = client.post(
        reverse("ideas:idea-transition", args=[idea_submitted.pk, "withdraw"]),
        {"expected_state": S.SUBMITTED},
        follow=True,
    )
    assert response.status_code in (200, 403)


def test_champion_and_undo(client, staff):
    idea = IdeaFactory(state=S.SUBMITTED)
    client.force_login(staff)
    url = reverse("ideas:idea-champion", args=[idea.pk])
    client.post(url, {"offer": "Vi på förskolan kan vara testplats"})
    idea.refresh_from_db()
    assert idea.champion_count == 1
    client.force_login(idea.owner)
    assert "Vi på förskolan kan vara testplats" in client.get(detail_url(idea)).content.decode()
    client.force_login(staff)
    client.post(url)
    idea.refresh_from_db()
    assert idea.champion_count == 0


def test_owner_cannot_champion_their_own_idea(client):
    idea = IdeaFactory(state=S.SUBMITTED)
    client.force_login(idea.owner)
    assert client.post(reverse("ideas:idea-champion", args=[idea.pk])).status_code == 403


def test_test_plan_form_refuses_end_before_start(client):
    idea = IdeaFactory(state=S.PLANNING)
    client.force_login(idea.owner)
    response = client.post(
        reverse("ideas:idea-test-plan", args=[idea.pk]),
        {
            "hypothesis": "Om ... så ...",
            "success_criteria": "Kortare väntan",
            "start_date": "2026-12-10",
            "end_date": "2026-12-01",
        },
    )
    assert response.status_code == 400
    assert not hasattr(Idea.objects.get(pk=idea.pk), "test_plan")


# Query counts ----------------------------------------------------------------------------


def make_ideas(count, owner):
    units = [owner.unit]
    ideas = Idea.objects.bulk_create(
        Idea(
            title=f"Idé {n}",
            problem="Problem",
            target_group="alla",
            description="Idé",
            owner=owner,
            unit=units[0],
            state=[S.SUBMITTED, S.TESTING, S.PLANNING][n % 3],
        )
        for n in range(count)
    )
    for idea in ideas[:20]:
        idea.tags.add("gemensam", f"tagg{idea.pk}")
    return ideas


@pytest.mark.parametrize(
    "url", ["/ideas/", "/ideas/?q=Idé&order=champions", "/ideas/mine/", "/ideas/inbox/"]
)
def test_list_pages_run_the_same_queries_for_10_and_1000_ideas(
    client, coach, url, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coach)
    make_ideas(10, coach)
    client.get(url)  # warm caches (content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make_ideas(990, coach)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_the_idea_bank_shows_each_ideas_own_tags(client, coach):
    client.force_login(coach)
    tagged, plain = make_ideas(21, coach)[19:21]
    html = client.get("/ideas/").content.decode()
    row = html.split(f">{tagged.title}</a>", 1)[1].split('class="idea-row"', 1)[0]
    assert f"<li>tagg{tagged.pk}</li>" in row and "<li>gemensam</li>" in row
    untagged_row = html.split(f">{plain.title}</a>", 1)[1].split('class="idea-row"', 1)[0]
    assert 'class="tags"' not in untagged_row


def test_idea_page_queries_do_not_grow_with_comments_champions_or_history(
    client, coach, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_one_of_everything(idea, n):
        CommentFactory(idea=idea)
        idea.co_owners.add(UserFactory())
        champion_toggle(idea=idea, by=UserFactory(roles=[Role.STAFF]), offer=f"Hjälp {n}")

    idea = IdeaFactory(state=S.SUBMITTED)
    add_one_of_everything(idea, 0)
    transition_perform(name="accept", obj=idea, by=coach)
    TestPlanFactory(idea=idea)
    client.force_login(coach)
    client.get(detail_url(idea))  # warm caches (content types)
    with CaptureQueriesContext(connection) as few:
        client.get(detail_url(idea))
    for n in range(1, 16):
        add_one_of_everything(idea, n)
    with django_assert_max_num_queries(len(few)):
        assert client.get(detail_url(idea)).status_code == 200


def test_comment_factory_makes_visible_comments():
    comment = CommentFactory()
    assert isinstance(comment, Comment)
    assert not comment.is_hidden
