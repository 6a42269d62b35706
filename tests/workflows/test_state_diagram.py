"""The lifecycles' diagrams in docs/ are generated from the code and must match it."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from ideasluss.ideas.models import IdeaState
from workflows.ideas.lifecycle import IdeaLifecycle
from workflows.management.commands.state_diagrams import DEFAULT_OUTPUT, LIFECYCLES, render
from workflows.transitions import step_names


def declared_transitions():
    field = IdeaLifecycle._meta.get_field("state")
    return list(field.get_all_transitions(IdeaLifecycle))


def test_docs_diagram_is_up_to_date_with_the_code():
    """Fails when a transition changes without `python manage.py state_diagrams`."""
    call_command("state_diagrams", check=True, verbosity=0)


def test_diagram_has_every_state_and_every_transition():
    document = render()
    diagram = document.split("```mermaid", 1)[1].split("```", 1)[0]
    assert "stateDiagram-v2" in diagram
    with translation.override(None):  # the docs use the untranslated labels
        for state in IdeaState:
            assert f'state "{state.label}" as {state.value}' in diagram
    assert "[*] --> draft" in diagram
    for transition in declared_transitions():
        assert f"{transition.source} --> {transition.target}: {transition.name}" in diagram
    for final in ("scaled", "learned", "declined", "withdrawn"):
        assert f"{final} --> [*]" in diagram


def test_table_names_who_may_the_guard_and_the_message():
    rows = {
        line.split("|")[1].strip(" `"): line
        for line in render().splitlines()
        if line.startswith("| `")
    }
    assert set(step_names(IdeaLifecycle)) <= set(rows)
    assert "`is_idea_member \\| is_coach`" in rows["start_test"]
    assert "Problem, target group and idea are filled in." in rows["submit"]
    assert "A complete test plan, and the money question settled." in rows["start_test"]
    assert rows["decline"].rstrip(" |").endswith("yes")
    assert rows["accept"].rstrip(" |").endswith("no")
    assert "`draft`, `submitted`, `planning`, `testing`, `tested`" in rows["withdraw"]


def test_check_fails_on_a_stale_file_and_writing_fixes_it(tmp_path):
    output = tmp_path / "idea-states.md"
    output.write_text("# hand-drawn\n", encoding="utf-8")
    with pytest.raises(CommandError, match="does not match"):
        call_command(
            "state_diagrams", check=True, lifecycle="idea", output=str(output), verbosity=0
        )
    call_command("state_diagrams", lifecycle="idea", output=str(output), verbosity=0)
    call_command("state_diagrams", check=True, lifecycle="idea", output=str(output), verbosity=0)
    assert output.read_text(encoding="utf-8") == render()


def test_default_output_is_in_docs():
    assert DEFAULT_OUTPUT.as_posix() == "docs/idea-states.md"


def test_the_application_diagram_has_every_state_and_transition():
    from ideasluss.fund.models import ApplicationState

    document = render(LIFECYCLES["application"])
    with translation.override(None):
        for state in ApplicationState:
            assert f'state "{state.label}" as {state.value}' in document
    for name in ["submit", "take_up", "decide", "return_for_changes", "withdraw"]:
        assert f"`{name}`" in document
    assert "decision_record" in document


@pytest.mark.parametrize("key", ["meeting", "nomination"])
def test_every_lifecycle_has_a_generated_diagram(key):
    spec = LIFECYCLES[key]
    document = render(spec)
    with translation.override(None):
        for value, label in spec.model._meta.get_field("state").choices:
            assert f'state "{label}" as {value}' in document
    for name in step_names(spec.model):
        assert f": {name}" in document
