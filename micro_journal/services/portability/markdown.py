"""The Markdown export, one readable document week by week, and the Markdown pieces of
a week it shares with the week's summary (plan lines, each skill's days, minutes and
measurement, the change from the week before)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ...domain import dates, rules
from ...domain.goals import completed_day
from ...domain.journal import entry_tags
from ...domain.models import Entry, MicroGoal, MicroSkill, WeeklyReview
from ...store.repository import Repository
from .common import ALL_DATES, DateRange, Progress, as_date, noop, num, plural
from .snapshot import Snapshot, phases


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
        parts.append(f"baseline {num(m.baseline)}")
    if m.target is not None:
        parts.append(f"target {num(m.target)}")
    return ", ".join(parts)


def with_unit(value: float | None, skill: MicroSkill | None) -> str:
    if value is None:
        return "—"
    unit = skill.metric.unit if skill else ""
    return f"{num(value)} {unit}".strip()


@dataclass
class SkillWeek:
    skill_id: str
    done: int = 0
    skipped: int = 0
    minutes: int = 0
    values: list[float] = field(default_factory=list)


def week_measurement(
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


def change_text(skill: MicroSkill | None, before: float | None, after: float | None) -> str:
    if before is None or after is None or skill is None:
        return "—"
    delta = round(after - before, 2)
    if delta == 0:
        return "no change"
    arrow = "↑" if delta > 0 else "↓"
    better = skill.metric.better(after, before)
    return f"{arrow} {num(abs(delta))} ({'better' if better else 'worse'})"


def review_notes(review: WeeklyReview) -> list[str]:
    """A weekly review's "What worked" and "To adjust" lines (those it has)."""
    return [f"- {label}: {text.strip()}"
            for label, text in (("What worked", review.worked), ("To adjust", review.adjust))
            if text]


def week_plan_lines(snap: Snapshot, first: dt.date, first_weekday: int) -> list[str]:
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


def skill_weeks(snap: Snapshot, first: dt.date) -> dict[str, SkillWeek]:
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


def ordered_skill_ids(snap: Snapshot, ids: Iterable[str]) -> list[str]:
    order = {sid: n for n, sid in enumerate(snap.skills)}
    return sorted(ids, key=lambda s: (order.get(s, len(order)), s))


class _LineJoin:
    """``"\n".join(lines).rstrip("\n") + "\n"`` of lines that come a batch at a time,
    as text written as it comes: ``take(lines)`` gives the text of the lines so far
    (and empties the list), holding back newlines that may turn out to be the last;
    ``end(lines)`` the rest."""

    def __init__(self) -> None:
        self.started = False
        self.held = ""

    def take(self, lines: list[str]) -> str:
        if not lines:
            return ""
        text = ("\n" if self.started else "") + "\n".join(lines)
        lines.clear()
        self.started = True
        text = self.held + text
        body = text.rstrip("\n")
        self.held = text[len(body):]
        return body

    def end(self, lines: list[str]) -> str:
        return self.take(lines) + "\n"


def iter_export_markdown(
    repo: Repository,
    *,
    today: dt.date,
    first_weekday: int = rules.MONDAY,
    day_start_hour: int = 0,
    span: DateRange = ALL_DATES,
    progress: Progress = noop,
) -> Iterator[str]:
    """One readable document, week by week (newest last), fit for a note app or a
    coach; a week at a time."""
    reading, writing = phases(progress)
    snap = Snapshot(repo, reading)
    joined = _LineJoin()
    out: list[str] = ["# micro-journal", ""]
    counts = [
        plural(len(snap.objectives), "objective"),
        plural(len(snap.skills), "micro-skill"),
        plural(sum(span.contains(c.date) for c in snap.checkins), "check-in"),
        plural(sum(span.contains(e.date) for e in snap.entries if not e.archived),
               "journal entry", "journal entries"),
        plural(len(snap.goals), "micro-goal"),
    ]
    out.append(f"Exported on {dates.day_long(today)} · " + " · ".join(counts) + ".")
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
    def wk(day: dt.date) -> dt.date:
        return dates.week_start(day, first_weekday)

    weeks: set[dt.date] = set()
    for c in snap.checkins:
        day = as_date(c.date)
        if day is not None and span.contains(day):
            weeks.add(wk(day))
    week_entries: dict[dt.date, list[Entry]] = defaultdict(list)
    for e in snap.entries:
        day = as_date(e.date)
        if day is not None and span.contains(day) and not e.archived:
            weeks.add(wk(day))
            week_entries[wk(day)].append(e)
    for r in snap.reviews:
        first = as_date(r.week)
        if first and span.overlaps(first, first + dt.timedelta(days=6)):
            weeks.add(wk(first))
    done_goals: dict[dt.date, list[tuple[dt.date, MicroGoal]]] = defaultdict(list)
    for g in snap.goals:
        day = completed_day(g, day_start_hour) if g.status == "done" else None
        if day and span.contains(day):
            weeks.add(wk(day))
            done_goals[wk(day)].append((day, g))

    ordered = sorted(weeks)
    for n, first in enumerate(ordered, 1):
        out += [f"## Week of {dates.day_long(first)}", ""]
        plan_lines = week_plan_lines(snap, first, first_weekday)
        if plan_lines:
            out += [*plan_lines, ""]
        week_checkins = [c for c in snap.week_checkins(first) if span.contains(c.date)]
        if week_checkins:
            out += ["### Check-ins", "",
                    "| Date | Skill | Status | Minutes | Value | Note |",
                    "|---|---|---|---:|---:|---|"]
            for c in week_checkins:
                out.append(
                    f"| {dates.day_short(rules.to_date(c.date))} | "
                    f"{md_cell(snap.skill_title(c.skill_id))} | "
                    f"{c.status} | {'' if c.minutes is None else c.minutes} | "
                    f"{num(c.value)} | {md_cell(c.note)} |"
                )
            out.append("")
            stats = skill_weeks(snap, first)
            measured = []
            for sid in ordered_skill_ids(snap, stats):
                value = week_measurement(snap, sid, first)
                if value is None:
                    continue
                skill = snap.skills.get(sid)
                before = week_measurement(snap, sid, first - rules.WEEK)
                change = change_text(skill, before, value)
                tail = "" if change == "—" else f"; on the week before: {change}"
                measured.append(
                    f"- {snap.skill_title(sid)}: {with_unit(value, skill)}{tail}"
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
                    f"{with_unit(m.value, skill)}{note}"
                )
            out += [*review_notes(review), ""]
        entries = [e for e in week_entries.get(first, []) if span.contains(e.date)]
        if entries:
            out += ["### Journal", ""]
            for e in entries:
                bits = [dates.day_long(rules.to_date(e.date))]
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
                out.append(f"- ✓ {g.action} — done {dates.day_short(day)}"
                           + (f": *{g.insight.strip()}*" if g.insight else ""))
            out.append("")
        yield joined.take(out)
        writing(n, len(ordered))
    open_goals = [
        g for g in snap.goals if g.status == "open" and span.contains(g.deadline)
    ]
    if open_goals:
        out += ["## Open micro-goals", ""]
        for g in open_goals:
            title = snap.objective_title(g.objective_id)
            where = f" · {title}" if title else ""
            out.append(f"- [ ] {g.action} — due {g.deadline}{where}")
        out.append("")
    yield joined.end(out)
    writing(len(ordered), len(ordered))

