"""Today: the focus skill, the skills stacked under it, goals due, and the one-key check-in."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from ..domain import dates
from ..domain.text import markup_line
from ..keymap import TODAY_KEYS, bindings
from ..services.today import SkillToday, TodayView, build_today, with_skill_rebuilt
from ..widgets.footer import KeyFooter
from ..widgets.skill import SkillCard, SkillRow, paint
from ..widgets.timer import PracticeTimer, duration_text
from ..widgets.week import WeekGrid
from .base import JournalScreen

# what the toasts of Today ask for, taken back once it is done (see withdraw_notices)
ASKS_TO_CHECK_IN = "Press space to check in today"  # the new-skill form's toast
STOPPED = "Timer stopped after"


class TodayScreen(JournalScreen):
    KEYS = TODAY_KEYS
    BINDINGS = bindings(TODAY_KEYS)

    def __init__(self) -> None:
        super().__init__(name="today")
        self.view: TodayView | None = None
        self.selected_id: str | None = None
        self._focus_id: str | None = None
        self._drawn_day: dt.date | None = None
        # (skill id, minutes) of a timer stopped early: Details offers those minutes
        self._stopped: tuple[str, int] | None = None
        # what the keys' availability (check_action) was last drawn from
        self._keys_state: tuple | None = None
        self._checking_in = False  # a redraw after a check-in: no review to offer
        # the rows in #stacked, in order (removed ones leave it at once, not when Textual
        # has finished removing them)
        self._rows: list[SkillRow] = []

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield Static(id="banner")
        with VerticalScroll(id="today-body", can_focus=False):
            yield Static(id="welcome")
            yield SkillCard(id="focus-card")
            yield Static("Also active today", id="stacked-title", classes="section-title")
            yield Vertical(id="stacked")
            yield Static(id="maintained")
            yield Static("Micro-goals due", id="goals-title", classes="section-title")
            yield Static(id="goals")
            yield Static("This week", id="week-title", classes="section-title roomy")
            yield WeekGrid(id="week", classes="roomy")
        yield PracticeTimer(id="timer")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_view()

    # ----------------------------------------------------------------- drawing
    @property
    def skills(self) -> list[SkillToday]:
        return self.view.skills if self.view else []

    @property
    def selected(self) -> SkillToday | None:
        for s in self.skills:
            if s.skill.id == self.selected_id:
                return s
        return self.skills[0] if self.skills else None

    def draw_view(self) -> None:
        app = self.journal_app
        today = app.clock.today()
        app.today = today
        repo = app.repo
        self._draw_banner()
        if repo is None:
            self.view = None
            paint(self.query_one("#topbar", Static), self._date_line(today, None))
            self._show_sections(welcome=False, skills=False, goals=False)
            self._refresh_keys()
            return
        self.view = build_today(repo, today, app.config.first_weekday)
        ids = [s.skill.id for s in self.skills]
        focus_id = self.view.focus.skill.id if self.view.focus else None
        new_day = today != self._drawn_day
        if focus_id != self._focus_id or new_day:
            # a new focus (stacked at the review) or a new day: space checks in the focus
            self._focus_id, self._drawn_day = focus_id, today
            self.selected_id = focus_id
        if self.selected_id not in ids:
            self.selected_id = ids[0] if ids else None
        paint(self.query_one("#topbar", Static), self._date_line(today, self.view.plan_label))
        if not self.view.skills:
            self._draw_welcome()
            self._show_sections(welcome=True, skills=False, goals=bool(self.view.goals))
        else:
            self._show_sections(welcome=False, skills=True, goals=bool(self.view.goals))
            self._draw_skills()
        self._draw_goals()
        self._draw_week()
        self._refresh_keys()
        if new_day or not self._checking_in:  # a check-in makes no review due
            # a notice, not part of the screen: after the first frame (it loads the plan
            # service and every weekly review — ~25 ms of a ten-year start)
            self.journal_app.after_first_frame(self._offer_review, today)

    def _refresh_keys(self) -> None:
        """Have the footer look at the keys again. After a check-in only when what
        ``check_action`` answers from has changed (a skill to act on, any skill, a
        journal): a check-in changes none of it; the timer's actions refresh its keys."""
        view = self.view
        state = (self.journal_app.repo is not None, self.selected is not None,
                 view is not None and view.has_any_skill)
        if state != self._keys_state or not self._checking_in:
            self._keys_state = state
            self.refresh_bindings()

    ROOMY_HEIGHT = 32

    def on_resize(self) -> None:
        self._draw_week()

    def _draw_week(self) -> None:
        """The week grid uses the room of a tall terminal; at 80×24 it stays out of the way."""
        roomy = self._roomy()
        for selector in ("#week-title", "#week"):  # the .roomy ones (no walk of the DOM)
            self.query_one(selector).display = roomy
        if roomy:
            self.query_one("#week", WeekGrid).show(
                self.skills, self.journal_app.today, self.journal_app.config.first_weekday,
                self.size.width - 4
            )

    def _roomy(self) -> bool:
        return self.size.height >= self.ROOMY_HEIGHT and bool(self.skills)

    def _draw_week_of(self, skill_id: str) -> None:
        """The week grid's row of one skill, as ``_draw_week`` draws it."""
        if not self._roomy():
            return
        index = next(i for i, s in enumerate(self.skills) if s.skill.id == skill_id)
        app = self.journal_app
        self.query_one("#week", WeekGrid).show_skill(
            index, self.skills[index], app.today, app.config.first_weekday, self.size.width - 4)

    def _date_line(self, today: dt.date, plan_label: str | None) -> str:
        day = dates.day_long(today)
        plan = f"  ·  [b]{markup_line(plan_label)}[/b]" if plan_label else ""
        demo = "  ·  [$warning]demo journal[/]" if self.journal_app.demo else ""
        return f"[b]Today[/b]  {day}{plan}{demo}"

    def _draw_banner(self) -> None:
        self.draw_read_only_banner()

    def _show_sections(self, *, welcome: bool, skills: bool, goals: bool) -> None:
        # each set once, to its final value: a change of ``display`` lays the screen out
        self.query_one("#welcome").display = welcome
        for selector in ("#focus-card", "#stacked"):
            self.query_one(selector).display = skills
        self.query_one("#stacked-title").display = skills and bool(
            self.view is not None and self.view.stacked)
        self.query_one("#goals-title").display = goals
        self.query_one("#goals").display = goals

    def _draw_welcome(self) -> None:
        has_skills = bool(self.view and self.view.has_any_skill)
        if has_skills:
            text = (
                "No micro-skill is active today.\n\n"
                "Press [b]n[/b] to create one, or activate a planned skill."
            )
        else:
            text = (
                "[b]Welcome to micro-journal.[/b]\n\n"
                "Pick one tiny, measurable element of a bigger skill, practise it 5–10 "
                "minutes a day, check in here with one key, and stack the next skill on top "
                "each week.\n\n"
                "  [b]n[/b]  create your first objective and micro-skill\n"
                "  [b]d[/b]  open the demo journal (public speaking) to look around first\n"
                "  [b]q[/b]  quit"
            )
        paint(self.query_one("#welcome", Static), text)

    def _draw_skill(self, skill_id: str) -> None:
        """The card or the row of one skill, as ``_draw_skills`` draws it."""
        assert self.view is not None
        focus, selected = self.view.focus, self.selected
        if focus is not None and focus.skill.id == skill_id:
            self.query_one("#focus-card", SkillCard).show(
                focus, self.view.plan_label, selected is focus)
            return
        for row, s in zip(self._rows, self.view.stacked, strict=True):
            if s.skill.id == skill_id:
                row.show(s, selected is s)

    def _draw_skills(self) -> None:
        assert self.view is not None
        focus = self.view.focus
        selected = self.selected
        card = self.query_one("#focus-card", SkillCard)
        if focus is not None:
            card.show(focus, self.view.plan_label, selected is focus)
        container = self.query_one("#stacked", Vertical)
        rows = self._rows
        others = self.view.stacked
        # the rows shown are kept (a row only shows what changed); only the rows a
        # changed number of skills needs are added or taken away
        if len(rows) > len(others):
            container.remove_children(rows[len(others):])
            del rows[len(others):]
        elif len(rows) < len(others):
            added = [SkillRow() for _ in others[len(rows):]]
            container.mount_all(added)
            rows += added
        for row, s in zip(rows, others, strict=True):
            row.show(s, selected is s)
        kept = self.view.maintained
        line = self.query_one("#maintained", Static)
        line.display = bool(kept)
        if kept:
            names = " · ".join(
                f"{markup_line(k.skill.title)} {k.week.done}/{k.week.target}" for k in kept
            )
            paint(line, f"[$text-muted]✔ In maintenance, done for this week: {names}[/]")

    def _draw_goals(self) -> None:
        if not self.view or not self.view.goals:
            return
        lines = []
        for g in self.view.goals:
            if g.overdue:
                when = f"[$error]{dates.late_phrase(g.days_late)}[/]"
            else:
                when = "[$warning]due today[/]"
            objective = (f" [$text-muted]· {markup_line(g.objective.title)}[/]"
                         if g.objective else "")
            lines.append(f"○ {markup_line(g.goal.action)}  {when}{objective}")
        paint(self.query_one("#goals", Static), "\n".join(lines))

    def _scroll_to_selected(self) -> None:
        selected = self.selected
        if selected is None or self.view is None:
            return
        target: Widget | None
        if selected is self.view.focus:
            target = self.query_one("#focus-card")
        else:
            target = next((r for r in self._rows if r.skill_id == selected.skill.id), None)
        if target is not None:
            self.query_one("#today-body", VerticalScroll).scroll_to_widget(target, animate=False)

    # ----------------------------------------------------------------- keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        has_skill = self.selected is not None
        timer = self.query_one(PracticeTimer)
        if action in ("check_in", "skip", "details", "undo", "move"):
            return has_skill
        if action == "timer":
            return has_skill or timer.running
        if action == "stop_timer":
            return timer.active
        if action == "open_demo":
            return self.view is not None and not self.view.has_any_skill
        if action == "new_skill":
            return self.journal_app.repo is not None
        if action == "weekly_review":
            return self.view is not None and self.view.has_any_skill
        return True

    def action_move(self, step: int) -> None:
        ids = [s.skill.id for s in self.skills]
        if not ids:
            return
        index = ids.index(self.selected_id) if self.selected_id in ids else 0
        self.selected_id = ids[max(0, min(len(ids) - 1, index + step))]
        self._draw_skills()
        self._scroll_to_selected()

    def _record(self, status: str, **fields) -> bool:
        s = self.selected
        if s is None:
            return False
        today = self.journal_app.clock.today()
        before = self._before_change()
        saved = self.write(
            lambda: self.repo.set_checkin(s.skill.id, today, status, **fields),
            what=f"check-in of {s.skill.title}",
        )
        if saved is None:
            return False
        # done: the toasts asking for a check-in go
        self.journal_app.withdraw_notices(ASKS_TO_CHECK_IN, STOPPED)
        if self._stopped and self._stopped[0] == s.skill.id:
            self._stopped = None
        self._redraw_checked_in(s.skill.id, before)
        return True

    def _before_change(self) -> tuple[tuple, int] | None:
        """What the screen depends on, and the journal's version, just before a check-in
        is saved (None without a journal): ``_redraw_checked_in`` compares them."""
        repo = self.journal_app.repo
        return None if repo is None else (self.view_state(), repo.version)

    def _redraw_checked_in(self, skill_id: str, before: tuple[tuple, int] | None) -> None:
        """After a check-in of ``skill_id`` (or its undo); no review is offered.

        When the screen showed the journal as it was just before (nothing changed since
        it was drawn) and the save was the only change since, only that skill is built
        again and drawn — its card or row, and its week row — as the whole screen would
        draw it (``with_skill_rebuilt``; tested against the full drawing). Otherwise, or
        when the change moves the skill, the whole screen is drawn again from the journal,
        where only the widgets whose text changed are repainted."""
        self._checking_in = True
        try:
            repo, view = self.journal_app.repo, self.view
            rebuilt = None
            if (repo is not None and view is not None and before is not None
                    and before[0] == self._drawn_state and repo.version == before[1] + 1
                    and view.date == self.journal_app.clock.today()):
                rebuilt = with_skill_rebuilt(
                    view, repo, skill_id, self.journal_app.config.first_weekday)
            if rebuilt is None:
                self.refresh_view()
                return
            self.view = rebuilt
            self._draw_skill(skill_id)
            self._draw_week_of(skill_id)
            self._drawn_state = self.view_state()
        finally:
            self._checking_in = False

    def action_check_in(self) -> None:
        s = self.selected
        if s is None:
            return
        if self._record("done"):
            after = self.selected
            streak = f" · streak {after.streaks.current}" if after else ""
            self.notify(f"Done: {s.skill.title}{streak}", title="Checked in", timeout=3)

    def action_skip(self) -> None:
        s = self.selected
        if s is not None and self._record("skipped"):
            self.notify(f"Rest day: {s.skill.title}. Your streak is kept.", timeout=3)

    def action_undo(self) -> None:
        s = self.selected
        if s is None:
            return
        if s.checkin is None:
            self.notify("Nothing to undo: this skill has no check-in today.", timeout=3)
            return
        today = self.journal_app.clock.today()
        before = self._before_change()
        removed = self.write(
            lambda: self.repo.remove_checkin(s.skill.id, today), what="undo"
        )
        if removed is not None:
            self._redraw_checked_in(s.skill.id, before)
            self.notify(f"Undone: today's check-in of {s.skill.title}.", timeout=3)

    def action_details(self, minutes: int | None = None) -> None:
        from .checkin_form import CheckInForm

        s = self.selected
        if s is None:
            return
        if minutes is None and self._stopped and self._stopped[0] == s.skill.id:
            minutes = self._stopped[1]  # what the stopped timer counted
        self.journal_app.withdraw_notices(STOPPED)  # its offer is taken

        def saved(result: dict | None) -> None:
            if result is None:
                return
            if self._record(result.pop("status"), **result):
                self.notify(f"Saved: {s.skill.title}", title="Checked in", timeout=3)

        self.app.push_screen(CheckInForm(s, minutes=minutes), saved)

    def action_timer(self) -> None:
        timer = self.query_one(PracticeTimer)
        if timer.active:
            timer.toggle_pause()
        else:
            s = self.selected
            if s is not None:
                self._stopped = None
                self.journal_app.withdraw_notices(STOPPED)
                timer.start(s.skill.id, s.skill.title, s.skill.practice_minutes)
        self.refresh_bindings()

    def action_stop_timer(self) -> None:
        """Stop early: say how long it ran; from a minute on, Details offers the minutes."""
        timer = self.query_one(PracticeTimer)
        if timer.active:
            skill_id = timer.skill_id
            seconds = timer.stop()
            minutes = max(1, round(seconds / 60))
            said = f"{STOPPED} {duration_text(seconds)}."
            if seconds >= 60 and skill_id is not None:  # under a minute: nothing to log
                self._stopped = (skill_id, minutes)
                key = next(k for k in TODAY_KEYS if k.id == "today.details")
                said += (f" Details ({key.label_in(self.journal_app.keymap)}) checks in "
                         f"{minutes} min.")
                self.notify(said, timeout=8)
            else:
                self._stopped = None
                self.notify(said, timeout=3)
        self.refresh_bindings()

    def on_practice_timer_finished(self, event: PracticeTimer.Finished) -> None:
        self.refresh_bindings()
        self.selected_id = event.skill_id
        if self.view is not None and self.view.skills:
            self._draw_skills()  # the skill timed is the one selected, behind the form too
        minutes = f"{event.minutes} minute{'s' if event.minutes != 1 else ''}"
        self.notify(f"{minutes} of practice: well done.", title="Time's up")
        self.action_details(minutes=event.minutes)

    def action_new_skill(self) -> None:
        from .skill_form import NewSkillForm

        self.app.push_screen(NewSkillForm(), self._skill_created)

    def _skill_created(self, skill_id: str | None) -> None:
        if skill_id:
            self.selected_id = skill_id
            self.refresh_view()

    def action_open_demo(self) -> None:
        self.journal_app.switch_to_demo()

    # ----------------------------------------------------------------- micro-goals due
    def action_complete_goal(self) -> None:
        """``g``: complete the goal due (or pick one when several are due)."""
        from .goal_dialogs import DueGoalPicker, complete_goal

        repo = self.journal_app.repo
        goals = self.view.goals if self.view else []
        if repo is None or not goals:
            self.notify("No micro-goal is due today or overdue. 5 shows all your goals.",
                        timeout=4)
            return
        if len(goals) == 1:
            complete_goal(self, goals[0].goal, after=self.refresh_view)
            return
        from ..services.goals import due_goals

        def picked(goal_id: str | None) -> None:
            chosen = next((g.goal for g in goals if g.goal.id == goal_id), None)
            if chosen is not None:
                complete_goal(self, chosen, after=self.refresh_view)

        self.app.push_screen(DueGoalPicker(due_goals(repo, self.journal_app.clock.today())), picked)

    # ----------------------------------------------------------------- weekly review
    def _offer_review(self, today: dt.date) -> None:
        """First open of a new week: say so when last week's plan review is still to do."""
        from ..services.plan import due_reviews

        repo = self.journal_app.repo
        if repo is None:
            return
        for objective, week in due_reviews(repo, today, self.journal_app.config.first_weekday):
            key = (str(self.journal_app.db_path), objective.id, week)
            if key in self.journal_app.reviews_offered:
                continue
            self.journal_app.reviews_offered.add(key)
            days = dates.day_range(week, week + dt.timedelta(days=6))
            self.notify(
                f"The week of {days} is over: time for the weekly review of "
                f"{objective.title}. Press w.",
                title="Weekly review", timeout=12,
            )

    def action_weekly_review(self) -> None:
        from ..services.plan import due_reviews
        from .review import ReviewScreen

        repo = self.journal_app.repo
        if repo is None:
            return
        today = self.journal_app.clock.today()
        due = due_reviews(repo, today, self.journal_app.config.first_weekday)
        selected = self.selected
        objective_id = selected.skill.objective_id if selected else None
        pick = next((d for d in due if d[0].id == objective_id), due[0] if due else None)
        if pick is not None:
            self.app.push_screen(ReviewScreen(pick[0].id, pick[1]), self._reviewed)
            return
        if objective_id is None:
            objectives = repo.objectives()
            if not objectives:
                self.notify("Nothing to review yet: n creates your first micro-skill.",
                            timeout=4)
                return
            objective_id = objectives[0].id
        self.app.push_screen(ReviewScreen(objective_id, today), self._reviewed)

    def _reviewed(self, stacked_id: str | None) -> None:
        """Back from the review: a skill stacked for this week becomes the selection."""
        self.refresh_view()
        if stacked_id and any(s.skill.id == stacked_id for s in self.skills):
            self.selected_id = stacked_id
            self._draw_skills()
