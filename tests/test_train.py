"""Training: the lock of the train extra, the model kinds, stability under rounding noise."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, REPO

from giextract.errors import GiextractError
from giextract.paths import default_config_path
from giextract.train import fit, matrix
from giextract.training.examples import TrainConfig, corpus_examples, generated_examples
from giextract.training.lock import closure, extra_requirements, mismatches, read_lock

LOCK = REPO / "training" / "train.lock"


def test_the_lock_pins_every_distribution_of_the_train_extra_within_range() -> None:
    requirements = extra_requirements(REPO / "pyproject.toml")
    pins = read_lock(LOCK)
    assert mismatches(requirements, pins) == []
    names = {r.name.lower() for r in requirements}
    assert {"scikit-learn", "skl2onnx", "onnx", "onnxruntime", "numpy", "threadpoolctl"} <= names
    assert set(closure(requirements)) <= set(pins), "regenerate training/train.lock"


def test_the_project_config_is_the_default() -> None:
    assert default_config_path() == REPO / "training" / "config.toml"
    config = TrainConfig.load()
    assert config.kind in ("mlp", "logreg") and config.sha256


def _tiny(kind: str) -> tuple[TrainConfig, np.ndarray, np.ndarray]:
    config = dataclasses.replace(TrainConfig.load(), kind=kind, logreg_max_iter=300)
    examples = corpus_examples("train", CORPUS) + generated_examples(12, 5)
    x, y = matrix(examples)
    return config, x, y


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_logistic_regression_shrugs_off_rounding_noise() -> None:
    """The stable kind: features perturbed at rounding level give the same labels and
    nearly the same probabilities (an MLP gives another model; see training/README.md)."""
    config, x, y = _tiny("logreg")
    noisy = x * (1 + 1e-12 * np.random.default_rng(0).standard_normal(x.shape))
    a, b = fit(config, x, y), fit(config, noisy, y)
    pa, pb = a.predict_proba(x), b.predict_proba(x)
    assert (pa.argmax(1) == pb.argmax(1)).all()
    assert np.abs(pa - pb).max() < 1e-3
    assert (pa.argmax(1) == y).mean() > 0.95


def test_an_unknown_model_kind_is_refused(tmp_path: Path) -> None:
    config, x, y = _tiny("forest")
    with pytest.raises(GiextractError) as err:
        fit(config, x[:20], y[:20])
    assert "unknown model kind 'forest'" in err.value.message
