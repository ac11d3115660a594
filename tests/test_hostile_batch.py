"""A batch of hostile files, each followed by a good report (issue 12, Done when).

Exactly one record per input in input order; the good report byte-identical to its
solo run each time; every bad file its own code; the batch in bounded time; no
worker over the memory limit.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hostile import BUILDERS, GOOD

from giextract.batch import Limits, PoolStats, iter_batch
from giextract.records import record_json

TIMEOUT_S = 10.0
MEMORY_MB = 512
BATCH_BUDGET_S = 120.0

# The code each hostile file gets from the limit that is meant to catch it; None is a
# processed record (the over-long number a value error on its field, not a crash).
SPECIFIC: dict[str, set[str | None]] = {
    "nested.html": {"E004"},  # read deep HTML iteratively: one word, no report
    "selfref.pdf": {"E008"},  # pdfium reads its page as empty at once (pdfminer looped)
    "bomb.docx": {"E012"},  # 48 MB of empty paragraphs: the XML-size limit, before parsing
    "bomb.pdf": {"E012"},  # the inflated-size limit, checked before inflating
    "digits309.txt": {None},  # the digits-per-number limit: a value error on its field
    "digits4301.txt": {None},
    "encrypted.pdf": {"E011"},  # needs a password (qpdf --decrypt)
}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, build in BUILDERS.items():
        paths[name] = root / name
        paths[name].write_bytes(build())
    good = root / "good.txt"
    good.write_bytes(GOOD.read_bytes())
    paths["good.txt"] = good
    return paths


def _digits_are_not_numbers(record: dict[str, object]) -> bool:
    fields = record["fields"]
    assert isinstance(fields, dict)
    return all(v is None or len(str(v)) < 30 for v in fields.values())


def test_hostile_batch(hostile_dir: dict[str, Path]) -> None:
    good = str(hostile_dir["good.txt"])
    names = list(BUILDERS)
    sources = []
    for name in names:
        sources += [str(hostile_dir[name]), good]
    limits = Limits(timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB)
    stats = PoolStats()
    start = time.monotonic()
    reports = list(iter_batch(sources, workers=2, limits=limits, stats=stats))
    elapsed = time.monotonic() - start

    assert [r.source for r in reports] == sources  # one record each, in order
    solo = record_json(next(iter_batch([good], workers=1, limits=limits)))
    assert solo == record_json(next(iter_batch([good], workers=0)))
    for report in reports[1::2]:
        assert record_json(report) == solo
    got = {}
    for name, report in zip(names, reports[0::2], strict=True):
        code = (report.error or {}).get("code")
        got[name] = code
        record = json.loads(record_json(report))  # valid JSON, never NaN
        if code is None:
            assert _digits_are_not_numbers(record), name
    assert {n: c for n, c in got.items() if c not in SPECIFIC[n]} == {}, got
    assert elapsed < BATCH_BUDGET_S
    assert all(rss <= MEMORY_MB for rss in stats.peak_rss_mb), stats
