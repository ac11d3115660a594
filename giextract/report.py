"""The result of extracting one report, and its JSON, JSON Lines and CSV forms."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .catalogue import all_field_ids
from .checks import Check

Value = int | float | None


@dataclass
class Report:
    """One report's extraction.

    Attributes:
        source: the file name (or ``<text>``).
        template: ``"2019"`` or ``"2021"``; None if the input could not be read.
        agency, year: from the title or the signature.
        fields: every field id of the template, its value or None (never a guessed 0).
        checks: the template's identities with their numbers.
        warnings: labels that map to nothing, values that fit no row, ambiguous readings.
        provenance: for each field found, the source lines of its label and value.
        error: for a file that could not be processed: code, message and fix.
    """

    source: str
    template: str | None = None
    agency: str | None = None
    year: int | None = None
    format: str | None = None
    fields: dict[str, Value] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """Whether the file was processed (it may still have failed checks)."""
        return self.error is None

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-ready data."""
        return {
            "source": self.source,
            "template": self.template,
            "agency": self.agency,
            "year": self.year,
            "format": self.format,
            "fields": self.fields,
            "checks": [c.to_dict() for c in self.checks],
            "warnings": self.warnings,
            "provenance": self.provenance,
            "error": self.error,
        }


def to_json(reports: Iterable[Report]) -> str:
    """All records as one JSON array."""
    return json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2)


def to_jsonl_line(report: Report) -> str:
    """One record as one line of JSON."""
    return json.dumps(report.to_dict(), ensure_ascii=False)


CSV_META = ("source", "template", "agency", "year", "error", "failed_checks", "warnings")


def csv_header() -> list[str]:
    """The CSV columns: the record's metadata, then every field id of both templates."""
    return [*CSV_META, *all_field_ids()]


def csv_row(report: Report) -> list[str]:
    """One report as one CSV row (empty cells for null and for the other template's fields)."""
    meta = [
        report.source,
        report.template or "",
        report.agency or "",
        "" if report.year is None else str(report.year),
        "" if report.error is None else f"{report.error['code']}: {report.error['message']}",
        str(len(report.failed_checks)),
        str(len(report.warnings)),
    ]
    values = [
        "" if report.fields.get(f) is None else str(report.fields[f]) for f in all_field_ids()
    ]
    return meta + values


def to_csv(reports: Iterable[Report]) -> str:
    """All records as CSV text with a header row."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(csv_header())
    for r in reports:
        writer.writerow(csv_row(r))
    return buf.getvalue()
