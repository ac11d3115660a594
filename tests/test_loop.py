"""The retraining loop end to end: label → correct → train → evaluate → compare.

The fixture ``tests/fixtures/loop/yunnan-chengguan-narrow-2023`` is a report in a
layout the generator lacks (a narrow PDF column: one cell per line, every label
wrapped every five characters); a model trained without it reads some of its
rows wrong.  Adding it to the train split, labels corrected, fixes it.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from giextract.classify import load_model, load_model_from
from giextract.cli import app
from giextract.corpus import read_labels, validate_corpus
from giextract.evaluate import compare, evaluate_examples
from giextract.labeling import apply_corrections, label_report
from giextract.paths import default_config_path
from giextract.pipeline import extract_document
from giextract.read import read_path
from giextract.train import TrainConfig, evaluation_examples, train

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "loop"
NAME = "yunnan-chengguan-narrow-2023"


def small_config(
    path: Path, generated: int, eval_generated: int, max_iter: int, renders: bool = False
) -> Path:
    """training/config.toml with fewer generated reports and epochs, and the renders
    only if asked for (the loop of a corrected report does not need them)."""
    text = default_config_path().read_text(encoding="utf-8")
    for key, value in (
        ("generated", generated),
        ("eval_generated", eval_generated),
        ("max_iter", max_iter),
        ("renders", str(renders).lower()),
    ):
        text = re.sub(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
    path.write_text(text, encoding="utf-8")
    return path


def copy_corpus(dest: Path) -> Path:
    shutil.copytree(REPO / "corpus", dest)
    return dest


def wrong_fields(model_dir: Path) -> list[str]:
    gold = json.loads((FIXTURE / f"{NAME}.json").read_text(encoding="utf-8"))["fields"]
    report = extract_document(read_path(FIXTURE / f"{NAME}.txt"), load_model_from(model_dir)).report
    return [fid for fid, value in gold.items() if report.fields.get(fid) != value]


@pytest.mark.slow
def test_a_corrected_report_teaches_the_model_its_layout(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path / "corpus")
    config = small_config(tmp_path / "config.toml", generated=200, eval_generated=40, max_iter=40)
    old = train(config, corpus, tmp_path / "models")
    assert wrong_fields(old), "the fixture no longer needs the loop: pick a harder layout"

    # label: pre-label with the old model; then correct as a person would.
    draft = label_report(FIXTURE / f"{NAME}.txt", corpus, "train", NAME, model=load_model_from(old))
    assert draft.review, "the old model's mistakes should be flagged for review"
    truth = read_labels(FIXTURE / f"{NAME}.jsonl")
    fixes = {x.line: x.label for x, y in zip(truth, draft.lines, strict=True) if x.label != y.label}
    assert fixes
    flagged = {x.line for x in draft.review if x.line is not None}
    assert flagged & set(fixes), "the review list should point at some wrong labels"
    apply_corrections(draft.labels_path, fixes)
    shutil.copyfile(FIXTURE / f"{NAME}.json", corpus / "gold" / f"{NAME}.json")
    assert validate_corpus(corpus) == []

    new = train(config, corpus, tmp_path / "models")
    assert new != old
    assert wrong_fields(new) == []

    examples = evaluation_examples(TrainConfig.load(config), corpus)
    result = compare(old, new, examples)
    before, after = result.a, result.b
    assert after.fields.accuracy >= before.fields.accuracy
    assert after.fields.exact_reports >= before.fields.exact_reports
    assert after.lines.macro_f1 >= before.lines.macro_f1 - 0.01
    assert evaluate_examples(new, examples) == after


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_retraining_is_reproducible(tmp_path: Path) -> None:
    config = small_config(
        tmp_path / "config.toml", generated=12, eval_generated=4, max_iter=10, renders=True
    )
    a = train(config, REPO / "corpus", tmp_path / "a")
    b = train(config, REPO / "corpus", tmp_path / "b")
    meta_a = json.loads((a / "meta.json").read_text("utf-8"))
    meta_b = json.loads((b / "meta.json").read_text("utf-8"))
    assert meta_a["metrics"] == meta_b["metrics"]
    assert meta_a["corpus_sha256"] == meta_b["corpus_sha256"]
    assert meta_a["training"]["renders"]["pages"] > 0
    assert _onnx_without_name(a) == _onnx_without_name(b)


def _onnx_without_name(model_dir: Path) -> bytes:
    """The model's bytes with the graph name (a random UUID from skl2onnx) blanked."""
    import onnx

    proto = onnx.load(str(model_dir / "model.onnx"))
    proto.graph.name = ""
    return bytes(proto.SerializeToString())


# ----------------------------------------------------------------- bad input, via the CLI


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_unknown_label_names_file_and_line(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path / "corpus")
    path = next((corpus / "labelled" / "train").glob("*.jsonl"))
    lines = path.read_text(encoding="utf-8").splitlines()
    obj = json.loads(lines[4])
    obj["label"] = "tabel_row"
    lines[4] = json.dumps(obj, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = _run("train", "--corpus", str(corpus))
    assert code == 2
    assert "E201" in out and f"{path}:5" in out and "tabel_row" in out
    assert "line_labels.json" in out


def test_unknown_field_id_names_file_and_line(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path / "corpus")
    path = next((corpus / "gold").glob("*.json"))
    gold = json.loads(path.read_text(encoding="utf-8"))
    gold["fields"]["requests.granted.alien"] = 3
    path.write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    number = next(
        i
        for i, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if "requests.granted.alien" in line
    )
    code, out = _run("train", "--corpus", str(corpus))
    assert code == 2
    assert "E202" in out and f"{path}:{number}" in out and "requests.granted.alien" in out


def test_missing_model_names_the_fix(tmp_path: Path) -> None:
    report = REPO / "corpus" / "sources" / "guangxi-liuzhou-bigdata-2019.txt"
    code, out = _run("show", str(report), "--model", str(tmp_path / "nothing"))
    assert code == 2
    assert "E101" in out and str(tmp_path / "nothing") in out and "giextract train" in out
    load_model.cache_clear()
    try:
        code, out = _run(
            "label",
            str(report),
            "--corpus",
            str(tmp_path / "c"),
            "--name",
            "x",
            env={"GIEXTRACT_MODELS": str(tmp_path)},
        )
    finally:
        load_model.cache_clear()
    assert code == 2
    assert "E101" in out and str(tmp_path / "current") in out
    assert not (tmp_path / "c" / "sources" / "x.txt").exists()
