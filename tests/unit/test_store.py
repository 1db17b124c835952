"""The store: round trips, crash-safe saves under injected faults, the lock, corruption,
permissions, schema, backups and the repository's all-or-nothing batches."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from micro_journal.domain.models import (
    SCHEMA_VERSION,
    CheckIn,
    Entry,
    Measurement,
    Metric,
    MicroGoal,
    MicroSkill,
    Objective,
    Plan,
    PlanWeek,
    WeeklyReview,
)
from micro_journal.store import (
    JournalCorrupt,
    JournalLocked,
    JournalMissing,
    ReadOnlyJournal,
    Repository,
    SaveError,
    open_journal,
    read_state,
)
from micro_journal.store import storage as storage_module
from micro_journal.store.backups import (
    backup_label,
    list_backups,
    read_backup,
)
from micro_journal.store.changes import changes_path_for
from micro_journal.store.files import leftover_temps, parse_journal_bytes
from micro_journal.store.restore import restore_backup

DAY1 = dt.date(2026, 11, 18)


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "data" / "journal.json"


@pytest.fixture(autouse=True)
def umask_022():
    """A typical user umask: files would come out 0644 and folders 0755 if we were careless."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def opened(path: Path, day: dt.date = DAY1, **kw):
    return open_journal(path, today=lambda: day, **kw)


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def table(path: Path, name: str) -> list[dict]:
    """The documents of ``name`` the journal holds on disk (the file and its change log)."""
    return list(read_state(path).get(name, {}).values())


def on_disk(path: Path) -> tuple[bytes, bytes]:
    """Both files a journal is made of, byte for byte."""
    log = changes_path_for(path)
    return path.read_bytes(), log.read_bytes() if log.exists() else b""


def folder_names(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def write_journal(path: Path, raw: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_bytes(raw)
    os.chmod(path, 0o600)


def all_kinds() -> list:
    objective = Objective(title="Public speaking")
    objective.extra = {"colour": "teal"}
    metric = Metric(name="fillers", unit="count", direction="lower", baseline=12.0, target=2.0)
    metric.extra = {"scale": "log"}
    skill = MicroSkill(objective_id=objective.id, title="No 'um' in a 5-minute talk",
                       metric=metric, frequency_target=5)
    week = PlanWeek(skill_id=skill.id, decision="stack")
    week.extra = {"note": "go"}
    plan = Plan(objective_id=objective.id, start_week="2026-11-16",
                weeks=[week, PlanWeek(skill_id=None, hold=True)])
    checkin = CheckIn(skill_id=skill.id, date="2026-11-18", minutes=6, value=3.0, note="ok")
    checkin.extra = {"mood": 3}
    entry = Entry(date="2026-11-18", body="Ünïcødé ✓ \"quotes\"\nline two", skill_ids=[skill.id],
                  tags=["a"], mood=5, energy=1)
    review = WeeklyReview(week="2026-11-16", objective_id=objective.id,
                          measurements=[Measurement(skill_id=skill.id, value=3.0)],
                          worked="slow", adjust="pause", decision="stack")
    goal = MicroGoal(objective_id=objective.id, action="Give a toast", deadline="2026-11-30",
                     estimate_minutes=45)
    goal.extra = {"future": {"nested": [1, 2, {"x": None}]}}
    return [objective, skill, plan, checkin, entry, review, goal]


# ---------------------------------------------------------------- round trip


def test_every_record_type_survives_close_and_reopen_with_unknown_keys(path):
    records = all_kinds()
    with opened(path) as journal:
        repo = Repository(journal)
        for record in records:
            repo.save(record)
    with opened(path) as journal:
        repo = Repository(journal)
        for record in records:
            again = repo.get(type(record), record.id)
            assert again == record
            assert again.to_dict() == record.to_dict()
        assert repo.get(MicroSkill, records[1].id).metric.extra == {"scale": "log"}
        assert repo.get(Plan, records[2].id).weeks[0].extra == {"note": "go"}
        assert repo.checkin(records[1].id, DAY1) == records[3]
        # an edit by this (older) app keeps the newer app's keys
        repo.save(repo.get(MicroGoal, records[6].id).touched(action="Give two toasts"))
    (goal,) = table(path, "goals")
    assert goal["action"] == "Give two toasts"
    assert goal["future"] == {"nested": [1, 2, {"x": None}]}


def test_the_file_holds_a_schema_version_and_plain_records(path):
    with opened(path) as journal:
        Repository(journal).save(Objective(id="o1", title="Run"))
    meta = table(path, "meta")
    assert meta[0]["schema_version"] == SCHEMA_VERSION
    assert table(path, "objectives")[0]["id"] == "o1"
    assert json.loads(path.read_bytes())  # plain JSON, UTF-8


def test_save_replaces_by_id_and_drops_keys_the_record_no_longer_has(path):
    with opened(path) as journal:
        repo = Repository(journal)
        objective = Objective(title="Old")
        objective.extra = {"obsolete": 1}
        repo.save(objective)
        edited = objective.touched(title="New")
        edited.extra = {}
        repo.save(edited)
        assert [o.title for o in repo.objectives()] == ["New"]
    (doc,) = table(path, "objectives")
    assert doc["title"] == "New"
    assert "obsolete" not in doc


def test_a_record_this_app_cannot_read_is_kept_on_disk(path):
    good = Objective(title="Readable")
    raw = {"objectives": {"1": good.to_dict(), "2": {"id": "broken", "no_title": True}}}
    write_journal(path, json.dumps(raw).encode())
    with opened(path) as journal:
        repo = Repository(journal)
        assert [o.title for o in repo.objectives()] == ["Readable"]
        repo.save(Objective(title="Another"))
    ids = {d["id"] for d in table(path, "objectives")}
    assert "broken" in ids
    assert len(ids) == 3


# ---------------------------------------------------------------- check-ins


def test_set_checkin_never_duplicates_and_keeps_unchanged_fields(path):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.set_checkin("s1", DAY1, minutes=5, value=2.0, note="first")
        repo.set_checkin("s1", DAY1, "skipped")
        repo.set_checkin("s1", DAY1 + dt.timedelta(days=1))
        (first, second) = repo.checkins("s1")
        assert (first.status, first.minutes, first.value, first.note) == ("skipped", 5, 2.0,
                                                                          "first")
        assert second.date == "2026-11-19"
    with opened(path) as journal:
        repo = Repository(journal)
        assert [c.status for c in repo.checkins("s1")] == ["skipped", "done"]
    assert sorted(c["date"] for c in table(path, "checkins")) == ["2026-11-18", "2026-11-19"]


def test_remove_checkin_undoes_it_on_disk(path):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.set_checkin("s1", DAY1)
        removed = repo.remove_checkin("s1", DAY1)
        assert removed is not None and removed.date == DAY1.isoformat()
        assert repo.checkin("s1", DAY1) is None
        assert repo.remove_checkin("s1", DAY1) is None
        repo.set_checkin("s1", DAY1, "skipped")
    with opened(path) as journal:
        assert Repository(journal).checkin("s1", DAY1).status == "skipped"
    assert len(table(path, "checkins")) == 1


def test_moving_a_checkin_to_another_date_leaves_no_ghost_behind(path):
    with opened(path) as journal:
        repo = Repository(journal)
        checkin = repo.set_checkin("s1", DAY1)
        repo.save(checkin.touched(date="2026-11-17"))
        assert repo.checkin("s1", DAY1) is None
        assert [c.date for c in repo.checkins()] == ["2026-11-17"]


# ---------------------------------------------------------------- faults while saving


def _raiser(err: OSError) -> Callable:
    def fail(*args, **kwargs):
        raise err

    return fail


FAULTS = [
    # a save appends to the change log; os.replace only runs when the file is rewritten
    pytest.param("replace", OSError(errno.EXDEV, "Invalid cross-device link"),
                 "Invalid cross-device link", "rewrite", id="os.replace"),
    pytest.param("fsync", OSError(errno.EIO, "Input/output error"),
                 "input/output error", "append", id="fsync-EIO-append"),
    pytest.param("fsync", OSError(errno.EIO, "Input/output error"),
                 "input/output error", "rewrite", id="fsync-EIO-rewrite"),
    pytest.param("write", OSError(errno.ENOSPC, "No space left on device"),
                 "the disk is full", "append", id="write-ENOSPC-append"),
    pytest.param("write", OSError(errno.ENOSPC, "No space left on device"),
                 "the disk is full", "rewrite", id="write-ENOSPC-rewrite"),
]


@pytest.mark.parametrize(("name", "err", "reason", "how"), FAULTS)
def test_a_failed_save_changes_nothing_and_a_retry_succeeds(path, monkeypatch, name, err,
                                                            reason, how):
    with opened(path) as journal:
        repo = Repository(journal)
        old = repo.save(Objective(title="Old"))
        repo.set_checkin("s1", DAY1)
        if how == "rewrite":
            journal.storage.compact_bytes = 0  # every save rewrites journal.json
        before = on_disk(path)
        new = Objective(title="New")
        with monkeypatch.context() as m:
            m.setattr(storage_module.os, name, _raiser(err))
            with pytest.raises(SaveError) as info:
                repo.save(new)
            with pytest.raises(SaveError):
                repo.save(old.touched(title="Old, edited"))
            with pytest.raises(SaveError):
                repo.set_checkin("s1", DAY1, "skipped")
        message = str(info.value)
        assert str(path) in message
        assert reason in message
        assert "Traceback" not in message
        assert on_disk(path) == before
        assert leftover_temps(path) == []
        # memory shows what the disk holds, also after a reload and in a fresh repository
        for view in (repo, Repository(journal)):
            assert [o.title for o in view.objectives()] == ["Old"]
            assert view.checkin("s1", DAY1).status == "done"
        repo.reload()
        assert [o.title for o in repo.objectives()] == ["Old"]
        # an unrelated later save must not smuggle the failed edit onto the disk
        repo.save(Objective(title="Later"))
        assert sorted(o["title"] for o in table(path, "objectives")) == ["Later", "Old"]
        # the fault is gone: the same save succeeds
        repo.save(new)
    with opened(path) as journal:
        titles = sorted(o.title for o in Repository(journal).objectives())
        assert titles == ["Later", "New", "Old"]


def test_a_read_only_opener_of_a_journal_not_yet_written_shows_no_phantoms(path):
    with opened(path) as writer, opened(path) as reader:
        assert reader.read_only and not path.exists()
        repo = Repository(reader)
        with pytest.raises(ReadOnlyJournal):
            repo.save(Objective(title="phantom"))
        assert Repository(reader).objectives() == []
        Repository(writer).save(Objective(title="real"))
    assert [o["title"] for o in table(path, "objectives")] == ["real"]


def test_a_failed_batch_in_a_journal_not_yet_written_leaves_no_phantoms(path):
    with opened(path) as journal:
        repo = Repository(journal)
        with pytest.raises(RuntimeError), repo.batch():
            repo.save(Objective(title="phantom"))
            raise RuntimeError("invalid input")
        assert repo.objectives() == []
        repo.save(Objective(title="real"))
    assert [o["title"] for o in table(path, "objectives")] == ["real"]


# the first save of a journal always writes journal.json itself
@pytest.mark.parametrize(("name", "err", "reason", "how"),
                         [f for f in FAULTS if f.values[3] == "rewrite"])
def test_a_failed_first_save_leaves_no_file_and_no_phantom_in_memory(path, monkeypatch, name,
                                                                     err, reason, how):
    with opened(path) as journal:
        repo = Repository(journal)
        with monkeypatch.context() as m:
            m.setattr(storage_module.os, name, _raiser(err))
            with pytest.raises(SaveError, match=reason):
                repo.save(Objective(title="First"))
        assert not path.exists()
        assert leftover_temps(path) == []
        assert repo.objectives() == []
        assert Repository(journal).objectives() == []
        repo.save(Objective(title="Second"))
    assert [o["title"] for o in table(path, "objectives")] == ["Second"]


def test_a_failing_directory_fsync_does_not_fail_the_save(path, monkeypatch):
    """Some file systems cannot fsync a folder; the file itself was synced and replaced."""
    real_fsync = os.fsync
    calls = []

    def fsync(fd):
        calls.append(fd)
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_fsync(fd)

    with opened(path) as journal:
        monkeypatch.setattr(storage_module.os, "fsync", fsync)
        Repository(journal).save(Objective(title="Kept"))
    assert len(calls) >= 2
    assert table(path, "objectives")[0]["title"] == "Kept"


# ---------------------------------------------------------------- permissions


def test_files_are_private_even_under_umask_022(path):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="Secret"))
    with opened(path, DAY1 + dt.timedelta(days=1)) as journal:  # takes a daily backup
        Repository(journal).save(Objective(title="More"))
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600
    backups = list_backups(path)
    assert backups
    assert mode(backups[0].parent) == 0o700
    assert all(mode(b) == 0o600 for b in backups)
    assert mode(path.with_name("journal.json.lock")) & 0o077 == 0


def test_a_journal_readable_by_others_is_tightened_with_a_notice(path):
    write_journal(path, b"{}")
    os.chmod(path, 0o644)
    with opened(path) as journal:
        assert mode(path) == 0o600
        assert any("0644" in n and "0600" in n and str(path) in n for n in journal.notices)
    with opened(path) as journal:
        assert journal.notices == []


# ---------------------------------------------------------------- one writer


def test_a_second_open_is_read_only_and_cannot_change_anything(path):
    with opened(path) as writer:
        Repository(writer).save(Objective(title="Mine"))
        before = path.read_bytes()
        with opened(path) as reader:
            assert not writer.read_only
            assert reader.read_only
            assert "journal.json.lock" in reader.read_only_reason
            repo = Repository(reader)
            assert [o.title for o in repo.objectives()] == ["Mine"]
            with pytest.raises(ReadOnlyJournal) as info:
                repo.save(Objective(title="Theirs"))
            assert str(path) in str(info.value)
            with pytest.raises(ReadOnlyJournal):
                repo.set_checkin("s1", DAY1)
            with pytest.raises(ReadOnlyJournal), repo.batch():
                repo.save(Objective(title="Batch"))
            assert [o.title for o in repo.objectives()] == ["Mine"]
            assert Repository(reader).objectives()[0].title == "Mine"
        assert path.read_bytes() == before
        # the reader closing does not free the writer's lock
        with opened(path) as third:
            assert third.read_only
        Repository(writer).save(Objective(title="Still mine"))
    assert len(table(path, "objectives")) == 2


def test_refuse_mode_names_the_lock_file(path):
    with opened(path), pytest.raises(JournalLocked) as info:
        opened(path, on_locked="refuse")
    assert str(path.with_name("journal.json.lock")) in str(info.value)
    assert info.value.lock_path == path.with_name("journal.json.lock")


def test_closing_releases_the_lock_for_the_next_writer(path):
    first = opened(path)
    first.close()
    with opened(path, on_locked="refuse") as second:
        assert not second.read_only
        Repository(second).save(Objective(title="ok"))


def test_the_lock_holds_against_another_process(path):
    with opened(path):
        code = (
            "import sys\n"
            "from micro_journal.store import open_journal, JournalLocked\n"
            "try:\n"
            "    open_journal(sys.argv[1], on_locked='refuse')\n"
            "except JournalLocked:\n"
            "    sys.exit(3)\n"
            "j = open_journal(sys.argv[1])\n"
            "sys.exit(4 if j.read_only else 0)\n"
        )
        result = subprocess.run([sys.executable, "-c", code, str(path)], check=False)
        assert result.returncode == 3
    result = subprocess.run([sys.executable, "-c", code, str(path)], check=False)
    assert result.returncode == 0


# ---------------------------------------------------------------- corruption

CORRUPT = {
    "truncated": b'{"objectives": {"1": {"id": "a", "title": "Ha',
    "trailing-garbage": b'{"objectives": {}}garbage',
    "random-bytes": bytes(range(256)) * 4,
    "bom": b'\xef\xbb\xbf{"objectives": {}}',
    "list": b"[1, 2, 3]",
    "string": b'"journal"',
    "table-is-a-list": b'{"objectives": [1, 2]}',
    "document-not-object": b'{"objectives": {"1": "x"}}',
    "nul-bytes": b"\x00" * 64,
}


def good_backup(path: Path, day: str = "2026-11-10", title: str = "From backup") -> Path:
    folder = path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    backup = folder / f"journal-{day}.json"
    doc = Objective(title=title).to_dict()
    backup.write_bytes(json.dumps({"objectives": {"1": doc}}).encode())
    return backup


@pytest.mark.parametrize("raw", list(CORRUPT.values()), ids=list(CORRUPT))
def test_a_corrupt_journal_is_moved_aside_unchanged_and_reported(path, raw):
    write_journal(path, raw)
    with pytest.raises(JournalCorrupt) as info:
        opened(path)
    err = info.value
    assert not path.exists()
    assert err.moved_to is not None
    assert err.moved_to.name.startswith("journal.json.corrupt-")
    assert err.moved_to.read_bytes() == raw
    message = str(err)
    assert str(path) in message
    assert str(err.moved_to) in message
    assert "No backup was found" in message
    # nothing was backed up, the lock was let go, and the next open does not start
    # silently empty: it points at what was set aside
    assert not (path.parent / "backups").exists()
    with pytest.raises(JournalMissing) as missing:
        opened(path, on_locked="refuse")
    assert missing.value.set_aside == err.moved_to


@pytest.mark.parametrize("raw", list(CORRUPT.values())[:3], ids=list(CORRUPT)[:3])
def test_a_corrupt_journal_offers_the_newest_good_backup(path, raw):
    good_backup(path, "2026-11-01", "older")
    newest = good_backup(path, "2026-11-10", "newest")
    (path.parent / "backups" / "journal-2026-11-12.json").write_bytes(b"{broken")
    (path.parent / "backups" / "journal-2026-11-13.json").write_bytes(b"")
    backups_before = {p.name: p.read_bytes() for p in list_backups(path)}
    write_journal(path, raw)
    with pytest.raises(JournalCorrupt) as info:
        opened(path)
    assert info.value.backup == newest
    assert str(newest) in str(info.value)
    assert {p.name: p.read_bytes() for p in list_backups(path)} == backups_before
    # the journal is gone now; opening again says so and points at the backup
    with pytest.raises(JournalMissing) as missing:
        opened(path)
    assert missing.value.backup == newest
    assert str(newest) in str(missing.value)
    restore_backup(path, newest)
    with opened(path) as journal:
        assert [o.title for o in Repository(journal).objectives()] == ["newest"]


def test_an_empty_file_with_backups_is_corruption(path):
    backup = good_backup(path)
    write_journal(path, b"")
    with pytest.raises(JournalCorrupt) as info:
        opened(path)
    assert "empty" in str(info.value)
    assert info.value.backup == backup
    assert info.value.moved_to.read_bytes() == b""
    assert not path.exists()


def test_an_empty_file_without_backups_is_an_empty_journal(path):
    write_journal(path, b"")
    with opened(path) as journal:
        repo = Repository(journal)
        assert repo.objectives() == []
        repo.save(Objective(title="Start"))
    assert table(path, "objectives")[0]["title"] == "Start"


def test_a_corrupt_file_seen_by_a_read_only_opener_is_left_in_place(path):
    with opened(path) as writer:
        Repository(writer).save(Objective(title="x"))
        path.write_bytes(b"{nope")
        with pytest.raises(JournalCorrupt) as info:
            opened(path)
        assert info.value.moved_to is None
        assert path.read_bytes() == b"{nope"


def test_restore_over_a_good_journal_keeps_it_as_a_backup_first(path):
    with opened(path) as journal:
        Repository(journal).save(Objective(title="Current"))
    current = path.read_bytes()
    backup = good_backup(path, "2026-11-01", "Old")
    restore_backup(path, backup)
    kept = [p for p in list_backups(path) if "before-restore" in p.name]
    assert len(kept) == 1 and read_backup(kept[0]) == current  # compressed (gzip)
    assert path.read_bytes() == read_backup(backup)
    assert mode(path) == 0o600


def test_restore_refuses_a_corrupt_backup(path):
    with opened(path) as journal:
        Repository(journal).save(Objective(title="Current"))
    before = path.read_bytes()
    bad = path.parent / "backups" / "journal-2026-11-01.json"
    bad.parent.mkdir(mode=0o700, exist_ok=True)
    bad.write_bytes(b"[]")
    with pytest.raises(ValueError):
        restore_backup(path, bad)
    assert path.read_bytes() == before


# ---------------------------------------------------------------- leftovers and schema


def test_temp_files_of_a_killed_writer_are_removed_by_the_next_writer(path):
    with opened(path) as journal:
        Repository(journal).save(Objective(title="x"))
    stale = path.with_name(".journal.json.tmp-99999-deadbeef")
    stale.write_bytes(b'{"half')
    with opened(path) as writer:
        assert not stale.exists()
        assert leftover_temps(path) == []
        stale.write_bytes(b'{"half')
        with opened(path):  # a read-only opener must not touch the writer's files
            assert stale.exists()
        Repository(writer).save(Objective(title="y"))
    assert {"journal.json", "journal.json.lock", "backups"} >= folder_names(path) - {stale.name}


def test_a_journal_from_a_newer_app_opens_read_only(path):
    raw = json.dumps({
        "meta": {"1": {"schema_version": SCHEMA_VERSION + 1}},
        "objectives": {"1": Objective(title="Future").to_dict()},
    }).encode()
    write_journal(path, raw)
    with opened(path) as journal:
        assert journal.read_only
        assert journal.schema_version == SCHEMA_VERSION + 1
        assert "newer" in journal.read_only_reason
        repo = Repository(journal)
        assert [o.title for o in repo.objectives()] == ["Future"]
        with pytest.raises(ReadOnlyJournal, match="newer"):
            repo.save(Objective(title="Now"))
    assert path.read_bytes() == raw


# ---------------------------------------------------------------- backups


def test_daily_backups_rotate_and_every_kept_one_parses(path):
    start = dt.date(2026, 10, 1)
    keep = 5
    for i in range(120):
        day = start + dt.timedelta(days=i)
        with opened(path, day, backups_keep=keep) as journal:
            repo = Repository(journal)
            repo.save(Entry(date=day.isoformat(), body=f"day {i}"))
    backups = list_backups(path)
    days_kept = sorted(dt.date.fromisoformat(backup_label(path, p)) for p in backups)
    # the first day had nothing to back up; backups exist for days 2..120
    backed_up = [start + dt.timedelta(days=i) for i in range(1, 120)]
    dailies = backed_up[-keep:]
    weekly: dict[tuple[int, int], dt.date] = {}
    for day in backed_up[:-keep]:
        weekly[day.isocalendar()[:2]] = day
    expected = sorted(sorted(weekly.values())[-8:] + dailies)
    assert days_kept == expected
    assert len(backups) == keep + 8
    for backup in backups:
        data = parse_journal_bytes(read_backup(backup))
        # a backup taken on day N holds the journal as it was before that day's changes
        day = dt.date.fromisoformat(backup_label(path, backup))
        assert len(data["entries"]) == (day - start).days


def test_one_backup_a_day_taken_before_the_day_s_changes(path):
    with opened(path, DAY1) as journal:
        Repository(journal).save(Objective(title="a"))
    with opened(path, DAY1 + dt.timedelta(days=1)) as journal:
        Repository(journal).save(Objective(title="b"))
    with opened(path, DAY1 + dt.timedelta(days=1)) as journal:
        Repository(journal).save(Objective(title="c"))
    (backup,) = list_backups(path)
    assert backup.name == "journal-2026-11-19.json.gz"
    titles = [d["title"] for d in parse_journal_bytes(read_backup(backup))["objectives"].values()]
    assert titles == ["a"]


def test_hand_named_backups_are_never_rotated_away(path):
    with opened(path, DAY1 - dt.timedelta(days=1)) as journal:
        Repository(journal).save(Objective(title="start"))
    special = path.parent / "backups" / "journal-before-restore-20260101T000000Z.json"
    special.parent.mkdir(mode=0o700)
    special.write_bytes(b"{}")
    for i in range(30):
        with opened(path, DAY1 + dt.timedelta(days=i), backups_keep=2) as journal:
            Repository(journal).save(Objective(title=str(i)))
    assert special.exists()


# ---------------------------------------------------------------- batches


def test_a_batch_is_one_write(path):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="first"))
        saves = journal.storage.saves
        with repo.batch():
            for i in range(5):
                repo.save(Objective(title=str(i)))
            repo.set_checkin("s1", DAY1)
            assert journal.storage.saves == saves  # nothing reached the disk yet
        assert journal.storage.saves == saves + 1
    assert len(table(path, "objectives")) == 6


def test_a_batch_that_fails_midway_saves_nothing(path):
    with opened(path) as journal:
        repo = Repository(journal)
        keep = repo.save(Objective(title="kept"))
        before = on_disk(path)
        with pytest.raises(RuntimeError), repo.batch():
            repo.save(Objective(title="half"))
            repo.save(keep.touched(title="renamed"))
            repo.set_checkin("s1", DAY1)
            raise RuntimeError("the user's input was invalid")
        assert on_disk(path) == before
        assert [o.title for o in repo.objectives()] == ["kept"]
        assert repo.checkins() == []
        repo.save(Objective(title="after"))
    assert sorted(o["title"] for o in table(path, "objectives")) == ["after", "kept"]


def test_a_batch_whose_write_fails_saves_nothing(path, monkeypatch):
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Objective(title="kept"))
        before = on_disk(path)
        with monkeypatch.context() as m:
            m.setattr(storage_module.os, "fsync", _raiser(OSError(errno.EIO, "I/O")))
            with pytest.raises(SaveError), repo.batch():
                repo.save(Objective(title="a"))
                repo.save(Objective(title="b"))
        assert on_disk(path) == before
        assert [o.title for o in repo.objectives()] == ["kept"]
        repo.save_many([Objective(title="a"), Objective(title="b")])
    assert len(table(path, "objectives")) == 3


def test_a_journal_from_a_newer_app_does_not_block_a_writer(path):
    raw = json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}}).encode()
    write_journal(path, raw)
    with opened(path) as old_app, opened(path, on_locked="refuse") as other:
        assert old_app.read_only and other.read_only
        assert "lock" not in other.read_only_reason


def test_a_blank_file_with_backups_is_corruption_too(path):
    good_backup(path)
    write_journal(path, b" \n")
    with pytest.raises(JournalCorrupt) as info:
        opened(path)
    assert info.value.moved_to.read_bytes() == b" \n"


def test_each_save_is_exactly_one_write_to_disk(path):
    """A save is reported only after one atomic write; no half-saves in between."""
    with opened(path) as journal:
        repo = Repository(journal)
        objective = Objective(title="a")
        objective.extra = {"old": 1}
        repo.save(objective)  # also writes the schema version
        assert journal.storage.saves == 1
        edited = objective.touched(title="b")
        edited.extra = {}
        repo.save(edited)  # replaces and drops the stale key
        assert journal.storage.saves == 2
        repo.set_checkin("s", DAY1)
        assert journal.storage.saves == 3


def test_missing_journal_after_corruption_never_starts_silently_empty(tmp_path):
    path = tmp_path / "j" / "journal.json"
    path.parent.mkdir()
    path.write_bytes(b'{"objectives": {"1": ')  # truncated, and no backups
    with pytest.raises(JournalCorrupt) as corrupt:
        open_journal(path)
    assert corrupt.value.moved_to is not None and corrupt.value.backup is None
    with pytest.raises(JournalMissing) as missing:
        open_journal(path)
    assert str(corrupt.value.moved_to) in str(missing.value)
    assert missing.value.set_aside == corrupt.value.moved_to


# ----------------------------------------------------------------- validation at the edge (16)


def test_a_table_holding_a_key_that_is_no_number_still_takes_inserts(tmp_path):
    from micro_journal.store.table import JournalDB

    path = tmp_path / "journal.json"
    odd = {"id": "odd", "kept": [1, 2.5, None]}
    path.write_text(json.dumps({"goals": {"abc": odd, "007": {"id": "z"}, "3": {"id": "t"}}}))
    db = JournalDB(path)
    try:
        table = db.table("goals")
        assert table.insert({"id": "new"}) == 4
        assert dict(table.documents())["abc"] == odd
        assert len(table.all()) == 4  # TinyDB's own reading does not fail either
    finally:
        db.close()
    data = read_state(path)
    assert data["goals"]["abc"] == odd and data["goals"]["007"] == {"id": "z"}


def test_deep_nesting_is_a_one_line_value_error():
    from micro_journal.store.files import loads, parse_journal_bytes

    deep = b'{"entries": {"1": {"body": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}}"
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_journal_bytes(deep)
    with pytest.raises(ValueError, match="nested too deeply"):
        loads(b"[" * 100_000 + b"]" * 100_000)


@pytest.mark.parametrize("raw", ["1e999", "-1e999", "1.5", '"one"', "null", "[1]", "true"])
def test_a_schema_version_that_is_no_whole_number_is_named_not_raised(raw):
    from micro_journal.store import migrations

    data = json.loads('{"meta": {"1": {"schema_version": ' + raw + "}}}")
    assert migrations.file_version(data) is None
    assert "schema_version" in migrations.version_problem(data)


def test_a_whole_float_schema_version_reads_as_its_number():
    from micro_journal.store import migrations

    data = {"meta": {"1": {"schema_version": 1.0}}}
    assert migrations.file_version(data) == 1 and migrations.version_problem(data) is None


def test_a_lone_surrogate_already_in_the_file_survives_a_rewrite():
    from micro_journal.store.files import check_storable, dumps

    doc = {"note": "x\udcff é", "n": [1]}
    assert json.loads(dumps(doc)) == doc
    with pytest.raises(UnicodeEncodeError):
        check_storable(doc)
    check_storable({"note": "é ✓"})


def test_a_draft_with_a_bad_value_is_left_where_it_is(tmp_path):
    from micro_journal.store.drafts import Draft, DraftStore

    store = DraftStore(tmp_path / "journal.json")
    store.save(Draft(entry_id="good", date="2026-11-18", body="kept",
                     saved_at="2026-11-18T09:00:00+00:00", skill_ids=[], tags=[]))
    store.save(Draft(entry_id="bad", date="2026-02-30", body="typed",
                     saved_at="2026-11-18T09:00:00+00:00", skill_ids=[], tags=[]))
    assert [d.entry_id for d in store.all()] == ["good"]
    [(path, problem)] = store.unreadable()
    assert path.name == "bad.json" and "date" in problem and path.exists()
