"""Write the state diagrams of the four lifecycles to docs/: each as a Mermaid state
diagram and tables.

Everything comes from the code: the steps declared on the django-fsm-2 proxies
(`workflows/<area>/lifecycle.py`), who may take them (the rules permission each step
names, spelled out in its predicates) and the guards' docstrings (`workflows.guards`).
`--check` fails when a file is out of date, so changing a lifecycle without
regenerating the docs fails the test suite.
"""

import difflib
import importlib
from dataclasses import dataclass
from pathlib import Path

import rules
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from workflows.fund.lifecycle import ApplicationLifecycle, MeetingLifecycle
from workflows.ideas.lifecycle import IdeaLifecycle, NominationLifecycle

COMMAND = "python manage.py state_diagrams"
# Modules whose named predicates are used to spell out "who may".
PREDICATE_MODULES = (
    "ideasluss.accounts.rules",
    "ideasluss.ideas.rules",
    "ideasluss.fund.rules",
)
#: internal step -> the service that takes it, in words
INTERNAL_STEPS = {
    "decide": "decision_record: a coach under the delegated limit, "
    "or the chair (or a stand-in) at an open meeting",
    "return_for_changes": "decision_record (a decision of kind “return”)",
    "declare_winner": "winner_declare: the jury's chair (is_jury_chair), from the jury's votes",
}


@dataclass(frozen=True)
class Lifecycle:
    key: str
    title: str
    model: type
    source: str
    output: Path
    permissions_from: str


def _lifecycle(key: str, title: str, model: type, permissions_from: str) -> Lifecycle:
    source = model.__module__.replace(".", "/") + ".py"
    output = Path("docs") / f"{key}-states.md"
    return Lifecycle(key, title, model, source, output, f"`{permissions_from}`")


LIFECYCLES = {
    spec.key: spec
    for spec in (
        _lifecycle("idea", "The life of an idea", IdeaLifecycle, "ideasluss/ideas/rules.py"),
        _lifecycle(
            "application",
            "The life of an application to the innovation fund",
            ApplicationLifecycle,
            "ideasluss/fund/rules.py",
        ),
        _lifecycle(
            "meeting",
            "The life of a fund committee meeting",
            MeetingLifecycle,
            "ideasluss/fund/rules.py",
        ),
        _lifecycle(
            "nomination",
            "The life of a nomination for the best mistake of the year",
            NominationLifecycle,
            "ideasluss/ideas/rules.py",
        ),
    )
}
DEFAULT_OUTPUT = LIFECYCLES["idea"].output


def _states(model) -> list[tuple[str, str]]:
    """(value, label) of every state, in the order the field declares them."""
    state_field = model._meta.get_field("state")
    return [(str(value), str(label)) for value, label in state_field.choices]


def _final_states(states, transitions) -> list[str]:
    sources = {source for transition in transitions for source in transition["sources"]}
    return [value for value, _label in states if value not in sources]


def _sources(source, states) -> list[str]:
    """django-fsm sources: one state, a list, "*" (any) or "+" (any other)."""
    if source in ("*", "+"):
        return [value for value, _label in states]
    if isinstance(source, list | tuple | set | frozenset):
        return [str(value) for value in source]
    return [str(source)]


def _transitions(model, states) -> list[dict]:
    """The declared transitions, one per name, in the order they are declared."""
    state_field = model._meta.get_field("state")
    order = {name: index for index, name in enumerate(vars(model))}
    state_order = {value: index for index, (value, _label) in enumerate(states)}
    by_name: dict[str, dict] = {}
    for transition in state_field.get_all_transitions(model):
        entry = by_name.setdefault(
            transition.name,
            {
                "name": transition.name,
                "label": str(transition.custom.get("label", transition.name)),
                "sources": [],
                "target": str(transition.target),
                "conditions": list(transition.conditions),
                "message_required": bool(transition.custom.get("message_required")),
                "permission": getattr(transition.permission, "__name__", None),
            },
        )
        for source in _sources(transition.source, states):
            if source not in entry["sources"]:
                entry["sources"].append(source)
    for entry in by_name.values():
        entry["sources"].sort(key=lambda value: state_order.get(value, len(state_order)))
    return sorted(by_name.values(), key=lambda entry: order.get(entry["name"], len(order)))


def _predicate_names() -> dict[str, str]:
    """Map the expression of every named module-level predicate to its variable name."""
    names: dict[str, str] = {}
    for module_name in PREDICATE_MODULES:
        module = importlib.import_module(module_name)
        for variable, value in vars(module).items():
            if isinstance(value, rules.Predicate) and not variable.startswith("_"):
                names.setdefault(value.name, variable)
    return names


def _who_may(predicate, names: dict[str, str]) -> str:
    """A rules predicate in the names the code uses, e.g. `is_idea_member | is_coach`."""
    if predicate is None:
        return "anyone"
    text = predicate.name
    for expression in sorted(names, key=len, reverse=True):
        if expression != names[expression] and len(expression) > 1:
            text = text.replace(expression, names[expression])
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return text


def _guard_text(condition) -> str:
    doc = (getattr(condition, "__doc__", None) or "").strip().splitlines()
    name = getattr(condition, "__name__", repr(condition))
    return f"`{name}`: {doc[0].strip()}" if doc else f"`{name}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(lifecycle: Lifecycle = LIFECYCLES["idea"]) -> str:
    """The Markdown document, generated from the code (texts are the untranslated msgids)."""
    model = lifecycle.model
    with translation.override(None):
        states = _states(model)
        transitions = _transitions(model, states)
        final = _final_states(states, transitions)
        initial = str(model._meta.get_field("state").get_default())
        names = _predicate_names()
        labels = dict(states)
        module = model.__module__

        lines = [
            f"<!-- Generated from {lifecycle.source} by "
            f"`{COMMAND}`. Do not edit by hand: change the code and run the command. -->",
            "",
            f"# {lifecycle.title}",
            "",
            "Generated from the transitions declared on "
            f"`{module}.{model.__name__}` (django-fsm-2), the permissions in "
            f"{lifecycle.permissions_from} and the guards in `workflows/guards.py`. "
            f"Regenerate with `{COMMAND}`; `{COMMAND} --check` (run by the test suite) "
            "fails when this file is out of date.",
            "",
            "```mermaid",
            "stateDiagram-v2",
        ]
        for value, label in states:
            lines.append(f'    state "{label}" as {value}')
        lines.append(f"    [*] --> {initial}")
        for transition in transitions:
            for source in transition["sources"]:
                lines.append(f"    {source} --> {transition['target']}: {transition['name']}")
        for value in final:
            lines.append(f"    {value} --> [*]")
        if final:
            lines.append("    classDef final font-weight:bold,stroke-width:3px")
            lines.append(f"    class {','.join(final)} final")
        lines += [
            "```",
            "",
            "## States",
            "",
            "| state | label | final |",
            "|---|---|---|",
        ]
        for value, label in states:
            flags = "yes" if value in final else ""
            if value == initial:
                flags = "initial"
            lines.append(f"| `{value}` | {_cell(label)} | {flags} |")
        lines += [
            "",
            "## Transitions",
            "",
            "| transition | label | from | to | who may | guard | message required |",
            "|---|---|---|---|---|---|---|",
        ]
        for transition in transitions:
            sources = ", ".join(f"`{source}`" for source in transition["sources"])
            if transition["permission"] is None:
                who = INTERNAL_STEPS.get(transition["name"], "its service only")
            else:
                who = _who_may(rules.permissions.permissions[transition["permission"]], names)
            guards = "<br>".join(_cell(_guard_text(c)) for c in transition["conditions"]) or "–"
            lines.append(
                f"| `{transition['name']}` | {_cell(transition['label'])} | {sources} "
                f"| `{transition['target']}` | `{_cell(who)}` | {guards} "
                f"| {'yes' if transition['message_required'] else 'no'} |"
            )
        lines += [
            "",
            "Final states (no transition leaves them): "
            + ", ".join(f"`{value}` ({labels[value]})" for value in final)
            + ".",
            "",
        ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Write the lifecycles' state diagrams (docs/*-states.md), generated from the "
        "code; --check fails if a file is out of date."
    )
    requires_system_checks = []  # reads only the declared workflows; needs no database or URLs

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="do not write; exit non-zero if a file differs from what the code generates",
        )
        parser.add_argument(
            "--lifecycle",
            choices=sorted(LIFECYCLES),
            default=None,
            help="only this lifecycle (default: all)",
        )
        parser.add_argument(
            "--output",
            default=None,
            metavar="PATH",
            help="where to write (with --lifecycle; default: its file in docs/)",
        )

    def handle(self, *args, check: bool, lifecycle: str | None, output: str | None, **options):
        if output and not lifecycle:
            raise CommandError("--output needs --lifecycle.")
        chosen = [LIFECYCLES[lifecycle]] if lifecycle else list(LIFECYCLES.values())
        for spec in chosen:
            path = Path(output) if output else Path(settings.BASE_DIR) / spec.output
            self.write_or_check(spec, path, check)

    def write_or_check(self, spec: Lifecycle, path: Path, check: bool) -> None:
        generated = render(spec)
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != generated:
                diff = "".join(
                    difflib.unified_diff(
                        current.splitlines(keepends=True),
                        generated.splitlines(keepends=True),
                        fromfile=f"{path} (on disk)",
                        tofile=f"{path} (generated from the code)",
                    )
                )
                raise CommandError(
                    f"{path} does not match the {spec.key}'s life declared in the code. "
                    f"Run `{COMMAND}` and commit the result.\n{diff}"
                )
            self.stdout.write(self.style.SUCCESS(f"{path} is up to date."))
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generated, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}."))
