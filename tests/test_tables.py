"""Table rebuilding: golden cases (one per layout family), and readings chosen by identities.

Each ``tests/golden/tables/<case>/`` holds ``input.txt`` and ``expected.json`` (the true
fields of the report).  ``pytest --update-golden`` rewrites ``expected.json`` from the
current output (review the diff!).  Known bad layouts go in ``KNOWN_FAILURES`` as strict
xfails, so a fix shows up as an unexpected pass.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import giextract
from giextract.catalogue import load_template
from giextract.fields import fields_and_provenance
from giextract.lines import to_lines
from giextract.read import read_text
from giextract.tables import read_row, rebuild, tokens_of

GOLDEN = Path(__file__).parent / "golden" / "tables"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.txt").exists())
KNOWN_FAILURES: dict[str, str] = {}


def _params() -> list[object]:
    return [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[c]))
        if c in KNOWN_FAILURES
        else c
        for c in CASES
    ]


@pytest.mark.parametrize("case", _params())
def test_golden_case(case: str, update_golden: bool) -> None:
    folder = GOLDEN / case
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    report = giextract.extract((folder / "input.txt").read_text("utf-8"))
    if update_golden:
        expected.update(
            template=report.template, agency=report.agency, year=report.year, fields=report.fields
        )
        (folder / "expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1) + "\n", "utf-8"
        )
    assert report.error is None
    assert (report.template, report.agency, report.year) == (
        expected["template"],
        expected["agency"],
        expected["year"],
    )
    wrong = {
        k: (v, report.fields.get(k))
        for k, v in expected["fields"].items()
        if report.fields.get(k, "missing") != v
    }
    assert wrong == {}


def _tab_rows(rows: list[str]) -> list[str]:
    return ["三、收到和处理政府信息公开申请情况", *rows]


def _requests_row(text: str, labels: list[str]) -> list[object]:
    template = load_template("2021")
    lines = to_lines(read_text(text))
    rebuilt = rebuild(lines, labels, template)
    reading = rebuilt.rows["requests.new_received"]
    return [None if c is None else c.parsed.value for c in reading.cells]


READINGS = [
    # label, merged-cell padding, values, trailing padding: the padding is dropped.
    ("一、本年新收政府信息公开申请数量\t\t1\t2\t0\t0\t0\t0\t3\t", [1, 2, 0, 0, 0, 0, 3]),
    # a label spanning three columns with a blank 总计: the blank stays in its column.
    ("一、本年新收政府信息公开申请数量\t\t\t148\t12\t0\t1\t0\t26\t", [148, 12, 0, 1, 0, 26, None]),
    # a blank in the middle, kept as an empty cell.
    ("一、本年新收政府信息公开申请数量\t1\t\t0\t0\t0\t0\t1", [1, None, 0, 0, 0, 0, 1]),
    # a vanished blank: the identity 总计 = sum of six places the total.
    ("一、本年新收政府信息公开申请数量 5 2 0 0 0 7", [5, 2, 0, 0, 0, None, 7]),
]


@pytest.mark.parametrize(("line", "values"), READINGS)
def test_row_readings(line: str, values: list[object]) -> None:
    text = "\n".join(_tab_rows([line]))
    assert _requests_row(text, ["table_title", "row"]) == values


def test_vanished_appeals_group_is_the_review_group_and_flagged() -> None:
    template = load_template("2019")
    # 10 values under the appeals headers: a whole group of 5 vanished.  Every group
    # satisfies its identity wherever it goes, so the prior decides (行政复议 blank, as in
    # real reports) and the reading is flagged as ambiguous.
    values = ["1", "2", "0", "0", "3", "0", "1", "1", "0", "2"]
    text = "\n".join(["四、政府信息公开行政复议、行政诉讼情况", "行政复议", *values])
    lines = to_lines(read_text(text))
    labels = ["table_title", "header", *["value"] * len(values)]
    reading = rebuild(lines, labels, template).rows["appeals"]
    got = [None if c is None else c.parsed.value for c in reading.cells]
    assert got == [None, None, None, None, None, 1, 2, 0, 0, 3, 0, 1, 1, 0, 2]
    assert reading.ambiguous


def test_identity_places_a_scattered_vanished_appeals_cell() -> None:
    template = load_template("2019")
    # 14 values: 行政复议's 总计 (5) only fits if its blank is 尚未审结.
    values = ["2", "3", "0", "5", "0", "0", "0", "0", "0", "1", "0", "0", "0", "1"]
    text = "\n".join(["四、政府信息公开行政复议、行政诉讼情况", "行政复议", *values])
    lines = to_lines(read_text(text))
    labels = ["table_title", "header", *["value"] * len(values)]
    reading = rebuild(lines, labels, template).rows["appeals"]
    got = [None if c is None else c.parsed.value for c in reading.cells]
    assert got[:5] == [2, 3, 0, None, 5]


# Rows whose blanks vanished, laid jointly by the column identities (rule
# columns_decided_jointly): the rows, the fields of 上年结转 and 总计 as read, and how many
# fields are left undecided (null, with their candidates).
_RAW = "三、收到和处理政府信息公开申请情况"
_NEW = "一、本年新收政府信息公开申请数量 150 0 0 2 15 0 167"
_OVER = "二、上年结转政府信息公开申请数量 0 0 1 0 0 1"
_TOTAL = "（七）总计 150 0 0 3 15 168"
_FORWARD = "四、结转下年度继续办理 0 0 0 0 0 0 0"
JOINTLY = [
    # balance, column by column: 上年结转's 1 under 社会公益组织 only; 总计's blank is 其他
    # 组织's; where 上年结转's blank stood among its first three zeros stays undecided.
    (
        [_NEW, _OVER, _TOTAL, _FORWARD],
        [None, None, None, 1, 0, 0, 1],
        [150, 0, 0, 3, 15, None, 168],
        3,
    ),
    # without 结转下年 no identity ties the rows: each keeps only what it decides alone.
    ([_NEW, _OVER, _TOTAL], [None] * 6 + [1], [None] * 6 + [168], 12),
    # 结转下年 printed 1 where 上年结转 has it: the identities hold no way, nothing decided.
    (
        [_NEW, _OVER, _TOTAL, "四、结转下年度继续办理 0 0 0 0 0 0 7"],
        [None] * 6 + [1],
        [None] * 6 + [168],
        12,
    ),
]


@pytest.mark.parametrize(("rows", "carried_over", "total", "undecided"), JOINTLY)
def test_columns_decided_jointly(
    rows: list[str], carried_over: list[object], total: list[object], undecided: int
) -> None:
    template = load_template("2021")
    lines = to_lines(read_text("\n".join([_RAW, *rows])))
    rebuilt = rebuild(lines, ["table_title", *["row"] * len(rows)], template)
    fields, provenance = fields_and_provenance(rebuilt, "2021")
    for key, expected in (("requests.carried_over", carried_over), ("requests.total", total)):
        ids = template.row(key).field_ids
        assert [fields[f] for f in ids] == expected, key
        for f, value in zip(ids, expected, strict=True):
            if value is not None:  # decided: no candidates
                assert "candidates" not in provenance[f], f
    assert sum("candidates" in p for p in provenance.values()) == undecided


def test_printed_numbers_are_never_changed() -> None:
    template = load_template("2021")
    text = (
        "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t1\t0\t0\t0\t0\t5"
    )
    lines = to_lines(read_text(text))
    toks = [t for t in tokens_of(lines, ["table_title", "row"]) if t.kind == "value"]
    reading = read_row(template.row("requests.new_received"), toks)
    assert [c.parsed.value for c in reading.cells if c] == [1, 1, 0, 0, 0, 0, 5]


def test_the_rebuild_s_line_labels_are_the_catalogue_s() -> None:
    from giextract.classify import line_labels
    from giextract.tokens import LineLabel

    assert {label.value for label in LineLabel} == set(line_labels())
