"""Not a test: where the CPU time of text extraction goes, stage by stage.

Extracts the real texts of :mod:`bench_extract` (the seeds and the web renders),
repeated to ``--n`` reports, with each stage function wrapped to add up its CPU time
(``time.process_time``, so other processes on a shared machine do not count).  The
wrappers cost a few calls per report, unlike a profiler's per-call overhead, so the
shares are those of a plain run.  Indented stages are part of the stage above them;
"checks" counts every call (the choice between readings scores with them too).

Run: ``python benchmarks/profile_stages.py [--n 200] [--generated 0] [--top 0]``
(``--top N`` also prints the N functions of most own time under cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import os
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench_extract import real_texts  # noqa: E402

#: (stage, [(module, name) bound to the stage's function where it is called]).
STAGES: list[tuple[str, list[tuple[str, str]]]] = [
    ("read + normalize", [("giextract.pipeline", "read_text")]),
    ("lines", [("giextract.pipeline", "to_lines")]),
    (
        "  grid merging",
        [("giextract.lines", "merge_grid_rows"), ("giextract.lines", "grid_stretches")],
    ),
    ("  split cells", [("giextract.lines", "split_cells")]),
    ("page furniture", [("giextract.pipeline", "page_furniture")]),
    ("classify", [("giextract.classify.LineModel", "predict")]),
    ("  features", [("giextract.classify", "featurize")]),
    (
        "title + template",
        [("giextract.pipeline", "title_info"), ("giextract.pipeline", "detect_template")],
    ),
    ("rebuild (tokens/segment/resolve)", [("giextract.pipeline", "rebuild")]),
    ("choose readings", [("giextract.pipeline", "choose")]),
    ("  sequence reading", [("giextract.sequence", "read_sequence")]),
    ("squashed reading", [("giextract.pipeline", "decode_squashed")]),
    (
        "fields",
        [("giextract.pipeline", "fields_and_provenance"), ("giextract.pipeline", "row_warnings")],
    ),
    (
        "checks (every call)",
        [
            ("giextract.pipeline", "run_checks"),
            ("giextract.sequence", "run_checks"),
            ("giextract.sequence", "check_counts"),
        ],
    ),
    ("record / JSON", [("giextract.report.Report", "to_json")]),
]

SPENT: dict[str, float] = defaultdict(float)


def _timed(stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            out = func(*args, **kwargs)
            if isinstance(out, Iterator):  # a generator: its work is done as it is read
                out = iter(list(out))
            return out
        finally:
            SPENT[stage] += time.process_time() - start

    return wrapper


def _owner(where: str) -> Any:
    """The module, or the class of a module (``giextract.report.Report``), named."""
    try:
        return importlib.import_module(where)
    except ModuleNotFoundError:
        module, _, cls = where.rpartition(".")
        return getattr(importlib.import_module(module), cls)


def _instrument() -> None:
    for stage, places in STAGES:
        for where, name in places:
            owner = _owner(where)
            if hasattr(owner, name):  # an older tree may lack it
                setattr(owner, name, _timed(stage, getattr(owner, name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--generated", type=int, default=0, help="generated reports instead")
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()
    import giextract

    if args.generated:
        from giextract.training.generate import generate_corpus

        texts = [r.text for r in generate_corpus(args.generated, 7)]
        what = f"{len(texts)} generated reports"
    else:
        corpus = real_texts()
        texts = [corpus[i % len(corpus)][1] for i in range(args.n)]
        what = f"{len(texts)} real reports from {len(corpus)} files"
    giextract.extract(texts[0]).to_json()  # warm-up
    _instrument()
    total = 0.0
    for text in texts:
        start = time.process_time()
        giextract.extract(text).to_json()
        total += time.process_time() - start
    print(f"load average: {os.getloadavg()[0]:.1f}; {what}")
    print(f"{'stage':<34} {'ms/report':>9} {'share':>6}")
    for stage, _ in STAGES:
        ms = 1000 * SPENT[stage] / len(texts)
        print(f"{stage:<34} {ms:9.2f} {100 * SPENT[stage] / total:5.1f}%")
    print(f"{'total (extract + to_json)':<34} {1000 * total / len(texts):9.2f}")
    if args.top:
        profile = cProfile.Profile()
        profile.enable()
        for text in texts:
            giextract.extract(text).to_json()
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
