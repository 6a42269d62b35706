"""Bar charts drawn on the server as inline SVG: no script, no external request.

A chart is only a picture of numbers the page also shows in a table next to
it; the table is what screen readers and spreadsheets read. Here we only
compute the geometry (in SVG user units) so the template stays free of
arithmetic.
"""

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 200  # labels are right-aligned against the axis at this x
BAR_AREA = 300  # the longest bar
VALUE_GAP = 8
ROW_HEIGHT = 36
BAR_HEIGHT = 24
PADDING = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int

    @property
    def x(self) -> int:
        return LABEL_WIDTH

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - VALUE_GAP

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + VALUE_GAP

    @property
    def text_y(self) -> int:
        """Baseline of the row's texts, vertically centred on the bar."""
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def height(self) -> int:
        return BAR_HEIGHT


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart of (label, value) rows; `key` makes its element ids unique."""

    key: str
    title: str
    caption: str
    label_header: str
    value_header: str
    rows: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(value for _, value in self.rows)

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return len(self.rows) * ROW_HEIGHT + 2 * PADDING

    @property
    def axis_x(self) -> int:
        return LABEL_WIDTH

    @property
    def axis_top(self) -> int:
        return PADDING // 2

    @property
    def axis_bottom(self) -> int:
        return self.height - PADDING // 2

    @property
    def bars(self) -> list[Bar]:
        largest = max((value for _, value in self.rows), default=0)
        return [
            Bar(
                label=label,
                value=value,
                y=PADDING + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                # A non-zero amount is always at least a visible sliver.
                width=max(round(BAR_AREA * value / largest), 2) if value and largest else 0,
            )
            for index, (label, value) in enumerate(self.rows)
        ]
