"""``?``: every key of the screen below and the global ones."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..keymap import GLOBAL_KEYS, Key


def key_table(title: str, keys: list[Key]) -> str:
    lines = [f"[b]{escape(title)}[/b]"]
    for key in keys:
        lines.append(f"  [$accent]{escape(key.label):<12}[/] {escape(key.help)}")
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape,q,question_mark", "close", "Close")]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        keys = list(getattr(self.below, "KEYS", []))
        name = (self.below.name or "this screen").capitalize()
        with Vertical(id="dialog", classes="help"):
            yield Static("[b]Keys[/b]   [$text-muted]esc closes[/]", classes="form-title")
            with VerticalScroll():
                if keys:
                    yield Static(key_table(name, keys), classes="key-table")
                yield Static(key_table("Everywhere", GLOBAL_KEYS), classes="key-table")
                yield Static(
                    "[$text-muted]Every action is also in the command palette (ctrl+p).[/]"
                )

    def action_close(self) -> None:
        self.dismiss(None)
