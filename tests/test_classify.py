"""The shipped line classifier: its metric floor, and the models it refuses (E101–E104)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS

from giextract.classify import LineModel, line_labels, load_model_from
from giextract.errors import GiextractError
from giextract.evaluate import evaluate_examples
from giextract.training.examples import corpus_examples


def test_macro_f1_on_the_corpus_test_split_is_above_the_floor(model: LineModel) -> None:
    """The floor ``train`` stores in meta.json (style guide: no exact golden per line)."""
    floor = model.meta["f1_floor"]
    assert 0.5 < floor < 1.0
    metrics = evaluate_examples(model, corpus_examples("test", CORPUS))
    assert metrics.lines.lines > 500
    assert metrics.lines.macro_f1 >= floor, metrics.lines.per_label


def test_model_labels_are_the_catalogue(model: LineModel) -> None:
    assert list(model.meta["labels"]) == list(line_labels())
    assert set(model.labels) == set(line_labels())


def _broken_copy(
    model: LineModel, tmp_path: Path, change: Callable[[dict[str, Any]], None]
) -> Path:
    target = tmp_path / "broken-model"
    shutil.copytree(model.path, target)
    meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
    change(meta)
    (target / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return target


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(meta: dict[str, Any]) -> None:
        meta[key] = value

    return change


@pytest.mark.parametrize(
    ("change", "code", "says"),
    [
        (_set("feature_version", 0), "E102", "features v0"),
        (_set("n_features", 7), "E102", "(7 columns)"),
        (_set("labels", ["blank", "row", "table_row"]), "E103", "table_row"),
        (_set("labels", list(line_labels())[:-1]), "E103", "knows labels"),
    ],
)
def test_a_model_that_does_not_fit_the_code_is_refused(
    model: LineModel,
    tmp_path: Path,
    change: Callable[[dict[str, Any]], None],
    code: str,
    says: str,
) -> None:
    path = _broken_copy(model, tmp_path, change)
    with pytest.raises(GiextractError) as err:
        load_model_from(path)
    assert err.value.code.value == code
    assert says in err.value.message and path.name in err.value.message
    assert err.value.fix == "giextract train --promote"


def test_missing_and_invalid_models_are_refused(model: LineModel, tmp_path: Path) -> None:
    with pytest.raises(GiextractError) as err:
        load_model_from(tmp_path / "nothing")
    assert err.value.code.value == "E101"
    path = _broken_copy(model, tmp_path, lambda meta: None)
    (path / "model.onnx").write_bytes(b"not an onnx graph")
    with pytest.raises(GiextractError) as err:
        load_model_from(path)
    assert err.value.code.value == "E104"
