"""The flow figures: median and 90th percentile of days per stage, to the first answer
and to a fund decision, overall, per month and per unit.

Every figure is a set of *intervals* (a start and an end moment, both recorded, see
docs/flow-figures.md), built in SQL from the transition log (django-fsm-log), the comments
and the decision register:

- a **stay** in a stage (submitted, planning, testing, tested): from the step that entered
  the stage to the step that left it, whatever that step was; a stay still going on is not
  counted (it has no length yet: the coach inbox shows those);
- the **first answer**: from an idea's first submission to the first step after it that is
  not the owner's withdrawal, or the first comment of a coach who is not the owner, if
  earlier;
- the **fund decision**: from an application's first submission to its first decision that
  settles it (approved, approved with a lower amount, rejected); a return for changes is on
  the way, not the end.

An interval counts in the month (municipality's time zone) and the period where it
*ended*, and for the unit of its idea. Durations are days rounded to a tenth of a day in
the database, so both backends measure the same numbers.

The aggregates never load the rows: on PostgreSQL the database computes the percentiles
(`percentile_cont`, one query per source for all three groupings, with each interval
computed once: see "PostgreSQL" below); SQLite has no percentile, so it
returns a histogram (how many intervals of each length per stage, unit and month; at
most one row per distinct tenth of a day) and the percentiles are interpolated here the
same way `percentile_cont` does. Queries do not grow with the number of ideas.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, TruncMonth
from django.utils import timezone
from django_fsm_log.models import StateLog

from ideasluss.accounts.models import Unit
from ideasluss.accounts.roles import Role
from ideasluss.accounts.selectors import unit_paths
from ideasluss.fund.models import Application, Decision, DecisionKind
from ideasluss.ideas.models import Comment, Idea

from .targets import STAGES, Measure, flow_targets

#: A fund decision that settles an application; a return for changes does not.
SETTLING_KINDS = (DecisionKind.APPROVE, DecisionKind.APPROVE_LOWER, DecisionKind.REJECT)
#: The longest period the page shows (its month table has one row per month).
MAX_PERIOD_DAYS = 5 * 366


class DaysBetween(Func):
    """Days from the first to the second moment, rounded to a tenth of a day."""

    output_field = FloatField()
    arg_joiner = ") - julianday("
    template = "ROUND(julianday(%(expressions)s), 1)"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=(
                "ROUND((EXTRACT(EPOCH FROM (%(expressions)s)) / 86400)::numeric, 1)"
                "::double precision"
            ),
            arg_joiner=" - ",
            **extra_context,
        )

    def __init__(self, start, end, **extra):
        # julianday(end) - julianday(start): the end comes first in the SQL.
        super().__init__(end, start, **extra)


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile (linear interpolation between the two nearest)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, *, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile's fraction lies between 0 and 1.")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def _percentile_databases() -> bool:
    return connection.vendor == "postgresql"


# --- the intervals ----------------------------------------------------------------------


def _first_log(content_type, *, object_ref: str, transition: str) -> Subquery:
    return Subquery(
        StateLog.objects.filter(
            content_type=content_type, object_id=OuterRef(object_ref), transition=transition
        )
        .order_by("timestamp", "pk")
        .values("timestamp")[:1],
        output_field=DateTimeField(),
    )


def stay_intervals() -> QuerySet:
    """Every finished stay of an idea in a stage: the log entry that left the stage, with
    the moment of the entry before it (the one that entered the stage)."""
    idea_type = ContentType.objects.get_for_model(Idea)
    entered = (
        StateLog.objects.filter(content_type=idea_type, object_id=OuterRef("object_id"))
        .filter(
            Q(timestamp__lt=OuterRef("timestamp"))
            | Q(timestamp=OuterRef("timestamp"), pk__lt=OuterRef("pk"))
        )
        .order_by("-timestamp", "-pk")
        .values("timestamp")[:1]
    )
    unit = Idea.objects.filter(pk=OuterRef("object_id")).values("unit")[:1]
    return (
        StateLog.objects.filter(content_type=idea_type, source_state__in=STAGES)
        .annotate(
            measure=F("source_state"),
            started_at=Subquery(entered, output_field=DateTimeField()),
            ended_at=F("timestamp"),
            unit_key=Subquery(unit, output_field=IntegerField()),
        )
        .filter(started_at__isnull=False)
    )


def first_answer_intervals() -> QuerySet:
    """Every submitted idea that has had an answer: from its first submission to the first
    step after it (not the owner's withdrawal) or a coach's comment, whichever came first."""
    idea_type = ContentType.objects.get_for_model(Idea)
    step = Subquery(
        StateLog.objects.filter(
            content_type=idea_type,
            object_id=OuterRef("pk"),
            timestamp__gt=OuterRef("submitted_at"),
        )
        .exclude(transition="withdraw")
        .order_by("timestamp", "pk")
        .values("timestamp")[:1],
        output_field=DateTimeField(),
    )
    comment = Subquery(
        Comment.objects.filter(
            idea=OuterRef("pk"),
            created_at__gt=OuterRef("submitted_at"),
            author__groups__name=Role.COACH,
        )
        .exclude(author=OuterRef("owner"))
        .order_by("created_at", "pk")
        .values("created_at")[:1],
        output_field=DateTimeField(),
    )
    return (
        Idea.objects.annotate(
            submitted_at=_first_log(idea_type, object_ref="pk", transition="submit")
        )
        .filter(submitted_at__isnull=False)
        .annotate(step_at=step, comment_at=comment)
        # LEAST ignores NULL on PostgreSQL but not on SQLite: each side falls back on the other.
        .annotate(
            ended_at=Least(Coalesce("step_at", "comment_at"), Coalesce("comment_at", "step_at"))
        )
        .filter(ended_at__isnull=False)
        .annotate(
            measure=Value(Measure.FIRST_ANSWER.value, output_field=CharField()),
            started_at=F("submitted_at"),
            unit_key=F("unit_id"),
        )
    )


def fund_decision_intervals() -> QuerySet:
    """Every application's first settling decision, from the application's first
    submission (its `submitted_at` when the log has none)."""
    application_type = ContentType.objects.get_for_model(Application)
    earlier = Decision.objects.filter(
        application=OuterRef("application"), kind__in=SETTLING_KINDS
    ).filter(
        Q(decided_at__lt=OuterRef("decided_at"))
        | Q(decided_at=OuterRef("decided_at"), pk__lt=OuterRef("pk"))
    )
    submitted = _first_log(application_type, object_ref="application_id", transition="submit")
    return (
        Decision.objects.filter(kind__in=SETTLING_KINDS)
        .exclude(Exists(earlier))
        .annotate(
            measure=Value(Measure.FUND_DECISION.value, output_field=CharField()),
            started_at=Coalesce(submitted, F("application__submitted_at")),
            ended_at=F("decided_at"),
            unit_key=F("application__idea__unit"),
        )
        .filter(started_at__isnull=False)
    )


INTERVAL_SOURCES = (first_answer_intervals, stay_intervals, fund_decision_intervals)


def _shaped(intervals: QuerySet, *, start: datetime.date, end: datetime.date, unit_ids) -> QuerySet:
    """The intervals that ended in the period (and the units), with their length in days,
    their month and their measure's target."""
    zone = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), zone)
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), zone
    )
    targets = flow_targets()
    shaped = intervals.filter(ended_at__gte=first, ended_at__lt=after)
    if unit_ids is not None:
        shaped = shaped.filter(unit_key__in=unit_ids)
    return (
        shaped.annotate(
            days=DaysBetween("started_at", "ended_at"),
            month=TruncMonth("ended_at", output_field=DateField(), tzinfo=zone),
            target=Case(
                *(When(measure=measure, then=Value(days)) for measure, days in targets.items()),
                default=Value(None),
                output_field=IntegerField(),
            ),
        )
        .filter(days__gte=0)
        .order_by()
    )


# --- the aggregates ---------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """How long the intervals of one group took: count, median and 90th percentile in
    days, and how many were within the measure's target (None without a target)."""

    count: int = 0
    median: float | None = None
    p90: float | None = None
    within_target: int | None = None
    target: int | None = None

    @property
    def share_within_target(self) -> float | None:
        if self.within_target is None or not self.count:
            return None
        return self.within_target / self.count


EMPTY = Summary()


def percentile_cont(histogram: list[tuple[float, int]], fraction: float) -> float | None:
    """What PostgreSQL's `percentile_cont(fraction)` gives for the values of `histogram`
    ((value, how many times), any order): linear interpolation at fraction × (n − 1)."""
    ordered = sorted((value, times) for value, times in histogram if times > 0)
    total = sum(times for _, times in ordered)
    if not total:
        return None
    position = fraction * (total - 1)
    below, above = math.floor(position), math.ceil(position)

    def value_at(index: int) -> float:
        seen = 0
        for value, times in ordered:
            seen += times
            if index < seen:
                return value
        return ordered[-1][0]

    low = value_at(below)
    return low + (position - below) * (value_at(above) - low)


def _summaries(shaped: QuerySet, keys: tuple[str, ...]) -> dict[tuple, Summary]:
    """One summary per measure and `keys` ("month", "unit_key"), in one query."""
    groups = ("measure", *keys)
    targets = flow_targets()
    results: dict[tuple, Summary] = {}
    if _percentile_databases():
        rows = shaped.values(*groups).annotate(
            count=Count("pk"),
            median=PercentileCont("days", fraction=0.5),
            p90=PercentileCont("days", fraction=0.9),
            within=Count("pk", filter=Q(days__lte=F("target"))),
        )
        for row in rows:
            target = targets.get(row["measure"])
            results[tuple(row[key] for key in groups)] = Summary(
                count=row["count"],
                median=row["median"],
                p90=row["p90"],
                within_target=row["within"] if target is not None else None,
                target=target,
            )
        return results
    histograms: dict[tuple, list[tuple[float, int]]] = defaultdict(list)
    for row in shaped.values(*groups, "days").annotate(count=Count("pk")):
        histograms[tuple(row[key] for key in groups)].append((row["days"], row["count"]))
    for group, histogram in histograms.items():
        target = targets.get(group[0])
        results[group] = Summary(
            count=sum(times for _, times in histogram),
            median=percentile_cont(histogram, 0.5),
            p90=percentile_cont(histogram, 0.9),
            within_target=(
                sum(times for days, times in histogram if days <= target)
                if target is not None
                else None
            ),
            target=target,
        )
    return results


# --- the page's figures -----------------------------------------------------------------


def unit_with_subunits(unit: Unit) -> set[int]:
    """The unit and every unit below it, at any depth (in one query)."""
    children = defaultdict(list)
    for pk, parent in Unit.objects.values_list("pk", "parent"):
        children[parent].append(pk)
    found, todo = set(), [unit.pk]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children[current])
    return found


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month from `start`'s to `end`'s."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last twelve months: from the first of the month eleven months ago to today."""
    today = today or timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - 11, 12)
    return datetime.date(year, month + 1, 1), today


@dataclass(frozen=True)
class FlowFigures:
    """The figures of one period (and unit), overall, per month and per unit."""

    start: datetime.date
    end: datetime.date
    unit: Unit | None
    targets: dict[str, int]
    overall: dict[str, Summary]
    by_month: dict[tuple[str, datetime.date], Summary]
    by_unit: dict[tuple[str, int | None], Summary]
    unit_labels: dict[int, str] = field(default_factory=dict)

    @property
    def months(self) -> list[datetime.date]:
        return months_between(self.start, self.end)

    @property
    def units(self) -> list[int | None]:
        """The units that have figures in the period, in the organisation's order; ideas
        without a unit last."""
        present = {unit for _, unit in self.by_unit}
        ordered = [pk for pk in self.unit_labels if pk in present]
        return ordered + ([None] if None in present else [])

    def summary(self, measure: str) -> Summary:
        return self.overall.get(measure, EMPTY)

    def month_summaries(self, measure: str) -> list[tuple[datetime.date, Summary]]:
        return [(month, self.by_month.get((measure, month), EMPTY)) for month in self.months]

    def unit_summaries(self, measure: str) -> list[tuple[int | None, Summary]]:
        return [(unit, self.by_unit.get((measure, unit), EMPTY)) for unit in self.units]


def flow_figures(
    *, start: datetime.date, end: datetime.date, unit: Unit | None = None
) -> FlowFigures:
    """The flow figures of the intervals that ended from `start` to `end` (inclusive, in
    the municipality's time zone), for `unit` and its sub-units or for all: a fixed number
    of queries whatever the number of ideas."""
    unit_ids = unit_with_subunits(unit) if unit is not None else None
    if _percentile_databases():
        overall, by_month, by_unit = _postgresql_summaries(start=start, end=end, unit_ids=unit_ids)
    else:
        overall, by_month, by_unit = {}, {}, {}
        for source in INTERVAL_SOURCES:
            shaped = _shaped(source(), start=start, end=end, unit_ids=unit_ids)
            overall.update({key[0]: value for key, value in _summaries(shaped, ()).items()})
            by_month.update(_summaries(shaped, ("month",)))
            by_unit.update(_summaries(shaped, ("unit_key",)))
    return FlowFigures(
        start=start,
        end=end,
        unit=unit,
        targets=flow_targets(),
        overall=overall,
        by_month=by_month,
        by_unit=by_unit,
        unit_labels=unit_paths(),
    )


# --- PostgreSQL: each interval computed once ---------------------------------------------
#
# The querysets above say what an interval is; on PostgreSQL the ORM repeats every
# subquery wherever its annotation is used (in the WHERE, in each aggregate), so at
# 100,000 ideas one first-answer query evaluated some forty subqueries per idea and took
# 11 s (three such queries, 39 s for the page). The same intervals are written here with
# LATERAL joins (each lookup once per idea) and a window function (the stage a log entry
# left began at the entry before it), materialised once per source and aggregated over
# all three groupings at once (GROUPING SETS). tests/workflows/test_flow_figures.py
# runs the same cases on both backends.

_FIRST_ANSWERS = """
    SELECT %(first_answer)s::text AS measure, i.unit_id AS unit_key, s.at AS started_at,
           LEAST(COALESCE(st.at, c.at), COALESCE(c.at, st.at)) AS ended_at
    FROM ideas_idea i
    JOIN LATERAL (
        SELECT l.timestamp AS at FROM django_fsm_log_statelog l
        WHERE l.content_type_id = %(idea_type)s AND l.object_id = i.id
          AND l.transition = 'submit'
        ORDER BY l.timestamp, l.id LIMIT 1
    ) s ON true
    LEFT JOIN LATERAL (
        SELECT l.timestamp AS at FROM django_fsm_log_statelog l
        WHERE l.content_type_id = %(idea_type)s AND l.object_id = i.id
          AND l.timestamp > s.at AND l.transition <> 'withdraw'
        ORDER BY l.timestamp, l.id LIMIT 1
    ) st ON true
    LEFT JOIN LATERAL (
        SELECT c.created_at AS at FROM ideas_comment c
        WHERE c.idea_id = i.id AND c.created_at > s.at AND c.author_id <> i.owner_id
          AND EXISTS (
              SELECT 1 FROM accounts_user_groups ug JOIN auth_group g ON g.id = ug.group_id
              WHERE ug.user_id = c.author_id AND g.name = %(coach)s
          )
        ORDER BY c.created_at, c.id LIMIT 1
    ) c ON true
"""

_STAYS = """
    SELECT l.source_state::text AS measure, i.unit_id AS unit_key, l.entered_at AS started_at,
           l.timestamp AS ended_at
    FROM (
        SELECT source_state, object_id, timestamp,
               LAG(timestamp) OVER (PARTITION BY object_id ORDER BY timestamp, id) AS entered_at
        FROM django_fsm_log_statelog WHERE content_type_id = %(idea_type)s
    ) l
    LEFT JOIN ideas_idea i ON i.id = l.object_id
    WHERE l.source_state = ANY(%(stages)s) AND l.entered_at IS NOT NULL
"""

_AGGREGATE = """
    WITH intervals AS MATERIALIZED ({intervals}),
    shaped AS (
        SELECT measure, unit_key,
               ROUND((EXTRACT(EPOCH FROM ended_at - started_at) / 86400)::numeric, 1)
                   ::double precision AS days,
               DATE_TRUNC('month', ended_at AT TIME ZONE %(zone)s)::date AS month
        FROM intervals
        WHERE started_at IS NOT NULL AND ended_at >= %(first)s AND ended_at < %(after)s
          AND (%(all_units)s OR unit_key = ANY(%(unit_ids)s))
    )
    SELECT measure, month, unit_key, GROUPING(month) AS overall_months,
           GROUPING(unit_key) AS overall_units, COUNT(*) AS count,
           PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY days) AS median,
           PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY days) AS p90,
           COUNT(*) FILTER (WHERE days <= (%(targets)s::jsonb ->> measure)::int) AS within
    FROM shaped WHERE days >= 0
    GROUP BY GROUPING SETS ((measure), (measure, month), (measure, unit_key))
"""


def _postgresql_summaries(*, start: datetime.date, end: datetime.date, unit_ids):
    """Overall, per month and per unit, for every measure: one query per source."""
    import json

    zone = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), zone)
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), zone
    )
    targets = flow_targets()
    parameters = {
        "first_answer": Measure.FIRST_ANSWER.value,
        "idea_type": ContentType.objects.get_for_model(Idea).pk,
        "coach": Role.COACH,
        "stages": [str(stage) for stage in STAGES],
        "zone": str(zone),
        "first": first,
        "after": after,
        "all_units": unit_ids is None,
        "unit_ids": sorted(unit_ids or ()),
        "targets": json.dumps(targets),
    }
    decisions_sql, decisions_params = (
        fund_decision_intervals()
        .values("measure", "unit_key", "started_at", "ended_at")
        .order_by()
        .query.sql_with_params()
    )
    # The ORM's SQL has %s placeholders: they become named ones of their own.
    names = [f"decision_{index}" for index in range(len(decisions_params))]
    decisions_sql = decisions_sql.replace("%", "%%").replace("%%s", "%s")
    decisions_sql = decisions_sql % tuple(f"%({name})s" for name in names)
    parameters.update(zip(names, decisions_params, strict=True))

    overall, by_month, by_unit = {}, {}, {}
    with connection.cursor() as cursor:
        for intervals in (_FIRST_ANSWERS, _STAYS, decisions_sql):
            cursor.execute(_AGGREGATE.format(intervals=intervals), parameters)
            for measure, month, unit, overall_months, overall_units, *figures in cursor.fetchall():
                summary = _summary(measure, *figures, targets=targets)
                if overall_months and overall_units:
                    overall[measure] = summary
                elif overall_units:
                    by_month[(measure, month)] = summary
                else:
                    by_unit[(measure, unit)] = summary
    return overall, by_month, by_unit


def _summary(measure, count, median, p90, within, *, targets) -> Summary:
    target = targets.get(measure)
    return Summary(
        count=count,
        median=median,
        p90=p90,
        within_target=within if target is not None else None,
        target=target,
    )


def rounded_days(value: float | None) -> Decimal | None:
    """A figure in days as pages and exports show it: one decimal, halves up."""
    if value is None:
        return None
    return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
