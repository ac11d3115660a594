"""A reading of the tables in template order, and the choice between readings.

The line reading (:func:`giextract.tables.rebuild`) trusts the classifier's label for
each line.  Text where labels and values are cut apart (``pdftotext -raw`` and
``-layout``, Debian's ``html2text``, which also cuts multi-byte characters) is better
read the way a person pours numbers into the template: the rows come in the
template's order, so each run of values belongs to the row whose label stands before
it, or, when the label is unreadable, to the next row in order.

:func:`read_sequence` does that for each table::

    2.其他法律行政法规        <- label wrapped before its values (-raw)
    禁止公开
    0 0 830 0 3 0 833
    1.信访举报投诉类申        <- a blank vanished: the columns of the full rows
    0         0    0    0    8    (-layout) or the identities place the values
    |___行政�|�___6__|___4_|    <- a label cut by html2text: the template's order decides
    0 / \t\t / 0               <- cells that are paragraphs (innerText): lone tabs
                                  part the cells, a blank one is still there
                                  (:func:`paragraph_cell_blanks`)

:func:`choose` then takes, table by table, the reading the identities of
:mod:`giextract.checks` like best, then the one that guessed fewest rows' columns;
where readings as sure disagree and the identities cannot tell, the field is left
null with an ``ambiguous_value`` warning naming the candidates.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple, TypeVar

from .catalogue import TABLES, RowSpec, Template
from .checks import check_counts
from .joint import joint_layings
from .labels import _label_score, label_tails, table_of_title
from .layout import (
    column_centres,
    header_centres,
    place_scaled,
    place_told,
    spans_at,
    token_spans,
)
from .lines import (
    Line,
    is_number,
    is_page_noise,
    is_placeholder,
    moved_text_repaired,
    pipe_row_read_as_text,
)
from .memo import keep_line
from .normalize import REPORT_WORDS, label_key, normalize_text, split_numbering
from .resolve import (
    ALL_TIED_UP_TO,
    POSITION_GUESS_RULES,
    tied_readings,
    too_many_values,
    vanished_cell,
)
from .tables import CellReading, Rebuilt, RowReading
from .tokens import Token, TokenKind
from .values import parse_value

LOOKAHEAD = 5  # rows ahead of the next expected one that a label may name
MATCH_SCORE = 72.0
NEAREST_FULL_ROWS = 3
FALLBACK_FAILURES = 2
MAX_LAYINGS = 64  # equally good layings of one row tried against the table's identities
_DAMAGE = re.compile(r"[_\s\ufffd]+")
# html2text: a value run into the rest of a label cut at the cell's edge (0范, 451.05收费,
# 531,401.00费)
_VALUE_THEN_TEXT = re.compile(
    r"^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![\d.、．,，])(\D.*)$"
)
_END_OF_TABLES = re.compile(r"^[五六七八九]、")
_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s+")
_PIPE = re.compile(r"[|｜]")
_TOKEN = re.compile(r"\S+")  # as giextract.layout.token_spans splits a line
VANISHED_CELL = vanished_cell.__name__
TOO_MANY_VALUES = too_many_values.__name__


def values_across_text() -> None:
    """A row's values printed in runs parted by other text: the order they come in is
    the text's, which a PDF tool may have changed (a doubt named in the provenance).

    ``pdftotext``'s default mode reorders the blocks of a table (held-out page p056:
    结转下年's ``0 1`` printed for 法律服务机构's 1 and 其他组织's 0; p029: the appeals
    values between pieces of their two-level header)::

        2 / 0 / 2 / 0               <- the row's first values, its label not yet read
        (五)不 / 予处理 / 四、结转下年度继续办理数量
        0 / 1 / 5                   <- the rest, after the text

    A failed identity over such a row is a doubt about the reading, not the report's
    arithmetic, and the trust contract reviews the row where no identity confirms each
    value's column (:mod:`giextract.trust`).  A row whose values are all alike (the
    appeals table's fifteen 0s) reads the same in any order: no doubt.
    """


def placed_by_position() -> None:
    """A row with fewer values than columns, its blanks placed by the values' positions
    (``pdftotext -layout``, lynx, pypdf's layout text: :func:`_positional`).  The
    positions are evidence, not a printed grid: a failed identity over the row is a doubt
    about the placement, not the report's arithmetic (held-out page p050 in pypdf's layout
    text: other_org's 4 run into 总计's 4,373 as ``44,373``, the row read with a blank).
    """


def header_placed_one_way() -> None:
    """A bare line's values placed under a header laid out in two dimensions one way
    only: shifted to fit, or where they stand, not both (:func:`_header_placements`).
    Where the row's values are alike no identity can check where its blank went, so the
    trust contract reviews the row unless an identity confirms each column.  Held-out
    page p053 in pypdf's layout text (the header's columns 3 then 4 apart, and so the
    values: shifted, they fit the first fourteen columns exactly; where they stand, the
    last fourteen, which is right)::

        结果 结果  其他  尚未  总计
        维持 纠正  结果  审结      结果  结果  其他  尚未  总计  结果 …
             0  0   0   0   0   0   0   0   0   0   0   0   0   0
    """


VALUES_ACROSS_TEXT = values_across_text.__name__
PLACED_BY_POSITION = placed_by_position.__name__
HEADER_PLACED_ONE_WAY = header_placed_one_way.__name__
ORDER_DOUBT_RULES = frozenset({VALUES_ACROSS_TEXT, PLACED_BY_POSITION, HEADER_PLACED_ONE_WAY})
"""Rules of the template-order reading that name a doubt about the order of a row's values."""


class Piece(NamedTuple):
    """One token of a table line: ``text``, ``value`` or ``empty`` (a drawn blank cell),
    with its display-column centre when the line keeps its layout (a light record: a
    long table makes thousands)."""

    kind: str
    text: str
    line: Line
    cell: int
    col: float | None = None


@dataclass
class Segment:
    """A line's values, the label text before them on the line, and the text after."""

    label: str
    values: list[Piece]
    line: Line


@dataclass
class _Open:
    row: RowSpec
    label: list[str]
    label_lines: list[int]
    values: list[Piece] = field(default_factory=list)
    by_header: list[list[int]] = field(default_factory=list)  # _header_placements
    header_one_way: bool = False  # header_placed_one_way
    label_after: int | None = None  # values_before_their_label: where the labelled ones begin
    across_text: bool = False  # values_across_text: text printed between its values


@lru_cache(maxsize=8192)
def _is_value_text(tok: str, alone: bool) -> bool:
    """Whether a token is a value (cached: a pure function of its arguments, and tables
    repeat their tokens, 0 above all)."""
    t = normalize_text(tok)
    if is_number(t):
        return True
    # A lone placeholder on a line may be a vertical label's character (无 of 无法提供).
    return is_placeholder(t) and (t != "无" or not alone)


_PIECES: dict[int, tuple[Line, tuple[Piece, ...]]] | None = None
"""The memo of :func:`pieces_of` while :func:`read_sequence` reads a document, by the
line's identity (an entry holds its line, so the id cannot be reused meanwhile)."""


def pieces_of(line: Line) -> Sequence[Piece]:
    """The tokens of one source line (:func:`_pieces_of`), made once per line while
    :func:`read_sequence` runs."""
    memo = _PIECES
    if memo is None:
        return _pieces_on(line)
    hit = memo.get(id(line))
    if hit is None or hit[0] is not line:
        hit = memo[id(line)] = (line, _pieces_on(line))
    return hit[1]


LineKey = tuple[str, str, tuple[str, ...]]
"""A line by what its pieces and text are a pure function of: raw text, separator, cells."""
Shape = tuple[tuple[str, str, int, float | None], ...]
"""A line's pieces without the line: ``(kind, text, cell, col)`` each."""
_SHAPES: dict[LineKey, Shape] = {}
"""The :data:`Shape` of :func:`_pieces_of` by the line's raw text, separator and cells, of
which it is a pure function (so safe to keep): lines repeat across reports, their
tokenising and display columns need not; bounded (:func:`giextract.memo.keep_line`)."""
_new_piece = tuple.__new__


_V = TypeVar("_V")


def _keep(memo: dict[LineKey, _V], key: LineKey, value: _V) -> None:
    """Keep a per-line result in a bounded memo (:func:`giextract.memo.keep_line`; the
    key's first part is the line's raw text)."""
    keep_line(memo, key, value, key[0])


def _pieces_on(line: Line) -> tuple[Piece, ...]:
    """:func:`_pieces_of`, its shape made once per distinct line (:data:`_SHAPES`)."""
    key = (line.raw, line.sep, line.cells)
    shape = _SHAPES.get(key)
    if shape is None:
        shape = tuple((p.kind, p.text, p.cell, p.col) for p in _pieces_of(line))
        _keep(_SHAPES, key, shape)
    return tuple(
        [_new_piece(Piece, (kind, text, line, cell, col)) for kind, text, cell, col in shape]
    )


def _pieces_of(line: Line) -> list[Piece]:
    """The tokens of one source line.

    Pipe rows (html2text's ``|__9_|``) split on pipes, underscores and U+FFFD being the
    tool's padding and damage, an empty cell a blank; other lines split on spaces, each
    token with its display-column centre.
    """
    raw = line.raw
    if _no_pieces(line):
        return []
    if line.sep in ("tab", "grid") or _pipes_not_columns(line):
        return _cell_pieces(line)
    if _is_pipe_row(raw):
        return [Piece(kind, text, line, i) for i, kind, text in _pipe_parts(raw)]
    spans = token_spans(raw)
    alone = len(spans) == 1
    return [Piece(*_token_part(t, alone), line, i, c) for i, (t, c) in enumerate(spans)]


def _no_pieces(line: Line) -> bool:
    """A ruling, a page number, or the running header (the report's title, with its year)."""
    return line.sep == "ruling" or _is_furniture(line.raw)


@lru_cache(maxsize=8192)
def _is_furniture(raw: str) -> bool:
    """Whether a line is a ruling, a page number or the running header, by its text
    (cached: a pure function of the text, and lines repeat)."""
    if not raw.strip(" _-=|+:\t") or is_page_noise(raw):
        return True
    return REPORT_WORDS.search(_SPACE.sub("", raw)) is not None


def _is_pipe_row(raw: str) -> bool:
    return "|" in raw or "｜" in raw


def _pipes_not_columns(line: Line) -> bool:
    """A pipe row read as text (:func:`~giextract.lines.pipes_are_not_columns`): its
    cells are its pieces, in order, with no position and no empty cell."""
    return line.sep == "space" and _is_pipe_row(line.raw) and pipe_row_read_as_text(line.raw)


def _pipe_parts(raw: str) -> list[tuple[int, str, str]]:
    """The (cell, kind, text) parts of a pipe row, after the lines' repairs of text moved
    between its cells (:func:`~giextract.lines.moved_text_repaired`)."""
    cells = _PIPE.split(raw)
    if raw.rstrip().endswith(("|", "｜")):
        cells = cells[:-1]
    cells = moved_text_repaired(cells)
    return [
        (i, kind, text) for i, cell in enumerate(cells) for kind, text in _pipe_cell_parts(cell)
    ]


_TEXTS: dict[LineKey, str] = {}
""":func:`_text_of` by the line's raw text, separator and cells (a pure function of them,
as :data:`_SHAPES`), bounded alike."""


def _text_of(line: Line) -> str:
    """The text pieces of a line joined (:func:`_pieces_of` with ``kind == "text"``),
    without making the pieces: :func:`_zones` reads every line without digits for a
    title, and most are never read again.  Made once per distinct line (:data:`_TEXTS`)."""
    key = (line.raw, line.sep, line.cells)
    text = _TEXTS.get(key)
    if text is None:
        text = _text_of_line(line)
        _keep(_TEXTS, key, text)
    return text


def _text_of_line(line: Line) -> str:
    """:func:`_text_of`, made."""
    if _no_pieces(line):
        return ""
    if line.sep in ("tab", "grid") or _pipes_not_columns(line):
        return "".join(c for c in line.cells if c and not _is_value_text(c, False))
    raw = line.raw
    if _is_pipe_row(raw):
        return "".join(text for _, kind, text in _pipe_parts(raw) if kind == "text")
    tokens = _TOKEN.findall(raw)  # the tokens of token_spans
    alone = len(tokens) == 1
    parts = [_token_part(t, alone) for t in tokens]
    return "".join(text for kind, text in parts if kind == "text")


@lru_cache(maxsize=8192)
def _pipe_cell_parts(cell: str) -> tuple[tuple[str, str], ...]:
    """The (kind, text) parts of one cell of a pipe row: ``empty`` when it holds only
    padding and damage (cached: a pure function of the cell, and tables repeat cells)."""
    parts = [q for p in _DAMAGE.split(cell) if p for q in _unglue(p)]
    if not parts:
        return (("empty", ""),)
    return tuple(_token_part(p, False) for p in parts)


@lru_cache(maxsize=8192)
def _token_part(token: str, alone: bool) -> tuple[str, str]:
    """The kind and normalised text of one token (cached: a pure function of its arguments)."""
    return ("value" if _is_value_text(token, alone) else "text"), normalize_text(token)


def _unglue(part: str) -> list[str]:
    """A value glued to label text by html2text's cut (``0范``) as two parts."""
    m = _VALUE_THEN_TEXT.match(part)
    if m is None or (parse_value(m.group(0)).ok and m.group(2) in _UNITS):
        return [part]
    return [m.group(1), m.group(2)]


_UNITS = frozenset(("万元", "亿元", "元", "件", "个", "条", "项", "次", "人次", "宗", "%"))


def _cell_pieces(line: Line) -> list[Piece]:
    out = []
    for i, c in enumerate(line.cells):
        if not c:
            out.append(Piece("empty", "", line, i))
        else:
            out.append(Piece("value" if _is_value_text(c, False) else "text", c, line, i))
    return out


def segment(line: Line) -> tuple[str, Segment | None, str]:
    """Split a line into label text before its values, the values, and text after them.

    Blank cells count as values only from the first cell after the label.  Which pieces
    are which is made once per distinct line (:data:`_SEGMENTS`).
    """
    pieces = pieces_of(line)
    key = (line.raw, line.sep, line.cells)
    shape = _SEGMENTS.get(key)
    if shape is None:
        shape = _segment_shape(pieces)
        _keep(_SEGMENTS, key, shape)
    label, kept, after = shape
    if kept is None:
        return label, None, after
    return label, Segment(label, [pieces[i] for i in kept], line), after


SegmentShape = tuple[str, tuple[int, ...] | None, str]
"""A line's :func:`segment` by its pieces' indices: label, values (None: no value), after."""
_SEGMENTS: dict[LineKey, SegmentShape] = {}
""":func:`_segment_shape` by the line's raw text, separator and cells (a pure function of
them, as :data:`_SHAPES`), bounded alike."""


def _segment_shape(pieces: Sequence[Piece]) -> SegmentShape:
    """:func:`segment` of a line's pieces, the values as the indices of their pieces."""
    first = next((i for i, p in enumerate(pieces) if p.kind == "value"), None)
    if first is None:
        return "".join(p.text for p in pieces if p.kind == "text"), None, ""
    start = max((i for i in range(first) if pieces[i].kind == "text"), default=-1) + 1
    label = "".join(p.text for p in pieces[:start] if p.kind == "text")
    last = max(i for i in range(start, len(pieces)) if pieces[i].kind == "value")
    after = "".join(p.text for p in pieces[last + 1 :] if p.kind == "text")
    values = [i for i in range(start, last + 1) if pieces[i].kind != "text"]
    trailing = [i for i in range(last + 1, len(pieces)) if pieces[i].kind == "empty"]
    return label, tuple(values + trailing), after


def _match(text: str, labels: tuple[str, ...], start: int) -> int | None:
    """The index of the row (from ``start``, a few ahead) that the label text names;
    ``labels`` are the table's rows' labels."""
    ahead = _named(text, labels[start : start + LOOKAHEAD])
    return None if ahead is None else start + ahead


@lru_cache(maxsize=8192)
def _named(text: str, labels: tuple[str, ...]) -> int | None:
    """Which of ``labels`` (the first one expected) the label text names, by index
    (cached: a pure function of its arguments, and reports print the same labels)."""
    key = label_key(text)
    if not key:
        return None
    best, best_score = None, MATCH_SCORE
    tails = label_tails(key)
    for j, label in enumerate(labels):
        target = label_key(label)
        score = max(_label_score(t, target) for t in tails) + (3 if j == 0 else 0)
        if score > best_score:
            best, best_score = j, score
    return best


def _zones(lines: Sequence[Line]) -> dict[str, list[Line]]:
    """The lines of each table, from its title to the next title or the report's 五、.

    The tables come in template order: a zone opened by a later table's title is
    dropped when an earlier table's title follows it.
    """
    zones: dict[str, list[Line]] = {}
    zone: str | None = None
    for line in lines:
        # a title has no digit: the tokens of lines with digits are not needed here
        digits = _DIGIT.search(line.raw)
        text = "" if digits else _text_of(line)
        if text and len(text) <= 40:
            found = table_of_title(text)
            later = TABLES[TABLES.index(found) + 1 :] if found is not None else ()
            if found is not None and (found not in zones or any(t in zones for t in later)):
                # A later table's "title" before this one was prose naming it (…行政复议、
                # 行政诉讼情况等六个部分): the tables come in template order.
                for t in later:
                    zones.pop(t, None)
                zone = found
                zones[zone] = []
                continue
            if _END_OF_TABLES.match(label_key(text)):
                zone = None
        if zone is not None:
            zones[zone].append(line)
    return zones


class _TableReader:
    """Pours the value segments of one table into its rows, in order."""

    def __init__(self, rows: Sequence[RowSpec], labels_first: bool = False) -> None:
        self.rows = list(rows)
        self.labels = tuple(r.label for r in rows)  # for _match, made once
        self.labels_first = labels_first  # :func:`labels_printed_before_values`
        self.moved = False  # where that rule moves (or, not applied, would move) values
        self.next = 0
        self.open: _Open | None = None
        self.done: list[_Open] = []
        self.pending: list[str] = []

    def text(self, text: str) -> None:
        if text:
            self.pending.append(text)

    def values(self, seg: Segment) -> None:
        label, j = self._label(seg.label)
        cur = self.open
        fits = cur is not None and len(cur.values) + len(seg.values) <= cur.row.width
        if cur is not None and fits and (j is None or (not seg.label and j == self.next - 1)):
            values_before_their_label(cur, seg, self.labels, self.next - 1)
            cur.across_text = cur.across_text or bool(self.pending)
            cur.values += seg.values
            self.pending.clear()
            return
        self.close()
        if j is None:
            if self.next >= len(self.rows):
                return
            j = self.next
        self.open = _Open(self.rows[j], [label], [seg.line.number], list(seg.values))
        self.next = j + 1
        self.pending.clear()

    def _label(self, before: str) -> tuple[str, int | None]:
        """The label of values and the row it names: the text since the last values,
        else its last lines only (a table's header lines, one cell per line, stand
        between the row label and the previous row's values).  The values' own line
        may name a later row than the text before it (:func:`own_label_names_later`)."""
        for k in range(len(self.pending) + 1):
            label = "".join(self.pending[k:]) + before
            j = _match(label, self.labels, self.next)
            if j is not None:
                own = _match(before, self.labels, self.next) if k < len(self.pending) else None
                label, j = own_label_names_later((label, j), (before, own))
                if j > self.next:  # rows skipped: their labels may be in the text
                    first = labels_printed_before_values(self.pending, self.labels, self.next, j)
                    self.moved = self.moved or first != j
                    j = first if self.labels_first else j
                return label, j
        return "".join(self.pending) + before, None

    def blank_row(self, label: str, line: Line) -> bool:
        """A drawn row whose cells are all blank (``|_行政|___ ___|``) is the next row
        when its label, however cut, begins that row's label."""
        pieces = pieces_of(line)
        empties = list(itertools.takewhile(lambda p: p.kind == "empty", reversed(pieces)))
        if self.next >= len(self.rows) or not empties or not label:
            return False
        row = self.rows[self.next]
        _, words = split_numbering(label_key(row.label))
        _, cut = split_numbering(label_key(label))
        if len(empties) != row.width or not cut or not words.startswith(cut):
            return False
        self.close()
        self.open = _Open(row, [label], [line.number], empties[::-1])
        self.next += 1
        self.pending.clear()
        return True

    def close(self) -> None:
        if self.open is not None:
            self.done.append(self.open)
        self.open = None


def values_before_their_label(cur: _Open, seg: Segment, labels: tuple[str, ...], at: int) -> None:
    """Rule: values printed on a line of their own before their row's label line may
    stand anywhere in the row: the reading weighs them before and after the rest.

    Repairs (pymupdf4llm's text of a table it took for a picture, render p042: the row's
    two blank markers stood a little higher than its other cells)::

        （七）总计 87 2 14 5 1 0 109
        — —                             <- 社会公益组织 and 法律服务机构's blanks
        四、结转下年度继续办理 0 0 0 0 0

    The row opened with no label (``cur``); the values' own label (``seg``) names it.
    Where the identities cannot tell the two orders apart, the columns where they
    disagree are null with the candidates (:func:`_layings`).
    """
    opened_bare = cur.label_after is None and not "".join(cur.label)
    if opened_bare and seg.label and _match(seg.label, labels, at) == at:
        cur.label_after = len(cur.values)


def labels_printed_before_values(
    pending: Sequence[str], labels: tuple[str, ...], start: int, named: int
) -> int:
    """Rule (a reading of its own, kept only where the identities like it): labels of
    several rows printed together before their values; the values that follow are the
    rows' in order from the first label.

    ``pending`` is the text since the last values, ``labels`` the table's rows' labels,
    ``start`` the next row expected and ``named`` the row the text names as a whole; the
    row returned is the earliest, from ``start``, that one piece of the text names.
    Repairs (``pdftotext``'s default mode of a LibreOffice PDF: a group label wrapped
    around two row labels, then the two rows' values; training render p028)::

        三、本年
        (一)予以公开            <- names 予以公开: the values below begin there
        度办理结
        果
        (二)部分公开(区分处理的，只    <- the text as a whole names 部分公开
        计这一情形，不计其他情形)
        0  0  0  0  0  0  0     -> 予以公开 (the main reading: 部分公开, 予以公开 blank)
        28 0  0  0  0  0  28    -> 部分公开

    The main reading keeps the other sense (a row whose cells all vanished: its label,
    the next row's label, then that row's values): :func:`choose` weighs the two.
    """
    earlier = (
        j
        for piece in pending
        if (j := _match(piece, labels, start)) is not None and start <= j < named
    )
    return min(earlier, default=named)


def own_label_names_later(found: tuple[str, int], own: tuple[str, int | None]) -> tuple[str, int]:
    """The label and row of values: the text before them (``found``) names a row, but
    where the label on the values' own line (``own``) names a later one, the row named
    first printed no values (its cells all blank, ``pdftotext -layout``)::

        行政许可              <- no values: a blank row
        第二十条第（六）项
        信息内容    本年处理决定数量
        行政处罚        0      <- the text since the last values, 行政许可…行政处罚,
                                  names 行政许可 (its words start the text); the
                                  line's own label names 行政处罚: the 0 is 行政处罚's
    """
    label, j = own
    return (label, j) if j is not None and j > found[1] else found


def _appeals(lines: Sequence[Line], row: RowSpec, tabs: Mapping[int, Segment]) -> list[_Open]:
    values: list[Piece] = []
    first: int | None = None
    text_after_values = across_text = False
    for k, line in enumerate(lines):
        seg = tabs[k] if k in tabs else segment(line)[1]
        if seg is None or not seg.values:
            text_after_values = text_after_values or (bool(values) and _holds_text(line))
            continue
        first = first or line.number
        across_text = across_text or text_after_values
        values += seg.values
        if sum(1 for v in values if v.kind == "value") >= row.width:
            break
    if not values:
        return []
    head = [line.raw for line in lines if line.number < values[0].line.number]
    placements, ways = _header_placements(head, row, values)
    opened = _Open(row, [], [first or 0], values, placements)
    opened.header_one_way = ways == 1
    opened.across_text = across_text
    return [opened]


def _holds_text(line: Line) -> bool:
    """Whether a line holds words (a header's, a label's), not only noise or nothing."""
    return any(p.kind == "text" for p in pieces_of(line))


def _header_placements(
    head: Sequence[str], row: RowSpec, values: Sequence[Piece]
) -> tuple[list[list[int]], int]:
    """The columns of a bare line's values under the table's header laid out in two
    dimensions (:func:`~giextract.layout.header_centres`): a CJK character counted one
    column wide (``pdftotext -layout``) and two (a terminal dump); the placement found,
    where every measure that places the values agrees, else none; and in how many ways
    the placement was told (:func:`~giextract.layout.place_told`, the fewest of the
    measures; 0 for none)."""
    vals = [v for v in values if v.kind == "value"]
    if not vals or len(vals) >= row.width or not all(_laid_out(v) for v in vals):
        return [], 0
    if len({v.line.number for v in vals}) > 1:
        return [], 0  # not one bare line
    words = [spec.col_label for spec in row.fields]
    found = []
    for wide in (1, 2):
        centres = header_centres(head, row.width, words, wide)
        if centres is not None:
            spans = spans_at(vals[0].line.raw, wide)
            found.append(place_told([spans[v.cell][1] for v in vals], centres))
    placed = [(cols, ways) for cols, ways in found if cols is not None]
    if not placed or any(cols != placed[0][0] for cols, _ in placed):
        return [], 0
    return [placed[0][0]], min(ways for _, ways in placed)


ROW_END_GAP = 2  # blank lines after a browser's lone tab that end its row


def _is_lone_tabs(line: Line) -> bool:
    return line.raw.strip(" ") != "" and line.raw.strip(" \t") == ""


def _is_gap(line: Line) -> bool:
    """An empty line between paragraph cells (a cell holding a no-break space is none)."""
    return line.raw.strip(" ") == ""


def _is_printed_blank(line: Line) -> bool:
    """A cell that printed only white space other than spaces and tabs (``&nbsp;``)."""
    return not _is_gap(line) and not _is_lone_tabs(line) and line.is_blank


def paragraph_cell_blanks(zone: Sequence[Line]) -> dict[int, Segment]:
    """Blank cells of a table whose cells are paragraphs (a browser's ``innerText``).

    Each cell stands between empty lines and the cells of a row are parted by lines
    holding only tabs, so a blank cell that printed nothing is still there as a tab::

        （一）予以公开          <- the label cell
        \t
        0
        \t\t                  <- two tabs with nothing between: a blank cell
        0
        \t                     <- a last tab, then the row ends (two empty lines
                               or more): the last cell is blank
        <empty> <empty>
        （二）部分公开

    A line of ``k`` lone tabs stands for ``k - 1`` blank cells, one more when the row
    ends after it (or the table does) and one more when the row begins before it (a
    blank first cell).  A cell that printed a no-break space is a line of its own next
    to a tab: one blank cell.  Returns, by index in the zone, the segment of blank
    cells each such line stands for (empty for a tab that only parts two cells).
    """
    lone = [_is_lone_tabs(line) for line in zone]
    if not any(lone):
        return {}  # a printed blank counts only next to a line of lone tabs
    nearest_after, nearest_before = _nearest_printed(zone)
    out: dict[int, Segment] = {}
    for i, line in enumerate(zone):
        after, before = nearest_after[i], nearest_before[i]
        if _is_printed_blank(line):
            if (after is not None and lone[after]) or (before is not None and lone[before]):
                out[i] = Segment("", [Piece("empty", "", line, 0)], line)
            continue
        if not lone[i]:
            continue
        blanks = line.raw.count("\t") - 1
        blanks += after is None or after - i - 1 >= ROW_END_GAP
        blanks += before is not None and i - before - 1 >= ROW_END_GAP
        empties = [Piece("empty", "", line, k) for k in range(blanks)]
        out[i] = Segment("", empties, line)
    return out


PARAGRAPH_SHARE = 0.8  # of a zone's gaps one empty line long, for cells that are paragraphs
MIN_LINE_CELL_PAIRS = 4  # neighbouring lone values that show a zone's cells one per line


def line_cell_blanks(zone: Sequence[Line]) -> dict[int, Segment]:
    """Blank cells of a table written one cell per line with nothing between the cells
    (LibreOffice's text of a Word table, held-out pages' ``docx.lo-text.txt``): a cell
    that printed nothing is an empty line of its own::

        二、上年结转政府信息公开申请数量
        <empty>          <- a blank cell (自然人)
        0
        0
        <nbsp>           <- a cell that printed a no-break space: a blank cell
        0
        <empty>          <- a blank cell (其他组织)
        0

    Only where most lone values of the zone (:data:`PARAGRAPH_SHARE`, at least
    :data:`MIN_LINE_CELL_PAIRS` of them) stand right below another.  Between a row's last
    value and the next label, the empty lines most such places have are the padding of the
    merged cells beside the rows (LibreOffice writes two in the requests table, none in the
    active one): only those beyond it are blank cells.  A page break's own empty line is
    no cell.  Returns, by index in the zone, the segment of blank cells each run of empty
    lines stands for (on its first empty line).
    """
    printed = [i for i, line in enumerate(zone) if not _is_gap(line)]
    shown = {i for i in printed if _is_printed_blank(zone[i])}  # a no-break space: a cell
    alone = {i for i in printed if i in shown or _a_lone_value(zone[i])}
    steps = list(itertools.pairwise(printed))
    pairs = [(a, b) for a, b in steps if a in alone and b in alone]
    adjacent = sum(b - a == 1 for a, b in pairs)
    if adjacent < MIN_LINE_CELL_PAIRS or adjacent < PARAGRAPH_SHARE * len(pairs):
        return {}
    row_ends = Counter(_empties(zone, a, b) for a, b in steps if a in alone and b not in alone)
    padding = row_ends.most_common(1)[0][0] if row_ends else 0
    out = {i: Segment("", [Piece("empty", "", zone[i], 0)], zone[i]) for i in shown}
    for a, b in steps:
        blanks = _empties(zone, a, b) - (0 if b in alone else padding)
        if blanks < 1 or not (a in alone or pieces_of(zone[a])) or not {a, b} & alone:
            continue
        line = zone[a + 1]
        out[a + 1] = Segment("", [Piece("empty", "", line, k) for k in range(blanks)], line)
    return out


def _empties(zone: Sequence[Line], a: int, b: int) -> int:
    """The empty lines between zone lines ``a`` and ``b`` that may be cells: a page
    break's own empty line is none."""
    return b - a - 1 - (zone[a].page != zone[b].page)


def _a_lone_value(line: Line) -> bool:
    """Whether a line holds one value and nothing else."""
    pieces = pieces_of(line)
    return len(pieces) == 1 and pieces[0].kind == "value"


def gap_cell_blanks(zone: Sequence[Line]) -> dict[int, Segment]:
    """Blank cells of a table whose cells are paragraphs parted by one empty line
    (lynx's dump of Word-style cells, render p008): a cell that printed nothing is one
    empty line more::

        （一）予以公开
        <empty>
        0
        <empty>
        0
        <empty>
        <empty>           <- one empty line more: a blank cell (研究机构)
         0
        <empty>
        …

    Only where most gaps of the zone (:data:`PARAGRAPH_SHARE`) are one empty line, and
    only next to a cell of values alone on its line, with no line of several values
    beside it (``pdftotext -layout`` parts its rows by one empty line or two, as the
    page spaced them).  A page break in a gap (``pdftotext``'s form feed) adds an empty
    line of its own, which is no cell (held-out page p017 in pdftotext's default mode:
    ``采购总金额`` / ``\f15`` read its 15 as the amount).  Returns, by index in the zone,
    the segment of blank cells each longer gap stands for (on its second empty line).
    """
    printed = [i for i, line in enumerate(zone) if not _is_gap(line)]
    gaps = [(a, b - a - 1) for a, b in itertools.pairwise(printed) if b - a > 1]
    if len(gaps) < 2 or sum(g == 1 for _, g in gaps) < PARAGRAPH_SHARE * len(gaps):
        return {}
    out: dict[int, Segment] = {}
    for a, g in gaps:
        after = zone[a + g + 1]
        blanks = _empties(zone, a, a + g + 1) - 1  # the first empty line parts the cells
        if blanks < 1 or not _a_cell_of_values_beside(zone[a], after):
            continue
        line = zone[a + 2]
        out[a + 2] = Segment("", [Piece("empty", "", line, k) for k in range(blanks)], line)
    return out


def _a_cell_of_values_beside(before: Line, after: Line) -> bool:
    """Whether a value stands alone on one of the lines around a gap (a line of its
    own: no label, no other value), and no line around it holds several values."""
    alone = _a_lone_value(before) or _a_lone_value(after)
    return alone and all(
        sum(p.kind == "value" for p in pieces_of(line)) <= 1 for line in (before, after)
    )


def _nearest_printed(zone: Sequence[Line]) -> tuple[list[int | None], list[int | None]]:
    """For each line of a zone, the index of the nearest line after it and before it
    that is no gap (:func:`_is_gap`), None where there is none."""
    gap = [_is_gap(line) for line in zone]
    after: list[int | None] = [None] * len(zone)
    before: list[int | None] = [None] * len(zone)
    last: int | None = None
    for i in range(len(zone) - 1, -1, -1):
        after[i] = last
        if not gap[i]:
            last = i
    last = None
    for i in range(len(zone)):
        before[i] = last
        if not gap[i]:
            last = i
    return after, before


def read_sequence(
    lines: Sequence[Line],
    template: Template,
    tables: Collection[str] | None = None,
    *,
    labels_first: bool = False,
    movable: set[str] | None = None,
) -> Rebuilt:
    """Read the three tables in template order (see the module docstring), or only
    ``tables``: each table is read from its own zone, alike either way.

    With ``labels_first``, the reading of :func:`labels_printed_before_values`: only the
    tables where that rule placed values are read (the others are the plain reading's).
    ``movable`` collects the tables where the rule moves values (or would: the two
    readings agree up to the first place it does).
    """
    global _PIECES
    _PIECES = {}
    try:
        return _read_sequence(lines, template, tables, labels_first, movable)
    finally:
        _PIECES = None


class TemplateOrderReadings:
    """The template-order readings of one document, made when asked for
    (:class:`LazyReadings`): the plain one, and the one of
    :func:`labels_printed_before_values`, made only for the tables where the plain one
    found that rule would move values (most documents: none, and it costs nothing)."""

    def __init__(self, lines: Sequence[Line], template: Template) -> None:
        self.lines, self.template = lines, template
        self.movable: set[str] | None = None  # known once the plain reading is made

    def plain(self, tables: Collection[str] | None = None) -> Rebuilt:
        """:func:`read_sequence` of the document (or of ``tables``)."""
        self.movable = set()
        return read_sequence(self.lines, self.template, tables, movable=self.movable)

    def labels_first(self, tables: Collection[str] | None = None) -> Rebuilt:
        """:func:`read_sequence` with ``labels_first``, of the tables it changes."""
        if self.movable is None:
            self.plain(tables)
        movable = self.movable or set()
        wanted = movable if tables is None else movable & set(tables)
        if not wanted:
            return Rebuilt()
        return read_sequence(self.lines, self.template, wanted, labels_first=True)


def _read_sequence(
    lines: Sequence[Line],
    template: Template,
    tables: Collection[str] | None,
    labels_first: bool,
    movable: set[str] | None,
) -> Rebuilt:
    result = Rebuilt()
    zones = _zones(lines)
    for table, zone in zones.items():
        rows = template.table_rows(table)
        if (tables is not None and table not in tables) or _structured(zone):
            continue
        tabs = paragraph_cell_blanks(zone) or gap_cell_blanks(zone) or line_cell_blanks(zone)
        if table == "appeals":
            if labels_first:
                continue  # one row: no labels to print before its values
            opened = _appeals(zone, rows[0], tabs)
        else:
            reader = _TableReader(rows, labels_first)
            for k, line in enumerate(zone):
                if k in tabs:
                    if tabs[k].values:
                        reader.values(tabs[k])
                    continue
                if not pieces_of(line):
                    continue  # an empty line, a ruling, a page number: nothing to read
                before, seg, after = segment(line)
                if seg is None:
                    if not reader.blank_row(before, line):
                        reader.text(before)
                    continue
                reader.values(seg)
                reader.text(after)
            reader.close()
            if reader.moved and movable is not None:
                movable.add(table)
            if labels_first and not reader.moved:
                continue  # read as the plain reading reads it
            opened = reader.done
        full = [o for o in opened if _count(o) == o.row.width]
        placed = {id(o): _positional(o, full) for o in opened if o.values}
        laid = [(o, _layings(o, placed[id(o)])) for o in opened if o.values]
        joint = jointly_possible(template, laid)
        for o, group in joint if joint is not None else _by_table_identities(template, laid):
            if o.row.key not in result.rows:
                short = len(o.values) < o.row.width
                guessed = short and placed[id(o)] is None
                by_position = short and placed[id(o)] is not None
                result.rows[o.row.key] = _row_reading(o, group, result, guessed, by_position)
    return result


def _structured(zone: Sequence[Line]) -> bool:
    """Whether a table came as rows of cells (HTML, Word, PDF tables, drawn grids): its
    layout is explicit, and a reading in template order has nothing to add."""
    rows = [line for line in zone if _DIGIT.search(line.raw)]
    return sum(1 for line in rows if line.sep in ("tab", "grid")) * 2 > len(rows)


def _count(o: _Open) -> int:
    """How many values the row holds (its empty cells aside)."""
    return [v.kind for v in o.values].count("value")


def _token(p: Piece) -> Token:
    kind = TokenKind.VALUE if p.kind == "value" else TokenKind.EMPTY
    return Token(kind, p.text, p.line, p.cell)


_COLUMN_GAP = re.compile(r"\S {2,}\S")


def _laid_out(p: Piece) -> bool:
    """Whether a value's position means something: its line keeps a layout (cells
    padded with runs of spaces, ``pdftotext -layout``, lynx), not single spaces between
    tokens (``-raw``, pdfplumber, pypdfium2), where positions follow the digits' lengths."""
    return p.col is not None and _COLUMN_GAP.search(p.line.raw.strip()) is not None


def _positional(o: _Open, full: Sequence[_Open]) -> list[Laying] | None:
    """The row's values under their columns, by the positions of the nearest full rows.

    ``pdftotext -layout`` spaces each line a little differently, so each of the nearest
    full rows places the values on its own (and all of them together, where their
    columns agree): the distinct placements found are the candidates, ``None`` if none.
    """
    vals = [v for v in o.values if v.kind == "value"]
    if len(vals) >= o.row.width or not all(_laid_out(v) for v in vals):
        return None
    line = o.values[0].line.number
    near = sorted(
        (f for f in full if f.row.width == o.row.width and all(_laid_out(v) for v in f.values)),
        key=lambda f: abs(f.values[0].line.number - line),
    )[:NEAREST_FULL_ROWS]
    positions = [float(v.col or 0) for v in vals]
    groups = [[f] for f in near] + ([near] if len(near) > 1 else [])
    told: dict[tuple[int, ...], int] = {}
    for group in groups:
        centres = column_centres([[float(v.col or 0) for v in f.values] for f in group])
        cols, ways = place_told(positions, centres) if centres is not None else (None, 0)
        if cols is not None:
            told[tuple(cols)] = max(ways, told.get(tuple(cols), 0))
    placements = _surest(told)
    if not placements:
        placements = list(o.by_header)
    if not placements:
        placements = _placed_scaled(positions, near)
    layings: list[Laying] = []
    for cols in placements:
        cells: Laying = [None] * o.row.width
        for v, c in zip(vals, cols, strict=True):
            cells[c] = v
        layings.append(cells)
    return layings or None


Laying = list[Piece | None]


def _surest(told: Mapping[tuple[int, ...], int]) -> list[list[int]]:
    """The placements the nearest full rows found, those told both where the row stands
    and shifted to fit (:func:`~giextract.layout.place_told`) alone where there are any.

    ``pdftotext -layout`` spaces the rows of one table differently (render p005): the
    row above 上年结转 stands value for value where its values do, and places them both
    ways; the rows below, spaced narrower, place them only once shifted, one column off::

        一、本年新收政府信息公开申请数量            2           0         2   1   0   0   5
        二、上年结转政府信息公开申请数量                        0         0   0   0       0
                      (一)予以公开          0        0   2   0   0   0   2
    """
    surest = max(told.values(), default=0)
    return [list(cols) for cols, ways in told.items() if ways == surest]


MIN_SCALED_AGREEING = 2  # nearest full rows that must place a row alike at their scale


def _placed_scaled(positions: Sequence[float], near: Sequence[_Open]) -> list[list[int]]:
    """The row's columns by :func:`~giextract.layout.place_scaled` (a line spaced at
    another scale than the full rows near it), when at least
    :data:`MIN_SCALED_AGREEING` of them place it and all that do agree; else none (one
    full row whose values stand oddly must not place a row on its own)."""
    found = [place_scaled(positions, [float(v.col or 0) for v in f.values]) for f in near]
    placed = [cols for cols in found if cols is not None]
    if len(placed) < MIN_SCALED_AGREEING or any(cols != placed[0] for cols in placed):
        return []
    return [placed[0]]


def _layings(o: _Open, by_position: list[Laying] | None) -> list[Laying]:
    """The ways to lay the row's values onto its columns that are equally good: the ones
    its position gives (``by_position``, :func:`_positional`), else those its row
    identity likes best (prior order)."""
    if by_position is not None:
        return by_position
    if len(o.values) == o.row.width and not o.label_after:
        return [list(o.values)]  # a cell for each column: one way (as tied_readings says)
    orders = [o.values]
    if o.label_after:  # values_before_their_label: their place is unknown
        orders.append(o.values[o.label_after :] + o.values[: o.label_after])
    out: list[Laying] = []
    for values in orders:
        toks = [_token(v) for v in values]
        piece_of = {id(t): p for t, p in zip(toks, values, strict=True)}
        for c in tied_readings(o.row, toks, limit=ALL_TIED_UP_TO):
            laying = [None if t is None else piece_of[id(t)] for t in c]
            if laying not in out:
                out.append(laying)
    return out


def _table_values(laid: Sequence[tuple[_Open, list[Laying]]]) -> dict[str, int | float | None]:
    out: dict[str, int | float | None] = {}
    for o, group in laid:
        for spec, p in zip(o.row.fields, group[0], strict=True):
            out[spec.id] = _value_of(p)
    return out


def jointly_possible(
    template: Template, laid: list[tuple[_Open, list[Laying]]]
) -> list[tuple[_Open, list[Laying]]] | None:
    """Keep, of each row's layings, those the table's identities allow jointly
    (:func:`giextract.joint.joint_layings`, whose example is render p032's ``-raw``
    text).  The layings left are all the table allows: where they still put different
    numbers in a column, the identities cannot tell, and the column is null.  ``None``
    where the joint search decides nothing: :func:`_by_table_identities` decides then.
    """
    kept = joint_layings(
        template, [(o.row, [[_value_of(p) for p in g] for g in group]) for o, group in laid]
    )
    if kept is None:
        return None
    return [(o, [group[i] for i in keep]) for (o, group), keep in zip(laid, kept, strict=True)]


def _by_table_identities(
    template: Template, laid: list[tuple[_Open, list[Laying]]]
) -> list[tuple[_Open, list[Laying]]]:
    """Keep, of each row's equally good layings, those the table's column identities
    (``results_sum``, ``balance``) like best, the other rows as first laid."""
    out = list(laid)
    if len({o.row.key for o, _ in laid}) < len(laid):
        return _by_table_identities_slowly(template, out)
    values = _table_values(out)  # each row's fields its own: a trial changes one row's
    for k, (o, group) in enumerate(laid):
        if len(group) < 2 or len(group) > MAX_LAYINGS:
            continue
        own = [spec.id for spec in o.row.fields]
        scores = [_trial_score(template, values, own, _row_values(o, g)) for g in group]
        top = max(scores)
        out[k] = (o, [g for g, sc in zip(group, scores, strict=True) if sc == top])
        values.update(_row_values(o, out[k][1][0]))
    return out


def _trial_score(
    template: Template,
    values: Mapping[str, int | float | None],
    own: Sequence[str],
    trial: Mapping[str, int | float | None],
) -> int:
    """The table's score (:func:`_score`) with one row laid as ``trial``, less what the
    identities without a term in the row (``own``) add alike to every trial of it."""
    passed, failed = check_counts(template, {**values, **trial}, touching=own)
    return passed - 2 * failed


def _row_values(o: _Open, laying: Laying) -> dict[str, int | float | None]:
    return {spec.id: _value_of(p) for spec, p in zip(o.row.fields, laying, strict=True)}


def _by_table_identities_slowly(
    template: Template, out: list[tuple[_Open, list[Laying]]]
) -> list[tuple[_Open, list[Laying]]]:
    """:func:`_by_table_identities` where a row was opened twice: each trial lays the
    whole table again (a later row's fields override an earlier one's)."""
    for k, (o, group) in enumerate(list(out)):
        if len(group) < 2 or len(group) > MAX_LAYINGS:
            continue
        scores = []
        for g in group:
            trial = [*out[:k], (o, [g]), *out[k + 1 :]]
            scores.append(_score(template, _table_values(trial))[0])
        top = max(scores)
        out[k] = (o, [g for g, sc in zip(group, scores, strict=True) if sc == top])
    return out


def _row_reading(
    o: _Open, group: list[Laying], result: Rebuilt, guessed: bool, by_position: bool
) -> RowReading:
    """The row's cells from its first laying; columns where the layings disagree are
    null, with an ``ambiguous_value`` warning naming the candidates.  A row with fewer
    cells than columns whose position did not place them (``guessed``) carries the
    ``vanished_cell`` rule: the identities and priors put its values; one with more
    values than columns, the ``too_many_values`` rule."""
    cells: list[CellReading | None] = []
    for i, p in enumerate(group[0]):
        if len(group) > 1 and len(candidates := {_value_of(g[i]) for g in group}) > 1:
            fid = o.row.fields[i].id
            result.warnings.append(_ambiguous(fid, candidates, o.values[0].line.number))
            cells.append(None)
        elif p is None or p.kind == "empty":
            cells.append(None)
        else:
            cells.append(CellReading(parse_value(p.text), p.line.number, p.cell, p.line.page))
    rules: tuple[str, ...] = (VANISHED_CELL,) if guessed else ()
    if by_position:
        rules += (PLACED_BY_POSITION,)
        if o.header_one_way:
            rules += (HEADER_PLACED_ONE_WAY,)
    if o.across_text and len({_value_of(p) for p in o.values}) > 1:
        rules += (VALUES_ACROSS_TEXT,)  # equal values read alike in any order
    if _count(o) > o.row.width:
        rules += (TOO_MANY_VALUES,)  # printed values left out: which ones is a choice
    return RowReading(o.row, sorted(set(o.label_lines)), "".join(o.label), cells, rules=rules)


def _value_of(p: Piece | None) -> int | float | None:
    return None if p is None or p.kind == "empty" else parse_value(p.text).value


# -- choosing between readings -------------------------------------------------
@dataclass
class Choice:
    """The rows chosen from several readings, which reading gave each row, and, for each
    field the readings weighed gave different numbers, how many (:func:`distinct_values`)."""

    rebuilt: Rebuilt
    reading: dict[str, str] = field(default_factory=dict)
    chosen_among: dict[str, int] = field(default_factory=dict)
    plain: bool = False
    """Whether the main reading read every table plainly (:func:`_read_plainly`)."""


def _fields(rebuilt: Rebuilt, rows: Sequence[RowSpec]) -> dict[str, int | float | None]:
    out: dict[str, int | float | None] = {}
    for row in rows:
        reading = rebuilt.rows.get(row.key)
        if reading is None:
            out.update(dict.fromkeys(row.field_ids))
            continue
        disputed = reading.disputed
        for i, (spec, cell) in enumerate(zip(row.fields, reading.cells, strict=False)):
            out[spec.id] = None if cell is None or i in disputed else cell.parsed.value
    return out


def _score(template: Template, values: Mapping[str, int | float | None]) -> tuple[int, int]:
    passed, failed = check_counts(template, values)
    return passed - 2 * failed, _complete(values)


def _complete(values: Mapping[str, int | float | None]) -> int:
    """How many fields have a value."""
    return len(values) - list(values.values()).count(None)


def _guessed_rows(rebuilt: Rebuilt, rows: Sequence[RowSpec]) -> int:
    """Rows of a table whose values' columns a reading had to guess (ambiguous, or put
    by a rule that moves values because cells vanished)."""
    readings = [rebuilt.rows.get(r.key) for r in rows]
    return sum(1 for r in readings if r is not None and _guessed(r))


def _guessed(reading: RowReading) -> bool:
    """Whether a row's columns were guessed: ambiguous, or put by a rule that moves values."""
    return reading.ambiguous or not POSITION_GUESS_RULES.isdisjoint(reading.rules)


def _read_plainly(rebuilt: Rebuilt, rows: Sequence[RowSpec], failures: int) -> bool:
    """Whether a reading has every row of a table, no failed identity, no ambiguous row
    and no row whose values' columns a rule had to guess: nothing to question."""
    readings = [rebuilt.rows.get(r.key) for r in rows]
    return failures == 0 and all(r is not None and not _guessed(r) for r in readings)


class LazyReadings(Mapping[str, Rebuilt]):
    """Named readings, each made the first time it is asked for, in the given order.

    :func:`choose` asks for a fallback reading only for a table the main reading did
    not read plainly, so a document read plainly never pays for the fallbacks; it
    names those tables first (:meth:`ask_for`), and each maker is given them (``None``
    until then: every table), so a fallback reads only the tables it may give.
    """

    def __init__(self, makers: Mapping[str, Callable[[Collection[str] | None], Rebuilt]]) -> None:
        self._makers = dict(makers)
        self._made: dict[str, Rebuilt] = {}
        self._tables: frozenset[str] | None = None

    def ask_for(self, tables: Collection[str]) -> None:
        """The tables the readings not made yet will be asked about."""
        self._tables = frozenset(tables)

    def __getitem__(self, name: str) -> Rebuilt:
        if name not in self._made:
            self._made[name] = self._makers[name](self._tables)
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def _missing_rows(
    template: Template,
    rows: Sequence[RowSpec],
    readings: Mapping[str, Rebuilt],
    name: str,
    scored: Sequence[tuple[Key, str, dict[str, int | float | None]]],
) -> dict[str, str]:
    """Rows the chosen reading did not find, each taken from the best ranked other
    reading that found it, where the table's identities like the whole no less and
    none of its cells is one the rows kept already read (:func:`_printed_cells`)."""
    chosen = readings[name]
    if len(scored) < 2 or all(row.key in chosen.rows for row in rows):
        return {}  # no other reading, or no row missing
    values = next(v for _, n, v in scored if n == name)
    score = _score(template, values)[0]
    taken = _printed_cells(chosen, rows)
    fill: dict[str, str] = {}
    for _, other, other_values in sorted(scored, key=lambda x: x[0], reverse=True):
        if other == name:
            continue
        for row in rows:
            if row.key in chosen.rows or row.key in fill or row.key not in readings[other].rows:
                continue
            cells = _printed_cells(readings[other], [row])
            if cells & taken:
                continue
            trial = {**values, **{f: other_values[f] for f in row.field_ids}}
            trial_score = _score(template, trial)[0]
            if trial_score >= score:
                values, score = trial, trial_score
                taken |= cells
                fill[row.key] = other
    return fill


def _printed_cells(rebuilt: Rebuilt, rows: Sequence[RowSpec]) -> set[tuple[int | None, int, int]]:
    """The printed cells (page, line, cell) a reading read for the rows: one printed
    number is one field's.  A reading that took ``行政处罚`` (its values left blank) and
    ``行政强制 0 0 0`` on the next line for one wrapped label found the numbers of 行政强制,
    which the chosen reading gave 行政强制 (fuzz: generated report 64)."""
    return {
        (c.page, c.line, c.cell)
        for r in rows
        if (reading := rebuilt.rows.get(r.key)) is not None
        for c in reading.cells
        if c is not None
    }


def choose(
    template: Template, readings: Mapping[str, Rebuilt], consistent_only: Collection[str] = ()
) -> Choice:
    """Table by table, the reading the identities like best, then the one that guessed
    the columns of fewest rows (:func:`_guessed_rows`), then the one that fails fewest
    identities (a failure is evidence of a misreading; a missing row is not), then the
    most complete.

    The first reading is the main one; the others are fallbacks, candidates for a table
    only where the main reading did not read it plainly (:func:`_read_plainly`: a row
    missing, an identity failing, an ambiguous row or a guessed column), and only where
    none of its identities fails, they fail at most half as many as the main reading, or
    the identities like it better on balance than the main reading and than nothing
    (score above both and above 0: text that lost values reads badly every way).  The
    fallbacks named in ``consistent_only`` are weighed only where none of their
    identities fails (a reading that moves values between rows on a guess).

    Where a reading as good by the identities (score and failures) and as sure of its
    columns gives another number for a field, the field is null with an
    ``ambiguous_value`` warning naming the candidates.  The first reading wins a full
    tie.  A row the chosen reading did not find is taken from another that did
    (:func:`_missing_rows`).
    """
    merged = Rebuilt()
    choice = Choice(merged)
    used: set[str] = set()
    tables = {t: template.table_rows(t) for t in dict.fromkeys(r.table for r in template.rows)}
    main, *fallbacks = readings
    judged = {t: _judge(template, readings[main], rows) for t, rows in tables.items()}
    choice.plain = all(plain for _, _, plain in judged.values())
    if isinstance(readings, LazyReadings):  # the fallbacks need read only these tables
        readings.ask_for([t for t, (_, _, plain) in judged.items() if not plain])
    for table, rows in tables.items():
        (key, values), main_failures, plain = judged[table]
        scored = [(key, main, values)]
        for name in () if plain else fallbacks:  # the main reading read it as printed
            rebuilt = readings[name]
            if not any(r.key in rebuilt.rows for r in rows):
                continue  # this reading has nothing for the table
            (key, values), failures, _ = _judge(template, rebuilt, rows)
            beats = key[0] > max(0, scored[0][0][0])  # liked better on balance
            if failures and (
                name in consistent_only
                or (failures * FALLBACK_FAILURES > main_failures and not beats)
            ):
                continue  # a fallback must be consistent, fail far fewer identities, or beat
            scored.append((key, name, values))
        best_key = max(s for s, _, _ in scored)
        best = next(x for x in scored if x[0] == best_key)
        name, values = best[1], best[2]
        rivals = [v for s, n, v in scored if n != name and s[:3] == best_key[:3]]
        used.add(name)
        choice.chosen_among.update(
            distinct_values([v for s, _, v in scored if s[1] == best_key[1]])
        )
        fill = _missing_rows(template, rows, readings, name, scored)
        used.update(fill.values())
        for row in rows:
            reading = readings[name].rows.get(row.key)
            if reading is None and row.key in fill:
                merged.rows[row.key] = readings[fill[row.key]].rows[row.key]
                choice.reading[row.key] = fill[row.key]
                continue
            if reading is None:
                continue
            merged.rows[row.key] = _without_rivals(row, reading, values, rivals, merged.warnings)
            choice.reading[row.key] = name
    for name in (n for n in readings if n in used):  # in the readings' order, run to run
        merged.warnings += [
            w
            for w in readings[name].warnings
            if "field" not in w
            or choice.reading.get(str(w["field"]).rsplit(".", 1)[0]) == name
            or (str(w["field"]).startswith("appeals") and choice.reading.get("appeals") == name)
        ]
    return choice


Key = tuple[int, int, int, int]
"""A reading of a table as :func:`choose` ranks it (:func:`_judge`)."""
Scored = tuple[Key, dict[str, int | float | None]]


def _judge(
    template: Template, rebuilt: Rebuilt, rows: Sequence[RowSpec]
) -> tuple[Scored, int, bool]:
    """A reading of a table scored for :func:`choose` (by the identities, then fewest
    guessed rows, then most values: the key, with the values), its failed identities,
    and whether it read the table plainly (:func:`_read_plainly`)."""
    values = _fields(rebuilt, rows)
    passed, failures = check_counts(template, values)
    key = (passed - 2 * failures, -_guessed_rows(rebuilt, rows), -failures, _complete(values))
    return (key, values), failures, _read_plainly(rebuilt, rows, failures)


def _without_rivals(
    row: RowSpec,
    reading: RowReading,
    values: Mapping[str, int | float | None],
    rivals: Sequence[Mapping[str, int | float | None]],
    warnings: list[dict[str, object]],
) -> RowReading:
    """The chosen reading of a row, its cells null where a rival reading as good gave
    another number (each with an ``ambiguous_value`` warning); the reading itself where
    there is no rival."""
    if not rivals:
        return reading
    cells = list(reading.cells)
    for i, spec in enumerate(row.fields):
        others = {r[spec.id] for r in rivals if r[spec.id] is not None}
        mine = values[spec.id]
        if mine is not None and others - {mine}:
            cells[i] = None
            warnings.append(_ambiguous(spec.id, {mine, *others}, reading.first_line))
    return replace(reading, cells=cells)


def distinct_values(readings: Sequence[Mapping[str, int | float | None]]) -> dict[str, int]:
    """The fields the readings give different numbers, with how many numbers each.

    A reading that left a field blank offers no rival number: where one reading found a
    value the others did not see, nothing was chosen (``{"a": 3}`` and ``{"a": None}``
    give ``{}``; ``{"a": 3}`` and ``{"a": 4}`` give ``{"a": 2}``).
    """
    out: dict[str, int] = {}
    if len(readings) < 2:
        return out  # one reading offers no rival number
    for fid in dict.fromkeys(f for r in readings for f in r):
        n = len({r.get(fid) for r in readings} - {None})
        if n > 1:
            out[fid] = n
    return out


def _ambiguous(
    fid: str, candidates: set[int | float | None], line: int | None
) -> dict[str, object]:
    """The warning for a field left null because several values were possible."""
    return {
        "code": "ambiguous_value",
        "message": f"{fid}: the layout allows several values and the identities cannot "
        "tell which; left null",
        "field": fid,
        "line": line,
        "candidates": sorted(candidates, key=lambda v: (v is None, v or 0)),
    }
