"""Benchmark (not a test): extraction speed on one core, and the time to the first record.

Measures, in one run:

* time to the first record in a new process, with the bytecode an install writes:
  the library (``import giextract``, extract one report) and the CLI
  (``giextract extract FILE -f jsonl`` until its first line of output,
  with the worker pool and with ``--workers 0``);
* throughput on one core over real text: the shared seeds and the web renders in
  the tests' fixtures, repeated to ``--n`` reports, after a warm-up report; and over
  up to ``--n`` distinct texts, the tool renders of ``corpus/renders`` each once (the
  stages cache work per distinct line, which a repeated corpus flatters);
* a plain-Python floor on the same texts (decode, NFKC, a number regex), and the
  ratio of the two;
* with ``--generated``, the time per report of each generated layout family.

Run: ``python benchmarks/bench_extract.py [--n 1000] [--generated 200]``.  On a shared
machine, read the load average it prints beside the figures, and the rates by CPU time
(``time.process_time``), which other processes do not slow down as much.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_NUM_THREADS", "1")
SEEDS = REPO.parent / "shared" / "seeds"
WEB = REPO / "tests" / "fixtures" / "web"
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def real_texts() -> list[tuple[str, str]]:
    """(name, text) of the shared seeds and the web-render fixtures."""
    files = sorted(SEEDS.glob("*.txt")) + sorted(WEB.glob("*.txt"))
    return [(p.name, p.read_text(encoding="utf-8")) for p in files]


def installed_env() -> dict[str, str]:
    """The environment of a new process as an installed package runs: with bytecode.

    ``pip install`` compiles the package's ``.pyc`` files, so a user's first run does not
    compile the sources; with ``PYTHONDONTWRITEBYTECODE`` set (as on some dev machines) a
    source checkout would compile ~30 modules on every run, about 0.1 s.  The caller
    writes the bytecode once (:func:`compile_bytecode`) before timing.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_bytecode() -> None:
    """Write the ``.pyc`` files of giextract, as ``pip install`` does."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "giextract")],
        env=installed_env(),
        check=True,
    )


def first_record_library(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds from the start of the import to the first record."""
    code = (
        "import time; t=time.perf_counter(); c=time.process_time(); import giextract; "
        f"r=giextract.extract_path({str(path)!r}); assert r.ok, r.error; "
        "print(time.perf_counter()-t, time.process_time()-c)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=installed_env(),
    )
    wall, cpu = out.stdout.split()
    return float(wall), float(cpu)


def first_record_cli(path: Path, *extra: str) -> float:
    cmd = [sys.executable, "-m", "giextract.cli", "extract", str(path), "-f", "jsonl", "-q"]
    start = time.perf_counter()
    proc = subprocess.Popen([*cmd, *extra], stdout=subprocess.PIPE, cwd=REPO, env=installed_env())
    assert proc.stdout is not None
    proc.stdout.readline()
    seconds = time.perf_counter() - start
    proc.stdout.close()
    proc.wait()
    return seconds


def render_texts() -> list[str]:
    """The text renders of ``corpus/renders`` (PDF tools, HTML dumps), in page order."""
    paths = sorted((REPO / "corpus" / "renders" / "pages").glob("*/*.txt"))
    return [p.read_bytes().decode("utf-8", errors="replace") for p in paths]


def report_rate(title: str, texts: list[str]) -> None:
    """Extract every text once on this core; print reports/s and the floor's."""
    import giextract

    failed = 0
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        failed += not giextract.extract(text).ok
    rate = len(texts) / (time.perf_counter() - start)
    cpu_rate = len(texts) / (time.process_time() - cpu)
    floor, cpu_floor = floor_rate(texts)
    print(f"{title} (failed: {failed})")
    print(f"  giextract on one core: {rate:.1f} reports/s ({1000 / rate:.2f} ms per report)")
    print(
        f"    by CPU time:         {cpu_rate:.1f} reports/s ({1000 / cpu_rate:.2f} ms per report)"
    )
    print(f"  plain-Python floor:    {floor:.1f} reports/s; floor/giextract {floor / rate:.1f}")
    print(
        f"    by CPU time:         {cpu_floor:.1f} reports/s; "
        f"floor/giextract {cpu_floor / cpu_rate:.1f}"
    )


def floor_rate(texts: list[str]) -> tuple[float, float]:
    """Reports/s of the plain-Python floor (encode/decode, NFKC, find the numbers), by
    the wall clock and by the CPU time of this process."""
    data = [t.encode("utf-8") for t in texts]
    start, cpu = time.perf_counter(), time.process_time()
    found = 0
    for raw in data:
        text = unicodedata.normalize("NFKC", raw.decode("utf-8"))
        found += len(_NUMBER.findall(text))
    assert found
    return len(data) / (time.perf_counter() - start), len(data) / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--generated", type=int, default=0, help="reports per layout run")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(f"load average: {os.getloadavg()[0]:.1f}")

    corpus = real_texts()
    texts = [corpus[i % len(corpus)][1] for i in range(args.n)]
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "report.txt"
        sample.write_text(corpus[0][1], encoding="utf-8")
        compile_bytecode()
        lib, lib_cpu = min(first_record_library(sample) for _ in range(3))
        cli_pool = min(first_record_cli(sample) for _ in range(3))
        cli_local = min(first_record_cli(sample, "--workers", "0") for _ in range(3))
    print("time to the first record in a new process (best of 3):")
    print(f"  library (import + model + 1 report): {lib:.3f} s ({lib_cpu:.3f} s CPU)")
    print(f"  CLI with the worker pool:            {cli_pool:.3f} s")
    print(f"  CLI with --workers 0:                {cli_local:.3f} s")

    import giextract

    giextract.extract(texts[0])  # warm-up: the model and the lazily built tables
    distinct = render_texts()[: args.n]
    report_rate(
        f"distinct text: {len(distinct)} tool renders of corpus/renders, each once "
        "(no text repeats: per-line caches hit only on lines reports share)",
        distinct,
    )
    report_rate(f"real text: {len(texts)} reports from {len(corpus)} files, repeated", texts)
    print(f"load average after: {os.getloadavg()[0]:.1f}")

    if args.generated:
        from giextract.training.generate import generate_corpus

        by_layout: dict[str, list[float]] = defaultdict(list)
        for rep in generate_corpus(args.generated, args.seed):
            t = time.perf_counter()
            giextract.extract(rep.text)
            by_layout[rep.layout].append(time.perf_counter() - t)
        print(f"generated: {args.generated} reports, ms per report by layout:")
        for layout, times in sorted(by_layout.items()):
            print(f"  {layout:<16} {1000 * sum(times) / len(times):6.2f}")


if __name__ == "__main__":
    main()
