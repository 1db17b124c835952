"""Key bindings as data: one place lists every key, its action and what it does.

Screens turn these into Textual ``Binding``s; the help screen (``?``) and the command
palette read the same lists, so a key can never be missing from either.

Every key has a stable id (``"<scope>.<name>"``, e.g. ``today.check_in``) that users
remap in the ``[keys]`` table of ``config.toml``. Wrap each screen's list in
``keyset("scope", [...])``: it fills in the ids (from the action name, or ``id=`` when
the action takes arguments) and registers the list so remaps can be checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    key: str  # Textual key name(s), comma-separated for alternatives
    action: str
    description: str  # short, for the footer
    help: str  # one line, for the help screen and the command palette
    show: bool = True
    priority: bool = False
    display: str | None = None  # how the key is written for people
    id: str | None = None  # stable id for remapping; keyset() fills it in

    def binding(self) -> Binding:
        return Binding(
            self.key, self.action, self.description, show=self.show,
            priority=self.priority, key_display=self.display, id=self.id,
        )

    @property
    def label(self) -> str:
        if self.display:
            return self.display
        return key_label(self.key)

    def label_in(self, keymap: Mapping[str, str]) -> str:
        """How the key is written once the user's remaps are applied."""
        if self.id and self.id in keymap:
            return key_label(keymap[self.id])
        return self.label

    def keys_in(self, keymap: Mapping[str, str]) -> list[str]:
        """The Textual key names this action answers to, after remaps."""
        raw = keymap.get(self.id, self.key) if self.id else self.key
        return [normalize_key(k) for k in raw.split(",") if k.strip()]


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
    ScreenInfo("journal", "2", "Journal", "micro_journal.screens.journal:JournalBrowser",
               "Go to the Journal: write today's entry, browse and search past ones"),
    ScreenInfo("plan", "3", "Plan", "micro_journal.screens.plan:PlanScreen",
               "Go to the Plan: week-by-week skill stacking, holds, the next skill"),
    ScreenInfo("progress", "4", "Progress", "micro_journal.screens.progress:ProgressScreen",
               "Go to Progress: charts, year calendar, streaks and achievements"),
    ScreenInfo("goals", "5", "Goals", "micro_journal.screens.goals:GoalsScreen",
               "Go to Goals: micro-goals by objective, complete, reschedule, monthly review"),
    ScreenInfo("settings", "comma", "Settings", "micro_journal.screens.settings:SettingsScreen",
               "Open Settings: theme, week and day start, template, backups"),
]


def screen_info(name: str) -> ScreenInfo | None:
    return next((s for s in SCREENS if s.name == name), None)


# every keyset() list by scope: the ids a [keys] remap may name
KEYSETS: dict[str, list[Key]] = {}


def _slug(action: str) -> str:
    """``check_in`` → ``check_in``; ``month(-1)`` → ``month_minus1`` (args kept apart)."""
    return re.sub(r"[^0-9a-z]+", "_", action.lower().replace("-", "minus")).strip("_")


def keyset(scope: str, keys: list[Key]) -> list[Key]:
    """Give every key of ``scope`` its stable id and register the list for remapping."""
    done = [k if k.id else replace(k, id=f"{scope}.{_slug(k.action)}") for k in keys]
    KEYSETS[scope] = done
    return done


GLOBAL_KEYS: list[Key] = keyset("app", [
    *(Key(s.key, f"goto('{s.name}')", s.title, s.help, show=False, id=f"app.goto_{s.name}")
      for s in SCREENS),
    Key("question_mark", "help", "Keys", "Keys: every key of this screen and the global ones",
        display="?"),
    Key("ctrl+p", "command_palette", "Palette", "Open the command palette", show=False,
        display="ctrl+p", id="app.palette"),
    Key("q", "quit", "Quit", "Save everything and quit"),
])

TODAY_KEYS: list[Key] = keyset("today", [
    Key("space", "check_in", "Done", "Mark the selected skill done for today"),
    Key("s", "skip", "Skip", "Skip: a rest day for the selected skill (keeps the streak)"),
    Key("enter", "details", "Details", "Details: check in with minutes, the metric's value and "
        "a note"),
    Key("x", "undo", "Undo", "Undo today's check-in of the selected skill"),
    Key("p", "timer", "Timer", "Start (or pause) the practice timer for the selected skill"),
    # the timer bar shows "esc stops" while it runs: the 80-column footer has no room left
    Key("escape", "stop_timer", "Stop", "Stop the practice timer", show=False),
    Key("down,j", "move(1)", "Next", "Select the next skill", show=False, display="↓ / j",
        id="today.down"),
    Key("up,k", "move(-1)", "Previous", "Select the previous skill", show=False,
        display="↑ / k", id="today.up"),
    Key("n", "new_skill", "New skill", "New skill: create a micro-skill (and its objective)"),
    Key("d", "open_demo", "Demo", "Open the demo journal in a temporary folder (only while "
        "your journal has no skill; later: micro-journal --demo)"),
    Key("w", "weekly_review", "Review", "Weekly review: last week's when it is due, else this "
        "week's"),
    Key("g", "complete_goal", "Goal done", "Goal done: complete a micro-goal due today or overdue "
        "(then an optional insight)", show=False),
])

PLAN_KEYS: list[Key] = keyset("plan", [
    Key("w", "review", "Review", "Weekly review of the selected week: measurements, notes, "
        "decision"),
    Key("a", "add_week", "Add week", "Add week: plan the next stacked skill at the end"),
    Key("h", "hold", "Hold", "Hold the selected week: repeat it, later weeks move back one week"),
    Key("E", "end_plan", "End plan", "End plan: keep it as history and plan the next cycle",
        display="E"),
    Key("o", "next_objective", "Objective", "Show the plan of the next objective"),
    Key("n", "new_plan", "New plan", "New plan: objective, start week, one skill a week"),
    Key("d", "decide", "Decide", "Review the selected week and decide: stack the next skill, "
        "hold or tweak", show=False),
    Key("e", "change_skill", "Change", "Change the skill of the selected week (this week or "
        "later)", show=False),
    Key("x", "remove_week", "Remove", "Remove the selected week (this week or later); later "
        "weeks move up", show=False),
    Key("J,shift+down", "move_week(1)", "Later", "Move the selected week one week later",
        show=False, display="J / shift+↓", id="plan.move_week_down"),
    Key("K,shift+up", "move_week(-1)", "Earlier", "Move the selected week one week earlier",
        show=False, display="K / shift+↑", id="plan.move_week_up"),
    Key("down,j", "move(1)", "Next", "Select the next week", show=False, display="↓ / j",
        id="plan.down"),
    Key("up,k", "move(-1)", "Previous", "Select the previous week", show=False,
        display="↑ / k", id="plan.up"),
    Key("c", "next_cycle", "Cycle", "Show the objective's other cycles (earlier plans), in turn",
        show=False),
])

PLAN_FORM_KEYS: list[Key] = keyset("plan_form", [
    Key("ctrl+s", "save", "Create", "Create the plan: objective, new skills and weeks in one "
        "save"),
    Key("escape", "cancel", "Cancel", "Cancel: close without creating a plan"),
    Key("enter", "pick", "Pick", "On a week: pick one of the objective's skills, or create one"),
    Key("n", "new_skill", "New skill", "New skill on a week: create a micro-skill for it (with "
        "the checklist)"),
    Key("delete,backspace", "clear_week", "Clear", "On a week: clear its skill",
        display="del"),
    Key("plus", "add_week", "+ week", "+ week: add a week after the highlighted one (outside "
        "the objective field)", display="+"),
    Key("minus", "remove_week", "- week", "- week: remove the highlighted week; later weeks "
        "move up (outside the objective field)", display="-"),
])

REVIEW_KEYS: list[Key] = keyset("review", [
    Key("ctrl+s", "save", "Save", "Save the weekly review (reopening it edits it, never "
        "duplicates)", priority=True),
    Key("escape", "close", "Back", "Back without saving (what you typed is kept for next time)"),
    Key("ctrl+o", "decide", "Decide", "Decide: stack, hold or tweak (the suggestion is "
        "pre-selected)", priority=True),
    Key("ctrl+n", "pick_next", "Next skill", "Next skill to stack: pick next week's (planned, from "
        "the library, yours, or new)", priority=True),
    Key("ctrl+r", "refill", "Refill", "Refill: put the week's check-in values back into the "
        "measurements"),
])


def bindings(keys: list[Key]) -> list[BindingType]:
    """A class's ``BINDINGS``: typed as Textual types that list (which also takes tuples)."""
    return [k.binding() for k in keys]


JOURNAL_KEYS: list[Key] = keyset("journal", [
    Key("e", "edit_today", "Edit today", "Edit today: write today's entry (the newest of today; "
        "new if none)"),
    Key("n", "new_entry", "New", "New entry: start another one for today"),
    Key("enter", "open_entry", "Open", "Open: read the highlighted entry", show=False),
    Key("slash", "search", "Search", "Search all entries as you type", display="/"),
    Key("a", "archive", "Archive", "Archive the highlighted entry (it can be restored)"),
    Key("u", "restore", "Restore", "Restore the highlighted archived entry"),
    Key("A", "toggle_archived", "Archived", "Show archived entries instead of the journal",
        display="A"),
    Key("left_square_bracket", "month(-1)", "Month −1", "Month −1: the calendar's previous month",
        show=False, display="[", id="journal.previous_month"),
    Key("right_square_bracket", "month(1)", "Month +1", "Month +1: the calendar's next month",
        show=False, display="]", id="journal.next_month"),
    Key("c", "calendar", "Calendar", "Pick a day on the calendar (arrows, enter)", show=False),
])

EDITOR_KEYS: list[Key] = keyset("editor", [
    Key("escape", "leave", "Done", "Done: save and leave the editor", priority=True),
    Key("ctrl+s", "save_now", "Save", "Save now (it also saves a second after you stop typing)",
        priority=True),
    Key("ctrl+t", "template", "Prompts", "Insert the reflection prompts", priority=True),
    Key("ctrl+l", "details", "Skills & tags",
        "Skills & tags: linked skills, tags, mood and energy of this entry", priority=True),
    Key("ctrl+r", "preview", "Preview", "Preview: the entry rendered as Markdown (again: edit)",
        priority=True),
    Key("ctrl+e", "external", "$EDITOR", "Edit this entry in your own $EDITOR", priority=True),
])

READER_KEYS: list[Key] = keyset("reader", [
    Key("escape,q", "close", "Back", "Back to the list"),
    Key("e", "edit", "Edit", "Edit this entry"),
    Key("a", "archive", "Archive", "Archive this entry (it can be restored)"),
    Key("u", "restore", "Restore", "Restore this archived entry"),
])


GOALS_KEYS: list[Key] = keyset("goals", [
    Key("n", "new_goal", "New", "New micro-goal: action, objective, deadline, metric, estimate"),
    Key("space", "complete", "Done", "Done: complete the selected goal (then an optional insight)"),
    Key("e,enter", "edit", "Edit", "Edit the selected goal (enter does too)", display="e"),
    Key("r", "reschedule", "Reschedule", "Reschedule: give the selected goal a new deadline"),
    Key("x", "drop", "Drop", "Drop the selected goal, with an optional reason (restorable)"),
    Key("u", "reopen", "Reopen", "Reopen the selected done goal, or restore a dropped one"),
    Key("i", "insight", "Insight", "Write the insight of the selected done goal: what worked, "
        "what to adjust"),
    Key("f", "next_filter", "Filter", "Filter: open → done → dropped → all goals, in turn"),
    Key("plus", "more", "More", "More: list the next 100 of a long list's older goals "
        "(years of done goals are listed 100 at a time)", display="+"),
    Key("m", "review('month')", "Month", "Monthly review: goals done with insights, skills "
        "mastered, stale goals, a note", id="goals.review_month"),
    Key("M", "review('quarter')", "Quarter", "Quarterly review: the same for three months",
        display="M", id="goals.review_quarter", show=False),
    Key("down,j", "move(1)", "Next", "Select the next goal", show=False, display="↓ / j",
        id="goals.down"),
    Key("up,k", "move(-1)", "Previous", "Select the previous goal", show=False,
        display="↑ / k", id="goals.up"),
])

GOAL_FORM_KEYS: list[Key] = keyset("goal_form", [
    Key("ctrl+s", "save", "Save", "Save the micro-goal (a new objective is created with it)",
        priority=True),
    Key("escape", "cancel", "Cancel", "Cancel: close without saving"),
])

GOAL_REVIEW_KEYS: list[Key] = keyset("goal_review", [
    Key("left,h,left_square_bracket", "shift(-1)", "Earlier", "Earlier: the previous month or "
        "quarter", display="← / h", id="goal_review.earlier", show=False),
    Key("right,l,right_square_bracket", "shift(1)", "Later", "Later: the next month or quarter",
        display="→ / l", id="goal_review.later", show=False),
    Key("t", "toggle_kind", "Month/Quarter", "Month/Quarter: switch between the monthly and the "
        "quarterly review"),
    Key("n", "note", "Note", "Write this period's review note (saving again replaces it)"),
    Key("r", "reschedule", "Reschedule", "Reschedule: give the selected stale goal a new deadline"),
    Key("x", "drop", "Drop", "Drop the selected stale goal (restorable on Goals)"),
    Key("down,j", "move(1)", "Next", "Select the next stale goal", show=False,
        display="↓ / j", id="goal_review.down"),
    Key("up,k", "move(-1)", "Previous", "Select the previous stale goal", show=False,
        display="↑ / k", id="goal_review.up"),
    Key("escape", "close", "Back", "Back to Goals"),
])


PROGRESS_KEYS: list[Key] = keyset("progress", [
    Key("right,l", "step(1)", "Next", "Next skill (objective view: next objective; "
        "achievements: later period)", display="→ / l", id="progress.next",
        show=False),  # the screen's top line shows ←/→
    Key("left,h", "step(-1)", "Previous", "Previous skill (objective view: previous "
        "objective; achievements: earlier period)", display="← / h", id="progress.previous",
        show=False),
    Key("o", "toggle_objective", "Objective", "Switch between one skill and its whole "
        "objective"),
    Key("a", "toggle_achievements", "Achievements", "Achievements by week, month and quarter "
        "(again: back to the charts)"),
    Key("t", "next_kind", "Week/Month/Qtr", "Week/Month/Qtr: achievements by weeks → months → "
        "quarters, in turn"),
    Key("s", "save_picture", "Save SVG", "Save SVG: this screen as an SVG picture (the message "
        "says where)"),
    Key("down,j", "scroll(1)", "Down", "Scroll down", show=False, display="↓ / j",
        id="progress.down"),
    Key("up,k", "scroll(-1)", "Up", "Scroll up", show=False, display="↑ / k",
        id="progress.up"),
])


SETTINGS_KEYS: list[Key] = keyset("settings", [
    Key("ctrl+s", "save", "Save", "Save the settings to config.toml and apply them now"),
    Key("ctrl+t", "pick_theme", "Theme", "Pick a colour theme, previewed as you move"),
    Key("ctrl+r", "revert", "Revert", "Revert: forget unsaved changes and show the saved settings"),
    Key("escape", "leave", "Back", "Back to Today (valid changes are saved; others kept here)"),
])


# ----------------------------------------------------------------- remapping
MODIFIERS = {"ctrl", "alt", "shift", "super", "meta", "hyper"}
NAMED_KEYS = {
    "space", "enter", "escape", "tab", "backspace", "delete", "insert", "home", "end",
    "pageup", "pagedown", "up", "down", "left", "right", *(f"f{n}" for n in range(1, 25)),
}
# keys Textual itself needs: remapping an action onto them would take them away
RESERVED_KEYS = {
    "ctrl+c": "copy", "ctrl+q": "quit", "tab": "moving between fields",
    "shift+tab": "moving between fields",
}
_LABELS = {
    "question_mark": "?", "space": "space", "escape": "esc", "enter": "enter", "comma": ",",
    "up": "↑", "down": "↓", "left": "←", "right": "→",
}


def normalize_key(key: str) -> str:
    """Textual's name for a key: ``?`` → ``question_mark``, ``,`` → ``comma``."""
    from textual.keys import _character_to_key

    key = key.strip()
    return _character_to_key(key) if len(key) == 1 else key.lower()


def key_label(keys: str) -> str:
    """``"down,j"`` → ``"↓ / j"``; ``"question_mark"`` → ``"?"``."""
    from textual.keys import format_key

    labels = []
    for raw in keys.split(","):
        key = normalize_key(raw)
        if not key:
            continue
        *mods, base = key.split("+") if len(key) > 1 else [key]
        labels.append("+".join([*mods, _LABELS.get(base) or format_key(base)]))
    return " / ".join(labels)


def key_problem(key: str) -> str | None:
    """Why ``key`` (one key, no commas) cannot be bound, or None when it can."""
    from textual.keys import REPLACED_KEYS, key_to_character

    key = normalize_key(key)
    if not key:
        return "an empty key"
    if key in RESERVED_KEYS:
        return f"{key!r} is kept for {RESERVED_KEYS[key]}"
    *mods, base = key.split("+") if len(key) > 1 else [key]
    char = key_to_character(REPLACED_KEYS.get(base, base)) if len(base) > 1 else base
    # a named printable key: "comma", "question_mark", "section_sign" (not "banana": 🍌)
    known = base in NAMED_KEYS or (char is not None and len(char) == 1 and ord(char) < 256)
    if not base or not known or any(m not in MODIFIERS for m in mods) or " " in key:
        return f"{key!r} is not a key name (write e.g. \"x\", \"ctrl+s\", \"f2\", \"comma\")"
    return None


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    """``{"today": {"check_in": "c"}}`` → ``{"today.check_in": "c"}`` (both TOML spellings)."""
    flat: dict[str, object] = {}
    for name, value in table.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def all_keys() -> dict[str, Key]:
    return {k.id: k for keys in KEYSETS.values() for k in keys if k.id}


def clashes(keymap: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    """(key, ids) for every key that two actions would answer to on one screen."""
    app = KEYSETS.get("app", [])
    scopes = [app] + [keys + app for scope, keys in KEYSETS.items() if scope != "app"]
    found: dict[tuple[str, tuple[str, ...]], None] = {}
    for keys in scopes:
        users: dict[str, list[str]] = {}
        for key in keys:
            for name in dict.fromkeys(key.keys_in(keymap)):
                users.setdefault(name, []).append(key.id or key.action)
        for name, ids in users.items():
            if len(ids) > 1:
                found[(name, tuple(ids))] = None
    return [(name, list(ids)) for name, ids in found]


def resolve_keymap(table: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """The ``[keys]`` table as a Textual keymap (action id → keys), and what was wrong.

    Unknown ids, bad key names and remaps that clash with another key on the same
    screen are reported and left out (the action keeps its default key).
    """
    import difflib

    known = all_keys()
    problems: list[str] = []
    keymap: dict[str, str] = {}
    for key_id, value in _flatten(table).items():
        if key_id not in known:
            close = difflib.get_close_matches(key_id, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"[keys] {key_id!r} is not an action{hint}; ignored.")
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(
                f"[keys] {key_id} = {value!r} is not a key (write e.g. \"ctrl+s\" or "
                f"\"j,down\"); kept {known[key_id].label!r}."
            )
            continue
        parts = [p for p in value.split(",") if p.strip()]
        bad = next((p for p in map(key_problem, parts) if p), None)
        if bad:
            problems.append(f"[keys] {key_id}: {bad}; kept {known[key_id].label!r}.")
            continue
        keymap[key_id] = ",".join(dict.fromkeys(normalize_key(p) for p in parts))
    # a key a screen shadows on purpose (q closing a reader rather than quitting) is fine
    by_design = {(name, tuple(ids)) for name, ids in clashes({})}
    while True:
        found = [
            (name, ids) for name, ids in clashes(keymap)
            if set(ids) & set(keymap) and (name, tuple(ids)) not in by_design
        ]
        if not found:
            break
        for name, ids in found:
            dropped = [i for i in ids if i in keymap]
            problems.append(
                f"[keys] {key_label(name)!r} would be the key of both "
                f"{' and '.join(ids)}; kept the default for {', '.join(dropped)}."
            )
            for key_id in dropped:
                keymap.pop(key_id, None)
    return keymap, problems
