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
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from .catalogue import RESULT_PREFIXES, Template, identities, result_rows

__all__ = ["RESULT_PREFIXES", "Check", "CheckStatus", "identities", "result_rows", "run_checks"]

Value = int | float | None
TOLERANCE = 1e-6
"""Two sides of an identity are equal when they differ by less than this."""


class CheckStatus(str, enum.Enum):
    """The outcome of one identity."""

    PASS = "pass"
    FAIL = "fail"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Check:
    """One identity: its id, the equation in field ids, both sides and the outcome."""

    id: str
    expression: str
    lhs: float | None
    rhs: float | None
    status: str
    nulls: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _evaluate(cid: str, fields: Mapping[str, Value], left: list[str], right: list[str]) -> Check:
    terms = [fields.get(f) for f in left + right]
    nulls = sum(1 for t in terms if t is None)
    expression = f"{' + '.join(left)} = {' + '.join(right)}"
    if nulls == len(terms):
        return Check(cid, expression, None, None, CheckStatus.SKIPPED, nulls)
    lhs = sum(float(fields.get(f) or 0) for f in left)
    rhs = sum(float(fields.get(f) or 0) for f in right)
    status = CheckStatus.PASS if abs(lhs - rhs) < TOLERANCE else CheckStatus.FAIL
    return Check(cid, expression, _tidy(lhs), _tidy(rhs), status, nulls)


def _tidy(x: float) -> float:
    return int(x) if float(x).is_integer() else round(x, 6)


def run_checks(template: Template, fields: Mapping[str, Value]) -> list[Check]:
    """Check every identity of the template against the extracted fields."""
    return [_evaluate(cid, fields, left, right) for cid, left, right in identities(template)]
