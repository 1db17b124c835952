"""Persistence: TinyDB behind a crash-safe storage, returning domain objects."""

from .errors import (
    JournalCorrupt,
    JournalError,
    JournalLocked,
    JournalMissing,
    JournalUnreadable,
    ReadOnlyJournal,
    SaveError,
)
from .journal import Journal, open_journal, read_state
from .repository import Repository

__all__ = [
    "Journal",
    "JournalCorrupt",
    "JournalError",
    "JournalLocked",
    "JournalMissing",
    "JournalUnreadable",
    "ReadOnlyJournal",
    "Repository",
    "SaveError",
    "open_journal",
    "read_state",
]
