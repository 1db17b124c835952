"""Demo journals live in temporary folders: removed when their app quits, and the ones a
crashed run left behind are removed at the next demo start. Nothing else is touched."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from filelock import FileLock

from micro_journal.cli import write_demo_journal
from micro_journal.config import Config
from micro_journal.services.demo_folders import DEMO_PREFIX, DEMO_STALE_SECONDS

from ..conftest import until
from .conftest import DEMO_DAY


@pytest.fixture
def temp_root(tmp_path, monkeypatch) -> Path:
    """The system temp folder, for this test only."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def folder(root: Path, name: str, *, age: float = 0.0, files: bool = True) -> Path:
    made = root / name
    made.mkdir()
    if files:
        (made / "journal.json").write_text("{}")
    age_to(made, age)
    return made


def age_to(path: Path, age: float) -> None:
    stamp = time.time() - age
    for p in [*path.iterdir(), path]:
        os.utime(p, (stamp, stamp), follow_symlinks=False)


def demo_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.name.startswith(DEMO_PREFIX))


async def test_the_demo_folder_is_removed_when_the_app_quits(empty_path, make, temp_root):
    mine = folder(temp_root, "mine")  # not a demo folder: never touched
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        await until(pilot, lambda: app.demo)
        demo = app.db_path.parent
        assert demo.parent == temp_root and demo.name.startswith(DEMO_PREFIX)
        assert app.db_path.exists()
        await pilot.press("space")  # the demo is a journal like any other meanwhile
        await pilot.pause()
    assert not demo.exists()
    assert demo_folders(temp_root) == []
    assert (mine / "journal.json").exists()


async def test_stale_demo_folders_are_removed_at_the_next_demo_start(empty_path, make,
                                                                    temp_root, tmp_path):
    day = DEMO_STALE_SECONDS
    stale = folder(temp_root, DEMO_PREFIX + "crashed", age=2 * day)
    empty_stale = folder(temp_root, DEMO_PREFIX + "empty", age=2 * day, files=False)
    recent = folder(temp_root, DEMO_PREFIX + "recent", age=day / 2)
    in_use = folder(temp_root, DEMO_PREFIX + "in-use", age=2 * day)
    other = folder(temp_root, "micro-journal-mine", age=2 * day)  # not the demo prefix
    a_file = temp_root / (DEMO_PREFIX + "file")
    a_file.write_text("not a folder")
    os.utime(a_file, (time.time() - 2 * day,) * 2)
    elsewhere = folder(tmp_path, "elsewhere", age=2 * day)
    link = temp_root / (DEMO_PREFIX + "link")
    link.symlink_to(elsewhere, target_is_directory=True)
    os.utime(link, (time.time() - 2 * day,) * 2, follow_symlinks=False)
    held = FileLock(str(in_use / "journal.json.lock"), timeout=0)
    held.acquire()  # a micro-journal still has that demo open
    try:
        age_to(in_use, 2 * day)
        app = make(empty_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("d")
            await until(pilot, lambda: app.demo)
            assert not stale.exists() and not empty_stale.exists()
            assert recent.exists() and in_use.exists()
            assert (other / "journal.json").exists() and a_file.exists()
            assert link.is_symlink() and (elsewhere / "journal.json").exists()
    finally:
        held.release()
    assert demo_folders(temp_root) == sorted([recent, in_use, a_file, link])


async def test_a_cli_demo_folder_is_removed_when_the_app_quits(clock, make, temp_root):
    # what `micro-journal --demo` does before it starts the app
    made = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))
    stale = folder(temp_root, DEMO_PREFIX + "crashed", age=2 * DEMO_STALE_SECONDS)
    write_demo_journal(made / "journal.json", DEMO_DAY, Config())
    app = make(made / "journal.json", demo=True)
    assert not stale.exists()  # cleaned at the start of this demo
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert made.exists() and app.demo
    assert not made.exists()
    assert demo_folders(temp_root) == []


async def test_a_journal_opened_as_demo_elsewhere_is_never_removed(demo_path, make, temp_root):
    app = make(demo_path, demo=True)  # not in a temporary demo folder: not ours to remove
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
    assert demo_path.exists()
