"""8: two CLI check-ins at the same moment, in real processes, again and again.

Each run either succeeds and its check-in is in the file, or is refused with a message
naming the lock file and wrote nothing. No success is ever lost to the other writer.
"""

from __future__ import annotations

import subprocess
import sys

from tests.cli.cli_helpers import skill_ids

from .conftest import env_count, read_json

ROUNDS = env_count("RELIABILITY_CLI_ROUNDS", 8)


def test_concurrent_cli_checkins_never_lose_a_write(box, demo, figures):
    skills = list(skill_ids(demo).values())
    ok = refused = 0
    for n in range(ROUNDS):
        day = f"2026-10-{n + 1:02d}"
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "micro_journal", "--db", str(demo), "checkin",
                 skill[:12], "--date", day, "--note", f"writer {i}"],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True, env=box.env, cwd=box.root,
            )
            for i, skill in enumerate(skills[:2])
        ]
        results = [(p, *p.communicate(timeout=60)) for p in procs]
        on_disk = {
            (c["skill_id"], c.get("note"))
            for c in read_json(demo)["checkins"].values() if c["date"] == day
        }
        for i, (proc, _out, err) in enumerate(results):
            assert "Traceback" not in err
            if proc.returncode == 0:
                ok += 1
                assert (skills[i], f"writer {i}") in on_disk  # a success is on disk
            else:
                refused += 1
                assert proc.returncode == 1, err
                assert ".lock" in err and "open in another micro-journal" in err
                assert (skills[i], f"writer {i}") not in on_disk  # a refusal wrote nothing
    assert ok >= ROUNDS  # at least one of each pair always gets through
    figures.add(f"two CLIs at once: {ROUNDS} rounds of 2 concurrent check-ins: {ok} saved "
                f"(all on disk), {refused} refused naming the lock (nothing written)")
