"""Squashed tables: rows whose cells a scraper ran together, decoded by the identities.

Scrapers that keep a page's text without separators (BeautifulSoup ``get_text()``,
lxml ``text_content()``) run every table cell together::

    一、本年新收政府信息公开申请数量801000081二、上年结转政府信息公开申请数量0000000…

``801000081`` is 80, 1, 0, 0, 0, 0, 81.  Some archives keep some spaces
(``0 0 0 0 0 00``: a space is always a cell boundary, its absence says nothing), and
``get_text(" ")`` keeps them all but puts the whole table on one line.

Three steps, each a few small functions:

1. **Detection** (:func:`find_rows`) works on the document's source lines, not on
   the classifier's labels (which see one line of prose here).  Each template row
   label is searched in template order, and kept only where it runs straight into a
   *digit run* (digits, spaces, placeholders).  The appeals table has no row label:
   its run follows the header words (``…尚未审结总计``).
2. **Splits of one run** (:func:`row_splits`): every way to cut the run into the
   row's cells.  Leading zeros are not numbers (``05`` is two cells).  Where the
   row has an internal identity (a requests row's 总计, an appeals group's 总计) the
   total cell is *forced* to be the printed sum of the cells before it, so the
   enumeration is tiny; only when no split satisfies the row's own identity are all
   splits kept (the report's own arithmetic error), up to :data:`MAX_ROW_SPLITS`.
3. **Joint decoding** (:func:`solve`): the rows of a table tied by the template's
   identities (:func:`giextract.checks.identities`, the one definition) are solved
   together by depth-first search with branch and bound.  The cost of a decoding is
   the number of identities it violates (identities are evidence, not law); the
   bound adds, for every identity not yet complete, a certain failure when the
   partial sum plus the least and greatest contributions still to come cannot meet.
   The search collects *all* decodings of least cost, because ambiguity must be
   reported, not guessed: a field on which they disagree is null with an
   ``ambiguous_value`` warning listing the candidates.  The search is capped
   (:data:`MAX_SEARCH_NODES`); hitting the cap is a ``squashed_search_cap``
   warning and the undecided rows stay null.

Why search and not a constraint solver: the row identities fix the total cell from
its parts, so almost every row has one or two splits and the coupled search is
small; what the task needs is the *set* of optimal decodings (to name candidates),
which a CP-SAT or python-constraint model would give only by repeated solving with
exclusion cuts, at the price of a heavy core dependency.  Forty lines of
branch-and-bound do it with an explicit, testable bound.

Evidence printed elsewhere may decide between optimal decodings: the prose
``共收到政府信息公开申请3条`` names the new requests' 总计; when it leaves one
decoding, that decoding is taken and a ``squashed_evidence`` warning says so.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate

from .catalogue import APPEAL_COLUMNS, APPEAL_GROUPS, RowSpec, Template, identities, load_variants
from .memo import keep_line
from .normalize import label_key, normalize_text, split_numbering, to_simplified
from .read import SourceLine
from .values import MAX_DIGITS, parse_value

Value = int | float | None

MAX_ROW_SPLITS = 20_000
MAX_ROW_NODES = 200_000
"""The most partial splits one row's search visits: a long run whose cuts rarely meet the
row's totals finds few splits but may try exponentially many (fuzz input 23146 ran past
the time limit); past the bound the row is capped, as past :data:`MAX_ROW_SPLITS`."""
MAX_SEARCH_NODES = 20_000  # about a second of search at worst
MAX_SOLUTIONS = 256
MAX_LISTED_READINGS = 10
LABEL_WINDOW = 400

RULE_SQUASHED = "squashed_cells"
RULE_ALL_SPLITS = "squashed_row_identity_violated"


# ---------------------------------------------------------------- the text


@dataclass(frozen=True)
class Stream:
    """The document's source lines, normalised and joined by newlines, with line offsets."""

    text: str
    starts: tuple[int, ...]
    numbers: tuple[int, ...]

    def line_at(self, pos: int) -> int:
        """The 1-based source line number of a character offset."""
        return self.numbers[max(0, bisect.bisect_right(self.starts, pos) - 1)]


_LAYOUT_GAP = re.compile(r"\S(?: {2,}|\u3000)\S")
_SHORT_LINE = 300


def _has_cells(line: SourceLine) -> bool:
    """A table row of a structured format, a tab-separated line, or a short line of
    text laid out in columns (``规章      0      10``, pdftotext -layout)."""
    text = line.text
    if line.table is not None or "\t" in text:
        return True
    gap = "  " in text or "\u3000" in text  # what a _LAYOUT_GAP needs, found faster
    return gap and len(text) < _SHORT_LINE and bool(_LAYOUT_GAP.search(text))


_STREAM_TEXTS: dict[str, str] = {}
"""The stream text of a source line outside a structured table, by its text: ``""`` for a
line with cells (:func:`_has_cells`), else the line simplified and normalised.  A pure
function of the text (no phrase of the converter spans a newline), so safe to keep;
bounded (:func:`giextract.memo.keep_line`)."""


def to_stream(lines: Sequence[SourceLine]) -> Stream:
    """Normalise each source line (width, script, spaces near CJK) and join them.

    Lines that already have cells (:func:`_has_cells`) are left out: their cells
    were never run together.  Each line is made once (:data:`_STREAM_TEXTS`); the lines
    not made yet are converted in one call.
    """
    memo = _STREAM_TEXTS
    texts = ["" if s.table is not None else memo.get(s.text) for s in lines]
    missing = [i for i, (s, t) in enumerate(zip(lines, texts, strict=True)) if t is None]
    if missing:
        _make_stream_texts(lines, missing, texts)
    starts = tuple(accumulate([len(t or "") + 1 for t in texts], initial=0))[:-1]
    joined = "\n".join([t or "" for t in texts])
    return Stream(joined, starts, tuple(s.number for s in lines))


def _make_stream_texts(
    lines: Sequence[SourceLine], missing: Sequence[int], texts: list[str | None]
) -> None:
    """Fill ``texts`` at ``missing`` (``""`` for a line with cells), converting the lines
    kept to simplified characters in one call, and keep the short ones in the memo."""
    has_cells = [_has_cells(lines[i]) for i in missing]
    kept = [lines[i].text for i, cells in zip(missing, has_cells, strict=True) if not cells]
    # one conversion of the lines, not one per line: no phrase of the converter spans a
    # newline (to_lines converts so too)
    simplified = to_simplified("\n".join(kept)).split("\n") if kept else []
    if len(simplified) != len(kept):  # a line held a newline: convert line by line
        simplified = [to_simplified(t) for t in kept]
    normalized = iter([normalize_text(t) for t in simplified])
    memo = _STREAM_TEXTS
    for i, cells in zip(missing, has_cells, strict=True):
        s = lines[i]
        texts[i] = text = "" if cells else next(normalized)
        keep_line(memo, s.text, text, s.text)


# ---------------------------------------------------------------- detection


@dataclass(frozen=True)
class Run:
    """A digit run as printed (spaces kept), where it starts and on which line."""

    text: str
    start: int
    line: int


@dataclass(frozen=True)
class FoundRow:
    """A template row found in the text with the digit run that follows its label."""

    spec: RowSpec
    label_start: int
    run: Run
    inline: bool = False


_BETWEEN = r"[ \t“”\"'‘’「」]*"
_CHAR_CLASS = {"(": "[(（]", ")": "[)）]", ",": "[,，、]", "、": "[,，、]", ".": "[.．、]"}
_GROUPED = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])"  # 1,234.50: one number
_TOKEN = re.compile(rf"-?{_GROUPED}|-?\d+(?:\.\d+)?|[/—–]+|-+(?!\d)")
_UNSIGNED_TOKEN = re.compile(rf"{_GROUPED}|\d+(?:\.\d+)?|[/—–]+|-+")
_UNIT_AFTER = re.compile(r"[年月日条件个项次%号岁部篇份家人场]")
_APPEALS_HEAD = re.compile(r"结果维持")
_APPEALS_SKIP = re.compile(r"[^\d]{0,200}?(?:总计|合计)\s*(?=[\d/—–-])")
_EVIDENCE = re.compile(
    r"共(?:收到|受理|接收)[^。；;\d]{0,16}?申请(?:数|共|总数)?(?:为)?(\d+)\s*[条件个]"
)


def _chars(words: str) -> str:
    return _BETWEEN.join(_CHAR_CLASS.get(ch, re.escape(ch)) for ch in words)


def _numbering_pattern(numbering: str) -> str:
    """``(一)``, ``一、`` or ``1.`` as printed in any of the usual spellings."""
    n = numbering.strip("()、.")
    return rf"(?:[(（]\s*{n}\s*[)）]|{n}\s*[、.．,，:：])"


@lru_cache(maxsize=256)
def label_pattern(label: str) -> re.Pattern[str]:
    """The label of a row as it may be printed, running straight into a digit run.

    Numbering is optional and spelt any usual way; curated variants and the label
    without its trailing parenthesis (``（二）部分公开``) are accepted.
    """
    numbering, alts = _label_words(label)
    num = rf"(?:{_numbering_pattern(numbering)}\s*)?" if numbering else ""
    body = "|".join(_chars(a) for a in alts)
    return re.compile(rf"{num}(?:{body}){_BETWEEN}(?=[\d/—–-])")


@lru_cache(maxsize=256)
def label_body(label: str) -> re.Pattern[str]:
    """:func:`label_pattern` without its optional numbering: it finds something wherever
    that pattern does, and is searched much faster (no optional prefix to try at every
    character), so a text it finds nothing in is passed over at once."""
    _, alts = _label_words(label)
    body = "|".join(_chars(a) for a in alts)
    return re.compile(rf"(?:{body}){_BETWEEN}(?=[\d/—–-])")


def _label_words(label: str) -> tuple[str, list[str]]:
    """The numbering of a row label and the spellings of its words, longest first."""
    numbering, words = split_numbering(label_key(label))
    alts = [words]
    for variant in load_variants().row_labels.get(label_key(label), ()):
        alts.append(split_numbering(variant)[1])
    if "(" in words and not words.startswith("("):
        alts.append(words.split("(", 1)[0])
    return numbering, sorted({a for a in alts if a}, key=len, reverse=True)


@lru_cache(maxsize=256)
def label_ends(labels: tuple[str, ...]) -> re.Pattern[str]:
    """Where any of these labels could end running into digits: the last character of
    one of its spellings, then a digit run.  Every :func:`label_pattern` match ends so,
    so a text without such a place holds none of the labels' rows."""
    last = sorted({a[-1] for label in labels for a in _label_words(label)[1]})
    ends = "|".join(_CHAR_CLASS.get(ch, re.escape(ch)) for ch in last) or "(?!)"
    return re.compile(rf"(?:{ends}){_BETWEEN}(?=[\d/—–-])")


@lru_cache(maxsize=256)
def _end_chars(labels: tuple[str, ...]) -> frozenset[str]:
    """The characters :func:`label_ends` takes for the end of these labels (each class
    of :data:`_CHAR_CLASS` by its members), cached."""
    last = {a[-1] for label in labels for a in _label_words(label)[1]}
    return frozenset(m for ch in last for m in (_CHAR_CLASS[ch][1:-1] if ch in _CHAR_CLASS else ch))


def _ends_into_digits(text: str, chars: frozenset[str]) -> frozenset[str]:
    """Which of ``chars`` stand somewhere in the text as :func:`label_ends` finds the end
    of a label: a label whose end characters are none of them runs into digits nowhere.
    One pass over the text for all the labels of a table (a search per label was one
    pass each)."""
    return frozenset(m.group(1) for m in _ends_pattern(chars).finditer(text))


_BETWEEN_CHARS = frozenset(" \t“”\"'‘’「」")  # what _BETWEEN takes


@lru_cache(maxsize=16)
def _ends_pattern(chars: frozenset[str]) -> re.Pattern[str]:
    """Each place where one of ``chars`` runs into digits, as label_ends's pattern.  The
    matches do not overlap: a place inside another's run of spaces and quotes is missed
    only if one of ``chars`` is such a character, and then each place is a lookahead."""
    if not chars:
        return re.compile("(?!)")
    members = "".join(re.escape(ch) for ch in sorted(chars))
    if chars.isdisjoint(_BETWEEN_CHARS):
        return re.compile(rf"([{members}]){_BETWEEN}(?=[\d/—–-])")
    return re.compile(rf"(?=([{members}]){_BETWEEN}(?=[\d/—–-]))")


def read_run(text: str, pos: int, end: int) -> Run | None:
    """The digit run at ``pos`` (spaces inside kept), not past ``end``.

    A number followed by a unit of prose (``2023年``) is not a cell.
    """
    i, last = pos, pos
    for m in _TOKEN.finditer(text, pos, end):
        gap = text[i : m.start()]
        if gap.strip() or "\n" in gap:
            break
        if _UNIT_AFTER.match(text, m.end()):
            break
        i = last = m.end()
    start = pos + (len(text[pos:last]) - len(text[pos:last].lstrip()))
    if last <= start:
        return None
    return Run(text[start:last], start, 0)


def _chain(stream: Stream, rows: Sequence[RowSpec], first: int, at: int) -> list[FoundRow]:
    """Rows found in template order from the label of row ``first`` at ``at``."""
    text = stream.text
    hits: list[tuple[RowSpec, int, int]] = []
    cursor = at
    for k, spec in enumerate(rows[first:]):
        limit = len(text) if k == 0 else min(len(text), cursor + LABEL_WINDOW)
        m = None
        if label_ends((spec.label,)).search(text, cursor, limit):  # else no match: skip it
            m = label_pattern(spec.label).search(text, cursor, limit)
        if m is None:
            continue
        hits.append((spec, m.start(), m.end()))
        cursor = m.end()
    found: list[FoundRow] = []
    for j, (spec, start, end) in enumerate(hits):
        bound = hits[j + 1][1] if j + 1 < len(hits) else len(text)
        run = read_run(text, end, bound)
        if run is not None:
            found.append(FoundRow(spec, start, Run(run.text, run.start, stream.line_at(run.start))))
    return found


def _find_label_rows(stream: Stream, rows: Sequence[RowSpec]) -> list[FoundRow]:
    """The longest chain of rows of one table, from the first row found anywhere.

    Each place where that row's label runs into digits is tried as the start.
    """
    found = _ends_into_digits(stream.text, _end_chars(tuple(spec.label for spec in rows)))
    if not found:
        return []  # no label of the table runs into digits anywhere (most documents)
    for first, spec in enumerate(rows):
        best: list[FoundRow] = []
        if found.isdisjoint(_end_chars((spec.label,))):
            continue  # the row's label runs into digits nowhere
        if label_body(spec.label).search(stream.text) is None:
            continue  # nor do its words
        for m in label_pattern(spec.label).finditer(stream.text):
            chain = _chain(stream, rows, first, m.start())
            if len(chain) > len(best):
                best = chain
        if best:
            return best
    return []


def _find_appeals(stream: Stream, spec: RowSpec) -> FoundRow | None:
    """The appeals run: the digits after the header words ``…尚未审结总计``."""
    text = stream.text
    for m in _APPEALS_HEAD.finditer(text):
        skip = _APPEALS_SKIP.match(text, m.start())
        run = read_run(text, skip.end(), len(text)) if skip else None
        if run is not None and sum(len(t) for t, _ in _tokens(run.text)) >= spec.width:
            line = stream.line_at(run.start)
            inline = stream.line_at(m.start()) == line
            return FoundRow(spec, m.start(), Run(run.text, run.start, line), inline)
    return None


def find_rows(stream: Stream, template: Template) -> dict[str, list[FoundRow]]:
    """The rows of each table found with a digit run, by table."""
    out: dict[str, list[FoundRow]] = {}
    for table in ("active", "requests"):
        out[table] = _find_label_rows(stream, template.table_rows(table))
    appeals = _find_appeals(stream, template.table_rows("appeals")[0])
    out["appeals"] = [appeals] if appeals else []
    return out


def is_squashed(rows: Sequence[FoundRow]) -> bool:
    """Whether a table's rows show squashing: cells run together, or rows on one line.

    A run with fewer space-separated tokens than the row has cells was run
    together; several rows whose labels share one source line were run together.
    An appeals run on the line of its header words (``…尚未审结总计 0 0 0…``) was
    run together too: no unsquashed layout prints them on one line.
    """
    if not rows:
        return False
    if rows[0].inline:
        return True
    if any(_run_together(r) for r in rows):
        return True
    lines = [r.run.line for r in rows]
    return len(rows) >= 2 and len(set(lines)) < len(lines)


def _run_together(row: FoundRow) -> bool:
    """Fewer space-separated tokens than cells, yet enough characters to fill them."""
    tokens = _tokens(row.run.text)
    return len(tokens) < row.spec.width <= sum(len(t) for t, _ in tokens)


# ---------------------------------------------------------------- splits of one run


@dataclass(frozen=True)
class Cell:
    """One decoded cell: its value and where it sits in the run (offset, length)."""

    value: Value
    offset: int
    length: int


Split = tuple[Cell, ...]
_COUNT = re.compile(r"0|[1-9]\d*")
_CHANGE = re.compile(r"-?(?:0|[1-9]\d*)")
_AMOUNT = re.compile(r"(?:0|[1-9]\d*)(?:\.\d{1,4})?")


def _kind(spec_type: str, field_id: str) -> re.Pattern[str]:
    if spec_type == "amount":
        return _AMOUNT
    return _CHANGE if field_id.endswith(".change") else _COUNT


MAX_CELL_CHARS = MAX_DIGITS + 2
"""Longest piece of a run one cell may take: the digits limit, a sign and a point."""


def _piece_ends(tok: str, pos: int) -> range:
    """Where a cell starting at ``pos`` of a number token may end: a piece longer than
    :data:`MAX_CELL_CHARS` is no cell (``9`` * 4301 is not a 4301-digit cell: the search
    over its cuts had no bound, and ``int()`` refuses past 4300 digits)."""
    return range(pos + 1, min(len(tok), pos + MAX_CELL_CHARS) + 1)


def _least_cells(tok: str, pos: int) -> int:
    """The fewest cells the token from ``pos`` on can make (one for a placeholder or a
    grouped number, which are never cut)."""
    if "," in tok or not any(ch.isdigit() for ch in tok):
        return 1
    return -(-(len(tok) - pos) // MAX_CELL_CHARS)


def _number(piece: str) -> int | float | None:
    """The number a piece of digits reads as, or None when it is no value (too many
    digits, or a decimal a double cannot carry: :func:`giextract.values.parse_value`)."""
    parsed = parse_value(piece)
    return parsed.value if parsed.ok else None


def row_groups(spec: RowSpec) -> list[tuple[tuple[int, ...], int]]:
    """The row's internal identities as (part cell indexes, total cell index)."""
    if spec.table == "requests":
        return [(tuple(range(spec.width - 1)), spec.width - 1)]
    if spec.table == "appeals":
        n = len(APPEAL_COLUMNS)
        return [
            (tuple(range(g * n, g * n + n - 1)), g * n + n - 1) for g in range(len(APPEAL_GROUPS))
        ]
    return []


@dataclass
class RowSplits:
    """Every split of one row's run, whether they satisfy the row's own identities."""

    row: FoundRow
    splits: list[Split]
    consistent: bool
    capped: bool = False


def _tokens(run: str, signed: bool = True) -> list[tuple[str, int]]:
    """The run's pieces no cell can cross: numbers apart from spaces and placeholders.

    Without ``signed`` (a row with no 本年增/减 cell) a ``-`` is a placeholder, never a sign.
    """
    token = _TOKEN if signed else _UNSIGNED_TOKEN
    return [(m.group(0), m.start()) for m in token.finditer(run)]


def row_splits(
    row: FoundRow, *, consistent: bool, cap: int | None = None
) -> tuple[list[Split], bool]:
    """All splits of the run into the row's cells (with ``consistent``, only those whose
    group totals equal the sum of their parts).  Returns the splits and whether ``cap`` was hit.
    """
    cap = MAX_ROW_SPLITS if cap is None else cap
    spec = row.spec
    kinds = [_kind(f.type, f.id) for f in spec.fields]
    totals = {t: parts for parts, t in row_groups(spec)} if consistent else {}
    tokens = _tokens(row.run.text, signed=any(f.id.endswith(".change") for f in spec.fields))
    width = spec.width
    out: list[Split] = []
    cells: list[Cell] = []

    least_after = [0] * (len(tokens) + 1)  # the fewest cells of the tokens from i on
    for i in range(len(tokens) - 1, -1, -1):
        least_after[i] = least_after[i + 1] + _least_cells(tokens[i][0], 0)

    def rest_chars(ti: int, pos: int) -> int:
        return len(tokens[ti][0]) - pos + sum(len(t) for t, _ in tokens[ti + 1 :])

    visited = [0]

    def dfs(ci: int, ti: int, pos: int) -> bool:
        visited[0] += 1
        if visited[0] > MAX_ROW_NODES:
            return True
        if ci == width:
            if ti == len(tokens):
                out.append(tuple(cells))
            return len(out) >= cap
        if ti == len(tokens):
            return False
        left = width - ci
        tok, base = tokens[ti]
        if left < _least_cells(tok, pos) + least_after[ti + 1] or left > rest_chars(ti, pos):
            return False
        if pos == 0 and not any(ch.isdigit() for ch in tok):
            cells.append(Cell(None, base, len(tok)))
            stop = dfs(ci + 1, ti + 1, 0)
            cells.pop()
            return stop
        lengths: Iterator[int] = (end - pos for end in _piece_ends(tok, pos))
        want = None
        if ci in totals:
            parts = [cells[i].value for i in totals[ci]]
            want = str(sum(p for p in parts if p is not None))
            lengths = iter((len(want),) if tok.startswith(want, pos) else ())
        if "," in tok:  # a grouped number is one cell, never split
            lengths = iter((len(tok),) if pos == 0 else ())
        for ln in lengths:
            piece = tok[pos : pos + ln]
            bare = piece.replace(",", "")
            if not kinds[ci].fullmatch(bare) or (want is not None and bare != want):
                continue
            value = _number(piece)
            if value is None:
                continue
            nxt = (ti + 1, 0) if pos + ln == len(tok) else (ti, pos + ln)
            cells.append(Cell(value, base + pos, ln))
            stop = dfs(ci + 1, *nxt)
            cells.pop()
            if stop:
                return True
        return False

    capped = dfs(0, 0, 0)
    return out, capped or visited[0] > MAX_ROW_NODES


def blank_may_hide(row: FoundRow) -> bool:
    """Whether the run also reads as fewer cells than the row has, so that a blank cell
    that printed nothing may hide in it: ``270`` (three cells) is also 27, 0 and a blank;
    ``008`` is not (``00`` and ``08`` are not numbers): 0, 0, 8 is its only reading."""
    spec = row.spec
    kinds = {_kind(f.type, f.id) for f in spec.fields}
    tokens = _tokens(row.run.text, signed=any(f.id.endswith(".change") for f in spec.fields))

    @cache
    def cuts(ti: int, pos: int, left: int) -> bool:
        """Whether the run from token ``ti``, character ``pos`` cuts into ``left`` cells."""
        if ti == len(tokens) or left == 0:
            return ti == len(tokens) and left == 0
        tok = tokens[ti][0]
        if pos == 0 and ("," in tok or not any(ch.isdigit() for ch in tok)):
            return cuts(ti + 1, 0, left - 1)  # a placeholder or a grouped number: one cell
        return any(
            any(k.fullmatch(tok[pos:end]) for k in kinds)
            and cuts(*((ti + 1, 0) if end == len(tok) else (ti, end)), left - 1)
            for end in _piece_ends(tok, pos)
        )

    return any(cuts(0, 0, n) for n in range(1, spec.width))


def split_row(row: FoundRow) -> RowSplits:
    """The row's splits that satisfy its own identities, or, if none does, all splits."""
    splits, capped = row_splits(row, consistent=True)
    if splits or not row_groups(row.spec):
        return RowSplits(row, splits, True, capped)
    splits, capped = row_splits(row, consistent=False)
    return RowSplits(row, splits, False, capped)


# ---------------------------------------------------------------- joint decoding


@dataclass
class Solution:
    """The least-cost decodings of one group of rows tied by identities."""

    keys: list[str]
    assignments: list[tuple[int, ...]]
    cost: int
    complete: bool


Identity = tuple[str, list[str], list[str]]


def _contribution(split: Split, spec: RowSpec, left: set[str], right: set[str]) -> float:
    total = 0.0
    for f, cell in zip(spec.fields, split, strict=True):
        v = float(cell.value or 0)
        if f.id in left:
            total += v
        elif f.id in right:
            total -= v
    return total


class _Search:
    """Branch and bound over one split per row, rows taken fewest splits first.

    ``contrib[d][k][s]`` is what split ``s`` of the row at depth ``d`` adds to the
    left-minus-right of identity ``k``; the suffix minima and maxima bound what the
    rows still to choose can add.
    """

    def __init__(self, rows: Sequence[RowSplits], ids: Sequence[Identity]) -> None:
        self.order = sorted(range(len(rows)), key=lambda i: len(rows[i].splits))
        self.sizes = [len(rows[i].splits) for i in self.order]
        fid_row = {f.id: i for i, r in enumerate(rows) for f in r.row.spec.fields}
        live = [(set(lhs), set(rhs)) for _, lhs, rhs in ids if set(lhs + rhs) <= fid_row.keys()]
        depth = {ri: d for d, ri in enumerate(self.order)}
        self.contrib = [
            [
                [_contribution(s, rows[ri].row.spec, lhs, rhs) for s in rows[ri].splits]
                for lhs, rhs in live
            ]
            for ri in self.order
        ]
        self.done_at = [max(depth[fid_row[f]] for f in lhs | rhs) for lhs, rhs in live]
        n, m = len(self.order), len(live)
        self.suf_min = [[0.0] * (n + 1) for _ in range(m)]
        self.suf_max = [[0.0] * (n + 1) for _ in range(m)]
        for k in range(m):
            for d in range(n - 1, -1, -1):
                c = self.contrib[d][k]
                self.suf_min[k][d] = self.suf_min[k][d + 1] + min(c, default=0.0)
                self.suf_max[k][d] = self.suf_max[k][d + 1] + max(c, default=0.0)
        self.partial = [0.0] * m
        self.choice = [0] * n
        self.best = 10**9
        self.found: list[tuple[int, ...]] = []
        self.nodes = 0
        self.complete = True

    def bound(self, d: int) -> int:
        """Identities already violated, or certain to be whatever the rest choose."""
        lb = 0
        for k, part in enumerate(self.partial):
            if self.done_at[k] < d:
                lb += abs(part) > 1e-6
            elif part + self.suf_min[k][d] > 1e-6 or part + self.suf_max[k][d] < -1e-6:
                lb += 1
        return lb

    def run(self, d: int = 0) -> None:
        """Collect every choice of least cost (up to the caps)."""
        self.nodes += 1
        if self.nodes > MAX_SEARCH_NODES:
            self.complete = False
            return
        lb = self.bound(d)
        if lb > self.best:
            return
        if d == len(self.order):
            if lb < self.best:
                self.best, self.found = lb, []
            if len(self.found) >= MAX_SOLUTIONS:
                self.complete = False
                return
            self.found.append(tuple(self.choice))
            return
        for si in range(self.sizes[d]):
            self._add(d, si, 1.0)
            self.choice[d] = si
            self.run(d + 1)
            self._add(d, si, -1.0)
            if self.nodes > MAX_SEARCH_NODES:
                return

    def _add(self, d: int, si: int, sign: float) -> None:
        for k, c in enumerate(self.contrib[d]):
            self.partial[k] += sign * c[si]


def solve(rows: Sequence[RowSplits], ids: Sequence[Identity]) -> Solution:
    """All least-cost choices of one split per row (cost = identities violated).

    Identities that name a field of a row not found are left out.  Branch and
    bound: an identity not yet complete counts as violated when its partial sum
    plus the least and greatest contributions still to come cannot reach zero.
    """
    search = _Search(rows, ids)
    if all(r.splits for r in rows):
        search.run()
    depth = {ri: d for d, ri in enumerate(search.order)}
    by_row = [tuple(a[depth[i]] for i in range(len(rows))) for a in search.found]
    keys = [r.row.spec.key for r in rows]
    found = bool(search.found)
    return Solution(keys, by_row, search.best if found else 0, search.complete and found)


def components(rows: Sequence[RowSplits], ids: Sequence[Identity]) -> list[list[int]]:
    """Groups of rows tied together by identities (each group is solved on its own)."""
    key_of_fid = {f.id: i for i, r in enumerate(rows) for f in r.row.spec.fields}
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, lhs, rhs in ids:
        members = [key_of_fid[f] for f in lhs + rhs if f in key_of_fid]
        if len(members) == len(lhs + rhs):
            for m in members[1:]:
                parent[root(m)] = root(members[0])
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


# ---------------------------------------------------------------- evidence and output


@dataclass
class Decoded:
    """The squashed reading of a document: fields, provenance and warnings (by table).

    ``rows`` are the row keys found in each squashed table, ``run_together`` how
    many of them had cells run together.
    """

    template: Template
    fields: dict[str, Value] = field(default_factory=dict)
    provenance: dict[str, dict[str, object]] = field(default_factory=dict)
    warnings: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    rows: dict[str, list[str]] = field(default_factory=dict)
    run_together: dict[str, int] = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        """How many rows were found, over all tables."""
        return sum(len(keys) for keys in self.rows.values())

    def table_fields(self, table: str) -> list[str]:
        """The field ids of one table that this reading covers (its rows found)."""
        keys = set(self.rows.get(table, ()))
        return [f.id for r in self.template.table_rows(table) if r.key in keys for f in r.fields]


def prose_evidence(text: str) -> int | None:
    """The number of requests received as the prose states it (``共收到政府信息公开申请3条``)."""
    values = {int(m.group(1)) for m in _EVIDENCE.finditer(text)}
    return values.pop() if len(values) == 1 else None


def _apply_evidence(
    sol: Solution, rows: Sequence[RowSplits], evidence: int | None
) -> tuple[Solution, str | None]:
    if evidence is None or len(sol.assignments) < 2 or "requests.new_received" not in sol.keys:
        return sol, None
    i = sol.keys.index("requests.new_received")
    kept = [a for a in sol.assignments if rows[i].splits[a[i]][-1].value == evidence]
    if not kept or len(kept) == len(sol.assignments):
        return sol, None
    note = f"the prose states {evidence} requests received (共收到…申请{evidence}条)"
    return Solution(sol.keys, kept, sol.cost, sol.complete), note


def _readings(values: Sequence[Sequence[Value]]) -> list[list[Value]]:
    seen: list[list[Value]] = []
    for v in values:
        if list(v) not in seen:
            seen.append(list(v))
    return seen


def _emit(
    out: Decoded,
    warnings: list[dict[str, object]],
    rows: Sequence[RowSplits],
    sol: Solution,
    note: str | None,
) -> None:
    for i, rs in enumerate(rows):
        spec, run = rs.row.spec, rs.row.run
        chosen = [rs.splits[a[i]] for a in sol.assignments] if sol.complete else rs.splits
        readings = _readings([[c.value for c in s] for s in chosen])
        rules = [RULE_SQUASHED] + ([] if rs.consistent else [RULE_ALL_SPLITS])
        if not chosen or rs.capped:
            warnings.append(_cap_warning(spec, run, rs.capped))
            chosen = []
        certain = len(readings) == 1 and not blank_may_hide(rs.row)
        for k, f in enumerate(spec.fields):
            values = sorted({s[k].value for s in chosen}, key=lambda v: (v is None, v or 0))
            if len(values) != 1:
                out.fields[f.id] = None
                if values:
                    warnings.append(_ambiguous(f.id, values, run, readings))
                continue
            cell = next(s[k] for s in chosen)
            out.fields[f.id] = cell.value
            prov: dict[str, object] = {
                "reading": "squashed",
                "rules": rules,
                "squashed": {
                    "run": run.text,
                    "offset": cell.offset,
                    "length": cell.length,
                    "certain": certain,
                },
                "value_line": run.line,
                "raw": run.text[cell.offset : cell.offset + cell.length],
            }
            if len(rs.splits) > 1:
                prov["chosen_among"] = len(_readings([[c.value for c in s] for s in rs.splits]))
            if note and len(rs.splits) > 1:
                prov["evidence"] = note
            out.provenance[f.id] = prov
    if note:
        warnings.append({"code": "squashed_evidence", "message": f"decided by evidence: {note}"})


def _ambiguous(
    fid: str, values: list[Value], run: Run, readings: list[list[Value]]
) -> dict[str, object]:
    return {
        "code": "ambiguous_value",
        "field": fid,
        "candidates": values,
        "readings": readings[:MAX_LISTED_READINGS],
        "line": run.line,
        "message": f"{fid}: the run {run.text!r} splits in {len(readings)} ways that the "
        f"identities cannot tell apart ({', '.join(map(str, values))}); left null",
    }


def _cap_warning(spec: RowSpec, run: Run, capped: bool) -> dict[str, object]:
    why = "too many ways to split it" if capped else "no split into its cells"
    return {
        "code": "squashed_search_cap" if capped else "squashed_undecodable",
        "line": run.line,
        "row": spec.key,
        "message": f"row {spec.label!r}: the run {run.text!r} has {why}; left null",
    }


def decode_squashed(lines: Sequence[SourceLine], template: Template) -> Decoded | None:
    """Decode the squashed tables of a document; None when no table looks squashed."""
    stream = to_stream(lines)
    found = {t: rows for t, rows in find_rows(stream, template).items() if is_squashed(rows)}
    if not found:
        return None
    out = Decoded(
        template,
        rows={t: [r.spec.key for r in rows] for t, rows in found.items()},
        run_together={t: sum(map(_run_together, rows)) for t, rows in found.items()},
    )
    ids = identities(template)
    evidence = prose_evidence(stream.text)
    for table, table_rows in found.items():
        warnings = out.warnings.setdefault(table, [])
        rows = [split_row(r) for r in table_rows]
        usable = [r for r in rows if r.splits and not r.capped]
        _emit(
            out, warnings, [r for r in rows if all(r is not u for u in usable)], _NO_SOLUTION, None
        )
        for group in components(usable, ids):
            part = [usable[i] for i in group]
            sol = solve(part, ids)
            if not sol.complete:
                warnings.append(_search_cap_warning(part))
            sol, note = _apply_evidence(sol, part, evidence)
            _emit(out, warnings, part, sol, note)
    return out


_NO_SOLUTION = Solution([], [], 0, False)


def _search_cap_warning(part: Sequence[RowSplits]) -> dict[str, object]:
    return {
        "code": "squashed_search_cap",
        "line": part[0].row.run.line,
        "message": f"the joint decoding of {len(part)} rows stopped at {MAX_SEARCH_NODES} "
        f"nodes or {MAX_SOLUTIONS} decodings; cells it did not decide are null",
    }


def merge_squashed(
    fields: dict[str, Value],
    provenance: dict[str, dict[str, object]],
    warnings: list[dict[str, object]],
    line_rows: Iterable[str],
    decoded: Decoded,
) -> list[str]:
    """Take the decoded table wherever the line reading found fewer of its rows.

    Updates ``fields``, ``provenance`` and ``warnings`` in place (the line reading's
    ``row_not_found`` warnings for rows the decoding found are dropped) and returns
    the tables taken.  ``line_rows`` are the row keys the line reading found.
    """
    template = decoded.template
    by_table: dict[str, int] = {}
    for key in line_rows:
        table = template.row(key).table
        by_table[table] = by_table.get(table, 0) + 1
    taken = [t for t in decoded.rows if _takes(decoded, t, by_table.get(t, 0))]
    found_labels: set[str] = set()
    for table in taken:
        for r in template.table_rows(table):
            for f in r.fields:
                fields[f.id] = None
                provenance.pop(f.id, None)
        for fid in decoded.table_fields(table):
            fields[fid] = decoded.fields.get(fid)
            if fid in decoded.provenance:
                provenance[fid] = decoded.provenance[fid]
        found_labels.update(template.row(k).label for k in decoded.rows[table])
    warnings[:] = [w for w in warnings if not _found_after_all(w, found_labels)]
    for table in taken:
        warnings.extend(decoded.warnings.get(table, ()))
    return taken


def _takes(decoded: Decoded, table: str, line_rows: int) -> bool:
    """More rows than the line reading, or as many and most of them run together.

    The line reading of a run-together row is never right (``3000003`` is one
    number to it), but one row with a blank cell (``规章 0 10``) is no reason to
    overrule it.
    """
    n = len(decoded.rows[table])
    return n > line_rows or (n == line_rows and 2 * decoded.run_together[table] > n)


def _found_after_all(warning: Mapping[str, object], labels: set[str]) -> bool:
    """A line reading's ``row_not_found`` for a row the decoding found."""
    if warning.get("code") != "row_not_found":
        return False
    message = str(warning.get("message"))
    return any(repr(label) in message for label in labels)
