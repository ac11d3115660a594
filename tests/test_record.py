"""The typed record, its published JSON Schema, valid JSON, and the unambiguous API."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from conftest import REPO, validate_record

import giextract
from giextract.errors import ErrorCode
from giextract.record import SCHEMA_FILE, Record, published_schema, record_schema, schema_text
from giextract.report import Report, to_json

GOLDEN = REPO / "tests" / "golden" / "tables"
EXAMPLE = REPO / "examples" / "liuzhou-bigdata-2019.txt"


def test_published_schema_is_generated_from_the_model(update_golden: bool) -> None:
    path = REPO / "giextract" / "data" / SCHEMA_FILE
    if update_golden:
        path.write_text(schema_text(), "utf-8")
    assert published_schema() == record_schema(), "regenerate: pytest --update-golden"


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir()))
def test_every_golden_record_is_valid(case: str) -> None:
    report = giextract.extract_path(GOLDEN / case / "input.txt")
    data = json.loads(report.to_json())
    validate_record(data)
    assert Record.model_validate(data).status in ("ok", "review")


def test_record_round_trips_through_the_model() -> None:
    report = giextract.extract_path(EXAMPLE)
    record = report.record()
    assert json.loads(record.model_dump_json(by_alias=True, exclude_unset=True)) == json.loads(
        report.to_json()
    )
    assert record.versions.schema_version == "1.0"
    assert record.versions.model == "giextract-lines-1.0"
    assert record.versions.giextract == giextract.__version__


def test_non_finite_values_never_reach_json() -> None:
    report = Report(
        source="x",
        template="2021",
        fields={"active.fees.amount": math.inf, "active.rules.issued": math.nan},
        provenance={"active.fees.amount": {"raw": "9" * 400}},
    )
    text = to_json([report])  # allow_nan=False: would raise on NaN/Infinity
    data = json.loads(text)[0]
    assert data["fields"]["active.fees.amount"] is None
    assert data["fields"]["active.rules.issued"] is None
    assert data["provenance"]["active.fees.amount"]["raw"] == "9" * 400  # printed text kept
    assert data["status"] == "review"
    assert {w["code"] for w in data["warnings"]} == {"value_not_finite"}
    assert set(data["flags"]["active.fees.amount"]) >= {"not_finite"}


def test_decimal_values_become_json_numbers() -> None:
    from decimal import Decimal

    fields: dict[str, object] = {
        "active.fees.amount": Decimal("394.05"),
        "active.rules.issued": Decimal("3"),
    }
    report = Report(source="x", template="2021", fields=fields)  # type: ignore[arg-type]
    data = json.loads(report.to_json())
    assert data["fields"] == {"active.fees.amount": 394.05, "active.rules.issued": 3}


def test_decimals_keep_their_printed_text() -> None:
    report = giextract.extract_path(REPO.parent / "shared" / "seeds" / "003_cb286790373cfe75.txt")
    if report.error:
        pytest.skip("../shared/seeds is not beside this checkout")
    assert report.provenance["active.procurement.amount"]["raw"] == "1763847.27元"
    assert json.loads(report.to_json())["fields"]["active.procurement.amount"] == 1763847.27


# -- the API: dispatch on type only, nothing raises -------------------------------------
def test_a_string_is_always_text_never_a_path() -> None:
    report = giextract.extract(str(EXAMPLE))  # names an existing file, but is a str
    assert report.error is not None and report.error["code"] == ErrorCode.NOT_A_REPORT.value
    assert report.source == "<text>"
    assert giextract.extract(EXAMPLE).error is None  # a Path is a path


def test_text_bytes_and_path_give_the_same_fields() -> None:
    text = EXAMPLE.read_text("utf-8")
    a = giextract.extract_text(text)
    b = giextract.extract_bytes(EXAMPLE.read_bytes(), name="../../etc/passwd")
    c = giextract.extract_path(EXAMPLE)
    assert a.fields == b.fields == c.fields
    assert b.source == "../../etc/passwd"  # a label only, never opened
    assert giextract.extract(text.encode("gb18030")).fields == a.fields


def test_html_text_is_read_as_html() -> None:
    from fixtures_formats import build_html, sample_values

    page = build_html("2021", sample_values("2021"), encoding="gbk", meta_charset="gb2312")
    text = page.decode("gbk")
    report = giextract.extract_text(text)
    assert report.error is None and report.format == "html"
    assert report.fields == giextract.extract_bytes(page).fields


@pytest.mark.parametrize(
    "call",
    [
        lambda: giextract.extract_text(b"bytes"),  # type: ignore[arg-type]
        lambda: giextract.extract_bytes("text"),  # type: ignore[arg-type]
        lambda: giextract.extract_bytes(123),  # type: ignore[arg-type]
        lambda: giextract.extract_path(3.5),  # type: ignore[arg-type]
    ],
)
def test_each_function_refuses_other_types_with_a_record(call: object) -> None:
    report = call()  # type: ignore[operator]
    assert report.error is not None and report.error["code"] == ErrorCode.BAD_INPUT_TYPE.value


@pytest.mark.parametrize(
    ("source", "code"),
    [
        (b"", ErrorCode.EMPTY_INPUT),
        (bytes(range(256)) * 10, ErrorCode.BINARY_INPUT),
        ("", ErrorCode.EMPTY_INPUT),
        ("<html><body>nothing</body></html>", ErrorCode.NOT_A_REPORT),
        (Path("/nonexistent/report.txt"), ErrorCode.UNREADABLE_FILE),
        (12, ErrorCode.BAD_INPUT_TYPE),
        (None, ErrorCode.BAD_INPUT_TYPE),
    ],
)
def test_bad_input_gives_an_error_record(source: object, code: ErrorCode) -> None:
    report = giextract.extract(source)  # type: ignore[arg-type]
    assert report.error is not None and report.error["code"] == code.value
    assert report.status == "error"
    data = json.loads(report.to_json())
    validate_record(data)
    assert data["reasons"][0]["code"] == code.value
    assert len(report.error["message"]) < 300  # the input is never echoed whole
