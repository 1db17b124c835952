"""The weekly review (``w`` on Plan and Today): a measurement per active skill, what
worked, what to adjust, and the decision — stack the next skill, hold, or tweak.

One review per week and objective: reopening it edits it. Nothing typed is lost: leaving
without saving keeps the text for the next time the review is opened in this session.
"""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Input, Label, Select, Static, TextArea

from ..domain.models import ValidationError
from ..keymap import REVIEW_KEYS, bindings
from ..services import plan as svc
from ..services.plan import ReviewData, ReviewLine, fmt
from ..widgets.footer import KeyFooter
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
    ("stack — add the next skill as planned", "stack"),
    ("hold — repeat this week; later weeks move back one", "hold"),
    ("tweak — keep the plan, change how I practise", "tweak"),
]


class ReviewScreen(JournalScreen):
    CSS_PATH = ["../styles/plan.tcss", "../styles/goals.tcss"]
    KEYS = REVIEW_KEYS
    BINDINGS = bindings(REVIEW_KEYS)

    def __init__(self, objective_id: str, day: dt.date) -> None:
        super().__init__(name="review")
        self.objective_id = objective_id
        self.day = day
        self.data: ReviewData | None = None
        self.initial: dict[str, str] = {}
        self.restored = False

    # ----------------------------------------------------------------- building
    @property
    def draft_key(self) -> tuple[str, str, str]:
        start = self.data.start if self.data else self.day
        return (str(self.mj.db_path), self.objective_id, start.isoformat())

    def _load(self) -> ReviewData:
        app = self.mj
        return svc.review_data(
            app.repo, self.objective_id, self.day, app.clock.today(), app.config.first_weekday
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
                        yield Input(
                            values[f"value:{line.skill.id}"], id=f"value-{i}",
                            placeholder=line.skill.metric.unit or "value",
                            classes="review-value",
                        )
                        yield Static(id=f"change-{i}", classes="review-change")
                    yield Static(id=f"value-{i}-error", classes="field-error review-error")
                    yield Static(id=f"plateau-{i}", classes="review-plateau")
            if not data.lines:
                yield Static(
                    "[$text-muted]No skill of this objective was active that week: there is "
                    "nothing to measure. Notes and a decision can still be kept.[/]",
                    classes="review-none",
                )
            yield Static("What worked", classes="section-title")
            yield TextArea(values["worked"], id="worked", classes="review-notes",
                           placeholder="what made practice easier or the results better")
            yield Static("What will I adjust", classes="section-title")
            yield TextArea(values["adjust"], id="adjust", classes="review-notes",
                           placeholder="one change for next week")
            yield Static("Decision", classes="section-title")
            yield Select(
                DECISION_OPTIONS, value=values["decision"] or Select.NULL, id="decision",
                prompt="stack, hold or tweak", allow_blank=True,
            )
            yield Static(id="decision-help")
        yield KeyFooter(compact=True, show_command_palette=False)

    def _initial_values(self, data: ReviewData) -> dict[str, str]:
        values: dict[str, str] = {}
        for line in data.lines:
            values[f"value:{line.skill.id}"] = "" if line.prefill is None else f"{line.prefill:g}"
        review = data.review
        values["worked"] = review.worked if review else ""
        values["adjust"] = review.adjust if review else ""
        decision = review.decision if review else None
        if decision is None and data.plan is not None and data.index is not None:
            decision = data.plan.weeks[data.index].decision
        if decision is None and data.when == "past":
            # the week is over: propose what the rules suggest; the user decides
            decision = data.suggestion(self._typed_from(values))
        values["decision"] = decision or ""
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
        self._draw_top()
        self._update_all()
        first = self.query(".review-value")
        if first:
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
            f"[b]Weekly review[/b]  {escape(data.objective.title)}  ·  {escape(data.label)}"
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
                f"[$text-muted]The week runs until {data.end:%A} {data.end.day} "
                f"{data.end:%b}: measurements so far.[/]"
            )
        if self.restored:
            intro.append("[$warning]Restored what you typed before; not saved yet.[/]")
        if not intro:
            intro.append(
                "[$text-muted]Measurements are pre-filled from the week's check-ins; change "
                "them as you measured.[/]"
            )
        self.query_one("#review-intro", Static).update("\n".join(intro))

    def _head(self, line: ReviewLine) -> str:
        frequency = f"{line.done}/{line.skill.frequency_target} days"
        return f"{ROLE.get(line.role, '')} [b]{escape(line.skill.title)}[/b]  ·  {frequency}"

    def _metric_line(self, line: ReviewLine) -> str:
        metric = line.skill.metric
        bits = []
        if metric.name:
            unit = f" ({escape(metric.unit)})" if metric.unit else ""
            arrow = "↓ lower is better" if metric.direction == "lower" else "↑ higher is better"
            bits.append(f"{escape(metric.name)}{unit} {arrow}")
        else:
            bits.append("no metric")
        bits.append(f"baseline {fmt(metric.baseline)} → target {fmt(metric.target)}")
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
            error.update(escape(err.message))
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
            bits.append(f"[{colour}]{escape(change.label(unit))}[/] vs {escape(label)}")
        result = line.mastery(value)
        if result.mastered and line.skill.metric.target is not None:
            bits.append("[b $done]★ at target[/]")
        self.query_one(f"#change-{i}", Static).update("  ·  ".join(bits))
        flat = line.plateau(value)
        plateau = self.query_one(f"#plateau-{i}", Static)
        plateau.display = flat is not None
        if flat is not None:
            plateau.update(f"⚠ Plateau: {escape(flat.message)}")

    def _update_decision(self) -> None:
        data = self.data
        assert data is not None
        typed = self._typed()
        suggestion = data.suggestion(typed)
        lines = []
        gate = data.gate(typed)
        focus = data.focus
        if focus is not None and gate is not None:
            title = escape(focus.skill.title)
            if gate.mastered:
                lines.append(f"[$done]★ “{title}” meets its mastery rule: stacking is the plan.[/]")
            else:
                missing = escape("; ".join(gate.shortfalls()))
                lines.append(
                    f"[$warning]Mastery gate: “{title}” has not met its mastery rule "
                    f"({missing}). Holding the week is suggested before stacking more.[/]"
                )
        elif suggestion == "tweak":
            lines.append("[$warning]A skill has plateaued: tweaking the approach is suggested.[/]")
        chosen = self.query_one("#decision", Select).value
        if isinstance(chosen, str):
            mark = "" if chosen == suggestion else f"  [$text-muted](suggested: {suggestion})[/]"
            lines.append(f"→ {escape(svc.DECISION_HELP[chosen])}{mark}")
            if (
                chosen == "hold" and data.plan is not None and data.index is not None
                and data.index + 1 < data.today_index
            ):
                lines.append(
                    "[$text-muted]The week after it is over: the decision is recorded, the "
                    "plan stays as it was.[/]"
                )
        else:
            lines.append(f"[$text-muted]Suggested: {suggestion}.[/]")
        self.query_one("#decision-help", Static).update("\n".join(lines))

    def _update_all(self) -> None:
        assert self.data is not None
        for i in range(len(self.data.lines)):
            self._update_line(i)
        self._update_decision()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("value-"):
            self._update_line(int(event.input.id.split("-")[1]))
            self._update_decision()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._update_decision()

    # ----------------------------------------------------------------- values
    def values(self) -> dict[str, str]:
        assert self.data is not None
        out = {
            f"value:{line.skill.id}": self.query_one(f"#value-{i}", Input).value
            for i, line in enumerate(self.data.lines)
        }
        out["worked"] = self.query_one("#worked", TextArea).text
        out["adjust"] = self.query_one("#adjust", TextArea).text
        decision = self.query_one("#decision", Select).value
        out["decision"] = decision if isinstance(decision, str) else ""
        return out

    @property
    def dirty(self) -> bool:
        return self.values() != self.initial

    def save_pending(self) -> None:
        """Leaving for another screen: keep what was typed (not saved) for next time."""
        if self.data is not None and self.is_mounted and self.dirty:
            _DRAFTS[self.draft_key] = self.values()

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
                error.update(escape(err.message))
                error.display = True
                field.focus()
                self.query_one("#review-body", VerticalScroll).scroll_to_widget(
                    field, animate=False
                )
                return
        values = self.values()
        decision = values["decision"] or None
        saved = self.write(
            lambda: svc.save_review(
                self.mj.repo, data, typed, values["worked"], values["adjust"], decision
            ),
            what="weekly review",
        )
        if saved is None:
            _DRAFTS[self.draft_key] = values  # nothing typed is lost
            return
        _DRAFTS.pop(self.draft_key, None)
        message = f"Review of {data.label} saved."
        if saved.note:
            message += f" {saved.note}"
        self.notify(message, title="Weekly review", timeout=6)
        self.dismiss()
