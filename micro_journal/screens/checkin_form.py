"""The check-in form: minutes, the metric's value and a note (enter on Today)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Input, Label, Static

from ..domain.models import ValidationError
from ..domain.text import markup_line
from ..services.today import SkillToday, validate_checkin_fields
from ..widgets.text_fields import SafeInput
from .form_dialog import FormDialog


class CheckInForm(FormDialog[dict | None]):
    """Returns ``{"status", "minutes", "value", "note"}`` or None when cancelled."""

    ENTER = "save"

    def __init__(self, s: SkillToday, minutes: int | None = None) -> None:
        super().__init__()
        self.s = s
        c = s.checkin
        self.initial_minutes = minutes if minutes is not None else (c.minutes if c else None)
        self.initial_value = c.value if c else None
        self.initial_note = c.note if c else ""

    def heading(self) -> str:
        return f"[b]Check in[/b] · {markup_line(self.s.skill.title)}"

    def compose_fields(self) -> ComposeResult:
        metric = self.s.skill.metric
        value_label = f"Value ({metric.unit})" if metric.unit else "Value"
        value_hint = metric.name or "optional"
        with Grid(classes="form-grid"):
            yield Label("Minutes")
            yield SafeInput(
                "" if self.initial_minutes is None else str(self.initial_minutes),
                placeholder=f"e.g. {self.s.skill.practice_minutes}", id="minutes",
            )
            yield Static("", id="minutes-error", classes="field-error")
            yield Label(markup_line(value_label))
            yield SafeInput(
                "" if self.initial_value is None else f"{self.initial_value:g}",
                placeholder=value_hint, id="value",
            )
            yield Static("", id="value-error", classes="field-error")
            yield Label("Note")
            yield SafeInput(self.initial_note, placeholder="optional, one line", id="note")
            yield Static("", classes="field-error")

    def action_save(self) -> None:
        self.clear_errors()
        minutes_text = self.query_one("#minutes", Input).value
        value_text = self.query_one("#value", Input).value
        try:
            minutes, value = validate_checkin_fields(minutes_text, value_text)
        except ValidationError as err:
            self.show_error(err.field, err.message)
            return
        note = self.query_one("#note", Input).value.strip()
        self.dismiss({"status": "done", "minutes": minutes, "value": value, "note": note})
