"""Results (scaled ideas) and lessons (learned ideas): one story page per idea."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import StoryBlock
from ..locales import OriginalFallbackRouting


class StoryPage(Page):
    """A story about one idea, linked to it so figures and register links come from it."""

    idea = models.ForeignKey(
        "ideas.Idea",
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("summary"), max_length=600)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main picture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        _("alt text of the main picture"),
        max_length=250,
        blank=True,
        help_text=_("Describe what the picture shows, for people who cannot see it."),
    )
    body = StreamField(StoryBlock(), verbose_name=_("story"), blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading=_("Main picture")
        ),
        FieldPanel("body"),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("idea")]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_image_alt.strip():
            raise ValidationError({"hero_image_alt": _("Write an alt text for the main picture.")})

    def get_context(self, request, *args, **kwargs):
        # The selectors import the page models, so they are imported where they are used.
        from ..story_selectors import story_facts

        context = super().get_context(request, *args, **kwargs)
        context["facts"] = story_facts(idea_id=self.idea_id) if self.idea_id else None
        return context


class ResultPage(StoryPage):
    """A scaled idea: what it became, what it cost, who runs it now."""

    parent_page_types = ["cms.ResultIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")


class LessonPage(StoryPage):
    """A learned idea: what was tried, what was learned, what others should know."""

    what_was_tried = models.TextField(_("what was tried"), blank=True)
    what_we_learned = models.TextField(_("what we learned"), blank=True)
    advice = models.TextField(_("what others should know before trying"), blank=True)

    content_panels = [
        *StoryPage.content_panels,
        FieldPanel("what_was_tried"),
        FieldPanel("what_we_learned"),
        FieldPanel("advice"),
    ]
    search_fields = [
        *StoryPage.search_fields,
        index.SearchField("what_was_tried"),
        index.SearchField("what_we_learned"),
        index.SearchField("advice"),
    ]
    parent_page_types = ["cms.LessonIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")


class StoryIndexPage(OriginalFallbackRouting, Page):
    """A list of the section's live stories, newest first, a page at a time."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    max_count = 1
    page_size = 12
    story_model: type[StoryPage]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from ..story_selectors import story_list

        context = super().get_context(request, *args, **kwargs)
        stories = story_list(model=self.story_model)
        page_obj = Paginator(stories, self.page_size).get_page(request.GET.get("page"))
        context["page_obj"] = page_obj
        context["stories"] = page_obj
        return context


class ResultIndexPage(StoryIndexPage):
    subpage_types = ["cms.ResultPage"]
    story_model = ResultPage

    class Meta:
        verbose_name = _("results index")


class LessonIndexPage(StoryIndexPage):
    subpage_types = ["cms.LessonPage"]
    story_model = LessonPage

    class Meta:
        verbose_name = _("lessons index")
