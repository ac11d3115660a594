"""How stable is a trained line classifier under floating-point noise? (issue 9, item 7)

A retrain on another machine sums floating-point numbers in another order (other SIMD
kernels, other BLAS builds, other thread counts).  This benchmark imitates that on one
machine: for each model kind it fits the shipped config's data three times —

* ``base``: threads pinned to one (as ``giextract train`` does);
* ``threads2``: two BLAS/OpenMP threads (other summation order in the matrix products);
* ``noise``: the features multiplied by ``1 + 1e-12·N(0, 1)`` (rounding-level noise);

and reports, against ``base``: the largest change of a class probability and the share
of evaluation lines whose label changes, and each variant's evaluation figures
(``giextract evaluate``'s set).  Run (about 15 min on 2 busy cores)::

    nice -n 10 python benchmarks/bench_reproducibility.py --kinds mlp,logreg --out /tmp/r.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from giextract.classify import line_labels
from giextract.evaluate import evaluate_examples
from giextract.features import FEATURE_VERSION, N_FEATURES
from giextract.train import fit, matrix, to_onnx
from giextract.training.examples import TrainConfig, evaluation_examples, training_examples

NOISE = 1e-12


def _write(model: Any, root: Path, name: str) -> Path:
    out = root / name
    out.mkdir()
    (out / "model.onnx").write_bytes(to_onnx(model))
    meta = {"labels": list(line_labels()), "feature_version": FEATURE_VERSION}
    meta["n_features"] = N_FEATURES
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return out


def run(config: TrainConfig, kinds: list[str]) -> dict[str, Any]:
    """The figures of every kind and variant."""
    x, y = matrix(training_examples(config))
    evaluation = evaluation_examples(config)
    x_eval, _ = matrix(evaluation)
    noisy = x * (1 + NOISE * np.random.default_rng(0).standard_normal(x.shape))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            cfg = dataclasses.replace(config, kind=kind)
            fitted: dict[str, Any] = {}
            for variant, data, threads in (("base", x, 1), ("threads2", x, 2), ("noise", noisy, 1)):
                start = time.perf_counter()
                fitted[variant] = fit(cfg, data, y, threads=threads)
                seconds = time.perf_counter() - start
                metrics = evaluate_examples(
                    _write(fitted[variant], Path(tmp), f"{kind}-{variant}"), evaluation
                )
                base_p = fitted["base"].predict_proba(x_eval)
                p = fitted[variant].predict_proba(x_eval)
                results[f"{kind}/{variant}"] = {
                    "fit_seconds": round(seconds, 1),
                    "max_probability_change": float(np.abs(p - base_p).max()),
                    "changed_line_labels": float((p.argmax(1) != base_p.argmax(1)).mean()),
                    "line_macro_f1": metrics.lines.macro_f1,
                    "line_accuracy": metrics.lines.accuracy,
                    "field_accuracy": metrics.fields.accuracy,
                    "exact_reports": metrics.fields.exact_reports,
                    "nonzero_recall": metrics.fields.nonzero_recall,
                }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--kinds", default="mlp,logreg")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    results = run(TrainConfig.load(args.config), args.kinds.split(","))
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
