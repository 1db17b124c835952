"""Snapshots of Today and its dialogs: demo journal, fixed date, 80×24 and 120×40.

Update after an intended layout change with ``pytest tests/snapshots --snapshot-update``
and look at every changed SVG before committing it.
"""

from __future__ import annotations

import pytest

from ..conftest import until

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_today_demo(snap_compare, demo_path, make, size):
    assert snap_compare(make(demo_path), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_today_after_checkin_and_moving_down(snap_compare, demo_path, make, size):
    assert snap_compare(make(demo_path), press=["space", "j", "j"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_run_welcome(snap_compare, empty_path, make, size):
    assert snap_compare(make(empty_path), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_checkin_form(snap_compare, demo_path, make, size):
    assert snap_compare(make(demo_path), press=["enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_new_skill_form(snap_compare, empty_path, make, size):
    assert snap_compare(make(empty_path), press=["n"], terminal_size=size)


def test_help_screen(snap_compare, demo_path, make):
    assert snap_compare(make(demo_path), press=["question_mark"], terminal_size=(80, 24))


def test_practice_timer_running(snap_compare, demo_path, make, clock):
    async def run(pilot):
        await pilot.press("p")
        clock.advance(minutes=2, seconds=15)
        # the timer's next tick (every 0.25 s) shows the time the clock says is left
        await until(pilot, lambda: "02:45 left" in str(
            pilot.app.screen.query_one("#timer-time").render()))

    assert snap_compare(make(demo_path), run_before=run, terminal_size=(80, 24))
