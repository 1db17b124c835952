"""Tweaks on Progress (4): a weekly review that decided to tweak a skill is marked on the
skill's weekly measurement chart (``┊`` up the plot, ``▲`` on the x axis where the next
week begins), explained in the legend, and the latest one is compared before/after."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.cells import cell_len

from micro_journal.domain import progress as P
from micro_journal.domain.models import (
    Measurement,
    Metric,
    MicroSkill,
    Objective,
    WeeklyReview,
)
from micro_journal.screens.progress import ProgressScreen
from micro_journal.store import Repository, open_journal

from .conftest import DEMO_DAY, table
from .test_progress import shown, text_of

FIRST = dt.date(2026, 10, 19)  # a Monday: five weeks up to today (Wed 18 Nov)
WEEK = dt.timedelta(weeks=1)
LUNCH = "Practise right after lunch"


def write_journal(path: Path, reviews, weekly=(8, 6, 4, 4, 3), **um) -> dict[str, str]:
    """Three skills of one objective, each checked in daily with the week's value from
    ``weekly`` (fillers: lower is better); ``reviews(ids, objective_id)`` gives the
    reviews to save; ``um`` sets fields of the first skill. Returns the skills' ids by
    short name."""
    with open_journal(path, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        with repo.batch():
            repo.ensure_meta()
            objective = repo.save(Objective(title="Public speaking"))
            ids = {}
            for name in ("um", "eyes", "smile"):
                skill = repo.save(MicroSkill(
                    objective_id=objective.id, title=f"Skill {name}",
                    metric=Metric(name="fillers per talk", unit="fillers",
                                  direction="lower", baseline=14, target=3),
                    **(um if name == "um" else {}),
                ))
                ids[name] = skill.id
                day = FIRST
                while day < DEMO_DAY:
                    value = weekly[min((day - FIRST).days // 7, len(weekly) - 1)]
                    repo.set_checkin(skill.id, day, "done", minutes=5, value=float(value))
                    day += dt.timedelta(days=1)
            for review in reviews(ids, objective.id):
                repo.save(review)
    return ids


def tweak(week: dt.date, objective_id: str, measured: list[str], skill: str | None,
          adjust: str = LUNCH) -> WeeklyReview:
    return WeeklyReview(
        week=week.isoformat(), objective_id=objective_id,
        measurements=[Measurement(skill_id=i) for i in measured],
        worked="", adjust=adjust, decision="tweak", tweak_skill_id=skill,
    )


def axis_and_labels(chart: str) -> tuple[str, str]:
    lines = chart.splitlines()
    axis = next(n for n, line in enumerate(lines) if "└" in line)
    return lines[axis], lines[axis + 1]


async def open_progress(app, pilot, skill_title: str) -> None:
    await pilot.press("4")
    await pilot.pause()
    assert isinstance(app.screen, ProgressScreen)
    for _ in range(3):
        if skill_title in shown(app, "#topbar"):
            return
        await pilot.press("right")
        await pilot.pause()
    raise AssertionError(f"{skill_title!r} never shown")


def marked(app) -> bool:
    axis, _ = axis_and_labels(shown(app, "#pg-chart"))
    return "▲" in axis


async def test_a_tweak_is_marked_where_the_next_week_begins_with_before_and_after(
        tmp_path, make):
    path = tmp_path / "j" / "journal.json"
    write_journal(path, lambda ids, o: [tweak(FIRST + WEEK, o, [ids["um"]], ids["um"])])
    assert table(path, "reviews")[0]["tweak_skill_id"]
    app = make(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_progress(app, pilot, "Skill um")
        chart = shown(app, "#pg-chart")
        axis, labels = axis_and_labels(chart)
        assert axis.count("▲") == 1
        column = axis.index("▲")
        # the mark sits where the week after the tweak week (26 Oct) begins: 2 Nov
        assert labels.index("2 Nov") == column
        plot = chart.splitlines()[: chart.splitlines().index(axis)]
        assert sum(line[column] == "┊" for line in plot) >= len(plot) // 2
        assert "▲┊ tweak (from the week after)" in shown(app, "#pg-chart-legend")
        line = shown(app, "#pg-tweak")
        assert line.splitlines() == [
            "▲ Tweak · week of 26 Oct: Practise right after lunch · before the tweak "
            "7 fillers, after 4 fillers: better"
        ]
        await pilot.press("o")  # the objective's chart: no tweak line there
        await pilot.pause()
        assert not app.screen.query_one("#pg-tweak").display
        await pilot.press("o")
        await pilot.pause()
        assert app.screen.query_one("#pg-tweak").display


async def test_a_review_naming_no_skill_marks_every_skill_it_measured(tmp_path, make):
    path = tmp_path / "j" / "journal.json"
    write_journal(path, lambda ids, o: [
        tweak(FIRST + WEEK, o, [ids["um"], ids["eyes"]], None),
    ])
    app = make(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_progress(app, pilot, "Skill um")
        assert marked(app) and "Practise right after lunch" in shown(app, "#pg-tweak")
        await open_progress(app, pilot, "Skill eyes")
        assert marked(app) and "before the tweak 7 fillers" in shown(app, "#pg-tweak")
        await open_progress(app, pilot, "Skill smile")  # not measured in that review
        assert not marked(app)
        assert "tweak" not in shown(app, "#pg-chart-legend")
        assert not app.screen.query_one("#pg-tweak").display


async def test_a_tweak_of_another_skill_does_not_mark_this_one(tmp_path, make):
    path = tmp_path / "j" / "journal.json"
    write_journal(path, lambda ids, o: [
        tweak(FIRST + WEEK, o, [ids["um"], ids["eyes"]], ids["eyes"]),
        tweak(FIRST + 2 * WEEK, "another objective", [ids["um"]], ids["um"]),
    ])
    app = make(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_progress(app, pilot, "Skill um")
        assert not marked(app)
        assert not app.screen.query_one("#pg-tweak").display
        await open_progress(app, pilot, "Skill eyes")
        assert marked(app)


async def test_nothing_is_cut_off_at_80x24_and_user_text_stays_text(tmp_path, make):
    path = tmp_path / "j" / "journal.json"
    text = ("[b]Practise[/b] right after lunch,\nthen again \x1b[31m before dinner "
            "with a timer\x07 and a long explanation that goes on and on")
    write_journal(path, lambda ids, o: [
        tweak(FIRST + WEEK, o, [ids["um"]], ids["um"], adjust="Earlier: " + LUNCH),
        tweak(FIRST + 2 * WEEK, o, [ids["um"]], ids["um"], adjust=text),
    ])
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_progress(app, pilot, "Skill um")
        axis, labels = axis_and_labels(shown(app, "#pg-chart"))
        assert axis.count("▲") == 2  # both tweaks, at 2 Nov and 9 Nov
        assert [axis.index("▲"), axis.rindex("▲")] == [labels.index("2 Nov"),
                                                       labels.index("9 Nov")]
        for selector in ("#pg-chart", "#pg-chart-legend", "#pg-tweak"):
            widget = app.screen.query_one(selector)
            assert widget.region.right <= 80
            for row in text_of(widget).splitlines():
                assert cell_len(row) <= widget.region.width, (selector, row)
        line = shown(app, "#pg-tweak")
        first, effect = line.splitlines()  # too narrow for one line: the effect below
        assert first.startswith("▲ Tweak · week of 2 Nov: [b]Practise[/b] right after lunch, "
                                "then again ␛[31m")
        assert first.endswith("…")
        assert "\x1b" not in line and "\x07" not in line
        assert effect.strip() == "before the tweak 5 fillers, after 3.5 fillers: better"
        await pilot.press(*"jjjj")
        await pilot.pause()
        svg = app.export_screenshot()
        assert "Tweak" in svg and "before&#160;the&#160;tweak" in svg


async def test_a_tweak_this_week_is_too_early_to_tell(tmp_path, make):
    path = tmp_path / "j" / "journal.json"
    this_week = FIRST + 4 * WEEK
    write_journal(path, lambda ids, o: [tweak(this_week, o, [ids["um"]], ids["um"])])
    app = make(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_progress(app, pilot, "Skill um")
        assert not marked(app)  # it applies from next week, not on the chart yet
        assert shown(app, "#pg-tweak").strip() == (
            "▲ Tweak · week of 16 Nov: Practise right after lunch · since the tweak: too "
            "early to tell")


def test_tweaks_of_a_skill_come_from_its_reviews_once_per_week():
    skill = MicroSkill(objective_id="o", title="um")
    other = "another skill"
    reviews = [
        tweak(FIRST, "o", [skill.id], skill.id, "first"),
        tweak(FIRST, "o", [skill.id], skill.id, "first, edited"),  # same week: replaces
        tweak(FIRST + WEEK, "o", [skill.id, other], other),  # another skill's tweak
        tweak(FIRST + 2 * WEEK, "x", [skill.id], None),  # another objective
        tweak(FIRST + 3 * WEEK + dt.timedelta(days=2), "o", [skill.id], None, "old"),
        WeeklyReview(week=(FIRST + 4 * WEEK).isoformat(), objective_id="o",
                     measurements=[Measurement(skill_id=skill.id)], decision="stack"),
        tweak(FIRST, "o", [skill.id], skill.id, "bad week").touched(week="not a date"),
    ]
    assert P.tweaks_of(skill, reviews) == [
        P.Tweak(FIRST, "first, edited"), P.Tweak(FIRST + 3 * WEEK, "old"),
    ]
    assert P.tweaks_of(skill, reviews)[0].applies_from == FIRST + WEEK


def test_user_text_is_shown_as_typed_on_one_line():
    from textual.content import Content

    from micro_journal.widgets.charts import clip, escape_text, one_line

    for text in ("[31m red", "[$warning] loud", "[A] note", "[b]bold[/b]", "ends with \\",
                 "\\[b] x", "[", "a]b"):
        markup = f"[b]{escape_text(text)}[/] · [$done]ok[/]"
        assert Content.from_markup(markup).plain.replace("\u200b", "") == f"{text} · ok"
    assert one_line("a\nb\r\n\tc \x1b[2J\x07\x7f\x9b") == "a b c ␛[2J␇␡\ufffd"
    assert clip("Practise right after lunch", 10) == "Practise…"
    assert clip("日本語のテキスト", 7) == "日本語…"


async def test_a_skill_in_maintenance_is_asked_its_lighter_rhythm_this_week(tmp_path, make):
    path = tmp_path / "j" / "journal.json"
    write_journal(path, lambda ids, o: [], status="mastered", maintenance_days=3)
    app = make(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_progress(app, pilot, "Skill um")
        head = shown(app, "#pg-head")
        assert "2/3 days practised this week" in head  # Mon and Tue, of 3 (not 7)
        assert "streak 30 days" in head
