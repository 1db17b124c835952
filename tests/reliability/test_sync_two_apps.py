"""Two devices, an app open on each, the journal's folder kept in step by a copy loop
that behaves like a sync tool (tests/ui/test_sync_devices.CopyLoop): each app checks
in, the loop copies the change logs and journal files across (making conflict copies
when both sides rewrote), and after a few passes both apps' journals hold both
check-ins — without the two apps rewriting each other's journal.json back and forth."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

from micro_journal.store import Repository, open_journal
from micro_journal.store.files import parse_journal_bytes
from tests.ui.test_sync_devices import CopyLoop

from .conftest import DEMO_DAY
from .ptyapp import PtyApp

TODAY = dt.date.fromisoformat(DEMO_DAY)


def on_disk(folder: Path) -> set[tuple[str, str]]:
    """Today's check-ins journal.json itself holds (what a sync carries whole)."""
    data = parse_journal_bytes((folder / "journal.json").read_bytes())
    return {(c["skill_id"], c["status"]) for c in data.get("checkins", {}).values()
            if c.get("date") == DEMO_DAY}


def until(check, loop: CopyLoop, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {check.__doc__}"
        loop.run()
        time.sleep(0.2)


def test_an_app_open_on_each_device_sees_the_other_devices_check_in(apps, box, demo):
    laptop, desktop = demo.parent, box.root / "desktop"
    desktop.mkdir(mode=0o700)
    shutil.copy(demo, desktop / "journal.json")
    before = on_disk(laptop)
    loop = CopyLoop(laptop, desktop)
    loop.run()
    for folder, config in ((laptop, "laptop-config"), (desktop, "desktop-config")):
        env = {**box.env, "MICRO_JOURNAL_CONFIG_DIR": str(box.root / config)}
        app = PtyApp(["--db", str(folder / "journal.json")], env, box.root)
        apps.append(app)
        app.wait_for("Today")
    apps[0].press(" ")  # the laptop checks in its focus skill
    apps[1].type("j ")  # the desktop checks in the next one

    def saved() -> bool:
        """each app's check-in in its own device's log"""
        return all(len(list(f.glob("journal.json.*.changes"))) >= 1 for f in (laptop, desktop))
    until(saved, loop)

    def both_everywhere() -> bool:
        """both devices' check-ins in both folders' journal.json"""
        return all(len(on_disk(f) - before) == 2 for f in (laptop, desktop))
    until(both_everywhere, loop)

    # the folder settles: no app keeps rewriting journal.json for the other to merge
    for _ in range(3):
        loop.run()
        time.sleep(0.5)
    settled = {f: (f / "journal.json").stat().st_mtime_ns for f in (laptop, desktop)}
    time.sleep(6)  # more than an app's sync poll
    loop.run()
    assert {f: (f / "journal.json").stat().st_mtime_ns for f in (laptop, desktop)} == settled

    for app in apps:
        app.press("q")
        assert app.wait() == 0
    loop.run()
    for folder in (laptop, desktop):
        with open_journal(folder / "journal.json", today=lambda: TODAY) as journal:
            days = [c for c in Repository(journal).checkins() if c.date == DEMO_DAY]
            assert len({(c.skill_id, c.status) for c in days} - before) == 2
