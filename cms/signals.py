"""Keep the public site's cached figures honest, its translations editable, and tell a
team when the public story about their idea is published.

The home page caches its figures (`cms.figures`); an idea that changes state or a
new fund decision must show on the next request. Saves go through the models
(including the lifecycle proxies, hence the concrete-model check), so listening
to `post_save` catches every path without the domain knowing about the site.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import GroupPagePermission, Page
from wagtail.signals import copy_for_translation_done, page_published

from ideasluss.fund.models import BudgetLine, Decision
from ideasluss.ideas.models import Idea
from workflows.notifications import notify_page_published

from .figures import forget_home_figures
from .models.stories import StoryPage
from .selectors import forget_fund_figures

FIGURE_SOURCES = (Idea, Decision)


@receiver(post_save, dispatch_uid="cms-forget-figures-on-save")
@receiver(post_delete, dispatch_uid="cms-forget-figures-on-delete")
def forget_figures_when_sources_change(sender, **kwargs):
    if sender._meta.concrete_model not in FIGURE_SOURCES:
        return
    # Now, for this request, and again after commit, so that a request reading
    # between the two cannot keep figures from before the change.
    forget_home_figures()
    transaction.on_commit(forget_home_figures)


#: What the fund page's cached figures are computed from (`cms.selectors.fund_figures`).
FUND_FIGURE_SOURCES = (Idea, Decision, BudgetLine)


@receiver(post_save, dispatch_uid="cms-forget-fund-figures-on-save")
@receiver(post_delete, dispatch_uid="cms-forget-fund-figures-on-delete")
def forget_fund_figures_when_sources_change(sender, **kwargs):
    if sender._meta.concrete_model not in FUND_FIGURE_SOURCES:
        return
    forget_fund_figures()
    transaction.on_commit(forget_fund_figures)


@receiver(page_published, dispatch_uid="cms-notify-team-of-published-story")
def notify_team_when_their_story_is_published(sender, instance, **kwargs):
    """A story about an idea goes public: its team is told (`notify_page_published`)."""
    if isinstance(instance, StoryPage):
        transaction.on_commit(partial(notify_page_published, page=instance))


@receiver(copy_for_translation_done, dispatch_uid="cms-translated-home-keeps-editors")
def translated_home_keeps_its_editors(sender, source_obj, target_obj, **kwargs):
    """The home page's translation is a new tree beside the original (both under Wagtail's
    root), so the rights editors have on the original home (migration 0004: coaches add,
    change and publish under it) are given on its translation too; without them nobody but
    a superuser could publish an English page."""
    if not isinstance(target_obj, Page) or target_obj.depth != 2:
        return
    for permission in GroupPagePermission.objects.filter(page_id=source_obj.pk):
        GroupPagePermission.objects.get_or_create(
            group_id=permission.group_id,
            page_id=target_obj.pk,
            permission_id=permission.permission_id,
        )
