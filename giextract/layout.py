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
import unicodedata
from collections.abc import Sequence

MAX_DRIFT = 2.5  # display columns a full row's value may stand off its column's centre
MIN_SPACING = 3.5  # display columns between two column centres, at least
MAX_OFFSET = 0.45  # a placed value stands at most this share of a column spacing away


def display_width(text: str) -> int:
    """Display columns of a text: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def token_spans(text: str) -> list[tuple[str, float]]:
    """The whitespace-separated tokens of a line, each with its display-column centre."""
    out: list[tuple[str, float]] = []
    col = 0
    token = ""
    start = 0
    for ch in text + " ":
        if ch.isspace():
            if token:
                out.append((token, start + display_width(token) / 2))
                token = ""
            col += 1 if ch != "\t" else 8 - col % 8
            continue
        if not token:
            start = col
        token += ch
        col += display_width(ch)
    return out


def column_centres(rows: Sequence[Sequence[float]]) -> list[float] | None:
    """Column centres from full rows' value positions, or ``None`` if they do not align.

    Args:
        rows: for each full row, the centre of each of its values (all the same length).
    """
    if not rows or any(len(r) != len(rows[0]) for r in rows):
        return None
    width = len(rows[0])
    centres = [sum(r[i] for r in rows) / len(rows) for i in range(width)]
    if any(abs(r[i] - centres[i]) > MAX_DRIFT for r in rows for i in range(width)):
        return None
    if any(b - a < MIN_SPACING for a, b in itertools.pairwise(centres)):
        return None
    return centres


def place(positions: Sequence[float], centres: Sequence[float]) -> list[int] | None:
    """The column of each value, in order, each under the nearest centre; ``None`` if a
    value stands between columns (the layout does not tell)."""
    k, w = len(positions), len(centres)
    if k > w or k == 0:
        return None
    inf = float("inf")
    # cost[i][j]: best cost of placing the first i values in the first j columns.
    cost = [[inf] * (w + 1) for _ in range(k + 1)]
    cost[0] = [0.0] * (w + 1)
    for i in range(1, k + 1):
        for j in range(i, w + 1):
            here = cost[i - 1][j - 1] + abs(positions[i - 1] - centres[j - 1])
            cost[i][j] = min(cost[i][j - 1], here)
    cols: list[int] = []
    j = w
    for i in range(k, 0, -1):
        while cost[i][j] == cost[i][j - 1] and j > i:
            j -= 1
        cols.append(j - 1)
        j -= 1
    cols.reverse()
    spacing = min((b - a for a, b in itertools.pairwise(centres)), default=10.0)
    if any(abs(positions[i] - centres[c]) > MAX_OFFSET * spacing for i, c in enumerate(cols)):
        return None
    return cols
