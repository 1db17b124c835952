"""The demo journal: the public-speaking example our users know, dated relative to today.

Deterministic for a given ``today`` (a seeded random generator), so snapshot tests of
the demo are stable.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TypeVar

from ..domain import dates, rules
from ..domain.models import (
    CheckIn,
    Entry,
    Measurement,
    Metric,
    MicroGoal,
    MicroSkill,
    Objective,
    Plan,
    PlanWeek,
    Record,
    WeeklyReview,
)
from ..store.repository import Repository

SEED = 20261118

R = TypeVar("R", bound=Record)


def _stamp(day: dt.date, minute: int) -> str:
    moment = dt.datetime.combine(day, dt.time(7, 0), dt.UTC) + dt.timedelta(minutes=minute)
    return moment.isoformat(timespec="seconds")


def build_demo(today: dt.date, first_weekday: int = rules.MONDAY) -> list[Record]:
    """Every record of the demo journal, for ``today``."""
    rng = random.Random(SEED)
    start = dates.week_start(today, first_weekday) - dt.timedelta(weeks=2)
    made = start - dt.timedelta(days=3)
    order = iter(range(10_000))

    def stamped(record: R, day: dt.date = made) -> R:
        record.created_at = record.updated_at = _stamp(day, next(order))
        return record

    records: list[Record] = []
    speaking = stamped(Objective(
        title="Public speaking",
        description="Speak to a room with calm and clarity.",
    ))
    productivity = stamped(Objective(
        title="Productivity", description="Finish focused work before noon.",
    ))
    records += [speaking, productivity]

    um = stamped(MicroSkill(
        objective_id=speaking.id,
        title="Eliminate 'um' and 'uh'",
        why="Pause silently instead; record a 5-minute talk and count the fillers.",
        practice_minutes=5,
        metric=Metric(name="filler words per 5-minute talk", unit="fillers",
                      direction="lower", baseline=14, target=3),
    ))
    eyes = stamped(MicroSkill(
        objective_id=speaking.id,
        title="Hold eye contact for five seconds before responding",
        why="Cue: someone finishes a question. Look, breathe, count to five.",
        practice_minutes=5,
        metric=Metric(name="seconds of eye contact before answering", unit="s",
                      direction="higher", baseline=1, target=5),
        frequency_target=5,
    ))
    smile = stamped(MicroSkill(
        objective_id=speaking.id,
        title="Start and end every talk with a confident smile",
        why="Smiling first relaxes you and the room.",
        practice_minutes=5,
        metric=Metric(name="talks opened and closed with a smile", unit="%",
                      direction="higher", baseline=20, target=100),
    ))
    voice = stamped(MicroSkill(
        objective_id=speaking.id,
        title="Use voice variation to emphasise key points",
        why="Slow down and drop your pitch on the one sentence that matters.",
        practice_minutes=10,
        metric=Metric(name="key points emphasised per talk", unit="points",
                      direction="higher", baseline=0, target=3),
        status="planned",
    ))
    outline = stamped(MicroSkill(
        objective_id=productivity.id,
        title="Start every task with a 3-minute outline",
        why="Cue: opening a new task. Three bullet points before anything else.",
        practice_minutes=3,
        metric=Metric(name="tasks started with an outline", unit="tasks",
                      direction="higher", baseline=0, target=4),
        frequency_target=5,
    ))
    records += [um, eyes, smile, voice, outline]

    plan = stamped(Plan(
        objective_id=speaking.id,
        start_week=start.isoformat(),
        weeks=[PlanWeek(skill_id=s.id) for s in (um, eyes, smile, voice)],
    ))
    plan.weeks[0].decision = "stack"
    plan.weeks[1].decision = "stack"
    records.append(plan)

    # ---- check-ins: about three weeks, some skips, a few misses
    um_values = [14, 12, 11, 10, 9, 8, 8, 7, 6, 6, 5, 5, 5, 5, 4, 5, 5, 4, 5, 5, 5]
    notes = {
        0: "Recorded myself: 14 fillers. Ouch.",
        4: "Pausing feels long but nobody notices.",
        9: "Team stand-up: only caught myself twice.",
        15: "Stuck around five; the fillers hide at the start of answers.",
    }
    day = start
    n = 0
    while day < today:
        week_index = (day - start).days // 7
        active = [um, eyes, smile][: week_index + 1]
        for skill in active:
            roll = rng.random()
            if (day - start).days in (5, 13) and skill is um:
                status = "skipped"
            elif roll < 0.08 and day != today - dt.timedelta(days=1):
                continue  # a missed day
            elif roll < 0.14:
                status = "skipped"
            else:
                status = "done"
            value = None
            minutes = None
            note = ""
            if status == "done":
                minutes = skill.practice_minutes + rng.choice([0, 0, 1, 2])
                if skill is um:
                    value = float(um_values[min(n, len(um_values) - 1)])
                    note = notes.get(n, "")
                elif skill is eyes:
                    value = float(min(5, 2 + (day - start).days // 4 + rng.choice([0, 1])))
                elif skill is smile:
                    value = float(rng.choice([50, 60, 75, 80]))
            records.append(stamped(CheckIn(
                skill_id=skill.id, date=day.isoformat(), status=status,
                minutes=minutes, value=value, note=note,
            ), day))
        # productivity skill, 5 of 7 target, since the start
        if rng.random() < 0.7:
            records.append(stamped(CheckIn(
                skill_id=outline.id, date=day.isoformat(), status="done",
                minutes=3, value=float(rng.choice([2, 3, 3, 4])),
            ), day))
        n += 1
        day += rules.DAY

    # ---- weekly reviews for weeks 1 and 2
    records.append(stamped(WeeklyReview(
        week=start.isoformat(), objective_id=speaking.id,
        measurements=[Measurement(skill_id=um.id, value=9.0)],
        worked="Recording every talk made the fillers impossible to ignore.",
        adjust="Pause on purpose before each new point.",
        decision="stack",
    ), start + dt.timedelta(days=6)))
    records.append(stamped(WeeklyReview(
        week=(start + rules.WEEK).isoformat(), objective_id=speaking.id,
        measurements=[
            Measurement(skill_id=um.id, value=5.0),
            Measurement(skill_id=eyes.id, value=3.5),
        ],
        worked="Eye contact calmed me down more than I expected.",
        adjust="Fillers have stalled around five: try slowing my first sentence.",
        decision="stack",
    ), start + dt.timedelta(days=13)))

    # ---- journal entries
    texts = [
        (0, "First recording. 14 fillers in five minutes. The plan: one tiny thing a week.\n\n"
            "#speaking #baseline", [um]),
        (3, "Noticed that 'um' comes when I search for the next point. A silent pause "
            "works if I breathe.\n\n#speaking", [um]),
        (7, "Week 2. Eye contact before answering feels awkward for the first second, "
            "then natural.\n\n#speaking #insight", [um, eyes]),
        (10, "Stand-up went well. Looked at Priya for five seconds before answering; "
             "she smiled back.\n\n#work", [eyes]),
        (14, "Week 3: the smile. Opening with a smile made the first sentence easier.\n\n"
             "#speaking", [smile, eyes, um]),
        (16, "Outlines before tasks: three bullets saved me from a rabbit hole.\n\n"
             "#productivity", [outline]),
    ]
    for offset, body, linked in texts:
        day = start + dt.timedelta(days=offset)
        if day >= today:
            continue
        tags = [w[1:] for w in body.split() if w.startswith("#")]
        records.append(stamped(Entry(
            date=day.isoformat(), body=body, skill_ids=[s.id for s in linked], tags=tags,
            mood=rng.randint(3, 5), energy=rng.randint(2, 5),
        ), day))

    # ---- micro-goals: done, open, one overdue
    def goal(action: str, deadline: dt.date, **kw) -> MicroGoal:
        return stamped(MicroGoal(
            objective_id=kw.pop("objective", speaking).id, action=action,
            deadline=deadline.isoformat(), **kw,
        ))

    records += [
        goal("Record a 5-minute talk and count the fillers", start + dt.timedelta(days=1),
             skill_id=um.id, success_metric="a recording and a count", estimate_minutes=20,
             status="done", completed_at=_stamp(start + dt.timedelta(days=1), 600),
             insight="Hearing myself was the wake-up call."),
        goal("Ask a question in the Thursday all-hands", start + dt.timedelta(days=10),
             success_metric="one question asked", estimate_minutes=5, status="done",
             completed_at=_stamp(start + dt.timedelta(days=10), 600),
             insight="Pausing before speaking made it easy."),
        goal("Sign up for the December lightning talk", today - dt.timedelta(days=2),
             success_metric="name on the list", estimate_minutes=10),
        goal("Outline tomorrow's three tasks", today, objective=productivity,
             skill_id=outline.id, success_metric="three outlines written", estimate_minutes=15),
        goal("Give a 3-minute talk to a friend", today + dt.timedelta(days=5),
             skill_id=smile.id, success_metric="talk given, smile at both ends",
             estimate_minutes=30),
    ]
    return records


def write_demo(repo: Repository, today: dt.date, first_weekday: int = rules.MONDAY) -> int:
    """Write the demo journal into an (empty) repository; returns the number of records."""
    records = build_demo(today, first_weekday)
    with repo.batch():
        repo.ensure_meta()
        for record in records:
            repo.save(record)
    return len(records)
