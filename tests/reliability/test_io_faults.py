"""2, 3, 4: os.replace raising, os.fsync raising EIO, ENOSPC on write — in the editor.

The faults are injected into the real ``os`` calls of the store, aimed at the journal's
own files only (journal.json, its temp file and its change log, found through
/proc/self/fd), so the draft beside them can still be written. A save normally appends
to the change log; the "rewrite" cases make every save rewrite journal.json (the path
compaction takes, and the only one os.replace is on). A last case fails every write
(drafts too).

Each must hold: the journal stays byte-identical, the user is told in plain words,
nothing is reported saved, the editor keeps its text, the draft survives (when it can
be written at all), and the save succeeds once the fault is gone.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

import pytest
from textual.widgets import TextArea

from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.clock import FixedClock
from micro_journal.screens.editor import EditorScreen
from micro_journal.store import storage as storage_mod
from micro_journal.store.changes import changes_path_for

from ..conftest import until
from .conftest import bodies, draft_bodies


def fd_path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


class Faults:
    """Real os calls, failing for the journal (or for everything) while ``on``."""

    def __init__(self, journal: Path, everything: bool = False) -> None:
        self.journal = journal
        self.log = str(changes_path_for(journal))
        self.everything = everything
        self.on = True
        self.injected = 0
        self.real_replace, self.real_fsync, self.real_write = os.replace, os.fsync, os.write

    def hits(self, name: str) -> bool:
        hit = self.on and (self.everything or f".{self.journal.name}.tmp-" in name
                           or name in (str(self.journal), self.log))
        self.injected += hit
        return hit

    def replace(self, src, dst, *a, **kw):
        if self.hits(str(dst)):
            raise OSError(errno.EIO, "Input/output error")
        return self.real_replace(src, dst, *a, **kw)

    def fsync(self, fd):
        if self.hits(fd_path(fd)):
            raise OSError(errno.EIO, "Input/output error")
        return self.real_fsync(fd)

    def write(self, fd, data):
        if self.hits(fd_path(fd)):
            # a full disk takes part of the data, then refuses the rest
            self.real_write(fd, bytes(data[: max(1, len(data) // 2)]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.real_write(fd, data)


FAULTS = {
    "os.replace, rewrite": ("replace", "input/output error", "rewrite"),
    "os.fsync EIO, append": ("fsync", "input/output error", "append"),
    "os.fsync EIO, rewrite": ("fsync", "input/output error", "rewrite"),
    "ENOSPC on write, append": ("write", "the disk is full", "append"),
    "ENOSPC on write, rewrite": ("write", "the disk is full", "rewrite"),
}


def on_disk(path: Path) -> tuple[bytes, bytes]:
    """Both files the journal is made of, byte for byte."""
    log = changes_path_for(path)
    return path.read_bytes(), log.read_bytes() if log.exists() else b""


def notifications(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_editor(pilot) -> EditorScreen:
    await pilot.press("2")
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EditorScreen)
    return pilot.app.screen


def topbar(editor) -> str:
    return str(editor.query_one("#topbar").render())


def the_app(path):
    clock = FixedClock(dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC))
    return make_app(path, clock, Config())


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_a_failing_save_keeps_everything_and_a_retry_succeeds(demo, monkeypatch, fault,
                                                                   figures):
    call, words, how = FAULTS[fault]
    faults = Faults(demo)
    monkeypatch.setattr(storage_mod.os, call, getattr(faults, call))
    app = the_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        if how == "rewrite":
            app.journal.storage.compact_bytes = 0  # every save rewrites journal.json
        before = on_disk(demo)
        editor = await open_editor(pilot)
        await pilot.press(*"words I must not lose")
        # draft at 0.3 s, journal save at 1 s: fails, and says so
        await until(pilot, lambda: "NOT SAVED" in topbar(editor)
                    and any("Could not save" in n for n in notifications(app)))
        assert faults.injected
        assert on_disk(demo) == before  # byte-identical
        assert "NOT SAVED" in topbar(editor) and "saved " not in topbar(editor).lower().replace(
            "not saved", "")
        [told] = [n for n in notifications(app) if "Could not save" in n]
        assert words in told and str(demo) in told  # plain words, naming the file
        assert editor.query_one(TextArea).text == "words I must not lose"
        assert draft_bodies(demo) == ["words I must not lose"]
        assert not list(demo.parent.glob(".journal.json.tmp-*"))  # no temp left behind
        await pilot.press("escape")  # refused once: the journal does not have it
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        faults.on = False  # the disk is fixed
        await pilot.press(*" again", "ctrl+s")
        await pilot.pause()
        assert bodies(demo) == ["words I must not lose again"]
        assert draft_bodies(demo) == []
        assert "saved" in topbar(editor) and "NOT" not in topbar(editor)
    figures.add(f"I/O fault {fault}: {faults.injected} injected through the editor; journal "
                "byte-identical, text kept in editor and draft, retry saved it")


async def test_a_fault_on_quit_leaves_a_draft_that_is_offered_back(demo, monkeypatch):
    faults = Faults(demo)
    monkeypatch.setattr(storage_mod.os, "write", faults.write)
    before = on_disk(demo)
    app = the_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press(*"typed, then quit at once")
        await app.action_quit()
    assert on_disk(demo) == before
    assert draft_bodies(demo) == ["typed, then quit at once"]
    faults.on = False
    app = the_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
    assert bodies(demo) == ["typed, then quit at once"]
    assert draft_bodies(demo) == []


async def test_a_completely_full_disk_never_claims_a_draft_was_kept(demo, monkeypatch):
    faults = Faults(demo, everything=True)
    monkeypatch.setattr(storage_mod.os, "write", faults.write)
    before = on_disk(demo)
    app = the_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press(*"nowhere to put this")
        await until(pilot, lambda: "NOT SAVED" in topbar(editor))  # the 1 s autosave fails
        assert on_disk(demo) == before
        assert draft_bodies(demo) == []
        bar = topbar(editor)
        assert "NOT SAVED" in bar
        assert "draft" not in bar or "no draft" in bar  # it must not say a draft was kept
        assert editor.query_one(TextArea).text == "nowhere to put this"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)  # still refuses to leave at once
        await app.action_quit()  # quitting would lose the text: refused once, with a word
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, EditorScreen)
        assert any("Quit again" in n for n in notifications(app))
        faults.on = False
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert bodies(demo) == ["nowhere to put this"]
