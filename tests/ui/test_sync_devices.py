"""One journal on two devices, as a user lives it: the folder is kept in step by a sync
tool, and each device's saves reach the other one's app (issue 20).

Conflict copies are placed the way each sync tool names them, while the app is closed
(merged at start) and while it is open (merged by its poll); a copy loop imitates a sync
tool between two folders, with the app open on one device and the other device using
the command line."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from micro_journal import app as app_module
from micro_journal.domain.models import Entry
from micro_journal.store import Repository, changes, open_journal

from ..conftest import until
from .conftest import DEMO_DAY, checkins_on, read_journal, skill_id

NAMES = [
    "journal.sync-conflict-20261118-081500-ABCDEFG.json",  # Syncthing
    "journal (conflicted copy).json",  # Dropbox
    "journal (Jane's conflicted copy 2026-11-18).json",  # Dropbox, with the owner
    "journal (conflicted copy 2026-11-18 081500).json",  # Nextcloud
    "journal_conflict-20261118-081500.json",  # older Nextcloud/ownCloud clients
    "journal-DESKTOP-1A2B3C.json",  # OneDrive: the computer's name
    "journal (1).json",  # OneDrive, Google Drive, a second download
]


def other_device_copy(path: Path, folder: Path) -> tuple[Path, str]:
    """A copy of the journal on which another device checked in "eye contact" today and
    wrote an entry."""
    copy = folder / "elsewhere" / "journal.json"
    copy.parent.mkdir(parents=True)
    shutil.copy(path, copy)
    skill = skill_id(path, "eye contact")
    with open_journal(copy, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        repo.set_checkin(skill, DEMO_DAY, "done")
        repo.save(Entry(date=DEMO_DAY.isoformat(), body="Written on the desktop."))
    return copy, skill


def merged_copies(path: Path) -> list[Path]:
    folder = path.with_name(path.name + ".merged")
    return sorted(folder.iterdir()) if folder.exists() else []


def bodies(path: Path) -> set[str]:
    return {d["body"] for d in read_journal(path).get("entries", {}).values()}


@pytest.mark.parametrize("name", NAMES)
async def test_a_conflict_copy_is_merged_at_start(demo_path, make, tmp_path, name):
    copy, skill = other_device_copy(demo_path, tmp_path)
    shutil.copy(copy, demo_path.with_name(name))
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        told = [n.message for n in app._notifications]
        assert any(f"Merged {name}" in m and "1 check-in" in m and "journal.json.merged/" in m
                   for m in told), told
        assert app.repo.checkin(skill, DEMO_DAY) is not None
    assert len(checkins_on(demo_path, DEMO_DAY, skill)) == 1
    assert "Written on the desktop." in bodies(demo_path)
    assert not demo_path.with_name(name).exists()  # moved aside, never deleted:
    assert [p.name.endswith(name) for p in merged_copies(demo_path)] == [True]


@pytest.mark.parametrize("name", NAMES)
async def test_a_conflict_copy_is_merged_while_the_app_is_open(
        demo_path, make, tmp_path, name, monkeypatch):
    monkeypatch.setattr(app_module, "SYNC_POLL_SECONDS", 0.05)
    copy, skill = other_device_copy(demo_path, tmp_path)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.repo.checkin(skill, DEMO_DAY) is None
        shutil.copy(copy, demo_path.with_name(name))

        def merged() -> bool:
            """the copy merged and the app showing the other device's check-in"""
            return app.repo.checkin(skill, DEMO_DAY) is not None
        await until(pilot, merged)
        await pilot.press("space")  # and the app goes on saving on the merged journal
    assert len(checkins_on(demo_path, DEMO_DAY, skill)) == 1
    assert "Written on the desktop." in bodies(demo_path)
    assert [p.name.endswith(name) for p in merged_copies(demo_path)] == [True]


class CopyLoop:
    """Keeps two folders in step as a sync tool does: a file changed on one side only is
    copied over; a file changed on both sides since the last pass keeps one version and
    the other becomes a Syncthing conflict copy. Locks and backups are not synced."""

    def __init__(self, a: Path, b: Path) -> None:
        self.a, self.b = a, b
        self.last: dict[str, str | None] = {}

    @staticmethod
    def digest(path: Path) -> str | None:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None

    def run(self) -> None:
        names = {p.name for folder in (self.a, self.b) for p in folder.iterdir()
                 if p.is_file() and not p.name.endswith(".lock")}
        for name in sorted(names):
            fa, fb = self.a / name, self.b / name
            da, db = self.digest(fa), self.digest(fb)
            was = self.last.get(name)
            if da == db:
                pass
            elif db == was or (db is None and was is None):
                shutil.copy2(fa, fb) if da else fb.unlink()
            elif da == was or (da is None and was is None):
                shutil.copy2(fb, fa) if db else fa.unlink()
            else:  # both changed: b's stays, a's is set aside on both sides
                conflict = "journal.sync-conflict-20261118-090000-ABCDEFG.json" \
                    if name == "journal.json" else f"{name}.sync-conflict"
                if da is not None:
                    shutil.copy2(fa, self.b / conflict)
                    shutil.copy2(fa, self.a / conflict)
                shutil.copy2(fb, fa)
            self.last[name] = self.digest(fa)
        for folder in (self.a, self.b):  # a conflict copy merged on one side: gone on both
            other = self.b if folder is self.a else self.a
            for p in list(other.iterdir()):
                if "sync-conflict" in p.name and not (folder / p.name).exists() \
                        and p.name in self.last:
                    p.unlink()
        for folder in (self.a, self.b):
            for p in folder.iterdir():
                if "sync-conflict" in p.name:
                    self.last[p.name] = self.digest(p)


def cli(folder: Path, config: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MICRO_JOURNAL_CONFIG_DIR": str(config),
           "MICRO_JOURNAL_TODAY": DEMO_DAY.isoformat()}
    env.pop("MICRO_JOURNAL_DB", None)
    return subprocess.run([sys.executable, "-m", "micro_journal", "--db",
                           str(folder / "journal.json"), *args],
                          capture_output=True, text=True, env=env, timeout=60)


async def test_two_devices_in_a_synced_folder_both_see_every_check_in(
        demo_path, make, tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "SYNC_POLL_SECONDS", 0.05)
    changes.use_device("laptop-a1b2c3")  # as the app's start names this computer
    laptop = demo_path.parent
    desktop = tmp_path / "desktop"
    desktop.mkdir()
    shutil.copy(demo_path, desktop / "journal.json")
    loop = CopyLoop(laptop, desktop)
    loop.run()
    smile, slow = skill_id(demo_path, "smile"), skill_id(demo_path, "eye contact")
    config = tmp_path / "desktop-config"

    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("space")  # the laptop checks in its focus skill (Smile)
        done = cli(desktop, config, "checkin", "eye contact")  # the desktop checks in another
        assert done.returncode == 0, done.stderr
        assert sorted(p.name for p in desktop.glob("*.changes"))  # its own log's name
        loop.run()

        def both() -> bool:
            """the laptop's app shows the desktop's check-in beside its own"""
            return (app.repo.checkin(slow, DEMO_DAY) is not None
                    and app.repo.checkin(smile, DEMO_DAY) is not None)
        await until(pilot, both)
        today = cli(desktop, config, "today", "--json")  # the desktop sees the laptop's
        assert today.returncode == 0, today.stderr
        assert today.stdout.count('"done"') >= 2, today.stdout
        loop.run()
        await pilot.press("s")  # the laptop changes its mind: Smile is a rest day
    loop.run()  # the laptop's app quit: its journal.json rewritten; the desktop's too
    cli(desktop, config, "today")
    loop.run()
    for folder in (laptop, desktop):
        with open_journal(folder / "journal.json", today=lambda: DEMO_DAY) as journal:
            repo = Repository(journal)
            assert repo.checkin(slow, DEMO_DAY).status == "done"
            assert repo.checkin(smile, DEMO_DAY).status == "skipped"
        loop.run()


async def test_a_conflicting_version_is_shown_in_the_editor_and_resolved_there(
        demo_path, make, tmp_path):
    from textual.widgets import TextArea

    from micro_journal.screens.editor import EditorScreen
    from micro_journal.screens.journal import EntryReader

    other = tmp_path / "other" / "journal.json"
    other.parent.mkdir()
    shutil.copy(demo_path, other)
    for path, words in ((demo_path, "Laptop: smiled first."), (other, "Desktop: paused.")):
        with open_journal(path, today=lambda: DEMO_DAY) as journal:
            repo = Repository(journal)
            newest = max(repo.all(Entry), key=lambda e: (e.date, e.created_at))
            repo.save(newest.touched(body=words))
    conflict_copy = demo_path.with_name("journal (conflicted copy).json")
    shutil.copy(other, conflict_copy)

    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        entry = app.screen.highlighted_entry()
        assert {entry.body, *entry.extra["conflicts"]} == {"Laptop: smiled first.",
                                                         "Desktop: paused."}
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryReader)
        assert "1 conflicting version" in str(app.screen.query("Static").first().render())
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        text = app.screen.query_one(TextArea).text
        assert "Laptop: smiled first." in text and "Desktop: paused." in text
        assert "another device's version 1" in text
        # the user keeps both sentences, without the marker lines
        app.screen.query_one(TextArea).text = "Laptop: smiled first. Desktop: paused."
        await pilot.press("end", "!", "escape")
        await pilot.pause()
    saved = next(d for d in read_journal(demo_path)["entries"].values() if d["id"] == entry.id)
    assert saved["body"] == "Laptop: smiled first. Desktop: paused.!"
    assert "conflicts" not in saved
    # the old copy merged once more does not bring the resolved conflict back
    [merged_aside] = merged_copies(demo_path)
    with open_journal(demo_path, today=lambda: DEMO_DAY) as journal:
        journal.merge_copy(merged_aside)
    again = next(d for d in read_journal(demo_path)["entries"].values() if d["id"] == entry.id)
    assert again["body"] == saved["body"] and "conflicts" not in again


def test_merged_copies_are_kept_in_their_folder_the_newest_thirty(demo_path, tmp_path):
    """A copy that brings nothing new is put away without a word; the merged folder
    keeps the newest 30 copies, so months of syncing do not fill the journal's folder."""
    for n in range(33):
        shutil.copy(demo_path, demo_path.with_name(f"journal ({n + 1}).json"))
        with open_journal(demo_path, today=lambda: DEMO_DAY) as journal:
            assert not [m for m in journal.notices if "Merged" in m]
    kept = merged_copies(demo_path)
    assert len(kept) == 30
    assert any(p.name.endswith("journal (33).json") for p in kept)
    assert not any(p.name.endswith("journal (1).json") for p in kept)
    assert not list(demo_path.parent.glob("journal (*).json"))
