"""The example cascade (examples/cascade.py): an honest rule parser for tab-separated rows,
giextract behind it; the cascade is at least as accurate as either part."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "examples"))
import cascade

GOLDEN = REPO / "tests" / "golden" / "tables"


@pytest.mark.parametrize("case", ["arithmetic-error-kept", "tab-rows-merged-padding"])
def test_rule_parser_reads_only_right_values(case: str) -> None:
    text = (GOLDEN / case / "input.txt").read_text("utf-8")
    gold = json.loads((GOLDEN / case / "expected.json").read_text("utf-8"))["fields"]
    record = cascade.rule_parse(text)
    assert record is not None and record["template"] == "2021"
    assert len(record["fields"]) > 100
    assert {f: v for f, v in record["fields"].items() if gold[f] != v} == {}


@pytest.mark.parametrize(
    ("cell", "parsed"),
    [("12", (True, 12)), ("1,234.5", (True, 1234.5)), ("2万元", (True, 2)), ("/", (True, None)),
     ("", (True, None)), ("１２", (True, 12)), ("N/A", (False, None)), ("规章", (False, None))],
)  # fmt: skip
def test_rule_parser_values(cell: str, parsed: tuple[bool, object]) -> None:
    assert cascade.value(cell) == parsed


def test_rule_parser_gives_up_on_other_layouts() -> None:
    text = (GOLDEN / "pandoc-grid" / "input.txt").read_text("utf-8")
    record = cascade.rule_parse(text)
    assert record is None or not record["fields"]


def test_cascade_is_at_least_as_good_as_either_part() -> None:
    examples = cascade._tab_set(8) + [
        (
            (GOLDEN / c / "input.txt").read_text("utf-8"),
            json.loads((GOLDEN / c / "expected.json").read_text("utf-8"))["fields"],
        )
        for c in ("pandoc-grid", "html2text-pipes")
    ]
    m = cascade.figures(examples)
    best = max(m["rule"]["field_accuracy"], m["giextract"]["field_accuracy"])
    assert m["cascade"]["field_accuracy"] >= best
    assert m["rule"]["field_accuracy"] < m["cascade"]["field_accuracy"]  # it leaves gaps
