"""Fuzzing in the suite: hypothesis properties over the readers and the rebuild.

A bounded profile runs here; the long run is ``python tests/fuzzing.py --n 1000000``
(or this file with ``GIEXTRACT_FUZZ=long``, which raises the examples per property).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from fuzzing import (
    REPO,
    batch_inputs,
    blanks_broken,
    check_record,
    generated,
    mutate,
    random_bytes,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giextract.batch import extract_source
from giextract.pipeline import extract_guarded, extract_text

# The bounded profile is derandomized so that CI is reproducible; the long run draws anew.
settings.register_profile(
    "bounded",
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "long", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("GIEXTRACT_FUZZ", "bounded"))

seeds = st.integers(min_value=0, max_value=10**6)


@given(seeds)
def test_readers_raise_nothing_but_coded_errors(seed: int) -> None:
    data = random_bytes(random.Random(seed))
    report = extract_guarded(data)
    assert check_record(report, None) == []


@given(seeds, st.integers(min_value=1, max_value=6))
def test_mutated_reports_keep_the_properties(seed: int, edits: int) -> None:
    text, _ = generated(seed % 40)
    mutated = mutate(text, random.Random(seed), edits)
    report = extract_text(mutated)
    assert check_record(report, mutated) == []


CONVERTER_RENDERS = sorted(
    p / "input.txt"
    for p in (REPO / "tests" / "golden" / "tables").iterdir()
    if p.name.startswith(("pymupdf4llm-", "markitdown-"))
)
"""The golden cases cut from PDF-to-Markdown converters' output (pymupdf4llm, markitdown)."""


def _converter_edits(text: str, rng: random.Random, edits: int) -> str:
    """Edits of the kinds the converters make: an HTML line break or a pipe put into a
    line at random (a cell's text wrapped, a cell cut in two)."""
    lines = text.split("\n")
    for _ in range(edits):
        i = rng.randrange(len(lines))
        at = rng.randint(0, len(lines[i]))
        lines[i] = lines[i][:at] + rng.choice(("<br>", "|", "<br><br>", "| |")) + lines[i][at:]
    return "\n".join(lines)


@given(seeds, st.integers(min_value=1, max_value=6))
def test_converter_markdown_mutated_keeps_the_properties(seed: int, edits: int) -> None:
    """pymupdf4llm's and markitdown's Markdown with random edits of their own kinds and of
    the long run's: no escaped exception, valid JSON, no number the text never printed."""
    assert len(CONVERTER_RENDERS) >= 4
    rng = random.Random(seed)
    text = CONVERTER_RENDERS[seed % len(CONVERTER_RENDERS)].read_text("utf-8")
    mutated = mutate(_converter_edits(text, rng, edits), rng, edits)
    report = extract_text(mutated)
    assert check_record(report, mutated) == []


@given(st.integers(min_value=0, max_value=10**4))
def test_a_blank_stays_null(seed: int) -> None:
    text, gold = generated(seed)
    report = extract_text(text)
    assert check_record(report, text) == []
    assert blanks_broken(report, gold) == []


def test_a_blank_appeals_table_stays_null_seed_1723() -> None:
    """Found by the fuzz properties: 行政复议's blank cells, the empty cells its values
    line starts with, were dropped as indentation (rule appeals_values_without_label)."""
    text, gold = generated(1723)
    report = extract_text(text)
    assert blanks_broken(report, gold) == []
    assert {f: report.fields[f] for f in gold if f.startswith("appeals.")} == {
        f: v for f, v in gold.items() if f.startswith("appeals.")
    }


def test_a_blank_row_over_a_row_with_values_stays_null_report_64() -> None:
    """Long run inputs 3200, 3207 … (the clean text of generated report 64): 行政处罚
    printed no values above ``行政强制 0 0 0``; the row was filled from a reading that
    took both labels for one, with 行政强制's numbers (sequence._missing_rows)."""
    text, gold = generated(64)
    report = extract_text(text)
    assert check_record(report, text) == []
    assert blanks_broken(report, gold) == []
    assert all(report.fields[f] is None for f in gold if f.startswith("active.punishment."))


@pytest.mark.parametrize("index", [662, 1306, 23146])
def test_long_digit_runs_in_a_squashed_row_found_by_the_long_run(index: int) -> None:
    """Inputs 662 (a timeout, E020) and 1306 (an escaped ValueError, E000) of the long
    run: a squashed row's run of thousands of digits was cut every way (no bound on a
    cell's length) and its pieces given to ``int()``; no piece past the digits limit is a
    cell now.  Input 23146 (a timeout): a run whose cuts rarely met the row's totals was
    searched without a bound on the nodes visited (``squashed.MAX_ROW_NODES``)."""
    ((kind, data, _, blob),) = batch_inputs(index, 1)
    report = extract_source(blob)
    assert kind == "mutated" and report.error is None
    assert check_record(report, str(data)) == []


def test_numbers_of_rows_merged_in_a_drawn_cell_found_by_the_long_run() -> None:
    """Input 365970 of the long run (an invented number): a w3m box table lost the ruling
    between three rows, so one drawn cell held 29, 1 and 2 on three lines, joined into
    2912.  Lines that stop short of their cell are not a wrapped number
    (``grid.stops_short``), and digits apart by a space are one number only in thousands
    (``values.parse_value``): the cell is no number, and none is invented."""
    ((kind, data, _, blob),) = batch_inputs(365970, 1)
    report = extract_source(blob)
    assert kind == "mutated" and report.error is None
    assert check_record(report, str(data)) == []


def test_the_long_run_reads_its_texts_as_files() -> None:
    """A ``str`` in a batch is a file's path: the long run once sent its report texts so,
    and every one came back E006 (its 216 inputs/s were the bytes readers' only)."""
    fed = list(batch_inputs(200, 12))
    assert {kind for kind, *_ in fed} == {"bytes", "clean", "mutated"}
    for kind, data, gold, blob in fed:
        assert blob.data == (data if isinstance(data, bytes) else data.encode("utf-8"))
        if kind == "clean":
            report = extract_source(blob)
            assert report.error is None and gold is not None
            assert check_record(report, str(data)) == [] and blanks_broken(report, gold) == []


def test_the_long_run_keeps_a_summary_to_resume_from(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    summary = tmp_path / "fuzz.json"
    cmd = [sys.executable, str(REPO / "tests" / "fuzzing.py"), "--start", "49", "--n", "3"]
    cmd += ["--workers", "0", "--every", "2", "--summary", str(summary)]
    subprocess.run(cmd, check=True, capture_output=True, cwd=tmp_path)
    state = json.loads(summary.read_text("utf-8"))
    assert (state["start"], state["done"], state["next"], state["finished"]) == (49, 3, 52, True)
    kinds = {k: v for k, v in state["counts"].items() if k in ("bytes", "clean", "mutated")}
    assert sum(kinds.values()) == 3
    assert "error:E006" not in state["counts"]
    assert state["broken"] == []
