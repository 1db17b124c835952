"""Data portability, shared by the plain commands and the app.

* exporters: the whole journal as lossless JSON (with its schema version), a Markdown
  document week by week, the check-ins as CSV, and an iCalendar (RFC 5545) file of the
  plan's daily practice and the micro-goal deadlines;
* importers: our own JSON export (or a journal/backup file), matched by record id, and
  jrnl's ``jrnl --export json``; everything is parsed and checked before anything is
  written, then saved as one atomic batch;
* verify (parse, schema, fields, every reference resolves), the week's summary in
  Markdown, stats, and backup/restore under the journal's lock.

Nothing here prints: long work reports through a ``progress(done, total)`` callback and
bad input raises :class:`PortabilityError` with a one-line message.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import json
import sys
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain import dates, rules
from ..domain.journal import entry_tags
from ..domain.models import (
    ALL_RECORD_TYPES,
    GOAL_STATUSES,
    CheckIn,
    Entry,
    MicroGoal,
    MicroSkill,
    Objective,
    Plan,
    Record,
    RecordError,
    WeeklyReview,
    check_date,
)
from ..store import migrations
from ..store.backups import MANUAL_PREFIX, backup_dir_for, list_backups, restore_backup
from ..store.files import (
    TMP_MARK,
    atomic_write,
    describe_os_error,
    dumps,
    json_text,
    parse_journal_bytes,
)
from ..store.journal import Journal
from ..store.repository import Repository, read_document
from ..store.storage import lock_path_for, real_path
from ..store.table import doc_id as table_doc_id

Progress = Callable[[int, int], None]

EXPORT_FORMATS = ("json", "markdown", "csv", "ics")
IMPORT_FORMATS = ("json", "jrnl")
EXPORT_MARK = "micro-journal-export"
FILE_SUFFIX = {"json": ".json", "markdown": ".md", "csv": ".csv", "ics": ".ics"}
CSV_COLUMNS = ("date", "objective", "skill", "status", "minutes", "value", "note")
ICS_PRODID = "-//micro-journal//micro-journal export//EN"
# a fixed namespace, so the same jrnl entry always gets the same id
JRNL_NAMESPACE = uuid.UUID("6f1d3c1e-8a51-4f0e-9a57-2d8b7f3e2a10")


class PortabilityError(ValueError):
    """Bad input (a malformed file, an unknown format…); the message is one line."""


def _noop(done: int, total: int) -> None:
    pass


def by_table() -> dict[str, type[Record]]:
    return {cls.TABLE: cls for cls in ALL_RECORD_TYPES}


# ===================================================================== dates and ranges


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of local dates; either end may be open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise PortabilityError(
                f"--from {self.start.isoformat()} is after --to {self.end.isoformat()}"
            )

    @property
    def open(self) -> bool:
        return self.start is None and self.end is None

    def contains(self, day: dt.date | str | None) -> bool:
        if self.open:
            return True
        day = _as_date(day)
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        return (self.start is None or last >= self.start) and (
            self.end is None or first <= self.end
        )


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def completed_day(goal: MicroGoal, day_start_hour: int = 0) -> dt.date | None:
    """The local day a goal was done: the wall time of ``completed_at`` (kept with the
    user's offset), shifted by the day-start hour as "today" is."""
    if not goal.completed_at:
        return None
    try:
        moment = dt.datetime.fromisoformat(goal.completed_at)
    except ValueError:
        return _as_date(goal.completed_at)
    return (moment - dt.timedelta(hours=day_start_hour)).date()


def record_day(record: Record) -> dt.date | None:
    """The local date a dated record belongs to (None for undated ones)."""
    for name in ("date", "week", "deadline"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return _as_date(value)
    return None


def _long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _short_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _num(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(round(float(value), 6))


# ===================================================================== the journal in memory


class Snapshot:
    """Every record of a repository, with the look-ups the exporters need."""

    def __init__(self, repo: Repository) -> None:
        self.records: dict[type[Record], list[Record]] = {
            cls: sorted(repo.all(cls), key=lambda r: (r.created_at, r.id))
            for cls in ALL_RECORD_TYPES
        }
        self.objectives = {o.id: o for o in self.records[Objective]}
        self.skills = {s.id: s for s in self.records[MicroSkill]}
        self.plans: list[Plan] = list(self.records[Plan])  # type: ignore[arg-type]
        self.checkins: list[CheckIn] = sorted(
            self.records[CheckIn], key=lambda c: (c.date, c.created_at, c.id)  # type: ignore[attr-defined]
        )
        self.entries: list[Entry] = sorted(
            self.records[Entry], key=lambda e: (e.date, e.created_at, e.id)  # type: ignore[attr-defined]
        )
        self.reviews: list[WeeklyReview] = sorted(
            self.records[WeeklyReview], key=lambda r: (r.week, r.created_at)  # type: ignore[attr-defined]
        )
        self.goals: list[MicroGoal] = sorted(
            self.records[MicroGoal], key=lambda g: (g.deadline, g.created_at, g.id)  # type: ignore[attr-defined]
        )
        self.by_skill: dict[str, list[CheckIn]] = defaultdict(list)
        for c in self.checkins:
            self.by_skill[c.skill_id].append(c)
        self.reviews_by_week: dict[str, list[WeeklyReview]] = defaultdict(list)
        for r in self.reviews:
            self.reviews_by_week[r.week].append(r)
        self._weeks: dict[dt.date, list[CheckIn]] = {}
        self._weeks_start: int | None = None

    def week_checkins(self, first: dt.date) -> list[CheckIn]:
        """The check-ins of the week that starts on ``first``."""
        if self._weeks_start != first.weekday():  # (re)index for this week start
            self._weeks_start, self._weeks = first.weekday(), defaultdict(list)
            for c in self.checkins:
                day = _as_date(c.date)
                if day is not None:
                    self._weeks[dates.week_start(day, first.weekday())].append(c)
        return self._weeks.get(first, [])

    def total(self) -> int:
        return sum(len(v) for v in self.records.values())

    def skill_title(self, skill_id: str | None) -> str:
        skill = self.skills.get(skill_id or "")
        return skill.title if skill else "(missing skill)"

    def objective_of(self, skill_id: str | None) -> Objective | None:
        skill = self.skills.get(skill_id or "")
        return self.objectives.get(skill.objective_id) if skill else None

    def objective_title(self, objective_id: str | None) -> str:
        objective = self.objectives.get(objective_id or "")
        return objective.title if objective else ""


# ===================================================================== JSON export


def export_doc(record: Record) -> dict[str, Any]:
    """A record as the JSON export writes it: its document, except that an entry's
    ``tags`` are all its tags — the tags field and the ``#tags`` in its text, as the app
    shows them (``domain.journal.entry_tags``). The journal itself is not changed."""
    doc = record.to_dict()
    if isinstance(record, Entry):
        doc["tags"] = entry_tags(record)
    return doc


def export_json(
    repo: Repository, *, span: DateRange = DateRange(), progress: Progress = _noop,
) -> str:
    """The journal as JSON: lossless (unknown fields kept), stable order, schema version.

    With a date range, dated records (check-ins, entries, reviews, goals) are limited to
    it; objectives, skills and plans are always included so every reference resolves.
    """
    from .. import __version__

    snap = Snapshot(repo)
    total, done = snap.total(), 0
    tables: dict[str, list[dict[str, Any]]] = {}
    for cls in ALL_RECORD_TYPES:
        rows = []
        for record in snap.records[cls]:
            done += 1
            if not span.open:
                day = record_day(record)
                if day is not None and not span.contains(day):
                    continue
            rows.append(export_doc(record))
            if done % 200 == 0:
                progress(done, total)
        tables[cls.TABLE] = rows
    progress(total, total)
    document = {
        "format": EXPORT_MARK,
        "schema_version": migrations.target_version(),
        "app_version": __version__,
        "range": {
            "from": span.start.isoformat() if span.start else None,
            "to": span.end.isoformat() if span.end else None,
        },
        "records": tables,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# ===================================================================== CSV export


def export_csv(
    repo: Repository, *, span: DateRange = DateRange(), progress: Progress = _noop,
) -> str:
    """The check-ins, one row each: date, objective, skill, status, minutes, value, note."""
    snap = Snapshot(repo)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    rows = [c for c in snap.checkins if span.contains(c.date)]
    rows.sort(key=lambda c: (
        c.date, snap.objective_title(getattr(snap.objective_of(c.skill_id), "id", None)),
        snap.skill_title(c.skill_id), c.id,
    ))
    for n, c in enumerate(rows, 1):
        objective = snap.objective_of(c.skill_id)
        writer.writerow([
            c.date,
            objective.title if objective else "",
            snap.skill_title(c.skill_id),
            c.status,
            "" if c.minutes is None else str(c.minutes),
            _num(c.value),
            c.note,
        ])
        if n % 500 == 0:
            progress(n, len(rows))
    progress(len(rows), len(rows))
    return out.getvalue()


# ===================================================================== iCalendar export


def ics_escape(text: str) -> str:
    """Escape TEXT values (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def ics_fold(line: str, limit: int = 75) -> str:
    """Fold a content line to at most ``limit`` octets per physical line (RFC 5545 §3.1),
    never splitting a UTF-8 character; continuation lines start with one space."""
    parts: list[str] = []
    current, size, room = [], 0, limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > room:
            parts.append("".join(current))
            current, size, room = [], 0, limit - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _ics_stamp(iso: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _ics_date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _stack_at(plan: Plan, index: int) -> list[str]:
    active: list[str] = []
    for week in plan.weeks[: index + 1]:
        if not week.hold and week.skill_id and week.skill_id not in active:
            active.append(week.skill_id)
    return active


def export_ics(
    repo: Repository,
    *,
    span: DateRange = DateRange(),
    progress: Progress = _noop,
    calendar_name: str = "micro-journal",
) -> str:
    """The plan's daily practice (one all-day event repeating over each plan week) and
    the micro-goal deadlines (all-day events), with stable UIDs; CRLF, folded, escaped."""
    snap = Snapshot(repo)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ICS_PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(calendar_name)}",
    ]
    work = len(snap.plans) + len(snap.goals)
    done = 0
    for plan in snap.plans:
        done += 1
        objective = snap.objective_title(plan.objective_id) or "(missing objective)"
        start = _as_date(plan.start_week)
        if start is None:
            continue
        ended = _as_date(plan.ended_on) if plan.status == "ended" else None
        for index in range(len(plan.weeks)):
            first = start + dt.timedelta(weeks=index)
            days = 7
            if ended is not None:
                days = min(days, (ended - first).days)
            if days <= 0:
                continue
            last = first + dt.timedelta(days=days - 1)
            if not span.overlaps(first, last):
                continue
            stack = _stack_at(plan, index)
            if not stack:
                continue
            if span.start and first < span.start:
                days -= (span.start - first).days
                first = span.start
            if span.end and last > span.end:
                days -= (last - span.end).days
            focus, stacked = stack[-1], list(reversed(stack[:-1]))
            minutes = sum(
                snap.skills[s].practice_minutes for s in stack if s in snap.skills
            )
            summary = f"Practise: {snap.skill_title(focus)}"
            if stacked:
                summary += f" (+{len(stacked)} stacked)"
            held = " (held)" if plan.weeks[index].hold else ""
            description = [
                f"{objective}: week {index + 1} of {len(plan.weeks)}{held}.",
                f"Focus: {snap.skill_title(focus)}",
            ]
            if stacked:
                description.append("Stacked: " + "; ".join(snap.skill_title(s) for s in stacked))
            description.append(f"About {minutes} minutes a day.")
            lines += [
                "BEGIN:VEVENT",
                f"UID:plan-{plan.id}-week-{index + 1}@micro-journal",
                f"DTSTAMP:{_ics_stamp(plan.updated_at)}",
                f"DTSTART;VALUE=DATE:{_ics_date(first)}",
                f"DTEND;VALUE=DATE:{_ics_date(first + rules.DAY)}",
                f"RRULE:FREQ=DAILY;COUNT={days}",
                f"SUMMARY:{ics_escape(summary)}",
                f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
                "CATEGORIES:micro-journal,practice",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        progress(done, work)
    for goal in snap.goals:
        done += 1
        deadline = _as_date(goal.deadline)
        if deadline is None or goal.status == "dropped" or not span.contains(deadline):
            continue
        objective = snap.objective_title(goal.objective_id)
        mark = "✓ " if goal.status == "done" else ""
        description = [f"Objective: {objective}" if objective else "Micro-goal"]
        if goal.skill_id:
            description.append(f"Skill: {snap.skill_title(goal.skill_id)}")
        if goal.success_metric:
            description.append(f"Success: {goal.success_metric}")
        if goal.estimate_minutes:
            description.append(f"Estimate: {goal.estimate_minutes} minutes")
        description.append(f"Status: {goal.status}")
        if goal.insight:
            description.append(f"Insight: {goal.insight}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:goal-{goal.id}@micro-journal",
            f"DTSTAMP:{_ics_stamp(goal.updated_at)}",
            f"DTSTART;VALUE=DATE:{_ics_date(deadline)}",
            f"DTEND;VALUE=DATE:{_ics_date(deadline + rules.DAY)}",
            f"SUMMARY:{ics_escape(f'{mark}Micro-goal: {goal.action}')}",
            f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
            "CATEGORIES:micro-journal,micro-goal",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
        if done % 200 == 0:
            progress(done, work)
    lines.append("END:VCALENDAR")
    progress(work, work)
    return "".join(ics_fold(line) + "\r\n" for line in lines)


# ===================================================================== Markdown


def md_cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(part.strip() for part in text.strip().splitlines()) if text else ""


def md_quote(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in text.strip("\n").splitlines()] or [">"]


def _metric_line(skill: MicroSkill) -> str:
    m = skill.metric
    if not m.name:
        return "no metric"
    bits = [f"{m.unit}, " if m.unit else "", f"{m.direction} is better"]
    parts = [f"{m.name} ({''.join(bits)})"]
    if m.baseline is not None:
        parts.append(f"baseline {_num(m.baseline)}")
    if m.target is not None:
        parts.append(f"target {_num(m.target)}")
    return ", ".join(parts)


def _with_unit(value: float | None, skill: MicroSkill | None) -> str:
    if value is None:
        return "—"
    unit = skill.metric.unit if skill else ""
    return f"{_num(value)} {unit}".strip()


@dataclass
class SkillWeek:
    skill_id: str
    done: int = 0
    skipped: int = 0
    minutes: int = 0
    values: list[float] = field(default_factory=list)


def _measurement(
    snap: Snapshot, skill_id: str, first: dt.date
) -> float | None:
    """The week's measurement of a skill: the review's if one was recorded, else the
    mean of the week's check-in values."""
    for review in snap.reviews_by_week.get(first.isoformat(), []):
        for m in review.measurements:
            if m.skill_id == skill_id and m.value is not None:
                return float(m.value)
    mine = [c for c in snap.week_checkins(first) if c.skill_id == skill_id]
    return rules.weekly_measurement(mine, first)


def _change(skill: MicroSkill | None, before: float | None, after: float | None) -> str:
    if before is None or after is None or skill is None:
        return "—"
    delta = round(after - before, 2)
    if delta == 0:
        return "no change"
    arrow = "↑" if delta > 0 else "↓"
    better = skill.metric.better(after, before)
    return f"{arrow} {_num(abs(delta))} ({'better' if better else 'worse'})"


def _plan_lines(snap: Snapshot, first: dt.date, first_weekday: int) -> list[str]:
    lines = []
    last = first + dt.timedelta(days=6)
    for plan in snap.plans:
        pos = rules.plan_position(plan, first, first_weekday) or rules.plan_position(
            plan, last, first_weekday
        )
        if pos is None or pos.finished:
            continue
        objective = snap.objective_title(plan.objective_id) or "(missing objective)"
        line = f"- **{objective}** — plan {pos.label()}"
        if pos.focus_id:
            new = ""
            week = plan.weeks[pos.index]
            if not week.hold and week.skill_id == pos.focus_id:
                new = " (new this week)"
            line += f": focus *{snap.skill_title(pos.focus_id)}*{new}"
        stacked = [snap.skill_title(s) for s in reversed(pos.active_ids[:-1])]
        if stacked:
            line += "; stacked: " + ", ".join(f"*{t}*" for t in stacked)
        lines.append(line)
    return lines


def _week_skills(snap: Snapshot, first: dt.date) -> dict[str, SkillWeek]:
    result: dict[str, SkillWeek] = {}
    for c in snap.week_checkins(first):
        row = result.setdefault(c.skill_id, SkillWeek(c.skill_id))
        if c.status == "done":
            row.done += 1
            row.minutes += c.minutes or 0
        else:
            row.skipped += 1
        if c.value is not None:
            row.values.append(c.value)
    return result


def _ordered_skill_ids(snap: Snapshot, ids: Iterable[str]) -> list[str]:
    order = {sid: n for n, sid in enumerate(snap.skills)}
    return sorted(ids, key=lambda s: (order.get(s, len(order)), s))


def export_markdown(
    repo: Repository,
    *,
    today: dt.date,
    first_weekday: int = rules.MONDAY,
    day_start_hour: int = 0,
    span: DateRange = DateRange(),
    progress: Progress = _noop,
) -> str:
    """One readable document, week by week (newest last), fit for a note app or a coach."""
    snap = Snapshot(repo)
    out: list[str] = ["# micro-journal", ""]
    counts = [
        plural(len(snap.objectives), "objective"),
        plural(len(snap.skills), "micro-skill"),
        plural(sum(span.contains(c.date) for c in snap.checkins), "check-in"),
        plural(sum(span.contains(e.date) for e in snap.entries if not e.archived),
               "journal entry", "journal entries"),
        plural(len(snap.goals), "micro-goal"),
    ]
    out.append(f"Exported on {_long_date(today)} · " + " · ".join(counts) + ".")
    if not span.open:
        out.append("")
        out.append(
            f"From {span.start.isoformat() if span.start else 'the beginning'} "
            f"to {span.end.isoformat() if span.end else 'today'}."
        )
    out += ["", "## Objectives and micro-skills", ""]
    for objective in snap.objectives.values():
        flag = " (archived)" if objective.archived else ""
        out.append(f"### {objective.title}{flag}")
        out.append("")
        if objective.description:
            out += [objective.description, ""]
        skills = [s for s in snap.skills.values() if s.objective_id == objective.id]
        for s in skills:
            out.append(
                f"- **{s.title}** — {s.status}; {s.practice_minutes} min a day, "
                f"{s.frequency_target} of 7 days; {_metric_line(s)}"
            )
        if not skills:
            out.append("- no micro-skills yet")
        out.append("")

    # the weeks that have anything in them
    def wk(day: dt.date | None) -> dt.date | None:
        return dates.week_start(day, first_weekday) if day else None

    weeks: set[dt.date] = set()
    for c in snap.checkins:
        if span.contains(c.date):
            weeks.add(wk(_as_date(c.date)))  # type: ignore[arg-type]
    week_entries: dict[dt.date, list[Entry]] = defaultdict(list)
    for e in snap.entries:
        day = _as_date(e.date)
        if day is not None and span.contains(day) and not e.archived:
            weeks.add(wk(day))  # type: ignore[arg-type]
            week_entries[wk(day)].append(e)  # type: ignore[index]
    for r in snap.reviews:
        first = _as_date(r.week)
        if first and span.overlaps(first, first + dt.timedelta(days=6)):
            weeks.add(wk(first))  # type: ignore[arg-type]
    done_goals: dict[dt.date, list[tuple[dt.date, MicroGoal]]] = defaultdict(list)
    for g in snap.goals:
        day = completed_day(g, day_start_hour) if g.status == "done" else None
        if day and span.contains(day):
            weeks.add(wk(day))  # type: ignore[arg-type]
            done_goals[wk(day)].append((day, g))  # type: ignore[index]
    weeks.discard(None)  # type: ignore[arg-type]

    ordered = sorted(weeks)
    for n, first in enumerate(ordered, 1):
        out += [f"## Week of {_long_date(first)}", ""]
        plan_lines = _plan_lines(snap, first, first_weekday)
        if plan_lines:
            out += [*plan_lines, ""]
        week_checkins = [c for c in snap.week_checkins(first) if span.contains(c.date)]
        if week_checkins:
            out += ["### Check-ins", "",
                    "| Date | Skill | Status | Minutes | Value | Note |",
                    "|---|---|---|---:|---:|---|"]
            for c in week_checkins:
                day = _as_date(c.date)
                out.append(
                    f"| {_short_date(day)} | {md_cell(snap.skill_title(c.skill_id))} | "  # type: ignore[arg-type]
                    f"{c.status} | {'' if c.minutes is None else c.minutes} | "
                    f"{_num(c.value)} | {md_cell(c.note)} |"
                )
            out.append("")
            stats = _week_skills(snap, first)
            measured = []
            for sid in _ordered_skill_ids(snap, stats):
                value = _measurement(snap, sid, first)
                if value is None:
                    continue
                skill = snap.skills.get(sid)
                before = _measurement(snap, sid, first - rules.WEEK)
                change = _change(skill, before, value)
                tail = "" if change == "—" else f"; on the week before: {change}"
                measured.append(
                    f"- {snap.skill_title(sid)}: {_with_unit(value, skill)}{tail}"
                )
            if measured:
                out += ["### Measurements", "", *measured, ""]
        for review in snap.reviews_by_week.get(first.isoformat(), []):
            title = "### Weekly review"
            if review.objective_id:
                title += f" — {snap.objective_title(review.objective_id)}"
            out += [title, ""]
            if review.decision:
                out.append(f"- Decision: {review.decision}")
            for m in review.measurements:
                skill = snap.skills.get(m.skill_id)
                note = f" — {m.note}" if m.note else ""
                out.append(
                    f"- Measured {snap.skill_title(m.skill_id)}: "
                    f"{_with_unit(m.value, skill)}{note}"
                )
            if review.worked:
                out.append(f"- What worked: {review.worked.strip()}")
            if review.adjust:
                out.append(f"- To adjust: {review.adjust.strip()}")
            out.append("")
        entries = [e for e in week_entries.get(first, []) if span.contains(e.date)]
        if entries:
            out += ["### Journal", ""]
            for e in entries:
                day = _as_date(e.date)
                bits = [_long_date(day)]  # type: ignore[arg-type]
                if e.mood:
                    bits.append(f"mood {e.mood}/5")
                if e.energy:
                    bits.append(f"energy {e.energy}/5")
                out += [f"#### {' · '.join(bits)}", ""]
                if e.skill_ids:
                    out.append(
                        "Skills: " + ", ".join(snap.skill_title(s) for s in e.skill_ids)
                    )
                tags = entry_tags(e)
                if tags:
                    out.append("Tags: " + ", ".join(f"#{t}" for t in tags))
                if e.skill_ids or tags:
                    out.append("")
                out += [*md_quote(e.body), ""]
        goals = sorted(done_goals.get(first, []), key=lambda p: (p[0], p[1].action))
        if goals:
            out += ["### Micro-goals done", ""]
            for day, g in goals:
                out.append(f"- ✓ {g.action} — done {_short_date(day)}"
                           + (f": *{g.insight.strip()}*" if g.insight else ""))
            out.append("")
        progress(n, len(ordered))
    open_goals = [
        g for g in snap.goals if g.status == "open" and span.contains(g.deadline)
    ]
    if open_goals:
        out += ["## Open micro-goals", ""]
        for g in open_goals:
            objective = snap.objective_title(g.objective_id)
            where = f" · {objective}" if objective else ""
            out.append(f"- [ ] {g.action} — due {g.deadline}{where}")
        out.append("")
    progress(len(ordered), len(ordered))
    return "\n".join(out).rstrip("\n") + "\n"


# ===================================================================== the week's summary


def week_summary(
    repo: Repository,
    day: dt.date,
    *,
    today: dt.date,
    first_weekday: int = rules.MONDAY,
    day_start_hour: int = 0,
) -> str:
    """The week of ``day`` in Markdown for sharing: plan week, skills, days practised,
    minutes, measurements and change, goals done, the review's notes."""
    snap = Snapshot(repo)
    first = dates.week_start(day, first_weekday)
    last = first + dt.timedelta(days=6)
    if first.month == last.month:
        span_text = f"{first.day}–{last.day} {last:%B %Y}"
    elif first.year == last.year:
        span_text = f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    else:
        span_text = f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"
    out = [f"# My week: {span_text}", ""]
    if first <= today <= last:
        out += [f"(so far, up to {_long_date(today)})", ""]

    stats = _week_skills(snap, first)
    shown: list[str] = []
    for focus in rules.active_skills(min(last, max(first, today)), snap.skills.values(),
                                     snap.plans, first_weekday):
        for sid in (focus.focus_id, *focus.stacked_ids):
            if sid and sid not in shown:
                shown.append(sid)
    for sid in _ordered_skill_ids(snap, stats):
        if sid not in shown:
            shown.append(sid)

    plan_lines = _plan_lines(snap, first, first_weekday)
    if plan_lines:
        out += ["## Plan", "", *plan_lines, ""]

    days_practised = len({c.date for c in snap.week_checkins(first) if c.status == "done"})
    minutes = sum(s.minutes for s in stats.values())
    if shown:
        out += ["## Micro-skills", "",
                "| Skill | Days practised | Minutes | Measurement | Change |",
                "|---|---|---:|---|---|"]
        for sid in shown:
            skill = snap.skills.get(sid)
            row = stats.get(sid, SkillWeek(sid))
            target = skill.frequency_target if skill else 7
            practised = f"{row.done} of {target}"
            if row.skipped:
                practised += f" (+{row.skipped} rest)"
            value = _measurement(snap, sid, first)
            before = _measurement(snap, sid, first - rules.WEEK)
            out.append(
                f"| {md_cell(snap.skill_title(sid))} | {practised} | {row.minutes} | "
                f"{_with_unit(value, skill)} | {_change(skill, before, value)} |"
            )
        out.append("")
    out += [f"**{plural(days_practised, 'day')} practised, "
            f"{plural(minutes, 'minute')} in all.**", ""]

    goals = []
    for g in snap.goals:
        done_on = completed_day(g, day_start_hour) if g.status == "done" else None
        if done_on and first <= done_on <= last:
            goals.append((done_on, g))
    out += ["## Micro-goals done", ""]
    if goals:
        for done_on, g in sorted(goals, key=lambda p: (p[0], p[1].action)):
            out.append(f"- ✓ {g.action} ({_short_date(done_on)})"
                       + (f" — *{g.insight.strip()}*" if g.insight else ""))
    else:
        out.append("- none this week")
    out.append("")

    reviews = snap.reviews_by_week.get(first.isoformat(), [])
    out += ["## Review", ""]
    if not reviews:
        out += ["No weekly review yet.", ""]
    for review in reviews:
        if review.objective_id and len(reviews) > 1:
            out += [f"**{snap.objective_title(review.objective_id)}**", ""]
        if review.worked:
            out.append(f"- What worked: {review.worked.strip()}")
        if review.adjust:
            out.append(f"- To adjust: {review.adjust.strip()}")
        if review.decision:
            out.append(f"- Decision: {review.decision}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# ===================================================================== stats


def journal_stats(
    repo: Repository, *, today: dt.date, first_weekday: int = rules.MONDAY
) -> dict[str, Any]:
    """Counts, streaks and minutes, as plain data (the CLI prints it or dumps it)."""
    snap = Snapshot(repo)
    this_week = dates.week_start(today, first_weekday)
    done = [c for c in snap.checkins if c.status == "done"]
    skills = []
    for skill in snap.skills.values():
        mine = snap.by_skill.get(skill.id, [])
        streak = rules.streaks(rules.day_states(mine), today, skill.frequency_target,
                               first_weekday)
        skills.append({
            "id": skill.id,
            "title": skill.title,
            "objective": snap.objective_title(skill.objective_id),
            "status": skill.status,
            "days_done": sum(c.status == "done" for c in mine),
            "rest_days": sum(c.status == "skipped" for c in mine),
            "minutes": sum(c.minutes or 0 for c in mine if c.status == "done"),
            "streak": {"current": streak.current, "best": streak.best},
        })
    goal_status = Counter(g.status for g in snap.goals)
    return {
        "today": today.isoformat(),
        "counts": {cls.TABLE: len(snap.records[cls]) for cls in ALL_RECORD_TYPES},
        "checkins": {"done": len(done), "skipped": len(snap.checkins) - len(done)},
        "days_practised": len({c.date for c in done}),
        "minutes": {
            "total": sum(c.minutes or 0 for c in done),
            "this_week": sum(
                c.minutes or 0 for c in done
                if this_week <= (_as_date(c.date) or dt.date.min) <= today
            ),
        },
        "goals": {status: goal_status.get(status, 0) for status in GOAL_STATUSES},
        "skills": skills,
    }


def render_stats(stats: dict[str, Any]) -> str:
    counts = ", ".join(
        f"{n} {KIND.get(t, t.replace('_', ' ')) if n == 1 else kinds_of(t)}"
        for t, n in stats["counts"].items()
    )
    g = stats["goals"]
    lines = [
        f"Journal on {stats['today']}: {counts}.",
        f"Check-ins: {stats['checkins']['done']} done, "
        f"{plural(stats['checkins']['skipped'], 'rest day')}; "
        f"{plural(stats['days_practised'], 'day')} practised.",
        f"Minutes practised: {stats['minutes']['total']} in all, "
        f"{stats['minutes']['this_week']} this week.",
        f"Micro-goals: {g.get('open', 0)} open, {g.get('done', 0)} done, "
        f"{g.get('dropped', 0)} dropped.",
    ]
    if stats["skills"]:
        width = min(52, max(len(s["title"]) for s in stats["skills"]))
        lines += ["", f"{'Micro-skill':<{width}}  streak  best  days  minutes"]
        for s in stats["skills"]:
            title = s["title"] if len(s["title"]) <= width else s["title"][: width - 1] + "…"
            lines.append(
                f"{title:<{width}}  {s['streak']['current']:>6}  {s['streak']['best']:>4}  "
                f"{s['days_done']:>4}  {s['minutes']:>7}"
            )
    return "\n".join(lines)


# ===================================================================== record checks


# reference fields, by name, wherever they appear (nested plan weeks and measurements too)
REFERENCE_KEYS: dict[str, type[Record]] = {
    "objective_id": Objective,
    "skill_id": MicroSkill,
    "skill_ids": MicroSkill,
    "plan_id": Plan,
    "goal_id": MicroGoal,
    "goal_ids": MicroGoal,
    "entry_id": Entry,
    "review_id": WeeklyReview,
}


def decode(cls: type[Record], doc: Any, doc_id: Any = 1) -> Record:
    """A record from a stored/exported dict, through the same check the repository
    reads the journal with (``store.repository.read_document``); PortabilityError says
    which field is wrong, never quoting its text."""
    try:
        return read_document(cls, doc_id, doc)
    except RecordError as err:
        raise PortabilityError(err.message) from None


def read_documents(data: dict[str, Any]
                   ) -> tuple[dict[type[Record], dict[str, Record]], list[str]]:
    """The records of ``data`` (a parsed journal) by type and id, and every document the
    repository would leave out, as ``table #doc-id: field …`` (the same check as the
    repository's, so the same list; never a field's text)."""
    records: dict[type[Record], dict[str, Record]] = {cls: {} for cls in ALL_RECORD_TYPES}
    problems = []
    for cls in ALL_RECORD_TYPES:
        docs = data.get(cls.TABLE) or {}
        seen: dict[str, str] = {}
        for key, doc in docs.items():
            try:
                record = decode(cls, doc, table_doc_id(key))
            except PortabilityError as err:
                problems.append(f"{cls.TABLE} #{key}: {err}")
                continue
            if record.id in seen:
                problems.append(f"{cls.TABLE} #{key}: id is used by two records "
                                f"(#{seen[record.id]} too)")
                continue
            seen[record.id] = key
            records[cls][record.id] = record
    return records, problems


def _strict_date(text: str) -> dt.date | None:
    try:
        check_date(text, "date")
    except RecordError:
        return None
    return dt.date.fromisoformat(text)


def references(record: Record) -> Iterator[tuple[str, type[Record], str]]:
    """(where, target type, id) of every reference a record holds."""

    def walk(value: Any, where: str) -> Iterator[tuple[str, type[Record], str]]:
        if isinstance(value, dict):
            for key, item in value.items():
                here = f"{where}.{key}" if where else key
                target = REFERENCE_KEYS.get(key)
                if target is not None:
                    if isinstance(item, str):
                        yield here, target, item
                    elif isinstance(item, list):
                        for n, ref in enumerate(item):
                            if isinstance(ref, str):
                                yield f"{here}[{n}]", target, ref
                    continue
                yield from walk(item, here)
        elif isinstance(value, list):
            for n, item in enumerate(value):
                yield from walk(item, f"{where}[{n}]")

    data = record.to_dict()
    data.pop("id", None)
    yield from walk(data, "")


KIND = {
    "objectives": "objective", "skills": "micro-skill", "plans": "plan",
    "checkins": "check-in", "entries": "journal entry", "reviews": "weekly review",
    "goals": "micro-goal",
}


PLURAL = {
    "objectives": "objectives", "skills": "micro-skills", "plans": "plans",
    "checkins": "check-ins", "entries": "journal entries", "reviews": "weekly reviews",
    "goals": "micro-goals",
}


def kind_of(cls: type[Record]) -> str:
    return KIND.get(cls.TABLE, cls.TABLE.replace("_", " ").removesuffix("s"))


def kinds_of(table: str) -> str:
    return PLURAL.get(table, table.replace("_", " "))


def _label(record: Record) -> str:
    """A record in a message: its kind and id, never its text (it may be private)."""
    for name in ("date", "week"):
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            return f"{kind_of(type(record))} of {value} ({record.id[:8]})"
    return f"{kind_of(type(record))} {record.id[:8]}"


# ===================================================================== verify


@dataclass
class VerifyReport:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    schema_version: int | None = None

    @property
    def sound(self) -> bool:
        return not self.problems

    def render(self) -> str:
        lines = [f"Journal {self.path}"]
        if self.schema_version is not None:
            lines.append(f"  schema version {self.schema_version}")
        for table, n in self.counts.items():
            lines.append(f"  {n:>6} {table}")
        lines += [f"  note: {n}" for n in self.notes]
        if self.sound:
            lines.append("Sound: the file parses, the schema is known and every reference "
                         "resolves.")
        else:
            lines.append(f"NOT sound — {len(self.problems)} problem(s):")
            shown = self.problems[:50]
            lines += [f"  - {p}" for p in shown]
            if len(self.problems) > len(shown):
                lines.append(f"  … and {len(self.problems) - len(shown)} more")
        return "\n".join(lines)


def verify_data(raw: bytes, path: Path) -> VerifyReport:
    """Check a journal file's bytes: parse, schema, each record, every reference."""
    report = VerifyReport(path)
    try:
        data = parse_journal_bytes(raw)
    except ValueError as err:
        report.problems.append(f"the file does not parse: {err}")
        return report
    if not raw.strip():
        report.notes.append("the file is empty (a journal nothing was saved to yet)")
    tables = by_table()
    meta = data.get("meta") or {}
    versions = [d["schema_version"] for d in meta.values() if "schema_version" in d]
    if data and not versions and any(data.get(t) for t in tables):
        report.problems.append("the meta table has no schema_version")
    for version in versions[:1]:
        if isinstance(version, bool) or not isinstance(version, int):
            report.problems.append(f"schema_version {version!r} is not a whole number")
            continue
        report.schema_version = version
        if version > migrations.target_version():
            report.problems.append(
                f"schema version {version} is newer than this micro-journal understands "
                f"({migrations.target_version()}); verify it with a newer micro-journal"
            )
        elif version < migrations.target_version():
            report.notes.append(
                f"schema version {version} is older than this micro-journal's "
                f"({migrations.target_version()}); opening it for writing upgrades it"
            )
        elif version < 1:
            report.problems.append(f"schema version {version} is not a valid version")
    if len(versions) > 1:
        report.problems.append(f"the meta table holds {len(versions)} schema versions")
    for name in data:
        if name != "meta" and name not in tables:
            report.notes.append(
                f"table {name!r} ({len(data[name])} records) is unknown to this version; "
                "it is kept but not checked"
            )

    for cls in ALL_RECORD_TYPES:
        report.counts[cls.TABLE] = len(data.get(cls.TABLE) or {})
    # the documents the repository would leave out: the same check, so the same list
    ids, problems = read_documents(data)
    report.problems += problems
    seen_days: dict[tuple[str, str], str] = {}
    for record in ids[CheckIn].values():
        key = (record.skill_id, record.date)  # type: ignore[attr-defined]
        if key in seen_days:
            report.problems.append(
                f"{_label(record)}: a second check-in of the same skill on {key[1]} "
                f"(the other is {seen_days[key][:8]})"
            )
        seen_days[key] = record.id
    for cls in ALL_RECORD_TYPES:
        for record in ids[cls].values():
            for where, target, ref in references(record):
                if ref not in ids[target]:
                    report.problems.append(
                        f"{_label(record)}: {where} points at {kind_of(target)} {ref}, "
                        "which is not in the journal"
                    )
    return report


def verify_path(path: Path) -> VerifyReport:
    from ..store.backups import DamagedBackup, read_backup

    try:
        raw = read_backup(path)  # a backup's journal, uncompressed (.gz, .bz2)
    except FileNotFoundError:
        report = VerifyReport(path)
        report.problems.append("there is no journal file there")
        return report
    except OSError as err:
        report = VerifyReport(path)
        report.problems.append(f"it cannot be read ({describe_os_error(err)})")
        return report
    except DamagedBackup as err:
        report = VerifyReport(path)
        report.problems.append(str(err))
        return report
    from ..store import changes

    log = None
    if changes.changes_path_for(path).exists():
        try:
            data = parse_journal_bytes(raw)
        except ValueError:
            pass  # verify_data reports it
        else:
            log = changes.read(path, changes.snapshot_token(data))
            if log.batches:  # check the journal as the app would open it
                changes.apply(data, log.batches)
                raw = dumps(data)
    report = verify_data(raw, path)
    if log is not None:
        log_path = changes.changes_path_for(path)
        if log.batches:
            report.notes.append(
                f"{len(log.batches)} save(s) are in {log_path}, not yet folded into the file "
                "(an app has the journal open, or the last one was killed); checked with it"
            )
        if log.damaged:
            report.problems.append(
                f"{log.damaged} saved change(s) in {log_path} are damaged and cannot be read"
            )
    return report


# ===================================================================== import


@dataclass
class ImportReport:
    source: str
    format: str
    dry_run: bool = False
    added: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        def part(counter: Counter) -> str:
            total = sum(counter.values())
            if not total:
                return "0"
            detail = ", ".join(
                f"{counter[cls.TABLE]} {kinds_of(cls.TABLE)}"
                for cls in ALL_RECORD_TYPES if counter[cls.TABLE]
            )
            return f"{total} ({detail})"

        verb = "Would import" if self.dry_run else "Imported"
        lines = [
            f"{verb} {self.source} ({self.format}): added {part(self.added)}; "
            f"updated {part(self.updated)}; skipped {part(self.skipped)}."
        ]
        lines += [f"  {note}" for note in self.notes]
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)


@dataclass
class Incoming:
    """Records parsed from an import file, all checked, nothing written yet."""

    format: str
    records: list[Record]
    notes: list[str] = field(default_factory=list)
    # jrnl entries replace body/tags/date only, keeping what the user linked here
    merge_fields: tuple[str, ...] | None = None


def detect_format(data: Any) -> str:
    if isinstance(data, dict) and (data.get("format") == EXPORT_MARK or "meta" in data):
        return "json"
    if isinstance(data, dict) and "entries" in data and isinstance(data.get("entries"), list):
        return "jrnl"
    raise PortabilityError(
        "it is neither a micro-journal export nor a jrnl export (`jrnl --export json`)"
    )


def load_import(raw: bytes, fmt: str | None = None) -> Incoming:
    """Parse and check an import file completely; PortabilityError on anything wrong."""
    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise PortabilityError(
            f"unknown import format {fmt!r}; use one of: {', '.join(IMPORT_FORMATS)}"
        )
    if not raw.strip():
        raise PortabilityError("the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise PortabilityError(f"it is not UTF-8 text (byte {err.start})") from None
    try:
        data = json_text(text)  # bad JSON or deep nesting: one line, never a traceback
    except ValueError as err:
        raise PortabilityError(str(err)) from None
    fmt = fmt or detect_format(data)
    if fmt == "jrnl":
        return _load_jrnl(data)
    return _load_ours(data)


def _load_ours(data: Any) -> Incoming:
    if not isinstance(data, dict):
        raise PortabilityError("it is JSON but not a micro-journal export (not an object)")
    notes: list[str] = []
    if data.get("format") == EXPORT_MARK:
        version = data.get("schema_version")
        tables = data.get("records")
        if not isinstance(tables, dict) or not all(isinstance(v, list) for v in tables.values()):
            raise PortabilityError("it is a micro-journal export without a valid 'records' "
                                   "object")
        rows = {name: list(enumerate(docs, 1)) for name, docs in tables.items()}
    elif "meta" in data:
        # a journal file or one of its backups
        try:
            parse_journal_bytes(json.dumps(data).encode())
        except ValueError as err:
            raise PortabilityError(str(err)) from None
        metas = [d for d in data["meta"].values() if "schema_version" in d]
        version = metas[0]["schema_version"] if metas else None
        rows = {
            name: list(docs.items()) for name, docs in data.items() if name != "meta"
        }
    else:
        raise PortabilityError("it is JSON but not a micro-journal export (no 'format' key)")
    if isinstance(version, bool) or not isinstance(version, int):
        raise PortabilityError(f"its schema_version {version!r} is missing or not a number")
    current = migrations.target_version()
    if version > current:
        raise PortabilityError(
            f"it was written by a newer micro-journal (schema {version}; this one "
            f"understands {current}) — upgrade to import it"
        )
    if version < current:
        rows = _upgrade(rows, version)
        notes.append(f"upgraded the file's records from schema {version} to {current}")
    tables_known = by_table()
    records: list[Record] = []
    seen: set[str] = set()
    for name, docs in rows.items():
        cls = tables_known.get(name)
        if cls is None:
            if docs:
                notes.append(f"left out {len(docs)} record(s) of a kind this version does "
                             f"not know ({name!r})")
            continue
        for where, doc in docs:
            try:  # the check the repository reads the journal with: what it would skip
                record = decode(cls, doc)
            except PortabilityError as err:
                raise PortabilityError(f"{name} record {where} is not a {kind_of(cls)}: "
                                       f"{err}") from None
            if record.id in seen:
                raise PortabilityError(f"{name} record {where}: id {record.id} appears twice")
            seen.add(record.id)
            records.append(record)
    return Incoming("json", records, notes)


def _upgrade(rows: dict[str, list[tuple[Any, Any]]], version: int
             ) -> dict[str, list[tuple[Any, Any]]]:
    """Run the store's schema migrations over an older file's records."""
    shaped: dict[str, dict[str, Any]] = {}
    for name, docs in rows.items():
        for where, doc in docs:
            if not isinstance(doc, dict):
                raise PortabilityError(f"{name} record {where} is not an object")
        shaped[name] = {str(where): doc for where, doc in docs}
    shaped["meta"] = {"1": {"schema_version": version}}
    try:
        upgraded = migrations.migrate(shaped, version)
    except migrations.MigrationError as err:
        raise PortabilityError(f"it cannot be upgraded from schema {version}: {err}") from None
    upgraded.pop("meta", None)
    return {name: list(docs.items()) for name, docs in upgraded.items()}


JRNL_KNOWN = ("title", "body", "date", "time", "tags", "starred")


def _load_jrnl(data: Any) -> Incoming:
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise PortabilityError("it is not a jrnl export: expected an object with an "
                               "'entries' list (made by `jrnl --export json`)")
    records: list[Record] = []
    used: Counter = Counter()
    for n, item in enumerate(data["entries"], 1):
        where = f"jrnl entry {n}"
        if not isinstance(item, dict):
            raise PortabilityError(f"{where} is a {type(item).__name__}, not an object")
        date = item.get("date")
        if not isinstance(date, str) or _strict_date(date) is None:
            raise PortabilityError(f"{where} has no valid date (got {date!r})")
        time = item.get("time", "")
        if not isinstance(time, str):
            raise PortabilityError(f"{where}: time {time!r} is not text")
        title, body = item.get("title", ""), item.get("body", "")
        if not isinstance(title, str) or not isinstance(body, str):
            raise PortabilityError(f"{where}: title and body must be text")
        tags = item.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise PortabilityError(f"{where}: tags must be a list of text")
        starred = item.get("starred", False)
        if not isinstance(starred, bool):
            raise PortabilityError(f"{where}: starred must be true or false")
        key = f"jrnl\x00{date}\x00{time}\x00{title}"
        used[key] += 1
        if used[key] > 1:
            key += f"\x00{used[key]}"
        text = title.strip()
        if body.strip():
            text = f"{text}\n{body}" if text else body
        clean: dict[str, None] = {}
        for tag in tags:
            tag = tag.strip().lstrip("@#").strip().casefold()
            if tag:
                clean.setdefault(tag, None)
        created = _jrnl_created(date, time)
        jrnl_extra = {"time": time, "starred": starred}
        jrnl_extra.update({k: v for k, v in item.items() if k not in JRNL_KNOWN})
        entry = Entry(
            id=uuid.uuid5(JRNL_NAMESPACE, key).hex,
            date=date,
            body=text,
            tags=list(clean),
            created_at=created,
            updated_at=created,
        )
        entry.extra = {"imported_from": "jrnl", "jrnl": jrnl_extra}
        records.append(entry)
    notes = []
    if not records:
        notes.append("the jrnl export holds no entries")
    return Incoming("jrnl", records, notes, merge_fields=("date", "body", "tags", "extra"))


def _jrnl_created(date: str, time: str) -> str:
    """jrnl's local date and time as a UTC timestamp (the computer's zone)."""
    try:
        clock = dt.time.fromisoformat(time) if time else dt.time(0, 0)
    except ValueError:
        clock = dt.time(0, 0)
    local = dt.datetime.combine(dt.date.fromisoformat(date), clock)
    try:
        moment = local.astimezone(dt.UTC)
    except (OverflowError, OSError, ValueError):
        moment = local.replace(tzinfo=dt.UTC)
    return moment.isoformat(timespec="seconds")


def _same(a: Record, b: Record, fields: tuple[str, ...] | None) -> bool:
    if fields is None:
        # as exported: our own export brought back is the same record, although its
        # entries' tags also hold the #tags of their text
        return export_doc(a) == export_doc(b)
    return all(
        (a.extra == b.extra) if f == "extra" else getattr(a, f) == getattr(b, f)
        for f in fields
    )


def apply_import(
    repo: Repository,
    incoming: Incoming,
    *,
    source: str,
    dry_run: bool = False,
    progress: Progress = _noop,
) -> ImportReport:
    """Add, update or skip each incoming record (matched by id) in one atomic batch.

    Our JSON: a record not in the journal is added; one that is, is updated only when
    the file's copy was changed later (``updated_at``), otherwise skipped. jrnl: an entry
    seen before is updated when its text, tags or date changed in jrnl, keeping the skills
    and mood given to it here. A check-in for a skill and day that already has another
    check-in is skipped (a day has one check-in per skill).
    """
    report = ImportReport(source, incoming.format, dry_run, notes=list(incoming.notes))
    plan: list[Record] = []
    days = {(c.skill_id, c.date): c.id for c in repo.all(CheckIn)}
    clashes = 0
    newer_here = 0
    total = len(incoming.records)
    for n, record in enumerate(incoming.records, 1):
        cls = type(record)
        kind = cls.TABLE
        existing = repo.get(cls, record.id)
        if isinstance(record, CheckIn):
            other = days.get((record.skill_id, record.date))
            if other is not None and other != record.id:
                report.skipped[kind] += 1
                clashes += 1
                continue
        if existing is None:
            report.added[kind] += 1
            plan.append(record)
        elif _same(existing, record, incoming.merge_fields):
            report.skipped[kind] += 1
        elif incoming.merge_fields is not None:
            merged = dataclasses.replace(
                existing, **{f: getattr(record, f) for f in incoming.merge_fields
                             if f != "extra"},
            )
            merged.extra = {**existing.extra, **record.extra}
            merged = merged.touched()
            report.updated[kind] += 1
            plan.append(merged)
        elif record.updated_at > existing.updated_at:
            report.updated[kind] += 1
            plan.append(record)
        else:
            report.skipped[kind] += 1
            newer_here += 1
        if isinstance(record, CheckIn):
            days[(record.skill_id, record.date)] = record.id
        if n % 200 == 0:
            progress(n, total * 2)
    if clashes:
        report.notes.append(f"{clashes} check-in(s) skipped: that skill already has a "
                            "check-in on that day")
    if newer_here:
        report.notes.append(f"{newer_here} record(s) kept as they are here: the journal's "
                            "copy is as new or newer than the file's")
    dangling = _dangling_after(repo, plan)
    if dangling:
        report.notes.append(
            f"{dangling} reference(s) point at records in neither the file nor the journal; "
            "run `micro-journal verify` for the list"
        )
    if not dry_run and plan:
        step = 250
        with repo.batch():  # one atomic write: all or nothing
            repo.ensure_meta()
            for start in range(0, len(plan), step):
                repo.save_many(plan[start : start + step])
                done = min(len(plan), start + step)
                progress(total + done * total // len(plan), total * 2)
    progress(total * 2, total * 2)
    return report


def _dangling_after(repo: Repository, plan: list[Record]) -> int:
    present: dict[type[Record], set[str]] = {
        cls: {r.id for r in repo.all(cls)} for cls in ALL_RECORD_TYPES
    }
    for record in plan:
        present[type(record)].add(record.id)
    count = 0
    for record in plan:
        for _where, target, ref in references(record):
            if ref not in present.get(target, set()):
                count += 1
    return count


# ===================================================================== files


def read_import_file(path: Path) -> bytes:
    if path.is_dir():
        raise PortabilityError(f"{path} is a folder, not a file")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PortabilityError(f"{path} does not exist") from None
    except OSError as err:
        raise PortabilityError(f"{path} cannot be read ({describe_os_error(err)})") from None


def journal_part(target: Path, journal_path: Path) -> str | None:
    """What of the journal ``target`` is (its file, change log, lock, drafts, backups, a
    copy set aside…), or None when it is none of it. ``target`` is compared as given
    (made absolute) and with every symlink and ``..`` resolved, against the journal's
    path as given and as the file it names, so neither a symlink nor a relative path
    reaches the journal's files by another name."""
    import os

    journal_path = Path(os.path.abspath(journal_path.expanduser()))
    journals = {journal_path, real_path(journal_path)}
    targets = {Path(os.path.abspath(target)), Path(os.path.realpath(target))}
    fold = (lambda s: s.casefold()) if sys.platform in ("darwin", "win32") else str

    def same(a: Path, b: Path) -> bool:
        return fold(os.path.normcase(str(a))) == fold(os.path.normcase(str(b)))

    def within(inner: Path, outer: Path) -> bool:
        return same(inner, outer) or any(same(parent, outer) for parent in inner.parents)

    for journal in journals:
        name = fold(journal.name)
        for t in targets:
            if same(t, journal):
                return "the journal itself"
            if within(t, backup_dir_for(journal)):
                return "in the journal's backups folder"
            for suffix, what in ((".drafts", "its drafts"), (".changes", "its change log"),
                                 (".lock", "its lock file")):
                if within(t, journal.with_name(journal.name + suffix)):
                    return f"part of the journal ({what})"
            if same(t.parent, journal.parent):
                tname = fold(t.name)
                if tname.startswith(f"{name}.") or tname.startswith(f".{name}{TMP_MARK}"):
                    return "part of the journal (a name kept for its files)"
    # the same file under another name (a hard link, a case-insensitive disk)
    for journal in journals:
        for p in (journal, journal.with_name(journal.name + ".changes"),
                  journal.with_name(journal.name + ".lock")):
            with contextlib.suppress(OSError):
                if os.path.samefile(target, p):
                    return "the journal itself" if p == journal else "part of the journal"
    return None


def check_output_path(target: Path, journal_path: Path | None = None) -> Path:
    """Refuse an output path that cannot be written, or that is part of the journal:
    the journal file, its change log, lock, drafts, backups or a copy set aside beside
    it — by any name (a symlink, ``..``). Nothing is written when it is refused."""
    import os

    target = target.expanduser()
    if journal_path is not None:
        part = journal_part(target, journal_path)
        if part == "the journal itself":
            raise PortabilityError(f"{target} is the journal itself; export to another file")
        if part is not None:
            raise PortabilityError(f"{target} is {part}; export to another file")
    if target.is_dir():
        raise PortabilityError(f"{target} is a folder; give a file name")
    from ..store.storage import not_a_regular_file

    try:
        kind = not_a_regular_file(os.stat(target).st_mode)
    except OSError:
        kind = None  # not there yet (or unreadable: the write says so)
    if kind:
        # writing is a rename over the target: a device or a pipe would be replaced
        raise PortabilityError(f"{target} is {kind}, not a file; give a file name")
    folder = target.parent
    if not folder.is_dir():
        raise PortabilityError(f"cannot write {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise PortabilityError(f"cannot write {target}: permission denied")
    return target


def encode_export(text: str, fmt: str, *, to_file: bool) -> bytes:
    """The bytes to write: UTF-8; a CSV written to a file starts with a byte-order mark so
    spreadsheets (Excel) read its accents correctly."""
    data = text.encode("utf-8")
    if fmt == "csv" and to_file:
        data = "\ufeff".encode() + data
    return data


def write_export(target: Path, text: str, fmt: str) -> None:
    """Write an export atomically (a crash leaves the old file or the new, never half)."""
    try:
        atomic_write(target, encode_export(text, fmt, to_file=True))
    except OSError as err:
        raise PortabilityError(f"cannot write {target}: {describe_os_error(err)}") from None


def export_text(
    repo: Repository,
    fmt: str,
    *,
    today: dt.date,
    first_weekday: int = rules.MONDAY,
    day_start_hour: int = 0,
    span: DateRange = DateRange(),
    progress: Progress = _noop,
) -> str:
    if fmt == "json":
        return export_json(repo, span=span, progress=progress)
    if fmt == "markdown":
        return export_markdown(repo, today=today, first_weekday=first_weekday,
                               day_start_hour=day_start_hour, span=span, progress=progress)
    if fmt == "csv":
        return export_csv(repo, span=span, progress=progress)
    if fmt == "ics":
        return export_ics(repo, span=span, progress=progress)
    raise PortabilityError(f"unknown export format {fmt!r}; use one of: "
                           f"{', '.join(EXPORT_FORMATS)}")


def check_export_format(fmt: str) -> str:
    aliases = {"md": "markdown", "ical": "ics", "icalendar": "ics"}
    fmt = aliases.get(fmt.strip().lower(), fmt.strip().lower())
    if fmt not in EXPORT_FORMATS:
        raise PortabilityError(f"unknown export format {fmt!r}; use one of: "
                               f"{', '.join(EXPORT_FORMATS)}")
    return fmt


# ===================================================================== backup and restore


def backup_now(journal: Journal, now: dt.datetime) -> Path:
    """A manual backup of the journal as it is on disk; returns its path.

    It is labelled ``manual-<date>-<time>``: rotated apart from the daily backups (the
    newest ``backups.MANUAL_KEEP`` manual ones are kept), so backing up by hand — or
    from cron every hour — never pushes a daily or weekly copy out. Its name is one no
    file has (``-1``, ``-2``… when two are made in the same second)."""
    made = journal.backup_now(f"{MANUAL_PREFIX}{now:%Y-%m-%d-%H%M%S}")
    if made is None:
        raise PortabilityError(f"there is no journal at {journal.path} to back up")
    journal.rotate_backups()
    return made


def find_backup(journal_path: Path, name: str) -> Path:
    """The backup called ``name``: a path, a file name in backups/, or its label."""
    from ..store.backups import SUFFIXES

    given = Path(name).expanduser()
    journal_path = real_path(journal_path)
    folder = backup_dir_for(journal_path)
    # a label names one backup, in whichever format it was written (.json.gz, .json.bz2,
    # or .json by earlier versions)
    candidates = [given, folder / name, *(folder / f"{name}{s}" for s in SUFFIXES),
                  *(folder / f"{journal_path.stem}-{name}{s}" for s in SUFFIXES)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise PortabilityError(
        f"no backup called {name!r} (see `micro-journal restore` for the list)"
    )


@dataclass
class RestoreResult:
    restored: Path
    kept_as: Path | None
    # records of the backup this micro-journal leaves out (kept in the file as they are)
    unreadable: tuple[str, ...] = ()


def restore(journal_path: Path, backup: Path) -> RestoreResult:
    """Put ``backup`` in place of the journal, under the journal's lock; the current file
    is kept first (as a backup, or set aside when it does not parse)."""
    from filelock import FileLock, Timeout

    from ..store.backups import DamagedBackup, read_backup
    from ..store.errors import JournalLocked

    journal_path = real_path(journal_path)  # the file the app locks and writes
    try:
        raw = read_backup(backup)  # uncompressed: journal.json gets the plain bytes
    except OSError as err:
        raise PortabilityError(f"{backup} cannot be read ({describe_os_error(err)})") from None
    except DamagedBackup as err:
        raise PortabilityError(f"{backup} is a damaged backup: {err}") from None
    try:
        data = parse_journal_bytes(raw)
    except ValueError as err:
        raise PortabilityError(f"{backup} is not a journal backup: {err}") from None
    if not raw.strip():
        raise PortabilityError(f"{backup} is empty; it is no backup of anything")
    # the same check the journal is read with: a record the app would leave out is
    # restored as it is (a backup is the user's own journal; refusing it would leave
    # them without it) and named, as opening such a journal names it
    problem = migrations.version_problem(data)
    unreadable = (problem,) if problem else tuple(str(p) for p in read_documents(data)[1])
    if journal_path.exists() and backup.resolve() == journal_path.resolve():
        raise PortabilityError(f"{backup} is the journal itself")
    lock = FileLock(str(lock_path_for(journal_path)), timeout=0, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise JournalLocked(journal_path, lock_path_for(journal_path)) from None
    try:
        before = set(list_backups(journal_path))
        aside_before = set(journal_path.parent.glob(f"{journal_path.name}.corrupt-*"))
        restore_backup(journal_path, backup, raw)
        kept = sorted(set(list_backups(journal_path)) - before)
        aside = sorted(set(journal_path.parent.glob(f"{journal_path.name}.corrupt-*"))
                       - aside_before)
    finally:
        lock.release()
    return RestoreResult(backup, (kept or aside or [None])[-1], unreadable)


def describe_backups(journal_path: Path) -> list[tuple[Path, int, float]]:
    """(path, size on disk, modified time) of each backup, oldest first (plain or
    compressed alike)."""
    result = []
    for p in list_backups(real_path(journal_path)):
        try:
            st = p.stat()
        except OSError:
            continue
        result.append((p, st.st_size, st.st_mtime))
    return result
