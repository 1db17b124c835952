"""The text area of ``text_fields.py``, on its own: importing Textual's ``TextArea``
takes ~15 ms, which only the screens that edit text pay."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import TextArea

from .text_fields import shown_line


class SafeTextArea(TextArea):
    """A ``TextArea`` that shows control characters as placeholders."""

    def get_line(self, line_index: int) -> Text:
        return Text(shown_line(self.document.get_line(line_index)), end="", no_wrap=True)
