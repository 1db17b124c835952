"""15: time — midnight during an edit, DST gap and fold nights (Europe/Berlin), the time
zone changing while the app is open, ISO week 53, Monday and Sunday week starts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from zoneinfo import ZoneInfo

import pytest

from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain import dates, rules
from micro_journal.domain.clock import Clock
from micro_journal.domain.models import CheckIn, WeeklyReview
from micro_journal.screens.editor import EditorScreen
from micro_journal.services.demo import write_demo
from micro_journal.store import Repository, open_journal

from ..conftest import until
from .conftest import read_json

BERLIN = ZoneInfo("Europe/Berlin")


class MovingClock(Clock):
    """The real Clock logic over a moment we move (UTC), shown in Europe/Berlin."""

    def __init__(self, utc: dt.datetime, day_start_hour: int = 0) -> None:
        self.utc = utc
        super().__init__(day_start_hour, now=lambda: self.utc.astimezone(BERLIN), environ={})


async def test_an_entry_begun_before_midnight_keeps_its_date_across_a_dst_night(tmp_path):
    # 2026-03-28 23:58 in Berlin; the clocks jump from 02:00 to 03:00 this night
    clock = MovingClock(dt.datetime(2026, 3, 28, 22, 58, tzinfo=dt.UTC))
    path = tmp_path / "journal.json"
    app = make_app(path, clock, Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await pilot.press(*"begun late")
        clock.utc += dt.timedelta(minutes=5)  # 00:03 on the 29th
        app.check_day()
        assert app.today == dt.date(2026, 3, 29)
        await pilot.press(*", saved after midnight")
        await until(pilot, lambda: [e["body"] for e in read_json(path)["entries"].values()] == [
            "begun late, saved after midnight"
        ])  # the 1 s autosave
    [entry] = read_json(path)["entries"].values()
    assert entry["date"] == "2026-03-28"
    assert entry["body"] == "begun late, saved after midnight"


@pytest.mark.parametrize("night", ["2026-03-29", "2026-10-25"], ids=["gap", "fold"])
@pytest.mark.parametrize("day_start", [0, 2, 3, 4])
async def test_the_day_turns_exactly_once_per_dst_night(tmp_path, night, day_start):
    """Walk a DST night in 10-minute steps of real time: the app's date changes once, at
    the day-start hour (or the first moment after it, when that hour does not exist)."""
    day = dt.date.fromisoformat(night)
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(20), BERLIN)
    clock = MovingClock(start.astimezone(dt.UTC), day_start)
    path = tmp_path / "journal.json"
    app = make_app(path, clock, Config())
    seen = []
    async with app.run_test(size=(120, 40)):
        for _ in range(6 * 12):
            clock.utc += dt.timedelta(minutes=10)
            app.check_day()
            seen.append(app.today)
            local = clock.now()
            expected = day if (local.date() == day and local.hour >= day_start) else (
                day - dt.timedelta(days=1))
            assert app.today == expected, local
            # a check-in now lands on the app's date
            app.repo.set_checkin("skill", app.today)
    changes = sum(1 for a, b in itertools.pairwise(seen) if a != b)
    assert changes == 1
    dates = {c["date"] for c in read_json(path)["checkins"].values()}
    assert dates == {str(day - dt.timedelta(days=1)), night}


@pytest.fixture
def restore_tz(monkeypatch):
    yield
    monkeypatch.undo()
    time.tzset()


async def test_a_time_zone_change_while_open_moves_new_checkins(tmp_path, monkeypatch,
                                                                 restore_tz, figures):
    # 26 hours apart: the local dates always differ
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    clock = Clock()
    first = clock.today()
    path = tmp_path / "journal.json"
    with open_journal(path, today=lambda: first) as journal:
        write_demo(Repository(journal), first)
    app = make_app(path, clock, Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.today == first
        await pilot.press("space")  # the focus skill, done
        await pilot.pause()
        monkeypatch.setenv("TZ", "Etc/GMT+12")  # flew across the date line
        app.check_day()
        second = app.today
        assert second != first and second == clock.today()
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
    dates = {c["date"] for c in read_json(path)["checkins"].values()
             if c["date"] in (str(first), str(second))}
    assert dates == {str(first), str(second)}
    figures.add(f"time: DST gap and fold nights × day-start 0/2/3/4 h walked in 10-minute "
                f"steps (the date turns once); TZ change {first} -> {second} moved new "
                "check-ins; week 53 with Monday and Sunday week starts")


@pytest.mark.parametrize("first_weekday", [rules.MONDAY, rules.SUNDAY], ids=["monday", "sunday"])
def test_week_53_and_both_week_starts(tmp_path, first_weekday):
    # 2026 has an ISO week 53 (Mon 28 Dec 2026 – Sun 3 Jan 2027)
    assert dt.date(2026, 12, 31).isocalendar()[:2] == (2026, 53)
    days = [dt.date(2026, 12, 20) + dt.timedelta(days=n) for n in range(21)]
    path = tmp_path / "journal.json"
    with open_journal(path, today=lambda: days[-1]) as journal:
        repo = Repository(journal)
        for d in days:
            repo.save(CheckIn(skill_id="s", date=d.isoformat(), status="done"))
        for d in days:
            if d == dates.week_start(d, first_weekday):
                repo.save(WeeklyReview(week=d.isoformat(), worked=f"week of {d}"))
    with open_journal(path, today=lambda: days[-1]) as journal:
        repo = Repository(journal)
        states = rules.day_states(repo.checkins("s"))
        for d in days:
            week = dates.week_days(d, first_weekday)
            assert len(week) == 7 and len(set(week)) == 7
            assert week[0].weekday() == first_weekday
            assert d in week
            progress = rules.week_progress(states, d, 7, first_weekday)
            assert progress.done == sum(1 for w in week if days[0] <= w <= d)
        weeks = [r.week for r in repo.reviews()]
        assert len(weeks) == len(set(weeks)) == 3
        start_53 = dates.week_start(dt.date(2026, 12, 31), first_weekday)
        assert start_53.isoformat() in weeks
        assert dates.weeks_between(dt.date(2026, 12, 20), dt.date(2027, 1, 9),
                                   first_weekday) == (3 if first_weekday == rules.MONDAY else 2)
