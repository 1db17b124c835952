"""JournalStorage and JournalDB through TinyDB's own API: what reaches the disk, and when."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tinydb import Query, TinyDB, where

from micro_journal.store import JournalDB, JournalStorage, SaveError, read_state
from micro_journal.store.changes import changes_path_for


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "journal" / "journal.json"


def log_ops(path: Path) -> list[list]:
    """The operations of each line of the change log after its header."""
    lines = changes_path_for(path).read_bytes().splitlines()
    bodies = [json.loads(line[9:]) for line in lines]
    assert bodies[0]["ops"] == [] and "file" in bodies[0]  # the header
    return [body["ops"] for body in bodies[1:]]


def test_each_tinydb_operation_appends_only_the_documents_it_changed(path):
    with JournalDB(path) as db:
        table = db.table("checkins")
        table.insert_multiple({"n": i, "id": f"r{i}"} for i in range(50))  # a new file: written
        size = path.stat().st_size
        table.insert({"n": 50, "id": "r50"})
        table.update({"done": True}, Query().n == 7)  # changed in place by TinyDB
        table.remove(where("n") == 3)
        table.upsert({"n": 51, "id": "r51"}, Query().n == 51)
        assert path.stat().st_size == size  # journal.json untouched: all went to the log
        ops = log_ops(path)
        assert ops == [
            [["checkins", "51", {"n": 50, "id": "r50"}]],
            [["checkins", "8", {"n": 7, "id": "r7", "done": True}]],
            [["checkins", "4", None, "r3"]],
            [["checkins", "52", {"n": 51, "id": "r51"}]],
        ]
        held = {doc.doc_id: dict(doc) for doc in table.all()}
    assert not changes_path_for(path).exists()  # folded at close
    with TinyDB(path) as plain:
        assert {doc.doc_id: dict(doc) for doc in plain.table("checkins").all()} == held


def test_a_batch_is_one_line_and_all_or_nothing(path):
    with JournalDB(path) as db:
        table = db.table("goals")
        table.insert({"title": "first"})
        with db.storage.batch():
            table.insert({"title": "a"})
            table.insert({"title": "b"})
        assert len(log_ops(path)) == 1 and len(log_ops(path)[0]) == 2
        with pytest.raises(RuntimeError), db.storage.batch():
            table.insert({"title": "never"})
            raise RuntimeError("the app failed half way")
        db.forget()
        assert sorted(d["title"] for d in table.all()) == ["a", "b", "first"]
    assert sorted(d["title"] for d in read_state(path)["goals"].values()) == ["a", "b", "first"]


def test_a_refused_save_leaves_memory_as_the_disk_is(path):
    with JournalDB(path) as db:
        table = db.table("checkins")
        table.insert({"value": 1.5})
        with pytest.raises(SaveError, match="not a number a journal can hold"):
            table.update({"value": float("nan")}, doc_ids=[1])
        db.forget()
        assert table.all() == [{"value": 1.5}]


def test_the_entries_stay_in_the_file_until_a_table_asks_for_them(path):
    with JournalDB(path) as db:
        db.table("meta").insert({"schema_version": 1})
        db.table("entries").insert_multiple({"body": "x" * 100} for _ in range(20))
        db.table("skills").insert({"title": "smile"})
    storage = JournalStorage(path)
    try:
        db = TinyDB(storage=lambda: storage)
        assert storage._cold is not None
        assert db.table("skills").all() == [{"title": "smile"}]
        assert storage._cold is not None
        assert len(db.table("entries")) == 20
        assert storage._cold is None
        assert "entries" in db.tables()
    finally:
        storage.close()


def test_a_new_empty_table_is_kept_like_tinydb_keeps_it(path):
    with JournalDB(path) as db:
        db.table("skills").insert({"title": "smile"})
        db.table("empty").truncate()
        assert "empty" in db.tables()
    with TinyDB(path) as plain:
        assert plain.tables() == {"skills", "empty"}


def test_a_read_only_storage_refuses_writes_and_changes_nothing(path):
    with JournalDB(path) as db:
        db.insert({"kept": True})
    before = path.read_bytes()
    with TinyDB(path, storage=JournalStorage, read_only=True) as db:
        assert db.all() == [{"kept": True}]
        with pytest.raises(Exception, match="reading only"):
            db.insert({"not": "written"})
        assert db.all() == [{"kept": True}]
    assert path.read_bytes() == before
