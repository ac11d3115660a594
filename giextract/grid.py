"""Rebuilding the rows of text-drawn tables whose cells wrap over several lines.

Text dumps of web pages draw tables in three ways:

* box tables (``w3m -dump``: ``┌─┬─┐``, ``│``) and ASCII grid tables (pandoc 3 ``-t plain``
  or ``-t markdown``: ``+---+``, ``|``).  A cell's text wraps over several lines, and
  rowspan/colspan cells make rulings partial (``│    ├────┼``) and put a spanned
  cell's text in the middle of the rows it spans;
* pandoc's simple and multiline tables: rows between two rulings of dash groups
  (``---- -----``), the dash groups giving the columns; in a multiline table rows are
  separated by blank lines and a cell wraps over the lines of its row.

:func:`merge_grid_rows` finds the cells of such tables from the drawing itself (by
display column, CJK characters counting two) and yields each table row as one logical
line of cells, in the order of the source.  A spanned cell is given to the first row
it spans, as an HTML table would; other lines pass through untouched.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import groupby
from operator import itemgetter

from .read import SourceLine
from .values import looks_numeric

Row = tuple[Sequence[SourceLine], list[str], str]

_BOX = frozenset("─━═│┃║┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬╒╕╘╛╞╡╤╧╪╓╖╙╜╟╢╥╨╫")
_VERTICAL = frozenset("│┃║|")
_GRID_START = frozenset("┌┏╔╒╓+")
_ASCII_RULING = re.compile(r"\+(?:[-=:]+\+)+")
_DASH_RULING = re.compile(r"^(\s*)(-{2,}(?: -{2,})+)\s*$")
_PAD = "\0"  # the second display column of a wide character
_WORD = re.compile(r"\S+")


# ---------------------------------------------------------------- shared helpers


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


#: The most characters :data:`_COLUMNS` keeps (more than a report ever holds).
_COLUMNS_KEPT = 65536


class _Columns(dict[int, "str | int"]):
    """A ``str.translate`` table that puts :data:`_PAD` after each wide character.

    Filled as characters are met (a pure function of the character), so a line is
    expanded in one C call; at most :data:`_COLUMNS_KEPT` characters are kept.
    """

    def __missing__(self, code: int) -> str | int:
        ch = chr(code)
        value: str | int = ch + _PAD if _width(ch) == 2 else code
        if len(self) < _COLUMNS_KEPT:
            self[code] = value
        return value


_COLUMNS = _Columns()


@lru_cache(maxsize=4096)
def _expanded(text: str) -> str:
    """The characters of a line by display column, a wide character followed by :data:`_PAD`."""
    return text if text.isascii() else text.translate(_COLUMNS)


def _expand(text: str) -> list[str]:
    """The characters of a line by display column (a wide character fills two)."""
    return list(_expanded(text))


def _columns_text(text: str) -> str:
    """A line by display column with ``\x01`` for the second column of a wide character
    (no space, so a word keeps its columns; removed from each word found)."""
    return _expanded(text).replace(_PAD, "\x01")


def _unbreak(part: str) -> str:
    """A piece of a cell without its padding and Markdown hard line break (``\\``)."""
    return part.strip().removesuffix("\\").rstrip()


def join_wrapped(parts: Sequence[str], short: Sequence[bool] = ()) -> str:
    """Join the pieces of a wrapped cell: no space between CJK text or between digits.

    ``short`` says, for each piece, that it stopped short of its cell's right edge
    (:func:`stops_short`): it was not wrapped, so digits after it start another number
    and are kept apart by a space.  Two rows merged into one drawn cell (a ruling lost
    between them) keep their numbers as printed, never one number made of both::

        │29     │        "29", then "1": two numbers, "29 1" (not 291)
        │1      │
    """
    merged = ""
    cut_short = False
    shorts = [*short, *[False] * (len(parts) - len(short))]
    for part, was_short in zip((p.strip() for p in parts), shorts, strict=True):
        if not part:
            continue
        if merged and (
            (
                merged[-1].isascii()
                and part[0].isascii()
                and merged[-1].isalpha()
                and part[0].isalpha()
            )
            or (cut_short and merged[-1].isdigit() and part[0].isdigit())
        ):
            merged += " "
        merged += part
        cut_short = was_short
    return merged


def stops_short(piece: str) -> bool:
    """Whether a line of a drawn cell ends more than one column before the cell does: it
    was not wrapped there (a wrapped line fills its cell, but for its padding)."""
    return len(piece.rstrip()) < len(piece) - 1


# ---------------------------------------------------------------- box and grid tables


def _is_grid_line(text: str) -> bool:
    s = text.strip()
    return len(s) >= 2 and (s[0] in _BOX or s[0] in "|+") and (s[-1] in _BOX or s[-1] in "|+")


_RULING_CHARS = re.compile("[" + re.escape("".join(sorted(_BOX)) + "+-=:") + "]+")


def _is_pure_ruling(text: str) -> bool:
    s = text.strip()
    return bool(s) and s[0] not in _VERTICAL and _RULING_CHARS.fullmatch(s) is not None


def _border_mask(chars: list[str]) -> list[bool]:
    """Which display columns of a line are drawing, not cell text."""
    mask = [ch in _BOX or ch == "|" for ch in chars]
    line = "".join(chars)
    for m in _ASCII_RULING.finditer(line):
        for i in range(m.start(), m.end()):
            mask[i] = True
    return mask


def _grid_block_end(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index after the last line of the grid table starting at ``start``, if it is one."""
    first = lines[start].text.strip()
    if not first or first[0] not in _GRID_START or not _is_pure_ruling(first):
        return None
    j = start + 1
    while j < len(lines) and _is_grid_line(lines[j].text):
        j += 1
    if j - start < 3 or not _is_pure_ruling(lines[j - 1].text):
        return None
    return j


Run = tuple[int, int, int]  # (line, first column, column after the last)


def _runs(border: list[bool]) -> list[tuple[int, int]]:
    """The runs of consecutive non-drawing columns of one line."""
    runs: list[tuple[int, int]] = []
    x, width = 0, len(border)
    while x < width:
        if border[x]:
            x += 1
            continue
        start = x
        while x < width and not border[x]:
            x += 1
        runs.append((start, x))
    return runs


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


_NON_DRAWING = re.compile("[^" + re.escape("".join(sorted(_BOX)) + "|") + "]+")


def _text_runs(row: str) -> list[tuple[int, int]]:
    """:func:`_runs` of :func:`_border_mask` of a line by display column, by regex."""
    for m in _ASCII_RULING.finditer(row):
        row = row[: m.start()] + "|" * (m.end() - m.start()) + row[m.end() :]
    return [m.span() for m in _NON_DRAWING.finditer(row)]


@lru_cache(maxsize=4096)
def _row_runs(row: str) -> tuple[tuple[int, int], ...]:
    """:func:`_text_runs`, memoised (the rulings and blank rows of a table repeat)."""
    return tuple(_text_runs(row))


def _components(grid: list[list[str]], border: list[list[bool]]) -> list[list[Run]] | None:
    """The cells of a drawn table: 4-connected regions of non-drawing columns.

    Each line's runs of non-drawing columns are joined to the overlapping runs of the
    line above by union-find, so the cost grows with the runs, not the characters.
    Returns ``None`` when a region reaches the edge (the drawing is not closed).
    """
    return _run_components([_runs(row) for row in border], len(grid[0]))


def _run_components(
    lines: Sequence[Sequence[tuple[int, int]]], width: int
) -> list[list[Run]] | None:
    """:func:`_components` from each line's runs of non-drawing columns.

    Each region lists its runs in line order, left to right on a line.
    """
    height = len(lines)
    if lines[0] or lines[-1] or any(r and (r[0][0] == 0 or r[-1][1] == width) for r in lines):
        return None
    runs: list[Run] = [(y, x0, x1) for y, row in enumerate(lines) for x0, x1 in row]
    parent = list(range(len(runs)))
    first = 0
    for y in range(1, height):
        above_first, first = first, first + len(lines[y - 1])
        if lines[y] == lines[y - 1]:  # the runs of the line above: each joins the one above it
            for k in range(len(lines[y])):
                parent[first + k] = _find(parent, above_first + k)
            continue
        i, j = above_first, first
        above_end, here_end = first, first + len(lines[y])
        while i < above_end and j < here_end:
            (_, a0, a1), (_, b0, b1) = runs[i], runs[j]
            if a0 < b1 and b0 < a1:
                ra, rb = _find(parent, i), _find(parent, j)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
            if a1 <= b1:
                i += 1
            else:
                j += 1
    regions: dict[int, list[Run]] = {}
    for k, run in enumerate(runs):
        root = parent[k]
        if parent[root] != root:
            root = _find(parent, root)
        if root in regions:
            regions[root].append(run)
        else:
            regions[root] = [run]
    return list(regions.values())


def _region_text(grid: Sequence[Sequence[str]], region: list[Run]) -> str:
    """The text of a cell; ``grid`` holds the lines by display column (lists or str).

    ``region``'s runs are in line order and left to right on a line, as
    :func:`_run_components` gives them.
    """
    parts: list[str] = []
    last = -1
    for y, x0, x1 in region:
        piece = grid[y][x0:x1]
        text = piece if isinstance(piece, str) else "".join(piece)
        if y == last:
            parts[-1] += text
        else:
            parts.append(text)
            last = y
    # A blank piece adds nothing to join_wrapped (nor ends a number): only the others
    # are joined, and one piece alone is the cell.
    texts = [_unbreak(p.replace(_PAD, "")) for p in parts]
    kept = [k for k, text in enumerate(texts) if text]
    if len(kept) <= 1:
        return texts[kept[0]] if kept else ""
    return join_wrapped([texts[k] for k in kept], [stops_short(parts[k]) for k in kept])


def _drawn_rows(block: Sequence[SourceLine]) -> list[tuple[int, list[str]]] | None:
    """``(first line index, cells)`` for each row of a drawn table, or ``None``."""
    expanded = [_expanded(s.text.strip()) for s in block]
    width = max(len(e) for e in expanded)
    grid = [e.ljust(width) for e in expanded]
    regions = _run_components([_row_runs(row) for row in grid], width)
    if regions is None:
        return None
    cells: list[tuple[int, int, str]] = []
    for region in regions:
        top, left, right = region[0]  # the region's first run: its top line, leftmost
        if len(region) == 1:  # a cell on one line: join_wrapped of one piece is the piece
            text = grid[top][left:right].replace(_PAD, "").strip()
            if text.endswith("\\"):
                text = _unbreak(text)
        else:
            text = _region_text(grid, region)
        cells.append((top, left, text))
    cells.sort()  # by row (the top line), then left to right
    return [(top, [t for _, _, t in row]) for top, row in groupby(cells, key=itemgetter(0))]


def _legacy_rows(block: Sequence[SourceLine]) -> Iterator[Row]:
    """Fallback for drawings that do not close: merge the lines between full rulings."""
    pending: list[SourceLine] = []
    for s in block:
        if _is_pure_ruling(s.text):
            if pending:
                yield _merge_columns(pending)
                pending = []
            yield [s], [], "raw"
        else:
            pending.append(s)
    if pending:
        yield _merge_columns(pending)


def _merge_columns(block: list[SourceLine]) -> Row:
    rows = [re.split(r"[│┃║|]", s.text.strip())[1:-1] for s in block]
    width = max(len(r) for r in rows)
    cells = [
        join_wrapped(
            [r[i] for r in rows if i < len(r)], [stops_short(r[i]) for r in rows if i < len(r)]
        )
        for i in range(width)
    ]
    return block, cells, "grid"


def _grid_rows(block: Sequence[SourceLine]) -> Iterator[Row]:
    rows = _drawn_rows(block)
    if rows is None:
        yield from _legacy_rows(block)
        return
    starts = [top for top, _ in rows] + [len(block)]
    ruling = [_is_pure_ruling(s.text) for s in block]
    yield [block[0]], [], "raw"
    for k, (top, cells) in enumerate(rows):
        band = range(top, starts[k + 1])
        content = [block[j] for j in band if not ruling[j]]
        yield content or [block[top]], cells, "grid"
        for j in band:
            if ruling[j]:
                yield [block[j]], [], "raw"


# ---------------------------------------------------------------- pandoc simple/multiline tables


def _dash_columns(text: str) -> list[tuple[int, int]] | None:
    m = _DASH_RULING.match(text)
    if not m:
        return None
    offset = len(m.group(1))
    return [(offset + g.start(), offset + g.end()) for g in re.finditer(r"-+", m.group(2))]


def _simple_block_end(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the closing ruling of the simple/multiline table opened at ``start``."""
    opening = lines[start].text.rstrip()
    for j in range(start + 1, len(lines)):
        text = lines[j].text
        if text.rstrip() == opening:
            return j if j > start + 1 else None
        if _DASH_RULING.match(text) or _is_grid_line(text):
            return None
    return None


def _split_by_columns(text: str, columns: list[tuple[int, int]]) -> list[str]:
    """A line of a simple table cut into its columns; each word goes where it starts: the
    first column that ends after it (a word starting in a gap: the next; past the last
    column: the last)."""
    cells: list[list[str]] = [[] for _ in columns]
    ends = [end for _, end in columns]
    last = len(columns) - 1
    for m in _WORD.finditer(_columns_text(text)):
        column = bisect_right(ends, m.start())
        cells[min(column, last)].append(m.group().replace("\x01", ""))
    return [join_wrapped(ws) if len(ws) > 1 else (ws[0] if ws else "") for ws in cells]


def _simple_rows(block: Sequence[SourceLine], columns: list[tuple[int, int]]) -> Iterator[Row]:
    multiline = any(not s.text.strip() for s in block)
    groups: list[list[SourceLine]] = []
    for s in block:
        if not s.text.strip():
            groups.append([])
        elif multiline and groups and groups[-1]:
            groups[-1].append(s)
        else:
            groups.append([s])
    for group in groups:
        if not group:
            continue
        split = [_split_by_columns(s.text, columns) for s in group]
        if len(split) == 1:  # join_wrapped of one piece is the piece
            cells = [_unbreak(cell) for cell in split[0]]
        else:
            cells = [join_wrapped([_unbreak(row[i]) for row in split]) for i in range(len(columns))]
        yield group, cells, "grid"
    for s in block:
        if not s.text.strip():
            yield [s], [], "raw"


# ---------------------------------------------------------------- space-aligned rows (lynx)

_CENTRE_TOLERANCE = 2.0


def _tokens(text: str, wide: bool) -> list[tuple[float, str]]:
    """The space-separated tokens of a line with their centre's column.

    Columns are display columns when ``wide`` (CJK counting two), else characters (lynx
    pads by characters).
    """
    line = _columns_text(text) if wide else text
    return [
        ((m.start() + m.end() - 1) / 2, m.group().replace("\x01", "")) for m in _WORD.finditer(line)
    ]


def _trailing_values(tokens: list[tuple[float, str]]) -> int:
    k = 0
    while k < len(tokens) and looks_numeric(tokens[-1 - k][1]):
        k += 1
    return k


def _value_centres(
    rows: list[list[tuple[float, str]]], counts: list[int]
) -> tuple[list[float], float] | None:
    """Column centres of the values, from the rows with the most common number of values,
    and how far the values of most (three quarters) of those rows stray from them.

    ``counts`` holds each row's :func:`_trailing_values`.
    """
    full = [c for c in counts if c >= 3]
    if len(full) < 3:
        return None
    width = max(set(full), key=full.count)
    refs = [r[-width:] for r, c in zip(rows, counts, strict=True) if c == width]
    if len(refs) < 3:
        return None
    centres = [sorted(r[i][0] for r in refs)[len(refs) // 2] for i in range(width)]
    strays = [max(abs(r[i][0] - centres[i]) for i in range(width)) for r in refs]
    aligned = sorted(strays)[: len(refs) - len(refs) // 4]  # a few rows may be laid out oddly
    return centres, max(aligned)


def _fill_holes(tokens: list[tuple[float, str]], centres: list[float], k: int) -> list[str] | None:
    """Label cells and values with ``""`` at interior blank columns, or ``None``; ``k`` is
    the number of values the tokens end with (:func:`_trailing_values`)."""
    if k < 2 or k >= len(centres):
        return None
    slots: list[int] = []
    for pos, _ in tokens[-k:]:
        best = min(range(len(centres)), key=lambda i: abs(centres[i] - pos))
        if abs(centres[best] - pos) > _CENTRE_TOLERANCE or (slots and best <= slots[-1]):
            return None
        slots.append(best)
    if slots[0] != 0 or slots[-1] != len(centres) - 1:
        return None
    values = [""] * len(centres)
    for slot, (_, tok) in zip(slots, tokens[-k:], strict=True):
        values[slot] = tok
    label = " ".join(tok for _, tok in tokens[:-k])
    return ([label] if label else []) + values


def _aligned_run(lines: Sequence[SourceLine], start: int, end: int) -> dict[int, list[str]]:
    """For the run of non-blank lines ``start:end``: rebuilt rows with blank cells.

    Browsers such as lynx lay a table row out on one line, cells centred in space-padded
    columns, so a blank cell is only a wider gap.  Rows with fewer values than most rows
    of the run get ``""`` where a column has no value, when every value sits on a column.

    The tokens are the same words by either kind of column (but for a NUL, which the
    display columns drop), so they are counted once; an ASCII line has the same columns.
    """
    fixed: dict[int, list[str]] = {}
    if end - start < 3 or not _may_align(lines[start:end]):
        return fixed
    texts = [s.text for s in lines[start:end]]
    narrow = [_tokens(t, False) for t in texts]
    counts = [_trailing_values(r) for r in narrow]
    best: tuple[float, list[list[tuple[float, str]]], list[int], list[float]] | None = None
    for wide in (False, True):
        rows, found_counts = narrow, counts
        if wide:
            rows = [
                r if t.isascii() and "\0" not in t else _tokens(t, True)
                for t, r in zip(texts, narrow, strict=True)
            ]
            if any("\0" in t for t in texts):
                found_counts = [_trailing_values(r) for r in rows]
        found = _value_centres(rows, found_counts)
        if found is None:
            break  # for want of values: the tokens are the same by display column
        if found[1] <= _CENTRE_TOLERANCE and (best is None or found[1] < best[0]):
            best = (found[1], rows, found_counts, found[0])
    if best is not None:
        _, rows, found_counts, centres = best
        for offset, (tokens, k) in enumerate(zip(rows, found_counts, strict=True)):
            cells = _fill_holes(tokens, centres, k)
            if cells is not None:
                fixed[start + offset] = cells
    return fixed


def _may_align(run: Sequence[SourceLine]) -> bool:
    """Whether :func:`_value_centres` can find columns in a run: three rows end with three
    values or more (its tokens are the line's words, by either kind of column)."""
    full = 0
    for s in run:
        words = s.text.split()
        if len(words) >= 3 and all(looks_numeric(w) for w in words[-3:]):
            full += 1
            if full == 3:
                return True
    return False


def _run_end(texts: Sequence[str], heads: Sequence[str], stops: Sequence[bool], start: int) -> int:
    """The end of the run of non-blank lines at ``start`` that may be an aligned table:
    up to a blank line, a line of a drawn table, or a dash ruling after its first line."""
    end = start
    while end < len(texts) and not stops[end]:
        if end > start and heads[end] == "-" and _DASH_RULING.match(texts[end]):
            break
        end += 1
    return end


# ---------------------------------------------------------------- entry point


#: The first characters of a line that opens a drawn table or a dash ruling.
_OPENERS = frozenset(_GRID_START | {"-"})
#: The first characters of a line of a drawn table (:func:`_is_grid_line`).
_EDGES = frozenset(_BOX | {"|", "+"})


Stretch = tuple[int, int, list[Row]]
"""``(start, end, rows)``: the rows that stand for the source lines ``start:end``."""


def grid_stretches(lines: Sequence[SourceLine]) -> Iterator[Stretch]:
    """The stretches of a document's lines that are text-drawn tables, in order.

    Each stretch's rows (see :func:`merge_grid_rows`) stand for its lines; the lines
    between stretches are plain lines.  What a line can be is decided once, from its
    first character: only a corner or a dash can open a drawn or a pandoc table, only a
    box character, ``|`` or ``+`` be a line of one.
    """
    texts = [s.text for s in lines]
    heads = [t.lstrip()[:1] for t in texts]
    stops = [not h or (h in _EDGES and _is_grid_line(t)) for h, t in zip(heads, texts, strict=True)]
    i, n = 0, len(lines)
    while i < n:
        if heads[i] in _OPENERS:
            end = _grid_block_end(lines, i)
            if end is not None:
                yield i, end, _ordered(_grid_rows(lines[i:end]))
                i = end
                continue
            columns = _dash_columns(texts[i])
            close = _simple_block_end(lines, i) if columns else None
            if columns and close is not None:
                rows = _ordered(_simple_rows(lines[i + 1 : close], columns))
                yield i, close + 1, [([lines[i]], [], "raw"), *rows, ([lines[close]], [], "raw")]
                i = close + 1
                continue
        if stops[i]:  # a blank line, a line of a drawn table: alone
            i += 1
            continue
        end = _run_end(texts, heads, stops, i)
        if end - i >= 3:
            for k, cells in _aligned_run(lines, i, end).items():
                yield k, k + 1, [([lines[k]], cells, "grid")]
        i = end


def merge_grid_rows(lines: Sequence[SourceLine]) -> Iterator[Row]:
    """Yield ``(source lines, cells, separator)`` for each logical line.

    Table rows come out with separator ``"grid"`` and their cells; rulings and all
    other lines come out alone with separator ``"raw"`` and no cells (the caller
    splits them).  The tables are :func:`grid_stretches`.
    """
    done = 0
    for start, end, rows in grid_stretches(lines):
        for k in range(done, start):
            yield [lines[k]], [], "raw"
        yield from rows
        done = end
    for k in range(done, len(lines)):
        yield [lines[k]], [], "raw"


def _ordered(rows: Iterator[Row]) -> list[Row]:
    """Rows in source order (by their first line number)."""
    return sorted(rows, key=lambda r: r[0][0].number)
