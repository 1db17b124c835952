"""A month calendar that marks days with entries; a cursor day can be chosen with keys."""

from __future__ import annotations

import datetime as dt

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from ..domain import dates


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
        self.first_weekday = dates.MONDAY
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
        lines = [f"[b]{dates.month_label(day)}[/b]".center(34)]
        heads = dates.weekday_heads(self.first_weekday)
        lines.append("[$text-muted]" + " ".join(f"{h:>3}" for h in heads) + "[/]")
        for week in dates.month_grid(day.year, day.month, self.first_weekday):
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
        self.show_day(dates.add_months(self.cursor, months))
