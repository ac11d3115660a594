"""From source lines to logical lines made of cells.

A *line* is the unit the classifier labels.  It is one source line, except in
box-drawn and grid tables (``w3m -dump``, ``pandoc -t plain``) where the source
lines of one table row, whose cells wrap over several lines, are merged into one.
Each line is split into *cells*: on tabs, on pipes (``a | b | c``, Markdown), on
runs of two or more spaces, and, for a label followed by its values on the same
line (``规章 0 0 0``), between the label and each value.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate, compress

from .catalogue import label_lexicon
from .formats.text import MARKUP_BREAK
from .grid import grid_stretches
from .normalize import CUT_MARK, REPORT_WORDS, is_cjk, label_key, normalize_text, to_simplified
from .read import Document, SourceLine
from .values import is_number, is_placeholder, is_unit, is_value

__all__ = [
    "Line",
    "Separator",
    "is_number",
    "is_page_noise",
    "is_placeholder",
    "is_print_furniture",
    "is_value",
    "page_furniture",
    "split_cells",
    "split_page_number",
    "to_lines",
]

#: A page number: ``- 3 -``, ``第 3 页 共 4 页``, ``3/4``, ``Page 3 of 4``.
_PAGE_NUMBER = (
    r"(?:[-—–]\s*\d{1,3}\s*[-—–]"
    r"|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}"
    r"|Page\s*\d+(?:\s*of\s*\d+)?)"
)
_PAGE_NOISE = re.compile(rf"^{_PAGE_NUMBER}$", re.IGNORECASE)
#: A page number starts here (and may go on with other text).
_PAGE_NUMBER_START = re.compile(_PAGE_NUMBER, re.IGNORECASE)
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_MULTI_SPACE = re.compile(r"(?<=\S)\s{2,}(?=\S)")
_PIPES = "|｜"
# html2text rows: no outer pipes, a pipe right after a cell's text and a space before the next.
_HTML2TEXT_PIPE = re.compile(r"[^\s|｜][|｜](?: [^\s|｜]|\s*$)")
_GLUED_PIPE = re.compile(r"[^\s|｜][|｜]")
_HTML2TEXT_ROW = re.compile(r"^[^|｜\s][^|｜]*?[^\s|｜][|｜](?: |$)")
# Rulings of text-drawn tables: box (w3m), ASCII grid (pandoc), dash groups (pandoc simple).
_TEXT_RULING = re.compile(
    r"^\s*(?:[┌├└┏┣┗╔╠╚╒╞╘╓╟╙][─━═┬┼┴┳╋┻╦╬╩╤╪╧╥╫╨┐┤┘┓┫┛╗╣╝╕╡╛╖╢╜]*"
    r"|\+(?:[-=:]+\+)+|-{2,}(?: +-{2,})+|-{3,}|_{3,})\s*$"
)
# Debian html2text: a cell's underline padding and the halves of characters cut at its edges.
#: The characters of html2text's fill at a cell's edges: ``_``, U+FFFD and whitespace (every
#: character ``str.isspace`` and the regex ``\s`` know; ``test_lines_layouts`` checks the list).
#: Stripped with ``str.strip``: a regex ``[…]+$`` is quadratic on a long run of spaces.
HTML2TEXT_FILL_CHARS = (
    "_\ufffd\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_HTML2TEXT_DAMAGE = re.compile(r"\ufffd|__")
_DIGIT = re.compile(r"\d")
_INNER_FILL = re.compile(r"[_\ufffd]+")
_CUT_AFTER_TEXT = re.compile(r"[\u3400-\u9fff]\ufffd[_\ufffd\s]*$")
# A number, then a cut label's rest; numbering punctuation only alone (0、), since
# 4、保护第三方 is a label.
_VALUE_THEN_OVERFLOW = re.compile(
    r"^([-+]?\d[\d,]*(?:\.\d+)?)([\u4e00-\u9fff\ufffd)）\"”'’」』》].*|[、，,；;：:](?:\ufffd.*)?)$"
)


class Separator(str, enum.Enum):
    """How a line's cells were separated in the source."""

    TAB = "tab"
    PIPE = "pipe"
    SPACE = "space"
    NONE = "none"
    GRID = "grid"
    RULING = "ruling"

    def __str__(self) -> str:
        return self.value


def compact(text: str) -> str:
    """Text without any whitespace: how the rules on page furniture compare pieces of lines.

    The same as ``re.sub(r"\\s+", "", text)`` (``str.split`` and ``\\s`` know the same spaces).
    """
    return "".join(text.split())


@dataclass(init=False, slots=True, unsafe_hash=True)
class Line:
    """A logical line: its cells (normalised text, ``""`` for an empty cell) and provenance.

    ``indent`` counts the empty cells before the first non-empty one; for a line
    with one cell of content they are dropped from ``cells``.  ``text`` (the content
    cells joined by a space, for display) and ``compact`` (:func:`compact` of it) are
    computed once, when the line is made.

    A slotted dataclass compared and hashed by value (``dataclasses.replace`` works);
    about 220 are made per report, so it is not frozen (a frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__``).  Lines are never
    changed once made.
    """

    index: int
    numbers: tuple[int, ...]
    page: int | None
    raw: str
    cells: tuple[str, ...]
    indent: int
    sep: str
    table: int | None
    text: str = field(init=False, compare=False, repr=False)
    compact: str = field(init=False, compare=False, repr=False)

    def __init__(
        self,
        index: int,
        numbers: tuple[int, ...],
        page: int | None,
        raw: str,
        cells: tuple[str, ...],
        indent: int,
        sep: str,
        table: int | None = None,
        derived: tuple[str, str] | None = None,
    ) -> None:
        """``derived`` is ``(text, compact)`` when already known (:func:`_raw_parts`)."""
        self.index = index
        self.numbers = numbers
        self.page = page
        self.raw = raw
        self.cells = cells
        self.indent = indent
        self.sep = sep
        self.table = table
        self.text, self.compact = derived or _derived(cells)

    @property
    def number(self) -> int:
        """The (first) source line number, 1-based."""
        return self.numbers[0]

    @property
    def is_blank(self) -> bool:
        return not self.raw.strip()

    @property
    def content_cells(self) -> list[str]:
        return [c for c in self.cells if c]


def _derived(cells: tuple[str, ...]) -> tuple[str, str]:
    """A line's ``text`` and ``compact`` from its cells."""
    return " ".join([c for c in cells if c]), compact("".join(cells))


def is_page_noise(text: str) -> bool:
    return bool(_PAGE_NOISE.match(text.strip()))


def html2text_blank_first_cell(stripped: str, pipes: int) -> bool:
    """Whether a row that starts with a pipe is an html2text row whose first cell is blank.

    The html2text module draws no outer pipes; it ends each cell's text with a pipe
    glued to it, so a blank first cell leaves a pipe at the start::

        " | 0|  | 0| 0|  | 0|"   ->  "", "0", "", "0", "0", "", "0"   (not a bordered row)

    A Markdown row (``| 0 |   | 0 |``) has spaces before its pipes, and a Debian
    html2text row (``|         |__0_|``, ``|0  |0   |``) is bordered: its pipes are padded
    with spaces or glued to its ``_`` fill.
    """
    if len(stripped) < 2 or stripped[0] not in _PIPES or stripped[1] != " ":
        return False
    if "_" in stripped or CUT_MARK in stripped:
        return False  # Debian html2text's fill and damage: a bordered row
    return 2 * len(_GLUED_PIPE.findall(stripped)) >= pipes


_PRINT_STAMP_OR_URL = (
    r"\d{1,4}/\d{1,2}/\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?|(?:file|https?):///?\S*"
)
_PRINT_FURNITURE = re.compile(rf"^(?:{_PRINT_STAMP_OR_URL})(?:\s|$)", re.IGNORECASE)
_PRINT_FURNITURE_CELL = re.compile(rf"\s*(?:{_PRINT_STAMP_OR_URL})\s*", re.IGNORECASE)


def is_print_furniture(text: str) -> bool:
    """A browser's print header or footer line, on every page of a printed web page.

    Chromium prints the date and the page title at the top of each page and the URL
    and ``page/pages`` at the bottom; text dumps put them between table rows::

        12/7/26, 11:35 AM    宜宾市财政局2023年政府信息公开工作年度报告
        file:///srv/reports/page.html                            1/3

    The line starts with the date stamp or the URL; what follows is the rest of it.
    """
    return bool(_PRINT_FURNITURE.match(text.strip()))


#: Chromium's print date, joined without spaces: ``12/7/26,11:35AM`` (en-US) or
#: ``2026/12/7,11:35`` (year first).
_STAMP = re.compile(
    r"(?:\d{1,2}/\d{1,2}/\d{2},|\d{4}/\d{1,2}/\d{1,2},?)\d{1,2}:\d{2}(?::\d{2})?(?:[AP]M)?",
    re.IGNORECASE,
)
_URL_START = re.compile(r"(?:file|https?)://", re.IGNORECASE)
_COUNTER_END = re.compile(r"(?<![\d/])(\d{1,3})/(\d{1,3})$")
#: The longest line of a shattered run (``file:///``, ``page.h``, ``1:3``).
_SHARD_CHARS = 8
#: The most lines a shattered header and footer take (one per character).
_SHATTERED_MAX = 400
#: How a whole print header or footer starts once its spaces are removed (the stamp's
#: date or the URL's scheme: :data:`_PRINT_FURNITURE` has no space before either).
_FURNITURE_START = re.compile(r"\d{1,4}/|(?:file|https?):", re.IGNORECASE)
#: Where a rule on a run of pieces can start: a date stamp, a URL or a page number.
_RUN_RULE_START = re.compile(
    rf"(?:{_STAMP.pattern})|(?:{_URL_START.pattern})|{_PAGE_NUMBER}", re.IGNORECASE
)
#: The first character a page number can start with (:data:`_PAGE_NOISE`).
_PAGE_NUMBER_HEAD = re.compile(r"[-—–第\dp]", re.IGNORECASE)
#: The first character any rule of :func:`page_furniture` can start with: a page number's,
#: or a date's digit, or a URL's scheme (``file``, ``http``).
_RULE_HEAD = re.compile(r"[-—–第\dfhp]", re.IGNORECASE)


#: A run of short pieces in the bytes of :class:`_Pieces` (1: the line is a piece).
_RUN_OF_SHORT = re.compile(rb"\x01+")


class _Pieces:
    """A document's lines as the rules on page furniture see them, computed once.

    ``texts`` holds each line's :attr:`Line.compact` text.  A *run* is a stretch of
    short pieces (lines of 1 to :data:`_SHARD_CHARS` characters); for each line of
    one, ``run_end`` is where its run ends, ``run_text`` the run joined and ``offset``
    where the line starts in it (a line that is no piece: its own index, ``""``, 0).
    ``starts`` lists the lines whose first character can start a rule
    (:data:`_RULE_HEAD`).
    """

    __slots__ = ("_whole", "lines", "offset", "run_end", "run_text", "starts", "texts")

    def __init__(self, lines: Sequence[Line], whole: dict[str, set[str]] | None = None) -> None:
        self.lines = lines
        self._whole = whole
        self.texts = texts = [line.compact for line in lines]
        self.starts = list(compress(range(len(texts)), map(_RULE_HEAD.match, texts)))
        n = len(texts)
        self.run_end = ends = list(range(n))
        self.run_text = joined = [""] * n
        self.offset = offsets = [0] * n
        lengths = list(map(len, texts))
        short = bytes([0 < m <= _SHARD_CHARS for m in lengths])
        for m in _RUN_OF_SHORT.finditer(short):  # each run of short pieces, found in C
            start, k = m.span()
            ends[start:k] = [k] * (k - start)
            joined[start:k] = ["".join(texts[start:k])] * (k - start)
            offsets[start:k] = accumulate(lengths[start : k - 1], initial=0)

    def page_numbers(self) -> dict[str, set[str]]:
        """:func:`_page_numbers` of the document, made when first needed (rarely)."""
        if self._whole is None:
            self._whole = _page_numbers(self.lines)
        return self._whole

    def shards(self, start: int, most: int) -> list[str]:
        """The short pieces from ``start`` on, at most ``most`` of them."""
        return self.texts[start : min(self.run_end[start], start + most)]


def shattered_print_furniture(lines: Sequence[Line], start: int) -> int:
    """The number of lines from ``start`` that spell a print header and footer one
    character per line (0: none).

    pypdfium2 gives the header and footer of some printed pages one piece per line,
    between table rows, and their digits look like values::

        1 / 2 / 7 / 2 6 , 1 1:3 5 A M 宜 宾 … 告 file:/// t m p … page.h t ml 2 / 3

    Joined, the run starts with the date stamp (or the URL) and ends, after the URL, with
    the page counter ``n/N`` (n ≤ N, not a piece of a path such as ``/2024/1``).
    """
    return _shattered(_Pieces(lines), start)


def _shattered(pieces: _Pieces, start: int) -> int:
    """:func:`shattered_print_furniture` on a document's :class:`_Pieces`."""
    if start >= len(pieces.texts):
        return 0
    run, at = pieces.run_text[start], pieces.offset[start]
    if not (_STAMP.match(run, at) or _URL_START.match(run, at)):
        return 0  # the pieces from start on do not begin with a date stamp or a URL
    shards = pieces.shards(start, _SHATTERED_MAX)
    text = "".join(shards)
    url = _URL_START.search(text)
    if url is None:
        return 0
    length = 0
    for n, shard in enumerate(shards, 1):
        length += len(shard)
        m = _COUNTER_END.search(text[url.end() : length])
        if m and 1 <= int(m.group(1)) <= int(m.group(2)):
            return n
    return 0


#: The most lines a page number is split over (``第`` / ``3 页 共`` / ``4 页``).
_SPLIT_MAX = 5
_DIGITS = re.compile(r"\d+")


def _page_numbers(lines: Sequence[Line]) -> dict[str, set[str]]:
    """The whole page numbers of a document: shape (digits as ``#``) -> the numbers seen."""
    out: dict[str, set[str]] = {}
    for line in lines:
        t = line.compact
        if _PAGE_NUMBER_HEAD.match(t) and is_page_noise(t):
            out.setdefault(_DIGITS.sub("#", t), set()).add(t)
    return out


def split_page_number(lines: Sequence[Line], start: int, whole: dict[str, set[str]]) -> int:
    """The number of lines from ``start`` that make one page number split over lines
    (0: none); ``whole`` is :func:`_page_numbers` of the document.

    pypdfium2 cuts some pages' footer into pieces, between table rows::

        4.无正当理由大量反        第            3
        0 0 0 0 0 0 0            3 页 共       /
        第                       4 页          4
        3 页 共                  复申请        2、申请人逾期未按
        4 页

    Joined, the pieces are a page number.  With ``页`` it can be nothing else; a bare
    counter (``3`` ``/`` ``4``: values and a blank mark too) only when the document
    prints the same shape whole on other pages (``1/4``, ``2/4``, ``4/4``) and not
    this number.
    """
    return _split_page_number(_Pieces(lines, whole), start)


def _split_page_number(pieces: _Pieces, start: int) -> int:
    """:func:`split_page_number` on a document's :class:`_Pieces`."""
    if start >= len(pieces.texts) or not _PAGE_NUMBER_START.match(
        pieces.run_text[start], pieces.offset[start]
    ):
        return 0  # the pieces from start on do not begin with a page number
    shards = pieces.shards(start, _SPLIT_MAX)
    text = shards[0] if shards else ""
    for n in range(2, len(shards) + 1):
        text += shards[n - 1]
        if not is_page_noise(text):
            continue
        if "页" in text:
            return n
        return n if _missing_page(text, pieces.page_numbers(), pieces.lines[start].text) else 0
    return 0


def _missing_page(text: str, whole: dict[str, set[str]], first: str) -> bool:
    """Whether a bare counter joined from pieces is the document's missing page: its shape
    printed whole elsewhere, not this number, the same page count (``3/4`` among ``1/4``,
    ``2/4``, ``4/4``), no number with a leading zero (a value ``0`` before it), and its
    first piece no page number by itself (``1/4`` then ``0``)."""
    seen = whole.get(_DIGITS.sub("#", text), set())
    totals = {_DIGITS.findall(t)[-1] for t in seen}
    numbers = _DIGITS.findall(text)
    return (
        bool(seen)
        and not any(x.startswith("0") for x in numbers)  # 0 then 3/4: a value first
        and int(numbers[0]) <= int(numbers[-1])
        and text not in seen
        and _DIGITS.findall(text)[-1] in totals
        and not is_page_noise(first)
    )


def page_furniture(lines: Sequence[Line]) -> frozenset[int]:
    """Indices of the lines that are a browser's print header or footer, whole
    (:func:`is_print_furniture`) or shattered (:func:`shattered_print_furniture`), and of
    page numbers split over lines (:func:`split_page_number`).

    The rules are tried only on the lines whose first character can start one
    (:attr:`_Pieces.starts`); a shattered or split run only from a short piece where a
    stamp, a URL or a page number starts (:data:`_RUN_RULE_START`).
    """
    out: set[int] = set()
    pieces = _Pieces(lines)
    texts, run_end, runs, offsets = pieces.texts, pieces.run_end, pieces.run_text, pieces.offset
    done = 0  # the lines before are taken by a run
    for i in pieces.starts:
        if i < done:
            continue
        if run_end[i] > i and _RUN_RULE_START.match(runs[i], offsets[i]):
            n = _shattered(pieces, i) or _split_page_number(pieces, i)
            if n:
                out.update(range(i, i + n))
                done = i + n
                continue
        if _FURNITURE_START.match(texts[i]) and is_print_furniture(lines[i].text):
            out.add(i)
    return frozenset(out)


def _split_pipes(text: str) -> list[str] | None:
    """Split a pipe row: Markdown (``| a | b |``, ``a | b``) or html2text (``a| b| c``, ``a|``).

    Outer pipes are dropped when the row has both; html2text draws none, so there a
    leading or trailing pipe stands for an empty first or last cell.
    """
    stripped = text.strip()
    count = sum(stripped.count(p) for p in _PIPES)
    if not count:
        return None
    if _MD_SEPARATOR.match(stripped):
        return []
    bordered = len(stripped) > 1 and stripped[0] in _PIPES and stripped[-1] in _PIPES
    if count < 2 and not bordered and not _HTML2TEXT_PIPE.search(stripped):
        return None
    parts = re.split(r"[|｜]", stripped)
    if html2text_blank_first_cell(stripped, count):
        return parts
    if bordered and not _HTML2TEXT_ROW.match(stripped):
        return parts[1:-1]
    if stripped[-1] in _PIPES and not _HTML2TEXT_ROW.match(stripped):
        return parts[:-1]
    if stripped[0] in _PIPES and not _HTML2TEXT_ROW.match(stripped):
        return parts[1:]
    return parts


def strip_cell_fill(cell: str) -> str:
    """A pipe cell without Debian html2text's fill at its edges.

    html2text draws a row's bottom border by underlining its cells, padding them with
    ``_``, and cuts a multi-byte character at a cell's edge into broken bytes (U+FFFD
    once decoded), half on each side of the pipe::

        |____规章|____0__|___15_|   ->  规章 | 0 | 15
        |行政�|�__25�|�__0��|_ _|   ->  行政 | 25 | 0 | (blank)

    Digits are ASCII and never cut, so no number loses a digit; a cell of nothing but
    fill is blank.  Text cut at its end keeps one :data:`~giextract.normalize.CUT_MARK`
    (``行政\ufffd``): the label is only the start of a row's label, which
    :mod:`giextract.labels` matches on the row expected next.
    """
    core = cell.strip(HTML2TEXT_FILL_CHARS)
    if core and is_cjk(core[-1]) and _CUT_AFTER_TEXT.search(cell):
        return core + CUT_MARK
    return core


def split_label_overflow(cell: str) -> tuple[str, str]:
    """A value cell of a damaged html2text row, and the label text run into it.

    Debian html2text lets the rest of a cut label run on into the cells after it, glued
    to the value or apart from it by the cell's ``_`` fill::

        0性收                 ->  ("0", "性收")        (行政事|0性收: 行政事业性收费)
        可_________0          ->  ("0", "可")          (行政|��可___0: 行政许可)
        2,816,419.01_元       ->  ("2,816,419.01元", "")

    The number stays as printed, with its unit (``3件``, ``12.5万元``).  A cell with no
    number, or with two, is left whole: ``(cell, "")``.
    """
    parts = [p for p in _INNER_FILL.split(cell) if p]
    if len(parts) < 2:
        m = _VALUE_THEN_OVERFLOW.match(cell)
        if m is None or is_value(normalize_text(cell)):
            return cell, ""
        return m.group(1), m.group(2).replace(CUT_MARK, "")
    found = [i for i, p in enumerate(parts) if _VALUE_THEN_OVERFLOW.match(p) or is_value(p)]
    if len(found) != 1:
        return cell, ""
    i = found[0]
    value, glued = split_label_overflow(parts[i])
    unit = parts[i + 1] if i + 1 < len(parts) and is_unit(parts[i + 1]) else ""
    rest = [p for j, p in enumerate(parts) if j != i and not (unit and j == i + 1)]
    return value + unit, "".join([*rest[:i], glued, *rest[i:]])


def _pipe_cells(text: str, parts: list[str]) -> list[str]:
    """The cells of a pipe row, html2text's fill removed and a cut label made whole.

    In a row damaged by html2text (U+FFFD or ``__`` fill), the label (the first cell of
    text) gets back what ran on into the value cells, after a
    :data:`~giextract.normalize.CUT_MARK` where it was cut (``行政\ufffd可`` from
    ``|_行政|��可___0__|``); a label followed by a cell that starts with broken bytes was
    cut there too, and when that cell holds text and no number, the text is the label's
    rest and the cell a blank (``|_行政|��罚____|`` -> ``行政\ufffd罚``, ``""``).  In a row
    with values, a cell of text alone is the label's rest over a blank cell
    (``|其他对�|0管理|-2务�|项____|``), and text past the row's last pipe is the label's
    rest (``…|4��|�府信息公开申请``).
    """
    cells = [strip_cell_fill(c) for c in parts]
    if not _HTML2TEXT_DAMAGE.search(text):
        return cells
    first = next((i for i, c in enumerate(cells) if c), None)
    if first is None or is_value(normalize_text(cells[first])):
        return cells
    label, overflow = cells[first], []
    cut = first + 1 < len(parts) and parts[first + 1].lstrip("_ ").startswith(CUT_MARK)
    for i in range(first + 1, len(cells)):
        cells[i], rest = split_label_overflow(cells[i])
        if i == first + 1 and cut and not rest and not _DIGIT.search(cells[i]):
            cells[i], rest = "", cells[i]  # |_行政|��罚____|: the label's rest, a blank
        overflow.append(rest)
    last = len(cells) - 1
    past_edge = not text.rstrip().endswith(tuple(_PIPES))
    if any(_DIGIT.search(c) for c in cells[first + 1 :]):
        for i in range(first + 1, len(cells)):
            if cells[i] and not _DIGIT.search(cells[i]) and not is_value(normalize_text(cells[i])):
                overflow.append(cells[i])  # |其他对�|0管理|-2务�|项____|: the rest, a blank
                cells[i] = ""
        if past_edge and not cells[last]:
            cells.pop()  # |4��|�府信息公开申请: past the table's right edge
    if "".join(overflow) or cut:
        cells[first] = label.rstrip(CUT_MARK) + CUT_MARK + "".join(overflow)
    return cells


def _peel_values(text: str) -> list[str]:
    """Split ``label v1 v2 …`` into the label and its values; other text stays whole."""
    if is_page_noise(text):
        return [text]
    tokens = text.split()
    if len(tokens) < 2:
        return [text]
    values: list[str] = []
    i = len(tokens)
    while i > 0:
        tok = tokens[i - 1]
        if is_unit(tok) and i >= 2 and is_number(tokens[i - 2]):
            values.insert(0, tokens[i - 2] + tok)
            i -= 2
            continue
        if is_value(tok):
            values.insert(0, tok)
            i -= 1
            continue
        break
    if not values:
        return [text]
    head = " ".join(tokens[:i])
    if head and len(values) == 1 and not re.search(r"[\u4e00-\u9fff)）”」\"]", head[-1:]):
        # "2019 年", "共 3 页": a single trailing number after non-label text stays prose.
        return [text]
    return ([head] if head else []) + values


_NUMBERING_ACROSS = re.compile(
    r"^(?:\d{1,2}[、.．]|[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）])"
    r"(?=[\u4e00-\u9fff])"
)
_NUMBERING_PART = re.compile(r"^[(（]?[一二三四五六七八九十\d]{0,3}[)）]?$")
_QUOTE_MARKS = "“”\"'‘’"
_BREAKS = re.compile(rf"{MARKUP_BREAK.pattern}|\s+", re.IGNORECASE)


def numbering_split_from_label(cells: list[str]) -> list[str]:
    """Rule: a row label's numbering cut off into a cell of its own joins its label.

    Repairs (pymupdf4llm's Markdown of a PDF table: the grid it finds cuts the label's
    first characters into a column of their own, where ``2`` would be read as a value)::

        |2|、重复申请|0|0|0|0|0|0|0|       -> 2、重复申请 | 0 …
        |3<br>|、要求提供<br>公开出版物|7|…  -> 3、要求提供<br>公开出版物 | 7 …
        |（|一）予以公开|…   |（六|）其他|…   |四|、结转下年度继续办理|…

    Only where the numbering straddles the cut and label words follow it (``|19|0|``,
    ``|0|.5|`` stay as they are).
    """
    out = list(cells)
    i = 0
    while i + 1 < len(out):
        head = _BREAKS.sub("", out[i])
        bare = head.rstrip(_QUOTE_MARKS)  # |3<br>“<br>|、危及<br>三安全…|: the label's quote
        rest = out[i + 1].lstrip()
        m = _NUMBERING_PART.match(bare) if bare else None
        n = _NUMBERING_ACROSS.match(bare + rest.lstrip(_QUOTE_MARKS)) if m else None
        if n is not None and n.end() > len(bare):
            out[i : i + 2] = [head + rest]
        i += 1
    return out


def page_title_run_into_cells(cells: list[str]) -> list[str]:
    """Rule: the pieces of a page's running title run into a row's value cells go.

    Repairs (pymupdf4llm's Markdown of a page Chromium printed: the print header, the
    page title, falls inside the table's grid and its pieces join the cells below them,
    each after a line break, or fill a blank cell; renders p035, p031)::

        |7、属于行政执法案卷|14|0<br>贵阳市行政|0<br>审批局2022年政|0<br>府信息公开工作年|0<br>度报告|4|18|
            -> 7、属于行政执法案卷 | 14 | 0 | 0 | 0 | 0 | 4 | 18
        |1.本机关不掌握…|14<br>北|0<br>京市朝阳区|…|0<br>2023|年政|14<br>府信息公开工作年度报告|
            -> 1.本机关不掌握… | 14 | 0 | … | 0 | (blank) | 14

    Only after the row's first value, where two or more cells hold a value (or nothing)
    and then text, and the texts of those and of the cells of text alone, joined, hold
    a report's title words (:data:`~giextract.normalize.REPORT_WORDS`); the values stay
    where they are.
    """
    kept: dict[int, str] = {}
    tails: list[str] = []
    breaks = 0
    for i, cell in enumerate(cells):
        piece = _title_piece(cell, started=bool(kept))
        if piece is not None:
            kept[i], tail = piece
            tails.append(tail)
            breaks += MARKUP_BREAK.search(cell) is not None
    if breaks < 2:
        return cells
    joined = to_simplified(normalize_text("".join(tails))).replace(" ", "")
    if not REPORT_WORDS.search(joined):
        return cells
    return [kept.get(i, cell) for i, cell in enumerate(cells)]


def moved_text_repaired(cells: list[str]) -> list[str]:
    """A pipe row's cells after the rules that move text between its cells or drop
    text a converter put in them, in order: :func:`label_wrapped_across_two_cells`,
    :func:`page_title_run_into_cells`, :func:`print_stamp_in_first_cell` (the lines'
    cells and the template-order reading's pieces alike)."""
    cells = page_title_run_into_cells(label_wrapped_across_two_cells(cells))
    return print_stamp_in_first_cell(cells)


def _holds_a_value(cells: Sequence[str]) -> bool:
    """Whether any of a row's raw cells is a value (a row, not a header or a label)."""
    return any(is_value(normalize_text(c)) for c in cells)


def print_stamp_in_first_cell(cells: list[str]) -> list[str]:
    """Rule: a browser's print stamp in the first cell of a table row is emptied.

    Repairs (pymupdf4llm's Markdown of a page Chromium printed: the print header's date
    falls in the table's first column, so the row would read as a print header line;
    render p015)::

        |12/7/26, 11:40 AM|3．補正<br>後申請內…|27<br>廣|0<br>州市天河區投|…|0|33|
            -> (blank) | 3．補正後申請內… | 27 … (the title's pieces: page_title_run_into_cells)

    Only the first cell with text, holding the date stamp (or the page's URL) and
    nothing else, in a row with values (after :func:`page_title_run_into_cells`).
    """
    first = next((i for i, c in enumerate(cells) if c.strip()), None)
    if first is None or not _PRINT_FURNITURE_CELL.fullmatch(cells[first]):
        return cells
    if not _holds_a_value(cells[first + 1 :]):
        return cells  # the print header across a row of its own: furniture still
    return [*cells[:first], "", *cells[first + 1 :]]


def _title_piece(cell: str, started: bool) -> tuple[str, str] | None:
    """(what the cell keeps, the title's piece) of a cell a running title may have run
    into: a value then a break then text; once the run has started, also text after a
    break with no value before it, or text alone (a blank cell it filled)."""
    flat = normalize_text(cell)
    if not flat or is_value(flat):
        return None
    parts = MARKUP_BREAK.split(cell, maxsplit=1)
    if len(parts) == 1:
        return ("", cell) if started else None
    head, tail = parts[0].strip(), parts[1].strip()
    if tail and (is_value(normalize_text(head)) or (started and not head)):
        return head, tail
    return None


def label_wrapped_across_two_cells(cells: list[str]) -> list[str]:
    """Rule: a label whose wrapped lines a column cut in two is read line by line.

    Repairs (pymupdf4llm's Markdown of a PDF table: the grid it finds cuts a wrapped
    label cell down the middle, so each of its lines is split between two cells; read
    cell after cell, its words come out of order; render p035)::

        |理结果|（二）部<br>（区分处理<br>计这一情形<br>其他情|分公开<br>的，只<br>，不计<br>形）|0|…
            -> 理结果 | （二）部分公开<br>（区分处理的，只<br>计这一情形，不计<br>其他情形） | 0 …

    Only in a row with values after its label cells, for two cells of text broken into
    the same number of lines (two or more), none of them a value, where the second
    cell does not begin with a numbering (``（三）不予公<br>开|4.保护第三方<br>合法权益``
    is a group label and its row's label, side by side).
    """
    if not _holds_a_value(cells):
        return cells
    out = list(cells)
    i = 0
    while i + 1 < len(out):
        zipped = _zipped_lines(out[i], out[i + 1])
        if zipped is not None:
            out[i : i + 2] = [zipped]
        i += 1
    return out


def _zipped_lines(first: str, second: str) -> str | None:
    """The two cells' text joined line by line, or None where the rule does not apply."""
    a, b = MARKUP_BREAK.split(first), MARKUP_BREAK.split(second)
    if len(a) < 2 or len(a) != len(b):
        return None
    parts = [normalize_text(p) for p in (*a, *b)]
    if not all(parts) or any(is_value(p) for p in parts) or _NUMBERING_ACROSS.match(parts[len(a)]):
        return None
    if not any(is_cjk(ch) for ch in parts[len(a)]):
        return None
    return "<br>".join(x.rstrip() + y.lstrip() for x, y in zip(a, b, strict=True))


_SEVERAL_IN_A_CELL = re.compile(rf"\S(?:\s+|{MARKUP_BREAK.pattern})\S", re.IGNORECASE)


def pipes_are_not_columns(cells: Sequence[str]) -> bool:
    """Rule: a pipe row with a cell of several values is a converter's guess at a grid,
    not the table's columns: it is read as a line of text, values in order.

    Repairs (markitdown's Markdown of a PDF table: pdfminer's words bucketed into
    columns of its own, several values to a cell, empty cells where no blank was)::

        |     | （三）不予公开 |  | 1.属于国家秘密 | 0   |     | 0 0 0 | 0 0 |
            -> （三）不予公开 1.属于国家秘密 0 0 0 0 0 0     (seven values, as text)

    A blank cell is then no longer told by its pipe (the row's values are placed as in
    ``pdftotext -raw`` text, by the identities, and flagged where they cannot tell).
    pymupdf4llm stacks values in one cell with ``<br>`` (``|规章|0<br>15|0|``): alike.
    """
    for cell in cells:
        if _SEVERAL_IN_A_CELL.search(cell):
            parts = normalize_text(cell).split()
            if len(parts) > 1 and all(is_value(p) for p in parts):
                return True
    return False


def pipe_row_read_as_text(text: str) -> bool:
    """Whether a line is a pipe row that :func:`pipes_are_not_columns` reads as text: one
    whose pipes :func:`split_cells` found and read as spaces."""
    flat = unicodedata.normalize("NFKC", text)
    return split_cells(text)[1] == Separator.SPACE and _split_pipes(flat) is not None


def _text_of_cells(cells: Sequence[str]) -> list[str]:
    """The cells of a pipe row read as text: its labels and values, empty cells dropped."""
    out: list[str] = []
    for cell in cells:
        text = normalize_text(cell)
        parts = text.split()
        if parts:
            out.extend(parts if all(is_value(p) for p in parts) else _peel_values(text))
    return out


def split_cells(text: str) -> tuple[list[str], str]:
    """Split one line's text into raw cells; returns the cells and the separator used.

    Full-width forms are folded first (NFKC), so ``１８　４，４３６．２８`` splits too.
    Memoised for lines of up to :data:`_MEMO_CHARS` characters: the lines of reports
    repeat (the tables' labels and headers, page marks).
    """
    if len(text) > _MEMO_CHARS:
        return _split_cells_uncached(text)
    cells, sep = _split_cells(text)
    return list(cells), sep


_MEMO_CHARS = 300


@lru_cache(maxsize=8192)
def _split_cells(text: str) -> tuple[tuple[str, ...], str]:
    cells, sep = _split_cells_uncached(text)
    return tuple(cells), sep


def _split_cells_uncached(text: str) -> tuple[list[str], str]:
    text = unicodedata.normalize("NFKC", text)
    if "\t" in text:
        return text.split("\t"), Separator.TAB
    if _TEXT_RULING.match(text):
        return [], Separator.PIPE
    pipes = _split_pipes(text)
    if pipes is not None:
        cells = moved_text_repaired(numbering_split_from_label(_pipe_cells(text, pipes)))
        if pipes_are_not_columns(cells):
            return _text_of_cells(cells), Separator.SPACE
        return cells, Separator.PIPE
    stripped = text.strip()
    if _MULTI_SPACE.search(stripped) and not is_page_noise(stripped):
        parts = _MULTI_SPACE.split(stripped)
        out: list[str] = []
        for p in parts:
            out.extend(_peel_values(p) if not is_value(normalize_text(p)) else [p])
        return out, Separator.SPACE
    peeled = _peel_values(stripped)
    return peeled, Separator.SPACE if len(peeled) > 1 else Separator.NONE


def _cells_uncached(cells_raw: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
    """A line's normalised cells and its indent (the empty cells before its content)."""
    cells = [normalize_text(c) for c in cells_raw]
    indent = 0
    while indent < len(cells) and not cells[indent]:
        indent += 1
    content = cells[indent:]
    if not content:
        cells = [""] if cells else []
    elif len(content) == 1 or (not any(content[1:]) and is_value(content[0])):
        # One cell of content: what comes before it is indentation, after it padding.
        cells = content[:1]
    else:
        # A label followed by empty cells keeps them: they are its blank values.
        cells = content
    return tuple(cells), indent


def _grid_parts(cells_raw: tuple[str, ...]) -> tuple[tuple[str, ...], int, tuple[str, str]]:
    """A table row's cells, indent and ``(text, compact)`` from its raw cells."""
    cells, indent = _cells_uncached(cells_raw)
    return cells, indent, _derived(cells)


_row_parts = lru_cache(maxsize=8192)(_grid_parts)
""":func:`_grid_parts`, memoised for short rows (a pure function of the cells; rows repeat)."""


Parts = tuple[tuple[str, ...], int, Separator, tuple[str, str]]
"""A source line made from its text alone: cells, indent, separator, ``(text, compact)``."""


def _raw_parts(text: str) -> Parts:
    """The :data:`Parts` of a source line outside a drawn table."""
    cells_raw: list[str]
    sep: str
    if not text.strip():
        cells_raw, sep = ([""], Separator.TAB) if "\t" in text else ([], Separator.NONE)
    else:
        cells_raw, sep = split_cells(text)
    if sep == Separator.PIPE and not cells_raw:
        return (), 0, Separator.RULING, ("", "")
    cells, indent = _cells_uncached(tuple(cells_raw))
    return cells, indent, Separator(sep), _derived(cells)


_line_parts = lru_cache(maxsize=8192)(_raw_parts)
""":func:`_raw_parts`, memoised for short lines (a pure function of the text; the lines
of reports repeat: the tables' labels and headers, page marks, blank lines)."""


def to_lines(doc: Document) -> list[Line]:
    """The logical lines of a document, with cells split and normalised.

    The rows of text-drawn tables (:func:`~giextract.grid.grid_stretches`) are made from
    their cells; every other line from its text alone (:func:`_raw_parts`).
    """
    if not doc.lines:  # a page with no text at all (only a script, say)
        return []
    text = "\n".join([s.text for s in doc.lines])
    simplified = to_simplified(text)
    sources = doc.lines
    if simplified != text:  # traditional characters: the lines that had some are new
        sources = [
            s if s.text == t else SourceLine(s.number, t, s.page, s.table, s.row)
            for s, t in zip(doc.lines, simplified.split("\n"), strict=True)
        ]
    if "|" in simplified:
        sources = column_cut_through_header(sources)
    lines: list[Line] = []
    done = 0
    for start, end, rows in grid_stretches(sources):
        _add_plain(lines, sources[done:start])
        for group, cells_raw, sep in rows:
            if sep == "grid":
                _add_grid_row(lines, group, cells_raw)
            else:
                _add_plain(lines, group)
        done = end
    _add_plain(lines, sources[done:])
    return lines


def column_cut_through_header(sources: Sequence[SourceLine]) -> list[SourceLine]:
    """Rule: where a converter's grid cuts a column's header in two, the two cells under
    it are one: a number cut in two is joined.

    Repairs (pymupdf4llm's Markdown of a PDF table: the grid it finds puts a column
    boundary through a header's words, and through the numbers under them; renders
    p041, p048)::

        |信息内容|上一年项目数量||本年|增/减|       本年 + 增/减 = 本年增/减, one column
        |行政事业性<br>收费|20||1|7|             -> |行政事业性<br>收费|20||17|
        |信息内容|采购项目数量||采购|总金额|
        |政府集中采购|0||23|2.8|                  -> |政府集中采购|0||232.8|

    Only in the pipe rows right under such a header (a pipe row with no value whose two
    neighbouring cells, joined, are a column header of the templates and neither alone
    is), with as many cells as it, where the two cells hold a value and a value, or a
    value and nothing.  The row's line is rewritten, so every reading sees it whole.
    """
    out = list(sources)
    cuts: list[int] = []
    width = 0
    for i, source in enumerate(sources):
        text = source.text
        row = _pipe_row(text) if len(text) <= _MEMO_CHARS else _pipe_row_uncached(text)
        if row is None:  # not a pipe row
            cuts = []
            continue
        cells, holds_a_value = row
        if not cells:  # a Markdown separator row
            continue
        if not holds_a_value:
            cuts, width = _header_cuts(cells), len(cells)
        elif cuts and len(cells) == width:
            joined = _joined_cells(cells, cuts)
            if joined != list(cells):
                out[i] = replace(source, text="|" + "|".join(joined) + "|")
    return out


def _pipe_row_uncached(text: str) -> tuple[tuple[str, ...], bool] | None:
    """The raw cells of a bordered pipe row (:func:`_raw_pipe_cells`) and whether one
    holds a value (:func:`_holds_a_value`), else None."""
    cells = _raw_pipe_cells(text)
    return None if cells is None else (tuple(cells), _holds_a_value(cells))


_pipe_row = lru_cache(maxsize=8192)(_pipe_row_uncached)
""":func:`_pipe_row_uncached`, memoised for short lines (a pure function of the text;
:func:`column_cut_through_header` reads every line of a document with a pipe)."""


def cells_joined_notices(
    sources: Sequence[SourceLine], lines: Sequence[Line]
) -> list[dict[str, object]]:
    """A ``cells_joined`` notice for each number :func:`column_cut_through_header` made of
    two cells: it was printed in two pieces in the text, and the record says so
    (``sources``: the document's lines; ``lines``: :func:`to_lines` of it)."""
    printed = {s.number: s.text for s in sources if "|" in s.text}
    if not printed:
        return []  # no pipe row: no cell was joined
    out: list[dict[str, object]] = []
    for line in lines:
        text = printed.get(line.number)
        if text is None or line.sep != Separator.PIPE or text.count("|") <= line.raw.count("|"):
            continue
        pieces = set(_raw_pipe_cells(unicodedata.normalize("NFKC", text)) or ())
        cells = _raw_pipe_cells(line.raw) or ()
        made = [c for c in cells if c not in pieces and is_value(normalize_text(c))]
        if made:
            out.append(
                {
                    "code": "cells_joined",
                    "message": f"{', '.join(made)} read from two cells under a column header "
                    f"cut in two: {text.strip()!r}",
                    "line": line.number,
                }
            )
    return out


def _raw_pipe_cells(text: str) -> list[str] | None:
    """The raw cells of a bordered pipe row, ``| a | b |`` (:func:`_split_pipes`; ``[]``
    for a separator row), else None (html2text's unbordered rows are left as they are)."""
    stripped = text.strip()
    if len(stripped) < 2 or stripped[0] != "|" or stripped[-1] != "|":
        return None
    return _split_pipes(stripped)


def _header_cuts(cells: Sequence[str]) -> list[int]:
    """The cells ``j`` of a header row whose text and the next one's make one column
    header of the templates, neither alone being one."""
    known = label_lexicon()["col"]
    keys = [label_key(normalize_text(c)) for c in cells]
    return [
        j
        for j in range(len(keys) - 1)
        if keys[j]
        and keys[j + 1]
        and keys[j] + keys[j + 1] in known
        and keys[j] not in known
        and keys[j + 1] not in known
    ]


_WHOLE_NUMBER = re.compile(r"(?:0|[1-9][\d,]*)(?:\.\d+)?")
"""A number two cut pieces may make: no leading zero (``0`` and ``0`` make no ``00``)."""


def _joined_cells(cells: Sequence[str], cuts: Sequence[int]) -> list[str]:
    """The cells with each cut pair made one: two values joined, a value and nothing
    the value; anything else left as it was."""
    out = list(cells)
    for j in sorted(cuts, reverse=True):
        a, b = normalize_text(out[j]), normalize_text(out[j + 1])
        if a and b and is_value(a) and is_value(b) and _WHOLE_NUMBER.fullmatch(a + b):
            out[j : j + 2] = [a + b]
        elif (a and not b and is_value(a)) or (b and not a and is_value(b)):
            out[j : j + 2] = [a or b]
    return out


def _add_plain(lines: list[Line], sources: Sequence[SourceLine]) -> None:
    """Append a line for each source line, split from its text alone."""
    append, memo, ruling = lines.append, _line_parts, Separator.RULING
    index = len(lines)
    for s in sources:
        text = s.text
        cells, indent, sep, derived = memo(text) if len(text) <= _MEMO_CHARS else _raw_parts(text)
        table = None if sep is ruling else s.table
        append(Line(index, (s.number,), s.page, text, cells, indent, sep, table, derived))
        index += 1


def _add_grid_row(lines: list[Line], group: Sequence[SourceLine], cells_raw: list[str]) -> None:
    """Append the line of a table row rebuilt from its source lines (:mod:`giextract.grid`)."""
    text = "\t".join(cells_raw)
    raw = tuple(cells_raw)
    cells, indent, derived = _row_parts(raw) if len(text) <= _MEMO_CHARS else _grid_parts(raw)
    first = group[0]
    numbers = tuple([s.number for s in group])
    lines.append(
        Line(
            len(lines),
            numbers,
            first.page,
            text,
            cells,
            indent,
            Separator.GRID,
            first.table,
            derived,
        )
    )
