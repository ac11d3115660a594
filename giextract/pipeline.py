"""The one path: read → normalise → lines → classify → rebuild tables → map fields → check."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .catalogue import load_template
from .checks import run_checks
from .classify import LineModel, load_model
from .errors import ErrorCode, GiextractError, internal_error
from .fields import detect_template, title_info
from .lines import Line, to_lines
from .read import Document, read_bytes, read_path, read_text
from .report import Report
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
    if len(rebuilt.rows) < MIN_ROWS_FOR_A_REPORT:
        raise GiextractError(
            ErrorCode.NOT_A_REPORT,
            f"only {len(rebuilt.rows)} table rows were recognised; this does not look like "
            "a government information disclosure annual report",
        )
    report.template = template_id
    report.fields, report.provenance = _fields_and_provenance(rebuilt, template_id)
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
        yield extract_guarded(source, model=model)


def _guarded_name(source: object, name: str | None) -> str:
    if name is not None:
        return name
    if isinstance(source, bytes):
        return "<bytes>"
    try:
        return _source_name(source)  # type: ignore[arg-type]
    except Exception:  # a source of a type no reader takes
        return repr(source)[:200]


def extract_guarded(
    source: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    model: LineModel | None = None,
) -> Report:
    """One report from a path, a report's text or a file's bytes; never raises.

    This is the guarded unit every file of a batch runs in: a coded
    :class:`GiextractError` becomes the record's ``error``; a ``MemoryError``
    becomes E021; any other exception becomes E000 (internal error) with the
    exception's type and a short trace, so one bad file never costs the batch.

    Args:
        source: a path, a report's text, or the bytes of a file of any format.
        name: the record's ``source`` (default: the path, ``<text>`` or ``<bytes>``).
        model: the line model (default: the shipped one).
    """
    label = _guarded_name(source, name)
    try:
        if isinstance(source, bytes):
            doc = read_bytes(source, label)
        else:
            doc = _read(source)
            if name is not None:
                doc.source = name
        return extract_document(doc, model).report
    except GiextractError as exc:
        return Report(source=label, error=exc.to_dict())
    except MemoryError:
        error = GiextractError(
            ErrorCode.MEMORY_LIMIT,
            "the file needs more memory than this process may use",
            "raise the limit (giextract extract --memory-limit MB) or split the file",
        )
        return Report(source=label, error=error.to_dict())
    except Exception as exc:  # the guard: anything else is this file's internal error
        return Report(source=label, error=internal_error(exc).to_dict())
