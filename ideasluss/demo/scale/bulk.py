"""Writing many rows fast: batches of `bulk_create`, dates as written, timings as it goes.

Neither COPY nor `bulk_create` sends signals or calls `save()`, so nothing a save would
add (a notification, a log entry, a cache cleared) happens: the seed writes those rows
itself, and clears the caches at the end (`seed_scale`).
"""

import datetime
import gc
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, models
from django.utils import timezone

BATCH_SIZE = 5000


def insert(model: type[models.Model], rows: Iterable[models.Model]) -> list:
    """`rows` written and returned with their keys: on PostgreSQL with COPY, elsewhere in
    batches of `bulk_create`."""
    rows = list(rows)
    if not rows:
        return rows
    if connection.vendor == "postgresql":
        _copy(model, rows)
    else:
        for start in range(0, len(rows), BATCH_SIZE):
            model.objects.bulk_create(rows[start : start + BATCH_SIZE])
    return rows


def _copy(model: type[models.Model], rows: list[models.Model]) -> None:
    """COPY the rows into the model's table, their keys drawn from its sequence first, each
    value prepared as `bulk_create` prepares it (about twice as fast, for large tables)."""
    meta, quote = model._meta, connection.ops.quote_name
    # Generated columns (the ideas' stored search document) are PostgreSQL's to compute.
    fields = [
        field
        for field in meta.concrete_fields
        if not field.primary_key and not getattr(field, "generated", False)
    ]
    for row in rows:
        row._prepare_related_fields_for_save(operation_name="bulk_create")
    with connection.cursor() as cursor:
        missing = [row for row in rows if row.pk is None]
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(missing)],
        )
        for row, (key,) in zip(missing, cursor.fetchall(), strict=True):
            row.pk = key
        columns = ", ".join(quote(field.column) for field in [meta.pk, *fields])
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = [
                    field.get_db_prep_save(field.pre_save(row, True), connection)
                    for field in fields
                ]
                copy.write_row([row.pk, *values])
    for row in rows:
        row._state.adding, row._state.db = False, connection.alias


def link(relation, pairs: Iterable[tuple[int, int]]) -> int:
    """Rows of a many-to-many relation (`Model.field.through`), from (left, right) keys."""
    through = relation.through
    left, right = (
        field.attname
        for field in through._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
    )
    rows = [through(**{left: a, right: b}) for a, b in pairs]
    return len(insert(through, rows))


@contextmanager
def dates_as_written(*model_classes: type[models.Model]) -> Iterator[None]:
    """Keep the dates the seed gives rows that Django would set to now (`auto_now`,
    `auto_now_add`): a seeded idea is created years ago, not at seeding time."""
    fields = [
        field
        for model in model_classes
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off: with millions of live objects it would walk them all
    again and again (a third of the seed's time); reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Progress:
    """Says what was written and how long it took, one line a table."""

    def __init__(self, write: Callable[[str], None]):
        self.write = write
        self.started = time.monotonic()
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[dict]:
        """Times the block; the block puts `rows` (a count) into the dict it gets."""
        counted: dict = {}
        started = time.monotonic()
        yield counted
        seconds = time.monotonic() - started
        self.timings[name] = seconds
        rows = f"{counted['rows']:,} rows" if "rows" in counted else "done"
        self.write(f"  {name}: {rows} in {seconds:.1f} s")

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


# --- moments -----------------------------------------------------------------------------


def days(value: float) -> datetime.timedelta:
    return datetime.timedelta(days=value)


def _zone() -> datetime.tzinfo:
    # The municipality's zone, looked up once a call rather than through Django's
    # per-thread current zone (which costs more than the rest of a story).
    return timezone.get_default_timezone()


def local_date(moment: datetime.datetime) -> datetime.date:
    """The municipality's date at `moment`."""
    return moment.astimezone(_zone()).date()


def local_moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """`day` at `hour:minute` in the municipality's time zone, in UTC."""
    local = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=_zone())
    return local.astimezone(datetime.UTC)


def working_hours(rng: random.Random, moment: datetime.datetime) -> datetime.datetime:
    """`moment`'s day in the municipality, at a time between 08:00 and 16:59 there."""
    return local_moment(local_date(moment), rng.randint(8, 16), rng.randint(0, 59))


def waking_hours(rng: random.Random, moment: datetime.datetime) -> datetime.datetime:
    """`moment`'s day in the municipality, at a time between 07:00 and 21:59 there (when
    colleagues comment and champion, at work or at home)."""
    return local_moment(local_date(moment), rng.randint(7, 21), rng.randint(0, 59))


def between(
    rng: random.Random, start: datetime.datetime, end: datetime.datetime
) -> datetime.datetime:
    """A moment drawn evenly from `start` to `end` (`start` when the span is empty)."""
    span = (end - start).total_seconds()
    return start + datetime.timedelta(seconds=rng.uniform(0, span)) if span > 0 else start
