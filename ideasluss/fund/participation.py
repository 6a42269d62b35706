"""Who takes part in deciding an item of a committee meeting, as kommunallagen has it.

- Disqualification (jäv, 6 kap. 28–32 §§). A matter that concerns a member personally
  disqualifies them without asking: the applicant and everyone on the idea's team (its
  owner and co-owners). Every other member answers the question themselves; a "yes"
  disqualifies them too.
- Taking part. Only the fund's committee members decide: those attending the meeting and
  not disqualified. Coaches and officials who attend are present to present the matter
  (föredragande), never deciding.
- Quorum (6 kap. 27 §). An item can be decided only when more than half of the fund's
  committee members take part.
- Who leads the item. The meeting's chair; when the chair is disqualified, the fund's vice
  chair if they attend and are not disqualified themselves, else the attending member the
  meeting appoints for the item (`AgendaItem.stand_in`).

Everything here reads prefetched relations when they are there (`selectors.meeting_for_page`
prefetches them), so a page with many items asks no query per item.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import AgendaItem, Application, Meeting


class Ground:
    """Why a member is disqualified on an application."""

    APPLICANT = "applicant"
    OWNER = "owner"
    CO_OWNER = "co_owner"
    DECLARED = "declared"

    LABELS = {
        APPLICANT: _("the applicant"),
        OWNER: _("the idea's owner"),
        CO_OWNER: _("a co-owner of the idea"),
        DECLARED: _("declared a conflict of interest"),
    }


def prefetched(instance, relation: str):
    """`instance`'s prefetched `relation` rows, or None when not prefetched. Pages that check
    rules for many rows prefetch what the rules read, so the checks run no query per row."""
    return getattr(instance, "_prefetched_objects_cache", {}).get(relation)


def _co_owner_ids(application: Application) -> set[int]:
    co_owners = prefetched(application.idea, "co_owners")
    if co_owners is not None:
        return {user.pk for user in co_owners}
    return set(application.idea.co_owners.values_list("pk", flat=True))


def concern_of(user, application: Application) -> str | None:
    """How the application concerns `user` personally, or None: the grounds of
    disqualification that need no declaration."""
    if user is None or application is None or not user.is_authenticated:
        return None
    if application.applicant_id == user.pk:
        return Ground.APPLICANT
    if application.idea.owner_id == user.pk:
        return Ground.OWNER
    if user.pk in _co_owner_ids(application):
        return Ground.CO_OWNER
    return None


def declared_conflicts(application: Application) -> dict[int, str]:
    """Member id → reason, for every member who has declared a conflict on `application`."""
    declarations = prefetched(application, "declarations")
    if declarations is None:
        declarations = application.declarations.all()
    return {d.member_id: d.reason for d in declarations if d.has_conflict}


def _declared_ids(application: Application) -> set[int]:
    declarations = prefetched(application, "declarations")
    if declarations is None:
        return set(application.declarations.values_list("member_id", flat=True))
    return {d.member_id for d in declarations}


def disqualification_of(user, application: Application) -> str | None:
    """The ground on which `user` is disqualified on `application`, or None."""
    concern = concern_of(user, application)
    if concern is not None:
        return concern
    if user is not None and user.pk in declared_conflicts(application):
        return Ground.DECLARED
    return None


def committee_of(fund) -> list:
    members = prefetched(fund, "committee_members")
    if members is None:
        members = fund.committee_members.order_by("last_name", "first_name", "pk")
    return list(members)


def is_on_committee(user, fund) -> bool:
    if user is None or not user.is_authenticated:
        return False
    members = prefetched(fund, "committee_members")
    if members is not None:
        return any(member.pk == user.pk for member in members)
    return fund.committee_members.filter(pk=user.pk).exists()


def attending(meeting: Meeting) -> list:
    """Who attends: those recorded, and the chair, who runs the meeting."""
    attendees = prefetched(meeting, "attendees")
    if attendees is None:
        attendees = meeting.attendees.order_by("last_name", "first_name", "pk")
    attendees = list(attendees)
    if all(user.pk != meeting.chair_id for user in attendees):
        attendees.insert(0, meeting.chair)
    return attendees


@dataclass(frozen=True)
class Disqualified:
    member: object
    ground: str
    reason: str = ""

    @property
    def ground_label(self) -> str:
        return str(Ground.LABELS[self.ground])


@dataclass(frozen=True)
class Participation:
    """Who takes part in deciding one agenda item, who leads it, and whether there is a
    quorum."""

    committee: list
    taking_part: list
    disqualified: list[Disqualified]
    present: list = field(default_factory=list)
    undeclared: list = field(default_factory=list)
    leader: object | None = None
    chair_disqualified: bool = False

    @property
    def quorum(self) -> int:
        """How many must take part: more than half of the committee's members."""
        return len(self.committee) // 2 + 1

    @property
    def has_quorum(self) -> bool:
        return bool(self.committee) and len(self.taking_part) >= self.quorum

    @property
    def needs_stand_in(self) -> bool:
        return self.chair_disqualified and self.leader is None

    @property
    def stand_in_candidates(self) -> list:
        """Who the meeting can appoint to lead the item: members taking part."""
        return list(self.taking_part)

    def takes_part(self, user) -> bool:
        return any(member.pk == user.pk for member in self.taking_part)

    def leads(self, user) -> bool:
        return self.leader is not None and user is not None and self.leader.pk == user.pk


def participation_in(item: AgendaItem) -> Participation:
    """Who takes part in deciding `item` (an agenda item, saved or not)."""
    meeting, application = item.meeting, item.application
    committee = committee_of(meeting.fund)
    committee_ids = {member.pk for member in committee}
    declared = declared_conflicts(application)
    declared_ids = _declared_ids(application)
    taking_part, disqualified, present, undeclared = [], [], [], []
    for user in attending(meeting):
        if user.pk not in committee_ids:
            present.append(user)
            continue
        ground = disqualification_of(user, application)
        if ground is not None:
            disqualified.append(Disqualified(user, ground, declared.get(user.pk, "")))
            continue
        taking_part.append(user)
        if user.pk not in declared_ids:
            undeclared.append(user)
    taking_part_ids = {user.pk for user in taking_part}
    chair_out = meeting.chair_id not in taking_part_ids
    leader = None if chair_out else meeting.chair
    if chair_out:
        vice_chair_id = meeting.fund.vice_chair_id
        stand_in_id = item.stand_in_id
        if vice_chair_id in taking_part_ids:
            leader = next(user for user in taking_part if user.pk == vice_chair_id)
        elif stand_in_id in taking_part_ids:
            leader = next(user for user in taking_part if user.pk == stand_in_id)
    return Participation(
        committee=committee,
        taking_part=taking_part,
        disqualified=disqualified,
        present=present,
        undeclared=undeclared,
        leader=leader,
        chair_disqualified=chair_out,
    )
