"""Forms of the committee's review pages: declaring conflicts of interest (jäv), scoring,
and a coach's decision under delegation. They parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ideasluss.fund.models import Criterion
from ideasluss.input_policy import MultiLineField

SCORE_CHOICES = [(str(value), str(value)) for value in range(1, 6)]


class DeclarationForm(forms.Form):
    NO_CONFLICT = "no"
    CONFLICT = "yes"

    answer = forms.ChoiceField(
        label=_("Do you have a conflict of interest (jäv) in this application?"),
        widget=forms.RadioSelect,
        choices=[
            (NO_CONFLICT, _("No, I have no conflict of interest")),
            (CONFLICT, _("Yes, I have a conflict of interest")),
        ],
        help_text=_(
            "For example if you or someone close to you is on the idea's team, works "
            "under the applicant, or gains from the decision."
        ),
        error_messages={"required": _("Answer whether you have a conflict of interest.")},
    )
    reason = MultiLineField(
        label=_("Why you have a conflict of interest"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only needed when you have a conflict. It is recorded with the decision."),
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == self.CONFLICT and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why you have a conflict of interest."))
        return data

    @property
    def has_conflict(self) -> bool:
        return self.cleaned_data["answer"] == self.CONFLICT

    @classmethod
    def for_correction(cls, declaration) -> "DeclarationForm":
        """The form with the member's current answer, to correct it."""
        answer = cls.CONFLICT if declaration.has_conflict else cls.NO_CONFLICT
        return cls(initial={"answer": answer, "reason": declaration.reason})


class ReviewForm(forms.Form):
    """One radio group (a fieldset with the criterion as legend) per criterion, 1–5."""

    comment = MultiLineField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What made you score as you did? The committee sees your comment."),
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        score_fields = {
            self.field_name(criterion): forms.ChoiceField(
                label=criterion.name,
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "score-scale"}),
                help_text=criterion.description
                or _("1 is very weak, 3 is good enough, 5 is excellent."),
                error_messages={
                    "required": _("Score “%(criterion)s” from 1 to 5.")
                    % {"criterion": criterion.name},
                    "invalid_choice": _("Score “%(criterion)s” from 1 to 5.")
                    % {"criterion": criterion.name},
                },
            )
            for criterion in criteria
        }
        self.fields = {**score_fields, **self.fields}

    @staticmethod
    def field_name(criterion: Criterion) -> str:
        return f"criterion_{criterion.pk}"

    @classmethod
    def initial_from(cls, review) -> dict:
        if review is None:
            return {}
        return {
            "comment": review.comment,
            **{
                f"criterion_{score.criterion_id}": str(score.value) for score in review.scores.all()
            },
        }

    def scores(self) -> dict[int, int]:
        return {
            criterion.pk: int(self.cleaned_data[self.field_name(criterion)])
            for criterion in self.criteria
        }
