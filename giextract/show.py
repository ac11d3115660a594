"""An HTML page of what the pipeline saw: every line with its label, every field's value.

:func:`render_report` reads a report, runs the pipeline once (:func:`analyze_document`,
which keeps the labels of a document that is not a report), puts the line labels
on a spaCy Doc (:func:`giextract.spacy_component.annotate`) and renders it with
displacy, one colour per label, followed by a table of the fields (id, value,
the line it was read from), the identities and the warnings.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .classify import LOW_CONFIDENCE, LineModel, line_labels
from .pipeline import analyze_document
from .read import Document, read_path
from .report import Report
from .spacy_component import annotate

SPANS_KEY = "giextract_lines"
COLORS = {
    "title": "#f4a6a6",
    "heading": "#f6c28b",
    "prose": "#e8e8e8",
    "noise": "#cfcfcf",
    "table_title": "#f7e07a",
    "header": "#a8d5f7",
    "group": "#c6b3f2",
    "row_label": "#9be3b0",
    "value": "#d7f59b",
    "row": "#7fd6c4",
    "values": "#bfe9a7",
    "continuation": "#f2b6dc",
    "empty_cell": "#eeeeee",
    "blank": "#ffffff",
}


def _offsets(doc: Document) -> list[tuple[int, int]]:
    """Character offsets of each source line in ``doc.text`` (lines joined by ``\\n``)."""
    out, pos = [], 0
    for line in doc.lines:
        out.append((pos, pos + len(line.text)))
        pos += len(line.text) + 1
    return out


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def cell(c: Any) -> str:
        return f"<td>{html.escape('' if c is None else str(c))}</td>"

    cells = "".join("<tr>" + "".join(cell(c) for c in r) + "</tr>" for r in rows)
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return f"<h2>{html.escape(caption)}</h2><table><tr>{th}</tr>{cells}</table>"


def fields_html(report: Report) -> str:
    """Tables of the fields (id, value, value line, raw), the checks and the warnings."""
    fields = [
        (
            fid,
            value,
            report.provenance.get(fid, {}).get("value_line"),
            report.provenance.get(fid, {}).get("raw"),
        )
        for fid, value in report.fields.items()
    ]
    checks = [
        (c.id, c.status, c.lhs, c.rhs, c.expression) for c in report.checks if c.status != "skipped"
    ]
    checks.sort(key=lambda c: c[1] != "fail")
    warnings = [(w.get("code"), w.get("line"), w.get("message")) for w in report.warnings]
    meta = (
        f"<p>template {report.template} · agency {html.escape(str(report.agency))} · "
        f"year {report.year} · {len(report.failed_checks)} failed checks</p>"
    )
    return (
        meta
        + _table("Fields", ["id", "value", "value line", "raw"], fields)
        + _table("Checks", ["id", "status", "lhs", "rhs", "expression"], checks)
        + _table("Warnings", ["code", "line", "message"], warnings)
    )


def _low_confidence_html(rows: Sequence[tuple[int, str, float, str]]) -> str:
    return _table(
        "Lines the model was unsure of",
        ["line", "label", "confidence", "text"],
        [(n, lab, f"{c:.2f}", t) for n, lab, c, t in rows],
    )


STYLE = (
    "<style>table{border-collapse:collapse;font:13px sans-serif;margin:1em 2em}"
    "td,th{border:1px solid #ccc;padding:2px 6px}</style>"
)


def render_document(doc: Document, model: LineModel | None = None) -> str:
    """The HTML page of a document that has been read."""
    import spacy
    from spacy import displacy

    ex = analyze_document(doc, model)
    lines, labels, conf, report = ex.lines, ex.labels, ex.confidence, ex.report
    sdoc = spacy.blank("zh").make_doc(doc.text)
    spans = annotate(sdoc, lines, labels, conf, _offsets(doc), SPANS_KEY)
    manual = {
        "text": sdoc.text,
        "ents": [{"start": s.start_char, "end": s.end_char, "label": s.label_} for s in spans],
        "title": f"{doc.source} — line labels",
    }
    colors = {lab: COLORS.get(lab, "#ddd") for lab in line_labels()}
    page = displacy.render(manual, style="ent", manual=True, page=True, options={"colors": colors})
    unsure = [
        (ln.number, lab, float(c), ln.raw)
        for ln, lab, c in zip(lines, labels, conf, strict=True)
        if c < LOW_CONFIDENCE and not ln.is_blank
    ]
    extra = STYLE + _low_confidence_html(unsure)
    if report.error:
        extra += f"<p>error: {html.escape(str(report.error))}</p>"
    else:
        extra += fields_html(report)
    return page.replace("</body>", f"{extra}</body>", 1)


def render_report(path: str | Path, model: LineModel | None = None) -> str:
    """The HTML page of a report file: labelled lines, fields, checks and warnings.

    Raises:
        GiextractError: for files that cannot be read, or when there is no model.
    """
    return render_document(read_path(path), model)
