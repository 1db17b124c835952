"""5 and 6: a damaged journal at start, through the app and through the CLI.

Each kind of damage: the message names the file, the original is kept byte for byte as
``journal.json.corrupt-<timestamp>``, the newest good backup is offered, and nothing is
overwritten (no new journal appears, no backup changes) until the user chooses.
A 0-byte journal with backups is one of these damages, not an empty journal.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re

import pytest

from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.clock import FixedClock
from micro_journal.screens.recovery import RecoveryScreen
from micro_journal.store import migrations

from .conftest import DEMO_DAY

STAMP = re.compile(r"\.corrupt-\d{8}T\d{6}Z(-\d+)?$")


def damages(good: bytes) -> dict[str, bytes]:
    rng = random.Random(7)
    return {
        "truncated": good[: len(good) // 2],
        "trailing-garbage": good + b"\x00\x00garbage}",
        "zero-bytes": b"",
        "random-bytes": bytes(rng.randrange(256) for _ in range(4096)),
        "bom": b"\xef\xbb\xbf" + good,
        "json-list": b"[1, 2, 3]",
        "json-wrong-tables": json.dumps({"entries": [{"body": "x"}]}).encode(),
    }


KINDS = list(damages(b"{}"))


@pytest.fixture
def damaged(demo, request):
    """The demo journal with two good backups (and a broken one), then damaged."""
    good = demo.read_bytes()
    folder = demo.parent / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    older = json.loads(good)
    older["entries"] = {}
    (folder / "journal-2026-11-10.json").write_bytes(json.dumps(older).encode())
    newest = folder / "journal-2026-11-17.json"
    newest.write_bytes(good)
    (folder / "journal-2026-11-18.json").write_bytes(b"{half")  # a torn backup: skipped
    for p in folder.iterdir():
        p.chmod(0o600)
    bad = damages(good)[request.param]
    demo.write_bytes(bad)
    return demo, bad, newest


def state(path):
    folder = path.parent / "backups"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def set_aside(path):
    return [p for p in path.parent.iterdir() if STAMP.search(p.name)]


@pytest.mark.parametrize("damaged", KINDS, indirect=True)
async def test_the_app_sets_it_aside_and_offers_the_newest_good_backup(damaged):
    path, bad, newest = damaged
    backups = state(path)
    app = make_app(path, FixedClock(dt.date.fromisoformat(DEMO_DAY)), Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        shown = " ".join(shown.split())
        [kept] = set_aside(path)
        assert str(path) in shown  # names the file
        assert kept.name in shown  # says where the original is
        assert newest.name in shown and "restore" in shown  # offers the newest good backup
        assert kept.read_bytes() == bad  # the original, byte for byte
        assert not path.exists()  # nothing written in its place …
        assert state(path) == backups  # … and no backup touched
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, RecoveryScreen)
    assert path.read_bytes() == newest.read_bytes()
    assert kept.read_bytes() == bad


@pytest.mark.parametrize("command", ["today", "checkin"])
@pytest.mark.parametrize("damaged", KINDS, indirect=True)
def test_the_cli_says_so_in_one_line_and_overwrites_nothing(damaged, box, command):
    path, bad, newest = damaged
    backups = state(path)
    args = ["today"] if command == "today" else ["checkin", "eye contact"]
    result = box.run(*args, db=path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    [kept] = set_aside(path)
    assert str(path) in result.stderr and str(kept) in result.stderr
    assert str(newest) in result.stderr
    assert kept.read_bytes() == bad
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    assert not path.exists() and state(path) == backups
    again = box.run("checkin", "eye contact", db=path)  # never starts silently empty
    assert again.returncode == 1 and "no journal" in again.stderr
    assert str(newest) in again.stderr
    assert not path.exists() and state(path) == backups


def test_corrupt_start_figure(figures):
    figures.add(f"corrupt start: {len(KINDS)} kinds of damage ({', '.join(KINDS)}) through "
                "the app and the CLI: named, kept byte-identical as .corrupt-<ts>, newest good "
                "backup offered (a torn newer backup skipped), nothing overwritten")


async def test_a_journal_from_a_newer_app_opens_read_only_with_a_banner(demo):
    data = json.loads(demo.read_bytes())
    migrations.set_version(data, 7)
    demo.write_bytes(json.dumps(data).encode())
    before = demo.read_bytes()
    app = make_app(demo, FixedClock(dt.date.fromisoformat(DEMO_DAY)), Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        banner = str(app.screen.query_one("#banner").render())
        assert "READ-ONLY" in banner and "newer micro-journal (schema 7" in banner
        await pilot.press("space")  # a check-in is refused, not written
        await pilot.pause()
    assert demo.read_bytes() == before
