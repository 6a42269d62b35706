"""A small, known history of ideas and applications for the flow figures' tests.

Every duration below is chosen so the figures can be computed by hand (see each test).
Times are in the municipality's time zone (Europe/Stockholm), all in March and April
2025, far from the last twelve months, so every test names its period.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_fsm_log.models import StateLog

from ideasluss.accounts.roles import Role
from ideasluss.demo.clock import happening_at
from ideasluss.fund.models import Application, ApplicationState, DecisionKind
from ideasluss.ideas.models import Comment, Idea
from tests.factories import (
    ApplicationFactory,
    FundFactory,
    IdeaFactory,
    UnitFactory,
    UserFactory,
)
from workflows.fund.services import decision_record

TARGETS = {"first_answer": 5, "submitted": 10, "planning": 30, "fund_decision": 7}
PERIOD = {"start": datetime.date(2025, 3, 1), "end": datetime.date(2025, 4, 30)}


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, month, day, hour, minute))


def log(obj, transition: str, source: str, target: str, moment: datetime.datetime, by=None):
    return StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)._meta.concrete_model),
        object_id=obj.pk,
        transition=transition,
        source_state=source,
        state=target,
        timestamp=moment,
        by=by,
    )


def comment(idea: Idea, author, moment: datetime.datetime) -> Comment:
    made = Comment.objects.create(idea=idea, author=author, body="Tack, vi hör av oss!")
    Comment.objects.filter(pk=made.pk).update(created_at=moment)
    return made


@dataclass
class History:
    unit_a: object
    unit_b: object
    coach: object
    ideas: list


def idea_history() -> History:
    """Six ideas; the stays in *submitted* take 2, 4, 10, 1.5, 21.5 and 3 days.

    | idea | unit | submitted    | left *submitted*              | first answer (days)   |
    |------|------|--------------|-------------------------------|-----------------------|
    | 1    | A    | 3 Mar 09:00  | accepted 5 Mar 09:00 (2)      | coach's comment (1)   |
    | 2    | A    | 3 Mar 09:00  | accepted 7 Mar 09:00 (4)      | 4 (owner's comment: no) |
    | 3    | A    | 10 Mar 09:00 | declined 20 Mar 09:00 (10)    | 10                    |
    | 4    | A    | 1 Apr 09:00  | returned 2 Apr 21:00 (1.5)    | 1.5                   |
    | 5    | B    | 1 Apr 09:00  | accepted 22 Apr 21:00 (21.5)  | 21.5                  |
    | 6    | A    | 3 Mar 09:00  | withdrawn 6 Mar 09:00 (3)     | none (withdrawn)      |

    Idea 1 also stays 10 days in *planning* (started its test on 15 March).
    """
    parent = UnitFactory(name="Socialförvaltningen")
    unit_a = UnitFactory(name="Hemtjänst Norr", parent=parent)
    unit_b = UnitFactory(name="Norrskolan")
    coach = UserFactory(username="flowcoach", roles=[Role.STAFF, Role.COACH])
    owner = UserFactory(username="flowowner", unit=unit_a)
    ideas = [
        IdeaFactory(owner=owner, unit=unit_b if number == 5 else unit_a, title=f"Idé {number}")
        for number in range(1, 7)
    ]
    one, two, three, four, five, six = ideas
    for idea, submitted, transition, target, left in (
        (one, at(3, 3), "accept", "planning", at(3, 5)),
        (two, at(3, 3), "accept", "planning", at(3, 7)),
        (three, at(3, 10), "decline", "declined", at(3, 20)),
        (four, at(4, 1), "return_to_owner", "draft", at(4, 2, 21)),
        (five, at(4, 1), "accept", "planning", at(4, 22, 21)),
        (six, at(3, 3), "withdraw", "withdrawn", at(3, 6)),
    ):
        log(idea, "submit", "draft", "submitted", submitted, by=owner)
        log(idea, transition, "submitted", target, left, by=coach)
    log(one, "start_test", "planning", "testing", at(3, 15), by=owner)
    comment(one, coach, at(3, 4))
    comment(two, owner, at(3, 4))
    return History(unit_a=unit_a, unit_b=unit_b, coach=coach, ideas=ideas)


def fund_history(*, coach, unit) -> list[Application]:
    """Two applications: one approved 4.5 days after it was submitted; one returned
    after a day and, resubmitted, rejected 14 days after its first submission."""
    fund = FundFactory(start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 12, 31))
    quick = ApplicationFactory(fund=fund, submitted_at=at(3, 10), idea__unit=unit)
    slow = ApplicationFactory(fund=fund, submitted_at=at(3, 10), idea__unit=unit)
    log(slow, "submit", "draft", "submitted", at(3, 10))
    with happening_at(at(3, 11)):
        decision_record(
            application=slow, by=coach, kind=DecisionKind.RETURN, rationale="Mer om budgeten."
        )
    Application.objects.filter(pk=slow.pk).update(
        state=ApplicationState.SUBMITTED, submitted_at=at(3, 12)
    )
    log(slow, "submit", "returned", "submitted", at(3, 12))
    with happening_at(at(3, 14, 21)):
        decision_record(
            application=quick, by=coach, kind=DecisionKind.APPROVE, rationale="Bra test."
        )
    with happening_at(at(3, 24)):
        decision_record(application=slow, by=coach, kind=DecisionKind.REJECT, rationale="För dyrt.")
    return [quick, slow]
