"""Field accuracy of PDF-text and damaged-dump readings, per tool, on a folder of renders.

A render folder holds, per page, ``<name>.gold.json`` (``{"template", "fields"}``) and one
text file per tool, ``<name>.<tool>.txt`` (e.g. ``layout`` and ``raw`` for ``pdftotext``,
``h2t`` for Debian's ``html2text``).  For each tool it prints field accuracy, whole reports
exact, and reports with a wrong field that carry neither a failed check nor a warning::

    python benchmarks/bench_layout.py /tmp/renders
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import giextract


def flagged(report: giextract.Report) -> bool:
    """Whether a report carries a failed check or any warning."""
    return bool(report.warnings) or any(c.status == "fail" for c in report.checks)


def measure(folder: Path) -> dict[str, dict[str, float]]:
    """Per tool: pages, field accuracy, exact reports, wrong-but-unflagged reports."""
    stats: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for gold_path in sorted(folder.glob("*.gold.json")):
        name = gold_path.name.removesuffix(".gold.json")
        gold = json.loads(gold_path.read_text("utf-8"))["fields"]
        for path in sorted(folder.glob(f"{name}.*.txt")):
            tool = path.name.removeprefix(name + ".").removesuffix(".txt")
            # Debian's html2text cuts multi-byte characters: read such text with U+FFFD.
            report = giextract.extract(path.read_bytes().decode("utf-8", errors="replace"))
            got = report.fields if report.error is None else {}
            right = sum(1 for k, v in gold.items() if got.get(k, "missing") == v)
            s = stats[tool]
            s["pages"] += 1
            s["fields"] += len(gold)
            s["right"] += right
            s["exact"] += right == len(gold)
            s["unflagged"] += right < len(gold) and report.error is None and not flagged(report)
    return {
        tool: {
            "pages": s["pages"],
            "accuracy": round(s["right"] / s["fields"], 4),
            "exact": s["exact"],
            "wrong_unflagged": s["unflagged"],
        }
        for tool, s in sorted(stats.items())
    }


if __name__ == "__main__":
    for tool, row in measure(Path(sys.argv[1])).items():
        print(tool, json.dumps(row))
