"""Time PDF reading per page, and how much of it is pdfplumber's own work.

Builds a multi-page report PDF with the test fixtures (reportlab, built-in CID
font), then times, on fresh opens of the same bytes:

* ``read_pdf``: giextract's whole PDF reader;
* ``parse``: pdfminer parsing the pages into characters (``page.chars``), which
  every pdfplumber call pays first;
* ``extract_text``: pdfplumber's plain text extraction (parse included);
* ``find_tables``: ruled-table detection and cell extraction (parse included);

then splits one ``read_pdf``-like pass into its phases (parse, table finding,
table cell text, text lines).  CPU time of this process is measured, so other
load on the machine matters less.

Usage: ``python benchmarks/bench_pdf.py [--repeat N] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import pdfplumber  # noqa: E402
from fixtures_formats import build_pdf, sample_values  # noqa: E402

from giextract.formats.pdf import read_pdf  # noqa: E402


def _each_page(data: bytes, work: Callable[[Any], object]) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            work(page)


def _tables(page: Any) -> None:
    for t in page.find_tables():
        t.extract()


def _best(fn: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def _phases(data: bytes) -> dict[str, float]:
    """CPU seconds of each phase of reading, over all pages."""
    from giextract.formats.pdf import _table, _text_lines

    spent = dict.fromkeys(("parse", "find tables", "table cells", "text lines"), 0.0)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            t0 = time.process_time()
            _ = page.chars, page.edges
            t1 = time.process_time()
            found = page.find_tables()
            t2 = time.process_time()
            for f in found:
                _table(f)
            t3 = time.process_time()
            _text_lines(page, [f.bbox for f in found])
            t4 = time.process_time()
            for name, secs in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                spent[name] += secs
    return spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=4, help="reports rendered into the PDF")
    ap.add_argument("--rounds", type=int, default=3, help="timing rounds (best is kept)")
    args = ap.parse_args()
    data = build_pdf("2021", sample_values("2021"), repeat=args.repeat)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
    timings = {
        "read_pdf": lambda: read_pdf(data),
        "parse": lambda: _each_page(data, lambda p: p.chars),
        "extract_text": lambda: _each_page(data, lambda p: p.extract_text()),
        "find_tables": lambda: _each_page(data, _tables),
    }
    results = {name: _best(fn, args.rounds) for name, fn in timings.items()}
    total = results["read_pdf"]
    print(f"{pages} pages, {len(data) / 1024:.0f} KiB")
    for name, secs in results.items():
        share = f"{100 * secs / total:5.1f}% of read_pdf" if name != "read_pdf" else ""
        print(f"{name:>13}: {1000 * secs / pages:7.1f} ms/page  {share}")
    phases = _phases(data)
    whole = sum(phases.values())
    print("phases of one reading pass:")
    for name, secs in phases.items():
        print(f"{name:>13}: {1000 * secs / pages:7.1f} ms/page  {100 * secs / whole:5.1f}%")


if __name__ == "__main__":
    main()
