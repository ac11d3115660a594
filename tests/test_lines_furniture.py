"""Page furniture of printed pages in text dumps (giextract/lines.py): tables of cases.

A browser prints a header (date, page title) and a footer (URL, ``page/pages``) on every
page; PDF text tools put them between table rows, whole or one character per line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import giextract
from giextract.lines import is_print_furniture, page_furniture, shattered_print_furniture, to_lines
from giextract.read import read_text

# (text, is print furniture)
WHOLE = [
    ("12/7/26, 11:35 AM    宜宾市财政局2023年政府信息公开工作年度报告", True),
    ("12/7/26, 11:35 AM宜宾市财政局2023年政府信息公开工作年度报告", True),
    ("2024/3/1, 09:12   某某局年报", True),
    ("file:///srv/reports/page.html                                     1/3", True),
    ("https://www.example.gov.cn/art/2024/1/15/art_1.html 2/5", True),
    ("- 3 -", False),  # a page number: is_page_noise
    ("1/3", False),
    ("（一）予以公开 1 0 0 0 0 0 1", False),
    ("2023年1月1日起至2023年12月31日止。", False),
    ("12 7 26 0 0 0 1", False),
]


@pytest.mark.parametrize(("text", "expected"), WHOLE, ids=[t for t, _ in WHOLE])
def test_is_print_furniture(text: str, expected: bool) -> None:
    assert is_print_furniture(text) is expected


SHATTERED_HEADER = [*"12/7/26,", "1", "1:3", *"5AM宜宾市财政局2023年政府信息公开工作年度报告"]
SHATTERED_FOOTER = ["file:///", *"tmp/p000/", "page.h", "t", "ml 2", "/", "3"]
# (case, lines, indices expected as furniture)
RUNS = [
    (
        "pypdfium2: header and footer one piece per line between rows",
        [
            "4.无正当理由大量反复申请 17 0 0 0 0 17",
            *SHATTERED_HEADER,
            *SHATTERED_FOOTER,
            *("5.要求行", "政机关确", "0 0 0 0 0 0 0"),
        ],
        set(range(1, 1 + len(SHATTERED_HEADER) + len(SHATTERED_FOOTER))),
    ),
    (
        "a footer alone, shattered; a path's 2024/1 is not the counter",
        ["0", *"http://x.gov.cn/2024/1/a.htm", "4", "/", "9", "3", "5"],
        set(range(1, 1 + len("http://x.gov.cn/2024/1/a.htm") + 3)),
    ),
    (
        "whole header and footer lines",
        [
            "12/7/26, 11:35 AM  某局2023年政府信息公开工作年度报告",
            "（一）予以公开 1 0 0",
            "file:///a/page.html  1/3",
        ],
        {0, 2},
    ),
    (
        "pypdfium2: a footer 第 3 页 共 4 页 cut into three lines inside a row label",
        ["4.无正当理由大量反", "0 0 0 0 0 0 0", "第 ", "3 页 共 ", "4 页", "复申请"],
        {2, 3, 4},
    ),
    (
        "pypdfium2: a bare counter cut, its shape printed whole on the other pages",
        ["1/4", "0", "0", "3", "/", "4", "2、申请人逾期未按", "2/4", "0", "4/4"],
        {3, 4, 5},
    ),
    (
        "values and a blank mark that read as a counter the document never prints: kept",
        ["0", "3", "/", "4", "0"],
        set(),
    ),
    (
        "a whole page number, then a value: the value is kept",
        ["1/4", "0", "2/4", "0 0", "4/4"],
        set(),
    ),
    (
        "a counter of another page count than the document's: kept",
        ["1/4", "3", "/", "5", "2/4"],
        set(),
    ),
    (
        "one value per line, no stamp: nothing",
        ["1", "2", "/", "7", "0", "3"],
        set(),
    ),
    (
        "a date stamp but no URL and counter after it: nothing",
        [*"12/7/26,", "1", "1:3", "5", "0", "0"],
        set(),
    ),
]


@pytest.mark.parametrize(("case", "lines", "expected"), RUNS, ids=[c[0] for c in RUNS])
def test_page_furniture(case: str, lines: list[str], expected: set[int]) -> None:
    got = page_furniture(to_lines(read_text("\n".join(lines))))
    assert got == expected, case


def test_shattered_run_length() -> None:
    lines = to_lines(read_text("\n".join(["0", *SHATTERED_HEADER, *SHATTERED_FOOTER, "5.要求行"])))
    assert shattered_print_furniture(lines, 0) == 0
    assert shattered_print_furniture(lines, 1) == len(SHATTERED_HEADER) + len(SHATTERED_FOOTER)


GOLDEN = Path(__file__).parent / "golden" / "furniture"


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir()))
def test_cut_page_numbers_in_real_renders(case: str) -> None:
    """pypdfium2 renders (``corpus/renders``) whose footer is cut into pieces between rows:
    every field as the page printed it.  (Only the fields: these LibreOffice titles wrap
    before 年度报告 and their year is not read, which has nothing to do with furniture.)"""
    expected = json.loads((GOLDEN / case / "expected.json").read_text("utf-8"))
    report = giextract.extract((GOLDEN / case / "input.txt").read_text("utf-8"))
    assert (report.template, report.agency) == (expected["template"], expected["agency"])
    wrong = {k: v for k, v in expected["fields"].items() if report.fields.get(k, "missing") != v}
    assert wrong == {}
