"""Errors the store raises, each with a message fit to show the user as it is."""

from __future__ import annotations

from pathlib import Path


class JournalError(Exception):
    """Base class; ``str(err)`` is a plain-words message naming the file."""


class SaveError(JournalError):
    """A save did not reach the disk. The file on disk is unchanged."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"Could not save to {path}: {reason}. Nothing was changed on disk; "
            "your last change is not saved yet — fix the problem and try again."
        )


class JournalUnreadable(JournalError):
    """The journal (or its folder) cannot be opened at all; nothing was touched."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"The journal {path} cannot be opened: {reason}. Nothing was changed.")


class ReadOnlyJournal(JournalError):
    def __init__(self, path: Path, why: str) -> None:
        self.path = path
        self.why = why
        super().__init__(f"The journal {path} is open read-only ({why}); nothing was saved.")


class JournalLocked(JournalError):
    def __init__(self, path: Path, lock_path: Path) -> None:
        self.path = path
        self.lock_path = lock_path
        super().__init__(
            f"The journal {path} is open in another micro-journal on this computer (lock "
            f"file {lock_path}). "
            "Close the other one and try again."
        )


class JournalCorrupt(JournalError):
    """The file could not be parsed. It was moved aside, never overwritten."""

    def __init__(
        self, path: Path, reason: str, moved_to: Path | None, backup: Path | None
    ) -> None:
        self.path = path
        self.reason = reason
        self.moved_to = moved_to
        self.backup = backup
        kept = f" It was kept unchanged as {moved_to}." if moved_to else ""
        offer = (
            f" The newest good backup is {backup}."
            if backup
            else " No backup was found."
        )
        super().__init__(f"The journal {path} could not be read: {reason}.{kept}{offer}")


class JournalMissing(JournalError):
    """No journal file, but backups (or set-aside corrupt files) exist beside it."""

    def __init__(self, path: Path, backup: Path | None, set_aside: Path | None = None) -> None:
        self.path = path
        self.backup = backup
        self.set_aside = set_aside
        found = []
        if set_aside is not None:
            found.append(f"an unreadable journal was set aside as {set_aside}")
        if backup is not None:
            found.append(f"the newest good backup is {backup}")
        super().__init__(f"There is no journal at {path}, but {'; '.join(found)}.")


class FoldError(SaveError):
    """Folding the change log into journal.json failed. No save was lost: every save is
    in the log, which later saves keep appending to. (A SaveError for the callers that
    catch one around a fold; its message never says a save failed.)"""

    def __init__(self, path: Path, changes_path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        self.changes_path = changes_path
        JournalError.__init__(
            self,
            f"Could not fold the saves waiting in {changes_path} into {path}: {reason}. "
            "Every save is kept in the change log, and saving goes on there.",
        )
