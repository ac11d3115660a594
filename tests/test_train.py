"""Training: the lock of the train extra, the model kinds, stability under rounding noise,
the renders trained on and the per-family promotion check."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, REPO

from giextract.corpus import corpus_hash
from giextract.errors import GiextractError
from giextract.evaluate import Metrics
from giextract.paths import default_config_path
from giextract.train import family_drops, fit, matrix, training_pages
from giextract.training.examples import TrainConfig, corpus_examples, generated_examples
from giextract.training.lock import closure, extra_requirements, mismatches, read_lock
from giextract.training.renders import load_pages, renders_dir

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


# ----------------------------------------------------------------- the renders in the loop


def test_with_renders_the_config_trains_on_the_training_pages_only() -> None:
    config = dataclasses.replace(TrainConfig.load(), renders=True)
    pages = training_pages(config, CORPUS)
    assert pages and not any(p.held_out for p in pages)
    held = [p for p in load_pages(renders_dir(CORPUS)) if p.held_out]
    assert held and not {p.page_id for p in held} & {p.page_id for p in pages}
    assert training_pages(dataclasses.replace(config, renders=False), CORPUS) == []


def test_a_config_without_the_renders_key_does_not_train_on_them(tmp_path: Path) -> None:
    text = default_config_path().read_text("utf-8")
    path = tmp_path / "config.toml"
    path.write_text("\n".join(x for x in text.splitlines() if not x.startswith("renders")))
    assert not TrainConfig.load(path).renders


def test_the_project_config_is_the_shipped_models_recipe() -> None:
    """The shipped model was trained without the renders (not promoted: CHANGELOG 0.3.0)."""
    assert not TrainConfig.load().renders


def test_the_corpus_hash_covers_the_render_pages_trained_on(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for sub in ("sources", "labelled", "gold"):
        shutil.copytree(CORPUS / sub, corpus / sub)
    page = corpus / "renders" / "pages" / "p000"
    shutil.copytree(CORPUS / "renders" / "pages" / "p000", page)
    files = sorted(page.iterdir())
    before = corpus_hash(corpus, files)
    assert before != corpus_hash(corpus)
    (page / "w3m.txt").write_bytes((page / "w3m.txt").read_bytes() + b"\n")
    assert corpus_hash(corpus, files) != before


def _metrics(by_family: dict[str, float]) -> Metrics:
    def layout(acc: float) -> dict[str, object]:
        fields = dict(
            reports=1, fields=10, accuracy=acc, nonzero_recall=acc, exact_reports=0.0,
            template_accuracy=1.0,
        )  # fmt: skip
        return {"fields": fields, "line_accuracy": 1.0}

    lines = {"per_label": {}, "macro_f1": 1.0, "accuracy": 1.0, "lines": 1}
    return Metrics.from_dict(
        {
            "lines": lines,
            "fields": layout(0.9)["fields"],
            "by_layout": {f: layout(a) for f, a in by_family.items()},
        }
    )


# (case, current model per family, new model per family, the families that dropped)
DROP_CASES = [
    ("better or equal everywhere", {"w3m": 0.9, "pdf": 0.8}, {"w3m": 0.9, "pdf": 0.85}, []),
    ("helps one family, hurts another", {"w3m": 0.9, "pdf": 0.8}, {"w3m": 1, "pdf": 0.79}, ["pdf"]),
    ("a family the new run lacks is not a drop", {"w3m": 0.9, "lynx": 0.5}, {"w3m": 0.9}, []),
]


@pytest.mark.parametrize(("case", "current", "new", "dropped"), DROP_CASES)
def test_family_drops(
    case: str, current: dict[str, float], new: dict[str, float], dropped: list[str]
) -> None:
    drops = family_drops(_metrics(new), _metrics(current))
    assert [d.family for d in drops] == dropped, case
    assert all(d.new < d.current for d in drops), case
