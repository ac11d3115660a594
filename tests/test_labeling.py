"""giextract label: pre-labelled drafts in the corpus format, the review list, corrections."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from giextract.classify import LineModel
from giextract.cli import app
from giextract.corpus import load_report, read_gold, read_labels, validate_corpus
from giextract.errors import GiextractError
from giextract.labeling import (
    PRIORITY,
    apply_corrections,
    default_name,
    label_report,
    review_state,
    save_review_state,
)

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "loop" / "yunnan-chengguan-narrow-2023.txt"
CLEAN = REPO / "corpus" / "sources" / "guangxi-liuzhou-bigdata-2019.txt"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return Path(shutil.copytree(REPO / "corpus", tmp_path / "corpus"))


def test_default_name() -> None:
    assert default_name(Path("Report_Liuzhou 2019.TXT")) == "report-liuzhou-2019"
    assert default_name(Path("年度报告.txt")) == ""


def test_draft_is_a_valid_corpus_entry(corpus: Path, model: LineModel) -> None:
    draft = label_report(CLEAN, corpus, "test", "new-report-2019", model=model)
    assert validate_corpus(corpus) == []
    report = load_report(corpus, "new-report-2019")
    assert report.split == "test"
    assert (corpus / "sources" / "new-report-2019.txt").read_bytes() == CLEAN.read_bytes()
    assert [x.label for x in report.lines] == [x.label for x in draft.lines]
    gold = read_gold(corpus / "gold" / "new-report-2019.json")
    assert gold.template == "2019" and gold.layout == "unknown"
    assert gold.source == "new-report-2019.txt"
    assert "new-report-2019" in json.loads((corpus / "splits.json").read_text("utf-8"))["test"]


def test_continuation_lines_of_a_merged_row() -> None:
    from giextract.labeling import physical_labels
    from giextract.lines import Line
    from giextract.read import read_text

    doc = read_text("a\nb\nc\n")
    lines = [
        Line(0, (1, 2), None, "a", ("a",), 0, "grid"),
        Line(1, (3,), None, "c", ("c",), 0, "none"),
    ]
    expected = ["row", "continuation", "prose", "blank"]
    assert physical_labels(doc, lines, ["row", "prose"]) == expected


def test_review_list_flags_the_mistakes_first(corpus: Path, model: LineModel) -> None:
    draft = label_report(FIXTURE, corpus, "train", "narrow", model=model)
    assert draft.review
    priorities = [x.priority for x in draft.review]
    assert priorities == sorted(priorities)
    reasons = {x.reason for x in draft.review}
    assert reasons & {"failed_check", "row_not_found", "unmapped_label"}
    truth = read_labels(FIXTURE.with_suffix(".jsonl"))
    wrong = {t.line for t, d in zip(truth, draft.lines, strict=True) if t.label != d.label}
    flagged = {x.line for x in draft.review if x.line is not None}
    assert len(wrong & flagged) >= len(wrong) // 3
    for item in draft.review:
        if item.line is not None:
            assert item.where == f"{draft.labels_path}:{item.line}"
            assert item.text == truth[item.line - 1].text
    assert all(r in PRIORITY for r in reasons)


def test_refuses_to_overwrite_without_force(corpus: Path, model: LineModel) -> None:
    with pytest.raises(GiextractError) as err:
        label_report(CLEAN, corpus, "train", "guangxi-liuzhou-bigdata-2019", model=model)
    assert err.value.code.value == "E203" and "--force" in str(err.value)
    label_report(CLEAN, corpus, "train", "guangxi-liuzhou-bigdata-2019", model=model, force=True)
    assert not (corpus / "labelled" / "test" / "guangxi-liuzhou-bigdata-2019.jsonl").exists()
    assert validate_corpus(corpus) == []


def test_bad_name_and_split(corpus: Path, model: LineModel) -> None:
    with pytest.raises(GiextractError, match="--name"):
        label_report(CLEAN, corpus, "train", "Bad Name", model=model)
    with pytest.raises(GiextractError, match="unknown split"):
        label_report(CLEAN, corpus, "dev", "ok-name", model=model)


def test_apply_corrections(corpus: Path, model: LineModel) -> None:
    draft = label_report(CLEAN, corpus, "train", "fix-me", model=model)
    apply_corrections(draft.labels_path, {3: "heading"})
    assert read_labels(draft.labels_path)[2].label == "heading"
    with pytest.raises(GiextractError) as err:
        apply_corrections(draft.labels_path, {4: "headline"})
    assert err.value.code.value == "E201" and f"{draft.labels_path}:4" in str(err.value)


def test_review_state_resumes(corpus: Path, model: LineModel) -> None:
    draft = label_report(FIXTURE, corpus, "train", "narrow", model=model)
    assert save_review_state(corpus, draft, 2) is not None
    state = review_state(corpus, "narrow")
    assert state is not None and state[1] == 2 and len(state[0].review) == len(draft.review)
    assert save_review_state(corpus, draft, len(draft.review)) is None
    assert review_state(corpus, "narrow") is None
    assert validate_corpus(corpus) == []


def test_cli_prints_the_review_list(corpus: Path, model: LineModel) -> None:
    result = CliRunner().invoke(
        app, ["label", str(FIXTURE), "--corpus", str(corpus), "--name", "narrow"]
    )
    assert result.exit_code == 0, result.output
    assert "to review, most important first" in result.output
    assert f"{corpus / 'labelled' / 'train' / 'narrow.jsonl'}:" in result.output
    again = CliRunner().invoke(
        app, ["label", str(FIXTURE), "--corpus", str(corpus), "--name", "narrow"]
    )
    assert again.exit_code == 2 and "E203" in again.output


def test_cli_interactive_stops_and_resumes(corpus: Path, model: LineModel) -> None:
    args = ["label", str(FIXTURE), "--corpus", str(corpus), "--name", "narrow", "--interactive"]
    first = CliRunner().invoke(app, args, input="\ncontinuation\nq\n")
    assert first.exit_code == 0, first.output
    assert "stopped at 2/" in first.output
    state = review_state(corpus, "narrow")
    assert state is not None and state[1] == 2
    second = CliRunner().invoke(app, args, input="\n" * 200)
    assert second.exit_code == 0, second.output
    assert "resuming the review of narrow at item 3" in second.output
    assert "review done" in second.output
    assert review_state(corpus, "narrow") is None


def test_a_text_that_is_no_report_keeps_its_labels(tmp_path: Path, model: LineModel) -> None:
    """E004 no longer throws the classification away: the labels are written, the error
    heads the review list, and no gold is drafted."""
    note = tmp_path / "note.txt"
    note.write_text("通知\n\n请各单位按时报送材料。\n", encoding="utf-8")
    draft = label_report(note, tmp_path / "corpus", "train", "note-2024", model=model)
    assert draft.error is not None and draft.error.code.value == "E004"
    assert draft.gold_path is None and draft.template is None
    assert [x.text for x in draft.lines] == ["通知", "", "请各单位按时报送材料。", ""]
    assert draft.lines[1].label == "blank"
    assert draft.review[0].reason == "error" and "[E004]" in draft.review[0].message
    assert read_labels(draft.labels_path) == draft.lines
