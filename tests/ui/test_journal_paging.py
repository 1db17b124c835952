"""The Journal lists a screenful of a long journal and grows as you move: End, Home, page
keys and scrolling reach every entry, counts are the whole journal's, and search as you
type always ends on the results of the last key (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, OptionList

from micro_journal.domain.models import Entry
from micro_journal.screens import journal as journal_screen
from micro_journal.screens.journal import EntryReader, JournalBrowser
from micro_journal.store import Repository, open_journal

from ..conftest import until
from .conftest import DEMO_DAY

DAYS = 1500  # about four years of daily entries


def long_journal(path, days: int = DAYS) -> list[dict]:
    """One entry a day for ``days`` days up to the demo day; newest first as listed.

    Every other entry says "zebra", every fourth "zebrafish", every twelfth "zebrafinch",
    so each letter typed of those words changes what matches.
    """
    made = []
    with open_journal(path, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        with repo.batch():
            for n in range(days):
                day = DEMO_DAY - dt.timedelta(days=n)
                words = ["zebra"] if n % 2 == 0 else []
                if n % 4 == 0:
                    words.append("zebrafish")
                if n % 12 == 0:
                    words.append("zebrafinch")
                body = f"Day {n} of practice. {' '.join(words)}".strip()
                made.append(repo.save(Entry(date=day.isoformat(), body=body)))
    return [{"id": e.id, "date": e.date, "body": e.body} for e in made]


@pytest.fixture
def long_path(tmp_path):
    path = tmp_path / "long" / "journal.json"
    return path, long_journal(path)


def listed_ids(browser: JournalBrowser) -> list[str]:
    options = browser.query_one(OptionList)
    return [o.id for i in range(options.option_count)
            if (o := options.get_option_at_index(i)).id]


def text_of(widget) -> str:
    return str(widget.render())


async def open_journal_screen(pilot) -> JournalBrowser:
    await pilot.press("2")
    await until(pilot, lambda: isinstance(pilot.app.screen, JournalBrowser)
                and listed_ids(pilot.app.screen))
    return pilot.app.screen


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_screenful_is_listed_and_end_reaches_the_oldest(long_path, make, size):
    path, made = long_path
    app = make(path)
    async with app.run_test(size=size) as pilot:
        browser = await open_journal_screen(pilot)
        options = browser.query_one(OptionList)
        listed = listed_ids(browser)
        # a screenful and a margin: the list is full, and far from the whole journal
        assert options.size.height <= len(listed) <= options.size.height + 20
        assert listed == [e["id"] for e in made[: len(listed)]]  # newest first
        assert f"{DAYS} entries" in text_of(browser.query_one("#topbar"))
        await pilot.press("end")
        await until(pilot, lambda: browser.highlighted_entry().id == made[-1]["id"])
        assert len(listed_ids(browser)) < 100
        # the oldest entry is on the screen, at the bottom of the list
        assert options.is_vertical_scroll_end
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EntryReader))
        assert app.screen.entry.id == made[-1]["id"]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is browser)
        # up from the oldest: the entries before it are added above, in order
        await pilot.press(*["k"] * 60)
        await until(pilot, lambda: browser.highlighted_entry().id == made[-61]["id"])
        ids = listed_ids(browser)
        assert ids == [e["id"] for e in made[len(made) - len(ids):]]
        # scrolled to the top of what is listed: the entries above are added there, and
        # the view stays on the entries it showed (it does not jump to the new ones)
        options.scroll_home(animate=False, immediate=True)
        await until(pilot, lambda: len(listed_ids(browser)) > len(ids))
        assert options.scroll_y > 0
        assert browser.highlighted_entry().id == made[-61]["id"]
        ids = listed_ids(browser)
        assert ids == [e["id"] for e in made[len(made) - len(ids):]]
        await pilot.press("home")
        await until(pilot, lambda: browser.highlighted_entry().id == made[0]["id"])
        assert options.scroll_y == 0
        assert f"{DAYS} entries" in text_of(browser.query_one("#topbar"))


async def test_moving_down_adds_entries_and_opens_the_one_highlighted(long_path, make):
    path, made = long_path
    app = make(path)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_journal_screen(pilot)
        first_page = len(listed_ids(browser))
        await pilot.press(*["j"] * 75, "pagedown", "pagedown", "down")
        options = browser.query_one(OptionList)
        height = options.size.height
        below = {e["id"] for e in made[76:76 + 2 * height]}
        await until(pilot, lambda: browser.highlighted_entry() is not None
                    and browser.highlighted_entry().id in below)
        at = next(i for i, e in enumerate(made) if e["id"] == browser.highlighted_entry().id)
        assert at > first_page
        ids = listed_ids(browser)
        assert ids == [e["id"] for e in made[: len(ids)]]  # one run of entries, no gap
        assert len(ids) < at + 2 * height + 40  # built as far as the highlight, and a page
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EntryReader))
        assert app.screen.entry.id == made[at]["id"]
        assert app.screen.entry.date == made[at]["date"]


async def test_page_down_walks_to_the_last_entry(tmp_path, make):
    path = tmp_path / "j" / "journal.json"
    made = long_journal(path, days=300)
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        browser = await open_journal_screen(pilot)
        for _ in range(300):
            if browser.highlighted_entry().id == made[-1]["id"]:
                break
            await pilot.press("pagedown")
            await pilot.pause()
        assert browser.highlighted_entry().id == made[-1]["id"]
        assert listed_ids(browser) == [e["id"] for e in made]


async def test_scrolling_to_the_bottom_adds_the_next_entries(long_path, make):
    path, made = long_path
    app = make(path)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_journal_screen(pilot)
        options = browser.query_one(OptionList)
        highlighted = browser.highlighted_entry().id
        for _ in range(3):
            before = len(listed_ids(browser))
            options.scroll_end(animate=False, immediate=True)  # as the mouse wheel would
            await until(pilot, lambda before=before: len(listed_ids(browser)) > before)
        ids = listed_ids(browser)
        assert ids == [e["id"] for e in made[: len(ids)]]
        assert browser.highlighted_entry().id == highlighted  # scrolling moves no highlight


async def test_returning_with_nothing_changed_rebuilds_nothing(long_path, make):
    path, made = long_path
    app = make(path)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_journal_screen(pilot)
        options = browser.query_one(OptionList)
        await pilot.press("j", "j")
        await pilot.pause()
        before = list(options.options)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert all(a is b for a, b in zip(options.options, before, strict=True))
        assert browser.highlighted_entry().id == made[2]["id"]


def status(browser) -> str:
    return text_of(browser.query_one("#search-status"))


@pytest.mark.parametrize("scans", ["fast", "slow"])
async def test_typing_quickly_ends_on_the_last_query(long_path, make, monkeypatch, scans):
    if scans == "slow":  # every scan counts as slow: the short pause in typing is waited for
        monkeypatch.setattr(journal_screen, "FAST_SCAN", 0.0)
    path, made = long_path
    app = make(path)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_journal_screen(pilot)
        await pilot.press("slash", *"zebrafi")  # typed without waiting for the list
        expected = [e["id"] for e in made if "zebrafi" in e["body"]]
        assert len(expected) == DAYS // 4
        await until(pilot, lambda: f"{len(expected)} entries match" in status(browser))
        ids = listed_ids(browser)
        assert ids == expected[: len(ids)] and 0 < len(ids) < 60
        await pilot.press("n")  # one more letter: "zebrafin" (the finches)
        finches = [e["id"] for e in made if "zebrafin" in e["body"]]
        await until(pilot, lambda: f"{len(finches)} entries match" in status(browser))
        await pilot.pause(journal_screen.DEBOUNCE * 2)  # nothing older lands afterwards
        assert f"{len(finches)} entries match" in status(browser)
        ids = listed_ids(browser)
        assert ids == finches[: len(ids)]
        assert browser.highlighted_entry().id == finches[0]
        # the results grow on scroll like the journal, and End reaches the oldest match
        await pilot.press("enter", "end")
        await until(pilot, lambda: browser.highlighted_entry().id == finches[-1])
        assert f"{len(finches)} entries match" in status(browser)
        assert f"{DAYS} entries" in text_of(browser.query_one("#topbar"))


async def test_backspace_to_an_earlier_query_shows_its_results(long_path, make):
    path, made = long_path
    app = make(path)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_journal_screen(pilot)
        await pilot.press("slash", *"zebrafinch", *["backspace"] * 5)
        zebras = [e["id"] for e in made if "zebra" in e["body"]]
        await until(pilot, lambda: f"{len(zebras)} entries match" in status(browser))
        assert browser.query_one("#search", Input).value == "zebra"
        ids = listed_ids(browser)
        assert ids == zebras[: len(ids)]
        await pilot.press("escape")
        await until(pilot, lambda: listed_ids(browser)[:1] == [made[0]["id"]])
        assert not browser.query_one("#search-status").display
