"""Messages that never cover what they talk about, words, and keys that say something —
driven through the real app at 80×24, with the toasts on (``notifications=True``)."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from micro_journal.cli import make_app
from micro_journal.config import Config, config_dir, load_config
from micro_journal.domain.clock import FixedClock
from micro_journal.domain.models import Entry
from micro_journal.keymap import KEYSETS, TODAY_KEYS
from micro_journal.screens.checkin_form import CheckInForm
from micro_journal.screens.goal_dialogs import InsightPrompt
from micro_journal.screens.goals import GoalsScreen
from micro_journal.screens.help import HelpScreen
from micro_journal.screens.journal import JournalBrowser
from micro_journal.screens.review import ReviewScreen
from micro_journal.screens.settings import SettingsScreen
from micro_journal.screens.today import TodayScreen
from micro_journal.store import Repository, open_journal
from micro_journal.widgets.timer import PracticeTimer, duration_text
from tests.conftest import until

SIZE = (80, 24)
NEXT_MONDAY = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)  # week 3 of the demo is over
SIGN_UP = "Sign up for the December lightning talk"


def text_of(widget) -> str:
    return str(widget.render())


def notes(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


def toasts(screen) -> list:
    """The toasts shown on ``screen`` (Textual's Toast widgets, found by type name)."""
    return [t for t in screen.query("Toast") if t.parent.display]


def today_key(key_id: str):
    return next(k for k in TODAY_KEYS if k.id == key_id)


# ------------------------------------------------------------------ the toasts rule
async def _complete_first_goal(app, pilot) -> InsightPrompt:
    await pilot.press("5")
    await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
    await pilot.press("space")
    await until(pilot, lambda: isinstance(app.screen, InsightPrompt))
    prompt = app.screen
    await until(pilot, lambda: any("Micro-goal done" in text_of(t) for t in toasts(prompt)))
    return prompt


def _assert_toasts_clear_of(prompt, celebration: str) -> None:
    box = prompt.query_one("#dialog").region
    height = prompt.app.size.height
    shown = toasts(prompt)
    assert shown
    for toast in shown:
        assert not toast.region.overlaps(box), (text_of(toast), toast.region, box)
        assert toast.region.bottom <= height - 1  # the footer's row stays free
    # the celebration is whole: none of it clipped by the toast rack's edges
    [cheer] = [t for t in shown if celebration in text_of(t)]
    where = prompt.find_widget(cheer)
    assert where.clip.contains_region(where.region), (where.clip, where.region)


async def test_the_celebration_fits_below_the_insight_prompt(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        prompt = await _complete_first_goal(app, pilot)
        _assert_toasts_clear_of(prompt, "Micro-goal done")
        # the screen under the prompt is drawn (dimmed), its top bar and footer too
        picture = app.export_screenshot()
        assert "showing" in picture and "Reschedule" in picture
        assert prompt.query_one("#dialog").region.y >= 1  # Goals' top bar stays in view


async def test_the_celebration_and_the_review_notice_both_stay_clear(demo_path):
    app = make_app(demo_path, FixedClock(NEXT_MONDAY), Config())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: any("Press w" in n for n in notes(app)))
        prompt = await _complete_first_goal(app, pilot)
        await until(pilot, lambda: len(toasts(prompt)) == 2)  # both fit under the prompt
        _assert_toasts_clear_of(prompt, "Micro-goal done")


async def test_a_failed_goal_save_is_said_in_the_form_not_under_a_toast(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("5", "n")
        await until(pilot, lambda: app.screen.query_one("#action", Input))
        form = app.screen
        reason = "another micro-journal has it open"  # as a held lock would say
        app.journal.read_only_reason = app.journal.storage.read_only_reason = reason
        await pilot.press(*"Book a room", "enter", "enter", *"fri", "ctrl+s")
        await until(pilot, lambda: "Not saved" in text_of(form.query_one("#save-note")))
        assert app.screen is form  # nothing typed is lost
        assert not toasts(form)


async def test_settings_say_saved_in_their_top_line(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("comma")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        screen = app.screen
        field = screen.query_one("#backup_keep", Input)
        field.focus()
        field.value = "21"
        await pilot.press("ctrl+s")
        top = screen.query_one("#settings-topbar", Static)
        await until(pilot, lambda: "saved and applied" in text_of(top))
        assert app.config.backup_keep == 21
        assert not toasts(screen) and not notes(app)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "showing the saved settings" in text_of(top))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "nothing had changed" in text_of(top))
        assert not toasts(screen)


async def test_a_keys_warning_in_settings_leaves_the_remap_note_readable(demo_path, clock):
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "config.toml").write_text('[keys]\n"today.chek_in" = "c"\n',
                                              encoding="utf-8")
    app = make_app(demo_path, clock, load_config())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: any("today.chek_in" in n for n in notes(app)))
        await pilot.press("comma")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        screen = app.screen
        await until(pilot, lambda: toasts(screen))
        about = screen.query_one("#settings-about")
        assert "Remap keys there under" in text_of(about)
        for toast in toasts(screen):
            assert not toast.region.overlaps(about.region), (toast.region, about.region)


async def test_the_waiting_settings_notice_goes_when_settings_open(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("comma")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        field = app.screen.query_one("#backup_keep", Input)
        field.focus()
        field.value = "lots"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert any("press ," in n for n in notes(app))
        await pilot.press("comma")  # its action, taken
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await until(pilot, lambda: not any("press ," in n for n in notes(app)))
        assert not toasts(app.screen)


async def test_the_review_notice_is_gone_once_the_review_is_saved(demo_path):
    app = make_app(demo_path, FixedClock(NEXT_MONDAY), Config())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: any("Press w" in n for n in notes(app)))
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        assert not any("Press w" in n for n in notes(app))
        assert not any("Press w" in text_of(t) for t in toasts(review))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
        for key in ("1", "3", "4", "5", "1"):
            await pilot.press(key)
            await pilot.pause()
            assert not any("Press w" in n for n in notes(app)), key
            assert not any("Press w" in text_of(t) for t in toasts(app.screen)), key


async def test_a_notice_asking_for_a_check_in_goes_with_the_check_in(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        # what the new-skill form says once a skill is created
        app.notify("Created: Smile. Press space to check in today.", timeout=30)
        await until(pilot, lambda: toasts(app.screen))
        await pilot.press("space")
        await until(pilot, lambda: any("Checked in" in n for n in notes(app)))
        assert not any("Press space" in n for n in notes(app))
        await until(pilot, lambda: not any("Press space" in text_of(t)
                                           for t in toasts(app.screen)))


async def test_times_up_shows_under_the_check_in_form_older_notices_wait(demo_path):
    clock = FixedClock(NEXT_MONDAY)
    app = make_app(demo_path, clock, Config())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: any("Press w" in n for n in notes(app)))
        await pilot.press("p")
        await until(pilot, lambda: app.screen.query_one(PracticeTimer).running)
        clock.advance(hours=1)
        await until(pilot, lambda: isinstance(app.screen, CheckInForm))
        form = app.screen
        await until(pilot, lambda: any("Time's up" in text_of(t) for t in toasts(form)))
        await until(pilot, lambda: len(toasts(form)) == 1)  # no room for the review's too
        _assert_toasts_clear_of(form, "Time's up")
        assert any("Press w" in n for n in notes(app))  # not lost: back on Today it shows
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
        await until(pilot, lambda: any("Press w" in text_of(t) for t in toasts(app.screen)))


# ------------------------------------------------------------------ the timer
async def test_the_timer_shows_running_and_paused_and_stops_with_the_real_time(
    demo_path, make, clock
):
    app = make(demo_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("p")
        timer = app.screen.query_one(PracticeTimer)
        state = timer.query_one("#timer-state", Static)
        await until(pilot, lambda: "p pauses" in text_of(state))
        assert "esc stops" in text_of(state)
        # the long title gives way (…); the state and the time keep their room
        label = timer.query_one("#timer-label", Static)
        assert label.region.right <= state.region.x
        assert state.region.right <= timer.query_one("#timer-time").region.x
        assert timer.query_one("#timer-time").region.right <= SIZE[0]
        assert "Start and end every talk" in text_of(label)
        clock.advance(seconds=45)
        await pilot.press("p")
        await until(pilot, lambda: "paused" in text_of(state))
        assert "p resumes" in text_of(state) and timer.paused
        clock.advance(minutes=3)  # paused: not counted
        await pilot.press("escape")
        await until(pilot, lambda: any("Timer stopped" in n for n in notes(app)))
        said = next(n for n in notes(app) if "Timer stopped" in n)
        assert "after 45 s." in said and "Details" not in said  # no 1-minute check-in
        assert not timer.active


async def test_a_timer_stopped_after_minutes_offers_them_to_details(demo_path, make, clock):
    app = make(demo_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("p")
        await until(pilot, lambda: app.screen.query_one(PracticeTimer).running)
        clock.advance(seconds=200)
        await pilot.press("escape")
        await until(pilot, lambda: any("Timer stopped" in n for n in notes(app)))
        said = next(n for n in notes(app) if "Timer stopped" in n)
        assert "after 3 min 20 s." in said and "Details (enter) checks in 3 min" in said
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CheckInForm))
        assert app.screen.query_one("#minutes", Input).value == "3"
        assert not any("Timer stopped" in n for n in notes(app))  # the offer is taken


def test_durations_read_as_practised():
    assert [duration_text(s) for s in (0, 5, 59.9, 60, 200, 3600, 3900)] == [
        "0 s", "5 s", "59 s", "1 min", "3 min 20 s", "1 h 00 min", "1 h 05 min",
    ]


# ------------------------------------------------------------------ keys that say nothing
async def _help_rows(app, pilot) -> dict[str, object]:
    await pilot.press("question_mark")
    await until(pilot, lambda: isinstance(app.screen, HelpScreen))
    return {text_of(r.query_one(".key-label")).strip(): r for r in app.screen.query(".key-row")}


async def test_d_is_dimmed_and_explained_once_the_journal_has_a_skill(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        rows = await _help_rows(app, pilot)
        demo = rows["d"]
        assert demo.has_class("-off")
        assert "only while your journal has no skill" in text_of(demo.query_one(".key-help"))
        assert not rows["space"].has_class("-off")
        assert "Dimmed" in text_of(app.screen.query_one("#help-note"))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
        # from the palette it says why instead of doing nothing
        command = next(c for c in app.get_system_commands(app.screen)
                       if c.title == today_key("today.open_demo").help)
        await command.callback()
        await until(pilot, lambda: any("Not available right now" in n for n in notes(app)))
        assert not app.demo


async def test_d_is_offered_on_an_empty_journal(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        rows = await _help_rows(app, pilot)
        assert not rows["d"].has_class("-off")


# ------------------------------------------------------------------ words
def _one_entry(path) -> None:
    with open_journal(path, today=lambda: dt.date(2026, 11, 18)) as journal:
        Repository(journal).save(Entry(date="2026-11-18", body="Smiled at the start #talk"))


async def test_one_entry_is_one_entry(empty_path, make):
    _one_entry(empty_path)
    app = make(empty_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, JournalBrowser))
        top = app.screen.query_one("#topbar", Static)
        await until(pilot, lambda: "1 entry" in text_of(top))
        assert "1 entries" not in text_of(top)
        await pilot.press("slash", *"smiled")
        status = app.screen.query_one("#search-status", Static)
        await until(pilot, lambda: "1 entry matches" in text_of(status))


def test_every_footer_name_is_the_name_in_help_and_palette():
    """Help and the palette show ``key.help``: it names the action as the footer does."""
    for scope, keys in KEYSETS.items():
        for key in keys:
            assert key.description.lower() in key.help.lower(), (scope, key.description,
                                                                 key.help)


async def test_details_has_one_name_in_footer_help_and_palette(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        footer = {k.action: k.description for k in app.screen.query(FooterKey)}
        assert footer["details"] == "Details"
        palette = {c.title for c in app.get_system_commands(app.screen)}
        assert any(t.startswith("Details:") for t in palette)
        rows = await _help_rows(app, pilot)
        assert text_of(rows["enter"].query_one(".key-help")).startswith("Details:")


async def test_todays_footer_fits_80_columns_with_the_timer_too(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for step in ("", "p"):
            if step:
                await pilot.press(step)
                await until(pilot, lambda: app.screen.query_one(PracticeTimer).active)
                await pilot.pause()
            keys = list(app.screen.query(FooterKey))
            assert [k.description for k in keys][-1] == "Quit"
            assert max(k.region.right for k in keys) <= SIZE[0]


async def test_withdraw_notices_still_reaches_textuals_notifications(demo_path, make):
    """withdraw_notices uses Textual internals: this fails loudly when they change."""
    app = make(demo_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify("keep me", timeout=30)
        app.notify("take me back", timeout=30)
        await until(pilot, lambda: len(toasts(app.screen)) == 2)
        app.withdraw_notices("take me")
        assert notes(app) == [": keep me"]
        await until(pilot, lambda: len(toasts(app.screen)) == 1)
        assert isinstance(app.screen, TodayScreen)
