"""Adding a report to the corpus: pre-label it with the current model, list what to check.

:func:`label_report` copies the report to ``corpus/sources/<name>.txt``, writes the
model's labels of every physical line to ``corpus/labelled/<split>/<name>.jsonl``
(a logical line's label on its first physical line, ``continuation`` on the
others) and a draft gold ``corpus/gold/<name>.json`` from the extraction.  It
returns a :class:`LabelDraft` whose ``review`` list says what deserves a look
first — failed identities, rows not found, labels that map to no field, lines
the model was unsure of — so a person corrects only what is wrong.

:func:`apply_corrections` writes corrected labels back; :func:`review_state` and
:func:`save_review_state` keep an interactive review resumable.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .catalogue import load_template
from .checks import identities
from .classify import LOW_CONFIDENCE, LineModel, line_labels, load_model
from .corpus import (
    NAME_PATTERN,
    SPLITS,
    LabelledLine,
    read_labels,
    write_labels,
    write_splits,
)
from .errors import ErrorCode, GiextractError
from .lines import Line
from .paths import corpus_dir as resolve_corpus_dir
from .paths import ensure_writable
from .pipeline import Extraction, analyze_document
from .read import Document, read_path

#: Review priorities: lower comes first.
PRIORITY = {
    "error": 0,
    "failed_check": 1,
    "row_not_found": 2,
    "row_read_blank": 3,
    "unmapped_label": 3,
    "unplaced_values": 3,
    "stray_value": 4,
    "ambiguous_reading": 4,
    "extra_values": 4,
    "value_on_text_line": 4,
    "value_on_header_line": 5,
    "unparsed_value": 4,
    "duplicate_row": 5,
    "low_confidence": 6,
}
REVIEW_DIR = ".review"


@dataclass
class ReviewItem:
    """One thing for a person to check: where (labels file and line), what and why."""

    reason: str
    priority: int
    file: str
    line: int | None
    label: str | None
    confidence: float | None
    text: str
    message: str = ""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass
class LabelDraft:
    """What :func:`label_report` wrote and what to review, most important first."""

    name: str
    split: str
    source_path: Path
    labels_path: Path
    gold_path: Path | None
    lines: list[LabelledLine]
    review: list[ReviewItem] = field(default_factory=list)
    template: str | None = None
    error: GiextractError | None = None


def writable_corpus_dir(given: Path | None) -> Path:
    """The corpus to add reports to (it may not exist yet); never inside the installation.

    Raises:
        GiextractError: E206 when no corpus is given outside a checkout, E208 when it is
            inside the installation.
    """
    return ensure_writable(resolve_corpus_dir(given, must_exist=False), "--corpus")


def default_name(path: Path) -> str:
    """A corpus name from a file name: lowercase ASCII words joined by ``-``."""
    words = re.findall(r"[a-z0-9]+", path.stem.lower())
    return "-".join(words)


def _check_name(name: str, path: Path) -> None:
    if not NAME_PATTERN.match(name):
        raise GiextractError(
            ErrorCode.CORPUS_FORMAT,
            f"{path}: {name!r} is not a corpus name (lowercase ASCII words joined by '-')",
            "giextract label FILE --name province-agency-year",
        )


def entry_paths(corpus_dir: Path, name: str) -> list[Path]:
    """Every file of the corpus entry ``name`` that exists."""
    candidates = [corpus_dir / "sources" / f"{name}.txt", corpus_dir / "gold" / f"{name}.json"]
    candidates += [corpus_dir / "labelled" / s / f"{name}.jsonl" for s in SPLITS]
    return [p for p in candidates if p.exists()]


def physical_labels(
    doc: Document, extraction_lines: Sequence[Line], labels: Sequence[str]
) -> list[str]:
    """Labels of the physical lines: each logical line's label on its first physical line,
    ``continuation`` on the rest; a line no logical line covers is ``blank`` or ``noise``."""
    out: list[str | None] = [None] * len(doc.lines)
    for line, label in zip(extraction_lines, labels, strict=True):
        for k, number in enumerate(line.numbers):
            out[number - 1] = label if k == 0 else "continuation"
    return [
        lab if lab is not None else ("blank" if not src.text.strip() else "noise")
        for lab, src in zip(out, doc.lines, strict=True)
    ]


def _gold_draft(name: str, ex: Extraction) -> dict[str, Any]:
    report = ex.report
    return {
        "template": report.template,
        "agency": report.agency,
        "year": report.year,
        "source": f"{name}.txt",
        "layout": "unknown",
        "draft": True,
        "fields": dict(report.fields),
    }


def _failed_check_lines(ex: Extraction) -> dict[int, list[str]]:
    """Source lines holding a value of a failed identity, with the identities' ids."""
    assert ex.report.template is not None
    template = load_template(ex.report.template)
    terms = {cid: left + right for cid, left, right in identities(template)}
    out: dict[int, list[str]] = {}
    for check in ex.report.failed_checks:
        for fid in terms.get(check.id, []):
            prov = ex.report.provenance.get(fid)
            if prov is not None:
                out.setdefault(int(prov["value_line"]), []).append(check.id)
    return out


def review_items(
    labels_path: Path,
    doc: Document,
    ex: Extraction | None,
    physical: list[str],
    confidence: Mapping[int, float],
    error: GiextractError | None,
    threshold: float = LOW_CONFIDENCE,
) -> list[ReviewItem]:
    """What deserves a look, sorted by priority, then line."""
    file = str(labels_path)

    def item(reason: str, line: int | None, message: str = "") -> ReviewItem:
        src = doc.lines[line - 1].text if line else ""
        return ReviewItem(
            reason,
            PRIORITY.get(reason, 5),
            file,
            line,
            physical[line - 1] if line else None,
            confidence.get(line) if line else None,
            src,
            message,
        )

    items: list[ReviewItem] = []
    if error is not None:
        items.append(item("error", None, f"[{error.code.value}] {error.message}"))
    if ex is not None:
        for line, ids in sorted(_failed_check_lines(ex).items()):
            items.append(item("failed_check", line, "in failed " + ", ".join(sorted(set(ids)))))
        for w in ex.report.warnings:
            at = w.get("line")
            items.append(item(str(w["code"]), int(at) if at else None, str(w["message"])))
    for line, conf in sorted(confidence.items()):
        if conf < threshold:
            items.append(item("low_confidence", line, f"confidence {conf:.2f} < {threshold}"))
    items.sort(key=lambda x: (x.priority, x.line or 0))
    return items


def label_report(
    path: str | Path,
    corpus_dir: Path | None = None,
    split: str = "train",
    name: str | None = None,
    *,
    force: bool = False,
    model: LineModel | None = None,
    threshold: float = LOW_CONFIDENCE,
) -> LabelDraft:
    """Pre-label a report with the model and add it to the corpus as a draft.

    Raises:
        GiextractError: E203 when the name is not a corpus name, the split is unknown or
            the entry exists (without ``force``); input errors of reading the file;
            E101 when there is no model; E206/E208 (:func:`writable_corpus_dir`).
    """
    path = Path(path)
    corpus_dir = writable_corpus_dir(corpus_dir)
    name = name or default_name(path)
    _check_name(name, path)
    if split not in SPLITS:
        raise GiextractError(
            ErrorCode.CORPUS_FORMAT, f"unknown split {split!r}", "--split train or --split test"
        )
    existing = entry_paths(corpus_dir, name)
    if existing and not force:
        raise GiextractError(
            ErrorCode.CORPUS_FORMAT,
            f"{existing[0]}: report {name!r} is already in the corpus",
            f"giextract label {path} --name {name} --force (overwrites it)",
        )
    doc = read_path(path)
    model = model or load_model()
    run = analyze_document(doc, model)
    ex, error = (run, None) if run.error is None else (None, run.error)
    physical = physical_labels(doc, run.lines, run.labels)
    scored = zip(run.lines, run.confidence, strict=True)
    confidence = {ln.number: float(c) for ln, c in scored if not ln.is_blank}

    for old in existing:
        old.unlink()
    source_path = corpus_dir / "sources" / f"{name}.txt"
    source_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, source_path)
    labels_path = corpus_dir / "labelled" / split / f"{name}.jsonl"
    labelled = [
        LabelledLine(s.number, lab, s.text) for s, lab in zip(doc.lines, physical, strict=True)
    ]
    write_labels(labels_path, labelled)
    gold_path: Path | None = None
    if ex is not None:
        gold_path = corpus_dir / "gold" / f"{name}.json"
        gold_path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(_gold_draft(name, ex), ensure_ascii=False, indent=1) + "\n"
        gold_path.write_text(text, encoding="utf-8")
    write_splits(corpus_dir)
    review = review_items(labels_path, doc, ex, physical, confidence, error, threshold)
    return LabelDraft(
        name,
        split,
        source_path,
        labels_path,
        gold_path,
        labelled,
        review,
        ex.report.template if ex else None,
        error,
    )


# --------------------------------------------------------------------- corrections


def apply_corrections(labels_path: Path, corrections: Mapping[int, str]) -> list[LabelledLine]:
    """Set the labels of some lines (line number → label) in a labels file; returns the lines.

    Raises:
        GiextractError: E201 for an unknown label, E203 for a line the file lacks.
    """
    lines = read_labels(labels_path)
    for number, label in corrections.items():
        if label not in line_labels():
            raise GiextractError(
                ErrorCode.CORPUS_LABEL,
                f"{labels_path}:{number}: unknown label {label!r}",
                "use one of the labels defined in giextract/data/line_labels.json",
            )
        if not 1 <= number <= len(lines):
            raise GiextractError(
                ErrorCode.CORPUS_FORMAT,
                f"{labels_path}:{number}: no such line ({len(lines)} lines)",
            )
        lines[number - 1].label = label
    write_labels(labels_path, lines)
    return lines


def review_state_path(corpus_dir: Path, name: str) -> Path:
    """Where an interactive review of ``name`` records its progress (outside the hashed files)."""
    return corpus_dir / REVIEW_DIR / f"{name}.json"


def save_review_state(corpus_dir: Path, draft: LabelDraft, done: int) -> Path | None:
    """Record that the first ``done`` review items were seen; removes the record when all were."""
    path = review_state_path(corpus_dir, draft.name)
    if done >= len(draft.review):
        path.unlink(missing_ok=True)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "name": draft.name,
        "split": draft.split,
        "labels_path": str(draft.labels_path),
        "done": done,
        "items": [asdict(x) for x in draft.review],
    }
    path.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def review_state(corpus_dir: Path, name: str) -> tuple[LabelDraft, int] | None:
    """An unfinished interactive review of ``name``: the draft and how many items were seen."""
    path = review_state_path(corpus_dir, name)
    if not path.is_file():
        return None
    state = json.loads(path.read_text(encoding="utf-8"))
    labels_path = Path(state["labels_path"])
    draft = LabelDraft(
        state["name"],
        state["split"],
        corpus_dir / "sources" / f"{name}.txt",
        labels_path,
        None,
        read_labels(labels_path),
        [ReviewItem(**x) for x in state["items"]],
    )
    return draft, int(state["done"])
