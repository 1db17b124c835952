"""The iCalendar (RFC 5545) export: the plans' daily practice, one all-day event
repeating over each plan week, and the micro-goal deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ...domain import rules
from ...domain.plan import stack_at
from ...store.repository import Repository
from .common import ALL_DATES, DateRange, Progress, as_date, noop
from .snapshot import Snapshot, phases

ICS_PRODID = "-//micro-journal//micro-journal export//EN"


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
    current: list[str] = []
    size, room = 0, limit
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


def _ics_lines(lines: list[str]) -> str:
    text = "".join(ics_fold(line) + "\r\n" for line in lines)
    lines.clear()
    return text


def iter_export_ics(
    repo: Repository,
    *,
    span: DateRange = ALL_DATES,
    progress: Progress = noop,
    calendar_name: str = "micro-journal",
) -> Iterator[str]:
    """The plan's daily practice (one all-day event repeating over each plan week) and
    the micro-goal deadlines (all-day events), with stable UIDs; CRLF, folded, escaped;
    a plan or 200 goals at a time."""
    reading, writing = phases(progress)
    snap = Snapshot(repo, reading)
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
        start = as_date(plan.start_week)
        if start is None:
            continue
        ended = as_date(plan.ended_on) if plan.status == "ended" else None
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
            stack = stack_at(plan, index)
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
        yield _ics_lines(lines)
        writing(done, work)
    for goal in snap.goals:
        done += 1
        deadline = as_date(goal.deadline)
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
            yield _ics_lines(lines)
            writing(done, work)
    lines.append("END:VCALENDAR")
    yield _ics_lines(lines)
    writing(work, work)
