"""The user's settings, from ``config.toml`` in the user config directory.

A bad value never stops the app: it falls back to the default and the problem is
reported (naming the key) through ``Config.problems``. The Settings screen writes the
file back with :func:`save_config`: atomically, and by editing it (tomlkit), so the
user's comments, the ``[keys]`` table and anything else written by hand are kept.
"""

from __future__ import annotations

import os
import time
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

APP_NAME = "micro-journal"
DB_ENV = "MICRO_JOURNAL_DB"
CONFIG_ENV = "MICRO_JOURNAL_CONFIG_DIR"
DEFAULT_THEME = "micro-dark"
DEFAULT_JOURNAL_TEMPLATE = "What did I practise?\nWhat worked?\nWhat will I adjust?"
TEMPLATE_MAX = 4000


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def config_path() -> Path:
    return config_dir() / "config.toml"


def default_db_path() -> Path:
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "journal.json"


@dataclass
class Config:
    day_start_hour: int = 0
    week_start: str = "monday"  # or "sunday"
    default_practice_minutes: int = 5
    backup_keep: int = 14
    theme: str = DEFAULT_THEME
    journal_template: str = DEFAULT_JOURNAL_TEMPLATE
    # [keys]: action id → key(s), checked by the app (keymap.resolve_keymap)
    keys: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list, compare=False)
    path: Path | None = field(default=None, compare=False)

    @property
    def first_weekday(self) -> int:
        return 6 if self.week_start == "sunday" else 0

    def settings(self) -> dict[str, Any]:
        """The values the Settings screen edits, by name."""
        return {name: getattr(self, name) for name in SETTINGS}


# name → (type, check, what is expected — said to the user)
_CHECKS: dict[str, tuple[type, Any, str]] = {
    "theme": (str, lambda v: bool(v.strip()), "a theme name"),
    "week_start": (str, lambda v: v in ("monday", "sunday"), '"monday" or "sunday"'),
    "day_start_hour": (int, lambda v: 0 <= v <= 23, "a whole hour from 0 to 23"),
    "default_practice_minutes": (int, lambda v: 1 <= v <= 240, "minutes from 1 to 240"),
    "backup_keep": (int, lambda v: 1 <= v <= 365, "a count from 1 to 365"),
    "journal_template": (
        str, lambda v: len(v) <= TEMPLATE_MAX, f"text of at most {TEMPLATE_MAX} characters"
    ),
}
SETTINGS = tuple(_CHECKS)  # the order they are written in


def expected(name: str) -> str:
    return _CHECKS[name][2]


def check_setting(name: str, value: Any) -> tuple[Any, str | None]:
    """``(clean value, None)``, or ``(value, what was expected)`` when it is not valid."""
    kind, ok, wanted = _CHECKS[name]
    if isinstance(value, str) and kind is str and name != "journal_template":
        value = value.strip().lower() if name == "week_start" else value.strip()
    if isinstance(value, bool) or not isinstance(value, kind) or not ok(value):
        return value, wanted
    return value, None


# the range of each whole-number setting, short enough for the form's message column
RANGES = {"day_start_hour": (0, 23), "default_practice_minutes": (1, 240), "backup_keep": (1, 365)}


def parse_setting(name: str, text: str) -> tuple[Any, str | None]:
    """A value typed in the Settings screen: ``" 7 "`` → ``7``; errors say what to type."""
    if name in RANGES:
        low, high = RANGES[name]
        rule = f"a whole number, {low} to {high}"
        text = text.strip()
        if not text:
            return text, f"needed: {rule}"
        try:
            number = int(text)
        except ValueError:
            return text, f"must be {rule}"
        value, problem = check_setting(name, number)
        return value, (f"must be {rule}" if problem else None)
    value, problem = check_setting(name, text)
    return value, (f"needed: {problem}" if problem else None)


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    config = Config(path=path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return config
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        config.problems.append(f"Could not read {path}: {reason}; using defaults.")
        return config
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        config.problems.append(f"{path} is not valid TOML ({err}); using defaults.")
        return config
    for key, value in data.items():
        if key == "keys":
            if isinstance(value, dict):
                config.keys = value
            else:
                config.problems.append(
                    f"{path}: keys must be a table ([keys] with action = \"key\" lines); "
                    "ignored."
                )
            continue
        if key not in _CHECKS:
            if not isinstance(value, dict):
                config.problems.append(f"{path}: unknown setting {key!r} ignored.")
            continue
        clean, problem = check_setting(key, value)
        if problem:
            config.problems.append(
                f"{path}: {key} = {_show(value)} is not valid (expected {problem}); "
                f"using {_show(getattr(config, key))}."
            )
            continue
        setattr(config, key, clean)
    return config


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


class ConfigSaveError(Exception):
    """config.toml could not be written; the message says why in plain words."""


HEADER = """\
# micro-journal settings. The Settings screen (press ,) writes this file; hand edits
# are welcome too. A bad value is reported when the app starts and the default is used.
#
# Remap keys in a [keys] table, action id = key(s). Press ? in the app and then i to
# see every action's id. For example:
#   [keys]
#   "today.check_in" = "c"
#   "app.help" = "f1"
#   "today.down" = "down,j"

"""


def save_config(config: Config, path: Path | None = None) -> str | None:
    """Write ``config``'s settings to ``config.toml`` atomically.

    The file is edited, not rewritten: the user's comments (above a key, at the end of
    a line, the header), the ``[keys]`` table, keys we do not know and the order of
    everything stay as they were; only a setting whose value changed is replaced (its
    comment kept) and a setting the file lacks is added. A new file starts with
    ``HEADER``. A file that no longer parses is not overwritten but set aside beside it;
    the returned note says where (None when there was nothing to say). Raises
    :class:`ConfigSaveError`.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from .store.files import atomic_write, describe_os_error

    path = path or config.path or config_path()
    note = None
    text: str | None = None
    try:
        text = path.read_text(encoding="utf-8")
        tomllib.loads(text)  # what load_config reads must read the same after the save
        document = tomlkit.parse(text)
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, TOMLKitError):
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())  # a file name, not "today"
        aside = path.with_name(f"{path.name}.unreadable-{stamp}")
        try:
            os.replace(path, aside)
        except OSError as err:
            raise ConfigSaveError(
                f"{path} could not be read and could not be set aside: "
                f"{describe_os_error(err)}"
            ) from None
        note = f"The old {path.name} could not be read; it was kept as {aside}."
        text = None
    header = ""
    if text is None or not text.strip():
        document, header = tomlkit.document(), HEADER
    try:
        payload = header + _edited(document, config)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, payload.encode("utf-8"))
    except (OSError, ValueError, TypeError) as err:
        raise ConfigSaveError(f"{path} was not saved: {describe_os_error(err)}") from None
    config.path = path
    return note


def _edited(document: Any, config: Config) -> str:
    """``document`` (a tomlkit document) with ``config``'s settings, as TOML text.

    A template with line ends that a multi-line TOML string would not keep exactly
    (``\\r\\n`` reads back as ``\\n``) is written as a one-line string with escapes.
    """
    import tomlkit

    values = {name: getattr(config, name) for name in SETTINGS}
    for name, value in values.items():
        if name in document:
            old = _plain(document[name])
            if type(old) is type(value) and old == value:
                continue  # unchanged: keep it exactly as written (quotes, spacing, comment)
            if isinstance(old, dict):  # a [table] by that name: a setting is no table
                del document[name]
        if isinstance(value, str) and "\n" in value:
            document[name] = tomlkit.string(value, multiline=True)
        else:
            document[name] = value
    text = tomlkit.dumps(document)
    back = tomllib.loads(text)
    for name, value in values.items():
        if back.get(name) != value:
            document[name] = tomlkit.string(value) if isinstance(value, str) else value
            text = tomlkit.dumps(document)
    back = tomllib.loads(text)
    if any(back.get(name) != value for name, value in values.items()):
        raise ValueError("the settings could not be written as TOML that reads back the same")
    return text


def _plain(item: Any) -> Any:
    unwrap = getattr(item, "unwrap", None)
    return unwrap() if unwrap is not None else item


def with_settings(config: Config, **values: Any) -> Config:
    """A copy of ``config`` with new setting values (problems are not carried over)."""
    return replace(config, problems=[], **values)
