"""The weekly review (``w`` on Plan and Today): a measurement per active skill, what
worked, what to adjust, and the decision — stack the next skill, hold, or tweak — which
acts when the review is saved: stacking puts the chosen skill in next week, holding
repeats the week, a tweak is recorded for the Progress chart, and mastered skills can
move to maintenance.

The rules' one suggestion (``domain.stacking``) is shown with its reason in the decision
bar at the bottom, which stays on screen however many skills the review lists.

One review per week and objective: reopening it edits it. Nothing typed is lost: leaving
without saving keeps the text for the next time the review is opened in this session.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from ..domain import dates
from ..domain.models import ValidationError
from ..domain.plan import PlanEditError
from ..domain.text import markup_line, markup_lines
from ..keymap import REVIEW_KEYS, bindings
from ..services import plan as svc
from ..services.plan import ReviewData, ReviewLine, WeekChoice, fmt
from ..widgets.footer import KeyFooter
from ..widgets.text_area import SafeTextArea
from ..widgets.text_fields import SafeInput
from .base import JournalScreen

# What was typed but not saved, per journal, objective and week (kept for the session).
_DRAFTS: dict[tuple[str, str, str], dict[str, str]] = {}

ROLE = {
    "new": "[b $accent]+ new[/]",
    "held": "[b $warning]↻ held[/]",
    "stacked": "[$text-muted]↳ stacked[/]",
    "free": "[$text-muted]·[/]",
}
DECISION_OPTIONS = [
    ("stack the next skill", "stack"),
    ("hold: repeat the week", "hold"),
    ("tweak: change the practice", "tweak"),
]
SIGNAL_STYLE = {
    "mastered": "b $done", "ready": "$done", "practice": "$warning", "none": "$text-muted",
    "unproven": "$text-muted", "slowing": "$warning", "plateau": "b $warning",
}
ADJUST_TITLE = {
    "tweak": "What changes (the tweak; required)",
    "hold": "Why hold, and what to adjust",
}


class ReviewScreen(JournalScreen):
    CSS_PATH = ["../styles/plan.tcss", "../styles/goals.tcss"]
    KEYS = REVIEW_KEYS
    BINDINGS: ClassVar[list[BindingType]] = [*bindings(REVIEW_KEYS)]  # a list[BindingType]

    def __init__(self, objective_id: str, day: dt.date, decide: bool = False) -> None:
        super().__init__(name="review")
        self.decide_first = decide
        self.objective_id = objective_id
        self.day = day
        self.data: ReviewData | None = None
        self.initial: dict[str, str] = {}
        self.restored = False
        self.next_choice: WeekChoice | None = None
        self._save_after_pick = False
        # the decision follows the suggestion until the user picks one themselves
        self._follow_suggestion = False
        self._setting_decision = False

    # ----------------------------------------------------------------- building
    @property
    def draft_key(self) -> tuple[str, str, str]:
        start = self.data.start if self.data else self.day
        return (str(self.journal_app.db_path), self.objective_id, start.isoformat())

    def _load(self) -> ReviewData:
        app = self.journal_app
        return svc.review_data(
            self.repo, self.objective_id, self.day, app.clock.today(), app.config.first_weekday
        )

    def compose(self) -> ComposeResult:
        self.data = data = self._load()
        values = self._initial_values(data)
        self.initial = dict(values)
        saved = _DRAFTS.get(self.draft_key)
        if saved:
            values.update(saved)
            self.restored = saved != self.initial
        yield Static(id="topbar")
        yield Static(id="banner")
        with VerticalScroll(id="review-body"):
            yield Static(id="review-intro")
            if data.lines:
                yield Static("Measurements", classes="section-title first")
            for i, line in enumerate(data.lines):
                with Vertical(classes="review-skill", id=f"skill-{i}"):
                    yield Static(self._head(line), classes="review-head")
                    yield Static(self._metric_line(line), classes="review-metric")
                    with Horizontal(classes="review-row"):
                        yield Label("This week", classes="review-label")
                        yield SafeInput(
                            values[f"value:{line.skill.id}"], id=f"value-{i}",
                            placeholder=line.skill.metric.unit or "value",
                            classes="review-value",
                        )
                        yield Static(id=f"change-{i}", classes="review-change")
                    yield Static(id=f"value-{i}-error", classes="field-error review-error")
                    yield Static(id=f"signal-{i}", classes="review-signal")
                    with Horizontal(id=f"maint-row-{i}", classes="review-row maint-row"):
                        yield Checkbox(
                            "Maintenance", values[f"maint:{line.skill.id}"] == "on",
                            id=f"maint-{i}", compact=True,
                        )
                        yield SafeInput(
                            values[f"maint-days:{line.skill.id}"], id=f"maint-days-{i}",
                            classes="review-value maint-days", restrict=r"[0-9]*",
                            max_length=1,
                        )
                        yield Static(
                            "[$text-muted]days a week: a lighter rhythm keeps it up and "
                            "Today short; untick to bring it back[/]",
                            classes="review-change",
                        )
            if not data.lines:
                yield Static(
                    "[$text-muted]No skill of this objective was active that week: there is "
                    "nothing to measure. Notes and a decision can still be kept.[/]",
                    classes="review-none",
                )
            yield Static("What worked", classes="section-title")
            yield SafeTextArea(values["worked"], id="worked", classes="review-notes",
                           placeholder="what made practice easier or the results better")
            yield Static("What will I adjust", id="adjust-title", classes="section-title")
            yield SafeTextArea(values["adjust"], id="adjust", classes="review-notes",
                           placeholder="one change for next week")
            yield Static(id="adjust-error", classes="field-error")
        with Vertical(id="decision-bar"):
            with Horizontal(id="decision-row"):
                yield Label("Decision", id="decision-label")
                yield Select(
                    DECISION_OPTIONS, value=values["decision"] or Select.NULL, id="decision",
                    prompt="stack, hold or tweak", allow_blank=True, compact=True,
                )
                yield Static(id="next-skill")
            yield Static(id="decision-help")
        yield KeyFooter(compact=True, show_command_palette=False)

    def _initial_values(self, data: ReviewData) -> dict[str, str]:
        values: dict[str, str] = {}
        for line in data.lines:
            values[f"value:{line.skill.id}"] = "" if line.prefill is None else f"{line.prefill:g}"
            values[f"maint:{line.skill.id}"] = "on" if line.skill.in_maintenance else ""
            days = line.skill.maintenance_days or svc.MAINTENANCE_DAYS
            values[f"maint-days:{line.skill.id}"] = str(days)
        review = data.review
        values["worked"] = review.worked if review else ""
        values["adjust"] = review.adjust if review else ""
        decision = review.decision if review else None
        if decision is None and data.plan is not None and data.index is not None:
            decision = data.plan.weeks[data.index].decision
        if decision is None and data.when == "past":
            # the week is over: propose what the rules suggest; the user decides
            decision = data.suggestion(self._typed_from(values)).decision
        values["decision"] = decision or ""
        self._follow_suggestion = (
            data.when == "past" and data.review is None and bool(data.lines)
            and (data.plan is None or data.index is None
                 or data.plan.weeks[data.index].decision is None)
        )
        return values

    def _typed_from(self, values: dict[str, str]) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        assert self.data is not None
        for line in self.data.lines:
            try:
                out[line.skill.id] = svc.parse_measurement(values.get(f"value:{line.skill.id}", ""))
            except ValidationError:
                out[line.skill.id] = None
        return out

    def on_mount(self) -> None:
        # the notice that sent the user here has done its job: it must not cover the
        # decision bar
        self.app.clear_notifications()
        self._draw_top()
        self._update_all()
        first = self.query(".review-value")
        if self.decide_first:
            self.query_one("#decision", Select).focus()
        elif first:
            first.first().focus()
        else:
            self.query_one("#worked", TextArea).focus()

    def refresh_view(self) -> None:
        self._draw_top()

    # ----------------------------------------------------------------- drawing
    def _draw_top(self) -> None:
        data = self.data
        assert data is not None
        self.query_one("#topbar", Static).update(
            f"[b]Weekly review[/b]  {markup_line(data.objective.title)}  ·  "
            f"{markup_line(data.label)}"
        )
        self.draw_read_only_banner()
        intro = []
        if data.review is not None:
            when = data.review.updated_at[:10]
            intro.append(
                f"[$done]✔ Reviewed ({when}).[/] Saving again edits this review; there is "
                "only ever one per week."
            )
        if data.when == "current":
            intro.append(
                f"[$text-muted]The week runs until {dates.weekday_day_month(data.end)}: "
                "measurements so far.[/]"
            )
        if self.restored:
            intro.append("[$warning]Restored what you typed before; not saved yet.[/]")
        if not intro:
            intro.append(
                "[$text-muted]Measurements are pre-filled from the week's check-ins; change "
                "them as you measured. The decision is at the bottom (ctrl+o).[/]"
            )
        self.query_one("#review-intro", Static).update("\n".join(intro))

    def _head(self, line: ReviewLine) -> str:
        target = line.skill.days_target
        frequency = f"{line.done}/{target} days"
        if line.skipped:
            frequency += f" ({line.skipped} rest)"
        maint = "  [$text-muted]· in maintenance[/]" if line.skill.in_maintenance else ""
        return (f"{ROLE.get(line.role, '')} [b]{markup_line(line.skill.title)}[/b]  ·  "
                f"{frequency}{maint}")

    def _metric_line(self, line: ReviewLine) -> str:
        metric = line.skill.metric
        bits = []
        if metric.name:
            unit = f" ({markup_line(metric.unit)})" if metric.unit else ""
            arrow = "↓ better" if metric.direction == "lower" else "↑ better"
            bits.append(f"{markup_line(metric.name)}{unit} {arrow}")
        else:
            bits.append("no metric")
        bits.append(f"{fmt(metric.baseline)} → target {fmt(metric.target)}")
        if line.history:
            earlier = "  ".join(f"{label} [b]{fmt(v)}[/b]" for label, v in line.history)
            bits.append(f"earlier: {earlier}")
        return "[$text-muted]" + "  ·  ".join(bits) + "[/]"

    def _typed(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        assert self.data is not None
        for i, line in enumerate(self.data.lines):
            try:
                out[line.skill.id] = svc.parse_measurement(
                    self.query_one(f"#value-{i}", Input).value
                )
            except ValidationError:
                out[line.skill.id] = None
        return out

    def _update_line(self, i: int) -> None:
        assert self.data is not None
        line = self.data.lines[i]
        text = self.query_one(f"#value-{i}", Input).value
        error = self.query_one(f"#value-{i}-error", Static)
        try:
            value = svc.parse_measurement(text)
            error.update("")
            error.display = False
        except ValidationError as err:
            error.update(markup_lines(err.message))
            error.display = True
            value = None
        unit = line.skill.metric.unit
        bits = []
        source = line.from_checkins
        if source.value is not None:
            n = source.count
            bits.append(f"check-ins avg {fmt(source.value)} ({n} value{'s' if n != 1 else ''})")
        else:
            bits.append("no check-in values")
        change = line.change(value)
        if change is not None:
            colour = {"better": "$done", "worse": "$missed"}.get(change.verdict, "$text-muted")
            label = line.history[-1][0] if line.history else "last week"
            bits.append(f"[{colour}]{markup_line(change.label(unit))}[/] vs {markup_line(label)}")
        self.query_one(f"#change-{i}", Static).update("  ·  ".join(bits))
        signal = line.signal(value)
        style = SIGNAL_STYLE.get(signal.kind, "$text-muted")
        mark = "★ " if signal.kind == "mastered" else ("⚠ " if signal.stalled else "")
        title = "On track" if i and signal.kind == "ready" else signal.title  # not the focus
        text_lines = [f"[{style}]{mark}{title}[/]: {markup_line(signal.reason)}"]
        effect = line.tweak_effect(value)
        if effect is not None:
            text_lines.append(f"[$text-muted]Tweaked: {markup_line(effect.label(unit))}[/]")
        self.query_one(f"#signal-{i}", Static).update("\n".join(text_lines))
        maint_row = self.query_one(f"#maint-row-{i}")
        maint_row.display = (
            signal.kind == "mastered" or line.skill.in_maintenance
            or line.skill.status == "mastered"
            or self.query_one(f"#maint-{i}", Checkbox).value
        )

    def _suggested(self) -> tuple[str, str | None, str]:
        assert self.data is not None
        s = self.data.suggestion(self._typed())
        return s.decision, s.skill_id, s.reason

    def _title_of(self, skill_id: str | None) -> str:
        assert self.data is not None
        line = next((x for x in self.data.lines if x.skill.id == skill_id), None)
        return line.skill.title if line else ""

    def _update_decision(self) -> None:
        data = self.data
        assert data is not None
        suggestion, about, reason = self._suggested()
        chosen = self.query_one("#decision", Select).value
        chosen = chosen if isinstance(chosen, str) else None
        who = markup_line(self._title_of(about))
        said = {
            "stack": f"Suggested: [b]stack[/b] — “{who}”: {markup_line(reason)}.",
            "hold": f"Suggested: [b]hold[/b] — “{who}”: {markup_line(reason)}.",
            "tweak": f"Suggested: [b]tweak[/b] “{who}” — {markup_line(reason)}.",
        }[suggestion] if data.lines else "[$text-muted]Nothing to measure this week.[/]"
        if chosen is not None and chosen != suggestion and data.lines:
            said = f"[$text-muted]{said} You chose {chosen}.[/]"
        self.query_one("#decision-help", Static).update(said)
        self.query_one("#next-skill", Static).update(self._next_text(chosen))
        self.query_one("#adjust-title", Static).update(
            ADJUST_TITLE.get(chosen or "", "What will I adjust")
        )

    def _next_text(self, chosen: str | None) -> str:
        data = self.data
        assert data is not None
        if chosen == "stack":
            title = self._next_title()
            if title:
                return f"next week adds [b]{markup_line(title)}[/]  [$text-muted]ctrl+n: another[/]"
            return "[$warning]ctrl+n: pick the skill to stack[/]"
        if chosen == "hold" and data.plan is not None and data.index is not None:
            if data.index + 1 < data.today_index:
                return "[$text-muted]the week after is over: recorded only[/]"
            return "[$text-muted]the week repeats; later weeks move back one[/]"
        if chosen == "tweak":
            _, about, _ = self._suggested()
            title = self._title_of(self._tweak_skill(about))
            return f"[$text-muted]tweak “{markup_line(title)}”: say what changes above[/]"
        return ""

    def _tweak_skill(self, about: str | None) -> str | None:
        assert self.data is not None
        if about is not None:
            return about
        return self.data.focus.skill.id if self.data.focus else None

    def _next_title(self) -> str:
        assert self.data is not None
        if self.next_choice is not None:
            return svc.week_choice_title(self.repo, self.next_choice)
        planned = self.data.planned_next
        if planned:
            return svc.week_choice_title(self.repo, WeekChoice(skill_id=planned))
        return ""

    def _update_all(self) -> None:
        assert self.data is not None
        for i in range(len(self.data.lines)):
            self._update_line(i)
        self._update_decision()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("value-"):
            self._update_line(int(event.input.id.split("-")[1]))
            if self._follow_suggestion:
                suggestion, _, _ = self._suggested()
                select = self.query_one("#decision", Select)
                if select.value != suggestion:
                    self._setting_decision = True
                    select.value = suggestion
            self._update_decision()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_select_changed(self, event: Select.Changed) -> None:
        if self._setting_decision:
            self._setting_decision = False
        elif self.is_mounted and self.focused is event.select:
            self._follow_suggestion = False  # the user's own choice stays
        self._update_decision()
        if (
            event.value == "stack" and self.is_mounted and self.next_choice is None
            and not self._next_title() and self.data is not None and self.data.lines
            and self.focused is event.select
        ):
            self.action_pick_next()  # stacking asks for the next skill right there

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._update_decision()

    # ----------------------------------------------------------------- values
    def values(self) -> dict[str, str]:
        assert self.data is not None
        out: dict[str, str] = {}
        for i, line in enumerate(self.data.lines):
            sid = line.skill.id
            out[f"value:{sid}"] = self.query_one(f"#value-{i}", Input).value
            out[f"maint:{sid}"] = "on" if self.query_one(f"#maint-{i}", Checkbox).value else ""
            out[f"maint-days:{sid}"] = self.query_one(f"#maint-days-{i}", Input).value
        out["worked"] = self.query_one("#worked", TextArea).text
        out["adjust"] = self.query_one("#adjust", TextArea).text
        decision = self.query_one("#decision", Select).value
        out["decision"] = decision if isinstance(decision, str) else ""
        return out

    @property
    def dirty(self) -> bool:
        return self.values() != self.initial or self.next_choice is not None

    def save_pending(self) -> None:
        """Leaving for another screen: keep what was typed (not saved) for next time."""
        if self.data is not None and self.is_mounted and self.dirty:
            _DRAFTS[self.draft_key] = self.values()

    def _maintenance(self) -> dict[str, int | None] | None:
        """Skills whose maintenance changes, or None (after showing the error)."""
        assert self.data is not None
        out: dict[str, int | None] = {}
        for i, line in enumerate(self.data.lines):
            on = self.query_one(f"#maint-{i}", Checkbox).value
            if not on:
                if line.skill.in_maintenance:
                    out[line.skill.id] = None
                continue
            field = self.query_one(f"#maint-days-{i}", Input)
            try:
                days = int(field.value)
            except ValueError:
                days = 0
            if not 1 <= days <= 7:
                error = self.query_one(f"#value-{i}-error", Static)
                error.update("maintenance needs 1 to 7 days a week")
                error.display = True
                field.focus()
                return None
            if days != line.skill.maintenance_days:
                out[line.skill.id] = days
        return out

    # ----------------------------------------------------------------- keys
    def action_close(self) -> None:
        if self.dirty:
            _DRAFTS[self.draft_key] = self.values()
            self.notify(
                "Not saved yet: what you typed is kept — w opens it again, ctrl+s saves.",
                title="Weekly review", timeout=5,
            )
        else:
            _DRAFTS.pop(self.draft_key, None)
        self.dismiss()

    def action_refill(self) -> None:
        assert self.data is not None
        for i, line in enumerate(self.data.lines):
            value = line.from_checkins.value
            self.query_one(f"#value-{i}", Input).value = "" if value is None else f"{value:g}"
        self.notify("Measurements refilled from the week's check-ins.", timeout=3)

    def action_decide(self) -> None:
        select = self.query_one("#decision", Select)
        select.focus()
        select.action_show_overlay()

    def action_pick_next(self) -> None:
        from .review_dialogs import NextSkillPicker

        data = self.data
        assert data is not None
        if not data.lines and data.plan is None:
            self.notify("Nothing is active this week to stack on.", timeout=4)
            return

        def picked(choice: WeekChoice | None) -> None:
            save = self._save_after_pick
            self._save_after_pick = False
            if choice is None:
                return
            self.next_choice = choice
            select = self.query_one("#decision", Select)
            if select.value != "stack":
                select.value = "stack"
            self._update_decision()
            if save:
                self.action_save()

        self.app.push_screen(
            NextSkillPicker(data, self.next_choice), picked
        )

    def action_save(self) -> None:
        data = self.data
        assert data is not None
        typed: dict[str, float | None] = {}
        for i, line in enumerate(data.lines):
            field = self.query_one(f"#value-{i}", Input)
            error = self.query_one(f"#value-{i}-error", Static)
            try:
                typed[line.skill.id] = svc.parse_measurement(field.value)
            except ValidationError as err:
                error.update(markup_lines(err.message))
                error.display = True
                field.focus()
                self.query_one("#review-body", VerticalScroll).scroll_to_widget(
                    field, animate=False
                )
                return
        maintenance = self._maintenance()
        if maintenance is None:
            return
        values = self.values()
        decision = values["decision"] or None
        adjust_error = self.query_one("#adjust-error", Static)
        adjust_error.update("")
        if decision == "tweak" and not values["adjust"].strip():
            adjust_error.update("say what the tweak changes: a new cue, a harder drill, "
                                "another time of day")
            adjust = self.query_one("#adjust", TextArea)
            adjust.focus()
            self.query_one("#review-body", VerticalScroll).scroll_to_widget(
                adjust, animate=False
            )
            return
        if (
            decision == "stack" and data.lines and self.next_choice is None
            and not self._next_title()
        ):
            self._save_after_pick = True
            self.action_pick_next()
            return
        _, about, _ = self._suggested()
        tweak_skill = self._tweak_skill(about) if decision == "tweak" else None
        try:
            saved = self.write(
                lambda: svc.save_review(
                    self.repo, data, typed, values["worked"], values["adjust"], decision,
                    next_choice=self.next_choice if decision == "stack" else None,
                    tweak_skill_id=tweak_skill, maintenance=maintenance,
                ),
                what="weekly review",
            )
        except (ValidationError, PlanEditError) as err:
            self.notify(str(err), title="Not saved", severity="error", timeout=10)
            saved = None
        if saved is None:
            _DRAFTS[self.draft_key] = values  # nothing typed is lost
            return
        _DRAFTS.pop(self.draft_key, None)
        message = f"Review of {data.label} saved."
        if saved.note:
            message += f" {saved.note}"
        self.notify(message, title="Weekly review", timeout=6)
        self.dismiss(saved.stacked.id if saved.stacked else None)
