"""Every form class of the project, found by walking its form modules, and how to build
each one in a test (some need the meeting, the criteria or the years they are about)."""

import importlib
import inspect
import pkgutil

from django import forms
from django.utils import timezone

import cms
import ideasluss
import workflows

#: Forms the property tests do not drive, and why.
NOT_DRIVEN = {
    # Django's authentication forms; sign-in is hardened by another part of issue 12.
    "ideasluss.accounts.forms.LoginForm": "Django's sign-in form (rate limits, lockout)",
    "ideasluss.accounts.forms.PasswordChangeWithHelpForm": "Django's password change",
    # Wagtail admin screens for administrators, built by Wagtail's viewsets with their
    # formsets; the fund's invariants live in `Fund.clean()` (tests/fund/test_admin.py).
    "ideasluss.fund.admin_forms.FundAdminForm": "Wagtail admin (administrators only)",
    "ideasluss.accounts.admin_forms.UnitAdminForm": "Wagtail admin (administrators only)",
    "ideasluss.accounts.admin_forms.UserCreationForm": "Wagtail admin (administrators only)",
    "ideasluss.accounts.admin_forms.UserEditForm": "Wagtail admin (administrators only)",
}

#: Forms driven for "never a 500" whose fields are not yet under the policy, and why.
POLICY_PENDING: dict[str, str] = {}


def form_modules():
    """`forms.py`, `forms/*.py`, `admin_forms.py` and `attachments.py` (which holds a form) of
    every package, plus the transition page, whose form every lifecycle step uses."""
    names = {"workflows.transition_views", "ideasluss.ideas.attachments"}
    for package in (ideasluss, workflows, cms):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            last = info.name.rsplit(".", 1)[-1]
            if last in {"forms", "admin_forms"} or ".forms." in info.name:
                names.add(info.name)
    return sorted(names)


def discovered_forms() -> dict[str, type]:
    """Every form class defined in the project's form modules, by dotted path."""
    found = {}
    for name in form_modules():
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
                and not value.__name__.startswith("_")
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def driven_forms() -> list[str]:
    return sorted(path for path in discovered_forms() if path not in NOT_DRIVEN)


def build(path: str, world, data):
    """The form at `path`, bound to `data`, with what it needs from `world`."""
    from workflows.fund.forms import applications, decisions, meetings, reviews
    from workflows.ideas import forms as idea_forms
    from workflows.transition_views import TransitionForm
    from workflows.transitions import transition_from

    cls = discovered_forms()[path]
    special = {
        idea_forms.EvaluationForm: lambda: cls(data, criteria=world.criteria_texts),
        idea_forms.NominationForm: lambda: cls(data, years=[timezone.localdate().year]),
        applications.ApplicationForm: lambda: cls(data, funds=world.funds),
        meetings.MeetingEditForm: lambda: cls(data, meeting=world.meeting),
        meetings.AgendaItemForm: lambda: cls(data, meeting=world.meeting),
        meetings.MinuteCheckersForm: lambda: cls(data, meeting=world.meeting),
        meetings.StandInForm: lambda: cls(data, item=world.agenda_item),
        reviews.ReviewForm: lambda: cls(data, criteria=world.criteria),
        decisions.SupersedeForm: lambda: cls(data, decision=world.decision, user=world.coach),
        TransitionForm: lambda: cls(
            data,
            transition=transition_from(world.testing_idea, "stop_and_learn"),
            obj=world.testing_idea,
        ),
    }
    if cls in special:
        return special[cls]()
    # Any other form is built with its data alone: a new form that needs more fails the
    # property test until it is added above.
    return cls(data)
