"""Placeholder trials: every listed blank marker, in every position of a tab row, both templates.

A marker is a blank: its field is null and every other value stays in its own field (no
shift to the left).  The full matrix runs on real tab layouts with the line labels the
model gave the unchanged report (the rebuild alone); a sample runs end to end with the
model.  Unknown markers keep their position too, null with their raw text and a warning.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import giextract
from giextract.catalogue import load_template
from giextract.classify import LineModel
from giextract.fields import fields_and_provenance, row_warnings
from giextract.lines import Line, to_lines
from giextract.normalize import normalize_text
from giextract.read import read_text
from giextract.tables import rebuild
from giextract.values import is_placeholder, listed_markers, parse_value

GOLDEN = Path(__file__).parent / "golden" / "tables"
REPORTS = {"2019": "tab-rows-label-split-over-page", "2021": "arithmetic-error-kept"}
ROW_STARTS = {
    "active.rules": "规章\t",
    "requests.new_received": "一、本年新收政府信息公开申请数量\t",
}
MARKERS = (*listed_markers(), "———", "--", "___")
UNKNOWN = ("?", "N.D.", "#", "x/x", "不详", "见附件")
# Known limit: an unknown marker in CJK (不详) as the first cell of a line without a label,
# or after the label's padding, cannot be told from a piece of label; it is not tried there.
CJK_UNKNOWN = frozenset({"不详", "见附件"})


def _source(tid: str) -> tuple[list[str], dict[str, object]]:
    folder = GOLDEN / REPORTS[tid]
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    return (folder / "input.txt").read_text("utf-8").split("\n"), expected["fields"]


def _row_line(src: list[str], key: str) -> int:
    if key == "appeals":
        return next(i for i, s in enumerate(src) if s.count("\t") >= 14 and s[:1].isdigit())
    return next(i for i, s in enumerate(src) if s.startswith(ROW_STARTS[key]))


def _positions(line: str) -> list[int]:
    """Indices (in the tab split) of the row's value cells."""
    cells = line.split("\t")
    return [i for i, c in enumerate(cells) if c.strip() and parse_value(c).value is not None]


def _with_marker(line: str, pos: int, marker: str) -> str:
    cells = line.split("\t")
    cells[pos] = marker
    return "\t".join(cells)


def _expected(
    tid: str, key: str, fields: dict[str, object], line: str, pos: int
) -> dict[str, object]:
    row = load_template(tid).row(key)
    k = _positions(line).index(pos)
    return {**fields, row.field_ids[k]: None}


@pytest.fixture(scope="module")
def labelled(model: LineModel) -> dict[str, tuple[list[str], list[Line], list[str]]]:
    out = {}
    for tid in REPORTS:
        src, _ = _source(tid)
        lines = to_lines(read_text("\n".join(src)))
        labels, _ = model.predict(lines)
        out[tid] = (src, lines, list(labels))
    return out


def _trial_fields(
    tid: str, lines: list[Line], labels: list[str], number: int, text: str
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """Rebuild with one source line's cells replaced (its label kept)."""
    changed = to_lines(read_text(text))[0]
    i = next(j for j, ln in enumerate(lines) if ln.number == number)
    swapped = [*lines[:i], dataclasses.replace(lines[i], cells=changed.cells), *lines[i + 1 :]]
    rebuilt = rebuild(swapped, labels, load_template(tid))
    fields, _ = fields_and_provenance(rebuilt, tid)
    return dict(fields), row_warnings(rebuilt, tid)


@pytest.mark.parametrize("tid", sorted(REPORTS))
@pytest.mark.parametrize("key", ["active.rules", "requests.new_received", "appeals"])
def test_every_marker_in_every_position_keeps_the_columns(
    labelled: dict[str, tuple[list[str], list[Line], list[str]]], tid: str, key: str
) -> None:
    src, lines, labels = labelled[tid]
    _, fields = _source(tid)
    at = _row_line(src, key)
    trials = 0
    for pos in _positions(src[at]):
        for marker in MARKERS:
            assert is_placeholder(normalize_text(marker).replace(" ", "")), marker
            text = _with_marker(src[at], pos, marker)
            got, _ = _trial_fields(tid, lines, labels, at + 1, text)
            assert got == _expected(tid, key, fields, src[at], pos), (marker, pos)
            trials += 1
    assert trials == len(_positions(src[at])) * len(MARKERS) >= 3 * len(MARKERS)


@pytest.mark.parametrize("tid", sorted(REPORTS))
@pytest.mark.parametrize("key", ["active.rules", "requests.new_received", "appeals"])
def test_unknown_markers_keep_their_position_null_with_a_warning(
    labelled: dict[str, tuple[list[str], list[Line], list[str]]], tid: str, key: str
) -> None:
    src, lines, labels = labelled[tid]
    _, fields = _source(tid)
    at = _row_line(src, key)
    positions = _positions(src[at])
    cells = src[at].split("\t")
    for pos in positions:
        for marker in UNKNOWN:
            if marker in CJK_UNKNOWN and (pos == 0 or not cells[pos - 1].strip()):
                continue
            got, warnings = _trial_fields(
                tid, lines, labels, at + 1, _with_marker(src[at], pos, marker)
            )
            expected = _expected(tid, key, fields, src[at], pos)
            assert got == expected, (marker, pos)
            blank = next(f for f in expected if expected[f] is None and fields[f] is not None)
            assert any(w["code"] == "unparsed_value" and w.get("field") == blank for w in warnings)


@pytest.mark.parametrize("tid", sorted(REPORTS))
def test_markers_end_to_end_with_the_model(tid: str, model: LineModel) -> None:
    src, fields = _source(tid)
    wrong = []
    for n, marker in enumerate(MARKERS):
        for key in ("active.rules", "requests.new_received", "appeals"):
            at = _row_line(src, key)
            positions = _positions(src[at])
            pos = positions[n % len(positions)]
            text = "\n".join([*src[:at], _with_marker(src[at], pos, marker), *src[at + 1 :]])
            report = giextract.extract(text, model=model)
            expected = _expected(tid, key, fields, src[at], pos)
            if report.fields != expected:
                wrong.append((marker, key, pos))
    assert wrong == []
