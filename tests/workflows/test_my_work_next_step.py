"""A clear next step on the idea and application pages: the stepper, who acts next, one
primary action, blocked steps with why, destructive steps confirmed, human success
messages for every step, and the lessons prefilled from the evaluation."""

import re

import pytest
from django.urls import reverse

from ideasluss.accounts.roles import Role
from ideasluss.fund.models import Application
from ideasluss.ideas.models import Champion, Idea, IdeaState
from tests.factories import (
    ApplicationFactory,
    CommentFactory,
    EvaluationFactory,
    FundFactory,
    IdeaFactory,
    TestPlanFactory,
    UserFactory,
)
from workflows.progress import (
    CURRENT,
    DONE,
    PRIMARY,
    WARNING,
    application_steps,
    idea_next_step,
    idea_steps,
)
from workflows.transitions import available_actions, transitions

pytestmark = pytest.mark.django_db


def statuses(steps) -> list[tuple[str, str]]:
    return [(step.label, step.status) for step in steps]


def next_step_for(idea, user):
    idea = Idea.objects.select_related("test_plan", "evaluation").get(pk=idea.pk)
    return idea_next_step(idea=idea, user=user, actions=available_actions(idea, user))


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def filled_buttons(html: str) -> list[str]:
    return re.findall(r'class="button button--primary"', html)


# --- the stepper --------------------------------------------------------------------------


def test_the_idea_stepper_marks_done_now_and_coming():
    steps = idea_steps(IdeaFactory.build(state=IdeaState.PLANNING))
    assert statuses(steps) == [
        ("Utkast", DONE),
        ("Inskickad", DONE),
        ("Planering", CURRENT),
        ("Test pågår", "coming"),
        ("Testad", "coming"),
        ("Införd eller lärdom", "coming"),
    ]
    assert [step.status_text for step in steps[1:4]] == ["klart", "nu", "kommer"]


def test_a_learned_idea_ends_with_its_lesson_and_a_declined_one_after_screening():
    learned = idea_steps(IdeaFactory.build(state=IdeaState.LEARNED))
    assert learned[-1].label == "Lärdom" and learned[-1].status == CURRENT
    assert all(step.status == DONE for step in learned[:-1])
    declined = idea_steps(IdeaFactory.build(state=IdeaState.DECLINED))
    assert statuses(declined) == [("Utkast", DONE), ("Inskickad", DONE), ("Avböjd", CURRENT)]


def test_a_withdrawn_idea_ends_where_it_was_withdrawn():
    steps = idea_steps(IdeaFactory.build(state=IdeaState.WITHDRAWN), withdrawn_from="planning")
    assert [label for label, _status in statuses(steps)] == [
        "Utkast",
        "Inskickad",
        "Planering",
        "Återtagen",
    ]


def test_the_application_stepper_shows_a_return_where_it_happened():
    steps = application_steps(ApplicationFactory.build(state="returned"))
    assert statuses(steps) == [
        ("Utkast", DONE),
        ("Inskickad", DONE),
        ("Återremitterad", CURRENT),
        ("Beslutad", "coming"),
    ]


def test_the_idea_page_has_the_stepper_with_aria_current(client, staff):
    idea = IdeaFactory(owner=staff, state="submitted")
    html = page(client, staff, idea.get_absolute_url())
    stepper = html[html.index('<ol class="stepper"') : html.index("</ol>", html.index("stepper"))]
    assert stepper.count('aria-current="step"') == 1
    assert re.search(r'aria-current="step">.*?Inskickad.*?nu', stepper, re.S)


# --- who acts next, and the one primary action ---------------------------------------------


def test_a_coach_reads_that_the_next_step_is_theirs_and_the_team_that_a_coach_acts(
    client, staff, coach
):
    idea = IdeaFactory(owner=staff, state="submitted")
    assert "Nästa steg är ditt: bedöm idén" in next_step_for(idea, coach).text
    assert next_step_for(idea, staff).text.startswith("Nästa steg: en coach bedömer idén")


def test_the_coach_has_one_primary_action_and_decline_is_a_warning(client, staff, coach):
    idea = IdeaFactory(owner=staff, state="submitted")
    step = next_step_for(idea, coach)
    assert step.primary.label == "Anta" and step.primary.post
    assert [a.label for a in step.warnings] == ["Avböj"]
    assert all(a.emphasis != PRIMARY for a in step.others)
    html = page(client, coach, idea.get_absolute_url())
    assert len(filled_buttons(html)) == 1


def test_the_owner_withdraws_only_through_a_confirmation(client, staff):
    idea = IdeaFactory(owner=staff, state="submitted")
    step = next_step_for(idea, staff)
    withdraw = step.warnings[0]
    assert withdraw.emphasis == WARNING and not withdraw.post
    confirm = page(client, staff, withdraw.url)
    assert "button--warning" in confirm
    assert "kan inte ångras" in confirm


def test_submit_with_fields_missing_is_shown_blocked_with_why_and_the_way_to_fix_it(client, staff):
    idea = IdeaFactory(owner=staff, target_group="")
    step = next_step_for(idea, staff)
    assert step.blocked.label == "Skicka in idén"
    assert step.blocked.missing == ("Skriv vem som har problemet (målgruppen).",)
    assert step.primary.label == "Gör klart utkastet"
    assert step.primary.url == reverse("ideas:idea-update", args=[idea.pk])
    assert "Redigera utkastet" not in [a.label for a in step.others]
    html = page(client, staff, idea.get_absolute_url())
    assert re.search(r"<button[^>]*disabled[^>]*>Skicka in idén</button>", html)
    assert "Skriv vem som har problemet (målgruppen)." in html


def test_a_complete_draft_is_submitted_in_one_click_from_its_page(client, staff):
    idea = IdeaFactory(owner=staff)
    step = next_step_for(idea, staff)
    assert step.primary.label == "Skicka in idén" and step.primary.post
    client.force_login(staff)
    response = client.post(step.primary.url, {"expected_state": "draft"}, follow=True)
    idea.refresh_from_db()
    assert idea.state == IdeaState.SUBMITTED
    message = str(list(response.context["messages"])[0])
    assert message.startswith("Tack! Idén är inskickad. En coach läser den")


def test_starting_a_test_without_a_plan_leads_to_the_test_plan(staff):
    idea = IdeaFactory(owner=staff, state="planning")
    step = next_step_for(idea, staff)
    assert step.blocked.label == "Starta testet"
    assert step.primary.url == reverse("ideas:idea-test-plan", args=[idea.pk])


def test_with_a_plan_but_no_money_settled_the_primary_action_is_to_apply(staff):
    idea = IdeaFactory(owner=staff, state="planning")
    TestPlanFactory(idea=idea)
    FundFactory()
    step = next_step_for(idea, staff)
    assert step.blocked.label == "Starta testet"
    assert step.primary.url == reverse("fund:apply", args=[idea.pk])


def test_a_coach_on_a_testing_idea_has_no_primary_action(staff, coach):
    idea = IdeaFactory(owner=staff, state="testing")
    TestPlanFactory(idea=idea)
    step = next_step_for(idea, coach)
    assert step.primary is None
    assert step.text.startswith("Nästa steg: teamet genomför testet")


def test_a_learned_idea_offers_the_nomination_in_the_next_step_box(client, staff, coach):
    idea = IdeaFactory(owner=staff, state="learned", lessons_learned="Fråga först.")
    html = page(client, coach, idea.get_absolute_url())
    box = html[html.index('class="next-step') : html.index("</section>", html.index("next-step"))]
    assert "Klart: testet är avslutat" in box
    assert "Nominera som årets bästa misstag" in html
    assert "inget för dig att göra" not in html


# --- the application page ----------------------------------------------------------------


def test_the_application_page_has_a_stepper_and_the_coachs_primary_action(client, coach):
    application = ApplicationFactory(total=20_000, fund__delegated_limit=50_000)
    html = page(client, coach, application.get_absolute_url())
    assert 'aria-current="step"' in html
    assert "Nästa steg är ditt: besluta om den på delegation" in html
    assert re.search(r'button--primary" href="[^"]*/decide/">Besluta på delegation', html)
    assert len(filled_buttons(html)) == 1


def test_an_incomplete_application_shows_submit_blocked_and_the_way_to_complete_it(client):
    application = ApplicationFactory(state="draft", motivation="")
    html = page(client, application.applicant, application.get_absolute_url())
    assert re.search(r"<button[^>]*disabled[^>]*>Skicka in ansökan</button>", html)
    assert "Skriv varför testet behöver pengarna (motivering)." in html
    assert re.search(r'button--primary" href="[^"]*/edit/">Gör klart ansökan', html)


def test_withdrawing_an_application_is_a_confirmed_warning(client):
    application = ApplicationFactory(state="submitted")
    client.force_login(application.applicant)
    html = client.get(application.get_absolute_url()).content.decode()
    url = reverse("fund:application-action", args=[application.pk, "withdraw"])
    assert f'class="button button--warning" href="{url}"' in html
    response = client.post(url, {"expected_state": "submitted"}, follow=True)
    assert Application.objects.get(pk=application.pk).state == "withdrawn"
    assert "Ansökan är tillbakatagen. Idén kan söka igen" in str(
        list(response.context["messages"])[0]
    )


# --- success messages and the lessons form ----------------------------------------------------


def test_every_step_a_person_takes_says_what_happened_in_its_own_words():
    from workflows.fund.lifecycle import ApplicationLifecycle, MeetingLifecycle
    from workflows.ideas.lifecycle import IdeaLifecycle, NominationLifecycle

    for lifecycle in (IdeaLifecycle, ApplicationLifecycle, MeetingLifecycle, NominationLifecycle):
        for declared in transitions(lifecycle):
            if declared.custom.get("internal"):
                continue
            success = declared.custom.get("success")
            assert success, f"{lifecycle.__name__}.{declared.name} has no success message"
            assert not str(success).startswith("Klart:"), declared.name


def test_the_accept_message_says_what_comes_next(client, staff, coach):
    idea = IdeaFactory(owner=staff, state="submitted")
    client.force_login(coach)
    response = client.post(
        reverse("ideas:idea-transition", args=[idea.pk, "accept"]),
        {"expected_state": "submitted", "message": "Kör!"},
        follow=True,
    )
    assert Idea.objects.get(pk=idea.pk).state == IdeaState.PLANNING
    message = str(list(response.context["messages"])[0])
    assert message == (
        "Idén är antagen. Teamet får veta det och skriver nu en testplan; "
        "du kan hjälpa dem att planera."
    )


def test_the_lessons_form_is_prefilled_from_the_evaluation_and_marked_required(client, staff):
    idea = IdeaFactory(owner=staff, state="tested")
    TestPlanFactory(idea=idea, hypothesis="Om vi ringer upp minskar oron.")
    EvaluationFactory(
        idea=idea,
        results=[{"criterion": "Väntetiden halveras", "result": "Nej, bara en tredjedel."}],
        surprises="Anhöriga ville ha sms.",
        next_step="Prova sms.",
    )
    url = reverse("ideas:idea-transition", args=[idea.pk, "stop_and_learn"])
    client.force_login(staff)
    form = client.get(url).context["form"]
    field = form["lessons_learned"]
    assert field.label == "Lärdomar (obligatoriskt)"
    assert field.field.widget.attrs["aria-required"] == "true"
    draft = field.value()
    assert "Om vi ringer upp minskar oron." in draft
    assert "- Väntetiden halveras: Nej, bara en tredjedel." in draft
    assert "Anhöriga ville ha sms." in draft and "Prova sms." in draft

    response = client.post(url, {"expected_state": "tested", "lessons_learned": draft})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.state == IdeaState.LEARNED
    assert idea.lessons_learned.startswith("Det här testade vi: Om vi ringer upp")


def test_lessons_already_written_are_not_replaced_by_the_draft(client, staff):
    idea = IdeaFactory(owner=staff, state="tested", lessons_learned="Redan skrivet.")
    TestPlanFactory(idea=idea)
    EvaluationFactory(idea=idea)
    client.force_login(staff)
    form = client.get(reverse("ideas:idea-transition", args=[idea.pk, "stop_and_learn"])).context[
        "form"
    ]
    assert form["lessons_learned"].value() == "Redan skrivet."


@pytest.mark.parametrize("rows", [2, 20])
def test_the_idea_page_runs_a_fixed_number_of_queries(
    client, staff, rows, django_assert_max_num_queries
):
    """The next-step box adds no query per row: the same count with 2 and 20 comments,
    champions and applications."""
    coach = UserFactory(username="coach2", roles=[Role.STAFF, Role.COACH])
    idea = IdeaFactory(owner=staff, state="planning")
    TestPlanFactory(idea=idea)
    fund = FundFactory()
    for number in range(rows):
        ApplicationFactory(idea=idea, fund=fund, state="withdrawn")
        CommentFactory(idea=idea, body=f"Kommentar {number}")
        Champion.objects.create(idea=idea, user=UserFactory())
    client.force_login(coach)
    client.get(idea.get_absolute_url())
    with django_assert_max_num_queries(22):
        assert client.get(idea.get_absolute_url()).status_code == 200
