"""Identities (勾稽关系): each checked with its numbers; nulls never become silent passes."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from giextract.catalogue import load_template
from giextract.checks import Check, check_counts, failed_fields, identities, run_checks
from giextract.pipeline import blank_rows_doubted


def _consistent_2021() -> dict[str, int | None]:
    t = load_template("2021")
    fields: dict[str, int | None] = dict.fromkeys(t.field_ids, 0)
    for col, n in (("natural_person", 3), ("commercial", 1)):
        fields[f"requests.new_received.{col}"] = n
        fields[f"requests.granted.{col}"] = n
        fields[f"requests.total.{col}"] = n
    for key in ("new_received", "granted", "total"):
        fields[f"requests.{key}.total"] = 4
    fields["appeals.review.upheld"] = 2
    fields["appeals.review.total"] = 2
    return fields


def test_counts_of_identities() -> None:
    assert len(identities(load_template("2019"))) == 7 * 2 + 23 + 3
    assert len(identities(load_template("2021"))) == 7 * 2 + 25 + 3


def test_consistent_report_passes_everything() -> None:
    checks = run_checks(load_template("2021"), _consistent_2021())
    assert {c.status for c in checks} == {"pass"}


def test_arithmetic_error_is_a_failed_check_with_numbers() -> None:
    fields = _consistent_2021()
    fields["requests.total.total"] = 5
    checks = {c.id: c for c in run_checks(load_template("2021"), fields)}
    assert checks["requests.total.row_sum"].status == "fail"
    assert (checks["requests.total.row_sum"].lhs, checks["requests.total.row_sum"].rhs) == (5, 4)
    assert checks["requests.balance.total"].status == "fail"
    assert fields["requests.total.total"] == 5  # the printed number is kept


def test_failed_fields_are_the_terms_of_the_failing_identities() -> None:
    template = load_template("2021")
    assert failed_fields(template, run_checks(template, _consistent_2021())) == frozenset()
    fields = _consistent_2021()
    fields["requests.total.total"] = 5
    failed = failed_fields(template, run_checks(template, fields))
    assert "requests.total.natural_person" in failed  # the row's own sum
    assert "requests.carried_forward.total" in failed  # the balance of the 总计 column
    assert "requests.granted.natural_person" not in failed


BLANK_ROW: dict[str, object] = {"code": "row_read_blank", "row": "requests.granted"}


@pytest.mark.parametrize(
    ("failed", "kept"),
    [
        (frozenset(), []),  # every identity over the row holds: no doubt to say
        (frozenset({"requests.granted.total"}), [BLANK_ROW]),
        (frozenset({"requests.total.total"}), []),  # another row's identity
    ],
)
def test_a_row_read_blank_is_said_only_where_an_identity_over_it_fails(
    failed: frozenset[str], kept: list[dict[str, object]]
) -> None:
    other: dict[str, object] = {"code": "duplicate_row", "row": "requests.granted"}
    assert blank_rows_doubted([BLANK_ROW, other], failed) == [*kept, other]


def test_all_null_is_skipped_and_partial_null_is_counted() -> None:
    fields = _consistent_2021()
    for c in ("upheld", "corrected", "other", "pending", "total"):
        fields[f"appeals.review.{c}"] = None
    fields["appeals.litigation_direct.other"] = None
    checks = {c.id: c for c in run_checks(load_template("2021"), fields)}
    assert checks["appeals.review.sum"].status == "skipped"
    assert checks["appeals.litigation_direct.sum"].nulls == 1
    assert checks["appeals.litigation_direct.sum"].status == "pass"


def _with(**changes: int | None) -> dict[str, int | None]:
    fields = _consistent_2021()
    fields.update({k.replace("__", "."): v for k, v in changes.items()})
    return fields


@pytest.mark.parametrize(
    "fields",
    [
        _consistent_2021(),
        _with(requests__total__total=5),
        _with(appeals__review__upheld=None, appeals__review__total=None),
        _with(requests__granted__commercial=None),
        {},
        {"requests.total.total": 0.5, "requests.granted.total": 0.25},
    ],
)
def test_check_counts_are_the_statuses_of_run_checks(fields: dict[str, int | None]) -> None:
    statuses = [c.status for c in run_checks(load_template("2021"), fields)]
    expected = (statuses.count("pass"), statuses.count("fail"))
    assert check_counts(load_template("2021"), fields) == expected


def test_check_is_a_record_by_value() -> None:
    """Check is a slotted record (it was a frozen dataclass): equal and hashed by its
    fields, with the dataclass repr, asdict and replace, pickled whole."""
    made = run_checks(load_template("2019"), {})[0]
    again = Check(made.id, made.expression, made.lhs, made.rhs, made.status, made.nulls)
    assert made == again and hash(made) == hash(again)
    assert dataclasses.replace(made, nulls=0) != made
    assert dataclasses.asdict(made) == made.to_dict()
    assert pickle.loads(pickle.dumps(made)) == made
    assert repr(made).startswith(f"Check(id={made.id!r}, expression=")
