"""The Journal's dialogs: the entry reader (one entry rendered as Markdown, with its
keys to edit, archive or restore it) and the confirmation asked before an archive.

The browser (``journal.py``) opens them; the reader hands archive and restore back to
it, so both stay in one place.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..domain import dates
from ..domain import journal as journal_rules
from ..domain.models import Entry
from ..domain.text import markup_line, visible
from ..keymap import READER_KEYS, bindings
from ..services.journal import JournalService
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from .journal import JournalBrowser


class Confirm(ModalScreen[bool]):
    """A yes or no question (y / n, esc): True when the answer is yes."""

    CSS_PATH = "../styles/journal.tcss"
    BINDINGS = [("y", "yes", "Yes"), ("n,escape", "no", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm"):
            yield Static(self.question)
            yield Static("[b]y[/b] yes    [b]n[/b] / esc no", classes="confirm-keys")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class EntryReader(ModalScreen[str | None]):
    """Read one entry rendered as Markdown."""
    CSS_PATH = "../styles/journal.tcss"

    KEYS = READER_KEYS
    BINDINGS = bindings(READER_KEYS)

    def __init__(self, entry: Entry, browser: JournalBrowser) -> None:
        super().__init__()
        self.entry = entry
        self.browser = browser

    def compose(self) -> ComposeResult:
        # imported here: Markdown (markdown-it, pygments) costs the Journal's first visit
        # ~30 ms otherwise, and only the reader needs it
        from textual.widgets import Markdown

        day = dt.date.fromisoformat(self.entry.date)
        tags = " ".join(f"#{t}" for t in journal_rules.entry_tags(self.entry))
        archived = "  ·  [$warning]archived[/]" if self.entry.archived else ""
        others = len(JournalService.conflicting_versions(self.entry))
        if others:  # a sync kept another device's text too (store/sync.py)
            archived += (f"  ·  [$warning]{others} conflicting version"
                         f"{'s' if others > 1 else ''}: e to resolve[/]")
        with Vertical(id="dialog", classes="reader"):
            yield Static(
                f"[b]{dates.day_long(day)}[/b]  [$text-muted]{markup_line(tags)}[/]{archived}"
            )
            with VerticalScroll(id="reader-scroll"):
                yield Markdown(self._shown_text())
        yield KeyFooter(compact=True, show_command_palette=False)

    def _shown_text(self) -> str:
        """The body as Markdown; of a very large entry, its beginning and how much more
        there is (laying out megabytes of Markdown froze the app for minutes)."""
        body = visible(self.entry.body, lines=True)
        if not body:
            return "*(empty entry)*"
        if len(body) <= journal_rules.LARGE_TEXT:
            return body
        rest = len(body) - journal_rules.LARGE_TEXT
        return (f"{body[:journal_rules.LARGE_TEXT]}\n\n---\n\n*… and {rest:,} more characters, "
                "not shown here: press e to open the whole entry in the editor.*")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "archive":
            return not self.entry.archived
        if action == "restore":
            return self.entry.archived
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_edit(self) -> None:
        self.dismiss("edit")

    def action_archive(self) -> None:
        self.dismiss(None)
        self.browser.action_archive()

    def action_restore(self) -> None:
        self.dismiss(None)
        self.browser.action_restore()
