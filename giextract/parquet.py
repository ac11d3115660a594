"""Records as Parquet: one row per report, one column per field (extra ``giextract[parquet]``).

The columns are the record's metadata, then every field id of both templates (a
count as int64, an amount as float64; null where the report left the cell blank
or the template has no such field, so null and 0 stay distinct), then the checks
and warnings as JSON text.  pandas, Polars and DuckDB read the file directly::

    pandas.read_parquet("records.parquet")["requests.new.natural_person"]

A value a column cannot hold exactly (a count with a fraction, a number beyond
int64) is left null there and named in the ``unstored`` column with its text, so
nothing is silently changed.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from .catalogue import TEMPLATES, all_field_ids, load_template
from .errors import ErrorCode, GiextractError
from .records import RecordWriter, needs_review, open_output
from .report import Report

INSTALL = "pip install 'giextract[parquet]'"
META_COLUMNS = (
    "source",
    "template",
    "agency",
    "year",
    "format",
    "status",
    "error_code",
    "error_message",
    "failed_checks",
    "warnings",
)
TRAILING_COLUMNS = ("checks_json", "warnings_json", "unstored")
_INT64 = (-(2**63), 2**63 - 1)


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet
    except ImportError as exc:
        raise GiextractError(
            ErrorCode.EXTRA_MISSING, "Parquet output needs pyarrow, which is not installed", INSTALL
        ) from exc
    return pa


@lru_cache(maxsize=1)
def field_types() -> dict[str, str]:
    """Each field id of both templates and its type (``count`` or ``amount``)."""
    types: dict[str, str] = {}
    for tid in TEMPLATES:
        for spec in load_template(tid).fields:
            types.setdefault(spec.id, spec.type)
    return {fid: types[fid] for fid in all_field_ids()}


def schema() -> Any:
    """The Arrow schema of a records file."""
    pa = _pyarrow()
    meta = [
        pa.field("source", pa.string()),
        pa.field("template", pa.string()),
        pa.field("agency", pa.string()),
        pa.field("year", pa.int32()),
        pa.field("format", pa.string()),
        pa.field("status", pa.string()),
        pa.field("error_code", pa.string()),
        pa.field("error_message", pa.string()),
        pa.field("failed_checks", pa.int32()),
        pa.field("warnings", pa.int32()),
    ]
    fields = [
        pa.field(fid, pa.int64() if kind == "count" else pa.float64())
        for fid, kind in field_types().items()
    ]
    trailing = [pa.field(name, pa.string()) for name in TRAILING_COLUMNS]
    return pa.schema(meta + fields + trailing)


def _column_value(kind: str, value: Any) -> tuple[Any, bool]:
    """The value as its column holds it, and whether it could be held exactly."""
    if value is None:
        return None, True
    if isinstance(value, bool):
        return None, False
    if kind == "count":
        if isinstance(value, float):
            if not value.is_integer():
                return None, False
            value = int(value)
        if isinstance(value, int) and _INT64[0] <= value <= _INT64[1]:
            return value, True
        return None, False
    if isinstance(value, int | float) and math.isfinite(float(value)):
        exact = not isinstance(value, int) or abs(value) <= 2**53
        return (float(value), True) if exact else (None, False)
    return None, False


def _status(report: Report) -> str:
    status = getattr(report, "status", None)
    if isinstance(status, str):
        return status
    if not report.ok:
        return "error"
    return "review" if needs_review(report) else "ok"


def record_row(report: Report) -> dict[str, Any]:
    """One report as one row of the Parquet file (column name → value)."""
    error = report.error or {}
    row: dict[str, Any] = {
        "source": report.source,
        "template": report.template,
        "agency": report.agency,
        "year": report.year,
        "format": report.format,
        "status": _status(report),
        "error_code": error.get("code"),
        "error_message": error.get("message"),
        "failed_checks": len(report.failed_checks),
        "warnings": len(report.warnings),
    }
    unstored = {}
    for fid, kind in field_types().items():
        value, exact = _column_value(kind, report.fields.get(fid))
        row[fid] = value
        if not exact:
            unstored[fid] = str(report.fields.get(fid))
    row["checks_json"] = json.dumps(
        [c.to_dict() for c in report.checks], ensure_ascii=False, default=str
    )
    row["warnings_json"] = json.dumps(report.warnings, ensure_ascii=False, default=str)
    row["unstored"] = json.dumps(unstored, ensure_ascii=False) if unstored else None
    return row


class ParquetRecordWriter(RecordWriter):
    """Writes records to a Parquet file in row groups of ``batch_size`` (constant memory).

    Raises:
        GiextractError: E023 without pyarrow, E024 when the file cannot be written.
    """

    def __init__(self, path: os.PathLike[str] | str, batch_size: int = 1000) -> None:
        pa = _pyarrow()
        self._pa = pa
        self._schema = schema()
        self._out = open_output(path, binary=True)
        self._writer = pa.parquet.ParquetWriter(self._out, self._schema)
        self._rows: list[dict[str, Any]] = []
        self.batch_size = batch_size

    def write(self, report: Report) -> None:
        self._rows.append(record_row(report))
        if len(self._rows) >= self.batch_size:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            table = self._pa.Table.from_pylist(self._rows, schema=self._schema)
            self._writer.write_table(table)
            self._rows = []

    def close(self) -> None:
        try:
            self._flush()
            self._writer.close()
        finally:
            self._out.close()


def write_parquet(reports: Iterable[Report], path: os.PathLike[str] | str) -> int:
    """Write records to a Parquet file; returns how many were written."""
    writer = ParquetRecordWriter(path)
    count = 0
    try:
        for report in reports:
            writer.write(report)
            count += 1
    finally:
        writer.close()
    return count
