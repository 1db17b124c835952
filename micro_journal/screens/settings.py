"""Settings: the values of ``config.toml``, checked as they are typed.

Saving (``ctrl+s``, or leaving the screen) writes ``config.toml`` atomically and applies
what can be applied at once: the theme, the week start, the day-start hour, the
default practice minutes, the template and the backup count. A value that does not
pass its check is never thrown away: it stays in its field, with the reason beside it,
until it is fixed or reverted.

What Settings has to say about itself (saved, nothing changed, reverted, what to fix)
is said in its top line, not in a toast: at 80×24 a toast sits over the bottom of the
screen. The file paths and the note on remapping keys sit above the template, out of
the toasts' corner, as other screens' toasts (a [keys] problem) may still show here.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from ..config import DB_ENV, config_path, parse_setting
from ..domain.text import markup_line, markup_lines
from ..keymap import SETTINGS_KEYS, bindings
from ..widgets.footer import KeyFooter
from ..widgets.text_area import SafeTextArea
from ..widgets.text_fields import SafeInput
from .base import JournalScreen

# field id → (label, hint shown while the value is fine)
TYPED = {
    "day_start_hour": ("Day starts at", "hour 0–23; at 4, 01:30 is yesterday"),
    "default_practice_minutes": ("Practice minutes", "default for new skills, 1–240"),
    "backup_keep": ("Backups kept", "daily copies of the journal, 1–365"),
}
WEEK_HINT = "week grids, streaks and plans"
THEME_HINT = "ctrl+t: pick with live preview"
TEMPLATE_HINT = "the text a new journal entry starts with"
WAITING = "Your changes wait in Settings"  # the toast on leaving with a value to fix


class SettingsScreen(JournalScreen):
    CSS_PATH = "../styles/settings.tcss"
    KEYS = SETTINGS_KEYS
    BINDINGS: ClassVar[list[BindingType]] = [*bindings(SETTINGS_KEYS)]  # a list[BindingType]
    AUTO_FOCUS = "#theme"  # a button: the number keys still switch screens from here

    def __init__(self) -> None:
        super().__init__(name="settings")
        # what each field was last filled with from the config (to tell edits apart)
        self.loaded: dict[str, Any] = {}
        self._filled_from: tuple | None = None
        self._last_parsed: tuple[dict[str, Any], dict[str, str]] = ({}, {})
        # (what the top line says, the fields it was said about): shown until they change
        self._said: tuple[str, dict[str, Any]] | None = None

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield Static(id="settings-topbar")
        with VerticalScroll(id="settings-body", can_focus=False):
            with Grid(classes="settings-grid"):
                yield Label("Theme")
                yield Button("", id="theme", compact=True)
                yield Static(THEME_HINT, id="theme-msg", classes="setting-msg")
                yield Label("Week starts on")
                yield Select(
                    [("Monday", "monday"), ("Sunday", "sunday")], allow_blank=False,
                    id="week_start", compact=True,
                )
                yield Static(WEEK_HINT, id="week_start-msg", classes="setting-msg")
                for name, (label, hint) in TYPED.items():
                    yield Label(label)
                    yield SafeInput(id=name, max_length=6, compact=True)
                    yield Static(hint, id=f"{name}-msg", classes="setting-msg")
            yield Static(id="settings-about")
            with Horizontal(classes="settings-row"):
                yield Label("Journal template", classes="settings-label")
                yield Static(TEMPLATE_HINT, id="journal_template-msg", classes="setting-msg")
            yield SafeTextArea(id="journal_template", soft_wrap=True)
            with Horizontal(classes="form-buttons settings-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save", compact=True)
                yield Button("Revert  ctrl+r", id="revert", compact=True)
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # the spacing is chosen before the first frame, not on the resize after it
        self.set_class(self.app.size.height >= self.ROOMY_HEIGHT, "-roomy")
        self.fill(force=True)
        self._draw_about()
        self._filled_from = self._settings_state()
        self.watch(self.app, "theme", self._theme_changed, init=False)

    ROOMY_HEIGHT = 30

    def on_resize(self) -> None:
        self.set_class(self.size.height >= self.ROOMY_HEIGHT, "-roomy")

    def on_screen_resume(self) -> None:
        # here: the toast that said "your changes wait in Settings (press ,)" has done its job
        self.journal_app.withdraw_notices(WAITING)
        # settings saved elsewhere (the theme picker) show here; typed edits stay. When
        # nothing changed since, filling again would change nothing: skip it.
        state = self._settings_state()
        if state == self._filled_from:
            return
        self.fill(force=False)
        self._draw_about()
        self._filled_from = state

    def _settings_state(self) -> tuple:
        """What the fields and the about text are filled from (``Config`` is replaced,
        never changed in place, when settings are saved)."""
        app = self.journal_app
        return (app.config, app.theme, app.db_path, app.demo)

    # ----------------------------------------------------------------- values
    def fill(self, *, force: bool) -> None:
        """Show the saved settings; unless ``force``, fields the user changed keep theirs."""
        config = self.journal_app.config
        current = self.form_text()
        for name, value in config.settings().items():
            if name == "theme":
                continue
            edited = name in self.loaded and current.get(name) != self.loaded[name]
            if edited and not force:
                continue
            text: Any = str(value) if name in TYPED else value
            self.loaded[name] = text
            if name == "week_start":
                self.query_one("#week_start", Select).value = value
            elif name == "journal_template":
                self.query_one("#journal_template", TextArea).text = value
            else:
                self.query_one(f"#{name}", Input).value = text
        self._draw_theme()
        self.validate_all()

    def form_text(self) -> dict[str, Any]:
        """What the fields hold now, as typed."""
        if not self.is_mounted:
            return {}
        values: dict[str, Any] = {n: self.query_one(f"#{n}", Input).value for n in TYPED}
        values["week_start"] = self.query_one("#week_start", Select).value
        values["journal_template"] = self.query_one("#journal_template", TextArea).text
        return values

    def parsed(self) -> tuple[dict[str, Any], dict[str, str]]:
        """(values that passed their checks, {field: problem})."""
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for name, text in self.form_text().items():
            value, problem = parse_setting(name, str(text))
            if problem:
                problems[name] = problem
            else:
                values[name] = value
        self._last_parsed = (values, problems)  # widgets are gone by unmount
        return values, problems

    @property
    def dirty(self) -> bool:
        values, problems = self.parsed()
        saved = self.journal_app.config.settings()
        return bool(problems) or any(saved[k] != v for k, v in values.items())

    # ----------------------------------------------------------------- drawing
    def validate_all(self) -> None:
        _values, problems = self.parsed()
        hints = {**{n: h for n, (_label, h) in TYPED.items()},
                 "week_start": WEEK_HINT, "journal_template": TEMPLATE_HINT}
        for name, hint in hints.items():
            msg = self.query_one(f"#{name}-msg", Static)
            problem = problems.get(name)
            msg.update(markup_lines(problem) if problem else markup_line(hint))
            msg.set_class(bool(problem), "-error")
            self.query_one(f"#{name}").set_class(bool(problem), "-bad")
        self._draw_topbar(problems)

    def _draw_topbar(self, problems: dict[str, str] | None = None) -> None:
        if problems is None:
            problems = self.parsed()[1]
        said = self._said[0] if self._said and self._said[1] == self.form_text() else None
        if problems:
            state = f"[$error]{len(problems)} to fix before saving[/]"
            if said:
                where = "the field" if len(problems) == 1 else "each field"
                state = f"[$error]not saved: {len(problems)} to fix (see beside {where})[/]"
        elif said:
            state = said
        elif self.dirty:
            state = "[$warning]unsaved changes: ctrl+s saves[/]"
        else:
            state = "[$text-muted]saved[/]"
        self.query_one("#settings-topbar", Static).update(f"[b]Settings[/b]  ·  {state}")

    def say(self, text: str) -> None:
        """Say ``text`` in the top line until a field changes."""
        self._said = (text, self.form_text())
        self._draw_topbar()

    def _draw_theme(self) -> None:
        self.query_one("#theme", Button).label = f"{self.app.theme} ▸"

    def _theme_changed(self) -> None:
        self._draw_theme()

    def _draw_about(self) -> None:
        app = self.journal_app
        cfg = app.config.path or config_path()
        demo = "  [$warning](a demo journal)[/]" if app.demo else ""
        self.query_one("#settings-about", Static).update(
            f"[b]Journal file[/b]  {markup_line(_home(app.db_path))}{demo}\n"
            f"[$text-muted]Open another with [b]--db PATH[/b] or set [b]{DB_ENV}[/b]=PATH "
            "(--db wins).[/]\n"
            f"[b]Settings file[/b] {markup_line(_home(cfg))}\n"
            "[$text-muted]Remap keys there under [b]\\[keys][/b]: press ? then i for the ids.[/]"
        )

    # ----------------------------------------------------------------- events
    def on_input_changed(self, event: Input.Changed) -> None:
        self.validate_all()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.validate_all()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.validate_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"theme": self.action_pick_theme, "save": self.action_save,
                   "revert": self.action_revert}
        action = actions.get(event.button.id or "")
        if action is not None:
            action()

    # ----------------------------------------------------------------- actions
    def action_pick_theme(self) -> None:
        self.journal_app.action_change_theme()

    def action_save(self) -> bool:
        """ctrl+s: save, and say how it went in the top line."""
        return self._save(here=True)

    def _save(self, *, here: bool) -> bool:
        """Save; ``here``: the user stays on Settings (else the toast goes with them)."""
        values, problems = self.parsed()
        if problems:
            first = next(iter(problems))
            self.query_one(f"#{first}").focus()
            self.say("not saved")  # the top line shows how many; beside each field, why
            return False
        if not self.dirty:
            if here:
                self.say("[$text-muted]saved · nothing had changed[/]")
            return True
        if not self.journal_app.save_settings(**values):
            return False
        self.fill(force=True)
        if here:
            self.say("[$success]saved and applied[/]")
        else:
            self.notify("Saved and applied.", title="Settings", timeout=3)
        return True

    def action_revert(self) -> None:
        self.fill(force=True)
        self.say("[$text-muted]showing the saved settings again[/]")

    async def action_leave(self) -> None:
        await self.app.run_action("goto('today')")  # saving happens on_screen_suspend

    def on_screen_suspend(self) -> None:
        # another screen was chosen (not a dialog opened over this one)
        if self not in self.app.screen_stack:
            self.save_pending()

    def on_unmount(self) -> None:
        """The app is closing: valid changes still reach config.toml, quietly."""
        from ..config import ConfigSaveError, save_config, with_settings

        values, problems = self._last_parsed
        if problems or not values:
            return
        if any(self.journal_app.config.settings()[k] != v for k, v in values.items()):
            with contextlib.suppress(ConfigSaveError):
                save_config(with_settings(self.journal_app.config, **values))

    def save_pending(self) -> None:
        """Leaving Settings: save valid changes; invalid ones wait here, unlost."""
        if not self.is_mounted or not self.dirty:
            return
        _values, problems = self.parsed()
        if problems:
            verb = "needs" if len(problems) == 1 else "need"
            self.notify(
                "Settings not saved: " + ", ".join(_label(n) for n in problems)
                + f" {verb} fixing. {WAITING} (press ,).",
                title="Settings", severity="warning", timeout=8,
            )
            return
        self._save(here=False)


def _label(name: str) -> str:
    if name in TYPED:
        return TYPED[name][0].lower()
    return {"week_start": "week start", "journal_template": "journal template"}.get(name, name)


def _home(path: Path) -> str:
    """``/home/me/x`` → ``~/x``: shorter, and the same on screen as in the docs."""
    try:
        return "~/" + str(Path(path).resolve().relative_to(Path.home()))
    except (ValueError, RuntimeError, OSError):
        return str(path)
