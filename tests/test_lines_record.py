"""The Line record of giextract/lines.py: value semantics and the texts derived once.

``Line`` is a slotted record (it was a frozen dataclass); these cases pin down what its
users rely on: comparison and hashing by value, the dataclass-like repr, and ``text``
and ``compact`` computed from the cells.
"""

from __future__ import annotations

import dataclasses
import pickle
import re

import pytest

from giextract.lines import Line, Separator, compact
from giextract.source import SourceLine

# (text, without whitespace): compact is re.sub(r"\s+", "", text), the one definition.
COMPACT = [
    ("", ""),
    ("   ", ""),
    ("第 3 页 共 4 页", "第3页共4页"),
    ("12/7/26, 11:35 AM", "12/7/26,11:35AM"),
    ("\u3000规章\u00a0 0\t0", "规章00"),
    ("a\x1cb\x1fc\u2028d", "abcd"),  # the separators str.split and \s both know
    ("file:///tmp/page.html 1/3", "file:///tmp/page.html1/3"),
]


@pytest.mark.parametrize(("text", "expected"), COMPACT, ids=[t for t, _ in COMPACT])
def test_compact(text: str, expected: str) -> None:
    assert compact(text) == expected == re.sub(r"\s+", "", text)


# (cells, text, compact)
DERIVED = [
    ((), "", ""),
    (("",), "", ""),
    (("规章", "0", "1"), "规章 0 1", "规章01"),
    (("", "规章", "", "0"), "规章 0", "规章0"),
    (("Page 3 of 4",), "Page 3 of 4", "Page3of4"),
]


@pytest.mark.parametrize(("cells", "text", "squeezed"), DERIVED, ids=[c[1] for c in DERIVED])
def test_text_and_compact_from_cells(cells: tuple[str, ...], text: str, squeezed: str) -> None:
    line = Line(0, (1,), None, "\t".join(cells), cells, 0, Separator.TAB)
    assert (line.text, line.compact) == (text, squeezed)
    given = Line(0, (1,), None, "\t".join(cells), cells, 0, Separator.TAB, None, (text, squeezed))
    assert given == line and (given.text, given.compact) == (text, squeezed)


def _line(**changes: object) -> Line:
    fields: dict[str, object] = {
        "index": 3,
        "numbers": (4, 5),
        "page": 2,
        "raw": "规章\t0",
        "cells": ("规章", "0"),
        "indent": 0,
        "sep": Separator.GRID,
        "table": 1,
    }
    fields.update(changes)
    return Line(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "change",
    [
        {"index": 4},
        {"numbers": (4,)},
        {"page": None},
        {"raw": "规章 0"},
        {"cells": ("规章", "1")},
        {"indent": 1},
        {"sep": Separator.TAB},
        {"table": None},
    ],
    ids=lambda c: next(iter(c)),
)
def test_equal_by_every_field(change: dict[str, object]) -> None:
    assert _line() == _line() and hash(_line()) == hash(_line())
    assert _line(**change) != _line()


def test_a_dataclass_not_equal_to_a_tuple_of_its_fields() -> None:
    line = _line()
    its_fields: object = (3, (4, 5), 2, "规章\t0", ("规章", "0"), 0, Separator.GRID, 1)
    assert line != its_fields
    assert repr(line) == (
        "Line(index=3, numbers=(4, 5), page=2, raw='规章\\t0', cells=('规章', '0'), "
        "indent=0, sep=<Separator.GRID: 'grid'>, table=1)"
    )
    assert (line.number, line.is_blank, line.content_cells) == (4, False, ["规章", "0"])


def test_replace_makes_the_texts_again() -> None:
    line = dataclasses.replace(_line(), cells=("其他", "1"))
    assert (line.text, line.compact, line.index) == ("其他 1", "其他1", 3)


# SourceLine (giextract/source.py) is a slotted record too (it was a frozen dataclass).
@pytest.mark.parametrize(
    "change",
    [{"number": 2}, {"text": "规章 1"}, {"page": 3}, {"table": 0}, {"row": 1}],
    ids=lambda c: next(iter(c)),
)
def test_source_line_equal_by_every_field(change: dict[str, object]) -> None:
    given: dict[str, object] = {"number": 1, "text": "规章 0", "page": 2, "table": None}
    line = SourceLine(**given)  # type: ignore[arg-type]
    assert line == SourceLine(1, "规章 0", 2, None, None)
    assert hash(line) == hash(SourceLine(1, "规章 0", 2))
    assert dataclasses.replace(line, **change) != line  # type: ignore[arg-type]


def test_source_line_repr_and_pickle() -> None:
    line = SourceLine(4, "规章\t0", None, 1, 2)
    assert repr(line) == "SourceLine(number=4, text='规章\\t0', page=None, table=1, row=2)"
    assert pickle.loads(pickle.dumps(line)) == line
    assert dataclasses.astuple(line) == (4, "规章\t0", None, 1, 2)
