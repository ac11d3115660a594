"""Resolving a row: the exact search against a brute force over every reading, in any order.

The brute force enumerates every reading (every set of dropped empty cells, every set of
holes, every vanished appeals group), shuffles them, and picks by the documented order:
most identities satisfied, then the cheapest prior, then the earliest choice.  The search
must give the same cells and the same ``ambiguous`` flag, and stay fast on rows with 40
extra or vanished cells (timings: ``benchmarks/bench_rows.py``).
"""

from __future__ import annotations

import itertools
import math
import random
import time
from unittest.mock import patch

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from giextract import resolve as rs
from giextract.catalogue import RowSpec, load_template, row_identities
from giextract.lines import Line
from giextract.resolve import best_reading
from giextract.tokens import Token, TokenKind

T2019 = load_template("2019")
REQUESTS = T2019.row("requests.new_received")
APPEALS = T2019.row("appeals")
ACTIVE = T2019.row("active.rules")


def _line(number: int) -> Line:
    return Line(number, (number,), None, "", (), 0, "tab")


def _toks(cells: list[str], label_line: int = 1) -> list[Token]:
    line = _line(label_line)
    return [
        Token(TokenKind.EMPTY, "", line, i) if c == "" else Token(TokenKind.VALUE, c, line, i)
        for i, c in enumerate(cells)
    ]


def _score(row: RowSpec, cells: list[Token | None]) -> int:
    nums = [0.0 if t is None or t.kind == TokenKind.EMPTY else float(t.text) for t in cells]
    points = 0
    for _, left, right in row_identities(T2019, row):
        lhs = sum(nums[c] for c in left)
        rhs = sum(nums[c] for c in right)
        points += abs(lhs - rhs) < 1e-6
    return points


def _brute(
    row: RowSpec, toks: list[Token], label_lines: frozenset[int], seed: int
) -> tuple[list[Token | None], bool]:
    w, n = row.width, len(toks)
    readings: list[tuple[int, tuple[int, ...], int, list[Token | None]]] = []
    if n > w:
        empties = [i for i, t in enumerate(toks) if t.kind == TokenKind.EMPTY]
        for drop in itertools.combinations(empties, n - w):
            cost, placed = 0, 0
            for i in range(n):
                if i in drop:
                    cost += rs._drop_cost(toks[i], placed, w, label_lines)
                else:
                    placed += 1
            cells: list[Token | None] = [t for i, t in enumerate(toks) if i not in drop]
            readings.append((cost, (1, *drop), _score(row, cells), cells))
    else:
        for holes in itertools.combinations(range(w), w - n):
            it = iter(toks)
            cells = [None if c in holes else next(it) for c in range(w)]
            cost = rs.HOLE_BASE_COST + sum(rs.HOLE_COST - rs.LATER_HOLE_DISCOUNT * c for c in holes)
            readings.append((cost, (1, *holes), _score(row, cells), cells))
        if row.key == "appeals" and (w - n) % 5 == 0:
            for groups in itertools.combinations(range(3), (w - n) // 5):
                it = iter(toks)
                cells = []
                for g in range(3):
                    cells += [None] * 5 if g in groups else [next(it) for _ in range(5)]
                readings.append(
                    (rs.APPEALS_GROUP_COST * sum(groups), (0, *groups), _score(row, cells), cells)
                )
    random.Random(seed).shuffle(readings)
    top = max(r[2] for r in readings)
    best = min((r for r in readings if r[2] == top), key=lambda r: (r[0], r[1]))
    sigs = {
        tuple(None if t is None or t.kind == TokenKind.EMPTY else t.text for t in r[3])
        for r in readings
        if r[2] == top
    }
    return best[3], len(sigs) > 1


_cell = st.sampled_from(["", "", "0", "1", "2", "3", "5"])


@settings(max_examples=100, deadline=None)
@given(
    row=st.sampled_from([REQUESTS, APPEALS, ACTIVE]),
    cells=st.lists(_cell, min_size=1, max_size=12),
    seed=st.integers(0, 1000),
)
def test_search_equals_brute_force_in_any_order(row: RowSpec, cells: list[str], seed: int) -> None:
    toks = _toks(cells)
    n, w = len(toks), row.width
    empties = sum(1 for t in toks if t.kind == TokenKind.EMPTY)
    assume(n != w and not (n > w and empties < n - w))  # else one reading: no search
    # Keep the brute force fast; the larger cases are below.
    assume((math.comb(empties, n - w) if n > w else math.comb(w, w - n)) <= 1500)
    cells_bf, ambiguous_bf = _brute(row, toks, frozenset({1}), seed)
    out = best_reading(row, toks, T2019, frozenset({1}))
    assert (out.cells, out.ambiguous) == (cells_bf, ambiguous_bf)
    with patch.object(rs, "ENUMERATE_UP_TO", 0):  # the search, not the listing
        out = best_reading(row, toks, T2019, frozenset({1}))
    assert (out.cells, out.ambiguous) == (cells_bf, ambiguous_bf)


def _values(cells: list[Token | None]) -> list[str | None]:
    return [None if t is None or t.kind == TokenKind.EMPTY else t.text for t in cells]


def test_beyond_the_old_cap_the_search_equals_brute_force() -> None:
    # 14 empty cells, 8 to drop.
    cells = [
        "",
        "1",
        "",
        "",
        "0",
        "",
        "1",
        "",
        "",
        "2",
        "",
        "",
        "0",
        "2",
        "",
        "",
        "",
        "3",
        "",
        "",
        "0",
        "3",
        "",
    ]
    toks = _toks(cells, label_line=2)
    out = best_reading(APPEALS, toks, T2019)
    assert out.readings == math.comb(14, 8)  # 3,003: far past the old cap of 400
    for seed in (1, 2):
        assert (out.cells, out.ambiguous) == _brute(APPEALS, toks, frozenset(), seed)


def test_forty_extra_cells_resolve_in_bounded_time() -> None:
    # 7 appeals values among 48 empty cells: 40 to drop, 377,348,994 readings.
    values = ["1", "1", "2", "2", "1", "2", "3"]
    rng = random.Random(5)
    cells = list(values)
    for _ in range(48):
        cells.insert(rng.randrange(0, len(cells) + 1), "")
    toks = _toks(cells, label_line=2)
    start = time.perf_counter()
    out = best_reading(APPEALS, toks, T2019)
    elapsed = time.perf_counter() - start
    assert out.readings == math.comb(48, 40)
    assert [v for v in _values(out.cells) if v is not None] == values  # printed order kept
    assert out.score == 3  # every group's identity can be met, and is
    assert elapsed < 5.0  # a bound, not a timing: benchmarks/bench_rows.py measures it


def test_forty_vanished_cells_resolve_in_bounded_time() -> None:
    # Two values onto a synthetic 42-column row: 40 vanished cells, 861 readings.
    wide = RowSpec("requests", "requests.wide", "wide", None, REQUESTS.fields * 6)
    toks = _toks(["1", "1"])
    start = time.perf_counter()
    out = best_reading(wide, toks, T2019)
    assert time.perf_counter() - start < 5.0
    assert _values(out.cells)[:2] == ["1", "1"]  # with nothing to go on, later cells vanished
    assert out.readings == 42 * 41 // 2


# -- an ambiguous row never guesses a value into a blank's place -----------------------
DISPUTED_CASES = [
    # (row, printed cells, disputed columns, the values kept: the fields will hold)
    (REQUESTS, "0 0 0 0 0 0", {0, 1, 2, 3, 4, 5, 6}, [None] * 7),  # a 0 or the blank, anywhere
    (REQUESTS, "5 2 0 0 0 7", {0, 1, 2, 3, 4, 5}, [None] * 6 + [7]),  # every reading: 总计 7
    (ACTIVE, "5 3", {0, 1, 2}, [None, None, None]),
    (ACTIVE, "0 0 0", set(), [0, 0, 0]),  # as printed: not ambiguous
    (REQUESTS, "1 2 0 0 0 0 3", set(), [1, 2, 0, 0, 0, 0, 3]),
]


def test_disputed_columns_are_null_with_their_candidates() -> None:
    for row, printed, disputed, kept in DISPUTED_CASES:
        reading = rs.read_row(row, _toks(printed.split()), template=T2019)
        assert set(reading.disputed) == disputed, printed
        got = [
            None if c is None or i in reading.disputed else c.parsed.value
            for i, c in enumerate(reading.cells)
        ]
        assert got == kept, printed
        assert reading.ambiguous == bool(disputed), printed
        tied = rs.tied_readings(row, _toks(printed.split()), T2019, limit=rs.ALL_TIED_UP_TO)
        for i, candidates in reading.disputed.items():
            assert set(candidates) == {rs._sig_of(c[i]) for c in tied}, printed
            assert len(candidates) > 1


def test_zero_or_blank_candidates_are_named() -> None:
    reading = rs.read_row(REQUESTS, _toks(["0"] * 6), template=T2019)
    assert all(set(c) == {0, None} for c in reading.disputed.values())


def _score_by_steps(ids: rs._Identities, cells: list[float]) -> int:
    """The row's score as the column steps of the search count it."""
    acc = tuple((0.0, 0.0) for _ in range(ids.n))
    total = 0
    for col, v in enumerate(cells):
        acc, points = ids.step(acc, col, v)
        total += points
    return total


@settings(max_examples=300, deadline=None)
@given(
    key=st.sampled_from(
        [(tid, r.key) for tid in ("2019", "2021") for r in load_template(tid).rows]
    ),
    data=st.data(),
)
def test_identities_score_is_the_sum_of_the_steps(
    key: tuple[str, str], data: st.DataObject
) -> None:
    """A whole row's score equals the search's column steps, to the float (values that
    nearly cancel, decimals, zeros)."""
    tid, row_key = key
    row = load_template(tid).row(row_key)
    ids = rs._identities_of(tid, row.field_ids)
    value = st.one_of(
        st.integers(-5, 500).map(float),
        st.sampled_from([0.0, -0.0, 0.1, 0.2, 0.3, 1e-7, 2.675, 1e15]),
    )
    cells = data.draw(st.lists(value, min_size=row.width, max_size=row.width))
    if data.draw(st.booleans()) and row.width > 1:  # make the row's sums meet
        cells[-1] = sum(cells[:-1], 0.0)
    assert ids.score(cells) == _score_by_steps(ids, cells)
