"""micro-journal benchmark: every figure next to a floor measured in the same run.

Run it as a script (it is not collected by pytest):

    .venv/bin/python tests/benchmarks/bench.py            # 1, 10 and 100 years
    .venv/bin/python tests/benchmarks/bench.py --quick    # 1 year, few repeats
    .venv/bin/python tests/benchmarks/bench.py --years 10 --only journal memory

Machines here are shared and noisy, so nothing is judged in seconds alone: each
figure is printed with its median, its spread (min–max) and its ratio to a floor
measured moments before on the same machine (groups for ``--only`` in brackets):

* [start] start to the interactive Today screen (process spawn to first frame,
  headless), vs. a bare one-widget Textual app; the same under a pseudo-terminal;
  peak memory at start vs. the bare app; start at 100 years vs. start at 10;
* [save] saving one check-in vs. an append + fsync of the same bytes, and vs. a
  ``json.dump`` + fsync of the whole file (what stock TinyDB does); the fold at quit;
* [cli] the ``checkin`` command vs. a bare Python append + fsync, ``today --json``
  vs. ``python -c pass`` (a new process each time); both at 100 years vs. 1 year;
* [search] full-text search of all notes vs. a plain in-memory scan;
* [keys] key press to the next screen painted, for each screen (press + pause, vs. a
  key with no action); Today's check-in key → the card painted, vs. a key that
  repaints one line of the same screen;
* [journal] first visit to the Journal → its list painted (a fresh process each; at
  once, and after Today has been shown for 1.5 s), and each key typed in its search
  box → the results painted, vs. the one-line repaint key;
* [memory] peak memory after visiting every screen vs. the bare app;
* [export] ``export --format json`` wall time and peak memory vs. a process that
  reads journal.json with orjson and writes it back (fsynced);
* [backups] the backups/ folder after days of ``checkin`` (each a new day) vs.
  journal.json.

"Painted" for the check-in, first-visit and search keys is the first frame the
compositor renders (headless: what a terminal would be sent) that shows the result,
read from the screen's widgets; see PaintClock.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 18)
WORDS = [
    "practice", "pause", "breathe", "smile", "talk", "outline", "focus", "steady", "calm",
    "notice", "adjust", "slower", "audience", "question", "answer", "record", "listen",
    "filler", "voice", "emphasis", "energy", "morning", "evening",
]


# ----------------------------------------------------------------------------- data


def generate(path: Path, years: int, today: dt.date = TODAY, seed: int = 7) -> dict:
    """A synthetic journal of ``years``: a check-in per active skill per day (one skill
    active per day, rotating weekly), a four-week plan ending this week, an entry a day
    of a few hundred characters, a weekly review and a goal every few days. Written as
    one file, like the app writes."""
    from micro_journal.domain.models import (
        SCHEMA_VERSION,
        CheckIn,
        Entry,
        Measurement,
        Metric,
        MicroGoal,
        MicroSkill,
        Objective,
        Plan,
        PlanWeek,
        WeeklyReview,
    )

    rng = random.Random(seed)
    days = 365 * years
    start = today - dt.timedelta(days=days)
    objective = Objective(title="Public speaking")
    skills = [
        MicroSkill(objective_id=objective.id, title=f"Micro-skill {n}",
                   metric=Metric(name="fillers", direction="lower", baseline=12, target=3))
        for n in range(8)
    ]
    # the plan of these weeks (Week 1 -> Week 4, in its fourth week), as a user's plan is
    # a month or so; the years before it are check-ins, reviews and entries
    this_monday = today - dt.timedelta(days=today.weekday())
    plan = Plan(objective_id=objective.id,
                start_week=(this_monday - dt.timedelta(weeks=3)).isoformat(),
                weeks=[PlanWeek(skill_id=skills[n].id) for n in range(4)])
    tables: dict[str, dict[str, dict]] = {
        "meta": {"1": {"schema_version": SCHEMA_VERSION}},
        "objectives": {}, "skills": {}, "plans": {}, "checkins": {}, "entries": {},
        "reviews": {}, "goals": {},
    }

    def put(record) -> None:
        table = tables[record.TABLE]
        table[str(len(table) + 1)] = record.to_dict()

    put(objective)
    for skill in skills:
        put(skill)
    put(plan)
    for n in range(days):
        day = start + dt.timedelta(days=n)
        skill = skills[(n // 7) % len(skills)]
        put(CheckIn(skill_id=skill.id, date=day.isoformat(),
                    status="done" if rng.random() > 0.1 else "skipped",
                    minutes=5 + rng.randint(0, 5), value=float(rng.randint(2, 12)),
                    note=" ".join(rng.choice(WORDS) for _ in range(6))))
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(45, 70)))
        put(Entry(date=day.isoformat(), body=body.capitalize() + ".",
                  skill_ids=[skill.id], tags=[rng.choice(WORDS)]))
        if day.weekday() == 6:
            put(WeeklyReview(week=(day - dt.timedelta(days=6)).isoformat(),
                             objective_id=objective.id,
                             measurements=[Measurement(skill_id=skill.id, value=5.0)],
                             worked="steady", adjust="slower", decision="stack"))
        if n % 5 == 0:
            put(MicroGoal(objective_id=objective.id, action=f"Goal {n}",
                          deadline=day.isoformat(), status="done" if n < days - 30 else "open"))
    # written by the app's own storage (as the journal is after any session): entries
    # last, with their length and checksum (micro_journal/store/layout.py)
    from micro_journal.store import open_journal

    with open_journal(path, today=lambda: today) as journal:
        journal.storage.write(tables)
    return {"checkins": len(tables["checkins"]), "entries": len(tables["entries"]),
            "bytes": path.stat().st_size, "skill_id": skills[0].id}


# ----------------------------------------------------------------------------- timing


@dataclass
class Figure:
    name: str
    samples: list[float]  # seconds (or MiB for memory)
    floor: list[float] | None = None
    floor_name: str = ""
    unit: str = "ms"
    budget: float | None = None  # ratio budget, or absolute (see budget_abs)
    budget_abs: float | None = None  # in `unit`

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def scaled(self, value: float) -> float:
        return value * 1000 if self.unit == "ms" else value

    def ratio(self) -> float | None:
        if not self.floor:
            return None
        return self.median / statistics.median(self.floor)

    def verdict(self) -> str:
        checks = []
        ratio = self.ratio()
        if self.budget is not None and ratio is not None:
            checks.append(ratio <= self.budget)
        if self.budget_abs is not None:
            checks.append(self.scaled(self.median) <= self.budget_abs)
        if not checks:
            return ""
        return "ok" if all(checks) else "OVER"

    def row(self) -> str:
        lo, hi = self.scaled(min(self.samples)), self.scaled(max(self.samples))
        ratio = self.ratio()
        floor = (
            f"{self.scaled(statistics.median(self.floor)):9.2f} {self.unit:<3} {self.floor_name}"
            if self.floor else ""
        )
        budget = []
        if self.budget is not None:
            budget.append(f"≤{self.budget:g}×")
        if self.budget_abs is not None:
            budget.append(f"≤{self.budget_abs:g} {self.unit}")
        return (
            f"{self.name:<42} {self.scaled(self.median):9.2f} {self.unit:<3} "
            f"[{lo:.2f}–{hi:.2f}]  "
            f"{(f'{ratio:6.2f}×') if ratio is not None else '       '}  "
            f"{' '.join(budget):<14} {self.verdict():<4}  {floor}"
        )


def repeat(fn: Callable[[], float | None], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        measured = fn()
        out.append(measured if measured is not None else time.perf_counter() - t0)
    return out


# ----------------------------------------------------------------------------- start-up

# a spawned script's peak memory (every script below starts with it)
PEAK_KIB = r'''
import resource, sys
def peak_kib():
    # VmHWM is this address space's peak; ru_maxrss would include the parent's (it
    # survives exec on Linux)
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
'''

BARE_APP = PEAK_KIB + r"""
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare app")

async def ready(pilot):
    await pilot.pause()
    print("READY", flush=True)
    print(f"RSS {peak_kib()}", flush=True)
    pilot.app.exit()

Bare().run(headless=True, auto_pilot=ready)
"""

OUR_APP = PEAK_KIB + r"""
from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.clock import Clock

async def ready(pilot):
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "TodayScreen", pilot.app.screen
    print("READY", flush=True)
    print(f"RSS {peak_kib()}", flush=True)
    pilot.app.exit()

make_app(sys.argv[1], Clock(), Config()).run(headless=True, auto_pilot=ready)
"""

BARE_TTY = r"""
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare app ready")

Bare().run()
"""


def env_for(config_dir: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "MICRO_JOURNAL_CONFIG_DIR": str(config_dir),
        "MICRO_JOURNAL_TODAY": TODAY.isoformat(),
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm-256color",
        "COLUMNS": "120",
        "LINES": "40",
    })
    env.pop("MICRO_JOURNAL_DB", None)
    # An installed app starts from compiled bytecode (pip compiles at install), as Textual
    # does here; a checkout under PYTHONDONTWRITEBYTECODE would recompile our modules at
    # every start. Both apps share one cache, warmed before anything is timed.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(config_dir.parent / "pycache")
    return env


def label(args: list[str]) -> str:
    """A command for a message: a ``-c`` script of this file is named, not quoted."""
    scripts = {v: k for k, v in globals().items() if k.isupper() and isinstance(v, str)}
    out = list(args)
    for i, arg in enumerate(out[:-1]):
        if arg == "-c":
            out[i + 1] = scripts.get(out[i + 1], "<script>")
    return " ".join(out[1:])


def spawn_until_ready(args: list[str], env: dict) -> tuple[float, float]:
    """Seconds from spawn to the child's READY line, and its peak RSS in MiB."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env, text=True)
    ready = None
    rss = 0.0
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("READY") and ready is None:
            ready = time.perf_counter() - t0
        elif line.startswith("RSS"):
            rss = int(line.split()[1]) / 1024
    proc.wait(timeout=60)
    if ready is None:
        raise RuntimeError(f"{label(args)} never became ready: {proc.stderr.read()[-2000:]}")
    return ready, rss


def spawn_in_pty(args: list[str], env: dict, marker: bytes, quit_key: bytes = b"q") -> float:
    """Seconds from spawn until ``marker`` appears on a pseudo-terminal."""
    import fcntl
    import pty
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(args[0], args, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    t0 = time.perf_counter()
    seen = b""
    elapsed = None
    deadline = t0 + 30
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if marker in seen:
                elapsed = time.perf_counter() - t0
                break
    try:
        os.write(fd, quit_key)
        time.sleep(0.1)
        os.write(fd, b"\x03")
    except OSError:
        pass
    end = time.time() + 5
    while time.time() < end:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        try:
            if select.select([fd], [], [], 0.05)[0]:
                os.read(fd, 65536)
        except OSError:
            pass
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    os.close(fd)
    if elapsed is None:
        raise RuntimeError(f"{args}: marker {marker!r} never appeared")
    return elapsed


# ----------------------------------------------------------------------------- in-process


def open_repo(path: Path):
    from micro_journal.store import Repository, open_journal

    journal = open_journal(path, today=lambda: TODAY)
    return journal, Repository(journal)


def bench_save(path: Path, skill_id: str, n: int
               ) -> tuple[list[float], list[float], list[float], list[float]]:
    from micro_journal.store.files import dumps

    journal, repo = open_repo(path)
    try:
        statuses = ["done", "skipped"]
        saves = []
        for i in range(n):
            t0 = time.perf_counter()
            repo.set_checkin(skill_id, TODAY, statuses[i % 2], minutes=5)
            saves.append(time.perf_counter() - t0)
        folds = []  # folding the change log into journal.json (at quit, or when it grew)
        for i in range(max(3, n // 5)):
            repo.set_checkin(skill_id, TODAY, statuses[i % 2], minutes=6)
            t0 = time.perf_counter()
            journal.storage.compact()
            folds.append(time.perf_counter() - t0)
        doc = repo.checkin(skill_id, TODAY).to_dict()
        payload = dumps(doc) + b"\n"
        data = journal.storage.read()
    finally:
        journal.close()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "append.log"
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

        def append() -> None:
            os.write(fd, payload)
            os.fsync(fd)

        appends = repeat(append, n)
        os.close(fd)
        whole = Path(tmp) / "whole.json"

        def dump() -> None:
            with open(whole, "w", encoding="utf-8") as f:
                json.dump(data, f)
                f.flush()
                os.fsync(f.fileno())

        dumps_ = repeat(dump, max(3, n // 5))
    return saves, appends, dumps_, folds


APPEND_FSYNC = r"""
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
os.write(fd, b'00000000 {"g":"x","ops":[["checkins","1",{"note":"bench"}]]}\n')
os.fsync(fd)
os.close(fd)
"""


def bench_search(path: Path, n: int) -> tuple[list[float], list[float]]:
    from micro_journal.services.journal import JournalService

    journal, repo = open_repo(path)
    try:
        service = JournalService(repo)
        service.search("warm-up")  # first search folds the text once, like the first keystroke
        words = ["calm", "audience question", "zebra", "slower", "#focus"]
        def ours_search() -> None:
            service.search(random.choice(words))

        ours = repeat(ours_search, n)
        bodies = [e.body for e in repo.entries()]

        def plain() -> None:
            w = random.choice(words)
            [b for b in bodies if w in b.lower()]

        floor = repeat(plain, n)
    finally:
        journal.close()
    return ours, floor


def bench_keys(path: Path, rounds: int) -> dict[str, list[float]]:
    from micro_journal.cli import make_app
    from micro_journal.config import Config
    from micro_journal.domain.clock import FixedClock
    from micro_journal.keymap import SCREENS

    results: dict[str, list[float]] = {s.name: [] for s in SCREENS}
    results["(no action)"] = []

    async def run() -> None:
        app = make_app(path, FixedClock(TODAY), Config())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            order = [s for s in SCREENS if s.name != "today"] + [SCREENS[0]]
            for _ in range(rounds * 3):  # the floor: a key that does nothing, same pilot
                t0 = time.perf_counter()
                await pilot.press("f19")
                await pilot.pause()
                results["(no action)"].append(time.perf_counter() - t0)
            for _ in range(rounds):
                for info in order:
                    t0 = time.perf_counter()
                    await pilot.press(info.key)
                    await pilot.pause()
                    results[info.name].append(time.perf_counter() - t0)
                    if info.name != "today" and app.current_mode != info.name:
                        raise RuntimeError(f"key {info.key} did not open {info.name}")

    asyncio.run(run())
    return results


# ----------------------------------------------------------------------------- key → painted
#
# A key's figure ends at the first frame painted that shows its result. The app is
# headless, so "painted" is the compositor's update of the screen (what a terminal would
# be sent), stamped as it happens; the condition is read from what the screen shows (the
# text of its widgets), never from how a screen builds it.


class PaintClock:
    """Stamps every frame the app paints; times an action to the first frame after which
    ``done()`` holds (the state a frame is rendered from is the state it shows)."""

    def __init__(self, app) -> None:
        self.app = app
        self.stamp: float | None = None
        self._done: Callable[[], bool] | None = None
        display = app._display  # the compositor's update of the screen goes through here

        def stamped(screen, renderable) -> None:
            display(screen, renderable)
            # frames held back (Textual batches updates while a screen is being built)
            # are not painted
            if renderable is None or getattr(app, "_batch_count", 0):
                return
            if self._done is None or self.stamp is not None:
                return
            now = time.perf_counter()
            if self._done():
                self.stamp = now

        app._display = stamped

    async def time(self, act: Callable[[], object], done: Callable[[], bool],
                   timeout: float = 120.0) -> float:
        self.stamp = None
        self._done = done
        t0 = time.perf_counter()
        act()
        while self.stamp is None:
            if time.perf_counter() - t0 > timeout:
                self._done = None
                raise RuntimeError(f"nothing painted within {timeout:.0f} s shows {done}")
            await asyncio.sleep(0.0005)
        self._done = None
        return self.stamp - t0


def send_key(app, key: str) -> None:
    """Post a key as the terminal driver does, without waiting for anything."""
    from textual import events

    char = {"space": " ", "slash": "/", "comma": ","}.get(key, key if len(key) == 1 else None)
    event = events.Key(key, char)
    event.set_sender(app)
    app.post_message(event)


def screen_text(app) -> str:
    """What the current screen's text widgets show: their content (markup included), and
    the lines of the widgets drawn a line at a time (Today's card and week grid)."""
    from textual.widget import Widget
    from textual.widgets import Static

    texts = []
    for w in app.screen.query(Widget):
        if isinstance(w, Static):
            texts.append(str(w.content))
        elif isinstance(lines := getattr(w, "lines", None), list):
            texts += lines
    return "\n".join(texts)


def journal_listed(app) -> bool:
    """The Journal is the screen shown and its list shows entries."""
    from textual.widgets import OptionList

    return app.current_mode == "journal" and any(
        ol.option_count > 0 for ol in app.screen.query(OptionList))


class RepaintKey:
    """The floor of a key → painted: a key (f18) whose action changes one line of text
    (the screen's top bar) and nothing else, in the same app and screen."""

    KEY = "f18"

    def __init__(self, app) -> None:
        self.app = app
        self.n = 0
        self.text: str | None = None
        self.target = None
        self.before = None  # what the line showed before this key changed it
        app.action_bench_repaint = self._repaint  # on this instance only
        app.bind(self.KEY, "bench_repaint", show=False)

    def _repaint(self) -> None:
        from textual.widgets import Static

        self.n += 1
        screen = self.app.screen
        try:
            target = screen.query_one("#topbar", Static)
        except Exception:
            target = next(w for w in screen.query(Static) if w.display)
        if target is not self.target:
            self.target, self.before = target, target.content
        target.update(f"bench repaint {self.n}")
        self.text = f"bench repaint {self.n}"

    def restore(self) -> None:
        """Untimed: the line shows what it showed before. Left changed, the next action
        timed would pay for drawing it back (a screen redrawn from the journal repaints
        its top bar) and for the rows between it and what that action changes."""
        if self.target is not None and self.before is not None:
            self.target.update(self.before)

    def press(self) -> None:
        self.text = None
        send_key(self.app, self.KEY)

    def shown(self) -> bool:
        return self.text is not None and str(self.target.content) == self.text


def _key_of(keys, action: str) -> str:
    return next(k for k in keys if k.action == action).key.split(",")[0]


async def _settle(pilot) -> None:
    """Untimed: let what the last key started finish (pages, timers) before the next."""
    await asyncio.sleep(0.02)
    await pilot.pause()


def bench_checkin_key(path: Path, n: int) -> tuple[list[float], list[float]]:
    """Today's check-in key → the card painted "done", then the undo key → painted "not
    yet" (alternating, so each press saves); vs. the one-line repaint key, interleaved."""
    from micro_journal.cli import make_app
    from micro_journal.config import Config
    from micro_journal.domain.clock import FixedClock
    from micro_journal.keymap import TODAY_KEYS

    # the card's line for today, as drawn (older trees: in the markup of a Static)
    def checked_in(app) -> bool:
        text = screen_text(app)
        return "Today   ✔ done" in text or "Today   [$done]✔ done" in text

    check_in, undo = _key_of(TODAY_KEYS, "check_in"), _key_of(TODAY_KEYS, "undo")
    ours: list[float] = []
    floor: list[float] = []

    async def run() -> None:
        app = make_app(path, FixedClock(TODAY), Config())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            if type(app.screen).__name__ != "TodayScreen" or checked_in(app):
                raise RuntimeError("Today does not show an open check-in to time")
            clock = PaintClock(app)
            repaint = RepaintKey(app)
            for i in range(n):
                floor.append(await clock.time(repaint.press, repaint.shown))
                repaint.restore()
                await _settle(pilot)
                key, done = (check_in, True) if i % 2 == 0 else (undo, False)
                ours.append(await clock.time(
                    lambda k=key: send_key(app, k),
                    lambda d=done: checked_in(app) == d))
                await _settle(pilot)
                app.clear_notifications()
                await pilot.pause()

    asyncio.run(run())
    return ours, floor


def bench_search_keys(path: Path, phrases: list[str], rounds: int
                      ) -> tuple[list[float], list[float], str]:
    """On the Journal, with the search box focused by its key: each key typed → the
    results of the text typed so far painted. "Shown" is read from the screen: the
    status line gives the number of matching entries (counted beforehand by the search
    service), and the listed lines highlight the word being typed. Whatever the screen
    waits for (a debounce, pages added later) is inside the figure. One settled search
    comes first, not counted (it also folds the text once, as a session's first does)."""
    from textual.widgets import Input, OptionList, Static

    from micro_journal.cli import make_app
    from micro_journal.config import Config
    from micro_journal.domain.clock import FixedClock
    from micro_journal.keymap import JOURNAL_KEYS, screen_info
    from micro_journal.services.journal import JournalService

    journal_key = screen_info("journal").key
    search_key = _key_of(JOURNAL_KEYS, "search")
    ours: list[float] = []
    floor: list[float] = []
    note = ""

    def number_in(text: str, count: int) -> bool:
        text = re.sub(r"(?<=\d)[,\u202f\u2009\u00a0 ](?=\d{3}\b)", "", text)
        return re.search(rf"(?<![\d.]){count}(?![\d.])", text) is not None

    def status_shows(app, count: int) -> bool:
        for w in app.screen.query(Static):
            text = str(w.content)
            if "match" in text.lower() and number_in(text, count):
                return True
        return False

    def highlight_shows(app, term: str) -> bool:
        for ol in app.screen.query(OptionList):
            for index in range(min(ol.option_count, 12)):
                prompt = ol.get_option_at_index(index).prompt
                plain = getattr(prompt, "plain", None)
                if plain is None:
                    continue
                plain = plain.lower()
                if any(plain[s.start:s.end] == term for s in getattr(prompt, "spans", ())):
                    return True
        return False

    def last_term(typed: str) -> str | None:
        if not typed or typed.endswith(" "):
            return None
        word = typed.split()[-1].lower()
        return None if ":" in word or word.startswith("#") else word

    async def press(pilot, *keys: str) -> None:
        await pilot.press(*keys)
        await asyncio.sleep(0.3)  # beyond any debounce
        await pilot.pause()

    async def run() -> None:
        nonlocal note
        app = make_app(path, FixedClock(TODAY), Config())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press(journal_key)
            for _ in range(3000):
                await pilot.pause()
                if journal_listed(app):
                    break
            else:
                raise RuntimeError("the Journal never listed its entries")
            service = JournalService(app.repo)
            counts = {}
            for phrase in phrases:
                for i in range(1, len(phrase) + 1):
                    counts[phrase[:i]] = len(service.search(phrase[:i]))
            del service

            def keys_of(text: str) -> list[str]:
                return ["space" if ch == " " else ch for ch in text]

            async def open_search() -> None:
                await press(pilot, search_key)
                if not isinstance(app.focused, Input) or app.focused.value:
                    raise RuntimeError(f"{search_key} did not focus an empty search box")

            async def clear_search() -> None:
                await press(pilot, "escape")
                await open_search()

            # one settled search: not counted; finds what the screen shows
            await open_search()
            first = phrases[0]
            await press(pilot, *keys_of(first))
            use_count = status_shows(app, counts[first])
            use_highlight = last_term(first) is not None and highlight_shows(app, last_term(first))
            if not (use_count or use_highlight):
                raise RuntimeError("the Journal shows neither the number of matches nor the "
                                   "typed word highlighted: cannot tell when results are shown")
            if not use_highlight:
                note = " (keys that change the count)"
            await clear_search()
            clock = PaintClock(app)
            repaint = RepaintKey(app)
            for _ in range(rounds):
                for phrase in phrases:
                    previous = None
                    for i, key in enumerate(keys_of(phrase), 1):
                        typed = phrase[:i]
                        count, term = counts[typed], last_term(typed)

                        def shown(count=count, term=term) -> bool:
                            return ((not use_count or status_shows(app, count))
                                    and (not use_highlight or highlight_shows(app, term)))

                        timed = count > 0 and term is not None and (
                            use_highlight or count != previous)
                        previous = count
                        if not timed:
                            await press(pilot, key)
                            continue
                        floor.append(await clock.time(repaint.press, repaint.shown))
                        repaint.restore()
                        await _settle(pilot)
                        ours.append(await clock.time(lambda k=key: send_key(app, k), shown))
                        await _settle(pilot)
                    await clear_search()

    asyncio.run(run())
    return ours, floor, note


# ----------------------------------------------------------------------------- spawned

# every screen once, in order (Settings last: its fields take number keys), then the peak
ALL_SCREENS = PEAK_KIB + r"""
from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.clock import Clock
from micro_journal.keymap import SCREENS
from textual.widgets import OptionList

def listed(app):
    return any(ol.option_count > 0 for ol in app.screen.query(OptionList))

async def ready(pilot):
    app = pilot.app
    await pilot.pause()
    for info in SCREENS[1:]:
        await pilot.press(info.key)
        for _ in range(3000):
            await pilot.pause()
            if app.current_mode == info.name and (info.name != "journal" or listed(app)):
                break
        else:
            print(f"key {info.key} did not open {info.name}", file=sys.stderr)
            app.exit(return_code=1)
            return
        await pilot.pause()
    print("READY", flush=True)
    print(f"RSS {peak_kib()}", flush=True)
    app.exit()

make_app(sys.argv[1], Clock(), Config()).run(headless=True, size=(120, 40), auto_pilot=ready)
"""

# a fresh app: the one-line repaint key three times on Today, then the Journal's key once;
# at once, or after Today has been shown for argv[2] seconds
FIRST_VISIT = r"""
import asyncio, sys
from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.clock import Clock
from micro_journal.keymap import screen_info
from tests.benchmarks.bench import PaintClock, RepaintKey, journal_listed, send_key

async def ready(pilot):
    app = pilot.app
    await pilot.pause()
    if len(sys.argv) > 2:
        await asyncio.sleep(float(sys.argv[2]))
        await pilot.pause()
    clock = PaintClock(app)
    repaint = RepaintKey(app)
    floor = []
    for _ in range(3):
        floor.append(await clock.time(repaint.press, repaint.shown))
        await pilot.pause()
    repaint.restore()
    await pilot.pause()
    key = screen_info("journal").key
    first = await clock.time(lambda: send_key(app, key), lambda: journal_listed(app))
    print("READY", flush=True)
    print("FIRST", first, flush=True)
    print("FLOOR", *floor, flush=True)
    app.exit()

make_app(sys.argv[1], Clock(), Config()).run(headless=True, size=(120, 40), auto_pilot=ready)
"""

# the command itself (micro_journal.cli.main, as the console script runs it), then its peak
CLI_LAUNCHER = PEAK_KIB + r"""
sys.argv[0] = "micro-journal"
from micro_journal.cli import main
try:
    code = main()
finally:
    print(f"MJ-BENCH-RSS {peak_kib()}", file=sys.stderr, flush=True)
raise SystemExit(code)
"""

# the same data out without the app: orjson reads journal.json and writes it back, fsynced
EXPORT_FLOOR = PEAK_KIB + r"""
import os, orjson
with open(sys.argv[1], "rb") as f:
    data = orjson.loads(f.read())
with open(sys.argv[2], "wb") as f:
    f.write(orjson.dumps(data))
    f.flush()
    os.fsync(f.fileno())
print(f"MJ-BENCH-RSS {peak_kib()}", file=sys.stderr, flush=True)
"""


def run_measured(args: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds of a command, and its peak RSS in MiB (the MJ-BENCH-RSS line)."""
    t0 = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{label(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    rss = [line for line in proc.stderr.splitlines() if line.startswith("MJ-BENCH-RSS")]
    if not rss:
        raise RuntimeError(f"{label(args)} printed no peak: {proc.stderr[-2000:]}")
    return elapsed, int(rss[-1].split()[1]) / 1024


def spawn_first_visit(path: Path, env: dict, after: float | None = None
                      ) -> tuple[float, list[float]]:
    wait = [] if after is None else [str(after)]
    proc = subprocess.run([sys.executable, "-c", FIRST_VISIT, str(path), *wait], env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    first, floor = None, []
    for line in proc.stdout.splitlines():
        if line.startswith("FIRST"):
            first = float(line.split()[1])
        elif line.startswith("FLOOR"):
            floor = [float(x) for x in line.split()[1:]]
    if first is None or not floor:
        raise RuntimeError(f"first visit to Journal not measured: {proc.stderr[-2000:]}")
    return first, floor


def backups_size(journal: Path) -> tuple[int, int]:
    """Bytes of everything in backups/ beside the journal (a hard-linked file counted
    once), and the number of files."""
    folder = journal.parent / "backups"
    seen: set[tuple[int, int]] = set()
    total = files = 0
    if folder.is_dir():
        for p in folder.rglob("*"):
            st = p.lstat()
            if p.is_file() and (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_size
                files += 1
    return total, files


# ----------------------------------------------------------------------------- main

GROUPS = {
    "start": "start to Today (headless, pty) and peak memory at start, vs a bare Textual "
             "app; start at 100 years vs 10",
    "save": "save one check-in in the app's store; fold the change log",
    "cli": "`checkin` and `today --json` (a new process each), 100 years vs 1",
    "search": "search all notes (the service, in memory)",
    "keys": "key to each screen painted; Today's check-in key → painted",
    "journal": "first visit to the Journal; search key → results painted",
    "memory": "peak memory after visiting every screen",
    "export": "`export --format json`: wall time and peak memory vs orjson",
    "backups": "backups on disk after days of use vs journal.json",
}


@dataclass
class Run:
    tmp: Path
    env: dict
    years: list[int]
    n: int
    quick: bool
    journals: dict
    backup_days: int | None
    figures: list[Figure]
    notes: list[str]

    def path(self, y: int) -> Path:
        return self.tmp / f"y{y}" / "journal.json"

    def fresh(self, y: int, group: str) -> Path:
        """A copy of the journal as generated, which no other figure has written to."""
        folder = self.tmp / f"{group}-y{y}"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        shutil.copyfile(self.tmp / "generated" / f"y{y}.json", folder / "journal.json")
        return folder / "journal.json"

    def count(self, minimum: int, divisor: int = 1) -> int:
        """Samples for a figure: --repeat itself in a quick run, else a share of it."""
        return self.n if self.quick else max(minimum, self.n // divisor)

    def add(self, *figures: Figure) -> None:
        self.figures.extend(figures)


def group_start(r: Run) -> None:
    py = sys.executable
    env, years, n = r.env, r.years, r.n
    # floors first, interleaved with ours so drift hits both alike
    bare, ours_by_year, bare_rss, ours_rss = [], {y: [] for y in years}, [], {
        y: [] for y in years}
    # warm-up, not counted: fills the bytecode cache and takes each journal's backup
    spawn_until_ready([py, "-c", BARE_APP], env)
    for y in years:
        spawn_until_ready([py, "-c", OUR_APP, str(r.path(y))], env)
    for _ in range(n):
        t, rss = spawn_until_ready([py, "-c", BARE_APP], env)
        bare.append(t)
        bare_rss.append(rss)
        for y in years:
            t, rss = spawn_until_ready([py, "-c", OUR_APP, str(r.path(y))], env)
            ours_by_year[y].append(t)
            ours_rss[y].append(rss)
    for y in years:
        r.add(Figure(f"start to Today, {y}y journal (headless)", ours_by_year[y],
                     bare, "bare app", budget=1.3 if y <= 10 else None))
    for y in [y for y in years if y > 10 and 10 in years]:
        r.add(Figure(f"start to Today, {y}y vs 10y (headless)", ours_by_year[y],
                     ours_by_year[10], "start, 10y", budget=1.15))
    for y in years:
        r.add(Figure(f"peak memory, {y}y journal", ours_rss[y], bare_rss,
                     "bare app", unit="MiB", budget=1.5 if y <= 10 else None))

    pty_years = [y for y in years if y in (1, 10)] or years[:1]
    pty_n = max(2, n // 3)
    bare_pty = []
    ours_pty = {y: [] for y in pty_years}
    for _ in range(pty_n):
        bare_pty.append(spawn_in_pty([py, "-c", BARE_TTY], env, b"bare app ready"))
        for y in pty_years:
            ours_pty[y].append(spawn_in_pty(
                [py, "-m", "micro_journal", "--db", str(r.path(y))], env, b"Micro-skill"))
    for y in pty_years:
        r.add(Figure(f"start to Today, {y}y journal (pty)", ours_pty[y],
                     bare_pty, "bare app", budget=1.3 if y <= 10 else None))


def group_save(r: Run) -> None:
    for y in r.years:
        saves, appends, dumps_, folds = bench_save(r.path(y), r.journals[y]["skill_id"],
                                                   max(r.n, 10))
        r.add(Figure(f"save one check-in, {y}y", saves, appends, "append+fsync",
                     budget_abs=5.0 if y <= 10 else None),
              Figure(f"save one check-in, {y}y (vs json.dump)", saves, dumps_,
                     "json.dump+fsync"),
              Figure(f"fold the change log in (at quit), {y}y", folds, dumps_,
                     "json.dump+fsync"))
    big = [y for y in r.years if y >= 100]
    if big and 10 in r.years:
        ten = statistics.median(next(f for f in r.figures
                                     if f.name == "save one check-in, 10y").samples)
        hundred = statistics.median(next(f for f in r.figures
                                         if f.name == f"save one check-in, {big[0]}y").samples)
        r.notes.append(f"save at {big[0]} years is {hundred / ten:.2f}× the save at 10 years "
                       "(budget ≤ 2×)")


def group_cli(r: Run) -> None:
    """Each round runs every size once, with its floor just before, so that the load
    of a shared machine drifting over the minutes hits every size alike."""
    py = sys.executable
    cli: dict[int, list[float]] = {y: [] for y in r.years}
    today: dict[int, list[float]] = {y: [] for y in r.years}
    floor_cli: dict[int, list[float]] = {y: [] for y in r.years}
    floor_today: dict[int, list[float]] = {y: [] for y in r.years}
    floor_file = r.tmp / "append-floor.log"

    def timed(cmd: list[str]) -> float:
        t0 = time.perf_counter()
        subprocess.run(cmd, env=r.env, capture_output=True, check=True)
        return time.perf_counter() - t0

    commands = {}
    for y in r.years:
        path = r.path(y)
        checkin = [py, "-m", "micro_journal", "--db", str(path), "checkin", "--minutes", "5"]
        show = [py, "-m", "micro_journal", "--db", str(path), "today", "--json"]
        subprocess.run(checkin, env=r.env, capture_output=True, check=True)  # the day's backup
        out = subprocess.run(show, env=r.env, capture_output=True, check=True, text=True)
        json.loads(out.stdout)  # it is JSON (and the bytecode is warm)
        commands[y] = (checkin, show)
    for _ in range(max(3, r.n // 2)):
        for y in r.years:
            checkin, show = commands[y]
            floor_cli[y].append(timed([py, "-c", APPEND_FSYNC, str(floor_file)]))
            cli[y].append(timed(checkin))
            floor_today[y].append(timed([py, "-c", "pass"]))
            today[y].append(timed(show))
    for y in r.years:
        r.add(Figure(f"CLI checkin, {y}y", cli[y], floor_cli[y], "python append+fsync"),
              Figure(f"today --json, {y}y", today[y], floor_today[y], "python -c pass"))
    if 1 in r.years:
        for y in [y for y in r.years if y >= 100]:
            r.add(Figure(f"CLI checkin, {y}y vs 1y", cli[y], cli[1], "CLI checkin, 1y",
                         budget=1.2),
                  Figure(f"today --json, {y}y vs 1y", today[y], today[1], "today --json, 1y",
                         budget=1.2))


def group_search(r: Run) -> None:
    for y in r.years:
        ours, floor = bench_search(r.path(y), max(r.n, 10))
        r.add(Figure(f"search all notes, {y}y", ours, floor, "in-memory scan",
                     budget_abs=5.0 if y <= 10 else None))


def group_keys(r: Run) -> None:
    years = r.years
    key_year = 10 if 10 in years else years[0]
    keys = bench_keys(r.path(key_year), max(2, r.n // 3))
    floor_keys = keys.pop("(no action)")
    for name, samples in keys.items():
        if samples:
            net = [max(1e-6, x - statistics.median(floor_keys)) for x in samples]
            r.add(Figure(f"key to {name} painted, {key_year}y", samples,
                         floor_keys, "key with no action"),
                  Figure(f"  … less the no-action key, {key_year}y", net, budget_abs=40.0))
    for y in years:
        ours, floor = bench_checkin_key(r.fresh(y, "keys"), r.count(6))
        r.add(Figure(f"check-in key on Today → painted, {y}y", ours, floor,
                     "one-line repaint key", budget=2.0))


SETTLED = 1.5  # seconds a person looks at Today before the first key, at the least


def group_journal(r: Run) -> None:
    if not r.quick:  # the bytecode of every module the Journal imports, warm (not counted)
        spawn_first_visit(r.fresh(r.years[0], "journal"), r.env)
    for y in r.years:
        path = r.fresh(y, "journal")  # its daily backup is taken by the first sample
        firsts, floor = [], []
        for _ in range(r.count(3, 3)):
            first, repaint = spawn_first_visit(path, r.env)
            firsts.append(first)
            floor.extend(repaint)
        net = [max(1e-6, x - statistics.median(floor)) for x in firsts]
        r.add(Figure(f"first visit to Journal → painted, {y}y", firsts, floor,
                     "one-line repaint key"),
              Figure(f"  … less the repaint key, {y}y", net,
                     budget_abs=100.0 if y <= 10 else None))
    # as a person opens it: after reading Today for a moment (the work the app leaves
    # until after its first frame, such as pendulum's import, is done by then)
    for y in r.years if not r.quick else ():
        path = r.fresh(y, "journal")
        firsts, floor = [], []
        for _ in range(3):
            first, repaint = spawn_first_visit(path, r.env, after=SETTLED)
            firsts.append(first)
            floor.extend(repaint)
        net = [max(1e-6, x - statistics.median(floor)) for x in firsts]
        r.add(Figure(f"  … {SETTLED:g} s after start, less the repaint key, {y}y", net))
    phrases = ["ca"] if r.quick else ["calm slower", "audience question"]
    for y in r.years:
        ours, floor, note = bench_search_keys(r.fresh(y, "journal"), phrases,
                                              1 if r.quick else max(1, r.n // 5))
        r.add(Figure(f"search key → results painted, {y}y{note}", ours, floor,
                     "one-line repaint key", budget_abs=50.0 if y <= 10 else 100.0))


def group_memory(r: Run) -> None:
    py = sys.executable
    if not r.quick:  # warm-up, not counted: every screen's bytecode (compiling costs memory)
        spawn_until_ready([py, "-c", BARE_APP], r.env)
        spawn_until_ready([py, "-c", ALL_SCREENS, str(r.fresh(r.years[0], "memory"))], r.env)
    paths = {y: r.fresh(y, "memory") for y in r.years}
    bare: list[float] = []
    ours: dict[int, list[float]] = {y: [] for y in r.years}
    for _ in range(r.count(2, 5)):
        bare.append(spawn_until_ready([py, "-c", BARE_APP], r.env)[1])
        for y in r.years:
            ours[y].append(spawn_until_ready([py, "-c", ALL_SCREENS, str(paths[y])], r.env)[1])
    for y in r.years:
        r.add(Figure(f"peak memory after every screen, {y}y", ours[y], bare, "bare app",
                     unit="MiB", budget=1.5 if y <= 10 else 2.5))


def group_export(r: Run) -> None:
    py = sys.executable
    out = r.tmp / "export-out.json"
    for y in r.years:
        path = r.fresh(y, "export")
        ours_cmd = [py, "-c", CLI_LAUNCHER, "--db", str(path), "export", "--format", "json",
                    "-o", str(out)]
        floor_cmd = [py, "-c", EXPORT_FLOOR, str(path), str(out)]
        run_measured(ours_cmd, r.env)  # warm-up: bytecode, the day's backup
        out.unlink(missing_ok=True)
        times, rss, floor_times, floor_rss = [], [], [], []
        for _ in range(r.count(3, 5)):
            t, m = run_measured(floor_cmd, r.env)
            floor_times.append(t)
            floor_rss.append(m)
            out.unlink()
            t, m = run_measured(ours_cmd, r.env)
            if not out.exists() or out.stat().st_size == 0:
                raise RuntimeError("export wrote nothing")
            times.append(t)
            rss.append(m)
            out.unlink()
        r.add(Figure(f"JSON export, {y}y", times, floor_times, "orjson load+dump+fsync",
                     budget=3.0 if y >= 100 else None),
              Figure(f"peak memory of JSON export, {y}y", rss, floor_rss, "the same, orjson",
                     unit="MiB", budget=1.5 if y >= 100 else None))


def group_backups(r: Run) -> None:
    py = sys.executable
    for y in r.years:
        days = r.backup_days or (3 if r.quick else 70 if y <= 10 else 21)
        path = r.fresh(y, "backups")
        cmd = [py, "-m", "micro_journal", "--db", str(path), "checkin", "--minutes", "5"]
        t0 = time.perf_counter()
        for d in range(days):
            env = dict(r.env, MICRO_JOURNAL_TODAY=(TODAY + dt.timedelta(days=d)).isoformat())
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"checkin on day {d} failed: {proc.stderr[-2000:]}")
        size, files = backups_size(path)
        if not files:
            raise RuntimeError(f"no backups after {days} days in {path.parent}")
        journal = path.stat().st_size
        r.add(Figure(f"backups on disk after {days} days of use, {y}y", [size / 2**20],
                     [journal / 2**20], "journal.json", unit="MiB", budget=3.0))
        r.notes.append(f"backups, {y}y: {files} files after {days} days of `checkin` "
                       f"({time.perf_counter() - t0:.0f} s)")


FAILURES: list[str] = []  # groups that stopped, with why (main() clears it)


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="groups: " + "; ".join(f"{k}: {v}" for k, v in GROUPS.items()))
    parser.add_argument("--quick", action="store_true", help="1 year, few repeats (smoke)")
    parser.add_argument("--years", type=int, nargs="*", help="journal sizes (default 1 10 100)")
    parser.add_argument("--repeat", type=int, default=None, help="repeats per figure")
    parser.add_argument("--only", nargs="+", choices=list(GROUPS), metavar="GROUP",
                        help=f"run only these groups of figures ({', '.join(GROUPS)})")
    parser.add_argument("--backup-days", type=int, default=None,
                        help="days of use simulated for the backups figure (default 70, "
                             "21 at 100 years, 3 with --quick)")
    args = parser.parse_args(argv)
    years = args.years or ([1] if args.quick else [1, 10, 100])
    n = args.repeat or (3 if args.quick else 15)
    groups = args.only or list(GROUPS)
    figures: list[Figure] = []
    FAILURES.clear()
    with tempfile.TemporaryDirectory(prefix="mj-bench-") as tmp:
        tmp_path = Path(tmp)
        env = env_for(tmp_path / "config")
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
              f"{sys.platform}; groups: {' '.join(groups)}")
        journals = {}
        for y in years:
            t0 = time.perf_counter()
            info = generate(tmp_path / f"y{y}" / "journal.json", y)
            journals[y] = info
            (tmp_path / "generated").mkdir(exist_ok=True)
            shutil.copyfile(tmp_path / f"y{y}" / "journal.json",
                            tmp_path / "generated" / f"y{y}.json")
            print(f"generated {y:>3} years: {info['checkins']} check-ins, {info['entries']} "
                  f"entries, {info['bytes'] / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s")
        print(f"\n{'figure':<42} {'median':>13} {'spread':<16} {'ratio':>7}  "
              f"{'budget':<14} {'':<4}  floor")
        run = Run(tmp_path, env, years, n, args.quick, journals, args.backup_days, figures, [])
        timings = []
        for name in GROUPS:
            if name not in groups:
                continue
            t0 = time.perf_counter()
            done = len(figures)
            try:
                globals()[f"group_{name}"](run)
            except Exception as err:  # the other groups still run; the failure is shown
                FAILURES.append(f"{name}: {type(err).__name__}: {err}")
            # each group's rows as soon as they exist: a run stopped later keeps them
            for figure in figures[done:]:
                print(figure.row(), flush=True)
            timings.append(f"{name} {time.perf_counter() - t0:.0f} s")

    print(f"\ngroups: {', '.join(timings)}")
    for note in run.notes:
        print(note)
    for failure in FAILURES:
        print(f"FAILED {failure}")
    return figures


if __name__ == "__main__":
    main()
    sys.exit(1 if FAILURES else 0)
