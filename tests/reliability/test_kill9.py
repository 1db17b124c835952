"""1 and 9: a writer SIGKILLed at random moments never loses an acknowledged save.

A real process (tests/reliability/writer.py, the real Repository) keeps saving entries
that grow and shrink; it prints BEGIN before each save and ACK after it returns. The
test kills it with SIGKILL at a random moment, then checks, straight from the files
(journal.json and its change log):

* the journal parses (strictly, as open_journal would);
* every acknowledged write is there, exactly; the one save in flight is either wholly
  there or wholly absent (a batch of two: both or neither);
* the temp file a kill left behind is gone once the next writer has opened the journal;
* the lock of the killed process never blocks the next writer (it opens with
  ``on_locked="refuse"``, so a stale lock would fail the round).

``RELIABILITY_KILLS`` sets the number of kills (200 by default; 1000 by hand).
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import time
from pathlib import Path

from micro_journal.store import changes
from micro_journal.store.files import leftover_temps, parse_journal_bytes

from .conftest import HERE, PYTHON, env_count

KILLS = env_count("RELIABILITY_KILLS", 200)


class Lines:
    """Lines from a pipe, with a timeout (the writer must never hang)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = b""

    def next(self, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.fd], [], [], max(0.0, left))
            if not ready:
                raise AssertionError(f"the writer said nothing for {timeout}s")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise AssertionError("the writer's server died")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return line.decode()


def on_disk(path: Path) -> dict[str, tuple[str, str, str]]:
    """The entries the next open will see: journal.json (which must parse strictly) with
    its change log applied. A kill mid-append may cut the last line short — that save
    never returned — but never leaves a complete line that fails its checksum."""
    data = parse_journal_bytes(path.read_bytes())  # raises if it does not parse
    log = changes.read(path, changes.snapshot_token(data), changes.default_loads)
    assert log.damaged == 0, "a kill left a damaged line in the change log"
    changes.apply(data, log.batches)
    return {
        d["id"]: (str(len(d["body"])), _sha(d["body"]), str(int(d.get("archived", False))))
        for d in data.get("entries", {}).values()
    }


def _sha(body: str) -> str:
    import hashlib

    return hashlib.sha1(body.encode("utf-8")).hexdigest()[:12]


def parse_begin(line: str) -> dict[str, tuple[str, str, str]]:
    parts = line.split()[1:]
    return {
        parts[i]: (parts[i + 1], parts[i + 2], parts[i + 3]) for i in range(0, len(parts), 4)
    }


def test_sigkill_at_random_moments_never_loses_an_acknowledged_save(tmp_path, figures):
    path = tmp_path / "journal.json"
    rng = random.Random(int(os.environ.get("RELIABILITY_SEED", "20261118")))
    server = subprocess.Popen(
        [PYTHON, str(HERE / "writer.py"), str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=tmp_path,
    )
    lines = Lines(server.stdout.fileno())
    model: dict[str, tuple[str, str, str]] = {}
    acked = kills_mid_save = temps_left = kills_before_open = in_flight_landed = 0
    stale: list[Path] = []
    started = time.monotonic()
    try:
        for round_no in range(KILLS):
            server.stdin.write(f"go {rng.randrange(1 << 30)}\n".encode())
            server.stdin.flush()
            delay = rng.uniform(0, 0.12)
            first = lines.next()
            assert not first.startswith("ERR"), first
            assert first.startswith("OPEN"), first
            pid = int(first.split()[1])
            # the previous kill's temp files were removed by this writer's open
            assert not [t for t in stale if t.exists()], f"round {round_no}: temps kept"
            if round_no and rng.random() < 0.1:
                delay = 0  # now and then, kill it the moment it has opened
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
            pending: dict[str, tuple[str, str, str]] | None = None
            while True:
                line = lines.next()
                assert not line.startswith("ERR"), line
                if line.startswith("BEGIN"):
                    pending = parse_begin(line)
                elif line == "ACK":
                    assert pending is not None
                    model.update(pending)
                    acked += 1
                    pending = None
                elif line.startswith("DEAD"):
                    status = int(line.split()[2])
                    assert os.WIFSIGNALED(status), line
                    assert os.WTERMSIG(status) == signal.SIGKILL, line
                    break
            if not path.exists():
                assert not model and acked == 0  # killed before its very first save
                kills_before_open += 1
                continue
            disk = on_disk(path)
            if pending is None:
                assert disk == model, f"round {round_no}: disk differs from acknowledged"
            else:
                kills_mid_save += 1
                after = {**model, **pending}
                assert disk in (model, after), (
                    f"round {round_no}: the save in flight was half applied"
                )
                if disk == after and disk != model:
                    in_flight_landed += 1
                model = disk  # the in-flight save may have landed: it is the new truth
            stale = leftover_temps(path)
            temps_left += bool(stale)
        server.stdin.write(b"quit\n")
        server.stdin.flush()
        server.wait(timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    # a last ordinary open: parses, holds everything, and cleans up after the last kill
    from micro_journal.store import Repository, open_journal

    with open_journal(path, on_locked="refuse") as journal:
        repo = Repository(journal)
        assert {e.id for e in repo.entries(include_archived=True)} == set(model)
    assert leftover_temps(path) == []
    # closed normally: the change log is folded in and journal.json alone holds it all
    assert not changes.changes_path_for(path).exists()
    assert {d["id"] for d in json.loads(path.read_bytes())["entries"].values()} == set(model)
    seconds = time.monotonic() - started
    figures.add(
        f"kill -9: {KILLS} SIGKILLs, {acked} acknowledged saves, all present after every "
        f"kill; {kills_mid_save} kills landed mid-save ({in_flight_landed} of those saves "
        f"had reached the disk whole, the rest not at all); {temps_left} left a temp file, "
        f"each removed by the next open; no stale lock blocked a restart "
        f"({seconds:.1f} s)"
    )
    assert acked > KILLS  # the loop really exercised saves, not just opens
