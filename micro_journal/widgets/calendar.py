"""A month calendar that marks days with entries; a cursor day can be chosen with keys."""

from __future__ import annotations

import calendar
import datetime as dt

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from ..domain import rules


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


class MonthCalendar(Static, can_focus=True):
    """Days with entries are marked ``•``; today is underlined; the cursor is reversed."""

    BINDINGS = [
        Binding("left,h", "move(-1)", "Day −1", show=False),
        Binding("right,l", "move(1)", "Day +1", show=False),
        Binding("up,k", "move(-7)", "Week −1", show=False),
        Binding("down,j", "move(7)", "Week +1", show=False),
        Binding("enter", "choose", "Show day"),
    ]

    class DayChosen(Message):
        def __init__(self, day: dt.date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # placeholders until setup() gives the app's own today (its clock, not the
        # machine's: a pinned date, a day that starts at 4 am)
        self.cursor = self.today = dt.date.today()
        self._placed = False  # whether the cursor has been put on a day yet
        self.first_weekday = rules.MONDAY
        self.marked: set[int] = set()
        self._source = None

    def setup(self, today: dt.date, first_weekday: int, source) -> None:
        """``source(year, month)`` returns the day numbers that have entries."""
        self.today = today
        self.first_weekday = first_weekday
        self._source = source
        self.show_day(self.cursor if self._placed else today)

    def show_day(self, day: dt.date) -> None:
        self.cursor = day
        self._placed = True
        if self._source is not None:
            self.marked = self._source(day.year, day.month)
        self.update(self._render_month())

    def _render_month(self) -> str:
        day = self.cursor
        cal = calendar.Calendar(self.first_weekday)
        lines = [f"[b]{day.strftime('%B %Y')}[/b]".center(34)]
        heads = [
            calendar.day_abbr[(self.first_weekday + i) % 7][:2] for i in range(7)
        ]
        lines.append("[$text-muted]" + " ".join(f"{h:>3}" for h in heads) + "[/]")
        for week in cal.monthdayscalendar(day.year, day.month):
            cells = []
            for number in week:
                if number == 0:
                    cells.append("   ")
                    continue
                text = f"{number:>2}"
                mark = "[$accent]•[/]" if number in self.marked else " "
                this = dt.date(day.year, day.month, number)
                if this == self.cursor and self.has_focus:
                    text = f"[reverse]{text}[/]"
                elif this == self.cursor:
                    text = f"[b $accent]{text}[/]"
                if this == self.today:
                    text = f"[u]{text}[/]"
                cells.append(f"{text}{mark}")
            lines.append(" ".join(cells))
        return "\n".join(lines)

    def on_focus(self) -> None:
        self.show_day(self.cursor)

    def on_blur(self) -> None:
        self.show_day(self.cursor)

    def action_move(self, days: int) -> None:
        self.show_day(self.cursor + dt.timedelta(days=days))

    def action_choose(self) -> None:
        self.post_message(self.DayChosen(self.cursor))

    def shift_month(self, months: int) -> None:
        self.show_day(add_months(self.cursor, months))
