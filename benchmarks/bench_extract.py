"""Benchmark (not a test): extraction speed over generated reports, on one core.

Measures
* time to first result: a fresh process imports giextract, loads the model and
  extracts one report (what a user waits for after typing the command);
* throughput: reports per second over N generated reports of every layout family,
  in one process, after warm-up is excluded (the first report is timed apart).

Run: ``python benchmarks/bench_extract.py [--n 1000] [--seed 3]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_NUM_THREADS", "1")


def first_result_seconds(path: Path) -> float:
    code = (
        "import time; t=time.perf_counter(); import giextract; "
        f"r=giextract.extract({str(path)!r}); assert r.ok, r.error; "
        "print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    from giextract.training.generate import generate_corpus

    reports = list(generate_corpus(args.n, args.seed))
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "report.txt"
        sample.write_text(reports[0].text, encoding="utf-8")
        cold = first_result_seconds(sample)

    import giextract
    from giextract.classify import load_model

    load_model()
    by_layout: dict[str, list[float]] = defaultdict(list)
    failed = 0
    start = time.perf_counter()
    for rep in reports:
        t = time.perf_counter()
        result = giextract.extract(rep.text)
        by_layout[rep.layout].append(time.perf_counter() - t)
        failed += not result.ok
    total = time.perf_counter() - start
    print(f"reports: {len(reports)} (failed: {failed})")
    print(f"time to first result (new process, import + model + 1 report): {cold:.3f} s")
    print(
        f"throughput on one core: {len(reports) / total:.1f} reports/s "
        f"({1000 * total / len(reports):.2f} ms per report)"
    )
    for layout, times in sorted(by_layout.items()):
        print(f"  {layout:<16} {1000 * sum(times) / len(times):6.2f} ms per report")


if __name__ == "__main__":
    main()
