"""Field accuracy of PDF-text and damaged-dump readings, per tool, on a folder of renders.

Two folder layouts: the render corpus (``corpus/renders``: ``pages/<id>/gold.json`` and
one ``<tool>.txt`` per tool), or a flat folder with ``<name>.gold.json`` and
``<name>.<tool>.txt`` per page.  For each tool it prints field accuracy, whole reports
exact, and reports with a wrong field that carry neither a failed check nor a warning::

    python benchmarks/bench_layout.py corpus/renders [--held-out]
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


AMBIGUITY = frozenset({"ambiguous_value", "ambiguous_reading"})


def strictly_flagged(report: giextract.Report) -> bool:
    """Whether a report carries a failed check or a warning that a value is uncertain."""
    return any(w["code"] in AMBIGUITY for w in report.warnings) or any(
        c.status == "fail" for c in report.checks
    )


def renders(folder: Path, held_out: bool) -> list[tuple[str, Path, Path]]:
    """(tool, text file, gold file) of every text render in the folder."""
    out = []
    if (folder / "pages").is_dir():
        keep = set(json.loads((folder / "manifest.json").read_text("utf-8"))["held_out"])
        for page in sorted((folder / "pages").iterdir()):
            if held_out and page.name not in keep:
                continue
            for path in sorted(page.glob("*.txt")):
                out.append((path.stem, path, page / "gold.json"))
        return out
    for gold_path in sorted(folder.glob("*.gold.json")):
        name = gold_path.name.removesuffix(".gold.json")
        for path in sorted(folder.glob(f"{name}.*.txt")):
            out.append((path.name.removeprefix(name + ".").removesuffix(".txt"), path, gold_path))
    return out


def measure(folder: Path, held_out: bool = False) -> dict[str, dict[str, float]]:
    """Per tool: pages, field accuracy, exact reports, wrong-but-unflagged reports."""
    stats: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for tool, path, gold_path in renders(folder, held_out):
        gold = json.loads(gold_path.read_text("utf-8"))["fields"]
        # Debian's html2text cuts multi-byte characters: read such text with U+FFFD.
        report = giextract.extract(path.read_bytes().decode("utf-8", errors="replace"))
        got = report.fields if report.error is None else {}
        right = sum(1 for k, v in gold.items() if got.get(k, "missing") == v)
        s = stats[tool]
        s["pages"] += 1
        s["fields"] += len(gold)
        s["right"] += right
        s["exact"] += right == len(gold)
        wrong = right < len(gold) and report.error is None
        s["unflagged"] += wrong and not flagged(report)
        s["unflagged_strict"] += wrong and not strictly_flagged(report)
    return {
        tool: {
            "pages": s["pages"],
            "accuracy": round(s["right"] / s["fields"], 4),
            "exact": s["exact"],
            "wrong_unflagged": s["unflagged"],
            "wrong_no_check_or_ambiguity": s["unflagged_strict"],
        }
        for tool, s in sorted(stats.items())
    }


if __name__ == "__main__":
    for tool, row in measure(Path(sys.argv[1]), "--held-out" in sys.argv).items():
        print(tool, json.dumps(row))
