"""The one path: read → normalise → lines → classify → rebuild tables → map fields → check."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .catalogue import load_template
from .checks import run_checks
from .classify import LineModel, load_model
from .errors import ErrorCode, GiextractError
from .fields import detect_template, title_info
from .lines import Line, to_lines
from .read import Document, read_path, read_text
from .report import Report
from .sequence import Choice, choose, read_sequence
from .tables import Rebuilt, rebuild

MIN_ROWS_FOR_A_REPORT = 3


@dataclass
class Extraction:
    """Everything the pipeline saw: lines, their labels and confidences, the tables and report."""

    document: Document
    lines: list[Line]
    labels: list[str]
    confidence: np.ndarray
    rebuilt: Rebuilt | None
    report: Report


def _fields_and_provenance(
    rebuilt: Rebuilt, template_id: str
) -> tuple[dict[str, int | float | None], dict[str, dict[str, object]]]:
    template = load_template(template_id)
    fields: dict[str, int | float | None] = dict.fromkeys(template.field_ids)
    provenance: dict[str, dict[str, object]] = {}
    for reading in rebuilt.rows.values():
        for spec, cell in zip(reading.row.fields, reading.cells, strict=True):
            if cell is None:
                continue
            fields[spec.id] = cell.parsed.value
            provenance[spec.id] = {
                "label_lines": reading.label_lines,
                "value_line": cell.line,
                "cell": cell.cell,
                "page": cell.page,
                "raw": cell.parsed.raw,
                **({"unit": cell.parsed.unit} if cell.parsed.unit else {}),
            }
    return fields, provenance


def _row_warnings(rebuilt: Rebuilt, template_id: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = list(rebuilt.warnings)
    template = load_template(template_id)
    for row in template.rows:
        reading = rebuilt.rows.get(row.key)
        if reading is None:
            out.append({"code": "row_not_found", "message": f"row {row.label!r} not found"})
            continue
        if reading.ambiguous:
            out.append(
                {
                    "code": "ambiguous_reading",
                    "message": f"row {row.label!r} can be read in more than one way; "
                    "the identities could not tell which",
                    "line": reading.cells[0].line if reading.cells and reading.cells[0] else None,
                }
            )
        for spec, cell in zip(row.fields, reading.cells, strict=True):
            if cell is not None and not cell.parsed.ok:
                out.append(
                    {
                        "code": "unparsed_value",
                        "message": f"{spec.id}: {cell.parsed.raw!r} is not a number",
                        "line": cell.line,
                    }
                )
    return out


def _choose_reading(lines: list[Line], template_id: str, rebuilt: Rebuilt) -> Choice:
    """The line reading or the template-order reading, table by table (by the identities)."""
    template = load_template(template_id)
    return choose(template, {"lines": rebuilt, "sequence": read_sequence(lines, template)})


def _note_readings(provenance: dict[str, dict[str, object]], choice: Choice) -> None:
    for fid, prov in provenance.items():
        row_key = "appeals" if fid.startswith("appeals.") else fid.rsplit(".", 1)[0]
        prov["reading"] = choice.reading.get(row_key, "lines")
        prov["chosen_among"] = choice.chosen_among.get(fid.split(".", 1)[0], 1)


def extract_document(doc: Document, model: LineModel | None = None) -> Extraction:
    """Run the whole pipeline on a document that has been read.

    Raises:
        GiextractError: E004 when the document holds none of the report's tables.
    """
    model = model or load_model()
    lines = to_lines(doc)
    labels, confidence = model.predict(lines)
    agency, year, _ = title_info(lines)
    template_id, _ = detect_template(lines, year)
    report = Report(source=doc.source, agency=agency, year=year, format=doc.format)
    if template_id is None:
        raise GiextractError(
            ErrorCode.NOT_A_REPORT,
            "no table of a government information disclosure annual report was found",
        )
    rebuilt = rebuild(lines, labels, load_template(template_id))
    choice = _choose_reading(lines, template_id, rebuilt)
    rebuilt = choice.rebuilt
    if len(rebuilt.rows) < MIN_ROWS_FOR_A_REPORT:
        raise GiextractError(
            ErrorCode.NOT_A_REPORT,
            f"only {len(rebuilt.rows)} table rows were recognised; this does not look like "
            "a government information disclosure annual report",
        )
    report.template = template_id
    report.fields, report.provenance = _fields_and_provenance(rebuilt, template_id)
    _note_readings(report.provenance, choice)
    report.checks = run_checks(load_template(template_id), report.fields)
    report.warnings = _row_warnings(rebuilt, template_id)
    return Extraction(doc, lines, labels, confidence, rebuilt, report)


def extract(source: str | os.PathLike[str], *, model: LineModel | None = None) -> Report:
    """Extract one report from a file path or from its text.

    A string that names an existing file is read as a file; any other string is
    taken as the report's text.  A file that cannot be processed gives a report
    whose ``error`` says why (the function does not raise for bad input).
    """
    return extract_many([source], model=model)[0]


def _is_path(source: str | os.PathLike[str]) -> bool:
    """A path object, or a one-line string (a report's text has many lines)."""
    if isinstance(source, os.PathLike):
        return True
    return "\n" not in source and "\r" not in source and len(source) < 4096


def _read(source: str | os.PathLike[str]) -> Document:
    if isinstance(source, os.PathLike) or _is_path(source):
        return read_path(os.fspath(source))
    return read_text(source)


def _source_name(source: str | os.PathLike[str]) -> str:
    return str(source) if _is_path(source) else "<text>"


def extract_many(
    sources: Sequence[str | os.PathLike[str]], *, model: LineModel | None = None
) -> list[Report]:
    """Extract several reports; each failure is that report's ``error``, the rest go on."""
    return list(iter_extract(sources, model=model))


def iter_extract(
    sources: Sequence[str | os.PathLike[str]], *, model: LineModel | None = None
) -> Iterator[Report]:
    """Yield one :class:`Report` per source, in order, as each is done."""
    for source in sources:
        try:
            doc = _read(source)
            yield extract_document(doc, model).report
        except GiextractError as exc:
            yield Report(source=_source_name(source), error=exc.to_dict())
