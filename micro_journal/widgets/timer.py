"""The practice timer: counts a skill's practice minutes down, can pause and stop.

Elapsed time is read from the app's clock (not counted in ticks), so it stays right
when the terminal is slow, and tests move it by moving a fixed clock.

One line: the skill's title (cut with … when the line is short), the state and its
keys (``p pauses · esc stops`` / ``paused · p resumes``), the bar and the time left.
The state and the time always keep their room; only the title gives way.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol, cast

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ProgressBar, Static

from ..domain.clock import Clock
from ..domain.text import markup_line, visible


class ClockedApp(Protocol):
    """What the timer reads from the app it runs in (MicroJournalApp, which the widgets
    may not import): the clock that tells the time."""

    clock: Clock


def duration_text(seconds: float) -> str:
    """``5 s``, ``1 min``, ``3 min 20 s``, ``1 h 05 min``: the time as practised."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class PracticeTimer(Horizontal):
    DEFAULT_CSS = """
    PracticeTimer {
        height: 1;
        display: none;
        background: $boost;
        padding: 0 1;
    }
    PracticeTimer.-active { display: block; }
    PracticeTimer #timer-label {
        width: 2fr;
        min-width: 12;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    PracticeTimer #timer-state { width: auto; padding: 0 1; }
    PracticeTimer ProgressBar { width: 1fr; max-width: 34; min-width: 8; }
    PracticeTimer ProgressBar Bar { width: 1fr; }
    PracticeTimer #timer-time { width: auto; padding: 0 0 0 1; }
    """

    class Finished(Message):
        def __init__(self, skill_id: str, minutes: int) -> None:
            super().__init__()
            self.skill_id = skill_id
            self.minutes = minutes

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.skill_id: str | None = None
        self.title = ""
        self.total = 0.0
        self.elapsed_before = 0.0
        self.started_at: dt.datetime | None = None
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="timer-label", markup=False)
        yield Static(id="timer-state")
        yield ProgressBar(total=100, show_eta=False, show_percentage=False)
        yield Static(id="timer-time")

    @property
    def active(self) -> bool:
        return self.skill_id is not None

    @property
    def running(self) -> bool:
        return self.started_at is not None

    @property
    def paused(self) -> bool:
        return self.active and not self.running

    @property
    def clock(self) -> Clock:
        """The app's clock (Textual types ``self.app`` as ``App[Any]``)."""
        return cast(ClockedApp, self.app).clock

    def elapsed(self) -> float:
        running = 0.0
        if self.started_at is not None:
            running = (self.clock.now() - self.started_at).total_seconds()
        return max(0.0, self.elapsed_before + running)

    def start(self, skill_id: str, title: str, minutes: int) -> None:
        self.skill_id = skill_id
        self.title = title
        self.total = max(1, minutes) * 60.0
        self.elapsed_before = 0.0
        self.started_at = self.clock.now()
        self.add_class("-active")
        self.query_one("#timer-label", Static).update(f"⏱ {visible(title)}")
        if self._ticker is None:
            self._ticker = self.set_interval(0.25, self.tick)
        self.tick()

    def toggle_pause(self) -> None:
        if self.started_at is not None:
            self.elapsed_before = self.elapsed()
            self.started_at = None
        elif self.active:
            self.started_at = self.clock.now()
        self.tick()

    def stop(self) -> float:
        """Stop without finishing; returns the seconds practised."""
        seconds = self.elapsed()
        self._reset()
        return seconds

    def _reset(self) -> None:
        self.skill_id = None
        self.started_at = None
        self.elapsed_before = 0.0
        self.remove_class("-active")
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def state_text(self, keys: dict[str, str] | None = None) -> str:
        """``p pauses · esc stops`` while running, ``paused · p resumes`` when paused."""
        keys = keys or {}
        pause, stop = keys.get("timer", "p"), keys.get("stop", "esc")
        if self.running:
            return f"[$text-muted]{markup_line(pause)} pauses · {markup_line(stop)} stops[/]"
        return f"[b $warning]paused[/] [$text-muted]· {markup_line(pause)} resumes[/]"

    def tick(self) -> None:
        skill_id = self.skill_id
        if skill_id is None:  # not active
            return
        elapsed = self.elapsed()
        if elapsed >= self.total:
            minutes = round(self.total / 60)
            self._reset()
            self.post_message(self.Finished(skill_id, minutes))
            return
        left = self.total - elapsed
        self.query_one("#timer-state", Static).update(self.state_text(self._key_labels()))
        self.query_one(ProgressBar).update(progress=100 * elapsed / self.total)
        self.query_one("#timer-time", Static).update(
            f"{int(left // 60):02d}:{int(left % 60):02d} left"
        )

    def _key_labels(self) -> dict[str, str]:
        """The timer's keys as the user has them (remapped in config.toml or not)."""
        from ..keymap import TODAY_KEYS

        keymap = getattr(self.app, "keymap", {})
        labels = {}
        for key in TODAY_KEYS:
            if key.id == "today.timer":
                labels["timer"] = key.label_in(keymap)
            elif key.id == "today.stop_timer":
                labels["stop"] = key.label_in(keymap)
        return labels
