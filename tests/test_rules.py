"""The repair rules of the rebuild, each with its own table of cases (explicit line labels).

A case is a list of ``(label, text)`` lines, the template, the values expected for some
rows (``None`` for a row that must not be read) and whether the rule must name itself in
the reading's ``rules``.  The model is not used.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from giextract.catalogue import load_template
from giextract.fields import fields_and_provenance, row_warnings
from giextract.lines import to_lines
from giextract.read import read_text
from giextract.resolve import RESOLVE_RULES
from giextract.segment import SEGMENT_RULES
from giextract.tables import REPAIR_RULES, Rebuilt, rebuild, tokens_of
from giextract.tokens import continuation_holds_values

REQ21 = ("table_title", "三、收到和处理政府信息公开申请情况")
REQ19 = ("table_title", "三、收到和处理政府信息公开申请情况")
APP = ("table_title", "四、政府信息公开行政复议、行政诉讼情况")
NEW = "一、本年新收政府信息公开申请数量"


@dataclass(frozen=True)
class Case:
    lines: tuple[tuple[str, str], ...]
    expect: dict[str, list[object] | None]
    template: str = "2021"
    fires: bool = True


def _row(*cells: object) -> str:
    return "\t".join(str(c) for c in cells)


CASES: dict[str, list[Case]] = {
    "unknown_marker_keeps_its_cell": [
        Case(
            (REQ21, ("row", _row(NEW, 1, "?", 0, 0, 0, 0, 1))),
            {"requests.new_received": [1, None, 0, 0, 0, 0, 1]},
        ),
        Case(
            (REQ21, ("row", _row(NEW, 1, 0, 0, 0, 0, 0, "n.d"))),
            {"requests.new_received": [1, 0, 0, 0, 0, 0, None]},
        ),
        Case(
            (
                REQ21,
                ("row_label", NEW),
                *[("value", v) for v in ("1", "?", "0", "0", "0", "0", "1")],
            ),
            {"requests.new_received": [1, None, 0, 0, 0, 0, 1]},
        ),
    ],
    "marker_after_label": [
        Case(
            (REQ21, ("row", _row("第二十条第（一）项", "规章", "不详", 3, 4))),
            {"active.rules": [None, 3, 4]},
        ),
        Case(
            (REQ21, ("row", _row(NEW, "不详", 0, 0, 0, 0, 0, 5))),
            {"requests.new_received": [None, 0, 0, 0, 0, 0, 5]},
        ),
        # A label wrapped onto its values' line keeps its words.
        Case(
            (
                REQ21,
                ("row_label", "一、本年新收政府信息公开申请"),
                ("row", _row("数量", 7, 1, 0, 3, 0, 4, 15)),
            ),
            {"requests.new_received": [7, 1, 0, 3, 0, 4, 15]},
            fires=False,
        ),
        Case(
            (REQ21, ("row", _row("一、本年新收政府信息公开申请", "数量", 7, 1, 0, 3, 0, 4, 15))),
            {"requests.new_received": [7, 1, 0, 3, 0, 4, 15]},
            fires=False,
        ),
        # A short text that completes the label is the label's.
        Case(
            (REQ19, ("row", _row("3.补正后申请内容仍不", "明确", 1, 0, 0, 0, 0, 0, 1))),
            {"requests.unable.unclear": [1, 0, 0, 0, 0, 0, 1]},
            template="2019",
            fires=False,
        ),
    ],
    "label_split_by_page_break": [
        Case(
            (
                REQ21,
                ("row", _row(NEW, 1, 0, 0, 0, 0, 0, 1)),
                ("row", _row("二、上", 2, 0, 0, 0, 0, 0, 2)),
                ("header", "申请人情况"),
                ("continuation", "年结转政府信息公开申请数量"),
            ),
            {"requests.carried_over": [2, 0, 0, 0, 0, 0, 2]},
        ),
    ],
    "lone_tabs_of_merged_header": [
        Case(
            (
                REQ21,
                ("row", _row(NEW, 1, 0, 0, 0, 0, 0, 1)),
                ("row_label", "二、上年结转政府信息公开申请数量"),
                ("empty_cell", "\t"),
                ("header", "自然人"),
            ),
            {"requests.new_received": [1, 0, 0, 0, 0, 0, 1], "requests.carried_over": None},
            fires=False,
        ),
    ],
    "label_split_from_its_values": [
        # pymupdf4llm (render p053): the label's head with empty cells, its tail with values
        Case(
            (
                REQ21,
                ("row_label", "|（六）|1.申请人无正当理由||||||||"),
                (
                    "row",
                    "|其他处<br>理|逾期不补正、行政机<br>关不再处理其政府信<br>息公开申请|0|0|0|0|0|0|0|",
                ),
            ),
            {"requests.other.no_correction": [0] * 7, "requests.other.other": None},
        ),
        Case(
            (REQ21, ("row", "||1 属于国家||||||||"), ("row", "||.<br>秘密|13|0|0|0|0|0|13|")),
            {"requests.denied.state_secret": [13, 0, 0, 0, 0, 0, 13]},
        ),
        # a blank row, then a row with its own numbered label: no split
        Case(
            (
                REQ21,
                (
                    "row",
                    "|1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请||||||||",
                ),
                (
                    "row",
                    "|2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请|1|0|0|0|0|0|1|",
                ),
            ),
            {
                "requests.other.no_correction": [None] * 7,
                "requests.other.unpaid_fee": [1, 0, 0, 0, 0, 0, 1],
            },
            fires=False,
        ),
        # a blank row, then a row whose label names a row surely: no split
        Case(
            (
                ("table_title", "二、主动公开政府信息情况"),
                ("row", "|行政许可||||"),
                ("row", "|行政处罚|0|1|2|"),
            ),
            {"active.licensing": [None] * 3, "active.punishment": [0, 1, 2]},
            template="2019",
            fires=False,
        ),
    ],
    "appeals_header_zone": [
        Case(
            (("header", "行政复议\t行政诉讼"), ("values", _row(*[0] * 14, 0))),
            {"appeals": [0] * 15},
            template="2019",
            fires=False,
        ),
    ],
    "label_end_taken_for_header": [
        # pdftotext -raw: the label's last characters on a line of their own.
        Case(
            (
                REQ21,
                ("row_label", "一、本年新收政府信息公开申"),
                ("header", "请数量"),
                ("values", _row(95, 7, 5, 0, 0, 0, 107)),
            ),
            {"requests.new_received": [95, 7, 5, 0, 0, 0, 107]},
        ),
        # A group label and the headers under it: no numbered row label waits.
        Case(
            (
                ("table_title", "二、主动公开政府信息情况"),
                ("group", "第二十条第（一）项"),
                ("header", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数"),
                ("row", _row("规章", 1, 2, 3)),
            ),
            {"active.rules": [1, 2, 3]},
            fires=False,
        ),
    ],
    "row_label_taken_for_heading": [
        # pdftotext -raw: the start of a wrapped row label read as a section heading.
        Case(
            (
                REQ21,
                ("row", _row("（一）予以公开", 24, 0, 0, 0, 0, 0, 24)),
                ("heading", "(二)部分公开(区分处理的,"),
                ("continuation", "只计这一情形,不计其他情"),
                ("continuation", "形)"),
                ("values", _row(1, 0, 0, 0, 0, 0, 1)),
            ),
            {
                "requests.granted": [24, 0, 0, 0, 0, 0, 24],
                "requests.partly_granted": [1, 0, 0, 0, 0, 0, 1],
            },
        ),
        # The same across a page break: blank lines and page noise between the lines.
        Case(
            (
                REQ21,
                ("row", _row("（一）予以公开", 24, 0, 0, 0, 0, 0, 24)),
                ("noise", "2/4"),
                ("blank", ""),
                ("heading", "（二）部分公开"),
                ("values", _row(1, 0, 0, 0, 0, 0, 1)),
            ),
            {"requests.partly_granted": [1, 0, 0, 0, 0, 0, 1]},
        ),
        # A heading of the prose that names a row stays a heading.
        Case(
            (
                ("prose", "本机关全年受理申请如下。"),
                ("heading", "（二）部分公开"),
                ("prose", "本年度部分公开的申请较上年减少。"),
                REQ21,
                ("row", _row(NEW, 1, 0, 0, 0, 0, 0, 1)),
            ),
            {"requests.new_received": [1, 0, 0, 0, 0, 0, 1], "requests.partly_granted": None},
            fires=False,
        ),
        # Between table lines, a heading that names no row (a group label) stays one.
        Case(
            (
                REQ21,
                ("row", _row("（一）予以公开", 24, 0, 0, 0, 0, 0, 24)),
                ("heading", "（三）不予公开"),
                ("row", _row("1.属于国家秘密", 2, 0, 0, 0, 0, 0, 2)),
            ),
            {"requests.denied.state_secret": [2, 0, 0, 0, 0, 0, 2]},
            fires=False,
        ),
    ],
    "columns_decided_jointly": [
        # pdftotext -raw lost a blank in 上年结转 and in 总计: 本年新收 + 上年结转 = 总计 +
        # 结转下年, column by column, lays 总计 one way only (fields: test_tables).
        Case(
            (
                REQ21,
                ("row", _row("一、本年新收政府信息公开申请数量", 150, 0, 0, 2, 15, 0, 167)),
                ("row", _row("二、上年结转政府信息公开申请数量", 0, 0, 1, 0, 0, 1)),
                ("row", _row("（七）总计", 150, 0, 0, 3, 15, 168)),
                ("row", _row("四、结转下年度继续办理", 0, 0, 0, 0, 0, 0, 0)),
            ),
            {"requests.total": [150, 0, 0, 3, 15, None, 168]},
        ),
        # Without 结转下年 no identity ties the rows: nothing is decided jointly.
        Case(
            (
                REQ21,
                ("row", _row("一、本年新收政府信息公开申请数量", 150, 0, 0, 2, 15, 0, 167)),
                ("row", _row("二、上年结转政府信息公开申请数量", 0, 0, 1, 0, 0, 1)),
                ("row", _row("（七）总计", 150, 0, 0, 3, 15, 168)),
            ),
            {"requests.new_received": [150, 0, 0, 2, 15, 0, 167]},
            fires=False,
        ),
    ],
    "numbered_continuation_begins_label": [
        # pdfplumber: labels wrapped around their values, every piece on a line of its own.
        Case(
            (
                REQ21,
                ("group", "（五）不予处理"),
                ("row_label", "1.信访"),
                ("continuation", "举报投"),
                ("values", _row(0, 0, 0, 0, 0, 0, 0)),
                ("continuation", "诉类申"),
                ("continuation", "请"),
                ("continuation", "2.重复"),
                ("values", _row(9, 0, 0, 0, 0, 0, 9)),
                ("continuation", "申请"),
            ),
            {
                "requests.not_processed.petition": [0, 0, 0, 0, 0, 0, 0],
                "requests.not_processed.duplicate": [9, 0, 0, 0, 0, 0, 9],
            },
        ),
        # A tail with no numbering after the values is still the row's own label.
        Case(
            (
                REQ21,
                ("row", _row("3.补正后申请内容仍不", 1, 0, 0, 0, 0, 0, 1)),
                ("continuation", "明确"),
            ),
            {"requests.unable.unclear": [1, 0, 0, 0, 0, 0, 1]},
            fires=False,
        ),
    ],
    "label_wrapped_around_values": [
        Case(
            (
                REQ19,
                ("row", _row("（三）不予公开", "1.属于国家秘密", 0, 0, 0, 0, 0, 0, 0)),
                ("row", _row("3.补正后申请内容仍不", 1, 0, 0, 0, 0, 0, 1)),
                ("continuation", "明确"),
            ),
            {"requests.unable.unclear": [1, 0, 0, 0, 0, 0, 1]},
            template="2019",
        ),
    ],
    "wrapped_label": [
        Case(
            (
                REQ21,
                ("row_label", "一、本年新收政府信息"),
                ("continuation", "公开申请数量"),
                ("values", _row(1, 0, 0, 0, 0, 0, 1)),
            ),
            {"requests.new_received": [1, 0, 0, 0, 0, 0, 1]},
        ),
    ],
    "group_label_padding": [
        Case(
            (
                REQ21,
                ("row", _row(NEW, 1, 0, 0, 0, 0, 0, 1)),
                ("group", "三、本年度办理结果\t\t"),
                ("row", _row("（一）予以公开", 1, 0, 0, 0, 0, 0, 1)),
            ),
            {"requests.granted": [1, 0, 0, 0, 0, 0, 1]},
        ),
    ],
    "rows_without_values": [
        Case(
            (
                REQ21,
                ("row", _row(NEW, 1, 0, 0, 0, 0, 0, 1)),
                ("group", "三、本年度办理结果"),
                ("row_label", "（一）予以公开"),
                ("row", _row("（二）部分公开", 1, 0, 0, 0, 0, 0, 1)),
            ),
            {
                "requests.granted": [None] * 7,
                "requests.partly_granted": [1, 0, 0, 0, 0, 0, 1],
            },
        ),
    ],
    "appeals_label_opens_appeals_row": [
        Case(
            (APP, ("row_label", "行政诉讼"), ("values", _row(*[1, 0, 0, 0, 1] * 3))),
            {"appeals": [1, 0, 0, 0, 1] * 3},
            template="2019",
        ),
    ],
    "appeals_values_without_label": [
        Case(
            (APP, ("header", "结果维持\t结果纠正"), ("values", _row(*[0, 1, 0, 0, 1] * 3))),
            {"appeals": [0, 1, 0, 0, 1] * 3},
            template="2019",
        ),
        # 行政复议 blank: the five empty cells the line starts with are its cells (fuzz seed
        # 1723: they were dropped as indentation and the other groups slid left).
        Case(
            (
                APP,
                ("header", _row("行政复议", "", "行政诉讼")),
                ("header", _row("", "", "", "", "", "结果维持", "结果纠正", "其他结果")),
                ("values", _row("", "", "", "", "", 0, 0, 0, 0, 0, 14, 0, 0, 0, 14, "")),
            ),
            {"appeals": [None] * 5 + [0, 0, 0, 0, 0, 14, 0, 0, 0, 14]},
            template="2019",
        ),
    ],
    "appeals_leading_blanks": [
        Case(
            (
                APP,
                ("header", "结果维持\t结果纠正"),
                ("values", _row("", 0, "", 0, 0, "", 0, 0, 0, 0, 0, 0, 0, 0, "")),
            ),
            {"appeals": [None, 0, None, 0, 0, None, 0, 0, 0, 0, 0, 0, 0, 0, None]},
            template="2019",
        ),
        Case(
            (
                APP,
                ("header", "结果维持\t结果纠正"),
                ("values", _row("", "", 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            ),
            {"appeals": [None, None, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]},
            template="2019",
        ),
        Case(
            (
                APP,
                ("header", "结果维持| 结果纠正| 其他结果"),
                ("values", " | 0|  | 0| 0|  | 0| 0| 0| 0| 0| 0| 0| 0|    "),
            ),
            {"appeals": [None, 0, None, 0, 0, None, 0, 0, 0, 0, 0, 0, 0, 0, None]},
            template="2019",
        ),
        # not the row's width: the blanks stay indentation for the resolver to weigh
        Case(
            (APP, ("header", "结果维持\t结果纠正"), ("values", _row("", *[0, 1, 0, 0, 1] * 3))),
            {"appeals": [0, 1, 0, 0, 1] * 3},
            template="2019",
            fires=False,
        ),
    ],
    "duplicate_row_keeps_fuller": [
        Case(
            (
                REQ21,
                ("row", _row(NEW, "/", "/", "/", "/", "/", "/", "/")),
                ("row", _row(NEW, 3, 0, 0, 0, 0, 0, 3)),
            ),
            {"requests.new_received": [3, 0, 0, 0, 0, 0, 3]},
        ),
        Case(
            (
                REQ21,
                ("row", _row(NEW, 3, 0, 0, 0, 0, 0, 3)),
                ("row", _row(NEW, 1, "/", "/", "/", "/", "/", "/")),
            ),
            {"requests.new_received": [3, 0, 0, 0, 0, 0, 3]},
            fires=False,
        ),
    ],
    "label_span_padding": [
        Case(
            (REQ21, ("row", _row(NEW, "", 1, 2, 0, 0, 0, 0, 3))),
            {"requests.new_received": [1, 2, 0, 0, 0, 0, 3]},
        ),
        # A blank 总计 after a label spanning three columns stays in its column.
        Case(
            (REQ21, ("row", _row(NEW, "", "", 148, 12, 0, 1, 0, 26, ""))),
            {"requests.new_received": [148, 12, 0, 1, 0, 26, None]},
        ),
    ],
    "next_group_padding": [
        Case(
            (REQ21, ("row", _row(NEW, 1, 2, 0, 0, 0, 0, 3, ""))),
            {"requests.new_received": [1, 2, 0, 0, 0, 0, 3]},
        ),
    ],
    "blank_between_values": [
        Case(
            (REQ21, ("row", _row(NEW, 1, 2, "", 0, 0, 0, 0, 3))),
            {"requests.new_received": [1, 2, 0, 0, 0, 0, 3]},
        ),
        # A blank in the middle of a row of the right width is kept, not dropped.
        Case(
            (REQ21, ("row", _row(NEW, 1, "", 0, 0, 0, 0, 1))),
            {"requests.new_received": [1, None, 0, 0, 0, 0, 1]},
            fires=False,
        ),
    ],
    "too_many_values": [
        Case(
            (REQ21, ("row", _row(NEW, 1, 2, 0, 0, 0, 0, 3, 9))),
            {"requests.new_received": [1, 2, 0, 0, 0, 0, 3]},
        ),
    ],
    "vanished_appeals_group": [
        Case(
            (APP, ("header", "行政复议"), *[("value", v) for v in "1200301102"]),
            {"appeals": [None] * 5 + [1, 2, 0, 0, 3, 0, 1, 1, 0, 2]},
            template="2019",
        ),
    ],
    "vanished_cell": [
        Case(
            (REQ21, ("row", f"{NEW} 5 2 0 0 0 7")),
            {"requests.new_received": [5, 2, 0, 0, 0, None, 7]},
        ),
        # 14 appeals values: 行政复议's 总计 (5) fits only if its blank is 尚未审结.
        Case(
            (APP, ("header", "行政复议"), *[("value", v) for v in "23050000010001"]),
            {"appeals": [2, 3, 0, None, 5, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]},
            template="2019",
        ),
    ],
}


def _rebuild(case: Case) -> Rebuilt:
    lines = to_lines(read_text("\n".join(text for _, text in case.lines)))
    assert len(lines) == len(case.lines), [ln.cells for ln in lines]
    return rebuild(lines, [label for label, _ in case.lines], load_template(case.template))


def _values(rebuilt: Rebuilt, key: str) -> list[object] | None:
    reading = rebuilt.rows.get(key)
    if reading is None:
        return None
    return [None if c is None else c.parsed.value for c in reading.cells]


PARAMS = [
    pytest.param(rule, case, id=f"{rule}-{i}")
    for rule, cases in CASES.items()
    for i, case in enumerate(cases)
]


@pytest.mark.parametrize(("rule", "case"), PARAMS)
def test_rule_case(rule: str, case: Case) -> None:
    rebuilt = _rebuild(case)
    for key, values in case.expect.items():
        assert _values(rebuilt, key) == values, key
    fired = {name for r in rebuilt.rows.values() for name in r.rules}
    if case.fires:
        assert rule in fired
    else:
        assert rule not in fired or rule in ("duplicate_row_keeps_fuller",)


# tokens.numbered_line_ends_header: a continuation line after the header lines that begins
# with a numbering is a label piece, not the header's words (the line, the kind of its
# tokens).  pymupdf4llm's picture text of a drawn table, every piece on a line of its own
# (render p035).
_HEADERS = (
    ("header", "申请人情况"),
    ("header", "自然人\t法人或其他组织\t其他\t总计"),
    ("header", "商业企业\t科研机构\t社会公益组织\t法律服务机构"),
)
_NEW_VALUES = [170, 0, 0, 0, 4, 7, 181]
HEADER_ENDS = [
    ("一、本年新收政府信息公开", "cont"),
    ("机构", "header"),  # the header's own wrapped words stay the header's
]


@pytest.mark.parametrize(("line", "kind"), HEADER_ENDS, ids=["numbered-label", "header-words"])
def test_numbered_line_ends_header(line: str, kind: str) -> None:
    lines = (REQ21, *_HEADERS, ("continuation", line), ("row", _row("申请数量", *_NEW_VALUES)))
    text_lines = to_lines(read_text("\n".join(text for _, text in lines)))
    toks = tokens_of(text_lines, [label for label, _ in lines])
    assert {t.kind.value for t in toks if t.line is text_lines[-2]} == {kind}
    if kind == "cont":
        assert _values(_rebuild(Case(lines, {})), "requests.new_received") == _NEW_VALUES


# tokens.continuation_holds_values: a line taken for a continuation that prints values
# after its text is a row (cells, after a header, whether it is read as a row).
HOLDS_VALUES = [
    (("开", "2、其他法律行政法规禁止公开", "0", "0", "0", "", "0", "0", "0"), False, True),
    (("度办理结", "果"), False, False),  # label pieces only
    (("2021",), False, False),  # a value alone, no text before it
    (("年度", "2021"), True, False),  # the header's words go on after a header
]


@pytest.mark.parametrize(("cells", "after_header", "row"), HOLDS_VALUES)
def test_continuation_holds_values(cells: tuple[str, ...], after_header: bool, row: bool) -> None:
    assert continuation_holds_values(cells, after_header) is row


def test_a_continuation_holding_values_keeps_them() -> None:
    """Held-out p008 in pymupdf4llm's Markdown, read by a model trained without the
    PDF-to-Markdown renders (leave-one-tool-out): the row's seven cells were lost."""
    lines = (
        REQ21,
        ("row", _row("一、本年新收政府信息公开申请数量", *_NEW_VALUES)),
        ("continuation", _row("开", "2、其他法律行政法规禁止公开", 0, 0, 0, "", 0, 0, 0)),
    )
    text_lines = to_lines(read_text("\n".join(text for _, text in lines)))
    toks = tokens_of(text_lines, [label for label, _ in lines])
    assert [t.text for t in toks if t.line is text_lines[-1] and t.kind.value == "value"] == [
        "0"
    ] * 6


def test_every_rule_has_cases_and_a_documented_example() -> None:
    assert set(CASES) == set(REPAIR_RULES)
    docs = [(r.name, r.doc) for r in SEGMENT_RULES] + [(r.name, r.doc) for r in RESOLVE_RULES]
    for name, doc in docs:
        assert len(doc) > 60 and ("::" in doc or "``" in doc), name


def test_rules_are_named_in_provenance() -> None:
    case = CASES["label_span_padding"][0]
    fields, provenance = fields_and_provenance(_rebuild(case), case.template)
    assert fields["requests.new_received.natural_person"] == 1
    prov = provenance["requests.new_received.natural_person"]
    assert prov["rules"] == ["label_span_padding"]
    assert "chosen_among" not in prov  # one empty cell to drop: one reading
    case = CASES["vanished_cell"][0]
    _, provenance = fields_and_provenance(_rebuild(case), case.template)
    prov = provenance["requests.new_received.natural_person"]
    assert prov["rules"] == ["vanished_cell"]
    assert prov["chosen_among"] == 7  # the hole in any of the seven columns


# An ambiguous row never guesses a value into a blank's place: each field its tied readings
# fill differently is null, with an ambiguous_value warning naming the candidates; the
# fields every tied reading agrees on keep their value.
DISPUTED = [
    # (row text on the 2021 requests table, the new_received fields, the candidates)
    (f"{NEW} 5 2 0 0 0 7", [None] * 6 + [7], {"natural_person": [5, None]}),
    (f"{NEW} 0 0 0 0 0 0", [None] * 7, {"total": [None, 0], "commercial": [0, None]}),
    (f"{NEW}\t1\t2\t0\t0\t0\t0\t3", [1, 2, 0, 0, 0, 0, 3], {}),
]


@pytest.mark.parametrize(("text", "values", "candidates"), DISPUTED)
def test_disputed_fields_are_null_and_named(
    text: str, values: list[object], candidates: dict[str, list[object]]
) -> None:
    case = Case((REQ21, ("row", text)), {})
    rebuilt = _rebuild(case)
    fields, provenance = fields_and_provenance(rebuilt, case.template)
    row = load_template(case.template).row("requests.new_received")
    assert [fields[f] for f in row.field_ids] == values
    warned = {
        str(w["field"]).rsplit(".", 1)[1]: w["candidates"]
        for w in row_warnings(rebuilt, case.template)
        if w["code"] == "ambiguous_value"
    }
    blank = {f.rsplit(".", 1)[1] for f, v in zip(row.field_ids, values, strict=True) if v is None}
    assert set(warned) == blank
    for col, cands in candidates.items():
        assert warned[col] == cands
        assert provenance[f"requests.new_received.{col}"]["candidates"] == cands
