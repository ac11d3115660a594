"""Records as text: JSON that is always valid, JSON Lines, CSV, and the batch summary.

Each writer takes a stream of :class:`~giextract.report.Report` and writes it as it
comes, in constant memory.  No NaN or Infinity ever reaches the JSON.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from .errors import ErrorCode, GiextractError
from .report import Report


def record_json(report: Report, indent: int | None = None) -> str:
    """The record as one JSON text (valid JSON: never NaN or Infinity)."""
    return report.to_json(indent)


class RecordWriter:
    """Writes a stream of records in one output format; :meth:`close` finishes the file."""

    def write(self, report: Report) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the output (e.g. the closing bracket of a JSON array)."""


class JsonlWriter(RecordWriter):
    """One record per line, flushed as each is written."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, report: Report) -> None:
        self.out.write(record_json(report) + "\n")
        self.out.flush()


class JsonArrayWriter(RecordWriter):
    """One JSON array, indented, written record by record (constant memory)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0

    def write(self, report: Report) -> None:
        text = record_json(report, indent=2).replace("\n", "\n  ")
        self.out.write(("[\n  " if self.count == 0 else ",\n  ") + text)
        self.count += 1

    def close(self) -> None:
        self.out.write("\n]\n" if self.count else "[]\n")


class CsvWriter(RecordWriter):
    """One row per record under a header of every field id of both templates."""

    def __init__(self, out: TextIO) -> None:
        import csv

        from .report import csv_header

        self.writer = csv.writer(out)
        self.writer.writerow(csv_header())

    def write(self, report: Report) -> None:
        from .report import csv_row

        self.writer.writerow(csv_row(report))


TEXT_WRITERS: dict[str, Callable[[TextIO], RecordWriter]] = {
    "json": JsonArrayWriter,
    "jsonl": JsonlWriter,
    "csv": CsvWriter,
}


def needs_review(report: Report) -> bool:
    """Whether a processed report needs a person's look.

    A record's ``status`` says so where the report has one; otherwise a report
    whose identities fail needs review.
    """
    status = getattr(report, "status", None)
    if status is not None:
        return bool(status == "review")
    return report.ok and bool(report.failed_checks)


def open_output(path: os.PathLike[str] | str, binary: bool = False) -> Any:
    """Open an output file for writing, as a coded error if it cannot be.

    Raises:
        GiextractError: E024, with the reason (no such folder, permission denied).
    """
    try:
        if binary:
            return open(path, "wb")
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise GiextractError(
            ErrorCode.OUTPUT_UNWRITABLE,
            f"cannot write {os.fspath(path)}: {exc.strerror or exc}",
            "choose a path in an existing folder you may write to",
        ) from exc


@dataclass
class BatchSummary:
    """Counts over a batch's records, for the summary line."""

    files: int = 0
    errors: int = 0
    review: int = 0

    def add(self, report: Report) -> None:
        """Count one record."""
        self.files += 1
        self.errors += not report.ok
        self.review += needs_review(report)

    def counts(self) -> str:
        """E.g. ``1 error, 2 need review``."""
        errors = f"{self.errors} error{'s' * (self.errors != 1)}"
        return f"{errors}, {self.review} need{'s' * (self.review == 1)} review"

    def line(self, seconds: float) -> str:
        """E.g. ``12 files, 1 error, 2 need review, in 3.1 s``."""
        files = f"{self.files} file{'s' * (self.files != 1)}"
        return f"{files}, {self.counts()}, in {seconds:.1f} s"
