"""The reading in template order, its repair rules, and the choice between readings."""

from __future__ import annotations

from pathlib import Path

import pytest

from giextract.catalogue import load_template
from giextract.fields import parse_value
from giextract.lines import to_lines
from giextract.read import read_text
from giextract.resolve import POSITION_GUESS_RULES
from giextract.sequence import (
    _laid_out,
    _text_of,
    _unglue,
    _zones,
    choose,
    distinct_values,
    labels_printed_before_values,
    pieces_of,
    read_sequence,
    segment,
)
from giextract.tables import CellReading, Rebuilt, RowReading

FIXTURES = Path(__file__).parent / "fixtures"

UNGLUE = [
    ("0范", ["0", "范"]),  # html2text: a value run into the rest of a cut label
    ("451.05收费", ["451.05", "收费"]),
    ("531,401.00费", ["531,401.00", "费"]),  # thousands separators
    ("1,2费", ["1,2费"]),  # not a number with separators
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


def test_a_row_with_more_values_than_columns_says_so() -> None:
    """pymupdf4llm cut 收费's 19 into two cells: three values onto two columns keep the
    first two and name rule ``too_many_values`` (a choice the trust contract reviews)."""
    rows = ["规章 1 2 3", "规范性文件 0 0 0", "行政许可 0 0 0", "其他对外管理服务事项 0 0 0"]
    rows += ["行政处罚 0 0 0", "行政强制 0 0 0", "行政事业性收费 0 1 9", "政府集中采购 15 0"]
    text = "\n".join(["二、主动公开政府信息情况", *rows])
    rebuilt = read_sequence(to_lines(read_text(text)), load_template("2019"))
    fees = rebuilt.rows["active.fees"]
    assert [c and c.parsed.value for c in fees.cells] == [0, 1]
    assert "too_many_values" in fees.rules
    assert "too_many_values" not in rebuilt.rows["active.procurement"].rules


def test_pipe_rows_read_as_text_have_no_positions_and_no_blanks() -> None:
    """markitdown's pipe row (several values a cell, empty cells of its own making) is
    read in order, its values with no position: a vanished blank is placed by the
    identities, never by the converter's empty cells."""
    line = to_lines(read_text("|     |     |     |     | 8   | 0   | 0 0 0 |   8 |"))[0]
    pieces = pieces_of(line)
    assert [(p.kind, p.text) for p in pieces] == [("value", v) for v in "800008"]
    assert not any(_laid_out(p) for p in pieces)


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


# innerText of cells that are paragraphs: cells parted by lone tabs (see
# paragraph_cell_blanks); each case is the table's lines and the row's values.
PARAGRAPH_CELLS = [
    # a blank between values: two tabs on one line
    (["规章", "", "\t", "", "5", "", "\t\t", "", "5"], "active.rules", [5, None, 5]),
    # a blank last cell: the last tab, then the row ends (two blank lines or more)
    (
        ["规章", "", "\t", "", "5", "", "\t", "", "5", "", "\t", "", "", "规范性文件"],
        "active.rules",
        [5, 5, None],
    ),
    # ... or the table ends
    (["规章", "", "\t", "", "5", "", "\t", "", "5", "", "\t", ""], "active.rules", [5, 5, None]),
    # a blank first value: the tab after the label, then one more
    (["规章", "", "\t\t", "", "5", "", "\t", "", "5"], "active.rules", [None, 5, 5]),
    # a blank cell that printed a no-break space: a line of its own between two tabs
    (
        ["规章", "", "\t", "", "\xa0", "", "\t", "", "5", "", "\t", "", "5"],
        "active.rules",
        [None, 5, 5],
    ),
    # ... or after the last tab
    (
        [
            "规章",
            "",
            "\t",
            "",
            "5",
            "",
            "\t",
            "",
            "5",
            "",
            "\t",
            "",
            "\xa0",
            "",
            "",
            "",
            "规范性文件",
        ],
        "active.rules",
        [5, 5, None],
    ),
    # no blank: a tab only parts two cells
    (["规章", "", "\t", "", "1", "", "\t", "", "2", "", "\t", "", "3"], "active.rules", [1, 2, 3]),
]


@pytest.mark.parametrize(("cells", "key", "values"), PARAGRAPH_CELLS)
def test_paragraph_cells_keep_their_blank_cells(
    cells: list[str], key: str, values: list[object]
) -> None:
    text = "\n".join(["二、主动公开政府信息情况", "", *cells, "", "", "", "五、其他"])
    assert _values(text, "2019", key) == values


# lynx's dump of cells that are paragraphs: one empty line between cells, one more for a
# cell that printed nothing (see gap_cell_blanks); each case is the table's lines and the
# first row's values.
NEXT_ROW = ["", "规范性文件", "", "1", "", "2", "", "3"]
GAP_CELLS = [
    # a blank between values: two empty lines
    (["规章", "", "5", "", "", "6", *NEXT_ROW], [5, None, 6]),
    # a blank first value: two empty lines after the label
    (["规章", "", "", "5", "", "6", *NEXT_ROW], [None, 5, 6]),
    # a blank last value: two empty lines before the next label
    (["规章", "", "5", "", "6", "", *NEXT_ROW], [5, 6, None]),
    # every gap two lines long: no paragraph cells, no blank
    (["规章", "", "", "5", "", "", "6", "", "", "7"], [5, 6, 7]),
    # no blank: one empty line between cells
    (["规章", "", "5", "", "6", "", "7", *NEXT_ROW], [5, 6, 7]),
    # a page break in a gap (pdftotext's default mode: a form feed) adds an empty line of
    # its own, not a cell (held-out page p017's procurement row read its 15 as the amount)
    (["规章", "", "5", "", "\f6", "", "7", *NEXT_ROW], [5, 6, 7]),
    # a blank cell at a page break still leaves one empty line more
    (["规章", "", "5", "", "", "\f6", *NEXT_ROW], [5, None, 6]),
]


@pytest.mark.parametrize(("cells", "values"), GAP_CELLS)
def test_gaps_between_paragraph_cells_keep_their_blank_cells(
    cells: list[str], values: list[object]
) -> None:
    text = "\n".join(["二、主动公开政府信息情况", "", *cells, "", "五、其他"])
    assert _values(text, "2019", "active.rules") == values


# LibreOffice's text of a Word table: one cell per line, nothing between the cells; a cell
# that printed nothing is an empty line, one that printed a no-break space a line of its own
# (see line_cell_blanks).  Each case is 规章's lines and the values read for it.
LINE_ROWS = [
    "规范性文件",
    "1",
    "2",
    "3",
    "行政许可",
    "4",
    "5",
    "6",
    "其他对外管理服务事项",
    "7",
    "8",
    "9",
]
LINE_CELLS = [
    (["规章", "5", "", "6"], [5, None, 6]),  # a blank between values
    (["规章", "", "5", "6"], [None, 5, 6]),  # a blank first value
    (["规章", "5", "\xa0", "6"], [5, None, 6]),  # a no-break space
    (["规章", "5", "6", ""], [5, 6, None]),  # one empty line more than the rows' ends have
    (["规章", "5", "6", "7"], [5, 6, 7]),  # no blank
]


@pytest.mark.parametrize(("cells", "values"), LINE_CELLS)
def test_cells_one_per_line_keep_their_blank_cells(cells: list[str], values: list[object]) -> None:
    text = "\n".join(["二、主动公开政府信息情况", *cells, *LINE_ROWS, "五、其他"])
    assert _values(text, "2019", "active.rules") == values
    assert _values(text, "2019", "active.licensing") == [4, 5, 6]


def _requests_table(printed: dict[str, list[int]]) -> str:
    """The 2021 requests table in raw order (one row a line, blanks gone), every row
    ``0`` but those ``printed``."""
    groups = {
        "requests.granted": "三、本年度办理结果",
        "requests.denied.state_secret": "（三）不予公开",
        "requests.unable.not_held": "（四）无法提供",
        "requests.not_processed.petition": "（五）不予处理",
        "requests.other.no_correction": "（六）其他处理",
    }
    out = ["三、收到和处理政府信息公开申请情况"]
    for row in load_template("2021").table_rows("requests"):
        if row.key in groups:
            out.append(groups[row.key])
        values = printed.get(row.key, [0] * row.width)
        out.append(" ".join([row.label, *map(str, values)]))
    return "\n".join([*out, "四、政府信息公开行政复议、行政诉讼情况"])


# Rule values_across_text (pdftotext's default mode, render p056): 结转下年's first
# values before its label and a group label's text, the rest after; (its lines, the values
# read in the text's order, the rules).
_FORWARD = [2, 0, 2, 0, 0, 1, 5]
ACROSS_TEXT = [
    (
        "2\n0\n2\n0\n（五）不予处理\n四、结转下年度继续办理\n0\n1\n5",
        _FORWARD,
        ("values_across_text",),
    ),
    # all alike: any order reads the same, no doubt
    ("0\n0\n0\n0\n（五）不予处理\n四、结转下年度继续办理\n0\n0\n0", [0] * 7, ()),
    # every value after the label: printed in one run
    ("四、结转下年度继续办理\n2\n0\n2\n0\n0\n1\n5", _FORWARD, ()),
]


@pytest.mark.parametrize(("lines", "values", "rules"), ACROSS_TEXT)
def test_values_printed_across_text_are_named(
    lines: str, values: list[int], rules: tuple[str, ...]
) -> None:
    text = _requests_table({}).replace("四、结转下年度继续办理 0 0 0 0 0 0 0", lines)
    rebuilt = read_sequence(to_lines(read_text(text)), load_template("2021"))
    reading = rebuilt.rows["requests.carried_forward"]
    assert ([c and c.parsed.value for c in reading.cells], reading.rules) == (values, rules)


def test_values_before_their_label_stand_anywhere_in_the_row() -> None:
    """Rule :func:`giextract.sequence.values_before_their_label` (render p042, pymupdf4llm):
    a line of blank markers before its row's label line is weighed before and after the
    row's other values; the zeros cannot tell, so the columns where the orders disagree
    are null (a review), never the markers' order taken as printed."""
    text = _requests_table({}).replace(
        "四、结转下年度继续办理 0 0 0 0 0 0 0", "— —\n四、结转下年度继续办理 0 0 0 0 0"
    )
    assert _values(text, "2021", "requests.carried_forward") == [None, None, 0, 0, 0, None, None]
    # values after their label line, as printed, are the row's in order
    text = _requests_table({}).replace(
        "四、结转下年度继续办理 0 0 0 0 0 0 0", "四、结转下年度继续办理 0 0 0 0 0\n— —"
    )
    assert _values(text, "2021", "requests.carried_forward") == [0, 0, 0, 0, 0, None, None]


NEW_150 = [150, 0, 0, 2, 15, 0, 167]
# Rows whose vanished blanks only the column identities place (see jointly_possible):
# each case is the printed rows, then the expected values of some rows.
JOINT = [
    # render p032: 上年结转's 1 stands where 总计 has 3 = 2 + 1; 总计's blank under 其他组织
    (
        {
            "requests.new_received": NEW_150,
            "requests.carried_over": [0, 0, 1, 0, 0, 1],
            "requests.granted": [150, 0, 0, 3, 15, 0, 168],
            "requests.total": [150, 0, 0, 3, 15, 168],
        },
        {
            "requests.carried_over": [None, None, None, 1, 0, 0, 1],
            "requests.total": [150, 0, 0, 3, 15, None, 168],
        },
    ),
    # zeros alone: any column may be the blank, and every one is left null
    (
        {"requests.carried_over": [0, 0, 0, 0, 0, 0]},
        {"requests.carried_over": [None] * 7},
    ),
]


@pytest.mark.parametrize(("printed", "expected"), JOINT)
def test_column_identities_place_vanished_blanks_jointly(
    printed: dict[str, list[int]], expected: dict[str, list[object]]
) -> None:
    text = _requests_table(printed)
    for key, values in expected.items():
        assert _values(text, "2021", key) == values


def test_a_reading_that_read_every_cell_beats_one_that_guessed() -> None:
    """Equal by the identities, the reading that guessed no column wins, however many
    more values the guessing one has; it is no rival (no ambiguity, chosen among 1)."""
    template = load_template("2019")
    guessed = _rebuilt("2019", "active.rules", [0, 0, 0])
    guessed.rows["active.rules"].ambiguous = True
    read = _rebuilt("2019", "active.rules", [0, 0, 0])
    read.rows["active.rules"].cells[1] = None
    choice = choose(template, {"lines": guessed, "sequence": read})
    assert choice.reading["active.rules"] == "sequence"
    assert [c and c.parsed.value for c in choice.rebuilt.rows["active.rules"].cells] == [0, None, 0]
    assert not any(n > 1 for n in choice.chosen_among.values())
    assert not [w for w in choice.rebuilt.warnings if w["code"] == "ambiguous_value"]


def test_equal_by_the_identities_the_reading_that_fails_fewer_wins() -> None:
    """Render p005 (``pdftotext -raw``): the line reading poured a wrapped row label's
    values into the row before (14 identities pass, 3 fail: 14 - 2 * 3 = 8); the
    template-order reading read fewer rows, all consistent (8 pass, none fails).  Equal
    by the score, the one with no failed identity wins, however many more values the
    other has: a failed identity is evidence of a misreading, a missing row is not."""
    template = load_template("2021")
    failing = _rebuilt("2021", "requests.granted", [0] * 7)
    for key, values in (("requests.partly_granted", [0] * 7), ("requests.total", [0] * 6 + [5])):
        failing.rows.update(_rebuilt("2021", key, values).rows)
    consistent = _rebuilt("2021", "requests.granted", [0] * 7)
    choice = choose(template, {"lines": failing, "sequence": consistent})
    assert choice.reading == {"requests.granted": "sequence"}
    assert not [w for w in choice.rebuilt.warnings if w["code"] == "ambiguous_value"]


def _requests(rows: dict[str, list[int]]) -> Rebuilt:
    out = Rebuilt()
    for key, values in rows.items():
        out.rows.update(_rebuilt("2021", f"requests.{key}", values).rows)
    return out


def test_a_fallback_the_identities_like_better_is_weighed_though_it_fails_some() -> None:
    """A fallback failing more than half as many identities as the main reading is still
    weighed where the identities like it better on balance (markitdown, render p050: the
    template-order reading 26 against 23, failing 4 against 3)."""
    template = load_template("2021")
    main = _requests({"granted": [0] * 7, "total": [0] * 6 + [5]})  # 13 pass, 3 fail: 7
    zeros = ("granted", "partly_granted", "denied.state_secret", "denied.law_prohibited")
    better = _requests(
        {**dict.fromkeys(zeros, [0] * 7), "new_received": [0] * 6 + [5], "carried_over": [0] * 7}
    )  # 18 pass, 2 fail: 14
    choice = choose(template, {"lines": main, "sequence": better})
    assert choice.reading["requests.partly_granted"] == "sequence"
    # a fallback that only fails less in a table every reading fails (score below 0) is not
    worse = _requests({"total": [1, 0, 0, 0, 0, 0, 5], "carried_forward": [0, 0, 0, 0, 0, 0, 4]})
    worse_still = _requests({"total": [1, 0, 0, 0, 0, 0, 7], "carried_forward": [2] * 7})
    choice = choose(template, {"lines": worse_still, "sequence": worse})
    assert set(choice.reading.values()) == {"lines"}


def test_a_reading_that_only_lacks_a_row_is_no_rival() -> None:
    """The line reading missed a row the template-order reading read, and agrees on the
    rest: the table was not chosen among rival readings."""
    template = load_template("2019")
    lacking = _rebuilt("2019", "active.rules", [1, 2, 3])
    full = _rebuilt("2019", "active.rules", [1, 2, 3])
    row = template.row("active.normative_docs")
    cells = [CellReading(parse_value("4"), 2, i, None) for i in range(3)]
    full.rows[row.key] = RowReading(row, [2], row.label, list(cells))
    choice = choose(template, {"lines": lacking, "sequence": full})
    assert choice.reading[row.key] == "sequence"
    assert not any(n > 1 for n in choice.chosen_among.values())


def test_header_lines_between_rows_do_not_hide_the_next_label() -> None:
    """lynx, one cell per line: a section's header cells stand between the previous
    row's values and the next row's label; the label alone names the row, and the
    previous row (one blank vanished) takes none of its values."""
    lines = [
        "二、主动公开政府信息情况",
        "其他对外管理服务事项",
        "0",
        "0",
        "第二十条第（六）项",
        "信息内容",
        "上一年项目数量",
        "本年增/减",
        "处理决定数量",
        "行政处罚",
        "7",
        "5",
        "12",
    ]
    assert _values("\n".join(lines), "2019", "active.punishment") == [7, 5, 12]


_ACTIVE_HEAD = ["二、主动公开政府信息情况", "    信息内容                  本年处理决定数量"]
# (lines of the 2021 active table after its header, row -> expected cells)
BLANK_ROW_BEFORE_VALUES = [
    # pdftotext -layout (training render p033, Chromium PDF): 行政处罚 and 行政强制
    # printed nothing, 行政事业性收费's own label wins
    (
        [
            "    行政许可                     0",
            "                第二十条第（六）项",
            "    信息内容                本年处理决定数量",
            "    行政处罚",
            "    行政强制",
            "                第二十条第（八）项",
            "    信息内容             本年收费金额（单位：万元）",
            "  行政事业性收费                    0",
        ],
        {
            "active.licensing": [0],
            "active.punishment": None,
            "active.coercion": None,
            "active.fees": [0],
        },
    ),
    # the values' line has no label: the text before names the row as before
    (
        ["    行政许可", "                       5"],
        {"active.licensing": [5], "active.punishment": None},
    ),
    # a label wrapped before its values: the own line's piece names no later row
    (
        ["    行政强制        0", "  行政事业性", "  收费               12"],
        {"active.coercion": [0], "active.fees": [12]},
    ),
    # the own label names the same row as the text before: one row
    (
        ["    行政处罚", "    行政处罚        3"],
        {"active.punishment": [3], "active.coercion": None},
    ),
]


@pytest.mark.parametrize(("lines", "expected"), BLANK_ROW_BEFORE_VALUES)
def test_the_values_own_label_names_a_later_row(
    lines: list[str], expected: dict[str, list[int] | None]
) -> None:
    text = "\n".join([*_ACTIVE_HEAD, *lines])
    rebuilt = read_sequence(to_lines(read_text(text)), load_template("2021"))
    got = {k: [c and c.parsed.value for c in r.cells] for k, r in rebuilt.rows.items()}
    assert {key: got.get(key) for key in expected} == expected  # None: no row read


# pdftotext -layout of a Chromium PDF (render p032): its last row (四、结转下年度继续办理)
# spaced about twice as wide as the full rows at the table's top; here its values follow
# the 二、上年结转 label, so that the row stands between the two full rows.
SCALED = [
    "三、收到和处理政府信息公开申请情况",
    "               一、本年新收政府信息公开申请               150        0    0      2      15"
    "   0   167",
    "  二、上年结转政府信息公开申请数量                            0        0        0        0"
    "                  0    0",
    "三、本年度                 (一)予以公开                13        0    0      0      5"
    "    0   18",
]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([0, 1, 2, 3], [0, 0, 0, 0, None, 0, 0]),  # two full rows place it alike
        ([0, 1, 2], None),  # one full row alone does not place a row at another scale
    ],
)
def test_a_row_spaced_at_another_scale_is_placed_by_the_full_rows_near_it(
    lines: list[int], expected: list[int | None] | None
) -> None:
    text = "\n".join(SCALED[i] for i in lines)
    rebuilt = read_sequence(to_lines(read_text(text)), load_template("2021"))
    row = rebuilt.rows["requests.carried_over"]
    placed = not (set(row.rules) & POSITION_GUESS_RULES) and not row.ambiguous
    got = [c and c.parsed.value for c in row.cells] if placed else None
    assert got == expected
    assert ("placed_by_position" in row.rules) == placed  # named: a doubt to the trust


def test_a_row_the_chosen_reading_missed_is_taken_from_another() -> None:
    """The chosen reading did not find a row another reading found: the row is taken
    from it, and says which reading gave it."""
    template = load_template("2019")
    chosen = _rebuilt("2019", "active.rules", [1, 2, 3])
    other = _rebuilt("2019", "active.rules", [1, 2, 3])
    row = template.row("active.licensing")
    cells = [CellReading(parse_value(str(v)), 2, i, None) for i, v in enumerate([4, 5, 9])]
    other.rows[row.key] = RowReading(row, [2], row.label, list(cells))
    other.rows["active.rules"].ambiguous = True  # guessed: the chosen reading wins
    choice = choose(template, {"lines": chosen, "sequence": other})
    assert choice.reading["active.rules"] == "lines"
    assert choice.reading[row.key] == "sequence"
    assert [c and c.parsed.value for c in choice.rebuilt.rows[row.key].cells] == [4, 5, 9]


LAID_OUT = [
    ("二、上年结转政府信息公开申请数量    8      6            6   0", True),  # -layout
    ("                 150     9   0    4 0 163", True),  # -layout, some columns tight
    ("二、上年结转政府信息公开申请数量 12 345 6 7 8 378", False),  # -raw, pdfplumber
    ("0 0 830 0 3 0 833", False),
]


TEXT_OF = [
    "三、收到和处理政府信息公开申请情况",  # a title: one token
    "（一）予以公开   无   —   0",  # text, placeholders and a value, laid out
    "无",  # a lone 无: a vertical label's character, text
    "|___行政\ufffd|\ufffd___6__|___4_|",  # html2text: damage and a cut label
    "|0范|451.05收费|  |",  # values run into label text, a blank cell
    "行政复议\t行政诉讼\t\t",  # tab cells
    "- 3 -",  # a page number
    "XX市人民政府2023年政府信息公开工作年度报告",  # the running header
    "------+------",  # a ruling
]


@pytest.mark.parametrize("text", TEXT_OF)
def test_text_of_is_the_text_of_the_pieces(text: str) -> None:
    for line in to_lines(read_text(text)):
        assert _text_of(line) == "".join(p.text for p in pieces_of(line) if p.kind == "text")


def test_text_of_agrees_with_the_pieces_on_the_web_renders() -> None:
    for path in sorted(FIXTURES.glob("web/*.txt")):
        for line in to_lines(read_text(path.read_text(encoding="utf-8"))):
            assert _text_of(line) == "".join(p.text for p in pieces_of(line) if p.kind == "text")


@pytest.mark.parametrize("name", ["html2text-2019", "lynx-2019", "lynx-2021"])
def test_a_table_read_alone_reads_as_among_all(name: str) -> None:
    lines = to_lines(read_text((FIXTURES / "web" / f"{name}.txt").read_text(encoding="utf-8")))
    template = load_template(name.rsplit("-", 1)[1])
    every = read_sequence(lines, template)
    for table in ("active", "requests", "appeals"):
        alone = read_sequence(lines, template, [table])
        keys = {r.key for r in template.table_rows(table)}
        fids = {f for r in template.table_rows(table) for f in r.field_ids}
        assert alone.rows == {k: v for k, v in every.rows.items() if k in keys}
        assert alone.warnings == [w for w in every.warnings if w["field"] in fids]


@pytest.mark.parametrize(("text", "laid_out"), LAID_OUT)
def test_positions_count_only_where_the_line_keeps_its_layout(text: str, laid_out: bool) -> None:
    values = [p for p in pieces_of(to_lines(read_text(text))[0]) if p.kind == "value"]
    assert values and all(_laid_out(v) == laid_out for v in values)


MISSING_ROW_CELLS = [
    # (line of the other reading's 行政处罚 values, whether the row is taken from it)
    (2, True),  # its own line: numbers the chosen reading did not read
    (1, False),  # the cells the chosen reading gave 行政强制 (fuzz: generated report 64)
]


@pytest.mark.parametrize(("line", "taken"), MISSING_ROW_CELLS)
def test_a_missed_row_is_taken_only_from_cells_no_kept_row_read(line: int, taken: bool) -> None:
    """A reading that read ``行政处罚`` (blank) and ``行政强制 0 0 0`` as one wrapped
    label gave 行政处罚 the numbers of 行政强制; the chosen reading gave them to
    行政强制: one printed number is one field's, so 行政处罚 stays unread."""
    template = load_template("2019")
    chosen = _rebuilt("2019", "active.coercion", [0, 0, 0])
    other = Rebuilt()
    row = template.row("active.punishment")
    cells = [CellReading(parse_value("0"), line, i, None) for i in range(3)]
    other.rows[row.key] = RowReading(row, [line], "行政处罚行政强制", list(cells))
    choice = choose(template, {"lines": chosen, "sequence": other})
    assert choice.reading["active.coercion"] == "lines"
    assert (row.key in choice.rebuilt.rows) is taken
    assert choice.reading.get(row.key) == ("sequence" if taken else None)


def _row_index(key: str) -> int:
    return [r.key for r in load_template("2021").table_rows("requests")].index(key)


LABELS_FIRST = [
    # the group label wrapped around two rows' labels, both before their values (p028)
    (
        [
            "三、本年",
            "(一)予以公开",
            "度办理结",
            "果",
            "(二)部分公开(区分处理的，只",
            "计这一情形)",
        ],
        "requests.granted",
        "requests.partly_granted",
        "requests.granted",
    ),
    # one row's label: nothing earlier
    (
        ["(二)部分公开(区分处理的，只计这一情形)"],
        "requests.granted",
        "requests.partly_granted",
        "requests.partly_granted",
    ),
    # a label naming a row already read (before the next expected) is no earlier row
    (
        ["(一)予以公开", "(二)部分公开"],
        "requests.partly_granted",
        "requests.partly_granted",
        "requests.partly_granted",
    ),
    # two earlier labels: the earliest
    (
        ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”"],
        "requests.denied.state_secret",
        "requests.denied.security_stability",
        "requests.denied.state_secret",
    ),
]


@pytest.mark.parametrize(("pending", "start", "named", "first"), LABELS_FIRST)
def test_labels_printed_before_values(
    pending: list[str], start: str, named: str, first: str
) -> None:
    labels = tuple(r.label for r in load_template("2021").table_rows("requests"))
    got = labels_printed_before_values(pending, labels, _row_index(start), _row_index(named))
    assert got == _row_index(first)


def test_labels_first_is_a_reading_only_where_the_rule_placed_values() -> None:
    """The reading of the rule reads only the tables it changed: a text whose labels
    stand each before its own values gives it nothing to offer."""
    template = load_template("2021")
    lines = to_lines(read_text(RAW))
    assert read_sequence(lines, template).rows
    assert read_sequence(lines, template, labels_first=True).rows == {}


def test_labels_first_reads_two_rows_labels_before_their_values() -> None:
    """Both rows' labels, then both rows' values: the plain reading gives 予以公开 no
    values; the reading of the rule gives each row its own."""
    text = "\n".join(
        [
            "三、收到和处理政府信息公开申请情况",
            "三、本年",
            "(一)予以公开",
            "度办理结",
            "果",
            "(二)部分公开(区分处理的，只计这一情形，不计其他情形)",
            "1 0 0 0 0 0 1",
            "28 0 0 0 0 0 28",
        ]
    )
    lines = to_lines(read_text(text))
    template = load_template("2021")
    plain = read_sequence(lines, template).rows
    first = read_sequence(lines, template, labels_first=True).rows
    assert "requests.granted" not in plain
    assert [c.parsed.value for c in plain["requests.partly_granted"].cells if c] == [
        1,
        0,
        0,
        0,
        0,
        0,
        1,
    ]
    assert [c.parsed.value for c in first["requests.granted"].cells if c] == [1, 0, 0, 0, 0, 0, 1]
    assert [c.parsed.value for c in first["requests.partly_granted"].cells if c] == [
        28,
        0,
        0,
        0,
        0,
        0,
        28,
    ]


PYPDF_LAYOUT_APPEALS = "\n".join(
    [
        " 四、政府信息公开行政复议、行政诉讼情况",
        "",
        "      行政复议                          行政诉讼",
        "",
        "                       未经复议直接起诉              复议后起诉",
        "结果 结果  其他  尚未  总计",
        "维持 纠正  结果  审结      结果  结果  其他  尚未  总计  结果  结果  其他  尚未  总计",
        "                   维持  纠正  结果  审结      维持  纠正  结果  审结",
        "",
        "     0  0   0   0   0   0   0   0   0   0   0   0   0   0",
    ]
)


def test_a_bare_line_placed_under_its_header_one_way_says_so() -> None:
    """pypdf's layout text of held-out page p053 (LibreOffice PDF): shifted to fit, the
    fourteen 0s fit the header's first fourteen columns; where they stand, they tell
    nothing (the first stands half-way): the placement names header_placed_one_way."""
    lines = to_lines(read_text(PYPDF_LAYOUT_APPEALS))
    row = read_sequence(lines, load_template("2021")).rows["appeals"]
    assert "header_placed_one_way" in row.rules
