"""How well ``status`` separates correct reports from wrong ones.

Over the evaluation set (``giextract evaluate``'s examples: the corpus's test split and the
generated held-out layouts) and the golden table cases, it prints:

* the share of correctly read reports whose status is ``review`` (target ≤ 5%);
* the share of reports with a wrong field whose status is ``review`` or ``error``
  (target 100%), and every such report that slipped through;
* how often each reason code appears on correct and on wrong reports.

    python benchmarks/bench_trust.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from giextract.classify import load_model  # noqa: E402
from giextract.evaluate import field_outcomes  # noqa: E402
from giextract.pipeline import extract_text  # noqa: E402
from giextract.train import TrainConfig, evaluation_examples  # noqa: E402

GOLDEN = REPO / "tests" / "golden" / "tables"
SHARED = REPO.parent / "shared"


def cases() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, text, gold fields) of the evaluation examples and the golden cases."""
    out = [
        (ex.name, ex.document.text, ex.gold)
        for ex in evaluation_examples(TrainConfig.load())
        if ex.gold is not None
    ]
    for folder in sorted(GOLDEN.iterdir()):
        if (folder / "input.txt").exists():
            gold = json.loads((folder / "expected.json").read_text("utf-8"))["fields"]
            out.append((f"golden/{folder.name}", (folder / "input.txt").read_text("utf-8"), gold))
    return out


def real_cases() -> list[tuple[str, str, dict[str, Any]]]:
    """The shared real reports with hand-read gold (seeds, squashed pages), if present.

    Only the fields of the gold's ``complete_tables`` are compared.
    """
    out = []
    for folder in (SHARED / "seeds", SHARED / "real" / "squashed"):
        for path in sorted(folder.glob("*.txt")):
            gold_path = folder / "gold" / f"{path.stem}.json"
            if gold_path.exists():
                gold = json.loads(gold_path.read_text("utf-8"))["fields"]
                text = path.read_bytes().decode("utf-8", errors="replace")
                out.append((f"{folder.name}/{path.stem}", text, gold))
    return out


def measure(items: list[tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    """Run every case and sort the records by correct/wrong and status."""
    model = load_model()
    correct: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    reasons_ok: Counter[str] = Counter()
    reasons_wrong: Counter[str] = Counter()
    slipped: list[dict[str, Any]] = []
    flagged_correct: list[str] = []
    for name, text, gold in items:
        record = extract_text(text, name=name, model=model).to_dict()
        outcomes = field_outcomes(gold, record["fields"])
        bad = [(o.field, o.gold, o.got) for o in outcomes if not o.right]
        codes = {r["code"] for r in record["reasons"] if r["level"] != "notice"}
        if bad or record["status"] == "error":
            wrong[record["status"]] += 1
            reasons_wrong.update(codes)
            if record["status"] == "ok":
                slipped.append({"report": name, "wrong": bad[:5]})
        else:
            correct[record["status"]] += 1
            reasons_ok.update(codes)
            if record["status"] == "review":
                flagged_correct.append(name)
    n_correct, n_wrong = sum(correct.values()), sum(wrong.values())
    return {
        "reports": n_correct + n_wrong,
        "correct": n_correct,
        "correct_review_rate": round(correct["review"] / n_correct, 4) if n_correct else 0.0,
        "wrong": n_wrong,
        "wrong_flagged_rate": round(1 - wrong["ok"] / n_wrong, 4) if n_wrong else 1.0,
        "correct_by_status": dict(correct),
        "wrong_by_status": dict(wrong),
        "reasons_on_correct": dict(reasons_ok),
        "reasons_on_wrong": dict(reasons_wrong),
        "wrong_with_status_ok": slipped,
        "correct_with_review": flagged_correct,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    as_json = parser.parse_args().json
    results = {"evaluation+golden": measure(cases()), "shared real": measure(real_cases())}
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for title, m in results.items():
        print(f"== {title}")
        show(m)


def show(m: dict[str, Any]) -> None:
    """Print one set's figures."""
    print(f"{m['reports']} reports: {m['correct']} read correctly, {m['wrong']} with a wrong field")
    print(f"correct reports with status review: {m['correct_review_rate']:.2%} (target <= 5%)")
    print(f"wrong reports with review or error: {m['wrong_flagged_rate']:.2%} (target 100%)")
    print(f"correct by status {m['correct_by_status']}; wrong by status {m['wrong_by_status']}")
    print(f"reasons on correct: {m['reasons_on_correct']}")
    print(f"reasons on wrong: {m['reasons_on_wrong']}")
    for x in m["wrong_with_status_ok"]:
        print(f"  wrong but ok: {x['report']}: {x['wrong']}")
    for name in m["correct_with_review"]:
        print(f"  correct but review: {name}")


if __name__ == "__main__":
    main()
