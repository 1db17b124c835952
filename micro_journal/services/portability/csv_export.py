"""The CSV export: the check-ins, one row each, made a few hundred rows at a time."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ...store.repository import Repository
from .common import ALL_DATES, DateRange, Progress, noop, num
from .snapshot import Snapshot, phases

CSV_COLUMNS = ("date", "objective", "skill", "status", "minutes", "value", "note")


def iter_export_csv(
    repo: Repository, *, span: DateRange = ALL_DATES, progress: Progress = noop,
) -> Iterator[str]:
    """The check-ins, one row each: date, objective, skill, status, minutes, value,
    note; 500 rows at a time."""
    reading, writing = phases(progress)
    snap = Snapshot(repo, reading)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    rows = [c for c in snap.checkins if span.contains(c.date)]
    rows.sort(key=lambda c: (
        c.date, snap.objective_title(getattr(snap.objective_of(c.skill_id), "id", None)),
        snap.skill_title(c.skill_id), c.id,
    ))
    for n, c in enumerate(rows, 1):
        objective = snap.objective_of(c.skill_id)
        writer.writerow([
            c.date,
            objective.title if objective else "",
            snap.skill_title(c.skill_id),
            c.status,
            "" if c.minutes is None else str(c.minutes),
            num(c.value),
            c.note,
        ])
        if n % 500 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            writing(n, len(rows))
    yield out.getvalue()
    writing(len(rows), len(rows))
