"""The Textual app: opens the journal, registers themes, routes global keys."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.screen import ModalScreen, Screen

from .config import Config
from .domain.clock import Clock
from .keymap import GLOBAL_KEYS, SCREENS, Key, bindings, screen_info
from .store import JournalError, Repository, open_journal
from .store.allocations import long_lived
from .store.backups import daily_in_background
from .store.journal import Journal
from .textual_internals import (
    CrashHooks,
    can_refresh_ansi_filter,
    mark_css_current,
    refresh_ansi_filter,
)
from .themes import ThemeCatalog

if TYPE_CHECKING:
    from .screens.editor import EditorScreen

TEST_CRASH_ENV = "MICRO_JOURNAL_TEST_CRASH"  # binds f12 to a crash, for tests
# how often a read-only app (another micro-journal holds the lock) tries to take the lock
LOCK_POLL_SECONDS = 2.0
# how often the journal's folder is looked at for what a sync tool brought (store/sync.py)
SYNC_POLL_SECONDS = 5.0
# the day-boundary timer is placed this long after start (its pendulum import waits)
DAY_TIMER_DELAY = 1.0


def shutdown_signals() -> list[int]:
    """The signals that end the app with its text saved: SIGTERM, and SIGHUP (the
    terminal closed) where the system has it — Windows has no SIGHUP, and its event
    loop takes no signal handlers at all (the caller skips what it refuses)."""
    import signal

    found = (getattr(signal, name, None) for name in ("SIGTERM", "SIGHUP"))
    return [sig for sig in found if sig is not None]


def _load_screen(target: str) -> type[Screen]:
    from importlib import import_module

    module, _, cls = target.partition(":")
    return getattr(import_module(module), cls)


def _new_mode_screen(target: str) -> Screen:
    """The first screen of a mode, built on its first visit."""
    screen = _load_screen(target)()
    try:
        app = screen.app
    except Exception:  # no running app (a test building a screen by hand)
        return screen
    if isinstance(app, MicroJournalApp):
        app.load_styles(screen)
        # Textual (8.2) re-parses every stylesheet and restyles the app when a mode's new
        # screen has never been through a CSS refresh (``App._init_mode``): ~20 ms at
        # start-up and again on the first visit to each screen. Of that refresh the new
        # screen needs nothing (it takes its styles from the stylesheet as it mounts) and
        # the app only its own styles, before the first screen draws: apply those, and
        # mark the screen as current.
        app.stylesheet.apply(app)
        mark_css_current(app, screen)
    return screen


# Our stylesheets (micro_journal/styles), in cascade order: when two rules of the same
# specificity disagree, the one in the later file wins. The app reads the first at start
# (all the Today screen needs); each other screen or dialog names the files it uses in its
# CSS_PATH, read when it is first shown (see MicroJournalApp.load_styles).
STYLESHEETS = ("app.tcss", "journal.tcss", "settings.tcss", "plan.tcss", "goals.tcss",
               "progress.tcss", "messages.tcss")


class MicroJournalApp(CrashHooks, App[None]):
    """micro-journal's terminal app. Build it with ``micro_journal.cli.make_app``."""

    TITLE = "micro-journal"
    # Today and the rules shared by every screen and dialog; an area's own stylesheet is
    # named by its screens (CSS_PATH) and read on first use. A new file goes in STYLESHEETS.
    CSS_PATH = "styles/app.tcss"
    BINDINGS = bindings(GLOBAL_KEYS)
    ENABLE_COMMAND_PALETTE = True
    # Each top-level screen is a mode with its own stack; built on first visit.
    MODES = {s.name: partial(_new_mode_screen, s.target) for s in SCREENS}
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
        self.keymap: dict[str, str] = {}  # the user's [keys] remaps that were accepted
        # weekly reviews already announced (journal, objective, week): said once a session
        self.reviews_offered: set[tuple[str, str, dt.date]] = set()
        self.theme_catalog: ThemeCatalog | None = None
        self._theme_problems: list[tuple[str, str]] = []  # (title, message), told on mount
        self.editors: set[EditorScreen] = set()  # open entry editors, saved on quit/signal/crash
        self._first_frame = contextlib.ExitStack()  # closed once the first frame is up
        # work that waits for the first frame to be on the terminal (after_first_frame)
        self._first_frame_shown = False
        self._after_first_frame: list[Callable[[], object]] = []
        # temporary demo folders made for this app (by switch_to_demo or `--demo`),
        # removed when it quits
        self.demo_folders: list[Path] = []
        self._lock_wait_over = False  # a try to take the lock failed for another reason
        self._register_themes()
        if demo:
            from .services.demo_folders import clean_stale_demos, is_demo_folder

            if is_demo_folder(self.db_path.parent):  # made by `micro-journal --demo`
                self.demo_folders.append(self.db_path.parent)
                clean_stale_demos(keep=self.db_path.parent)
        self.open_journal_file()
        if os.environ.get(TEST_CRASH_ENV) == "1":
            self.bind("f12", "test_crash", show=False)  # tests/reliability only

    # ------------------------------------------------------------- journal
    def open_journal_file(self) -> bool:
        """(Re)open ``db_path``; on failure keep the error for the recovery screen."""
        self.close_journal()
        try:
            # the day's backup is compressed in a thread: the first frame never waits
            # what the journal is parsed into lives until quit (see store.allocations)
            with long_lived(), daily_in_background():
                journal = open_journal(
                    self.db_path, today=self.clock.today, backups_keep=self.config.backup_keep,
                    first_weekday=self.config.first_weekday,
                )
                repo = Repository(journal)
        except JournalError as err:
            self.open_error = err
            return False
        self.journal, self.repo, self.open_error = journal, repo, None
        self._lock_wait_over = False
        return True

    def close_journal(self) -> None:
        if self.journal is not None:
            self.journal.close()
        self.journal = None
        self.repo = None

    @property
    def read_only_reason(self) -> str | None:
        return self.journal.read_only_reason if self.journal else None

    # ------------------------------------------------------------- read-only → writable
    @property
    def locked_out(self) -> bool:
        """Read-only only because another micro-journal holds the lock (``open_journal``
        names the lock file in the reason then, and only then)."""
        journal = self.journal
        if journal is None or journal.read_only_reason is None or self._lock_wait_over:
            return False
        return str(journal.lock_path) in journal.read_only_reason

    def poll_sync(self) -> None:
        """Merge what a sync tool brought into the journal's folder (another device's
        conflict copy, change log, or journal.json): every screen then shows it. Not
        while an editor is open: its entry is merged once it is closed."""
        journal, repo = self.journal, self.repo
        if journal is None or repo is None or journal.read_only or self.editors:
            return
        before = journal.storage.replacements
        try:
            told = journal.sync()
        except JournalError as err:
            self.notify(f"Could not merge another device's changes: {err}", title="Sync",
                        severity="error", timeout=12)
            return
        if journal.storage.replacements != before:
            repo.forget_indexes()
            self.refresh_screens()
        for line in told:
            self.notify(line, title="Sync", timeout=12)

    def _poll_lock(self) -> None:
        if self.locked_out:
            self.try_writable(quiet=True)

    def action_try_writable(self) -> None:
        """The palette's "Try to write again": take the lock now if it is free."""
        if self.journal is not None and not self.journal.read_only:
            self.notify("The journal is not read-only: you can write.", timeout=4)
        elif not self.locked_out:
            self.notify(
                f"The journal is read-only ({self.read_only_reason}); trying again cannot "
                "change that.", title="Read-only", severity="warning", timeout=8,
            )
        else:
            self.try_writable(quiet=False)

    def try_writable(self, *, quiet: bool) -> bool:
        """Take the lock another micro-journal held and reopen the journal for writing.

        Cheap while the other one still runs (``open_journal`` refuses at the lock, before
        reading anything). Once free, the journal is read afresh (the other app folded its
        changes in as it quit), every screen redraws from it and open editors move onto
        it, their text saved (see ``_carry_editors``). True when the journal is writable.
        """
        from .store import JournalLocked

        old = self.journal
        if old is None or not self.locked_out:
            return old is not None and not old.read_only
        for editor in list(self.editors):
            with contextlib.suppress(Exception):
                editor.write_draft()  # the text is on disk whatever happens next
        try:
            journal = open_journal(
                self.db_path, today=self.clock.today, on_locked="refuse",
                backups_keep=self.config.backup_keep, first_weekday=self.config.first_weekday,
            )
        except JournalLocked:
            if not quiet:
                self.notify(
                    "Another micro-journal still has the journal open. This one becomes "
                    "writable by itself when that one quits.",
                    title="Read-only", severity="warning", timeout=8,
                )
            return False
        except JournalError as err:
            # not the lock: nothing to wait for any more; keep showing what we have
            self._lock_wait_over = True
            self.notify(str(err), title="Journal", severity="error", timeout=15)
            return False
        self.journal, self.repo = journal, Repository(journal)
        old.close()
        told = self._carry_editors()
        self.refresh_screens()
        for notice in journal.notices:
            self.notify(notice, title="Journal", timeout=10)
        if journal.read_only:  # e.g. the other app was a newer micro-journal
            self._lock_wait_over = True
            self.notify(
                f"The other micro-journal closed, but the journal is read-only: "
                f"{journal.read_only_reason}.", title="Read-only", severity="warning",
                timeout=15,
            )
            return False
        self.notify(
            "The other micro-journal closed: you can write now." + "".join(told),
            title="Journal", timeout=8,
        )
        if not self.editors:
            self.offer_drafts()  # text typed while read-only, in editors closed since
        return True

    def _carry_editors(self) -> list[str]:
        """Move open editors onto the journal just reopened (``open_editors.py``)."""
        from .open_editors import carry_editors

        return carry_editors(self)

    # ------------------------------------------------------------- lifecycle
    def get_theme_variable_defaults(self) -> dict[str, str]:
        from .themes import VARIABLE_DEFAULTS

        return dict(VARIABLE_DEFAULTS)

    def on_load(self) -> None:
        # the first screen (and the stylesheet) live until quit: built without the garbage
        # collector, then frozen (see store.allocations; on_unmount unfreezes it all)
        self._first_frame.enter_context(long_lived())

    def after_first_frame(self, callback: Callable[..., object], *args: Any) -> None:
        """Run ``callback`` after the screen's next refresh, and not before the first
        frame is on the terminal. Textual builds the first screen inside a batch whose
        frames are not shown: a callback "after refresh" then runs before the first
        frame is, and holds it back (the weekly-review offer, ~15 ms at ten years)."""
        if self._first_frame_shown:
            self.call_after_refresh(callback, *args)
        else:
            self._after_first_frame.append(partial(callback, *args))

    def on_ready(self) -> None:
        # Textual's Ready: the first frame has been shown
        self._first_frame_shown = True
        waiting, self._after_first_frame = self._after_first_frame, []
        for callback in waiting:
            self.call_after_refresh(callback)

    def _first_frame_done(self) -> None:
        self._first_frame.close()

    def on_mount(self) -> None:
        self.after_first_frame(self._first_frame_done)
        for title, problem in self._theme_problems:
            self.notify(problem, title=title, severity="warning", timeout=10)
        self._apply_keys()
        for problem in self.config.problems:
            self.notify(problem, title="Settings", severity="warning", timeout=10)
        if self.journal:
            for notice in self.journal.notices:
                self.notify(notice, title="Journal", timeout=10)
        if self.open_error is not None:
            self.show_recovery()
        else:
            self.after_first_frame(self.offer_drafts)
        # placing the next day's start (DST) imports pendulum (~20 ms): a second after the
        # first frame, not in the work right after it, where it held up the first keys
        # (the day is checked then too: a start a moment before midnight)
        self.set_timer(DAY_TIMER_DELAY, self._day_boundary)
        # a slow safety net for what no timer sees: a laptop waking up, the clock or the
        # time zone changing
        self.set_interval(60, self.check_day)
        # read-only because another micro-journal has the journal: writable once it quits
        self.set_interval(LOCK_POLL_SECONDS, self._poll_lock)
        # another device's saves, synced into the journal's folder: merged as they come
        self.set_interval(SYNC_POLL_SECONDS, self.poll_sync)
        self._install_signal_handlers()

    def offer_drafts(self) -> None:
        """Text that never reached the journal (the app died, the disk was full…)."""
        from .open_editors import offer_drafts

        offer_drafts(self)

    # ------------------------------------------------------------- never lose text
    def emergency_save(self) -> bool:
        """Save every open editor now (quit, SIGTERM, SIGHUP, crash).

        False when some text reached neither the journal nor a draft.
        """
        safe = True
        for editor in list(self.editors):
            try:
                if not editor.save_pending(quiet=True) and not editor.write_draft():
                    safe = False
            except Exception:
                safe = False
        return safe

    def _install_signal_handlers(self) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        self._signals = []
        for sig in shutdown_signals():
            try:
                loop.add_signal_handler(sig, self._on_signal, sig)
            except (NotImplementedError, RuntimeError, ValueError):
                continue
            self._signals.append(sig)

    def _on_signal(self, sig: int) -> None:
        self.emergency_save()
        self.close_journal()
        self.exit(return_code=128 + int(sig))

    def action_test_crash(self) -> None:
        """f12 when MICRO_JOURNAL_TEST_CRASH=1: crash with journal text in a local."""
        unsaved = [editor.text for editor in self.editors]
        raise RuntimeError(f"test crash ({len(unsaved)} editor(s) open)")

    def crashing(self) -> None:
        """An unhandled exception: save what the editors hold before Textual ends the
        app (CrashHooks, textual_internals.py)."""
        self._first_frame_done()
        with contextlib.suppress(Exception):
            self.emergency_save()

    def on_unmount(self) -> None:
        import asyncio

        self._first_frame_done()
        gc.unfreeze()  # what start-up froze can be collected again
        with contextlib.suppress(Exception):
            loop = asyncio.get_running_loop()
            for sig in getattr(self, "_signals", []):
                loop.remove_signal_handler(sig)
        self.emergency_save()
        self.close_journal()
        if self.demo_folders:
            from .services.demo_folders import remove_demo_folder

            for folder in self.demo_folders:
                remove_demo_folder(folder)

    # ------------------------------------------------------------- stylesheets
    def load_styles(self, screen: Screen) -> None:
        """Read the stylesheets ``screen`` names in its CSS_PATH that are not read yet.

        Textual reads them too, as the screen is shown, but by re-parsing every stylesheet
        the app has (~25 ms); here only the new files are parsed. Our files keep the order
        of STYLESHEETS whatever order they are read in, so a rule wins the same ties as
        when every file was read at start.
        """
        sheet = self.stylesheet
        new = [path for path in screen.css_path if not sheet.has_source(str(path))]
        if not new:
            return
        for path in new:
            sheet.read(path)

        def rank(location: tuple[str, str]) -> int:
            return STYLESHEETS.index(Path(location[0]).name)

        order = list(sheet.source)
        slots = [i for i, (path, var) in enumerate(order)
                 if not var and Path(path).name in STYLESHEETS]
        for i, location in zip(slots, sorted((order[i] for i in slots), key=rank),
                               strict=True):
            order[i] = location
        sheet.source = {location: sheet.source[location] for location in order}
        sheet.parse()

    def push_screen(self, screen, *args, **kwargs):
        if isinstance(screen, Screen):
            self.load_styles(screen)
            if isinstance(screen, ModalScreen):
                # once the dialog is laid out, the toasts make room under it
                self.call_after_refresh(self.keep_toasts_clear)
        return super().push_screen(screen, *args, **kwargs)

    # ------------------------------------------------------------- themes, keys, settings
    def _register_themes(self) -> None:
        """Register the theme files and choose the configured theme, before any CSS is
        parsed: the problems found are told once the app is mounted."""
        from .themes import DEFAULT_THEME, load_themes, user_theme_dir

        self.theme_catalog = catalog = load_themes(None, user_theme_dir())
        for theme in catalog.themes:
            self.register_theme(theme)
        self._theme_problems = [("Themes", problem) for problem in catalog.problems]
        wanted = self.config.theme
        if wanted not in self.available_themes:
            self._theme_problems.append((
                "Settings",
                f"config.toml: theme = {wanted!r} is not a theme here; using {DEFAULT_THEME}. "
                "Pick one with ctrl+p → Change theme.",
            ))
            wanted = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        self._set_start_theme(wanted)

    def _set_start_theme(self, name: str) -> None:
        """``self.theme = name`` for an app not yet running, without the CSS refresh.

        Setting the theme makes Textual re-parse every stylesheet with the new colours;
        once the app runs, that is a second full parse of all our CSS (~20 ms of start-up,
        and the parse cache is lost for the widgets mounted after). Here nothing is parsed
        yet: give the stylesheet the theme's variables and do the rest of what the theme
        watcher (``App._watch_theme``) does.
        """
        if not can_refresh_ansi_filter(self):
            self.theme = name  # Textual's own way: a CSS refresh more, always right
            return
        self.set_reactive(App.theme, name)
        theme = self.current_theme
        self.add_class(f"-theme-{theme.name}", update=False)
        self.set_class(theme.dark, "-dark-mode", update=False)
        self.set_class(not theme.dark, "-light-mode", update=False)
        refresh_ansi_filter(self)
        self.stylesheet.set_variables(self.get_css_variables())

    def _apply_keys(self) -> None:
        """The [keys] table of config.toml, checked, as Textual's keymap."""
        from .keymap import resolve_keymap

        self.keymap, problems = resolve_keymap(self.config.keys)
        self.set_keymap(self.keymap)
        for problem in problems:
            self.notify(problem, title="Keys", severity="warning", timeout=12)

    def action_change_theme(self) -> None:
        """The theme picker: previews as you move; enter keeps (and saves) the theme."""
        from .screens.theme_picker import ThemePicker

        def chosen(name: str | None) -> None:
            if name is not None and name != self.config.theme:
                self.save_settings(theme=name)

        self.push_screen(ThemePicker(self.theme, self.theme_catalog), chosen)

    def save_settings(self, **values: object) -> bool:
        """Write new setting values to config.toml, then apply them; False if not saved."""
        from .config import ConfigSaveError, save_config, with_settings

        new = with_settings(self.config, **values)
        try:
            note = save_config(new)
        except ConfigSaveError as err:
            self.notify(str(err), title="Settings not saved", severity="error", timeout=15)
            return False
        self.apply_config(new)
        if note:
            self.notify(note, title="Settings", severity="warning", timeout=15)
        return True

    def apply_config(self, new: Config) -> None:
        """Use ``new`` from now on: theme, day-start hour and week start apply at once."""
        old, self.config = self.config, new
        if new.theme != self.theme and new.theme in self.available_themes:
            self.theme = new.theme
        self.clock.day_start_hour = new.day_start_hour
        if self.journal is not None:
            self.journal.backups_keep = new.backup_keep
        if (old.day_start_hour, old.week_start) != (new.day_start_hour, new.week_start):
            self.today = self.clock.today()
            self.refresh_screens()

    def _schedule_day_boundary(self) -> None:
        """Wake up just after the next day starts (midnight, or the day-start hour)."""
        self.set_timer(self.clock.seconds_until_tomorrow() + 0.5, self._day_boundary)

    def _day_boundary(self) -> None:
        self.check_day()
        self._schedule_day_boundary()

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
        from .services.demo import write_demo
        from .services.demo_folders import (
            clean_stale_demos,
            make_demo_folder,
            remove_demo_folder,
        )

        folder = make_demo_folder()
        self.demo_folders.append(folder)  # removed when the app quits
        clean_stale_demos(keep=folder)
        path = folder / "journal.json"
        try:
            with open_journal(path, today=self.clock.today) as journal:
                write_demo(Repository(journal), self.clock.today(), self.config.first_weekday)
        except JournalError as err:
            self.notify(str(err), title="Demo", severity="error")
            self.demo_folders.remove(folder)
            remove_demo_folder(folder)
            return
        self.db_path = path
        self.demo = True
        self.open_journal_file()
        self.refresh_screens()
        self.notify(f"Demo journal in {path}. Your own journal is untouched.", title="Demo")

    # ------------------------------------------------------------- switching
    _switching = False

    def switch_mode(self, mode: str):
        """Textual holds painting back 50 ms on every switch, to hide a half-built
        screen. Ours are whole at their first frame (each fills itself in ``on_mount``
        from the journal, before it is laid out), and a screen already built is redrawn
        before the switch returns: the hold only cost a frame drawn and thrown away and
        a second one drawn after it (~100 ms of a first visit to the Journal)."""
        self._switching = True
        try:
            return super().switch_mode(mode)
        finally:
            self._switching = False

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._switching:  # the command palette's hold, as Textual has it
            super().delay_update(delay)

    # ------------------------------------------------------------- actions
    async def action_goto(self, name: str) -> None:
        """Switch to a top-level screen (closing any dialog open on this one)."""
        if screen_info(name) is None:
            return
        if self.open_error is not None:
            return  # the recovery dialog must be answered first
        self.emergency_save()
        if self.current_mode != name:
            await self.switch_mode(name)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        if not self.emergency_save() and not getattr(self, "_quit_anyway", False):
            # the text is on no disk at all: quitting now would lose it
            self._quit_anyway = True
            self.notify(
                "Your text could not be saved, not even as a draft (see the editor). "
                "Quit again to leave anyway — that text would be lost.",
                title="Not saved", severity="error", timeout=15,
            )
            return
        self.close_journal()
        self.exit()

    def screen_keys(self, screen: Screen) -> list[Key]:
        return list(getattr(screen, "KEYS", []))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's commands: every key, and a few without one (``palette.py``)."""
        from .palette import system_commands

        return system_commands(self, screen)

    def open_portability(self, mode: str) -> None:
        """The export/import dialog (services/portability does the work)."""
        from .screens.portability import PortabilityDialog

        if self.repo is None:
            self.notify("No journal is open.", severity="error")
            return

        def done(message: str | None) -> None:
            if message:
                self.notify(message, title=mode.capitalize(), timeout=10)
                if mode == "import":
                    self.refresh_screens()

        self.push_screen(PortabilityDialog(mode), done)

    # ------------------------------------------------------------- notices
    def notify(
        self, message: str, *, title: str = "", markup: bool = True, **kwargs
    ) -> None:
        """A toast. Messages hold user text (titles, actions, paths, errors), so every
        toast is plain text, never markup (``markup`` is ignored: ``Widget.notify``
        always passes True), with its control characters shown as placeholders."""
        from .domain.text import visible

        super().notify(
            visible(message, lines=True), title=visible(title), markup=False, **kwargs
        )
        self.call_after_refresh(self.keep_toasts_clear)

    def on_resize(self) -> None:
        self.call_after_refresh(self.keep_toasts_clear)

    def keep_toasts_clear(self, tries: int = 3) -> None:
        from .notices import keep_toasts_clear

        keep_toasts_clear(self, tries)

    def withdraw_notices(self, *phrases: str) -> None:
        """Take back the toasts containing any of ``phrases`` (see ``notices``)."""
        from .notices import withdraw_notices

        withdraw_notices(self, *phrases)
