"""Saving settings edits config.toml in place: the user's comments, unknown keys and order
stay as written (its header invites hand edits)."""

from __future__ import annotations

import difflib
import tomllib

import pytest

from micro_journal.config import HEADER, Config, load_config, save_config, with_settings

HAND_WRITTEN = '''\
# My micro-journal settings — edited by hand, please keep this.
# (second header line)

# dark at night, light in the morning
theme = "micro-dark"   # the one I use most
week_start = "monday"
day_start_hour = 4     # I go to bed late
colour = "red"         # not a setting (yet): keep it

journal_template = """What did I practise?
What worked?"""

[keys]                 # my remaps
# c is easier to reach than space
"today.check_in" = "c"
"app.help" = "f1"      # like every other app

[future]
x = 1
'''


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    return path


def lines(text: str) -> list[str]:
    return text.splitlines()


def test_changing_the_theme_keeps_every_comment_and_writes_the_value(path):
    config = load_config(path)
    save_config(with_settings(config, theme="micro-light"))
    text = path.read_text(encoding="utf-8")
    # only the theme's line changed, and it kept its comment
    before, after = lines(HAND_WRITTEN), lines(text)
    diff = list(difflib.ndiff(before, after))
    assert [d[2:] for d in diff if d.startswith("- ")] == [
        'theme = "micro-dark"   # the one I use most'
    ]
    added = [d[2:] for d in diff if d.startswith("+ ")]
    assert added[0] == 'theme = "micro-light"   # the one I use most'
    assert all(line.split(" = ")[0] in ("default_practice_minutes", "backup_keep")
               for line in added[1:]), added
    # header comment, comment above a key, inline comments, the [keys] table: all there
    for line in lines(HAND_WRITTEN):
        if "#" in line and "theme" not in line:
            assert line in after
    # the settings the file lacked are added, above the first table
    data = tomllib.loads(text)
    assert data["theme"] == "micro-light"
    assert data["keys"] == {"today.check_in": "c", "app.help": "f1"}
    assert data["colour"] == "red" and data["future"] == {"x": 1}
    assert data["default_practice_minutes"] == 5 and data["backup_keep"] == 14
    assert text.index("backup_keep") < text.index("[keys]")
    assert list(data)[:4] == ["theme", "week_start", "day_start_hour", "colour"]
    loaded = load_config(path)
    assert loaded.theme == "micro-light" and loaded.day_start_hour == 4
    assert loaded.keys == {"today.check_in": "c", "app.help": "f1"}


def test_saving_twice_changes_nothing_more(path):
    save_config(with_settings(load_config(path), theme="micro-light"))
    once = path.read_text(encoding="utf-8")
    save_config(load_config(path))
    assert path.read_text(encoding="utf-8") == once


def test_a_changed_template_stays_multi_line_and_reads_back_exactly(path):
    template = 'What did I practise?\nWhat "worked"?\\ \n\tWhat will I adjust?\n'
    save_config(with_settings(load_config(path), journal_template=template, backup_keep=30))
    text = path.read_text(encoding="utf-8")
    assert "# the one I use most" in text and "# my remaps" in text
    assert load_config(path).journal_template == template
    assert 'journal_template = """' in text  # still readable by hand


@pytest.mark.parametrize("template", ["one\r\ntwo", "trailing quote\"", '"""', "a\x01b\nc"])
def test_templates_that_multi_line_toml_cannot_hold_exactly_still_read_back(path, template):
    save_config(with_settings(load_config(path), journal_template=template))
    assert load_config(path).journal_template == template
    assert "# my remaps" in path.read_text(encoding="utf-8")


def test_a_new_file_starts_with_the_header(tmp_path):
    path = tmp_path / "config.toml"
    save_config(with_settings(Config(path=path), theme="micro-light"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    assert load_config(path) == with_settings(Config(), theme="micro-light")


def test_a_setting_written_as_a_table_by_mistake_is_replaced(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# mine\n[theme]\nname = "x"\n\n[keys]\n"app.help" = "f1"\n')
    save_config(with_settings(Config(path=path), theme="micro-light"))
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["theme"] == "micro-light" and data["keys"] == {"app.help": "f1"}
    assert text.startswith("# mine\n")


async def test_a_save_in_the_settings_screen_keeps_the_comments(tmp_path, monkeypatch):
    import datetime as dt

    from textual.widgets import Input

    from micro_journal.cli import make_app
    from micro_journal.config import config_path
    from micro_journal.domain.clock import FixedClock
    from micro_journal.screens.settings import SettingsScreen

    from ..conftest import until

    monkeypatch.setenv("MICRO_JOURNAL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("MICRO_JOURNAL_DB", raising=False)
    monkeypatch.delenv("MICRO_JOURNAL_TODAY", raising=False)
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    clock = FixedClock(dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC))
    app = make_app(tmp_path / "journal" / "journal.json", clock, load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("comma")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen)
                    and bool(app.screen.query("#backup_keep")))
        field = app.screen.query_one("#backup_keep", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"30", "ctrl+s")
        await until(pilot, lambda: load_config(path).backup_keep == 30)
    text = path.read_text(encoding="utf-8")
    for line in lines(HAND_WRITTEN):
        if "#" in line:
            assert line in text.splitlines()
    assert tomllib.loads(text)["backup_keep"] == 30
