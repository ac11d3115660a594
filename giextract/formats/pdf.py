"""Reading PDFs into source lines with pdfplumber.

Ruled tables (found from their lines by ``page.find_tables()``) become one line per
row, cells joined by tabs: a merged cell's covered positions are empty, the lines
of a wrapped cell are joined (``结果`` / ``维持`` -> ``结果维持``, ``2`` / ``6`` ->
``26``).  A table that goes on at the top of the next page (same left and right
edges) keeps its table index, all its parts placed in the union of their columns.
Other text is read as lines (words grouped by their position): words far apart
become separate cells, so numbers of an unruled table stay apart from their labels.
Running headers, footers and page numbers are kept as lines (the classifier labels
them noise).  A PDF without any text layer is a scan: :data:`ErrorCode.SCANNED_PDF`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from ..errors import ErrorCode, GiextractError
from ..read import SourceLine
from ._cells import LineSink, clean, join_parts

_CELL_GAP = 1.5  # a gap wider than this many font sizes separates cells
_GLUE_GAP = 1.2  # CJK characters closer than this (spaced characters) are glued
_SPACE_GAP = 0.15  # latin/digit words further apart than this get a space
_COLUMN_TOLERANCE = 3.0
_MARGIN = 0.08  # top and bottom share of the page for running headers and footers


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
    continues: bool = False
    grid: list[float] = field(default_factory=list)


@dataclass
class _TextLine:
    top: float
    bottom: float
    cells: list[str]


@dataclass
class _PageBlocks:
    """What one page holds, in reading order."""

    number: int
    height: float
    blocks: list[_Table | _TextLine] = field(default_factory=list)

    def is_margin(self, block: _Table | _TextLine) -> bool:
        from ..lines import is_page_noise

        if isinstance(block, _Table):
            return False
        text = " ".join(block.cells)
        in_margin = block.bottom < self.height * _MARGIN or block.top > self.height * (1 - _MARGIN)
        return in_margin or is_page_noise(text)

    def first_content(self) -> _Table | _TextLine | None:
        return next((b for b in self.blocks if not self.is_margin(b)), None)

    def last_content(self) -> _Table | _TextLine | None:
        return next((b for b in reversed(self.blocks) if not self.is_margin(b)), None)


def _table(found: Any) -> _Table | None:
    """A pdfplumber table as rows of cleaned cell text; ``None`` for a frame of one column."""
    columns = sorted({cell[0] for cell in found.cells})
    rows = []
    for raw in found.extract():
        cells = ["" if c is None else join_parts(c.split("\n")) for c in raw]
        if any(cells):
            rows.append(cells + [""] * (len(columns) - len(cells)))
    if not rows or len(columns) < 2:
        return None
    x0, top, x1, bottom = found.bbox
    return _Table(top, bottom, x0, x1, rows, columns)


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
    tol = _COLUMN_TOLERANCE * 2
    return abs(a.x0 - b.x0) <= tol and abs(a.x1 - b.x1) <= tol


def _set_grid(parts: list[_Table]) -> None:
    grid = _merge_columns(parts)
    for t in parts:
        t.grid = grid


def _glue(prev: dict[str, Any], word: dict[str, Any]) -> str | None:
    """How two neighbouring words join: ``""``, ``" "``, or ``None`` for a new cell."""
    size = max(float(prev.get("size") or 10), 1.0)
    gap = float(word["x0"]) - float(prev["x1"])
    if gap > _CELL_GAP * size:
        return None
    a, b = prev["text"][-1], word["text"][0]
    if a.isdigit() and b.isdigit():
        return "" if gap < _SPACE_GAP * size else " "
    joined = join_parts([a, b])
    if len(joined) == 2 and gap < _GLUE_GAP * size:
        return ""
    return "" if gap < _SPACE_GAP * size else " "


def _line_cells(words: list[dict[str, Any]]) -> list[str]:
    cells: list[str] = []
    current = ""
    prev = None
    for w in sorted(words, key=lambda w: w["x0"]):
        sep = "" if prev is None else _glue(prev, w)
        if sep is None:
            cells.append(current)
            current = w["text"]
        else:
            current += sep + w["text"]
        prev = w
    cells.append(current)
    return [clean(c) for c in cells]


_Box = tuple[float, float, float, float]


def _text_lines(page: Any, bboxes: list[_Box]) -> list[_TextLine]:
    """Text outside the tables, as lines of cells grouped by vertical position."""

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and t <= cy <= b for x0, t, x1, b in bboxes)

    source = page.filter(outside) if bboxes else page
    words = source.extract_words(x_tolerance=1, y_tolerance=3, extra_attrs=["size"])
    lines: list[list[dict[str, Any]]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(w["top"] - lines[-1][0]["top"]) <= max(w["size"], 4) * 0.5:
            lines[-1].append(w)
        else:
            lines.append([w])
    out = []
    for group in lines:
        cells = _line_cells(group)
        if any(cells):
            top = min(w["top"] for w in group)
            out.append(_TextLine(top, max(w["bottom"] for w in group), cells))
    return out


def _page_blocks(page: Any) -> _PageBlocks:
    found = [t for t in page.find_tables()]
    tables: list[_Table] = []
    bboxes = []
    for f in found:
        t = _table(f)
        if t is not None:
            tables.append(t)
            bboxes.append(f.bbox)
    blocks: list[_Table | _TextLine] = [*tables, *_text_lines(page, bboxes)]
    blocks.sort(key=lambda b: b.top)
    return _PageBlocks(page.page_number, float(page.height), blocks)


def _grid_rows(table: _Table) -> list[list[str]]:
    """The table's rows placed in the columns of the whole table (all its parts)."""
    if table.grid == table.columns or not table.grid:
        return table.rows
    grid = table.grid
    index = [min(range(len(grid)), key=lambda i: abs(grid[i] - x)) for x in table.columns]
    out = []
    for row in table.rows:
        cells = [""] * len(table.grid)
        for i, text in zip(index, row, strict=False):
            cells[i] = f"{cells[i]} {text}".strip() if cells[i] else text
        out.append(cells)
    return out


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
            for cells in _grid_rows(block):
                sink.row(cells, tables, row, page.number)
                row += 1
    return sink.lines


def _open(data: bytes) -> Any:
    import pdfplumber

    if b"%%EOF" not in data[-4096:] and b"%%EOF" not in data:
        raise GiextractError(
            ErrorCode.CORRUPT_DOCUMENT,
            "the PDF is truncated (it has no end-of-file marker)",
            "download or export the file again",
        )
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages
    except Exception as exc:
        name = type(exc).__name__
        hint = " (it is encrypted)" if "Password" in name or "Encrypt" in name else ""
        raise GiextractError(
            ErrorCode.CORRUPT_DOCUMENT,
            f"the PDF cannot be opened{hint}: {name}: {exc}",
            "download or export the file again",
        ) from exc
    return pdf


def read_pdf(data: bytes) -> list[SourceLine]:
    """The lines of a PDF: text lines and table rows per page, in reading order.

    Raises:
        GiextractError: CORRUPT_DOCUMENT for a broken file, SCANNED_PDF when no
            page has a text layer.
    """
    pdf = _open(data)
    pages: list[_PageBlocks] = []
    chars = 0
    with pdf:
        for page in pdf.pages:
            try:
                chars += len(page.chars)
                pages.append(_page_blocks(page))
            except Exception as exc:
                raise GiextractError(
                    ErrorCode.CORRUPT_DOCUMENT,
                    f"page {page.page_number} of the PDF cannot be read: {exc}",
                ) from exc
    if chars == 0:
        raise GiextractError(
            ErrorCode.SCANNED_PDF,
            "the PDF has no text layer (it is a scan or made of images)",
            "run OCR first, e.g. ocrmypdf --language chi_sim in.pdf out.pdf",
        )
    _link_parts(pages)
    return _emit(pages)
