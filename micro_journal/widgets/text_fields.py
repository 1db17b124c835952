"""Text fields that show user text as it is, never a control code.

Textual's ``TextArea`` and ``Input`` paint their text as it is, so an ESC in an entry or
a goal (an imported or hand-edited journal) would reach the terminal and could, with
``ESC ] 0 ; … BEL``, set its title or hide text. These two paint through the hooks
Textual documents for styling what is shown (``TextArea.get_line``, an ``Input``'s
``highlighter``): every control character but the tab becomes a visible placeholder,
one character for one, so the cursor and the selection still fall on the right
characters. The text itself, and so what is saved, is never changed.

Placeholders take one cell where the control character took none: on a line holding
some, a soft-wrapped row can be that many cells wider than the area (its end is cut
off) and the scroll of a long one-line field can be off by as many cells.

The ``TextArea`` is in ``text_area.py``: Textual's text area takes longer to import than
a screen takes to draw, and the Journal's first visit needs only the search field.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text
from textual.widgets import Input

from ..domain.text import visible


def shown_line(line: str) -> str:
    """``line`` (one line: no line breaks) as painted: tabs kept, every other control
    character a placeholder, one character for one."""
    if line.isprintable():
        return line
    return "\t".join(visible(part) for part in line.split("\t"))


class _ShownValue(Highlighter):
    """Paints an ``Input``'s value with placeholders for its control characters.

    Rich's ``Text`` drops some control characters (BEL, CR…) as it is made, so the
    value is read from the field, not from the text handed in."""

    def __init__(self, field: Input) -> None:
        self.field = field

    def highlight(self, text: Text) -> None:
        value = self.field.value
        if not value.isprintable() and not self.field.password:
            text.plain = shown_line(value)


class SafeInput(Input):
    """An ``Input`` that shows control characters (in its value and its placeholder) as
    placeholders."""

    def __init__(self, value: str | None = None, placeholder: str = "", **kwargs) -> None:
        super().__init__(value, placeholder=visible(placeholder), **kwargs)
        if self.highlighter is None:
            self.highlighter = _ShownValue(self)


def suggestible(texts: list[str]) -> list[str]:
    """The ``texts`` an ``Input`` may offer as completions: Textual paints a suggestion as
    it is, so one holding a control character is left out (it is still typed in full,
    or picked from a list)."""
    return [t for t in texts if t.isprintable()]
