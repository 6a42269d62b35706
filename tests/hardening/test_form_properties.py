"""Hypothesis over every form of the project (found by walking the form modules, so a
new form is covered without being listed): arbitrary text, huge strings, control
characters, wrong types, extreme numbers and dates. `is_valid()` never raises, and what a
valid form cleans respects the input policy (ideasluss/input_policy.py)."""

import datetime
import unicodedata
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from taggit.forms import TagField

from ideasluss.accounts.roles import Role
from ideasluss.fund.models import DecisionKind, Fund
from ideasluss.fund.services import meeting_create
from ideasluss.input_policy import (
    EARLIEST_DATE,
    LATEST_DATE,
    DecimalNumberField,
    IdChoiceField,
    IdMultipleChoiceField,
    MultiLineField,
    PolicyDateField,
    SingleLineField,
    WholeNumberField,
    forbidden_characters,
)
from tests.factories import (
    ApplicationFactory,
    FundFactory,
    IdeaFactory,
    TestPlanFactory,
    UserFactory,
)
from workflows.fund.services import decision_record, meeting_update

from .forms_under_test import (
    NOT_DRIVEN,
    POLICY_PENDING,
    build,
    discovered_forms,
    driven_forms,
)
from .strategies import hostile_value, hostile_values

pytestmark = pytest.mark.django_db

#: Form fields that are fine as Django gives them: choices among fixed values, check
#: boxes, files (judged by content elsewhere).
FIXED_VALUE_FIELDS = (forms.ChoiceField, forms.BooleanField, forms.FileField)
POLICY_FIELDS = (
    SingleLineField,
    MultiLineField,
    WholeNumberField,
    DecimalNumberField,
    PolicyDateField,
    IdChoiceField,
    IdMultipleChoiceField,
    TagField,  # taggit's parser; every tag is cleaned as a single line (IdeaForm.clean_tags)
)


@pytest.fixture
def world(db):
    """What the forms that are about something are built with."""
    chair = UserFactory(roles=[Role.STAFF, Role.COMMITTEE_CHAIR])
    member = UserFactory(roles=[Role.STAFF, Role.COMMITTEE_MEMBER])
    coach = UserFactory(roles=[Role.STAFF, Role.COACH])
    fund = FundFactory(capital=100_000, committee=[chair, member])
    application = ApplicationFactory(fund=fund, total=20_000)
    decided = ApplicationFactory(fund=fund, total=5_000)
    decision = decision_record(
        application=decided, by=coach, kind=DecisionKind.APPROVE, rationale="Bra."
    )
    meeting = meeting_create(fund=fund, by=chair, date=timezone.localdate())
    meeting_update(meeting=meeting, by=chair, attendees=[chair, member], agenda=[application])
    testing_idea = IdeaFactory(state="testing")
    plan = TestPlanFactory(idea=testing_idea)
    return SimpleNamespace(
        chair=chair,
        coach=coach,
        fund=fund,
        funds=Fund.objects.all(),
        application=application,
        decision=decision,
        meeting=meeting,
        agenda_item=meeting.items.get(),
        criteria=list(fund.criteria.all()),
        criteria_texts=plan.success_criteria,
        testing_idea=testing_idea,
    )


def test_every_form_of_the_project_is_driven_or_excluded_with_a_reason():
    found = set(discovered_forms())
    assert len(found) >= 30, "the walk over the form modules found too few forms"
    assert set(NOT_DRIVEN) <= found, "an excluded form no longer exists: remove it"
    assert set(POLICY_PENDING) <= found
    assert set(driven_forms()) == found - set(NOT_DRIVEN)


@pytest.mark.parametrize("path", driven_forms())
def test_every_field_of_every_form_follows_the_policy(world, path):
    """Text, numbers, dates and ids go through the policy's fields; numbers are bounded."""
    if path in POLICY_PENDING:
        pytest.xfail(POLICY_PENDING[path])
    form = build(path, world, None)
    for name, field in form.fields.items():
        assert isinstance(field, POLICY_FIELDS + FIXED_VALUE_FIELDS), (
            f"{path}.{name} is a {type(field).__name__}: use a field of ideasluss.input_policy"
        )
        if isinstance(field, forms.ModelChoiceField):
            assert isinstance(field, IdChoiceField | IdMultipleChoiceField), f"{path}.{name}"
        if isinstance(field, forms.CharField) and not isinstance(field, TagField):
            assert isinstance(field, SingleLineField | MultiLineField), f"{path}.{name}"
            assert field.max_length, f"{path}.{name} has no maximum length"
        if isinstance(field, forms.IntegerField | forms.DecimalField):
            assert field.max_value is not None and field.min_value is not None, f"{path}.{name}"
        if isinstance(field, forms.DateField):
            assert isinstance(field, PolicyDateField), f"{path}.{name}"


def assert_respects_the_policy(path, form):
    for name, value in form.cleaned_data.items():
        field = form.fields.get(name)
        if field is None:
            continue
        where = f"{path}.{name}={value!r:.80}"
        if isinstance(field, SingleLineField | MultiLineField) and isinstance(value, str):
            multi_line = isinstance(field, MultiLineField)
            assert not forbidden_characters(value, multi_line=multi_line), where
            assert value == unicodedata.normalize("NFC", value), where
            assert value == value.strip(), where
            assert len(value) <= field.max_length, where
        if isinstance(field, TagField):
            for tag in value:
                assert not forbidden_characters(tag, multi_line=False), where
                assert len(tag) <= 100, where
        bounded = getattr(field, "max_value", None) is not None
        if isinstance(value, int | Decimal) and not isinstance(value, bool) and bounded:
            assert field.min_value <= value <= field.max_value, where
        if isinstance(value, datetime.date):
            assert EARLIEST_DATE <= value <= LATEST_DATE, where


@pytest.mark.parametrize("path", driven_forms())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_input_makes_a_form_fail_and_valid_data_respects_the_policy(world, path, data):
    names = list(build(path, world, None).fields)
    # Sometimes a field is left out, sometimes an unknown one is added.
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True) if names else st.just([]))
    posted = MultiValueDict({name: data.draw(hostile_values(), label=name) for name in chosen})
    if data.draw(st.booleans(), label="extra field"):
        posted.setlist("unexpected", [data.draw(hostile_value())])
    form = build(path, world, posted)
    if form.is_valid():
        assert_respects_the_policy(path, form)
    elif form.is_bound:  # the flow page's form treats no input as no filter
        assert form.errors


@pytest.mark.parametrize(
    "path",
    ["workflows.ideas.forms.IdeaForm", "workflows.fund.forms.applications.BudgetLineForm"],
)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_plausible_input_with_hostile_parts_is_valid_only_under_the_policy(world, path, data):
    """Mostly valid input with one hostile field, so the valid branch is exercised too."""
    valid = {
        "workflows.ideas.forms.IdeaForm": {"title": "Läxhjälp", "problem": "Långa köer."},
        "workflows.fund.forms.applications.BudgetLineForm": {
            "category": "materials",
            "description": "Lås",
            "amount": "1200",
        },
    }[path]
    name = data.draw(st.sampled_from(sorted(valid)))
    posted = MultiValueDict({key: [value] for key, value in valid.items()})
    posted.setlist(name, [data.draw(hostile_value(), label=name)])
    form = build(path, world, posted)
    if form.is_valid():
        assert_respects_the_policy(path, form)
