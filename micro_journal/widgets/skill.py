"""How a skill looks on Today: the big focus card and the compact stacked row."""

from __future__ import annotations

from rich.cells import cell_len
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Style, Visual
from textual.widget import Widget
from textual.widgets import Static

from ..domain.models import Metric
from ..domain.text import markup_line, visible
from ..services.today import SkillToday
from .pieces import Line, Piece, PieceStyles, content, plain

STATE_PIECE: dict[str, Piece] = {
    "done": ("✔ done", "$done"),
    "skipped": ("– rest day", "$skipped"),
    "open": ("○ not yet", "$text-muted"),
}
ROW_MARK = {"done": "[$done]✔[/]", "skipped": "[$skipped]–[/]", "open": "[$text-muted]○[/]"}


def paint(widget: Static, text: str) -> bool:
    """Show ``text`` on ``widget``; False (and nothing done) when it already shows it.

    Textual's ``Static.update`` re-renders the widget and lays the whole screen out
    again even for the very same text: a check-in on Today changes a line or two, and
    redrawing every widget of the screen cost it ~10× a one-line repaint. The layout is
    redone only when the widget's size can change: always for a width that follows the
    text; never for a height set in CSS; for an automatic height, when the new text
    takes another number of lines at the widget's width (a long note wraps), or when
    the widget was not laid out yet.
    """
    if widget.content == text:
        return False
    size = widget.content_size  # as laid out now (zero when hidden or not yet shown)
    widget.update(text, layout=False)
    width, height = widget.styles.width, widget.styles.height
    if width is not None and width.is_auto:  # as wide as its text
        widget.refresh(layout=True)
    elif height is not None and not height.is_auto:
        pass  # its height is the CSS's, whatever the text
    elif not size.width or size.height != widget.get_content_height(
        size, widget.app.size, size.width
    ):
        widget.refresh(layout=True)
    return True


def fmt_number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}"


def metric_line(metric: Metric) -> Piece:
    if not metric.name:
        return ("no metric yet", "$text-muted")
    unit = f" ({visible(metric.unit)})" if metric.unit else ""
    arrow = "↓ lower is better" if metric.direction == "lower" else "↑ higher is better"
    parts = [f"{visible(metric.name)}{unit}", arrow]
    if metric.baseline is not None or metric.target is not None:
        parts.append(f"baseline {fmt_number(metric.baseline)} → target {fmt_number(metric.target)}")
    return (" · ".join(parts), "")


def week_dots(s: SkillToday) -> tuple[Piece, Piece]:
    done = s.week.done
    target = s.week.target
    filled = "●" * min(done, target)
    empty = "○" * max(0, target - done)
    extra = "●" * max(0, done - target)
    return (f"{filled}{extra}", "$done"), (empty, "$text-muted")


class SkillCard(Widget):
    """The focus skill, with everything needed to decide today's practice.

    Drawn a line at a time (Textual's line API) from pieces of text, each style made
    once per theme, and each line kept as drawn: a check-in changes two of the card's
    lines, and parsing and styling the whole card again was about a third of a
    check-in key. A line wider than the card is wrapped as Textual wraps text."""

    _title: str | None = None  # the border title last set

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Line] = []
        # each line as drawn: (line, width, style) -> its rows once wrapped
        self._drawn: dict[tuple[Line, int, Style], list[Strip]] = {}
        self._rows: tuple[int, Style, list[Strip]] | None = None  # every row, for a size
        self._styles = PieceStyles()

    @property
    def lines(self) -> list[str]:
        """The card's lines as plain text (before wrapping)."""
        return [plain(line) for line in self._lines]

    def show(self, s: SkillToday, plan_label: str | None, selected: bool) -> None:
        self.set_class(selected, "-selected")
        self.set_class(s.state == "done", "-done")
        c = s.checkin
        today: list[Piece] = [("Today   ", ""), STATE_PIECE[s.state]]
        bits = []
        if c and c.minutes is not None:
            bits.append(f"{c.minutes} min")
        if c and c.value is not None:
            bits.append(f"value {fmt_number(c.value)}")
        if c and c.note:
            bits.append(f"“{visible(c.note)}”")
        if bits:
            today.append(("  ·  " + "  ·  ".join(bits), ""))
        lines: list[Line] = [((visible(s.skill.title), "b"),)]
        if s.skill.why:
            lines.append(((visible(s.skill.why), "$text-muted"),))
        lines.append((("Metric  ", ""), metric_line(s.skill.metric)))
        lines.append((
            ("Week    ", ""), *week_dots(s), (f" {s.week.done}/{s.week.target}   ", ""),
            (f"Streak {s.streaks.current}", "$streak"),
            (f" (best {s.streaks.best})   Practice {s.skill.practice_minutes} min", ""),
        ))
        lines.append(tuple(today))
        self._set_lines(lines)
        objective = markup_line(s.objective.title) if s.objective else ""
        where = f"{objective} · {plan_label}" if plan_label else objective
        title = f"Focus · {where}" if where else "Focus"
        if title != self._title:  # setting it repaints, even to the same title
            self._title = title
            self.border_title = title

    def _set_lines(self, lines: list[Line]) -> None:
        """Show ``lines``: the rows of the lines that changed are drawn again; the
        screen is laid out again only when the card's height changes."""
        old = self._lines
        if lines == old:
            return
        width = self.size.width
        self._lines = lines
        self._rows = None
        if not width or len(lines) != len(old):  # not laid out yet, or another height
            self._forget(lines)
            self.refresh(layout=True)
            return
        heights = [len(self._wrapped(line, width)) for line in lines]
        same = heights == [len(self._wrapped(line, width)) for line in old]
        self._forget(lines)
        if not same:  # a line wraps another way
            self.refresh(layout=True)
            return
        y = 0
        for before, line, height in zip(old, lines, heights, strict=True):
            if before != line:
                self.refresh(Region(0, y, width, height))
            y += height

    def _forget(self, lines: list[Line]) -> None:
        """Keep the drawn rows of ``lines`` only."""
        kept = set(lines)
        self._drawn = {k: v for k, v in self._drawn.items() if k[0] in kept}

    def _wrapped(self, line: Line, width: int) -> list[Strip]:
        """The rows of ``line`` at ``width``, styled as this card is now."""
        style = self.visual_style
        key = (line, width, style)
        rows = self._drawn.get(key)
        if rows is None:
            if sum(cell_len(text) for text, _ in line) <= width:  # one row, as it is
                rows = [Strip(self._styles.segments(line, style))]
            else:
                rows = Visual.to_strips(self, content(line), width, None, style)
            self._drawn[key] = rows
        return rows

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(len(self._wrapped(line, width)) for line in self._lines)

    def render_line(self, y: int) -> Strip:
        width, style = self.size.width, self.visual_style
        drawn = self._rows
        if drawn is None or drawn[0] != width or drawn[1] != style:
            rows = [row for line in self._lines for row in self._wrapped(line, width)]
            drawn = self._rows = (width, style, rows)
        rows = drawn[2]
        return rows[y] if 0 <= y < len(rows) else Strip.blank(width, self.rich_style)


class SkillRow(Static):
    """One stacked (or other objective's) skill on a single line."""

    skill_id: str | None = None  # the skill shown, once ``show`` has run

    def show(self, s: SkillToday, selected: bool) -> None:
        self.skill_id = s.skill.id
        self.set_class(selected, "-selected")
        marker = "▶" if selected else " "
        objective = (
            f" [$text-muted]· {markup_line(s.objective.title)}[/]"
            if s.is_focus and s.objective else ""
        )
        paint(
            self,
            f"{marker} {ROW_MARK[s.state]} {markup_line(s.skill.title)}{objective}  "
            f"[$text-muted]{s.week.done}/{s.week.target} · streak {s.streaks.current}[/]",
        )
