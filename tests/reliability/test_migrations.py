"""10: schema migration with a verified pre-migration backup; newer files read-only.

The current schema is 1, so a test-only step to version 2 is registered (monkeypatched
``SCHEMA_VERSION`` and ``migrations.STEPS``) and run on the version-1 fixture, a real
journal written by version 1 (fixtures/journal-v1.json).
"""

from __future__ import annotations

import errno
import json
import shutil

import pytest

from micro_journal.domain import models
from micro_journal.store import Repository, open_journal
from micro_journal.store import migrations as mig
from micro_journal.store import storage as storage_mod
from micro_journal.store.backups import list_backups, read_backup

from .conftest import FIXTURES

V1 = FIXTURES / "journal-v1.json"


@pytest.fixture
def v1(tmp_path):
    path = tmp_path / "j" / "journal.json"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(V1, path)
    path.chmod(0o600)
    return path


def add_word_counts(data):
    for doc in data.get("entries", {}).values():
        doc["words"] = len(doc.get("body", "").split())
    return data


@pytest.fixture
def to_v2(monkeypatch):
    monkeypatch.setattr(models, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(mig, "STEPS", {1: add_word_counts})


def meta_version(path):
    return mig.file_version(json.loads(path.read_bytes()))


def pre_migration_backups(path):
    return [p for p in list_backups(path) if "pre-migration" in p.name]


def test_the_v1_fixture_opens_unchanged_with_every_record(v1):
    before = v1.read_bytes()
    with open_journal(v1) as journal:
        repo = Repository(journal)
        assert journal.schema_version == 1 and not journal.read_only
        assert len(repo.entries(include_archived=True)) >= 2
        assert any("\r\n" in e.body for e in repo.entries())
        assert pre_migration_backups(v1) == []
    assert v1.read_bytes() == before


def test_an_older_file_is_backed_up_verified_then_migrated(v1, to_v2, figures):
    original = v1.read_bytes()
    with open_journal(v1) as journal:
        repo = Repository(journal)
        assert not journal.read_only
        assert journal.schema_version == 2
        assert any("Upgraded the journal from schema 1 to 2" in n for n in journal.notices)
        entries = repo.entries(include_archived=True)
        assert all(e.extra.get("words") == len(e.body.split()) for e in entries)
        [backup] = pre_migration_backups(v1)
        assert str(backup) in " ".join(journal.notices)
        # the app keeps working on the migrated journal
        repo.save(entries[0].touched(body="after the upgrade"))
    assert read_backup(backup) == original  # byte for byte what version 1 wrote
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert meta_version(v1) == 2
    data = json.loads(v1.read_bytes())
    assert all("words" in d for d in data["entries"].values())
    # opening again: nothing more to migrate, no second backup
    with open_journal(v1) as journal:
        assert journal.notices == [] or not any("Upgraded" in n for n in journal.notices)
    assert len(pre_migration_backups(v1)) == 1
    figures.add("migration: v1 fixture -> test schema 2 with a byte-identical, read-back "
                "pre-migration backup; failing step / failing backup / missing step each "
                "leave the file byte-identical and open read-only")


def test_a_failing_step_changes_nothing_and_opens_read_only(v1, monkeypatch):
    def broken(data):
        raise KeyError("body")

    monkeypatch.setattr(models, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(mig, "STEPS", {1: broken})
    before = v1.read_bytes()
    with open_journal(v1) as journal:
        assert journal.read_only
        assert "schema 1" in journal.read_only_reason
        assert "the file was not changed" in journal.read_only_reason
        repo = Repository(journal)
        assert repo.entries()  # still readable
        with pytest.raises(Exception, match="read-only"):
            repo.save(repo.entries()[0].touched(body="x"))
    assert v1.read_bytes() == before


def test_no_migration_without_a_verified_backup(v1, to_v2, monkeypatch):
    real = storage_mod.atomic_write
    import micro_journal.store.backups as journal_mod

    def full_disk_for_backups(path, payload):
        if "pre-migration" in path.name:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, payload)

    monkeypatch.setattr(journal_mod, "atomic_write", full_disk_for_backups)
    before = v1.read_bytes()
    with open_journal(v1) as journal:
        assert journal.read_only
        assert "the disk is full" in journal.read_only_reason
    assert v1.read_bytes() == before
    assert pre_migration_backups(v1) == []


def test_a_failed_migration_write_leaves_the_old_file(v1, to_v2, monkeypatch):
    import micro_journal.store.journal as journal_mod

    real = storage_mod.atomic_write

    def fail_journal(path, payload):
        if path == v1:
            raise OSError(errno.EIO, "Input/output error")
        return real(path, payload)

    monkeypatch.setattr(journal_mod, "atomic_write", fail_journal)
    before = v1.read_bytes()
    with open_journal(v1) as journal:
        assert journal.read_only
    assert v1.read_bytes() == before
    [backup] = pre_migration_backups(v1)
    assert read_backup(backup) == before


def test_a_missing_step_opens_read_only(v1, monkeypatch):
    monkeypatch.setattr(models, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(mig, "STEPS", {1: add_word_counts})  # no 2 -> 3
    before = v1.read_bytes()
    with open_journal(v1) as journal:
        assert journal.read_only
        assert "no upgrade is known from schema 2 to 3" in journal.read_only_reason
    assert v1.read_bytes() == before


def test_a_second_instance_reads_an_older_file_migrated_in_memory_only(v1, to_v2):
    before = v1.read_bytes()
    with open_journal(v1, on_locked="refuse") as first:
        # the first one migrated it; make a fresh v1 file for the reader's view
        assert not first.read_only
    v1.write_bytes(before)
    from filelock import FileLock

    from micro_journal.store.storage import lock_path_for

    lock = FileLock(str(lock_path_for(v1)), timeout=0)
    lock.acquire()
    try:
        with open_journal(v1) as reader:
            assert reader.read_only
            repo = Repository(reader)
            assert all("words" in e.extra for e in repo.entries(include_archived=True))
        assert v1.read_bytes() == before  # a reader never writes
    finally:
        lock.release()


def test_new_journals_are_written_with_the_current_schema(tmp_path, to_v2):
    path = tmp_path / "new.json"
    with open_journal(path) as journal:
        Repository(journal).save(models.Entry(date="2026-11-18", body="hi"))
    assert meta_version(path) == 2


def test_a_file_from_a_newer_version_opens_read_only_with_a_message(v1):
    data = json.loads(v1.read_bytes())
    mig.set_version(data, 99)
    v1.write_bytes(json.dumps(data).encode())
    before = v1.read_bytes()
    with open_journal(v1) as journal:
        assert journal.read_only
        assert "newer micro-journal (schema 99" in journal.read_only_reason
        repo = Repository(journal)
        with pytest.raises(Exception, match="read-only"):
            repo.save(models.Entry(date="2026-11-18", body="x"))
    assert v1.read_bytes() == before


def test_migrate_is_all_or_nothing_and_never_touches_its_input():
    data = json.loads(V1.read_bytes())
    snapshot = json.dumps(data, sort_keys=True)

    def half(d):
        d["entries"].clear()
        raise RuntimeError("boom")

    with pytest.raises(mig.MigrationError, match="from schema 1 to 2 failed"):
        mig.STEPS[1] = half
        try:
            mig.migrate(data, 1, 2)
        finally:
            del mig.STEPS[1]
    assert json.dumps(data, sort_keys=True) == snapshot
