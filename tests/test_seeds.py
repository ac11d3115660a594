"""The five shared seed reports extract exactly as their hand-read gold: every field,
template, agency and year."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEEDS

import giextract
from giextract.catalogue import load_template

SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.exists() else []


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem[:3] for p in SEED_FILES])
def test_seed_matches_gold(path: Path) -> None:
    gold = json.loads((SEEDS / "gold" / f"{path.stem}.json").read_text("utf-8"))
    report = giextract.extract(path)
    assert report.error is None
    assert (report.template, report.agency, report.year) == (
        gold["template"],
        gold["agency"],
        gold["year"],
    )
    wrong = {
        k: (v, report.fields.get(k))
        for k, v in gold["fields"].items()
        if report.fields.get(k, "missing") != v
    }
    assert wrong == {}
    assert set(report.fields) == set(load_template(gold["template"]).field_ids)


def test_seed_provenance_points_at_printed_values() -> None:
    if not SEED_FILES:
        pytest.skip("../shared/seeds is not beside this checkout")
    path = SEEDS / "003_cb286790373cfe75.txt"
    report = giextract.extract(path)
    source_lines = path.read_text("utf-8").split("\n")
    prov = report.provenance["active.procurement.amount"]
    assert prov["raw"] == "1763847.27元"  # the cell as printed, width and spaces normalised
    assert prov["unit"] == "元"
    assert "1763847.27 元" in source_lines[prov["value_line"] - 1]
    assert "政府集中采购" in source_lines[prov["label_lines"][0] - 1]
    # The blank 行政复议 cells are null, not 0: the empty cells its values line starts with.
    assert report.fields["appeals.review.total"] is None
    prov = report.provenance["appeals.review.total"]
    assert prov["raw"] == ""
    assert source_lines[prov["value_line"] - 1].startswith("\t" * 5 + "0\t")
