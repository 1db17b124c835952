"""The store on a system without os.pread, O_CLOEXEC or O_NONBLOCK (Windows).

store/files.py chooses at run time: os.pread where it exists, else a seek and a read
under a lock; the flags are 0 where the os module lacks them. These tests take the
POSIX calls away on Linux, so CI runs the path Windows takes through real journal
operations: a split journal opened and its older parts read, the change log reopened
after a torn line, backups written and compared byte for byte."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from pathlib import Path

import pytest

from micro_journal.domain.models import CheckIn, Entry, Metric, MicroSkill, Objective
from micro_journal.store import Repository, backups, files, open_journal

TODAY = dt.date(2025, 12, 17)


@pytest.fixture
def no_posix_calls(monkeypatch) -> list[int]:
    """os.pread and the POSIX-only flags gone; returns the seeks made instead."""
    monkeypatch.delattr(os, "pread")
    monkeypatch.setattr(files, "O_CLOEXEC", 0)
    monkeypatch.setattr(files, "O_NONBLOCK", 0)
    seeks: list[int] = []
    real_lseek = os.lseek

    def counting_lseek(fd: int, pos: int, how: int) -> int:
        seeks.append(pos)
        return real_lseek(fd, pos, how)

    monkeypatch.setattr(os, "lseek", counting_lseek)
    return seeks


def opened(path: Path, today: dt.date = TODAY):
    return open_journal(path, today=lambda: today)


def write_year(path: Path) -> str:
    """A year of daily check-ins and monthly entries: opened again, the older
    check-ins and the entries stay in the file (read later with pread)."""
    with opened(path) as journal:
        repo = Repository(journal)
        objective = repo.save(Objective(title="Speaking"))
        skill = repo.save(MicroSkill(objective_id=objective.id, title="Pause",
                                     metric=Metric(name="fillers")))
        records: list = []
        day = dt.date(2025, 1, 6)
        while day < TODAY:
            records.append(CheckIn(skill_id=skill.id, date=day.isoformat(), status="done",
                                   minutes=5, note=f"day {day}"))
            if day.day == 1:
                records.append(Entry(date=day.isoformat(), body=f"month {day:%B} ü🙂"))
            day += dt.timedelta(days=1)
        repo.save_many(records)
    return skill.id


def test_the_helper_falls_back_to_seek_and_read(tmp_path, no_posix_calls):
    target = tmp_path / "bytes"
    target.write_bytes(b"0123456789")
    fd = os.open(target, os.O_RDONLY | files.O_BINARY | files.O_CLOEXEC)
    try:
        assert not hasattr(os, "pread")
        assert files.pread(fd, 4, 3) == b"3456"
        assert files.pread(fd, 100, 8) == b"89"
        assert files.pread(fd, 4, 20) == b""
    finally:
        os.close(fd)
    assert no_posix_calls == [3, 8, 20]


def test_the_fallback_reads_right_from_many_threads(tmp_path, no_posix_calls):
    target = tmp_path / "bytes"
    data = bytes(range(256)) * 64
    target.write_bytes(data)
    fd = os.open(target, os.O_RDONLY)
    wrong: list[int] = []

    def reader(start: int) -> None:
        for offset in range(start, len(data) - 16, 97):
            if files.pread(fd, 16, offset) != data[offset:offset + 16]:
                wrong.append(offset)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        os.close(fd)
    assert wrong == []


def test_os_pread_is_used_where_it_exists(tmp_path, monkeypatch):
    target = tmp_path / "bytes"
    target.write_bytes(b"0123456789")
    used: list[tuple[int, int]] = []
    real = os.pread

    def spying(fd: int, n: int, offset: int) -> bytes:
        used.append((n, offset))
        return real(fd, n, offset)

    monkeypatch.setattr(os, "pread", spying)
    fd = os.open(target, os.O_RDONLY)
    try:
        assert files.pread(fd, 2, 5) == b"56"
    finally:
        os.close(fd)
    assert used == [(2, 5)]


def test_a_split_journal_opens_and_reads_its_older_parts(tmp_path, no_posix_calls):
    path = tmp_path / "journal.json"
    skill_id = write_year(path)
    no_posix_calls.clear()
    with opened(path) as journal:
        repo = Repository(journal)
        assert journal.storage.older_left() is not None  # the older check-ins stayed
        old = repo.checkin(skill_id, dt.date(2025, 2, 4))
        assert old is not None and old.note == "day 2025-02-04"
        assert len(repo.checkins(skill_id)) == (TODAY - dt.date(2025, 1, 6)).days
        bodies = sorted(e.body for e in repo.entries())
        assert "month December ü🙂" in bodies and len(bodies) == 11  # February to December
        repo.save(old.touched(note="edited on Windows"))
    assert no_posix_calls  # the seek+read path was the one taken
    with opened(path) as journal:
        assert Repository(journal).checkin(skill_id, dt.date(2025, 2, 4)).note == (
            "edited on Windows")


def test_a_torn_change_log_is_cut_and_saving_goes_on(tmp_path, no_posix_calls):
    path = tmp_path / "journal.json"
    write_year(path)
    killed = tmp_path / "killed"
    killed.mkdir(mode=0o700)
    with opened(path) as journal:
        repo = Repository(journal)
        repo.save(Entry(date=TODAY.isoformat(), body="kept"))
        log = journal.storage.changes_path
        # the files as a kill leaves them: the log not folded in, its last line torn
        shutil.copy2(path, killed / path.name)
        (killed / log.name).write_bytes(log.read_bytes() + b'0badc0de {"g": "half a li')
    copy = killed / path.name
    no_posix_calls.clear()
    with opened(copy) as journal:
        repo = Repository(journal)
        repo.save(Entry(date=TODAY.isoformat(), body="after"))
        bodies = {e.body for e in repo.entries()}
    assert no_posix_calls  # the log's tail was read with the fallback
    assert {"kept", "after"} <= bodies
    with opened(copy) as journal:
        assert {"kept", "after"} <= {e.body for e in Repository(journal).entries()}


def test_backups_are_written_and_compared_byte_for_byte(tmp_path, no_posix_calls):
    path = tmp_path / "journal.json"
    write_year(path)
    with opened(path) as journal:
        with backups.daily_in_background():
            first = journal.backup_now(TODAY.isoformat())
        backups.wait_for_backups()
        no_posix_calls.clear()
        again = journal.backup_now("manual")
    assert first is not None and again is not None
    assert backups.read_backup(first) == path.read_bytes() == backups.read_backup(again)
    assert no_posix_calls  # the unchanged journal was compared with the newest backup
    assert again.stat().st_ino == first.stat().st_ino  # and linked to it, not copied
