"""The Textual app: opens the journal, registers themes, routes global keys."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from .config import Config, config_dir
from .domain.clock import Clock
from .keymap import GLOBAL_KEYS, SCREENS, Key, bindings, screen_info
from .store import JournalError, Repository, open_journal
from .store.journal import Journal


def _load_screen(target: str) -> type[Screen]:
    from importlib import import_module

    module, _, cls = target.partition(":")
    return getattr(import_module(module), cls)


class MicroJournalApp(App[None]):
    """micro-journal's terminal app. Build it with ``micro_journal.cli.make_app``."""

    TITLE = "micro-journal"
    # one stylesheet per area; add yours to this list
    CSS_PATH = ["styles/app.tcss"]
    BINDINGS = bindings(GLOBAL_KEYS)
    ENABLE_COMMAND_PALETTE = True
    # Each top-level screen is a mode with its own stack; built on first visit.
    MODES = {s.name: (lambda s=s: _load_screen(s.target)()) for s in SCREENS}
    DEFAULT_MODE = "today"

    def __init__(
        self, db_path: Path, clock: Clock, config: Config, *, demo: bool = False
    ) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.clock = clock
        self.config = config
        self.demo = demo
        self.journal: Journal | None = None
        self.repo: Repository | None = None
        self.open_error: JournalError | None = None
        self.today: dt.date = clock.today()
        self.open_journal_file()

    # ------------------------------------------------------------- journal
    def open_journal_file(self) -> bool:
        """(Re)open ``db_path``; on failure keep the error for the recovery screen."""
        self.close_journal()
        try:
            journal = open_journal(
                self.db_path, today=self.clock.today, backups_keep=self.config.backup_keep
            )
            repo = Repository(journal)
        except JournalError as err:
            self.open_error = err
            return False
        self.journal, self.repo, self.open_error = journal, repo, None
        return True

    def close_journal(self) -> None:
        if self.journal is not None:
            self.journal.close()
        self.journal = None
        self.repo = None

    @property
    def read_only_reason(self) -> str | None:
        return self.journal.read_only_reason if self.journal else None

    # ------------------------------------------------------------- lifecycle
    def get_theme_variable_defaults(self) -> dict[str, str]:
        from .themes import VARIABLE_DEFAULTS

        return dict(VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        self._register_themes()
        for problem in self.config.problems:
            self.notify(problem, title="Settings", severity="warning", timeout=10)
        if self.journal:
            for notice in self.journal.notices:
                self.notify(notice, title="Journal", timeout=10)
        if self.open_error is not None:
            self.show_recovery()
        self.set_interval(15, self.check_day)

    def on_unmount(self) -> None:
        self.close_journal()

    def _register_themes(self) -> None:
        from .themes import builtin_theme_dir, load_themes

        themes, problems = load_themes(builtin_theme_dir(), config_dir() / "themes")
        for theme in themes:
            self.register_theme(theme)
        for problem in problems:
            self.notify(problem, title="Themes", severity="warning", timeout=10)
        wanted = self.config.theme
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            self.notify(
                f"Theme {wanted!r} was not found; using micro-dark.", severity="warning"
            )
            with contextlib.suppress(Exception):
                self.theme = "micro-dark"

    def check_day(self) -> None:
        """Notice midnight (or the day-start hour) while the app stays open."""
        today = self.clock.today()
        if today != self.today:
            self.today = today
            self.refresh_screens()

    def refresh_screens(self) -> None:
        """Redraw what is visible; other screens redraw when they are shown again."""
        for screen in self.screen_stack:
            refresh = getattr(screen, "refresh_view", None)
            if refresh is not None:
                refresh()

    def show_recovery(self) -> None:
        from .screens.recovery import RecoveryScreen

        self.push_screen(RecoveryScreen(self.open_error))

    def switch_to_demo(self) -> None:
        """Reopen the app on a fresh demo journal in a temporary folder."""
        import tempfile

        from .services.demo import write_demo

        folder = Path(tempfile.mkdtemp(prefix="micro-journal-demo-"))
        path = folder / "journal.json"
        try:
            with open_journal(path, today=self.clock.today) as journal:
                write_demo(Repository(journal), self.clock.today(), self.config.first_weekday)
        except JournalError as err:
            self.notify(str(err), title="Demo", severity="error")
            return
        self.db_path = path
        self.demo = True
        self.open_journal_file()
        self.refresh_screens()
        self.notify(f"Demo journal in {path}. Your own journal is untouched.", title="Demo")

    # ------------------------------------------------------------- actions
    async def action_goto(self, name: str) -> None:
        """Switch to a top-level screen (closing any dialog open on this one)."""
        if screen_info(name) is None:
            return
        if self.open_error is not None:
            return  # the recovery dialog must be answered first
        leaving = self.screen
        save = getattr(leaving, "save_pending", None)
        if save is not None:
            save()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if self.current_mode != name:
            await self.switch_mode(name)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        self.close_journal()
        self.exit()

    def screen_keys(self, screen: Screen) -> list[Key]:
        return list(getattr(screen, "KEYS", []))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for key in self.screen_keys(screen) + GLOBAL_KEYS:
            if key.action == "command_palette":
                continue
            yield SystemCommand(
                key.help, f"key: {key.label}", partial(self._run_from_palette, screen, key)
            )
        yield SystemCommand("Change theme", "Pick a colour theme", self.action_change_theme)

    async def _run_from_palette(self, screen: Screen, key: Key) -> None:
        target = self if key in GLOBAL_KEYS else screen
        await target.run_action(key.action)

    # ------------------------------------------------------------- crash output
    def _fatal_error(self) -> None:
        """Like Textual's, but never print local variables: they may hold journal text."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()
