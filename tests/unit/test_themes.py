"""Theme files: every built-in theme parses, is legible, and a broken file is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.color import Color

from micro_journal.themes import (
    DEFAULT_THEME,
    VARIABLE_DEFAULTS,
    ThemeFileError,
    builtin_theme_dir,
    load_themes,
    read_theme,
)

BUILTIN = sorted(builtin_theme_dir().glob("*.toml"))
KINDS = {
    "micro-dark": "dark",
    "micro-light": "light",
    "micro-high-contrast": "high contrast",
    "micro-colour-safe": "colour-blind safe",
}


def test_the_builtin_folder_is_the_repo_themes_folder_in_a_checkout():
    assert builtin_theme_dir() == Path(__file__).resolve().parents[2] / "themes"
    assert {p.stem for p in BUILTIN} >= set(KINDS)


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_every_builtin_theme_parses_and_defines_our_variables(path):
    found = read_theme(path, builtin=True)
    assert found.name == path.stem
    assert found.description
    assert set(VARIABLE_DEFAULTS) <= set(found.theme.variables)
    for name in VARIABLE_DEFAULTS:
        Color.parse(found.theme.variables[name])


async def test_every_builtin_theme_registers_and_applies():
    catalog = load_themes()
    assert catalog.problems == []
    assert catalog.files[0].name == DEFAULT_THEME  # the default leads the picker

    app = App()
    async with app.run_test():
        for theme in catalog.themes:
            app.register_theme(theme)
            app.theme = theme.name  # applies the CSS variables: must not raise
            assert app.current_theme.name == theme.name
            assert app.get_css_variables()["done"] == theme.variables["done"]


def test_the_light_theme_is_light_and_the_others_dark():
    themes = {f.name: f.theme for f in load_themes().files}
    assert themes["micro-light"].dark is False
    assert all(themes[n].dark for n in ("micro-dark", "micro-high-contrast", "micro-colour-safe"))


# ------------------------------------------------------------------ legibility
def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = Color.parse(colour).rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_text_and_status_colours_are_legible_on_the_background(path):
    theme = read_theme(path).theme
    background = theme.background
    assert contrast(theme.foreground, background) >= 7  # WCAG AAA for body text
    for name in VARIABLE_DEFAULTS:
        assert contrast(theme.variables[name], background) >= 3, name  # WCAG for marks
    if "text-muted" in theme.variables:
        assert contrast(theme.variables["text-muted"], background) >= 4.5


def test_high_contrast_theme_really_is_high_contrast():
    theme = read_theme(builtin_theme_dir() / "micro-high-contrast.toml").theme
    assert contrast(theme.foreground, theme.background) >= 20
    for name in (*VARIABLE_DEFAULTS, "text-muted"):
        assert contrast(theme.variables[name], theme.background) >= 7, name
    assert theme.text_alpha == 1.0  # no translucent text


# Machado, Oliveira & Fernandes (2009) simulation matrices, severity 1, linear RGB
CVD = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def _lab(colour: str, kind: str | None = None) -> tuple[float, float, float]:
    def linear(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [linear(c) for c in Color.parse(colour).rgb]
    if kind:
        rgb = [sum(m * c for m, c in zip(row, rgb, strict=True)) for row in CVD[kind]]
    r, g, b = (min(1.0, max(0.0, c)) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a: str, b: str, kind: str | None = None) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(a, kind), _lab(b, kind), strict=True)) ** 0.5


@pytest.mark.parametrize("kind", sorted(CVD))
def test_colour_safe_theme_keeps_done_and_missed_apart_for_colour_blind_eyes(kind):
    variables = read_theme(builtin_theme_dir() / "micro-colour-safe.toml").theme.variables
    # clearly different (ΔE ≥ 40) as seen with each kind of colour blindness
    assert delta_e(variables["done"], variables["missed"], kind) >= 40
    assert delta_e(variables["done"], variables["skipped"], kind) >= 15
    # and the pair is not red against green: done is a blue
    hue = Color.parse(variables["done"]).hsl.h * 360
    assert 180 <= hue <= 250


def test_the_default_dark_theme_would_not_be_colour_safe():
    """Why the colour-safe theme exists: green/red done/missed merge for deuteranopes."""
    variables = read_theme(builtin_theme_dir() / "micro-dark.toml").theme.variables
    assert delta_e(variables["done"], variables["missed"], "deuteranopia") < 20


# ------------------------------------------------------------------ broken files
BROKEN = {
    "not-toml.toml": ('primary = "#123456\n', "not valid TOML"),
    "no-primary.toml": ('background = "#000000"\n', "no 'primary'"),
    "bad-colour.toml": ('primary = "blurple"\n', "primary = 'blurple' is not a colour"),
    "unknown.toml": ('primary = "#123456"\nprimay = "#000000"\n', "unknown field 'primay'"),
    "bad-type.toml": ('primary = "#123456"\ndark = "yes"\n', "dark must be true or false"),
    "bad-variable.toml": (
        'primary = "#123456"\n[variables]\ndone = "greenish"\n', "variable done"),
    "bad-style.toml": (
        'primary = "#123456"\n[variables]\nblock-cursor-text-style = "wobbly"\n',
        "not a valid text style"),
    "variables-not-table.toml": ('primary = "#123456"\nvariables = 3\n', "must be a table"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_theme_file_says_what_is_wrong(tmp_path, name):
    text, message = BROKEN[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThemeFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_theme(path)


def test_broken_user_themes_are_named_and_skipped_good_ones_load(tmp_path):
    user = tmp_path / "themes"
    user.mkdir()
    for name, (text, _message) in BROKEN.items():
        (user / name).write_text(text, encoding="utf-8")
    (user / "latin1.toml").write_bytes(b'primary = "#123456"\n# caf\xe9\n')
    (user / "mine.toml").write_text(
        'description = "Mine"\nprimary = "#AA3377"\nbackground = "#101010"\n', encoding="utf-8"
    )
    catalog = load_themes(None, user)
    names = [f.name for f in catalog.files]
    assert "mine" in names and DEFAULT_THEME in names
    assert len(catalog.problems) == len(BROKEN) + 1
    for name in [*BROKEN, "latin1.toml"]:
        assert any(str(user / name) in p for p in catalog.problems), name
    mine = catalog.get("mine")
    assert mine is not None and not mine.builtin and mine.description == "Mine"


def test_a_user_theme_without_our_variables_still_works(tmp_path):
    (tmp_path / "plain.toml").write_text('primary = "#AA3377"\n', encoding="utf-8")
    found = read_theme(tmp_path / "plain.toml")
    assert found.theme.variables == {}  # the app's variable defaults fill done/missed…


def test_a_user_theme_may_replace_a_builtin_one_by_name(tmp_path):
    (tmp_path / "dark.toml").write_text(
        'name = "micro-dark"\nprimary = "#FF0000"\n', encoding="utf-8"
    )
    catalog = load_themes(None, tmp_path)
    theme = catalog.get("micro-dark")
    assert theme is not None and theme.theme.primary == "#FF0000" and not theme.builtin


def test_missing_user_folder_is_not_a_problem(tmp_path):
    catalog = load_themes(None, tmp_path / "nothing-here")
    assert catalog.problems == []
    assert len(catalog.files) == len(BUILTIN)
