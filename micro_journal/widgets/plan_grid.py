"""The plan grid: one block per week, its new skill with the stack under it.

Each skill row shows that week's days as marks (in the user's week order), the days
practised against the weekly target, the week's measurement against baseline and
target, and a mastery badge. Narrow terminals get a compact row; wide ones add units,
the week-over-week change and spaced-out day marks.
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Static

from ..domain import dates
from ..domain.text import markup_line
from ..services.plan import SkillWeek, WeekView, fmt
from .week import MARKS

ROLE = {"new": "[b $accent]+[/]", "held": "[b $warning]↻[/]", "stacked": "[$text-muted]↳[/]"}
DECISION = {
    "stack": "[$done]decided: stack[/]",
    "hold": "[$warning]decided: hold[/]",
    "tweak": "[$accent]decided: tweak[/]",
}
ROOMY_WIDTH = 100
LEGEND_MARKS = "✔ done  – rest day  ✗ missed  ○ today  · to come"
LEGEND_ROLES = "+ new skill  ↳ stacked  ↻ held   ★ mastered  ☆ not yet   bold: reviewed value"


def legend(width: int) -> str:
    """The key to the grid's marks: one line on a wide terminal, two on a narrow one."""
    sep = "     " if width >= len(LEGEND_MARKS) + len(LEGEND_ROLES) + 5 else "\n"
    return f"[$text-muted]{LEGEND_MARKS}{sep}{LEGEND_ROLES}[/]"


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis, padded to exactly ``width``."""
    if width <= 0:
        return ""
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.ljust(width)


class Columns:
    """Column widths for a content width; the title takes what the others leave."""

    PREFIX = 3  # " + " before a new skill's title (stacked ones indent two more)

    def __init__(self, width: int) -> None:
        self.width = width
        self.roomy = width >= ROOMY_WIDTH
        self.marks = 13 if self.roomy else 7
        self.freq = 5
        self.value = 10 if self.roomy else 6
        self.goal = 10 if self.roomy else 9
        self.change = 12 if self.roomy else 0
        badge = 2
        fixed = self.PREFIX + 2 + self.marks + self.freq + 1 + self.value + 1 + self.goal + badge
        if self.change:
            fixed += 1 + self.change
        self.title = max(12, min(64, width - fixed - 1))

    def head(self, days: list[dt.date]) -> str:
        """The column header: day letters above the marks, then the other columns."""
        letters = dates.weekday_letters(days)
        marks = (" " if self.roomy else "").join(letters)
        line = " " * (self.PREFIX + self.title + 2) + marks.ljust(self.marks)
        line += "days".rjust(self.freq) + " " + "value".rjust(self.value)
        line += " " + "base→goal".center(self.goal)
        if self.change:
            line += " " + "vs last wk".ljust(self.change)
        return f"[$text-muted]{markup_line(line)}[/]"


def _marks(row: SkillWeek, roomy: bool) -> str:
    sep = " " if roomy else ""
    return sep.join(MARKS[m] for _, m in row.marks)


def _freq(row: SkillWeek, when: str, width: int) -> str:
    text = f"{row.done}/{row.mastery.frequency_target}".rjust(width)
    if row.mastery.frequency_met and when != "future":
        return f"[$done]{text}[/]"
    if when == "past":
        return f"[$missed]{text}[/]"
    return text


def _value(row: SkillWeek, cols: Columns) -> str:
    m = row.measured
    metric = row.skill.metric
    text = fmt(m.value) if m.value is not None else ("" if not metric.name else "–")
    number = text
    if cols.roomy and m.value is not None and metric.unit:
        unit = metric.unit if len(metric.unit) <= 7 else metric.unit[:6] + "…"
        text = f"{text} {unit}"
    if len(text) > cols.value - 1:  # keep a gap before it; drop the unit, never digits
        text = number
    text = markup_line(text.rjust(cols.value))
    if m.source == "review":
        return f"[b]{text}[/b]"  # confirmed in that week's review
    return text


def _goal(row: SkillWeek, cols: Columns) -> str:
    metric = row.skill.metric
    if metric.baseline is None and metric.target is None:
        return " " * cols.goal
    text = f"{fmt(metric.baseline)}→{fmt(metric.target)}"
    return f"[$text-muted]{markup_line(text.center(cols.goal))}[/]"


def _change(row: SkillWeek, cols: Columns) -> str:
    if not cols.change:
        return ""
    c = row.change
    if c is None:
        return " " + " " * cols.change
    text = clip(c.label(), cols.change)
    colour = {"better": "$done", "worse": "$missed"}.get(c.verdict, "$text-muted")
    return f" [{colour}]{markup_line(text)}[/]"


def _badge(row: SkillWeek, when: str) -> str:
    if when in ("future", "unused"):
        return "  "
    if row.signal is not None and row.signal.kind == "mastered":
        return " [b $done]★[/]"
    if when == "past":
        return " [$text-muted]☆[/]"
    return "  "


def week_header(week: WeekView, selected: bool, hold_of: int | None) -> str:
    marker = "[b $accent]▶[/]" if selected else " "
    title = f"Week {week.number}"
    bits = [week.dates]
    if week.when == "current":
        bits.append("[b $accent]this week[/]")
    elif week.when == "unused":
        bits.append("[$text-muted]not reached: the plan ended[/]")
    if week.hold:
        held = f" week {hold_of}" if hold_of else ""
        bits.append(f"[$warning]hold: repeats{held}[/]")
    if week.gate_due:
        bits.append("[b $warning]to review and decide (d)[/]")
    elif week.decision:
        bits.append(DECISION.get(week.decision, markup_line(week.decision)))
    if week.when in ("past", "current"):
        bits.append("[$done]reviewed[/]" if week.review else "[$text-muted]no review[/]")
    style = "b $accent" if week.when == "current" else "b"
    return f"{marker} [{style}]{title}[/]  " + "  ·  ".join(bits)


def skill_row(row: SkillWeek, when: str, cols: Columns) -> str:
    indent = "   " if row.role == "stacked" else " "
    width = cols.title - (2 if row.role == "stacked" else 0)
    title = markup_line(clip(row.skill.title, width))
    if row.role != "stacked":
        title = f"[b]{title}[/b]"
    if row.skill.status == "archived":
        title = f"[$text-muted]{title}[/]"
    return (
        f"{indent}{ROLE.get(row.role, ' ')} {title}  {_marks(row, cols.roomy)}"
        f"{_freq(row, when, cols.freq)} {_value(row, cols)} {_goal(row, cols)}"
        f"{_change(row, cols)}{_badge(row, when)}"
    )


def render_week(week: WeekView, width: int, selected: bool, hold_of: int | None = None) -> str:
    cols = Columns(width)
    lines = [week_header(week, selected, hold_of)]
    for row in week.skills:
        lines.append(skill_row(row, week.when, cols))
    if not week.skills:
        lines.append("   [$text-muted]no skill yet: press e to pick one[/]")
    return "\n".join(lines)


def day_header(today: dt.date, first_weekday: int, width: int) -> str:
    return Columns(width).head(dates.week_days(today, first_weekday))


class WeekBlock(Static):
    """One week of the plan grid."""

    def show(
        self, week: WeekView, width: int, selected: bool, hold_of: int | None = None
    ) -> None:
        self.week_index = week.index
        self.set_class(selected, "-selected")
        self.set_class(week.when == "current", "-current")
        self.set_class(week.when in ("future", "unused"), "-future")
        self.update(render_week(week, width, selected, hold_of))
