"""Issue 17: backups that do not cost a full copy each.

New backups are gzip-compressed (``.json.gz``), a weekly one is recompressed with bzip2
(``.json.bz2``) once its week is over, and a day whose journal did not change is a hard
link to the backup before it. Everything that reads backups reads every format — and
the plain ``.json`` copies of earlier versions — the same way: restore (the command and
the recovery screen), ``verify`` on a backup, the newest good backup offered when the
journal is unreadable, the listing, rotation. A damaged compressed backup is named,
never a traceback, and never offered as the newest good one.

The size figures use the benchmark's own ten-year journal (tests/benchmarks/bench.py).
"""

from __future__ import annotations

import datetime as dt
import errno
import gzip
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.clock import FixedClock
from micro_journal.domain.models import Entry
from micro_journal.screens.recovery import RecoveryScreen
from micro_journal.services import portability as pt
from micro_journal.store import JournalCorrupt, Repository, open_journal, read_state
from micro_journal.store import backups as bk
from micro_journal.store.backups import (
    DAILY_KEEP,
    WEEKLY_KEEP,
    backup_label,
    daily_in_background,
    list_backups,
    newest_good_backup,
    read_backup,
    wait_for_backups,
)
from micro_journal.store.files import parse_journal_bytes
from tests.cli.cli_helpers import OUTLINE, Sandbox, assert_one_line_error, sealed_env

from .conftest import env_count

FIRST_DAY = dt.date(2027, 1, 4)  # a Monday after the generated journal's last day


@pytest.fixture(scope="session")
def ten_years(tmp_path_factory) -> Path:
    """The benchmark's ten-year journal (4 MB), generated once."""
    from tests.benchmarks.bench import generate

    path = tmp_path_factory.mktemp("ten-years") / "journal.json"
    generate(path, 10)
    return path


def copy_of(source: Path, folder: Path) -> Path:
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / "journal.json"
    shutil.copyfile(source, path)
    path.chmod(0o600)
    return path


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path, sealed_env(tmp_path))


@pytest.fixture
def journal(sandbox: Sandbox) -> Path:
    path = sandbox.root / "journal" / "journal.json"
    path.parent.mkdir(mode=0o700)
    ok(sandbox.run("demo", str(path)))
    return path


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result


def records(raw: bytes) -> dict:
    return {t: docs for t, docs in parse_journal_bytes(raw).items() if t != "meta"}


def journal_records(path: Path) -> dict:
    """The journal's records as the app sees them: the file plus its change log."""
    return {t: dict(docs) for t, docs in read_state(path).items() if t != "meta"}


def on_disk(folder: Path) -> int:
    """Bytes of the files in ``folder``, a hard-linked file counted once (as du does)."""
    seen, total = set(), 0
    for p in folder.iterdir():
        st = p.lstat()
        if p.is_file() and (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            total += st.st_size
    return total


def mode(p: Path) -> str:
    return oct(p.stat().st_mode & 0o777)


# ====================================================================== compressed


def test_a_new_backup_is_gzip_and_a_fraction_of_the_journal(sandbox, ten_years, figures):
    path = copy_of(ten_years, sandbox.root / "journal")
    started = time.perf_counter()
    made = Path(ok(sandbox.run("backup", db=path)).stdout.strip())
    elapsed = time.perf_counter() - started
    assert made.name.endswith(".json.gz") and made.parent == path.parent / "backups"
    assert made.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(made.read_bytes()) == path.read_bytes()  # what gunzip gives
    assert read_backup(made) == path.read_bytes()
    # the day's first write took the daily too: the manual one is a link to it, not a
    # second copy (the journal did not change in between)
    [daily] = [p for p in list_backups(path) if backup_label(path, p) == "2026-11-18"]
    assert os.path.samefile(daily, made)
    assert mode(made) == "0o600" and mode(made.parent) == "0o700"
    ratio = made.stat().st_size / path.stat().st_size
    assert ratio < 0.2, ratio
    figures.add(f"backups: a ten-year journal ({path.stat().st_size / 2**20:.1f} MiB) backs "
                f"up to {ratio:.1%} of its size as .json.gz (`backup`, the process: "
                f"{elapsed:.2f} s)")


def test_restore_from_gzip_and_from_an_old_plain_backup(sandbox, journal):
    made = Path(ok(sandbox.run("backup", db=journal)).stdout.strip())
    assert made.name.endswith(".json.gz")
    in_gzip = journal_records(journal)
    # a plain copy as earlier versions wrote it, of another state of the journal
    ok(sandbox.run("checkin", OUTLINE, "--note", "in the plain copy", db=journal))
    with open_journal(journal):
        pass  # folds the check-in into journal.json
    plain = journal.parent / "backups" / "journal-2026-11-01.json"
    plain.write_bytes(journal.read_bytes())
    plain.chmod(0o600)
    in_plain = journal_records(journal)
    ok(sandbox.run("checkin", OUTLINE, "--note", "after both", db=journal))
    after = journal_records(journal)
    assert len({str(in_gzip), str(in_plain), str(after)}) == 3

    listing = ok(sandbox.run("restore", db=journal)).stdout
    assert made.name in listing and plain.name in listing

    ok(sandbox.run("restore", made.name, db=journal))
    assert journal_records(journal) == in_gzip
    assert journal.read_bytes() == read_backup(made)  # plain JSON, the bytes it held
    assert journal.read_bytes()[:1] == b"{" and mode(journal) == "0o600"
    # the journal it replaced was kept first, itself compressed
    [kept] = [p for p in list_backups(journal) if "before-restore" in p.name]
    assert kept.name.endswith(".json.gz") and records(read_backup(kept)) == after

    ok(sandbox.run("restore", "2026-11-01", db=journal))  # by its label, as before
    assert journal_records(journal) == in_plain
    assert journal.read_bytes() == plain.read_bytes()
    ok(sandbox.run("verify", db=journal))


def test_verify_reads_a_compressed_backup(sandbox, journal):
    made = Path(ok(sandbox.run("backup", db=journal)).stdout.strip())
    result = ok(sandbox.run("verify", db=made))
    assert "Traceback" not in result.stderr
    assert result.stdout == ok(sandbox.run("verify", db=journal)).stdout.replace(
        str(journal), str(made))


@pytest.mark.parametrize("damage", ["truncated", "corrupt"])
@pytest.mark.parametrize("suffix", [".json.gz", ".json.bz2"])
def test_a_damaged_compressed_backup_is_refused_by_name(sandbox, journal, damage, suffix):
    good = Path(ok(sandbox.run("backup", db=journal)).stdout.strip())
    raw = journal.read_bytes()
    packed = b"".join(bk.compressed(raw, suffix))
    if damage == "truncated":
        packed = packed[: len(packed) // 2]
    else:
        middle = len(packed) // 2
        packed = packed[:middle] + bytes(b ^ 0x5A for b in packed[middle:middle + 64]) + \
            packed[middle + 64:]
    bad = journal.parent / "backups" / f"journal-2026-11-19{suffix}"  # the newest
    bad.write_bytes(packed)
    bad.chmod(0o600)
    before = journal.read_bytes()

    result = sandbox.run("restore", bad.name, db=journal)
    assert_one_line_error(result, 2)
    assert str(bad) in result.stderr and "damaged" in result.stderr, result.stderr
    assert journal.read_bytes() == before

    checked = sandbox.run("verify", db=bad)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert "damaged" in checked.stdout, checked.stdout

    # never the "newest good" one: not offered when the journal is unreadable
    assert newest_good_backup(journal) == good
    journal.write_bytes(before[:100])
    broken = sandbox.run("today", db=journal)
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    assert str(good) in broken.stderr and bad.name not in broken.stderr


def test_an_unchanged_day_is_a_hard_link_not_a_copy(tmp_path, ten_years):
    path = copy_of(ten_years, tmp_path / "journal")
    for n in range(3):  # opened three days running, nothing saved
        day = FIRST_DAY + dt.timedelta(days=n)
        with open_journal(path, today=lambda day=day: day):
            pass
    first, second, third = list_backups(path)
    assert os.path.samefile(first, second) and os.path.samefile(second, third)
    assert on_disk(path.parent / "backups") == first.stat().st_size
    with open_journal(path, today=lambda: FIRST_DAY + dt.timedelta(days=3)) as journal:
        Repository(journal).save(Entry(date="2027-01-07", body="a change"))
    with open_journal(path, today=lambda: FIRST_DAY + dt.timedelta(days=4)):
        pass
    fifth = list_backups(path)[-1]
    assert backup_label(path, fifth) == "2027-01-08" and not os.path.samefile(fifth, third)
    assert b"a change" in read_backup(fifth) and b"a change" not in read_backup(third)


# ====================================================================== rotation and size


def use_day(path: Path, day: dt.date) -> None:
    """The day's first open takes its backup; then a save, as a day of use has."""
    with open_journal(path, today=lambda: day) as journal:
        Repository(journal).save(Entry(date=day.isoformat(), body=f"the entry of {day}"))


def test_backups_of_a_ten_year_journal_stay_under_three_times_its_size(
        tmp_path, ten_years, figures):
    """70 days of use (the benchmark's figure): 14 dailies and 8 weeklies kept; at 40
    days (the issue's check) and at 70 the folder is at most 3x the journal."""
    path = copy_of(ten_years, tmp_path / "journal")
    days = max(40, env_count("MJ_BACKUP_DAYS", 70))
    ratios = {}
    for n in range(days):
        use_day(path, FIRST_DAY + dt.timedelta(days=n))
        if n + 1 in (40, days):
            ratios[n + 1] = on_disk(path.parent / "backups") / path.stat().st_size
    last = FIRST_DAY + dt.timedelta(days=days - 1)
    kept = list_backups(path)
    labels = [backup_label(path, p) for p in kept]
    assert len(labels) == len(set(labels))  # one backup a label
    by_day = {dt.date.fromisoformat(label): p for label, p in zip(labels, kept, strict=True)}
    newest = [last - dt.timedelta(days=n) for n in range(DAILY_KEEP)]
    assert set(newest) <= set(by_day)
    assert len(by_day) <= DAILY_KEEP + WEEKLY_KEEP
    finished = [d for d in by_day if d not in newest and d + dt.timedelta(
        days=7 - d.isoweekday()) < min(newest)]
    assert finished and all(by_day[d].name.endswith(".json.bz2") for d in finished)
    assert all(by_day[d].name.endswith(".json.gz") for d in newest)
    for day, p in by_day.items():
        assert mode(p) == "0o600"
        data = parse_journal_bytes(read_backup(p))
        # taken at the day's first open: every day before it, nothing of it
        ours = [e["body"] for e in data["entries"].values() if e["body"].startswith("the ")]
        assert len(ours) == (day - FIRST_DAY).days
    assert all(r <= 3.0 for r in ratios.values()), ratios
    # a bzip2 weekly restores as exactly the journal of its day
    weekly = by_day[min(finished)]
    pt.restore(path, weekly)
    assert path.read_bytes() == read_backup(weekly)
    figures.add(
        "backups: a ten-year journal used for "
        + " and ".join(f"{n} days: {r:.2f}x its size" for n, r in ratios.items())
        + f" (at most 3x; {len(by_day)} kept, {len(finished)} weeklies as .bz2)")


def test_old_plain_backups_rotate_with_the_new_ones(tmp_path):
    """An upgrade: 20 days of plain copies are there; new ones are compressed, and
    rotation counts both alike (a label is one backup whatever its format)."""
    path = tmp_path / "journal.json"
    use_day(path, FIRST_DAY - dt.timedelta(days=30))  # a journal with no backup yet
    folder = path.parent / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    for n in range(20):
        day = FIRST_DAY - dt.timedelta(days=20 - n)
        legacy = folder / f"journal-{day}.json"
        legacy.write_bytes(b'{"entries": {"1": {"body": "%s"}}}' % day.isoformat().encode())
        legacy.chmod(0o600)
        os.utime(legacy, (time.time() - 86400 * (20 - n),) * 2)
    manual = folder / "journal-manual-2026-12-01-120000.json"
    manual.write_bytes(b"{}")
    manual.chmod(0o600)
    for n in range(10):
        use_day(path, FIRST_DAY + dt.timedelta(days=n))
    kept = list_backups(path)
    dailies = {backup_label(path, p): p for p in kept if bk.backup_kind(path, p) == "daily"}
    newest = [str(FIRST_DAY + dt.timedelta(days=n)) for n in range(-4, 10)]
    assert set(newest) <= set(dailies)
    assert all(dailies[d].name.endswith(".json.gz") for d in newest[-10:])
    assert all(dailies[d].name.endswith(".json") for d in newest[:4])  # still plain
    assert len(dailies) <= DAILY_KEEP + WEEKLY_KEEP
    assert any(p.name.endswith(".json.bz2") for p in dailies.values())  # a finished week
    assert manual in kept  # the newest manual one is never removed
    for p in kept:
        parse_journal_bytes(read_backup(p))
        assert mode(p) == "0o600"


# ====================================================================== off the first frame


def test_the_app_s_daily_is_written_in_the_background(tmp_path, ten_years, figures):
    path = copy_of(ten_years, tmp_path / "journal")
    started = time.perf_counter()
    with daily_in_background():
        journal = open_journal(path, today=lambda: FIRST_DAY)
    opened = time.perf_counter() - started
    snapshot = path.read_bytes()
    Repository(journal).save(Entry(date=str(FIRST_DAY), body="saved while it is written"))
    journal.close()  # folds the save into journal.json, meanwhile
    started = time.perf_counter()
    wait_for_backups()
    waited = time.perf_counter() - started
    [made] = list_backups(path)
    assert made.name == f"journal-{FIRST_DAY}.json.gz"
    assert read_backup(made) == snapshot  # the journal as it was opened
    assert not list(made.parent.glob(".*"))  # no note, no temp file left
    figures.add(f"backups: the app's start on a ten-year journal returns from open in "
                f"{opened * 1000:.0f} ms while the day's backup is compressed in a thread "
                f"(finished {waited * 1000:.0f} ms after close)")


def test_a_background_daily_that_fails_is_told_at_the_next_start(tmp_path, monkeypatch):
    path = tmp_path / "journal.json"
    use_day(path, FIRST_DAY)
    real = bk._write_new_backup

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bk, "_write_new_backup", disk_full)
    day = FIRST_DAY + dt.timedelta(days=1)
    with daily_in_background(), open_journal(path, today=lambda: day) as journal:
        Repository(journal).save(Entry(date=str(day), body="a change"))
    wait_for_backups()
    assert not journal.notices  # it failed in its thread: nobody was told yet
    note = path.parent / "backups" / ".journal.daily-backup-unfinished"
    assert "No space left" in note.read_text()
    assert not bk.has_daily(path, day)
    # the next start takes it in the foreground, and says why it failed
    with daily_in_background(), open_journal(path, today=lambda: day) as journal:
        assert any("Could not take today's backup: the disk is full" in n
                   for n in journal.notices), journal.notices
    monkeypatch.setattr(bk, "_write_new_backup", real)
    with daily_in_background(), open_journal(path, today=lambda: day) as journal:
        assert not journal.notices
    assert bk.has_daily(path, day) and not note.exists()


async def test_the_recovery_screen_restores_a_compressed_backup(demo):
    good = demo.read_bytes()
    folder = demo.parent / "backups"
    folder.mkdir(mode=0o700)
    newest = folder / "journal-2026-11-17.json.gz"
    newest.write_bytes(b"".join(bk.compressed(good)))
    torn = folder / "journal-2026-11-18.json.gz"
    torn.write_bytes(newest.read_bytes()[:-30])  # newer, but cut short: never offered
    for p in folder.iterdir():
        p.chmod(0o600)
    demo.write_bytes(good[: len(good) // 2])
    with pytest.raises(JournalCorrupt):
        open_journal(demo, today=lambda: FIRST_DAY)
    assert not demo.exists()  # set aside
    app = make_app(demo, FixedClock(dt.date(2026, 11, 18)), Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        shown = " ".join(" ".join(str(w.render()) for w in app.screen.query("Static")).split())
        assert newest.name in shown and torn.name not in shown
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, RecoveryScreen)
    assert demo.read_bytes() == good  # plain JSON again, as it was
