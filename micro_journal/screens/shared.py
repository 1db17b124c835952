"""What the list screens (Goals, the goal review, Plan) share, in one place: their frame,
the start of a drawing, a container's rows redrawn in place, the selection and scrolling
to it, and the two goal changes both goal screens offer (reschedule, drop)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from ..domain import goals as rules_goals
from ..domain.models import MicroGoal
from ..services import goals as svc
from ..widgets.footer import KeyFooter
from .base import JournalScreen

W = TypeVar("W", bound=Widget)


# ----------------------------------------------------------------- frame and drawing
def screen_frame(body_id: str, *body: Widget, below: Iterable[Widget] = ()) -> ComposeResult:
    """A list screen's widgets: the top bar, the read-only banner, the scrolling body
    ``body_id`` holding ``body``, what stands ``below`` it (a detail pane), the footer."""
    yield Static(id="topbar")
    yield Static(id="banner")
    yield VerticalScroll(*body, id=body_id, can_focus=False)
    yield from below
    yield KeyFooter(compact=True, show_command_palette=False)


def start_drawing(screen: JournalScreen) -> dt.date:
    """The start of every drawing from the journal: the app learns the day (it may have
    moved on) and the read-only banner is shown or hidden. Returns the day."""
    app = screen.journal_app
    today = app.clock.today()
    app.today = today
    screen.draw_read_only_banner()
    return today


def sized_rows(container: Widget, kind: type[W], count: int) -> list[W]:
    """The ``kind`` widgets in ``container``, ``count`` of them: the ones there when the
    number is right (redrawn in place, so nothing flickers), else as many new ones."""
    rows = list(container.query(kind))
    if len(rows) != count:
        container.remove_children()
        rows = [kind() for _ in range(count)]
        container.mount_all(rows)
    return rows


def scroll_to(body: VerticalScroll, widgets: Iterable[Widget], attr: str, value: object) -> None:
    """Scroll ``body`` to the first of ``widgets`` whose ``attr`` is ``value`` (if any)."""
    for widget in widgets:
        if getattr(widget, attr, None) == value:
            body.scroll_to_widget(widget, animate=False)
            return


# ----------------------------------------------------------------- a list of goals
def goal_row(rows: list[svc.GoalRow], goal_id: str | None) -> svc.GoalRow | None:
    """The row of the goal ``goal_id``, else the first row (None when there is none)."""
    for row in rows:
        if row.goal.id == goal_id:
            return row
    return rows[0] if rows else None


def moved_goal(rows: list[svc.GoalRow], goal_id: str | None, step: int) -> str | None:
    """The goal ``step`` rows from ``goal_id`` (from the first when it is not listed),
    held at either end of the list; None when the list is empty."""
    ids = [r.goal.id for r in rows]
    if not ids:
        return None
    index = ids.index(goal_id) if goal_id in ids else 0
    return ids[max(0, min(len(ids) - 1, index + step))]


def reschedule_goal(screen: JournalScreen, goal: MicroGoal, after: Callable[[], None]) -> None:
    """Ask for a new deadline (``r``) and save it; ``after`` redraws the screen, then the
    new deadline is told."""
    from .goal_dialogs import ReschedulePrompt

    def chosen(text: str | None) -> None:
        if text is None:
            return
        today = screen.journal_app.clock.today()
        saved = screen.write(
            lambda: svc.reschedule(screen.repo, goal, text, today), what="new deadline"
        )
        if saved is not None:
            after()
            when = rules_goals.describe_deadline(dt.date.fromisoformat(saved.deadline), today)
            screen.notify(f"Rescheduled: {goal.action} → {when}.", timeout=4)

    screen.app.push_screen(ReschedulePrompt(goal, screen.journal_app.clock.today()), chosen)


def drop_goal(screen: JournalScreen, goal: MicroGoal, after: Callable[[], None]) -> None:
    """Ask why ``goal`` is dropped (``x``) and save the drop; ``after`` redraws the screen
    and says where the goal can be restored."""
    from .goal_dialogs import DropPrompt

    def dropped(reason: str | None) -> None:
        if reason is None:
            return
        saved = screen.write(lambda: svc.drop(screen.repo, goal, reason), what="drop")
        if saved is not None:
            after()

    screen.app.push_screen(DropPrompt(goal), dropped)
