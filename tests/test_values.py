"""One definition of numbers, units and blank markers; the digits limit; placeholders as data."""

from __future__ import annotations

import json
import math

import pytest

import giextract
from giextract.classify import LineModel
from giextract.values import (
    MAX_DIGITS,
    PlaceholderTier,
    ValueIssue,
    is_feature_placeholder,
    is_feature_value,
    is_number,
    is_placeholder,
    is_value,
    listed_markers,
    parse_value,
    placeholders,
)

VALUES = [
    ("0", 0),
    ("12", 12),
    ("1763847.27 元", 1763847.27),
    ("1,234", 1234),
    ("１２", 12),
    ("12.5万元", 12.5),
    ("3件", 3),
    ("5人次", 5),
    ("", None),
    ("N/A", None),
    ("n/a", None),
    ("暂无", None),
    ("〇", None),
    ("×", None),
    ("未统计", None),
    ("*", None),
    ("———", None),
]


SPACED = [
    ("1 234", 1234),  # thousands apart by a space
    ("1 234 567", 1234567),
    ("1 234.5", 1234.5),
    ("12 件", 12),
    (" 7 ", 7),
    # several numbers in one cell (two rows merged when a ruling was lost): none of them
    ("29 1 2", None),
    ("0 0", None),
    ("12 34", None),
]


@pytest.mark.parametrize(("raw", "expected"), SPACED)
def test_digits_apart_by_a_space_are_one_number_only_in_thousands(
    raw: str, expected: object
) -> None:
    got = parse_value(raw)
    assert got.value == expected
    assert got.ok == (expected is not None)


@pytest.mark.parametrize(("raw", "expected"), VALUES)
def test_parse_value(raw: str, expected: object) -> None:
    got = parse_value(raw)
    assert (got.value, got.raw, got.ok) == (expected, raw, True)


def test_unit_is_kept_apart() -> None:
    assert parse_value("5人次").unit == "人次"
    assert parse_value("12.5万元").unit == "万元"


LONG = [
    "9" * 4300,  # int() refuses it: ValueError
    "9" * 309,  # float() of it overflows
    "9" * 400 + ".5",  # a decimal that would be Infinity in JSON
    "1" + "0" * MAX_DIGITS,
    "875646205.645162268",  # a double would print 875646205.6451622 (fuzz input 5159)
]
LONG_IDS = ["4300", "309", "400-decimal", "limit+1", "inexact-decimal"]

# Decimals a double carries digit for digit stay numbers.
EXACT_DECIMALS = [("4,436.28", 4436.28), ("0.1", 0.1), ("12345678901.25", 12345678901.25)]


@pytest.mark.parametrize(("raw", "value"), EXACT_DECIMALS)
def test_a_decimal_a_double_carries_exactly_is_kept(raw: str, value: float) -> None:
    assert parse_value(raw).value == value


@pytest.mark.parametrize("raw", LONG, ids=LONG_IDS)
def test_a_number_past_the_digits_limit_is_a_value_error(raw: str) -> None:
    got = parse_value(raw)
    assert got.value is None and not got.ok and got.issue is ValueIssue.TOO_MANY_DIGITS


def test_the_digits_limit_is_configurable() -> None:
    assert parse_value("1" * 30, max_digits=40).value == int("1" * 30)
    assert parse_value("123", max_digits=2).issue is ValueIssue.TOO_MANY_DIGITS
    assert parse_value("9" * MAX_DIGITS).value == int("9" * MAX_DIGITS)


@pytest.mark.parametrize("raw", LONG, ids=LONG_IDS)
def test_a_long_number_in_a_report_is_null_with_a_warning(raw: str, model: LineModel) -> None:
    text = "\n".join(
        [
            "某某局2021年政府信息公开工作年度报告",
            "三、收到和处理政府信息公开申请情况",
            f"一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t{raw}",
            "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
            "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0",
        ]
    )
    report = giextract.extract(text, model=model)
    assert report.error is None
    assert report.fields["requests.new_received.total"] is None
    assert report.fields["requests.new_received.natural_person"] == 1
    codes = {(w["code"], w.get("field")) for w in report.warnings}
    assert ("value_too_long", "requests.new_received.total") in codes
    json.dumps(report.to_dict(), allow_nan=False)  # raises on NaN or Infinity
    floats = [v for v in report.fields.values() if isinstance(v, float)]
    assert all(math.isfinite(v) for v in floats)


def test_every_listed_marker_is_a_blank_value() -> None:
    assert len(listed_markers()) >= 20
    for marker in (*listed_markers(), "N/A", "—", "-", "无", "暂无", "〇", "×", "未统计", "*"):
        assert is_placeholder(marker) and is_value(marker), marker
        assert parse_value(marker).value is None and parse_value(marker).ok, marker


def test_feature_tiers_keep_the_model_s_definitions() -> None:
    # The shipped model's features (FEATURE_VERSION 1) know the core and classic markers
    # only; the extra tier is the rebuild's.
    core = {"/", "—", "-", "无", "_", "——", "---", "___"}
    classic = {"／", "–", "空", "\\"}
    for m in core:
        assert is_feature_placeholder(m) and is_feature_value(m), m
    for m in classic:
        assert not is_feature_placeholder(m) and is_feature_value(m), m
    for m in placeholders(PlaceholderTier.EXTRA):
        assert not is_feature_value(m) and is_value(m), m
    assert is_number("1,234件") and not is_number("N/A")


@pytest.mark.parametrize("cell", ["二〇一九年", "N/A以上", "无法提供", "*注"])
def test_words_containing_markers_are_not_blanks(cell: str) -> None:
    assert not is_placeholder(cell)
