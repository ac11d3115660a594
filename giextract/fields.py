"""Mapping labels onto canonical fields; template, agency, year and value parsing.

Row labels are matched with rapidfuzz against the template's own wording and the
curated variants of ``label_variants.yaml``, numbering kept apart from the words
so that ``属于国家秘密``, ``1、属国家秘密`` and ``1.属于国家秘密`` all land on
``requests.denied.state_secret``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from .catalogue import RowSpec, Template, load_template, load_variants
from .lines import Line, is_placeholder
from .normalize import label_key, normalize_text, split_numbering

MATCH_THRESHOLD = 72.0

_NUMBER = re.compile(r"^([-+]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
_UNIT = re.compile(r"(万元|亿元|元|件|个|条|项|次|人次|宗|%)$")

_MARKERS = {
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "采购项目数量",
        "采购总金额",
        "本年新制作",
        "对外公开总",
    ),
    "2021": (
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "申请人无正当理由逾期不补正",
        "申请人逾期未按收费通知要求缴纳费用",
        "行政规范性文件",
    ),
}
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
_REPORT_WORDS = re.compile(
    r"政府信息公开(?:工作)?(?:的)?年度?报告|政务公开.{0,6}年度报告|信息公开年报"
)


@dataclass(frozen=True)
class ParsedValue:
    """A cell's value: the number (or None for a blank), the raw text and any unit."""

    value: int | float | None
    raw: str
    unit: str | None = None
    ok: bool = True


@lru_cache(maxsize=65536)
def parse_value(raw: str) -> ParsedValue:
    """Parse a value cell: integers, decimals, thousands separators, units; blanks to None.

    ``ok`` is False when the text is neither a number nor a blank placeholder.
    """
    text = normalize_text(raw).replace(" ", "")
    if not text or is_placeholder(text):
        return ParsedValue(None, raw)
    unit = None
    m_unit = _UNIT.search(text)
    if m_unit:
        unit = m_unit.group(1)
        text = text[: m_unit.start()]
    m = _NUMBER.match(text)
    if not m:
        return ParsedValue(None, raw, unit, ok=False)
    sign, digits, frac = m.groups()
    digits = digits.replace(",", "")
    if frac:
        return ParsedValue(float(f"{sign}{digits}{frac}"), raw, unit)
    return ParsedValue(int(f"{sign}{digits}"), raw, unit)


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
def _label_score(piece: str, key: str) -> float:
    num_a, words_a = split_numbering(piece)
    num_b, words_b = split_numbering(key)
    if not words_a:
        return 0.0
    score = fuzz.ratio(words_a, words_b)
    if len(words_a) >= 4 and len(words_a) < len(words_b):
        # A label cut short by a wrap or a page break: 补正后申请内容仍不 / 明确.
        score = max(score, fuzz.ratio(words_a, words_b[: len(words_a)]) - 8)
    same_numbering = not num_a or not num_b or num_a == num_b
    if same_numbering and len(words_a) > len(words_b) >= 2 and words_a.startswith(words_b):
        score = max(score, 90.0)  # 一、本年新收政府信息公开申请数量(件)
    if num_a and num_b and num_a != num_b:
        score -= 15
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


def _best_row(
    joined: str,
    used: int,
    rows: tuple[tuple[RowSpec, tuple[str, ...]], ...],
    expected: Sequence[str],
    best: RowMatch | None,
) -> RowMatch | None:
    for row, keys in rows:
        score = max(_label_score(joined, k) for k in keys)
        if row.key in expected[:1]:
            score += 6
        elif row.key in expected[:4]:
            score += 3
        score -= 2 * (used - 1)
        if best is None or score > best.score:
            best = RowMatch(row, score, used)
    return best


def table_of_title(text: str) -> str | None:
    """Which table a title names (active, requests, appeals), if any."""
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
    return best if best_score >= 85 else None


def detect_template(lines: Iterable[Line], year: int | None) -> tuple[str | None, dict[str, int]]:
    """Tell the template from the content; the year decides only a tie."""
    hits = {"2019": 0, "2021": 0}
    for line in lines:
        for cell in line.cells:
            if not cell:
                continue
            key = label_key(cell)
            for tid, markers in _MARKERS.items():
                if any(m in key for m in markers):
                    hits[tid] += 1
    if hits["2019"] > hits["2021"]:
        return "2019", hits
    if hits["2021"] > hits["2019"]:
        return "2021", hits
    if year is not None:
        return ("2021" if year >= 2021 else "2019"), hits
    return None, hits


_AGENCY_TAIL = re.compile(r"[（(].*?[)）]$")
_YEAR_FIRST = re.compile(r"^((?:19|20)\d{2})年度?(.+?)(?:关于)?政府信息公开")
_AGENCY_FIRST = re.compile(r"^(.+?)(?:关于)?((?:19|20)\d{2})年度?(?:的)?政府信息公开")
_DATE_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def _clean_agency(name: str) -> str:
    name = normalize_text(name).strip(" 　:：,，*#`>")
    name = re.sub(r"\s+", "", name)
    return name


def title_info(lines: Sequence[Line]) -> tuple[str | None, int | None, int | None]:
    """The agency and year from the title (or the signature), and the title's line index."""
    for i, line in enumerate(lines[:80]):
        text = "".join(line.cells)
        if not _REPORT_WORDS.search(text) or len(text) > 80:
            continue
        compact = re.sub(r"[\s*#`>]+", "", text)
        m = _YEAR_FIRST.match(compact)
        if m:
            return _clean_agency(m.group(2)) or _agency_above(lines, i), int(m.group(1)), i
        m = _AGENCY_FIRST.match(compact)
        if m:
            agency = _clean_agency(m.group(1))
            if agency in ("", "本机关", "我局"):
                agency = _agency_above(lines, i) or agency
            return agency or None, int(m.group(2)), i
        ym = _TITLE_YEAR.search(compact)
        if ym:
            return _agency_above(lines, i) or _signature_agency(lines), int(ym.group(1)), i
    return _signature_agency(lines), None, None


def _agency_above(lines: Sequence[Line], i: int) -> str | None:
    for j in range(i - 1, max(-1, i - 4), -1):
        text = "".join(lines[j].cells)
        if text and 2 <= len(text) <= 40 and re.search(r"[局委办院府会处厅部室所中心站队]$", text):
            return _clean_agency(text)
    return None


def _signature_agency(lines: Sequence[Line]) -> str | None:
    for i in range(len(lines) - 1, max(-1, len(lines) - 15), -1):
        if _DATE_LINE.match("".join(lines[i].cells)):
            for j in range(i - 1, max(-1, i - 4), -1):
                text = "".join(lines[j].cells)
                if text:
                    return _clean_agency(text) if len(text) <= 40 else None
    return None
