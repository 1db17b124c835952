"""Themes from TOML files: the built-in ``themes/`` folder plus the user's own.

Each file is one ``textual.theme.Theme``. A broken file is reported by name and
skipped; it never stops the app.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.theme import Theme

# Our own theme variables, with literal defaults so a theme that omits them still works.
VARIABLE_DEFAULTS = {
    "done": "#4CAF50",
    "skipped": "#8A94A6",
    "missed": "#E05D5D",
    "streak": "#F0A030",
}


def builtin_theme_dir() -> Path:
    """``micro_journal/_themes`` in an installed wheel, ``<repo>/themes`` in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_themes"
    if packaged.is_dir():
        return packaged
    return here.parent / "themes"


def load_theme_file(path: Path) -> Theme:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    variables = data.pop("variables", {}) or {}
    if not isinstance(variables, dict):
        raise ValueError("[variables] must be a table")
    if "name" not in data:
        data["name"] = path.stem
    if "primary" not in data:
        raise ValueError("it has no 'primary' colour")
    theme = Theme(**data, variables={k: str(v) for k, v in variables.items()})
    # Theme() accepts any string: check the colours parse now, not at first paint.
    from textual.color import Color

    for key in ("primary", "secondary", "accent", "warning", "error", "success",
                "foreground", "background", "surface", "panel", "boost"):
        value = getattr(theme, key, None)
        if value:
            Color.parse(value)
    return theme


def load_themes(*folders: Path) -> tuple[list[Theme], list[str]]:
    """Every theme in ``folders`` (later folders override by name), and problems found."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = load_theme_file(path)
            except Exception as err:  # any broken file: report and skip
                problems.append(f"Theme file {path} was skipped: {err}")
                continue
            themes[theme.name] = theme
    return list(themes.values()), problems
