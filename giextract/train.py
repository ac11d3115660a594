"""Training the line classifier: corpus + generated reports → scikit-learn → ONNX.

Needs the ``train`` extra (scikit-learn, skl2onnx, onnx), imported only here.
:func:`train` writes a new model directory ``<models>/<name>-<version>/`` with
``model.onnx`` and ``meta.json`` and never overwrites one; :func:`promote` points
``<models>/current`` at it.  Paths are explicit (:mod:`giextract.paths`): nothing is
written inside the installation.

Reproducibility: the data are deterministic in the config's seeds, and fitting runs
with every BLAS/OpenMP pool pinned to one thread (:data:`TRAIN_THREADS`), so a run on
one machine with the same corpus, config and libraries gives the same weights.  Across
machines (other CPUs, other BLAS builds) floating-point sums may round differently;
``training/README.md`` states the tolerance measured for the shipped model kind, and
``training/train.lock`` pins the libraries.
"""

from __future__ import annotations

import json
import platform
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .classify import line_labels
from .corpus import corpus_hash
from .errors import ErrorCode, GiextractError
from .evaluate import Metrics, evaluate_examples
from .features import FEATURE_VERSION, N_FEATURES, featurize
from .paths import corpus_dir as resolve_corpus_dir
from .paths import ensure_writable, models_out_dir, training_file
from .training.align import render_examples, split_render_examples
from .training.examples import (
    Example,
    TrainConfig,
    corpus_examples,
    evaluation_examples,
    training_examples,
)
from .training.lock import lock_differences, read_lock
from .training.renders import RenderedPage, load_pages, renders_dir

#: Threads of every BLAS/OpenMP pool while fitting: one, so sums are done in one order.
TRAIN_THREADS = 1
#: How far below its own macro-F1 on the corpus's test split a model may fall before the
#: metric-floor test fails (``meta.json`` ``f1_floor``).
F1_FLOOR_MARGIN = 0.03
LOCK_NAME = "train.lock"
MODEL_KINDS = ("mlp", "logreg")

__all__ = [
    "Example",
    "FamilyDrop",
    "TrainConfig",
    "evaluation_examples",
    "family_drops",
    "fit",
    "promote",
    "to_onnx",
    "train",
]


def _require_training_deps() -> None:
    try:
        import onnx  # noqa: F401
        import skl2onnx  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise GiextractError(
            ErrorCode.TRAINING_DEPS,
            f"training needs scikit-learn, skl2onnx and onnx ({exc.name} is missing)",
            'pip install "giextract[train]"',
        ) from exc


def matrix(examples: Sequence[Example]) -> tuple[np.ndarray, np.ndarray]:
    """Features and label indices of all lines of the examples."""
    index = {lab: i for i, lab in enumerate(line_labels())}
    xs = [featurize(ex.lines) for ex in examples]
    ys = [np.array([index[lab] for lab in ex.labels], dtype=np.int64) for ex in examples]
    return np.concatenate(xs), np.concatenate(ys)


def _estimator(config: TrainConfig) -> Any:
    """The classifier the config's ``model.kind`` names."""
    if config.kind == "mlp":
        from sklearn.neural_network import MLPClassifier

        return MLPClassifier(
            hidden_layer_sizes=config.hidden_layers,
            alpha=config.alpha,
            max_iter=config.max_iter,
            learning_rate_init=config.learning_rate_init,
            batch_size=config.batch_size,
            random_state=config.seed,
            early_stopping=False,
        )
    if config.kind == "logreg":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(
            C=config.c, max_iter=config.logreg_max_iter, tol=config.tol, random_state=config.seed
        )
    raise GiextractError(
        ErrorCode.CORPUS_FORMAT,
        f"{config.path}: unknown model kind {config.kind!r} (known: {', '.join(MODEL_KINDS)})",
        'set [model] kind = "mlp" or "logreg"',
    )


def fit(config: TrainConfig, x: np.ndarray, y: np.ndarray, threads: int = TRAIN_THREADS) -> Any:
    """Fit the scikit-learn pipeline (scaler + the config's classifier), threads pinned."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    model = make_pipeline(StandardScaler(), _estimator(config))
    # Every label must be a class of the model even if the data lacks it.
    n_labels = len(line_labels())
    missing = sorted(set(range(n_labels)) - set(np.unique(y).tolist()))
    if missing:
        x = np.concatenate([x, np.zeros((len(missing), x.shape[1]), dtype=x.dtype)])
        y = np.concatenate([y, np.array(missing, dtype=y.dtype)])
    with threadpool_limits(limits=threads):
        model.fit(x, y)
    return model


def to_onnx(model: Any) -> bytes:
    """Convert the fitted pipeline to ONNX (class probabilities as a plain tensor)."""
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType

    onx = convert_sklearn(
        model,
        initial_types=[("features", FloatTensorType([None, N_FEATURES]))],
        options={id(model.steps[-1][1]): {"zipmap": False}},
        target_opset=17,
    )
    onx.graph.name = "giextract-lines"  # skl2onnx names graphs with a random UUID
    return bytes(onx.SerializeToString())


def _versions() -> dict[str, str]:
    import onnxruntime
    import skl2onnx
    import sklearn

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "skl2onnx": skl2onnx.__version__,
        "onnxruntime": onnxruntime.__version__,
    }


def _lock_state() -> dict[str, Any]:
    """Whether the libraries are those of ``training/train.lock``: the differences."""
    lock = training_file(LOCK_NAME)
    if lock is None:
        return {"lock": None}
    return {"lock": f"training/{LOCK_NAME}", "differs_from_lock": lock_differences(read_lock(lock))}


def next_version(root: Path, name: str) -> str:
    """The next free version number for model ``name`` under ``root``."""
    taken = [p.name.removeprefix(f"{name}-") for p in root.glob(f"{name}-*") if p.is_dir()]
    nums = [int(v.split(".")[-1]) for v in taken if v.replace(".", "").isdigit()]
    return f"1.{max(nums, default=-1) + 1}"


def training_pages(config: TrainConfig, corpus: Path) -> list[RenderedPage]:
    """The render pages the config trains on: the corpus's training pages if ``renders``
    is set (never a held-out page), else none."""
    if not config.renders:
        return []
    return [p for p in load_pages(renders_dir(corpus)) if not p.held_out]


def _renders_meta(pages: Sequence[RenderedPage], examples: Sequence[Example]) -> dict[str, Any]:
    """What ``meta.json`` records of the renders trained on."""
    return {
        "pages": len(pages),
        "first_page": pages[0].page_id if pages else None,
        "last_page": pages[-1].page_id if pages else None,
        "examples": len(examples),
        "by_family": dict(sorted(Counter(ex.layout for ex in examples).items())),
    }


def _meta(
    config: TrainConfig,
    corpus: Path,
    version: str,
    corpus_reports: int,
    lines: int,
    pages: Sequence[RenderedPage],
    renders: Sequence[Example],
) -> dict[str, Any]:
    files = [f for p in pages for f in sorted(p.path.iterdir()) if f.is_file()]
    return {
        "name": config.name,
        "version": version,
        "labels": list(line_labels()),
        "feature_version": FEATURE_VERSION,
        "n_features": N_FEATURES,
        "corpus_sha256": corpus_hash(corpus, files),
        "training": {
            "kind": config.kind,
            "corpus_reports": corpus_reports,
            "generated_reports": config.generated,
            "generated_seed": config.generated_seed,
            "held_out_layouts": list(config.held_out_layouts),
            "renders": _renders_meta(pages, renders) if config.renders else None,
            "lines": lines,
            "config_sha256": config.sha256,
            "threads": TRAIN_THREADS,
            **_lock_state(),
        },
        "library_versions": _versions(),
    }


def train(
    config_path: Path | None = None,
    corpus_dir: Path | None = None,
    out_root: Path | None = None,
    extra_examples: Sequence[Example] = (),
) -> Path:
    """Train a new model from the corpus, its renders (the config's ``renders``) and
    generated reports; returns its directory.

    The new model is written beside the others in ``out_root`` and never overwrites
    one; it is not shipped until :func:`promote` is called.  ``meta.json`` holds the
    figures on the evaluation set and ``f1_floor``: the line macro-F1 on the corpus's
    test split less :data:`F1_FLOOR_MARGIN`; its ``corpus_sha256`` covers the render
    pages trained on.

    Raises:
        GiextractError: E204 without the training extra; E206 without a corpus; E207/E208
            without a place to write outside the installation; E20x for corpus errors.
    """
    _require_training_deps()
    config = TrainConfig.load(config_path)
    corpus = resolve_corpus_dir(corpus_dir)
    root = models_out_dir(out_root)
    pages = training_pages(config, corpus)
    renders = render_examples(pages)
    examples = training_examples(config, corpus, [*extra_examples, *renders])
    x, y = matrix(examples)
    onnx_bytes = to_onnx(fit(config, x, y))
    root.mkdir(parents=True, exist_ok=True)
    version = next_version(root, config.name)
    out = root / f"{config.name}-{version}"
    out.mkdir()
    (out / "model.onnx").write_bytes(onnx_bytes)
    corpus_reports = len(examples) - config.generated - len(renders)
    meta = _meta(config, corpus, version, corpus_reports, len(y), pages, renders)
    _write_meta(out, meta)
    metrics = evaluate_examples(out, evaluation_examples(config, corpus))
    test_f1 = evaluate_examples(out, corpus_examples("test", corpus)).lines.macro_f1
    meta["metrics"] = metrics.to_dict()
    meta["corpus_test_macro_f1"] = test_f1
    meta["f1_floor"] = round(max(0.0, test_f1 - F1_FLOOR_MARGIN), 4)
    _write_meta(out, meta)
    return out


def _write_meta(out: Path, meta: dict[str, Any]) -> None:
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")


def stored_metrics(model_dir: Path) -> Metrics:
    """The evaluation figures stored in a model's ``meta.json``."""
    meta = json.loads((Path(model_dir) / "meta.json").read_text(encoding="utf-8"))
    return Metrics.from_dict(meta["metrics"])


@dataclass(frozen=True)
class FamilyDrop:
    """A render family on which a new model reads fewer fields right than the current one."""

    family: str
    current: float
    new: float


def family_drops(new: Metrics, current: Metrics) -> list[FamilyDrop]:
    """The families (layouts) of ``current`` whose field accuracy ``new`` does not reach."""
    return [
        FamilyDrop(fam, cur.fields.accuracy, new.by_layout[fam].fields.accuracy)
        for fam, cur in current.by_layout.items()
        if fam in new.by_layout and new.by_layout[fam].fields.accuracy < cur.fields.accuracy
    ]


def promote(
    model_dir: Path,
    force: bool = False,
    corpus_dir: Path | None = None,
    config_path: Path | None = None,
) -> Path:
    """Make ``model_dir`` the shipped model, unless it evaluates worse than the current one.

    Both models are evaluated now, with this code, on the same examples, so the
    comparison is fair even when the stored metrics were computed by older code: the
    evaluation set (the corpus's test split and the held-out generated layouts), where
    the new model's field accuracy must not be lower, and the held-out pages of the
    corpus's renders, where it must not be lower on any tool family (a model that helps
    PDF text but hurts pandoc's is refused).

    Raises:
        GiextractError: E205 when the new model is worse (without ``force``); E208 when
            the models directory is inside the installation.
    """
    root = ensure_writable(Path(model_dir).parent, "--models")
    pointer = root / "current"
    if pointer.exists() and not force:
        current = root / pointer.read_text(encoding="utf-8").strip()
        if current.exists() and current != model_dir:
            examples = evaluation_examples(TrainConfig.load(config_path), corpus_dir)
            new_acc = evaluate_examples(model_dir, examples).fields.accuracy
            old_acc = evaluate_examples(current, examples).fields.accuracy
            if new_acc < old_acc:
                raise GiextractError(
                    ErrorCode.PROMOTION_REFUSED,
                    f"{model_dir.name} has field accuracy {new_acc:.5f} on the evaluation "
                    f"split, below {current.name}'s {old_acc:.5f}",
                    "giextract train --promote --force",
                )
            renders = split_render_examples(corpus_dir, held_out=True)
            drops = (
                family_drops(
                    evaluate_examples(model_dir, renders), evaluate_examples(current, renders)
                )
                if renders
                else []
            )
            if drops:
                worse = ", ".join(f"{d.family} {d.new:.4f} < {d.current:.4f}" for d in drops)
                raise GiextractError(
                    ErrorCode.PROMOTION_REFUSED,
                    f"{model_dir.name} reads the held-out renders of some tool families "
                    f"worse than {current.name}: {worse}",
                    "giextract train --promote --force",
                )
    pointer.write_text(model_dir.name + "\n", encoding="utf-8")
    return model_dir
