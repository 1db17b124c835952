"""New micro-skill form, with the micro-skill checklist (warns, never blocks)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from ..domain.models import ValidationError
from ..services.skills import SkillDraft, create_skill, skill_from_draft
from ..store import JournalError

FIELDS = [
    ("objective", "Objective", "e.g. Public speaking"),
    ("title", "Micro-skill", "one tiny element, e.g. no 'um' in a talk"),
    ("why", "Why / cue", "optional: when, and why"),
    ("minutes", "Minutes a day", "5–10"),
    ("metric", "Metric", "what you count, e.g. fillers per talk"),
    ("unit", "Unit", "optional, e.g. fillers"),
    ("direction", "Better is", ""),
    ("baseline", "Baseline", "optional: where you are now"),
    ("target", "Target", "optional: where you aim"),
    ("days", "Days per week", "1–7 (7 = every day)"),
]


class NewSkillForm(ModalScreen[str | None]):
    """Creates an objective (if new) and a micro-skill; returns the new skill's id."""

    BINDINGS = [("escape", "cancel", "Cancel"), ("ctrl+s", "save", "Save")]

    def compose(self) -> ComposeResult:
        app = self.app
        objectives = app.repo.objectives() if app.repo else []
        default_minutes = str(app.config.default_practice_minutes)
        with Vertical(id="dialog", classes="form wide"):
            yield Static("[b]New micro-skill[/b]", classes="form-title")
            with VerticalScroll(classes="form-scroll"), Grid(classes="form-grid"):
                for name, label, hint in FIELDS:
                    yield Label(label)
                    if name == "direction":
                        yield Select(
                            [("higher is better", "higher"), ("lower is better", "lower")],
                            value="higher", allow_blank=False, id="direction",
                        )
                    else:
                        value = ""
                        if name == "minutes":
                            value = default_minutes
                        elif name == "days":
                            value = "7"
                        elif name == "objective" and len(objectives) == 1:
                            value = objectives[0].title
                        yield Input(value, placeholder=hint, id=name)
                    yield Static("", id=f"{name}-error", classes="field-error")
            yield Static("", id="checklist")
            with Horizontal(classes="form-buttons"):
                yield Button("Create  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        first = "title" if self.query_one("#objective", Input).value else "objective"
        self.query_one(f"#{first}", Input).focus()
        self._update_checklist()

    def draft(self) -> SkillDraft:
        values = {i.id: i.value for i in self.query(Input)}
        direction = self.query_one("#direction", Select).value
        return SkillDraft(direction=str(direction), **values)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._update_checklist()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._update_checklist()

    def _update_checklist(self) -> None:
        try:
            skill = skill_from_draft(self.draft(), "x")
        except ValidationError:
            self.query_one("#checklist", Static).update(
                "[$text-muted]Checklist: measurable metric · 5–10 minutes a day · one element[/]"
            )
            return
        warnings = skill.checklist_warnings()
        text = "\n".join(f"[$warning]⚠ {escape(w)}[/]" for w in warnings) or (
            "[$success]✔ Measurable, quick to practise, one element.[/]"
        )
        self.query_one("#checklist", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            self.focus_next()
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        for error in self.query(".field-error"):
            error.update("")
        draft = self.draft()
        try:
            skill_from_draft(draft, "x")
            if not draft.objective.strip():
                raise ValidationError("objective", "name the objective this skill serves")
        except ValidationError as err:
            self.query_one(f"#{err.field}-error", Static).update(escape(err.message))
            widget = self.query_one(f"#{err.field}")
            widget.focus()
            return
        try:
            skill = create_skill(self.app.repo, draft)
        except JournalError as err:
            self.notify(str(err), title="Not saved", severity="error", timeout=15)
            return
        self.notify(f"Created: {skill.title}. Press space to check in today.", timeout=5)
        self.dismiss(skill.id)
