"""The line classifier as a spaCy pipeline component.

The component reads a :class:`spacy.tokens.Doc` made from a report's text (for
example with ``spacy.blank("zh")``, which segments characters) and runs giextract's
pipeline on it once (:func:`giextract.pipeline.analyze_document`): logical lines,
their labels from the ONNX line classifier, the tables and the fields.  It sets
``doc.spans[spans_key]``: one span per non-blank logical line, ``span.label_`` its
line label.  Each span's confidence and source line numbers are kept in
``doc.user_data`` and read through ``span._.giextract_confidence`` and
``span._.giextract_lines``; the extracted report (or its error) is
``doc._.giextract_report``, as the JSON-ready dict of :meth:`giextract.report.Report.to_dict`.

As in spaCy's own components, :meth:`LineClassifier.predict` computes and
:meth:`LineClassifier.set_annotations` writes; ``__call__`` and ``pipe`` do both.

>>> import spacy, giextract.registrations  # doctest: +SKIP
>>> nlp = spacy.blank("zh"); nlp.add_pipe("giextract_line_classifier")  # doctest: +SKIP
>>> [(s.label_, s.text) for s in nlp(text).spans["giextract_lines"]]  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span

from .classify import LineModel, load_model, load_model_from
from .lines import Line, to_lines
from .pipeline import Extraction, analyze_document
from .read import read_text

USER_DATA_KEY = "giextract_lines"
REPORT_KEY = "giextract_report"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _key(start: int, end: int) -> str:
    # A string key: Doc.to_bytes (msgpack) cannot round-trip tuple keys.
    return f"{start}:{end}"


def _record(span: Span) -> dict[str, Any] | None:
    records = span.doc.user_data.get(USER_DATA_KEY, {})
    result: dict[str, Any] | None = records.get(_key(span.start_char, span.end_char))
    return result


def _span_confidence(span: Span) -> float | None:
    record = _record(span)
    return None if record is None else float(record["confidence"])


def _span_lines(span: Span) -> list[int] | None:
    record = _record(span)
    return None if record is None else list(record["lines"])


def _doc_report(doc: Doc) -> dict[str, Any] | None:
    report: dict[str, Any] | None = doc.user_data.get(REPORT_KEY)
    return report


def register_extensions() -> None:
    """Register ``Span._.giextract_confidence``, ``Span._.giextract_lines`` and
    ``Doc._.giextract_report`` (idempotent)."""
    if not Span.has_extension("giextract_confidence"):
        Span.set_extension("giextract_confidence", getter=_span_confidence)
    if not Span.has_extension("giextract_lines"):
        Span.set_extension("giextract_lines", getter=_span_lines)
    if not Doc.has_extension("giextract_report"):
        Doc.set_extension("giextract_report", getter=_doc_report)


def source_line_offsets(text: str) -> list[tuple[int, int]]:
    """Character offsets ``(start, end)`` in ``text`` of each source line of
    :func:`giextract.read.read_text`, in order (index = line number - 1).

    Mirrors :func:`giextract.read.split_text`: CRLF, CR and LF end lines; a form
    feed starts a new page and a blank part after it is no line; a leading BOM is
    skipped.
    """
    offsets: list[tuple[int, int]] = []
    base = 1 if text.startswith("\ufeff") else 0
    pos = base
    for raw in _LINE_BREAK.split(text[base:]):
        parts = raw.split("\f")
        start = pos
        for i, part in enumerate(parts):
            if i == 0 or part.strip():
                offsets.append((start, start + len(part)))
            start += len(part) + 1
        match = _LINE_BREAK.match(text, pos + len(raw))
        pos += len(raw) + (len(match.group()) if match else 0)
    return offsets


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class LineClassifier:
    """Label every logical line of a report's Doc with giextract's line classifier.

    Args:
        nlp: the pipeline (unused; spaCy passes it).
        name: the component's name in the pipeline.
        model_path: a model directory (``model.onnx`` + ``meta.json``); None for
            the shipped model.  Loaded on first use.
        spans_key: the key of ``doc.spans`` to write the line spans to.
    """

    def __init__(
        self,
        nlp: Any = None,
        name: str = "giextract_line_classifier",
        *,
        model_path: str | Path | None = None,
        spans_key: str = "giextract_lines",
    ) -> None:
        self.name = name
        self.model_path = None if model_path is None else Path(model_path)
        self.spans_key = spans_key
        self._model: LineModel | None = None
        register_extensions()

    @property
    def line_model(self) -> LineModel:
        """The ONNX line model, loaded on first use.

        Raises:
            GiextractError: E101–E104 when the model is missing or does not fit this code.
        """
        if self._model is None:
            self._model = (
                load_model() if self.model_path is None else load_model_from(self.model_path)
            )
        return self._model

    @staticmethod
    def lines_of(doc: Doc) -> list[Line]:
        """The logical lines of the Doc's text, as giextract reads them."""
        return to_lines(read_text(doc.text, "<doc>"))

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Annotate a stream of Docs, ``batch_size`` at a time."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                self.set_annotations(batch, self.predict(batch))
                yield from batch
                batch = []
        if batch:
            self.set_annotations(batch, self.predict(batch))
            yield from batch

    def predict(self, docs: Sequence[Doc]) -> list[Extraction]:
        """The pipeline's result for each Doc: lines, labels, confidences, tables and
        fields (one pipeline run and one onnxruntime call per Doc).

        No side effects: :meth:`set_annotations` writes them.
        """
        return [analyze_document(read_text(doc.text, "<doc>"), self.line_model) for doc in docs]

    def set_annotations(self, docs: Sequence[Doc], preds: Sequence[Extraction]) -> None:
        """Write one span per non-blank logical line to ``doc.spans[spans_key]`` and the
        report to ``doc._.giextract_report``."""
        for doc, ex in zip(docs, preds, strict=True):
            offsets = source_line_offsets(doc.text)
            annotate(doc, ex.lines, ex.labels, ex.confidence, offsets, self.spans_key)
            doc.user_data[REPORT_KEY] = ex.report.to_dict()


def annotate(
    doc: Doc,
    lines: Sequence[Line],
    labels: Sequence[str],
    confidence: Sequence[float] | np.ndarray,
    offsets: Sequence[tuple[int, int]],
    spans_key: str = "giextract_lines",
) -> list[Span]:
    """Set ``doc.spans[spans_key]`` from labelled logical lines and the character offsets
    of the source lines in ``doc.text``; returns the spans."""
    spans: list[Span] = []
    records: dict[str, dict[str, Any]] = {}
    for line, label, conf in zip(lines, labels, confidence, strict=True):
        if line.is_blank:
            continue
        start, end = _stripped(
            doc.text, offsets[line.numbers[0] - 1][0], offsets[line.numbers[-1] - 1][1]
        )
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None:
            continue
        spans.append(span)
        records[_key(span.start_char, span.end_char)] = {
            "label": label,
            "confidence": float(conf),
            "lines": list(line.numbers),
        }
    doc.spans[spans_key] = spans
    doc.user_data[USER_DATA_KEY] = records
    return spans
