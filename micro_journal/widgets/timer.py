"""The practice timer: counts a skill's practice minutes down, can pause and stop.

Elapsed time is read from the app's clock (not counted in ticks), so it stays right
when the terminal is slow, and tests move it by moving a fixed clock.
"""

from __future__ import annotations

import datetime as dt
import math

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.markup import escape
from textual.message import Message
from textual.widgets import ProgressBar, Static


class PracticeTimer(Horizontal):
    DEFAULT_CSS = """
    PracticeTimer {
        height: 1;
        display: none;
        background: $boost;
        padding: 0 1;
    }
    PracticeTimer.-active { display: block; }
    PracticeTimer #timer-label { width: 1fr; }
    PracticeTimer ProgressBar { width: 32; }
    PracticeTimer #timer-time { width: 16; text-align: right; }
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
        self._ticker = None

    def compose(self) -> ComposeResult:
        yield Static(id="timer-label")
        yield ProgressBar(total=100, show_eta=False, show_percentage=False)
        yield Static(id="timer-time")

    @property
    def active(self) -> bool:
        return self.skill_id is not None

    @property
    def running(self) -> bool:
        return self.started_at is not None

    def elapsed(self) -> float:
        running = 0.0
        if self.started_at is not None:
            running = (self.app.clock.now() - self.started_at).total_seconds()
        return max(0.0, self.elapsed_before + running)

    def start(self, skill_id: str, title: str, minutes: int) -> None:
        self.skill_id = skill_id
        self.title = title
        self.total = max(1, minutes) * 60.0
        self.elapsed_before = 0.0
        self.started_at = self.app.clock.now()
        self.add_class("-active")
        if self._ticker is None:
            self._ticker = self.set_interval(0.25, self.tick)
        self.tick()

    def toggle_pause(self) -> None:
        if self.started_at is not None:
            self.elapsed_before = self.elapsed()
            self.started_at = None
        elif self.active:
            self.started_at = self.app.clock.now()
        self.tick()

    def stop(self) -> int:
        """Stop without finishing; returns whole minutes practised (rounded up)."""
        minutes = math.ceil(self.elapsed() / 60) if self.elapsed() else 0
        self._reset()
        return minutes

    def _reset(self) -> None:
        self.skill_id = None
        self.started_at = None
        self.elapsed_before = 0.0
        self.remove_class("-active")
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def tick(self) -> None:
        if not self.active:
            return
        elapsed = self.elapsed()
        if elapsed >= self.total:
            skill_id, minutes = self.skill_id, round(self.total / 60)
            self._reset()
            self.post_message(self.Finished(skill_id, minutes))
            return
        left = self.total - elapsed
        paused = "" if self.running else "  [$warning]paused[/]"
        self.query_one("#timer-label", Static).update(
            f"⏱ [b]{escape(self.title)}[/b]{paused}"
        )
        self.query_one(ProgressBar).update(progress=100 * elapsed / self.total)
        self.query_one("#timer-time", Static).update(
            f"{int(left // 60):02d}:{int(left % 60):02d} left"
        )
