"""Being a Django superuser grants nothing on the product's own pages.

Each case was reproduced on the demo with the superuser `admin` before `User.has_perm`
stopped Django's superuser shortcut for the product's (rules) permissions. The
superuser keeps the administrator role: an employee, with the Wagtail admin.
"""

import pytest
from django.urls import reverse

from ideasluss.errors import NotAllowed
from ideasluss.fund.services import conflict_declare
from ideasluss.ideas.models import IdeaState
from tests.factories import ApplicationFactory, IdeaFactory, TestPlanFactory
from workflows.fund.services import review_submit
from workflows.transitions import transition_perform

pytestmark = pytest.mark.django_db


def test_the_superuser_cannot_declare_on_an_application(administrator):
    application = ApplicationFactory(state="in_review")
    with pytest.raises(NotAllowed):
        conflict_declare(application=application, member=administrator, has_conflict=False)
    assert not application.declarations.exists()


def test_the_superuser_cannot_score_an_application(administrator):
    application = ApplicationFactory(state="in_review")
    scores = {criterion.pk: 5 for criterion in application.fund.criteria.all()}
    with pytest.raises(NotAllowed):
        review_submit(application=application, member=administrator, scores=scores)
    assert not application.reviews.exists()


def test_the_superuser_does_not_see_or_edit_someone_elses_draft(client, administrator):
    draft = IdeaFactory(state=IdeaState.DRAFT)
    client.force_login(administrator)
    assert client.get(reverse("ideas:idea-detail", args=[draft.pk])).status_code == 404
    response = client.post(reverse("ideas:idea-update", args=[draft.pk]), {"title": "Ändrad"})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.title != "Ändrad"


def test_the_superuser_cannot_give_consent_for_someone_elses_idea(client, administrator):
    idea = IdeaFactory(state=IdeaState.LEARNED)
    client.force_login(administrator)
    response = client.post(reverse("ideas:idea-consent", args=[idea.pk]), {"consent": "yes"})
    assert response.status_code == 403
    idea.refresh_from_db()
    assert not idea.publication_consent


def test_the_superuser_cannot_report_a_test_on_a_team_it_is_not_on(administrator):
    idea = IdeaFactory(state=IdeaState.TESTING)
    TestPlanFactory(idea=idea)
    with pytest.raises(NotAllowed):
        transition_perform(obj=idea, name="report", by=administrator)
    idea.refresh_from_db()
    assert idea.state == IdeaState.TESTING


def test_the_superuser_keeps_the_wagtail_admin(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_coach_gets_404_on_someone_elses_draft_and_its_attachments(client, coach):
    from tests.factories import AttachmentFactory

    attachment = AttachmentFactory(idea=IdeaFactory(state=IdeaState.DRAFT))
    client.force_login(coach)
    idea_url = reverse("ideas:idea-detail", args=[attachment.idea_id])
    file_url = reverse("ideas:attachment-file", args=[attachment.idea_id, attachment.pk])
    assert client.get(idea_url).status_code == 404
    assert client.get(file_url).status_code == 404
