"""Normalisation: tables of cases and hypothesis properties (idempotent, width-insensitive)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from giextract.normalize import (
    _MARKDOWN_ESCAPE,
    label_key,
    normalize_text,
    split_numbering,
    to_simplified,
)

CASES = [
    ("结果 维持", "结果维持"),
    ("法 律 服 务", "法律服务"),
    ("１２３", "123"),
    ("（一） 予以公开", "(一)予以公开"),
    ("1. 属于国家秘密", "1.属于国家秘密"),
    (
        "柳州市大数据发展局 2019 年政府信息公开 工作年度报告",
        "柳州市大数据发展局2019年政府信息公开工作年度报告",
    ),
    ("规章 0 0 0", "规章0 0 0"),
    ("1763847.27 元", "1763847.27元"),
    ("\u00a0\u00a0总计\u3000", "总计"),
    # Markdown escapes (html2text module, pandoc): the backslashes go, other ones stay
    ("3\\. 其他", "3.其他"),
    ("1\\. 申请人无正当理由逾期不补正", "1.申请人无正当理由逾期不补正"),
    ("首页 \\> 信息公开", "首页>信息公开"),
    ("\\\\\\- 5", "- 5"),
    ("a\\b", "a\\b"),
    # no space and no backslash after NFKC: the text as folded
    ("规章", "规章"),
    ("０", "0"),
    ("(一)予以公开", "(一)予以公开"),
    # zero-width space and BOM are no whitespace to str.isspace, but are spaces here
    ("规章\u200b", "规章"),
    ("\ufeff0", "0"),
    ("结果\u200b维持", "结果维持"),
    # an HTML line break in a Markdown cell (pymupdf4llm): a space, gone beside CJK text
    ("行政机<br>关不再处理", "行政机关不再处理"),
    ("0<br>15", "0 15"),
    ("0<BR/>0<br />0", "0 0 0"),
    ("1 属于国家.<br>秘密", "1属于国家.秘密"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


KEYS = [
    ("(一)予以公开", "(一)予以公开"),
    ("（一）予以公开", "(一)予以公开"),
    ("1、属于国家秘密", "1.属于国家秘密"),
    ("1．属于国家秘密", "1.属于国家秘密"),
    ("3.危及“三安全一稳定”", "3.危及三安全一稳定"),
    ("三. 本年度办理结果", "三、本年度办理结果"),
    ("本年收费金额（单位：万元）", "本年收费金额(单位万元)"),
]


@pytest.mark.parametrize(("raw", "expected"), KEYS)
def test_label_key(raw: str, expected: str) -> None:
    assert label_key(raw) == expected


def test_split_numbering() -> None:
    assert split_numbering("(三)不予公开") == ("(三)", "不予公开")
    assert split_numbering("1.属于国家秘密") == ("1.", "属于国家秘密")
    assert split_numbering("规章") == ("", "规章")


def test_traditional_to_simplified() -> None:
    assert to_simplified("屬於國家秘密") == "属于国家秘密"
    assert to_simplified("危及「三安全一穩定」") == "危及「三安全一稳定」"


_text = st.text(
    alphabet=st.sampled_from(
        list("规章属于国家秘密一二三（）()1234567890.、 ，,：:“”\u3000\u00a0\\")
    ),
    max_size=30,
)


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


@given(_text)
def test_normalize_is_idempotent(s: str) -> None:
    once = normalize_text(s)
    assert normalize_text(once) == once
    key = label_key(s)
    assert label_key(key) == key


@given(_text)
def test_normalize_is_width_insensitive(s: str) -> None:
    assert normalize_text(_fullwidth(s)) == normalize_text(s)
    assert label_key(_fullwidth(s)) == label_key(s)


@given(st.text(alphabet="\\!._ a规", max_size=16))
def test_markdown_escapes_removed_as_before(text: str) -> None:
    """The escape pattern starts only at a run's first backslash (linear over a long run of
    them, where it was quadratic) and removes what the pattern without the lookbehind did."""
    old = re.compile(r"\\+(?=[!-/:-@\[\]^_`{-~])")
    assert _MARKDOWN_ESCAPE.sub("", text) == old.sub("", text)
