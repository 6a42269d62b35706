"""Bar charts of durations (median and 90th percentile), drawn on the server as inline SVG.

The SVG has no `viewBox`: it is as wide as its box and its texts keep their size in CSS
pixels (16 px labels, 14 px values) at every width, so a phone never shrinks them. Bars
are laid out in per cent of the width; every text sits on a line of its own or at the
right edge, in the room the bars leave free, so nothing overlaps however narrow the
box. The median is a solid bar, the 90th percentile a hatched one: told apart by
pattern and by the legend's words, not by colour alone. The chart only pictures the
table beside it, which screen readers and spreadsheets read.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext

from .selectors import Summary, rounded_days

LEGEND_HEIGHT = 56  # two legend lines
ROW_HEIGHT = 84  # a label line, two bars and a gap
LABEL_BASELINE = 16
MEDIAN_BAR_Y = 24
P90_BAR_Y = 48
BAR_HEIGHT = 18
#: The longest bar, in per cent of the width: the rest is for the value at the right.
BAR_AREA = 76.0
MIN_SLIVER = 0.6


def days_text(value: float | None) -> str:
    """A duration as the page writes it: “2,5” (one decimal), “–” when there is none."""
    rounded = rounded_days(value)
    return "–" if rounded is None else number_format(rounded, decimal_pos=1)


def share_text(summary: Summary) -> str:
    """“75 % (9 av 12)”, or “–” without a target or intervals."""
    share = summary.share_within_target
    if share is None:
        return "–"
    return gettext("%(share)s%% (%(within)s of %(count)s)") % {
        "share": Decimal(repr(share * 100)).quantize(Decimal(1), rounding=ROUND_HALF_UP),
        "within": summary.within_target,
        "count": summary.count,
    }


@dataclass(frozen=True)
class TableRow:
    """One row of a chart's table, as the page writes it."""

    label: str
    count: int
    median: str
    p90: str
    target: int | None
    share_within_target: str


@dataclass(frozen=True)
class ChartRow:
    label: str
    median_text: str
    p90_text: str
    label_y: int
    median_y: int
    p90_y: int
    median_width: str
    p90_width: str

    @property
    def median_text_y(self) -> int:
        return self.median_y + BAR_HEIGHT // 2 + 5

    @property
    def p90_text_y(self) -> int:
        return self.p90_y + BAR_HEIGHT // 2 + 5


@dataclass(frozen=True)
class DurationChart:
    """Median and 90th percentile in days for each (label, summary); `key` makes the
    element ids of the chart unique on the page."""

    key: str
    title: str
    rows: tuple[tuple[str, Summary], ...]

    @property
    def height(self) -> int:
        return LEGEND_HEIGHT + len(self.rows) * ROW_HEIGHT

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT

    @property
    def table_rows(self) -> list[TableRow]:
        return [
            TableRow(
                label=label,
                count=summary.count,
                median=days_text(summary.median),
                p90=days_text(summary.p90),
                target=summary.target,
                share_within_target=share_text(summary),
            )
            for label, summary in self.rows
        ]

    @property
    def chart_rows(self) -> list[ChartRow]:
        largest = max((s.p90 or 0 for _, s in self.rows), default=0)
        largest = max(largest, max((s.median or 0 for _, s in self.rows), default=0))

        def width(value: float | None) -> str:
            if not value or not largest:
                return "0%"
            return f"{max(BAR_AREA * value / largest, MIN_SLIVER):.2f}%"

        found = []
        for index, (label, summary) in enumerate(self.rows):
            top = LEGEND_HEIGHT + index * ROW_HEIGHT
            found.append(
                ChartRow(
                    label=label,
                    median_text=days_text(summary.median),
                    p90_text=days_text(summary.p90),
                    label_y=top + LABEL_BASELINE,
                    median_y=top + MEDIAN_BAR_Y,
                    p90_y=top + P90_BAR_Y,
                    median_width=width(summary.median),
                    p90_width=width(summary.p90),
                )
            )
        return found
