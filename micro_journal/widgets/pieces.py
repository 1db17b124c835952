"""Lines drawn as they are, without Textual's wrapping and measuring.

- Pieces of text, each a (text, style) pair: Today's card and week grid. Parsing and
  styling a line of markup costs about half a millisecond, every time it is drawn; a
  piece's style (a style name such as ``$done`` or ``b``, over the widget's own style)
  is made once per theme and kept, so a line that changes costs only its segments.
- ``TextLines``: rich text already cut to its width, as an option's prompt (the
  Journal's list).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Span, Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.visual import RenderOptions, Style, Visual

if TYPE_CHECKING:
    from textual.widget import Widget

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


class TextLines(Visual):
    """Rich text already cut to the width it is shown at, one row per line (``\n``),
    drawn as it is: no wrapping, and its size known without rendering it.

    An option list measures every option (to know its height) and renders each at its
    width; for Textual's content both mean wrapping the text, about half the cost of the
    Journal's first frame for a list of fifty entries. The prompt still reads as its
    text (``plain``, ``spans``, ``str``)."""

    def __init__(self, text: Text, console: Console) -> None:
        self.text = text
        self._console = console  # the app's: it resolves the text's style names
        self._lines = text.split("\n", allow_blank=True) if "\n" in text.plain else [text]
        self._width = max(line.cell_len for line in self._lines)

    def __str__(self) -> str:
        return self.text.plain

    @property
    def plain(self) -> str:
        return self.text.plain

    @property
    def spans(self) -> list[Span]:
        return self.text.spans

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self._lines)

    @classmethod
    def to_strips(cls, widget: Widget, visual: Visual, width: int, height: int | None,
                  style: Style, *, apply_selection: bool = True, pad: bool = False,
                  post_style: Style | None = None) -> list[Strip]:
        """The strips ``Visual.to_strips`` makes of these lines, without its steps that
        leave them as they are: no text is selected (an option list allows none), no
        segment is a link (the text is the app's own, with no ``@click``), and they are
        aligned left and top. Those steps cost more than drawing the lines (the style
        of links is looked up, through the widget's ancestors, for every option)."""
        if (not isinstance(visual, TextLines) or pad
                or (apply_selection and widget.text_selection is not None)
                or widget.styles.content_align != ("left", "top")):
            return super().to_strips(widget, visual, width, height, style,
                                     apply_selection=apply_selection, pad=pad,
                                     post_style=post_style)
        return visual.render_strips(width, height, style, None)

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions | None) -> list[Strip]:
        console = self._console
        base = style.rich_style
        strips = []
        for line in self._lines[:height]:
            if line.spans:
                segments = line.render(console)
            else:  # rich leaves a text's own style out when it has no spans
                segments = [Segment(line.plain, console.get_style(line.style or "none"))]
            strip = Strip(list(Segment.simplify(Segment.apply_style(segments, base))))
            strips.append(strip.crop(0, width) if strip.cell_length > width else strip)
        return strips
