"""``?``: every key of the screen below and the global ones, as the user has them.

Keys remapped in ``config.toml`` show their new key (marked ``*``); ``i`` shows each
action's id (what a ``[keys]`` line names) instead of its description. Each key is a
row of two columns, so a long description wraps under itself, not under the keys.
A key that does nothing on the screen right now (nothing selected, no timer running,
the demo once the journal has a skill) is dimmed, and the note under the list says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..domain.text import markup_line
from ..keymap import GLOBAL_KEYS, Key


def available(node: DOMNode, action: str) -> bool:
    """Whether ``action`` would do something on ``node`` now (its ``check_action``)."""
    _namespace, name, params = parse(action)
    return bool(node.check_action(name, params))


def label_width(keys: list[Key], keymap: Mapping[str, str]) -> int:
    """As narrow as the keys allow (80 columns are tight), never under 6."""
    return max([6, *(len(key.label_in(keymap)) for key in keys)])


class KeyRow(Horizontal):
    """One key: its label (``*`` when remapped) and what it does (or its id)."""

    def __init__(
        self, key: Key, keymap: Mapping[str, str], width: int, on: bool = True
    ) -> None:
        super().__init__(classes="key-row" if on else "key-row -off")
        self.key = key
        self.remapped = key.id in keymap
        self.label_text = key.label_in(keymap)
        self.column = width

    def compose(self) -> ComposeResult:
        yield Static("*" if self.remapped else " ", classes="key-mark")
        # plain text: a key may be "[" or "\\", which markup would swallow
        label = Static(self.label_text, markup=False, classes="key-label")
        label.styles.width = self.column + 2
        yield label
        # "key-table": the descriptions, all of them (tests read them through this class)
        yield Static(self.key.help, markup=False, classes="key-table key-help")

    def show_id(self, ids: bool) -> None:
        help_text = self.query_one(".key-help", Static)
        help_text.update((self.key.id or "") if ids else self.key.help)
        help_text.set_class(ids, "-id")


class HelpScreen(ModalScreen[None]):
    CSS_PATH = ["../styles/settings.tcss", "../styles/messages.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape,q,question_mark", "close", "Close"), ("i", "toggle_ids", "Ids")
    ]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below
        self.show_ids = False
        self.dimmed = False  # some key does nothing on ``below`` right now

    def compose(self) -> ComposeResult:
        keymap: Mapping[str, str] = getattr(self.app, "keymap", {})
        screen_keys = getattr(self.app, "screen_keys", None)
        keys = screen_keys(self.below) if screen_keys else list(getattr(self.below, "KEYS", []))
        name = (self.below.name or "this screen").capitalize()
        width = label_width(keys + GLOBAL_KEYS, keymap)  # one column for both lists
        with Vertical(id="dialog", classes="help"):
            yield Static(
                "[b]Keys[/b]   [$text-muted]esc closes · i shows the ids for remapping[/]",
                classes="form-title",
            )
            with VerticalScroll():
                for title, group, node in (
                    (name, keys, self.below), ("Everywhere", GLOBAL_KEYS, self.app),
                ):
                    if not group:
                        continue
                    yield Static(f"[b]{markup_line(title)}[/b]", classes="key-section")
                    for key in group:
                        on = available(node, key.action)
                        self.dimmed = self.dimmed or not on
                        yield KeyRow(key, keymap, width, on)
                yield Static(self._note(keymap), id="help-note")

    def _note(self, keymap: Mapping[str, str]) -> str:
        remapped = "[$warning]*[/] remapped in config.toml.  " if keymap else ""
        if self.dimmed:
            remapped += "Dimmed: does nothing here right now.  "
        if self.show_ids:
            note = (
                "Remap in config.toml:  [b]\\[keys][/b]  then lines like  "
                '[b]"today.check_in" = "c"[/b]  (several keys: "j,down").'
            )
        else:
            note = "Every action is also in the command palette (ctrl+p)."
        return f"[$text-muted]{remapped}{note}[/]"

    def action_toggle_ids(self) -> None:
        self.show_ids = not self.show_ids
        for row in self.query(KeyRow):
            row.show_id(self.show_ids)
        self.query_one("#help-note", Static).update(self._note(getattr(self.app, "keymap", {})))

    def action_close(self) -> None:
        self.dismiss(None)
