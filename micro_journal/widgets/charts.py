"""Charts drawn with Unicode: braille line plots, block bars and sparklines.

Our own drawing rather than a plotting library: every colour is a theme variable in
Textual markup (``$done``, ``$accent``…), so a chart follows the active theme the moment
it changes; every mark also has its own glyph (● • ─ ┄ █ – ✗), so the charts read
without colour; nothing heavy is imported; and the output is plain text that snapshot
tests and tmux can read.

Drawing functions are pure: data and a width in, markup lines out. ``Drawing`` is the
widget that calls one with its current width, so a resize redraws at the new size.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.markup import escape
from textual.widget import Widget

from ..domain import dates
from ..domain.progress import Tweak
from ..domain.stacking import TweakEffect
from ..domain.text import markup_text, visible

BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
EIGHTHS = " ▁▂▃▄▅▆▇█"

# marks shared by the bars, the heatmap and their legends: glyph and colour
DONE, REST, MISSED = "$done", "$skipped", "$missed"
MUTED = "$text-muted"
TWEAK_STYLE = "$warning"


def fmt(value: float) -> str:
    """A value for an axis label: ``14``, ``4.5``, ``0.33``."""
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.2g}" if abs(value) < 1 else f"{value:.1f}".rstrip("0").rstrip(".")


def cells(markup: str) -> int:
    """How many cells a line of our markup takes (all our glyphs are one cell wide)."""
    return Content.from_markup(markup).cell_length


def one_line(text: str) -> str:
    """User text for one line of the screen: line breaks and tabs become single spaces,
    other control characters visible placeholders (``␛`` for ESC, ``␡`` for DEL, ``�``
    for C1 codes), so nothing the user typed is ever sent to the terminal as a code.
    Escape the result before it reaches markup."""
    return " ".join(part for part in visible(text).split(" ") if part)


def escape_text(text: str) -> str:
    """Plain ``text`` as markup that shows it as it is (see ``domain.text.markup_text``)."""
    return markup_text(text)


def clip(text: str, width: int) -> str:
    """Plain ``text`` cut to at most ``width`` cells, with ``…`` when cut."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…" if width == 1 else ""
    out, used = [], 0
    for ch in text:
        used += cell_len(ch)
        if used > width - 1:
            break
        out.append(ch)
    return "".join(out).rstrip() + "…"


# ---------------------------------------------------------------- the widget


class Drawing(Widget):
    """A widget drawn by a function of its width: ``show(lambda width: [lines])``."""

    DEFAULT_CSS = """
    Drawing {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._draw: Callable[[int], list[str]] | None = None
        self._cache: tuple[int, list[str]] | None = None

    def show(self, draw: Callable[[int], list[str]] | None) -> None:
        self._draw = draw
        self._cache = None
        self.refresh(layout=True)

    def lines(self, width: int) -> list[str]:
        if self._draw is None or width <= 0:
            return []
        if self._cache is None or self._cache[0] != width:
            self._cache = (width, self._draw(width))
        return self._cache[1]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((cells(line) for line in self.lines(container.width)), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content.from_markup("\n".join(self.lines(self.size.width)))

    @property
    def text(self) -> str:
        """What is drawn now, without styles (for tests and screen readers)."""
        return "\n".join(Content.from_markup(line).plain for line in self.lines(self.size.width))


# ---------------------------------------------------------------- a cell canvas


class Canvas:
    """Cells with braille sub-pixels (2 × 4 per cell) for lines, and glyphs on top.

    A glyph put with a priority above ``LINE`` hides the braille of its cell; one below
    it (reference lines) shows only where no line passes.
    """

    LINE = 2

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.bits = [[0] * width for _ in range(height)]
        self.bit_style: list[list[str]] = [[""] * width for _ in range(height)]
        self.glyphs: dict[tuple[int, int], tuple[int, str, str]] = {}

    @property
    def px_width(self) -> int:
        return self.width * 2

    @property
    def px_height(self) -> int:
        return self.height * 4

    def dot(self, px: int, py: int, style: str) -> None:
        x, y = px // 2, py // 4
        if 0 <= x < self.width and 0 <= y < self.height and px >= 0 and py >= 0:
            self.bits[y][x] |= BRAILLE_BITS[py % 4][px % 2]
            self.bit_style[y][x] = style

    def line(self, x0: int, y0: int, x1: int, y1: int, style: str) -> None:
        """Bresenham's line between two sub-pixels."""
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        while True:
            self.dot(x0, y0, style)
            if x0 == x1 and y0 == y1:
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy

    def put(self, x: int, y: int, glyph: str, style: str, priority: int) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            old = self.glyphs.get((x, y))
            if old is None or old[0] <= priority:
                self.glyphs[(x, y)] = (priority, glyph, style)

    def hline(self, y: int, glyph: str, style: str, priority: int = 1) -> None:
        for x in range(self.width):
            self.put(x, y, glyph, style, priority)

    def rows(self) -> list[str]:
        out = []
        for y in range(self.height):
            parts: list[tuple[str, str]] = []
            for x in range(self.width):
                glyph = self.glyphs.get((x, y))
                bits = self.bits[y][x]
                if glyph is not None and (glyph[0] > self.LINE or not bits):
                    parts.append((glyph[1], glyph[2]))
                elif bits:
                    parts.append((chr(0x2800 + bits), self.bit_style[y][x]))
                else:
                    parts.append((" ", ""))
            out.append(join_styled(parts))
        return out


def join_styled(parts: Sequence[tuple[str, str]]) -> str:
    """Markup for (text, style) pairs, runs of one style merged."""
    out: list[str] = []
    run_style = ""
    run: list[str] = []
    for text, style in [*parts, ("", "\0")]:
        if style != run_style:
            if run:
                chunk = escape("".join(run))
                out.append(f"[{run_style}]{chunk}[/]" if run_style else chunk)
            run_style, run = style, []
        run.append(text)
    return "".join(out)


# ---------------------------------------------------------------- line plot


@dataclass
class Series:
    """One line of a plot: weekly points joined by a line, optional daily dots."""

    label: str
    points: Sequence[tuple[float, float]]  # (day offset from the plot's first day, value)
    style: str = "b $accent"
    marker: str = "●"
    dots: Sequence[tuple[float, float]] = field(default_factory=list)
    dot_style: str = "$primary"
    dot_glyph: str = "•"


@dataclass
class RefLine:
    label: str
    value: float
    glyph: str
    style: str


@dataclass
class Mark:
    """A moment on the x axis (a tweak): a dotted column up the plot from ``day`` and a
    glyph on the axis beneath it."""

    day: float  # day offset from the plot's first day (where the new week begins)
    glyph: str = "▲"
    column: str = "┊"
    style: str = TWEAK_STYLE


@dataclass
class Plot:
    """What a plot shows; ``draw`` lays it out in a width."""

    start: dt.date  # the first day on the x axis
    days: int  # how many days the x axis spans
    series: list[Series]
    refs: list[RefLine] = field(default_factory=list)
    invert: bool = False  # lower is better: small values at the top
    height: int = 8
    week_labels: list[tuple[int, str]] = field(default_factory=list)  # (day offset, text)
    fixed: tuple[float, float] | None = None  # y range to include (e.g. 0–100 %)
    suffix: str = ""  # after axis numbers ("%")
    min_gutter: int = 0  # width of the y-axis labels at least (to line up other charts)
    marks: list[Mark] = field(default_factory=list)  # moments marked on the x axis

    def y_range(self) -> tuple[float, float]:
        values = [v for s in self.series for _, v in [*s.points, *s.dots]]
        values += [r.value for r in self.refs]
        if self.fixed:
            values += list(self.fixed)
        if not values:
            return 0.0, 1.0
        lo, hi = min(values), max(values)
        if math.isclose(lo, hi):
            lo, hi = lo - 1, hi + 1
        pad = (hi - lo) * 0.06
        return lo - pad, hi + pad

    def draw(self, width: int) -> list[str]:
        lo, hi = self.y_range()
        height = max(3, self.height)
        labels: dict[int, str] = {}  # row: the value written on the axis
        plot_rows = height

        def row_of(value: float) -> int:
            return pixel_of(value) // 4

        def pixel_of(value: float) -> int:
            frac = (value - lo) / (hi - lo)
            if self.invert:
                frac = 1 - frac
            return max(0, min(plot_rows * 4 - 1, round((1 - frac) * (plot_rows * 4 - 1))))

        # axis labels: the reference lines first, then the top and bottom values
        wanted = [(r.value, 0) for r in self.refs]
        top, bottom = (lo, hi) if self.invert else (hi, lo)
        wanted += [(top, 1), (bottom, 1)]
        for value, _ in wanted:
            row = row_of(value)
            if row in labels or any(abs(row - r) < 1 for r in labels):
                continue
            labels[row] = fmt(value) + self.suffix
        gutter = max(self.min_gutter, max((len(t) for t in labels.values()), default=1) + 1)
        plot_width = max(8, width - gutter - 1)
        days = max(1, self.days)
        # whole cells per day when they fit, so bars drawn below line up day by day
        per_day = plot_width // days if plot_width >= days else plot_width / days
        plot_width = min(plot_width, math.ceil(per_day * days))
        canvas = Canvas(plot_width, plot_rows)

        def px(day: float) -> int:
            return min(canvas.px_width - 1, int((day + 0.5) * per_day * 2))

        for ref in self.refs:
            canvas.hline(row_of(ref.value), ref.glyph, ref.style, priority=1)
        on_axis: dict[int, Mark] = {}
        for mark in self.marks:
            x = int(mark.day * per_day)
            if 0 <= x < canvas.width:  # a column, shown where no line or dot passes
                on_axis[x] = mark
                for y in range(plot_rows):
                    canvas.put(x, y, mark.column, mark.style, priority=1)
        for s in self.series:
            for day, value in s.dots:
                canvas.put(int(px(day) // 2), row_of(value), s.dot_glyph, s.dot_style, 3)
            pts = [(px(d), pixel_of(v)) for d, v in s.points]
            for (x0, y0), (x1, y1) in itertools.pairwise(pts):
                canvas.line(x0, y0, x1, y1, s.style)
            for x, y in pts:
                canvas.put(x // 2, y // 4, s.marker, s.style, 4)
        rows = canvas.rows()
        lines = []
        for y, cells_row in enumerate(rows):
            label = labels.get(y)
            tick = "┤" if label else "│"
            lines.append(f"[{MUTED}]{escape((label or '').rjust(gutter))}{tick}[/]{cells_row}")
        lines.append(join_styled([(" " * gutter + "└", MUTED)] + [
            (on_axis[x].glyph, on_axis[x].style) if x in on_axis else ("─", MUTED)
            for x in range(plot_width)
        ]))
        axis = [" "] * plot_width
        taken = -1
        for day, text in self.week_labels:
            x = int(day * per_day)
            if x <= taken or x + len(text) > plot_width:
                continue
            axis[x: x + len(text)] = list(text)
            taken = x + len(text)
        lines.append(f"[{MUTED}]{' ' * (gutter + 1)}{escape(''.join(axis).rstrip())}[/]")
        return lines


# ---------------------------------------------------------------- legends


def pack(items: Sequence[str], width: int, sep: str = "   ") -> list[str]:
    """Legend items (markup) on as few lines of ``width`` cells as they fit, never one
    item split across two lines."""
    lines: list[str] = []
    for item in items:
        if lines and cells(lines[-1] + sep + item) <= width:
            lines[-1] += sep + item
        else:
            lines.append(item)
    return lines


def tweak_lines(tweak: Tweak, effect: TweakEffect, unit: str, width: int) -> list[str]:
    """``▲ Tweak · week of 26 Oct: <what changed> · <before vs after>`` in ``width``
    cells: what changed on one line, cut with ``…`` to fit; the comparison goes on a
    line of its own when the width is too short for both."""
    head = f"[b {TWEAK_STYLE}]▲ Tweak[/] · week of {dates.day_month(tweak.week)}"
    style = {"better": DONE, "worse": MISSED}.get(effect.verdict, MUTED)
    label = one_line(effect.label(unit))  # the unit is user text too
    text = one_line(tweak.text)
    after = f"[{style}]{escape_text(label)}[/]"
    room, tail = width - cells(head) - 2, cell_len(label) + 3  # "head: text · label"
    if not text and room + 2 >= tail:
        return [f"{head} · {after}"]
    if text and room - tail >= min(cell_len(text), 16):
        return [f"{head}: {escape_text(clip(text, room - tail))} · {after}"]
    first = f"{head}: {escape_text(clip(text, room))}" if text else head
    return [first, f"  [{style}]{escape_text(clip(label, width - 2))}[/]"]


# ---------------------------------------------------------------- bars


@dataclass
class Bars:
    """Vertical bars, one per day (practice minutes), with the day's mark when no bar."""

    values: list[int]
    marks: list[str]  # done / skipped / missed / none / future
    height: int = 4
    gutter: int = 4
    unit: str = "m"
    week_labels: list[tuple[int, str]] = field(default_factory=list)

    def draw(self, width: int) -> list[str]:
        days = max(1, len(self.values))
        top = max(self.values, default=0)
        gutter = max(self.gutter, len(f"{top}{self.unit}"))
        plot_width = max(days, width - gutter - 1)
        per_day = max(1, plot_width // days)
        scale = top if top > 0 else 1
        height = max(1, self.height)
        grid: list[list[tuple[str, str]]] = [[] for _ in range(height)]
        for value, mark in zip(self.values, self.marks, strict=True):
            eighths = round(value / scale * height * 8) if value > 0 else 0
            if value > 0:
                eighths = max(1, eighths)
            bar_w = per_day - 1 if per_day >= 2 else per_day  # a gap between days
            for row in range(height):
                level = row  # 0 = bottom
                filled = min(8, max(0, eighths - 8 * level))
                if filled:
                    glyph, style = EIGHTHS[filled], DONE
                elif row == 0 and mark == "skipped":
                    glyph, style = "–", REST
                elif row == 0 and mark == "missed":
                    glyph, style = "✗", MISSED
                else:
                    glyph, style = " ", ""
                cell = [(glyph, style)] * bar_w + [(" ", "")] * (per_day - bar_w)
                grid[height - 1 - row].extend(cell)
        lines = []
        for i, grid_row in enumerate(grid):
            label = f"{top}{self.unit}" if i == 0 and top else ("0" if i == height - 1 else "")
            tick = "┤" if label else "│"
            lines.append(f"[{MUTED}]{label.rjust(gutter)}{tick}[/]{join_styled(grid_row)}")
        axis = [" "] * (days * per_day)
        taken = -1
        for day, text in self.week_labels:
            x = day * per_day
            if x <= taken or x + len(text) > len(axis):
                continue
            axis[x: x + len(text)] = list(text)
            taken = x + len(text)
        lines.append(f"[{MUTED}]{' ' * (gutter + 1)}{escape(''.join(axis).rstrip())}[/]")
        return lines


# ---------------------------------------------------------------- sparklines


def ratio_style(ratio: float | None) -> str:
    if ratio is None:
        return MUTED
    if ratio >= 0.85:
        return DONE
    if ratio >= 0.5:
        return "$warning"
    return MISSED


def spark(ratio: float | None) -> str:
    """One cell for a ratio 0–1 (None: nothing expected, drawn as a dot)."""
    if ratio is None:
        return "·"
    return EIGHTHS[max(1, min(8, round(ratio * 8)))]


def sparkline(ratios: Sequence[float | None], spacing: int = 0) -> str:
    return join_styled([(spark(r) + " " * spacing, ratio_style(r)) for r in ratios])


def percent(ratio: float | None) -> str:
    return "–" if ratio is None else f"{round(100 * ratio)}%"
