"""Keys as data: stable ids, remapping from config.toml, help and palette list them all."""

from __future__ import annotations

import importlib

import pytest

from micro_journal.cli import make_app
from micro_journal.config import config_dir, load_config
from micro_journal.keymap import (
    GLOBAL_KEYS,
    KEYSETS,
    SCREENS,
    TODAY_KEYS,
    all_keys,
    clashes,
    key_label,
    key_problem,
    resolve_keymap,
)
from micro_journal.screens.help import HelpScreen
from micro_journal.screens.settings import SettingsScreen
from micro_journal.screens.today import TodayScreen

from ..conftest import palette_highlights, until
from .conftest import DEMO_DAY, checkins_on, skill_id


def text_of(widget) -> str:
    return str(widget.render())


def notes(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


def app_with_keys(path, clock, keys_toml: str):
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "config.toml").write_text(keys_toml, encoding="utf-8")
    return make_app(path, clock, load_config())


def smile(path):
    return checkins_on(path, DEMO_DAY, skill_id(path, "confident smile"))


# ------------------------------------------------------------------ the data
def test_every_key_has_a_unique_stable_id():
    ids = [k.id for keys in KEYSETS.values() for k in keys]
    assert all(ids), "wrap every key list in keyset('scope', [...])"
    assert len(ids) == len(set(ids))
    for scope, keys in KEYSETS.items():
        assert all(k.id.startswith(f"{scope}.") for k in keys), scope
    # these are in users' config files: renaming one breaks their remaps
    assert {
        "app.goto_today", "app.goto_settings", "app.help", "app.palette", "app.quit",
        "today.check_in", "today.skip", "today.details", "today.undo", "today.timer",
        "today.stop_timer", "today.down", "today.up", "today.new_skill", "today.open_demo",
        "settings.save", "settings.pick_theme", "settings.revert", "settings.leave",
    } <= set(ids)


def test_every_screen_uses_registered_keys():
    for info in SCREENS:
        module, _, name = info.target.partition(":")
        cls = getattr(importlib.import_module(module), name)
        keys = getattr(cls, "KEYS", [])
        assert keys, f"{name} has no KEYS"
        assert all(k.id in all_keys() for k in keys), name
        assert {b.id for b in cls.BINDINGS} >= {k.id for k in keys}, name


def test_the_defaults_do_not_clash_except_on_purpose():
    by_design = {("q", ("reader.close", "app.quit"))}
    assert {(key, tuple(ids)) for key, ids in clashes({})} <= by_design


def test_settings_has_a_key_that_is_not_a_screen_number():
    settings = next(s for s in SCREENS if s.name == "settings")
    assert settings.key not in {"1", "2", "3", "4", "5"}
    assert key_label(settings.key) == ","


@pytest.mark.parametrize(("keys", "label"), [
    ("question_mark", "?"), ("?", "?"), ("down,j", "↓ / j"), ("ctrl+s", "ctrl+s"),
    ("comma", ","), ("escape", "esc"), ("f1", "f1"), ("slash", "/"),
])
def test_key_labels(keys, label):
    assert key_label(keys) == label


@pytest.mark.parametrize(("key", "ok"), [
    ("c", True), ("C", True), ("?", True), ("ctrl+s", True), ("f5", True), ("space", True),
    ("comma", True), ("question_mark", True), ("alt+shift+x", True), ("pagedown", True),
    ("ctrl-s", False), ("control+s", False), ("", False), ("banana", False),
    ("ctrl+c", False), ("tab", False),
])
def test_key_names_are_checked(key, ok):
    assert (key_problem(key) is None) is ok


def test_resolve_accepts_both_toml_spellings_and_reports_the_rest():
    keymap, problems = resolve_keymap({
        "today.check_in": "c",
        "app": {"help": "F1"},
        "today.chek_in": "x",
        "today.undo": "ctrl-z",
        "today.skip": 5,
    })
    assert keymap == {"today.check_in": "c", "app.help": "f1"}
    said = "\n".join(problems)
    assert "'today.chek_in' is not an action (did you mean 'today.check_in'?)" in said
    assert "today.undo" in said and "ctrl-z" in said
    assert "today.skip = 5" in said


def test_a_clashing_remap_is_dropped_and_named():
    keymap, problems = resolve_keymap({"today.check_in": "s", "app.help": "x"})
    assert keymap == {}
    said = "\n".join(problems)
    assert "today.check_in and today.skip" in said
    assert "today.undo and app.help" in said or "app.help and today.undo" in said


def test_swapping_two_keys_is_not_a_clash():
    keymap, problems = resolve_keymap({"today.check_in": "s", "today.skip": "space"})
    assert problems == []
    assert keymap == {"today.check_in": "s", "today.skip": "space"}


def test_a_remap_clashing_with_a_global_key_on_one_screen_is_caught():
    _keymap, problems = resolve_keymap({"settings.save": "q"})
    assert any("settings.save and app.quit" in p for p in problems)


# ------------------------------------------------------------------ in the app
async def test_a_remapped_key_works_and_the_old_one_does_not(demo_path, clock):
    app = app_with_keys(demo_path, clock, '[keys]\n"today.check_in" = "c"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert smile(demo_path) == []  # space is free now
        await pilot.press("c")
        await pilot.pause()
        assert [c["status"] for c in smile(demo_path)] == ["done"]
        footer = [b for b in app.screen.active_bindings.values() if b.binding.id ==
                  "today.check_in"]
        assert footer and footer[0].binding.key == "c"
        assert not any("Keys" in n for n in notes(app))


async def test_remapped_global_and_list_keys_work(demo_path, clock):
    app = app_with_keys(demo_path, clock, '[keys.app]\nhelp = "f1"\n[keys.today]\ndown = "n,down"\n'
                        'new_skill = "N"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        labels = [
            text_of(r.query_one(".key-mark")) + text_of(r.query_one(".key-label"))
            for r in app.screen.query(".key-row")
        ]
        assert "*f1" in labels and "*n / ↓" in labels and "?" not in labels
        await pilot.press("escape", "n", "space")
        await pilot.pause()
    eyes = checkins_on(demo_path, DEMO_DAY, skill_id(demo_path, "eye contact"))
    assert [c["status"] for c in eyes] == ["done"]  # n moved down to the second skill


async def test_unknown_ids_and_clashes_are_reported_by_name(demo_path, clock):
    app = app_with_keys(
        demo_path, clock,
        '[keys]\n"today.chek_in" = "c"\n"today.undo" = "s"\n"app.help" = "ctrl-h"\n',
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        said = "\n".join(notes(app))
        assert "today.chek_in" in said and "today.check_in" in said
        assert "today.skip and today.undo" in said or "today.undo and today.skip" in said
        assert "ctrl-h" in said
        # the defaults stay in force
        await pilot.press("s")
        await pilot.pause()
    assert [c["status"] for c in smile(demo_path)] == ["skipped"]


async def test_help_shows_remaps_and_the_ids(demo_path, clock):
    app = app_with_keys(demo_path, clock, '[keys]\n"today.skip" = "r"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        rows = {
            text_of(row.query_one(".key-mark")).strip() + text_of(row.query_one(".key-label")):
            text_of(row.query_one(".key-help"))
            for row in app.screen.query(".key-row")
        }
        assert "rest day" in rows["*r"]
        assert "rest day" in rows["*r"] and "s" not in rows  # the old key is gone
        assert "remapped in config.toml" in text_of(app.screen.query_one("#help-note"))
        await pilot.press("i")
        await pilot.pause()
        table = "\n".join(text_of(s) for s in app.screen.query(".key-help"))
        assert "today.skip" in table and "today.check_in" in table
        assert "rest day" not in table


async def test_remapped_keys_show_in_the_palette(demo_path, clock):
    app = app_with_keys(demo_path, clock, '[keys]\n"today.skip" = "r"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        skip = next(k for k in TODAY_KEYS if k.id == "today.skip")
        assert commands[skip.help].startswith("key: r")
        assert "today.skip" in commands[skip.help]


# ------------------------------------------------------------------ help and palette
async def _visit(pilot, info) -> None:
    await pilot.app.run_action(f"goto('{info.name}')")
    await pilot.pause()


@pytest.mark.parametrize("info", SCREENS, ids=lambda s: s.name)
async def test_every_binding_is_in_help_and_palette(demo_path, make, info):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _visit(pilot, info)
        screen = app.screen
        keys = list(getattr(screen, "KEYS", []))
        assert keys, f"{info.name} has no KEYS"

        commands = list(app.get_system_commands(screen))
        titles = {c.title for c in commands}
        for key in keys + GLOBAL_KEYS:
            if key.action != "command_palette":
                assert key.help in titles, key.id
        assert "Change theme" in titles
        assert all(c.help for c in commands)  # every command says what it does

        app.action_help()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = [
            (text_of(row.query_one(".key-label")).strip(), text_of(row.query_one(".key-help")))
            for row in app.screen.query(".key-row")
        ]
        for key in keys + GLOBAL_KEYS:
            assert (key.label, key.help) in rows, key.id


async def test_palette_runs_a_screen_action(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"mark the selected skill done")
        await until(pilot, palette_highlights(app, "mark the selected skill done"))
        await pilot.press("enter")
        await until(pilot, lambda: [c["status"] for c in smile(demo_path)] == ["done"])
    assert [c["status"] for c in smile(demo_path)] == ["done"]


async def test_palette_opens_settings(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open settings")
        await until(pilot, palette_highlights(app, "open settings"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        assert isinstance(app.screen, SettingsScreen)


async def test_footer_shows_the_important_keys(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = {b.binding.id for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"today.check_in", "today.skip", "app.help", "app.quit"} <= shown
        await pilot.press("comma")
        await pilot.pause()
        shown = {b.binding.id for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"settings.save", "settings.pick_theme", "settings.leave"} <= shown
