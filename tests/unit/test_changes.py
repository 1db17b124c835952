"""The change log: a save appends one line instead of rewriting the journal, and the
journal is always journal.json plus those lines — after a kill, a torn last line, a
damaged line, a compaction interrupted half-way, a restore, a corrupt file."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from micro_journal.domain.models import Entry, Objective
from micro_journal.store import JournalCorrupt, Repository, open_journal, read_state
from micro_journal.store import changes as changes_mod
from micro_journal.store.backups import read_backup
from micro_journal.store.changes import TOKEN_KEY, changes_path_for
from micro_journal.store.restore import restore_backup

DAY = dt.date(2026, 11, 18)


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "data" / "journal.json"


def opened(path: Path, **kw):
    return open_journal(path, today=lambda: DAY, **kw)


def titles(data: dict) -> list[str]:
    return sorted(d["title"] for d in data.get("objectives", {}).values())


def killed_copy(path: Path, to: Path) -> Path:
    """The files as a SIGKILL would leave them: copied while the journal is still open
    (nothing folded in, no lock released)."""
    to.mkdir(mode=0o700)
    for name in (path.name, changes_path_for(path).name):
        if (path.parent / name).exists():
            shutil.copy2(path.parent / name, to / name)
    return to / path.name


def test_a_save_appends_a_line_and_leaves_the_journal_file_alone(path):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="first"))  # a new journal: the file is written whole
        file_before = path.read_bytes()
        rewrites = journal.storage.rewrites
        for n in range(20):
            repo.save(Objective(title=f"o{n}"))
        assert path.read_bytes() == file_before
        assert journal.storage.rewrites == rewrites
        lines = changes_path_for(path).read_bytes().splitlines()
        header, *saves = lines
        assert b'"ops":[]' in header and b'"file":' in header
        assert len(saves) == 20
        assert len(titles(read_state(path))) == 21
        assert os.stat(changes_path_for(path)).st_mode & 0o777 == 0o600
    # closing folds the log in: journal.json alone holds everything again
    assert not changes_path_for(path).exists()
    assert len(titles(json.loads(path.read_bytes()))) == 21


def test_a_save_writes_one_line_however_big_the_journal(path):
    """The cost of a save must not grow with the journal: what one save writes is the
    same with 10 or 2,000 entries."""
    def bytes_of_one_save(entries: int, where: Path) -> tuple[int, bool]:
        with opened(where) as journal:
            repo = Repository(journal)
            repo.save_many(Entry(date="2026-01-01", body="x" * 300) for _ in range(entries))
            repo.save(Objective(title="the log's first line"))  # after its header
            mtime = where.stat().st_mtime_ns
            before = journal.storage.log_size
            repo.save(Objective(title="one more"))
            return journal.storage.log_size - before, where.stat().st_mtime_ns == mtime

    small, untouched_small = bytes_of_one_save(10, path)
    big, untouched_big = bytes_of_one_save(2000, path.with_name("big.json"))
    assert untouched_small and untouched_big
    assert small == big < 1000


def test_a_killed_session_loses_no_acknowledged_save_and_the_next_open_folds_it(path,
                                                                                tmp_path):
    with opened(path) as journal:
        repo = Repository(journal)
        keep = repo.save(Objective(title="kept"))
        repo.save(keep.touched(title="renamed"))
        gone = repo.save(Objective(title="archived later"))
        repo.save(gone.touched(archived=True))
        repo.save_many([Objective(title="a"), Objective(title="b")])
        copy = killed_copy(path, tmp_path / "after-kill")
    assert changes_path_for(copy).exists()
    with opened(copy) as journal:
        assert not changes_path_for(copy).exists()  # folded in at open
        repo = Repository(journal)
        assert sorted(o.title for o in repo.objectives(include_archived=True)) == [
            "a", "archived later", "b", "renamed"]
        assert [o.title for o in repo.objectives(include_archived=True) if o.archived] == [
            "archived later"]
        assert journal.notices == []
    assert titles(json.loads(copy.read_bytes())) == ["a", "archived later", "b", "renamed"]


def test_a_line_cut_short_by_a_kill_is_a_save_that_never_happened(path, tmp_path):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="one"))
        repo.save(Objective(title="two"))
        copy = killed_copy(path, tmp_path / "torn")
    log = changes_path_for(copy)
    whole = log.read_bytes()
    log.write_bytes(whole + b'0badc0de {"g": "half a li')  # the kill hit mid-append
    with opened(copy) as journal:
        assert titles(Repository(journal).storage.read()) == ["one", "two"]
        assert journal.notices == []  # nothing the user was told was saved is missing
        Repository(journal).save(Objective(title="three"))
    assert titles(read_state(copy)) == ["one", "three", "two"]


def test_a_damaged_line_is_skipped_reported_and_the_log_kept(path, tmp_path):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="one"))
        repo.save(Objective(title="two"))
        repo.save(Objective(title="three"))
        copy = killed_copy(path, tmp_path / "damaged")
    log = changes_path_for(copy)
    lines = log.read_bytes().split(b"\n")
    original = log.read_bytes()
    [at] = [n for n, line in enumerate(lines) if b'"two"' in line]
    lines[at] = lines[at].replace(b"two", b"twX")  # a flipped byte on the disk
    log.write_bytes(b"\n".join(lines))
    with opened(copy) as journal:
        assert titles(journal.storage.read()) == ["one", "three"]
        [notice] = journal.notices
        assert "1 saved change" in notice and "damaged" in notice and str(log) in notice
    [kept] = copy.parent.glob("journal.json.changes.damaged-*")
    assert kept.read_bytes() != original and b"twX" in kept.read_bytes()


def test_a_log_left_behind_by_an_interrupted_fold_is_never_applied_again(path, tmp_path):
    """A crash between writing the folded journal.json and removing the log: the old
    lines must not overwrite what was saved since."""
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="first"))
        note = repo.save(Objective(title="v1"))
        stale = changes_path_for(path).read_bytes()
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(repo.get(Objective, note.id).touched(title="v2"))
    changes_path_for(path).write_bytes(stale)  # the old log survived
    with opened(path) as journal:
        assert titles(journal.storage.read()) == ["first", "v2"]
    assert titles(read_state(path)) == ["first", "v2"]


def test_the_log_is_folded_in_once_it_has_grown(path):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="first"))
        journal.storage.compact_bytes = 2000
        rewrites = journal.storage.rewrites
        for n in range(30):
            repo.save(Objective(title=f"objective number {n}"))
            assert journal.storage.log_size <= 2000
        assert journal.storage.rewrites > rewrites
        assert len(titles(read_state(path))) == 31


def test_a_big_import_rewrites_the_file_instead_of_one_huge_line(path):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="first"))
        journal.storage.compact_bytes = 100_000
        repo.save_many(Entry(date="2026-01-01", body="y" * 500) for _ in range(400))
        assert journal.storage.log_size == 0
        assert len(json.loads(path.read_bytes())["entries"]) == 400


def test_a_reader_sees_what_the_writer_has_saved_so_far(path):
    with opened(path) as writer:
        repo = Repository(writer)
        repo.save(Objective(title="first"))
        repo.save(Objective(title="second"))
        with opened(path) as reader:
            assert reader.read_only
            assert titles(reader.storage.read()) == ["first", "second"]
            assert changes_path_for(path).exists()  # a reader folds nothing in
        assert changes_path_for(path).exists()


def test_restoring_a_backup_keeps_the_changes_it_replaces(path, tmp_path):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="in the backup"))
        backup = journal.backup_now("manual")
        repo.save(Objective(title="after the backup"))  # only in the log
        copy = killed_copy(path, tmp_path / "restore")
    restore_backup(copy, backup)
    assert copy.read_bytes() == read_backup(backup)
    assert not changes_path_for(copy).exists()
    assert titles(read_state(copy)) == ["in the backup"]
    [before] = (copy.parent / "backups").glob("journal-before-restore-*.json*")
    assert titles(json.loads(read_backup(before))) == ["after the backup", "in the backup"]


def test_a_corrupt_journal_takes_its_log_aside_with_it(path, tmp_path):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="one"))
        repo.save(Objective(title="two"))
        copy = killed_copy(path, tmp_path / "corrupt")
    log_bytes = changes_path_for(copy).read_bytes()
    copy.write_bytes(b'{"objectives": {"1": ')
    with pytest.raises(JournalCorrupt):
        opened(copy)
    assert not changes_path_for(copy).exists()
    [kept] = copy.parent.glob("journal.json.changes.corrupt-*")
    assert kept.read_bytes() == log_bytes


def test_the_file_stays_a_tinydb_database(path):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="via the repository"))
        db = TinyDB(storage=lambda: journal.storage)
        assert [d["title"] for d in db.table("objectives").all()] == ["via the repository"]
        db.table("notes").insert({"text": "via TinyDB"})  # TinyDB's whole-file write
        repo.save(Objective(title="after"))
    data = json.loads(path.read_bytes())
    assert [d["text"] for d in data["notes"].values()] == ["via TinyDB"]
    assert titles(data) == ["after", "via the repository"]
    [meta] = data["meta"].values()
    assert isinstance(meta[TOKEN_KEY], str)


def test_verify_checks_the_journal_with_its_change_log(path, tmp_path):
    from micro_journal.services.portability import verify_path

    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="one"))
        repo.save(Objective(title="two"))
        copy = killed_copy(path, tmp_path / "verify")
    report = verify_path(copy)
    assert report.counts["objectives"] == 2
    assert any("1 save(s)" in n and "journal.json.changes" in n for n in report.notes)
    assert report.problems == []
    log = changes_path_for(copy)
    log.write_bytes(log.read_bytes().replace(b"two", b"twX"))
    report = verify_path(copy)
    assert report.counts["objectives"] == 1
    assert any("damaged" in p for p in report.problems)


# merging waiting saves into a journal.json changed by another program -----------------

def _records_by_id(docs: dict) -> dict:
    return {doc["id"]: doc for doc in docs.values()}


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(0, 5),
    app=st.lists(st.tuples(st.sampled_from(["add", "edit", "remove"]), st.integers(0, 9)),
                 max_size=8),
    other=st.lists(st.tuples(st.sampled_from(["add", "edit", "remove"]), st.integers(0, 9)),
                   max_size=8),
)
def test_a_merge_keeps_both_sides_records(start, app, other):
    """The app saved ``app`` operations to the log while another program made ``other``
    ones straight into journal.json, both from the same starting file (so their new
    documents take the same next ids). After the merge every record either side added
    is there, in its last version; a record removed by one side and not touched by the
    other is gone; no record is lost to an id collision."""
    base = {str(i + 1): {"id": f"base{i}", "updated_at": "2026-11-01", "v": 0}
            for i in range(start)}

    def play(ops, who, stamp):
        docs = {k: dict(v) for k, v in base.items()}
        log, added, removed = [], {}, set()
        next_id = len(base) + 1
        for n, (kind, pick) in enumerate(ops):
            keys = sorted(docs, key=int)
            if kind == "add" or not keys:
                rid = f"{who}{n}"
                doc = {"id": rid, "updated_at": stamp, "v": n}
                docs[str(next_id)] = doc
                log.append([["t", str(next_id), doc]])
                added[rid] = doc
                next_id += 1
                continue
            key = keys[pick % len(keys)]
            if kind == "edit":
                doc = {**docs[key], "updated_at": stamp, "v": n}
                docs[key] = doc
                log.append([["t", key, doc]])
                added[doc["id"]] = doc
            else:
                rid = docs.pop(key)["id"]
                removed.add(rid)
                log.append([["t", key, None, rid]])
                added.pop(rid, None)
        return docs, log, added, removed

    _, app_log, app_added, app_removed = play(app, "app", "2026-11-03")
    theirs, _, other_added, other_removed = play(other, "other", "2026-11-02")
    data = {"t": {k: dict(v) for k, v in theirs.items()}}
    changes_mod.merge(data, app_log)
    merged = _records_by_id(data["t"])
    assert len(merged) == len(data["t"])  # one document per record
    for rid, doc in app_added.items():
        if rid not in app_removed and rid not in other_removed:
            assert merged[rid] == doc  # the app's later version of it
    for rid, doc in other_added.items():
        if rid not in app_removed and rid not in app_added and rid not in other_removed:
            assert merged[rid] == doc
    for rid in app_removed - {d["id"] for d in other_added.values()}:
        assert rid not in merged
