"""One definition of a table cell's value: numbers, units and blank placeholders.

Every stage that asks "is this cell a number?" or "is this a blank?" asks here:
lines (splitting ``规章 0 0 0``), grid (columns of aligned numbers), features (the
line features) and the table rebuild (parsing a value).  Blank markers are data
(``giextract/data/placeholders.yaml``), in tiers, so the line features can keep
the subset the shipped model was trained with.

A number longer than a limit of digits (:data:`MAX_DIGITS`), or a decimal with more
digits than a JSON number (a double) carries exactly, is not parsed: it is a value
error on its field (null with a warning), never a crash, an overflow, an infinity
or a rounded number in the JSON.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .catalogue import data_yaml
from .normalize import normalize_text

MAX_DIGITS = 24
"""Default limit of digits (integer and decimal part) of a number cell."""

UNITS = ("万元", "亿元", "元", "件", "个", "条", "项", "次", "人次", "宗")
"""Units printed after a number (``3件``, ``12.5万元``); ``%`` is accepted after a value too."""

_UNIT_ALT = "|".join(UNITS)
_NUMBER_BODY = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_VALUE = re.compile(rf"^{_NUMBER_BODY}\s*(?:{_UNIT_ALT}|%)?$")
_UNIT_ONLY = re.compile(rf"^(?:{_UNIT_ALT})$")
_UNIT_SUFFIX = re.compile(rf"({_UNIT_ALT}|%)$")
_NUMBER_PARTS = re.compile(r"^([-+]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
_NUMERIC_SHAPE = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?$")
_DIGITS_APART = re.compile(r"\d\s+\d")
_SPACE_GROUPED = re.compile(r"^[-+]?\d{1,3}(?: \d{3})+(?:\.\d+)?(?!\d)")


class PlaceholderTier(enum.Enum):
    """The tiers of ``placeholders.yaml``: which stages know a marker."""

    CORE = "core"
    CLASSIC = "classic"
    EXTRA = "extra"


@dataclass(frozen=True)
class _Markers:
    runs: frozenset[str]
    tiers: dict[PlaceholderTier, frozenset[str]]
    listed: tuple[str, ...]


@lru_cache(maxsize=1)
def _markers() -> _Markers:
    raw = data_yaml("placeholders.yaml")
    listed = tuple(str(m) for t in PlaceholderTier for m in raw["tiers"].get(t.value, ()))
    tiers = {
        t: frozenset(str(m).casefold() for m in raw["tiers"].get(t.value, ()))
        for t in PlaceholderTier
    }
    return _Markers(frozenset(raw["runs"]), tiers, listed)


def listed_markers() -> tuple[str, ...]:
    """Every blank marker as ``placeholders.yaml`` lists it, tier by tier (for tests, docs)."""
    return _markers().listed


def placeholders(*tiers: PlaceholderTier) -> frozenset[str]:
    """The blank markers of the given tiers (all tiers when none is given), casefolded."""
    chosen = tiers or tuple(PlaceholderTier)
    return frozenset().union(*(_markers().tiers[t] for t in chosen))


_FEATURE_CORE = (PlaceholderTier.CORE,)
_FEATURE_VALUES = (PlaceholderTier.CORE, PlaceholderTier.CLASSIC)
_ALL = tuple(PlaceholderTier)


@lru_cache(maxsize=65536)
def _is_marker(cell: str, tiers: tuple[PlaceholderTier, ...]) -> bool:
    if not cell:
        return False
    markers = _markers()
    if len(set(cell)) == 1 and cell[0] in markers.runs:
        return True
    folded = cell.casefold()
    return any(folded in markers.tiers[t] for t in tiers)


def is_placeholder(cell: str, tiers: tuple[PlaceholderTier, ...] = _ALL) -> bool:
    """Whether a normalised cell is a blank marker (``/``, ``—``, ``无``, ``N/A``, ``暂无``, …).

    Args:
        cell: the normalised cell text.
        tiers: the tiers of markers to accept (default: all of them).
    """
    return _is_marker(cell, tiers)


def is_feature_placeholder(cell: str) -> bool:
    """The blank markers the line features call a placeholder (tier ``core``)."""
    return _is_marker(cell, _FEATURE_CORE)


def is_number(cell: str) -> bool:
    """Whether a normalised cell is a number, maybe with thousands separators and a unit."""
    return bool(_VALUE.match(cell))


@lru_cache(maxsize=65536)
def is_value(cell: str) -> bool:
    """Whether a normalised cell is a value: a number (maybe with a unit) or any blank marker."""
    return bool(_VALUE.match(cell)) or _is_marker(cell, _ALL)


def is_feature_value(cell: str) -> bool:
    """A value as the line features count it: a number or a ``core``/``classic`` marker."""
    return bool(_VALUE.match(cell)) or _is_marker(cell, _FEATURE_VALUES)


def is_unit(token: str) -> bool:
    """Whether a token is a unit alone (``件`` printed apart from its number)."""
    return bool(_UNIT_ONLY.match(token))


def looks_numeric(token: str) -> bool:
    """The loose shape of a number (digits and commas) used to find columns of values."""
    return bool(_NUMERIC_SHAPE.match(token))


class ValueIssue(enum.Enum):
    """Why a cell's text gave no value although it is not a blank."""

    NOT_A_NUMBER = "not_a_number"
    TOO_MANY_DIGITS = "too_many_digits"


@dataclass(frozen=True)
class ParsedValue:
    """A cell's value: the number (or None for a blank), the raw text and any unit.

    ``ok`` is False when the text is neither a number nor a blank marker, or is a number
    too long to trust (``issue`` says which).
    """

    value: int | float | None
    raw: str
    unit: str | None = None
    ok: bool = True
    issue: ValueIssue | None = None


@lru_cache(maxsize=65536)
def parse_value(raw: str, max_digits: int = MAX_DIGITS) -> ParsedValue:
    """Parse a value cell: integers, decimals, thousands separators, units; blanks to None.

    >>> parse_value("1,234件").value
    1234
    >>> parse_value("N/A").value is None and parse_value("N/A").ok
    True
    >>> parse_value("9" * 400).issue
    <ValueIssue.TOO_MANY_DIGITS: 'too_many_digits'>
    >>> parse_value("875646205.645162268").issue
    <ValueIssue.TOO_MANY_DIGITS: 'too_many_digits'>
    """
    text = normalize_text(raw)
    if _DIGITS_APART.search(text) and not _SPACE_GROUPED.match(text):
        return ParsedValue(None, raw, ok=False, issue=ValueIssue.NOT_A_NUMBER)
    text = text.replace(" ", "")
    if not text or is_placeholder(text):
        return ParsedValue(None, raw)
    unit = None
    m_unit = _UNIT_SUFFIX.search(text)
    if m_unit:
        unit = m_unit.group(1)
        text = text[: m_unit.start()]
    m = _NUMBER_PARTS.match(text)
    if not m:
        return ParsedValue(None, raw, unit, ok=False, issue=ValueIssue.NOT_A_NUMBER)
    sign, digits, frac = m.groups()
    digits = digits.replace(",", "")
    if len(digits) + len(frac or "") - (1 if frac else 0) > max_digits:
        return ParsedValue(None, raw, unit, ok=False, issue=ValueIssue.TOO_MANY_DIGITS)
    if frac:
        number = float(f"{sign}{digits}{frac}")
        if not _float_is_exact(number, f"{sign}{digits}{frac}"):
            return ParsedValue(None, raw, unit, ok=False, issue=ValueIssue.TOO_MANY_DIGITS)
        return ParsedValue(number, raw, unit)
    return ParsedValue(int(f"{sign}{digits}"), raw, unit)


def _float_is_exact(number: float, printed: str) -> bool:
    """Whether the float carries the printed decimal digit for digit (its shortest
    repr is the same decimal): ``875646205.645162268`` is not, it would come out as
    ``875646205.6451622``, a number the report never printed."""
    return Decimal(repr(number)) == Decimal(printed)
