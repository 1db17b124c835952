"""What Today, Progress, Goals and the CLI read without making every record (issue 17) agrees with
reading every record: after random check-ins, undos, moves, goal and review changes,
after another program changed the journal while it was open for reading, and after a
restore."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from micro_journal.domain import rules
from micro_journal.domain.models import (
    CheckIn,
    Measurement,
    Metric,
    MicroGoal,
    MicroSkill,
    Objective,
    WeeklyReview,
)
from micro_journal.services.goals import build_goals
from micro_journal.services.today import build_today
from micro_journal.store import Repository, open_journal
from micro_journal.store.restore import restore_backup

TODAY = dt.date(2026, 11, 18)
SKILLS = 3

step = st.one_of(
    st.tuples(st.just("check"), st.integers(0, SKILLS - 1), st.integers(0, 150),
              st.sampled_from(["done", "skipped"])),
    st.tuples(st.just("undo"), st.integers(0, SKILLS - 1), st.integers(0, 150)),
    st.tuples(st.just("move"), st.integers(0, SKILLS - 1), st.integers(0, 150),
              st.integers(0, 150)),
    st.tuples(st.just("goal"), st.integers(0, 5), st.sampled_from(["open", "done", "dropped"])),
    st.tuples(st.just("goal"), st.integers(3, 5), st.sampled_from(["done", "dropped"])),
    # weeks back past the twelve kept recent, some measured, some tweaks
    st.tuples(st.just("review"), st.integers(0, 20), st.sampled_from([None, 3.0, 7.5]),
              st.sampled_from([None, "stack", "tweak"])),
    st.tuples(st.just("fold")),  # journal.json rewritten while open (its log grew)
)


def seed(path: Path) -> list[str]:
    with open_journal(path, today=lambda: TODAY) as journal:
        repo = Repository(journal)
        objective = repo.save(Objective(title="Speaking"))
        skills = [repo.save(MicroSkill(objective_id=objective.id, title=f"Skill {n}",
                                       metric=Metric(name="fillers"), frequency_target=5))
                  for n in range(SKILLS)]
        for n in range(6):
            repo.save(MicroGoal(objective_id=objective.id, action=f"Goal {n}",
                                deadline=(TODAY - dt.timedelta(days=30 * n)).isoformat()))
        return [s.id for s in skills]


def apply(repo: Repository, skills: list[str], steps) -> None:
    objective = repo.objectives()[0]
    for kind, *args in steps:
        if kind == "check":
            s, back, status = args
            repo.set_checkin(skills[s], TODAY - dt.timedelta(days=back), status)
        elif kind == "undo":
            s, back = args
            repo.remove_checkin(skills[s], TODAY - dt.timedelta(days=back))
        elif kind == "move":
            s, back, to = args
            found = repo.checkin(skills[s], TODAY - dt.timedelta(days=back))
            day = (TODAY - dt.timedelta(days=to)).isoformat()
            if found and not repo.checkin(skills[(s + 1) % SKILLS], day):
                repo.save(found.touched(skill_id=skills[(s + 1) % SKILLS], date=day))
        elif kind == "goal":
            n, status = args
            goal = sorted(repo.goals(), key=lambda g: g.action)[n]
            repo.save(goal.touched(status=status))
        elif kind == "fold":
            repo.storage.compact()
        else:
            weeks, value, decision = args
            week = rules.week_start(TODAY) - dt.timedelta(weeks=weeks)
            measured = [Measurement(skill_id=skills[weeks % SKILLS], value=value)]
            repo.save(WeeklyReview(week=week.isoformat(), objective_id=objective.id,
                                   measurements=measured, decision=decision,
                                   tweak_skill_id=skills[0] if decision == "tweak" else None))


def seen(repo: Repository, skills: list[str]) -> dict:
    """What the screens and commands ask the repository for, read the cheap way."""
    first, last = TODAY - dt.timedelta(days=20), TODAY
    return {  # (in this order: what Today reads comes before what reads every check-in)
        "view": build_today(repo, TODAY).to_json(),
        "goals": build_goals(repo, TODAY),  # the older closed goals stay in the file
        "streaks": {s: repo.streaks(repo.get(MicroSkill, s), TODAY, 0) for s in skills},
        # Progress: the older check-ins stay in the file
        "practice": {s: list(rows) for s, rows in repo.practice().items()},
        "review values": [(week, values, r.id if r else None)
                          for week, values, r in repo.review_values()],
        "states": {s: dict(repo.day_states(s)) for s in skills},
        "checkins": {s: [c.to_dict() for c in repo.checkins(s)] for s in skills},
        "today": {s: (c.to_dict() if (c := repo.checkin(s, TODAY)) else None) for s in skills},
        "open goals": [g.id for g in repo.open_goals()],
        "reviews": [r.id for r in repo.reviews_between(first, last)],
    }


def practice_of(checkins: list[CheckIn]) -> dict[str, list[tuple]]:
    """Each skill's check-ins as Progress draws them, from their records."""
    out: dict[str, list[tuple]] = {}
    for c in checkins:
        out.setdefault(c.skill_id, []).append(
            (dt.date.fromisoformat(c.date), c.status, c.minutes, c.value))
    return out


def every_record(path: Path, skills: list[str]) -> dict:
    """The same, from a fresh read of every record (the way before issue 17)."""
    with open_journal(path, today=lambda: TODAY, read_only=True) as journal:
        repo = Repository(journal)
        repo.load_all()
        first, last = (TODAY - dt.timedelta(days=20)).isoformat(), TODAY.isoformat()
        return {
            "view": build_today(repo, TODAY).to_json(),
            "goals": build_goals(repo, TODAY),
            "streaks": {s: rules.streaks(rules.day_states(repo.checkins(s)), TODAY,
                                         repo.get(MicroSkill, s).days_target)
                        for s in skills},
            "practice": practice_of(repo.checkins()),
            "review values": [
                (r.week, tuple((m.skill_id, float(m.value)) for m in r.measurements
                               if m.value is not None), r.id if r.decision == "tweak" else None)
                for r in repo.reviews()],
            "states": {s: rules.day_states(repo.checkins(s)) for s in skills},
            "checkins": {s: [c.to_dict() for c in repo.checkins(s)] for s in skills},
            "today": {s: (c.to_dict() if (c := repo.checkin(s, TODAY)) else None)
                      for s in skills},
            "open goals": [g.id for g in repo.goals() if g.status == "open"],
            "reviews": [r.id for r in repo.reviews() if first <= r.week <= last],
        }


@settings(max_examples=40, deadline=None)
@given(before=st.lists(step, max_size=25), during=st.lists(step, max_size=25),
       warm=st.booleans())
def test_the_cheap_reads_agree_with_reading_every_record(before, during, warm):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "journal.json"
        skills = seed(path)
        with open_journal(path, today=lambda: TODAY) as journal:
            repo = Repository(journal)
            if warm:  # caches made first, then kept up to date by each save
                seen(repo, skills)
            apply(repo, skills, before)
            assert seen(repo, skills) == every_record(path, skills)
        # open for reading (another instance holds it), changed by a second program
        # (as the CLI does), then read again
        reader_journal = open_journal(path, today=lambda: TODAY, read_only=True)
        reader = Repository(reader_journal)
        seen(reader, skills)
        with open_journal(path, today=lambda: TODAY, fold=False) as journal:
            apply(Repository(journal), skills, during)
        reader.reload()
        assert seen(reader, skills) == every_record(path, skills)
        reader_journal.close()


def test_the_cheap_reads_agree_after_a_restore(tmp_path):
    path = tmp_path / "journal.json"
    skills = seed(path)
    with open_journal(path, today=lambda: TODAY) as journal:
        repo = Repository(journal)
        apply(repo, skills, [("check", 0, n, "done") for n in range(10)])
    with open_journal(path, today=lambda: TODAY) as journal:
        backup = journal.backup_now("manual-test")
    with open_journal(path, today=lambda: TODAY) as journal:
        apply(Repository(journal), skills, [("undo", 0, n) for n in range(5)]
              + [("check", 1, 3, "skipped")])
    reader_journal = open_journal(path, today=lambda: TODAY, read_only=True)
    reader = Repository(reader_journal)
    before = seen(reader, skills)
    restore_backup(path, backup)
    reader.reload()
    after = seen(reader, skills)
    reader_journal.close()
    assert after == every_record(path, skills)
    assert len(after["checkins"][skills[0]]) == 10 != len(before["checkins"][skills[0]])
