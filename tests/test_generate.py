"""The synthetic report generator: determinism, labels, gold and identities."""

from __future__ import annotations

import json
import random
from collections import Counter
from importlib import resources

import pytest

from giextract.catalogue import APPEAL_GROUPS, APPLICANT_COLUMNS, load_template
from giextract.fields import fields_and_provenance
from giextract.lines import to_lines
from giextract.read import read_text
from giextract.tables import rebuild
from giextract.training.generate import (
    LAYOUTS,
    TEMPLATES,
    generate_corpus,
    generate_report,
)
from giextract.values import parse_value

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


def _numbers(cells: list[str]) -> list[float]:
    out = []
    for c in cells:
        v = parse_value(c).value
        if v is not None:
            out.append(float(v))
    return out


def test_all_layouts_read_into_lines() -> None:
    """Every non-blank source line lands in exactly one line, and every gold number is a cell."""
    seen = set()
    for r in generate_corpus(len(LAYOUTS) * 2, seed=11):
        seen.add(r.layout)
        source = r.text.split("\n")
        lines = to_lines(read_text(r.text))
        covered = [n for line in lines for n in line.numbers]
        assert len(covered) == len(set(covered)), r.name
        blank = {i + 1 for i, s in enumerate(source) if not s.strip()}
        assert set(range(1, len(source) + 1)) - blank <= set(covered), r.name
        printed = Counter(_numbers([c for line in lines for c in line.cells]))
        gold = Counter(float(v) for v in r.fields.values() if v not in (None, 0))
        assert not gold - printed, (r.name, gold - printed)
    assert seen == set(LAYOUTS)


# html2text's was "values on a line the generator labels continuation are dropped by
# tokens_of", until tokens.continuation_holds_values.
GOLD_LABEL_FAILURES: dict[str, str] = {}


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param(x, marks=pytest.mark.xfail(strict=True, reason=GOLD_LABEL_FAILURES[x]))
        if x in GOLD_LABEL_FAILURES
        else x
        for x in LAYOUTS
    ],
)
def test_gold_labels_rebuild_the_gold_fields(layout: str) -> None:
    """With the generator's own labels, the rebuild gives the gold, or flags the row.

    Damaged layouts (pdf_text) lose blank cells; where the identities cannot place the
    blank, the row is flagged ``ambiguous``: no wrong number goes out unflagged.
    """
    for r in generate_corpus(2, seed=11, layouts=[layout]):
        lines = to_lines(read_text(r.text))
        labels = [r.labels[line.number - 1] for line in lines]
        template = load_template(r.template)
        rebuilt = rebuild(lines, labels, template)
        fields, _ = fields_and_provenance(rebuilt, r.template)
        flagged = {f for row in rebuilt.rows.values() if row.ambiguous for f in row.row.field_ids}
        wrong = {k for k, v in r.fields.items() if fields.get(k) != v}
        assert wrong <= flagged, (r.name, sorted(wrong - flagged)[:5])
