"""Evaluating a line classifier: line labels and, end to end, the extracted fields.

Figures: per-label precision, recall and F1 of lines (and their macro average);
field accuracy, recall on non-zero fields, exact-match rate of whole reports;
each also broken down by layout.  Two models evaluated on the same examples can
be compared report by report with :func:`compare`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .classify import LineModel, line_labels, load_model_from
from .errors import GiextractError
from .pipeline import extract_document
from .read import read_text

if TYPE_CHECKING:
    from .train import Example


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}


def line_metrics(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
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
    present = [lab for lab in line_labels() if per[lab]["support"] > 0]
    macro = sum(per[lab]["f1"] for lab in present) / max(1, len(present))
    correct = sum(tp.values())
    return {
        "per_label": per,
        "macro_f1": round(macro, 4),
        "accuracy": round(correct / max(1, len(gold)), 4),
        "lines": len(gold),
    }


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-9


def field_outcomes(gold: dict[str, Any], got: dict[str, Any]) -> list[tuple[str, bool, Any, Any]]:
    """(field id, right?, gold value, extracted value) for every gold field."""
    return [(fid, _same(v, got.get(fid)), v, got.get(fid)) for fid, v in gold.items()]


def _model(model: LineModel | str | Path) -> LineModel:
    return model if isinstance(model, LineModel) else load_model_from(model)


def run_examples(
    model: LineModel | str | Path, examples: Sequence[Example]
) -> list[dict[str, Any]]:
    """Run a model on examples: per example its predicted labels and extracted fields."""
    lm = _model(model)
    out = []
    for ex in examples:
        pred, _ = lm.predict(ex.lines)
        fields: dict[str, Any] = {}
        error = None
        template = None
        if ex.gold is not None:
            try:
                report = extract_document(read_text(ex.text, ex.name), lm).report
                fields, template = report.fields, report.template
            except GiextractError as exc:
                error = exc.code.value
        out.append(
            {
                "name": ex.name,
                "layout": ex.layout,
                "gold_labels": ex.labels,
                "pred_labels": pred,
                "fields": fields,
                "template": template,
                "error": error,
                "gold": ex.gold,
                "gold_template": ex.template,
            }
        )
    return out


def summarize(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Line and field figures over runs, overall and by layout."""
    gold_l = [g for r in runs for g in r["gold_labels"]]
    pred_l = [p for r in runs for p in r["pred_labels"]]
    by_layout: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in runs:
        by_layout[r["layout"]].append(r)
    return {
        "lines": line_metrics(gold_l, pred_l),
        "fields": _field_summary(runs),
        "by_layout": {
            lay: {
                "fields": _field_summary(rs),
                "line_accuracy": line_metrics(
                    [g for r in rs for g in r["gold_labels"]],
                    [p for r in rs for p in r["pred_labels"]],
                )["accuracy"],
            }
            for lay, rs in sorted(by_layout.items())
        },
    }


def _field_summary(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    total = right = nonzero = nonzero_right = exact = reports = templ = 0
    for r in runs:
        if r["gold"] is None:
            continue
        reports += 1
        outcomes = field_outcomes(r["gold"], r["fields"])
        ok = sum(1 for _, good, _, _ in outcomes if good)
        total += len(outcomes)
        right += ok
        exact += ok == len(outcomes)
        templ += r["template"] == r["gold_template"]
        for _, good, g, _ in outcomes:
            if g not in (None, 0):
                nonzero += 1
                nonzero_right += good
    return {
        "reports": reports,
        "fields": total,
        "accuracy": round(right / total, 5) if total else 0.0,
        "nonzero_recall": round(nonzero_right / nonzero, 5) if nonzero else 0.0,
        "exact_reports": round(exact / reports, 4) if reports else 0.0,
        "template_accuracy": round(templ / reports, 4) if reports else 0.0,
    }


def evaluate_examples(model: LineModel | str | Path, examples: Sequence[Example]) -> dict[str, Any]:
    """Evaluate a model on examples: line figures and field figures, by layout too."""
    return summarize(run_examples(model, examples))


def compare(
    a: LineModel | str | Path, b: LineModel | str | Path, examples: Sequence[Example]
) -> dict[str, Any]:
    """Compare two models on the same examples: figures of each, and the fields one gets
    right that the other does not."""
    ra, rb = run_examples(a, examples), run_examples(b, examples)
    only_a: list[dict[str, Any]] = []
    only_b: list[dict[str, Any]] = []
    for x, y in zip(ra, rb, strict=True):
        if x["gold"] is None:
            continue
        for (fid, ok_a, g, va), (_, ok_b, _, vb) in zip(
            field_outcomes(x["gold"], x["fields"]),
            field_outcomes(y["gold"], y["fields"]),
            strict=True,
        ):
            if ok_a != ok_b:
                item = {"report": x["name"], "field": fid, "gold": g, "a": va, "b": vb}
                (only_a if ok_a else only_b).append(item)
    return {"a": summarize(ra), "b": summarize(rb), "only_a_right": only_a, "only_b_right": only_b}
