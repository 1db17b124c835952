"""The benchmark must keep working: one quick run on a 1-year journal.

No figure is judged here (machines are shared and noisy); the run only has to
produce every figure, each with samples and, where it has one, a floor.
"""

from __future__ import annotations

from tests.benchmarks import bench


def test_quick_benchmark_produces_every_figure(capsys):
    figures = bench.main(["--quick", "--repeat", "1"])
    assert not bench.FAILURES, bench.FAILURES
    names = [f.name for f in figures]
    for expected in (
        "start to Today, 1y journal (headless)",
        "start to Today, 1y journal (pty)",
        "peak memory, 1y journal",
        "save one check-in, 1y",
        "save one check-in, 1y (vs json.dump)",
        "fold the change log in (at quit), 1y",
        "CLI checkin, 1y",
        "search all notes, 1y",
        "key to journal painted, 1y",
        "key to plan painted, 1y",
        "key to progress painted, 1y",
        "key to goals painted, 1y",
        "check-in key on Today → painted, 1y",
        "today --json, 1y",
        "first visit to Journal → painted, 1y",
        "search key → results painted, 1y",
        "peak memory after every screen, 1y",
        "JSON export, 1y",
        "peak memory of JSON export, 1y",
        "backups on disk after 3 days of use, 1y",
    ):
        assert any(name.startswith(expected) for name in names), (expected, names)
    for figure in figures:
        assert figure.samples and all(s > 0 for s in figure.samples), figure.name
        if figure.floor is not None:
            assert figure.ratio() is not None and figure.ratio() > 0
    printed = capsys.readouterr().out
    assert "start to Today, 1y journal (headless)" in printed and "×" in printed


def test_only_runs_the_named_groups(capsys):
    figures = bench.main(["--quick", "--repeat", "1", "--only", "save", "search"])
    names = {f.name for f in figures}
    assert "save one check-in, 1y" in names and "search all notes, 1y" in names
    assert not any(n.startswith(("start to Today", "CLI checkin", "key to")) for n in names)
    assert "groups: save search" in capsys.readouterr().out
    assert not bench.FAILURES
