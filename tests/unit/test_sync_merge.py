"""Merging copies of a journal (store/sync.py), as devices make them: each replica of
one journal takes the app's own operations offline (check-in, undo, entry edits, new
entries, goals), then the copies are merged in every order.

What a user relies on: every order gives the same journal; no check-in, entry or goal
any replica holds is lost unless a replica removed it; and the text of every entry as
each replica left it is still there (as the entry's text or a conflicting version).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micro_journal.domain.models import (
    Entry,
    MicroGoal,
    MicroSkill,
    Objective,
    Plan,
    PlanWeek,
)
from micro_journal.store import read_state
from micro_journal.store.journal import open_journal
from micro_journal.store.repository import Repository
from micro_journal.store.sync import (
    CONFLICTS,
    MergeRefused,
    merge,
    records_equal,
    text_mark,
)

DAY0 = dt.date(2026, 11, 2)


def make_base(folder: Path) -> Path:
    path = folder / "base" / "journal.json"
    journal = open_journal(path)
    repo = Repository(journal)
    objective = repo.save(Objective(title="Public speaking"))
    skills = [repo.save(MicroSkill(objective_id=objective.id, title=title))
              for title in ("Pause", "Slow down")]
    repo.save(Plan(objective_id=objective.id, start_week="2026-11-02",
                   weeks=[PlanWeek(skill_id=skill.id) for skill in skills]))
    repo.save(Entry(date=DAY0.isoformat(), body="Week one."))
    repo.save(MicroGoal(objective_id=objective.id, action="Record a talk",
                        deadline="2026-11-20"))
    journal.close()
    return path


ops = st.one_of(
    st.tuples(st.just("checkin"), st.integers(0, 1), st.integers(0, 4),
              st.sampled_from(["done", "skipped"])),
    st.tuples(st.just("undo"), st.integers(0, 1), st.integers(0, 4)),
    st.tuples(st.just("edit"), st.integers(0, 2), st.text("abc é\n", min_size=1, max_size=6)),
    st.tuples(st.just("entry"), st.integers(0, 4), st.text("xyz", min_size=1, max_size=4)),
    st.tuples(st.just("goal"), st.text("gh", min_size=1, max_size=3)),
    st.tuples(st.just("goal-done"), st.integers(0, 2)),
    st.tuples(st.just("plan"), st.sampled_from(["hold", "stack", "end"])),
)


def live(path: Path, steps) -> dict:
    """Run ``steps`` on the journal at ``path`` as the app would; what each step left
    that a user saw saved: {(table, key): text or status}."""
    journal = open_journal(path)
    repo = Repository(journal)
    skills = sorted(repo.all(MicroSkill), key=lambda s: s.title)
    objective = repo.all(Objective)[0]
    for step in steps:
        kind = step[0]
        if kind == "checkin":
            repo.set_checkin(skills[step[1]].id, DAY0 + dt.timedelta(days=step[2]), step[3])
        elif kind == "undo":
            repo.remove_checkin(skills[step[1]].id, DAY0 + dt.timedelta(days=step[2]))
        elif kind == "edit":
            entries = sorted(repo.all(Entry), key=lambda e: e.created_at + e.id)
            entry = entries[step[1] % len(entries)]
            repo.save(entry.touched(body=step[2]))
        elif kind == "entry":
            repo.save(Entry(date=(DAY0 + dt.timedelta(days=step[1])).isoformat(),
                            body=step[2]))
        elif kind == "goal":
            repo.save(MicroGoal(objective_id=objective.id, action=step[1],
                                deadline="2026-12-01"))
        elif kind == "goal-done":
            goals = sorted(repo.all(MicroGoal), key=lambda g: g.created_at + g.id)
            goal = goals[step[1] % len(goals)]
            repo.save(goal.touched(status="done" if goal.status == "open" else "open"))
        elif kind == "plan":  # hold the last week, stack a week, or end the plan
            plan = repo.all(Plan)[0]
            weeks = [dataclasses.replace(w) for w in plan.weeks]
            if step[1] == "hold":
                weeks.append(PlanWeek(skill_id=None, hold=True))
            elif step[1] == "stack":
                weeks[-1] = dataclasses.replace(weeks[-1], decision="stack")
            repo.save(plan.touched(weeks=weeks) if step[1] != "end"
                      else plan.touched(status="ended", ended_on="2026-11-20"))
    journal.close()
    return read_state(path)


def records(data: dict, table: str) -> dict:
    return {doc["id"]: doc for doc in (data.get(table) or {}).values()}


def fold(copies: list[dict]) -> dict:
    result = copies[0]
    for other in copies[1:]:
        result, _ = merge(result, other)
    return result


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=st.lists(st.lists(ops, max_size=6), min_size=2, max_size=3))
def test_replicas_converge_in_every_order_and_lose_nothing(tmp_path_factory, plans):
    folder = tmp_path_factory.mktemp("sync")
    base = make_base(folder)
    copies = []
    for n, steps in enumerate(plans):
        path = folder / f"device{n}" / "journal.json"
        path.parent.mkdir()
        shutil.copy(base, path)
        copies.append(live(path, steps))

    results = [fold([copies[i] for i in order])
               for order in itertools.permutations(range(len(copies)))]
    for other in results[1:]:
        assert records_equal(results[0], other)
    merged = results[0]
    # merging again changes nothing (a sync that runs twice)
    for copy in copies:
        assert records_equal(merge(merged, copy)[0], merged)

    removed = {doc["id"] for copy in copies for doc in (copy.get("tombstones") or {}).values()}
    for table in ("checkins", "entries", "goals", "skills", "objectives", "plans"):
        kept = records(merged, table)
        for copy in copies:
            for rid, doc in records(copy, table).items():
                if rid in removed:
                    continue
                assert rid in kept, f"{table} record lost: {doc}"
    for copy in copies:  # every replica's last text of every entry is still there
        for rid, doc in records(copy, "entries").items():
            entry = records(merged, "entries")[rid]
            assert doc["body"] == entry["body"] or doc["body"] in entry.get(CONFLICTS, []) \
                or text_mark(doc["body"]) in _superseded(copies, rid, doc["body"])


def _superseded(copies, rid, body) -> set[str]:
    """Marks of texts some replica replaced after having them (not conflicts)."""
    marks = set()
    for copy in copies:
        doc = records(copy, "entries").get(rid)
        if doc is not None and doc["body"] != body:
            marks.update(doc.get("past") or [])
    return marks


def two_devices(folder: Path) -> tuple[Path, Path, Path]:
    """The base journal and two devices' copies of it."""
    base = make_base(folder)
    a, b = folder / "a" / "journal.json", folder / "b" / "journal.json"
    for path in (a, b):
        path.parent.mkdir()
        shutil.copy(base, path)
    return base, a, b


def test_undone_checkin_does_not_come_back_from_the_other_copy(tmp_path):
    base = make_base(tmp_path)
    a, b = tmp_path / "a" / "journal.json", tmp_path / "b" / "journal.json"
    live(base, [("checkin", 0, 1, "done")])
    for path in (a, b):
        path.parent.mkdir()
        shutil.copy(base, path)
    ours = live(a, [("undo", 0, 1)])
    theirs = live(b, [("checkin", 1, 2, "done")])
    for merged in (merge(ours, theirs)[0], merge(theirs, ours)[0]):
        days = sorted(doc["date"] for doc in records(merged, "checkins").values())
        assert days == ["2026-11-04"]
    # checked in again after the undo: it stays, whichever copy is merged into which
    again = live(a, [("checkin", 0, 1, "done")])
    for merged in (merge(again, theirs)[0], merge(theirs, again)[0]):
        days = sorted(doc["date"] for doc in records(merged, "checkins").values())
        assert days == ["2026-11-03", "2026-11-04"]


def test_same_day_checkin_on_two_devices_is_one_checkin(tmp_path):
    _base, a, b = two_devices(tmp_path)
    ours = live(a, [("checkin", 0, 3, "done")])
    theirs = live(b, [("checkin", 0, 3, "skipped")])
    merged, _ = merge(ours, theirs)
    assert len(records(merged, "checkins")) == 1


def test_entry_edited_on_both_keeps_both_texts_and_one_side_edit_is_no_conflict(tmp_path):
    _base, a, b = two_devices(tmp_path)
    untouched = read_state(b)
    ours = live(a, [("edit", 0, "Laptop text")])
    merged, outcome = merge(untouched, ours)
    (entry,) = records(merged, "entries").values()
    assert entry["body"] == "Laptop text" and CONFLICTS not in entry
    assert outcome.conflicts == 0 and outcome.updated == {"entries": 1}

    theirs = live(b, [("edit", 0, "Desktop text")])
    merged, outcome = merge(ours, theirs)
    (entry,) = records(merged, "entries").values()
    assert {entry["body"], *entry[CONFLICTS]} == {"Laptop text", "Desktop text"}
    assert outcome.conflicts == 1
    assert "conflicting version" in outcome.summary()


def test_three_way_merge_takes_each_field_from_the_side_that_changed_it(tmp_path):
    base = make_base(tmp_path)
    ancestor = read_state(base)
    ours, theirs = read_state(base), read_state(base)
    goal_id = next(iter(records(ancestor, "goals")))
    doc_id = next(k for k, d in ours["goals"].items() if d["id"] == goal_id)
    ours["goals"][doc_id] = {**ours["goals"][doc_id], "action": "Record two talks",
                             "updated_at": "2026-11-03T08:00:00+00:00"}
    theirs["goals"][doc_id] = {**theirs["goals"][doc_id], "status": "done",
                               "updated_at": "2026-11-03T09:00:00+00:00"}
    merged, _ = merge(ours, theirs, ancestor)
    (goal,) = records(merged, "goals").values()
    assert (goal["action"], goal["status"]) == ("Record two talks", "done")
    # without the ancestor, the later version wins whole
    merged, _ = merge(ours, theirs)
    (goal,) = records(merged, "goals").values()
    assert (goal["action"], goal["status"]) == ("Record a talk", "done")


def test_a_clock_far_ahead_does_not_win_and_is_reported(tmp_path):
    base = make_base(tmp_path)
    ours, theirs = read_state(base), read_state(base)
    doc_id, goal = next(iter(ours["goals"].items()))
    ours["goals"][doc_id] = {**goal, "action": "mine", "updated_at": "2026-11-30T10:00:00+00:00"}
    theirs["goals"][doc_id] = {**goal, "action": "from the future",
                               "updated_at": "2031-01-01T00:00:00+00:00"}
    now = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    merged, outcome = merge(ours, theirs, now=now)
    assert next(iter(merged["goals"].values()))["action"] == "mine"
    assert outcome.future == 1 and "clock" in outcome.summary()


def test_another_schema_or_not_a_journal_is_refused(tmp_path):
    base = make_base(tmp_path)
    ours = read_state(base)
    newer = read_state(base)
    next(iter(newer["meta"].values()))["schema_version"] = 99
    with pytest.raises(MergeRefused, match="another version"):
        merge(ours, newer)
    with pytest.raises(MergeRefused, match="not a micro-journal"):
        merge(ours, {"_default": {"1": {"x": 1}}})
