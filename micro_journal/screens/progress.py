"""Progress (``4``): one skill's (or one objective's) weekly measurements, practice
minutes, a year calendar, streaks and consistency — and achievements by week, month
and quarter. Everything is derived from the journal at each refresh, never stored."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ..domain import dates
from ..domain import progress as P
from ..domain.models import MicroSkill
from ..domain.text import markup_line
from ..keymap import PROGRESS_KEYS, bindings
from ..services import progress as svc
from ..store.files import atomic_write, make_folder
from ..widgets.charts import (
    DONE,
    MISSED,
    MUTED,
    TWEAK_STYLE,
    Bars,
    Drawing,
    Mark,
    Plot,
    RefLine,
    Series,
    join_styled,
    pack,
    percent,
    ratio_style,
    sparkline,
    tweak_lines,
)
from ..widgets.footer import KeyFooter
from ..widgets.heatmap import LEGEND, PARTIAL_LEGEND, draw_heatmap
from .base import JournalScreen

ROOMY_HEIGHT = 36  # from this height on, taller charts
SERIES_WEEKS = 30  # weekly points computed per refresh; the chart shows what fits
GUTTER = 5  # the charts' y-axis labels, so the minutes line up under the measurements
PALETTE = [("●", "b $accent"), ("◆", "b $primary"), ("▲", "b $secondary"),
           ("▼", "b $success"), ("★", "b $warning")]
VIEWS = ("skill", "objective", "achievements")
KIND_NAMES = {"week": "Week", "month": "Month", "quarter": "Quarter"}
HBAR = " ▏▎▍▌▋▊▉█"


def _unit(metric, value: float | None = None) -> str:
    return f" {metric.unit}" if metric.unit else ""


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _day(day: dt.date) -> str:
    return dates.day_short(day)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class ProgressScreen(JournalScreen):
    CSS_PATH = "../styles/progress.tcss"
    KEYS = PROGRESS_KEYS
    BINDINGS = bindings(PROGRESS_KEYS)

    def __init__(self) -> None:
        super().__init__(name="progress")
        self.data: svc.ProgressData | None = None
        self.view = "skill"
        self.previous_view = "skill"
        self.skill_id: str | None = None
        self.objective_id: str | None = None
        self.kind = "month"
        self.period: P.AnyPeriod | None = None
        self._skill: svc.SkillProgress | None = None
        self._objective: svc.ObjectiveProgress | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield Static(id="banner")
        yield Static(id="progress-tabs")
        with VerticalScroll(id="progress-body"):
            yield Static(id="progress-empty")
            with Vertical(id="progress-charts"):
                yield Static(id="pg-head")
                yield Static(id="pg-note")
                yield Static("Weekly measurement", id="pg-chart-title", classes="pg-section")
                yield Drawing(id="pg-chart")
                yield Static(id="pg-chart-legend", classes="pg-legend")
                yield Drawing(id="pg-tweak", classes="pg-legend")
                yield Static(id="pg-bars-title", classes="pg-section")
                yield Drawing(id="pg-bars")
                yield Static(id="pg-totals", classes="pg-legend")
                yield Static("Last 12 months", id="pg-year-title", classes="pg-section")
                yield Drawing(id="pg-heatmap")
                yield Static(id="pg-heat-legend", classes="pg-legend")
                yield Static("Consistency", classes="pg-section")
                yield Drawing(id="pg-consistency")
            with Vertical(id="progress-achievements"):
                yield Static(id="ach-head")
                yield Static(id="ach-stats")
                yield Static(id="ach-history-title", classes="pg-section")
                yield Drawing(id="ach-history")
                yield Static(id="ach-lists")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_view()

    def on_resize(self) -> None:
        self.set_class(self.size.height >= ROOMY_HEIGHT, "-roomy")
        if self.data is not None and not self.data.empty:
            self._draw()

    # ----------------------------------------------------------------- data
    def draw_view(self) -> None:
        app = self.mj
        today = app.clock.today()
        app.today = today
        self.set_class(self.size.height >= ROOMY_HEIGHT, "-roomy")
        self._draw_banner()
        if app.repo is None:
            self.data = None
            self._show_empty(True)
            return
        self.data = svc.build(
            app.repo, today, app.config.first_weekday, app.config.day_start_hour
        )
        self._pick()
        self._draw()

    def _pick(self) -> None:
        """Keep the skill, objective and period shown, or fall back to the first."""
        data = self.data
        assert data is not None
        if data.empty:
            return
        ids = [s.id for s in data.skills]
        if self.skill_id not in ids:
            focus = next((s.id for s in data.skills if s.id in data.active_ids), ids[0])
            self.skill_id = focus
        skill = self.skill
        objectives = [o.id for o in data.objectives_shown()]
        if self.objective_id not in objectives:
            self.objective_id = skill.objective_id if skill else objectives[0]
        if self.period is None or self.period.kind != self.kind:
            self.period = data.period(self.kind)
        self._skill = data.skill(skill, SERIES_WEEKS) if skill else None
        self._objective = None  # computed when the objective view is shown

    @property
    def objective_progress(self) -> svc.ObjectiveProgress | None:
        data = self.data
        if data is None or self.objective_id is None:
            return None
        if self._objective is None or self._objective.objective.id != self.objective_id:
            objective = data.objective(self.objective_id)
            if objective is not None:
                self._objective = data.objective_view(objective, SERIES_WEEKS)
        return self._objective

    @property
    def skill(self) -> MicroSkill | None:
        if self.data is None:
            return None
        return next((s for s in self.data.skills if s.id == self.skill_id), None)

    @property
    def subject_title(self) -> str:
        if self.view == "achievements" and self.period is not None:
            return f"achievements {self.period.key}"
        if self.view == "objective" and self.objective_progress is not None:
            return self.objective_progress.objective.title
        return self._skill.skill.title if self._skill else "progress"

    # ----------------------------------------------------------------- actions
    def action_step(self, step: int) -> None:
        data = self.data
        if data is None or data.empty:
            return
        if self.view == "achievements":
            assert self.period is not None
            self.period = self.period.shift(step)
        elif self.view == "objective":
            ids = [o.id for o in data.objectives_shown()]
            if len(ids) < 2:
                self.notify("Only one objective has skills to chart.", timeout=3)
                return
            self.objective_id = ids[(ids.index(self.objective_id) + step) % len(ids)]
            first = next(s for s in data.skills if s.objective_id == self.objective_id)
            self.skill_id = first.id
        else:
            ids = [s.id for s in data.skills]
            if len(ids) < 2:
                self.notify("There is only one skill to chart.", timeout=3)
                return
            self.skill_id = ids[(ids.index(self.skill_id) + step) % len(ids)]
            skill = self.skill
            if skill is not None:
                self.objective_id = skill.objective_id
        self._pick()
        self._draw()
        self.query_one("#progress-body").scroll_home(animate=False)

    def action_toggle_objective(self) -> None:
        if self.data is None or self.data.empty:
            return
        if self.view == "objective":
            self.view = "skill"
        else:
            skill = self.skill
            if skill is not None and self.view == "skill":
                self.objective_id = skill.objective_id
            self.view = "objective"
            self._pick()
        self._draw()

    def action_toggle_achievements(self) -> None:
        if self.data is None or self.data.empty:
            return
        if self.view == "achievements":
            self.view = self.previous_view
        else:
            self.previous_view = self.view
            self.view = "achievements"
        self._draw()

    def action_next_kind(self) -> None:
        if self.data is None or self.data.empty:
            return
        kinds = P.KINDS
        self.kind = kinds[(kinds.index(self.kind) + 1) % len(kinds)]
        assert self.period is not None
        self.period = P.as_kind(self.period, self.kind, self.data.today,
                                self.data.first_weekday)
        if self.view != "achievements":
            self.previous_view = self.view
            self.view = "achievements"
        self._draw()

    def action_scroll(self, step: int) -> None:
        body = self.query_one("#progress-body", VerticalScroll)
        body.scroll_relative(y=step * 3, animate=False)

    def action_save_picture(self) -> None:
        folder = svc.pictures_dir()
        try:
            make_folder(folder)  # private, like every file the app writes: 0700 …
            name = svc.picture_name(folder, self.subject_title, self.mj.clock.today())
            path = folder / name
            svg = self.app.export_screenshot()
            atomic_write(path, svg.encode("utf-8"))  # … and 0600
        except OSError as err:
            self.notify(
                f"Could not save the picture in {folder}: {err.strerror or err}. "
                f"Set {svc.PICTURES_ENV} to another folder.",
                title="Picture not saved", severity="error", timeout=12,
            )
            return
        self.notify(f"Saved {path}", title="Picture saved (SVG)", timeout=10)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("step", "toggle_objective", "toggle_achievements", "next_kind"):
            if self.data is None or self.data.empty:
                return False  # nothing to switch between: not offered
            if action == "next_kind" and self.view != "achievements":
                return None
        return True

    # ----------------------------------------------------------------- drawing
    def _draw_banner(self) -> None:
        self.draw_read_only_banner()

    def _show_empty(self, empty: bool) -> None:
        self.query_one("#progress-empty").display = empty
        self.query_one("#progress-tabs").display = not empty
        if empty:
            self.query_one("#progress-charts").display = False
            self.query_one("#progress-achievements").display = False
            self.query_one("#topbar", Static).update("[b]Progress[/b]")
            self.query_one("#progress-empty", Static).update(
                "[b]Nothing to chart yet.[/b]\n\n"
                "Progress turns your check-ins into pictures: the weekly measurement of "
                "each micro-skill against its baseline and target, practice minutes, a "
                "calendar of the last 12 months, streaks, and what each week, month and "
                "quarter achieved.\n\n"
                "  [b]1[/b]  go to Today: [b]n[/b] creates a micro-skill, [b]space[/b] "
                "checks it in, [b]enter[/b] logs minutes and the metric's value\n"
                "  [b]3[/b]  plan a skill a week on the Plan screen\n"
                "  [b]d[/b]  on Today opens the demo journal to see Progress filled in"
            )
        self.refresh_bindings()

    def _draw(self) -> None:
        data = self.data
        if data is None or data.empty:
            self._show_empty(True)
            return
        self._show_empty(False)
        self._draw_tabs()
        charts = self.view in ("skill", "objective")
        self.query_one("#progress-charts").display = charts
        self.query_one("#progress-achievements").display = not charts
        if self.view == "skill" and self._skill is not None:
            self._draw_skill(self._skill)
        elif self.view == "objective" and self.objective_progress is not None:
            self._draw_objective(self.objective_progress)
        else:
            self._draw_achievements()
        self.refresh_bindings()

    def _draw_tabs(self) -> None:
        data = self.data
        assert data is not None
        names = {"skill": "Skill", "objective": "Objective", "achievements": "Achievements"}
        tabs = []
        for view in VIEWS:
            label = names[view]
            if view == self.view:
                tabs.append(f"[b reverse $accent] {label} [/]")
            else:
                tabs.append(f"[$text-muted] {label} [/]")
        if self.view == "skill":
            ids = [s.id for s in data.skills]
            where = f"skill {ids.index(self.skill_id) + 1} of {len(ids)}  ←/→"
        elif self.view == "objective":
            ids = [o.id for o in data.objectives_shown()]
            where = f"objective {ids.index(self.objective_id) + 1} of {len(ids)}  ←/→"
        else:
            where = f"t: {KIND_NAMES[self.kind].lower()}s  ←/→ earlier/later"
        self.query_one("#progress-tabs", Static).update(
            "".join(tabs) + f"   [$text-muted]{where}[/]"
        )
        title = self.subject_title if self.view != "achievements" else (
            self.period.label if self.period else "")
        demo = "  ·  [$warning]demo journal[/]" if self.mj.demo else ""
        self.query_one("#topbar", Static).update(
            f"[b]Progress[/b]  {markup_line(title)}{demo}"
        )

    @property
    def roomy(self) -> bool:
        return self.size.height >= ROOMY_HEIGHT

    def _chart_weeks(self, width: int, first_week: dt.date) -> int:
        """How many weeks the charts show: every week of data, at least 4, as many as fit
        one cell a day."""
        data = self.data
        assert data is not None
        room = max(28, width - GUTTER - 2)
        had = (P.week_starts(data.today, 1, data.first_weekday)[0] - first_week).days // 7 + 1
        weeks = min(room // 7, SERIES_WEEKS, max(4, had))
        per_day = max(1, room // (7 * weeks))  # whole cells a day; then fill the width
        return max(1, min(SERIES_WEEKS, room // (7 * per_day)))

    # ---- one skill
    def _draw_skill(self, sp: svc.SkillProgress) -> None:
        skill, metric = sp.skill, sp.metric
        unit = _unit(metric)
        objective = markup_line(sp.objective.title) if sp.objective else "no objective"
        lines = [f"[b]{markup_line(skill.title)}[/b]  [$text-muted]{objective}[/]"]
        if metric.name:
            better = "lower is better" if metric.direction == "lower" else "higher is better"
            named = f"{metric.name} ({metric.unit})" if metric.unit else metric.name
            lines.append(f"[$text-muted]{markup_line(named)} · {better}[/]")
        latest = sp.latest
        facts = []
        if latest is not None:
            this_week = latest.start == sp.series[-1].start
            when = "this week" if this_week else f"week of {dates.day_month(latest.start)}"
            how = " (review)" if latest.source == "review" else (
                f" ({_plural(latest.count, 'check-in')})" if latest.count else "")
            facts.append(f"[b]{_num(latest.value)}{markup_line(unit)}[/b] {when}{how}")
        if sp.change is not None:
            facts.append(self._change_text(sp.change, metric))
        if facts:
            lines.append("  ·  ".join(facts))
        lines.append(f"{self._streak_text(sp.streaks)}  ·  "
                     f"{sp.week.done}/{sp.week.target} days practised this week")
        self.query_one("#pg-head", Static).update("\n".join(lines))
        self._draw_note(sp)
        self.query_one("#pg-chart-title", Static).update(
            "Weekly measurement" + (f" — {markup_line(metric.name)}" if metric.name else "")
        )
        first_week = self.data.first_week(sp.index) if self.data else sp.series[0].start
        chart = self.query_one("#pg-chart", Drawing)
        chart.show(lambda width: self._skill_plot(sp, width, first_week).draw(width))
        legend = ["[b $accent]●[/] weekly measurement", "[$primary]•[/] daily value"]
        if metric.target is not None:
            legend.append(f"[$done]──[/] target {_num(metric.target)}")
        if metric.baseline is not None:
            legend.append(f"[$text-muted]┄┄[/] baseline {_num(metric.baseline)}")
        if sp.tweaks:
            legend.append(f"[b {TWEAK_STYLE}]▲┊[/] tweak (from the week after)")
        if metric.direction == "lower":
            better = (f"[b]↑ up is better: fewer{markup_line(unit)}[/b] (lower is better, so the "
                      "axis is inverted)")
        else:
            better = "[b]↑ up is better[/b]"
        if not sp.index.values:
            better += "   [$warning]no values logged yet: enter on Today logs one[/]"
        self.query_one("#pg-chart-legend", Static).update(
            "\n".join([*pack(legend, self.size.width - 3), better]))
        tweak, effect = sp.latest_tweak, sp.tweak_effect
        drawing = self.query_one("#pg-tweak", Drawing)
        drawing.display = tweak is not None
        drawing.show(lambda width: tweak_lines(tweak, effect, metric.unit, width)
                     if tweak and effect else [])
        self._draw_practice(sp.index, sp.until, sp.totals, first_week, skill.frequency_target)

    def _skill_plot(self, sp: svc.SkillProgress, width: int, first_week: dt.date) -> Plot:
        weeks = self._chart_weeks(width, first_week)
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
            height=11 if self.roomy else 7, week_labels=self._week_labels(start, weeks),
            min_gutter=GUTTER, marks=marks,
        )

    def _week_labels(self, start: dt.date, weeks: int) -> list[tuple[int, str]]:
        out = []
        for i in range(weeks):
            day = start + dt.timedelta(weeks=i)
            out.append((7 * i, dates.day_month(day)))
        return out

    def _change_text(self, wc: P.WeekChange, metric) -> str:
        c = wc.change
        unit = markup_line(_unit(metric))
        if c.verdict == "same":
            return f"[$text-muted]= same as the week before ({_num(wc.before.value)}{unit})[/]"
        arrow = "▲" if c.verdict == "better" else "▼"
        style = DONE if c.verdict == "better" else MISSED
        sign = "+" if c.delta > 0 else "−"
        return (f"[{style}]{arrow} {sign}{abs(c.delta):g}{unit} {c.verdict}[/] "
                f"than the week before")

    def _streak_text(self, streaks) -> str:
        return (f"[b $streak]streak {_plural(streaks.current, 'day')}[/] "
                f"[$text-muted](best {streaks.best})[/]")

    def _draw_note(self, sp: svc.SkillProgress) -> None:
        note = self.query_one("#pg-note", Static)
        text = None
        latest = sp.latest
        if sp.plateau is not None:
            text = f"[b $warning]⚠ {markup_line(sp.plateau.message)}[/]"
        elif latest is not None and latest.value is not None and sp.metric.at_target(latest.value):
            text = f"[b {DONE}]★ At target: {_num(latest.value)}{markup_line(_unit(sp.metric))}.[/]"
        elif not sp.index.states:
            text = ("[$warning]No check-ins for this skill yet: check in on Today (1) — "
                    "enter logs minutes and a value.[/]")
        note.display = text is not None
        if text:
            note.update(text)

    # ---- practice, calendar, consistency (shared by skill and objective)
    def _draw_practice(self, index: P.DayIndex, until: dt.date | None, totals: P.Totals,
                       first_week: dt.date, target: int) -> None:
        data = self.data
        assert data is not None
        bars = self.query_one("#pg-bars", Drawing)

        def draw_bars(width: int) -> list[str]:
            weeks = self._chart_weeks(width, first_week)
            start = P.week_starts(data.today, weeks, data.first_weekday)[0]
            days = P.minutes_per_day(index, start, start + dt.timedelta(days=7 * weeks - 1),
                                     data.today, until)
            return Bars(
                [d.minutes for d in days], [d.mark for d in days],
                height=5 if self.roomy else 3, gutter=GUTTER,
                week_labels=self._week_labels(start, weeks),
            ).draw(width)

        bars.show(draw_bars)
        self.query_one("#pg-bars-title", Static).update("Practice minutes per day")
        avg = f" · {totals.average:.1f} min a practice day" if totals.days else ""
        since = f" since {_day(totals.first)} {totals.first.year}" if totals.first else ""
        self.query_one("#pg-totals", Static).update(
            f"[b]{totals.minutes} min[/b] practised on [b]{_plural(totals.days, 'day')}[/b]"
            f"{since}{avg} · {_plural(totals.rest_days, 'rest day')}   "
            f"[{DONE}]█[/] minutes  [$skipped]–[/] rest day  [{MISSED}]✗[/] missed"
        )
        heat = P.heatmap(index, data.today, data.first_weekday, until)
        self.query_one("#pg-heatmap", Drawing).show(lambda width: draw_heatmap(heat, width))
        partial = any(c.mark == "done" and c.level < 0.999 for col in heat.columns for c in col)
        counts = heat.counts()
        self.query_one("#pg-heat-legend", Static).update(
            LEGEND + (PARTIAL_LEGEND if partial else "")
            + f"   [$text-muted]last 12 months: {counts['done']} practised, "
            f"{counts['skipped']} rest, {counts['missed']} missed[/]"
        )
        weekly = P.weekly_consistency(index, data.today, target, data.first_weekday, until, 12)
        monthly = P.monthly_consistency(index, data.today, target, until, 12)
        self.query_one("#pg-consistency", Drawing).show(
            lambda width: self._consistency_lines(weekly, monthly, target, width)
        )

    def _consistency_lines(self, weekly: list[P.Consistency], monthly: list[P.Consistency],
                           target: int, width: int) -> list[str]:
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

    # ---- a whole objective
    def _draw_objective(self, op: svc.ObjectiveProgress) -> None:
        lines = [f"[b]{markup_line(op.objective.title)}[/b]  [$text-muted]"
                 f"{_plural(len(op.skills), 'skill')} · progress from baseline (0%) to "
                 "target (100%), up is better for every skill[/]"]
        facts = [self._streak_text(op.streaks) + " [$text-muted](days any skill was "
                 "practised)[/]"]
        for sp in op.skills:
            if sp.change is not None:
                title = sp.skill.title if len(sp.skill.title) <= 32 else (
                    sp.skill.title[:31].rstrip() + "…")
                facts.append(f"{markup_line(title)}: " + self._change_text(sp.change, sp.metric))
        lines.append("  ·  ".join(facts[:1]))
        lines += [f"  {f}" for f in facts[1:]]
        self.query_one("#pg-head", Static).update("\n".join(lines))
        plateaus = [sp for sp in op.skills if sp.plateau is not None]
        note = self.query_one("#pg-note", Static)
        note.display = bool(plateaus)
        if plateaus:
            note.update("\n".join(
                f"[b $warning]⚠ {markup_line(sp.skill.title)}: {markup_line(sp.plateau.message)}[/]"
                for sp in plateaus if sp.plateau
            ))
        self.query_one("#pg-chart-title", Static).update("Progress toward target, per skill")
        self.query_one("#pg-tweak", Drawing).display = False
        data = self.data
        assert data is not None
        first_week = data.first_week(op.index)
        self.query_one("#pg-chart", Drawing).show(
            lambda width: self._objective_plot(op, width, first_week).draw(width)
        )
        legend = []
        missing = []
        for n, sp in enumerate(op.skills):
            glyph, style = PALETTE[n % len(PALETTE)]
            if P.progress_ratio(sp.metric, sp.metric.target) is None:
                missing.append(sp.skill.title)
                continue
            latest = sp.latest
            ratio = P.progress_ratio(sp.metric, latest.value) if latest else None
            now = f" {round(100 * ratio)}%" if ratio is not None else ""
            legend.append(f"[{style}]{glyph}[/] {markup_line(sp.skill.title)}{now}")
        text = "\n".join(legend)
        if missing:
            text += (f"\n[$text-muted]not charted (no baseline and target): "
                     f"{markup_line(', '.join(missing))}[/]")
        self.query_one("#pg-chart-legend", Static).update(text)
        self._draw_practice(op.index, op.until, op.totals, first_week, op.target)

    def _objective_plot(self, op: svc.ObjectiveProgress, width: int, first_week: dt.date
                        ) -> Plot:
        weeks = self._chart_weeks(width, first_week)
        start = op.skills[0].series[-weeks].start if op.skills else first_week
        series = []
        for n, sp in enumerate(op.skills):
            glyph, style = PALETTE[n % len(PALETTE)]
            points = []
            for p in sp.series[-weeks:]:
                ratio = P.progress_ratio(sp.metric, p.value)
                if ratio is not None:
                    points.append(((p.start - start).days + 3, round(100 * ratio, 1)))
            series.append(Series(sp.skill.title, points, style=style, marker=glyph))
        return Plot(
            start=start, days=7 * weeks, series=series,
            refs=[RefLine("baseline", 0, "┄", MUTED), RefLine("target", 100, "─", DONE)],
            height=11 if self.roomy else 7, week_labels=self._week_labels(start, weeks),
            fixed=(0, 100), suffix="%", min_gutter=GUTTER,
        )

    # ---- achievements
    def _draw_achievements(self) -> None:
        data = self.data
        assert data is not None and self.period is not None
        period = self.period
        now = data.achievements(period)
        before = data.achievements(period.shift(-1))
        future = period.start > data.today
        when = (f"this {self.kind}, so far") if period.contains(data.today) else (
            "to come" if future else "")
        self.query_one("#ach-head", Static).update(
            f"[b]{markup_line(period.label)}[/b]  [$text-muted]{when}[/]"
        )
        prev = before.period
        prev_name = self._short(prev)

        def delta(a: int, b: int, unit: str = "") -> str:
            if period.contains(data.today):  # still going: no verdict against a whole one
                return f"[$text-muted]{prev_name}: {b}{unit}[/]"
            if a == b:
                return f"[$text-muted]= {prev_name}[/]"
            style = DONE if a > b else "$text-muted"
            return f"[{style}]{'+' if a > b else '−'}{abs(a - b)}{unit} vs {prev_name}[/]"

        if future:
            stats = "[$text-muted]This period has not started yet: ← goes back.[/]"
        elif now.empty:
            stats = (f"[$text-muted]Nothing recorded in {markup_line(period.label)}. Check in on "
                     "Today (1); done micro-goals (5) count here too.[/]")
        else:
            rows = [
                (f"[b $done]{now.minutes}[/] min practised", delta(now.minutes, before.minutes,
                                                                   " min")),
                (f"[b $done]{now.days}[/] {'day' if now.days == 1 else 'days'} practised "
                 f"[$text-muted]({_plural(now.checkins, 'check-in')}, "
                 f"{_plural(now.skills_practised, 'skill')})[/]",
                 delta(now.days, before.days)),
                (f"[b $streak]{now.best_streak}[/] best streak (days in a row)",
                 delta(now.best_streak, before.best_streak)),
                (f"[b $accent]{len(now.goals_done)}[/] micro-goals done",
                 delta(len(now.goals_done), len(before.goals_done))),
                (f"[b $accent]{len(now.mastered)}[/] skills mastered",
                 delta(len(now.mastered), len(before.mastered))),
            ]
            stats = "\n".join(f"  {a}   {b}" for a, b in rows)
        self.query_one("#ach-stats", Static).update(stats)
        history = data.history(period, 8)
        while len(history) > 3 and history[0].empty and history[0].minutes == 0:
            history = history[1:]  # months before the journal began say nothing
        self.query_one("#ach-history-title", Static).update(
            f"Minutes and days practised, last {len(history)} {self.kind}s"
        )
        self.query_one("#ach-history", Drawing).show(
            lambda width: self._history_lines(history, period, width)
        )
        lists = []
        if now.mastered:
            lists.append("[b]Skills mastered[/b]")
            lists += [f"  [b $done]★[/] {markup_line(m.skill.title)}  [$text-muted]{_day(m.day)}[/]"
                      for m in now.mastered]
        if now.goals_done:
            lists.append("[b]Micro-goals done[/b]")
            for goal, day in now.goals_done:
                insight = (f"\n      [$text-muted]“{markup_line(goal.insight.strip())}”[/]"
                           if goal.insight.strip() else "")
                lists.append(f"  [$done]✔[/] {markup_line(goal.action)}  "
                             f"[$text-muted]{_day(day)}[/]{insight}")
        widget = self.query_one("#ach-lists", Static)
        widget.display = bool(lists)
        widget.update("\n".join(lists))

    def _short(self, period: P.AnyPeriod) -> str:
        if period.kind == "week":
            return f"wk of {dates.day_month(period.start)}"
        if period.kind == "month":
            return dates.month_short(period.start, year=True)
        return f"Q{period.index} {period.year}"  # type: ignore[union-attr]

    def _history_lines(self, history: list[P.Achievements], period: P.AnyPeriod,
                       width: int) -> list[str]:
        labels = [self._short(a.period) for a in history]
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
            text = f"{a.minutes} min · {_plural(a.days, 'day')}"
            head = f"[b]{markup_line(label.ljust(label_w))}[/b]" if selected else markup_line(
                label.ljust(label_w))
            lines.append(f"{mark} {head} [{style}]{bar.ljust(bar_w)}[/] [$text-muted]{text}[/]")
        return lines
