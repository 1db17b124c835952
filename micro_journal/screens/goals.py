"""Goals (``5``): micro-goals grouped by objective — add, edit, complete (with a brief
celebration and an optional insight), drop and restore, reschedule; filters by status;
the monthly and quarterly reviews open from here (``m`` / ``M``)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ..domain import dates
from ..domain import goals as rules_goals
from ..domain.models import MicroGoal
from ..domain.text import markup_line, markup_lines, visible
from ..keymap import GOALS_KEYS, bindings
from ..services import goals as svc
from .base import JournalScreen
from .shared import (
    drop_goal,
    goal_row,
    moved_goal,
    reschedule_goal,
    screen_frame,
    scroll_to,
    start_drawing,
)

FILTER_LABEL = {"open": "open", "done": "done", "dropped": "dropped", "all": "all"}
MARK = {
    "stale": "[$error]![/]", "overdue": "[$error]○[/]", "due": "[$warning]○[/]",
    "upcoming": "[$text-muted]○[/]", "done": "[$done]✔[/]", "dropped": "[$text-muted]✗[/]",
}

RESTORE_HINT = "f → dropped, then u restores it"

EXPLAIN = (
    "A micro-goal is the next concrete action toward an objective: specific, with a short "
    "deadline and a simple success metric, small enough to finish in under one or two "
    "hours. Complete it with one key, note what worked, and let the monthly review add "
    "the wins up."
)


def short_day(day: dt.date, today: dt.date) -> str:
    return dates.day_short(day, today)


def when_text(row: svc.GoalRow, today: dt.date) -> tuple[str, str]:
    """(plain, markup) of a row's right-hand side: how late, or when it was done."""
    goal = row.goal
    if goal.status == "done":
        day = rules_goals.completed_day(goal)
        plain = f"done {short_day(day, today)}" if day else "done"
        return plain, f"[$done]{plain}[/]"
    if goal.status == "dropped":
        return "dropped", "[$text-muted]dropped[/]"
    deadline = short_day(row.deadline, today)
    if row.state == "stale":
        plain = f"stale · {row.late} days late · {deadline}"
        return plain, f"[b $error]stale[/] [$error]· {row.late} days late[/] · {deadline}"
    label = rules_goals.late_label(row.late)
    if row.state == "overdue":
        return f"{label} · {deadline}", f"[b $error]{label}[/] · {deadline}"
    if row.state == "due":
        return label, f"[b $warning]{label}[/]"
    return f"{label} · {deadline}", f"[$text-muted]{label} ·[/] {deadline}"


def details_text(row: svc.GoalRow) -> str:
    """The second line of a row: metric · estimate · skill, or the insight / drop reason."""
    goal = row.goal
    bits = []
    if goal.status == "done" and goal.insight:
        bits.append(f"“{markup_line(goal.insight)}”")
    elif goal.status == "dropped":
        reason = markup_line(goal.drop_reason) if goal.drop_reason else "no reason given"
        bits.append(f"dropped: {reason}")
    if goal.status != "done" or not goal.insight:
        if goal.success_metric:
            bits.append(f"✓ {markup_line(goal.success_metric)}")
        if goal.estimate_minutes is not None:
            over = goal.estimate_minutes > rules_goals.GOAL_ESTIMATE_WARN
            est = f"{goal.estimate_minutes} min"
            bits.append(f"[$warning]{est} ⚠ split it[/]" if over else est)
        if row.skill is not None:
            bits.append(f"skill: {markup_line(row.skill.title)}")
    if not bits:
        return "[$text-muted]no success metric yet (e edits)[/]"
    return "[$text-muted]" + "  ·  ".join(bits) + "[/]"


class GoalItem(Static):
    """One micro-goal: action and deadline, then metric · estimate · skill."""

    def show(self, row: svc.GoalRow, today: dt.date, width: int, selected: bool) -> None:
        self.goal_id = row.goal.id
        self.set_class(selected, "-selected")
        self.set_class(row.state in ("overdue", "stale"), "-late")
        self.set_class(row.state == "due", "-due")
        self.set_class(row.goal.status != "open", "-closed")
        plain, markup = when_text(row, today)
        room = max(10, width - cell_len(plain) - 5)
        # measured as shown: a control character is a placeholder one cell wide
        action = visible(row.goal.action)
        if cell_len(action) > room:
            while cell_len(action) > room - 1:
                action = action[:-1]
            action += "…"
        gap = max(2, width - 2 - cell_len(action) - cell_len(plain))
        strike = "[strike]" if row.goal.status == "dropped" else ""
        end = "[/strike]" if strike else ""
        self.update(
            f"{MARK[row.state]} {strike}[b]{markup_line(action)}[/b]{end}{' ' * gap}{markup}\n"
            f"  {details_text(row)}"
        )


class GoalsScreen(JournalScreen):
    CSS_PATH = "../styles/goals.tcss"
    KEYS = GOALS_KEYS
    BINDINGS: ClassVar[list[BindingType]] = [*bindings(GOALS_KEYS)]  # a list[BindingType]
    ROOMY_HEIGHT = 32
    PAGE = 100  # goals listed an objective, and added by each + (years are thousands)

    def __init__(self) -> None:
        super().__init__(name="goals")
        self.view: svc.GoalsView | None = None
        self.filter = "open"
        self.selected_id: str | None = None
        self.shown = self.PAGE  # goals listed an objective, at most

    def compose(self) -> ComposeResult:
        yield from screen_frame(
            "goals-body", Static(id="goals-empty"), Vertical(id="goals-list"),
            below=[Static(id="goal-detail")],
        )

    def on_mount(self) -> None:
        self.refresh_view()

    def on_resize(self) -> None:
        if self.view is not None:
            self._draw_list()
            self._draw_detail()

    # ----------------------------------------------------------------- data
    @property
    def rows(self) -> list[svc.GoalRow]:
        return self.view.rows if self.view else []

    @property
    def selected(self) -> svc.GoalRow | None:
        return goal_row(self.rows, self.selected_id)

    def draw_view(self) -> None:
        today = start_drawing(self)
        repo = self.journal_app.repo
        if repo is None:
            self.view = None
            self.query_one("#topbar", Static).update("[b]Goals[/b]")
            self._show_empty("No journal is open.")
            self.refresh_bindings()
            return
        self.view = svc.build_goals(repo, today, self.filter, self.shown)
        ids = [r.goal.id for r in self.rows]
        if self.selected_id not in ids:
            self.selected_id = self._nearest(ids)
        self.query_one("#topbar", Static).update(self._topbar_text())
        if not self.rows:
            self._show_empty(self._empty_text())
        else:
            self._show_empty(None)
            self._draw_list()
        self._draw_detail()
        self.refresh_bindings()

    def _nearest(self, ids: list[str]) -> str | None:
        """After the selected goal left the list (done, dropped…): the one that took its
        place, so j/k and space keep working down the list."""
        previous = getattr(self, "_order", [])
        self._order = ids
        if self.selected_id in previous:
            at = previous.index(self.selected_id)
            for candidate in previous[at + 1:] + list(reversed(previous[:at])):
                if candidate in ids:
                    return candidate
        return ids[0] if ids else None

    # ----------------------------------------------------------------- drawing
    def _topbar_text(self) -> str:
        view = self.view
        assert view is not None
        c = view.counts
        parts = [f"[b]Goals[/b]  showing [b]{FILTER_LABEL[self.filter]}[/b] [$text-muted](f)[/]"]
        parts.append(f"{c['open']} open")
        if c["late"]:
            parts.append(f"[$warning]{c['late']} due or late[/]")
        parts.append(f"{c['done']} done")
        if c["dropped"]:
            parts.append(f"{c['dropped']} dropped")
        if self.journal_app.demo and self.size.width >= 100:
            parts.append("[$warning]demo journal[/]")
        return "  ·  ".join(parts)

    def _empty_text(self) -> str:
        view = self.view
        if view is None or not view.has_any:
            return (
                "[b]No micro-goals yet.[/b]\n\n"
                f"{EXPLAIN}\n\n"
                "  [b]n[/b]  add your first micro-goal (deadline: today, fri, +3d, +1w…)\n"
                "  [b]1[/b]  back to Today"
            )
        others = {
            "open": "Nothing open: every goal is done or dropped. [b]n[/b] adds the next one.",
            "done": "Nothing done yet. [b]space[/b] on an open goal completes it.",
            "dropped": "Nothing dropped: goals that no longer fit are dropped with [b]x[/b] "
                       "(and restored with [b]u[/b]).",
            "all": "",
        }
        return f"{others[self.filter]}\n\n  [b]f[/b]  show {self._next_filter()} goals"

    def _next_filter(self) -> str:
        return svc.FILTERS[(svc.FILTERS.index(self.filter) + 1) % len(svc.FILTERS)]

    def _show_empty(self, text: str | None) -> None:
        empty = self.query_one("#goals-empty", Static)
        empty.display = text is not None
        self.query_one("#goals-list").display = text is None
        if text is not None:
            empty.update(text)
            self.query_one("#goals-list").remove_children()

    def _row_width(self) -> int:
        return max(40, self.size.width - 5)  # body padding, scrollbar, row padding

    def _draw_list(self) -> None:
        view = self.view
        assert view is not None
        container = self.query_one("#goals-list", Vertical)
        wanted: list[tuple[str, svc.ObjectiveGoals | svc.GoalRow]] = []
        for group in view.groups:
            wanted.append(("header", group))
            wanted.extend(("row", row) for row in group.rows)
            if group.more:
                wanted.append(("more", group))
        widgets = list(container.children)
        kinds = ["header" if w.has_class("goal-objective")
                 else "more" if w.has_class("goal-more") else "row" for w in widgets]
        if kinds != [k for k, _ in wanted]:
            container.remove_children()
            widgets = [
                Static(classes="goal-objective") if kind == "header"
                else Static(classes="goal-more") if kind == "more" else GoalItem()
                for kind, _ in wanted
            ]
            container.mount_all(widgets)
        width = self._row_width()
        selected = self.selected
        for widget, (kind, item) in zip(widgets, wanted, strict=True):
            # the kinds match: a header's widget is a Static, a row's a GoalItem
            if isinstance(item, svc.ObjectiveGoals):
                assert isinstance(widget, Static)
                widget.update(self._header(item) if kind == "header" else self._more(item))
            else:
                assert isinstance(widget, GoalItem)
                widget.show(item, view.today, width, item is selected)

    def _header(self, group: svc.ObjectiveGoals) -> str:
        bar = ""
        if group.total:
            filled = round(10 * group.done / group.total)
            bar = f"  [$done]{'■' * filled}[/][$text-muted]{'□' * (10 - filled)}[/]"
        return (
            f"[b]{markup_line(group.title)}[/b]  "
            f"[$text-muted]{group.done}/{group.total} done[/]{bar}"
        )

    def _more(self, group: svc.ObjectiveGoals) -> str:
        older = {"done": "done", "dropped": "dropped"}.get(self.filter, "closed")
        return (f"[$text-muted]… and {group.more} older {older} goals:[/] "
                f"[b]+[/b] [$text-muted]lists {min(self.PAGE, group.more)} more[/]")

    def _draw_detail(self) -> None:
        """On a tall terminal: everything about the selected goal."""
        detail = self.query_one("#goal-detail", Static)
        row = self.selected
        detail.display = self.size.height >= self.ROOMY_HEIGHT and row is not None
        if not detail.display or row is None or self.view is None:
            return
        goal, today = row.goal, self.view.today
        lines = [f"[b]{markup_line(goal.action)}[/b]"]
        deadline = rules_goals.describe_deadline(row.deadline, today)
        facts = [f"deadline {markup_line(deadline)}"]
        if goal.estimate_minutes is not None:
            facts.append(f"estimate {goal.estimate_minutes} min")
        if row.objective is not None:
            facts.append(f"objective {markup_line(row.objective.title)}")
        lines.append("  ·  ".join(facts))
        lines.append(
            f"Success metric: {markup_line(goal.success_metric)}" if goal.success_metric
            else "[$text-muted]No success metric: e adds how you'll know it's done.[/]"
        )
        if row.skill is not None:
            lines.append(f"Serves the micro-skill: {markup_line(row.skill.title)}")
        if goal.status == "done":
            lines.append(
                f"Insight: {markup_lines(goal.insight)}" if goal.insight
                else "[$text-muted]No insight yet: i writes what worked and what to adjust.[/]"
            )
        elif goal.status == "dropped":
            reason = markup_line(goal.drop_reason) if goal.drop_reason else "no reason given"
            lines.append(f"Dropped: {reason}  [$text-muted](u restores it)[/]")
        elif row.state == "stale":
            lines.append("[$warning]Stale: open more than two weeks past its deadline. "
                         "r reschedules, x drops it.[/]")
        detail.update("\n".join(lines))

    def _scroll_to_selected(self) -> None:
        body = self.query_one("#goals-body", VerticalScroll)
        scroll_to(body, self.query(GoalItem), "goal_id", self.selected_id)
        # the last row of a long list: the line saying + lists more comes into view too
        listed = list(self.query_one("#goals-list").children)
        for widget, after in itertools.pairwise(listed):
            if (getattr(widget, "goal_id", None) == self.selected_id
                    and after.has_class("goal-more")):
                body.scroll_to_widget(after, animate=False)

    # ----------------------------------------------------------------- keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        row = self.selected
        status = row.goal.status if row else None
        if action == "new_goal":
            return self.journal_app.repo is not None
        if action in ("complete", "drop"):
            return status == "open"
        if action == "reopen":
            return status in ("done", "dropped")
        if action == "insight":
            return status == "done"
        if action in ("edit", "reschedule", "move"):
            return row is not None
        if action == "more":
            return self.view is not None and any(g.more for g in self.view.groups)
        return True

    def action_move(self, step: int) -> None:
        goal_id = moved_goal(self.rows, self.selected_id, step)
        if goal_id is None:
            return
        self.selected_id = goal_id
        self._draw_list()
        self._draw_detail()
        self._scroll_to_selected()
        self.refresh_bindings()

    def action_more(self) -> None:
        self.shown += self.PAGE
        self.refresh_view()

    def action_next_filter(self) -> None:
        self.filter = self._next_filter()
        self.selected_id = None
        self.shown = self.PAGE
        self.refresh_view()
        self.query_one("#goals-body", VerticalScroll).scroll_home(animate=False)

    def _select(self, goal_id: str | None) -> None:
        if goal_id:
            self.selected_id = goal_id
        self.refresh_view()
        self.call_after_refresh(self._scroll_to_selected)

    def action_new_goal(self) -> None:
        from .goal_dialogs import GoalForm

        row = self.selected
        objective_id = row.goal.objective_id if row else None
        self.app.push_screen(GoalForm(objective_id=objective_id), self._after_form)

    def _after_form(self, goal_id: str | None) -> None:
        if goal_id is None:
            return
        goal = self.journal_app.repo.get(MicroGoal, goal_id) if self.journal_app.repo else None
        if goal is not None and self.filter not in ("all", goal.status):
            self.filter = "open" if goal.status == "open" else "all"
        self._select(goal_id)

    def action_edit(self) -> None:
        from .goal_dialogs import GoalForm

        row = self.selected
        if row is not None:
            self.app.push_screen(GoalForm(row.goal), self._after_form)

    def action_complete(self) -> None:
        from .goal_dialogs import complete_goal

        row = self.selected
        if row is None or row.goal.status != "open":
            return
        complete_goal(self, row.goal, after=self.refresh_view)

    def action_insight(self) -> None:
        from .goal_dialogs import InsightPrompt

        row = self.selected
        if row is None or row.goal.status != "done":
            return
        goal = row.goal

        def written(text: str | None) -> None:
            if text is None:
                return
            saved = self.write(lambda: svc.set_insight(self.repo, goal, text), what="insight")
            if saved is not None:
                self._select(goal.id)
                self.notify("Insight saved.", timeout=3)

        self.app.push_screen(InsightPrompt(goal), written)

    def action_drop(self) -> None:
        row = self.selected
        if row is None or row.goal.status != "open":
            return
        goal = row.goal

        def dropped() -> None:
            self.refresh_view()
            self.notify(f"Dropped: {goal.action}. {RESTORE_HINT}.", timeout=5)

        drop_goal(self, goal, after=dropped)

    def action_reopen(self) -> None:
        row = self.selected
        if row is None or row.goal.status == "open":
            return
        goal = row.goal
        was = goal.status
        saved = self.write(lambda: svc.reopen(self.repo, goal), what="reopen")
        if saved is None:
            return
        self.journal_app.withdraw_notices(RESTORE_HINT)  # done: "… then u restores it" goes
        self._select(goal.id)
        late = rules_goals.days_late(saved, self.journal_app.clock.today())
        hint = " Its deadline has passed: r reschedules it." if late > 0 else ""
        verb = "Restored" if was == "dropped" else "Reopened"
        self.notify(f"{verb}: {goal.action}.{hint}", timeout=5)

    def action_reschedule(self) -> None:
        row = self.selected
        if row is not None:
            goal_id = row.goal.id
            reschedule_goal(self, row.goal, after=lambda: self._select(goal_id))

    def action_review(self, kind: str) -> None:
        from .goal_review import GoalReviewScreen

        self.app.push_screen(GoalReviewScreen(kind))
