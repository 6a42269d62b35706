from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from ideasluss.accounts.models import Unit, User
from ideasluss.accounts.selectors import unit_paths
from ideasluss.form_rendering import ManyOptionsSelect
from ideasluss.fund.models import MAX_AMOUNT
from ideasluss.ideas.models import Idea, IdeaState
from ideasluss.ideas.selectors import ORDERINGS
from ideasluss.input_policy import (
    SEARCH_TEXT,
    IdChoiceField,
    MultiLineField,
    PolicyDateField,
    SingleLineField,
    WholeNumberField,
)

#: Hours of work a person can plan for one idea: about ten working years.
MAX_IDEA_HOURS = 20_000
#: Tags typed in one go (comma separated), and each tag's length (taggit's column).
MAX_TAGS = 20
MAX_TAG_LENGTH = 100


class IdeaForm(forms.ModelForm):
    """Problem first: what problem, for whom, then the idea and what a first test could be."""

    tags = TagField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Keywords separated by commas, e.g. elderly care, digital, school meals."),
    )
    needs_hours = WholeNumberField(
        label=_("Hours you would need"),
        required=False,
        min_value=0,
        max_value=MAX_IDEA_HOURS,
        error_messages={
            "invalid": _("Give the hours as a whole number, for example 40."),
            "max_value": _("The number of hours is unreasonably large."),
            "min_value": _("The number of hours cannot be negative."),
        },
    )
    needs_money = WholeNumberField(
        label=_("Money you think it needs (SEK)"),
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        error_messages={
            "invalid": _("Give the amount in whole kronor, for example 12500."),
            "max_value": _("The amount is unreasonably large."),
            "min_value": _("The amount cannot be negative."),
        },
    )

    class Meta:
        model = Idea
        fields = [
            "title",
            "problem",
            "target_group",
            "description",
            "first_test",
            "needs_hours",
            "needs_substitute",
            "needs_money",
            "needs_other_units",
        ]
        labels = {
            "title": _("A short title"),
            "problem": _("What problem do you see?"),
            "target_group": _("Who has the problem?"),
            "description": _("Your idea"),
            "first_test": _("What could a first, small test look like?"),
            "needs_hours": _("Hours you would need"),
            "needs_substitute": _("A substitute needs to cover my ordinary work"),
            "needs_money": _("Money you think it needs (SEK)"),
            "needs_other_units": _("Help from other units"),
        }
        help_texts = {
            "problem": _(
                "Describe the problem before the solution: what happens today, and why it matters."
            ),
            "target_group": _(
                "For example residents with home care, pupils in year 4–6, "
                "colleagues at the library."
            ),
            "needs_other_units": _("For example: IT support, a school that can host the test."),
        }
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 5}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "first_test": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {
            "title": SingleLineField,
            "problem": MultiLineField,
            "target_group": SingleLineField,
            "description": MultiLineField,
            "first_test": MultiLineField,
            "needs_other_units": SingleLineField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tags"].initial = ", ".join(self.instance.tags.names())

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(
                _("Use at most %(count)s tags.") % {"count": MAX_TAGS}, code="too_many_tags"
            )
        validator = SingleLineField(max_length=MAX_TAG_LENGTH)
        return [validator.clean(tag) for tag in tags]


class IdeaFilterForm(forms.Form):
    q = SingleLineField(label=_("Search"), required=False, max_length=SEARCH_TEXT)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states"))]
        + [choice for choice in IdeaState.choices if choice[0] != IdeaState.DRAFT],
    )
    unit = IdChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.all(),
        empty_label=_("All units"),
        widget=ManyOptionsSelect,
    )
    target_group = SingleLineField(label=_("Target group"), required=False, max_length=200)
    tag = SingleLineField(label=_("Tag"), required=False, max_length=100)
    order = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("newest", _("Newest")),
            ("champions", _("Most championed")),
            ("waiting", _("Longest waiting")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Units by their place in the organisation, from the cache (accounts.selectors).
        self.fields["unit"].choices = [("", _("All units")), *unit_paths().items()]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["q"],
            "state": data["state"],
            "unit": data["unit"],
            "target_group": data["target_group"],
            "tag": data["tag"],
            "order": data["order"] if data["order"] in ORDERINGS else "newest",
        }


class TeamMemberForm(forms.Form):
    username = SingleLineField(
        label=_("Username or e-mail of a colleague"),
        max_length=254,
    )

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        user = (
            User.objects.filter(is_active=True).filter(username__iexact=value).first()
            or User.objects.filter(is_active=True, email__iexact=value).first()
        )
        if user is None:
            raise forms.ValidationError(_("We found no colleague with that username or e-mail."))
        return user


class TestPlanForm(forms.Form):
    hypothesis = MultiLineField(
        label=_("Hypothesis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What do you believe will happen, and for whom? For example: “If … then …”."),
    )
    success_criteria = MultiLineField(
        label=_("Success criteria"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. How will you know whether the test worked?"),
    )
    start_date = PolicyDateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = PolicyDateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    resources = MultiLineField(
        label=_("Resources"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("People, time, material and money the test needs."),
    )
    no_money_needed = forms.BooleanField(
        label=_("The test needs no money from the innovation fund"), required=False
    )

    def clean_success_criteria(self):
        criteria = [line.strip() for line in self.cleaned_data["success_criteria"].splitlines()]
        criteria = [c for c in criteria if c]
        if not criteria:
            raise forms.ValidationError(_("Write at least one success criterion."))
        if len(set(criteria)) != len(criteria):
            raise forms.ValidationError(_("Each success criterion must be different."))
        return criteria

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        return data


class EvaluationForm(forms.Form):
    """One result field per success criterion, then what surprised us and the next step."""

    surprises = MultiLineField(
        label=_("What surprised us"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_step = MultiLineField(
        label=_("Next step"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criteria: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        result_fields = {
            f"result_{index}": MultiLineField(
                label=_("Result: %(criterion)s") % {"criterion": criterion},
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            for index, criterion in enumerate(criteria)
        }
        self.fields = {**result_fields, **self.fields}

    def results(self) -> list[dict]:
        return [
            {"criterion": criterion, "result": self.cleaned_data[f"result_{index}"]}
            for index, criterion in enumerate(self.criteria)
        ]


class CommentForm(forms.Form):
    body = MultiLineField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text. Links become clickable."),
    )


class HideCommentForm(forms.Form):
    reason = SingleLineField(label=_("Why is the comment hidden?"), max_length=300)


class ChampionForm(forms.Form):
    offer = SingleLineField(
        label=_("Offer of help (optional)"),
        required=False,
        max_length=500,
        help_text=_("For example: “My unit can host the test.”"),
    )


# --- the best mistake of the year -------------------------------------------------------

NO_CONSENT_MESSAGE = _(
    "Ask the people named in the story whether they agree to being named "
    "publicly, and confirm it: no nomination without their consent."
)


class NominationForm(forms.Form):
    """Nominate a mistake worth learning from: a learned idea, or in your own words."""

    # Any year is parsed; the service says why a year is closed and which are open.
    year = WholeNumberField(label=_("Year"), widget=forms.Select, min_value=2000, max_value=2100)
    # The idea by its number, not a list of every learned idea (thousands in a large
    # municipality: a page of a megabyte); its page's "nominate" link fills it in.
    idea = IdChoiceField(
        label=_("Number of a learned idea (optional)"),
        required=False,
        queryset=Idea.objects.filter(state=IdeaState.LEARNED),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
        help_text=_(
            "The number is in the idea's address (…/ideas/123/). “Nominate as the best "
            "mistake of the year” on a learned idea's page fills it in. Leave it empty to "
            "describe the mistake yourself."
        ),
        error_messages={"invalid_choice": _("No learned idea has that number.")},
    )
    title = SingleLineField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave it empty to use the idea's title."),
    )
    story = MultiLineField(
        label=_("What happened and what was learned"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Leave it empty to use the idea's lessons learned. "
            "Only the jury sees the nomination; the story is published only if it is "
            "shortlisted or wins."
        ),
    )
    consent_confirmed = forms.BooleanField(
        label=_("The people named in the story agree to being named publicly"),
        error_messages={"required": NO_CONSENT_MESSAGE},
    )

    def __init__(self, *args, years: list[int], **kwargs):
        """`years`: the years open for nominations (newest is the default)."""
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.choices = [(year, year) for year in reversed(years)]
        if years:
            self.fields["year"].initial = max(years)

    def clean(self):
        data = super().clean()
        if data.get("idea") is None:
            if not data.get("title") and "title" not in self.errors:
                self.add_error("title", _("Give the mistake a title."))
            if not data.get("story") and "story" not in self.errors:
                self.add_error("story", _("Tell what happened and what was learned."))
        return data


class DeclareWinnerForm(forms.Form):
    """The jury's chair declares the result the votes give, with the jury's motivation."""

    jury_motivation = MultiLineField(
        label=_("The jury's motivation"),
        required=False,  # the step's guard says it is missing, in its own words
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published with the winner: why this mistake taught us the most."),
    )


def lessons_draft(idea: Idea) -> str:
    """A first draft of the lessons learned from what the team already wrote: the test's
    hypothesis, the result for each success criterion, what surprised them and the next
    step they saw. Empty when there is no evaluation yet."""
    evaluation = getattr(idea, "evaluation", None)
    if evaluation is None:
        return ""
    plan = getattr(idea, "test_plan", None)
    parts = []
    if plan is not None and plan.hypothesis.strip():
        parts.append(_("What we tested: %(hypothesis)s") % {"hypothesis": plan.hypothesis.strip()})
    results = [
        f"- {row.get('criterion', '')}: {str(row.get('result', '')).strip()}"
        for row in evaluation.results
        if str(row.get("result", "")).strip()
    ]
    if results:
        parts.append("\n".join([str(_("What happened:")), *results]))
    if evaluation.surprises.strip():
        parts.append(_("What surprised us: %(text)s") % {"text": evaluation.surprises.strip()})
    if evaluation.next_step.strip():
        parts.append(_("What we would do next: %(text)s") % {"text": evaluation.next_step.strip()})
    if not parts:
        return ""
    parts.append(str(_("What others should know:")) + " ")
    return "\n\n".join(str(part) for part in parts)
