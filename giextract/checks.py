"""The template's identities (勾稽关系), checked one by one with their numbers.

The identities are defined once, in :func:`giextract.catalogue.identities`; the
table rebuild scores its readings of a row with the same definitions.

* requests, each applicant column: new_received + carried_over = total + carried_forward
* requests, each applicant column: total = the sum of all result rows
* requests, each row: 总计 = the sum of the six applicant columns
* appeals, each group: total = upheld + corrected + other + pending

A check whose terms are all null is ``skipped``; otherwise nulls count as 0 and
the check says so (``nulls``).  A failed check is the report's own arithmetic:
it is reported, never "fixed".
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any

from .catalogue import (
    RESULT_PREFIXES,
    TOLERANCE,
    Template,
    identities,
    load_template,
    result_rows,
)

__all__ = [
    "RESULT_PREFIXES",
    "Check",
    "CheckStatus",
    "failed_fields",
    "identities",
    "result_rows",
    "run_checks",
]

Value = int | float | None


class CheckStatus(str, enum.Enum):
    """The outcome of one identity."""

    PASS = "pass"
    FAIL = "fail"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return self.value


@dataclass(slots=True, unsafe_hash=True)
class Check:
    """One identity: its id, the equation in field ids, both sides and the outcome.

    A slotted dataclass compared and hashed by value, not frozen (each report makes one
    per identity of its template, and a frozen dataclass's ``__init__`` sets each field
    through ``object.__setattr__``).  Checks are never changed once made.
    """

    id: str
    expression: str
    lhs: float | None
    rhs: float | None
    status: str
    nulls: int

    def to_dict(self) -> dict[str, object]:
        # what dataclasses.asdict gives, without its recursive deep copy of the values
        return {
            "id": self.id,
            "expression": self.expression,
            "lhs": self.lhs,
            "rhs": self.rhs,
            "status": self.status,
            "nulls": self.nulls,
        }


Equation = tuple[str, str, tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=4)
def _equations(tid: str) -> tuple[Equation, ...]:
    """Each identity of template ``tid`` as (id, its equation as text, left, right), cached."""
    return tuple(
        (cid, f"{' + '.join(left)} = {' + '.join(right)}", tuple(left), tuple(right))
        for cid, left, right in identities(load_template(tid))
    )


Terms = Callable[[Sequence[Any]], tuple[Any, ...]]


@dataclass(frozen=True)
class _Compiled:
    """Identities compiled once: the field ids they read (each looked up once per call)
    and, for each identity, its equation and the terms of each side as index getters."""

    fids: tuple[str, ...]
    equations: tuple[tuple[Equation, Terms, Terms], ...]


def _getter(indices: Sequence[int]) -> Terms:
    """The items at ``indices`` of a sequence, as a tuple (one C call)."""
    if len(indices) == 1:
        (i,) = indices
        return lambda seq: (seq[i],)
    return itemgetter(*indices)


def _compile(equations: Sequence[Equation]) -> _Compiled:
    fids = tuple(dict.fromkeys(f for eq in equations for f in (*eq[2], *eq[3])))
    at = {f: i for i, f in enumerate(fids)}
    return _Compiled(
        fids,
        tuple(
            (eq, _getter([at[f] for f in eq[2]]), _getter([at[f] for f in eq[3]]))
            for eq in equations
        ),
    )


@lru_cache(maxsize=4)
def _compiled(tid: str) -> _Compiled:
    """Every identity of template ``tid``, compiled (cached)."""
    return _compile(_equations(tid))


@lru_cache(maxsize=1024)
def _touching(tid: str, fids: frozenset[str]) -> _Compiled:
    """The identities with a term among ``fids`` (the others are skipped for want of
    any value), compiled and cached: the same tables' fields are scored again and again."""
    return _compile(
        [eq for eq in _equations(tid) if not fids.isdisjoint(eq[2]) or not fids.isdisjoint(eq[3])]
    )


def _all_sides(
    compiled: _Compiled, fields: Mapping[str, Value]
) -> Iterator[tuple[Equation, tuple[int, float, float] | None]]:
    """Each identity with its null terms and both sides (nulls as 0), None when all its
    terms are null.  Nulls and zeros add nothing to a sum of floats (never -0.0 from a
    start of 0), so each side sums its terms in order as ``float(t or 0)`` would."""
    values = list(map(fields.get, compiled.fids))
    floats = [float(v) if v else 0.0 for v in values]
    nulls = [v is None for v in values]
    for eq, left, right in compiled.equations:
        n = sum(left(nulls)) + sum(right(nulls))
        if n == len(eq[2]) + len(eq[3]):
            yield eq, None
        else:
            yield eq, (n, sum(left(floats), 0.0), sum(right(floats), 0.0))


def _holds(lhs: float, rhs: float) -> bool:
    return abs(lhs - rhs) < TOLERANCE


def _evaluate(eq: Equation, sides: tuple[int, float, float] | None) -> Check:
    cid, expression, left, right = eq
    if sides is None:
        return Check(cid, expression, None, None, CheckStatus.SKIPPED, len(left) + len(right))
    nulls, lhs, rhs = sides
    status = CheckStatus.PASS if _holds(lhs, rhs) else CheckStatus.FAIL
    return Check(cid, expression, _tidy(lhs), _tidy(rhs), status, nulls)


def _tidy(x: float) -> float:
    return int(x) if float(x).is_integer() else round(x, 6)


def check_counts(
    template: Template, fields: Mapping[str, Value], touching: Iterable[str] | None = None
) -> tuple[int, int]:
    """How many identities pass and how many fail: the statuses of :func:`run_checks`,
    without making the checks (the choice between readings scores many tables).

    Only the identities with a term among ``touching`` are counted (default: among
    ``fields``): trials that change only those fields change only those identities."""
    compiled = _touching(template.id, frozenset(fields if touching is None else touching))
    values = list(map(fields.get, compiled.fids))
    floats = [float(v) if v else 0.0 for v in values]  # as in _all_sides
    nulls = [v is None for v in values]
    passed = failed = 0
    for _, left, right in compiled.equations:
        if all(left(nulls)) and all(right(nulls)):
            continue  # skipped
        if _holds(sum(left(floats), 0.0), sum(right(floats), 0.0)):
            passed += 1
        else:
            failed += 1
    return passed, failed


def run_checks(template: Template, fields: Mapping[str, Value]) -> list[Check]:
    """Check every identity of the template against the extracted fields."""
    return [_evaluate(eq, sides) for eq, sides in _all_sides(_compiled(template.id), fields)]


def failed_fields(template: Template, checks: Sequence[Check]) -> frozenset[str]:
    """The field ids of the identities that fail."""
    failed = {c.id for c in checks if c.status == CheckStatus.FAIL}
    sides = (left + right for cid, _, left, right in _equations(template.id) if cid in failed)
    return frozenset(f for side in sides for f in side)
