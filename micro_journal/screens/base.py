"""What every screen of ours shares: the top bar, the read-only banner, save handling."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

from ..store import JournalError, ReadOnlyJournal

if TYPE_CHECKING:
    from ..app import MicroJournalApp

T = TypeVar("T")


class JournalScreen(Screen):
    """A screen that reads and writes the journal through ``self.app.repo``."""

    KEYS: list = []

    _shown_before = False

    def on_screen_resume(self) -> None:
        """Coming back to a screen (switch, dialog closed, new day): redraw from the journal.

        The first showing is skipped: the screen has just drawn itself in ``on_mount``
        (drawing twice cost start-up ~35 ms on a ten-year journal).
        """
        if not self._shown_before:
            self._shown_before = True
            return
        refresh = getattr(self, "refresh_view", None)
        if refresh is not None and self.is_mounted:
            refresh()

    def draw_read_only_banner(self) -> None:
        """Show, on the screen's ``#banner``, why nothing can be saved (or hide it)."""
        from textual.markup import escape
        from textual.widgets import Static

        banner = self.query_one("#banner", Static)
        reason = self.mj.read_only_reason
        banner.display = reason is not None
        if reason:
            banner.update(f"READ-ONLY — {escape(reason)}. Nothing you do here is saved.")

    def save_pending(self) -> None:
        """Save anything typed but not yet saved; screens with editors override this."""

    @property
    def mj(self) -> MicroJournalApp:
        return self.app  # type: ignore[return-value]

    def write(self, change: Callable[[], T], *, what: str = "change") -> T | None:
        """Run a journal change; on failure tell the user plainly and return None."""
        if self.mj.repo is None:
            self.notify("No journal is open.", severity="error")
            return None
        try:
            return change()
        except ReadOnlyJournal as err:
            self.notify(str(err), title="Read-only", severity="warning", timeout=8)
        except JournalError as err:
            self.notify(str(err), title=f"Not saved: {what}", severity="error", timeout=15)
        return None
