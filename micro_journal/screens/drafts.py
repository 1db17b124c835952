"""Offered at start: text that was typed but never reached the journal."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..domain import dates
from ..domain.text import markup_lines
from ..services.journal import JournalService
from ..store import JournalError
from ..store.drafts import Draft
from ..widgets.footer import KeyFooter
from .base import journal_app


class DraftOffer(ModalScreen[None]):
    CSS_PATH = "../styles/journal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        ("r", "restore", "Put it in the journal"),
        ("l,escape", "later", "Later"),
    ]

    def __init__(self, drafts: list[Draft]) -> None:
        super().__init__()
        self.drafts = list(drafts)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="drafts"):
            yield Static(id="draft-head")
            with VerticalScroll(id="draft-scroll"):
                yield Static(id="draft-body")
            yield Static(
                "[b]r[/b] put it in the journal    [b]l[/b] / esc later (the draft is kept "
                "and offered again)",
                classes="confirm-keys",
            )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        draft = self.drafts[0]
        day = dates.day_long(dt.date.fromisoformat(draft.date))
        when = draft.saved_at.replace("T", " ")[:16] + " UTC"
        more = f" ({len(self.drafts) - 1} more after this one)" if len(self.drafts) > 1 else ""
        self.query_one("#draft-head", Static).update(
            f"[b $warning]Unsaved text found[/]{more}\n"
            f"Text for the entry of [b]{day}[/b], typed until {when}, never reached the "
            "journal (the app was closed or could not save)."
        )
        self.query_one("#draft-body", Static).update(markup_lines(draft.body) or "(empty)")

    def _next(self) -> None:
        self.drafts.pop(0)
        if self.drafts:
            self._show()
        else:
            self.dismiss(None)

    def action_restore(self) -> None:
        app = journal_app(self)
        repo = app.repo
        if repo is None:
            return
        draft = self.drafts[0]
        try:
            JournalService(repo).restore_draft(draft)
        except JournalError as err:
            self.notify(str(err), title="Not restored", severity="error", timeout=12)
            return
        self.notify(f"The text of {draft.date} is in the journal now.", timeout=5)
        app.refresh_screens()
        self._next()

    def action_later(self) -> None:
        self._next()
