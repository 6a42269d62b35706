"""Who may see and do what in the innovation fund. Role predicates come from accounts.rules.

Objects are applications unless the name says otherwise. A member with a
declared conflict of interest (jäv) on an application is recused: they see
neither scores nor the decision process and cannot score or decide.
"""

import rules

from ideasluss.accounts.rules import (
    is_coach,
    is_committee_chair,
    is_committee_member,
    is_fund_reviewer,
    is_staff_member,
)

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


@rules.predicate
def has_declared(user, application) -> bool:
    return (
        application is not None
        and ConflictDeclaration.objects.filter(application=application, member=user).exists()
    )


@rules.predicate
def is_recused(user, application) -> bool:
    return (
        application is not None
        and ConflictDeclaration.objects.filter(
            application=application, member=user, has_conflict=True
        ).exists()
    )


@rules.predicate
def has_reviewed(user, application) -> bool:
    return (
        application is not None
        and Review.objects.filter(application=application, member=user).exists()
    )


under_review = application_in(S.SUBMITTED, S.IN_REVIEW)
is_editable = application_in(S.DRAFT, S.RETURNED)

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
rules.add_perm("fund.record_meeting_decision", is_committee_chair & ~is_recused & ~is_applicant)
rules.add_perm("fund.manage_meetings", is_committee_chair)
rules.add_perm("fund.record_cost", is_coach | is_applicant)
rules.add_perm("fund.return_money", is_coach)
rules.add_perm("fund.view_register", is_staff_member)
rules.add_perm("fund.take_up_application", (is_coach | is_committee_chair) & under_review)
rules.add_perm(
    "fund.withdraw_application",
    is_applicant & application_in(S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED),
)
