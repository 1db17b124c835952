"""How a skill looks on Today: the big focus card and the compact stacked row."""

from __future__ import annotations

from textual.widgets import Static

from ..domain.models import Metric
from ..domain.text import markup_line
from ..services.today import SkillToday

STATE_MARK = {
    "done": "[$done]✔ done[/]",
    "skipped": "[$skipped]– rest day[/]",
    "open": "[$text-muted]○ not yet[/]",
}
ROW_MARK = {"done": "[$done]✔[/]", "skipped": "[$skipped]–[/]", "open": "[$text-muted]○[/]"}


def fmt_number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}"


def metric_line(metric: Metric) -> str:
    if not metric.name:
        return "[$text-muted]no metric yet[/]"
    unit = f" ({markup_line(metric.unit)})" if metric.unit else ""
    arrow = "↓ lower is better" if metric.direction == "lower" else "↑ higher is better"
    parts = [f"{markup_line(metric.name)}{unit}", arrow]
    if metric.baseline is not None or metric.target is not None:
        parts.append(f"baseline {fmt_number(metric.baseline)} → target {fmt_number(metric.target)}")
    return " · ".join(parts)


def week_dots(s: SkillToday) -> str:
    done = s.week.done
    target = s.week.target
    filled = "●" * min(done, target)
    empty = "○" * max(0, target - done)
    extra = "●" * max(0, done - target)
    return f"[$done]{filled}{extra}[/][$text-muted]{empty}[/]"


class SkillCard(Static):
    """The focus skill, with everything needed to decide today's practice."""

    def show(self, s: SkillToday, plan_label: str | None, selected: bool) -> None:
        self.set_class(selected, "-selected")
        self.set_class(s.state == "done", "-done")
        c = s.checkin
        today_bits = [STATE_MARK[s.state]]
        if c and c.minutes is not None:
            today_bits.append(f"{c.minutes} min")
        if c and c.value is not None:
            today_bits.append(f"value {fmt_number(c.value)}")
        if c and c.note:
            today_bits.append(f"“{markup_line(c.note)}”")
        objective = markup_line(s.objective.title) if s.objective else ""
        lines = [
            f"[b]{markup_line(s.skill.title)}[/b]",
        ]
        if s.skill.why:
            lines.append(f"[$text-muted]{markup_line(s.skill.why)}[/]")
        lines.append(f"Metric  {metric_line(s.skill.metric)}")
        lines.append(
            f"Week    {week_dots(s)} {s.week.done}/{s.week.target}   "
            f"[$streak]Streak {s.streaks.current}[/] (best {s.streaks.best})   "
            f"Practice {s.skill.practice_minutes} min"
        )
        lines.append(f"Today   {'  ·  '.join(today_bits)}")
        self.update("\n".join(lines))
        where = f"{objective} · {plan_label}" if plan_label else objective
        self.border_title = f"Focus · {where}" if where else "Focus"


class SkillRow(Static):
    """One stacked (or other objective's) skill on a single line."""

    def show(self, s: SkillToday, selected: bool) -> None:
        self.skill_id = s.skill.id
        self.set_class(selected, "-selected")
        marker = "▶" if selected else " "
        objective = (
            f" [$text-muted]· {markup_line(s.objective.title)}[/]"
            if s.is_focus and s.objective else ""
        )
        self.update(
            f"{marker} {ROW_MARK[s.state]} {markup_line(s.skill.title)}{objective}  "
            f"[$text-muted]{s.week.done}/{s.week.target} · streak {s.streaks.current}[/]"
        )
