"""This week at a glance: each active skill's seven days as marks, in the user's week order."""

from __future__ import annotations

import datetime as dt

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


class WeekGrid(Static):
    """Rows of ``✔ done · – rest · ✗ missed · ○ today · future`` for the current week."""

    def show(
        self, skills: list[SkillToday], today: dt.date, first_weekday: int, width: int,
    ) -> None:
        days = dates.week_days(today, first_weekday)
        title_width = max(12, min(56, width - 7 * 4 - 14))
        head = " " * (title_width + 2) + " ".join(dates.weekday_abbr(d) for d in days) + "  week"
        lines = [f"[$text-muted]{head}[/]"]
        for s in skills:
            marks = rules.week_marks(s.states, today, today, first_weekday)
            cells = "   ".join(MARKS[m] for _, m in marks)
            title = s.skill.title
            if len(title) > title_width:
                title = title[: title_width - 1] + "…"
            lines.append(
                f"{markup_line(title.ljust(title_width))}   {cells}   {s.week.done}/{s.week.target}"
            )
        lines.append(
            "[$text-muted]✔ done   – rest day   ✗ missed   ○ today   · to come[/]"
        )
        paint(self, "\n".join(lines))  # the same grid (a move, a redraw) is not repainted
