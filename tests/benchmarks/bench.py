"""micro-journal benchmark: every figure next to a floor measured in the same run.

Run it as a script (it is not collected by pytest):

    .venv/bin/python tests/benchmarks/bench.py            # 1, 10 and 100 years
    .venv/bin/python tests/benchmarks/bench.py --quick    # 1 year, few repeats

Machines here are shared and noisy, so nothing is judged in seconds alone: each
figure is printed with its median, its spread (min–max) and its ratio to a floor
measured moments before on the same machine:

* start to the interactive Today screen (process spawn to first frame, headless),
  vs. a bare one-widget Textual app; and the same under a pseudo-terminal;
* saving one check-in vs. an append + fsync of the same bytes, and vs. a
  ``json.dump`` + fsync of the whole file (what stock TinyDB does);
* full-text search of all notes vs. a plain in-memory scan;
* key press to the next screen painted, for each screen;
* peak memory vs. the bare app.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import select
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
    active per day, rotating weekly plans), an entry a day of a few hundred characters,
    a weekly review and a goal every few days. Written as one file, like the app writes."""
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
    monday = start - dt.timedelta(days=start.weekday())
    plan = Plan(objective_id=objective.id, start_week=monday.isoformat(),
                weeks=[PlanWeek(skill_id=skills[0].id)])
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

BARE_APP = r"""
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

OUR_APP = r"""
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
        raise RuntimeError(f"{args} never became ready: {proc.stderr.read()[-2000:]}")
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


def bench_cli_checkin(path: Path, env: dict, n: int, floor_file: Path
                      ) -> tuple[list[float], list[float]]:
    """Wall time of the `checkin` command (a new process each time), and of a bare Python
    process that appends one line and fsyncs it (the same work without the app)."""
    py = sys.executable
    cmd = [py, "-m", "micro_journal", "--db", str(path), "checkin", "--minutes", "5"]
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # the day's backup: once
    ours, floor = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([py, "-c", APPEND_FSYNC, str(floor_file)], env=env, check=True)
        floor.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        ours.append(time.perf_counter() - t0)
    return ours, floor


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


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 year, few repeats (smoke)")
    parser.add_argument("--years", type=int, nargs="*", help="journal sizes (default 1 10 100)")
    parser.add_argument("--repeat", type=int, default=None, help="repeats per figure")
    args = parser.parse_args(argv)
    years = args.years or ([1] if args.quick else [1, 10, 100])
    n = args.repeat or (3 if args.quick else 15)
    figures: list[Figure] = []
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="mj-bench-") as tmp:
        tmp_path = Path(tmp)
        env = env_for(tmp_path / "config")
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
              f"{sys.platform}")
        journals = {}
        for y in years:
            t0 = time.perf_counter()
            info = generate(tmp_path / f"y{y}" / "journal.json", y)
            journals[y] = info
            print(f"generated {y:>3} years: {info['checkins']} check-ins, {info['entries']} "
                  f"entries, {info['bytes'] / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s")
        print()

        # floors first, interleaved with ours so drift hits both alike
        bare, ours_by_year, bare_rss, ours_rss = [], {y: [] for y in years}, [], {
            y: [] for y in years}
        # warm-up, not counted: fills the bytecode cache and takes each journal's backup
        spawn_until_ready([py, "-c", BARE_APP], env)
        for y in years:
            spawn_until_ready([py, "-c", OUR_APP, str(tmp_path / f"y{y}" / "journal.json")], env)
        for _ in range(n):
            t, rss = spawn_until_ready([py, "-c", BARE_APP], env)
            bare.append(t)
            bare_rss.append(rss)
            for y in years:
                t, rss = spawn_until_ready(
                    [py, "-c", OUR_APP, str(tmp_path / f"y{y}" / "journal.json")], env)
                ours_by_year[y].append(t)
                ours_rss[y].append(rss)
        for y in years:
            figures.append(Figure(f"start to Today, {y}y journal (headless)", ours_by_year[y],
                                  bare, "bare app", budget=1.3 if y <= 10 else None))
        for y in years:
            figures.append(Figure(f"peak memory, {y}y journal", ours_rss[y], bare_rss,
                                  "bare app", unit="MiB", budget=1.5 if y <= 10 else None))

        pty_years = [y for y in years if y in (1, 10)] or years[:1]
        pty_n = max(2, n // 3)
        bare_pty = []
        ours_pty = {y: [] for y in pty_years}
        for _ in range(pty_n):
            bare_pty.append(spawn_in_pty([py, "-c", BARE_TTY], env, b"bare app ready"))
            for y in pty_years:
                ours_pty[y].append(spawn_in_pty(
                    [py, "-m", "micro_journal", "--db", str(tmp_path / f"y{y}" / "journal.json")],
                    env, b"Micro-skill"))
        for y in pty_years:
            figures.append(Figure(f"start to Today, {y}y journal (pty)", ours_pty[y],
                                  bare_pty, "bare app", budget=1.3 if y <= 10 else None))

        for y in years:
            path = tmp_path / f"y{y}" / "journal.json"
            saves, appends, dumps_, folds = bench_save(path, journals[y]["skill_id"], max(n, 10))
            budget_abs = 5.0 if y <= 10 else None
            figures.append(Figure(f"save one check-in, {y}y", saves, appends,
                                  "append+fsync", budget_abs=budget_abs))
            figures.append(Figure(f"save one check-in, {y}y (vs json.dump)", saves, dumps_,
                                  "json.dump+fsync"))
            figures.append(Figure(f"fold the change log in (at quit), {y}y", folds, dumps_,
                                  "json.dump+fsync"))
            cli, floor_cli = bench_cli_checkin(path, env, max(3, n // 2),
                                               tmp_path / "append-floor.log")
            figures.append(Figure(f"CLI checkin, {y}y", cli, floor_cli,
                                  "python append+fsync"))
            ours, floor = bench_search(path, max(n, 10))
            figures.append(Figure(f"search all notes, {y}y", ours, floor, "in-memory scan",
                                  budget_abs=5.0 if y <= 10 else None))

        key_year = 10 if 10 in years else years[0]
        keys = bench_keys(tmp_path / f"y{key_year}" / "journal.json", max(2, n // 3))
        floor_keys = keys.pop("(no action)")
        for name, samples in keys.items():
            if samples:
                net = [max(1e-6, x - statistics.median(floor_keys)) for x in samples]
                figures.append(Figure(f"key to {name} painted, {key_year}y", samples,
                                      floor_keys, "key with no action"))
                figures.append(Figure(f"  … less the no-action key, {key_year}y", net,
                                      budget_abs=40.0))

    saves = {f.name: f for f in figures}
    print(f"{'figure':<42} {'median':>13} {'spread':<16} {'ratio':>7}  {'budget':<14} "
          f"{'':<4}  floor")
    for figure in figures:
        print(figure.row())
    big = [y for y in years if y >= 100]
    small = [y for y in years if y == 10]
    if big and small:
        ten = saves[f"save one check-in, {small[0]}y"].median
        hundred = saves[f"save one check-in, {big[0]}y"].median
        print(f"\nsave at {big[0]} years is {hundred / ten:.2f}× the save at 10 years "
              "(budget ≤ 2×)")
    if big and 1 in years:
        one = saves["CLI checkin, 1y"].median
        hundred = saves[f"CLI checkin, {big[0]}y"].median
        print(f"CLI checkin at {big[0]} years is {hundred / one:.2f}× the same at 1 year")
    return figures


if __name__ == "__main__":
    main()
