"""The check-in form: minutes, the metric's value and a note (enter on Today)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ..domain.models import ValidationError
from ..domain.text import markup_line, markup_lines
from ..services.today import SkillToday, validate_checkin_fields
from ..widgets.text_fields import SafeInput


class CheckInForm(ModalScreen[dict | None]):
    """Returns ``{"status", "minutes", "value", "note"}`` or None when cancelled."""

    BINDINGS = [
        ("escape", "cancel", "Cancel"),
        ("ctrl+s", "save", "Save"),
    ]

    def __init__(self, s: SkillToday, minutes: int | None = None) -> None:
        super().__init__()
        self.s = s
        c = s.checkin
        self.initial_minutes = minutes if minutes is not None else (c.minutes if c else None)
        self.initial_value = c.value if c else None
        self.initial_note = c.note if c else ""

    def compose(self) -> ComposeResult:
        metric = self.s.skill.metric
        value_label = f"Value ({metric.unit})" if metric.unit else "Value"
        value_hint = metric.name or "optional"
        with Vertical(id="dialog", classes="form"):
            title = markup_line(self.s.skill.title)
            yield Static(f"[b]Check in[/b] · {title}", classes="form-title")
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
            with Horizontal(classes="form-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#minutes", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        for name in ("minutes", "value"):
            self.query_one(f"#{name}-error", Static).update("")
        minutes_text = self.query_one("#minutes", Input).value
        value_text = self.query_one("#value", Input).value
        try:
            minutes, value = validate_checkin_fields(minutes_text, value_text)
        except ValidationError as err:
            self.query_one(f"#{err.field}-error", Static).update(markup_lines(err.message))
            self.query_one(f"#{err.field}", Input).focus()
            return
        note = self.query_one("#note", Input).value.strip()
        self.dismiss({"status": "done", "minutes": minutes, "value": value, "note": note})
