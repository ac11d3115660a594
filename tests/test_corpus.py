"""The labelled corpus: the shipped corpus is valid, and bad inputs give clear errors."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from giextract.classify import line_labels
from giextract.corpus import (
    LabelledLine,
    build_splits,
    corpus_hash,
    load_report,
    load_split,
    read_gold,
    read_labels,
    split_names,
    validate_corpus,
    write_labels,
)
from giextract.errors import ErrorCode, GiextractError

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_GOLD = SHARED / "seeds" / "gold"
SEED_OF = {
    "guangxi-liujiang-investment-2019": "000_f7d84b5c63deda8f",
    "guangxi-liubei-govservice-2019": "001_a5b192ca0d16209a",
    "yunnan-chengjiang-investment-2020": "002_bce8275da3ca3d23",
    "guangxi-liuzhou-bigdata-2019": "003_cb286790373cfe75",
    "shaanxi-yangling-investment2-2019": "004_1e18f80993d45f81",
}
NAME = "guangxi-liuzhou-bigdata-2019"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the shipped corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, target)
    return target


def _labels_file(corpus: Path, name: str = NAME) -> Path:
    return next((corpus / "labelled").glob(f"*/{name}.jsonl"))


def _replace_line(path: Path, number: int, text: str | None) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    if text is None:
        del lines[number - 1]
    else:
        lines[number - 1] = text
    path.write_text("\n".join(lines), encoding="utf-8")


def _raises(code: ErrorCode, fn: Callable[..., object], *args: object) -> GiextractError:
    with pytest.raises(GiextractError) as info:
        fn(*args)
    assert info.value.code is code, info.value
    return info.value


# ------------------------------------------------------------------ shipped corpus


def test_shipped_corpus_validates() -> None:
    assert validate_corpus() == []


def test_split_is_fixed() -> None:
    assert split_names(None, "train") == [
        "guangxi-liubei-govservice-2019",
        "guangxi-liujiang-investment-2019",
        "yunnan-chengjiang-investment-2020",
    ]
    assert split_names(None, "test") == [NAME, "shaanxi-yangling-investment2-2019"]
    recorded = json.loads((DEFAULT_CORPUS_DIR / "splits.json").read_text(encoding="utf-8"))
    assert {k: recorded[k] for k in ("train", "test")} == {
        k: build_splits()[k] for k in ("train", "test")
    }


def test_every_label_is_known() -> None:
    known = set(line_labels())
    for split in ("train", "test"):
        for report in load_split(None, split):
            assert report.split == split
            assert report.gold is not None
            bad = [x for x in report.lines if x.label not in known]
            assert not bad, (report.name, bad[:3])


def test_labels_follow_the_source() -> None:
    report = load_report(None, NAME)
    source = report.source_path.read_text(encoding="utf-8").split("\n")
    assert [x.line for x in report.lines] == list(range(1, len(report.lines) + 1))
    assert [x.text for x in report.lines] == source
    by_line = {x.line: x.label for x in report.lines}
    assert by_line[64] == "row" and by_line[76] == "continuation" and by_line[91] == "values"


@pytest.mark.skipif(not SEED_GOLD.is_dir(), reason="shared seeds are not available")
@pytest.mark.parametrize("name", sorted(SEED_OF))
def test_gold_equals_the_seed_gold(name: str) -> None:
    ours = json.loads((DEFAULT_CORPUS_DIR / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    seed = json.loads((SEED_GOLD / f"{SEED_OF[name]}.json").read_text(encoding="utf-8"))
    assert ours.pop("source") == f"{name}.txt"
    seed.pop("source")
    assert ours == seed


@pytest.mark.skipif(not SEED_GOLD.is_dir(), reason="shared seeds are not available")
@pytest.mark.parametrize("name", sorted(SEED_OF))
def test_source_is_the_seed(name: str) -> None:
    ours = (DEFAULT_CORPUS_DIR / "sources" / f"{name}.txt").read_bytes()
    assert ours == (SHARED / "seeds" / f"{SEED_OF[name]}.txt").read_bytes()


def test_hash_is_stable_and_sensitive(corpus: Path) -> None:
    assert corpus_hash(corpus) == corpus_hash(DEFAULT_CORPUS_DIR)
    path = _labels_file(corpus)
    _replace_line(path, 1, json.dumps({"line": 1, "label": "noise", "text": ""}))
    assert corpus_hash(corpus) != corpus_hash(DEFAULT_CORPUS_DIR)


def test_write_labels_round_trips(tmp_path: Path) -> None:
    lines = [LabelledLine(1, "row_label", "\t规章"), LabelledLine(2, "value", "\t0")]
    path = tmp_path / "x" / "r.jsonl"
    write_labels(path, lines)
    assert "规章" in path.read_text(encoding="utf-8")
    assert read_labels(path) == lines


# ----------------------------------------------------------------------- bad input


def test_unknown_label(corpus: Path) -> None:
    path = _labels_file(corpus)
    _replace_line(path, 7, json.dumps({"line": 7, "label": "xyz", "text": "一、总体情况"}))
    err = _raises(ErrorCode.CORPUS_LABEL, load_report, corpus, NAME)
    assert f"{path}:7:" in err.message and "'xyz'" in err.message and "row_label" in err.message
    assert any("'xyz'" in p for p in validate_corpus(corpus))


def test_bad_json(corpus: Path) -> None:
    path = _labels_file(corpus)
    _replace_line(path, 5, '{"line": 5, "label": "prose", ')
    err = _raises(ErrorCode.CORPUS_FORMAT, load_report, corpus, NAME)
    assert f"{path}:5:" in err.message and "JSON" in err.message


def test_missing_line(corpus: Path) -> None:
    path = _labels_file(corpus)
    _replace_line(path, 10, None)
    err = _raises(ErrorCode.CORPUS_FORMAT, load_report, corpus, NAME)
    assert f"{path}:10:" in err.message and "out of order" in err.message


def test_missing_last_line(corpus: Path) -> None:
    path = _labels_file(corpus)
    lines = read_labels(path)
    write_labels(path, lines[:-1])
    err = _raises(ErrorCode.CORPUS_FORMAT, load_report, corpus, NAME)
    assert f"{path}:{len(lines)}:" in err.message and "labelled lines" in err.message


def test_text_not_the_source(corpus: Path) -> None:
    path = _labels_file(corpus)
    lines = read_labels(path)
    lines[20] = LabelledLine(21, lines[20].label, "something else")
    write_labels(path, lines)
    err = _raises(ErrorCode.CORPUS_FORMAT, load_report, corpus, NAME)
    assert f"{path}:21:" in err.message


def test_unknown_field_id(corpus: Path) -> None:
    path = corpus / "gold" / f"{NAME}.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"active.rules.new_made"', '"active.rules.bogus"'), "utf-8")
    expected_line = next(
        i for i, line in enumerate(text.splitlines(), 1) if '"active.rules.new_made"' in line
    )
    err = _raises(ErrorCode.CORPUS_FIELD, read_gold, path)
    assert f"{path}:{expected_line}:" in err.message and "active.rules.bogus" in err.message
    assert any("active.rules.bogus" in p for p in validate_corpus(corpus))


def test_gold_bad_json(corpus: Path) -> None:
    path = corpus / "gold" / f"{NAME}.json"
    path.write_text('{\n "template": "2019",\n "fields": {,}\n}\n', encoding="utf-8")
    err = _raises(ErrorCode.CORPUS_FORMAT, read_gold, path)
    assert f"{path}:3:" in err.message


def test_orphans_and_stale_splits(corpus: Path) -> None:
    shutil.move(_labels_file(corpus), corpus / "labelled" / "train" / f"{NAME}.jsonl")
    problems = validate_corpus(corpus)
    assert any("splits.json" in p and "test" in p for p in problems)
    (corpus / "sources" / "stray-report-2019.txt").write_text("x\n", encoding="utf-8")
    assert any("stray-report-2019" in p for p in validate_corpus(corpus))


def test_unknown_split() -> None:
    _raises(ErrorCode.CORPUS_FORMAT, load_split, None, "dev")
