"""Plan (``3``): week-by-week skill stacking — the grid, creating and editing a plan,
and the mastery gate at the end of a week."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ..domain import dates
from ..domain import plan as plan_rules
from ..domain.models import Plan, ValidationError
from ..domain.text import markup_line, markup_lines
from ..keymap import PLAN_KEYS, bindings
from ..services import plan as svc
from ..widgets.plan_grid import WeekBlock, day_header, legend
from .base import JournalScreen
from .plan_dialogs import ConfirmEnd, PlanForm, SkillPicker
from .shared import screen_frame, scroll_to, sized_rows, start_drawing

EXPLAIN = (
    "A plan stacks one micro-skill per week. Week 1: skill A. Week 2: A + B. "
    "Week 3: A + B + C… You practise the new skill and keep the earlier ones going, "
    "measure them in a weekly review, and stack the next one once the new one is "
    "mastered — or hold the week when it is not."
)


class PlanScreen(JournalScreen):
    CSS_PATH = "../styles/plan.tcss"
    KEYS = PLAN_KEYS
    BINDINGS: ClassVar[list[BindingType]] = [*bindings(PLAN_KEYS)]  # a list[BindingType]
    ROOMY_HEIGHT = 32

    def __init__(self) -> None:
        super().__init__(name="plan")
        self.view: svc.PlanView | None = None
        self.objective_id: str | None = None
        self.plan_id: str | None = None  # an earlier cycle picked with c
        self.selected: int | None = None
        self.objective_count = 0

    def compose(self) -> ComposeResult:
        yield from screen_frame(
            "plan-body",
            Static(id="plan-empty"),
            Static(id="plan-note"),
            Static(id="plan-days"),
            Vertical(id="plan-weeks"),
            Static(id="plan-legend"),
            below=[Static(id="plan-detail")],
        )

    def on_mount(self) -> None:
        self.refresh_view()

    def on_resize(self) -> None:
        if self.view is not None:
            self._set_topbar(self._topbar_text())  # packed to the width
        if self.view is not None and self.view.plan is not None:
            self._draw_grid()
            self._draw_detail()

    def resumed_unchanged(self) -> None:
        # a gate that came due while a dialog covered the plan is offered now
        self.call_after_refresh(self._offer_gate)

    # ----------------------------------------------------------------- drawing
    @property
    def plan(self):
        return self.view.plan if self.view else None

    @property
    def week(self) -> svc.WeekView | None:
        if self.view is None or self.selected is None:
            return None
        if 0 <= self.selected < len(self.view.weeks):
            return self.view.weeks[self.selected]
        return None

    def draw_view(self) -> None:
        app = self.journal_app
        today = start_drawing(self)
        repo = app.repo
        objectives = svc.objectives_for_plan(repo) if repo is not None else []
        self.objective_count = len(objectives)
        if repo is None or not objectives:
            self.view = None
            self._set_topbar("[b]Plan[/b]")
            self._show_empty(self._first_plan_text())
            self.refresh_bindings()
            return
        if self.objective_id not in {o.id for o in objectives}:
            self.objective_id = objectives[0].id
            self.plan_id = None
            self.selected = None
        objective = next(o for o in objectives if o.id == self.objective_id)
        self.view = svc.build_plan_view(
            repo, objective, today, app.config.first_weekday, self.plan_id
        )
        view = self.view
        if view.plan is None:
            self.selected = None
            self._set_topbar(self._topbar_text())
            self._show_empty(self._no_plan_text())
            self.refresh_bindings()
            return
        if self.selected is None or not 0 <= self.selected < len(view.weeks):
            self.selected = max(0, min(len(view.weeks) - 1, view.today_index))
        self._set_topbar(self._topbar_text())
        self._show_empty(None)
        self._draw_note()
        self._draw_grid()
        self._draw_detail()
        self.refresh_bindings()
        self.call_after_refresh(self._offer_gate)

    def _set_topbar(self, text: str) -> None:
        self.query_one("#topbar", Static).update(text)

    def _topbar_text(self) -> str:
        """``Plan  Objective · week 3 of 4 · objective 1/2 (o) · cycle · dates · demo``.

        The objective, its status and the parts that name a key are always shown: when
        they do not fit one line the header takes a second one. The dates and the demo
        note are shown only where they fit on the lines already used."""
        view = self.view
        assert view is not None
        needed: list[tuple[str, str]] = [  # (plain text, markup)
            (view.objective.title, f"[b]{markup_line(view.objective.title)}[/b]"),
            (view.status(), markup_line(view.status())),
        ]
        if self.objective_count > 1:
            ids = [o.id for o in svc.objectives_for_plan(self.repo)]
            text = f"objective {ids.index(view.objective.id) + 1}/{self.objective_count} (o)"
            needed.append((text, f"[$text-muted]{text}[/]"))
        if view.plan is not None and len(view.plans) > 1:
            text = f"cycle {view.cycle} of {len(view.plans)} (c)"
            needed.append((text, text))
        optional: list[tuple[str, str]] = []
        if view.plan is not None and view.weeks:
            text = dates.day_range(view.weeks[0].start, view.weeks[-1].end)
            optional.append((text, text))
        if self.journal_app.demo:
            optional.append(("demo journal", "[$warning]demo journal[/]"))
        head, sep = "Plan  ", "  ·  "
        room = max(20, self.size.width - 2)  # the topbar's padding
        lines: list[list[tuple[str, str]]] = [[]]
        used = len(head)
        for part, must in [*((p, True) for p in needed), *((p, False) for p in optional)]:
            width = cell_len(part[0]) + (len(sep) if lines[-1] else 0)
            if used + width > room and lines[-1]:
                if not must:
                    continue
                lines.append([])  # under the first line's text
                used, width = len(head), cell_len(part[0])
            lines[-1].append(part)
            used += width
        text = ("\n" + " " * len(head)).join(
            sep.join(markup for _, markup in line) for line in lines
        )
        return "[b]Plan[/b]  " + text

    def _first_plan_text(self) -> str:
        return (
            "[b]No plan yet.[/b]\n\n"
            f"{EXPLAIN}\n\n"
            "  [b]n[/b]  create a plan: objective, start week, one skill a week\n"
            "  [b]1[/b]  back to Today ([b]d[/b] there opens the demo journal)"
        )

    def _no_plan_text(self) -> str:
        view = self.view
        assert view is not None
        more = "\n  [b]o[/b]  show the next objective" if self.objective_count > 1 else ""
        return (
            f"[b]{markup_line(view.objective.title)}[/b] has no plan yet.\n\n"
            f"{EXPLAIN}\n\n"
            "  [b]n[/b]  plan it: start week, then one skill a week (pick or create)"
            f"{more}"
        )

    def _show_empty(self, text: str | None) -> None:
        empty = self.query_one("#plan-empty", Static)
        empty.display = text is not None
        if text is not None:
            empty.update(text)
        for selector in ("#plan-days", "#plan-weeks", "#plan-legend"):
            self.query_one(selector).display = text is None
        if text is not None:
            self.query_one("#plan-note").display = False
        if text is not None:
            self.query_one("#plan-weeks").remove_children()
            self.query_one("#plan-detail").display = False

    def _draw_note(self) -> None:
        """One line of what to do next when the plan shown is not simply running."""
        view = self.view
        assert view is not None and view.plan is not None
        note = None
        if view.plan.status == "ended":
            running = any(p.status == "active" for p in view.plans)
            note = (
                "This cycle has ended and is kept as history. "
                + ("c shows the running one." if running else "n plans the next cycle.")
            )
        elif view.today_index >= len(view.plan.weeks):
            note = (
                "The planned weeks are done; the whole stack stays active. The weekly "
                "review (w) stacks the next skill; a adds one now; E ends the plan."
            )
        elif view.today_index < 0:
            note = "This plan has not started yet; until then you can still change every week."
        widget = self.query_one("#plan-note", Static)
        widget.display = note is not None
        if note:
            widget.update(f"[$warning]{markup_line(note)}[/]")

    def _row_width(self) -> int:
        # body padding (2) + scrollbar (1) + week block border and padding (3)
        return max(40, self.size.width - 6)

    def _draw_grid(self) -> None:
        view = self.view
        assert view is not None and view.plan is not None
        width = self._row_width()
        self.query_one("#plan-days", Static).update(
            day_header(view.today, self.journal_app.config.first_weekday, width)
        )
        self.query_one("#plan-legend", Static).update(legend(width))
        blocks = sized_rows(self.query_one("#plan-weeks", Vertical), WeekBlock, len(view.weeks))
        plan = view.plan
        for block, week in zip(blocks, view.weeks, strict=True):
            hold_of = None
            if week.hold:
                hold_of = next(
                    (i + 1 for i in range(week.index - 1, -1, -1) if not plan.weeks[i].hold),
                    None,
                )
            block.show(week, width, week.index == self.selected, hold_of)

    def _draw_detail(self) -> None:
        detail = self.query_one("#plan-detail", Static)
        week = self.week
        roomy = self.size.height >= self.ROOMY_HEIGHT
        detail.display = roomy and week is not None
        if not detail.display or week is None or self.view is None:
            return
        lines = []
        focus = week.focus
        if focus is not None:
            skill = focus.skill
            role = {"new": "new skill", "held": "held skill"}.get(focus.role, "focus")
            lines.append(
                f"[b]Week {week.number}[/b] · {role}: [b]{markup_line(skill.title)}[/b]"
            )
            if skill.why:
                lines.append(f"[$text-muted]{markup_line(skill.why)}[/]")
            lines.append(self._rule_line(focus, week.when))
        for row in week.skills[1:]:
            if row.signal is not None and row.signal.stalled:
                lines.append(
                    f"[$warning]⚠ {markup_line(row.skill.title)}: {row.signal.title.lower()}: "
                    f"{markup_line(row.signal.reason)}[/]"
                )
        review = week.review
        if review is not None:
            worked = markup_lines(review.worked) if review.worked else "–"
            adjust = markup_lines(review.adjust) if review.adjust else "–"
            lines.append(f"Worked: {worked}")
            lines.append(f"Adjust: {adjust}")
        elif week.when in ("past", "current"):
            lines.append("[$text-muted]No review of this week yet: w writes it.[/]")
        detail.update("\n".join(lines))

    def _rule_line(self, row: svc.SkillWeek, when: str) -> str:
        skill = row.skill
        metric = skill.metric
        rule = f"{skill.days_target} of 7 days"
        if metric.target is not None:
            sign = "≤" if metric.direction == "lower" else "≥"
            unit = f" {markup_line(metric.unit)}" if metric.unit else ""
            rule += (f"; mastered at {markup_line(metric.name or 'the metric')} {sign} "
                     f"{metric.target:g}{unit} two weeks running")
        signal = row.signal
        if when == "future" or signal is None:
            return f"Rule: {rule}"
        if when == "current" and signal.kind in ("practice", "none"):
            # mid-week: the days are still to come; the review judges the whole week
            return f"Rule: {rule}  ·  so far {row.done} of {skill.days_target} days"
        so_far = " (so far)" if when == "current" else ""
        return (f"Rule: {rule}  ·  {signal.title}{so_far}: [$text-muted]"
                f"{markup_line(signal.reason)}[/]")

    def _scroll_to_selected(self) -> None:
        scroll_to(
            self.query_one("#plan-body", VerticalScroll), self.query(WeekBlock), "week_index",
            self.selected,
        )

    # ----------------------------------------------------------------- the mastery gate
    def _offer_gate(self) -> None:
        """A week just ended with no decision: say that its review decides (once)."""
        view = self.view
        if view is None or not view.running or self.app.screen is not self:
            return
        gate = view.gate
        if gate is None or view.plan is None:
            return
        key = (str(self.journal_app.db_path), view.objective.id, gate.start)
        if key in self.journal_app.reviews_offered:  # Today said so already
            return
        self.journal_app.reviews_offered.add(key)
        self.notify(
            f"Week {gate.number} is over: d reviews it and decides — stack the next skill, "
            "hold or tweak.", title="Weekly review", timeout=8,
        )

    def _open_gate(self, week: svc.WeekView) -> None:
        """The week's decision is taken in its weekly review, with the rules' suggestion."""
        from .review import ReviewScreen

        view = self.view
        assert view is not None
        self.app.push_screen(ReviewScreen(view.objective.id, week.start, decide=True),
                             lambda _stacked: self.refresh_view())

    # ----------------------------------------------------------------- keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        plan = view.plan if view else None
        if action == "new_plan":
            return self.journal_app.repo is not None
        if action in ("add_week", "hold", "remove_week", "move_week", "change_skill",
                      "end_plan"):
            return view is not None and view.running
        if action in ("review", "decide", "move"):
            return plan is not None
        if action == "next_objective":
            return self.objective_count > 1
        if action == "next_cycle":
            return view is not None and len(view.plans) > 1
        return True

    def action_move(self, step: int) -> None:
        if self.view is None or not self.view.weeks:
            return
        current = self.selected if self.selected is not None else 0
        self.selected = max(0, min(len(self.view.weeks) - 1, current + step))
        self._draw_grid()
        self._draw_detail()
        self._scroll_to_selected()

    def action_next_objective(self) -> None:
        repo = self.journal_app.repo
        if repo is None:
            return
        ids = [o.id for o in svc.objectives_for_plan(repo)]
        if not ids:
            return
        index = ids.index(self.objective_id) if self.objective_id in ids else -1
        self.objective_id = ids[(index + 1) % len(ids)]
        self.plan_id = None
        self.selected = None
        self.refresh_view()

    def action_next_cycle(self) -> None:
        if self.view is None or len(self.view.plans) < 2 or self.view.plan is None:
            return
        plans = self.view.plans
        index = plans.index(self.view.plan) if self.view.plan in plans else -1
        self.plan_id = plans[(index + 1) % len(plans)].id
        self.selected = None
        self.refresh_view()
        self.notify(f"Cycle {self.view.cycle} of {len(plans)}: {self.view.status()}.",
                    timeout=3)

    def _first_editable(self) -> int:
        return self.view.first_editable if self.view else 0

    def _edit(self, change, *, what: str, done: str | None = None, select: int | None = None):
        """Apply a plan edit (a function returning the new plan) and save it."""
        view = self.view
        if view is None or view.plan is None:
            return None
        try:
            edited = change(view.plan)
        except plan_rules.PlanEditError as err:
            self.notify(str(err), title="Plan", severity="warning", timeout=5)
            return None
        saved = self.write(lambda: svc.save_plan(self.repo, edited), what=what)
        if saved is None:
            return None
        if select is not None:
            self.selected = select
        self.refresh_view()
        if done:
            self.notify(done, timeout=4)
        return saved

    def action_hold(self) -> None:
        index = self.selected
        if index is None:
            return
        self._edit(
            lambda p: plan_rules.hold_week(p, index, self._first_editable()),
            what="hold",
            done=f"Week {index + 1} is held: week {index + 2} repeats it, later weeks move "
                 "back one week. x on the hold week takes it back.",
        )

    def action_remove_week(self) -> None:
        index = self.selected
        if index is None:
            return
        self._edit(
            lambda p: plan_rules.remove_week(p, index, self._first_editable()),
            what="removing a week",
            done=f"Week {index + 1} removed; the weeks after it move up one week.",
            select=max(0, index - 1) if self.view and index >= len(self.view.weeks) - 1
            else index,
        )

    def action_move_week(self, step: int) -> None:
        index = self.selected
        if index is None:
            return
        self._edit(
            lambda p: plan_rules.move_week(p, index, step, self._first_editable()),
            what="moving a week",
            select=index + step,
        )

    def _pick_skill(self, title: str, done) -> None:
        view = self.view
        if view is None or view.plan is None:
            return
        in_plan = set(plan_rules.stack_at(view.plan, len(view.plan.weeks)))
        self.app.push_screen(
            SkillPicker(view.objective.title, view.objective.id, in_plan, title), done
        )

    def action_add_week(self) -> None:
        view = self.view
        if view is None or view.plan is None:
            return
        plan = view.plan
        number = max(len(plan.weeks), view.today_index) + 1

        def picked(choice: svc.WeekChoice | None) -> None:
            if choice is None:
                return
            try:
                saved = self.write(
                    lambda: svc.extend_plan(
                        self.repo, plan, choice, self.journal_app.clock.today(),
                        self.journal_app.config.first_weekday,
                    ),
                    what="adding a week",
                )
            except (plan_rules.PlanEditError, ValidationError) as err:
                self.notify(str(err), title="Plan", severity="warning")
                return
            if saved is not None:
                self.selected = len(saved.weeks) - 1
                self.refresh_view()
                self._scroll_to_selected()
                self.notify(f"Week {len(saved.weeks)} added: it stacks one more skill.",
                            timeout=4)

        self._pick_skill(f"The skill to stack in week {number}", picked)

    def action_change_skill(self) -> None:
        week = self.week
        view = self.view
        if week is None or view is None or view.plan is None:
            return
        if week.index < view.first_editable:
            self.notify(f"Week {week.number} is over and stays as it happened.",
                        severity="warning")
            return
        plan = view.plan
        index = week.index

        def picked(choice: svc.WeekChoice | None) -> None:
            if choice is None:
                return
            try:
                saved = self.write(
                    lambda: svc.change_week(
                        self.repo, plan, index, choice, self.journal_app.clock.today(),
                        self.journal_app.config.first_weekday,
                    ),
                    what="changing a week",
                )
            except (plan_rules.PlanEditError, ValidationError) as err:
                self.notify(str(err), title="Plan", severity="warning")
                return
            if saved is not None:
                self.refresh_view()

        self._pick_skill(f"The skill for week {week.number}", picked)

    def action_decide(self) -> None:
        week = self.week
        if week is None:
            return
        if week.when == "future":
            self.notify(f"Week {week.number} has not started yet.", timeout=3)
            return
        if week.focus is None:
            self.notify(f"Week {week.number} has no skill to judge.", timeout=3)
            return
        self._open_gate(week)

    def action_review(self) -> None:
        from .review import ReviewScreen

        week = self.week
        view = self.view
        if week is None or view is None:
            return
        if week.when in ("future", "unused"):
            self.notify(f"Week {week.number} has not happened; review it once it starts.",
                        timeout=4)
            return
        self.app.push_screen(ReviewScreen(view.objective.id, week.start))

    def action_new_plan(self) -> None:
        repo = self.journal_app.repo
        if repo is None:
            return
        objective = ""
        if self.view is not None and not any(p.status == "active" for p in self.view.plans):
            objective = self.view.objective.title
        self._open_plan_form(objective, "this")

    def _open_plan_form(self, objective: str, start: str) -> None:
        def created(plan_id: str | None) -> None:
            if not plan_id:
                return
            plan = self.journal_app.repo.get(Plan, plan_id) if self.journal_app.repo else None
            if plan is not None:
                self.objective_id = plan.objective_id
            self.plan_id = None
            self.selected = None
            self.refresh_view()

        self.app.push_screen(PlanForm(objective, start), created)

    def action_end_plan(self) -> None:
        view = self.view
        if view is None or view.plan is None or not view.running:
            return
        plan = view.plan

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            saved = self.write(
                lambda: svc.end_plan(
                    self.repo, plan, self.journal_app.clock.today(),
                    self.journal_app.config.first_weekday
                ),
                what="ending the plan",
            )
            if saved is None:
                return
            self.plan_id = None
            self.selected = None
            self.refresh_view()
            self.notify(
                "Plan ended; its weeks stay in your history (c shows earlier cycles). "
                "Plan the next cycle now, or esc and n later.",
                title="Plan ended", timeout=6,
            )
            self._open_plan_form(view.objective.title, "next")

        self.app.push_screen(ConfirmEnd(view), confirmed)
