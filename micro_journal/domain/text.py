"""User text shown on one line of a screen or a terminal.

The journal keeps text exactly as typed; what is *shown* never sends a control code to
the terminal: line breaks and tabs become spaces, other control characters visible
placeholders (``␛`` for ESC, ``␡`` for DEL, ``�`` for the C1 codes).
"""

from __future__ import annotations

LINE_BREAKS = "\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029"


def _table(lines: bool) -> dict[int, str]:
    table: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
    table[0x7F] = "\u2421"
    table.update({code: "\ufffd" for code in range(0x80, 0xA0)})
    for ch in LINE_BREAKS:
        table[ord(ch)] = "\n" if lines else " "
    if lines:
        table[ord("\t")] = "\t"
    return table


# str.translate runs in C: a 10 MB entry is shown at once, not after seconds of a loop
_ONE_LINE = _table(lines=False)
_LINES = _table(lines=True)


def visible(text: str, *, lines: bool = False) -> str:
    """``text`` with line breaks as spaces and other control characters as placeholders.

    ``lines``: for text shown on several lines (an entry's body, a command's output):
    newlines and tabs stay, ``\r\n`` becomes ``\n``, other line breaks become newlines."""
    if lines:
        return text.replace("\r\n", "\n").translate(_LINES)
    return text.translate(_ONE_LINE)


def markup_text(text: str) -> str:
    """Plain ``text`` written so that Textual's markup shows it as it is.

    ``textual.markup.escape`` only escapes a ``[`` that looks like a tag, but the parser
    also reads ``[A]`` and ``[$warning]`` as styles and lets an unclosed ``[31m`` swallow
    the rest of the line: here every ``[`` is escaped, and a trailing backslash (which
    would escape the markup after it) is kept apart by a zero-width space.
    """
    out = text.replace("[", "\\[")
    return out + "\u200b" if out.endswith("\\") else out


def markup_line(text: str) -> str:
    """User text for one line of markup: control characters visible, brackets escaped."""
    return markup_text(visible(text))


def markup_lines(text: str) -> str:
    """User text for markup on several lines: newlines and tabs kept, other control
    characters visible, brackets escaped."""
    return markup_text(visible(text, lines=True))


def terminal_text(text: str) -> str:
    """User text printed by a command: newlines and tabs kept, every other control
    character (ESC and its sequences included) shown as a visible placeholder."""
    return visible(text, lines=True)
