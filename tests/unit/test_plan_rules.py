"""Pure plan rules: the calendar of weeks, stacking through edits, mastery, plateaus, the gate."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micro_journal.domain import dates
from micro_journal.domain import plan as pr
from micro_journal.domain.models import Metric, MicroSkill, Plan, PlanWeek
from micro_journal.domain.rules import MONDAY, SUNDAY, active_skills, plan_position

D = dt.date
WEEK = dt.timedelta(weeks=1)


def make_plan(ids, start="2026-11-02", **kw) -> Plan:
    weeks = [PlanWeek(skill_id=None, hold=True) if i == "hold" else PlanWeek(skill_id=i)
             for i in ids]
    return Plan(objective_id=kw.pop("objective_id", "obj"), start_week=start, weeks=weeks, **kw)


def skill(sid, **kw) -> MicroSkill:
    return MicroSkill(id=sid, objective_id="obj", title=sid, **kw)


def stack_on(plan: Plan, day: dt.date, first_weekday: int = MONDAY) -> tuple[str, ...] | None:
    pos = plan_position(plan, day, first_weekday)
    return pos.active_ids if pos else None


def today_focus(plan: Plan, day: dt.date) -> tuple[str | None, tuple[str, ...]] | None:
    skills = [skill(i) for i in ("A", "B", "C", "D", "E")]
    found = active_skills(day, skills, [plan])
    return (found[0].focus_id, found[0].stacked_ids) if found else None


# ---------------------------------------------------------------- the calendar


def test_monday_weeks_across_the_year_end_and_iso_week_53():
    plan = make_plan(["A", "B", "C"], start="2026-12-23")  # a Wednesday inside week 1
    assert pr.calendar(plan) == [
        (D(2026, 12, 21), D(2026, 12, 27)),
        (D(2026, 12, 28), D(2027, 1, 3)),  # ISO 2026-W53
        (D(2027, 1, 4), D(2027, 1, 10)),  # ISO 2027-W01
    ]
    assert D(2026, 12, 28).isocalendar()[:2] == (2026, 53)
    assert D(2027, 1, 4).isocalendar()[:2] == (2027, 1)
    assert pr.week_index(plan, D(2027, 1, 3)) == 1
    assert pr.week_index(plan, D(2027, 1, 4)) == 2
    assert pr.week_index(plan, D(2026, 12, 20)) == -1
    assert stack_on(plan, D(2027, 1, 1)) == ("A", "B")


def test_sunday_weeks_across_the_year_end():
    plan = make_plan(["A", "B", "C"], start="2026-12-20")  # a Sunday
    assert pr.calendar(plan, SUNDAY) == [
        (D(2026, 12, 20), D(2026, 12, 26)),
        (D(2026, 12, 27), D(2027, 1, 2)),
        (D(2027, 1, 3), D(2027, 1, 9)),
    ]
    for first, _ in pr.calendar(plan, SUNDAY):
        assert first.weekday() == SUNDAY
    # Sat 2 Jan ends week 2 and Sun 3 Jan starts week 3 with Sunday weeks
    assert pr.week_index(plan, D(2027, 1, 2), SUNDAY) == 1
    assert pr.week_index(plan, D(2027, 1, 3), SUNDAY) == 2
    # read with Monday weeks the Sunday start falls in the week of Mon 14 Dec, so the
    # week boundary moves to Monday 4 Jan
    assert pr.first_day(plan, 0, MONDAY) == D(2026, 12, 14)
    assert pr.week_index(plan, D(2027, 1, 3), MONDAY) == 2
    assert pr.week_index(plan, D(2027, 1, 4), MONDAY) == 3
    assert stack_on(plan, D(2027, 1, 2), SUNDAY) == ("A", "B")
    assert stack_on(plan, D(2027, 1, 3), SUNDAY) == ("A", "B", "C")


def test_the_same_plan_read_with_either_week_start_keeps_seven_day_weeks():
    plan = make_plan(["A", "B", "C", "D"], start="2026-12-28")
    for first_weekday in (MONDAY, SUNDAY):
        weeks = pr.calendar(plan, first_weekday)
        assert all((end - start).days == 6 for start, end in weeks)
        assert all(b[0] - a[0] == WEEK for a, b in pairwise(weeks))
        assert weeks[0][0].weekday() == first_weekday


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (D(2026, 11, 16), D(2026, 11, 22), "16–22 Nov"),
        (D(2026, 11, 30), D(2026, 12, 6), "30 Nov – 6 Dec"),
        (D(2026, 12, 28), D(2027, 1, 3), "28 Dec 2026 – 3 Jan 2027"),
    ],
)
def test_week_ranges_read_plainly(start, end, text):
    assert dates.day_range(start, end) == text


# ---------------------------------------------------------------- what each week holds


def test_stack_focus_and_introduced_skill_per_week():
    plan = make_plan(["A", "B", "hold", "C"])
    assert [pr.stack_at(plan, i) for i in range(4)] == [
        ("A",), ("A", "B"), ("A", "B"), ("A", "B", "C"),
    ]
    assert [pr.focus_at(plan, i) for i in range(4)] == ["A", "B", "B", "C"]
    assert [pr.introduced_at(plan, i) for i in range(4)] == ["A", "B", None, "C"]
    assert pr.stack_at(plan, -1) == ()
    assert pr.introduced_at(plan, 9) is None
    assert pr.held_weeks(plan, 1) == 1
    assert pr.held_weeks(plan, 0) == 0


# ---------------------------------------------------------------- edits and active skills


def test_hold_inserts_a_repeat_week_and_pushes_later_weeks_back():
    plan = make_plan(["A", "B", "C", "D"])
    held = pr.hold_week(plan, 1)
    assert [(w.skill_id, w.hold) for w in held.weeks] == [
        ("A", False), ("B", False), ("B", True), ("C", False), ("D", False),
    ]
    assert held.weeks[1].decision == "hold"
    assert held is not plan and len(plan.weeks) == 4  # the original is untouched
    mon = D(2026, 11, 2)
    assert stack_on(held, mon + 2 * WEEK) == ("A", "B")  # the held week: no new skill
    assert stack_on(held, mon + 3 * WEEK) == ("A", "B", "C")  # C one week later
    assert today_focus(held, mon + 2 * WEEK) == ("B", ("A",))
    assert today_focus(held, mon + 4 * WEEK) == ("D", ("C", "B", "A"))


def test_reorder_swaps_weeks_to_come():
    plan = make_plan(["A", "B", "C", "D"])
    moved = pr.move_week(plan, 3, -1, first_editable=2)
    assert [w.skill_id for w in moved.weeks] == ["A", "B", "D", "C"]
    assert today_focus(moved, D(2026, 11, 16)) == ("D", ("B", "A"))
    assert today_focus(moved, D(2026, 11, 23)) == ("C", ("D", "B", "A"))
    assert [w.skill_id for w in pr.move_week(plan, 0, 1).weeks] == ["B", "A", "C", "D"]


@pytest.mark.parametrize(("index", "step"), [(1, -1), (2, -1), (0, 1)])
def test_weeks_that_are_over_never_move(index, step):
    plan = make_plan(["A", "B", "C", "D"])
    with pytest.raises(pr.PlanEditError, match="over"):
        pr.move_week(plan, index, step, first_editable=2)


def test_moving_past_either_end_is_refused():
    plan = make_plan(["A", "B"])
    with pytest.raises(pr.PlanEditError, match="first"):
        pr.move_week(plan, 0, -1)
    with pytest.raises(pr.PlanEditError, match="last"):
        pr.move_week(plan, 1, 1)


def test_extend_adds_the_next_stacked_skill():
    plan = make_plan(["A", "B", "C", "D"])
    longer = pr.extend(plan, "E", today_index=2)
    assert [w.skill_id for w in longer.weeks] == ["A", "B", "C", "D", "E"]
    assert today_focus(longer, D(2026, 11, 30)) == ("E", ("D", "C", "B", "A"))
    with pytest.raises(pr.PlanEditError, match="already"):
        pr.extend(plan, "B")


def test_extending_a_plan_that_ran_out_starts_the_skill_this_week_not_in_the_past():
    plan = make_plan(["A", "B"])  # weeks 1–2 ended on 15 Nov
    today = D(2026, 11, 25)  # week index 3
    longer = pr.extend(plan, "C", today_index=pr.week_index(plan, today))
    assert [(w.skill_id, w.hold) for w in longer.weeks] == [
        ("A", False), ("B", False), ("B", True), ("C", False),
    ]
    assert stack_on(longer, D(2026, 11, 18)) == ("A", "B")
    assert stack_on(longer, today) == ("A", "B", "C")


def test_remove_and_change_weeks_to_come():
    plan = make_plan(["A", "B", "C", "D"])
    removed = pr.remove_week(plan, 2, first_editable=2)
    assert [w.skill_id for w in removed.weeks] == ["A", "B", "D"]
    assert today_focus(removed, D(2026, 11, 16)) == ("D", ("B", "A"))
    changed = pr.set_week_skill(plan, 3, "E", first_editable=2)
    assert [w.skill_id for w in changed.weeks] == ["A", "B", "C", "E"]
    with pytest.raises(pr.PlanEditError, match="over"):
        pr.remove_week(plan, 1, first_editable=2)
    with pytest.raises(pr.PlanEditError, match="already in the stack"):
        pr.set_week_skill(plan, 3, "A")
    with pytest.raises(pr.PlanEditError, match="at least one week"):
        pr.remove_week(make_plan(["A"]), 0)


def test_removing_the_hold_takes_the_hold_decision_back():
    held = pr.hold_week(make_plan(["A", "B", "C"]), 1)
    back = pr.remove_week(held, 2, first_editable=2)
    assert [(w.skill_id, w.hold) for w in back.weeks] == [
        ("A", False), ("B", False), ("C", False),
    ]
    assert back.weeks[1].decision is None


def test_ending_a_plan_stops_it_and_the_next_cycle_keeps_history():
    plan = make_plan(["A", "B", "C", "D"])
    ended = pr.end_plan(plan, D(2026, 11, 18))
    assert (ended.status, ended.ended_on) == ("ended", "2026-11-18")
    assert plan.status == "active"
    assert stack_on(ended, D(2026, 11, 17)) == ("A", "B", "C")
    assert stack_on(ended, D(2026, 11, 18)) is None
    nxt = pr.next_cycle(ended, D(2026, 11, 25), ["E", "A"])
    assert nxt.id != ended.id and nxt.objective_id == ended.objective_id
    assert nxt.start_week == "2026-11-23"
    # both plans as stored: the ended one still answers for its past; the new one from now
    skills = [skill(i) for i in "ABCDE"]
    assert active_skills(D(2026, 11, 10), skills, [ended, nxt])[0].focus_id == "B"
    assert active_skills(D(2026, 11, 24), skills, [ended, nxt])[0].focus_id == "E"
    assert active_skills(D(2026, 12, 1), skills, [ended, nxt])[0].stacked_ids == ("E",)
    with pytest.raises(pr.PlanEditError):
        pr.end_plan(ended, D(2026, 11, 19))
    with pytest.raises(pr.PlanEditError):
        pr.hold_week(ended, 3)
    with pytest.raises(pr.PlanEditError, match="End the current plan"):
        pr.next_cycle(plan, D(2026, 11, 25), ["E"])


def test_a_new_plan_starts_on_the_first_day_of_the_users_week():
    assert pr.new_plan("obj", D(2026, 11, 18), ["A"]).start_week == "2026-11-16"
    assert pr.new_plan("obj", D(2026, 11, 18), ["A"], SUNDAY).start_week == "2026-11-15"
    with pytest.raises(pr.PlanEditError, match="repeats week 1"):
        pr.new_plan("obj", D(2026, 11, 18), ["A", "A"])
    with pytest.raises(pr.PlanEditError, match="at least one"):
        pr.new_plan("obj", D(2026, 11, 18), [])


@given(
    ids=st.lists(st.sampled_from("ABCDEFG"), min_size=1, max_size=7, unique=True),
    data=st.data(),
)
def test_holding_a_week_shifts_every_later_stack_by_exactly_one_week(ids, data):
    plan = make_plan(ids)
    index = data.draw(st.integers(0, len(ids) - 1))
    held = pr.hold_week(plan, index)
    assert len(held.weeks) == len(plan.weeks) + 1
    for i in range(len(plan.weeks)):
        before = pr.stack_at(plan, i)
        if i <= index:
            assert pr.stack_at(held, i) == before
        else:
            assert pr.stack_at(held, i + 1) == before
    assert pr.stack_at(held, index + 1) == pr.stack_at(plan, index)


# ---------------------------------------------------------------- mastery


HIGHER = Metric(name="seconds", unit="s", direction="higher", baseline=1, target=5)
LOWER = Metric(name="fillers", direction="lower", baseline=14, target=3)


@pytest.mark.parametrize(
    ("metric", "done", "value", "mastered"),
    [
        (HIGHER, 7, 5.0, True),  # exactly at target counts
        (HIGHER, 7, 6.0, True),
        (HIGHER, 7, 4.9, False),
        (HIGHER, 6, 6.0, False),  # frequency short
        (HIGHER, 7, None, False),  # no measurement
        (LOWER, 7, 3.0, True),
        (LOWER, 7, 2.0, True),
        (LOWER, 7, 3.1, False),
        (LOWER, 5, 1.0, False),
    ],
)
def test_mastery_needs_frequency_and_target_in_the_metrics_direction(
    metric, done, value, mastered
):
    result = pr.mastery(skill("A", metric=metric), done, value)
    assert result.mastered is mastered
    assert (result.shortfalls() == []) is mastered


def test_an_x_of_7_target_and_a_metric_without_target():
    five = skill("A", metric=HIGHER, frequency_target=5)
    assert pr.mastery(five, 5, 5.0).mastered
    assert not pr.mastery(five, 4, 5.0).mastered
    no_target = skill("B", metric=Metric(name="pages"))
    result = pr.mastery(no_target, 7, None)
    assert result.mastered and result.metric_met is None
    assert not pr.mastery(no_target, 6, 100.0).mastered


def test_shortfalls_say_what_is_missing():
    result = pr.mastery(skill("A", metric=LOWER), 4, 5.0)
    assert result.shortfalls() == ["practised 4 of 7 days", "measured 5, target 3"]
    assert pr.mastery(skill("A", metric=LOWER), 7, None).shortfalls() == [
        "no measurement this week"
    ]


# ---------------------------------------------------------------- decisions


def test_deciding_hold_holds_and_stack_takes_the_hold_back():
    plan = make_plan(["A", "B", "C", "D"])
    held = pr.decide(plan, 2, "hold", first_editable=3)  # Monday of week 4: the gate
    assert [(w.skill_id, w.hold) for w in held.weeks][2:4] == [("C", False), ("C", True)]
    assert stack_on(held, D(2026, 11, 23)) == ("A", "B", "C")  # D waits a week
    assert stack_on(held, D(2026, 11, 30)) == ("A", "B", "C", "D")
    again = pr.decide(held, 2, "hold", first_editable=3)
    assert len(again.weeks) == 5  # never a second hold for one decision
    back = pr.decide(held, 2, "stack", first_editable=3)
    assert [(w.skill_id, w.hold) for w in back.weeks] == [(i, False) for i in "ABCD"]
    assert back.weeks[2].decision == "stack"
    tweak = pr.decide(plan, 2, "tweak", first_editable=3)
    assert len(tweak.weeks) == 4 and tweak.weeks[2].decision == "tweak"


def test_a_late_decision_is_recorded_without_rewriting_weeks_that_are_over():
    plan = make_plan(["A", "B", "C", "D"])
    late = pr.decide(plan, 0, "hold", first_editable=3)
    assert [w.skill_id for w in late.weeks] == ["A", "B", "C", "D"]
    assert late.weeks[0].decision == "hold"
    with pytest.raises(pr.PlanEditError):
        pr.decide(plan, 1, "maybe")


def test_plan_grid_value_keeps_every_digit_when_the_unit_does_not_fit():
    from types import SimpleNamespace

    from micro_journal.domain.models import Metric, MicroSkill
    from micro_journal.widgets.plan_grid import Columns, _value

    skill = MicroSkill(objective_id="o", title="t",
                       metric=Metric(name="fillers", unit="fillers", direction="lower"))
    cols = Columns(200)
    row = SimpleNamespace(skill=skill, measured=SimpleNamespace(value=12.5, source="checkins"))
    assert _value(row, cols).strip() == "12.5"
    row.measured.value = 9.0
    assert _value(row, cols) == " 9 fillers"  # plus the separator: two spaces after "days"
