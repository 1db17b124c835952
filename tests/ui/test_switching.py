"""Coming back to a screen already open shows the journal as it is now.

Screens are built on their first visit and redrawn on a return only when what they are
drawn from changed (the journal, the day, the settings, the theme, the file, the size).
Each test here opens every screen, changes something somewhere else, comes back to each
screen and compares it, as a picture, with a freshly started app showing the same state.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.models import Entry
from micro_journal.keymap import SCREENS
from micro_journal.store import open_journal
from micro_journal.widgets.plan_grid import WeekBlock

from .conftest import DEMO_DAY

# the journal's screens; Settings shows config.toml, not the journal
KEYS = [s.key for s in SCREENS if s.name != "settings"]
NEXT_DAY = dt.datetime(2026, 11, 19, 9, 30, tzinfo=dt.UTC)


async def visit_all(pilot) -> None:
    """Open every screen, ending on Settings: each journal screen is then shown again."""
    for key in [*KEYS[1:], KEYS[0], ","]:
        await pilot.press(key)
        await pilot.pause()


async def picture(app, pilot, key: str) -> str:
    """The screen of ``key`` as an SVG, without the passing notifications."""
    await pilot.press(key)
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()
    return app.export_screenshot()


async def pictures(app, pilot) -> dict[str, str]:
    return {key: await picture(app, pilot, key) for key in KEYS}


async def fresh_pictures(app, size=(120, 40)) -> dict[str, str]:
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        return await pictures(app, pilot)


def assert_same(shown: dict[str, str], fresh: dict[str, str]) -> None:
    names = {s.key: s.name for s in SCREENS}
    stale = [names[key] for key in fresh if shown[key] != fresh[key]]
    assert not stale, f"screens not showing the journal as it is now: {stale}"


async def test_a_check_in_and_a_completed_goal_show_on_every_screen_already_open(
    demo_path, make
):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await visit_all(pilot)
        await pilot.press("3")
        await pilot.pause()
        week_before = str(app.screen.query(WeekBlock)[2].render())
        await pilot.press("1", "space")  # the focus skill, done
        await pilot.pause()
        await pilot.press("g")  # the goal due, done; its insight is asked next
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert str(app.screen.query(WeekBlock)[2].render()) != week_before
        shown = await pictures(app, pilot)
    assert_same(shown, await fresh_pictures(make(demo_path)))


@pytest.mark.parametrize("told", [True, False], ids=["check_day", "clock only"])
async def test_a_new_day_shows_on_every_screen_already_open(demo_path, make, clock, told):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await visit_all(pilot)
        clock.set(NEXT_DAY)
        if told:
            app.check_day()  # redraws the screen shown; the others when shown again
        await pilot.pause()
        shown = await pictures(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        assert "Thursday 19 November 2026" in str(app.screen.query_one("#topbar").render())
    assert_same(shown, await fresh_pictures(make(demo_path)))


@pytest.mark.parametrize(
    "settings", [{"week_start": "sunday"}, {"theme": "textual-light"}], ids=["week", "theme"]
)
async def test_settings_saved_show_on_every_screen_already_open(demo_path, clock, settings):
    app = make_app(demo_path, clock, Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await visit_all(pilot)
        await pilot.press("1")
        await pilot.pause()
        # as the theme picker saves (ctrl+t); Settings itself saves what its form holds
        assert app.save_settings(**settings)
        await pilot.pause()
        shown = await pictures(app, pilot)
    assert_same(shown, await fresh_pictures(make_app(demo_path, clock, Config(**settings))))


async def test_the_demo_journal_shows_on_every_screen_already_open(empty_path, clock, tmp_path):
    app = make_app(empty_path, clock, Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await visit_all(pilot)
        await pilot.press("1", "d")  # Today's first-run offer: open the demo journal
        await pilot.pause()
        assert app.demo
        shown = await pictures(app, pilot)
        # the demo's temporary folder goes when the app quits: keep a copy to compare with
        kept = Path(shutil.copytree(app.db_path.parent, tmp_path / "demo")) / "journal.json"
    assert_same(shown, await fresh_pictures(make_app(kept, clock, Config(), demo=True)))


async def test_an_entry_saved_on_another_screen_is_listed_in_the_journal(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await visit_all(pilot)
        # saved while Today is shown, as an import from the command palette would
        app.repo.save(Entry(date=DEMO_DAY.isoformat(), body="Written somewhere else"))
        await pilot.press("2")
        await pilot.pause()
        entries = app.screen.query_one("#entries")
        prompts = [str(entries.get_option_at_index(i).prompt)
                   for i in range(entries.option_count)]
        assert any("Written somewhere else" in p for p in prompts)


async def test_a_read_only_journal_shows_the_same_on_every_return(demo_path, make):
    with open_journal(demo_path, today=lambda: DEMO_DAY):  # another instance holds the lock
        app = make(demo_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await visit_all(pilot)
            await pilot.press("1", "space")  # refused: nothing changes
            await pilot.pause()
            shown = await pictures(app, pilot)
        assert_same(shown, await fresh_pictures(make(demo_path)))


async def test_a_screen_shown_again_after_a_resize_fits_the_new_size(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await visit_all(pilot)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        shown = await pictures(app, pilot)
    assert_same(shown, await fresh_pictures(make(demo_path), size=(100, 30)))


async def test_the_footer_follows_which_keys_can_be_used(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()

        def footer() -> set[str]:
            return {k.action for k in app.screen.query(FooterKey)}

        assert "archive" in footer() and "restore" not in footer()
        await pilot.press("1", "2")  # away and back: the same keys
        await pilot.pause()
        assert "archive" in footer() and "restore" not in footer()
        await pilot.press("A")  # archived entries: restore, not archive
        await pilot.pause()
        assert "restore" in footer() and "archive" not in footer()


async def test_the_calendar_starts_on_the_apps_today_not_the_machines(empty_path, make, clock):
    """The app's day comes from its clock (a pinned date, a day starting at 4 am); the
    calendar of an empty journal must put its cursor there, not on the machine's date."""
    from micro_journal.widgets.calendar import MonthCalendar

    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        calendar = app.screen.query_one(MonthCalendar)
        assert calendar.cursor == clock.today() == calendar.today


def frame_text(update) -> str | None:
    """The text of a whole-screen frame Textual hands its driver (None: a partial one)."""
    from textual._compositor import LayoutUpdate

    if not isinstance(update, LayoutUpdate):
        return None
    return "\n".join("".join(strip.text for strip in line) for line in update.strips)


THUMBS = set("▁▂▃▄▅▆▇█")


def late_thumbs_only(first: str, settled: str) -> bool:
    """The two rows differ only where a scroll bar's thumb came a frame later (a blank
    cell first, a thumb's block after)."""
    return len(first) == len(settled) and all(
        a == b or (a == " " and b in THUMBS) for a, b in zip(first, settled, strict=True))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_a_screen_s_first_visit_paints_it_whole_at_once(demo_path, make, size):
    """No screen is shown half-built: the first frame of a first visit already shows what
    the screen settles on, laid out as it stays (Textual's 50 ms hold on a switch is not
    used to hide one). The footer's keys and a scroll bar's thumb come a frame later, as
    in Textual. The frames are those handed to the terminal driver (``App._display``,
    which every frame goes through)."""
    app = make(demo_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        frames: list[str] = []
        display = app._display

        def recorded(screen, update) -> None:
            text = None if update is None or app._batch_count else frame_text(update)
            if text is not None:
                frames.append(text)
            display(screen, update)

        app._display = recorded
        half_built = {}
        for screen in [s for s in SCREENS if s.name != "today"]:
            app.clear_notifications()
            await pilot.pause()
            frames.clear()
            await pilot.press(screen.key)
            await pilot.pause(0.2)
            await pilot.pause()
            app.clear_notifications()
            await pilot.pause()
            settled = [strip.text for strip in app.screen._compositor.render_strips()]
            assert frames, f"{screen.name}: no frame painted"
            first = frames[0].splitlines()
            assert len(first) == len(settled) == size[1]
            # the last row is the footer's
            differ = [(a, b) for a, b in zip(first[:-1], settled[:-1], strict=True)
                      if not late_thumbs_only(a, b)]
            if differ:
                half_built[screen.name] = differ
        assert not half_built, "\n".join(
            f"{name}:\n" + "\n".join(f"  first  |{a}|\n  settled|{b}|" for a, b in rows)
            for name, rows in half_built.items())
