"""Benchmark (not a test): time on hostile lines, to catch work that grows faster than the input.

A pattern that backtracks over a long run of one character class takes quadratic time
(30,000 backslashes took 10 s, 50,000 spaces in a pipe cell 11 s, before the fixes of 0.4.0).
The suite cannot assert a time, so this sweep prints one: each string repeated to ``--chars``
characters is put inside a real report (in a plain, pipe and tab row, at a line's start and
end, and in an HTML table cell), and every extraction slower than ``--limit`` seconds is
listed; then a few structural extremes (many lines, a row of 10,000 cells, the report
repeated 200 times) are timed.

Run: ``python benchmarks/bench_hostile.py [--chars 30000] [--limit 0.5]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import giextract  # noqa: E402

EXAMPLE = REPO / "examples" / "liuzhou-bigdata-2019.txt"
HTML_PAGE = REPO / "corpus" / "renders" / "pages" / "p000" / "page.html"

#: Strings repeated into a run: spaces and fills of every kind, punctuation Markdown escapes,
#: digits and separators, CJK text and numbering, markup the readers strip.
RUNS = (
    " ", "\t", "\u3000", "\u00a0", "\u200b", "\ufeff", "\r", "\x0c", "_", "\ufffd", "-", "—",
    ".", ",", ":", "：", "/", "\\", " \\", "*", "`", "#", "{#", "|", "|-", "<", ">", "<br>",
    "<td>", "&nbsp;", "(", "（", "0", "1 ", "0 ", "0.", ",0", "１ ", "规", "规 ", "一、",
    "1.", "第", "页", "年", "万元", "“", "\"", "a ",
)  # fmt: skip

PLACES: dict[str, Callable[[str], str]] = {
    "plain row": lambda run: f"规章 {run} x 1",
    "pipe row": lambda run: f"|规章|{run}x|1|",
    "tab row": lambda run: f"规章\t{run}x\t1",
    "line start": lambda run: f"{run}x",
    "line end": lambda run: f"规章 0 {run}",
}


def timed(make: Callable[[], object]) -> float:
    """Seconds one extraction took (an exception is reported by the caller's run)."""
    t = time.perf_counter()
    make()
    return time.perf_counter() - t


def runs_in_lines(report: str, chars: int) -> list[tuple[float, str]]:
    """(seconds, what) for each run in each place of a text report."""
    out = []
    for unit in RUNS:
        run = unit * max(1, chars // len(unit))
        for place, line in PLACES.items():
            text = f"{report}\n{line(run)}\n"
            out.append((timed(lambda text=text: giextract.extract(text)), f"{unit!r} in a {place}"))
    return out


def runs_in_html(chars: int) -> list[tuple[float, str]]:
    """(seconds, what) for a run inside the first cell of an HTML report's table."""
    page = HTML_PAGE.read_text(encoding="utf-8")
    out = []
    for unit in (" ", "\\", "_", "0", "&nbsp;", "<br>", "规"):
        data = page.replace("</td>", unit * max(1, chars // len(unit)) + "</td>", 1).encode()
        seconds = timed(lambda data=data: giextract.extract_bytes(data, name="page.html"))
        out.append((seconds, f"{unit!r} in an HTML cell"))
    return out


def extremes(report: str) -> list[tuple[float, str]]:
    """(seconds, what) for structural extremes."""
    cases = {
        "50,000 lines of 0": report + "\n" + "0\n" * 50000,
        "20,000 rows of a label and values": report + "\n" + "规章 0 0 0\n" * 20000,
        "a tab row of 10,000 cells": report + "\n规章\t" + "\t".join(["0"] * 10000) + "\n",
        "a pipe row of 10,000 cells": report + "\n|规章|" + "|".join(["0"] * 10000) + "|\n",
        "the report 200 times": report * 200,
        "a label of 100,000 characters": report + "\n" + "规" * 100000 + " 0\n",
    }
    return [(timed(lambda t=text: giextract.extract(t)), name) for name, text in cases.items()]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=30000, help="length of each run")
    ap.add_argument("--limit", type=float, default=0.5, help="seconds above which to list")
    args = ap.parse_args(argv)
    report = EXAMPLE.read_text(encoding="utf-8")
    giextract.extract(report)  # warm-up: the model and the lazily built tables
    timings = runs_in_lines(report, args.chars) + runs_in_html(args.chars)
    slow = sorted((t for t in timings if t[0] > args.limit), reverse=True)
    print(f"{len(timings)} runs of {args.chars} characters; slowest {max(timings)[0]:.2f} s")
    for seconds, what in slow:
        print(f"  over {args.limit} s: {seconds:6.2f} s  {what}")
    print("structural extremes:")
    for seconds, what in extremes(report):
        print(f"  {seconds:6.2f} s  {what}")


if __name__ == "__main__":
    main()
