from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin


class IdeaState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PLANNING = "planning", _("Planning")
    TESTING = "testing", _("Testing")
    TESTED = "tested", _("Tested")
    SCALED = "scaled", _("Scaled")
    LEARNED = "learned", _("Learned")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Idea(FSMModelMixin, models.Model):
    """An idea, problem first: what problem, for whom, and what could be tried."""

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"), blank=True)
    target_group = models.CharField(_("target group"), max_length=200, blank=True)
    description = models.TextField(_("the idea"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_ideas",
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    state = FSMField(_("state"), default=IdeaState.DRAFT, choices=IdeaState.choices, protected=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "-created_at"], name="idea_state_created")]

    def __str__(self) -> str:
        return self.title
