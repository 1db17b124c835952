"""Persistence: TinyDB on a crash-safe storage, returning domain objects.

``JournalStorage`` is public: a script can open the journal safely with
``TinyDB(path, storage=JournalStorage)`` (the lock, the change log and atomic writes
included)."""

from .errors import (
    FoldError,
    JournalCorrupt,
    JournalError,
    JournalLocked,
    JournalMissing,
    JournalUnreadable,
    ReadOnlyJournal,
    SaveError,
)
from .journal import Journal, open_journal
from .repository import Repository
from .storage import JournalStorage, read_state
from .table import JournalDB, JournalTable

__all__ = [
    "FoldError",
    "Journal",
    "JournalCorrupt",
    "JournalDB",
    "JournalError",
    "JournalLocked",
    "JournalMissing",
    "JournalStorage",
    "JournalTable",
    "JournalUnreadable",
    "ReadOnlyJournal",
    "Repository",
    "SaveError",
    "open_journal",
    "read_state",
]
