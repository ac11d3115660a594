"""The synthetic report generator: determinism, labels, gold and identities."""

from __future__ import annotations

import json
import random
from importlib import resources

import pytest

from giextract.catalogue import APPEAL_GROUPS, APPLICANT_COLUMNS, load_template
from giextract.lines import to_lines
from giextract.read import read_text
from giextract.training.generate import (
    LAYOUTS,
    TEMPLATES,
    generate_corpus,
    generate_report,
)

_LABELS_JSON = resources.files("giextract").joinpath("data", "line_labels.json")
LABELS = set(json.loads(_LABELS_JSON.read_text("utf-8"))["labels"])


def test_deterministic() -> None:
    a = [r.text for r in generate_corpus(15, seed=7)]
    b = [r.text for r in generate_corpus(15, seed=7)]
    c = [r.text for r in generate_corpus(15, seed=8)]
    assert a == b
    assert a != c


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_and_template(template: str, layout: str) -> None:
    tpl = load_template(template)
    for i in range(6):
        r = generate_report(random.Random(f"{layout}-{template}-{i}"), template, layout, i)
        lines = r.text.split("\n")
        assert len(r.labels) == len(lines)
        assert set(r.labels) <= LABELS
        assert list(r.fields) == list(tpl.field_ids)
        assert r.template == template and r.layout == layout
        assert {"table_title", "title"} <= set(r.labels)
        for line, label in zip(lines, r.labels, strict=True):
            if label == "blank":
                assert not line.strip() and "\t" not in line
            if not line.strip() and "\t" not in line:
                assert label == "blank", (r.name, line)


def test_identities_hold_without_error_or_blanks() -> None:
    checked = 0
    for r in generate_corpus(60, seed=3):
        if r.options["error"] or r.options["blank_mode"] != "none":
            continue
        f = {k: v for k, v in r.fields.items() if v is not None}
        assert len(f) == len(r.fields)
        for col in (*APPLICANT_COLUMNS, "total"):
            lhs = f[f"requests.new_received.{col}"] + f[f"requests.carried_over.{col}"]
            assert lhs == f[f"requests.total.{col}"] + f[f"requests.carried_forward.{col}"]
        for g in APPEAL_GROUPS:
            parts = sum(f[f"appeals.{g}.{c}"] for c in ("upheld", "corrected", "other", "pending"))
            assert parts == f[f"appeals.{g}.total"]
        checked += 1
    assert checked > 10


def test_cell_tab_text_reads_into_lines() -> None:
    for r in generate_corpus(4, seed=5, layouts=["cell_tab"]):
        lines = to_lines(read_text(r.text))
        assert len(lines) == len(r.text.split("\n"))


def test_all_layouts_read_into_lines() -> None:
    for r in generate_corpus(len(LAYOUTS) * 2, seed=11):
        assert to_lines(read_text(r.text))
