"""This week at a glance: each active skill's seven days as marks, in the user's week order."""

from __future__ import annotations

import datetime as dt

from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from ..domain import dates, rules
from ..domain.text import visible
from ..services.today import SkillToday
from .pieces import Line, Piece, PieceStyles, plain

# a day's mark, by the state ``rules.week_marks`` gives it (the Plan's grid draws the same)
MARK_PIECES: dict[str, Piece] = {
    "done": ("✔", "$done"),
    "skipped": ("–", "$skipped"),
    "missed": ("✗", "$missed"),
    "today": ("○", "b $accent"),
    "future": ("·", "$text-muted"),
    "none": (" ", ""),
}
# the same as markup (the Plan's grid)
MARKS = {state: f"[{name}]{text}[/]" if name else text
         for state, (text, name) in MARK_PIECES.items()}

LEGEND: Line = (("✔ done   – rest day   ✗ missed   ○ today   · to come", "$text-muted"),)
GAP: Piece = ("   ", "")


class WeekGrid(Widget):
    """Rows of ``✔ done · – rest · ✗ missed · ○ today · future`` for the current week.

    One widget drawn a line at a time (Textual's line API), a check-in redrawing its
    skill's line only: a widget a row cost every check-in the repaint of each row
    (Textual renders every widget of the scrolling body once anything in it changes).
    A line is put together from its cells, each mark styled once per theme: styling a
    line of markup cost ~1 ms of a check-in. A line longer than the grid is cut."""

    DEFAULT_CSS = """
    WeekGrid { height: auto; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[Line] = []  # the days' heading, a line a skill, the legend
        self._styles = PieceStyles()

    @property
    def lines(self) -> list[str]:
        """The grid's lines as plain text: the days' heading, a row a skill, the legend."""
        return [plain(line) for line in self._lines]

    def show(
        self, skills: list[SkillToday], today: dt.date, first_weekday: int, width: int,
    ) -> None:
        days = dates.week_days(today, first_weekday)
        title_width = self._title_width(width)
        head = " " * (title_width + 2) + " ".join(dates.weekday_abbr(d) for d in days) + "  week"
        lines: list[Line] = [((head, "$text-muted"),)]
        lines += [self._line(s, today, first_weekday, title_width) for s in skills]
        lines.append(LEGEND)
        if len(lines) != len(self._lines):
            self._lines = lines
            self.refresh(layout=True)
            return
        for y, line in enumerate(lines):
            self._set_line(y, line)  # a line that shows the same is not redrawn

    def show_skill(
        self, index: int, s: SkillToday, today: dt.date, first_weekday: int, width: int,
    ) -> bool:
        """Draw again only the line of ``s``, the ``index``-th skill ``show`` was given
        (after its check-in); False, with nothing drawn, when the grid has no such line."""
        if not 0 <= index < len(self._lines) - 2:
            return False
        self._set_line(index + 1, self._line(s, today, first_weekday, self._title_width(width)))
        return True

    def _set_line(self, y: int, line: Line) -> None:
        if self._lines[y] != line:
            self._lines[y] = line
            self.refresh(Region(0, y, self.size.width, 1))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if not 0 <= y < len(self._lines):
            return Strip.blank(width, self.rich_style)
        segments = self._styles.segments(self._lines[y], self.visual_style)
        return Strip(segments).adjust_cell_length(width, self.rich_style)

    @staticmethod
    def _title_width(width: int) -> int:
        return max(12, min(56, width - 7 * 4 - 14))

    @staticmethod
    def _line(s: SkillToday, today: dt.date, first_weekday: int, title_width: int) -> Line:
        title = s.skill.title
        if len(title) > title_width:
            title = title[: title_width - 1] + "…"
        pieces: list[Piece] = [(visible(title).ljust(title_width), "")]
        for _, mark in rules.week_marks(s.states, today, today, first_weekday):
            pieces += [GAP, MARK_PIECES[mark]]
        pieces += [GAP, (f"{s.week.done}/{s.week.target}", "")]
        return tuple(pieces)
