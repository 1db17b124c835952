"""The victim of the kill -9 test (tests/reliability/test_kill9.py).

Run as ``python writer.py JOURNAL``. It imports the real store once, then acts as a
small fork server: every line ``go SEED`` read from stdin forks a child that opens the
journal with the real ``open_journal`` + ``Repository`` and keeps saving entries that
grow, shrink, get archived and restored, two at a time in a batch now and then,
until it is SIGKILLed by the test. Forking (instead of starting Python each round)
keeps 200 kills well inside a CI minute; each child is a real process killed by a
real SIGKILL, opening the journal from disk like a fresh start.

Lines written to stdout (one ``os.write`` each, so they never interleave):

    OPEN pid                 the child opened the journal (the lock is held)
    BEGIN id len sha arch    a save of this entry state is about to start
    ACK                      the save above returned: it is on disk
    DEAD pid status          (from the server) the child is gone
    ERR text                 the child failed on its own (a bug)
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import traceback
from pathlib import Path

from micro_journal.domain.models import Entry
from micro_journal.store import Repository, open_journal

MAX_TOTAL = 400_000  # keep the journal a few hundred KB: writes take a little while


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def digest(body: str) -> str:
    return hashlib.sha1(body.encode("utf-8")).hexdigest()[:12]


def describe(entry: Entry) -> str:
    return f"{entry.id} {len(entry.body)} {digest(entry.body)} {int(entry.archived)}"


def body_of(rng: random.Random, size: int) -> str:
    words = ["practice", "smile", "pause", "ümlaut", "日本語", "🙂", "ok", "\n"]
    out: list[str] = []
    n = 0
    while n < size:
        w = rng.choice(words)
        out.append(w)
        n += len(w) + 1
    return " ".join(out)[:size]


def child(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    journal = open_journal(path, on_locked="refuse")
    repo = Repository(journal)
    say(f"OPEN {os.getpid()}")
    while True:
        entries = repo.entries(include_archived=True)
        total = sum(len(e.body) for e in entries)
        roll = rng.random()
        if not entries or (roll < 0.25 and total < MAX_TOTAL):
            changed = [Entry(date="2026-11-18", body=body_of(rng, rng.randint(10, 40_000)))]
        elif roll < 0.5 and total < MAX_TOTAL:  # grow
            e = rng.choice(entries)
            changed = [e.touched(body=e.body + body_of(rng, rng.randint(1000, 30_000)))]
        elif roll < 0.8:  # shrink
            e = rng.choice(entries)
            changed = [e.touched(body=e.body[: rng.randint(0, max(1, len(e.body) // 4))])]
        elif roll < 0.9:  # archive / restore
            e = rng.choice(entries)
            changed = [e.touched(archived=not e.archived)]
        else:  # two changes in one batch: both or neither
            a, b = rng.choice(entries), rng.choice(entries)
            if a.id == b.id:
                continue
            changed = [a.touched(body=a.body[: len(a.body) // 2]),
                       b.touched(body=b.body + body_of(rng, 5000))]
        say("BEGIN " + " ".join(describe(e) for e in changed))
        if len(changed) == 1:
            repo.save(changed[0])
        else:
            repo.save_many(changed)
        say("ACK")


def serve(path: Path) -> None:
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd != "go":
            break
        pid = os.fork()
        if pid == 0:
            try:
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                child(path, int(arg))
            except BaseException:
                say("ERR " + traceback.format_exc().replace("\n", " | "))
            finally:
                os._exit(3)
        _, status = os.waitpid(pid, 0)
        say(f"DEAD {pid} {status}")


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
