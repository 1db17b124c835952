"""What every screen of ours shares: the top bar, the read-only banner, save handling."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from textual import events
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen

from ..store import JournalError, ReadOnlyJournal
from ..textual_internals import css_current

if TYPE_CHECKING:
    from ..app import MicroJournalApp
    from ..store import Repository

T = TypeVar("T")


def journal_app(node: MessagePump) -> MicroJournalApp:
    """``node.app`` typed as what it is: every screen and dialog of ours runs in a
    MicroJournalApp (Textual types it ``App[Any]``). For dialogs, which are no
    ``JournalScreen`` and so have no ``mj``."""
    return cast("MicroJournalApp", node.app)


class JournalScreen(Screen):
    """A screen that reads and writes the journal through ``self.app.repo``.

    A screen that draws everything it shows from the journal implements ``draw_view``;
    ``refresh_view`` runs it and remembers what it was drawn from (``view_state``).
    Coming back to such a screen redraws it only when that changed: a switch between
    screens then costs no work of ours. Screens that implement ``refresh_view``
    themselves are redrawn at every return, as before.
    """

    KEYS: list = []

    _shown_before = False
    _drawn_state: tuple | None = None

    def post_message(self, message: Message) -> bool:
        """Textual restyles every widget of a screen each time it is shown again (and
        once more at its first visit, just styled as it mounted), in case the stylesheet
        changed meanwhile. When it has not, that walk finds nothing to change (state
        changes such as focus and hover restyle their widgets as they happen) and costs
        a return to the Journal ~20 ms: the screen is then resumed without it."""
        if (isinstance(message, events.ScreenResume) and message.refresh_styles
                and css_current(self.app, self)):
            message = events.ScreenResume(refresh_styles=False)
        return super().post_message(message)

    def view_state(self) -> tuple:
        """What a drawing from the journal depends on beyond the screen's own state.

        The journal (which one, and ``repo.version``, bumped by every change and
        reload), the day, the settings (``Config`` is replaced, never changed in place,
        when a setting is saved), the theme, read-only or not, the demo flag, the
        journal's file and the terminal size.
        """
        app = self.journal_app
        repo = app.repo
        return (
            None if repo is None else weakref.ref(repo),
            None if repo is None else repo.version,
            app.clock.today(),
            app.config,
            app.theme,
            app.read_only_reason,
            app.demo,
            app.db_path,
            app.size,
        )

    def refresh_view(self) -> None:
        """Redraw everything from the journal (``draw_view``), now."""
        state = self.view_state()
        self.draw_view()
        self._drawn_state = state

    def draw_view(self) -> None:
        """Draw the screen from the journal; see the class docstring."""

    def on_screen_resume(self) -> None:
        """Coming back to a screen (switch, dialog closed, new day): redraw from the journal
        when something it was drawn from changed.

        The first showing is skipped: the screen has just drawn itself in ``on_mount``
        (drawing twice cost start-up ~35 ms on a ten-year journal).
        """
        if not self.is_mounted:
            return
        if type(self).refresh_view is not JournalScreen.refresh_view:
            # draws in its own refresh_view: redraw at every return but the first
            if not self._shown_before:
                self._shown_before = True
                return
            self.refresh_view()
            return
        if self._drawn_state is not None and self._drawn_state == self.view_state():
            self.resumed_unchanged()
        else:
            self.refresh_view()

    def resumed_unchanged(self) -> None:
        """Back on the screen and nothing it shows has changed (no redraw was needed)."""

    def draw_read_only_banner(self) -> None:
        """Show, on the screen's ``#banner``, why nothing can be saved (or hide it)."""
        from textual.widgets import Static

        from ..domain.text import markup_line

        banner = self.query_one("#banner", Static)
        reason = self.journal_app.read_only_reason
        banner.display = reason is not None
        if reason:
            text = f"READ-ONLY — {markup_line(reason)}. Nothing you do here is saved."
            if self.journal_app.locked_out:
                # the app takes the lock as soon as it is free (MicroJournalApp.try_writable)
                text += " It becomes writable by itself when the other one quits."
            banner.update(text)

    def save_pending(self) -> bool | None:
        """Save anything typed but not yet saved; screens with editors override this
        (the editor says whether the journal holds its text; others have none)."""
        return None

    @property
    def journal_app(self) -> MicroJournalApp:
        return journal_app(self)

    @property
    def repo(self) -> Repository:
        """The open journal's repository, where one is sure to be open: in a change run by
        ``write`` (which checks first), or drawing a screen shown only with a journal."""
        repo = self.journal_app.repo
        if repo is None:
            raise RuntimeError("no journal is open")
        return repo

    def write(self, change: Callable[[], T], *, what: str = "change") -> T | None:
        """Run a journal change; on failure tell the user plainly and return None."""
        if self.journal_app.repo is None:
            self.notify("No journal is open.", severity="error")
            return None
        try:
            return change()
        except ReadOnlyJournal as err:
            self.notify(str(err), title="Read-only", severity="warning", timeout=8)
        except JournalError as err:
            self.notify(str(err), title=f"Not saved: {what}", severity="error", timeout=15)
        return None
