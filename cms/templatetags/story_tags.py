"""Template tags that connect staff pages to the public site's story pages."""

from django import template

from ..story_selectors import story_page_for_idea

register = template.Library()


@register.simple_tag
def story_page_of(idea):
    """The story page (draft or live) made from `idea`, or None."""
    return story_page_for_idea(idea=idea)
