"""What a person may do with an idea right now, for the idea page."""

from dataclasses import dataclass, field

from ideasluss.ideas.models import Idea

from .guards import Guard
from .idea_lifecycle import IdeaLifecycle


@dataclass(frozen=True)
class IdeaAction:
    name: str
    label: str
    target: str
    message_required: bool
    missing: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing


def transition_names() -> list[str]:
    """Every transition of the idea's life, in declaration order."""
    state_field = IdeaLifecycle._meta.get_field("state")
    return list(dict.fromkeys(t.name for t in state_field.get_all_transitions(IdeaLifecycle)))


def transition_from(name: str, state: str):
    method = getattr(IdeaLifecycle, name, None)
    meta = getattr(method, "_django_fsm", None)
    return meta.get_transition(state) if meta else None


def missing_requirements(idea: Idea, found) -> list[str]:
    """What the transition's guards say is still missing (empty when ready)."""
    return [
        message
        for condition in found.conditions
        if isinstance(condition, Guard)
        for message in condition.missing(idea)
    ]


def idea_actions(*, idea: Idea, user) -> list[IdeaAction]:
    """The steps `user` may take from the idea's current state, each with what is missing."""
    actions = []
    for name in transition_names():
        found = transition_from(name, idea.state)
        if found is None or not found.has_perm(idea, user):
            continue
        actions.append(
            IdeaAction(
                name=name,
                label=str(found.custom.get("label", name)),
                target=str(found.target),
                message_required=bool(found.custom.get("message_required")),
                missing=missing_requirements(idea, found),
            )
        )
    return actions
