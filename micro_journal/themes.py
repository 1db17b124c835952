"""Themes from TOML files: the built-in ``themes/`` folder plus the user's own.

Each file is one ``textual.theme.Theme``: its top-level keys are Theme's fields
(``primary``, ``background``, ``dark``…), an optional ``description`` is shown in the
theme picker, and ``[variables]`` sets CSS variables — Textual's and our own
(``done``, ``skipped``, ``missed``, ``streak``; see :data:`VARIABLE_DEFAULTS`).

A broken file is reported by name and skipped; it never stops the app. Everything is
checked here, at load, so that applying a theme can never fail half-way.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path

from textual.theme import Theme

# Our own theme variables, with literal defaults so a theme that omits them still works.
VARIABLE_DEFAULTS = {
    "done": "#4CAF50",
    "skipped": "#8A94A6",
    "missed": "#E05D5D",
    "streak": "#F0A030",
}
DEFAULT_THEME = "micro-dark"

COLOUR_FIELDS = (
    "primary", "secondary", "accent", "warning", "error", "success",
    "foreground", "background", "surface", "panel", "boost",
)
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    **dict.fromkeys(("name", *COLOUR_FIELDS), (str,)),
    "dark": (bool,),
    "ansi": (bool,),
    "luminosity_spread": (int, float),
    "text_alpha": (int, float),
}


class ThemeFileError(ValueError):
    pass


@dataclass(frozen=True)
class ThemeFile:
    """A theme loaded from a file, with what the picker shows about it."""

    theme: Theme
    path: Path
    description: str = ""
    builtin: bool = False

    @property
    def name(self) -> str:
        return self.theme.name


def builtin_theme_dir() -> Path:
    """``micro_journal/_themes`` in an installed wheel, ``<repo>/themes`` in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_themes"
    if packaged.is_dir():
        return packaged
    return here.parent / "themes"


def user_theme_dir() -> Path:
    from .config import config_dir

    return config_dir() / "themes"


def _is_colour(value: str) -> bool:
    from textual.color import Color, ColorParseError

    try:
        Color.parse(value)
    except ColorParseError:
        return False
    return True


def _check_variables(names: list[str], variables: dict[str, str]) -> None:
    """Parse every variable as Textual CSS would, so a bad one fails here, not at paint."""
    from textual.css.stylesheet import Stylesheet, StylesheetParseError

    def rules(names: list[str]) -> str:
        lines = []
        for name in names:
            if name.endswith("style"):
                prop = "text-style"
            elif "background" in name:
                prop = "background"
            else:
                prop = "color"
            lines.append(f"{prop}: ${name};")
        return "Widget { " + " ".join(lines) + " }"

    def broken(names: list[str]) -> bool:
        sheet = Stylesheet(variables=variables)
        sheet.add_source(rules(names), read_from=("theme", ""))
        try:
            sheet.parse()
        except StylesheetParseError:
            return True
        return False

    if names and broken(names):
        for name in names:
            if broken([name]):
                kind = "text style" if name.endswith("style") else "colour"
                raise ThemeFileError(
                    f"variable {name} = {variables[name]!r} is not a valid {kind}"
                )


def read_theme(path: Path, *, builtin: bool = False) -> ThemeFile:
    """One theme file, checked completely; raises ``ThemeFileError`` or ``OSError``."""
    from textual.color import Color, ColorParseError

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ThemeFileError(f"it is not valid TOML ({err})") from None
    except UnicodeDecodeError:
        raise ThemeFileError("it is not UTF-8 text") from None
    description = data.pop("description", "")
    if not isinstance(description, str):
        raise ThemeFileError("description must be text")
    variables = data.pop("variables", {})
    if not isinstance(variables, dict):
        raise ThemeFileError("[variables] must be a table")
    data.setdefault("name", path.stem)
    for key, value in data.items():
        if key not in _FIELD_TYPES:
            known = ", ".join(sorted(_FIELD_TYPES))
            raise ThemeFileError(f"unknown field {key!r} (a theme has: {known})")
        types = _FIELD_TYPES[key]
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            kind = "true or false" if bool in types else "a number" if int in types else "text"
            raise ThemeFileError(f"{key} must be {kind}, not {value!r}")
    if not str(data["name"]).strip():
        raise ThemeFileError("its name is empty")
    if "primary" not in data:
        raise ThemeFileError("it has no 'primary' colour")
    for key in COLOUR_FIELDS:
        if key in data:
            try:
                Color.parse(data[key])
            except ColorParseError:
                raise ThemeFileError(f"{key} = {data[key]!r} is not a colour") from None
    for name, value in variables.items():
        if not isinstance(value, str):
            raise ThemeFileError(f"variable {name} must be text, not {value!r}")
    theme = Theme(**data, variables=dict(variables))
    # plain colours are checked quickly; anything else ("auto 60%", text styles) the
    # way Textual will read it, among the variables it defines for this theme
    others = [n for n, v in variables.items() if n.endswith("style") or not _is_colour(v)]
    if others:
        everything = {**theme.to_color_system().generate(), **VARIABLE_DEFAULTS, **variables}
        _check_variables(others, everything)
    return ThemeFile(theme, path, description.strip(), builtin)


def load_theme_file(path: Path) -> Theme:
    return read_theme(path).theme


@dataclass
class ThemeCatalog:
    files: list[ThemeFile] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)

    def get(self, name: str) -> ThemeFile | None:
        return next((f for f in self.files if f.name == name), None)

    @property
    def themes(self) -> list[Theme]:
        return [f.theme for f in self.files]


def load_themes(builtin: Path | None = None, *user: Path) -> ThemeCatalog:
    """The built-in themes, then the user's (a user theme may replace one by name)."""
    catalog = ThemeCatalog()
    found: dict[str, ThemeFile] = {}
    folders = [(builtin or builtin_theme_dir(), True), *((folder, False) for folder in user)]
    for folder, is_builtin in folders:
        try:
            paths = sorted(folder.glob("*.toml")) if folder.is_dir() else []
        except OSError as err:
            catalog.problems.append(f"Theme folder {folder} could not be read: {err.strerror}")
            continue
        for path in paths:
            try:
                theme_file = read_theme(path, builtin=is_builtin)
            except (ThemeFileError, OSError) as err:
                reason = getattr(err, "strerror", None) or str(err)
                catalog.problems.append(f"Theme file {path} was skipped: {reason}.")
                continue
            found[theme_file.name] = theme_file
    # the default first, then the other built-in ones, then the user's
    order = sorted(
        found.values(), key=lambda f: (f.name != DEFAULT_THEME, not f.builtin, f.name)
    )
    catalog.files = order
    return catalog
