"""The Progress screen (4), driven through the real app: skills, the objective view,
achievements by period, the SVG picture, the empty state."""

from __future__ import annotations

import re

import pytest

from micro_journal.screens.progress import ProgressScreen
from micro_journal.services.progress import PICTURES_ENV
from micro_journal.widgets.charts import Drawing

UM = "Eliminate 'um' and 'uh'"


def text_of(widget) -> str:
    if isinstance(widget, Drawing):
        return widget.text
    return str(widget.render())


def shown(app, selector: str) -> str:
    return text_of(app.screen.query_one(selector))


@pytest.fixture
def pictures(tmp_path, monkeypatch):
    folder = tmp_path / "pictures"
    monkeypatch.setenv(PICTURES_ENV, str(folder))
    return folder


def weekly_points(chart: str) -> list[tuple[int, int]]:
    """(column, row) of each weekly measurement marker, left to right."""
    points = []
    for row, line in enumerate(chart.splitlines()):
        points += [(m.start(), row) for m in re.finditer("●", line)]
    return sorted(points)


async def test_demo_progress_shows_fillers_falling_toward_the_target(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        assert UM in shown(app, "#topbar")
        head = shown(app, "#pg-head")
        assert "lower is better" in head and "better than the week before" in head
        chart = shown(app, "#pg-chart")
        lines = chart.splitlines()
        # lower is better: the target (3) is the top line, the baseline (14) lower down
        assert lines[0].lstrip().startswith("3┤")
        assert any(line.lstrip().startswith("14┤") for line in lines)
        points = weekly_points(chart)
        assert len(points) == 3  # weeks 1, 2 and 3 of the demo
        rows = [row for _, row in points]
        assert rows == sorted(rows, reverse=True) and rows[0] > rows[-1]  # going up = better
        assert "axis is inverted" in shown(app, "#pg-chart-legend")
        assert "•" in chart  # the daily values
        bars = shown(app, "#pg-bars")
        assert "█" in bars and "–" in bars  # practice and rest days
        assert "min practised on" in shown(app, "#pg-totals")
        heat = shown(app, "#pg-heatmap")
        assert "■" in heat and "Nov" in heat
        assert len(heat.splitlines()) == 8
        assert all(len(line) <= 77 for line in heat.splitlines())  # nothing cut off at 80
        assert "Months" in shown(app, "#pg-consistency")


async def test_keys_switch_skills_objective_and_back(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        first = shown(app, "#pg-head").splitlines()[0]
        assert UM in first
        await pilot.press("right")
        await pilot.pause()
        second = shown(app, "#pg-head").splitlines()[0]
        assert second != first and "eye contact" in second
        assert "higher is better" in shown(app, "#pg-head")
        assert "axis is inverted" not in shown(app, "#pg-chart-legend")
        await pilot.press("left")
        await pilot.pause()
        assert UM in shown(app, "#pg-head")
        await pilot.press("h")  # wraps around to the last skill
        await pilot.pause()
        assert UM not in shown(app, "#pg-head")
        await pilot.press("l", "o")
        await pilot.pause()
        assert "Objective" in shown(app, "#progress-tabs")
        assert "Public speaking" in shown(app, "#topbar")
        assert "toward target" in shown(app, "#pg-chart-title")
        legend = shown(app, "#pg-chart-legend")
        assert "●" in legend and "◆" in legend and "%" in legend
        assert "100%┤" in shown(app, "#pg-chart")
        await pilot.press("right")  # the next objective
        await pilot.pause()
        assert "Productivity" in shown(app, "#topbar")
        await pilot.press("o")
        await pilot.pause()
        assert "outline" in shown(app, "#pg-head")


async def test_achievements_move_between_periods_and_kinds(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "a")
        await pilot.pause()
        assert app.screen.query_one("#progress-achievements").display
        assert not app.screen.query_one("#progress-charts").display
        assert "November 2026" in shown(app, "#ach-head")
        stats = shown(app, "#ach-stats")
        assert "min practised" in stats and "2 micro-goals done" in stats
        assert "Record a 5-minute talk" in shown(app, "#ach-lists")
        assert "▶ Nov 2026" in shown(app, "#ach-history")
        await pilot.press("left")
        await pilot.pause()
        assert "October 2026" in shown(app, "#ach-head")
        assert "Nothing recorded" in shown(app, "#ach-stats")
        await pilot.press("right", "t")  # November → its quarter
        await pilot.pause()
        assert "Q4 2026" in shown(app, "#ach-head")
        await pilot.press("t")  # → this week
        await pilot.pause()
        head = shown(app, "#ach-head")
        assert "week of 16–22 Nov 2026" in head and "this week" in head
        week_stats = shown(app, "#ach-stats")
        assert week_stats != stats
        await pilot.press("left")
        await pilot.pause()
        assert "week of 9–15 Nov 2026" in shown(app, "#ach-head")
        assert "Ask a question" in shown(app, "#ach-lists")
        await pilot.press("t")  # → the month holding that week
        await pilot.pause()
        assert "November 2026" in shown(app, "#ach-head")
        await pilot.press("a")  # back to the charts
        await pilot.pause()
        assert app.screen.query_one("#progress-charts").display


async def test_s_saves_an_svg_picture_and_says_where(demo_path, make, pictures):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4", "s")
        await pilot.pause()
        files = sorted(pictures.glob("*.svg"))
        assert [f.name for f in files] == ["progress-eliminate-um-and-uh-2026-11-18.svg"]
        svg = files[0].read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "Progress" in svg
        notes = [n.message for n in app._notifications]
        assert any(str(files[0]) in m for m in notes)
        await pilot.press("s")  # never overwrites
        await pilot.pause()
        assert len(list(pictures.glob("*.svg"))) == 2


async def test_picture_folder_that_cannot_be_made_is_reported(demo_path, make, tmp_path,
                                                              monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(PICTURES_ENV, str(blocker / "pictures"))
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4", "s")
        await pilot.pause()
        notes = [n for n in app._notifications]
        assert any(n.severity == "error" and PICTURES_ENV in n.message for n in notes)


async def test_empty_journal_says_what_to_do(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        empty = app.screen.query_one("#progress-empty")
        assert empty.display
        text = text_of(empty)
        assert "Nothing to chart yet" in text and "Today" in text and "demo" in text
        assert not app.screen.query_one("#progress-charts").display
        await pilot.press("right", "o", "a", "t")  # nothing to switch: nothing breaks
        await pilot.pause()
        assert empty.display


async def test_a_check_in_shows_up_when_coming_back(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "o")  # the objective: Today's focus skill is one of its
        await pilot.pause()
        before = shown(app, "#pg-totals")
        await pilot.press("1", "space", "4")  # check the focus skill in on Today
        await pilot.pause()
        assert shown(app, "#pg-totals") != before
