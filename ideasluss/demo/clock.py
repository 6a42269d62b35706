"""The demo's one clock: every use case of the demo runs at its moment in the past.

Decisions are leaves of the signed decision log together with the moment they were made, so
their dates cannot be moved afterwards; instead each use case runs inside
`happening_at(moment)`, where `timezone.now()` answers that moment. The data
files give moments as text (see `Clock.at`).
"""

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Max
from django.utils import timezone
from django_fsm_log.models import StateLog

DAYS = re.compile(r"(?P<ahead>\+)?(?P<days>\d+)d(?: (?P<hour>\d\d):(?P<minute>\d\d))?")
DATE = re.compile(r"(?P<month>\d\d)-(?P<day>\d\d) (?P<hour>\d\d):(?P<minute>\d\d)")
SQUEEZED = datetime.timedelta(weeks=5)


class Clock:
    """Moments of the demo's past, in UTC as `timezone.now()` gives them (a decision's
    leaf covers `decided_at` as written, and the database gives it back in UTC)."""

    def __init__(self):
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.new_year = timezone.make_aware(datetime.datetime(self.today.year, 1, 1))

    def _moment(self, when: str, *, year: int | None, squeeze: bool) -> datetime.datetime:
        """`"12d 13:00"`: twelve days ago at 13:00 (09:00 without a time); `"+16d"`: in
        sixteen days; `"12-08 14:00"`: 8 December of `year`. With `squeeze`, the last five
        weeks are squeezed, in order, into the days since New Year while they straddle it,
        so that this autumn's fund and jury stay in this year (the future is left as it is)."""
        if match := DAYS.fullmatch(when):
            days = int(match["days"]) * (1 if match["ahead"] else -1)
            day = self.today + datetime.timedelta(days=days)
        elif match := DATE.fullmatch(when):
            day = datetime.date(year or self.today.year, int(match["month"]), int(match["day"]))
        else:
            raise ValueError(f"Not a demo time: {when!r}")
        hour, minute = int(match["hour"] or 9), int(match["minute"] or 0)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        window = self.now - SQUEEZED
        if squeeze and window < self.new_year and window < moment <= self.now:
            moment = self.new_year + (moment - window) * ((self.now - self.new_year) / SQUEEZED)
        return moment

    def at(self, when: str, *, year: int | None = None, squeeze: bool = False):
        """The moment `when`, never later than now."""
        return min(self._moment(when, year=year, squeeze=squeeze), self.now).astimezone(
            datetime.UTC
        )

    def day(self, when: str, *, squeeze: bool = False) -> datetime.date:
        return timezone.localdate(self._moment(when, year=None, squeeze=squeeze))


@contextmanager
def happening_at(moment: datetime.datetime) -> Iterator[None]:
    """Run real use cases as if it were `moment`: every `timezone.now()` answers `moment`,
    and the timeline entries (django-fsm-log, whose default cannot be redirected) written
    meanwhile are dated `moment`."""
    last_log = StateLog.objects.aggregate(last=Max("pk"))["last"] or 0
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now
    StateLog.objects.filter(pk__gt=last_log).update(timestamp=moment)
