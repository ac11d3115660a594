"""Rebuilding the three tables from labelled lines.

The labelled lines become a stream of tokens (label text, header text, values,
empty cells).  Walking the stream, label text collects until values follow; the
collected label is matched onto a template row (:func:`giextract.fields.match_row`)
and the values that follow are that row's, until the next label.  A row whose
number of values differs from the template's (an empty cell that vanished, an
empty merged cell kept as a lone tab) is read in every way the layout allows, and
the template's identities choose between the readings; printed numbers are never
changed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .catalogue import APPEAL_GROUPS, RowSpec, Template
from .fields import ParsedValue, label_tails, match_row, parse_value, table_of_title
from .lines import Line, is_value
from .normalize import label_key, split_numbering

SKIPPED = frozenset({"blank", "noise", "prose", "heading", "title"})
_APPEALS_WORDS = re.compile(
    r"行政复议|行政诉讼|复议后起诉|直接起诉|结果维持|结果纠正|其他结果|尚未审结"
)
MAX_CANDIDATES = 400


@dataclass(frozen=True)
class Token:
    """One piece of a table: ``text`` (label), ``cont`` (label continuation), ``header``,
    ``title``, ``value`` or ``empty``; with the line and cell it came from."""

    kind: str
    text: str
    line: Line
    cell: int


@dataclass(frozen=True)
class CellReading:
    """A value read for one field, and where it was printed."""

    parsed: ParsedValue
    line: int
    cell: int
    page: int | None


@dataclass
class RowReading:
    """What was read for one template row."""

    row: RowSpec
    label_lines: list[int]
    label_text: str
    cells: list[CellReading | None]
    readings: int = 1
    ambiguous: bool = False


@dataclass
class Rebuilt:
    """The rebuilt tables: a reading per row found, and what could not be placed."""

    rows: dict[str, RowReading] = field(default_factory=dict)
    warnings: list[dict[str, object]] = field(default_factory=list)


def tokens_of(lines: Sequence[Line], labels: Sequence[str]) -> list[Token]:
    """Turn labelled lines into table tokens; prose, headings and noise are left out."""
    tokens: list[Token] = []
    last_role = "text"
    for line, label in zip(lines, labels, strict=True):
        if label in SKIPPED:
            continue
        cells = line.cells
        if label == "continuation":
            kind = "header" if last_role == "header" else "cont"
            tokens += [
                Token(kind, c, line, i) for i, c in enumerate(cells) if c and not is_value(c)
            ]
            continue
        if label == "table_title":
            tokens.append(Token("title", line.text, line, 0))
            last_role = "title"
        elif label == "header":
            tokens += [Token("header", c, line, i) for i, c in enumerate(cells) if c]
            last_role = "header"
        elif label == "empty_cell":
            tokens.append(Token("empty", "", line, 0))
        elif label == "value":
            tokens += [_cell_token(c, line, i) for i, c in enumerate(cells) if c or len(cells) == 1]
        elif label == "values":
            tokens += [_cell_token(c, line, i, text_kind="cont") for i, c in enumerate(cells)]
            last_role = "values"
        else:  # group, row_label, row
            tokens += _row_tokens(line)
            last_role = "text"
    return tokens


def _cell_token(cell: str, line: Line, i: int, text_kind: str = "text") -> Token:
    if not cell:
        return Token("empty", "", line, i)
    if is_value(cell):
        return Token("value", cell, line, i)
    return Token(text_kind, cell, line, i)


def _row_tokens(line: Line) -> list[Token]:
    cells = line.cells
    start = 0
    while start < len(cells) and not cells[start]:
        start += 1
    return [_cell_token(c, line, i) for i, c in enumerate(cells) if i >= start]


class _Builder:
    def __init__(self, template: Template) -> None:
        self.template = template
        self.order = [r.key for r in template.rows]
        self.result = Rebuilt()
        self.zone: str | None = None
        self.pending: list[Token] = []
        self.current: RowSpec | None = None
        self.current_label: list[Token] = []
        self.values: list[Token] = []
        self.last_key: str | None = None
        self.unplaced = False

    # -- events --------------------------------------------------------------
    def feed(self, tok: Token) -> None:
        kind = tok.kind
        if kind == "title":
            self.close()
            self.pending.clear()
            self.zone = table_of_title(tok.text) or self.zone
        elif kind == "header":
            if self.unplaced and self.values:
                # A page break inside a split label: the repeated header is skipped and
                # the label's rest may follow.
                self.current_label.append(tok)
                self.retry_label()
                if self.unplaced:
                    self.current_label.pop()
                return
            if self.values and all(t.kind == "empty" for t in self.values):
                # Lone tabs of merged header cells, not a row's blank values.
                self.current, self.values, self.current_label = None, [], []
            elif self.values:
                self.close()
            if _APPEALS_WORDS.search(tok.text) and self.zone != "active":
                self.zone = "appeals"
            self.pending.clear()
        elif kind == "cont":
            if self.values and (self.current is not None or self.unplaced):
                self.current_label.append(tok)
                if self.unplaced:
                    self.retry_label()
            elif self.pending:
                last = self.pending[-1]
                self.pending[-1] = Token("text", last.text + tok.text, last.line, last.cell)
            else:
                self.pending.append(Token("text", tok.text, tok.line, tok.cell))
        elif kind == "text":
            if self.values:
                self.close()
            self.pending.append(tok)
        else:
            self.value(tok)

    def value(self, tok: Token) -> None:
        if self.pending and tok.kind == "empty" and self.current is None:
            # Empty cells after a label open its row only if the label is a row's
            # (行政事业性收费 with a blank value); after a group label they are padding.
            keys = [label_key(t.text) for t in self.pending]
            if match_row(keys, self.template, self.expected()) is None:
                return
        if self.pending:
            self.open_from_pending()
        elif self.current is None and not self.unplaced:
            appeals_done = "appeals" in self.result.rows
            if self.zone == "appeals" and not appeals_done:
                self.open(self.template.row("appeals"), [])
            elif tok.kind == "value":
                self.warn("stray_value", f"value {tok.text!r} outside any row", tok.line.number)
                return
            else:
                return
        self.values.append(tok)

    def open_from_pending(self) -> None:
        self.close()
        keys = [label_key(t.text) for t in self.pending]
        match = match_row(keys, self.template, self.expected())
        appeals_like = any(_APPEALS_WORDS.search(t.text) for t in self.pending)
        if match is not None and not (appeals_like and match.score < 90):
            self.note_skipped_rows(self.pending[: -match.used])
            self.open(match.row, self.pending[-match.used :])
            self.zone = match.row.table
        elif (self.zone == "appeals" or appeals_like) and "appeals" not in self.result.rows:
            self.open(self.template.row("appeals"), [])
        else:
            self.current = None
            self.current_label = list(self.pending[-1:])
            self.unplaced = True
        self.pending.clear()

    def retry_label(self) -> None:
        """A label split by a page break (二、上 … 年结转…) matches once it is whole.

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

    def note_skipped_rows(self, earlier: Sequence[Token]) -> None:
        """Labels before the matched one that are rows of their own with no values."""
        for tok in earlier:
            m = match_row([label_key(tok.text)], self.template, self.expected())
            if m is not None and m.score >= 90 and m.row.key not in self.result.rows:
                self.result.rows[m.row.key] = RowReading(
                    m.row, [tok.line.number], tok.text, [None] * m.row.width
                )

    def expected(self) -> list[str]:
        if self.last_key is None:
            return self.order[:4]
        i = self.order.index(self.last_key)
        return self.order[i + 1 : i + 5]

    def open(self, row: RowSpec, label: list[Token]) -> None:
        self.current = row
        self.current_label = list(label)
        self.values = []

    def close(self) -> None:
        row, values, label = self.current, self.values, self.current_label
        self.current, self.values, self.current_label = None, [], []
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
        reading = read_row(row, values, frozenset(t.line.number for t in label))
        reading.label_lines = sorted({t.line.number for t in label})
        reading.label_text = "".join(t.text for t in label)
        previous = self.result.rows.get(row.key)
        if previous is not None and _filled(previous) >= _filled(reading):
            self.warn(
                "duplicate_row",
                f"row {row.label!r} read twice; kept the first",
                values[0].line.number,
            )
            return
        self.result.rows[row.key] = reading
        self.last_key = row.key

    def warn(self, code: str, message: str, line: int) -> None:
        self.result.warnings.append({"code": code, "message": message, "line": line})


def _filled(r: RowReading) -> int:
    return sum(1 for c in r.cells if c is not None and c.parsed.value is not None)


def rebuild(lines: Sequence[Line], labels: Sequence[str], template: Template) -> Rebuilt:
    """Rebuild the tables of a report from its labelled lines."""
    builder = _Builder(template)
    for tok in tokens_of(lines, labels):
        builder.feed(tok)
    builder.close()
    return builder.result


# -- reading one row ----------------------------------------------------------
def _cell(tok: Token) -> CellReading:
    return CellReading(parse_value(tok.text), tok.line.number, tok.cell, tok.line.page)


def _candidates(
    row: RowSpec, toks: Sequence[Token], label_lines: frozenset[int]
) -> list[tuple[list[Token | None], float]]:
    """Every way to lay ``toks`` onto the row's columns, each with its prior cost."""
    w, n = row.width, len(toks)
    if n == w:
        return [(list(toks), 0.0)]
    if n > w:
        return _drop_candidates(toks, n - w, label_lines)
    return _insert_candidates(row, toks, w - n)


def _drop_candidates(
    toks: Sequence[Token], extra: int, label_lines: frozenset[int] = frozenset()
) -> list[tuple[list[Token | None], float]]:
    """Readings that drop ``extra`` empty cells, each with its prior cost.

    Empty cells on the label's own line right after it are the padding of a label that
    spans several columns (cheapest); trailing empty cells are the padding of the next
    row's merged group cell; an empty cell between values is most likely a blank value.
    """
    empties = [i for i, t in enumerate(toks) if t.kind == "empty"]
    if len(empties) < extra:
        kept = [t for t in toks if t.kind != "empty"]
        return [(list(kept[: len(toks) - extra]), 5.0)]
    out: list[tuple[list[Token | None], float]] = []
    n = len(toks)
    for drop in itertools.islice(itertools.combinations(empties, extra), MAX_CANDIDATES):
        dropped = set(drop)
        cost = 0.0
        for i in drop:
            if all(j in dropped for j in range(i)):
                cost += 0.2 if toks[i].line.number in label_lines else 0.6
            elif all(j in dropped for j in range(i + 1, n)):
                cost += 0.3
            else:
                cost += 1.0
        out.append(([t for i, t in enumerate(toks) if i not in dropped], cost))
    return out


def _insert_candidates(
    row: RowSpec, toks: Sequence[Token], missing: int
) -> list[tuple[list[Token | None], float]]:
    w = row.width
    out: list[tuple[list[Token | None], float]] = []
    if row.key == "appeals" and missing % 5 == 0:
        for groups in itertools.combinations(range(3), missing // 5):
            it = iter(toks)
            cells: list[Token | None] = []
            for g in range(3):
                cells += [None] * 5 if g in groups else [next(it) for _ in range(5)]
            out.append((cells, 0.2 * sum(groups)))
    for holes in itertools.islice(itertools.combinations(range(w), missing), MAX_CANDIDATES):
        it = iter(toks)
        cells = [None if i in holes else next(it) for i in range(w)]
        # With nothing else to go on, a vanished cell is taken to be a later one.
        out.append((cells, 0.5 + missing - 0.02 * sum(holes)))
    return out


def _num(cell: Token | None) -> float:
    if cell is None or cell.kind == "empty":
        return 0.0
    v = parse_value(cell.text).value
    return float(v) if v is not None else 0.0


def _identity_score(row: RowSpec, cells: Sequence[Token | None]) -> float:
    """Points for each identity of the row the reading satisfies."""
    nums = [_num(c) for c in cells]
    if row.table == "requests" and len(nums) == 7:
        return 3.0 if abs(sum(nums[:6]) - nums[6]) < 1e-6 else 0.0
    if row.key == "appeals" and len(nums) == 15:
        score = 0.0
        for g in range(len(APPEAL_GROUPS)):
            part = nums[g * 5 : g * 5 + 5]
            if abs(sum(part[:4]) - part[4]) < 1e-6:
                score += 3.0
        return score
    return 0.0


def _signature(cells: Sequence[Token | None]) -> tuple[str | None, ...]:
    return tuple(None if c is None or c.kind == "empty" else c.text for c in cells)


def read_row(
    row: RowSpec, toks: Sequence[Token], label_lines: frozenset[int] = frozenset()
) -> RowReading:
    """Lay a row's value tokens onto its columns, choosing by identities then by prior.

    The reading is ``ambiguous`` when readings that put different numbers in different
    columns satisfy the identities equally well.
    """
    scored = [
        (_identity_score(row, cells), cost, cells)
        for cells, cost in _candidates(row, toks, label_lines)
    ]
    top = max(s for s, _, _ in scored)
    best_group = [(cost, cells) for s, cost, cells in scored if s == top]
    best_group.sort(key=lambda cc: cc[0])
    best = best_group[0][1]
    rivals = {_signature(c) for _, c in best_group}
    cells = [None if t is None else _cell(t) for t in best]
    return RowReading(
        row, [], "", cells[: row.width], readings=len(scored), ambiguous=len(rivals) > 1
    )
