"""From idea to page: a coach turns a scaled or learned idea into a draft story page."""

import pytest
from django.core.cache import cache
from django.utils import translation
from wagtail.images import get_image_model

from cms.images import IDEA_PICTURES_COLLECTION
from cms.models import LessonPage, ResultPage
from cms.services import pictures_without_alt_text, story_page_draft_create
from ideasluss.errors import NotAllowed, RequirementsMissing
from ideasluss.ideas.models import IdeaState
from tests.factories import (
    AttachmentFactory,
    EvaluationFactory,
    IdeaFactory,
    PictureAttachmentFactory,
    TestPlanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def swedish_and_empty_cache():
    cache.clear()
    with translation.override("sv"):
        yield
    cache.clear()


def scaled_idea(**fields):
    fields.setdefault("state", IdeaState.SCALED)
    fields.setdefault("publication_consent", True)
    idea = IdeaFactory(
        title="Digitala nycklar i hemtjänsten",
        problem="Brukarna väntar på att personalen ska hämta nycklar.",
        lessons_learned="Batterierna måste bytas oftare än vi trodde.",
        **fields,
    )
    TestPlanFactory(idea=idea, hypothesis="Digitala lås kortar väntetiden.")
    EvaluationFactory(idea=idea)
    return idea


# --- the service ---------------------------------------------------------------------------


def test_a_scaled_idea_becomes_a_draft_result_page(site_tree, coach):
    idea = scaled_idea()
    page = story_page_draft_create(idea=idea, by=coach)

    assert isinstance(page, ResultPage)
    assert page.get_parent().specific == site_tree["resultat"]
    assert page.idea == idea
    assert page.title == "Digitala nycklar i hemtjänsten"
    assert page.slug == "digitala-nycklar-i-hemtjansten"
    assert page.summary == "Brukarna väntar på att personalen ska hämta nycklar."
    assert not page.live
    assert page.has_unpublished_changes
    assert page.get_latest_revision().user == coach
    assert page.owner == coach
    body = str(page.body)
    for text in (
        "<h2>Problemet</h2>",
        "Brukarna väntar",
        "<h2>Testet</h2>",
        "Digitala lås kortar väntetiden.",
        "<li>Väntetiden halveras</li>",
        "<h2>Resultatet</h2>",
        "<b>Väntetiden halveras</b>: Uppfyllt",
        "Batterierna måste bytas",
    ):
        assert text in body, text


def test_a_learned_idea_becomes_a_draft_lesson_page(site_tree, coach):
    idea = scaled_idea(state=IdeaState.LEARNED)
    page = story_page_draft_create(idea=idea, by=coach)
    assert isinstance(page, LessonPage)
    assert page.get_parent().specific == site_tree["lardomar"]
    assert "Digitala lås kortar väntetiden." in page.what_was_tried
    assert "Väntetiden halveras" in page.what_was_tried
    assert page.what_we_learned == "Batterierna måste bytas oftare än vi trodde."
    assert page.advice == ""
    assert not page.live


def test_the_draft_is_not_public_until_published(client, site_tree, coach):
    page = story_page_draft_create(idea=scaled_idea(), by=coach)
    url = "/resultat/digitala-nycklar-i-hemtjansten/"
    assert client.get(url).status_code == 404
    assert "Digitala nycklar" not in client.get("/resultat/").content.decode()
    page.get_latest_revision().publish()
    assert client.get(url).status_code == 200
    assert "Digitala nycklar" in client.get("/resultat/").content.decode()


def test_refused_without_the_teams_consent(site_tree, coach):
    idea = scaled_idea(publication_consent=False)
    with pytest.raises(RequirementsMissing) as refusal:
        story_page_draft_create(idea=idea, by=coach)
    assert "Idéns team har inte godkänt en publik sida." in refusal.value.messages[0]
    assert not ResultPage.objects.exists()


@pytest.mark.parametrize("state", [IdeaState.SUBMITTED, IdeaState.TESTING, IdeaState.DECLINED])
def test_refused_for_an_idea_that_is_not_scaled_or_learned(site_tree, coach, state):
    with pytest.raises(NotAllowed) as refusal:
        story_page_draft_create(idea=scaled_idea(state=state), by=coach)
    assert (
        "Bara en idé som har skalats upp eller avslutats med en lärdom" in refusal.value.messages[0]
    )
    assert not ResultPage.objects.exists() and not LessonPage.objects.exists()


def test_refused_for_someone_who_is_not_a_coach(site_tree, staff, committee_member):
    idea = scaled_idea()
    for user in (staff, committee_member, idea.owner):
        with pytest.raises(NotAllowed) as refusal:
            story_page_draft_create(idea=idea, by=user)
        assert refusal.value.messages == ["Bara en coach kan göra en publik sida av en idé."]
    assert not ResultPage.objects.exists()


def test_refused_the_second_time_pointing_to_the_page(site_tree, coach):
    idea = scaled_idea()
    story_page_draft_create(idea=idea, by=coach)
    with pytest.raises(NotAllowed) as refusal:
        story_page_draft_create(idea=idea, by=coach)
    assert refusal.value.messages == [
        "Det finns redan en sida om den här idén: ”Digitala nycklar i hemtjänsten”. "
        "Redigera den sidan."
    ]
    assert ResultPage.objects.count() == 1


def test_pictures_with_alt_text_are_copied_and_the_others_left_out(site_tree, coach):
    idea = scaled_idea()
    first = PictureAttachmentFactory(idea=idea, alt_text="En brukare öppnar med mobilen")
    second = PictureAttachmentFactory(idea=idea, alt_text="Låsboxen på ytterdörren")
    without = PictureAttachmentFactory(idea=idea, alt_text="", original_name="utan.jpg")
    AttachmentFactory(idea=idea)  # a PDF is never a picture on the page

    page = story_page_draft_create(idea=idea, by=coach)

    images = get_image_model().objects.order_by("pk")
    assert [image.description for image in images] == [first.alt_text, second.alt_text]
    assert all(image.collection.name == IDEA_PICTURES_COLLECTION for image in images)
    assert all(image.width == 320 and image.height == 200 for image in images)
    assert all(image.file_hash and image.file_size for image in images)
    # Media files have public addresses: the copies' names cannot be guessed.
    assert all(image.file.name.startswith("original_images/idea-") for image in images)
    assert not any("bild" in image.file.name for image in images)
    assert page.hero_image == images[0]
    assert page.hero_image_alt == "En brukare öppnar med mobilen"
    image_blocks = [block for block in page.body if block.block_type == "image"]
    assert len(image_blocks) == 1
    assert image_blocks[0].value["image"].pk == images[1].pk
    assert image_blocks[0].value["image"].contextual_alt_text == "Låsboxen på ytterdörren"
    assert pictures_without_alt_text(idea=idea) == [without]


def test_an_idea_without_pictures_makes_no_images(site_tree, coach):
    page = story_page_draft_create(idea=scaled_idea(), by=coach)
    assert page.hero_image is None
    assert not get_image_model().objects.exists()


# --- the button on the idea page and the view -------------------------------------------------


def button_url(idea) -> str:
    return f"/ideas/{idea.pk}/publish-page/"


def test_a_coach_sees_the_button_when_the_team_has_agreed(client, site_tree, coach):
    idea = scaled_idea()
    client.force_login(coach)
    content = client.get(idea.get_absolute_url()).content.decode()
    assert f'action="{button_url(idea)}"' in content
    assert "Gör ett utkast till resultatsida" in content


def test_without_consent_the_coach_is_told_why_there_is_no_button(client, site_tree, coach):
    idea = scaled_idea(publication_consent=False)
    client.force_login(coach)
    content = client.get(idea.get_absolute_url()).content.decode()
    assert button_url(idea) not in content
    assert "Teamet har inte godkänt en publik sida om idén." in content


def test_staff_do_not_see_the_button(client, site_tree):
    idea = scaled_idea()
    client.force_login(idea.owner)
    assert button_url(idea) not in client.get(idea.get_absolute_url()).content.decode()


def test_the_button_makes_the_draft_and_opens_the_editor(client, site_tree, coach):
    idea = scaled_idea()
    PictureAttachmentFactory(idea=idea, alt_text="", original_name="utan-text.jpg")
    client.force_login(coach)
    response = client.post(button_url(idea))
    page = ResultPage.objects.get(idea=idea)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"
    editor = client.get(response["Location"])
    # The coach may edit the page in Wagtail (coach group permissions, cms 0004).
    assert editor.status_code == 200
    content = editor.content.decode()
    assert "Ett utkast till sida har gjorts från idén." in content
    assert "utan-text.jpg" in content

    again = client.get(idea.get_absolute_url()).content.decode()
    assert f"/admin/pages/{page.pk}/edit/" in again
    assert "inte publik förrän den publiceras" in again


def test_a_refusal_goes_back_to_the_idea_with_the_reason(client, site_tree, coach):
    idea = scaled_idea()
    story_page_draft_create(idea=idea, by=coach)
    client.force_login(coach)
    response = client.post(button_url(idea), follow=True)
    assert response.redirect_chain[-1][0] == idea.get_absolute_url()
    assert "Det finns redan en sida om den här idén" in response.content.decode()


def test_only_coaches_may_post_and_only_by_post(client, site_tree, coach):
    idea = scaled_idea()
    assert client.post(button_url(idea))["Location"].startswith("/accounts/login/")
    client.force_login(idea.owner)
    assert client.post(button_url(idea)).status_code == 403
    client.force_login(coach)
    assert client.get(button_url(idea)).status_code == 405
    assert client.post("/ideas/999999/publish-page/").status_code == 404
    assert not ResultPage.objects.exists()


def test_the_coach_may_publish_the_page_in_wagtail(client, site_tree, coach):
    page = story_page_draft_create(idea=scaled_idea(), by=coach)
    client.force_login(coach)
    response = client.post(
        f"/admin/pages/{page.pk}/edit/",
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "hero_image_alt": "",
            "body-count": "0",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert page.live
