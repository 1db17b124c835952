"""Domain records: ids, timestamps, (de)serialisation, metric direction, the checklist."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from micro_journal.domain.models import (
    ALL_RECORD_TYPES,
    CheckIn,
    Entry,
    Measurement,
    Metric,
    MicroGoal,
    MicroSkill,
    Objective,
    PeriodReview,
    Plan,
    PlanWeek,
    ValidationError,
    WeeklyReview,
    new_id,
    parse_local_date,
)


def sample_records() -> list:
    objective = Objective(title="Public speaking", description="Talk without notes")
    skill = MicroSkill(
        objective_id=objective.id,
        title="No filler words in a 5-minute talk",
        why="Before every meeting",
        practice_minutes=7,
        metric=Metric(name="fillers", unit="count", direction="lower", baseline=12, target=2),
        frequency_target=5,
        status="mastered",
        mastered_on="2026-11-20",
    )
    return [
        objective,
        skill,
        Plan(
            objective_id=objective.id,
            start_week="2026-11-02",
            weeks=[
                PlanWeek(skill_id=skill.id, decision="stack"),
                PlanWeek(skill_id=None, hold=True, decision="hold"),
            ],
            status="ended",
            ended_on="2026-12-01",
        ),
        CheckIn(skill_id=skill.id, date="2026-11-18", status="skipped", minutes=5, value=3.5,
                note="rest day"),
        Entry(date="2026-11-18", body="# Today\n\nSpoke *slowly* — ünïcødé ✓", skill_ids=[skill.id],
              tags=["talk", "work"], mood=4, energy=2, archived=True),
        WeeklyReview(
            week="2026-11-16", objective_id=objective.id,
            measurements=[Measurement(skill_id=skill.id, value=4.0, note="better")],
            worked="pausing", adjust="breathe", decision="tweak",
        ),
        MicroGoal(objective_id=objective.id, action="Book a room", deadline="2026-11-25",
                  skill_id=skill.id, success_metric="room booked", estimate_minutes=30,
                  status="done", completed_at="2026-11-19T10:00:00+00:00", insight="easy",
                  drop_reason=""),
        PeriodReview(period="2026-Q4", note="Three talks given — ünïcødé ✓"),
    ]


def test_every_record_type_is_covered_by_the_samples():
    assert {type(r) for r in sample_records()} == set(ALL_RECORD_TYPES)


@pytest.mark.parametrize("record", sample_records(), ids=lambda r: type(r).__name__)
def test_round_trip_through_json_gives_an_equal_record(record):
    data = json.loads(json.dumps(record.to_dict()))
    again = type(record).from_dict(data)
    assert again == record
    assert again.to_dict() == record.to_dict()


@pytest.mark.parametrize("record", sample_records(), ids=lambda r: type(r).__name__)
def test_unknown_keys_from_a_newer_app_survive_an_edit(record):
    data = record.to_dict()
    data["colour"] = "teal"
    data["nested_future"] = {"a": [1, 2]}
    loaded = type(record).from_dict(data)
    assert loaded.extra == {"colour": "teal", "nested_future": {"a": [1, 2]}}
    edited = loaded.touched()
    out = edited.to_dict()
    assert out["colour"] == "teal"
    assert out["nested_future"] == {"a": [1, 2]}


def test_unknown_keys_inside_nested_values_survive_too():
    skill, plan, review = sample_records()[1], sample_records()[2], sample_records()[5]
    sdata = skill.to_dict()
    sdata["metric"]["scale"] = "log"
    assert MicroSkill.from_dict(sdata).to_dict()["metric"]["scale"] == "log"
    pdata = plan.to_dict()
    pdata["weeks"][0]["colour"] = "red"
    assert Plan.from_dict(pdata).to_dict()["weeks"][0]["colour"] == "red"
    rdata = review.to_dict()
    rdata["measurements"][0]["unit"] = "count"
    assert WeeklyReview.from_dict(rdata).to_dict()["measurements"][0]["unit"] == "count"


def test_a_known_field_always_wins_over_a_stale_extra_key():
    objective = Objective(title="New title")
    objective.extra = {"title": "old", "x": 1}
    assert objective.to_dict()["title"] == "New title"


def test_defaults_fill_in_for_missing_optional_keys():
    skill = MicroSkill.from_dict({"id": "s1", "objective_id": "o1", "title": "Eye contact"})
    assert skill.practice_minutes == 5
    assert skill.frequency_target == 7
    assert skill.status == "active"
    assert skill.metric == Metric()


def test_a_record_without_a_required_field_is_refused():
    with pytest.raises(TypeError):
        CheckIn.from_dict({"id": "c1", "date": "2026-11-18"})


def test_touched_applies_changes_and_keeps_identity():
    entry = Entry(date="2026-11-18", body="a")
    entry.extra = {"future": 1}
    edited = entry.touched(body="b")
    assert edited.body == "b"
    assert entry.body == "a"
    assert edited.id == entry.id
    assert edited.created_at == entry.created_at
    assert edited.extra == {"future": 1}
    assert edited.extra is not entry.extra


def test_ids_are_unique_uuid4_hex_strings():
    ids = {new_id() for _ in range(1000)} | {Objective(title="x").id for _ in range(100)}
    assert len(ids) == 1100
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


def test_timestamps_are_utc_iso_8601():
    record = Objective(title="x")
    created = dt.datetime.fromisoformat(record.created_at)
    assert created.utcoffset() == dt.timedelta(0)
    assert dt.datetime.fromisoformat(record.updated_at).utcoffset() == dt.timedelta(0)


# ---------------------------------------------------------------- metric


def test_higher_is_better_metric():
    metric = Metric(name="seconds of eye contact", direction="higher", target=5)
    assert metric.better(6, 5)
    assert not metric.better(5, 5)
    assert not metric.better(4, 5)
    assert metric.at_target(5)
    assert metric.at_target(7)
    assert not metric.at_target(4.9)


def test_lower_is_better_metric():
    metric = Metric(name="fillers", direction="lower", target=2)
    assert metric.better(1, 3)
    assert not metric.better(3, 3)
    assert not metric.better(4, 3)
    assert metric.at_target(2)
    assert metric.at_target(0)
    assert not metric.at_target(2.5)


@pytest.mark.parametrize("direction", ["higher", "lower"])
def test_no_target_is_never_reached(direction):
    metric = Metric(name="x", direction=direction)
    assert not metric.at_target(0)
    assert not metric.at_target(10**9)
    assert not metric.at_target(-(10**9))


# ---------------------------------------------------------------- checklist


def good_skill(**changes) -> MicroSkill:
    base = dict(objective_id="o", title="Hold eye contact 5 seconds",
                metric=Metric(name="seconds", unit="s"), practice_minutes=5)
    base.update(changes)
    return MicroSkill(**base)


def test_a_good_micro_skill_has_no_warnings():
    assert good_skill().checklist_warnings() == []
    assert good_skill(practice_minutes=15).checklist_warnings() == []


def test_a_skill_without_a_metric_is_warned_about():
    warnings = good_skill(metric=Metric(name="   ")).checklist_warnings()
    assert len(warnings) == 1
    assert "metric" in warnings[0].lower()


def test_more_than_fifteen_minutes_is_warned_about():
    warnings = good_skill(practice_minutes=16).checklist_warnings()
    assert len(warnings) == 1
    assert "16 minutes" in warnings[0]


@pytest.mark.parametrize("title", ["Smile and nod", "Pause, breathe", "Eye contact AND pause"])
def test_a_title_naming_two_things_is_warned_about(title):
    warnings = good_skill(title=title).checklist_warnings()
    assert any("one thing" in w for w in warnings)


def test_a_word_containing_and_is_not_two_things():
    assert good_skill(title="Stand tall while handing over").checklist_warnings() == []


def test_all_warnings_at_once():
    skill = good_skill(title="A and B", practice_minutes=30, metric=Metric())
    assert len(skill.checklist_warnings()) == 3


# ---------------------------------------------------------------- dates


def test_parse_local_date_accepts_iso_dates_with_spaces_around():
    assert parse_local_date("2026-11-18") == dt.date(2026, 11, 18)
    assert parse_local_date("  2026-12-31\n") == dt.date(2026, 12, 31)
    assert parse_local_date("2028-02-29") == dt.date(2028, 2, 29)


@pytest.mark.parametrize("text", ["", "tomorrow", "2026-02-29", "2026-13-01", "18.11.2026", None])
def test_parse_local_date_refuses_with_a_plain_message_naming_the_field(text):
    with pytest.raises(ValidationError) as info:
        parse_local_date(text, "deadline")  # type: ignore[arg-type]
    assert info.value.field == "deadline"
    assert "YYYY-MM-DD" in info.value.message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("cls", "data"),
    [
        (Plan, {"objective_id": "o", "start_week": "2026-11-02", "weeks": ["not a week"]}),
        (Plan, {"objective_id": "o", "start_week": "2026-11-02", "weeks": [None]}),
        (WeeklyReview, {"week": "2026-11-16", "measurements": ["x"]}),
        (WeeklyReview, {"week": "2026-11-16", "measurements": [{"value": 1}]}),
    ],
)
def test_malformed_nested_values_are_refused_with_a_type_error(cls, data):
    """The repository skips (and keeps on disk) records it cannot read; it must not crash."""
    with pytest.raises(TypeError):
        cls.from_dict(data)


def test_a_plan_week_without_skill_id_reads_as_an_empty_week():
    plan = Plan.from_dict({"objective_id": "o", "start_week": "2026-11-02",
                           "weeks": [{"hold": 1}]})
    assert plan.weeks == [PlanWeek(skill_id=None, hold=True)]


# ----------------------------------------------------------------- validation at the edge
# (issue 16) every document read from disk passes from_dict's check; a value the app
# relies on that does not fit raises one RecordError naming the field, never its text


def _stored(record):
    return json.loads(json.dumps(record.to_dict()))


HOSTILE_FIELDS = [
    (CheckIn, "date", "2026-02-30"),
    (CheckIn, "date", None),
    (CheckIn, "date", "2026-11-18T09:00"),
    (CheckIn, "minutes", 1e308),
    (CheckIn, "minutes", True),
    (CheckIn, "value", float("nan")),
    (CheckIn, "value", float("inf")),
    (CheckIn, "value", "12"),
    (CheckIn, "status", "maybe"),
    (CheckIn, "note", "x\udcff"),
    (CheckIn, "note", ["x"]),
    (CheckIn, "created_at", "yesterday"),
    (MicroGoal, "deadline", None),
    (MicroGoal, "deadline", "9999-12-31"),
    (MicroGoal, "estimate_minutes", -5),
    (MicroGoal, "completed_at", 5),
    (Plan, "start_week", "garbage"),
    (Plan, "weeks", "x"),
    (MicroSkill, "metric", "fillers"),
    (MicroSkill, "frequency_target", 0),
    (MicroSkill, "objective_id", None),
    (Entry, "mood", 9),
    (Entry, "tags", "a,b"),
    (Entry, "skill_ids", [None]),
    (WeeklyReview, "decision", "maybe"),
    (WeeklyReview, "measurements", [{"skill_id": "s", "value": "big"}]),
    (PeriodReview, "period", "2026-13"),
    (Objective, "archived", "no"),
    (Objective, "id", ""),
]


@pytest.mark.parametrize(("cls", "name", "value"), HOSTILE_FIELDS,
                         ids=lambda v: repr(v)[:20] if not isinstance(v, type) else v.__name__)
def test_from_dict_refuses_a_value_the_app_cannot_use_naming_the_field(cls, name, value):
    from micro_journal.domain.models import RecordError

    record = next(r for r in sample_records() if type(r) is cls)
    data = _stored(record)
    data[name] = value
    data["note" if "note" in data and name != "note" else "extra_text"] = "SECRET text"
    with pytest.raises(RecordError) as info:
        cls.from_dict(data)
    err = info.value
    assert err.field.split(".")[0].split("[")[0] == name
    assert isinstance(err, ValueError) and isinstance(err, TypeError)
    assert "SECRET" not in err.message and "\udcff" not in err.message


def test_nested_fields_are_named_with_their_path():
    from micro_journal.domain.models import RecordError

    skill, plan = sample_records()[1], sample_records()[2]
    data = _stored(skill)
    data["metric"]["target"] = "3"
    with pytest.raises(RecordError) as info:
        MicroSkill.from_dict(data)
    assert info.value.field == "metric.target"
    data = _stored(plan)
    data["weeks"][0]["skill_id"] = 5
    with pytest.raises(RecordError) as info:
        Plan.from_dict(data)
    assert info.value.field == "weeks[0].skill_id"


def test_a_stored_document_must_carry_its_id():
    from micro_journal.domain.models import RecordError

    data = _stored(sample_records()[0])
    del data["id"]
    with pytest.raises(RecordError, match="lacks id"):
        Objective.from_stored(data)
    with pytest.raises(RecordError):
        Objective.from_stored(["not", "an", "object"])


def test_what_the_app_writes_reads_back_unchanged_by_the_check():
    for record in sample_records():
        assert type(record).from_stored(_stored(record)) == record
