"""Reading HTML pages (government portals) into source lines.

The charset comes from a byte-order mark, the ``<meta>`` declaration or, failing
those, whichever of UTF-8 and GB18030 decodes the bytes.  Scripts, styles and
navigation chrome are dropped; block elements (``<p>``, ``<div>``, ``<br>``...) end
lines while inline ones (``<span>``, ``<font>``) join, so ``<span>1</span><span>2
</span>`` reads ``12``.  Data tables become one line per row with rowspan/colspan
expanded (covered positions empty); layout tables (holding other tables, one
column wide, or with long prose cells) are read as ordinary blocks.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..errors import ErrorCode, GiextractError
from ..source import DEFAULT_LIMITS, Limits, SourceLine
from ._cells import LineSink, clean, join_parts
from .text import damaged_utf8, utf16_without_bom

Warnings = list[dict[str, object]]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_SKIP_TAGS = (
    "script style noscript template iframe nav select button svg head title object embed "
    "input textarea _comment"
)
_BLOCK_TAGS = (
    "p div br h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article header footer main aside "
    "blockquote pre hr form fieldset address center figure figcaption caption body html"
)
_SKIP = frozenset(_SKIP_TAGS.split())
_BLOCK = frozenset(_BLOCK_TAGS.split())
_CHROME = re.compile(
    r"(?:^|[\s_-])(nav|navbar|menu|breadcrumb|crumbs?|topbar|sidebar|share)"
    r"(?:$|[\s_-])",
    re.I,
)
_DIGITS = re.compile(r"^\d[\d ]*\d$")
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>")
_NOT_NESTING_TAGS = (
    "area base br col embed hr img input link meta param source track wbr "  # void
    "p li td th tr option dt dd"  # closed by the next of their kind
)
_NOT_NESTING = frozenset(_NOT_NESTING_TAGS.split())
_LAYOUT_CELL_CHARS = 300
_MAX_SPAN = 1000


def detect_charset(data: bytes) -> str | None:
    """The charset the bytes declare (BOM or ``<meta>``), as a Python codec name."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    m = _META_CHARSET.search(data[:8192])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes, warnings: Warnings | None = None) -> str:
    """The page's text: declared charset first, then UTF-8 (damaged UTF-8 read with a
    ``damaged_encoding`` warning), UTF-16 without BOM, then GB18030."""
    declared = detect_charset(data)
    for enc in (declared, "utf-8"):
        if not enc:
            continue
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    text = utf16_without_bom(data) or damaged_utf8(data, warnings)
    if text is not None:
        return text
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode(declared or "gb18030", errors="replace")


def _is_chrome(node: LexborNode) -> bool:
    attrs = node.attributes
    marks = f"{attrs.get('class') or ''} {attrs.get('id') or ''} {attrs.get('role') or ''}"
    if not _CHROME.search(marks) or node.css_first("td") is not None:
        return False
    return "年度报告" not in node.text(deep=True)


def _layout_table(table: LexborNode) -> bool:
    if len(table.css("table")) > 1:  # the matches include the table itself
        return True
    cells = table.css("td, th")
    if not cells:
        return True
    return any(len(c.text(deep=True)) > _LAYOUT_CELL_CHARS for c in cells)


class _Reader:
    """Walks the DOM in document order, emitting lines and table rows.

    The walk keeps its own stack (no recursion), so deep nesting costs memory, not
    Python's recursion limit; past ``max_depth`` levels it stops with E013.
    """

    def __init__(self, max_depth: int = DEFAULT_LIMITS.max_html_depth) -> None:
        self.sink = LineSink()
        self.buffer: list[str] = []
        self.tables = 0
        self.max_depth = max_depth

    def flush(self) -> None:
        if self.buffer:
            self.sink.text("".join(self.buffer))
            self.buffer = []

    def walk(self, node: LexborNode) -> None:
        stack: list[tuple[Iterator[LexborNode], bool]] = [(node.iter(include_text=True), False)]
        while stack:
            children, flush_after = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if flush_after:
                    self.flush()
                continue
            tag = child.tag
            if tag == "-text":
                self.buffer.append(child.text_content or "")
                continue
            if tag in _SKIP or _is_chrome(child):
                continue
            if len(stack) >= self.max_depth:
                raise _too_deep(self.max_depth)
            if tag == "table":
                self.flush()
                if self.table(child):
                    continue
                stack.append((child.iter(include_text=True), False))
            elif tag in _BLOCK or tag in ("tr", "td", "th"):
                self.flush()
                stack.append((child.iter(include_text=True), True))
            else:
                stack.append((child.iter(include_text=True), False))

    def table(self, table: LexborNode) -> bool:
        """Emit a data table's rows; ``False`` for a layout table (walked as blocks)."""
        grid = [] if _layout_table(table) else table_grid(table)
        if not grid or max(len(r) for r in grid) < 2:
            return False
        for i, row in enumerate(r for r in grid if any(r)):
            self.sink.row(row, self.tables, i)
        self.tables += 1
        return True


def nesting_depth(text: str, stop: int) -> int:
    """How deep the markup's elements nest, told from its tags before parsing.

    The parser's time grows with the square of the depth (100,000 nested ``<div>``
    take minutes), so depth is measured on the tags first, stopping past ``stop``.
    Void elements and those that close themselves implicitly (``<p>``, ``<td>``...)
    are not counted, so unclosed paragraphs do not look deep.
    """
    depth = deepest = 0
    for m in _TAG.finditer(text):
        if m.group(3) or m.group(2).lower() in _NOT_NESTING:
            continue
        depth = max(depth - 1, 0) if m.group(1) else depth + 1
        if depth > deepest:
            deepest = depth
            if deepest > stop:
                break
    return deepest


def _too_deep(limit: int) -> GiextractError:
    return GiextractError(
        ErrorCode.NESTED_TOO_DEEP,
        f"the HTML nests elements more than {limit} levels deep",
        "raise Limits.max_html_depth if the page is genuine",
    )


def cell_text(cell: LexborNode) -> str:
    """A cell's text: its block parts joined, inline pieces glued, blank when ``&nbsp;``."""
    parts: list[str] = []
    buf: list[str] = []
    for piece in _pieces(cell):
        if piece is None:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(piece)
    parts.append("".join(buf))
    text = join_parts(parts)
    return text.replace(" ", "") if _DIGITS.match(text) else text


def _pieces(node: LexborNode) -> Iterator[str | None]:
    """Text pieces of a node; ``None`` marks a block boundary (walked without recursion)."""
    stack: list[tuple[Iterator[LexborNode], bool]] = [(node.iter(include_text=True), False)]
    while stack:
        children, block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if block:
                yield None
            continue
        tag = child.tag
        if tag == "-text":
            yield child.text_content or ""
        elif tag in _SKIP:
            continue
        elif tag in _BLOCK:
            yield None
            stack.append((child.iter(include_text=True), True))
        else:
            stack.append((child.iter(include_text=True), False))


def _span(node: LexborNode, name: str) -> int:
    raw = (node.attributes.get(name) or "1").strip()
    m = re.match(r"\d+", raw)
    return min(max(int(m.group()) if m else 1, 1), _MAX_SPAN)


def table_grid(table: LexborNode) -> list[list[str]]:
    """The table's rows with spans expanded: text at the top-left, ``""`` where covered."""
    rows = [tr for tr in table.css("tr")]
    cells: dict[tuple[int, int], str] = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.iter():
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in cells:
                c += 1
            rs = min(_span(td, "rowspan"), len(rows) - r)
            cs = _span(td, "colspan")
            for i in range(rs):
                for j in range(cs):
                    cells[(r + i, c + j)] = ""
            cells[(r, c)] = cell_text(td)
            c += cs
            width = max(width, c)
    return [[cells.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def read_html(
    data: bytes, limits: Limits = DEFAULT_LIMITS, warnings: Warnings | None = None
) -> list[SourceLine]:
    """The lines of an HTML page: text blocks and table rows in document order.

    Raises:
        GiextractError: CORRUPT_DOCUMENT when the markup cannot be parsed,
            NESTED_TOO_DEEP past ``limits.max_html_depth`` levels.
    """
    text = decode_html(data, warnings)
    if nesting_depth(text, limits.max_html_depth) > limits.max_html_depth:
        raise _too_deep(limits.max_html_depth)
    try:
        tree = LexborHTMLParser(text)
    except Exception as exc:
        raise GiextractError(ErrorCode.CORRUPT_DOCUMENT, f"cannot parse the HTML: {exc}") from exc
    root = tree.body or tree.root
    if root is None:
        return []
    reader = _Reader(limits.max_html_depth)
    reader.walk(root)
    reader.flush()
    return reader.sink.lines


__all__ = ["cell_text", "clean", "decode_html", "detect_charset", "read_html", "table_grid"]
