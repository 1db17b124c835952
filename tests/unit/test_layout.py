"""journal.json is written with its entries last and their length and checksum in the
meta row, so opening can leave them unparsed; any file that is not exactly what we
wrote is parsed — and judged — in full."""

from __future__ import annotations

import datetime as dt
import json
import os
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micro_journal.domain.models import Entry, Objective
from micro_journal.store import JournalCorrupt, Repository, layout, open_journal, read_state
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


# ---------------------------------------------------------------- read a chunk at a time

_TEXT = st.text(alphabet=st.sampled_from(list('ab},"{[]:\\ \n🙂é')), max_size=12)
_VALUE = st.recursive(
    st.none() | st.integers(-5, 5) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)
_DOCS = st.lists(st.tuples(st.sampled_from([str(n) for n in range(1, 9)] + ['},"', "x"]),
                           st.dictionaries(_TEXT, _VALUE, max_size=3)), max_size=12)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=_DOCS, chunk=st.integers(1, 40), inner=st.booleans())
def test_a_part_read_a_chunk_at_a_time_is_what_one_parse_gives(tmp_path, monkeypatch,
                                                                docs, chunk, inner):
    """Documents holding ``},"`` in their texts and keys, nested values, repeated keys:
    parsed in pieces of any size, they come out as one parse of the whole part gives
    them (the same values, the later of two same keys, the same order)."""
    monkeypatch.setattr(layout, "CHUNK", chunk)
    whole = "{" + ",".join(f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}"
                           for k, v in docs) + "}"
    data = whole.encode()
    part = data[1:-1] if inner else data
    file = tmp_path / "part"
    file.write_bytes(b"head" + part + b"tail")
    fd = os.open(file, os.O_RDONLY)
    loaded = layout.FilePart(fd, 4, len(part), zlib.crc32(part), inner=inner).load()
    expected = json.loads(whole)
    assert loaded == expected
    assert list(loaded) == list(expected)


def test_a_part_changed_since_it_was_written_is_refused_when_read_in_pieces(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(layout, "CHUNK", 8)
    part = json.dumps({str(n): {"body": f"entry {n}"} for n in range(20)}).encode()
    file = tmp_path / "part"
    file.write_bytes(part.replace(b"entry 7", b"entry 8"))
    fd = os.open(file, os.O_RDONLY)
    with pytest.raises(ValueError, match="changed on disk"):
        layout.FilePart(fd, 0, len(part), zlib.crc32(part)).load()
