"""How well ``status`` separates correct reports from wrong ones, and the evidence for the policy.

Over the evaluation set (``giextract evaluate``'s examples: the corpus's test split and the
generated held-out layouts) and the golden table cases, it prints:

* the share of correctly read reports whose status is ``review`` (target ≤ 5%);
* the share of reports with a wrong field whose status is ``review`` or ``error``
  (target 100%), and every such report that slipped through;
* how often each reason code appears on correct and on wrong reports.

With ``--renders`` it does the same over the pages rendered by the real tools
(``corpus/renders/``, ``--split train|held_out|all``; default ``train``: the policy of
:mod:`giextract.trust` is chosen on the training pages and reported on the held-out ones),
with the figures per tool family.

Per signal (a reason code with its level, a warning code with its level, a field flag) it
measures (``--signals``), over the reports that carry it:

* ``precision``: the share of reports carrying it that have a wrong field (for flags and
  reasons, also the share of the fields it names that are wrong);
* ``sole``: the wrong reports it is the only ``review`` reason of (the ones only it
  catches).  A ``review`` reason with no sole catch and many correct reports is noise.

    python benchmarks/bench_trust.py [--json]
    python benchmarks/bench_trust.py --renders [--split held_out] [--signals]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_NUM_THREADS", "1")

import giextract  # noqa: E402
from giextract.classify import load_model  # noqa: E402
from giextract.evaluate import field_outcomes  # noqa: E402
from giextract.pipeline import extract_text  # noqa: E402
from giextract.train import TrainConfig, evaluation_examples  # noqa: E402

GOLDEN = REPO / "tests" / "golden" / "tables"
SHARED = next(
    (p for p in (REPO.parent / "shared", Path("/work/shared")) if p.is_dir()), REPO / "shared"
)


@dataclass
class Outcome:
    """One report's record next to its gold: which fields are wrong."""

    name: str
    family: str
    record: dict[str, Any]
    wrong_fields: list[tuple[str, Any, Any]]

    @property
    def wrong(self) -> bool:
        return bool(self.wrong_fields) or self.record["status"] == "error"


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


def outcome(name: str, family: str, report: giextract.Report, gold: dict[str, Any]) -> Outcome:
    """A report's record and its wrong fields (an error record's fields are all null)."""
    record = report.to_dict()
    outcomes = field_outcomes(gold, record["fields"])
    return Outcome(
        name, family, record, [(o.field, o.gold, o.got) for o in outcomes if not o.right]
    )


def text_outcomes(items: Iterable[tuple[str, str, dict[str, Any]]]) -> Iterator[Outcome]:
    """Extract every (name, text, gold) case."""
    model = load_model()
    for name, text, gold in items:
        yield outcome(name, "text", extract_text(text, name=name, model=model), gold)


def render_outcomes(split: str, unseen: bool = False) -> Iterator[Outcome]:
    """Extract every render of the pages of a split (``train``, ``held_out`` or ``all``);
    with ``unseen``, only those by the tools no training run sees (held-out pages)."""
    from giextract.training.renders import UNSEEN_TOOLS, load_pages, lost_tables

    model = load_model()
    for page in load_pages():
        if split != "all" and page.held_out != (split == "held_out"):
            continue
        for name, fam, path in page.renders(unseen=unseen):
            if (name in UNSEEN_TOOLS) != unseen:
                continue
            if not lost_tables(path):
                report = giextract.extract(path, model=model)
                yield outcome(f"{page.page_id}/{name}", fam, report, page.gold)


def measure(runs: Iterable[Outcome]) -> dict[str, Any]:
    """Sort the records by correct/wrong and status."""
    correct: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    reasons_ok: Counter[str] = Counter()
    reasons_wrong: Counter[str] = Counter()
    slipped: list[dict[str, Any]] = []
    flagged_correct: list[str] = []
    for run in runs:
        record = run.record
        codes = {r["code"] for r in record["reasons"] if r["level"] != "notice"}
        if run.wrong:
            wrong[record["status"]] += 1
            reasons_wrong.update(codes)
            if record["status"] == "ok":
                slipped.append({"report": run.name, "wrong": run.wrong_fields[:5]})
        else:
            correct[record["status"]] += 1
            reasons_ok.update(codes)
            if record["status"] == "review":
                flagged_correct.append(f"{run.name} {sorted(codes)}")
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


def signals(runs: Sequence[Outcome]) -> dict[str, dict[str, Any]]:
    """Per signal (``reason:CODE:LEVEL``, ``warning:CODE:LEVEL``, ``flag:NAME``): reports
    carrying it, correct and wrong; precision over reports and over the fields it names;
    wrong reports it is the only review reason of (``sole``)."""
    stats: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"correct": 0, "wrong": 0, "sole": 0, "fields": 0, "wrong_fields": 0}
    )
    for run in runs:
        rec = run.record
        bad = {f for f, _, _ in run.wrong_fields}
        named: dict[str, set[str]] = defaultdict(set)
        for r in rec["reasons"]:
            named[f"reason:{r['code']}:{r['level']}"].update(r["fields"])
        for w in rec["warnings"]:
            named[f"warning:{w['code']}:{w['level']}"].update(
                [w["field"]] if w.get("field") else []
            )
        for fid, flags in rec["flags"].items():
            for flag in flags:
                named[f"flag:{flag}"].add(fid)
        review = {r["code"] for r in rec["reasons"] if r["level"] == "review"}
        for key, fids in named.items():
            s = stats[key]
            s["wrong" if run.wrong else "correct"] += 1
            s["fields"] += len(fids)
            s["wrong_fields"] += len(fids & bad)
            if run.wrong and key.endswith(":review") and review == {key.split(":")[1]}:
                s["sole"] += 1
    for s in stats.values():
        n = s["correct"] + s["wrong"]
        s["precision"] = round(s["wrong"] / n, 3) if n else None
        s["field_precision"] = round(s["wrong_fields"] / s["fields"], 3) if s["fields"] else None
    return dict(sorted(stats.items()))


def by_family(runs: Sequence[Outcome]) -> dict[str, dict[str, int]]:
    """Per tool family and over all: renders, exact, exact-but-review, wrong-but-ok, and
    exact renders with a warning of level ``notice`` and of level ``review``."""
    out: dict[str, dict[str, int]] = defaultdict(Counter)
    for run in runs:
        levels = {w["level"] for w in run.record["warnings"]}
        for fam in (run.family, "all"):
            c = out[fam]
            c["renders"] += 1
            c["exact"] += not run.wrong
            c["exact_review"] += not run.wrong and run.record["status"] == "review"
            c["wrong_ok"] += run.wrong and run.record["status"] == "ok"
            c["exact_notice_warning"] += not run.wrong and "notice" in levels
            c["exact_review_warning"] += not run.wrong and "review" in levels
    return {k: dict(v) for k, v in out.items()}


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


def show_signals(stats: dict[str, dict[str, Any]]) -> None:
    """The signals as a table."""
    print("| signal | correct | wrong | precision | sole | fields | wrong fields |")
    print("|---|---|---|---|---|---|---|")
    for key, s in stats.items():
        print(
            f"| {key} | {s['correct']} | {s['wrong']} | {s['precision']} | {s['sole']} "
            f"| {s['fields']} | {s['wrong_fields']} |"
        )


def show_families(fams: dict[str, dict[str, int]]) -> None:
    """The per-family figures as a table."""
    print(
        "| family | renders | exact | exact-but-review | wrong-but-ok "
        "| exact with a notice warning | exact with a review warning |"
    )
    print("|---|---|---|---|---|---|---|")
    for fam, c in sorted(fams.items(), key=lambda kv: (kv[0] == "all", kv[0])):
        print(
            f"| {fam} | {c['renders']} | {c['exact']} | {c['exact_review']} | {c['wrong_ok']} "
            f"| {c['exact_notice_warning']} | {c['exact_review_warning']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--renders", action="store_true", help="the real-tool renders instead")
    parser.add_argument("--split", choices=("train", "held_out", "all"), default="train")
    parser.add_argument("--signals", action="store_true", help="per-signal precision and recall")
    parser.add_argument(
        "--unseen",
        action="store_true",
        help="with --renders: the renders by tools no training run sees (held-out pages)",
    )
    args = parser.parse_args()
    sets: dict[str, list[Outcome]] = {}
    if args.renders:
        which = "unseen tools" if args.unseen else f"{args.split} pages"
        sets[f"renders, {which}"] = list(render_outcomes(args.split, args.unseen))
    else:
        sets["evaluation+golden"] = list(text_outcomes(cases()))
        sets["shared real"] = list(text_outcomes(real_cases()))
    results: dict[str, Any] = {}
    for title, runs in sets.items():
        results[title] = measure(runs)
        if args.signals:
            results[title]["signals"] = signals(runs)
        if args.renders:
            results[title]["families"] = by_family(runs)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for title, m in results.items():
        print(f"== {title}")
        show(m)
        if "families" in m:
            show_families(m["families"])
        if "signals" in m:
            show_signals(m["signals"])


if __name__ == "__main__":
    main()
