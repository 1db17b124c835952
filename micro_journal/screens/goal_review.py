"""The monthly and quarterly review of micro-goals (``m`` / ``M`` on Goals): goals done
with their insights, skills mastered, stale goals with one-key reschedule or drop, and
a review note stored per period. ``←``/``→`` move between periods, ``t`` switches
between months and quarters."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ..domain import dates
from ..domain.goals import Period
from ..domain.text import markup_line, markup_lines
from ..keymap import GOAL_REVIEW_KEYS, bindings
from ..services import goals as svc
from .base import JournalScreen
from .shared import (
    drop_goal,
    goal_row,
    moved_goal,
    reschedule_goal,
    screen_frame,
    scroll_to,
    sized_rows,
    start_drawing,
)


class StaleRow(Static):
    def show(self, row: svc.GoalRow, objective: str, selected: bool) -> None:
        self.goal_id = row.goal.id
        self.set_class(selected, "-selected")
        where = f"  [$text-muted]{markup_line(objective)}[/]" if objective else ""
        self.update(
            f"[$error]![/] {markup_line(row.goal.action)}  [$error]{row.late} days past its "
            f"deadline[/]{where}"
        )


class GoalReviewScreen(JournalScreen):
    CSS_PATH = ["../styles/plan.tcss", "../styles/goals.tcss"]
    KEYS = GOAL_REVIEW_KEYS
    BINDINGS: ClassVar[list[BindingType]] = [*bindings(GOAL_REVIEW_KEYS)]  # a list[BindingType]

    def __init__(self, kind: str = "month", period: Period | None = None) -> None:
        super().__init__(name="goal review")
        self.kind = kind
        self.period = period
        self.view: svc.ReviewView | None = None
        self.selected_id: str | None = None

    def compose(self) -> ComposeResult:
        yield from screen_frame(
            "review-body",
            Static(id="review-summary"),
            Static(classes="section-title", id="done-title"),
            Static(id="review-done", classes="review-section"),
            Static(classes="section-title", id="mastered-title"),
            Static(id="review-mastered", classes="review-section"),
            Static(classes="section-title", id="stale-title"),
            Static(id="stale-empty", classes="review-section"),
            Vertical(id="review-stale"),
            Static("Review note", classes="section-title", id="note-title"),
            Static(id="review-note", classes="review-section"),
        )

    def on_mount(self) -> None:
        self.refresh_view()

    # ----------------------------------------------------------------- drawing
    @property
    def stale(self) -> list[svc.GoalRow]:
        return self.view.stale if self.view else []

    @property
    def selected(self) -> svc.GoalRow | None:
        return goal_row(self.stale, self.selected_id)

    def refresh_view(self) -> None:
        app = self.journal_app
        today = start_drawing(self)
        if self.period is None:
            self.period = Period.containing(today, self.kind)
        repo = app.repo
        if repo is None:
            self.view = None
            return
        self.view = svc.build_review(
            repo, self.period, today, app.clock.day_start_hour, app.config.first_weekday
        )
        ids = [r.goal.id for r in self.stale]
        if self.selected_id not in ids:
            self.selected_id = ids[0] if ids else None
        self._draw()
        self.refresh_bindings()

    def _draw(self) -> None:
        view = self.view
        assert view is not None
        period, roll = view.period, view.rollup
        other = "quarter" if period.kind == "month" else "month"
        when = " · this " + period.kind if view.is_current else ""
        self.query_one("#topbar", Static).update(
            f"[b]Goal review[/b]  [b]{markup_line(period.label)}[/b]{when}  "
            f"[$text-muted]← → {'earlier/later ' if self.size.width >= 100 else ''}"
            f"{period.kind}s · t {other}[/]"
        )
        self.query_one("#review-summary", Static).update(self._summary())
        # done goals, with insights
        self.query_one("#done-title", Static).update(f"Goals done ({len(roll.done)})")
        lines = []
        for goal, day in roll.done:
            where = markup_line(view.objective_title(goal.objective_id))
            lines.append(
                f"[$done]✔[/] [b]{markup_line(goal.action)}[/b]  "
                f"[$text-muted]{dates.day_short(day)} · {where}[/]"
            )
            if goal.insight:
                lines.append(f"    [i]“{markup_lines(goal.insight)}”[/i]")
        if not lines:
            if view.is_future:
                lines.append("[$text-muted]This period has not started yet.[/]")
            else:
                lines.append(
                    "[$text-muted]No goal was completed in this period. Small, dated goals "
                    "are easier to finish: n on Goals adds one.[/]"
                )
        self.query_one("#review-done", Static).update("\n".join(lines))
        # skills mastered
        self.query_one("#mastered-title", Static).update(
            f"Skills mastered ({len(roll.mastered)})"
        )
        mastered = [
            f"[$done]★[/] {markup_line(m.skill.title)}  [$text-muted]{dates.day_month(m.day)}[/]"
            for m in roll.mastered
        ] or ["[$text-muted]None in this period: a skill is mastered in the first week it "
              "meets its practice days and its metric's target.[/]"]
        self.query_one("#review-mastered", Static).update("\n".join(mastered))
        # stale goals (now, whatever the period shown)
        self.query_one("#stale-title", Static).update(
            f"Stale goals now ({len(view.stale)}) · open over two weeks past the deadline"
        )
        empty = self.query_one("#stale-empty", Static)
        empty.display = not view.stale
        empty.update("[$text-muted]None: every open goal is on time or recently due.[/]")
        self._draw_stale()
        # the note
        note = view.note.note if view.note else ""
        self.query_one("#review-note", Static).update(
            markup_lines(note) if note.strip() else
            f"[$text-muted]No note for {markup_line(period.label)} yet: n writes one (what these "
            "goals added up to, what to change next).[/]"
        )

    def _summary(self) -> str:
        view = self.view
        assert view is not None
        roll = view.rollup
        bits = [
            f"[b]{len(roll.done)}[/b] goal{'s' if len(roll.done) != 1 else ''} done",
            f"[b]{len(roll.insights)}[/b] with an insight",
            f"[b]{len(roll.mastered)}[/b] skill{'s' if len(roll.mastered) != 1 else ''} "
            "mastered",
        ]
        lines = ["  ·  ".join(bits)]
        by_objective = roll.done_by_objective()
        if by_objective:
            lines.append("By objective: " + "  ·  ".join(
                f"{markup_line(view.objective_title(oid))} {n}" for oid, n in by_objective.items()
            ))
        if view.period.kind == "quarter":
            lines.append("By month: " + "  ·  ".join(
                f"{dates.month_short(m.start)} {n}" for m, n in roll.done_by_month()
            ))
        return "\n".join(lines)

    def _draw_stale(self) -> None:
        view = self.view
        assert view is not None
        rows = sized_rows(self.query_one("#review-stale", Vertical), StaleRow, len(view.stale))
        selected = self.selected
        for widget, row in zip(rows, view.stale, strict=True):
            widget.show(row, view.objective_title(row.goal.objective_id), row is selected)

    # ----------------------------------------------------------------- keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("reschedule", "drop", "move"):
            return bool(self.stale)
        if action == "note":
            return self.journal_app.repo is not None
        return True

    def action_shift(self, steps: int) -> None:
        if self.period is None:
            return
        self.period = self.period.shift(steps)
        self.refresh_view()
        self.query_one("#review-body", VerticalScroll).scroll_home(animate=False)

    def action_toggle_kind(self) -> None:
        if self.period is None:
            return
        self.kind = "quarter" if self.period.kind == "month" else "month"
        today = self.journal_app.clock.today()
        # stay in time: the month shown becomes its quarter; a quarter becomes its month
        # holding today when it holds today, else its first month
        if self.kind == "month" and self.period.contains(today):
            self.period = Period.containing(today, "month")
        else:
            self.period = self.period.as_kind(self.kind)
        self.refresh_view()

    def action_move(self, step: int) -> None:
        goal_id = moved_goal(self.stale, self.selected_id, step)
        if goal_id is None:
            return
        self.selected_id = goal_id
        self._draw_stale()
        scroll_to(
            self.query_one("#review-body", VerticalScroll), self.query(StaleRow), "goal_id",
            self.selected_id,
        )

    def action_reschedule(self) -> None:
        row = self.selected
        if row is not None:
            reschedule_goal(self, row.goal, after=self.refresh_view)

    def action_drop(self) -> None:
        row = self.selected
        if row is None:
            return
        goal = row.goal

        def dropped() -> None:
            self.refresh_view()
            self.notify(f"Dropped: {goal.action} (restorable on Goals).", timeout=4)

        drop_goal(self, goal, after=dropped)

    def action_note(self) -> None:
        from .goal_dialogs import NotePrompt

        if self.view is None or self.period is None:
            return
        period = self.period
        current = self.view.note.note if self.view.note else ""

        def written(text: str | None) -> None:
            if text is None or text.strip() == current.strip():
                return
            saved = self.write(lambda: svc.save_note(self.repo, period, text),
                               what="review note")
            if saved is not None:
                self.refresh_view()
                self.notify(f"Review note of {period.label} saved.", timeout=3)

        self.app.push_screen(NotePrompt(period.label, current), written)

    def action_close(self) -> None:
        self.dismiss()
