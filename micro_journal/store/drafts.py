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
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from ..domain.models import (
    RecordError,
    check_date,
    check_id,
    check_ids,
    check_stamp,
    check_texts,
)
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

    @classmethod
    def from_file(cls, data: Any) -> Draft:
        """A draft read from disk, checked like a journal record (validation at the
        edge); RecordError names the field that does not fit. The body may hold what
        the journal refuses (a lone surrogate): a draft keeps typed text losslessly."""
        if not isinstance(data, dict):
            raise RecordError("draft", "is not an object")
        names = {f.name for f in fields(cls)}
        known = {k: v for k, v in data.items() if k in names}
        for name in ("entry_id", "date", "body", "saved_at"):
            if name not in known:
                raise RecordError(name, "is missing", f"lacks {name}")
        check_id(known["entry_id"], "entry_id")
        check_date(known["date"], "date")
        if type(known["body"]) is not str:
            raise RecordError("body", "is not text")
        check_stamp(known["saved_at"], "saved_at")
        known["skill_ids"] = check_ids(known.get("skill_ids", []), "skill_ids")
        known["tags"] = check_texts(known.get("tags", []), "tags")
        for name in ("mood", "energy"):
            value = known.get(name)
            if value is not None and (type(value) is not int or not 1 <= value <= 5):
                raise RecordError(name, "is not a whole number from 1 to 5")
        if known.get("created_at") is not None:
            check_stamp(known["created_at"], "created_at")
        return cls(**known)


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
        """The drafts that read as drafts. One that does not (bad JSON, a date that is
        no date, a hand-edited field…) is left where it is, never deleted: it may be
        the only copy of some text (``unreadable`` lists them)."""
        return self._read()[0]

    def unreadable(self) -> list[tuple[Path, str]]:
        """(file, what is wrong) of every draft file that cannot be offered back."""
        return self._read()[1]

    def _read(self) -> tuple[list[Draft], list[tuple[Path, str]]]:
        drafts: list[Draft] = []
        bad: list[tuple[Path, str]] = []
        try:
            files = sorted(self.folder.glob("*.json"))
        except OSError:
            return [], []
        for path in files:
            try:
                data = json.loads(path.read_bytes().decode("utf-8", "surrogatepass"))
                drafts.append(Draft.from_file(data))
            except RecordError as err:
                bad.append((path, err.message))
            except RecursionError:
                bad.append((path, "it is nested too deeply"))
            except (OSError, ValueError, TypeError) as err:
                bad.append((path, f"it cannot be read ({type(err).__name__})"))
        return sorted(drafts, key=lambda d: d.saved_at), bad

    def get(self, entry_id: str) -> Draft | None:
        return next((d for d in self.all() if d.entry_id == entry_id), None)
