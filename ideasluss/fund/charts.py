"""Bar charts drawn on the server as inline SVG: no script, no external request.

A chart is only a picture of numbers the page also shows in a table next to
it; the table is what screen readers and spreadsheets read. Here we only
compute the geometry (in SVG user units) so the template stays free of
arithmetic.
"""

from dataclasses import dataclass

# The drawing is WIDTH user units wide and scales with its box (viewBox; the stylesheet caps
# it at 25rem). Text is FONT_SIZE units, so on a 320 px phone, where the box is 288 px, it is
# still FONT_SIZE * 288 / WIDTH ≈ 12.8 px, and 16–17 px on a desktop. Each row is its label
# on a line of its own, then the bar with its value after it: long labels need no margin.
WIDTH = 360
FONT_SIZE = 16
VALUE_ROOM = 130  # room after the longest bar for its value, "SEK 12,000,000"
BAR_AREA = WIDTH - VALUE_ROOM  # the longest bar
VALUE_GAP = 6
LABEL_HEIGHT = 22
BAR_HEIGHT = 20
ROW_GAP = 12
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
PADDING = 4
AXIS_X = 1  # half the axis line's width, so it is not cut at the edge


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int

    @property
    def x(self) -> int:
        return AXIS_X

    @property
    def label_x(self) -> int:
        return AXIS_X + VALUE_GAP

    @property
    def label_y(self) -> int:
        """Baseline of the label, on its own line above the bar."""
        return self.y - BAR_HEIGHT // 2 + 2

    @property
    def value_x(self) -> int:
        return AXIS_X + self.width + VALUE_GAP

    @property
    def text_y(self) -> int:
        """Baseline of the value, vertically centred on the bar."""
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
        return len(self.rows) * ROW_HEIGHT - ROW_GAP + 2 * PADDING

    @property
    def axis_x(self) -> int:
        return AXIS_X

    @property
    def font_size(self) -> int:
        return FONT_SIZE

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
                y=PADDING + index * ROW_HEIGHT + LABEL_HEIGHT,
                # A non-zero amount is always at least a visible sliver.
                width=max(round(BAR_AREA * value / largest), 2) if value and largest else 0,
            )
            for index, (label, value) in enumerate(self.rows)
        ]
