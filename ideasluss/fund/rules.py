"""Who may see and do what in the innovation fund. Role predicates come from accounts.rules.

Objects are applications unless the name says otherwise. Conflict of interest (jäv)
follows kommunallagen (see `participation`): whoever the application concerns — the
applicant, the idea's owner and co-owners — is disqualified without being asked; other
committee members of the fund declare, and a declared conflict disqualifies them too. A
disqualified member sees no scores, does not score, and takes no part in the decision.
"""

import rules
from django.utils import timezone

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

from .models import (
    ApplicationState,
    ConflictDeclaration,
    MeetingState,
    Review,
)
from .participation import (
    attending,
    concern_of,
    disqualification_of,
    is_on_committee,
    participation_in,
    prefetched,
)

S = ApplicationState


@rules.predicate
def is_applicant(user, application) -> bool:
    """The application concerns them: the applicant or anyone on the idea's team."""
    return concern_of(user, application) is not None


@rules.predicate
def is_on_the_committee(user, application) -> bool:
    """A member of the committee of the application's fund (configured per fund)."""
    return application is not None and is_on_committee(user, application.fund)


#: The role and a seat on this fund's committee: who declares, scores and decides.
is_fund_committee_member = is_committee_member & is_on_the_committee


def application_in(*states):
    @rules.predicate(name=f"application_in({', '.join(states)})")
    def predicate(user, application) -> bool:
        return application is not None and application.state in states

    return predicate


@rules.predicate
def has_declared(user, application) -> bool:
    if application is None:
        return False
    declarations = prefetched(application, "declarations")
    if declarations is not None:
        return any(d.member_id == user.pk for d in declarations)
    return ConflictDeclaration.objects.filter(application=application, member=user).exists()


@rules.predicate
def is_recused(user, application) -> bool:
    if application is None:
        return False
    declarations = prefetched(application, "declarations")
    if declarations is not None:
        return any(d.member_id == user.pk and d.has_conflict for d in declarations)
    return ConflictDeclaration.objects.filter(
        application=application, member=user, has_conflict=True
    ).exists()


@rules.predicate
def has_reviewed(user, application) -> bool:
    if application is None:
        return False
    reviews = prefetched(application, "reviews")
    if reviews is not None:
        return any(r.member_id == user.pk for r in reviews)
    return Review.objects.filter(application=application, member=user).exists()


under_review = application_in(S.SUBMITTED, S.IN_REVIEW)
is_editable = application_in(S.DRAFT, S.RETURNED)

administered_by_administrators("fund", "fund")

rules.add_perm("fund.access_fund", is_fund_reviewer)
rules.add_perm("fund.apply", is_staff_member)
# A draft application is the team's own until it is submitted.
rules.add_perm(
    "fund.view_application", is_applicant | (is_fund_reviewer & ~application_in(S.DRAFT))
)
rules.add_perm("fund.change_application", is_applicant & is_editable)


@rules.predicate
def is_within_delegated_limit(user, application) -> bool:
    """The amount applied for is at or under the fund's delegated limit."""
    return application is not None and application.total <= application.fund.delegated_limit


# Whoever the application concerns is never asked: they are disqualified already.
rules.add_perm(
    "fund.declare_conflict",
    is_fund_committee_member & under_review & ~is_applicant & ~has_declared,
)
# A declaration can be corrected until the application is decided.
rules.add_perm(
    "fund.correct_declaration",
    is_fund_committee_member & under_review & ~is_applicant & has_declared,
)
rules.add_perm(
    "fund.review_application",
    is_fund_committee_member & under_review & has_declared & ~is_recused & ~is_applicant,
)
# The spread of scores is shown to a member once they have scored themselves,
# and to coaches, who prepare but do not score; never to a recused member.
rules.add_perm(
    "fund.see_scores",
    ~is_applicant
    & ~is_recused
    & ((is_fund_committee_member & has_reviewed) | (is_coach & ~is_committee_member)),
)
# The review page: to score, to see the spread, or (recused) to be told so.
rules.add_perm(
    "fund.view_review",
    rules.permissions.permissions["fund.review_application"]
    | rules.permissions.permissions["fund.see_scores"]
    | (is_fund_committee_member & (is_recused | is_applicant)),
)
# A coach decides alone at or under the delegated limit, never on the idea's own team or
# with a conflict of interest; the committee decides the rest.
may_decide_under_delegation = is_coach & ~is_applicant & ~is_recused & is_within_delegated_limit
rules.add_perm("fund.decide_delegated", may_decide_under_delegation & under_review)
# The coach's decision page opens over the limit too, to say that the committee decides.
rules.add_perm(
    "fund.view_delegated_decision", is_coach & ~is_applicant & ~is_recused & under_review
)
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


@rules.predicate
def may_decide_its_application_under_delegation(user, decision) -> bool:
    return decision is not None and may_decide_under_delegation(user, decision.application)


# A correction is decided the way the decision was: a coach with authority over the
# application corrects a delegated decision; the chair (at an open meeting) any decision.
rules.add_perm(
    "fund.supersede_delegated",
    decision_in_force
    & ~is_decision_applicant
    & decided_under_delegation
    & may_decide_its_application_under_delegation,
)
rules.add_perm(
    "fund.supersede_decision",
    rules.permissions.permissions["fund.supersede_delegated"]
    | (decision_in_force & ~is_decision_applicant & is_committee_chair),
)


# --- meetings (objects are meetings) ---------------------------------------------------


@rules.predicate
def is_meeting_chair(user, meeting) -> bool:
    """The chair the meeting was planned with (another chair does not run it)."""
    return meeting is not None and user.is_authenticated and meeting.chair_id == user.pk


def meeting_in(*states):
    @rules.predicate(name=f"meeting_in({', '.join(states)})")
    def predicate(user, meeting) -> bool:
        return meeting is not None and meeting.state in states

    return predicate


rules.add_perm("fund.chair_meeting", is_committee_chair & is_meeting_chair)


@rules.predicate
def is_meeting_chair_of_item(user, item) -> bool:
    return is_meeting_chair(user, item.meeting)


rules.add_perm(
    "fund.edit_meeting", is_committee_chair & meeting_in(MeetingState.PLANNED, MeetingState.OPEN)
)


# --- who records a decision at a meeting (objects are agenda items) ----------------------


@rules.predicate
def is_disqualified_on_item(user, item) -> bool:
    """Concerned by the application or declared a conflict: takes no part in the item."""
    return disqualification_of(user, item.application) is not None


@rules.predicate
def leads_item(user, item) -> bool:
    """The chair leads the item, or when the chair is disqualified, the vice chair or the
    member the meeting appointed (`participation_in`)."""
    return participation_in(item).leads(user)


@rules.predicate
def has_quorum(user, item) -> bool:
    """More than half of the fund's committee members take part in the item."""
    return participation_in(item).has_quorum


@rules.predicate
def is_item_meeting_open(user, item) -> bool:
    return item.meeting.state == MeetingState.OPEN


@rules.predicate
def is_item_meeting_day(user, item) -> bool:
    """A meeting's decisions are made on its date, the date they carry."""
    return item.meeting.date == timezone.localdate()


@rules.predicate
def is_item_of_the_fund(user, item) -> bool:
    return item.meeting.fund_id == item.application.fund_id


rules.add_perm(
    "fund.record_decision",
    is_committee_member
    & is_item_of_the_fund
    & is_item_meeting_open
    & is_item_meeting_day
    & ~is_disqualified_on_item
    & leads_item
    & has_quorum,
)
# When the chair is disqualified on an item and no vice chair may lead it, the chair
# (still running the meeting) records whom the meeting appointed.
rules.add_perm(
    "fund.appoint_stand_in",
    is_committee_chair & is_item_of_the_fund & is_item_meeting_open & is_meeting_chair_of_item,
)


# --- the minutes: checkers, justering and posting (objects are meetings) ------------------


@rules.predicate
def attends_meeting(user, meeting) -> bool:
    return meeting is not None and any(person.pk == user.pk for person in attending(meeting))


@rules.predicate
def is_minute_checker(user, meeting) -> bool:
    """One of the 1–2 attending members the chair chose to check (justera) the minutes."""
    if meeting is None or not user.is_authenticated:
        return False
    checkers = prefetched(meeting, "minute_checkers")
    if checkers is not None:
        return any(checker.pk == user.pk for checker in checkers)
    return meeting.minute_checkers.filter(pk=user.pk).exists()


@rules.predicate
def has_signed_minutes(user, meeting) -> bool:
    if meeting is None or not user.is_authenticated:
        return False
    signatures = prefetched(meeting, "signatures")
    if signatures is not None:
        return any(signature.signer_id == user.pk for signature in signatures)
    return meeting.signatures.filter(signer=user).exists()


@rules.predicate
def minutes_checked(user, meeting) -> bool:
    """The chair and the checkers have signed: the minutes are an official record."""
    return meeting is not None and meeting.state in (MeetingState.CHECKED, MeetingState.POSTED)


@rules.predicate
def sits_on_the_meetings_committee(user, meeting) -> bool:
    return meeting is not None and is_on_committee(user, meeting.fund)


# Who may be chosen to check the minutes: an attending member of the fund's committee who
# is neither the meeting's chair (who signs anyway) nor a coach (who presents matters).
may_be_minute_checker = (
    is_committee_member
    & sits_on_the_meetings_committee
    & ~is_coach
    & ~is_meeting_chair
    & attends_meeting
)
rules.add_perm(
    "fund.choose_minute_checkers",
    is_committee_chair
    & is_meeting_chair
    & meeting_in(MeetingState.PLANNED, MeetingState.OPEN, MeetingState.CLOSED),
)
rules.add_perm(
    "fund.reschedule_meeting",
    is_committee_chair & is_meeting_chair & meeting_in(MeetingState.PLANNED),
)
# Justering: the chair and each checker sign once, after the meeting is closed.
rules.add_perm(
    "fund.sign_minutes",
    (is_meeting_chair | is_minute_checker) & meeting_in(MeetingState.CLOSED) & ~has_signed_minutes,
)
# Minutes are a draft until checked: the fund's people read them; every employee after.
rules.add_perm("fund.view_minutes", is_fund_reviewer | (is_staff_member & minutes_checked))
