"""Reading Markdown that carries raw HTML blocks (pandoc's ``-t markdown`` and ``-t gfm``).

pandoc writes a table it cannot draw in Markdown as raw HTML, between Markdown text::

    **二、主动公开政府信息情况**

    | 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
    |:--------:|:--------------:|:--------------:|:--------------:|
    |   规章   |       0        |       0        |       0        |

    <table style="width:480px">
    <tr class="odd">
    <td colspan="3"><span>一、本年新收政府信息公开申请数量</span></td>
    ...
    </table>

Read as one HTML page, the Markdown text collapses into a few long lines and its tables
are lost; read as text, the HTML table is a heap of tags.  So each ``<table>`` block is
read by the HTML reader (one line per row, spans expanded) and the text between them
line by line, as text, with pandoc's markup that is not text removed (a line holding
only a tag such as ``<div>``, ``:::`` fences, ``{#id …}`` attributes, inline tags).
"""

from __future__ import annotations

import re

from ..source import DEFAULT_LIMITS, Limits, SourceLine
from .html import read_html
from .text import decode_text, split_text, strip_heading_attributes

Warnings = list[dict[str, object]]

_DOCUMENT_TAG = re.compile(rb"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
_MARKDOWN_LINE = re.compile(
    rb"^(?:#{1,6} \S|\*\*[^*\n]+\*\*[ \t]*$|:::"  # heading, bold line, fenced div
    rb"|\|?[ \t]*:?-{3,}:?[ \t]*\||[ \t]*-{3,}(?: +-{3,})+)",  # pipe or simple table rule
    re.M,
)
_MIN_MARKDOWN_LINES = 2
_TABLE_OPEN = re.compile(r"<table[\s>]", re.I)
_TABLE_TAG = re.compile(r"<(/?)table[\s>]", re.I)
_ONLY_TAGS = re.compile(r"^\s*(?:</?[A-Za-z][^<>]*>\s*)+$")
_FENCE = re.compile(r"^\s*:::")
_INLINE_TAG = re.compile(r"</?(?:span|a|b|i|u|strong|em|font|sup|sub|br)\b[^<>]*>", re.I)


def is_markdown_with_html(head: bytes) -> bool:
    """Whether the start of a file is Markdown (pandoc's) rather than an HTML page.

    Markdown here has no document tags (``<html>``, ``<body>``, doctype) and at least
    two lines of Markdown markup: a ``#`` heading, a ``**bold**`` line, a ``:::`` fence,
    or the rule of a pipe or simple table.
    """
    if _DOCUMENT_TAG.search(head):
        return False
    return len(_MARKDOWN_LINE.findall(head)) >= _MIN_MARKDOWN_LINES


def markdown_text_line(line: str) -> str:
    """A line of pandoc's Markdown text without the markup that is not text.

    ``<div>`` -> ``""``, ``::: nav`` -> ``""``, ``本年<span>新收</span>`` -> ``本年新收``,
    ``# 标题 {#标题 style="text-align:center"}`` -> ``# 标题``.  Backslash escapes
    (``首页 \\> 信息公开``) are left to :func:`giextract.normalize.normalize_text`.
    """
    if _ONLY_TAGS.match(line) or _FENCE.match(line):
        return ""
    line = strip_heading_attributes(line)
    return _INLINE_TAG.sub("", line)


def _blocks(text: str) -> list[tuple[str, str]]:
    """The text cut into ``("html", table markup)`` and ``("text", lines)`` blocks."""
    blocks: list[tuple[str, str]] = []
    pos = 0
    while True:
        m = _TABLE_OPEN.search(text, pos)
        if m is None:
            break
        end = _table_end(text, m.start())
        blocks.append(("text", text[pos : m.start()]))
        blocks.append(("html", text[m.start() : end]))
        pos = end
    blocks.append(("text", text[pos:]))
    return [(kind, body) for kind, body in blocks if body]


def _table_end(text: str, start: int) -> int:
    """Where the ``<table>`` opened at ``start`` is closed (nested tables counted)."""
    depth = 0
    for m in _TABLE_TAG.finditer(text, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            close = text.find(">", m.end() - 1)
            return len(text) if close < 0 else close + 1
    return len(text)


def read_markdown(
    data: bytes, limits: Limits = DEFAULT_LIMITS, warnings: Warnings | None = None
) -> list[SourceLine]:
    """The lines of a Markdown file: text lines as they are, raw HTML tables as rows.

    Lines are numbered from 1 in reading order; the tables are numbered across blocks.
    """
    text, _ = decode_text(data, warnings)
    if text.startswith("\ufeff"):
        text = text[1:]
    lines: list[SourceLine] = []
    tables = 0
    for kind, body in _blocks(text):
        if kind == "html":
            rows = read_html(body.encode("utf-8"), limits)
            for row in rows:
                table = None if row.table is None else row.table + tables
                lines.append(SourceLine(len(lines) + 1, row.text, None, table, row.row))
            tables += len({row.table for row in rows if row.table is not None})
            continue
        for line in split_text(body):
            lines.append(SourceLine(len(lines) + 1, markdown_text_line(line.text), line.page))
    return lines


__all__ = ["is_markdown_with_html", "markdown_text_line", "read_markdown"]
