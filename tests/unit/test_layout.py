"""journal.json is written with its entries last and their length and checksum in the
meta row, so opening can leave them unparsed; any file that is not exactly what we
wrote is parsed — and judged — in full."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from micro_journal.domain.models import Entry, Objective
from micro_journal.store import JournalCorrupt, Repository, open_journal, read_state
from micro_journal.store.layout import LAYOUT_KEY

DAY = dt.date(2026, 11, 18)


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "data" / "journal.json"


def opened(path: Path, **kw):
    return open_journal(path, today=lambda: DAY, **kw)


def write_some(path: Path, n: int = 5) -> list[str]:
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="speak"))
        repo.save_many(Entry(date=f"2026-11-{d + 1:02d}", body=f"entry {d} ünïcødé 🙂")
                       for d in range(n))
    return sorted(f"entry {d} ünïcødé 🙂" for d in range(n))


def bodies(data: dict) -> list[str]:
    return sorted(e["body"] for e in data.get("entries", {}).values())


def test_entries_are_written_last_and_left_unparsed_until_read(path):
    expected = write_some(path)
    raw = path.read_bytes()
    data = json.loads(raw)
    assert list(data)[-1] == "entries"
    [meta] = data["meta"].values()
    assert meta[LAYOUT_KEY][0] > 0
    with opened(path) as journal:
        repo = Repository(journal)
        assert [o.title for o in repo.objectives()] == ["speak"]
        assert journal.storage._cold is not None  # Today's tables only
        assert sorted(e.body for e in repo.entries()) == expected
        assert journal.storage._cold is None
    assert path.read_bytes() == raw  # nothing changed, nothing rewritten


def test_saving_an_entry_while_they_are_unparsed_keeps_every_other(path):
    expected = write_some(path)
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Entry(date="2026-11-20", body="new one"))
        repo.save(Objective(title="another"))
    assert bodies(json.loads(path.read_bytes())) == sorted([*expected, "new one"])
    with opened(path) as journal:
        assert sorted(e.body for e in Repository(journal).entries()) == sorted(
            [*expected, "new one"])


def test_entries_edited_by_hand_are_read_as_edited(path):
    write_some(path)
    raw = path.read_bytes()
    edited = raw.replace(b"entry 3", b"ENTRY 3")  # same length, other checksum
    assert edited != raw
    path.write_bytes(edited)
    with opened(path) as journal:
        assert "ENTRY 3 ünïcødé 🙂" in [e.body for e in Repository(journal).entries()]


def test_damaged_entries_are_caught_at_open_not_later(path):
    write_some(path)
    raw = path.read_bytes()
    path.write_bytes(raw[:-30] + b"}")  # the tail lost, but still ending in a brace
    with pytest.raises(JournalCorrupt):
        opened(path)


def test_a_file_with_entries_in_the_middle_still_opens(path):
    expected = write_some(path)
    data = json.loads(path.read_bytes())
    reordered = {"entries": data.pop("entries"), **data}  # as an older version wrote it
    path.write_bytes(json.dumps(reordered).encode())
    with opened(path) as journal:
        repo = Repository(journal)
        assert sorted(e.body for e in repo.entries()) == expected
        repo.save(Objective(title="after"))
    assert list(json.loads(path.read_bytes()))[-1] == "entries"


def test_the_marker_inside_a_record_does_not_fool_the_split(path):
    """A record holding a field called "entries" (kept from a newer version) comes
    before the real table: the head cannot parse there, so the file is read in full."""
    expected = write_some(path)
    with opened(path) as journal:
        repo = Repository(journal)
        odd = Objective(title="odd")
        odd.extra["kept"] = 1
        odd.extra["entries"] = {"x": {"y": 1}}  # written as ...,"entries":{...
        repo.save(odd)
    raw = path.read_bytes()
    assert raw.index(b',"entries":') < raw.rindex(b',"entries":')
    with opened(path) as journal:
        repo = Repository(journal)
        assert sorted(e.body for e in repo.entries()) == expected
        [odd] = [o for o in repo.objectives() if o.title == "odd"]
        assert odd.extra["entries"] == {"x": {"y": 1}}
    assert bodies(read_state(path)) == expected


def test_entries_read_after_the_file_was_rewritten_are_the_ones_opened(path):
    """The file is kept open, so a rewrite (a fold of the change log) before the first
    read of the entries changes nothing about what is read."""
    expected = write_some(path)
    with opened(path) as journal:
        repo = Repository(journal)
        journal.storage.compact_bytes = 0  # this save rewrites journal.json
        repo.save(Objective(title="rewrite"))
        assert journal.storage._cold is not None
        assert sorted(e.body for e in repo.entries()) == expected
    assert bodies(json.loads(path.read_bytes())) == expected


def test_entries_changed_in_place_by_another_program_are_read_as_they_are_now(path):
    write_some(path)
    with opened(path) as journal:
        repo = Repository(journal)
        raw = path.read_bytes()
        with open(path, "r+b") as f:  # an in-place edit, same length
            f.seek(raw.index(b"entry 2"))
            f.write(b"ENTRY 2")
        assert "ENTRY 2 ünïcødé 🙂" in [e.body for e in repo.entries()]


def test_opening_and_closing_leaves_no_file_open(path):
    write_some(path)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(5):
        with opened(path) as journal:
            Repository(journal).objectives()
        with opened(path) as journal:
            Repository(journal).entries()
    assert len(os.listdir("/proc/self/fd")) == before


def test_a_journal_damaged_after_it_was_opened_is_never_backed_up(path):
    write_some(path)
    with opened(path) as journal:
        raw = path.read_bytes()
        path.write_bytes(raw[: len(raw) // 2])  # damaged on disk while open
        with pytest.raises(ValueError):
            journal.backup_now("manual")
    assert not list(path.parent.glob("backups/*manual*"))
