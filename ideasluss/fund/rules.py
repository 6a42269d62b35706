"""Who may see and do what in the innovation fund. Role predicates come from accounts.rules.

Objects are applications unless the name says otherwise. A member with a
declared conflict of interest (jäv) on an application is recused: they see
neither scores nor the decision process and cannot score or decide.
"""

import rules

from ideasluss.accounts.rules import (
    administered_by_administrators,
    is_coach,
    is_committee_chair,
    is_committee_member,
    is_fund_reviewer,
    is_staff_member,
)
from ideasluss.ideas.models import IdeaState
from ideasluss.ideas.rules import in_state as idea_in_state
from ideasluss.ideas.rules import is_idea_member

from .models import ApplicationState, ConflictDeclaration, Review

S = ApplicationState


@rules.predicate
def is_applicant(user, application) -> bool:
    """The applicant or anyone on the idea's team."""
    return application is not None and (
        application.applicant_id == user.pk or application.idea.is_member(user)
    )


def application_in(*states):
    @rules.predicate(name=f"application_in({', '.join(states)})")
    def predicate(user, application) -> bool:
        return application is not None and application.state in states

    return predicate


def _prefetched(application, relation: str):
    """The application's prefetched `relation` rows, or None when not prefetched.

    Pages that check these predicates for many applications prefetch
    `declarations` and `reviews` so the checks run no query per row.
    """
    return getattr(application, "_prefetched_objects_cache", {}).get(relation)


@rules.predicate
def has_declared(user, application) -> bool:
    if application is None:
        return False
    declarations = _prefetched(application, "declarations")
    if declarations is not None:
        return any(d.member_id == user.pk for d in declarations)
    return ConflictDeclaration.objects.filter(application=application, member=user).exists()


@rules.predicate
def is_recused(user, application) -> bool:
    if application is None:
        return False
    declarations = _prefetched(application, "declarations")
    if declarations is not None:
        return any(d.member_id == user.pk and d.has_conflict for d in declarations)
    return ConflictDeclaration.objects.filter(
        application=application, member=user, has_conflict=True
    ).exists()


@rules.predicate
def has_reviewed(user, application) -> bool:
    if application is None:
        return False
    reviews = _prefetched(application, "reviews")
    if reviews is not None:
        return any(r.member_id == user.pk for r in reviews)
    return Review.objects.filter(application=application, member=user).exists()


under_review = application_in(S.SUBMITTED, S.IN_REVIEW)
is_editable = application_in(S.DRAFT, S.RETURNED)

administered_by_administrators("fund", "fund")

rules.add_perm("fund.access_fund", is_fund_reviewer)
rules.add_perm("fund.apply", is_staff_member)
rules.add_perm("fund.view_application", is_fund_reviewer | is_applicant)
rules.add_perm("fund.change_application", is_applicant & is_editable)
rules.add_perm("fund.declare_conflict", is_committee_member & under_review & ~has_declared)
rules.add_perm(
    "fund.review_application",
    is_committee_member & under_review & has_declared & ~is_recused & ~is_applicant,
)
# The spread of scores is shown to a member once they have scored themselves,
# and to coaches, who prepare but do not score; never to a recused member.
rules.add_perm(
    "fund.see_scores",
    (is_committee_member & has_reviewed & ~is_recused) | (is_coach & ~is_committee_member),
)
rules.add_perm("fund.decide_delegated", is_coach & ~is_applicant & under_review)
rules.add_perm("fund.manage_meetings", is_committee_chair)
rules.add_perm("fund.record_cost", is_coach | is_applicant)
rules.add_perm("fund.return_money", is_coach)
rules.add_perm("fund.view_register", is_staff_member)
rules.add_perm("fund.take_up_application", (is_coach | is_committee_chair) & under_review)
rules.add_perm(
    "fund.withdraw_application",
    is_applicant & application_in(S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED),
)

# --- applying (objects are ideas) ---------------------------------------------------------

# The idea's owner and co-owners apply for money while the idea is planned or tested.
rules.add_perm(
    "fund.apply_for_idea",
    is_staff_member & is_idea_member & idea_in_state(IdeaState.PLANNING, IdeaState.TESTING),
)


# --- decisions (objects are decisions) ----------------------------------------------------


@rules.predicate
def decision_in_force(user, decision) -> bool:
    """No later decision has superseded it (only the decision in force can be corrected)."""
    return decision is not None and not hasattr(decision, "superseded_by")


@rules.predicate
def decided_under_delegation(user, decision) -> bool:
    return decision is not None and decision.delegated


@rules.predicate
def is_decision_applicant(user, decision) -> bool:
    return decision is not None and is_applicant(user, decision.application)


# A correction is decided the way the decision was: a coach corrects a delegated
# decision, the chair (at an open meeting) any decision. The service still checks
# the meeting, recusal and the delegated limit.
rules.add_perm(
    "fund.supersede_decision",
    decision_in_force
    & ~is_decision_applicant
    & ((is_coach & decided_under_delegation) | is_committee_chair),
)


# --- who records a decision at a meeting ---------------------------------------------


def may_record_at_meeting(user, meeting, application) -> bool:
    """The meeting's chair records its decisions; when the chair is recused on an
    application, an attending committee member who is not recused stands in for that
    item. Nobody on the idea's team or with a conflict records a decision on it."""
    if not user.is_authenticated or not is_committee_member(user):
        return False
    if is_recused(user, application) or is_applicant(user, application):
        return False
    if meeting.chair_id == user.pk:
        return True
    attending = _prefetched(meeting, "attendees")
    if attending is not None:
        attends = any(attendee.pk == user.pk for attendee in attending)
    else:
        attends = meeting.attendees.filter(pk=user.pk).exists()
    return attends and is_recused(meeting.chair, application)
