"""The one page for taking a step of any lifecycle: confirm (GET), take it (POST).

Each area subclasses `TransitionView` with its model, the permission to see the object
and where to go afterwards; what the step asks for (a message, its own fields) and who
may take it come from the step's declaration (`workflows.transitions.step`).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.errors import ConcurrentChange, NotAllowed, RequirementsMissing
from ideasluss.input_policy import MultiLineField, SingleLineField, policy_formfield

from .transitions import (
    action_for,
    lifecycle_of,
    refusal_of,
    step_names,
    transition_from,
    transition_perform,
    transitions,
)

FIELD_HELP = {
    "lessons_learned": gettext_lazy(
        "What did you try, what did you learn, and what should others know?"
    ),
    "jury_motivation": gettext_lazy(
        "Published with the winner: why this mistake taught us the most."
    ),
}


def success_message_of(obj, transition) -> str:
    """What the person is told after the step: what happened and what comes next (each
    step declares its own `success`; the step's name is the last resort)."""
    if isinstance(transition, str):
        transition = next(t for t in transitions(obj) if t.name == transition)
    declared = transition.custom.get("success")
    if declared:
        return str(declared) % {
            "title": getattr(obj, "title", str(obj)),
            "year": getattr(obj, "year", ""),
        }
    return _("Done: %(step)s.") % {"step": transition.custom["label"]}


class TransitionForm(forms.Form):
    """Confirms a step; asks for the message and the fields the step declares."""

    # The state the page showed; a form sent without it (a script) is not checked for it.
    expected_state = SingleLineField(widget=forms.HiddenInput, required=False, max_length=50)
    message = MultiLineField(
        label=gettext_lazy("Message"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args, transition, obj, message_label=None, ask_message=True, prefill=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        prefill = prefill or {}
        self.transition = transition
        if not (ask_message or transition.custom.get("message_required")):
            del self.fields["message"]
        elif transition.custom.get("message_required"):
            self.fields["message"].required = True
            self.fields["message"].label = message_label or _("Message (required)")
        for name in transition.custom.get("fields", ()):
            model_field = obj._meta.get_field(name)
            # Not required by the form: the step's guards say what is missing, in their
            # words. Every field a step declares is one its guards ask for, so the label
            # says it is required before anyone sends the form.
            form_field = policy_formfield(model_field, required=False)
            form_field.label = _("%(label)s (required)") % {"label": capfirst(form_field.label)}
            form_field.widget.attrs["aria-required"] = "true"
            if name in FIELD_HELP:
                form_field.help_text = FIELD_HELP[name]
            value = getattr(obj, model_field.attname)
            # What the person already wrote elsewhere (the evaluation, say) fills an empty field.
            form_field.initial = value if value not in (None, "") else prefill.get(name, value)
            self.fields[name] = form_field

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.transition.custom.get("fields", ())}

    def message_text(self) -> str:
        return self.cleaned_data.get("message", "")


class TransitionView(PermissionRequiredMixin, View):
    """GET shows the step with what is missing; POST takes it. Subclasses set `model`
    (or `queryset`), `view_permission`, `template_name` and `step_kwarg`; a subclass
    without a template answers POST only (`http_method_names = ["post"]`) and reports
    refusals as messages."""

    template_name: str | None = None
    step_kwarg = "name"
    object_context_name = "object"
    message_label = None
    #: whether the page offers an (optional) message for the log
    ask_message = True

    def step_name(self) -> str:
        name = self.kwargs[self.step_kwarg].replace("-", "_")
        if name not in step_names(self.model or self.queryset.model):
            raise Http404
        return name

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def field_prefill(self, obj, transition) -> dict:
        """Initial values for the step's empty fields, from what the person already wrote."""
        return {}

    def success_message(self, obj, transition) -> str:
        return success_message_of(obj, transition)

    def _transition(self):
        obj = self.get_object()
        found = transition_from(obj, self.step_name())
        if found is not None and found.custom.get("internal"):
            raise Http404
        if found is not None and not found.has_perm(obj, self.request.user):
            raise PermissionDenied
        return obj, found

    def _form(self, obj, found, data=None):
        initial = {"expected_state": obj.state}
        return TransitionForm(
            data,
            initial=initial,
            transition=found,
            obj=obj,
            message_label=self.message_label,
            ask_message=self.ask_message,
            prefill=self.field_prefill(obj, found) if data is None else None,
        )

    def _render(self, obj, found, form, status=200):
        if self.template_name is None:
            for errors in form.errors.values():
                for text in errors:
                    messages.error(self.request, text)
            return redirect(self.get_success_url(obj))
        context = {
            self.object_context_name: obj,
            "object": obj,
            "transition": found,
            "form": form,
            "action": action_for(obj, self.request.user, found.name),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        if self.template_name is None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        obj, found = self._transition()
        if found is None:
            return self._refused_here(obj)
        return self._render(obj, found, self._form(obj, found))

    def _refused_here(self, obj, data=None, status=200):
        """The step exists, not from the object's state (someone took a step just now, or
        the page was old): the step's page, or a message, says why."""
        name = self.step_name()
        declared = next(t for t in transitions(obj) if t.name == name)
        if declared.custom.get("internal"):
            raise Http404
        form = self._form(obj, declared, data)
        if data is None:
            messages.error(self.request, refusal_of(obj, name))
        else:
            form.is_valid()
            form.add_error(None, refusal_of(obj, name))
        return self._render(obj, declared, form, status=status)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        seen = request.POST.get("expected_state")
        if seen and seen != obj.state:
            messages.error(request, str(lifecycle_of(obj).changed_message))
            return redirect(self.get_success_url(obj))
        obj, found = self._transition()
        data = request.POST
        if self.template_name is None and "expected_state" not in data:
            data = data.copy()
            data["expected_state"] = obj.state
        if found is None:
            return self._refused_here(obj, data, status=400)
        form = self._form(obj, found, data)
        if not form.is_valid():
            return self._render(obj, found, form, status=400)
        try:
            transition_perform(
                obj=obj,
                name=found.name,
                by=request.user,
                message=form.message_text(),
                expected_state=form.cleaned_data["expected_state"] or None,
                changes=form.changes(),
            )
        except ConcurrentChange as refusal:
            messages.error(request, refusal.messages[0])
            return redirect(self.get_success_url(obj))
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.messages[0]) from refusal
        except RequirementsMissing as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return self._render(obj, found, form, status=400)
        messages.success(request, self.success_message(obj, found))
        return redirect(self.get_success_url(obj))
