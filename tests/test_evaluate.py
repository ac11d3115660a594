"""Evaluation helpers: the fields no reader can decide from the printed order."""

from __future__ import annotations

import pytest

from giextract.catalogue import load_template
from giextract.evaluate import order_undecidable

GRANTED = "requests.granted"
ZEROS = (
    "natural_person",
    "commercial",
    "research",
    "social_org",
    "legal_service",
)

CASES = [
    # every cell printed: nothing to decide
    ({}, set()),
    # 0 0 0 0 0 0 under seven columns, one blank: any column may be the blank
    ({f"{GRANTED}.research": None}, {f"{GRANTED}.{c}" for c in (*ZEROS, "other_org", "total")}),
    # 0 0 0 0 6 6 (the blank among the zeros): the identities place both 6s, not the zeros
    (
        {
            f"{GRANTED}.research": None,
            f"{GRANTED}.other_org": 6,
            f"{GRANTED}.total": 6,
            "requests.total.other_org": 6,
            "requests.total.total": 6,
            "requests.new_received.other_org": 6,
            "requests.new_received.total": 6,
        },
        {f"{GRANTED}.{c}" for c in ZEROS},
    ),
]


@pytest.mark.parametrize(("changes", "undecidable"), CASES)
def test_order_undecidable(changes: dict[str, int | None], undecidable: set[str]) -> None:
    template = load_template("2021")
    gold: dict[str, int | float | None] = {f: 0 for f in template.field_ids}
    gold.update(changes)
    assert order_undecidable(template, gold) == undecidable
