"""Time PDF reading per page: giextract against pypdfium2's and pdfplumber's own extraction.

The pages are those of the real-tool PDFs in ``tests/fixtures/pdf/`` (LibreOffice and
Chromium prints of the web fixtures, LibreOffice PDFs of Word reports) and of a
reportlab report (``tests/fixtures_formats.build_pdf``).  On fresh opens of the same
bytes it times:

* ``giextract``: :func:`giextract.formats.pdf.read_pdf`, the whole reader (open, the
  inflation check, characters, rules, tables, lines);
* ``pypdfium2 text+boxes``: pypdfium2's public API, ``get_text_range()`` and
  ``get_charbox(i)`` for every character, the floor for reading by position;
* ``pdfplumber``: ``page.chars`` (pdfminer's parse) and ``extract_text()``;

then splits giextract's pass into its phases.  CPU time of this process is measured
(best of ``--rounds``), so other load on the machine matters less.

Usage: ``python benchmarks/bench_pdf.py [--rounds R] [--no-pdfplumber]``.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fixtures_formats import build_pdf, sample_values  # noqa: E402

from giextract.formats import pdf as gpdf  # noqa: E402


def _files() -> list[tuple[str, bytes]]:
    files = [(p.name, p.read_bytes()) for p in sorted((ROOT / "tests/fixtures/pdf").glob("*.pdf"))]
    files.append(("reportlab-2021.pdf", build_pdf("2021", sample_values("2021"), repeat=2)))
    return files


def _pypdfium2(data: bytes) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    for page in pdf:
        textpage = page.get_textpage()
        textpage.get_text_range()
        for i in range(textpage.count_chars()):
            textpage.get_charbox(i)
    pdf.close()


def _pdfplumber(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            _ = page.chars
            page.extract_text()


def _best(fn: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def _phases(data: bytes) -> dict[str, float]:
    """CPU seconds of each phase of giextract's reading pass."""
    import pypdfium2 as pdfium

    spent = dict.fromkeys(("inflation check", "open+load", "chars", "rules", "layout"), 0.0)
    t0 = time.process_time()
    gpdf.inflated_size(data, 1 << 40)
    spent["inflation check"] += time.process_time() - t0
    t0 = time.process_time()
    pdf = pdfium.PdfDocument(data)
    pages = [pdf[i] for i in range(len(pdf))]
    spent["open+load"] += time.process_time() - t0
    raw_pages = []
    for page in pages:
        t0 = time.process_time()
        frame, textpage = gpdf._upright(page, page.get_textpage())
        chars = gpdf._page_chars(textpage, frame)
        paths, texts = gpdf._page_objects(page)
        gpdf._lost_text(texts)
        t1 = time.process_time()
        edges = gpdf._page_edges(paths, frame)
        t2 = time.process_time()
        spent["chars"] += t1 - t0
        spent["rules"] += t2 - t1
        raw_pages.append((chars, edges, frame.height))
    t0 = time.process_time()
    blocks = [gpdf._page_blocks(i + 1, c, e, h) for i, (c, e, h) in enumerate(raw_pages)]
    gpdf._mark_margins(blocks)
    gpdf._link_parts(blocks)
    gpdf._emit(blocks)
    spent["layout"] += time.process_time() - t0
    pdf.close()
    return spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="timing rounds (best is kept)")
    ap.add_argument("--no-pdfplumber", action="store_true", help="skip pdfplumber")
    args = ap.parse_args()
    import pypdfium2 as pdfium

    files = _files()
    readers: dict[str, Callable[[bytes], object]] = {
        "giextract": gpdf.read_pdf,
        "pypdfium2 text+boxes": _pypdfium2,
    }
    if not args.no_pdfplumber:
        readers["pdfplumber"] = _pdfplumber
    total_pages = 0
    totals = dict.fromkeys(readers, 0.0)
    print(f"{'file':<28}{'pages':>6}" + "".join(f"{name:>22}" for name in readers))
    for name, data in files:
        pages = len(pdfium.PdfDocument(data))
        total_pages += pages
        row = f"{name:<28}{pages:>6}"
        for reader, fn in readers.items():
            secs = _best(lambda fn=fn, data=data: fn(data), args.rounds)  # type: ignore[misc]
            totals[reader] += secs
            row += f"{1000 * secs / pages:>19.2f} ms"
        print(row)
    print(
        f"{'all':<28}{total_pages:>6}"
        + "".join(f"{1000 * totals[r] / total_pages:>19.2f} ms" for r in readers)
    )
    ratio = totals["giextract"] / totals["pypdfium2 text+boxes"]
    print(f"giextract / pypdfium2 text+boxes: {ratio:.2f}x (must be within 2x)")
    if "pdfplumber" in totals:
        print(f"pdfplumber / giextract: {totals['pdfplumber'] / totals['giextract']:.1f}x")
    spent = dict.fromkeys(("inflation check", "open+load", "chars", "rules", "layout"), 0.0)
    for _, data in files:
        for k, v in _phases(data).items():
            spent[k] += v
    whole = sum(spent.values())
    print("phases of giextract's pass (all files):")
    for k, v in spent.items():
        print(f"{k:>16}: {1000 * v / total_pages:6.2f} ms/page  {100 * v / whole:5.1f}%")


if __name__ == "__main__":
    main()
