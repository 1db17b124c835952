"""Snapshots of the Journal browser, search, reader and editor (demo journal, fixed date)."""

from __future__ import annotations

import pytest

from ..conftest import until

SIZES = [(80, 24), (120, 40)]
ids = lambda s: f"{s[0]}x{s[1]}"  # noqa: E731


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_journal_browser(snap_compare, demo_path, make, size):
    assert snap_compare(make(demo_path), press=["2"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_journal_search(snap_compare, demo_path, make, size):
    async def search(pilot):
        await pilot.press("2", "slash", *"smile")
        # the search has run (it waits for typing to pause)
        await until(pilot, lambda: "esc clears" in str(
            pilot.app.screen.query_one("#search-status").render()))

    assert snap_compare(make(demo_path), run_before=search, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_journal_editor(snap_compare, demo_path, make, size):
    async def type_entry(pilot):
        await pilot.press("2", "e")
        await pilot.press(*"Smiled before my first sentence. #speaking")
        await pilot.press("ctrl+s")
        await pilot.pause()

    app = make(demo_path)
    assert snap_compare(app, run_before=type_entry, terminal_size=size)


def test_journal_reader(snap_compare, demo_path, make):
    assert snap_compare(make(demo_path), press=["2", "enter"], terminal_size=(80, 24))


def test_journal_empty(snap_compare, empty_path, make):
    assert snap_compare(make(empty_path), press=["2"], terminal_size=(80, 24))
