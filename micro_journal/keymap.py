"""Key bindings as data: one place lists every key, its action and what it does.

Screens turn these into Textual ``Binding``s; the help screen (``?``) and the command
palette read the same lists, so a key can never be missing from either.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    key: str  # Textual key name(s), comma-separated for alternatives
    action: str
    description: str  # short, for the footer
    help: str  # one line, for the help screen and the command palette
    show: bool = True
    priority: bool = False
    display: str | None = None  # how the key is written for people

    def binding(self) -> Binding:
        return Binding(
            self.key, self.action, self.description, show=self.show,
            priority=self.priority, key_display=self.display,
        )

    @property
    def label(self) -> str:
        if self.display:
            return self.display
        names = {"question_mark": "?", "space": "space", "escape": "esc", "enter": "enter"}
        return " / ".join(names.get(k.strip(), k.strip()) for k in self.key.split(","))


@dataclass(frozen=True)
class ScreenInfo:
    """A top-level screen reachable with a number key from everywhere."""

    name: str
    key: str
    title: str
    target: str  # "module:Class", imported on first use (keeps start-up fast)
    help: str


# Add a line here when a screen lands; screens not listed are simply not bound.
SCREENS: list[ScreenInfo] = [
    ScreenInfo("today", "1", "Today", "micro_journal.screens.today:TodayScreen",
               "Go to Today: the focus skill and the daily check-in"),
]


def screen_info(name: str) -> ScreenInfo | None:
    return next((s for s in SCREENS if s.name == name), None)


GLOBAL_KEYS: list[Key] = [
    *(Key(s.key, f"goto('{s.name}')", s.title, s.help, show=False) for s in SCREENS),
    Key("question_mark", "help", "Keys", "Show every key of this screen and the global ones",
        display="?"),
    Key("ctrl+p", "command_palette", "Palette", "Open the command palette", show=False,
        display="ctrl+p"),
    Key("q", "quit", "Quit", "Save everything and quit"),
]

TODAY_KEYS: list[Key] = [
    Key("space", "check_in", "Done", "Mark the selected skill done for today"),
    Key("s", "skip", "Skip", "Mark today a rest day for the selected skill (keeps the streak)"),
    Key("enter", "details", "Details", "Check in with minutes, the metric's value and a note"),
    Key("x", "undo", "Undo", "Undo today's check-in of the selected skill"),
    Key("p", "timer", "Timer", "Start (or pause) the practice timer for the selected skill"),
    Key("escape", "stop_timer", "Stop", "Stop the practice timer"),
    Key("down,j", "move(1)", "Next", "Select the next skill", show=False, display="↓ / j"),
    Key("up,k", "move(-1)", "Previous", "Select the previous skill", show=False,
        display="↑ / k"),
    Key("n", "new_skill", "New skill", "Create a micro-skill (and its objective)"),
    Key("d", "open_demo", "Demo", "Open the demo journal (in a temporary folder)"),
]


def bindings(keys: list[Key]) -> list[Binding]:
    return [k.binding() for k in keys]
