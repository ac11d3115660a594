"""The rows of a table laid jointly: the column identities decide what no row decides alone.

A row whose blank cells printed nothing can often be laid onto its columns several ways
that its own identity (总计 = the six applicant columns) likes equally.  The identities
across rows (``requests.balance``: 本年新收 + 上年结转 = 总计 + 结转下年, and
``requests.results_sum``: 总计 = the result rows, column by column) tie the rows
together: :func:`joint_layings` keeps, of each row's layings, those that some laying of
every other row completes into a table whose identities all hold.  Both the line reading
(:func:`giextract.tables.rebuild`) and the template-order reading
(:func:`giextract.sequence.read_sequence`) lay their ambiguous rows through it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from .catalogue import RowSpec, Template, identities, load_template, row_key

Value = int | float | None
"""A cell's value: a number, or ``None`` for a blank (0 to the identities)."""
Laying = Sequence[Value]
"""One way to lay a row's values onto its columns, column by column."""

MAX_JOINT_STATES = 20_000
"""Partial sums :func:`joint_layings` may track before it gives up."""


def joint_layings(
    template: Template, rows: Sequence[tuple[RowSpec, Sequence[Laying]]]
) -> list[list[int]] | None:
    """Of each row's layings, the indices of those that some laying of every other row
    completes into a table whose identities (each row's, and the columns' ``balance`` and
    ``results_sum`` across rows) all hold.

    Raw-order text (``pdftotext -raw``) loses every blank cell, and each row alone can
    be laid several ways::

        一、本年新收政府信息公开申请 150 0 0 2 15 0 167
        二、上年结转政府信息公开申请数量 0 0 1 0 0 1      (a blank vanished)
        …
        (七)总计 150 0 0 3 15 168                         (a blank vanished)

    Alone, 上年结转's 1 may stand under any column but the first and the last; with
    本年新收 + 上年结转 = 总计 + 结转下年 in every column, only under 社会公益组织 (where
    总计 has 3 = 2 + 1), and 总计's blank only under 其他组织.

    ``None`` where no row has a choice the identities see, where a row is given twice,
    where a value is no whole number (an amount: no exact sums), where no laying of the
    table satisfies them all (the report's own arithmetic is off, or a row was misread),
    or where the search would track more than :data:`MAX_JOINT_STATES` partial sums.
    The search runs over the rows with a choice, keeping the distinct vectors of partial
    sums reachable (one per identity), then back from the end for those that can still
    sum to zero; each vector is one integer (:func:`_weights`), so a step is one addition.
    """
    keys = [row.key for row, _ in rows]
    if len(set(keys)) < len(keys):
        return None
    choosing = {row.key for row, layings in rows if len(layings) > 1}
    if not choosing:
        return None
    terms = _terms_touching(template.id, frozenset(keys), choosing)
    if not terms:
        return None
    counts = [[_counts(laying) for laying in layings] for _, layings in rows]
    if any(c is None for row in counts for c in row):
        return None
    bound = sum(max(sum(map(abs, c or ())) for c in row) for row in counts)
    weights = _weights(terms, bound)
    codes = [
        [
            sum(n * weights.get(f, 0) for n, f in zip(c or (), row.field_ids, strict=True))
            for c in cs
        ]
        for (row, _), cs in zip(rows, counts, strict=True)
    ]
    options = [list(dict.fromkeys(c)) for c in codes]
    varying = [k for k, opts in enumerate(options) if len(opts) > 1]
    reachable: list[set[int]] = [{sum(opts[0] for opts in options if len(opts) == 1)}]
    for k in varying:
        reachable.append({s + c for s in reachable[-1] for c in options[k]})
        if len(reachable[-1]) > MAX_JOINT_STATES:
            return None
    ending = {0} & reachable[-1]  # every identity's sides equal
    if not ending:
        return None
    possible: dict[int, set[int]] = {}
    for step in range(len(varying) - 1, -1, -1):
        k = varying[step]
        before, possible[k] = set(), set()
        for s in reachable[step]:
            for c in options[k]:
                if s + c in ending:
                    before.add(s)
                    possible[k].add(c)
        ending = before
    return [
        [i for i, c in enumerate(cs) if k not in possible or c in possible[k]]
        for k, cs in enumerate(codes)
    ]


def _terms_touching(
    tid: str, read: frozenset[str], rows: frozenset[str] | set[str]
) -> list[dict[str, int]]:
    """The identities with a term in one of ``rows`` whose terms all lie in rows ``read``,
    each as field id -> +1 (left side) or -1 (right side)."""
    return [
        terms for terms, keys in _identity_terms(tid) if keys <= read and not keys.isdisjoint(rows)
    ]


@lru_cache(maxsize=4)
def _identity_terms(tid: str) -> tuple[tuple[dict[str, int], frozenset[str]], ...]:
    """Each identity of a template as field id -> +1 (left) or -1 (right), with its rows."""
    template = load_template(tid)
    out = []
    for _, left, right in identities(template):
        terms = {**{f: 1 for f in left}, **{f: -1 for f in right}}
        out.append((terms, frozenset(row_key(template.by_id[f]) for f in terms)))
    return tuple(out)


def _counts(laying: Laying) -> list[int] | None:
    """A laying's values as whole numbers (a blank is 0); ``None`` for an amount."""
    if any(isinstance(v, float) for v in laying):
        return None
    return [int(v or 0) for v in laying]


def _weights(terms: Sequence[Mapping[str, int]], bound: int) -> dict[str, int]:
    """Each field's weight, so that a table's values weighed and summed give one integer
    for the vector of its identities' left sides less their right: digits of a balanced
    base larger than twice any partial sum can reach (``bound``: the sum of every row's
    largest total of absolute values), one digit an identity.  Adding the integers adds
    the vectors, and 0 is every identity holding."""
    base = 2 * bound + 1
    out: dict[str, int] = {}
    for j, t in enumerate(terms):
        for f, sign in t.items():
            out[f] = out.get(f, 0) + sign * base**j
    return out
