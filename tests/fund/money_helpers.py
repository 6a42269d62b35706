"""Reading the money figures a page prints, for tests that compare pages."""

import re

from django.utils import timezone

from ideasluss.fund.models import DecisionKind
from ideasluss.fund.services import cost_record
from ideasluss.ideas.models import Idea
from workflows.fund.services import decision_record

# Every page prints what is left of a grant through templates/fund/includes/grant_left.html.
LEFT = re.compile(r'<span class="grant-left[^"]*">([^<]*)</span>')


def left_on(html: str) -> list[str]:
    """Each "left of the grant" figure on the page, with plain spaces ("25 000 kr")."""
    return [figure.replace("\xa0", " ") for figure in LEFT.findall(html)]


def grant_with_costs(application, *, by, costs=()):
    """The application granted in full by `by` (a coach, under delegation), then `costs`
    recorded against it today (the municipality's date)."""
    grant = decision_record(
        application=application, by=by, kind=DecisionKind.APPROVE, rationale="Bra test."
    )
    for amount in costs:
        cost_record(
            application=application, by=by, amount=amount, date=timezone.localdate(), note="Lås"
        )
    return grant


def end_idea(application, state):
    """Move the idea straight to a final state: the lifecycle is tested elsewhere."""
    Idea.objects.filter(pk=application.idea_id).update(state=state)
    application.idea.refresh_from_db()
