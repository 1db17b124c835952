"""The week's summary in Markdown, for sharing, and the journal's stats (counts,
streaks, minutes) as plain data and as text."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from ...domain import dates, rules
from ...domain.goals import completed_day
from ...domain.models import ALL_RECORD_TYPES, GOAL_STATUSES
from ...store.repository import Repository
from .common import as_date, plural
from .markdown import (
    SkillWeek,
    change_text,
    md_cell,
    ordered_skill_ids,
    review_notes,
    skill_weeks,
    week_measurement,
    week_plan_lines,
    with_unit,
)
from .records import KIND, kinds_of
from .snapshot import Snapshot


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
        out += [f"(so far, up to {dates.day_long(today)})", ""]

    stats = skill_weeks(snap, first)
    shown: list[str] = []
    for focus in rules.active_skills(min(last, max(first, today)), snap.skills.values(),
                                     snap.plans, first_weekday):
        for sid in (focus.focus_id, *focus.stacked_ids):
            if sid and sid not in shown:
                shown.append(sid)
    for sid in ordered_skill_ids(snap, stats):
        if sid not in shown:
            shown.append(sid)

    plan_lines = week_plan_lines(snap, first, first_weekday)
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
            value = week_measurement(snap, sid, first)
            before = week_measurement(snap, sid, first - rules.WEEK)
            out.append(
                f"| {md_cell(snap.skill_title(sid))} | {practised} | {row.minutes} | "
                f"{with_unit(value, skill)} | {change_text(skill, before, value)} |"
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
            out.append(f"- ✓ {g.action} ({dates.day_short(done_on)})"
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
        out += review_notes(review)
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
                if this_week <= (as_date(c.date) or dt.date.min) <= today
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
