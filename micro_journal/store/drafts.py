"""Editor drafts: typed text that has not (yet) reached the journal.

A draft is written (atomically, 0600) shortly after each pause in typing, before the
journal save is attempted, and deleted once the journal holds the same text. So a
draft only survives when the journal save did not happen: the app was killed, the
disk was full, the journal was read-only. The next start offers it back.

Drafts live in ``<journal>.drafts/`` beside the journal, one JSON file per entry.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .files import atomic_write


@dataclass
class Draft:
    entry_id: str
    date: str
    body: str
    saved_at: str  # UTC ISO time the draft was written
    skill_ids: list[str]
    tags: list[str]
    mood: int | None = None
    energy: int | None = None
    created_at: str | None = None  # the entry's, when it existed already


class DraftStore:
    def __init__(self, journal_path: Path) -> None:
        self.folder = journal_path.with_name(journal_path.name + ".drafts")

    def _path(self, entry_id: str) -> Path:
        safe = "".join(c for c in entry_id if c.isalnum())
        return self.folder / f"{safe}.json"

    def save(self, draft: Draft) -> None:
        """Write the draft durably; raises OSError when even that is impossible."""
        if not self.folder.exists():
            self.folder.mkdir(mode=0o700, parents=True)
            os.chmod(self.folder, 0o700)
        payload = json.dumps(asdict(draft), ensure_ascii=False).encode("utf-8", "surrogatepass")
        atomic_write(self._path(draft.entry_id), payload)

    def delete(self, entry_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(entry_id).unlink()
        with contextlib.suppress(OSError):
            self.folder.rmdir()  # only when empty

    def all(self) -> list[Draft]:
        drafts = []
        try:
            files = sorted(self.folder.glob("*.json"))
        except OSError:
            return []
        for path in files:
            try:
                data = json.loads(path.read_bytes().decode("utf-8", "surrogatepass"))
                drafts.append(Draft(**data))
            except (OSError, ValueError, TypeError):
                continue  # an unreadable draft is left where it is, never deleted
        return sorted(drafts, key=lambda d: d.saved_at)

    def get(self, entry_id: str) -> Draft | None:
        return next((d for d in self.all() if d.entry_id == entry_id), None)
