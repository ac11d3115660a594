"""Field mapping: values, label matching (tables of cases), templates, agency and year."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from giextract.catalogue import TEMPLATES, load_template
from giextract.fields import (
    match_row,
    parse_value,
    table_of_title,
    title_info,
    values_off_the_grid,
    values_on_noise_lines,
    values_on_text_lines,
)
from giextract.lines import to_lines
from giextract.normalize import label_key, to_simplified
from giextract.read import read_text

VALUES = [
    ("0", 0),
    ("12", 12),
    ("1763847.27 元", 1763847.27),
    ("1,234", 1234),
    ("１２", 12),
    ("12.5万元", 12.5),
    ("3件", 3),
    ("", None),
    ("/", None),
    ("—", None),
    ("-", None),
    ("无", None),
    ("——", None),
]


@pytest.mark.parametrize(("raw", "expected"), VALUES)
def test_parse_value(raw: str, expected: object) -> None:
    got = parse_value(raw)
    assert got.value == expected
    assert got.raw == raw
    assert got.ok


def test_unparseable_value_is_flagged_and_null() -> None:
    got = parse_value("见附件")
    assert got.value is None
    assert not got.ok


VARIANTS = [
    ("2019", "1.属国家秘密", "requests.denied.state_secret"),
    ("2019", "3.危机“三安全一稳定”", "requests.denied.security_stability"),
    ("2019", "1.信访举报投诉诉求类申请", "requests.not_processed.petition"),
    ("2019", "(六)其他", "requests.other"),
    ("2019", "（六）其他处理", "requests.other"),
    ("2019", "屬於國家秘密", "requests.denied.state_secret"),  # traditional: converted first
    ("2019", "3. 补正后申请内容仍不", "requests.unable.unclear"),
    ("2021", "行政规范性文件", "active.normative_docs"),
    ("2021", "3.其他", "requests.other.other"),
    (
        "2021",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "requests.other.no_correction",
    ),
    ("2019", "规范性文件", "active.normative_docs"),
    ("2019", "一、本年新收政府信息公开申请数量", "requests.new_received"),
    ("2019", "(七)总计", "requests.total"),
]


@pytest.mark.parametrize(("tid", "label", "key"), VARIANTS)
def test_match_row_variants(tid: str, label: str, key: str) -> None:
    # Documents are converted to simplified characters before their lines are split.
    m = match_row([label_key(to_simplified(label))], load_template(tid))
    assert m is not None and m.row.key == key


def test_traditional_label_matches_after_conversion() -> None:
    lines = to_lines(read_text("屬於國家秘密"))
    m = match_row([label_key(lines[0].cells[0])], load_template("2019"))
    assert m is not None and m.row.key == "requests.denied.state_secret"


@pytest.mark.parametrize("tid", TEMPLATES)
def test_every_canonical_label_matches_itself(tid: str) -> None:
    template = load_template(tid)
    for row in template.rows:
        if row.table == "appeals":
            continue
        m = match_row([label_key(row.label)], template)
        assert m is not None and m.row.key == row.key, row.label


@given(
    st.sampled_from([r for t in TEMPLATES for r in load_template(t).rows if r.table != "appeals"])
)
def test_spaced_and_fullwidth_labels_match(row) -> None:  # type: ignore[no-untyped-def]
    template = load_template(
        "2021"
        if row.fields[0].id in load_template("2021").field_ids
        and row not in load_template("2019").rows
        else "2019"
    )
    spaced = " ".join(row.label)
    m = match_row([label_key(spaced)], template)
    assert m is not None and m.row.key == row.key


def test_prose_matches_no_row() -> None:
    assert match_row([label_key("我局高度重视政府信息公开工作")], load_template("2019")) is None


TITLES = [
    ("二、主动公开政府信息情况", "active"),
    ("主动公开政府信息情况", "active"),
    ("三、收到和处理政府信息公开申请情况", "requests"),
    ("三、收到的处理政府信息公开申请情况", "requests"),
    ("四、政府信息公开行政复议、行政诉讼情况", "appeals"),
    ("一、总体情况", None),
    ("二、主动公开政府信息情况统计表", "active"),
    ("（二）主动公开政府信息情况（单位：件）", "active"),
    # the report's outline, wrapped (render p031, pdftotext -raw): prose naming tables
    ("全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信", None),
    ("全文包括总体情况、主动公开政府信息情况、收到", None),
]


@pytest.mark.parametrize(("text", "table"), TITLES)
def test_table_of_title(text: str, table: str | None) -> None:
    assert table_of_title(text) == table


AGENCY_YEAR = [
    ("柳州市柳江区投资促进局\n\n2019年政府信息公开工作年度报告\n", "柳州市柳江区投资促进局", 2019),
    ("柳州市大数据发展局 2019 年政府信息公开 工作年度报告\n", "柳州市大数据发展局", 2019),
    ("2021年度杭州市财政局政府信息公开工作年度报告\n", "杭州市财政局", 2021),
    ("杭州市财政局关于2022年政府信息公开工作的年度报告\n", "杭州市财政局", 2022),
    ("苏州市教育局2023年度政府信息公开工作年度报告\n", "苏州市教育局", 2023),
]


@pytest.mark.parametrize(("text", "agency", "year"), AGENCY_YEAR)
def test_title_info(text: str, agency: str, year: int) -> None:
    got_agency, got_year, _ = title_info(to_lines(read_text(text)))
    assert (got_agency, got_year) == (agency, year)


def test_title_past_line_80_gives_the_year() -> None:
    chrome = [f"导航栏目{i}" for i in range(120)]
    text = "\n".join([*chrome, "某某市财政局2022年政府信息公开工作年度报告", "正文。"])
    agency, year, index = title_info(to_lines(read_text(text)))
    assert (agency, year, index) == ("某某市财政局", 2022, 120)


# A label cut short by html2text (ending in the cut mark): the row expected next decides.
CUT = "\ufffd"


@pytest.mark.parametrize(
    ("label", "expected", "key"),
    [
        ("行政" + CUT, ["active.licensing"], "active.licensing"),
        ("行政" + CUT, ["active.punishment"], "active.punishment"),
        ("行政" + CUT, ["active.coercion", "active.fees"], "active.coercion"),
        ("规范" + CUT, ["active.normative_docs"], "active.normative_docs"),  # 规范性文件
        ("规" + CUT, ["active.rules"], "active.rules"),
        # only the row expected next: a start that begins it, or nothing
        ("行政" + CUT, ["active.rules"], None),
        ("行政" + CUT, [], None),
        # without the cut mark, a short start is no match
        ("行政", ["active.normative_docs"], None),
        ("行政" + CUT, ["active.normative_docs"], "active.normative_docs"),
        # the rest of the label run on past the cut joins it: fuzzy as usual
        ("行政" + CUT + "可", [], "active.licensing"),
        ("行政事" + CUT + "性收", [], "active.fees"),
        # what survives either side of the cut, in order, on the row expected next
        ("行政" + CUT + "业", ["active.fees"], "active.fees"),
        ("行政" + CUT + "业", ["active.coercion"], None),
        ("规范" + CUT + "文件", ["active.normative_docs"], "active.normative_docs"),
    ],
)
def test_cut_label_matches_the_row_expected_next(
    label: str, expected: list[str], key: str | None
) -> None:
    m = match_row([label_key(label)], load_template("2021"), expected)
    assert (m.row.key if m else None) == key


def test_cut_label_is_not_a_row_followed_by_more() -> None:
    # 其他对外管理服务事项 cut: no 其他 (requests) + 对外管理…
    m = match_row([label_key("其他对" + CUT + "管理务项")], load_template("2019"))
    assert m is not None and m.row.key == "active.other_services"


# Titles as text tools print them: wrapped where the PDF's line ended, behind a running
# header that names only the year.
WRAPPED_TITLES = [
    (["杨陵区市场监督管理局2020年政府信息公开工作年度报", "告"], ("杨陵区市场监督管理局", 2020)),
    (
        ["兰州市城关区农业农村局2024年政府信息公开工作", "         年度报告"],
        ("兰州市城关区农业农村局", 2024),
    ),
    (
        [
            "2019 年政府信息公开工作年度报告",
            "合肥市蜀山区自然资源局 2019 年政府信息",
            "公开工作年度报告",
        ],
        ("合肥市蜀山区自然资源局", 2019),
    ),
    (["某某局2021年政府信息公开工作年度报告", "2022年政府信息公开工作年度报告"], ("某某局", 2021)),
    (  # pandoc -t markdown: the heading's attributes made the line too long for a title
        [
            "# 兰州市城关区农业农村局2024年政府信息公开工作年度报告 "
            '{#兰州市城关区农业农村局2024年政府信息公开工作年度报告 style="text-align:center"}'
        ],
        ("兰州市城关区农业农村局", 2024),
    ),
]


@pytest.mark.parametrize(("title", "expected"), WRAPPED_TITLES)
def test_title_wrapped_or_behind_a_running_header(
    title: list[str], expected: tuple[str, int]
) -> None:
    lines = to_lines(read_text("\n".join([*title, "一、总体情况", "本年度……"])))
    agency, year, _ = title_info(lines)
    assert (agency, year) == expected


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("noise", "value_on_text_line"),  # pymupdf4llm mixed a row with page text (p055)
        ("prose", "value_on_text_line"),
        ("heading", "value_on_text_line"),
        ("header", "value_on_header_line"),  # a row beside the header, often taken for one
        ("row", None),
        ("values", None),
        ("value", None),
        ("continuation", None),
    ],
)
def test_a_value_from_a_line_the_classifier_took_for_text_is_said(
    label: str, code: str | None
) -> None:
    fields = {"active.fees.change": 219, "active.fees.prev_items": None}
    provenance: dict[str, dict[str, object]] = {
        "active.fees.change": {"value_line": 31, "raw": "219"},
        "active.fees.prev_items": {"value_line": 31, "raw": ""},  # a blank: nothing read
    }
    got = values_on_text_lines(fields, provenance, {31: label, 32: "row"})
    assert [(w["code"], w["field"]) for w in got] == (
        [(code, "active.fees.change")] if code else []
    )


_GRID_HEADER = "|信息内容|采购项目数量|采购总|金额|"


@pytest.mark.parametrize(
    ("text", "warned"),
    [
        # pymupdf4llm left the row out of its grid (render p017): its two values on lines
        # of their own under the pipe header
        (["三、主动公开", _GRID_HEADER, "政府集中采购", "", "0", "", "15"], True),
        # the row in the grid, or its values on one line: their order is the columns'
        (["三、主动公开", _GRID_HEADER, "|政府集中采购|0|15|"], False),
        (["三、主动公开", _GRID_HEADER, "政府集中采购 0 15"], False),
        # a header that is not a pipe row (pdftotext -raw, pdfplumber: one cell a line)
        (["三、主动公开", "信息内容 采购项目数量 采购总金额", "政府集中采购", "0", "15"], False),
    ],
)
def test_values_off_the_grid(text: list[str], warned: bool) -> None:
    """Rule :func:`giextract.fields.values_off_the_grid`, on the lines as read and the
    labels the classifier would give them (a header, the row's label, its values)."""
    lines = to_lines(read_text("\n".join(text)))
    by_text = {"三、主动公开": "heading", "政府集中采购": "row_label", "": "blank"}
    labels = [
        "header"
        if "信息内容" in line.raw
        else by_text.get(line.raw, "value" if line.raw in ("0", "15") else "row")
        for line in lines
    ]
    numbers = [line.number for line in lines if line.raw in ("0", "15")] or [
        line.number for line in lines if "政府集中采购" in line.raw
    ] * 2
    provenance = {
        "active.procurement.items": {"value_line": numbers[0]},
        "active.procurement.amount": {"value_line": numbers[-1]},
    }
    got = values_off_the_grid(provenance, lines, labels)
    assert [w["row"] for w in got] == (["active.procurement"] if warned else [])


@pytest.mark.parametrize(
    ("text", "label", "left"),
    [
        # a row's values the classifier took for noise (leave-one-tool-out, p017 pdfplumber)
        ("0 0 0 0 0 0 0", "noise", ["0, 0, 0, 0, 0, 0, 0"]),
        ("12\t3", "noise", ["12, 3"]),
        # page furniture: one number, or numbers beside text
        ("- 3 -", "noise", []),
        ("第 3 页 共 6 页", "noise", []),
        ("12/7/26, 11:46 AM", "noise", []),
        # the same values on a line the classifier read as values: a row reads them
        ("0 0 0 0 0 0 0", "values", []),
    ],
)
def test_values_on_noise_lines(text: str, label: str, left: list[str]) -> None:
    """Rule :func:`giextract.fields.values_on_noise_lines`."""
    lines = to_lines(read_text(text))
    got = values_on_noise_lines(lines, [label] * len(lines))
    assert [str(w["message"]) for w in got] == [
        f"values [{v}] belong to no known row" for v in left
    ]
    assert all(w["code"] == "unplaced_values" for w in got)
