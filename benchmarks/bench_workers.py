"""Benchmark (not a test): the worker pool, ``--workers 2`` against ``--workers 1``.

Writes N generated reports (every layout family and both templates) as text files,
extracts them with the pool of :mod:`giextract.batch` at each worker count, and
prints reports/s, the speed-up, and the peak RSS of each worker.  The records of
every run must be identical (the order and the values do not depend on the pool).
The inputs are written by a child process, so the parent holds no more than the
CLI's does (a forked worker's RSS starts at its parent's).  The machine's load
average is printed too: on a shared machine it bounds the speed-up that can be seen.

Run: ``python benchmarks/bench_workers.py [--n 2000] [--workers 1 2]``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_NUM_THREADS", "1")


def _cpu(who: int) -> float:
    import resource

    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def write_reports(folder: Path, n: int, seed: int) -> list[str]:
    """Write ``n`` generated reports as text files, in a child process.

    A forked worker's peak RSS starts at its parent's RSS at the fork, so the parent
    must hold no more than the CLI's does: the generator, its reports and the pipeline
    are loaded in a process of their own, as the files a user runs on are made
    elsewhere.  The parent imports only :mod:`giextract.batch`, as the CLI does.
    """
    code = (
        "import sys; from pathlib import Path; "
        "from giextract.training.generate import generate_corpus; "
        "folder, n, seed = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]); "
        "[(folder / f'{i:05d}.txt').write_text(r.text, encoding='utf-8') "
        "for i, r in enumerate(generate_corpus(n, seed))]"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(folder), str(n), str(seed)], check=True, cwd=REPO
    )
    return sorted(str(p) for p in folder.glob("*.txt"))


def run(paths: list[str], workers: int) -> tuple[float, str, list[float], int, float, float]:
    """Seconds, a digest of the records, each worker's peak RSS (MiB), failures, and the
    CPU seconds of this process and of the workers."""
    import resource

    from giextract.batch import PoolStats, iter_batch
    from giextract.records import record_json

    parent0, children0 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    stats = PoolStats()
    digest = hashlib.sha256()
    failed = 0
    start = time.perf_counter()
    for report in iter_batch(paths, workers=workers, stats=stats):
        digest.update(record_json(report).encode())
        failed += not report.ok
    seconds = time.perf_counter() - start
    parent = _cpu(resource.RUSAGE_SELF) - parent0
    children = _cpu(resource.RUSAGE_CHILDREN) - children0
    return seconds, digest.hexdigest(), stats.peak_rss_mb, failed, parent, children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_reports(Path(tmp), args.n, args.seed)
        print(f"reports: {len(paths)}; load average before: {os.getloadavg()[0]:.1f}")
        results = {}
        for workers in args.workers:
            seconds, digest, rss, failed, parent, children = run(paths, workers)
            results[workers] = seconds
            peaks = ", ".join(f"{x:.0f}" for x in rss)
            print(
                f"--workers {workers}: {seconds:.1f} s, {len(paths) / seconds:.1f} reports/s, "
                f"failed {failed}, peak RSS per worker (MiB): {peaks}, records {digest[:12]}, "
                f"load average after: {os.getloadavg()[0]:.1f}"
            )
            print(
                f"  CPU: this process {parent:.1f} s, the workers {children:.1f} s; with "
                f"{workers} free cores the pool's bound is "
                f"{min(workers, children / max(parent, 1e-9)):.2f}x one worker"
            )
        base = args.workers[0]
        for workers in args.workers[1:]:
            print(f"speed-up {workers} vs {base} workers: {results[base] / results[workers]:.2f}x")


if __name__ == "__main__":
    main()
