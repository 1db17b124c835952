"""Settings, the theme picker and config.toml, driven through the real app."""

from __future__ import annotations

import tomllib

from textual.widgets import Button, Input, Select, Static, TextArea

from micro_journal.cli import make_app
from micro_journal.config import config_dir, load_config
from micro_journal.screens.settings import SettingsScreen
from micro_journal.screens.theme_picker import ThemePicker
from micro_journal.screens.today import TodayScreen
from micro_journal.widgets.week import WeekGrid

from ..conftest import palette_highlights, until
from .conftest import DEMO_DAY, checkins_on, skill_id


def text_of(widget) -> str:
    if isinstance(widget, WeekGrid):  # drawn a line at a time
        return "\n".join(widget.lines)
    return str(widget.render())


def notes(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


def saved() -> dict:
    return tomllib.loads((config_dir() / "config.toml").read_text(encoding="utf-8"))


def write_config(text: str) -> None:
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "config.toml").write_text(text, encoding="utf-8")


async def open_settings(pilot) -> SettingsScreen:
    await pilot.press("comma")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def retype(pilot, field: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#{field}", Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)
    await pilot.pause()


def message(screen, field: str) -> Static:
    return screen.query_one(f"#{field}-msg", Static)


# ------------------------------------------------------------------ the screen
async def test_settings_show_the_values_and_where_the_journal_lives(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        assert screen.query_one("#day_start_hour", Input).value == "0"
        assert screen.query_one("#default_practice_minutes", Input).value == "5"
        assert screen.query_one("#backup_keep", Input).value == "14"
        assert screen.query_one("#week_start", Select).value == "monday"
        assert screen.query_one("#journal_template", TextArea).text == (
            "What did I practise?\nWhat worked?\nWhat will I adjust?"
        )
        assert "micro-dark" in str(screen.query_one("#theme", Button).label)
        about = text_of(screen.query_one("#settings-about"))
        assert str(demo_path) in about or "journal.json" in about
        assert "--db PATH" in about and "MICRO_JOURNAL_DB" in about
        assert "config.toml" in about
        # the number keys still switch screens: the first field is a button
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_a_bad_value_is_explained_beside_the_field_and_kept(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        await retype(pilot, "day_start_hour", "25")
        msg = message(screen, "day_start_hour")
        assert "0 to 23" in text_of(msg) and msg.has_class("-error")
        assert "1 to fix" in text_of(screen.query_one("#settings-topbar"))
        await retype(pilot, "backup_keep", "lots")
        assert "whole number, 1 to 365" in text_of(message(screen, "backup_keep"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        # nothing written, nothing typed lost, the first bad field has the focus
        assert not (config_dir() / "config.toml").exists()
        assert screen.query_one("#day_start_hour", Input).value == "25"
        assert screen.query_one("#backup_keep", Input).value == "lots"
        assert app.focused is screen.query_one("#day_start_hour")
        # said in the top line: a toast would sit over the bottom of the screen
        assert "not saved: 2 to fix" in text_of(screen.query_one("#settings-topbar"))
        await retype(pilot, "day_start_hour", "4")
        assert not message(screen, "day_start_hour").has_class("-error")
        assert "whole number" in text_of(message(screen, "backup_keep"))


async def test_settings_round_trip_through_config_toml(demo_path, make, clock):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        await retype(pilot, "day_start_hour", "3")
        await retype(pilot, "default_practice_minutes", "8")
        await retype(pilot, "backup_keep", "30")
        screen.query_one("#week_start", Select).value = "sunday"
        area = screen.query_one("#journal_template", TextArea)
        area.text = "Practised:\nLearned:"
        await pilot.pause()
        assert "unsaved" in text_of(screen.query_one("#settings-topbar"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "saved" in text_of(screen.query_one("#settings-topbar"))
        expected = {
            "theme": "micro-dark", "week_start": "sunday", "day_start_hour": 3,
            "default_practice_minutes": 8, "backup_keep": 30,
            "journal_template": "Practised:\nLearned:",
        }
        assert {k: saved()[k] for k in expected} == expected
        # applied at once
        assert app.config.settings() == expected
        assert app.clock.day_start_hour == 3
        assert app.config.first_weekday == 6
        assert app.journal.backups_keep == 30
    # and read back the same by the next start
    again = load_config()
    assert again.problems == [] and again.settings() == expected


async def test_day_start_hour_and_week_start_apply_to_today_live(demo_path, make):
    app = make(demo_path)  # the clock reads 09:30 on Wednesday 18 November
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Wednesday 18 November" in text_of(app.screen.query_one("#topbar"))
        week = text_of(app.screen.query_one("#week"))
        assert week.split("\n")[0].split()[0] == "Mon"
        await open_settings(pilot)
        await retype(pilot, "day_start_hour", "10")  # 09:30 is still "yesterday"
        app.screen.query_one("#week_start", Select).value = "sunday"
        await pilot.press("ctrl+s", "escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert "Tuesday 17 November" in text_of(app.screen.query_one("#topbar"))
        week = text_of(app.screen.query_one("#week"))
        assert week.split("\n")[0].split()[0] == "Sun"


async def test_new_skill_form_uses_the_default_practice_minutes(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot)
        await retype(pilot, "default_practice_minutes", "7")
        await pilot.press("ctrl+s", "escape", "n")
        await pilot.pause()
        assert app.screen.query_one("#minutes", Input).value == "7"


async def test_revert_shows_the_saved_values_again(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        await retype(pilot, "backup_keep", "99")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.query_one("#backup_keep", Input).value == "14"
        assert "saved" in text_of(screen.query_one("#settings-topbar"))


async def test_leaving_saves_valid_changes(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await retype(pilot, "backup_keep", "21")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert saved()["backup_keep"] == 21 and app.config.backup_keep == 21


async def test_leaving_with_a_bad_value_keeps_it_for_later(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await retype(pilot, "default_practice_minutes", "5000")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert any("needs fixing" in n for n in notes(app))
        assert not (config_dir() / "config.toml").exists()
        screen = await open_settings(pilot)
        assert screen.query_one("#default_practice_minutes", Input).value == "5000"
        assert message(screen, "default_practice_minutes").has_class("-error")


async def test_switching_away_with_the_palette_saves_too(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await retype(pilot, "backup_keep", "22")
        await app.run_action("goto('today')")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert saved()["backup_keep"] == 22


async def test_a_config_that_cannot_be_written_is_reported_and_typing_kept(demo_path, make):
    config_dir().parent.mkdir(parents=True, exist_ok=True)
    config_dir().write_text("a file where the config folder should be")
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        await retype(pilot, "backup_keep", "40")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("Settings not saved" in n for n in notes(app))
        assert screen.query_one("#backup_keep", Input).value == "40"
        assert app.config.backup_keep == 14


async def test_keys_table_survives_saving_settings(demo_path, clock):
    write_config('backup_keep = 3\n\n[keys]\n"today.check_in" = "c"\n')
    app = make_app(demo_path, clock, load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await retype(pilot, "backup_keep", "4")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert saved()["keys"] == {"today.check_in": "c"}
    assert saved()["backup_keep"] == 4


# ------------------------------------------------------------------ theme picker
async def test_theme_picker_previews_restores_on_escape_and_keeps_on_enter(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        await pilot.press("enter")  # on the theme button
        await pilot.pause()
        assert isinstance(app.screen, ThemePicker)
        assert app.theme == "micro-dark"
        await pilot.press("down")
        await pilot.pause()
        previewed = app.theme
        assert previewed != "micro-dark"  # moving applies the theme at once
        await pilot.press("j")
        await pilot.pause()
        assert app.theme not in (previewed, "micro-dark")
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == "micro-dark"  # the previous theme is back
        assert not (config_dir() / "config.toml").exists()

        await pilot.press("ctrl+t", "down")
        await pilot.pause()
        chosen = app.theme
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert app.theme == chosen == app.config.theme
        assert saved()["theme"] == chosen  # persisted
        assert chosen in str(screen.query_one("#theme", Button).label)
    assert load_config().theme == chosen


async def test_theme_picker_lists_ours_first_and_user_themes(demo_path, make):
    themes = config_dir() / "themes"
    themes.mkdir(parents=True)
    (themes / "sunset.toml").write_text(
        'description = "Mine"\nprimary = "#FF7744"\nbackground = "#201010"\n'
    )
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_change_theme()
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ThemePicker)
        options = picker.query_one("#theme-list")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        ids = [i for i in ids if i]
        assert ids[:4] == [
            "micro-dark", "micro-colour-safe", "micro-high-contrast", "micro-light",
        ]
        assert ids[4] == "sunset"
        assert "textual-dark" in ids and "textual-ansi" not in ids
        options.highlighted = options.get_option_index("sunset")
        await pilot.pause()
        assert app.theme == "sunset"
        assert str(themes / "sunset.toml") in text_of(picker.query_one("#theme-about"))


async def test_theme_picker_is_in_the_command_palette(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"change theme")
        await until(pilot, palette_highlights(app, "change theme"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ThemePicker))
        assert isinstance(app.screen, ThemePicker)


async def test_the_saved_theme_is_used_at_start(demo_path, clock):
    write_config('theme = "micro-high-contrast"\n')
    app = make_app(demo_path, clock, load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "micro-high-contrast"
        assert app.get_css_variables()["done"] == "#6CF5A8"


# ------------------------------------------------------------------ broken files
async def test_a_broken_user_theme_is_named_and_skipped(demo_path, make):
    themes = config_dir() / "themes"
    themes.mkdir(parents=True)
    (themes / "broken.toml").write_text('primary = "#12345"\n[variables]\ndone = "nope"\n')
    (themes / "half.toml").write_text('name = "half"\nprimary = "#123456\n')
    (themes / "fine.toml").write_text('primary = "#336699"\n')
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        said = "\n".join(notes(app))
        assert str(themes / "broken.toml") in said and str(themes / "half.toml") in said
        assert "fine" in app.available_themes
        assert "broken" not in app.available_themes and "half" not in app.available_themes
        await pilot.press("space")  # and the app works
        await pilot.pause()
    assert checkins_on(demo_path, DEMO_DAY, skill_id(demo_path, "confident smile"))


async def test_hand_edited_bad_values_start_with_defaults_and_name_the_keys(demo_path, clock):
    write_config(
        "day_start_hour = 31\n"
        "week_start = 'someday'\n"
        "default_practice_minutes = 'ten'\n"
        "backup_keep = 0\n"
        "theme = 'no-such-theme'\n"
        "journal_template = 42\n"
        "colour = 'blue'\n"
        "[keys]\n"
        "'today.nope' = 'z'\n"
    )
    app = make_app(demo_path, None, load_config())
    app.clock = clock  # the config is real; the date is pinned for the test
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        said = "\n".join(notes(app))
        for key in ("day_start_hour", "week_start", "default_practice_minutes",
                    "backup_keep", "journal_template", "'colour'", "theme", "today.nope"):
            assert key in said, key
        assert app.theme == "micro-dark"
        assert app.config.day_start_hour == 0 and app.config.week_start == "monday"
        assert app.config.default_practice_minutes == 5 and app.config.backup_keep == 14
        screen = await open_settings(pilot)
        assert screen.query_one("#day_start_hour", Input).value == "0"


async def test_config_that_is_not_toml_starts_with_defaults(demo_path, clock):
    write_config("theme = [[[\n")
    app = make_app(demo_path, clock, load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert any("not valid TOML" in n for n in notes(app))
        assert app.theme == "micro-dark"
