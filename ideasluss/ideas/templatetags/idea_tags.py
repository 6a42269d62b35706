import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def days_since(value) -> int:
    """Whole days from a date or datetime until today (0 for today or the future)."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return max((timezone.localdate() - value).days, 0)


@register.filter
def state_label(value: str) -> str:
    """The translated name of an idea state, e.g. for timeline entries."""
    from ideasluss.ideas.models import IdeaState

    try:
        return IdeaState(value).label
    except ValueError:
        return value or "–"
