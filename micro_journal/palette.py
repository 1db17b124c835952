"""The command palette's own commands (ctrl+p): every key of the screen and of the app,
by its help text, and the commands that have no key (theme, export, import, taking the
journal over from another micro-journal)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from .keymap import GLOBAL_KEYS, Key

if TYPE_CHECKING:
    from .app import MicroJournalApp


def system_commands(app: MicroJournalApp, screen: Screen) -> Iterator[SystemCommand]:
    """What ``MicroJournalApp.get_system_commands`` offers on ``screen``."""
    for key in app.screen_keys(screen) + GLOBAL_KEYS:
        if key.action == "command_palette":
            continue
        yield SystemCommand(
            key.help, f"key: {key.label_in(app.keymap)}  ·  id: {key.id}",
            partial(run_from_palette, app, screen, key),
        )
    if app.locked_out:
        yield SystemCommand(
            "Try to write again",
            "Read-only: another micro-journal has the journal open. Take it over now if "
            "that one has quit (this happens by itself every few seconds)",
            app.action_try_writable,
        )
    yield SystemCommand(
        "Change theme", "Pick a colour theme; the list previews each one as you move",
        app.action_change_theme,
    )
    yield SystemCommand(
        "Export journal…", "Write the journal to a file: JSON, Markdown, CSV or iCalendar",
        partial(app.open_portability, "export"),
    )
    yield SystemCommand(
        "Import into journal…", "Add records from a micro-journal JSON or a jrnl export",
        partial(app.open_portability, "import"),
    )


async def run_from_palette(app: MicroJournalApp, screen: Screen, key: Key) -> None:
    """Run ``key``'s action as its key would: on the app for a global key, else on
    ``screen``."""
    target = app if key in GLOBAL_KEYS else screen
    if not await app.run_action(key.action, target):
        # the key is disabled there right now (check_action): say so, not nothing
        app.notify(f"Not available right now: {key.help}", timeout=5)
