"""Markdown with raw HTML tables (pandoc's ``-t markdown`` / ``-t gfm``): sniffing and reading."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from giextract.formats.markdown import is_markdown_with_html, markdown_text_line, read_markdown
from giextract.formats.pdf import is_page_number
from giextract.formats.text import strip_heading_attributes
from giextract.read import read_bytes, sniff_format

PANDOC_GFM = """\
<div class="nav">

当前位置：首页 \\> 信息公开 \\> 年度报告

</div>

# 某局2021年政府信息公开工作年度报告

**二、主动公开政府信息情况**

|          |              |
|:--------:|:------------:|
| 信息内容 | 本年制发件数 |
|   规章   |      3       |

**三、收到和处理政府信息公开申请情况**

<table style="width:480px">
<tbody>
<tr class="odd">
<td colspan="2"><span>一、本年新收政府信息公开申请数量</span></td>
<td><span>6</span></td>
</tr>
<tr class="even">
<td rowspan="2"><span>三、本年度办理结果</span></td>
<td><p><span>（一）予以公开</span></p></td>
<td><span>2</span></td>
</tr>
</tbody>
</table>

**四、政府信息公开行政复议、行政诉讼情况**
"""


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PANDOC_GFM, True),
        # pandoc -t markdown: a fenced div, a heading with attributes, bold section titles
        ("::: nav\n首页\n:::\n# 标题 {#标题}\n**一、总体情况**\n<div>\n</div>\n", True),
        # an HTML page is never Markdown, whatever its text holds
        ("<!DOCTYPE html><html><body>\n# 标题\n**一、总体情况**\n<table></table>", False),
        ("<html>\n<body><p>**一、总体情况**</p>\n<p>**二、主动公开**</p></body></html>", False),
        # one Markdown-looking line is not enough
        ("<div><p>2021年</p></div>\n**一、总体情况**\n", False),
        # a simple table's rule of dashes, and a pipe table's rule
        ("  -----  -----\n  规章   0\n<table><tr><td>1</td></tr></table>\n|---|---|\n", True),
    ],
)
def test_is_markdown_with_html(head: str, expected: bool) -> None:
    assert is_markdown_with_html(head.encode("utf-8")) is expected


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("<div>", ""),
        ('<div class="nav">', ""),
        ("</div>", ""),
        ("::: nav", ""),
        (":::", ""),
        ("当前位置：首页 \\> 信息公开", "当前位置：首页 \\> 信息公开"),  # normalize's job
        ('# 某局年度报告 {#某局年度报告 style="text-align:center"}', "# 某局年度报告"),
        ("**一、总体情况**", "**一、总体情况**"),
        ("本年<span>新收</span>申请", "本年新收申请"),
        ("|   规章   |      3       |", "|   规章   |      3       |"),
    ],
)
def test_markdown_text_line(line: str, text: str) -> None:
    assert markdown_text_line(line) == text


def test_sniff_tells_markdown_from_html() -> None:
    assert sniff_format(PANDOC_GFM.encode("utf-8")) == "markdown"
    page = "<html><body><table><tr><td>规章</td><td>3</td></tr></table></body></html>"
    assert sniff_format(page.encode("utf-8")) == "html"


def test_read_markdown_text_lines_and_html_rows() -> None:
    lines = read_markdown(PANDOC_GFM.encode("utf-8"))
    texts = [line.text for line in lines]
    assert "当前位置：首页 \\> 信息公开 \\> 年度报告" in texts
    assert "|   规章   |      3       |" in texts
    rows = [line for line in lines if line.table is not None]
    assert [r.text for r in rows] == [
        "一、本年新收政府信息公开申请数量\t\t6",
        "三、本年度办理结果\t（一）予以公开\t2",
    ]
    assert [(r.table, r.row) for r in rows] == [(0, 0), (0, 1)]
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))
    # the text after the table is read as text, in order
    assert texts[-2:] == ["**四、政府信息公开行政复议、行政诉讼情况**", ""]


def test_tables_numbered_across_blocks() -> None:
    block = "<table><tr><td>规章</td><td>1</td></tr></table>"
    data = f"# 标题\n\n**一、总体情况**\n\n{block}\n\n文字\n\n{block}\n".encode()
    rows = [line for line in read_markdown(data) if line.table is not None]
    assert [r.table for r in rows] == [0, 1]


def test_read_bytes_reports_markdown_format() -> None:
    doc = read_bytes(PANDOC_GFM.encode("utf-8"), "x.md")
    assert doc.format == "markdown"


@given(st.text(alphabet=' {}#ab标题="\t', max_size=30))
def test_heading_attributes_stripped_as_the_regex_did(line: str) -> None:
    """:func:`~giextract.formats.text.strip_heading_attributes` is the regex
    ``\\s*\\{#[^{}]*\\}\\s*$`` removed, without scanning the line's spaces (the regex was
    quadratic on a long run of them)."""
    assert strip_heading_attributes(line) == re.sub(r"\s*\{#[^{}]*\}\s*$", "", line)


@pytest.mark.parametrize(
    ("text", "page"),
    [
        ("- 3 -", True),
        ("第 3 页 共 12 页", True),
        ("3/12", True),
        ("1" * 41, False),  # a long line is no page number
        ("规章 3", False),
    ],
)
def test_pdf_page_numbers(text: str, page: bool) -> None:
    """:func:`giextract.formats.pdf.is_page_number`: short lines only."""
    assert is_page_number(text) is page
