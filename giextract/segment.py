"""Segmenting the token stream into row candidates: a label matched onto a row, and its cells.

Walking the tokens of :func:`giextract.tokens.tokens_of`, label text collects until
values follow; the collected label is matched onto a template row
(:func:`giextract.labels.match_row`, the rows expected next favoured) and the
values that follow are that row's, until the next label.  Every layout quirk the
walk repairs is a named rule below, listed in :data:`SEGMENT_RULES` in the order
the walk applies them; each names itself in the candidate's ``rules``.

The walk needs the template: where a label ends and which row it is cannot be
told apart (a group label's padding, a label split by a page break).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .catalogue import RowSpec, Template
from .labels import RowMatch, label_tails, match_row, score_on_row, table_of_title
from .lines import Line, Separator
from .normalize import label_key, split_numbering
from .resolve import filled_count
from .tokens import (
    KIND_CONT,
    KIND_EMPTY,
    KIND_HEADER,
    KIND_TEXT,
    KIND_TITLE,
    KIND_VALUE,
    SKIPPED,
    LineLabel,
    Token,
    tokens_of,
)
from .values import MAX_DIGITS, is_value

APPEALS_WORDS = re.compile(
    r"行政复议|行政诉讼|复议后起诉|直接起诉|结果维持|结果纠正|其他结果|尚未审结"
)
"""Words of the appeals table's headers and labels."""
APPEALS_LABEL_MIN_SCORE = 90.0
"""An appeals-like label must match a requests/active row at least this well to be one."""
SKIPPED_ROW_MIN_SCORE = 90.0
"""A label before the matched one is a row of its own (with no values) from this score."""
EXPECTED_AHEAD = 4
"""How many rows after the last one read are expected next."""


@dataclass
class RowCandidate:
    """A template row and the tokens read for it, before its cells are laid onto columns.

    ``empty`` candidates are labels printed as rows of their own with no values.
    """

    row: RowSpec
    label: list[Token]
    values: list[Token]
    rules: tuple[str, ...] = ()
    empty: bool = False

    @property
    def label_lines(self) -> frozenset[int]:
        """The source lines of the label."""
        return frozenset(t.line.number for t in self.label)


@dataclass
class Segments:
    """The row candidates in the order they were read, and what could not be placed."""

    candidates: list[RowCandidate] = field(default_factory=list)
    warnings: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class SegmentRule:
    """A named repair rule of the walk."""

    name: str
    doc: str


class Segmenter:
    """The walk over the tokens: one row open at a time, label text pending before it."""

    def __init__(self, template: Template, max_digits: int = MAX_DIGITS) -> None:
        self.template = template
        self.max_digits = max_digits
        self.order = [r.key for r in template.rows]
        self.out = Segments()
        self.zone: str | None = None
        self.pending: list[Token] = []
        self.pending_rules: list[str] = []
        self.current: RowSpec | None = None
        self.current_label: list[Token] = []
        self.values: list[Token] = []
        self.rules: list[str] = []
        self.last_key: str | None = None
        self.unplaced = False
        self.placed: dict[str, Sequence[Token]] = {}  # row key -> the values read for it

    # -- events ------------------------------------------------------------------
    def feed(self, tok: Token) -> None:
        """Take one token."""
        kind = tok.kind
        if kind in (KIND_VALUE, KIND_EMPTY):  # most tokens: a row's cells
            if self.pending or self.current is None or tok.unknown:
                self._value(tok)
            else:  # most of those: a cell of the row being read
                self.values.append(tok)
        elif kind == KIND_TITLE:
            self.close()
            self.pending.clear()
            self.pending_rules.clear()
            self.zone = table_of_title(tok.text) or self.zone
        elif kind == KIND_HEADER:
            self._header(tok)
        elif kind == KIND_CONT:
            if numbered_continuation_begins_label(self, tok):
                return
            if label_wrapped_around_values(self, tok):
                return
            wrapped_label(self, tok)
        elif kind == KIND_TEXT:
            if self.values:
                self.close()
            self.pending.append(tok)

    def _header(self, tok: Token) -> None:
        if label_split_by_page_break(self, tok) or label_end_taken_for_header(self, tok):
            return
        if not lone_tabs_of_merged_header(self, tok) and self.values:
            self.close()
        appeals_header_zone(self, tok)
        self.pending.clear()
        self.pending_rules.clear()

    def _value(self, tok: Token) -> None:
        if self.pending:
            if group_label_padding(self, tok):
                return
            marker = marker_after_label(self, tok)
            self.open_from_pending()
            if marker is not None and self.current is not None:
                self.applied("marker_after_label")
                self.values.append(marker)
        elif (
            self.current is None
            and not self.unplaced
            and not appeals_values_without_label(self, tok)
        ):
            if tok.kind == KIND_VALUE:
                self.warn("stray_value", f"value {tok.text!r} outside any row", tok.line.number)
            return
        if tok.unknown:
            self.applied("unknown_marker_keeps_its_cell")
        self.values.append(tok)

    # -- rows --------------------------------------------------------------------
    def open_from_pending(self) -> None:
        """Match the pending label onto a row and open it (or keep it unplaced)."""
        self.close()
        keys = [label_key(t.text) for t in self.pending]
        match = match_row(keys, self.template, self.expected())
        appeals_like = any(APPEALS_WORDS.search(t.text) for t in self.pending)
        rules = list(self.pending_rules)
        if label_split_from_its_values(self, match):
            pass
        elif match is not None and not (appeals_like and match.score < APPEALS_LABEL_MIN_SCORE):
            rows_without_values(self, self.pending[: -match.used])
            self.open(match.row, self.pending[-match.used :])
            self.zone = match.row.table
        elif not appeals_label_opens_appeals_row(self, appeals_like):
            self.current = None
            self.current_label = list(self.pending[-1:])
            self.unplaced = True
        self.rules[:0] = rules
        self.pending.clear()
        self.pending_rules.clear()

    def retry_label(self) -> None:
        """Match the current, unplaced label again now that it has grown.

        The match must keep the label's numbering: ``7、`` + a header's ``总计`` is not
        ``（七）总计``.
        """
        key = label_key("".join(t.text for t in self.current_label))
        match = match_row([key], self.template, self.expected())
        numberings = {split_numbering(tail)[0] for tail in label_tails(key)} - {""}
        if (
            match is not None
            and numberings
            and (split_numbering(label_key(match.row.label))[0] not in numberings)
        ):
            match = None
        if match is not None:
            self.current = match.row
            self.unplaced = False

    def expected(self) -> list[str]:
        """Keys of the rows expected next: the few after the last row read."""
        if self.last_key is None:
            return self.order[:EXPECTED_AHEAD]
        i = self.order.index(self.last_key)
        return self.order[i + 1 : i + 1 + EXPECTED_AHEAD]

    def open(self, row: RowSpec, label: list[Token]) -> None:
        """Open a row with its label."""
        self.current = row
        self.current_label = list(label)
        self.values = []
        self.rules = []

    def applied_to_pending(self, rule: str) -> None:
        """Note that a rule shaped the pending label (the row it opens will carry it)."""
        if rule not in self.pending_rules:
            self.pending_rules.append(rule)

    def applied(self, rule: str) -> None:
        """Note that a rule shaped the row being read."""
        if rule not in self.rules:
            self.rules.append(rule)

    def close(self) -> None:
        """Close the row being read: emit its candidate, or warn what could not be placed."""
        row, values, label, rules = self.current, self.values, self.current_label, self.rules
        self.current, self.values, self.current_label, self.rules = None, [], [], []
        self.unplaced = False
        if row is None:
            if label:
                text = " / ".join(t.text for t in label)
                self.warn(
                    "unmapped_label", f"label {text!r} matches no field", label[0].line.number
                )
            if values:
                raws = ", ".join(t.text or "''" for t in values)
                self.warn(
                    "unplaced_values",
                    f"values [{raws}] belong to no known row",
                    values[0].line.number,
                )
            return
        if not values:
            return
        if row.key in self.placed:
            if not duplicate_row_keeps_fuller(self, row, values):
                return
            rules.append("duplicate_row_keeps_fuller")
        self.out.candidates.append(RowCandidate(row, label, values, tuple(rules)))
        self.placed[row.key] = values
        self.last_key = row.key

    def warn(self, code: str, message: str, line: int) -> None:
        """A warning of the rebuild (shared contract: code, message, line)."""
        self.out.warnings.append({"code": code, "message": message, "line": line})


# -- the rules, in the order the walk applies them -------------------------------------
def label_split_by_page_break(seg: Segmenter, tok: Token) -> bool:
    """A header inside a label that a page break split: try the label with it.

    Repairs (the page's repeated header between the two halves)::

        二、上                      row_label  (no row matches)
        0  0  0  0  0  0  0        values
        申请人情况                  header     (repeated at the top of the page)
        年结转政府信息公开申请数量  continuation

    Applies to a header that arrives while the label is unplaced and has values;
    the header is kept in the label only if the label then matches.
    """
    if not (seg.unplaced and seg.values):
        return False
    seg.current_label.append(tok)
    seg.retry_label()
    if seg.unplaced:
        seg.current_label.pop()
    else:
        seg.applied("label_split_by_page_break")
    return True


def label_end_taken_for_header(seg: Segmenter, tok: Token) -> bool:
    """The end of a wrapped row label, taken for a column header, ends the label.

    Repairs (``pdftotext -raw``, pypdfium2, markitdown: the last characters of a label
    wrapped onto a line of their own read like a header word)::

        一、本年新收政府信息公开申      row_label
        请数量                          header   ->  一、本年新收政府信息公开申请数量
        95 7 5 0 0 0 107                values

    Applies to a header that arrives while a label waits for its values, when the label
    begins a numbered item (``一、``, ``4.``: the head of a row's own label, not the tail
    of one whose values came before) and matches a row better with the header than
    without it.
    """
    if not seg.pending:
        return False
    keys = [label_key(t.text) for t in seg.pending]
    if not split_numbering(keys[0])[0]:
        return False
    before = match_row(keys, seg.template, seg.expected())
    joined = seg.pending[-1].text + tok.text
    after = match_row([*keys[:-1], label_key(joined)], seg.template, seg.expected())
    if after is None or (before is not None and after.score <= before.score):
        return False
    last = seg.pending[-1]
    seg.pending[-1] = Token(KIND_TEXT, joined, last.line, last.cell)
    seg.applied_to_pending("label_end_taken_for_header")
    return True


def lone_tabs_of_merged_header(seg: Segmenter, tok: Token) -> bool:
    """Empty cells followed by a header are the merged header's cells, not a row's blanks.

    Repairs (a browser copy of merged header cells)::

        （一）予以公开     row_label
        <tab>              empty_cell
        自然人             header
    """
    if seg.values and all(t.kind == KIND_EMPTY for t in seg.values):
        seg.current, seg.values, seg.current_label, seg.rules = None, [], [], []
        return True
    return False


def appeals_header_zone(seg: Segmenter, tok: Token) -> bool:
    """A header with the appeals words (行政复议, 结果维持 …) starts the appeals zone.

    Repairs (the appeals table's title lost, e.g. cut off with its page)::

        行政复议<tab>行政诉讼     header   -> the appeals zone starts
        0<tab>0<tab>…<tab>0       values   -> appeals

    Outside the active table only: there 行政复议 is not a header of appeals.
    """
    if APPEALS_WORDS.search(tok.text) and seg.zone != "active":
        seg.zone = "appeals"
        return True
    return False


def numbered_continuation_begins_label(seg: Segmenter, tok: Token) -> bool:
    """A line taken for a continuation that begins with a numbering, after a row's
    values, begins the next row's label: it is not the tail of the row just read.

    A numbering (``一、``, ``（二）``, ``3.``) begins an item; it never continues the
    label before it.  Repairs (pdfplumber's text of a drawn table whose labels wrap
    around their values, each piece on a line of its own; render p055)::

        1.信访 / 举报投                 row_label, continuation
        0 0 0 0 0 0                     row     -> requests.not_processed.petition
        诉类申 / 请                     continuation (its label's tail)
        2.重复                          continuation -> the next label, not the tail
        9 0 0 0 0 0 9                   row     -> requests.not_processed.duplicate

    The row being read is closed, and the line is a label piece of its own.
    """
    if not seg.values or not split_numbering(label_key(tok.text))[0]:
        return False
    seg.close()
    seg.pending.append(Token(KIND_TEXT, tok.text, tok.line, tok.cell))
    seg.applied_to_pending("numbered_continuation_begins_label")
    return True


def label_wrapped_around_values(seg: Segmenter, tok: Token) -> bool:
    """The rest of a label printed after the row's values joins the label.

    Repairs (a cell whose label wraps below its values)::

        3.补正后申请内容仍不   0  0  0  0  0  0  0   row
        明确                                        continuation

    An unplaced label is matched again with the rest (see
    :func:`label_split_by_page_break`).
    """
    if not (seg.values and (seg.current is not None or seg.unplaced)):
        return False
    seg.current_label.append(tok)
    if seg.unplaced:
        seg.retry_label()
        if not seg.unplaced:
            seg.applied("label_split_by_page_break")
    seg.applied("label_wrapped_around_values")
    return True


def wrapped_label(seg: Segmenter, tok: Token) -> bool:
    """A continuation before any value joins the pending label's last piece.

    Repairs::

        本年新          row_label
        制作数量        continuation   ->  本年新制作数量
    """
    if seg.pending:
        last = seg.pending[-1]
        seg.pending[-1] = Token(KIND_TEXT, last.text + tok.text, last.line, last.cell)
        seg.applied_to_pending("wrapped_label")
    else:
        seg.pending.append(Token(KIND_TEXT, tok.text, tok.line, tok.cell))
    return True


def group_label_padding(seg: Segmenter, tok: Token) -> bool:
    """Empty cells after a group label are the padding of its merged cell.

    Repairs::

        三、本年度办理结果<tab><tab>   group   (the empties are dropped)
        （一）予以公开<tab>1<tab>…      row

    Empty cells after a label that is a row's open that row (行政事业性收费 with a
    blank value).
    """
    if not (seg.pending and tok.kind == KIND_EMPTY and seg.current is None):
        return False
    keys = [label_key(t.text) for t in seg.pending]
    if match_row(keys, seg.template, seg.expected()) is None:
        seg.applied_to_pending("group_label_padding")
        return True
    return False


MARKER_MAX_CHARS = 4
"""The longest text directly before a row's first value that may be an unknown marker."""
MARKER_MARGIN = 5.0
"""How much better the label must match without the text for the text to be a marker."""


def marker_after_label(seg: Segmenter, tok: Token) -> Token | None:
    """A short text between a label and its first value that spoils the match is a marker.

    Repairs (an unknown blank marker in the first value cell)::

        规章\t不详\t3\t4   ->  规章: [None, 3, 4]   (was: "规章不详" unmatched, or
                                                   [3, 4, None])

    The text must sit on the label's and the value's line, right before the value, be
    short (:data:`MARKER_MAX_CHARS`) and unnumbered, and the label must match clearly
    better without it (:data:`MARKER_MARGIN`): ``3.补正后申请内容仍不\t明确\t0…`` and a
    label wrapped onto the values' line (``…申请`` / ``数量\t7\t…``) keep their words.  The
    marker is taken out of the pending label and returned as the row's first cell.
    """
    if tok.kind != KIND_VALUE or len(seg.pending) < 2:
        return None
    last = seg.pending[-1]
    key = label_key(last.text)
    if (
        last.line is not tok.line
        or seg.pending[-2].line is not tok.line
        or last.cell != tok.cell - 1
        or len(key) > MARKER_MAX_CHARS
        or split_numbering(key)[0]
    ):
        return None
    keys = [label_key(t.text) for t in seg.pending]
    without = match_row(keys[:-1], seg.template, seg.expected())
    full = match_row(keys, seg.template, seg.expected())
    if without is None or (full is not None and full.score + MARKER_MARGIN > without.score):
        return None
    seg.pending.pop()
    return Token(KIND_VALUE, last.text, last.line, last.cell, unknown=True)


def rows_without_values(seg: Segmenter, earlier: Sequence[Token]) -> bool:
    """Labels before the matched one that are rows of their own are read with no values.

    Repairs (a row whose cells are all empty and vanished)::

        （五）不予处理      row_label   -> requests.not_processed… all null
        （六）其他处理      row_label
        0  0  0  0  0  0  0  values      -> （六）其他处理
    """
    found = False
    for tok in earlier:
        m = match_row([label_key(tok.text)], seg.template, seg.expected())
        if m is not None and m.score >= SKIPPED_ROW_MIN_SCORE and m.row.key not in seg.placed:
            seg.out.candidates.append(
                RowCandidate(m.row, [tok], [], ("rows_without_values",), empty=True)
            )
            seg.placed[m.row.key] = ()
            found = True
    return found


BLANK_INFERRED_RULES: frozenset[str] = frozenset({rows_without_values.__name__})
"""Rules that read a row blank because its label printed no values: an inference (the
values may have gone to the rows around it), not cells read empty."""


def label_split_from_its_values(seg: Segmenter, match: RowMatch | None) -> bool:
    """A label that names no row surely (``match``), on the line after a row whose cells
    were all empty, is the rest of that row's label, and the values that follow are
    that row's.

    Repairs (pymupdf4llm, a PDF-to-Markdown converter, splits a drawn row whose label
    wraps into two table rows: the label's head with empty cells, its tail with the
    values; render p053)::

        |（六）|1.申请人无正当理由||||||||                 row  -> no_correction, cells empty
        |其他处<br>理|逾期不补正、行政机<br>关不再处理…|0|0|0|0|0|0|0|   -> its values

    The label's own match (其他处理逾期不补正… as 3.其他, 91 with the bonus of the
    rows expected next) is no row surely when the blank row's label and it, joined,
    match the blank row better (95), or when it names the blank row itself.  Only where
    no piece of the label begins a numbered item (``2.``, ``（三）``: a row of its own)
    and the blank row was the last row read, on the line before.
    """
    last = seg.out.candidates[-1] if seg.out.candidates else None
    if (
        last is None
        or not last.values
        or any(t.kind != KIND_EMPTY for t in last.values)
        or seg.pending[0].line.number != last.values[-1].line.number + 1
        or any(split_numbering(label_key(t.text))[0] for t in seg.pending)
    ):
        return False
    if match is not None and match.row != last.row:
        joined = label_key("".join(t.text for t in [*last.label, *seg.pending]))
        if score_on_row(joined, last.row, seg.template) <= match.score:
            return False
    seg.out.candidates.pop()
    del seg.placed[last.row.key]
    seg.open(last.row, [*last.label, *seg.pending])
    seg.rules = [*last.rules]
    seg.applied("label_split_from_its_values")
    return True


def appeals_label_opens_appeals_row(seg: Segmenter, appeals_like: bool) -> bool:
    """A label of the appeals table (or any label in its zone) opens the appeals row.

    Repairs (the appeals table's group labels vanished or merged into one line)::

        行政复议 结果维持 …   header
        未经复议直接起诉       row_label   (matches no row well)
        0 0 0 0 0 …           values      -> appeals
    """
    if (seg.zone == "appeals" or appeals_like) and "appeals" not in seg.placed:
        seg.open(seg.template.row("appeals"), [])
        seg.applied("appeals_label_opens_appeals_row")
        return True
    return False


def appeals_values_without_label(seg: Segmenter, tok: Token) -> bool:
    """Values under the appeals headers with no label at all are the appeals row; the
    empty cells its line starts with (the line's ``indent``) are its first cells, blank.

    Repairs::

        结果维持 结果纠正 …                      header
        0 0 0 0 0 …                              values   -> appeals
        <tab>×5 0 0 0 0 0 14 0 0 0 14            values   -> appeals, 行政复议's five blank

    (the appeals table has no label column, so nothing else starts its row).
    """
    if seg.zone == "appeals" and "appeals" not in seg.placed:
        seg.open(seg.template.row("appeals"), [])
        seg.applied("appeals_values_without_label")
        appeals_leading_blanks(seg, tok)
        return True
    return False


def appeals_leading_blanks(seg: Segmenter, tok: Token) -> None:
    """Blank cells before the first value of a label-free appeals row are its blanks.

    Repairs (a row of an HTML or Word table, a tab, grid or pipe row, whose first cells
    are blank: they were taken for indentation and every value moved left)::

        结果维持 结果纠正 …   header
        \t0\t\t0\t0\t\t0 …   values   -> [None, 0, None, 0, 0, None, 0, …]
         | 0|  | 0| 0|  | …    values   (the html2text module)

    Only on a line of cells (tab, grid or pipe) whose leading blanks and values fit
    the appeals row's width and whose cells, trailing empty ones included, fill it
    (fuzz seed 1723: five blank 行政复议 cells, ten values and a closing tab).
    """
    line = tok.line
    cells = (Separator.TAB, Separator.GRID, Separator.PIPE)
    if tok.cell != 0 or not line.indent or line.sep not in cells:
        return
    content = len(line.cells)
    while content and not line.cells[content - 1]:
        content -= 1
    if (
        not line.indent + content
        <= seg.template.row("appeals").width
        <= line.indent + len(line.cells)
    ):
        return
    seg.values.extend(Token(KIND_EMPTY, "", line, 0) for _ in range(line.indent))
    seg.applied("appeals_leading_blanks")


def duplicate_row_keeps_fuller(seg: Segmenter, row: RowSpec, values: Sequence[Token]) -> bool:
    """A row read twice keeps the reading with more values (the first on a tie).

    Repairs (a page break repeating a row, or a note quoting a label)::

        （七）总计   3 0 0 0 0 0 3    row
        …
        （七）总计                   row_label   (a later mention, no values)

    Returns whether the new reading is kept.  Values are counted only for a row read
    twice (:func:`giextract.resolve.filled_count`).
    """
    previous = seg.placed.get(row.key)
    if previous is None:
        return True
    if filled_count(row, previous, seg.max_digits) >= filled_count(row, values, seg.max_digits):
        raws = ", ".join(t.text or "''" for t in values)
        seg.warn(
            "duplicate_row",
            f"row {row.label!r} read twice; kept the first (left: values [{raws}])",
            values[0].line.number,
        )
        return False
    return True


_AROUND_A_TABLE = frozenset({LineLabel.BLANK.value, LineLabel.NOISE.value})
"""Labels of the lines :func:`row_label_taken_for_heading` looks past for neighbours."""
_OUT_OF_TABLE = frozenset(m.value for m in SKIPPED) | {LineLabel.TABLE_TITLE.value}
_HEADING = LineLabel.HEADING.value  # an enum member's value is a slow property: once


def row_label_taken_for_heading(
    lines: Sequence[Line], labels: Sequence[str], template: Template
) -> tuple[list[str], frozenset[int]]:
    """A line taken for a prose heading that names a row of the template, between lines
    of a table, is that row's label.

    Repairs (``pdftotext -raw``, pypdfium2: the classifier reads the numbered start of
    a wrapped row label as a section heading, and the values below join the row above)::

        (一)予以公开 24 0 0 0 0 24           row
        (二)部分公开(区分处理的,              heading      -> row_label
        只计这一情形,不计其他情               continuation
        形)                                   continuation
        0 0 0 0 0 0 0                         row

    The line holds no value, matches a row (:func:`giextract.labels.match_row`), and the
    nearest lines above and below that are not blank or page noise are table lines.
    Returns the labels and the numbers of the lines relabelled.
    """
    out = list(labels)
    relabelled: set[int] = set()
    for i, label in enumerate(labels):
        if label != _HEADING or not _between_table_lines(labels, i):
            continue
        line = lines[i]
        if any(is_value(c) for c in line.cells):
            continue
        if match_row([label_key(line.text)], template) is not None:
            out[i] = LineLabel.ROW_LABEL.value
            relabelled.add(line.number)
    return out, frozenset(relabelled)


def _between_table_lines(labels: Sequence[str], i: int) -> bool:
    """Whether the nearest lines around line ``i`` (past blanks and noise) are table lines."""
    above = next((x for x in reversed(labels[:i]) if x not in _AROUND_A_TABLE), None)
    below = next((x for x in labels[i + 1 :] if x not in _AROUND_A_TABLE), None)
    return all(x is not None and x not in _OUT_OF_TABLE for x in (above, below))


SEGMENT_RULES: tuple[SegmentRule, ...] = tuple(
    SegmentRule(f.__name__, f.__doc__ or "")
    for f in (
        row_label_taken_for_heading,
        label_split_by_page_break,
        label_end_taken_for_header,
        lone_tabs_of_merged_header,
        appeals_header_zone,
        numbered_continuation_begins_label,
        label_wrapped_around_values,
        wrapped_label,
        group_label_padding,
        marker_after_label,
        rows_without_values,
        label_split_from_its_values,
        appeals_label_opens_appeals_row,
        appeals_values_without_label,
        appeals_leading_blanks,
        duplicate_row_keeps_fuller,
    )
)
"""The repair rules of the walk, in the order it applies them."""


def segment(
    lines: Sequence[Line],
    labels: Sequence[str],
    template: Template,
    max_digits: int = MAX_DIGITS,
) -> Segments:
    """Segment labelled lines into row candidates (in reading order) and warnings."""
    labels, relabelled = row_label_taken_for_heading(lines, labels, template)
    seg = Segmenter(template, max_digits)
    for tok in tokens_of(lines, labels):
        if relabelled and tok.kind == KIND_TEXT and tok.line.number in relabelled:
            seg.applied_to_pending(row_label_taken_for_heading.__name__)
        seg.feed(tok)
    seg.close()
    return seg.out
