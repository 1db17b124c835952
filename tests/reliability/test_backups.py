"""7: backup rotation over many days of saves keeps the configured number, every kept
backup parses, and a corrupt (or emptied) journal never rotates the last good one away.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from micro_journal.domain.models import Entry
from micro_journal.store import (
    JournalCorrupt,
    JournalMissing,
    Repository,
    open_journal,
)
from micro_journal.store.backups import WEEKLY_KEEP, backup_label, list_backups, read_backup
from micro_journal.store.files import parse_journal_bytes

START = dt.date(2026, 1, 1)


def use_for_days(path, days, keep, *, start=START, saves=3, body="day"):
    """Open the journal once a day, as the app does, and save a few entries."""
    for n in range(days):
        day = start + dt.timedelta(days=n)
        with open_journal(path, today=lambda day=day: day, backups_keep=keep) as journal:
            repo = Repository(journal)
            for i in range(saves):
                repo.save(Entry(date=day.isoformat(), body=f"{body} {day} #{i}"))
    return start + dt.timedelta(days=days - 1)


def dated(path):
    out = {}
    for p in list_backups(path):
        label = backup_label(path, p)
        try:
            out[dt.date.fromisoformat(label[:10])] = p
        except ValueError:
            continue
    return out


@pytest.mark.parametrize("keep", [3, 14])
def test_rotation_over_months_keeps_the_configured_number_and_all_parse(tmp_path, keep,
                                                                        figures):
    path = tmp_path / "journal.json"
    days = 100
    last = use_for_days(path, days, keep)
    backups = dated(path)
    dailies = sorted(backups)[-keep:]
    # the newest `keep` days each have their backup …
    assert dailies == [last - dt.timedelta(days=n) for n in range(keep - 1, -1, -1)]
    # … plus at most one per older week, at most WEEKLY_KEEP of them
    older = sorted(backups)[:-keep]
    assert len(older) <= WEEKLY_KEEP
    assert len({d.isocalendar()[:2] for d in older}) == len(older)
    assert len(backups) <= keep + WEEKLY_KEEP
    for day, backup in backups.items():
        data = parse_journal_bytes(read_backup(backup))
        bodies = [d["body"] for d in data["entries"].values()]
        # taken at the day's first open: everything up to the day before, nothing of the day
        assert len(bodies) == 3 * (day - START).days
        assert not any(str(day) in b for b in bodies)
        assert oct(backup.stat().st_mode & 0o777) == "0o600"
    figures.add(f"backups: {days} days × 3 saves with backup_keep={keep}: kept {len(backups)} "
                f"(≤ {keep} dailies + {WEEKLY_KEEP} weeklies), every one parses and holds "
                "exactly the journal of its day")


def test_a_corrupt_journal_never_rotates_the_last_good_backup_away(tmp_path):
    path = tmp_path / "journal.json"
    last = use_for_days(path, 20, keep=3)
    good = max(dated(path).items())[1]
    good_bytes = good.read_bytes()
    path.write_bytes(path.read_bytes()[:-40])  # torn: the disk lost the end of the file
    for n in range(1, 60):  # the app is started every day for two months
        day = last + dt.timedelta(days=n)
        with pytest.raises((JournalCorrupt, JournalMissing)) as caught:
            open_journal(path, today=lambda day=day: day, backups_keep=3)
        assert caught.value.backup is not None
        assert caught.value.backup.read_bytes() == good_bytes
    assert good.exists() and good.read_bytes() == good_bytes


def test_starting_empty_after_corruption_keeps_the_old_journal_s_last_backup(tmp_path):
    """The user chose "start empty" on the recovery screen and kept writing for months:
    the last backup of the lost journal is still there (it is all that is left of it)."""
    path = tmp_path / "journal.json"
    last = use_for_days(path, 20, keep=3, body="old life")
    path.write_bytes(b"\x00" * 100)
    day = last + dt.timedelta(days=1)
    with pytest.raises(JournalCorrupt) as caught:
        open_journal(path, today=lambda: day, backups_keep=3)
    good = caught.value.backup
    good_bytes = good.read_bytes()
    # the recovery screen's "start empty": an explicit empty journal
    path.write_bytes(b"{}")
    os.chmod(path, 0o600)
    use_for_days(path, 80, keep=3, start=day + dt.timedelta(days=1), body="new life")
    assert good.exists() and good.read_bytes() == good_bytes
    assert b"old life" in read_backup(good)


def test_an_emptied_journal_is_not_backed_up_over_its_history(tmp_path):
    path = tmp_path / "journal.json"
    last = use_for_days(path, 10, keep=3)
    newest = max(dated(path).items())[1].read_bytes()
    path.write_bytes(b"{}")  # something emptied it (a bug, a wrong tool) but it parses
    for n in range(1, 40):
        day = last + dt.timedelta(days=n)
        with open_journal(path, today=lambda day=day: day, backups_keep=3):
            pass
    assert max(dated(path).items())[1].read_bytes() == newest
    assert all(json.loads(read_backup(p)).get("entries") for p in list_backups(path))
