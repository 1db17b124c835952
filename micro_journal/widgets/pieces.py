"""Lines drawn from pieces of text, each a (text, style) pair: Today's card and week grid.

Parsing and styling a line of markup costs about half a millisecond, every time it is
drawn; a piece's style (a style name such as ``$done`` or ``b``, over the widget's own
style) is made once per theme and kept, so a line that changes costs only its segments.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.visual import Style

# a piece of text and its style ("" for the widget's own); a line is a tuple of pieces
Piece = tuple[str, str]
Line = tuple[Piece, ...]


def plain(line: Line) -> str:
    return "".join(text for text, _ in line)


def content(line: Line) -> Content:
    """``line`` as Textual content (to be wrapped as Textual wraps text)."""
    return Content.assemble(*((text, name) if name else text for text, name in line))


class PieceStyles:
    """The styles of a widget's pieces, each made once per widget style (theme)."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, Style], RichStyle] = {}

    def style(self, name: str, base: Style) -> RichStyle:
        """The style ``name`` ($-variables included) over the widget's style ``base``."""
        made = self._made.get((name, base))
        if made is None:
            if len(self._made) > 64:  # themes changed many times: start again
                self._made.clear()
            sample = Content.from_markup(f"[{name}]x[/]") if name else Content("x")
            [segment] = sample.render_segments(base)
            made = self._made[(name, base)] = segment.style or RichStyle()
        return made

    def segments(self, line: Line, base: Style) -> list[Segment]:
        """``line`` on one row, as it is (no wrapping)."""
        return [Segment(text, self.style(name, base)) for text, name in line if text]
