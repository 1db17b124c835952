"""``micro-journal goal add | done | list``: micro-goals from scripts and the shell.

Exit status as for every plain command: 0 ok, 1 the journal could not be used,
2 bad input (a deadline that is not one, an unknown goal…) — nothing written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from ..config import Config
from .common import EXIT_JOURNAL, EXIT_OK, CliError, check_day, open_for, out

DEADLINE_FORMS = "today, tomorrow, a weekday (fri), +3d, +1w, +1m or YYYY-MM-DD"


def register(subparsers) -> None:
    p_goal = subparsers.add_parser(
        "goal", help="micro-goals: add one, complete one, list them",
        description="Micro-goals: the next concrete action toward an objective, with a "
                    "deadline and a success metric.",
    )
    p_goal.set_defaults(handler=_usage(p_goal))
    sub = p_goal.add_subparsers(dest="goal_command", metavar="ACTION")

    p_add = sub.add_parser("add", help="add a micro-goal")
    p_add.add_argument("action", metavar="ACTION", help="the next concrete step, in words")
    p_add.add_argument("--deadline", required=True, metavar="WHEN",
                       help=f"when it is due: {DEADLINE_FORMS}")
    p_add.add_argument("--objective", metavar="NAME",
                       help="the objective it serves (created when new; default: the only "
                            "objective, else the objective of today's focus skill)")
    p_add.add_argument("--metric", metavar="TEXT", default="",
                       help="the success metric: how you'll know it's done")
    p_add.add_argument("--estimate", metavar="MINUTES",
                       help="minutes it should take (above 120: consider splitting it)")
    p_add.add_argument("--skill", metavar="SKILL",
                       help="the micro-skill it serves (id prefix or part of the title)")
    p_add.add_argument("--force", action="store_true",
                       help="add it even when the objective already has the same open goal")
    p_add.add_argument("--json", action="store_true", help="print the new goal as JSON")
    p_add.set_defaults(handler=cmd_goal_add)

    p_done = sub.add_parser("done", help="complete a micro-goal")
    p_done.add_argument("goal", metavar="ID_OR_TEXT",
                        help="id prefix (4+ characters) or part of the action")
    p_done.add_argument("--insight", metavar="TEXT",
                        help="what worked, what to adjust (stored with the goal)")
    p_done.set_defaults(handler=cmd_goal_done)

    p_list = sub.add_parser("list", help="list micro-goals (open ones unless told)")
    p_list.add_argument("--status", choices=("open", "done", "dropped", "all"), default="open",
                        help="which goals (default: open)")
    p_list.add_argument("--all", dest="status", action="store_const", const="all",
                        help="every goal, whatever its status")
    p_list.add_argument("--json", action="store_true", help="print JSON instead of text")
    p_list.set_defaults(handler=cmd_goal_list)


def _usage(parser: argparse.ArgumentParser):
    def handler(args: argparse.Namespace, config: Config) -> int:
        raise CliError("say what to do with goals: `goal add`, `goal done` or `goal list` "
                       "(see `micro-journal goal --help`)")
    return handler


# ------------------------------------------------------------------ add


def cmd_goal_add(args: argparse.Namespace, config: Config) -> int:
    from ..domain.clock import Clock, ClockError
    from ..domain.goals import describe_deadline, goal_warnings
    from ..domain.models import Objective, ValidationError
    from ..services import goals as svc
    from ..services.today import find_skill
    from ..store import JournalError

    # check what can be checked before the journal is opened: nothing is written on bad input
    try:
        today = Clock(config.day_start_hour).today()
    except ClockError as err:
        raise CliError(str(err)) from None
    try:
        check_day(svc.check_deadline(args.deadline, today), "--deadline")
        svc.parse_estimate(args.estimate)
    except ValidationError as err:
        raise CliError(f"--{err.field}: {err.message}") from None
    except (ValueError, OverflowError):
        # a day the calendar does not have (year 0), or a step past its end
        raise CliError(f"--deadline: {args.deadline!r} is not a day micro-journal can "
                       f"use; give {DEADLINE_FORMS}") from None
    if not " ".join(args.action.split()):
        raise CliError("the goal needs an action: the next concrete step, in words")
    # an empty "$VAR" in a script must not quietly mean "none" or "the default"
    for option, value in (("--skill", args.skill), ("--objective", args.objective)):
        if value is not None and not value.strip():
            raise CliError(f"{option} is empty; name one, or leave {option} out")
    journal, repo, clock = open_for(args, config, write=True)
    with journal:
        objective = args.objective
        chosen = ""  # how the objective was chosen, when it was not named
        if objective is None:
            found, focus = svc.default_objective(repo, clock.today(), config.first_weekday)
            if found is None:
                objectives = repo.objectives()
                names = ", ".join(repr(o.title) for o in objectives[:6])
                raise CliError(
                    "name the objective with --objective NAME"
                    + (f" (yours: {names}; no skill is in focus today to choose by); a new "
                       "name creates one" if names else " (it is created when new)")
                )
            objective = found.title
            chosen = (f"objective {found.title!r}, today's focus {focus.title!r}" if focus
                      else f"objective {found.title!r}")
        skill_id = None
        try:
            if args.skill is not None:
                skill_id = find_skill(repo, args.skill).id
            draft = svc.GoalDraft(
                action=args.action, objective=objective, deadline=args.deadline,
                success_metric=args.metric or "", estimate=args.estimate or "",
                skill_id=skill_id,
            )
            planned, new_objective = svc.goal_from_draft(repo, draft, clock.today())
        except ValidationError as err:
            raise CliError(f"--{err.field}: {err.message}" if err.field != "action"
                           else err.message) from None
        same = None if new_objective else svc.open_duplicate(repo, planned.action,
                                                              planned.objective_id)
        if same is not None and not args.force:
            held = repo.get(Objective, same.objective_id)
            due = describe_deadline(dt.date.fromisoformat(same.deadline), clock.today())
            raise CliError(
                f"{same.action!r} is already an open micro-goal of "
                f"{held.title if held else objective!r} ({same.id[:8]}, due {due}); "
                "nothing was added — add it again with --force"
            )
        try:
            goal = svc.save_goal(repo, draft, clock.today())
        except JournalError as err:
            raise CliError(str(err), EXIT_JOURNAL) from None
        row = svc.row_of(repo, goal, clock.today())
    if args.json:
        print(json.dumps(row.to_json(), ensure_ascii=False, indent=2))
    else:
        when = describe_deadline(row.deadline, clock.today())
        made = f" (new objective {out(repr(new_objective))})" if new_objective else ""
        how = f" ({out(chosen)})" if chosen else ""
        print(f"added {goal.id[:8]}: {out(goal.action)} — due {when}{made}{how}")
    if same is not None:
        print(f"micro-journal: note: the same goal was already open ({same.id[:8]}); "
              "added a second one as --force asked", file=sys.stderr)
    for warning in goal_warnings(goal):
        print(f"micro-journal: note: {out(warning)}", file=sys.stderr)
    return EXIT_OK


# ------------------------------------------------------------------ done


def cmd_goal_done(args: argparse.Namespace, config: Config) -> int:
    from ..domain.goals import completed_day, objective_progress
    from ..domain.models import Objective, ValidationError
    from ..services import goals as svc
    from ..store import JournalError

    if not args.goal.strip():
        raise CliError("no goal given: name it by an id prefix (4+ characters) or part "
                       "of its action")
    journal, repo, clock = open_for(args, config, write=True)
    with journal:
        try:
            goal = svc.find_goal(repo, args.goal)
        except ValidationError as err:
            raise CliError(err.message) from None
        if goal.status == "done":
            day = completed_day(goal, clock.day_start_hour)
            on = f" on {day.isoformat()}" if day else ""
            if args.insight:
                try:
                    svc.set_insight(repo, goal, args.insight)
                except JournalError as err:
                    raise CliError(str(err), EXIT_JOURNAL) from None
                print(f"already done{on}: {out(goal.action)} (insight saved)")
            else:
                print(f"already done{on}: {out(goal.action)}")
            return EXIT_OK
        if goal.status == "dropped":
            raise CliError(f"{goal.action!r} was dropped; restore it on the Goals screen "
                           "(u) before completing it")
        try:
            with repo.batch():
                saved = svc.complete(repo, goal, svc.completion_stamp(clock))
                if args.insight:
                    saved = svc.set_insight(repo, saved, args.insight)
        except JournalError as err:
            raise CliError(str(err), EXIT_JOURNAL) from None
        objective = repo.get(Objective, saved.objective_id)
        done, total = objective_progress(
            g for g in repo.goals() if g.objective_id == saved.objective_id
        )
    where = f" — {out(objective.title)}: {done}/{total} done" if objective else ""
    print(f"done: {out(saved.action)}{where}")
    return EXIT_OK


# ------------------------------------------------------------------ list


def cmd_goal_list(args: argparse.Namespace, config: Config) -> int:
    from ..domain.goals import late_label
    from ..services import goals as svc

    journal, repo, clock = open_for(args, config, write=False)
    with journal:
        view = svc.build_goals(repo, clock.today(), args.status)
    if args.json:
        print(json.dumps({
            "date": view.today.isoformat(),
            "status": args.status,
            "objectives": [
                {"title": g.title, "done": g.done, "total": g.total} for g in view.groups
            ],
            "goals": [row.to_json() for row in view.rows],
        }, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not view.rows:
        what = "" if args.status == "all" else f"{args.status} "
        print(f"No {what}micro-goals. Add one: micro-journal goal add ACTION --deadline WHEN")
        return EXIT_OK
    mark = {"open": "[ ]", "done": "[x]", "dropped": "[-]"}
    for group in view.groups:
        print(f"{out(group.title)}  ({group.done}/{group.total} done)")
        for row in group.rows:
            goal = row.goal
            if goal.status == "open":
                state = f"{late_label(row.late)}, {goal.deadline}"
                if row.state == "stale":
                    state = f"stale: {state}"
            elif goal.status == "done":
                state = f"done {(goal.completed_at or '')[:10]}".strip()
            else:
                state = "dropped"
            print(f"  {mark[goal.status]} {out(goal.id[:8])}  {out(goal.action)}  "
                  f"({out(state)})")
    return EXIT_OK
