"""Matching label text onto the template: rows by their labels, tables by their titles.

Row labels are matched with rapidfuzz against the template's own wording and the
curated variants of ``label_variants.yaml``, numbering kept apart from the words
so that ``属于国家秘密``, ``1、属国家秘密`` and ``1.属于国家秘密`` all land on
``requests.denied.state_secret``.  This stage sits below the table rebuild, which
asks it where each label belongs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from .catalogue import RowSpec, Template, load_template, load_variants
from .normalize import CUT_MARK, label_key, split_numbering

MATCH_THRESHOLD = 72.0
"""The least score (0–100) of a label matched onto a row."""
TITLE_THRESHOLD = 85.0
"""The least score of a line matched onto a table's title."""
EXPECTED_NEXT_BONUS = 6.0
"""Bonus of the row expected next (the one after the last row read)."""
EXPECTED_SOON_BONUS = 3.0
"""Bonus of the three rows after that."""
PIECE_PENALTY = 2.0
"""Penalty per extra label piece joined into a match."""
CUT_SHORT_PENALTY = 8.0
"""Penalty of a label cut short by a wrap, matched on the catalogue label's start."""
NUMBERING_MISMATCH_PENALTY = 15.0
"""Penalty when the label's numbering differs from the row's."""
PREFIX_SCORE = 90.0
"""Score of a label that is a row's words followed by more (一、…数量(件))."""
CUT_LABEL_SCORE = 80.0
"""Score of a label cut by a converter (``CUT_MARK``) that fits the row expected next."""


@lru_cache(maxsize=8)
def _row_keys(tid: str) -> tuple[tuple[RowSpec, tuple[str, ...]], ...]:
    template = load_template(tid)
    variants = load_variants().row_labels
    out = []
    for row in template.rows:
        if row.table == "appeals":
            continue
        key = label_key(row.label)
        out.append((row, (key, *variants.get(key, ()))))
    return tuple(out)


@lru_cache(maxsize=262144)
def _label_score(piece: str, key: str, longer: bool = True) -> float:
    """The score of a label piece on a row's key; ``longer=False`` for a label cut by a
    converter, which cannot be the row's words followed by more (其他对�管理务项 is no
    其他 + 对外管理…)."""
    num_a, words_a = split_numbering(piece)
    num_b, words_b = split_numbering(key)
    if not words_a:
        return 0.0
    score = fuzz.ratio(words_a, words_b)
    if len(words_a) >= 4 and len(words_a) < len(words_b):
        # A label cut short by a wrap or a page break: 补正后申请内容仍不 / 明确.
        score = max(score, fuzz.ratio(words_a, words_b[: len(words_a)]) - CUT_SHORT_PENALTY)
    same_numbering = not num_a or not num_b or num_a == num_b
    longer = longer and len(words_a) > len(words_b) >= 2 and words_a.startswith(words_b)
    if same_numbering and longer:
        score = max(score, PREFIX_SCORE)  # 一、本年新收政府信息公开申请数量(件)
    if num_a and num_b and num_a != num_b:
        score -= NUMBERING_MISMATCH_PENALTY
    return float(score)


@dataclass(frozen=True)
class RowMatch:
    """A label matched to a template row: the row, the score and how many pieces it used."""

    row: RowSpec
    score: float
    used: int


def match_row(
    pieces: Sequence[str], template: Template, expected: Sequence[str] = ()
) -> RowMatch | None:
    """Match the last one to three label pieces onto a row of the template (cached).

    Args:
        pieces: label keys, oldest first (e.g. a group label then a row label).
        template: the report's template.
        expected: keys of the rows expected next, most likely first (a small bonus).
    """
    return _match_row(tuple(pieces[-3:]), template.id, tuple(expected[:4]))


@lru_cache(maxsize=65536)
def _match_row(pieces: tuple[str, ...], tid: str, expected: tuple[str, ...]) -> RowMatch | None:
    best: RowMatch | None = None
    rows = _row_keys(tid)
    for used in range(1, min(3, len(pieces)) + 1):
        for joined in label_tails("".join(pieces[-used:])):
            best = _best_row(joined, used, rows, expected, best)
    if best is None or best.score < MATCH_THRESHOLD:
        return None
    return best


_INNER_NUMBERING = re.compile(
    r"(?<=.)(?=\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．](?!\d))"
)


def label_tails(key: str) -> list[str]:
    """The key, and its tails from each numbering inside it: a group label and a row
    label in one cell (``三、本年度办理结果(一)予以公开``) match as the row label."""
    return [key] + [label_key(key[m.start() :]) for m in _INNER_NUMBERING.finditer(key)]


def score_on_row(key: str, row: RowSpec, template: Template) -> float:
    """The score of a label key on one given row (its label and variants; the key or a
    tail from a numbering inside it, :func:`label_tails`), with no bonus for order."""
    for spec, keys in _row_keys(template.id):
        if spec.key == row.key:
            return max(_label_score(tail, k) for tail in label_tails(key) for k in keys)
    return 0.0


def cut_label_score(piece: str, key: str) -> float:
    """The score of a label cut by a converter on a row whose label it may be.

    Debian html2text cuts a label at its cell's edge (``行政\ufffd``), and what ran on
    past the cut may follow the mark (``行政\ufffd业`` for 行政事业性收费).  What
    survives is the start of the row's words and, in order, pieces of the rest; one
    start may begin several rows (行政许可, 行政处罚, 行政强制…), so only the row
    expected next is offered this score (:func:`_best_row`): the template's order
    decides.  ``0`` unless ``piece`` holds :data:`~giextract.normalize.CUT_MARK` and
    fits ``key`` so.
    """
    if CUT_MARK not in piece:
        return 0.0
    num_a, words_a = split_numbering(piece)
    num_b, words_b = split_numbering(key)
    start, *rest = words_a.split(CUT_MARK)
    if not start or (num_a and num_b and num_a != num_b) or not words_b.startswith(start):
        return 0.0
    at = len(start)
    for part in rest:
        found = words_b.find(part, at)
        if found < 0:
            return 0.0
        at = found + len(part)
    return CUT_LABEL_SCORE if words_a.replace(CUT_MARK, "") != words_b else 0.0


def _best_row(
    joined: str,
    used: int,
    rows: tuple[tuple[RowSpec, tuple[str, ...]], ...],
    expected: Sequence[str],
    best: RowMatch | None,
) -> RowMatch | None:
    cut = CUT_MARK in joined
    plain = joined.replace(CUT_MARK, "")
    for row, keys in rows:
        score = max(_label_score(plain, k, not cut) for k in keys)
        if cut and row.key in expected[:1]:
            score = max(score, *(cut_label_score(joined, k) for k in keys))
        if row.key in expected[:1]:
            score += EXPECTED_NEXT_BONUS
        elif row.key in expected[:4]:
            score += EXPECTED_SOON_BONUS
        score -= PIECE_PENALTY * (used - 1)
        if best is None or score > best.score:
            best = RowMatch(row, score, used)
    return best


TITLE_SLACK = 8
"""Characters a table's title line may hold beyond its longest title (numbering apart):
统计表, （单位：件）."""


@lru_cache(maxsize=8192)
def table_of_title(text: str) -> str | None:
    """Which table a title names (active, requests, appeals), if any (cached: the
    zones of the template-order reading ask it of every short line without digits).

    A line that holds a table's title and much more is prose naming the table
    (:func:`names_a_table_in_prose`), not its title."""
    key = label_key(text)
    _, words = split_numbering(key)
    if not words or len(words) > 40:
        return None
    best, best_score = None, 0.0
    for table, titles in load_variants().table_titles.items():
        for t in titles:
            s = fuzz.partial_ratio(t, words) if len(words) >= len(t) else fuzz.ratio(t, words)
            if s > best_score:
                best, best_score = table, s
    if best is None or best_score < TITLE_THRESHOLD or names_a_table_in_prose(words, best):
        return None
    return best


def names_a_table_in_prose(words: str, table: str) -> bool:
    """Whether a line that names a table is a sentence about it: longer than the table's
    longest title by more than :data:`TITLE_SLACK` characters.  The report's outline,
    wrapped (render p031, ``pdftotext -raw``), before the real title::

        全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信
        ...
        二、主动公开政府信息情况

    Taken for the title, it opened the table's zone early and the template-order reading
    poured the outline's dates (2023 年 1 月 1 日) into the table's first rows."""
    longest = max(len(t) for t in load_variants().table_titles[table])
    return len(words) > longest + TITLE_SLACK
