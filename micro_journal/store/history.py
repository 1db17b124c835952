"""Which check-ins are kept out of the way, and what is kept of them (layout.py).

At every rewrite of journal.json the check-ins dated before ``cut`` (the first day of
the week eight weeks before today) are written as the table's older part; opening
parses only the rest. For each skill the streak over its older check-ins is kept as a
``StreakSpan`` with the weekly target it was counted with, so Today's current and
best streak join that span to the recent weeks (domain.rules) instead of reading
years of check-ins.

Two ways to the older part:

* **from every check-in** (they were read: at the first split, after the older part
  was needed, after a migration): documents with a date before ``cut`` go to it and
  each skill's span is counted from them;
* **by appending** (the older part is still unread, the usual case): the recent
  documents that have aged past the new ``cut`` are added after its bytes, and each
  span is carried forward over the weeks between the two cuts. That is only done when
  it is exact: no recent document may stand for an older one (a changed or moved old
  check-in), none that ages may be dated before the old cut, the week must start on
  the same day, and each skill's target must be the one its span was counted with.
  Otherwise the older part is read and everything is counted again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..domain.dates import week_start
from ..domain.models import MicroSkill
from ..domain.rules import StreakSpan, streak_span
from . import layout

RECENT_WEEKS = 8
STATUSES = ("done", "skipped")


def cut_for(today: dt.date, first_weekday: int, weeks: int = RECENT_WEEKS) -> dt.date:
    return week_start(today, first_weekday) - dt.timedelta(weeks=weeks)


def targets(skills: Any) -> dict[str, int]:
    """Each readable skill's weekly target (what its streak is counted against)."""
    found: dict[str, int] = {}
    if isinstance(skills, dict):
        for doc in skills.values():
            try:
                skill = MicroSkill.from_stored(doc)
            except (TypeError, ValueError):
                continue
            found[skill.id] = skill.days_target
    return found


def doc_day(doc: Any) -> tuple[str, dt.date, str] | None:
    """(skill id, day, status) of a check-in document that reads as one, else None."""
    if type(doc) is not dict:
        return None
    skill_id, date, status = doc.get("skill_id"), doc.get("date"), doc.get("status")
    if type(skill_id) is not str or type(date) is not str or len(date) != 10:
        return None
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return None
    return skill_id, day, status if status in STATUSES else ""


def _spans(by_skill: Mapping[str, dict[dt.date, str]], first_days: Mapping[str, dt.date],
           end: dt.date, goals: Mapping[str, int], first_weekday: int,
           before: Mapping[str, list] | None = None, old_cut: dt.date | None = None
           ) -> dict[str, list]:
    """``{skill id: [target, *StreakSpan]}`` over the days up to ``end``."""
    out: dict[str, list] = {}
    for skill_id in set(by_skill) | set(before or ()):
        target = goals.get(skill_id, 7)
        states = by_skill.get(skill_id, {})
        kept = (before or {}).get(skill_id)
        if kept is not None and old_cut is not None:
            span = StreakSpan.from_list(kept[1:])
            assert span is not None  # append_aged checked every kept span
            if old_cut <= end:
                span = span.then(streak_span(states, old_cut, end, target, first_weekday))
        else:
            first = first_days.get(skill_id)
            if first is None:
                continue
            span = streak_span(states, first, end, target, first_weekday)
        out[skill_id] = [target, *span.to_list()]
    return out


def split_all(docs: dict[str, Any], skills: Any, cut: dt.date, first_weekday: int
              ) -> tuple[bytes, dict[str, Any], dict[str, Any]] | None:
    """Every check-in at hand: ``(older part's bytes, record of the split, recent
    documents)``, or None when nothing is old enough to leave out."""
    old: dict[str, Any] = {}
    recent: dict[str, Any] = {}
    by_skill: dict[str, dict[dt.date, str]] = {}
    first_days: dict[str, dt.date] = {}
    max_id = 0
    for key, doc in docs.items():
        found = doc_day(doc)
        if found is None or found[1] >= cut or not key.isdigit():
            recent[key] = doc
            continue
        old[key] = doc
        max_id = max(max_id, int(key))
        skill_id, day, status = found
        if status:
            by_skill.setdefault(skill_id, {})[day] = status
        if skill_id not in first_days or day < first_days[skill_id]:
            first_days[skill_id] = day
    if not old:
        return None
    end = cut - dt.timedelta(days=1)
    info = {"cut": cut.isoformat(), "max_id": max_id, "week_start": first_weekday,
            "streaks": _spans(by_skill, first_days, end, targets(skills), first_weekday)}
    return layout.inner(old), info, recent


def append_aged(old_bytes: bytes, info: dict[str, Any], docs: dict[str, Any],
                recent_at_open: frozenset[str], skills: Any, cut: dt.date,
                first_weekday: int) -> tuple[bytes, dict[str, Any], dict[str, Any]] | None:
    """The older part still unread: add the recent documents older than ``cut`` after
    its bytes and carry each skill's span forward. None when that would not be exact
    (the module doc says when): read the older part and use ``split_all``."""
    old_cut = dt.date.fromisoformat(info["cut"])
    if info["week_start"] != first_weekday:
        return None
    cut = max(cut, old_cut)
    max_id = info["max_id"]
    goals = targets(skills)
    kept = info["streaks"]
    for skill_id, value in kept.items():
        if not (isinstance(value, list) and len(value) == 6
                and goals.get(skill_id, 7) == value[0]
                and StreakSpan.from_list(value[1:]) is not None):
            return None
    aged: dict[str, Any] = {}
    recent: dict[str, Any] = {}
    by_skill: dict[str, dict[dt.date, str]] = {}
    first_days: dict[str, dt.date] = {}
    for key, doc in docs.items():
        if key not in recent_at_open and (not key.isdigit() or int(key) <= max_id):
            return None  # it may stand for an older document: read them
        found = doc_day(doc)
        if found is not None and found[1] < old_cut:
            return None  # dated before the old cut: the spans cannot be carried forward
        if found is None or found[1] >= cut:
            recent[key] = doc
            continue
        aged[key] = doc
        max_id = max(max_id, int(key)) if key.isdigit() else max_id
        skill_id, day, status = found
        if status:
            by_skill.setdefault(skill_id, {})[day] = status
        if skill_id not in first_days or day < first_days[skill_id]:
            first_days[skill_id] = day
    if aged and not all(k.isdigit() for k in aged):
        return None
    if aged:
        extra = layout.inner(aged)
        old_bytes = old_bytes + b"," + extra if old_bytes else extra
    end = cut - dt.timedelta(days=1)
    streaks = _spans(by_skill, first_days, end, goals, first_weekday, kept, old_cut)
    info = {"cut": cut.isoformat(), "max_id": max_id, "week_start": first_weekday,
            "streaks": streaks}
    return old_bytes, info, recent


# ------------------------------------------------------------ goals and reviews

def aged(name: str, doc: Any, cut: str) -> bool:
    """Whether a goal or review document belongs with the older ones: a review of a
    week before ``cut``; a goal done or dropped whose deadline was before it (every
    open goal stays recent: Today lists them)."""
    if type(doc) is not dict:
        return False
    if name == "reviews":
        week = doc.get("week")
        return type(week) is str and len(week) == 10 and week < cut
    deadline = doc.get("deadline")
    return (doc.get("status") in ("done", "dropped") and type(deadline) is str
            and len(deadline) == 10 and deadline < cut)


def split_plain(name: str, docs: dict[str, Any], cut: dt.date
                ) -> tuple[bytes, dict[str, Any], dict[str, Any]] | None:
    """``split_all`` for the goals or reviews: no streaks, only what ages."""
    at = cut.isoformat()
    old = {k: d for k, d in docs.items() if k.isdigit() and aged(name, d, at)}
    if not old:
        return None
    recent = {k: d for k, d in docs.items() if k not in old}
    info = {"cut": at, "max_id": max(map(int, old))}
    return layout.inner(old), info, recent


def append_plain(name: str, old_bytes: bytes, info: dict[str, Any], docs: dict[str, Any],
                 recent_at_open: frozenset[str], cut: dt.date
                 ) -> tuple[bytes, dict[str, Any], dict[str, Any]] | None:
    """``append_aged`` for the goals or reviews; None when a recent document may stand
    for an older one (read them, then ``split_plain``)."""
    max_id = info["max_id"]
    at = max(cut.isoformat(), info["cut"])
    aged_now: dict[str, Any] = {}
    recent: dict[str, Any] = {}
    for key, doc in docs.items():
        if key not in recent_at_open and (not key.isdigit() or int(key) <= max_id):
            return None
        if key.isdigit() and aged(name, doc, at):
            aged_now[key] = doc
            max_id = max(max_id, int(key))
        else:
            recent[key] = doc
    if aged_now:
        extra = layout.inner(aged_now)
        old_bytes = old_bytes + b"," + extra if old_bytes else extra
    return old_bytes, {"cut": at, "max_id": max_id}, recent
