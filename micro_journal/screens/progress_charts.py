"""What the Progress screen draws, as functions of its data and a width: the plots of a
skill and of an objective, the consistency and achievement-history lines, and the short
texts its headings are made of (a change, a streak, a number with its unit, a period).

Pure: data in, markup or a ``Plot`` out. ``progress.py`` places them on the screen and
hands the width-dependent ones to its ``Drawing`` widgets, which call them again at
each resize.
"""

from __future__ import annotations

import datetime as dt

from ..domain import dates, rules
from ..domain import progress as progress_rules
from ..domain.models import Metric
from ..domain.text import markup_line
from ..services import progress as svc
from ..widgets.charts import (
    DONE,
    MISSED,
    MUTED,
    Mark,
    Plot,
    RefLine,
    Series,
    join_styled,
    percent,
    ratio_style,
    sparkline,
)

SERIES_WEEKS = 30  # weekly points computed per refresh; the chart shows what fits
GUTTER = 5  # the charts' y-axis labels, so the minutes line up under the measurements
PALETTE = [("●", "b $accent"), ("◆", "b $primary"), ("▲", "b $secondary"),
           ("▼", "b $success"), ("★", "b $warning")]
HBAR = " ▏▎▍▌▋▊▉█"


# ----------------------------------------------------------------- short texts
def unit_suffix(metric: Metric) -> str:
    """`` min``, `` kg``: the metric's unit after a number (nothing without one)."""
    return f" {metric.unit}" if metric.unit else ""


def number(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def short_day(day: dt.date) -> str:
    return dates.day_short(day)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def change_text(wc: progress_rules.WeekChange, metric: Metric) -> str:
    """``▲ +2 min better than the week before`` (or worse, or the same)."""
    c = wc.change
    unit = markup_line(unit_suffix(metric))
    if c.verdict == "same":
        return f"[$text-muted]= same as the week before ({number(wc.before.value)}{unit})[/]"
    arrow = "▲" if c.verdict == "better" else "▼"
    style = DONE if c.verdict == "better" else MISSED
    sign = "+" if c.delta > 0 else "−"
    return (f"[{style}]{arrow} {sign}{abs(c.delta):g}{unit} {c.verdict}[/] "
            f"than the week before")


def streak_text(streaks: rules.Streaks) -> str:
    return (f"[b $streak]streak {plural(streaks.current, 'day')}[/] "
            f"[$text-muted](best {streaks.best})[/]")


def period_name(period: progress_rules.AnyPeriod) -> str:
    """A period in a few cells: ``wk of 2 Nov``, ``Nov 2026``, ``Q4 2026``."""
    if isinstance(period, progress_rules.WeekPeriod):
        return f"wk of {dates.day_month(period.start)}"
    if period.kind == "month":
        return dates.month_short(period.start, year=True)
    return f"Q{period.index} {period.year}"


# ----------------------------------------------------------------- the plots
def chart_weeks(data: svc.ProgressData, width: int, first_week: dt.date) -> int:
    """How many weeks the charts show: every week of data, at least 4, as many as fit
    one cell a day."""
    room = max(28, width - GUTTER - 2)
    this_week = progress_rules.week_starts(data.today, 1, data.first_weekday)[0]
    had = (this_week - first_week).days // 7 + 1
    weeks = min(room // 7, SERIES_WEEKS, max(4, had))
    per_day = max(1, room // (7 * weeks))  # whole cells a day; then fill the width
    return max(1, min(SERIES_WEEKS, room // (7 * per_day)))


def week_labels(start: dt.date, weeks: int) -> list[tuple[int, str]]:
    """``2 Nov`` under the first day of each week, from ``start``."""
    return [(7 * i, dates.day_month(start + dt.timedelta(weeks=i))) for i in range(weeks)]


def skill_plot(sp: svc.SkillProgress, data: svc.ProgressData, width: int,
               first_week: dt.date, *, roomy: bool) -> Plot:
    """One skill's weekly measurements, its daily values, baseline, target and tweaks."""
    weeks = chart_weeks(data, width, first_week)
    shown = sp.series[-weeks:]
    start = shown[0].start
    points = [((p.start - start).days + 3, p.value) for p in shown if p.value is not None]
    end = start + dt.timedelta(days=7 * weeks)
    dots = [((d - start).days, v) for d, v in sp.index.values.items() if start <= d < end]
    metric = sp.metric
    refs = []
    if metric.baseline is not None:
        refs.append(RefLine("baseline", metric.baseline, "┄", MUTED))
    if metric.target is not None:
        refs.append(RefLine("target", metric.target, "─", DONE))
    marks = [Mark((t.applies_from - start).days) for t in sp.tweaks
             if start <= t.applies_from < end]
    return Plot(
        start=start, days=7 * weeks,
        series=[Series(metric.name or "value", points, dots=sorted(dots))],
        refs=refs, invert=metric.direction == "lower",
        height=11 if roomy else 7, week_labels=week_labels(start, weeks),
        min_gutter=GUTTER, marks=marks,
    )


def objective_plot(op: svc.ObjectiveProgress, data: svc.ProgressData, width: int,
                   first_week: dt.date, *, roomy: bool) -> Plot:
    """Each skill of an objective as its progress from baseline (0 %) to target (100 %)."""
    weeks = chart_weeks(data, width, first_week)
    start = op.skills[0].series[-weeks].start if op.skills else first_week
    series = []
    for n, sp in enumerate(op.skills):
        glyph, style = PALETTE[n % len(PALETTE)]
        points = []
        for p in sp.series[-weeks:]:
            ratio = progress_rules.progress_ratio(sp.metric, p.value)
            if ratio is not None:
                points.append(((p.start - start).days + 3, round(100 * ratio, 1)))
        series.append(Series(sp.skill.title, points, style=style, marker=glyph))
    return Plot(
        start=start, days=7 * weeks, series=series,
        refs=[RefLine("baseline", 0, "┄", MUTED), RefLine("target", 100, "─", DONE)],
        height=11 if roomy else 7, week_labels=week_labels(start, weeks),
        fixed=(0, 100), suffix="%", min_gutter=GUTTER,
    )


# ----------------------------------------------------------------- lines
def consistency_lines(weekly: list[progress_rules.Consistency],
                      monthly: list[progress_rules.Consistency],
                      target: int, width: int) -> list[str]:
    """The last 12 weeks as a sparkline and the last 12 months as percentages."""
    lines = []
    spacing = 1 if width >= 8 + 24 + 30 else 0
    this = weekly[-1]
    known = [c for c in weekly if c.ratio is not None]
    overall = (sum(c.done for c in known) / sum(c.expected for c in known)) if known else None
    overall = min(1.0, overall) if overall is not None else None
    week_text = (f"this week {this.done} of {target} · last 12 weeks "
                 f"[{ratio_style(overall)}]{percent(overall)}[/]")
    lines.append(f"[$text-muted]Weeks  [/] {sparkline([c.ratio for c in weekly], spacing)}"
                 + (f"  {week_text}" if width >= 8 + 24 + 44 else ""))
    if width < 8 + 24 + 44:
        lines.append(f"        {week_text}")
    per = 5 if width >= 8 + 60 else 4
    months = "".join(dates.month_short(c.start).rjust(per) for c in monthly)
    values = join_styled([
        (percent(c.ratio).rjust(per), ratio_style(c.ratio)) for c in monthly
    ])
    lines.append(f"[$text-muted]Months  {months}[/]")
    lines.append(f"[$text-muted]        [/]{values}")
    lines.append(f"[$text-muted]done days ÷ the days your {target}-of-7 target asks "
                 "for; rest days excused[/]")
    return lines


def history_lines(history: list[progress_rules.Achievements], period: progress_rules.AnyPeriod,
                  width: int) -> list[str]:
    """Minutes and days practised in each period of ``history``, as bars, ``period``'s
    marked."""
    labels = [period_name(a.period) for a in history]
    label_w = max(len(label) for label in labels)
    top = max((a.minutes for a in history), default=0) or 1
    right = 18
    bar_w = max(6, width - label_w - right - 4)
    lines = []
    for a, label in zip(history, labels, strict=True):
        eighths = round(a.minutes / top * bar_w * 8)
        bar = "█" * (eighths // 8) + (HBAR[eighths % 8] if eighths % 8 else "")
        selected = a.period == period
        style = "$accent" if selected else DONE
        mark = "▶" if selected else " "
        text = f"{a.minutes} min · {plural(a.days, 'day')}"
        head = f"[b]{markup_line(label.ljust(label_w))}[/b]" if selected else markup_line(
            label.ljust(label_w))
        lines.append(f"{mark} {head} [{style}]{bar.ljust(bar_w)}[/] [$text-muted]{text}[/]")
    return lines
