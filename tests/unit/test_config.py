"""config.toml: bad values fall back with a message naming the key; saving round-trips."""

from __future__ import annotations

import os
import stat
import tomllib

import pytest

from micro_journal import config as cfg
from micro_journal.config import (
    DEFAULT_JOURNAL_TEMPLATE,
    Config,
    ConfigSaveError,
    load_config,
    parse_setting,
    save_config,
    with_settings,
)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "config" / "config.toml"


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_defaults_and_no_problems(path):
    config = load_config(path)
    assert config == Config()
    assert config.problems == []
    assert config.journal_template == DEFAULT_JOURNAL_TEMPLATE
    assert config.journal_template == "What did I practise?\nWhat worked?\nWhat will I adjust?"


def test_every_setting_is_read(path):
    write(path, """
theme = "micro-light"
week_start = "Sunday"
day_start_hour = 4
default_practice_minutes = 10
backup_keep = 30
journal_template = '''
Today I...'''

[keys]
"today.check_in" = "c"
""")
    config = load_config(path)
    assert config.problems == []
    assert config.settings() == {
        "theme": "micro-light", "week_start": "sunday", "day_start_hour": 4,
        "default_practice_minutes": 10, "backup_keep": 30, "journal_template": "Today I...",
    }
    assert config.first_weekday == 6
    assert config.keys == {"today.check_in": "c"}


@pytest.mark.parametrize(("line", "key"), [
    ("day_start_hour = 30", "day_start_hour"),
    ("day_start_hour = '4'", "day_start_hour"),
    ("day_start_hour = true", "day_start_hour"),
    ("day_start_hour = 4.5", "day_start_hour"),
    ("week_start = 'friday'", "week_start"),
    ("default_practice_minutes = 0", "default_practice_minutes"),
    ("default_practice_minutes = 999", "default_practice_minutes"),
    ("backup_keep = -1", "backup_keep"),
    ("theme = ''", "theme"),
    ("theme = 7", "theme"),
    (f"journal_template = '{'x' * (cfg.TEMPLATE_MAX + 1)}'", "journal_template"),
    ("journal_template = ['a', 'b']", "journal_template"),
])
def test_a_bad_value_falls_back_to_the_default_naming_the_key(path, line, key):
    write(path, f"{line}\nbackup_keep = 20\n" if key != "backup_keep" else line + "\n")
    config = load_config(path)
    assert getattr(config, key) == getattr(Config(), key)
    assert len(config.problems) == 1
    problem = config.problems[0]
    assert f"{key} = " in problem and "using" in problem and str(path) in problem
    if key != "backup_keep":
        assert config.backup_keep == 20  # the good values around it still count


def test_unknown_settings_and_a_non_table_keys_are_reported(path):
    write(path, "colour = 'red'\nkeys = 'c'\n[future]\nx = 1\n")
    config = load_config(path)
    assert config == Config()
    assert any("'colour'" in p for p in config.problems)
    assert any("keys must be a table" in p for p in config.problems)
    assert not any("future" in p for p in config.problems)  # tables of later versions


def test_not_toml_at_all_uses_defaults_and_says_so(path):
    write(path, "theme = \n[[[")
    config = load_config(path)
    assert config == Config()
    assert len(config.problems) == 1 and "not valid TOML" in config.problems[0]


def test_not_utf8_uses_defaults_and_says_so(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"theme = 'caf\xe9'\n")
    config = load_config(path)
    assert config == Config()
    assert config.problems and str(path) in config.problems[0]


def test_a_folder_where_the_file_should_be_uses_defaults(path):
    path.mkdir(parents=True)
    config = load_config(path)
    assert config == Config() and config.problems


# ------------------------------------------------------------------ typed values
@pytest.mark.parametrize(("name", "text", "value"), [
    ("day_start_hour", " 4 ", 4),
    ("day_start_hour", "0", 0),
    ("default_practice_minutes", "15", 15),
    ("backup_keep", "365", 365),
    ("week_start", "sunday", "sunday"),
    ("journal_template", "  keeps\nits spaces  ", "  keeps\nits spaces  "),
    ("journal_template", "", ""),
])
def test_typed_values_that_pass(name, text, value):
    assert parse_setting(name, text) == (value, None)


@pytest.mark.parametrize(("name", "text", "says"), [
    ("day_start_hour", "", "needed: a whole number, 0 to 23"),
    ("day_start_hour", "four", "must be a whole number, 0 to 23"),
    ("day_start_hour", "24", "must be a whole number, 0 to 23"),
    ("default_practice_minutes", "-5", "must be a whole number, 1 to 240"),
    ("backup_keep", "1.5", "must be a whole number, 1 to 365"),
    ("week_start", "friday", "monday"),
])
def test_typed_values_that_fail_say_why(name, text, says):
    _value, problem = parse_setting(name, text)
    assert problem and says in problem
    assert len(problem) <= 35  # fits beside the field at 80 columns


# ------------------------------------------------------------------ saving
def test_settings_round_trip_through_the_file(path):
    config = with_settings(
        Config(path=path), theme="micro-colour-safe", week_start="sunday", day_start_hour=5,
        default_practice_minutes=12, backup_keep=60,
        journal_template='Line one\n"Quoted" and \\ back\n\ttabbed\nEmoji 🙂 and ''' + "'''",
    )
    assert save_config(config) is None
    loaded = load_config(path)
    assert loaded.problems == []
    assert loaded == config
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# micro-journal settings")  # a file people can read and edit
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_saving_keeps_the_keys_table_and_other_tables(path):
    write(path, """
theme = "micro-dark"
backup_keep = 3

[keys]
"today.check_in" = "c"

[keys.app]
help = "f1"

[future]
anything = [1, 2]
""")
    config = load_config(path)
    save_config(with_settings(config, backup_keep=9))
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["backup_keep"] == 9
    assert data["keys"] == {"today.check_in": "c", "app": {"help": "f1"}}
    assert data["future"] == {"anything": [1, 2]}


def test_an_unreadable_file_is_set_aside_not_overwritten(path):
    write(path, "theme = [[[ broken by hand")
    config = load_config(path)
    note = save_config(with_settings(config, theme="micro-light"))
    assert note and "kept as" in note
    aside = list(path.parent.glob("config.toml.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text() == "theme = [[[ broken by hand"
    assert load_config(path).theme == "micro-light"


def test_saving_is_atomic_a_failed_write_leaves_the_old_file(path, monkeypatch):
    write(path, 'theme = "micro-light"\n')

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(ConfigSaveError, match="disk is full"):
        save_config(with_settings(load_config(path), theme="micro-dark"))
    monkeypatch.undo()
    assert path.read_text() == 'theme = "micro-light"\n'
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temp left


def test_saving_creates_the_config_folder(tmp_path):
    path = tmp_path / "new" / "deeper" / "config.toml"
    save_config(Config(path=path))
    assert load_config(path) == Config()


def test_the_config_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(cfg.CONFIG_ENV, str(tmp_path / "here"))
    assert cfg.config_path() == tmp_path / "here" / "config.toml"
