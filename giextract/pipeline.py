"""The one path: read → normalise → lines → classify → rebuild tables → map fields → check."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .catalogue import Template, load_template, row_of
from .checks import failed_fields, run_checks
from .classify import LineModel, load_model
from .errors import ErrorCode, GiextractError, internal_error
from .fields import (
    detect_template,
    fields_and_provenance,
    row_warnings,
    title_info,
    values_off_the_grid,
    values_on_noise_lines,
    values_on_text_lines,
)
from .lines import Line, cells_joined_notices, page_furniture, to_lines
from .read import MAX_BYTES, Document, read_bytes, read_path, read_text, sniff_format
from .report import Report
from .sequence import Choice, LazyReadings, TemplateOrderReadings, choose
from .squashed import decode_squashed, merge_squashed
from .tables import Rebuilt, rebuild
from .trust import model_version

MIN_ROWS_FOR_A_REPORT = 3


@dataclass
class Extraction:
    """Everything the pipeline computed for one document, even when it stopped early.

    Attributes:
        document: the document as read.
        lines: its logical lines.
        labels: the classifier's label of each line.
        confidence: the probability of each label, shape ``(len(lines),)``.
        rebuilt: the rebuilt tables; None when no template was recognised.
        report: the extraction; on failure it carries ``error`` and no fields.
        error: why the document is not a report (E004), or None.
    """

    document: Document
    lines: list[Line]
    labels: list[str]
    confidence: np.ndarray
    rebuilt: Rebuilt | None
    report: Report
    error: GiextractError | None = None

    @property
    def ok(self) -> bool:
        """Whether the document was read as a report."""
        return self.error is None

    def failed(self, error: GiextractError) -> Extraction:
        """This extraction, stopped by ``error``: the report keeps only the error."""
        self.error = error
        self.report.error = error.to_dict()
        return self


LABELS_FIRST = "sequence_labels_first"
"""The template-order reading with :func:`~giextract.sequence.labels_printed_before_values`:
it moves values between rows on a guess, so it is weighed only where its identities hold."""


def _choose_reading(lines: list[Line], template: Template, rebuilt: Rebuilt) -> Choice:
    """The line reading or a template-order reading (plain, or with the labels of several
    rows printed before their values), table by table (by the identities).

    The template-order reading is made only if a table needs it (:class:`LazyReadings`).
    """
    in_order = TemplateOrderReadings(lines, template)
    readings = LazyReadings(
        {
            "lines": lambda _: rebuilt,
            "sequence": in_order.plain,
            LABELS_FIRST: in_order.labels_first,
        }
    )
    return choose(template, readings, consistent_only={LABELS_FIRST})


def _note_readings(provenance: dict[str, dict[str, object]], choice: Choice) -> None:
    """Provenance: which reading gave each value, and among how many numbers the
    readings offered for it (:func:`giextract.sequence.distinct_values`)."""
    reading = choice.reading
    for fid, prov in provenance.items():
        prov["reading"] = reading.get(row_of(fid), "lines") if reading else "lines"
    for fid, among in choice.chosen_among.items():  # a field's own count stands elsewhere
        noted = provenance.get(fid)
        if noted is None:
            continue
        if "chosen_among" in noted:
            among = max(int(str(noted["chosen_among"])), among)
        if among > 1:
            noted["chosen_among"] = among


def analyze_document(doc: Document, model: LineModel | None = None) -> Extraction:
    """Run the whole pipeline on a document that has been read, keeping every stage's result.

    A document that is not a report is no exception here: the returned extraction
    keeps its lines, labels, confidences (and tables, if a template was found),
    and ``error`` says why it stopped (E004).  Model errors (E101–E104) still raise.
    """
    model = model or load_model()
    lines = to_lines(doc)
    labels, confidence = model.predict(lines)
    furniture = page_furniture(lines)  # a browser's print header and footer: page noise
    labels = ["noise" if i in furniture else label for i, label in enumerate(labels)]
    agency, year, _ = title_info(lines)
    template_id, _ = detect_template(lines, year)
    version = model_version(model.meta)
    report = Report(source=doc.source, agency=agency, year=year, format=doc.format, model=version)
    ex = Extraction(doc, lines, labels, confidence, None, report)
    if template_id is None:
        return ex.failed(
            GiextractError(
                ErrorCode.NOT_A_REPORT,
                "no table of a government information disclosure annual report was found",
            )
        )
    template = load_template(template_id)
    kept = [line for i, line in enumerate(lines) if i not in furniture]
    choice = _choose_reading(kept, template, rebuild(lines, labels, template))
    rebuilt = ex.rebuilt = choice.rebuilt
    # cells run together (giextract.squashed): a table read plainly, every row with its
    # cells, has none
    squashed = None if choice.plain else decode_squashed(doc.lines, template)
    if len(rebuilt.rows) + (squashed.row_count if squashed else 0) < MIN_ROWS_FOR_A_REPORT:
        return ex.failed(
            GiextractError(
                ErrorCode.NOT_A_REPORT,
                f"only {len(rebuilt.rows)} table rows were recognised; this does not look like "
                "a government information disclosure annual report",
            )
        )
    report.template = template_id
    report.fields, report.provenance = fields_and_provenance(rebuilt, template_id)
    _note_readings(report.provenance, choice)
    label_of_line = {line.number: label for line, label in zip(lines, labels, strict=True)}
    report.warnings = [
        *doc.warnings,
        *row_warnings(rebuilt, template_id),
        *values_on_text_lines(report.fields, report.provenance, label_of_line),
        *values_off_the_grid(report.provenance, lines, labels),
        *values_on_noise_lines(lines, labels),
        *cells_joined_notices(doc.lines, lines),
    ]
    if squashed is not None:
        merge_squashed(report.fields, report.provenance, report.warnings, rebuilt.rows, squashed)
    report.checks = run_checks(template, report.fields)
    if any(w.get("code") == "row_read_blank" for w in report.warnings):
        failed = failed_fields(template, report.checks)
        report.warnings = blank_rows_doubted(report.warnings, failed)
    return ex


def blank_rows_doubted(
    warnings: list[dict[str, object]], failed: frozenset[str]
) -> list[dict[str, object]]:
    """The warnings, with a ``row_read_blank`` kept only where an identity over its row
    fails (``failed``: the failing identities' fields).  Where every identity over a row
    read blank for want of values holds, its blanks are no doubt, and saying so on every
    such report would make the notice mean nothing (``pdftotext -layout`` prints a row
    whose cells are all blank as its label alone)."""
    return [
        w
        for w in warnings
        if w.get("code") != "row_read_blank" or any(row_of(f) == w.get("row") for f in failed)
    ]


def in_file_lines(report: Report, file_lines: Mapping[int, int]) -> None:
    """Provenance and warnings given in the lines of the file, where the reading split a
    file line in several (:attr:`giextract.read.Document.file_lines`).  The record only:
    :func:`analyze_document` keeps the lines the stages numbered (``show`` and the
    labelling loop list those lines)."""

    def of(line: object) -> object:
        return file_lines.get(line, line) if isinstance(line, int) else line

    for prov in report.provenance.values():
        if "value_line" in prov:
            prov["value_line"] = of(prov["value_line"])
        labels = prov.get("label_lines")
        if isinstance(labels, list):
            prov["label_lines"] = sorted({of(n) for n in labels})
    for w in report.warnings:
        if "line" in w:
            w["line"] = of(w["line"])


def extract_document(doc: Document, model: LineModel | None = None) -> Extraction:
    """Run the whole pipeline on a document that has been read.

    Raises:
        GiextractError: E004 when the document holds none of the report's tables
            (:func:`analyze_document` returns what was computed instead).
    """
    ex = analyze_document(doc, model)
    if ex.error is not None:
        raise ex.error
    if doc.file_lines:  # the record speaks of the file's lines; the stages, of their own
        in_file_lines(ex.report, doc.file_lines)
    return ex


Source = str | bytes | os.PathLike[str]


def extract_text(text: str, *, name: str = "<text>", model: LineModel | None = None) -> Report:
    """Extract one report from its text (never taken as a path).

    Text that is HTML markup is read as an HTML page.  Bad input gives a record whose
    ``error`` says why; nothing is raised.
    """
    if not isinstance(text, str):
        return _wrong_type(text, "extract_text takes a str")
    return _guarded(name, lambda: _read_str(text, name), model)


def _read_str(text: str, name: str) -> Document:
    if not text.strip():
        raise GiextractError(ErrorCode.EMPTY_INPUT, "the text is empty")
    if len(text) > MAX_BYTES:
        raise GiextractError(
            ErrorCode.TOO_LARGE,
            f"the text has {len(text)} characters, more than the limit of {MAX_BYTES}",
        )
    if sniff_format(text[:4096].encode("utf-8", errors="replace")) in ("html", "markdown"):
        return read_bytes(codecs.BOM_UTF8 + text.encode("utf-8", errors="replace"), name)
    return read_text(text, name)


def extract_bytes(
    data: bytes, name: str | None = None, *, model: LineModel | None = None
) -> Report:
    """Extract one report from the bytes of a file of any supported format.

    ``name`` only labels the record (``source``); it is never opened as a path.
    The format is told from the content.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        return _wrong_type(data, "extract_bytes takes bytes")
    source = name or "<bytes>"
    return _guarded(source, lambda: read_bytes(bytes(data), source), model)


def extract_path(path: str | os.PathLike[str], *, model: LineModel | None = None) -> Report:
    """Extract one report from a file."""
    if not isinstance(path, str | os.PathLike):
        return _wrong_type(path, "extract_path takes a str or a path")
    return _guarded(os.fspath(path), lambda: read_path(os.fspath(path)), model)


def extract(source: Source, *, model: LineModel | None = None) -> Report:
    """Extract one report, dispatching on the type alone: ``str`` is the report's text,
    ``bytes`` a file's content, a path object (``pathlib.Path``) a file.

    A string is never taken as a path: use :func:`extract_path` or pass a ``Path``.
    Anything else gives an error record (E032); nothing is raised for bad input.
    """
    if isinstance(source, str):
        return extract_text(source, model=model)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return extract_bytes(bytes(source), model=model)
    if isinstance(source, os.PathLike):
        return extract_path(source, model=model)
    return _wrong_type(source, "pass text (str), bytes or a Path")


def _wrong_type(value: object, hint: str) -> Report:
    message = f"cannot extract from a {type(value).__name__}; {hint}"
    return error_report("<input>", GiextractError(ErrorCode.BAD_INPUT_TYPE, message))


def error_report(source: str, exc: GiextractError) -> Report:
    """The record of an input that could not be processed."""
    return Report(source=source, error=exc.to_dict())


def _guarded(source: str, read: Callable[[], Document], model: LineModel | None) -> Report:
    """The guarded unit every input runs in: it never raises.

    A coded :class:`GiextractError` becomes the record's ``error``; a ``MemoryError``
    becomes E021; any other exception becomes E000 (internal error) with the exception's
    type and a short trace, so one bad file never costs the batch.
    """
    try:
        return extract_document(read(), model).report
    except GiextractError as exc:
        return error_report(source, exc)
    except MemoryError:
        error = GiextractError(
            ErrorCode.MEMORY_LIMIT,
            "the file needs more memory than this process may use",
            "raise the limit (giextract extract --memory-limit MB) or split the file",
        )
        return error_report(source, error)
    except Exception as exc:  # the guard: anything else is this file's internal error
        return error_report(source, internal_error(exc))


def extract_many(
    sources: Sequence[str | os.PathLike[str]], *, model: LineModel | None = None
) -> list[Report]:
    """Extract several files; each failure is that report's ``error``, the rest go on."""
    return list(iter_extract(sources, model=model))


def iter_extract(
    sources: Sequence[str | os.PathLike[str]], *, model: LineModel | None = None
) -> Iterator[Report]:
    """Yield one :class:`Report` per file path, in order, as each is done."""
    for source in sources:
        yield extract_guarded(source, model=model)


def extract_guarded(
    source: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    model: LineModel | None = None,
) -> Report:
    """One report from a file path or a file's bytes, in the guarded unit; never raises.

    Args:
        source: a path (``str`` or path object) or the bytes of a file of any format.
        name: the record's ``source`` (default: the path, or ``<bytes>``).
        model: the line model (default: the shipped one).
    """
    if isinstance(source, bytes):
        label = name or "<bytes>"
        return _guarded(label, lambda: read_bytes(source, label), model)
    label = name or os.fspath(source)

    def read() -> Document:
        doc = read_path(os.fspath(source))
        if name is not None:
            doc.source = name
        return doc

    return _guarded(label, read, model)
