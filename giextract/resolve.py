"""Resolving a row candidate: laying its value cells onto the template row's columns.

A row whose number of cells equals the template's is read as printed.  Otherwise
it can be read in several ways: empty cells dropped (merged-cell padding) when it
has too many, holes inserted (vanished blank cells) when it has too few.  The
readings are searched exactly, with no cap, by dynamic programming over the cell
positions:

1. the identities of the row (:func:`giextract.catalogue.row_identities`, the same
   definitions as :mod:`giextract.checks`) score each reading, one point per
   identity it satisfies (blanks count as 0);
2. among the best-scored readings, the priors of the repair rules below give the
   cheapest one (:data:`RESOLVE_RULES`);
3. a tie is broken by a fixed order (the earliest set of dropped cells or holes),
   so the answer does not depend on the order the readings are enumerated in.

The reading is ``ambiguous`` when readings that put different numbers in different
columns satisfy the identities equally well.  Printed numbers are never changed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from .catalogue import (
    APPEAL_GROUPS,
    TOLERANCE,
    RowSpec,
    Template,
    identities_within,
    load_template,
)
from .tokens import KIND_EMPTY, LightRecord, Token
from .values import MAX_DIGITS, ParsedValue, parse_value

# -- priors, in hundredths (integers, so that equal costs are equal) --------------------
LABEL_LINE_PADDING_COST = 20
"""Dropping an empty cell right after the label, on the label's own line."""
LEADING_PADDING_COST = 60
"""Dropping an empty cell before the first value, on another line than the label."""
TRAILING_PADDING_COST = 30
"""Dropping an empty cell after the last value (the next row's merged group cell)."""
INNER_EMPTY_COST = 100
"""Dropping an empty cell between values (most likely a blank value, so dear)."""
TRUNCATION_COST = 500
"""Cutting off values when there are not enough empty cells to drop."""
HOLE_BASE_COST = 50
"""Base cost of a reading with vanished cells."""
HOLE_COST = 100
"""Cost of each vanished cell."""
LATER_HOLE_DISCOUNT = 2
"""Discount per column index of a vanished cell: with nothing else to go on, a
vanished cell is taken to be a later one."""
APPEALS_GROUP_COST = 20
"""Cost per group index of a vanished appeals group (行政复议 first: most often blank)."""
MAX_SEARCH_CELLS = 256
"""Cells beyond which a row is not searched (it is cut to its width and flagged)."""
ENUMERATE_UP_TO = 32
"""Readings up to this many are listed one by one (faster); more are searched."""
MAX_KEPT_LAYINGS = 64
"""A row with up to this many tied readings keeps them (``RowReading.layings``)."""
ALL_TIED_UP_TO = 8192
"""An ambiguous row with up to this many readings has its tied readings compared column by
column (:func:`differing_columns`); the widest row (appeals, 15 columns) has at most 6435."""


class CellReading(LightRecord):
    """A value read for one field, and where it was printed (a light record: one per cell)."""

    __slots__ = ("cell", "line", "page", "parsed")
    _FIELDS = ("parsed", "line", "cell", "page")

    def __init__(self, parsed: ParsedValue, line: int, cell: int, page: int | None) -> None:
        self.parsed = parsed
        self.line = line
        self.cell = cell
        self.page = page


@dataclass
class RowReading:
    """What was read for one template row.

    ``readings`` counts the ways the row could be laid onto its columns, ``ambiguous``
    says the identities could not tell apart readings with different numbers, and
    ``rules`` names the repair rules that shaped the row (for provenance).
    """

    row: RowSpec
    label_lines: list[int]
    label_text: str
    cells: list[CellReading | None]
    readings: int = 1
    ambiguous: bool = False
    rules: tuple[str, ...] = ()
    disputed: dict[int, tuple[int | float | str | None, ...]] = field(default_factory=dict)
    """Columns the tied readings fill differently, with each one's candidates: the cell
    read there is the prior's guess, kept for provenance; the field is null."""
    layings: tuple[tuple[CellReading | None, ...], ...] = ()
    """The tied readings of a row with disputed columns (cheapest prior first; up to
    :data:`MAX_KEPT_LAYINGS`), for the table's identities to decide between jointly
    (:func:`giextract.tables.columns_decided_jointly`)."""

    @property
    def first_line(self) -> int | None:
        """The line of the row's first printed cell (None if it printed none)."""
        return next((c.line for c in self.cells if c is not None), None)


@dataclass(frozen=True)
class ResolveRule:
    """A named repair rule of the resolve step: a prior on one way to re-lay a row."""

    name: str
    doc: str


def _rule(fn: Callable[..., object]) -> ResolveRule:
    return ResolveRule(fn.__name__, fn.__doc__ or "")


def label_span_padding() -> None:
    """Empty cells right after a label that spans several columns are its padding.

    Repairs ``一、本年新收…申请数量\\t\\t1\\t2\\t0\\t0\\t0\\t0\\t3`` (8 cells, 7 columns):
    the empty cell after the label is dropped, cheapest when on the label's line
    (:data:`LABEL_LINE_PADDING_COST`, else :data:`LEADING_PADDING_COST`).

    On a row of a table that a reader laid on its grid (HTML, Word, PDF: the line's
    ``table`` is known) the padding is the label's merged cell itself, so the row's values
    are its last cells: that reading is certain, never ``ambiguous`` however the
    identities tie, and not one chosen among others (``readings`` is 1)
    (``规章\t\t\t\t0\t0\t\t0`` keeps its blank in the third column).
    """


def next_group_padding() -> None:
    """Empty cells after the last value are the padding of the next row's merged cell.

    Repairs ``…\\t1\\t2\\t0\\t0\\t0\\t0\\t3\\t`` (a trailing tab): the trailing empty cell
    is dropped (:data:`TRAILING_PADDING_COST`).
    """


def blank_between_values() -> None:
    """An empty cell between values is a blank value; dropping it is dear.

    ``…\\t1\\t\\t0\\t0\\t0\\t0\\t1`` keeps its blank as the second column
    (:data:`INNER_EMPTY_COST` to drop it instead).
    """


def too_many_values() -> None:
    """A row with more values than columns and too few empty cells: cut, and flagged.

    ``规章 1 2 3 4 5`` onto four columns keeps the first four (:data:`TRUNCATION_COST`).
    """


def vanished_appeals_group() -> None:
    """Ten values under the appeals headers: a whole group of five vanished.

    Repairs (行政复议's five blank cells gone from a web dump)::

        行政复议 行政诉讼 …       header
        1 2 0 0 3 0 1 1 0 2     values  -> [None × 5, 1, 2, 0, 0, 3, 0, 1, 1, 0, 2]

    Each group satisfies its identity wherever it goes, so the prior decides: the
    earliest group (行政复议, most often blank) is the missing one
    (:data:`APPEALS_GROUP_COST` per group index), and the reading is ambiguous.
    """


def vanished_cell() -> None:
    """Too few values: blank cells vanished (lynx, web text dumps).

    ``一、本年新收…申请数量 5 2 0 0 0 7`` (6 values, 7 columns): holes go where the
    identities hold (总计 = the six), else as late as possible
    (:data:`HOLE_BASE_COST`, :data:`HOLE_COST`, :data:`LATER_HOLE_DISCOUNT`).
    """


RESOLVE_RULES: tuple[ResolveRule, ...] = tuple(
    _rule(f)
    for f in (
        label_span_padding,
        next_group_padding,
        blank_between_values,
        too_many_values,
        vanished_appeals_group,
        vanished_cell,
    )
)
"""The repair rules of the resolve step, in the order their priors are applied."""

POSITION_GUESS_RULES: frozenset[str] = frozenset(
    f.__name__
    for f in (blank_between_values, too_many_values, vanished_appeals_group, vanished_cell)
)
"""Rules that infer a value's column because cells vanished or one too many was printed.
The padding rules only drop empty cells and keep the values in their printed order; these
move values, so a row they shaped is "repaired" in the trust contract."""

DROPPED_VALUE_RULES: frozenset[str] = frozenset({too_many_values.__name__})
"""Rules that leave printed values out of a row: which of them were extra is a choice
(``0 1 9`` onto two columns, a tool having cut ``19`` into two cells), so the row's values
are chosen among readings, and need review unless an identity confirms them."""


# -- the search ---------------------------------------------------------------------
Cells = list[Token | None]
Cell = int | float | str | None
_T = TypeVar("_T")
"""A cell as a field will hold it: its number, None for a blank, its text if unparsed."""
Signature = tuple[Cell, ...]


@dataclass
class _Entry:
    """The best partial reading reaching one search state with one identity score."""

    cost: int
    choice: tuple[int, ...]  # dropped cells (drop mode) or hole columns (insert mode)
    sigs: tuple[Signature, ...]  # up to two distinct partial signatures
    count: int


@dataclass
class _Outcome:
    cells: Cells
    score: int
    readings: int
    ambiguous: bool
    rules: tuple[str, ...] = field(default_factory=tuple)


def _sig_of(tok: Token | None) -> Cell:
    """What a cell puts in its field: readings that differ only in where an empty cell and
    a blank marker sit (``—``, ``/``), or in how a number is written, give the same fields."""
    if tok is None or tok.kind == KIND_EMPTY:
        return None
    return _field_value(tok.text)


@lru_cache(maxsize=65536)
def _field_value(text: str) -> Cell:
    parsed = parse_value(text)
    return parsed.value if parsed.ok else text


def _num(tok: Token | None, max_digits: int) -> float:
    if tok is None or tok.kind == KIND_EMPTY:
        return 0.0
    return _number(tok.text, max_digits)


@lru_cache(maxsize=65536)
def _number(text: str, max_digits: int) -> float:
    v = parse_value(text, max_digits).value
    return float(v) if v is not None else 0.0


class _Identities:
    """The row's identities as column events: add a value to a side, close an identity."""

    def __init__(self, ids: Sequence[tuple[str, list[int], list[int]]], width: int) -> None:
        self.n = len(ids)
        self.adds: list[list[tuple[int, int]]] = [[] for _ in range(width)]
        self.closes: list[list[int]] = [[] for _ in range(width)]
        for k, (_, left, right) in enumerate(ids):
            for side, cols in ((0, left), (1, right)):
                for c in sorted(cols):
                    self.adds[c].append((k, side))
            self.closes[max((*left, *right))].append(k)
        self.sides = [(tuple(sorted(left)), tuple(sorted(right))) for _, left, right in ids]

    def step(
        self, acc: tuple[tuple[float, float], ...], col: int, value: float
    ) -> tuple[tuple[tuple[float, float], ...], int]:
        """Add ``value`` at column ``col``; the new sums and the identities it satisfies."""
        if not self.adds[col] and not self.closes[col]:
            return acc, 0
        sums = [list(p) for p in acc]
        for k, side in self.adds[col]:
            sums[k][side] += value
        points = 0
        for k in self.closes[col]:
            lhs, rhs = sums[k]
            points += abs(lhs - rhs) < TOLERANCE
            sums[k] = [0.0, 0.0]
        return tuple((a, b) for a, b in sums), points

    def score(self, cells: Sequence[float]) -> int:
        """How many identities a whole row satisfies: :meth:`step` over every column, each
        side summed in column order from 0.0 as the steps add it (the same floats)."""
        total = 0
        for left, right in self.sides:
            lhs = sum([cells[c] for c in left], 0.0)
            rhs = sum([cells[c] for c in right], 0.0)
            total += abs(lhs - rhs) < TOLERANCE
        return total


def _merge(
    table: dict[tuple[int, int, tuple[tuple[float, float], ...]], dict[int, _Entry]],
    key: tuple[int, int, tuple[tuple[float, float], ...]],
    score: int,
    cost: int,
    choice: tuple[int, ...],
    sigs: tuple[Signature, ...],
    count: int,
) -> None:
    by_score = table.setdefault(key, {})
    old = by_score.get(score)
    if old is None:
        by_score[score] = _Entry(cost, choice, sigs, count)
        return
    if (cost, choice) < (old.cost, old.choice):
        old.cost, old.choice = cost, choice
    if len(old.sigs) < 2:
        old.sigs = tuple(dict.fromkeys((*old.sigs, *sigs)))[:2]
    old.count += count


def _search(
    toks: Sequence[Token],
    width: int,
    ids: _Identities,
    drop: bool,
    label_lines: frozenset[int],
    max_digits: int,
) -> tuple[int, _Entry]:
    """The best reading: its identity score and its entry (cost, choice, rivals, count).

    ``drop``: the row has too many cells and empty ones are dropped; else holes are
    inserted.  States are (cells consumed, columns filled, open identity sums).
    """
    n = len(toks)
    k = n - width if drop else width - n
    start = (0, 0, tuple((0.0, 0.0) for _ in range(ids.n)))
    layer: dict[tuple[int, int, tuple[tuple[float, float], ...]], dict[int, _Entry]] = {
        start: {0: _Entry(0, (), ((),), 1)}
    }
    nums = [_num(t, max_digits) for t in toks]
    sigs = [_sig_of(t) for t in toks]
    for _ in range(n + (0 if drop else k)):
        nxt: dict[tuple[int, int, tuple[tuple[float, float], ...]], dict[int, _Entry]] = {}
        for (i, j, acc), by_score in layer.items():
            for score, e in by_score.items():
                if i < n and j < width:  # place cell i in column j
                    acc2, pts = ids.step(acc, j, nums[i])
                    s2 = tuple((*s, sigs[i]) for s in e.sigs)
                    _merge(nxt, (i + 1, j + 1, acc2), score + pts, e.cost, e.choice, s2, e.count)
                if drop and i < n and toks[i].kind == KIND_EMPTY and i - j < k:
                    cost = _drop_cost(toks[i], j, width, label_lines)
                    _merge(
                        nxt, (i + 1, j, acc), score, e.cost + cost, (*e.choice, i), e.sigs, e.count
                    )
                if not drop and j < width and j - i < k:  # a hole at column j
                    acc2, pts = ids.step(acc, j, 0.0)
                    s2 = tuple((*s, None) for s in e.sigs)
                    cost = HOLE_COST - LATER_HOLE_DISCOUNT * j
                    _merge(
                        nxt,
                        (i, j + 1, acc2),
                        score + pts,
                        e.cost + cost,
                        (*e.choice, j),
                        s2,
                        e.count,
                    )
        layer = nxt
    finals = [
        (s, e) for (i, j, _), by in layer.items() if i == n and j == width for s, e in by.items()
    ]
    top = max(s for s, _ in finals)
    best: _Entry | None = None
    for s, e in finals:
        if s != top:
            continue
        if best is None:
            best = _Entry(e.cost, e.choice, e.sigs, e.count)
        else:
            _fold(best, e)
    assert best is not None
    return top, best


def _enumerate(
    toks: Sequence[Token],
    width: int,
    ids: _Identities,
    drop: bool,
    label_lines: frozenset[int],
    max_digits: int,
) -> tuple[int, _Entry, int]:
    """The same answer as :func:`_search`, listing every reading (for few readings), and
    how many different rows the readings give: dropping either of two adjacent empty
    cells is one row (``行政事业性收费\t0\t\t``, width 2: one row, ``[0, blank]``)."""
    best: _Entry | None = None
    top = -1
    laid: set[Signature] = set()
    for choice in _choices(toks, width, drop):
        cells = _lay(toks, width, drop, choice)
        cost = _choice_cost(toks, width, drop, choice, label_lines)
        score = ids.score([_num(t, max_digits) for t in cells])
        sig = tuple(_sig_of(t) for t in cells)
        laid.add(sig)
        entry = _Entry(cost, choice, (sig,), 1)
        if score > top:
            top, best = score, entry
        elif score == top and best is not None:
            _fold(best, entry)
    assert best is not None
    return top, best, len(laid)


def _choices(toks: Sequence[Token], width: int, drop: bool) -> Iterator[tuple[int, ...]]:
    """Every reading as its choice: the empty cells dropped, or the columns left as holes."""
    n = len(toks)
    if drop:
        empties = [i for i, t in enumerate(toks) if t.kind == KIND_EMPTY]
        return itertools.combinations(empties, n - width)
    return itertools.combinations(range(width), width - n)


def _choice_cost(
    toks: Sequence[Token],
    width: int,
    drop: bool,
    choice: tuple[int, ...],
    label_lines: frozenset[int],
) -> int:
    """The prior cost of one reading (the repair rules' costs of what it drops or inserts)."""
    if not drop:
        return sum(HOLE_COST - LATER_HOLE_DISCOUNT * c for c in choice)
    cost, placed, gone = 0, 0, set(choice)
    for i, t in enumerate(toks):
        if i in gone:
            cost += _drop_cost(t, placed, width, label_lines)
        else:
            placed += 1
    return cost


def _fold(best: _Entry, e: _Entry) -> None:
    if (e.cost, e.choice) < (best.cost, best.choice):
        best.cost, best.choice = e.cost, e.choice
    best.sigs = tuple(dict.fromkeys((*best.sigs, *e.sigs)))[:2]
    best.count += e.count


def _drop_cost(tok: Token, placed: int, width: int, label_lines: frozenset[int]) -> int:
    if placed == 0:
        return LABEL_LINE_PADDING_COST if tok.line.number in label_lines else LEADING_PADDING_COST
    if placed == width:
        return TRAILING_PADDING_COST
    return INNER_EMPTY_COST


def _drop_rules(toks: Sequence[Token], dropped: tuple[int, ...], width: int) -> tuple[str, ...]:
    names: list[str] = []
    kept = 0
    chosen = set(dropped)
    for i in range(len(toks)):
        if i in chosen:
            name = (
                "label_span_padding"
                if kept == 0
                else "next_group_padding"
                if kept == width
                else "blank_between_values"
            )
            if name not in names:
                names.append(name)
        else:
            kept += 1
    return tuple(names)


def _lay(toks: Sequence[Token], width: int, drop: bool, choice: tuple[int, ...]) -> Cells:
    if drop:
        gone = set(choice)
        return [t for i, t in enumerate(toks) if i not in gone]
    holes = set(choice)
    it = iter(toks)
    return [None if c in holes else next(it) for c in range(width)]


def _lay_numbers(
    nums: Sequence[float], width: int, drop: bool, choice: tuple[int, ...]
) -> list[float]:
    """:func:`_lay` of the cells' numbers (a hole is 0, as :func:`_num` of no cell)."""
    if drop:
        gone = set(choice)
        return [x for i, x in enumerate(nums) if i not in gone]
    holes = set(choice)
    it = iter(nums)
    return [0.0 if c in holes else next(it) for c in range(width)]


def _group_readings(row: RowSpec, toks: Sequence[Token], missing: int) -> list[tuple[int, Cells]]:
    """Readings of the appeals row with whole groups of five vanished, with their cost."""
    if row.key != "appeals" or missing % 5:
        return []
    out: list[tuple[int, Cells]] = []
    for groups in itertools.combinations(range(len(APPEAL_GROUPS)), missing // 5):
        it = iter(toks)
        cells: Cells = []
        for g in range(len(APPEAL_GROUPS)):
            cells += [None] * 5 if g in groups else [next(it) for _ in range(5)]
        out.append((APPEALS_GROUP_COST * sum(groups), cells))
    return out


def best_reading(
    row: RowSpec,
    toks: Sequence[Token],
    template: Template | None = None,
    label_lines: frozenset[int] = frozenset(),
    max_digits: int = MAX_DIGITS,
) -> _Outcome:
    """The reading of a row's cells the identities, then the priors, choose."""
    width, n = row.width, len(toks)
    if n == width:
        return _Outcome(list(toks), 0, 1, False)
    tid = template.id if template is not None else _template_of(row)
    ids = _identities_of(tid, row.field_ids)
    empties = sum(1 for t in toks if t.kind == KIND_EMPTY)
    if n > width and (empties < n - width or n > MAX_SEARCH_CELLS):
        kept = [t for t in toks if t.kind != KIND_EMPTY][:width]
        cells: Cells = [*kept, *[None] * (width - len(kept))]
        return _Outcome(cells, 0, 1, n > MAX_SEARCH_CELLS, ("too_many_values",))
    drop = n > width
    readings = math.comb(empties, n - width) if drop else math.comb(width, width - n)
    if readings <= ENUMERATE_UP_TO:
        top, entry, readings = _enumerate(toks, width, ids, drop, label_lines, max_digits)
    else:
        top, entry = _search(toks, width, ids, drop, label_lines, max_digits)
    best_cells = _lay(toks, width, drop, entry.choice)
    best_cost = entry.cost
    rules = _drop_rules(toks, entry.choice, width) if drop else ("vanished_cell",)
    rivals = set(entry.sigs)
    if not drop:
        best_cost = HOLE_BASE_COST + entry.cost
        groups = _group_readings(row, toks, width - n)
        readings += len(groups)
        for cost, cells in groups:
            score = ids.score([_num(t, max_digits) for t in cells])
            sig = tuple(_sig_of(t) for t in cells)
            if score > top:
                top, best_cost, best_cells, rivals = score, cost, cells, {sig}
                rules = ("vanished_appeals_group",)
            elif score == top:
                rivals.add(sig)
                if cost < best_cost:
                    best_cost, best_cells, rules = cost, cells, ("vanished_appeals_group",)
    if drop and _grid_padding_only(toks, entry.choice, n - width):
        return _Outcome(best_cells, top, 1, False, rules)  # the grid laid it: nothing chosen
    return _Outcome(best_cells, top, readings, len(rivals) > 1, rules)


def _grid_padding_only(toks: Sequence[Token], dropped: tuple[int, ...], extra: int) -> bool:
    """Whether the reading drops just the leading cells of one row of a reader's table
    grid (rule :func:`label_span_padding` on a structured table: a certain reading)."""
    line = toks[0].line
    return (
        line.table is not None
        and dropped == tuple(range(extra))
        and all(t.line is line for t in toks)
    )


def tied_readings(
    row: RowSpec,
    toks: Sequence[Token],
    template: Template | None = None,
    limit: int = 64,
    max_digits: int = MAX_DIGITS,
) -> list[Cells]:
    """Every reading of the row that its identities like best, cheapest prior first.

    For a caller that weighs the tied readings against other evidence (the table's column
    identities in :mod:`giextract.sequence`).  A row with more than ``limit`` readings
    gives only the best one of :func:`best_reading`.
    """
    width, n = row.width, len(toks)
    if n == width:
        return [list(toks)]
    drop = n > width
    empties = [i for i, t in enumerate(toks) if t.kind == KIND_EMPTY]
    if drop and len(empties) < n - width:
        return [best_reading(row, toks, template, max_digits=max_digits).cells]
    count = math.comb(len(empties), n - width) if drop else math.comb(width, width - n)
    if count > limit:
        return [best_reading(row, toks, template, max_digits=max_digits).cells]
    tid = template.id if template is not None else _template_of(row)
    ids = _identities_of(tid, row.field_ids)
    nums = [_num(t, max_digits) for t in toks]  # each cell's number, parsed once
    by_choice = [
        (ids.score(_lay_numbers(nums, width, drop, choice)), choice)
        for choice in _choices(toks, width, drop)
    ]
    groups = [
        (ids.score([_num(t, max_digits) for t in cells]), cost, cells)
        for cost, cells in (() if drop else _group_readings(row, toks, width - n))
    ]
    top = max(s for s, *_ in (*by_choice, *groups))
    # only the readings the identities like best are laid and priced (in the order made)
    tied: list[tuple[int, tuple[int, ...], Cells]] = [
        (
            _choice_cost(toks, width, drop, choice, frozenset()),
            choice,
            _lay(toks, width, drop, choice),
        )
        for score, choice in by_choice
        if score == top
    ]
    tied += [(cost, (), cells) for score, cost, cells in groups if score == top]
    return [c for _, _, c in sorted(tied, key=lambda x: x[:2])]


@lru_cache(maxsize=256)
def _identities_of(tid: str | None, field_ids: tuple[str, ...]) -> _Identities:
    if tid is None:
        return _Identities([], len(field_ids))
    return _Identities(identities_within(tid, field_ids), len(field_ids))


def _template_of(row: RowSpec) -> str | None:
    for tid in ("2019", "2021"):
        t = load_template(tid)
        if row in t.rows:
            return tid
    return None


def filled_count(row: RowSpec, toks: Sequence[Token], max_digits: int = MAX_DIGITS) -> int:
    """How many numbers a reading of the row will hold (the same for all its readings)."""
    width, n = row.width, len(toks)
    full = [t for t in toks if t.kind != KIND_EMPTY]
    if n > width and (n - len(full) < n - width or n > MAX_SEARCH_CELLS):
        full = full[:width]
    return sum(parse_value(t.text, max_digits).value is not None for t in full)


def cells_of(
    toks: Sequence[Token | None], max_digits: int = MAX_DIGITS
) -> list[CellReading | None]:
    """The reading of each cell of a row (``None``: a blank column): its parsed value and
    where it was printed.  One call a row: a report reads a few hundred cells."""
    out: list[CellReading | None] = []
    for tok in toks:
        if tok is None:
            out.append(None)
        else:
            line = tok.line
            out.append(
                CellReading(parse_value(tok.text, max_digits), line.numbers[0], tok.cell, line.page)
            )
    return out


def read_row(
    row: RowSpec,
    toks: Sequence[Token],
    label_lines: frozenset[int] = frozenset(),
    template: Template | None = None,
    max_digits: int = MAX_DIGITS,
) -> RowReading:
    """Lay a row's value tokens onto its columns, choosing by identities then by prior.

    The reading is ``ambiguous`` when readings that put different numbers in different
    columns satisfy the identities equally well.  Where cells vanished (fewer cells than
    columns), nothing says where the blanks stood: the columns the tied readings fill
    differently are its ``disputed`` ones (:func:`differing_columns`), whose fields will be
    null (a row with more than :data:`ALL_TIED_UP_TO` readings is not compared: vanished
    cells never give that many, only a row padded with very many empty cells can; it
    keeps the prior's reading).  Where there are more cells than columns, the printed
    cells are all there and the layout rules say which are padding
    (``label_span_padding``…): the prior's reading stands, flagged ambiguous.
    """
    out = best_reading(row, toks, template, label_lines, max_digits)
    cells = cells_of(out.cells, max_digits)
    disputed: dict[int, tuple[Cell, ...]] = {}
    layings: tuple[tuple[CellReading | None, ...], ...] = ()
    if out.ambiguous and len(toks) < row.width:
        tied = tied_readings(row, toks, template, limit=ALL_TIED_UP_TO, max_digits=max_digits)
        disputed = differing_columns(row.width, tied, _sig_of)
        if disputed and len(tied) <= MAX_KEPT_LAYINGS:
            layings = tuple(tuple(cells_of(c, max_digits)) for c in tied)
    return RowReading(
        row, [], "", cells[: row.width], out.readings, out.ambiguous, out.rules, disputed, layings
    )


def differing_columns(
    width: int, readings: Sequence[Sequence[_T]], field_of: Callable[[_T], Cell]
) -> dict[int, tuple[Cell, ...]]:
    """The columns the readings of a row fill differently (by what each cell puts in its
    field, ``field_of``), with their candidates in the readings' order (``None`` is a
    blank).  A missing cell is never guessed: these columns' fields are null.

    ``（一）予以公开 0 0 0 0 0 0`` on seven columns (a blank vanished, and every reading
    satisfies 总计 = the six) gives ``(0, None)`` for all seven columns: all null.
    ``5 2 0 0 0 7`` keeps the 总计 7 that every tied reading puts last.
    """
    out: dict[int, tuple[Cell, ...]] = {}
    for i in range(width):
        candidates = tuple(dict.fromkeys(field_of(cells[i]) for cells in readings))
        if len(candidates) > 1:
            out[i] = candidates
    return out


def field_of_cell(cell: CellReading | None) -> Cell:
    """What a cell read puts in its field: its number, None for a blank, its text where it
    is no number (as :func:`_sig_of` of the token it was read from)."""
    if cell is None:
        return None
    parsed = cell.parsed
    return parsed.value if parsed.ok else parsed.raw
