"""Benchmark: decoding squashed tables on generated squashed reports (seeds held out).

For each report of :func:`giextract.training.squash.squashed_corpus` (seed ``bench``, never
used by the tests), the whole pipeline runs on the text and its fields are compared
with the gold.  Printed:

* accuracy on the *determined* fields (the decoder gave a number: the identities,
  or the row's own run, left one value);
* the *open* fields (null) and whether each has an ``ambiguous_value`` warning whose
  candidates include the true value;
* wrong numbers without a flag: a wrong value with no failed check naming the field
  and no warning naming it (target 0);
* the share of fields left ambiguous, and decoding time (``decode_squashed`` only)
  median and worst case per report.

Run::

    nice -n 10 python benchmarks/bench_squashed.py --n 600
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from typing import Any

from giextract.catalogue import load_template
from giextract.pipeline import extract_document
from giextract.read import SourceLine, read_text
from giextract.report import Report
from giextract.squashed import MAX_SEARCH_NODES, decode_squashed
from giextract.training.squash import squashed_corpus


def _flagged(report: Report, fid: str) -> bool:
    if any(
        fid in c.expression.replace("+", " ").replace("=", " ").split()
        for c in report.failed_checks
    ):
        return True
    return any(w.get("field") == fid for w in report.warnings)


def _score(report: Report, gold: dict[str, Any], tally: Counter[str]) -> None:
    candidates = {
        w["field"]: w.get("candidates", [])
        for w in report.warnings
        if w.get("code") == "ambiguous_value" and "field" in w
    }
    for fid, want in gold.items():
        got = report.fields.get(fid)
        tally["fields"] += 1
        if want is None:  # printed as a placeholder
            tally["placeholders"] += 1
            tally["placeholders_null"] += got is None
            tally["wrong"] += got is not None
            continue
        if got is None:
            tally["open"] += 1
            tally[f"open_{fid.split('.')[0]}"] += 1
            if fid in candidates and want in candidates[fid]:
                tally["open_with_candidates"] += 1
            elif fid in candidates:
                tally["open_candidates_miss_truth"] += 1
            else:
                tally["open_without_candidates"] += 1
            continue
        tally["determined"] += 1
        if got == want:
            tally["right"] += 1
            continue
        tally["wrong"] += 1
        if not _flagged(report, fid):
            tally["wrong_unflagged"] += 1


def run(n: int, seed: str) -> dict[str, Any]:
    """Score ``n`` generated squashed reports; returns the tallies and timings."""
    tally: Counter[str] = Counter()
    times: list[float] = []
    for warm in squashed_corpus(2, "warm-up"):  # compile both templates' patterns once
        decode_squashed(read_text(warm.text).lines, load_template(warm.template))
    for r in squashed_corpus(n, seed):
        doc = read_text(r.text)
        t0 = time.perf_counter()
        decode_squashed(doc.lines, load_template(r.template))
        times.append(time.perf_counter() - t0)
        report = extract_document(doc).report
        tally["reports"] += 1
        codes = {w.get("code") for w in report.warnings}
        tally["reports_cap_hit"] += "squashed_search_cap" in codes
        tally["reports_with_error"] += r.error_field is not None
        if report.template != r.template:
            tally["template_wrong"] += 1
        _score(report, r.fields, tally)
    return {"tally": tally, "times": times}


def adversarial() -> tuple[float, bool]:
    """A table built to defeat the identities: every result row reads two ways.

    Returns the decoding time and whether the search cap was hit (it must be).
    """
    template = load_template("2021")
    runs = {"requests.carried_over": "0000000", "requests.carried_forward": "0000000"}
    runs |= dict.fromkeys(("requests.new_received", "requests.total"), "2211000000000000222")
    text = "".join(r.label + runs.get(r.key, "110000011") for r in template.table_rows("requests"))
    t0 = time.perf_counter()
    decoded = decode_squashed([SourceLine(1, text)], template)
    elapsed = time.perf_counter() - t0
    codes = {w["code"] for ws in (decoded.warnings.values() if decoded else ()) for w in ws}
    return elapsed, "squashed_search_cap" in codes


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=600)
    p.add_argument("--seed", default="bench")
    args = p.parse_args()
    out = run(args.n, args.seed)
    t, times = out["tally"], out["times"]
    det = max(1, t["determined"])
    print(f"reports: {t['reports']} (with an error of their own: {t['reports_with_error']})")
    print(f"fields: {t['fields']}; determined {t['determined']}, open (null) {t['open']}")
    print(f"accuracy on determined fields: {t['right'] / det:.4%} ({t['wrong']} wrong)")
    print(
        f"open fields with an ambiguous_value warning listing the truth: "
        f"{t['open_with_candidates']}/{t['open']} "
        f"(candidates miss the truth: {t['open_candidates_miss_truth']}, "
        f"no candidates: {t['open_without_candidates']})"
    )
    print(f"placeholders read as null: {t['placeholders_null']}/{t['placeholders']}")
    print(f"wrong numbers without a flag: {t['wrong_unflagged']}")
    print(f"share of fields left ambiguous: {t['open'] / max(1, t['fields']):.4%}")
    by_table = ", ".join(f"{k} {t[f'open_{k}']}" for k in ("active", "requests", "appeals"))
    print(f"open fields by table: {by_table}")
    print(
        f"template wrong: {t['template_wrong']}; search cap hit in {t['reports_cap_hit']} reports"
    )
    hard, capped = adversarial()
    print(f"adversarial table (cap {MAX_SEARCH_NODES} nodes): {hard:.2f} s, cap hit: {capped}")
    print(
        f"decoding time per report: median {statistics.median(times) * 1000:.1f} ms, "
        f"worst {max(times) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
