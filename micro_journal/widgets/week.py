"""This week at a glance: each active skill's seven days as marks, in the user's week order."""

from __future__ import annotations

import datetime as dt

from textual.containers import Vertical
from textual.widgets import Static

from ..domain import dates, rules
from ..domain.text import markup_line
from ..services.today import SkillToday
from .skill import paint

# a day's mark, by the state ``rules.week_marks`` gives it (the Plan's grid draws the same)
MARKS = {
    "done": "[$done]✔[/]",
    "skipped": "[$skipped]–[/]",
    "missed": "[$missed]✗[/]",
    "today": "[b $accent]○[/]",
    "future": "[$text-muted]·[/]",
    "none": " ",
}


class WeekGrid(Vertical):
    """Rows of ``✔ done · – rest · ✗ missed · ○ today · future`` for the current week.

    One line widget a row (the days' heading, each skill, the legend): a check-in
    repaints its skill's row only, not the grid (about 2 ms of a check-in key)."""

    DEFAULT_CSS = """
    WeekGrid { height: auto; }
    WeekGrid > Static { height: auto; }
    """

    def show(
        self, skills: list[SkillToday], today: dt.date, first_weekday: int, width: int,
    ) -> None:
        days = dates.week_days(today, first_weekday)
        title_width = self._title_width(width)
        head = " " * (title_width + 2) + " ".join(dates.weekday_abbr(d) for d in days) + "  week"
        lines = [f"[$text-muted]{head}[/]"]
        lines += [self._line(s, today, first_weekday, title_width) for s in skills]
        lines.append(
            "[$text-muted]✔ done   – rest day   ✗ missed   ○ today   · to come[/]"
        )
        rows = self.rows
        for row, line in zip(rows, lines, strict=False):
            paint(row, line)  # a row that shows the same is not repainted
        if len(rows) > len(lines):
            self.remove_children(rows[len(lines):])
        elif len(rows) < len(lines):
            self.mount_all([Static(line) for line in lines[len(rows):]])

    def show_skill(
        self, index: int, s: SkillToday, today: dt.date, first_weekday: int, width: int,
    ) -> bool:
        """Draw again only the row of ``s``, the ``index``-th skill ``show`` was given
        (after its check-in); False, with nothing drawn, when the grid has no such row."""
        rows = self.rows
        if not 0 <= index < len(rows) - 2:
            return False
        paint(rows[index + 1], self._line(s, today, first_weekday, self._title_width(width)))
        return True

    @staticmethod
    def _title_width(width: int) -> int:
        return max(12, min(56, width - 7 * 4 - 14))

    @staticmethod
    def _line(s: SkillToday, today: dt.date, first_weekday: int, title_width: int) -> str:
        marks = rules.week_marks(s.states, today, today, first_weekday)
        cells = "   ".join(MARKS[m] for _, m in marks)
        title = s.skill.title
        if len(title) > title_width:
            title = title[: title_width - 1] + "…"
        return f"{markup_line(title.ljust(title_width))}   {cells}   {s.week.done}/{s.week.target}"

    @property
    def rows(self) -> list[Static]:
        """The grid's lines: the days' heading, a row a skill, the legend."""
        return [row for row in self.children if isinstance(row, Static)]
