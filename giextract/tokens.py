"""The token stream of the table rebuild: labelled lines as label text, headers and cells.

The first step of :func:`giextract.tables.rebuild`.  Each labelled line gives
tokens: label text (``text``), the rest of a wrapped label (``cont``), column
headers (``header``), a table's title (``title``), a value cell (``value``) or an
empty cell (``empty``).  Prose, headings and page noise give none.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import ClassVar

from .lines import Line
from .memo import keep_line
from .normalize import is_cjk, label_key, split_numbering
from .values import is_value


class LineLabel(str, enum.Enum):
    """The line labels the rebuild acts on (the set is ``giextract/data/line_labels.json``)."""

    BLANK = "blank"
    EMPTY_CELL = "empty_cell"
    TITLE = "title"
    HEADING = "heading"
    PROSE = "prose"
    NOISE = "noise"
    TABLE_TITLE = "table_title"
    HEADER = "header"
    GROUP = "group"
    ROW_LABEL = "row_label"
    VALUE = "value"
    ROW = "row"
    VALUES = "values"
    CONTINUATION = "continuation"


SKIPPED = frozenset(
    {LineLabel.BLANK, LineLabel.NOISE, LineLabel.PROSE, LineLabel.HEADING, LineLabel.TITLE}
)
"""Labels of lines that hold no part of a table."""
_PLAIN: dict[str, str] = {m: m.value for m in LineLabel}
_SKIPPED_PLAIN = frozenset(m.value for m in SKIPPED)
_CONTINUATION = LineLabel.CONTINUATION.value
_TABLE_TITLE = LineLabel.TABLE_TITLE.value
_HEADER = LineLabel.HEADER.value
_EMPTY_CELL = LineLabel.EMPTY_CELL.value
_VALUE = LineLabel.VALUE.value
_VALUES = LineLabel.VALUES.value
_ROW = LineLabel.ROW.value


class TokenKind(str, enum.Enum):
    """What a token is to the rebuild."""

    TEXT = "text"
    CONT = "cont"
    HEADER = "header"
    TITLE = "title"
    VALUE = "value"
    EMPTY = "empty"


#: The kinds as plain names: an enum member's lookup on its class costs more than the
#: comparison it feeds, on the rebuild's path (a few per table cell).
KIND_TEXT, KIND_CONT, KIND_HEADER = TokenKind.TEXT, TokenKind.CONT, TokenKind.HEADER
KIND_TITLE, KIND_VALUE, KIND_EMPTY = TokenKind.TITLE, TokenKind.VALUE, TokenKind.EMPTY


class LightRecord:
    """A record made on a hot path: slots and a plain ``__init__`` (a third of the cost of
    a frozen dataclass).  It is never changed once made; like a frozen dataclass, it
    compares, hashes and prints by its fields, named in ``_FIELDS``."""

    __slots__ = ()
    _FIELDS: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LightRecord) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"{type(self).__name__}({fields})"


class Token(LightRecord):
    """One piece of a table, with the line and cell it came from.

    ``unknown`` marks a value cell whose text is neither a number nor a known blank
    marker (rule :func:`unknown_marker_keeps_its_cell`): it keeps its column and is
    read as null with its raw text.
    """

    __slots__ = ("cell", "kind", "line", "text", "unknown")
    _FIELDS = ("kind", "text", "line", "cell", "unknown")

    def __init__(
        self, kind: TokenKind, text: str, line: Line, cell: int, unknown: bool = False
    ) -> None:
        self.kind = kind
        self.text = text
        self.line = line
        self.cell = cell
        self.unknown = unknown


Shape = tuple[TokenKind, str, int, bool]
"""A token without its line: ``(kind, text, cell, unknown)``."""
_SHAPES: dict[tuple[tuple[str, ...], str, bool], tuple[tuple[Shape, ...], bool]] = {}
""":func:`_line_shapes` by the line's cells, label and whether headers came before it, of
which it is a pure function (so safe to keep): the lines of reports repeat (labels,
headers, rows of zeros); bounded (:func:`giextract.memo.keep_line`)."""


def tokens_of(lines: Sequence[Line], labels: Sequence[str]) -> list[Token]:
    """Turn labelled lines into table tokens; prose, headings and noise are left out."""
    tokens: list[Token] = []
    after_header = False  # a continuation after headers continues a header
    memo = _SHAPES
    for line, label_ in zip(lines, labels, strict=True):
        label = _PLAIN.get(label_, label_)  # plain strings compare fastest
        if label in _SKIPPED_PLAIN:
            continue
        key = (line.cells, label, after_header)
        found = memo.get(key)
        if found is None:
            found = _line_shapes(line.cells, line.text, label, after_header)
            keep_line(memo, key, found, line.text)
        shapes, after_header = found
        tokens += [Token(kind, text, line, cell, unknown) for kind, text, cell, unknown in shapes]
    return tokens


def _line_shapes(
    cells: tuple[str, ...], text: str, label: str, after_header: bool
) -> tuple[tuple[Shape, ...], bool]:
    """The tokens of one line of a table (``text``: its content cells joined), as
    :data:`Shape`, and whether a continuation after it continues a header."""
    if label == _CONTINUATION and continuation_holds_values(cells, after_header):
        label = _ROW
    if label == _CONTINUATION:
        if after_header and numbered_line_ends_header(text):
            after_header = False
        kind = KIND_HEADER if after_header else KIND_CONT
        return tuple((kind, c, i, False) for i, c in enumerate(cells) if c and not is_value(c)), (
            after_header
        )
    if label == _TABLE_TITLE:
        return ((KIND_TITLE, text, 0, False),), False
    if label == _HEADER:
        return tuple((KIND_HEADER, c, i, False) for i, c in enumerate(cells) if c), True
    if label == _EMPTY_CELL:
        return ((KIND_EMPTY, "", 0, False),), after_header
    if label == _VALUE:
        return _cell_tokens(cells, 0, KIND_TEXT, alone=True), after_header
    if label == _VALUES:
        return _cell_tokens(cells, 0, KIND_CONT, label_free=True), False
    start = 0  # group, row_label, row
    while start < len(cells) and not cells[start]:
        start += 1
    return _cell_tokens(cells, start, KIND_TEXT), False


def _cell_tokens(
    cells: tuple[str, ...],
    start: int,
    text_kind: TokenKind,
    alone: bool = False,
    label_free: bool = False,
) -> tuple[Shape, ...]:
    """The tokens of a line's cells from ``start``: values, empties and label text.

    A ``value`` line (``alone``) keeps its empty cells only when it has a single cell;
    ``value`` and ``values`` lines (``label_free``) hold no label of their own.
    """
    out: list[Shape] = []
    seen_value = seen_text = False
    for i in range(start, len(cells)):
        c = cells[i]
        if not c:
            if not alone or len(cells) == 1:
                out.append((KIND_EMPTY, "", i, False))
            continue
        if is_value(c):
            out.append((KIND_VALUE, c, i, False))
            seen_value = True
        elif unknown_marker_keeps_its_cell(c, seen_value, alone or label_free or seen_text):
            out.append((KIND_VALUE, c, i, True))
        else:
            out.append((text_kind, c, i, False))
            seen_text = True
    return tuple(out)


def numbered_line_ends_header(text: str) -> bool:
    """Rule: a continuation line that begins with a numbering ends the header above it.

    A continuation after header lines continues the header, but a numbering
    (``一、``, ``（二）``, ``3.``) begins a row's label, never a header's words.  Repairs
    (pymupdf4llm's picture text of a drawn table, every piece on a line of its own;
    render p035)::

        业 构 织 构 他                  header (the header's last line)
        一、本年新收政府信息公开        continuation -> a label piece, not a header
        170 0 0 0 4 7 181              row          -> requests.new_received
    """
    return bool(split_numbering(label_key(text))[0])


def continuation_holds_values(cells: tuple[str, ...], after_header: bool) -> bool:
    """Rule: a line taken for a label's continuation that prints values after its text is
    a row; read as a continuation, its values would be lost without a word.

    Repairs (pymupdf4llm's pipe row of a group label's last piece beside a row, taken for
    a continuation by a classifier trained without PDF-to-Markdown renders; held-out page
    p008 in the leave-one-tool-out run)::

        ||开|2、其他法律行政法<br>规禁止公开|0|0|0||0|0|0|   continuation -> a row

    Not after a header: a header's words continue there (a year such as 2021 is a value).
    """
    if after_header:
        return False
    seen_text = False
    for c in cells:
        if not c:
            continue
        if is_value(c):
            return seen_text
        seen_text = True
    return False


def unknown_marker_keeps_its_cell(cell: str, after_a_value: bool, label_free: bool) -> bool:
    """Rule: a non-numeric cell among a row's values is an unknown marker, not a label.

    An unknown marker (``N.D.``, ``?``, ``不详`` …) must keep its column, or the
    values after it shift one field to the left.  Repairs::

        规章\\t3\\t?\\t4        ->  [3, None, 4]   (was: "?" a label, the row cut short)
        ?                     ->  None, on a line labelled value
        ?\t0\t0\t…            ->  [None, 0, 0, …], on a line labelled values

    A cell after a value cell of the same line is a marker whatever it holds; a
    cell of a line labelled ``value`` or ``values``, or after the label of its line,
    is one when it has no CJK character (a label always has some) and is not a
    numbering alone (``1.`` split from its words).  The marker is read as null with
    its raw text and an ``unparsed_value`` warning.
    """
    if after_a_value:
        return True
    if not label_free or any(is_cjk(ch) for ch in cell):
        return False
    key = label_key(cell)
    return not (key and split_numbering(key)[0] == key)
