"""Who may see and touch an idea. Role predicates come from accounts.rules."""

import rules

from ideasluss.accounts.roles import Role
from ideasluss.accounts.rules import (
    is_coach,
    is_committee_chair,
    is_committee_member,
    is_staff_member,
)

from .models import IdeaState


@rules.predicate
def is_idea_owner(user, idea) -> bool:
    return idea is not None and user.is_authenticated and idea.owner_id == user.pk


@rules.predicate
def is_idea_member(user, idea) -> bool:
    """Owner or co-owner: co-owners have the owner's rights on that idea."""
    return idea is not None and idea.is_member(user)


def in_state(*states: IdeaState):
    @rules.predicate(name=f"in_state({', '.join(states)})")
    def predicate(user, idea) -> bool:
        return idea is not None and idea.state in states

    return predicate


is_draft = in_state(IdeaState.DRAFT)


@rules.predicate
def is_final(user, idea) -> bool:
    return idea is not None and idea.is_final


# A draft is the team's own until it is submitted: nobody else sees it, coaches included.
can_view_idea = is_staff_member & (~is_draft | is_idea_member)
# Screening and scaling are the innovation team's, never on an idea a coach is on.
is_screening_coach = is_coach & ~is_idea_member

rules.add_perm("ideas.add_idea", is_staff_member)
rules.add_perm("ideas.view_idea", can_view_idea)
rules.add_perm("ideas.change_idea", is_idea_member & is_draft)
rules.add_perm("ideas.manage_team", is_idea_member & ~is_final)
rules.add_perm("ideas.champion_idea", can_view_idea & ~is_draft & ~is_idea_member)
rules.add_perm("ideas.comment_idea", can_view_idea & ~is_draft)
rules.add_perm("ideas.moderate_comments", is_coach)
rules.add_perm("ideas.see_hidden_comments", is_coach)
rules.add_perm("ideas.add_attachment", (is_idea_member | is_coach) & ~is_final)
rules.add_perm(
    "ideas.edit_test_plan",
    (is_idea_member | is_coach) & in_state(IdeaState.PLANNING, IdeaState.TESTING),
)
rules.add_perm(
    "ideas.edit_evaluation", is_idea_member & in_state(IdeaState.TESTING, IdeaState.TESTED)
)
rules.add_perm("ideas.give_consent", is_idea_member)
rules.add_perm("ideas.coach_inbox", is_coach)
# Flow figures (docs/flow-figures.md): the innovation team and the fund committee follow
# how short the decision paths are; aggregates only, no idea is shown.
rules.add_perm("ideas.view_flow", is_coach | is_committee_member)

# --- the steps of an idea's life (workflows/ideas/lifecycle.py) ----------------------------

rules.add_perm("ideas.submit_idea", is_idea_member)
rules.add_perm("ideas.return_to_owner_idea", is_screening_coach)
rules.add_perm("ideas.accept_idea", is_screening_coach)
rules.add_perm("ideas.decline_idea", is_screening_coach)
rules.add_perm("ideas.start_test_idea", is_idea_member | is_coach)
rules.add_perm("ideas.report_idea", is_idea_member)
rules.add_perm("ideas.iterate_idea", is_idea_member | is_coach)
rules.add_perm("ideas.scale_idea", is_screening_coach)
rules.add_perm("ideas.stop_and_learn_idea", is_idea_member | is_coach)
rules.add_perm("ideas.withdraw_idea", is_idea_owner)


# --- the best mistake of the year -------------------------------------------------------

is_mistake_jury = is_committee_member | is_coach
#: The roles of the jury, for reads that list its members (`selectors.jurors`).
JURY_ROLES = (Role.COMMITTEE_MEMBER, Role.COMMITTEE_CHAIR, Role.COACH)


@rules.predicate
def is_jury_chair(user) -> bool:
    """The jury's chair is the fund committee's chair: whoever has the committee-chair role.

    Nothing to set up per year: the jury is the committee and the coaches, so the one
    who chairs the committee chairs the jury. The chair declares the result the votes
    give and withdraws a win; a tie is broken by the vote of the chair who declares.
    """
    return is_committee_chair.test(user)


@rules.predicate
def is_without_object(user, obj) -> bool:
    return obj is None


@rules.predicate
def is_nominator(user, nomination) -> bool:
    return nomination is not None and nomination.nominated_by_id == user.pk


# Any employee nominates, free text or from a learned idea they may see.
rules.add_perm(
    "ideas.nominate_mistake",
    is_staff_member & (is_without_object | (can_view_idea & in_state(IdeaState.LEARNED))),
)
rules.add_perm("ideas.judge_mistakes", is_mistake_jury)
# Each juror casts one vote a year; the chair declares the result (and may withdraw it).
rules.add_perm("ideas.vote_mistake", is_mistake_jury)
rules.add_perm("ideas.decide_best_mistake", is_jury_chair)
# Before the result is public, a nomination is seen by its nominator and the jury only.
rules.add_perm("ideas.view_nomination", is_staff_member & (is_nominator | is_mistake_jury))
