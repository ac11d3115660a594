"""Time to resolve one row with many extra or vanished cells (the exact search, no cap).

Run: ``python benchmarks/bench_rows.py``.  Prints, per case, the number of readings the
search chose among and the median time of one resolve over several runs.
"""

from __future__ import annotations

import math
import random
import statistics
import time

from giextract.catalogue import RowSpec, load_template
from giextract.lines import Line
from giextract.resolve import best_reading
from giextract.tokens import Token, TokenKind

T2019 = load_template("2019")
APPEALS = T2019.row("appeals")
REQUESTS = T2019.row("requests.new_received")


def _toks(cells: list[str]) -> list[Token]:
    line = Line(2, (2,), None, "", (), 0, "tab")
    return [
        Token(TokenKind.EMPTY, "", line, i) if c == "" else Token(TokenKind.VALUE, c, line, i)
        for i, c in enumerate(cells)
    ]


def _scatter(values: list[str], empties: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    cells = list(values)
    for _ in range(empties):
        cells.insert(rng.randrange(0, len(cells) + 1), "")
    return cells


def _time(row: RowSpec, toks: list[Token], runs: int = 7) -> tuple[float, int]:
    times = []
    readings = 0
    for _ in range(runs):
        start = time.perf_counter()
        out = best_reading(row, toks, T2019)
        times.append(time.perf_counter() - start)
        readings = out.readings
    return statistics.median(times), readings


def main() -> None:
    """Print the timings."""
    appeals = ["1", "1", "2", "2", "1", "2", "3"]
    requests = ["5", "2", "0", "7"]
    wide = RowSpec("requests", "requests.wide", "wide", None, REQUESTS.fields * 6)
    cases = [
        ("appeals, 7 values + 48 empties (40 extra)", APPEALS, _toks(_scatter(appeals, 48, 5))),
        ("appeals, 12 values + 43 empties (40 extra)", APPEALS, _toks(_scatter(["0"] * 12, 43, 6))),
        ("requests, 4 values + 43 empties (40 extra)", REQUESTS, _toks(_scatter(requests, 43, 7))),
        ("synthetic 42 columns, 2 values (40 vanished)", wide, _toks(["1", "1"])),
        ("appeals, 5 values (10 vanished)", APPEALS, _toks(["1", "0", "0", "0", "1"])),
    ]
    for name, row, toks in cases:
        seconds, readings = _time(row, toks)
        print(
            f"{name:48s} readings {readings:>14,d} (~10^{math.log10(readings):.1f})"
            f"  {seconds * 1000:8.2f} ms"
        )


if __name__ == "__main__":
    main()
