"""The reading in template order, its repair rules, and the choice between readings."""

from __future__ import annotations

import pytest

from giextract.catalogue import load_template
from giextract.fields import parse_value
from giextract.lines import to_lines
from giextract.read import read_text
from giextract.sequence import _unglue, _zones, choose, distinct_values, read_sequence, segment
from giextract.tables import CellReading, Rebuilt, RowReading

UNGLUE = [
    ("0范", ["0", "范"]),  # html2text: a value run into the rest of a cut label
    ("451.05收费", ["451.05", "收费"]),
    ("4件", ["4件"]),  # a unit stays with its value
    ("1.属于国家秘密", ["1.属于国家秘密"]),  # numbering is not a value
    ("12", ["12"]),
]


@pytest.mark.parametrize(("part", "parts"), UNGLUE)
def test_unglue(part: str, parts: list[str]) -> None:
    assert _unglue(part) == parts


def test_damaged_pipe_row_keeps_its_blank_cells() -> None:
    line = to_lines(
        read_text("|___1.信访举报投诉类申|\ufffd\ufffd__|____|__0_|___0__|___5__|_0_|__5_|")
    )[0]
    label, seg, _ = segment(line)
    assert label == "1.信访举报投诉类申"
    assert seg is not None
    assert [p.text or None for p in seg.values] == [None, None, "0", "0", "5", "0", "5"]


def _values(text: str, tid: str, key: str) -> list[object]:
    rebuilt = read_sequence(to_lines(read_text(text)), load_template(tid))
    return [None if c is None else c.parsed.value for c in rebuilt.rows[key].cells]


RAW = "\n".join(
    [
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申",
        "请数量",
        "9 0 0 0 0 0 9",
        "二、上年结转政府信息公开申请数量 0",
        "0 0 0 0 0 0",
    ]
)


def test_raw_label_wrapped_before_values_and_values_split_over_lines() -> None:
    assert _values(RAW, "2021", "requests.new_received") == [9, 0, 0, 0, 0, 0, 9]
    assert _values(RAW, "2021", "requests.carried_over") == [0] * 7


LAYOUT = "\n".join(
    [
        "三、收到和处理政府信息公开申请情况",
        " 一、本年新收政府信息公开申请数量    0      0            0      6     7      5   18",
        " 二、上年结转政府信息公开申请数量    8      6            6            0      0   20",
    ]
)


def test_layout_blank_lands_under_its_column() -> None:
    got = _values(LAYOUT, "2019", "requests.carried_over")
    assert got == [8, 6, 6, None, 0, 0, 20]


def _rebuilt(tid: str, key: str, values: list[int]) -> Rebuilt:
    row = load_template(tid).row(key)
    cells = [CellReading(parse_value(str(v)), 1, i, None) for i, v in enumerate(values)]
    return Rebuilt(rows={key: RowReading(row, [1], row.label, list(cells))})


def test_readings_that_disagree_where_identities_cannot_tell_give_null() -> None:
    template = load_template("2019")
    a = _rebuilt("2019", "active.rules", [1, 2, 3])
    b = _rebuilt("2019", "active.rules", [1, 2, 4])
    choice = choose(template, {"lines": a, "sequence": b})
    cells = choice.rebuilt.rows["active.rules"].cells
    assert [c and c.parsed.value for c in cells] == [1, 2, None]
    warning = next(w for w in choice.rebuilt.warnings if w["code"] == "ambiguous_value")
    assert warning["field"] == "active.rules.total_published"
    assert warning["candidates"] == [3, 4]


def test_identities_choose_the_consistent_reading() -> None:
    template = load_template("2019")
    key = "appeals"
    shifted = [0, 1, 1, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0]  # a value one column off
    right = [1, 1, 0, 0, 2, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0]
    choice = choose(
        template,
        {"lines": _rebuilt("2019", key, shifted), "sequence": _rebuilt("2019", key, right)},
    )
    assert choice.reading[key] == "sequence"
    assert [c and c.parsed.value for c in choice.rebuilt.rows[key].cells] == right


def test_tables_come_in_template_order() -> None:
    """Prose naming the appeals table before the active one opens no appeals zone: the
    appeals row is never poured from the active table's numbers."""
    text = (
        "本报告包括主动公开政府信息情况、政府信息公开行政复议、行政诉讼情况等部分。\n"
        "政府信息公开行政复议、行政诉讼情况\n"
        "二、主动公开政府信息情况\n"
        "规章 0 0 0\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "行政复议 行政诉讼\n"
    )
    zones = _zones(to_lines(read_text(text)))
    assert [line.raw for line in zones["appeals"] if line.raw] == ["行政复议 行政诉讼"]
    assert "规章 0 0 0" in [line.raw for line in zones["active"]]


DISTINCT = [
    ([{"a": 3}, {"a": None}], {}),  # one reading found what the other did not see
    ([{"a": 3}, {"a": 3}], {}),
    ([{"a": 3}, {"a": 4}], {"a": 2}),
    ([{"a": 3, "b": 1}, {"a": 4, "b": 1}, {"a": 5, "b": None}], {"a": 3}),
    ([{"a": None}, {"a": None}], {}),
]


@pytest.mark.parametrize(("readings", "chosen"), DISTINCT)
def test_distinct_values(readings: list[dict[str, int | None]], chosen: dict[str, int]) -> None:
    """Only rival numbers make a choice; a blank is no rival."""
    assert distinct_values(readings) == chosen
