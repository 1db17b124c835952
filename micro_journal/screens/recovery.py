"""Shown when the journal could not be opened: what happened, and what can be done."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..domain.text import markup_line, markup_lines
from ..store import JournalCorrupt, JournalError, JournalMissing
from ..store.files import atomic_write
from ..widgets.footer import KeyFooter
from .base import journal_app


class RecoveryScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        ("r", "restore", "Restore backup"),
        ("e", "start_empty", "Start empty"),
        ("q", "app.quit", "Quit"),
    ]

    def __init__(self, error: JournalError | None) -> None:
        super().__init__()
        self.error = error

    @property
    def backup(self) -> Path | None:
        backup: Path | None = getattr(self.error, "backup", None)
        return backup

    def compose(self) -> ComposeResult:
        err = self.error
        lines = ["[b $error]Your journal could not be opened[/]", "", markup_lines(str(err)), ""]
        if self.backup:
            name = markup_line(self.backup.name)
            lines.append(f"  [b]r[/b]  restore the newest good backup ({name})")
        if isinstance(err, JournalCorrupt | JournalMissing):
            lines.append("  [b]e[/b]  start an empty journal (what was set aside is kept)")
        lines.append("  [b]q[/b]  quit and look at the files yourself")
        with Vertical(id="dialog", classes="recovery"):
            yield Static("\n".join(lines))
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore":
            return self.backup is not None
        if action == "start_empty":
            return isinstance(self.error, JournalCorrupt | JournalMissing)
        return True

    def action_restore(self) -> None:
        """Restore through the service, as the command and the Backups dialog do: under
        the journal's lock, the current file kept first."""
        from ..services.portability import PortabilityError, restore

        app, backup = journal_app(self), self.backup
        if backup is None:  # the key is offered only with a backup (check_action)
            return
        try:
            restore(app.db_path, backup)  # (records it cannot read: named at open)
        except (PortabilityError, JournalError, OSError, ValueError) as err:
            self.notify(f"Could not restore {backup}: {err}", severity="error")
            return
        self._reopen(f"Restored {backup.name}.")

    def action_start_empty(self) -> None:
        self._reopen("Started an empty journal.", allow_missing=True)

    def _reopen(self, message: str, allow_missing: bool = False) -> None:
        app = journal_app(self)
        if allow_missing and not app.db_path.exists():
            # an explicit, empty journal the user asked for (what was set aside stays)
            atomic_write(app.db_path, b"{}")
        if app.open_journal_file():
            self.notify(message, timeout=5)
            self.dismiss(None)
            app.refresh_screens()
        else:
            self.error = app.open_error
            self.notify(str(app.open_error), severity="error", timeout=15)
