"""Who may move an idea: one permission per transition, built from named predicates."""

import rules

from ideasluss.accounts.rules import is_coach
from ideasluss.ideas.rules import is_idea_member, is_idea_owner

IDEA_TRANSITION_PERMISSIONS = {
    "submit": is_idea_member,
    "return_to_owner": is_coach,
    "accept": is_coach,
    "decline": is_coach,
    "start_test": is_idea_member | is_coach,
    "report": is_idea_member,
    "iterate": is_idea_member | is_coach,
    "scale": is_coach,
    "stop_and_learn": is_idea_member | is_coach,
    "withdraw": is_idea_owner,
}

for transition_name, predicate in IDEA_TRANSITION_PERMISSIONS.items():
    rules.add_perm(f"workflows.{transition_name}_idea", predicate)


def may(transition_name: str):
    """A django-fsm `permission` callable that asks the rules above."""

    def permission(idea, user) -> bool:
        return user.has_perm(f"workflows.{transition_name}_idea", idea)

    permission.__name__ = f"may_{transition_name}"
    return permission
