"""How a skill looks on Today: the big focus card and the compact stacked row."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Style, Visual
from textual.widget import Widget
from textual.widgets import Static

from ..domain.models import Metric
from ..domain.text import markup_line
from ..services.today import SkillToday

STATE_MARK = {
    "done": "[$done]✔ done[/]",
    "skipped": "[$skipped]– rest day[/]",
    "open": "[$text-muted]○ not yet[/]",
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


def metric_line(metric: Metric) -> str:
    if not metric.name:
        return "[$text-muted]no metric yet[/]"
    unit = f" ({markup_line(metric.unit)})" if metric.unit else ""
    arrow = "↓ lower is better" if metric.direction == "lower" else "↑ higher is better"
    parts = [f"{markup_line(metric.name)}{unit}", arrow]
    if metric.baseline is not None or metric.target is not None:
        parts.append(f"baseline {fmt_number(metric.baseline)} → target {fmt_number(metric.target)}")
    return " · ".join(parts)


def week_dots(s: SkillToday) -> str:
    done = s.week.done
    target = s.week.target
    filled = "●" * min(done, target)
    empty = "○" * max(0, target - done)
    extra = "●" * max(0, done - target)
    return f"[$done]{filled}{extra}[/][$text-muted]{empty}[/]"


class SkillCard(Widget):
    """The focus skill, with everything needed to decide today's practice.

    Drawn a line of text at a time (Textual's line API), each line styled and wrapped
    once and kept: a check-in changes two of its five lines (the week and today), and
    styling the whole card again was about a third of a check-in key."""

    _title: str | None = None  # the border title last set

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._markup: list[str] = []  # the card's lines, as markup
        # each line as drawn: (markup, width, style) -> its rows once wrapped
        self._drawn: dict[tuple[str, int, Style], list[Strip]] = {}
        self._rows: tuple[int, Style, list[Strip]] | None = None  # every row, for a size

    @property
    def lines(self) -> list[str]:
        """The card's lines as plain text (before wrapping)."""
        return [Content.from_markup(line).plain for line in self._markup]

    def show(self, s: SkillToday, plan_label: str | None, selected: bool) -> None:
        self.set_class(selected, "-selected")
        self.set_class(s.state == "done", "-done")
        c = s.checkin
        today_bits = [STATE_MARK[s.state]]
        if c and c.minutes is not None:
            today_bits.append(f"{c.minutes} min")
        if c and c.value is not None:
            today_bits.append(f"value {fmt_number(c.value)}")
        if c and c.note:
            today_bits.append(f"“{markup_line(c.note)}”")
        objective = markup_line(s.objective.title) if s.objective else ""
        lines = [
            f"[b]{markup_line(s.skill.title)}[/b]",
        ]
        if s.skill.why:
            lines.append(f"[$text-muted]{markup_line(s.skill.why)}[/]")
        lines.append(f"Metric  {metric_line(s.skill.metric)}")
        lines.append(
            f"Week    {week_dots(s)} {s.week.done}/{s.week.target}   "
            f"[$streak]Streak {s.streaks.current}[/] (best {s.streaks.best})   "
            f"Practice {s.skill.practice_minutes} min"
        )
        lines.append(f"Today   {'  ·  '.join(today_bits)}")
        self._set_lines(lines)
        where = f"{objective} · {plan_label}" if plan_label else objective
        title = f"Focus · {where}" if where else "Focus"
        if title != self._title:  # setting it repaints, even to the same title
            self._title = title
            self.border_title = title

    def _set_lines(self, lines: list[str]) -> None:
        """Show ``lines``: the rows of the lines that changed are drawn again; the
        screen is laid out again only when the card's height changes."""
        old = self._markup
        if lines == old:
            return
        width = self.size.width
        self._markup = lines
        self._rows = None
        kept = set(lines)
        self._drawn = {k: v for k, v in self._drawn.items() if k[0] in kept or k[0] in old}
        if not width or len(lines) != len(old):  # not laid out yet, or another height
            self.refresh(layout=True)
            return
        heights = [len(self._wrapped(line, width)) for line in lines]
        if heights != [len(self._wrapped(line, width)) for line in old]:  # a line wraps
            self.refresh(layout=True)
            return
        y = 0
        for before, line, height in zip(old, lines, heights, strict=True):
            if before != line:
                self.refresh(Region(0, y, width, height))
            y += height
        self._drawn = {k: v for k, v in self._drawn.items() if k[0] in kept}

    def _wrapped(self, line: str, width: int) -> list[Strip]:
        """The rows of ``line`` at ``width``, styled as this card is now."""
        style = self.visual_style
        key = (line, width, style)
        rows = self._drawn.get(key)
        if rows is None:
            rows = self._drawn[key] = Visual.to_strips(
                self, Content.from_markup(line), width, None, style)
        return rows

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(len(self._wrapped(line, width)) for line in self._markup)

    def render_line(self, y: int) -> Strip:
        width, style = self.size.width, self.visual_style
        drawn = self._rows
        if drawn is None or drawn[0] != width or drawn[1] != style:
            rows = [row for line in self._markup for row in self._wrapped(line, width)]
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
