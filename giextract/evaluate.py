"""Evaluating a line classifier: line labels and, end to end, the extracted fields.

Figures: per-label precision, recall and F1 of lines (and their macro average);
field accuracy, recall on non-zero fields, exact-match rate of whole reports;
each also broken down by layout.  Every example goes through the pipeline once
(:func:`giextract.pipeline.analyze_document`): its line labels and its fields come
from the same run.  Two models evaluated on the same examples can be compared
report by report with :func:`compare`.  The figures are typed records
(:class:`Metrics`, :class:`Comparison`) with ``to_dict``/``from_dict`` for JSON.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .catalogue import Template
from .checks import check_counts
from .classify import LineModel, line_labels, load_model_from
from .pipeline import analyze_document
from .training.examples import Example, labels_for_lines

Value = int | float | None


@dataclass(frozen=True)
class LabelScore:
    """Precision, recall and F1 of one line label, and its number of gold lines."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class LineMetrics:
    """Line-label figures: per label, macro-F1 over the labels present, accuracy."""

    per_label: dict[str, LabelScore]
    macro_f1: float
    accuracy: float
    lines: int

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> LineMetrics:
        per = {k: LabelScore(**v) for k, v in raw["per_label"].items()}
        return cls(per, raw["macro_f1"], raw["accuracy"], raw["lines"])


@dataclass(frozen=True)
class FieldMetrics:
    """End-to-end field figures over the reports that have gold."""

    reports: int
    fields: int
    accuracy: float
    nonzero_recall: float
    exact_reports: float
    template_accuracy: float


@dataclass(frozen=True)
class LayoutMetrics:
    """Figures of one layout family."""

    fields: FieldMetrics
    line_accuracy: float


@dataclass(frozen=True)
class Metrics:
    """Everything :func:`evaluate_examples` measures; ``to_dict`` is the JSON of meta.json."""

    lines: LineMetrics
    fields: FieldMetrics
    by_layout: dict[str, LayoutMetrics]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures (the shape stored in a model's ``meta.json``)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Metrics:
        """Figures read back from :meth:`to_dict` (e.g. a model's ``meta.json``)."""
        return cls(
            LineMetrics.from_dict(raw["lines"]),
            FieldMetrics(**raw["fields"]),
            {
                k: LayoutMetrics(FieldMetrics(**v["fields"]), v["line_accuracy"])
                for k, v in raw["by_layout"].items()
            },
        )


@dataclass(frozen=True)
class FieldOutcome:
    """One gold field of one report: right or not, the gold and the extracted value."""

    field: str
    right: bool
    gold: Value
    got: Value


@dataclass
class ExampleRun:
    """One example through the pipeline: gold and predicted line labels, and fields."""

    name: str
    layout: str
    gold_labels: list[str]
    pred_labels: list[str]
    fields: dict[str, Value]
    template: str | None
    error: str | None
    gold: dict[str, Value] | None
    gold_template: str | None


@dataclass(frozen=True)
class FieldDiff:
    """A field that one model gets right and the other does not."""

    report: str
    field: str
    gold: Value
    a: Value
    b: Value


@dataclass(frozen=True)
class Comparison:
    """Two models on the same examples: the figures of each and where they differ."""

    a: Metrics
    b: Metrics
    only_a_right: list[FieldDiff] = field(default_factory=list)
    only_b_right: list[FieldDiff] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready comparison."""
        return asdict(self)


def _prf(tp: int, fp: int, fn: int) -> LabelScore:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return LabelScore(round(p, 4), round(r, 4), round(f, 4), tp + fn)


def line_metrics(gold: Sequence[str], pred: Sequence[str]) -> LineMetrics:
    """Per-label precision/recall/F1, macro F1 over labels present, and accuracy."""
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    for g, p in zip(gold, pred, strict=True):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    per = {lab: _prf(tp[lab], fp[lab], fn[lab]) for lab in line_labels()}
    present = [lab for lab in line_labels() if per[lab].support > 0]
    macro = sum(per[lab].f1 for lab in present) / max(1, len(present))
    correct = sum(tp.values())
    return LineMetrics(per, round(macro, 4), round(correct / max(1, len(gold)), 4), len(gold))


def _same(a: Value, b: Value) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-9


def field_outcomes(gold: Mapping[str, Value], got: Mapping[str, Value]) -> list[FieldOutcome]:
    """The outcome of every gold field."""
    return [FieldOutcome(fid, _same(v, got.get(fid)), v, got.get(fid)) for fid, v in gold.items()]


MAX_TRIED_LAYINGS = 20_000  # layings of one row tried by :func:`order_undecidable`


def order_undecidable(template: Template, gold: Mapping[str, Value]) -> frozenset[str]:
    """The fields of a report that no reader can get from the order of its printed
    numbers and the template's identities alone: where a blank cell printed nothing.

    A row ``0 0 0 0 0 0`` under seven columns, one blank, can be laid seven ways that
    all satisfy every identity: each column may be the blank, so none of its fields is
    decidable (a reader must leave them null).  ``0 0 0 0 6 6`` (the blank among the
    zeros) decides its two 6s and leaves the zeros' columns undecidable.

    Each row with blank cells in ``gold`` has its printed values laid onto its columns
    in order every way; a field is undecidable when the layings that fail no more
    identities than the gold does (the other rows as in the gold: a report's own
    arithmetic may be wrong) put different values in it.  Text that keeps the
    cells' positions (``pdftotext -layout``, lynx's empty lines) may still decide them.
    A row with more than :data:`MAX_TRIED_LAYINGS` layings counts as undecidable.
    """
    out: set[str] = set()
    for row in template.rows:
        ids = row.field_ids
        printed = [gold.get(f) for f in ids if gold.get(f) is not None]
        width, k = len(ids), len(printed)
        if k == width:
            continue
        if math.comb(width, k) > MAX_TRIED_LAYINGS:
            out.update(ids)
            continue
        own_failures = check_counts(template, gold, ids)[1]
        fitting: list[list[Value]] = []
        for cols in itertools.combinations(range(width), k):
            laid: list[Value] = [None] * width
            for value, col in zip(printed, cols, strict=True):
                laid[col] = value
            trial = {**gold, **dict(zip(ids, laid, strict=True))}
            if check_counts(template, trial, ids)[1] <= own_failures:
                fitting.append(laid)
        out.update(f for i, f in enumerate(ids) if len({laid[i] for laid in fitting}) > 1)
    return frozenset(out)


def _model(model: LineModel | str | Path) -> LineModel:
    return model if isinstance(model, LineModel) else load_model_from(model)


def run_example(model: LineModel, ex: Example) -> ExampleRun:
    """One example through the pipeline, once: its line labels and its fields."""
    run = analyze_document(ex.document, model)
    return ExampleRun(
        name=ex.name,
        layout=ex.layout,
        gold_labels=labels_for_lines(run.lines, ex.physical_labels),
        pred_labels=run.labels,
        fields=dict(run.report.fields),
        template=run.report.template,
        error=None if run.error is None else run.error.code.value,
        gold=ex.gold,
        gold_template=ex.template,
    )


def run_examples(model: LineModel | str | Path, examples: Sequence[Example]) -> list[ExampleRun]:
    """Run a model on examples: per example its predicted labels and extracted fields."""
    lm = _model(model)
    return [run_example(lm, ex) for ex in examples]


def summarize(runs: Sequence[ExampleRun]) -> Metrics:
    """Line and field figures over runs, overall and by layout."""
    by_layout: dict[str, list[ExampleRun]] = defaultdict(list)
    for r in runs:
        by_layout[r.layout].append(r)
    return Metrics(
        lines=_line_summary(runs),
        fields=_field_summary(runs),
        by_layout={
            lay: LayoutMetrics(_field_summary(rs), _line_summary(rs).accuracy)
            for lay, rs in sorted(by_layout.items())
        },
    )


def _line_summary(runs: Sequence[ExampleRun]) -> LineMetrics:
    return line_metrics(
        [g for r in runs for g in r.gold_labels], [p for r in runs for p in r.pred_labels]
    )


def _field_summary(runs: Sequence[ExampleRun]) -> FieldMetrics:
    total = right = nonzero = nonzero_right = exact = reports = templ = 0
    for r in runs:
        if r.gold is None:
            continue
        reports += 1
        outcomes = field_outcomes(r.gold, r.fields)
        ok = sum(1 for o in outcomes if o.right)
        total += len(outcomes)
        right += ok
        exact += ok == len(outcomes)
        templ += r.template == r.gold_template
        for o in outcomes:
            if o.gold not in (None, 0):
                nonzero += 1
                nonzero_right += o.right
    return FieldMetrics(
        reports=reports,
        fields=total,
        accuracy=round(right / total, 5) if total else 0.0,
        nonzero_recall=round(nonzero_right / nonzero, 5) if nonzero else 0.0,
        exact_reports=round(exact / reports, 4) if reports else 0.0,
        template_accuracy=round(templ / reports, 4) if reports else 0.0,
    )


def evaluate_examples(model: LineModel | str | Path, examples: Sequence[Example]) -> Metrics:
    """Evaluate a model on examples: line figures and field figures, by layout too."""
    return summarize(run_examples(model, examples))


def compare(
    a: LineModel | str | Path, b: LineModel | str | Path, examples: Sequence[Example]
) -> Comparison:
    """Compare two models on the same examples: figures of each, and the fields one gets
    right that the other does not."""
    ra, rb = run_examples(a, examples), run_examples(b, examples)
    only_a: list[FieldDiff] = []
    only_b: list[FieldDiff] = []
    for x, y in zip(ra, rb, strict=True):
        if x.gold is None or y.gold is None:
            continue
        for oa, ob in zip(
            field_outcomes(x.gold, x.fields), field_outcomes(y.gold, y.fields), strict=True
        ):
            if oa.right != ob.right:
                item = FieldDiff(x.name, oa.field, oa.gold, oa.got, ob.got)
                (only_a if oa.right else only_b).append(item)
    return Comparison(summarize(ra), summarize(rb), only_a, only_b)
