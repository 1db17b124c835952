"""The base of every form dialog (check-in, micro-skill, micro-goal, plan).

``FormDialog`` owns what the forms share, so that each form holds only its fields and
what saving means to it:

- the box: ``Vertical#dialog`` (classes ``DIALOG_CLASSES``) with the ``heading()`` on
  top, the form's ``compose_fields()`` under it and the buttons at the bottom
  (``EXTRA_BUTTONS``, then ``SAVE_LABEL  ctrl+s`` and ``Cancel  esc``); a button runs
  the action its id names;
- the keys: ctrl+s saves (the form's ``action_save``), esc cancels (dismissed with
  None); a form may give its own key list with the same actions (a keymap keyset);
- enter in a field (``ENTER``): save, move to the next field, or move on and save from
  the last input;
- focus: the first input (Textual's ``AUTO_FOCUS``; a form may focus another one in
  its ``on_mount``);
- errors: ``show_error`` writes the message under its field (``ERROR_ID``, in
  ``ERROR_MARKUP``) and puts the cursor in the field, nothing typed is lost;
  ``clear_errors`` empties them; ``not_saved`` says why the journal refused a save.

Textual calls a message handler (``on_mount``, ``on_input_submitted``…) of every class
of a screen, the subclass's first: a form keeps to the hooks above and defines none of
the handlers this base defines except ``on_mount``, which runs before this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.visual import VisualType
from textual.widgets import Button, Input, Static

from ..domain.text import markup_lines
from .base import journal_app

if TYPE_CHECKING:
    from ..app import MicroJournalApp

ResultT = TypeVar("ResultT")


class FieldError(Static):
    """A field's validation message, on its own line under the field (in a ``fields``
    grid it spans both columns); it takes no line while there is nothing to say."""

    def __init__(self, field: str) -> None:
        super().__init__("", id=f"{field}-error", classes="field-error")
        self.display = False

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(content, layout=layout)
        self.display = bool(str(content).strip())


class FormDialog(ModalScreen[ResultT]):
    """A modal form with Save and Cancel; dismissed with the form's result, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "cancel", "Cancel"),
        ("ctrl+s", "save", "Save"),
    ]
    AUTO_FOCUS = "Input"
    DIALOG_CLASSES: ClassVar[str] = "form"
    SAVE_LABEL: ClassVar[str] = "Save"
    # (label, action) of buttons shown before Save
    EXTRA_BUTTONS: ClassVar[tuple[tuple[str, str], ...]] = ()
    # enter in an input: "save", "next" field, or "next" and "save" from the last input
    ENTER: ClassVar[Literal["save", "next", "next, then save"]] = "next, then save"
    ERROR_ID: ClassVar[str] = "{field}-error"  # where a field's message goes
    ERROR_MARKUP: ClassVar[str] = "{message}"  # how it is written (already escaped)

    @property
    def journal_app(self) -> MicroJournalApp:
        """The app, typed (``self.app`` is an ``App[Any]`` to Textual)."""
        return journal_app(self)

    # ----------------------------------------------------------------- what a form gives
    def heading(self) -> str:
        """The title line, in markup."""
        raise NotImplementedError

    def compose_fields(self) -> ComposeResult:
        """Everything between the title and the buttons."""
        raise NotImplementedError

    def action_save(self) -> None:
        raise NotImplementedError

    # ----------------------------------------------------------------- the box
    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes=self.DIALOG_CLASSES):
            yield Static(self.heading(), classes="form-title")
            yield from self.compose_fields()
            with Horizontal(classes="form-buttons"):
                for label, action in self.EXTRA_BUTTONS:
                    yield Button(label, id=action)
                yield Button(f"{self.SAVE_LABEL}  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        # AUTO_FOCUS waits while the terminal is unfocused: the first field all the same
        if self.focused is None:
            first = next((w for w in self.query(self.AUTO_FOCUS) if w.focusable), None)
            if first is not None:
                first.focus()

    # ----------------------------------------------------------------- keys and buttons
    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id:
            await self.run_action(event.button.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.ENTER == "save":
            self.action_save()
        elif self.ENTER == "next" or event.input is not list(self.query(Input))[-1]:
            self.focus_next()
        else:
            self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    # ----------------------------------------------------------------- errors
    def clear_errors(self) -> None:
        for error in self.query(".field-error").results(Static):
            error.update("")

    def show_error(self, field: str, message: str) -> None:
        """Say under ``field`` what is wrong (plain text) and put the cursor there."""
        note = self.query_one(f"#{self.ERROR_ID.format(field=field)}", Static)
        note.update(self.ERROR_MARKUP.format(message=markup_lines(message)))
        note.display = True
        self.query_one(f"#{field}").focus()

    def not_saved(self, error: Exception) -> None:
        """The journal refused the save (read-only, disk): everything typed stays."""
        self.notify(str(error), title="Not saved", severity="error", timeout=15)
