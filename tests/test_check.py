"""``giextract check`` / :func:`giextract.check` on other parsers' records, and the fallback
merge: a shifted column, a broken total, an unknown id, a blank turned into 0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from typer.testing import CliRunner

import giextract
from giextract.catalogue import APPLICANT_COLUMNS, load_template
from giextract.check import find_shifts
from giextract.cli import app

GOLDEN = REPO / "tests" / "golden" / "tables"
CLEAN = GOLDEN / "cell-lone-tabs-browser-copy" / "input.txt"  # passes every identity
BLANKS = GOLDEN / "traditional-and-variants" / "input.txt"  # has blank cells
ROW = "requests.new_received"
COLS = (*APPLICANT_COLUMNS, "total")


def _fields(path: Path) -> dict[str, Any]:
    report = giextract.extract_path(path)
    assert report.error is None
    return dict(report.fields)


def _row(fields: dict[str, Any], key: str = ROW) -> list[Any]:
    return [fields[f"{key}.{c}"] for c in COLS]


def _set_row(fields: dict[str, Any], values: list[Any], key: str = ROW) -> dict[str, Any]:
    return {**fields, **{f"{key}.{c}": v for c, v in zip(COLS, values, strict=True)}}


def test_a_correct_record_passes() -> None:
    fields = _fields(CLEAN)
    result = giextract.check({"template": "2021", "fields": fields}, source=CLEAN)
    assert result.status == "ok"
    assert (result.failed, result.unknown_ids, result.shifts, result.disagreements) == (
        [],
        [],
        [],
        [],
    )


def test_finds_a_shifted_column() -> None:
    fields = _fields(CLEAN)
    key = "requests.partly_granted"
    row = _row(fields, key)
    assert row == [0, 0, 0, 0, 2, 0, 2]
    # A rule parser skipped the first cell (a placeholder it did not know): the rest moved.
    shifted = _set_row(fields, [*row[1:], None], key)
    result = giextract.check(shifted)  # flat record, template told from the ids
    assert result.status == "review"
    assert f"{key}.row_sum" in [c.id for c in result.failed]
    assert [s.code for s in result.shifts] == ["column_shift"]
    assert result.shifts[0].fields[0] == f"{key}.natural_person"
    with_source = giextract.check(shifted, source=CLEAN)
    codes = {d.code for d in with_source.disagreements}
    assert "column_shift" in codes and "different_value" in codes


def test_finds_a_value_that_breaks_a_total() -> None:
    fields = _fields(CLEAN)
    fields[f"{ROW}.commercial"] = (fields[f"{ROW}.commercial"] or 0) + 5
    result = giextract.check({"fields": fields})
    assert result.status == "review"
    failed = {c.id for c in result.failed}
    assert {f"{ROW}.row_sum", "requests.balance.commercial"} <= failed  # row and column


def test_finds_an_unknown_field_id() -> None:
    fields = _fields(CLEAN)
    fields["requests.granted.natural_persons"] = 1  # a typo
    result = giextract.check(fields)
    assert result.unknown_ids == ["requests.granted.natural_persons"]
    assert result.status == "review"


def test_with_source_finds_a_blank_turned_into_zero() -> None:
    fields = _fields(BLANKS)
    blank = next(f for f, v in fields.items() if v is None)
    fields[blank] = 0
    result = giextract.check({"template": "2019", "fields": fields}, source=BLANKS)
    assert [(d.code, d.fields) for d in result.disagreements] == [("blank_as_zero", (blank,))]
    assert result.status == "review"


def test_mapping_and_string_values() -> None:
    fields = _fields(CLEAN)
    theirs = {f"k{i}": v for i, v in enumerate(fields.values())}
    mapping = {f"k{i}": fid for i, fid in enumerate(fields)}
    as_text = {k: ("/" if v is None else f"{v:,}") for k, v in theirs.items()}
    result = giextract.check(as_text, mapping=mapping)
    assert result.status == "ok" and result.fields == fields
    bad = giextract.check({**theirs, "k0": "abc"}, mapping=mapping)
    assert [f.code for f in bad.invalid] == ["invalid_value"]


@pytest.mark.parametrize("record", [[], "x", {}, {"template": "2021"}])
def test_a_record_with_no_fields_is_an_error(record: Any) -> None:
    result = giextract.check(record)
    assert result.status == "error" and result.error is not None
    assert result.error["code"] == "E033"


@pytest.mark.parametrize(
    ("row", "shifted"),
    [
        ([2, 1, 0, 0, 0, 3, None], True),  # natural_person lost
        ([5, 2, 1, 0, 0, 8, None], True),  # lost somewhere: the row is flagged
        ([None, 5, 2, 1, 0, 0, 0], False),  # moved right: the total is lost, the sum fails
        ([1, 1, 0, 0, 0, 0, 2], False),  # sums: no shift
        ([0, 0, 0, 0, 0, 0, None], False),  # all zero: nothing to tell
    ],
)
def test_find_shifts_cases(row: list[Any], shifted: bool) -> None:
    template = load_template("2021")
    fields = {f"{ROW}.{c}": v for c, v in zip(COLS, row, strict=True)}
    found = find_shifts(template, fields)
    assert [(f.code, f.fields[0]) for f in found] == (
        [("column_shift", f"{ROW}.natural_person")] if shifted else []
    )


def test_a_bad_mapping_is_an_error() -> None:
    result = giextract.check({"a": 1}, mapping={"a": 3})  # type: ignore[dict-item]
    assert result.error is not None and result.error["code"] == "E035"


# -- the fallback merge -------------------------------------------------------------------
def test_fallback_keeps_a_passing_rule_record() -> None:
    fields = _fields(CLEAN)
    merged = giextract.fallback({"fields": fields}, CLEAN)
    assert merged.status == "ok"
    assert set(merged.origin.values()) == {"rule"}
    assert merged.fields == fields


def test_fallback_replaces_what_fails() -> None:
    fields = _fields(CLEAN)
    row = _row(fields)
    broken = _set_row(fields, [*row[1:], None])
    merged = giextract.fallback({"fields": broken}, CLEAN)
    assert merged.fields == fields
    assert {merged.origin[f"{ROW}.{c}"] for c in COLS} == {"giextract"}
    assert merged.origin["requests.granted.natural_person"] == "rule"
    assert merged.status == "ok"


def test_fallback_without_a_rule_record_is_giextract() -> None:
    merged = giextract.fallback(None, CLEAN)
    assert merged.fields == _fields(CLEAN)
    assert set(merged.origin.values()) == {"giextract"}


def test_fallback_flags_disagreement_on_unchecked_fields() -> None:
    fields = _fields(CLEAN)
    fields["active.rules.issued"] = 99  # the active table has no identity
    merged = giextract.fallback({"fields": fields}, CLEAN)
    assert merged.fields["active.rules.issued"] == 99 and merged.origin["active.rules.issued"]
    assert merged.status == "review"
    assert "sources_disagree" in [r.code for r in merged.reasons]


# -- the command ---------------------------------------------------------------------------
def test_check_command(tmp_path: Path) -> None:
    fields = _fields(CLEAN)
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps({"fields": fields}), "utf-8")
    bad.write_text(json.dumps({"fields": {**fields, "nope": 1}}), "utf-8")
    runner = CliRunner()
    ok = runner.invoke(app, ["check", str(good), "--source", str(CLEAN)])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["status"] == "ok"
    review = runner.invoke(app, ["check", str(bad)])
    assert review.exit_code == 1
    assert json.loads(review.stdout)["unknown_ids"] == ["nope"]
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", "utf-8")
    err = runner.invoke(app, ["check", str(broken)])
    assert err.exit_code == 2
    assert json.loads(err.stdout)["error"]["code"] == "E033"
