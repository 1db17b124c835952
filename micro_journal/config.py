"""The user's settings, from ``config.toml`` in the user config directory.

A bad value never stops the app: it falls back to the default and the problem is
reported (naming the key) through ``Config.problems``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

APP_NAME = "micro-journal"
DB_ENV = "MICRO_JOURNAL_DB"
CONFIG_ENV = "MICRO_JOURNAL_CONFIG_DIR"
DEFAULT_THEME = "micro-dark"


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


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
    problems: list[str] = field(default_factory=list, compare=False)
    path: Path | None = field(default=None, compare=False)

    @property
    def first_weekday(self) -> int:
        return 6 if self.week_start == "sunday" else 0


_CHECKS = {
    "day_start_hour": (int, lambda v: 0 <= v <= 23, "a whole hour from 0 to 23"),
    "week_start": (str, lambda v: v in ("monday", "sunday"), '"monday" or "sunday"'),
    "default_practice_minutes": (int, lambda v: 1 <= v <= 240, "minutes from 1 to 240"),
    "backup_keep": (int, lambda v: 1 <= v <= 365, "a count from 1 to 365"),
    "theme": (str, lambda v: bool(v.strip()), "a theme name"),
}


def load_config(path: Path | None = None) -> Config:
    path = path or config_dir() / "config.toml"
    config = Config(path=path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return config
    except OSError as err:
        config.problems.append(f"Could not read {path}: {err.strerror}; using defaults.")
        return config
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        config.problems.append(f"{path} is not valid TOML ({err}); using defaults.")
        return config
    known = {f.name for f in fields(Config)} - {"problems", "path"}
    for key, value in data.items():
        if key not in known:
            if not isinstance(value, dict):
                config.problems.append(f"{path}: unknown setting {key!r} ignored.")
            continue
        kind, ok, expected = _CHECKS[key]
        if isinstance(value, str) and kind is str:
            value = value.strip().lower() if key == "week_start" else value.strip()
        if not isinstance(value, kind) or isinstance(value, bool) or not ok(value):
            config.problems.append(
                f"{path}: {key} = {value!r} is not valid (expected {expected}); "
                f"using {getattr(config, key)!r}."
            )
            continue
        setattr(config, key, value)
    return config
