"""Reading PDFs into source lines by the position of their characters (pypdfium2).

Each page gives its characters with their boxes and its rules (thin path objects,
strokes of rectangles and lines).  A character's box is its advance (the font's
widths in the PDF) by one em, never its glyph outline, so that a PDF reads the same
on any machine: pdfium draws the fonts a PDF does not embed (SimSun) with whatever
font is installed.  Rules that touch make a table: its grid lines
are the distinct rule positions, and two neighbouring grid cells are one merged
cell where no rule separates them.  A table becomes one line per row, cells joined
by tabs, a merged cell's text at its top-left position and its covered positions
empty, the lines of a wrapped cell joined (``结果`` / ``维持`` -> ``结果维持``,
``2`` / ``6`` -> ``26``), as :mod:`giextract.formats.docx` reads the Word source.

A table that goes on at the top of the next page (same left and right edges,
compatible columns) keeps its table index, all its parts placed in the union of
their columns; running headers, footers and page numbers between the parts are
kept as lines (the classifier labels them noise).  Other text is read as lines of
characters grouped by their vertical position, split into cells where the gap is
wide, so the numbers of an unruled table stay apart from their labels.

Ruled tables need nothing beyond pdfium's path objects: LibreOffice draws rules as
lines, Chromium as thin filled bars, reportlab as strokes of one path; all three
read into the rows of their source, so pdfplumber's line and rect objects are not
needed.  In an unruled table, a number stands apart from its neighbour when the gap
is visible (``608`` ``1029``); numbers printed touching stay one cell, and then the
identities fail.  Text drawn turned on the page is read in its own direction.

Honest refusals: a PDF without a text layer is a scan (E009); one that needs a
password to open is E011 with the ``qpdf --decrypt`` command (owner-password
PDFs, which only restrict permissions, are read); compressed streams that would
inflate past :attr:`Limits.max_inflated_bytes` are refused before any is inflated
by the parser (E012); more than :attr:`Limits.max_pages` pages is E015.  Text that
pdfium cannot read for want of a font (a CJK character alone in its text object, in a
font neither embedded nor installed) is told by a ``missing_font`` warning, or E010
when it is all the text.
"""

from __future__ import annotations

import bisect
import ctypes
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from ..errors import ErrorCode, GiextractError
from ..source import DEFAULT_LIMITS, Limits, SourceLine
from ._cells import LineSink, clean, glued, join_parts

Char = tuple[str, float, float, float, float]
"""A character and its box in page coordinates from the top: text, x0, top, x1, bottom."""
HEdge = tuple[float, float, float]
"""A horizontal rule: y, x0, x1."""
VEdge = tuple[float, float, float]
"""A vertical rule: x, top, bottom."""

_RULE = 2.5  # a path thinner than this (points) is a rule
_SNAP = 2.0  # rules closer than this are the same grid line
_CELL_GAP = 1.2  # a gap wider than this many character heights separates cells
_GLUE_GAP = 0.9  # CJK characters closer than this (spaced characters) are glued
_SPACE_GAP = 0.12  # latin/digit characters further apart than this get a space
_NUMBER_GAP = 0.5  # a number further than this from its neighbour is a cell of its own
_DIGIT_GAP = 0.2  # digits further apart than this belong to two numbers
_LINE_OVERLAP = 0.5  # characters whose centres are this close (in heights) share a line
_COLUMN_TOLERANCE = 3.0
_MARGIN = 0.08  # top and bottom share of the page for running headers and footers
_PAGE_NUMBER = re.compile(r"^[\-—–－·\s第(（]*\d+[\s页)）/共\d\-—–－·]*$")
_PAGE_NUMBER_MAX_CHARS = 40  # 第 3 页 共 12 页, - 3 -, 3/12: a page number is short


def is_page_number(text: str) -> bool:
    """Whether a PDF text line is a page number; a long line never is (and the pattern,
    whose classes overlap on digits, would take quadratic time over a long run of them)."""
    return len(text) <= _PAGE_NUMBER_MAX_CHARS and _PAGE_NUMBER.match(text) is not None


_INFLATE_CHUNK = 1 << 20


@dataclass
class _Table:
    """A table found on a page: its rows of cell text and the left edges of its columns.

    ``continues`` is set when it goes on a table from the previous page; ``columns``
    of all the parts of one table are merged into ``grid`` before the rows are emitted.
    """

    top: float
    bottom: float
    x0: float
    x1: float
    rows: list[list[str]]
    columns: list[float]
    top_right: list[float | None] = field(default_factory=list)
    bottom_anchor: list[int | None] = field(default_factory=list)
    bottom_right: list[float | None] = field(default_factory=list)
    top_tall: list[bool] = field(default_factory=list)
    bottom_tall: list[bool] = field(default_factory=list)
    starts_at_top: bool = True
    continues: bool = False
    grid: list[float] = field(default_factory=list)


@dataclass
class _TextLine:
    top: float
    bottom: float
    cells: list[str]
    margin: bool = False


@dataclass
class _PageBlocks:
    """What one page holds, in reading order."""

    number: int
    height: float
    blocks: list[_Table | _TextLine] = field(default_factory=list)

    def in_band(self, block: _TextLine) -> bool:
        """Whether the line sits in the top or bottom band of running headers and footers."""
        return block.bottom < self.height * _MARGIN or block.top > self.height * (1 - _MARGIN)

    def first_content(self) -> _Table | _TextLine | None:
        return next((b for b in self.blocks if not _is_margin(b)), None)

    def last_content(self) -> _Table | _TextLine | None:
        return next((b for b in reversed(self.blocks) if not _is_margin(b)), None)


def _is_margin(block: _Table | _TextLine) -> bool:
    return isinstance(block, _TextLine) and block.margin


# ------------------------------------------------------------------ characters


_Box = tuple[float, float, float, float]
_DESCENT = 0.2  # a character's box starts this share of the em below the baseline
_NO_WIDTH = 0.01  # pdfium's text page leaves out a text object narrower than this
_FORM_DEPTH = 8  # form XObjects nested deeper than this are not looked into for text


@dataclass(frozen=True)
class _Frame:
    """Turns PDF user space into page coordinates from the top-left (the page already upright)."""

    width: float
    height: float

    def box(self, left: float, bottom: float, right: float, top: float) -> _Box:
        """``(x0, top, x1, bottom)`` of a box given in PDF user space."""
        return left, self.height - top, right, self.height - bottom


def _text_rotation(textpage: Any, sample: int = 64) -> int:
    """The direction most of the page's text runs in: 0, 90, 180 or 270 degrees
    counter-clockwise (from the angles of a sample of its characters)."""
    import pypdfium2.raw as raw

    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    votes: Counter[int] = Counter()
    for i in range(0, count, max(1, count // sample)):
        if raw.FPDFText_GetUnicode(handle, i) <= 32:
            continue
        angle = raw.FPDFText_GetCharAngle(handle, i)
        if angle >= 0:
            votes[(4 - round(math.degrees(angle) / 90) % 4) % 4 * 90] += 1  # pdfium: clockwise
    return votes.most_common(1)[0][0] if votes else 0


def _upright(page: Any, textpage: Any) -> tuple[_Frame, Any]:
    """The page turned so its text reads left to right: its frame and its text page.

    Text drawn turned on the page (a landscape table in a portrait report, whatever
    the page's ``/Rotate``) then reads in its rows.  The content itself is turned and
    the text page built again, for pdfium leaves out of a text page a text object that
    has no width on the page: turned text in a font neither embedded nor installed is
    one (its glyph boxes are empty), so ``规章`` drawn upwards in STSong-Light was lost
    on a machine without CJK fonts.  Upright, its width is its advance.
    """
    import pypdfium2.raw as raw

    width, height = page.get_width(), page.get_height()
    turn = _text_rotation(textpage)
    if turn == 0:
        return _Frame(width, height), textpage
    matrix = {
        90: (0.0, -1.0, 1.0, 0.0, 0.0, width),
        180: (-1.0, 0.0, 0.0, -1.0, width, height),
        270: (0.0, 1.0, -1.0, 0.0, height, 0.0),
    }[turn]
    handle = page.raw
    for i in range(raw.FPDFPage_CountObjects(handle)):
        raw.FPDFPageObj_Transform(raw.FPDFPage_GetObject(handle, i), *matrix)
    textpage.close()
    frame = _Frame(height, width) if turn in (90, 270) else _Frame(width, height)
    return frame, page.get_textpage()


def _page_objects(page: Any) -> tuple[list[Any], list[Any]]:
    """The page's path objects and its text objects (also those inside form XObjects)."""
    import pypdfium2.raw as raw

    paths: list[Any] = []
    texts: list[Any] = []
    handle, kind_of = page.raw, raw.FPDFPageObj_GetType
    text, path, form = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
    forms = []
    for i in range(raw.FPDFPage_CountObjects(handle)):
        obj = raw.FPDFPage_GetObject(handle, i)
        kind = kind_of(obj)
        if kind == text:
            texts.append(obj)
        elif kind == path:
            paths.append(obj)
        elif kind == form:
            forms.append((obj, 1))
    while forms:
        obj, depth = forms.pop()
        for j in range(raw.FPDFFormObj_CountObjects(obj)):
            inner = raw.FPDFFormObj_GetObject(obj, j)
            kind = kind_of(inner)
            if kind == text:
                texts.append(inner)
            elif kind == form and depth < _FORM_DEPTH:
                forms.append((inner, depth + 1))
    return paths, texts


def _lost_text(objects: list[Any]) -> list[str]:
    """The fonts of the text ``objects`` (of a page upright) that pdfium's text page
    leaves out for want of a font: one name per object.

    pdfium drops a text object with no width, and a CJK character alone in its object
    (the last line of a wrapped cell: ``信`` / ``息``) has none when its font is neither
    embedded in the PDF nor installed on the machine (STSong-Light, SimSun on a machine
    without CJK fonts): its glyph box is empty.  Its text is lost to any reader built
    on pdfium; it is counted so that the loss is told, never silent.  Such a font is
    one that gives ``一`` a width in the PDF but has no glyph for it here (a space alone
    in its object in such a font is counted too: nothing tells it from a character).
    """
    import pypdfium2.raw as raw

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    blind: dict[bytes, str | None] = {}  # font -> its name if it cannot draw CJK here
    out: list[str] = []
    for obj in objects:
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        if right.value - left.value >= _NO_WIDTH:
            continue
        font = raw.FPDFTextObj_GetFont(obj)
        key = bytes(font)
        if key not in blind:
            blind[key] = _blind_cjk_font(font)
        name = blind[key]
        if name is not None:
            out.append(name)
    return out


def _blind_cjk_font(font: Any) -> str | None:
    """The name of a CJK font (``一`` has a width in it) not embedded in the PDF that
    has no glyph for ``一`` on this machine; ``None`` for any other font."""
    import pypdfium2.raw as raw

    if not font or raw.FPDFFont_GetIsEmbedded(font) == 1:
        return None
    width = ctypes.c_float()
    if not raw.FPDFFont_GetGlyphWidth(font, ord("一"), 1.0, width) or width.value <= 0:
        return None
    if raw.FPDFFont_GetGlyphPath(font, ord("一"), 1.0):
        return None
    name = ctypes.create_string_buffer(256)
    raw.FPDFFont_GetBaseFontName(font, name, len(name))
    return name.value.decode("latin-1") or "?"


_Face = tuple[dict[str, float], int, bool, float, float, float, float, float, float, float, float]
"""How a text object places its characters: its font's advances (ems by character), the
font's address, whether the text is upright, and for upright text the advance's factor
and the box's offset below the baseline and height; then its size and matrix ``a b c d``."""


def _pdfium(function: Any, restype: Any, *argtypes: Any) -> Any:
    """pdfium's ``function`` with addresses for its pointers (``c_void_p``, ``int`` back):
    called for every character, it costs a third of pypdfium2's binding, which builds a
    pointer object at each call."""
    return ctypes.cast(function, ctypes.CFUNCTYPE(restype, *argtypes))


class _Placer:
    """The boxes of the characters of one text page (:func:`_page_chars`): a text object's
    face is read once, a font's advance of a character once."""

    def __init__(self, textpage: Any) -> None:
        import pypdfium2.raw as raw

        ptr, i32, f32 = ctypes.c_void_p, ctypes.c_int, ctypes.c_float
        self.page = ctypes.cast(textpage, ptr)
        self.object_of = _pdfium(raw.FPDFText_GetTextObject, ptr, ptr, i32)
        self.origin_of = _pdfium(
            raw.FPDFText_GetCharOrigin,
            i32,
            ptr,
            i32,
            ctypes.POINTER(ctypes.c_double),
            ctypes.POINTER(ctypes.c_double),
        )
        self._font = _pdfium(raw.FPDFTextObj_GetFont, ptr, ptr)
        self._size = _pdfium(raw.FPDFTextObj_GetFontSize, i32, ptr, ctypes.POINTER(f32))
        self._matrix = _pdfium(raw.FPDFText_GetMatrix, i32, ptr, i32, ctypes.POINTER(raw.FS_MATRIX))
        self._width = _pdfium(
            raw.FPDFFont_GetGlyphWidth, i32, ptr, ctypes.c_uint, f32, ctypes.POINTER(f32)
        )
        self.size, self.width, self.matrix = f32(), f32(), raw.FS_MATRIX()
        self.faces: dict[int | None, _Face | None] = {}
        self.advances: dict[int, dict[str, float]] = {}

    def face(self, key: int | None, index: int) -> _Face | None:
        """The face of the text object at address ``key``, as character ``index`` is
        placed; ``None`` for a character pdfium made up, with no object."""
        if key in self.faces:
            return self.faces[key]
        m, size = self.matrix, self.size
        font = self._font(key) if key else None
        face = None
        if font and self._size(key, size) and self._matrix(self.page, index, m):
            em = size.value
            a, b, c, d = m.a, m.b, m.c, m.d
            advances = self.advances.setdefault(font, {})
            upright = b == 0 and c == 0 and a > 0 and d > 0
            face = (advances, font, upright, a * em, d * _DESCENT * em, d * em, em, a, b, c, d)
        self.faces[key] = face
        return face

    def advance(self, font: int, ch: str) -> float:
        """The advance of ``ch`` in ``font`` in ems, from the font's widths in the PDF
        (0 when it has none)."""
        ok = self._width(font, ord(ch), 1.0, self.width)
        return self.width.value if ok else 0.0


def _page_chars(textpage: Any, frame: _Frame) -> list[Char]:
    """The page's printed characters with their boxes (whitespace left out).

    A box is the character's advance (its width in the font's widths in the PDF) by one
    em, placed alike for every font (fonts' own ascents and descents are not to be
    trusted: LibreOffice gives Noto CJK a descent above the baseline).  Never the glyph
    outline: pdfium takes it from whatever font it finds on the machine when the PDF
    does not embed one (SimSun, STSong-Light); with no CJK font installed, the
    substitute's digits are wider than their advances (``608`` ``1029`` read as one
    number) and CJK outlines are empty.  Even with the font, outlines put ``一`` and
    ``工`` off their line.  A character with no width in its font keeps pdfium's loose box.
    """
    import pypdfium2.raw as raw

    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP: one code unit each is not a char
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i) or 32) for i in range(count))
    rect = raw.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    at_x, at_y = ctypes.byref(x), ctypes.byref(y)
    placer = _Placer(handle)
    page, object_of, origin_of = placer.page, placer.object_of, placer.origin_of
    faces = placer.faces
    height = frame.height
    out: list[Char] = []
    for i, ch in enumerate(text):
        if ch.isspace() or ch < " " or ch == "\ufffe":
            continue
        key = object_of(page, i)  # the text object's address
        face = faces[key] if key in faces else placer.face(key, i)
        if face is not None and origin_of(page, i, at_x, at_y):
            advances = face[0]
            advance = advances.get(ch)
            if advance is None:
                advance = advances[ch] = placer.advance(face[1], ch)
            if advance > 0:
                if face[2]:  # upright text: most of it
                    left, bottom = x.value, height - y.value + face[4]
                    out.append((ch, left, bottom - face[5], left + face[3] * advance, bottom))
                else:
                    em, a, b, c, d = face[6:]
                    box = _advance_box(x.value, y.value, advance * em, em, a, b, c, d)
                    out.append((ch, box[0], height - box[3], box[2], height - box[1]))
                continue
        raw.FPDFText_GetLooseCharBox(handle, i, rect)
        out.append((ch, rect.left, height - rect.top, rect.right, height - rect.bottom))
    return out


def _advance_box(
    x: float, y: float, run: float, size: float, a: float, b: float, c: float, d: float
) -> _Box:
    """``(left, bottom, right, top)`` in user space of a character at ``(x, y)`` that
    runs ``run`` along its line, one em (``size``) up from :data:`_DESCENT` below the
    baseline, through the text matrix ``a b c d``."""
    down, up = -_DESCENT * size, (1 - _DESCENT) * size
    xs = (c * down, a * run + c * down, c * up, a * run + c * up)
    ys = (d * down, b * run + d * down, d * up, b * run + d * up)
    return x + min(xs), y + min(ys), x + max(xs), y + max(ys)


def _glue(prev: Char, char: Char) -> str | None:
    """How two neighbouring characters of a line join: ``""``, ``" "`` or ``None`` (new cell)."""
    size = max(prev[4] - prev[2], char[4] - char[2], 1.0)
    gap = char[1] - prev[3]
    if gap > _CELL_GAP * size:
        return None
    a, b = prev[0], char[0]
    if (a.isdigit() or b.isdigit()) and gap > _NUMBER_GAP * size:
        return None  # numbers of neighbouring columns: ``6`` ``654``, ``不`` ``4``
    if a.isdigit() and b.isdigit():
        return "" if gap < _DIGIT_GAP * size else None  # ``608`` ``1029``: two numbers
    if gap < _GLUE_GAP * size and glued(a, b) and "\u200b" not in (a, b):
        return ""
    return "" if gap < _SPACE_GAP * size else " "


def _group_lines(chars: Iterable[Char]) -> list[list[Char]]:
    """Characters grouped into lines by vertical position, each line sorted left to right."""
    lines: list[list[Char]] = []
    centre = height = 0.0
    for ch in sorted(chars, key=lambda c: (c[2] + c[4]) / 2):
        mid = (ch[2] + ch[4]) / 2
        size = ch[4] - ch[2]
        if lines and abs(mid - centre) <= _LINE_OVERLAP * max(min(size, height), 1.0):
            lines[-1].append(ch)
        else:
            lines.append([ch])
            centre, height = mid, size
    for line in lines:
        line.sort(key=lambda c: c[1])
    return lines


def _line_cells(line: Sequence[Char], split: bool = True) -> list[str]:
    """A line's text, split into cells at wide gaps when ``split`` (else one cell)."""
    cells: list[str] = []
    current = line[0][0]
    for prev, ch in pairwise(line):
        sep = _glue(prev, ch)
        if sep is None and split:
            cells.append(current)
            current = ch[0]
        else:
            current += (sep if sep is not None else " ") + ch[0]
    cells.append(current)
    # Characters are never whitespace and are joined by single spaces: only a zero-width
    # space (not whitespace to Python) needs the cleaning.
    return [clean(c) if "\u200b" in c else c for c in cells]


# ------------------------------------------------------------------ rules


def _page_edges(paths: list[Any], frame: _Frame) -> tuple[list[HEdge], list[VEdge]]:
    """The page's horizontal and vertical rules, from its path objects."""
    import pypdfium2.raw as raw

    h: list[HEdge] = []
    v: list[VEdge] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for obj in paths:
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        box = frame.box(left.value, bottom.value, right.value, top.value)
        if not _add_edge(box, h, v):
            for seg in _path_boxes(obj, frame):
                _add_edge(seg, h, v)
    return h, v


def _add_edge(box: _Box, h: list[HEdge], v: list[VEdge]) -> bool:
    """Add a thin box as a rule; whether it was one."""
    x0, top, x1, bottom = box
    if bottom - top <= _RULE and x1 - x0 > _RULE:
        h.append(((top + bottom) / 2, x0, x1))
        return True
    if x1 - x0 <= _RULE and bottom - top > _RULE:
        v.append(((x0 + x1) / 2, top, bottom))
        return True
    return False


def _path_boxes(obj: Any, frame: _Frame) -> list[_Box]:
    """Boxes of the straight axis-parallel pieces of a stroked path (a grid drawn as one path).

    Filled paths give only their thin sub-paths (rules drawn as filled bars); a large
    filled shape (a cell's shading, a page background) gives none.
    """
    import pypdfium2.raw as raw

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, fill, stroke)
    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, matrix):
        return []
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[int, float, float, bool]] = []
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        px = matrix.a * x.value + matrix.c * y.value + matrix.e
        py = matrix.b * x.value + matrix.d * y.value + matrix.f
        points.append(
            (raw.FPDFPathSegment_GetType(seg), px, py, bool(raw.FPDFPathSegment_GetClose(seg)))
        )
    boxes: list[_Box] = []
    start = prev = (0.0, 0.0)
    sub: list[tuple[float, float]] = []
    for kind, px, py, close in [*points, (raw.FPDF_SEGMENT_MOVETO, 0.0, 0.0, False)]:
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if sub and fill.value and not stroke.value:
                xs, ys = [p[0] for p in sub], [p[1] for p in sub]
                boxes.append(frame.box(min(xs), min(ys), max(xs), max(ys)))
            start = prev = (px, py)
            sub = [start]
            continue
        ends = [(prev, (px, py))] + ([((px, py), start)] if close else [])
        for (ax, ay), (bx, by) in ends:
            if stroke.value and (abs(ax - bx) < 0.5 or abs(ay - by) < 0.5):
                boxes.append(frame.box(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
        sub.append((px, py))
        prev = (px, py)
    return boxes


def _merge_collinear(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Rules at the same position whose extents touch, joined (cells' borders make lines)."""
    lanes: list[list[tuple[float, float, float]]] = []
    for edge in sorted(edges):
        if lanes and edge[0] - lanes[-1][-1][0] <= _SNAP:
            lanes[-1].append(edge)
        else:
            lanes.append([edge])
    out: list[tuple[float, float, float]] = []
    for lane in lanes:
        pos = sum(e[0] for e in lane) / len(lane)
        merged: list[tuple[float, float, float]] = []
        for _, a, b in sorted(lane, key=lambda e: e[1]):
            if merged and a <= merged[-1][2] + _SNAP:
                merged[-1] = (pos, merged[-1][1], max(b, merged[-1][2]))
            else:
                merged.append((pos, a, b))
        out += merged
    return out


# ------------------------------------------------------------------ tables


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _clusters(values: Iterable[float]) -> list[float]:
    """Distinct positions, values closer than :data:`_SNAP` taken as one (their mean)."""
    groups: list[list[float]] = []
    for x in sorted(values):
        if groups and x - groups[-1][-1] <= _SNAP:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [sum(g) / len(g) for g in groups]


def _rule_groups(h: list[HEdge], v: list[VEdge]) -> list[tuple[list[HEdge], list[VEdge]]]:
    """Sets of rules that touch each other: one per drawn table."""
    uf = _UnionFind(len(h) + len(v))
    tol = _SNAP
    for i, (y, x0, x1) in enumerate(h):
        for j, (x, t, b) in enumerate(v):
            if x0 - tol <= x <= x1 + tol and t - tol <= y <= b + tol:
                uf.union(i, len(h) + j)
    groups: dict[int, tuple[list[HEdge], list[VEdge]]] = {}
    for i, e in enumerate(h):
        groups.setdefault(uf.find(i), ([], []))[0].append(e)
    for j, e in enumerate(v):
        groups.setdefault(uf.find(len(h) + j), ([], []))[1].append(e)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _covers(spans: list[tuple[float, float]], at: float) -> bool:
    return any(a - _SNAP <= at <= b + _SNAP for a, b in spans)


@dataclass
class _Grid:
    """A ruled table's grid lines and which pieces of them are drawn."""

    xs: list[float]
    ys: list[float]
    vertical: list[list[tuple[float, float]]]
    horizontal: list[list[tuple[float, float]]]

    @classmethod
    def of(cls, h: list[HEdge], v: list[VEdge]) -> _Grid:
        """The grid of a group of rules; the ends of the rules bound it even where the
        frame is not drawn (a table going on over a page break has no top rule)."""
        ends_x = (min(x0 for _, x0, _ in h), max(x1 for _, _, x1 in h))
        ends_y = (min(t for _, t, _ in v), max(b for _, _, b in v))
        xs = _clusters([*(x for x, _, _ in v), *ends_x])
        ys = _clusters([*(y for y, _, _ in h), *ends_y])
        vertical: list[list[tuple[float, float]]] = [[] for _ in xs]
        horizontal: list[list[tuple[float, float]]] = [[] for _ in ys]
        for x, t, b in v:
            vertical[_nearest(xs, x)].append((t, b))
        for y, x0, x1 in h:
            horizontal[_nearest(ys, y)].append((x0, x1))
        return cls(xs, ys, vertical, horizontal)

    def cells(self) -> tuple[_UnionFind, int, int]:
        """Merged cells as a union of grid cells (index ``r * cols + c``)."""
        rows, cols = len(self.ys) - 1, len(self.xs) - 1
        uf = _UnionFind(rows * cols)
        for r in range(rows):
            mid_y = (self.ys[r] + self.ys[r + 1]) / 2
            for c in range(cols):
                if c + 1 < cols and not _covers(self.vertical[c + 1], mid_y):
                    uf.union(r * cols + c, r * cols + c + 1)
                mid_x = (self.xs[c] + self.xs[c + 1]) / 2
                if r + 1 < rows and not _covers(self.horizontal[r + 1], mid_x):
                    uf.union(r * cols + c, (r + 1) * cols + c)
        return uf, rows, cols


def _nearest(xs: list[float], x: float) -> int:
    i = bisect.bisect_left(xs, x)
    if i == len(xs) or (i > 0 and x - xs[i - 1] < xs[i] - x):
        return i - 1
    return i


def _cell_text(chars: list[Char]) -> str:
    """A cell's text: its lines joined without a space between CJK text or digits."""
    return join_parts("".join(_line_cells(line, split=False)) for line in _group_lines(chars))


def _read_table(grid: _Grid, chars: list[Char]) -> _Table | None:
    """The rows of a ruled table from the characters inside it; ``None`` for a frame."""
    uf, rows, cols = grid.cells()
    if rows < 1 or cols < 2:
        return None
    inside: dict[int, list[Char]] = {}
    for ch in chars:
        cx, cy = (ch[1] + ch[3]) / 2, (ch[2] + ch[4]) / 2
        c = bisect.bisect_right(grid.xs, cx) - 1
        r = bisect.bisect_right(grid.ys, cy) - 1
        if 0 <= c < cols and 0 <= r < rows:
            inside.setdefault(uf.find(r * cols + c), []).append(ch)
    out: list[list[str]] = []
    kept: dict[int, int] = {}  # grid row -> index of the row in ``out``
    for r in range(rows):
        cells = []
        for c in range(cols):
            root = uf.find(r * cols + c)
            cells.append(
                _cell_text(inside[root]) if root == r * cols + c and root in inside else ""
            )
        if any(cells):
            kept[r] = len(out)
            out.append(cells)
    if not out:
        return None
    xs, ys = grid.xs, grid.ys
    right: dict[int, float] = {}  # merged cell -> its right edge
    lowest: dict[int, int] = {}  # merged cell -> its last grid row
    for i in range(rows * cols):
        root = uf.find(i)
        right[root] = max(right.get(root, 0.0), xs[i % cols + 1])
        lowest[root] = max(lowest.get(root, 0), i // cols)
    last = [uf.find((rows - 1) * cols + c) for c in range(cols)]
    return _Table(
        ys[0],
        ys[-1],
        xs[0],
        xs[-1],
        out,
        xs[:-1],
        top_right=[right[c] if uf.find(c) == c else None for c in range(cols)],
        bottom_anchor=[
            kept.get(root // cols) if root % cols == c else None for c, root in enumerate(last)
        ],
        bottom_right=[right[root] if root % cols == c else None for c, root in enumerate(last)],
        starts_at_top=0 in kept,
        top_tall=[uf.find(c) == c and lowest[c] > 0 for c in range(cols)],
        bottom_tall=[root // cols < rows - 1 for root in last],
    )


def _page_blocks(
    number: int, chars: list[Char], edges: tuple[list[HEdge], list[VEdge]], height: float
) -> _PageBlocks:
    """Tables and text lines of one page, top to bottom."""
    h, v = _merge_collinear(edges[0]), _merge_collinear(edges[1])
    blocks: list[_Table | _TextLine] = []
    rest = chars
    for hg, vg in _rule_groups(h, v):
        grid = _Grid.of(hg, vg)
        x0, x1, top, bottom = grid.xs[0], grid.xs[-1], grid.ys[0], grid.ys[-1]
        mine: list[Char] = []
        others: list[Char] = []
        for ch in rest:
            cx, cy = (ch[1] + ch[3]) / 2, (ch[2] + ch[4]) / 2
            (mine if x0 <= cx <= x1 and top <= cy <= bottom else others).append(ch)
        table = _read_table(grid, mine)
        if table is not None:
            blocks.append(table)
            rest = others
    for line in _group_lines(rest):
        cells = _line_cells(line)
        if any(cells):
            blocks.append(_TextLine(min(c[2] for c in line), max(c[4] for c in line), cells))
    blocks.sort(key=lambda b: b.top)
    return _PageBlocks(number, height, blocks)


# ------------------------------------------------------------------ pages


def _mark_margins(pages: list[_PageBlocks]) -> None:
    """Mark running headers, footers and page numbers: in the page's top or bottom band,
    and repeated on other pages (digits aside) or shaped like a page number."""
    shape = re.compile(r"\d+")
    seen: Counter[str] = Counter()
    for page in pages:
        keys = {
            shape.sub("#", " ".join(b.cells))
            for b in page.blocks
            if isinstance(b, _TextLine) and page.in_band(b)
        }
        seen.update(keys)
    for page in pages:
        for b in page.blocks:
            if isinstance(b, _TextLine) and page.in_band(b):
                text = " ".join(b.cells)
                b.margin = seen[shape.sub("#", text)] > 1 or is_page_number(text)


def _merge_columns(parts: list[_Table]) -> list[float]:
    """The column edges of a table made of parts on several pages."""
    out: list[float] = []
    for x in sorted(x for t in parts for x in t.columns):
        if not out or x - out[-1] > _COLUMN_TOLERANCE:
            out.append(x)
    return out


def _link_parts(pages: list[_PageBlocks]) -> None:
    """Mark tables that go on from the previous page and give each table its full columns."""
    parts: list[_Table] = []
    for i, page in enumerate(pages):
        first = page.first_content()
        last = pages[i - 1].last_content() if i else None
        for block in page.blocks:
            if not isinstance(block, _Table):
                continue
            if block is first and isinstance(last, _Table) and _same_frame(last, block):
                block.continues = True
            elif parts:
                _set_grid(parts)
                parts = []
            parts.append(block)
    if parts:
        _set_grid(parts)


def _same_frame(a: _Table, b: _Table) -> bool:
    """Same left and right edges, and the columns of one part among those of the other."""
    tol = _COLUMN_TOLERANCE * 2
    if abs(a.x0 - b.x0) > tol or abs(a.x1 - b.x1) > tol:
        return False

    def among(xs: list[float], ys: list[float]) -> bool:
        return all(any(abs(x - y) <= tol for y in ys) for x in xs)

    return among(a.columns, b.columns) or among(b.columns, a.columns)


def _set_grid(parts: list[_Table]) -> None:
    """Place all parts of one table in the union of their columns and mend cut cells."""
    grid = _merge_columns(parts)
    for t in parts:
        _to_grid(t, grid)
    for a, b in pairwise(parts):
        _join_cut_cells(a, b)


def _to_grid(table: _Table, grid: list[float]) -> None:
    """The table's rows (and per-column facts) placed in the columns ``grid``."""
    table.grid = grid
    if grid == table.columns:
        return
    index = [min(range(len(grid)), key=lambda i: abs(grid[i] - x)) for x in table.columns]
    rows = []
    for row in table.rows:
        cells = [""] * len(grid)
        for i, text in zip(index, row, strict=False):
            cells[i] = f"{cells[i]} {text}".strip() if cells[i] else text
        rows.append(cells)
    table.rows = rows
    top: list[float | None] = [None] * len(grid)
    anchor: list[int | None] = [None] * len(grid)
    bottom: list[float | None] = [None] * len(grid)
    top_tall, bottom_tall = [False] * len(grid), [False] * len(grid)
    facts = zip(
        index,
        table.top_right,
        table.bottom_anchor,
        table.bottom_right,
        table.top_tall,
        table.bottom_tall,
        strict=True,
    )
    for i, t, at, b, t_tall, b_tall in facts:
        if top[i] is None:
            top[i], top_tall[i] = t, t_tall
        if anchor[i] is None:
            anchor[i], bottom[i], bottom_tall[i] = at, b, b_tall
    table.top_right, table.bottom_anchor, table.bottom_right = top, anchor, bottom
    table.top_tall, table.bottom_tall = top_tall, bottom_tall
    table.columns = grid


_NUMERIC = re.compile(r"^[\d.,，\s]*\d\s*[^\d\s.,，]{0,2}$")
"""A number, also an amount with its unit (``326.7万元``, ``3,694,976.09元``, ``12件``)."""
_ROW_START = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])"
)


def _join_cut_cells(a: _Table, b: _Table) -> None:
    """Cells cut by a page break: the text of ``b``'s first row joins the cell it goes on.

    Neither LibreOffice nor Chromium mark a cut cell by its rules (both draw, or
    both leave out, the rule at the break), so shape and text decide.  A cell of
    ``b``'s first row goes on ``a``'s last cell in its column when both have the
    same width and hold text, ``b``'s does not start a row of its own (``2.``,
    ``（三）``), and one of them spans several rows (a group label such as
    ``（五）`` / ``不予处理``).  The whole row goes on when such a label cut in two
    (``（四）无`` / ``法提供``) has no column with a number (:data:`_NUMERIC`, an amount
    with its unit too) in either part: ``信息内容`` / ``行政事业性收费`` over
    ``本年收费金额(单位：万元)`` / ``326.7万元`` are two rows.
    """
    if not b.starts_at_top or not b.rows:
        return
    first = b.rows[0]
    same: list[int] = []  # columns where the last cell of a and the first of b line up
    goes_on: list[int] = []  # ... and b's text reads as the rest of a's
    numbers_in_both = False
    for c, at in enumerate(a.bottom_anchor):
        right = a.bottom_right[c]
        top = b.top_right[c] if c < len(b.top_right) else None
        if at is None or right is None or top is None or abs(right - top) > _COLUMN_TOLERANCE:
            continue
        same.append(c)
        upper, lower = a.rows[at][c], first[c]
        if not (upper and lower):
            continue
        if _NUMERIC.match(upper) or _NUMERIC.match(lower):
            numbers_in_both = True
        elif not _ROW_START.match(lower):
            goes_on.append(c)
    if not goes_on:
        return
    tall = [c for c in goes_on if a.bottom_tall[c] or b.top_tall[c]]
    for c in same if not numbers_in_both else tall:
        at = a.bottom_anchor[c]
        if at is not None and first[c]:
            a.rows[at][c] = join_parts([a.rows[at][c], first[c]])
            first[c] = ""
    if not any(first):
        del b.rows[0]
        b.bottom_anchor = [None if at in (None, 0) else at - 1 for at in b.bottom_anchor]


def _emit(pages: list[_PageBlocks]) -> list[SourceLine]:
    """Number the lines of all pages, keeping table indices over page breaks."""
    sink = LineSink()
    tables = -1
    row = 0
    for page in pages:
        for block in page.blocks:
            if isinstance(block, _TextLine):
                text = "\t".join(block.cells)
                sink.lines.append(SourceLine(len(sink.lines) + 1, text, page.number))
                continue
            if not block.continues:
                tables += 1
                row = 0
            for cells in block.rows:
                sink.row(cells, tables, row, page.number)
                row += 1
    return sink.lines


# ------------------------------------------------------------------ opening


_STREAM = re.compile(rb"stream\r?\n")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")


def inflated_size(data: bytes, limit: int) -> int:
    """Bytes that the PDF's Flate streams inflate to, counted without keeping them.

    Images are left out: text extraction never decodes them.

    Raises:
        GiextractError: E012 as soon as the count passes ``limit``, before the PDF
            parser inflates anything.
    """
    total = 0
    for m in _STREAM.finditer(data):
        if data[max(0, m.start() - 3) : m.start()] == b"end":
            continue
        head = data[max(0, m.start() - 2048) : m.start()]
        head = head[head.rfind(b"obj") + 1 :] if b"obj" in head else head
        if not _FLATE.search(head) or _IMAGE.search(head):
            continue
        end = data.find(b"endstream", m.end())
        total += _inflate_count(data[m.end() : end if end >= 0 else len(data)], limit - total)
        if total > limit:
            raise GiextractError(
                ErrorCode.INFLATES_TOO_MUCH,
                f"the PDF's compressed streams inflate to more than {limit} bytes "
                "(a decompression bomb, or a file too big to read)",
                "raise Limits.max_inflated_bytes if the file is genuine",
            )
    return total


def _inflate_count(chunk: bytes, budget: int) -> int:
    """Bytes one zlib stream inflates to, stopping once past ``budget``."""
    inflater = zlib.decompressobj()
    total = 0
    try:
        while True:
            out = inflater.decompress(chunk, _INFLATE_CHUNK)
            total += len(out)
            chunk = inflater.unconsumed_tail
            if total > budget or inflater.eof or (not chunk and len(out) < _INFLATE_CHUNK):
                return total
    except zlib.error:
        return total


def _open(data: bytes, limits: Limits) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    if b"%%EOF" not in data[-4096:] and b"%%EOF" not in data:
        raise GiextractError(
            ErrorCode.CORRUPT_DOCUMENT,
            "the PDF is truncated (it has no end-of-file marker)",
            "download or export the file again",
        )
    inflated_size(data, limits.max_inflated_bytes)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise GiextractError(
                ErrorCode.ENCRYPTED_PDF,
                "the PDF is encrypted and needs a password to be opened",
                "decrypt it with the password: qpdf --password=PASSWORD --decrypt in.pdf out.pdf",
            ) from exc
        raise GiextractError(
            ErrorCode.CORRUPT_DOCUMENT,
            f"the PDF cannot be opened: {exc}",
            "download or export the file again",
        ) from exc
    if len(pdf) > limits.max_pages:
        pdf.close()
        raise GiextractError(
            ErrorCode.TOO_MANY_PAGES,
            f"the PDF has {len(pdf)} pages, more than the limit of {limits.max_pages}",
            "raise Limits.max_pages, or split the file (qpdf --split-pages)",
        )
    return pdf


@dataclass
class RawPage:
    """What pdfium gives of one page: characters, rules, displayed height, object count,
    and the fonts of the text objects lost for want of a font (:func:`_lost_text`)."""

    chars: list[Char]
    edges: tuple[list[HEdge], list[VEdge]]
    height: float
    objects: int
    lost: list[str] = field(default_factory=list)


def read_pages(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[RawPage]:
    """Each page's characters and rules (the raw material of :func:`read_pdf`)."""
    import pypdfium2.raw as raw

    pdf = _open(data, limits)
    out = []
    try:
        for i in range(len(pdf)):
            try:
                page = pdf[i]
                frame, textpage = _upright(page, page.get_textpage())
                paths, texts = _page_objects(page)
                out.append(
                    RawPage(
                        _page_chars(textpage, frame),
                        _page_edges(paths, frame),
                        frame.height,
                        raw.FPDFPage_CountObjects(page.raw),
                        _lost_text(texts),
                    )
                )
                textpage.close()
                page.close()
            except Exception as exc:  # pdfium reports a broken page as a generic error
                raise GiextractError(
                    ErrorCode.CORRUPT_DOCUMENT, f"page {i + 1} of the PDF cannot be read: {exc}"
                ) from exc
    finally:
        pdf.close()
    return out


def read_pdf(
    data: bytes,
    limits: Limits = DEFAULT_LIMITS,
    warnings: list[dict[str, object]] | None = None,
) -> list[SourceLine]:
    """The lines of a PDF: text lines and table rows per page, in reading order.

    Text that pdfium leaves out for want of a font (:func:`_lost_text`) is told by a
    ``missing_font`` warning appended to ``warnings`` when given.

    Raises:
        GiextractError: CORRUPT_DOCUMENT for a broken file or one whose pages hold
            nothing at all, ENCRYPTED_PDF when a password is needed,
            INFLATES_TOO_MUCH, TOO_MANY_PAGES, CONVERTER_MISSING when all the text
            is lost for want of a font, and SCANNED_PDF when no page has a text layer.
    """
    raw_pages = read_pages(data, limits)
    lost = Counter(name for p in raw_pages for name in p.lost)
    if not any(p.chars for p in raw_pages):
        if lost:
            raise GiextractError(ErrorCode.CONVERTER_MISSING, *_missing_font(lost))
        if not any(p.objects for p in raw_pages):
            raise GiextractError(
                ErrorCode.CORRUPT_DOCUMENT,
                "the PDF's pages hold nothing: no text, no images (a broken or blank file)",
                "download or export the file again",
            )
        raise GiextractError(
            ErrorCode.SCANNED_PDF,
            "the PDF has no text layer (it is a scan or made of images)",
            "run OCR first, e.g. ocrmypdf --language chi_sim in.pdf out.pdf",
        )
    if lost and warnings is not None:
        message, hint = _missing_font(lost)
        warnings.append(
            {
                "code": "missing_font",
                "message": f"{message}; {hint}",
                "count": sum(lost.values()),
                "fonts": sorted(lost),
                "pages": [i + 1 for i, p in enumerate(raw_pages) if p.lost],
            }
        )
    pages = [_page_blocks(i + 1, p.chars, p.edges, p.height) for i, p in enumerate(raw_pages)]
    _mark_margins(pages)
    _link_parts(pages)
    return _emit(pages)


def _missing_font(lost: Counter[str]) -> tuple[str, str]:
    """The message and the hint telling of text lost for want of a font."""
    return (
        f"{sum(lost.values())} pieces of text in fonts that the PDF does not embed and this "
        f"machine does not have ({', '.join(sorted(lost))}) cannot be read and are left out",
        "install a CJK font (Debian: fonts-noto-cjk) and read the file again",
    )
