"""The temporary folders demo journals live in: made, removed at quit, and swept when a
run that never quit (a crash, a kill) left one behind.

Only folders named ``micro-journal-demo-*`` right in the system's temp folder, ours and
not symlinks, are ever removed; one a running micro-journal holds (its lock is taken)
is never removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from ..store.storage import lock_path_for

DEMO_PREFIX = "micro-journal-demo-"
# a demo folder untouched this long, and not open, was left behind by a run that died
DEMO_STALE_SECONDS = 24 * 3600


def _temp_root() -> Path:
    return Path(tempfile.gettempdir())


def make_demo_folder() -> Path:
    """A new, private (0700) temporary folder for a demo journal."""
    return Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))


def is_demo_folder(folder: Path) -> bool:
    """A folder made for a demo journal: ``micro-journal-demo-*``, right in the temp folder."""
    try:
        return (folder.name.startswith(DEMO_PREFIX) and not folder.is_symlink()
                and folder.parent.resolve() == _temp_root().resolve())
    except OSError:
        return False


def remove_demo_folder(folder: Path) -> None:
    """Remove a demo journal's temporary folder (nothing but such a folder, ever)."""
    if is_demo_folder(folder) and folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)


def clean_stale_demos(keep: Path | None = None) -> list[Path]:
    """Remove the demo folders that runs which did not quit left behind: ours, untouched
    for a day and not open in a running micro-journal. Returns the folders removed."""
    from filelock import FileLock, Timeout

    now = time.time()  # file ages, not the user's "today": no clock needed
    removed: list[Path] = []
    try:
        entries = [e for e in os.scandir(_temp_root()) if e.name.startswith(DEMO_PREFIX)]
    except OSError:
        return removed
    for entry in entries:
        folder = Path(entry.path)
        if folder == keep or not is_demo_folder(folder):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            info = entry.stat(follow_symlinks=False)
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                continue  # another user's
            newest = max([info.st_mtime, *(p.lstat().st_mtime for p in folder.iterdir())])
        except OSError:
            continue
        if now - newest < DEMO_STALE_SECONDS:
            continue
        lock = FileLock(str(lock_path_for(folder / "journal.json")), timeout=0)
        try:
            lock.acquire()
        except (Timeout, OSError):
            continue  # a micro-journal still has it open
        lock.release()
        remove_demo_folder(folder)
        removed.append(folder)
    return removed
