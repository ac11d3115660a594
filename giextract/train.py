"""Training the line classifier: corpus + generated reports → scikit-learn → ONNX.

Needs the ``train`` extra (scikit-learn, skl2onnx, onnx), imported only here.
:func:`train` writes a new model directory ``models/<name>-<version>/`` with
``model.onnx`` and ``meta.json`` and never overwrites one; :func:`promote` points
``models/current`` at it.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .classify import line_labels, models_dir
from .corpus import DEFAULT_CORPUS_DIR, corpus_hash, load_split
from .errors import ErrorCode, GiextractError
from .features import FEATURE_VERSION, N_FEATURES, featurize
from .lines import Line, to_lines
from .read import read_path, read_text

REPO = Path(__file__).resolve().parent.parent
TRAINING_DIR = REPO / "training"


def _toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    with path.open("rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters and data settings (``training/config.toml``)."""

    name: str
    hidden_layers: tuple[int, ...]
    alpha: float
    max_iter: int
    learning_rate_init: float
    batch_size: int
    seed: int
    generated: int
    generated_seed: int
    held_out_layouts: tuple[str, ...]
    eval_generated: int
    eval_seed: int

    @classmethod
    def load(cls, path: Path | None = None) -> TrainConfig:
        raw = _toml(path or TRAINING_DIR / "config.toml")
        m, d = raw["model"], raw["data"]
        return cls(
            name=m["name"],
            hidden_layers=tuple(m["hidden_layers"]),
            alpha=m["alpha"],
            max_iter=m["max_iter"],
            learning_rate_init=m["learning_rate_init"],
            batch_size=m["batch_size"],
            seed=m["seed"],
            generated=d["generated"],
            generated_seed=d["generated_seed"],
            held_out_layouts=tuple(d["held_out_layouts"]),
            eval_generated=d["eval_generated"],
            eval_seed=d["eval_seed"],
        )


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


def generator() -> Any:
    """The synthetic report generator of ``training/generate.py``."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from training import generate

    return generate


def labels_for_lines(lines: Sequence[Line], physical: Sequence[str]) -> list[str]:
    """Labels of logical lines from the labels of physical lines (first line of each)."""
    return [physical[line.number - 1] for line in lines]


@dataclass
class Example:
    """One labelled document ready for training or evaluation."""

    name: str
    layout: str
    lines: list[Line]
    labels: list[str]
    text: str
    gold: dict[str, Any] | None
    template: str | None


def corpus_examples(split: str, corpus_dir: Path | None = None) -> list[Example]:
    """The labelled corpus reports of one split as examples."""
    out = []
    for rep in load_split(corpus_dir, split):
        doc = read_path(rep.source_path)
        lines = to_lines(doc)
        physical = [ll.label for ll in rep.lines]
        gold = None if rep.gold is None else rep.gold.fields
        out.append(
            Example(
                rep.name,
                rep.gold.layout or "corpus" if rep.gold else "corpus",
                lines,
                labels_for_lines(lines, physical),
                doc.text,
                gold,
                rep.gold.template if rep.gold else None,
            )
        )
    return out


def generated_examples(
    n: int, seed: int, layouts: Sequence[str] | None = None, exclude: Iterable[str] = ()
) -> list[Example]:
    """``n`` generated reports (deterministic in ``seed``) as examples."""
    gen = generator()
    excluded = set(exclude)
    chosen = [x for x in (layouts or gen.LAYOUTS) if x not in excluded]
    out = []
    for rep in gen.generate_corpus(n, seed, layouts=chosen):
        lines = to_lines(read_text(rep.text, rep.name))
        out.append(
            Example(
                rep.name,
                rep.layout,
                lines,
                labels_for_lines(lines, rep.labels),
                rep.text,
                rep.fields,
                rep.template,
            )
        )
    return out


def matrix(examples: Sequence[Example]) -> tuple[np.ndarray, np.ndarray]:
    """Features and label indices of all lines of the examples."""
    labels = line_labels()
    index = {lab: i for i, lab in enumerate(labels)}
    xs = [featurize(ex.lines) for ex in examples]
    ys = [np.array([index[lab] for lab in ex.labels], dtype=np.int64) for ex in examples]
    return np.concatenate(xs), np.concatenate(ys)


def fit(config: TrainConfig, x: np.ndarray, y: np.ndarray) -> Any:
    """Fit the scikit-learn pipeline (scaler + MLP)."""
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    clf = MLPClassifier(
        hidden_layer_sizes=config.hidden_layers,
        alpha=config.alpha,
        max_iter=config.max_iter,
        learning_rate_init=config.learning_rate_init,
        batch_size=config.batch_size,
        random_state=config.seed,
        early_stopping=False,
    )
    model = make_pipeline(StandardScaler(), clf)
    # Every label must be a class of the model even if the data lacks it.
    n_labels = len(line_labels())
    missing = sorted(set(range(n_labels)) - set(np.unique(y).tolist()))
    if missing:
        x = np.concatenate([x, np.zeros((len(missing), x.shape[1]), dtype=x.dtype)])
        y = np.concatenate([y, np.array(missing, dtype=y.dtype)])
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


def next_version(root: Path, name: str) -> str:
    """The next free version number for model ``name`` under ``root``."""
    taken = [p.name.removeprefix(f"{name}-") for p in root.glob(f"{name}-*") if p.is_dir()]
    nums = [int(v.split(".")[-1]) for v in taken if v.replace(".", "").isdigit()]
    return f"1.{max(nums, default=-1) + 1}"


def train(
    config_path: Path | None = None,
    corpus_dir: Path | None = None,
    out_root: Path | None = None,
    extra_examples: Sequence[Example] = (),
) -> Path:
    """Train a new model from the corpus and generated reports; returns its directory.

    The new model is written beside the others and never overwrites one; it is
    not shipped until :func:`promote` is called.
    """
    _require_training_deps()
    from .evaluate import evaluate_examples

    config = TrainConfig.load(config_path)
    corpus_dir = corpus_dir or DEFAULT_CORPUS_DIR
    train_examples = corpus_examples("train", corpus_dir) + list(extra_examples)
    train_examples += generated_examples(
        config.generated, config.generated_seed, exclude=config.held_out_layouts
    )
    x, y = matrix(train_examples)
    model = fit(config, x, y)
    onnx_bytes = to_onnx(model)
    root = out_root or models_dir()
    root.mkdir(parents=True, exist_ok=True)
    version = next_version(root, config.name)
    out = root / f"{config.name}-{version}"
    out.mkdir()
    (out / "model.onnx").write_bytes(onnx_bytes)
    meta: dict[str, Any] = {
        "name": config.name,
        "version": version,
        "labels": list(line_labels()),
        "feature_version": FEATURE_VERSION,
        "n_features": N_FEATURES,
        "corpus_sha256": corpus_hash(corpus_dir),
        "training": {
            "corpus_reports": len(train_examples) - config.generated,
            "generated_reports": config.generated,
            "generated_seed": config.generated_seed,
            "held_out_layouts": list(config.held_out_layouts),
            "lines": len(y),
            "config_sha256": hashlib.sha256(
                (config_path or TRAINING_DIR / "config.toml").read_bytes()
            ).hexdigest(),
        },
        "library_versions": _versions(),
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
    metrics = evaluate_examples(out, evaluation_examples(config, corpus_dir))
    meta["metrics"] = metrics
    meta["f1_floor"] = round(max(0.0, metrics["lines"]["macro_f1"] - 0.03), 4)
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
    return out


def evaluation_examples(config: TrainConfig, corpus_dir: Path | None = None) -> list[Example]:
    """The evaluation set: the corpus's test split and generated held-out-layout reports."""
    held = generated_examples(
        config.eval_generated, config.eval_seed, layouts=config.held_out_layouts
    )
    return corpus_examples("test", corpus_dir) + held


def promote(
    model_dir: Path,
    force: bool = False,
    corpus_dir: Path | None = None,
    config_path: Path | None = None,
) -> Path:
    """Make ``model_dir`` the shipped model, unless it evaluates worse than the current one.

    Both models are evaluated now, with this code, on the same evaluation examples (the
    corpus's test split and the held-out generated layouts), so the comparison is fair
    even when the stored metrics were computed by older code.
    """
    from .evaluate import evaluate_examples

    root = model_dir.parent
    pointer = root / "current"
    if pointer.exists() and not force:
        current = root / pointer.read_text(encoding="utf-8").strip()
        if current.exists() and current != model_dir:
            examples = evaluation_examples(TrainConfig.load(config_path), corpus_dir)
            new_acc = evaluate_examples(model_dir, examples)["fields"]["accuracy"]
            old_acc = evaluate_examples(current, examples)["fields"]["accuracy"]
            if new_acc < old_acc:
                raise GiextractError(
                    ErrorCode.PROMOTION_REFUSED,
                    f"{model_dir.name} has field accuracy {new_acc:.5f} on the evaluation "
                    f"split, below {current.name}'s {old_acc:.5f}",
                    "giextract train --promote --force",
                )
    pointer.write_text(model_dir.name + "\n", encoding="utf-8")
    return model_dir
