"""The line classifier: an ONNX model run with onnxruntime, loaded lazily.

The shipped model is named by the text file ``models/current``; each model
directory holds ``model.onnx`` and ``meta.json`` (labels, feature version,
training-data hash, metrics).  A model whose feature version or label set does
not match this code is refused with a coded error naming the fixing command.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .catalogue import data_text
from .errors import ErrorCode, GiextractError
from .features import FEATURE_VERSION, N_FEATURES, featurize
from .lines import Line

RETRAIN = "giextract train --promote"
LOW_CONFIDENCE = 0.8
"""A line label the model is less sure of than this deserves a person's look."""


@lru_cache(maxsize=1)
def line_labels() -> tuple[str, ...]:
    """The line-label set of ``giextract/data/line_labels.json``, in file order."""
    return tuple(json.loads(data_text("line_labels.json"))["labels"])


def models_dir() -> Path:
    """Where models live: ``$GIEXTRACT_MODELS``, the installed package, or the checkout."""
    env = os.environ.get("GIEXTRACT_MODELS")
    if env:
        return Path(env)
    packaged = Path(__file__).parent / "models"
    if (packaged / "current").exists():
        return packaged
    return Path(__file__).resolve().parent.parent / "models"


def current_model_path() -> Path:
    """The directory of the shipped model, as named by ``models/current``."""
    root = models_dir()
    pointer = root / "current"
    if not pointer.exists():
        raise GiextractError(
            ErrorCode.MODEL_MISSING, f"no model: {pointer} does not exist", RETRAIN
        )
    return root / pointer.read_text(encoding="utf-8").strip()


@dataclass
class LineModel:
    """A loaded line classifier: the onnxruntime session and its metadata."""

    path: Path
    meta: dict[str, Any]
    session: Any
    labels: tuple[str, ...]

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities, shape ``(n, len(labels))``."""
        if len(features) == 0:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        name = self.session.get_inputs()[0].name
        outputs = self.session.run(None, {name: features.astype(np.float32, copy=False)})
        probs = outputs[1]
        if isinstance(probs, list):  # ZipMap output: a list of {label: p}
            return np.array([[p[k] for k in range(len(self.labels))] for p in probs], np.float32)
        return np.asarray(probs, dtype=np.float32)

    def predict(self, lines: Sequence[Line]) -> tuple[list[str], np.ndarray]:
        """Labels and the confidence of each, for a document's lines."""
        probs = self.predict_proba(featurize(lines))
        if len(probs) == 0:
            return [], np.zeros(0, dtype=np.float32)
        best = probs.argmax(axis=1)
        return [self.labels[i] for i in best.tolist()], probs.max(axis=1)


def load_model_from(path: str | Path) -> LineModel:
    """Load and check a model directory (``model.onnx`` + ``meta.json``)."""
    import onnxruntime as ort

    path = Path(path)
    meta_path, onnx_path = path / "meta.json", path / "model.onnx"
    if not meta_path.exists() or not onnx_path.exists():
        raise GiextractError(
            ErrorCode.MODEL_MISSING,
            f"model directory {path} lacks model.onnx or meta.json",
            RETRAIN,
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("feature_version") != FEATURE_VERSION or meta.get("n_features") != N_FEATURES:
        raise GiextractError(
            ErrorCode.MODEL_FEATURE_VERSION,
            f"model {path.name} was trained on features v{meta.get('feature_version')} "
            f"({meta.get('n_features')} columns); this code computes v{FEATURE_VERSION} "
            f"({N_FEATURES} columns)",
            RETRAIN,
        )
    labels = tuple(meta.get("labels", ()))
    if set(labels) != set(line_labels()):
        raise GiextractError(
            ErrorCode.MODEL_LABELS,
            f"model {path.name} knows labels {sorted(labels)}, the catalogue has "
            f"{sorted(line_labels())}",
            RETRAIN,
        )
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    try:
        session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types
        raise GiextractError(
            ErrorCode.MODEL_INVALID, f"cannot load {onnx_path}: {exc}", RETRAIN
        ) from exc
    return LineModel(path, meta, session, labels)


@lru_cache(maxsize=1)
def load_model() -> LineModel:
    """The shipped model, loaded once."""
    return load_model_from(current_model_path())
