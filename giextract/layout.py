"""Layout text in two dimensions: where a value stands says which column it is in.

``pdftotext -layout`` (and any text that pads cells with spaces) keeps a table's columns
as character positions, counted in display columns (a CJK character is two wide).  A row
whose blank cell vanished prints fewer values than the template has columns::

    3.补正后申请内容仍    0    3    0    0    0    0    3      <- a full row: the columns
    2.没有现成信息需要    0    0    0    7    3         7      <- one blank vanished

The full rows near a short one give the column centres (:func:`column_centres`), and
:func:`place` puts each value of the short row under the nearest one, keeping their
order.  Text whose values do not line up (``pdftotext -raw``, single spaces) has no
columns, and :func:`column_centres` says so by returning ``None``.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Sequence

MAX_DRIFT = 2.5  # display columns a full row's value may stand off its column's centre
MIN_SPACING = 2.0  # display columns between two column centres, at least (lynx: 2 apart)
MAX_OFFSET = 0.3  # share of a column spacing: most a placed value may stand off, least
# by which the best placement must beat the next
MAX_PLACEMENTS = 5000


def display_width(text: str) -> int:
    """Display columns of a text: wide (CJK) characters count two."""
    if text.isascii():  # no ASCII character is wide
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_TOKEN = re.compile(r"\S+")  # \s is str.isspace, as in the per-character reference


def token_spans(text: str) -> list[tuple[str, float]]:
    """The whitespace-separated tokens of a line, each with its display-column centre.

    A space moves one column, a tab to the next multiple of eight, a character by its
    display width.
    """
    out: list[tuple[str, float]] = []
    col = pos = 0
    for m in _TOKEN.finditer(text):
        gap = text[pos : m.start()]
        if "\t" in gap:
            for ch in gap:
                col += 1 if ch != "\t" else 8 - col % 8
        else:
            col += len(gap)
        token = m.group()
        width = display_width(token)
        out.append((token, col + width / 2))
        col += width
        pos = m.end()
    return out


def column_centres(rows: Sequence[Sequence[float]]) -> list[float] | None:
    """Column centres from full rows' value positions, or ``None`` if they do not align.

    ``pdftotext -layout`` may shift a whole row by a few columns (its label is longer),
    so each row is taken relative to its mean position before the rows are compared;
    the centres returned stand where the rows stand on average.

    Args:
        rows: for each full row, the centre of each of its values (all the same length).
    """
    if not rows or any(len(r) != len(rows[0]) for r in rows):
        return None
    width = len(rows[0])
    means = [sum(r) / width for r in rows]
    rel = [[x - mean for x in r] for r, mean in zip(rows, means, strict=True)]
    centres = [sum(r[i] for r in rel) / len(rel) for i in range(width)]
    if any(abs(r[i] - centres[i]) > MAX_DRIFT for r in rel for i in range(width)):
        return None
    if any(b - a < MIN_SPACING for a, b in itertools.pairwise(centres)):
        return None
    offset = sum(means) / len(means)
    return [c + offset for c in centres]


def _shift(positions: Sequence[float], centres: Sequence[float]) -> float:
    """The median distance of values from their columns: the row's shift."""
    diffs = sorted(x - c for x, c in zip(positions, centres, strict=True))
    return diffs[len(diffs) // 2]


def _fit(positions: Sequence[float], centres: Sequence[float], shifted: bool = True) -> float:
    """The distance of values from their columns, the sum of each value's: once the row
    is shifted to fit best (by the median shift), or where it stands.  A sum, not the
    worst value, so that one value pushed aside by its neighbour's width does not hide
    how well the others fit."""
    shift = _shift(positions, centres) if shifted else 0.0
    return sum(abs(x - c - shift) for x, c in zip(positions, centres, strict=True))


def place(positions: Sequence[float], centres: Sequence[float]) -> list[int] | None:
    """The column of each value (in order) under the columns.

    A row is placed where it stands, and shifted to fit (its label may push it a few
    columns aside).  Two values under three columns fit either pair once shifted, so
    where the shifted placement cannot tell, the row's own position may (``pdftotext
    -layout``, render p021: the blank is the first column)::

          规章             0            26            0
        规范性文件                        0             0

    ``None`` when neither tells, when they tell apart, or when a value stands half-way to
    another column."""
    return place_told(positions, centres)[0]


def place_told(
    positions: Sequence[float], centres: Sequence[float]
) -> tuple[list[int] | None, int]:
    """:func:`place`, and how many ways told it: 2 when the row placed where it stands
    and shifted to fit agree, 1 when only one of them tells, 0 for no placement."""
    k, w = len(positions), len(centres)
    if k >= w or k == 0 or math.comb(w, k) > MAX_PLACEMENTS:
        return None, 0
    found = [_clear_best(positions, centres, shifted) for shifted in (True, False)]
    told = [cols for cols in found if cols is not None]
    if not told or any(cols != told[0] for cols in told):
        return None, 0
    return told[0], len(told)


def _clear_best(
    positions: Sequence[float], centres: Sequence[float], shifted: bool
) -> list[int] | None:
    """The placement that fits clearly best, shifted or where the row stands; ``None``
    when none beats every other by a column spacing's :data:`MAX_OFFSET` in all, when
    the best stands off by more than that on average, or when a value stands half-way
    to another column."""
    k, w = len(positions), len(centres)
    spacing = min(b - a for a, b in itertools.pairwise(centres))
    fits = sorted(
        (_fit(positions, [centres[j] for j in cols], shifted), cols)
        for cols in itertools.combinations(range(w), k)
    )
    best, cols = fits[0]
    runner_up = fits[1][0] if len(fits) > 1 else float("inf")
    if best > MAX_OFFSET * spacing * k or runner_up - best < MAX_OFFSET * spacing:
        return None
    return list(cols) if _nearest_own(positions, centres, cols, shifted) else None


def _nearest_own(
    positions: Sequence[float], centres: Sequence[float], cols: Sequence[int], shifted: bool
) -> bool:
    """Whether each value, the row shifted or not, stands nearer its own column than
    half-way to the next one (a value half-way between two columns says nothing)."""
    shift = _shift(positions, [centres[j] for j in cols]) if shifted else 0.0
    for x, j in zip(positions, cols, strict=True):
        others = [abs(centres[j] - c) for i, c in enumerate(centres) if i != j]
        if abs(x - shift - centres[j]) >= min(others) / 2:
            return False
    return True


SCALED_MARGIN = 0.8  # column spacings by which the best scaled placement must beat the next
MIN_SCALED_VALUES = 3  # a scale and a shift fit any two values exactly


def _scaled_fit(positions: Sequence[float], centres: Sequence[float]) -> tuple[float, float]:
    """The least-squares scale of ``positions ~ scale * centres + shift``, and the sum
    of the values' distances from their columns so scaled, in scaled column spacings."""
    n = len(positions)
    mc, mp = sum(centres) / n, sum(positions) / n
    var = sum((c - mc) ** 2 for c in centres)
    if var == 0:
        return 0.0, float("inf")
    scale = sum((c - mc) * (p - mp) for c, p in zip(centres, positions, strict=True)) / var
    if scale <= 0:
        return scale, float("inf")
    shift = mp - scale * mc
    off = sum(abs(p - scale * c - shift) for c, p in zip(centres, positions, strict=True))
    return scale, off / scale


def place_scaled(positions: Sequence[float], centres: Sequence[float]) -> list[int] | None:
    """The column of each value of a short row under a full row spaced at another scale
    (``pdftotext -layout`` of a Chromium PDF, render p032: the last rows of a table
    spaced twice as wide as the first)::

        一、本年新收政府信息公开申请   150        0    0      2      15   0   167
        四、结转下年度继续办理            0        0        0        0                  0    0

    Each placement is fitted with its own scale and shift; ``None`` unless the best
    stands off its columns by at most :data:`MAX_OFFSET` of a column spacing per value
    and beats the next by :data:`SCALED_MARGIN` spacings in all (here the blank is the
    fifth column)."""
    k, w = len(positions), len(centres)
    if k >= w or k < MIN_SCALED_VALUES or math.comb(w, k) > MAX_PLACEMENTS:
        return None
    spacing = min(b - a for a, b in itertools.pairwise(centres))
    if spacing <= 0:
        return None
    fits = sorted(
        (_scaled_fit(positions, [centres[j] for j in cols])[1] / spacing, cols)
        for cols in itertools.combinations(range(w), k)
    )
    best, cols = fits[0]
    runner_up = fits[1][0] if len(fits) > 1 else float("inf")
    if best > MAX_OFFSET * k or runner_up - best < SCALED_MARGIN:
        return None
    return list(cols)


def char_spans(text: str) -> list[tuple[str, float]]:
    """The whitespace-separated tokens of a line, each with its centre counted in
    characters: every character one column, CJK or not, as ``pdftotext -layout`` lays
    text on its grid (:func:`token_spans` counts a CJK character two, as a terminal
    dump such as lynx's does)."""
    flat = text.expandtabs(8) if "\t" in text else text
    return [(m.group(), (m.start() + m.end()) / 2) for m in _TOKEN.finditer(flat)]


def spans_at(text: str, wide: int) -> list[tuple[str, float, int]]:
    """Each token of a line with its centre and width, a CJK character ``wide`` columns
    wide (2: :func:`token_spans`; 1: :func:`char_spans`)."""
    if wide == 1:
        return [(t, c, len(t)) for t, c in char_spans(text)]
    return [(t, c, display_width(t)) for t, c in token_spans(text)]


def header_centres(
    lines: Sequence[str], width: int, words: Sequence[str], wide: int = 2
) -> list[float] | None:
    """Column centres from a header laid out in two dimensions, or ``None``.

    ``pdftotext -layout`` prints a header of narrow columns with each cell's words
    stacked, a character or a few per line (render p053, the appeals table, with a
    CJK character one column ``wide``)::

                            结      其     尚
               结果维          果      他     未      总        …
                持           纠      结     审      计        …
                            正      果      结

                            0      0      0     0        0    …   <- 结果维持 vanished

    Only tokens made of the header ``words``' characters count (a group heading such as
    ``未经复议直接起诉`` spans several columns).  Tokens whose columns overlap, line to
    line, are one cell; the centres are the cells' middles, and they count only when
    there are exactly ``width`` cells at least :data:`MIN_SPACING` apart.
    """
    chars = frozenset("".join(words))
    spans = sorted(
        (centre - size / 2, centre + size / 2)
        for line in lines
        for token, centre, size in spans_at(line, wide)
        if chars.issuperset(token)
    )
    cells: list[list[float]] = []
    for start, end in spans:
        if cells and start < cells[-1][1]:
            cells[-1][1] = max(cells[-1][1], end)
        else:
            cells.append([start, end])
    if len(cells) != width:
        return None
    centres = [(start + end) / 2 for start, end in cells]
    if any(b - a < MIN_SPACING for a, b in itertools.pairwise(centres)):
        return None
    return centres
