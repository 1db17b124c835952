"""The micro-goal form and the small prompts around goals: insight, drop reason, new
deadline, period note, and the pick-a-due-goal list of Today. Also the completion
flow (save, a brief celebration, then the optional insight) shared by Goals and Today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ..domain import dates
from ..domain import goals as rules_goals
from ..domain.models import MicroGoal, Objective, ValidationError
from ..domain.text import markup_line, markup_lines
from ..keymap import GOAL_FORM_KEYS, bindings
from ..services import goals as svc
from ..store import JournalError, ReadOnlyJournal
from ..widgets.text_area import SafeTextArea
from ..widgets.text_fields import SafeInput, suggestible
from .base import JournalScreen
from .form_dialog import FormDialog

DEADLINE_HINT = "today · tomorrow · fri · +3d · +1w · +1m · YYYY-MM-DD"
CHEERS = (
    "Nice work.", "One step closer.", "That's how it's done.", "Small win, real progress.",
    "Keep stacking.",
)


# ------------------------------------------------------------------ the form


FIELDS = [
    ("action", "Action", "the next concrete step, e.g. Book a room"),
    ("objective", "Objective", "pick (→ completes) or type a new one"),
    ("deadline", "Deadline", "e.g. fri, +3d, 2026-12-01"),
    ("metric", "Success metric", "how you'll know it's done"),
    ("estimate", "Estimate (min)", "under 120, e.g. 30"),
]


class GoalForm(FormDialog[str | None]):
    """Add or edit a micro-goal; returns the saved goal's id (None when cancelled)."""
    CSS_PATH = "../styles/goals.tcss"

    KEYS = GOAL_FORM_KEYS
    BINDINGS: ClassVar[list[BindingType]] = [*bindings(GOAL_FORM_KEYS)]  # a list[BindingType]
    DIALOG_CLASSES = "goal-form"
    # the field's live note says what is wrong, like the deadline's
    ERROR_ID = "{field}-note"
    ERROR_MARKUP = "[$error]✗ {message}[/]"

    def __init__(
        self, goal: MicroGoal | None = None, objective_id: str | None = None
    ) -> None:
        super().__init__()
        self.goal = goal
        self.objective_id = objective_id

    # ----------------------------------------------------------------- building
    def heading(self) -> str:
        title = "Edit micro-goal" if self.goal else "New micro-goal"
        return (
            f"[b]{title}[/b]  [$text-muted]specific · a short deadline · measurable · "
            "under two hours[/]"
        )

    def compose_fields(self) -> ComposeResult:
        repo = self.journal_app.repo
        objectives = repo.objectives() if repo else []
        draft = svc.draft_of(repo, self.goal) if (repo and self.goal) else svc.GoalDraft()
        if self.goal is None:
            chosen = None
            if repo is not None and self.objective_id:
                chosen = repo.get(Objective, self.objective_id)
            if chosen is None and len(objectives) == 1:
                chosen = objectives[0]
            draft.objective = chosen.title if chosen else ""
        values = {
            "action": draft.action, "objective": draft.objective, "deadline": draft.deadline,
            "metric": draft.success_metric, "estimate": draft.estimate,
        }
        with VerticalScroll(classes="goal-fields"):
            for name, label, hint in FIELDS:
                with Horizontal(classes="goal-field"):
                    yield Label(label)
                    suggester = None
                    if name == "objective":
                        suggester = SuggestFromList(
                            suggestible([o.title for o in objectives]), case_sensitive=False
                        )
                    yield SafeInput(
                        values[name], placeholder=hint, id=name, suggester=suggester
                    )
                yield Static("", id=f"{name}-note", classes="goal-note")
            skills = [s for s in (repo.skills() if repo else []) if s.status != "archived"]
            titles = {o.id: o.title for o in objectives}
            options = [
                (markup_line(f"{s.title} · {titles.get(s.objective_id, '?')}"), s.id)
                for s in skills
            ]
            with Horizontal(classes="goal-field"):
                yield Label("Skill")
                value = draft.skill_id if draft.skill_id in {s.id for s in skills} else None
                yield Select(
                    options, prompt="none (optional)", allow_blank=True,
                    value=value if value else Select.NULL, id="skill",
                )
            yield Static("", id="skill-note", classes="goal-note")
        # why a save failed (read-only, disk): in the form, where no toast covers it
        yield Static("", id="save-note", classes="goal-note")

    def on_mount(self) -> None:
        self._update_notes()

    # ----------------------------------------------------------------- live notes
    @property
    def today(self) -> dt.date:
        return self.journal_app.clock.today()

    def draft(self) -> svc.GoalDraft:
        values = {i.id: i.value for i in self.query(Input)}
        skill = self.query_one("#skill", Select).value
        return svc.GoalDraft(
            action=values["action"], objective=values["objective"],
            deadline=values["deadline"], success_metric=values["metric"],
            estimate=values["estimate"], skill_id=skill if isinstance(skill, str) else None,
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self._update_notes(event.input.id)

    def on_select_changed(self, event: Select.Changed) -> None:
        self._update_notes("skill")

    def _note(self, name: str, text: str) -> None:
        self.query_one(f"#{name}-note", Static).update(text)

    def _update_notes(self, changed: str | None = None) -> None:
        draft = self.draft()
        repo = self.journal_app.repo
        # objective: existing (with its progress) or new
        name = draft.objective.strip()
        if changed in (None, "objective"):
            found = svc.find_objective(repo, name) if (repo and name) else None
            if repo is not None and found is not None:  # found only with a repo
                done, total = rules_goals.objective_progress(
                    g for g in repo.goals() if g.objective_id == found.id
                )
                self._note(
                    "objective", f"[$text-muted]existing objective · {done}/{total} goals done[/]"
                )
            elif name:
                self._note("objective", "[$accent]new objective: created when you save[/]")
            else:
                self._note("objective", "")
        if changed in (None, "deadline"):
            self._deadline_note(draft.deadline)
        if changed in (None, "estimate"):
            try:
                minutes = svc.parse_estimate(draft.estimate)
            except ValidationError as err:
                self._note("estimate", f"[$error]{markup_lines(err.message)}[/]")
            else:
                if minutes is not None and minutes > rules_goals.GOAL_ESTIMATE_WARN:
                    self._note(
                        "estimate",
                        f"[$warning]⚠ {minutes} min is over two hours: split it into smaller "
                        "micro-goals[/]",
                    )
                else:
                    self._note("estimate", "")
        if changed in (None, "action", "metric"):
            for field_name in ("action", "metric"):
                self._note(field_name, "")
            if not draft.success_metric.strip() and draft.action.strip():
                self._note("metric", "[$text-muted]how will you know it is done?[/]")
        if changed in (None, "skill"):
            self._note("skill", "")
        for note in self.query(".goal-note"):
            note.display = bool(str(note.render()).strip())

    def _deadline_note(self, text: str) -> None:
        if not text.strip():
            self._note("deadline", f"[$text-muted]{DEADLINE_HINT}[/]")
            return
        keep = self.goal.deadline if self.goal else None
        try:
            day = svc.check_deadline(text, self.today, keep)
        except ValidationError as err:
            self._note("deadline", f"[$error]✗ {markup_lines(err.message)}[/]")
            return
        said = markup_line(rules_goals.describe_deadline(day, self.today))
        self._note("deadline", f"[$success]→ {said}[/]")

    # ----------------------------------------------------------------- saving
    def action_save(self) -> None:
        repo = self.journal_app.repo
        if repo is None:
            return
        draft = self.draft()
        self._note("save", "")
        try:
            _, new_objective = svc.goal_from_draft(repo, draft, self.today, self.goal)
        except ValidationError as err:
            self._update_notes()
            target = err.field if err.field in {n for n, *_ in FIELDS} | {"skill"} else "action"
            self.show_error(target, err.message)
            return
        try:
            saved = svc.save_goal(repo, draft, self.today, self.goal)
        except (ReadOnlyJournal, JournalError) as err:
            self.not_saved(err)
            return
        warnings = rules_goals.goal_warnings(saved)
        made = f" (new objective: {new_objective})" if new_objective else ""
        verb = "Saved" if self.goal else "Added"
        message = f"{verb}: {saved.action}{made}"
        if warnings:
            self.notify(message + "\n" + "\n".join(warnings), severity="warning", timeout=8)
        else:
            self.notify(message, timeout=4)
        self.dismiss(saved.id)

    def not_saved(self, error: Exception) -> None:
        # said in the form (a toast would sit over it); everything typed is still here
        self._note("save", f"[$error]✗ Not saved: {markup_lines(str(error))}[/]")
        self.query_one("#save-note").display = True


# ------------------------------------------------------------------ one-line prompts


class PromptBox(Vertical):
    """A prompt's box: when it grows or shrinks, the toasts under it make room."""

    def on_resize(self) -> None:
        keep = getattr(self.app, "keep_toasts_clear", None)
        if keep is not None:
            keep()


class LinePrompt(ModalScreen[str | None]):
    """A question with one line of text: enter answers, esc skips (returns None).

    The box sits high (messages.tcss) and the toasts stay in the rows under it: the
    celebration of a completed goal shows below its insight prompt, never over it.
    """
    CSS_PATH = ["../styles/goals.tcss", "../styles/messages.tcss"]

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "skip", "Skip")]

    def __init__(
        self, title: str, question: str, value: str = "", placeholder: str = "",
        hint: str = "enter saves · esc skips", classes: str = "",
    ) -> None:
        super().__init__(classes=classes)
        self.title_text = title
        self.question = question
        self.value = value
        self.placeholder = placeholder
        self.hint = hint

    def compose(self) -> ComposeResult:
        with PromptBox(id="dialog", classes="goal-prompt"):
            yield Static(self.title_text, classes="form-title")
            yield Static(self.question, classes="prompt-question")
            yield SafeInput(self.value, placeholder=self.placeholder, id="answer")
            yield Static("", id="answer-note", classes="goal-note")
            yield Static(f"[$text-muted]{self.hint}[/]", classes="prompt-hint")

    def on_mount(self) -> None:
        self.query_one("#answer-note").display = False
        self.query_one(Input).focus()


    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.answer(event.value)

    def answer(self, value: str) -> None:
        self.dismiss(value)

    def action_skip(self) -> None:
        self.dismiss(None)


class InsightPrompt(LinePrompt):
    def __init__(self, goal: MicroGoal) -> None:
        super().__init__(
            f"[b]Insight[/b]  [$text-muted]{markup_line(goal.action)}[/]",
            "What worked? What would you adjust next time?",
            value=goal.insight, placeholder="one or two sentences",
            hint="enter saves · esc skips (i on Goals writes it later)",
            classes="insight",
        )


class DropPrompt(LinePrompt):
    def __init__(self, goal: MicroGoal) -> None:
        super().__init__(
            f"[b]Drop[/b]  {markup_line(goal.action)}",
            "It no longer fits? Say why (optional). Dropped goals can be restored with u.",
            value=goal.drop_reason, placeholder="reason (optional)",
            hint="enter drops · esc keeps the goal",
        )


class ReschedulePrompt(LinePrompt):
    """A new deadline, checked and explained as it is typed."""

    def __init__(self, goal: MicroGoal, today: dt.date) -> None:
        late = rules_goals.days_late(goal, today)
        deadline = dt.date.fromisoformat(goal.deadline)
        if goal.status == "open" and late != 0:
            now = f"{dates.day_short(deadline, year=True)} ({rules_goals.late_label(late)})"
        else:
            now = rules_goals.describe_deadline(deadline, today)
        super().__init__(
            f"[b]Reschedule[/b]  {markup_line(goal.action)}",
            f"Deadline now {markup_line(now)}. New deadline:",
            placeholder=DEADLINE_HINT, hint="enter saves · esc keeps the deadline",
        )
        self.today = today

    def on_input_changed(self, event: Input.Changed) -> None:
        self._check(event.value)

    def _check(self, text: str) -> bool:
        note = self.query_one("#answer-note", Static)
        note.display = True
        if not text.strip():
            note.update(f"[$text-muted]{DEADLINE_HINT}[/]")
            return False
        try:
            day = svc.check_deadline(text, self.today)
        except ValidationError as err:
            note.update(f"[$error]✗ {markup_lines(err.message)}[/]")
            return False
        note.update(f"[$success]→ {markup_line(rules_goals.describe_deadline(day, self.today))}[/]")
        return True

    def answer(self, value: str) -> None:
        if self._check(value):
            self.dismiss(value)


class NotePrompt(ModalScreen[str | None]):
    """The review note of a month or quarter: a few lines; ctrl+s saves, esc cancels."""
    CSS_PATH = "../styles/goals.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        ("ctrl+s", "save", "Save"),
        ("escape", "cancel", "Cancel"),
    ]

    def __init__(self, label: str, text: str) -> None:
        super().__init__()
        self.label = label
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="goal-prompt note"):
            yield Static(f"[b]Review note[/b]  {markup_line(self.label)}", classes="form-title")
            yield Static(
                "What did these goals add up to? What will you change next period?",
                classes="prompt-question",
            )
            yield SafeTextArea(self.text, id="note-text", soft_wrap=True)
            yield Static("[$text-muted]ctrl+s saves · esc cancels[/]", classes="prompt-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DueGoalPicker(ModalScreen[str | None]):
    """Today's ``g`` with several goals due: pick the one that is done."""
    CSS_PATH = ["../styles/plan.tcss", "../styles/goals.tcss"]

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "Cancel")]

    def __init__(self, rows: list[svc.GoalRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="goal-prompt picker"):
            yield Static("[b]Which micro-goal is done?[/b]", classes="form-title")
            options = []
            for row in self.rows:
                colour = "$warning" if row.late == 0 else "$error"
                where = (f"  [$text-muted]{markup_line(row.objective.title)}[/]"
                         if row.objective else "")
                late = rules_goals.late_label(row.late)
                options.append(Option(
                    f"{markup_line(row.goal.action)}  [{colour}]{late}[/]"
                    f"{where}",
                    id=row.goal.id,
                ))
            yield OptionList(*options, id="due-goals")
            yield Static("[$text-muted]↑↓ choose · enter completes · esc cancels[/]",
                         classes="prompt-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


# ------------------------------------------------------------------ completing


def celebration(view_done: int, view_total: int, goal: MicroGoal, objective: str) -> str:
    """The toast's text (plain, not markup: ``notify`` shows it as it is)."""
    cheer = CHEERS[(view_done - 1) % len(CHEERS)] if view_done > 0 else CHEERS[0]
    progress = f"{objective}: {view_done}/{view_total} done. " if objective else ""
    return f"✔ {goal.action}\n{progress}{cheer}"


def complete_goal(
    screen: JournalScreen, goal: MicroGoal, after: Callable[[], None] | None = None
) -> bool:
    """Save ``goal`` as done, celebrate briefly (a toast), then ask for the insight."""
    app = screen.journal_app
    repo = app.repo
    if repo is None:
        return False
    stamp = svc.completion_stamp(app.clock)
    saved = screen.write(lambda: svc.complete(repo, goal, stamp), what="completed goal")
    if saved is None:
        return False
    objective = repo.get(Objective, saved.objective_id)
    done, total = rules_goals.objective_progress(
        g for g in repo.goals() if g.objective_id == saved.objective_id
    )
    screen.notify(
        celebration(done, total, saved, objective.title if objective else ""),
        title="★ Micro-goal done", timeout=4,
    )
    if after is not None:
        after()

    def insight(text: str | None) -> None:
        if text is None or text.strip() == saved.insight.strip():
            return
        stored = screen.write(lambda: svc.set_insight(repo, saved, text), what="insight")
        if stored is not None:
            screen.notify("Insight saved: it shows in the monthly review.", timeout=3)
            if after is not None:
                after()

    app.push_screen(InsightPrompt(saved), insight)
    return True
