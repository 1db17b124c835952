"""The older check-ins stay in the file (layout.py, history.py, issue 17): what a user
would notice is that nothing changes — every check-in is kept, streaks are the same,
the file stays one TinyDB file — while opening reads only the recent weeks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tinydb import TinyDB

from micro_journal.domain import rules
from micro_journal.domain.models import (
    CheckIn,
    Entry,
    Metric,
    MicroGoal,
    MicroSkill,
    Objective,
    WeeklyReview,
)
from micro_journal.services.today import build_today
from micro_journal.store import Repository, open_journal
from micro_journal.store.layout import SPLIT_KEY

START = dt.date(2025, 1, 6)  # a Monday
TODAY = dt.date(2025, 12, 17)


def no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), "a key written twice"
    return dict(pairs)


def file_data(path: Path) -> dict:
    return json.loads(path.read_bytes(), object_pairs_hook=no_duplicate_keys)


def split_info(path: Path) -> dict | None:
    meta = file_data(path)["meta"]
    return next(iter(meta.values())).get(SPLIT_KEY)


def opened(path: Path, today: dt.date = TODAY, first_weekday: int = 0):
    return open_journal(path, today=lambda: today, first_weekday=first_weekday)


def full_streaks(path: Path, skill_id: str, today: dt.date, first_weekday: int = 0):
    """Streaks counted from every check-in, read the plain TinyDB way."""
    db = TinyDB(path)
    docs = [d for d in db.table("checkins").all() if d["skill_id"] == skill_id]
    db.close()
    skill = next(s for s in TinyDB(path).table("skills").all() if s["id"] == skill_id)
    states = {dt.date.fromisoformat(d["date"]): d["status"] for d in docs}
    return rules.streaks(states, today, skill["frequency_target"], first_weekday)


@pytest.fixture
def journal_path(tmp_path) -> tuple[Path, str]:
    """A year of daily check-ins (a rest day on Sundays, a missed week in March) and a
    few entries, written by the app's storage."""
    path = tmp_path / "journal.json"
    with opened(path) as journal:
        repo = Repository(journal)
        objective = repo.save(Objective(title="Speaking"))
        skill = repo.save(MicroSkill(objective_id=objective.id, title="Pause",
                                     metric=Metric(name="fillers"), frequency_target=6))
        records = []
        day = START
        while day < TODAY:
            missed = dt.date(2025, 3, 10) <= day < dt.date(2025, 3, 17)
            if not missed:
                status = "skipped" if day.weekday() == 6 else "done"
                records.append(CheckIn(skill_id=skill.id, date=day.isoformat(), status=status,
                                       minutes=5, note=f"day {day}"))
            if day.day == 1:
                records.append(Entry(date=day.isoformat(), body=f"month {day:%B}"))
            day += dt.timedelta(days=1)
        repo.save_many(records)
    return path, skill.id


def test_older_check_ins_stay_in_the_file_and_plain_tinydb_reads_them_all(journal_path):
    path, skill_id = journal_path
    info = split_info(path)
    assert info is not None and info["cut"] == "2025-10-20"  # 8 weeks before this week
    db = TinyDB(path)
    assert len(db.table("checkins")) == len(file_data(path)["checkins"]) > 300
    db.close()
    with opened(path) as journal:
        repo = Repository(journal)
        assert journal.storage.older_left() is not None
        recent = journal.storage.peek("checkins")
        assert all(d["date"] >= "2025-10-20" for d in recent.values())
        assert len(recent) < 60
        view = build_today(repo, TODAY)
        assert journal.storage.older_left() is not None  # Today read none of the older
        assert view.focus.streaks == full_streaks(path, skill_id, TODAY)
        assert len(repo.checkins(skill_id)) == len(file_data(path)["checkins"])


def test_older_check_ins_stay_in_the_file_beside_goals_that_are_all_recent(journal_path):
    """Goals and weekly reviews none of which is old enough to keep apart are written
    whole, before the older check-ins; opening still leaves those (and the entries) in
    the file. It used to take the goals' table for the first one kept apart, and parse
    the whole file at every start."""
    path, skill_id = journal_path
    with opened(path) as journal:
        repo = Repository(journal)
        objective = repo.objectives()[0]
        repo.save(MicroGoal(objective_id=objective.id, action="Record a talk",
                            deadline=TODAY.isoformat()))
        repo.save(WeeklyReview(week=rules.week_start(TODAY).isoformat(),
                               objective_id=objective.id))
    data = file_data(path)
    assert data["goals"] and data["reviews"] and split_info(path) is not None
    with opened(path) as journal:
        repo = Repository(journal)
        assert journal.storage.older_left() is not None
        assert journal.storage.peek("entries") is None
        assert len(journal.storage.peek("checkins")) < 60
        practice = repo.practice()[skill_id]  # what Progress draws, from the file
        assert journal.storage.older_left() is not None
        assert len(practice) == len(data["checkins"]) == len(repo.checkins(skill_id))
        assert [p[0].isoformat() for p in practice] == sorted(
            d["date"] for d in data["checkins"].values())


def test_a_check_in_saved_and_undone_reads_no_older_one_and_keeps_every_one(journal_path):
    path, skill_id = journal_path
    before = {d["id"] for d in file_data(path)["checkins"].values()}
    with opened(path) as journal:
        repo = Repository(journal)
        saved = repo.set_checkin(skill_id, TODAY, "done", minutes=7)
        repo.remove_checkin(skill_id, TODAY)
        again = repo.set_checkin(skill_id, TODAY, "done", minutes=8)
        assert journal.storage.older_left() is not None
        numbers = [int(k) for k in journal.storage.peek("checkins")]
        assert max(numbers) > journal.storage.older_left()["max_id"]
    after = {d["id"]: d for d in file_data(path)["checkins"].values()}
    # (a check-in's id is its skill and day's: the one saved again has the undone one's)
    assert set(after) == before | {again.id} and saved.id == again.id
    assert after[again.id]["minutes"] == 8
    assert [d for d in after.values()
            if (d["skill_id"], d["date"]) == (skill_id, TODAY.isoformat())] == [after[again.id]]


def test_changing_and_undoing_an_older_check_in_is_kept(journal_path):
    path, skill_id = journal_path
    old_day = dt.date(2025, 2, 4)
    with opened(path) as journal:
        repo = Repository(journal)
        found = repo.checkin(skill_id, old_day)
        assert found is not None and found.note == f"day {old_day}"
        repo.save(found.touched(note="edited long after"))
        repo.remove_checkin(skill_id, dt.date(2025, 2, 5))
    data = file_data(path)["checkins"]
    by_day = {d["date"]: d for d in data.values()}
    assert by_day[old_day.isoformat()]["note"] == "edited long after"
    assert "2025-02-05" not in by_day
    with opened(path) as journal:  # and the streaks kept beside them follow
        repo = Repository(journal)
        skill = repo.get(MicroSkill, skill_id)
        assert repo.streaks(skill, TODAY, 0) == full_streaks(path, skill_id, TODAY)


def test_an_older_check_in_moved_to_today_is_not_counted_twice(journal_path):
    path, skill_id = journal_path
    with opened(path, TODAY + dt.timedelta(days=1)) as journal:
        repo = Repository(journal)
        old = repo.checkin(skill_id, dt.date(2025, 1, 7))
        repo.save(old.touched(date=(TODAY + dt.timedelta(days=1)).isoformat()))
    tomorrow = TODAY + dt.timedelta(days=1)
    with opened(path, tomorrow) as journal:
        repo = Repository(journal)
        skill = repo.get(MicroSkill, skill_id)
        assert repo.streaks(skill, tomorrow, 0) == full_streaks(path, skill_id, tomorrow)
        assert repo.checkin(skill_id, dt.date(2025, 1, 7)) is None
    dates = [d["date"] for d in file_data(path)["checkins"].values()]
    assert len(dates) == len(set(dates))


def test_living_with_it_day_by_day_keeps_streaks_and_every_check_in(journal_path):
    """Sixty days, as a user lives them: the app opened each day, a check-in (a rest day
    on Sundays, two days forgotten), closed; the CLI some days. The recent weeks move
    forward and the older part grows by appending; nothing is lost or counted twice."""
    path, skill_id = journal_path
    expected = {d["date"]: d["status"] for d in file_data(path)["checkins"].values()}
    cuts = set()
    for n in range(60):
        day = TODAY + dt.timedelta(days=n)
        forgotten = n in (17, 18)
        with opened(path, day) as journal:
            repo = Repository(journal)
            skill = repo.get(MicroSkill, skill_id)
            view = build_today(repo, day)
            assert view.focus.streaks == full_streaks(path, skill_id, day), day
            if not forgotten:
                status = "skipped" if day.weekday() == 6 else "done"
                repo.set_checkin(skill_id, day, status, minutes=5)
                expected[day.isoformat()] = status
            if n % 9 == 0:
                journal.storage.compact()  # a fold mid-session (a long log)
                repo.set_checkin(skill_id, day, "done", note="after the fold")
                expected[day.isoformat()] = "done"
            assert repo.streaks(skill, day, 0).current >= 0
            assert journal.storage.older_left() is not None
        cuts.add(split_info(path)["cut"])
        got = {d["date"]: d["status"] for d in file_data(path)["checkins"].values()}
        assert got == expected, day
    assert len(cuts) >= 8  # the recent weeks moved forward week by week


def test_another_week_start_or_target_counts_from_every_check_in(journal_path):
    path, skill_id = journal_path
    with opened(path, first_weekday=6) as journal:  # Sunday weeks: read them all
        repo = Repository(journal)
        skill = repo.get(MicroSkill, skill_id)
        assert repo.streaks(skill, TODAY, 6) == full_streaks(path, skill_id, TODAY, 6)
    with opened(path) as journal:
        repo = Repository(journal)
        skill = repo.get(MicroSkill, skill_id)
        repo.save(skill.touched(frequency_target=7))
    with opened(path) as journal:
        repo = Repository(journal)
        skill = repo.get(MicroSkill, skill_id)
        assert repo.streaks(skill, TODAY, 0) == full_streaks(path, skill_id, TODAY)


def test_a_hand_edited_split_is_read_in_full(journal_path):
    path, skill_id = journal_path
    raw = path.read_bytes()
    count = len(file_data(path)["checkins"])
    # a note made longer by hand: every length after it is now wrong
    path.write_bytes(raw.replace(b'"note":"day 2025-02-04"', b'"note":"day 2025-02-04!!"'))
    with opened(path) as journal:
        repo = Repository(journal)
        assert journal.storage.older_left() is None  # parsed in full
        assert len(repo.checkins(skill_id)) == count
        assert repo.checkin(skill_id, dt.date(2025, 2, 4)).note == "day 2025-02-04!!"
    assert split_info(path) is not None  # and written split again


def practice_from_records(path: Path, skill_id: str) -> list[tuple]:
    with open_journal(path, today=lambda: TODAY, read_only=True) as journal:
        return [(dt.date.fromisoformat(c.date), c.status, c.minutes, c.value)
                for c in Repository(journal).checkins(skill_id)]


@pytest.mark.parametrize("odd", ["minutes five", "one id twice", "an entry's shape"])
def test_progress_reads_odd_older_check_ins_as_their_records_do(journal_path, odd):
    """An older check-in the app would not write (a hand edit, kept as it is) and the
    Progress screen's rows of the older check-ins: what Progress draws is what the
    records say (the odd one left out), never a guess from the document."""
    path, skill_id = journal_path
    data = json.loads(path.read_bytes())
    docs = data["checkins"]
    first, second = sorted(docs, key=int)[:2]
    if odd == "minutes five":
        docs[first]["minutes"] = "five"
    elif odd == "one id twice":
        docs[second]["id"] = docs[first]["id"]
    else:
        docs[first] = {"date": docs[first]["date"], "body": "not a check-in"}
    for meta in data["meta"].values():  # as if written that way: the split is kept
        meta.pop(SPLIT_KEY, None)
        meta.pop("entries_bytes", None)
    path.write_text(json.dumps(data))
    with opened(path) as journal:  # written again, split, the odd one kept as it is
        Repository(journal).set_checkin(skill_id, TODAY, "done")
    assert split_info(path) is not None
    expected = practice_from_records(path, skill_id)
    with opened(path) as journal:
        repo = Repository(journal)
        assert journal.storage.older_left() is not None
        assert list(repo.practice()[skill_id]) == expected
    assert len(expected) == len(file_data(path)["checkins"]) - 1


def test_older_check_ins_changed_in_place_are_read_as_they_are_now(journal_path):
    path, skill_id = journal_path
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b'"note":"day 2025-02-04"', b'"note":"DAY 2025-02-04"'))
    with opened(path) as journal:
        repo = Repository(journal)
        assert repo.checkin(skill_id, dt.date(2025, 2, 4)).note == "DAY 2025-02-04"
        repo.set_checkin(skill_id, TODAY, "done")
    assert {d["note"] for d in file_data(path)["checkins"].values()} >= {"DAY 2025-02-04"}


def test_progress_reads_older_check_ins_changed_in_place_while_open_as_they_are_now(
        journal_path):
    """Another program changes an older check-in in the file (same length, so only its
    checksum tells) after the app opened it: Progress's rows are what the file says now."""
    path, skill_id = journal_path
    with opened(path) as journal:
        repo = Repository(journal)
        assert journal.storage.older_left() is not None
        raw = path.read_bytes()
        doc = json.dumps(file_data(path)["checkins"]["3"], separators=(",", ":")).encode()
        assert b'"minutes":5' in doc and raw.count(doc) == 1
        path.write_bytes(raw.replace(doc, doc.replace(b'"minutes":5', b'"minutes":7')))
        day = dt.date.fromisoformat(file_data(path)["checkins"]["3"]["date"])
        rows = {row[0]: row for row in repo.practice()[skill_id]}
        assert rows[day][2] == 7
        assert len(rows) == len(file_data(path)["checkins"])


def test_the_best_streak_of_years_ago_is_kept_beside_them(tmp_path):
    path = tmp_path / "journal.json"
    with opened(path) as journal:
        repo = Repository(journal)
        objective = repo.save(Objective(title="Speaking"))
        skill = repo.save(MicroSkill(objective_id=objective.id, title="Pause",
                                     metric=Metric(name="fillers"), frequency_target=5))
        days = [START + dt.timedelta(days=n) for n in range(150)]  # then a long pause
        days += [TODAY - dt.timedelta(days=n) for n in range(4)]
        repo.save_many([CheckIn(skill_id=skill.id, date=d.isoformat()) for d in days])
    with opened(path) as journal:
        repo = Repository(journal)
        found = repo.streaks(repo.get(MicroSkill, skill.id), TODAY, 0)
        assert journal.storage.older_left() is not None  # from what is kept beside them
    assert found == full_streaks(path, skill.id, TODAY) == rules.Streaks(4, 150)


def test_a_plan_of_these_weeks_shows_the_same_without_reading_the_older_check_ins(
        journal_path):
    """The Plan screen's grid of a plan started three weeks ago: the same marks, measures
    and reviews as from every check-in, and the year of check-ins before the plan stays
    in the file (issue 17: the Plan read every check-in and review ever made)."""
    from micro_journal.domain.models import Measurement, Plan, PlanWeek, WeeklyReview
    from micro_journal.services.plan import build_plan_view

    path, skill_id = journal_path
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    with opened(path) as journal:
        repo = Repository(journal)
        skill = repo.get(MicroSkill, skill_id)
        repo.save(Plan(objective_id=skill.objective_id,
                       start_week=(monday - dt.timedelta(weeks=3)).isoformat(),
                       weeks=[PlanWeek(skill_id=skill_id) for _ in range(4)]))
        for weeks_ago, value in ((2, 6.0), (30, 9.0)):  # one in the plan, one long before
            repo.save(WeeklyReview(
                week=(monday - dt.timedelta(weeks=weeks_ago)).isoformat(),
                objective_id=skill.objective_id,
                measurements=[Measurement(skill_id=skill_id, value=value)]))

    def grid(repo: Repository) -> list:
        objective = repo.objectives()[0]
        view = build_plan_view(repo, objective, TODAY)
        return [(w.start, w.when, w.review.id if w.review else None,
                 [(r.skill.id, r.marks, r.done, r.measured.value, r.previous, r.signal)
                  for r in w.skills]) for w in view.weeks]

    with opened(path) as journal:
        repo = Repository(journal)
        assert journal.storage.older_left() is not None
        shown = grid(repo)
        assert journal.storage.older_left() is not None, "the plan read the older check-ins"
        assert journal.storage.older_left("reviews") is not None or not split_info(path)
        repo.checkins()  # now every check-in (and every review) is read
        repo.reviews()
        assert journal.storage.older_left() is None
        assert grid(repo) == shown
    assert [w[1] for w in shown] == ["past", "past", "past", "current"]
    assert shown[1][2] is not None and shown[1][3][0][3] == 6.0  # the plan's review
    assert all(len(w[3][0][1]) == 7 for w in shown)
