"""The 12-month calendar heatmap, GitHub-style: a column a week, a row a weekday.

Each day has a glyph as well as a theme colour, so it reads without colour too:
``■`` practised (``▪`` when only some of an objective's skills were), ``–`` rest day,
``✗`` missed, ``·`` not tracked, blank for days to come.
"""

from __future__ import annotations

from ..domain import dates
from ..domain.progress import Heatmap
from .charts import DONE, MISSED, MUTED, REST, join_styled

GLYPHS = {
    "done": ("■", DONE),
    "partial": ("▪", f"{DONE} 70%"),
    "skipped": ("–", REST),
    "missed": ("✗", MISSED),
    "none": ("·", f"{MUTED} 50%"),
    "future": (" ", ""),
}
LEGEND = (
    f"[{DONE}]■[/] practised  [{REST}]–[/] rest day  [{MISSED}]✗[/] missed  "
    f"[{MUTED}]·[/] not tracked"
)
PARTIAL_LEGEND = f"  [{DONE} 70%]▪[/] some skills"
LABEL_WIDTH = 4


def glyph(mark: str, level: float) -> tuple[str, str]:
    if mark == "done" and level < 0.999:
        return GLYPHS["partial"]
    return GLYPHS[mark]


def spacing_for(heat: Heatmap, width: int) -> int:
    """1 cell per week on a narrow terminal, 2 (a gap between weeks) when there is room."""
    return 2 if LABEL_WIDTH + 2 * len(heat.columns) <= width else 1


def draw_heatmap(heat: Heatmap, width: int) -> list[str]:
    """Month labels on top, weekday labels on the left, then seven rows of days.

    When the width cannot hold every week, the oldest weeks are left out (the newest
    are the ones people look for).
    """
    columns = heat.columns
    step = spacing_for(heat, width)
    room = max(1, (width - LABEL_WIDTH) // step)
    first = max(0, len(columns) - room)
    columns = columns[first:]
    months = [(c - first, label) for c, label in heat.months if c >= first]
    if first and (not months or months[0][0] > 2):
        months.insert(0, (0, dates.month_short(columns[0][6].day)))
    top = [" "] * (len(columns) * step + 4)
    taken = -1
    for col, label in months:
        x = col * step
        if x <= taken:
            continue
        top[x: x + len(label)] = list(label)
        taken = x + len(label)
    lines = [f"[{MUTED}]{' ' * LABEL_WIDTH}{''.join(top).rstrip()}[/]"]
    for row in range(7):
        day = columns[0][row].day if columns else None
        name = dates.weekday_abbr(day) if day is not None and (row % 2 == 0 or step == 2) else ""
        parts = []
        for column in columns:
            cell = column[row]
            text, style = glyph(cell.mark, cell.level)
            parts.append((text + " " * (step - 1), style))
        lines.append(f"[{MUTED}]{name.ljust(LABEL_WIDTH)}[/]{join_styled(parts).rstrip()}")
    return lines
