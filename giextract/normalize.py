"""Normalising text: width, script, spaces inside CJK labels, numbering and quotes.

Two levels:

* :func:`to_simplified` converts a whole document from traditional to simplified
  characters once (OpenCC ``t2s``), before it is split into lines.
* :func:`normalize_text` makes a cell's text canonical for display and value
  parsing (full-width forms folded, odd spaces unified, spaces inside CJK text
  removed); :func:`label_key` goes further for matching labels (no spaces, no
  quotes, one numbering style).  Both are idempotent.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from .formats.text import MARKUP_BREAK

_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff]+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’《》"
# A space is dropped when a CJK character (or CJK punctuation) stands on either side,
# unless both sides are digits or latin letters: "结果 维持" -> "结果维持", "2019 年" ->
# "2019年", but "0 0" stays.
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SPACE_AFTER_NUMBERING = re.compile(
    r"^((?:\d{1,2}|[一二三四五六七八九十]{1,3})[.、]|\([一二三四五六七八九十\d]{1,3}\))\s+"
)
_NUMBERING_PUNCT = re.compile(r"^(\d{1,2})\s*[、.,，．:：]\s*")
_CN_NUMBERING_PUNCT = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.,，．:：]\s*")
_PAREN_NUMBERING = re.compile(r"^[(（]\s*([一二三四五六七八九十\d]{1,3})\s*[)）]\s*")
# Markdown writers (pandoc, the html2text module) escape ASCII punctuation: ``1\. 重复申请``.
# Only from a run's first backslash ((?<!\\)): tried at every backslash of a long run, the
# pattern took quadratic time (the run's end is no punctuation: no backslash is one).
_MARKDOWN_ESCAPE = re.compile(r"(?<!\\)\\+(?=[!-/:-@\[\]^_`{-~])")
#: What the steps of :func:`normalize_text` after NFKC act on: a space (\s or one of
#: :data:`_SPACES`) or a backslash.
_TO_NORMALIZE = re.compile(r"[\s\\\u200b\ufeff]")
_QUOTES = re.compile(r"[“”\"'‘’「」『』*#`\\]")
_LABEL_DROP = re.compile(r"[\s:：;；。]+")

REPORT_WORDS = re.compile(
    r"政府信息公开(?:工作)?(?:的)?年度?报告|政务公开.{0,6}年度报告|信息公开年报"
)
"""The words of a report's title (…年度报告), also printed as a running page header
(simplified characters: :func:`to_simplified` first)."""

CUT_MARK = "\ufffd"
"""Where a converter cut a character in two (U+FFFD once decoded): a label ending in it
was cut short there (Debian html2text's ``行政\ufffd`` for 行政许可)."""


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified ones (OpenCC ``t2s``)."""
    if not text or text.isascii():
        return text
    return str(_t2s().convert(text))


@lru_cache(maxsize=65536)
def normalize_text(text: str) -> str:
    """Fold full-width forms, unify spaces, drop Markdown's backslash escapes, HTML line
    breaks (``<br>``, a space) and spaces inside CJK text.

    Digits and latin letters keep their separating spaces so that a row such as
    ``规章 0 0 0`` keeps its values apart once the label is split off.  A backslash
    before ASCII punctuation is Markdown's escape, never a report's text:
    ``3\\. 其他`` -> ``3.其他``, ``首页 \\> 年度报告`` -> ``首页>年度报告``.
    """
    text = unicodedata.normalize("NFKC", text)
    if "<" in text:
        # a line break inside a Markdown table's cell (pymupdf4llm: 行政机<br>关不再处理,
        # 0<br>15 for two values stacked in one cell): a space, dropped beside CJK text
        text = MARKUP_BREAK.sub(" ", text)
    if not _TO_NORMALIZE.search(text):
        return text  # no space, no escape: each step below would leave it as it is
    text = _MARKDOWN_ESCAPE.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_NEAR_CJK.sub("", text)
    text = _SPACE_AFTER_NUMBERING.sub(r"\1", text)
    return text


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """The matching key of a label: normalised, no spaces, quotes, Markdown marks or
    backslashes, one numbering style.

    ``（一） 予以公开``, ``(一)予以公开`` and ``一、予以公开`` keep their kind of
    numbering (it tells the level of the row) but in one spelling each:
    ``(一)``, ``一、`` and ``1.``.
    """
    text = normalize_text(text)
    text = _QUOTES.sub("", text)
    text = _LABEL_DROP.sub("", text) if not _NUMBERING_PUNCT.match(text) else text
    text = _PAREN_NUMBERING.sub(lambda m: f"({m.group(1)})", text)
    text = _NUMBERING_PUNCT.sub(lambda m: f"{m.group(1)}.", text)
    text = _CN_NUMBERING_PUNCT.sub(lambda m: f"{m.group(1)}、", text)
    text = _LABEL_DROP.sub("", text)
    return text


_NUMBERING_ANY = re.compile(
    r"^(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}、|\d{1,2}\.)"
)


def split_numbering(key: str) -> tuple[str, str]:
    """Split a :func:`label_key` into its numbering (maybe empty) and its words."""
    m = _NUMBERING_ANY.match(key)
    if not m:
        return "", key
    return m.group(0), key[m.end() :]


def is_cjk(ch: str) -> bool:
    """Whether one character is a CJK ideograph."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
