"""The template's identities (勾稽关系), checked one by one with their numbers.

* requests, each applicant column: new_received + carried_over = total + carried_forward
* requests, each applicant column: total = the sum of all result rows
* requests, each row: 总计 = the sum of the six applicant columns
* appeals, each group: total = upheld + corrected + other + pending

A check whose terms are all null is ``skipped``; otherwise nulls count as 0 and
the check says so (``nulls``).  A failed check is the report's own arithmetic:
it is reported, never "fixed".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from .catalogue import APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS, Template

Value = int | float | None
RESULT_PREFIXES = ("granted", "partly_granted", "denied.", "unable.", "not_processed.", "other")


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
        return Check(cid, expression, None, None, "skipped", nulls)
    lhs = sum(float(fields.get(f) or 0) for f in left)
    rhs = sum(float(fields.get(f) or 0) for f in right)
    status = "pass" if abs(lhs - rhs) < 1e-6 else "fail"
    return Check(cid, expression, _tidy(lhs), _tidy(rhs), status, nulls)


def _tidy(x: float) -> float:
    return int(x) if float(x).is_integer() else round(x, 6)


def result_rows(template: Template) -> list[str]:
    """Keys of the requests rows that are results (summed into （七）总计)."""
    return [
        r.key
        for r in template.table_rows("requests")
        if r.key.removeprefix("requests.").startswith(RESULT_PREFIXES)
    ]


def identities(template: Template) -> list[tuple[str, list[str], list[str]]]:
    """Every identity of the template as (id, left field ids, right field ids)."""
    out: list[tuple[str, list[str], list[str]]] = []
    columns = (*APPLICANT_COLUMNS, "total")
    results = result_rows(template)
    for col in columns:
        out.append(
            (
                f"requests.balance.{col}",
                [f"requests.new_received.{col}", f"requests.carried_over.{col}"],
                [f"requests.total.{col}", f"requests.carried_forward.{col}"],
            )
        )
        out.append(
            (
                f"requests.results_sum.{col}",
                [f"requests.total.{col}"],
                [f"{key}.{col}" for key in results],
            )
        )
    for row in template.table_rows("requests"):
        out.append(
            (
                f"{row.key}.row_sum",
                [f"{row.key}.total"],
                [f"{row.key}.{c}" for c in APPLICANT_COLUMNS],
            )
        )
    for group in APPEAL_GROUPS:
        parts = [f"appeals.{group}.{c}" for c in APPEAL_COLUMNS[:4]]
        out.append((f"appeals.{group}.sum", [f"appeals.{group}.total"], parts))
    return out


def run_checks(template: Template, fields: Mapping[str, Value]) -> list[Check]:
    """Check every identity of the template against the extracted fields."""
    return [_evaluate(cid, fields, left, right) for cid, left, right in identities(template)]
