"""Helpers shared by the format readers: cleaning cell text and emitting lines."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..source import SourceLine

_WS = re.compile(r"\s+")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》]")


def clean(text: str) -> str:
    """Collapse whitespace (``&nbsp;``, ideographic spaces, newlines) to single spaces."""
    return _WS.sub(" ", text.replace("\u200b", "")).strip()


def glued(left: str, right: str) -> bool:
    """Whether ``left`` and ``right`` join without a space: digits, or CJK on either side."""
    a, b = left[-1], right[0]
    if a.isdigit() and b.isdigit():
        return True
    return bool(_CJK.match(a) or _CJK.match(b))


def join_parts(parts: Iterable[str]) -> str:
    """Join the lines of one cell: no space between CJK text or between digits.

    ``["结果", "维持"]`` -> ``"结果维持"``, ``["2", "6"]`` -> ``"26"``, latin words
    keep a space.
    """
    out = ""
    for part in parts:
        part = clean(part)
        if not part:
            continue
        out = part if not out else out + ("" if glued(out, part) else " ") + part
    return out


class LineSink:
    """Collects source lines, numbering them from 1."""

    def __init__(self) -> None:
        self.lines: list[SourceLine] = []

    def text(self, text: str, page: int | None = None) -> None:
        """Add a line of text unless it is blank."""
        text = clean(text)
        if text:
            self.lines.append(SourceLine(len(self.lines) + 1, text, page))

    def row(self, cells: Sequence[str], table: int, row: int, page: int | None = None) -> None:
        """Add a table row as one line of tab-separated cells."""
        self.lines.append(
            SourceLine(len(self.lines) + 1, "\t".join(cells), page, table=table, row=row)
        )
