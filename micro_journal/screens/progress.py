"""Progress (``4``): one skill's (or one objective's) weekly measurements, practice
minutes, a year calendar, streaks and consistency — and achievements by week, month
and quarter. Everything is derived from the journal at each refresh, never stored.

This module lays the screen out and keeps what it shows (the view, the skill, the
period); the plots and lines it draws are built in ``progress_charts``."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ..domain import dates
from ..domain import progress as progress_rules
from ..domain.models import MicroSkill
from ..domain.text import markup_line
from ..keymap import PROGRESS_KEYS, bindings
from ..services import progress as svc
from ..store.files import atomic_write, make_folder
from ..widgets.charts import (
    DONE,
    MISSED,
    TWEAK_STYLE,
    Bars,
    Drawing,
    pack,
    tweak_lines,
)
from ..widgets.footer import KeyFooter
from ..widgets.heatmap import LEGEND, PARTIAL_LEGEND, draw_heatmap
from .base import JournalScreen
from .progress_charts import (
    GUTTER,
    PALETTE,
    SERIES_WEEKS,
    change_text,
    chart_weeks,
    consistency_lines,
    history_lines,
    number,
    objective_plot,
    period_name,
    plural,
    short_day,
    skill_plot,
    streak_text,
    unit_suffix,
    week_labels,
)

ROOMY_HEIGHT = 36  # from this height on, taller charts
VIEWS = ("skill", "objective", "achievements")
KIND_NAMES = {"week": "Week", "month": "Month", "quarter": "Quarter"}


def position(ids: list[str], shown: str | None) -> int:
    """Where the skill or objective shown is among ``ids`` (``_pick`` keeps it there;
    the first when it is not)."""
    return ids.index(shown) if shown is not None and shown in ids else 0


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
        self.period: progress_rules.AnyPeriod | None = None
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
        app = self.journal_app
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
            self.objective_id = ids[(position(ids, self.objective_id) + step) % len(ids)]
            first = next(s for s in data.skills if s.objective_id == self.objective_id)
            self.skill_id = first.id
        else:
            ids = [s.id for s in data.skills]
            if len(ids) < 2:
                self.notify("There is only one skill to chart.", timeout=3)
                return
            self.skill_id = ids[(position(ids, self.skill_id) + step) % len(ids)]
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
        kinds = progress_rules.PERIOD_KINDS
        self.kind = kinds[(kinds.index(self.kind) + 1) % len(kinds)]
        assert self.period is not None
        self.period = progress_rules.as_kind(self.period, self.kind, self.data.today,
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
            name = svc.picture_name(folder, self.subject_title, self.journal_app.clock.today())
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
            where = f"skill {position(ids, self.skill_id) + 1} of {len(ids)}  ←/→"
        elif self.view == "objective":
            ids = [o.id for o in data.objectives_shown()]
            where = f"objective {position(ids, self.objective_id) + 1} of {len(ids)}  ←/→"
        else:
            where = f"t: {KIND_NAMES[self.kind].lower()}s  ←/→ earlier/later"
        self.query_one("#progress-tabs", Static).update(
            "".join(tabs) + f"   [$text-muted]{where}[/]"
        )
        title = self.subject_title if self.view != "achievements" else (
            self.period.label if self.period else "")
        demo = "  ·  [$warning]demo journal[/]" if self.journal_app.demo else ""
        self.query_one("#topbar", Static).update(
            f"[b]Progress[/b]  {markup_line(title)}{demo}"
        )

    @property
    def roomy(self) -> bool:
        return self.size.height >= ROOMY_HEIGHT

    # ---- one skill
    def _draw_skill(self, sp: svc.SkillProgress) -> None:
        skill, metric = sp.skill, sp.metric
        unit = unit_suffix(metric)
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
                f" ({plural(latest.count, 'check-in')})" if latest.count else "")
            facts.append(f"[b]{number(latest.value)}{markup_line(unit)}[/b] {when}{how}")
        if sp.change is not None:
            facts.append(change_text(sp.change, metric))
        if facts:
            lines.append("  ·  ".join(facts))
        lines.append(f"{streak_text(sp.streaks)}  ·  "
                     f"{sp.week.done}/{sp.week.target} days practised this week")
        self.query_one("#pg-head", Static).update("\n".join(lines))
        self._draw_note(sp)
        self.query_one("#pg-chart-title", Static).update(
            "Weekly measurement" + (f" — {markup_line(metric.name)}" if metric.name else "")
        )
        data = self.data
        assert data is not None
        first_week = data.first_week(sp.index)
        chart = self.query_one("#pg-chart", Drawing)
        chart.show(lambda width: skill_plot(sp, data, width, first_week,
                                            roomy=self.roomy).draw(width))
        legend = ["[b $accent]●[/] weekly measurement", "[$primary]•[/] daily value"]
        if metric.target is not None:
            legend.append(f"[$done]──[/] target {number(metric.target)}")
        if metric.baseline is not None:
            legend.append(f"[$text-muted]┄┄[/] baseline {number(metric.baseline)}")
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

    def _draw_note(self, sp: svc.SkillProgress) -> None:
        note = self.query_one("#pg-note", Static)
        text = None
        latest = sp.latest
        if sp.plateau is not None:
            text = f"[b $warning]⚠ {markup_line(sp.plateau.message)}[/]"
        elif latest is not None and latest.value is not None and sp.metric.at_target(latest.value):
            unit = markup_line(unit_suffix(sp.metric))
            text = f"[b {DONE}]★ At target: {number(latest.value)}{unit}.[/]"
        elif not sp.index.states:
            text = ("[$warning]No check-ins for this skill yet: check in on Today (1) — "
                    "enter logs minutes and a value.[/]")
        note.display = text is not None
        if text:
            note.update(text)

    # ---- practice, calendar, consistency (shared by skill and objective)
    def _draw_practice(self, index: progress_rules.DayIndex, until: dt.date | None,
                       totals: progress_rules.Totals,
                       first_week: dt.date, target: int) -> None:
        data = self.data
        assert data is not None
        bars = self.query_one("#pg-bars", Drawing)

        def draw_bars(width: int) -> list[str]:
            weeks = chart_weeks(data, width, first_week)
            start = progress_rules.week_starts(data.today, weeks, data.first_weekday)[0]
            days = progress_rules.minutes_per_day(
                index, start, start + dt.timedelta(days=7 * weeks - 1),
                                     data.today, until)
            return Bars(
                [d.minutes for d in days], [d.mark for d in days],
                height=5 if self.roomy else 3, gutter=GUTTER,
                week_labels=week_labels(start, weeks),
            ).draw(width)

        bars.show(draw_bars)
        self.query_one("#pg-bars-title", Static).update("Practice minutes per day")
        avg = f" · {totals.average:.1f} min a practice day" if totals.days else ""
        since = f" since {short_day(totals.first)} {totals.first.year}" if totals.first else ""
        self.query_one("#pg-totals", Static).update(
            f"[b]{totals.minutes} min[/b] practised on [b]{plural(totals.days, 'day')}[/b]"
            f"{since}{avg} · {plural(totals.rest_days, 'rest day')}   "
            f"[{DONE}]█[/] minutes  [$skipped]–[/] rest day  [{MISSED}]✗[/] missed"
        )
        heat = progress_rules.heatmap(index, data.today, data.first_weekday, until)
        self.query_one("#pg-heatmap", Drawing).show(lambda width: draw_heatmap(heat, width))
        partial = any(c.mark == "done" and c.level < 0.999 for col in heat.columns for c in col)
        counts = heat.counts()
        self.query_one("#pg-heat-legend", Static).update(
            LEGEND + (PARTIAL_LEGEND if partial else "")
            + f"   [$text-muted]last 12 months: {counts['done']} practised, "
            f"{counts['skipped']} rest, {counts['missed']} missed[/]"
        )
        weekly = progress_rules.weekly_consistency(
            index, data.today, target, data.first_weekday, until, 12)
        monthly = progress_rules.monthly_consistency(index, data.today, target, until, 12)
        self.query_one("#pg-consistency", Drawing).show(
            lambda width: consistency_lines(weekly, monthly, target, width)
        )

    # ---- a whole objective
    def _draw_objective(self, op: svc.ObjectiveProgress) -> None:
        lines = [f"[b]{markup_line(op.objective.title)}[/b]  [$text-muted]"
                 f"{plural(len(op.skills), 'skill')} · progress from baseline (0%) to "
                 "target (100%), up is better for every skill[/]"]
        facts = [streak_text(op.streaks) + " [$text-muted](days any skill was "
                 "practised)[/]"]
        for sp in op.skills:
            if sp.change is not None:
                title = sp.skill.title if len(sp.skill.title) <= 32 else (
                    sp.skill.title[:31].rstrip() + "…")
                facts.append(f"{markup_line(title)}: " + change_text(sp.change, sp.metric))
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
            lambda width: objective_plot(op, data, width, first_week, roomy=self.roomy).draw(width)
        )
        legend = []
        missing = []
        for n, sp in enumerate(op.skills):
            glyph, style = PALETTE[n % len(PALETTE)]
            if progress_rules.progress_ratio(sp.metric, sp.metric.target) is None:
                missing.append(sp.skill.title)
                continue
            latest = sp.latest
            ratio = progress_rules.progress_ratio(sp.metric, latest.value) if latest else None
            now = f" {round(100 * ratio)}%" if ratio is not None else ""
            legend.append(f"[{style}]{glyph}[/] {markup_line(sp.skill.title)}{now}")
        text = "\n".join(legend)
        if missing:
            text += (f"\n[$text-muted]not charted (no baseline and target): "
                     f"{markup_line(', '.join(missing))}[/]")
        self.query_one("#pg-chart-legend", Static).update(text)
        self._draw_practice(op.index, op.until, op.totals, first_week, op.target)

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
        prev_name = period_name(prev)

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
                 f"[$text-muted]({plural(now.checkins, 'check-in')}, "
                 f"{plural(now.skills_practised, 'skill')})[/]",
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
            lambda width: history_lines(history, period, width)
        )
        lists = []
        if now.mastered:
            lists.append("[b]Skills mastered[/b]")
            lists += [f"  [b $done]★[/] {markup_line(m.skill.title)}  "
                      f"[$text-muted]{short_day(m.day)}[/]" for m in now.mastered]
        if now.goals_done:
            lists.append("[b]Micro-goals done[/b]")
            for goal, day in now.goals_done:
                insight = (f"\n      [$text-muted]“{markup_line(goal.insight.strip())}”[/]"
                           if goal.insight.strip() else "")
                lists.append(f"  [$done]✔[/] {markup_line(goal.action)}  "
                             f"[$text-muted]{short_day(day)}[/]{insight}")
        widget = self.query_one("#ach-lists", Static)
        widget.display = bool(lists)
        widget.update("\n".join(lists))
