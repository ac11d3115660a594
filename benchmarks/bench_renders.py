"""Benchmark (not a test): giextract on pages rendered by the real tools, per tool family.

The pages of ``corpus/renders/`` (``training/render.py``) were split by page id before any
result was looked at; by default only the held-out pages are scored.  For every render (a
file read by giextract's own readers, or a tool's text dump) it runs the public
``giextract.extract`` and compares every field with the page's gold:

* field accuracy: fields equal to the gold (``null`` for blank cells) over all fields;
* exact: renders with every field right;
* wrong-unflagged: renders with a wrong field that carry no failed check, no warning and
  no error (target 0);
* exact-but-flagged: renders with every field right that still carry a warning or a
  failed check (noise flags; should be 0 too);
* wrong-but-ok: renders with a wrong field whose record's ``status`` is ``ok`` (the trust
  contract's promise: target 0);
* exact-but-review: renders with every field right whose ``status`` is ``review`` (the
  trust contract's noise: at most 5% of the exact ones);
* errors: renders refused with a coded error (all their non-null fields count as wrong);
* wrong numbers, left null: the wrong fields (summed over renders) that hold a number
  other than the gold's, and those left null where the gold has a value (a row whose
  cells the layout and the identities cannot place is left null with a warning);
* lost: renders whose tool dropped the tables (pandoc 2's ``[TABLE]``), not scored;
* order-undecidable, decidable accuracy: of the wrong fields, those no reader can get from
  the order of the printed numbers and the identities (a blank cell that printed nothing:
  :func:`giextract.evaluate.order_undecidable`, from the gold alone), and the field
  accuracy over the other fields.  Text that keeps positions (``-layout``, lynx's empty
  lines) may still decide some of them.

Unseen tools: the families of :data:`giextract.training.renders.UNSEEN_TOOLS`, rendered for
the held-out pages only by tools no training run sees and no rule was written for
(``pdftotext`` in its default mode, pypdf plain and layout, pdfminer.six's ``pdf2txt.py``,
LibreOffice's DOCX → text), are scored in their own rows and summed as ``unseen tools``
(``all`` sums the families of ``TOOLS``): a test of generality.

Baseline columns (text renders only): the rule parser that pours the numbers into the
template in order (:func:`pour`), its field accuracy and exact renders on the same texts.
giextract is the fallback behind such parsers: it must not read worse than they do.

Leave-one-tool-out (``--loto``): for each family group X a line classifier is trained with
``giextract.train.train`` on the corpus, the generated reports and the aligned renders of the
training pages of every family but X (``extra_examples``, the training hook), then scored
on the held-out pages of X.  ``all`` is the model trained on every family, scored on every
family's held-out pages.  Models go to a temporary directory and are not kept.

Run::

    python benchmarks/bench_renders.py                         # shipped model, held-out pages
    python benchmarks/bench_renders.py --model models/giextract-lines-1.0 --split all
    nice -n 10 python benchmarks/bench_renders.py --loto [--groups pdftotext-layout,w3m]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_NUM_THREADS", "1")

import giextract  # noqa: E402
from giextract.catalogue import TABLES, Template, load_template  # noqa: E402
from giextract.classify import LineModel, load_model, load_model_from  # noqa: E402
from giextract.evaluate import field_outcomes, order_undecidable  # noqa: E402
from giextract.normalize import to_simplified  # noqa: E402
from giextract.training.renders import (  # noqa: E402
    TOOLS,
    UNSEEN_TOOLS,
    RenderedPage,
    load_pages,
    lost_tables,
)

#: Leave-one-tool-out groups: family group -> the tool families it holds out.
LOTO_GROUPS: dict[str, tuple[str, ...]] = {
    "files": ("file-html", "file-docx", "file-pdf"),
    "pdftotext-layout": ("pdftotext-layout",),
    "pdftotext-raw": ("pdftotext-raw",),
    "pdf-libs": ("pdfplumber", "pypdfium2"),
    "pdf-markdown": ("pymupdf4llm", "markitdown"),
    "w3m": ("w3m",),
    "lynx": ("lynx",),
    "pandoc": ("pandoc",),
    "html2text-py": ("html2text-py",),
    "html2text-deb": ("html2text-deb",),
    "innertext": ("innertext",),
}
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys([*TOOLS.values(), *UNSEEN_TOOLS.values()]))


#: The rule parser's table titles: a line that names the table and is short (not prose).
POUR_TITLES = {
    "active": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "appeals": "行政复议",
}
POUR_TITLE_MAX = 30
_POUR_TOKEN = re.compile(
    r"(?<![\d.,])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d.])"  # 3,051,799.23
    r"|(?<![\d.,])-?\d+(?:\.\d+)?(?![\d.]*[.．、]\D)(?![\d.])"  # 12, 0.5; not 1.属于
    r"|(?<!\S)(?:—+|-|/|／|无)(?!\S)"  # a blank marker standing alone
)


def pour(text: str, template: Template) -> dict[str, int | float | None]:
    """The rule-based baseline: after each table's title, the numbers in order into the
    table's fields (a blank marker standing alone counts as a blank cell; numbering such
    as ``1.属于`` is skipped); missing numbers are null.  It is given the template, and
    the text in simplified characters."""
    out: dict[str, int | float | None] = dict.fromkeys(template.field_ids)
    bounds: list[tuple[int, str]] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = re.sub(r"[\s|*#_]+", "", line)
        for table in TABLES:
            found = POUR_TITLES[table] in stripped and len(stripped) <= POUR_TITLE_MAX
            if found and table not in {t for _, t in bounds}:
                bounds.append((i, table))
    ends = [i for i, _ in bounds[1:]] + [len(lines)] if bounds else []
    for (start, table), end in zip(bounds, ends, strict=True):
        tokens = _POUR_TOKEN.findall("\n".join(lines[start + 1 : end]))
        ids = [f.id for f in template.fields if f.table == table]
        for fid, tok in zip(ids, tokens, strict=False):
            number = tok.replace(",", "")
            if re.fullmatch(r"-?\d+", number):
                out[fid] = int(number)
            elif re.fullmatch(r"-?\d+\.\d+", number):
                out[fid] = float(number)
    return out


def pour_score(path: Path, gold: dict[str, Any], template: str) -> dict[str, Any]:
    """The pour baseline's fields right and exact on one text render."""
    text = to_simplified(path.read_bytes().decode("utf-8", errors="replace"))
    got = pour(text, load_template(template))
    right = sum(1 for o in field_outcomes(gold, got) if o.right)
    return {"pour_right": right, "pour_exact": right == len(gold)}


def score(
    report: giextract.Report, gold: dict[str, Any], undecidable: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """One render's outcome: fields right, exact, flagged (failed check, warning or error);
    the right and wrong fields among those outside ``undecidable``."""
    outcomes = field_outcomes(gold, report.fields if report.ok else {})
    right = sum(1 for o in outcomes if o.right)
    decidable = [o for o in outcomes if o.field not in undecidable]
    flagged = (not report.ok) or bool(report.failed_checks) or bool(report.warnings)
    return {
        "fields": len(outcomes),
        "right": right,
        "exact": right == len(outcomes),
        "flagged": flagged,
        "error": None if report.ok else report.error and report.error["code"],
        "wrong": [o.field for o in outcomes if not o.right],
        "wrong_numbers": sum(1 for o in outcomes if not o.right and o.got is not None),
        "left_null": sum(1 for o in outcomes if not o.right and o.got is None),
        "decidable": len(decidable),
        "decidable_right": sum(1 for o in decidable if o.right),
        "status": report.status,
    }


def run(
    model: LineModel, pages: Iterable[RenderedPage], families: Sequence[str] = FAMILIES
) -> list[dict[str, Any]]:
    """Extract every render of the pages in the given families; one row per render."""
    rows = []
    for page in pages:
        undecidable = order_undecidable(load_template(page.template), page.gold)
        for name, fam, path in page.renders(unseen=True):
            if fam not in families:
                continue
            row: dict[str, Any] = {"page": page.page_id, "render": name, "family": fam}
            if lost_tables(path):
                rows.append({**row, "lost": True})
                continue
            report = giextract.extract(path, model=model)
            pour_row = (
                pour_score(path, page.gold, page.template) if path.suffix in (".txt", ".md") else {}
            )
            outcome = score(report, page.gold, undecidable)
            rows.append({**row, "lost": False, **outcome, **pour_row})
    return rows


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Figures per family and over all rows."""
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    unseen = set(UNSEEN_TOOLS.values())
    for r in rows:
        by[r["family"]].append(r)
        by["unseen tools" if r["family"] in unseen else "all"].append(r)
    out = {}
    for fam, rs in by.items():
        scored = [r for r in rs if not r["lost"]]
        fields = sum(r["fields"] for r in scored)
        out[fam] = {
            "renders": len(scored),
            "accuracy": round(sum(r["right"] for r in scored) / fields, 4) if fields else None,
            "exact": sum(r["exact"] for r in scored),
            "wrong_unflagged": sum(1 for r in scored if not r["exact"] and not r["flagged"]),
            "exact_flagged": sum(1 for r in scored if r["exact"] and r["flagged"]),
            "wrong_ok": sum(1 for r in scored if not r["exact"] and r["status"] == "ok"),
            "exact_review": sum(1 for r in scored if r["exact"] and r["status"] == "review"),
            "errors": sum(1 for r in scored if r["error"]),
            "lost": len(rs) - len(scored),
            "wrong_numbers": sum(r["wrong_numbers"] for r in scored),
            "left_null": sum(r["left_null"] for r in scored),
            "undecidable": sum(r["fields"] - r["right"] for r in scored)
            - sum(r["decidable"] - r["decidable_right"] for r in scored),
        }
        decidable = sum(r["decidable"] for r in scored)
        if decidable:
            right = sum(r["decidable_right"] for r in scored)
            out[fam]["decidable_accuracy"] = round(right / decidable, 4)
        poured = [r for r in scored if "pour_right" in r]
        pfields = sum(r["fields"] for r in poured)
        if pfields:
            out[fam]["pour_accuracy"] = round(sum(r["pour_right"] for r in poured) / pfields, 4)
            out[fam]["pour_exact"] = sum(r["pour_exact"] for r in poured)
    return out


def table(summary: dict[str, dict[str, Any]], title: str) -> str:
    """The figures as a Markdown table, families in TOOLS order, ``all`` (the families of
    TOOLS) and ``unseen tools`` (those of UNSEEN_TOOLS) last."""
    lines = [
        f"### {title}",
        "",
        "| family | renders | field accuracy | exact | wrong-unflagged | exact-but-flagged "
        "| wrong-but-ok | exact-but-review | errors | lost | wrong numbers | left null "
        "| order-undecidable | decidable accuracy | pour accuracy | pour exact |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for fam in dict.fromkeys([*FAMILIES, *LOTO_GROUPS, "all", "unseen tools"]):
        s = summary.get(fam)
        if s is None:
            continue
        acc = "-" if s["accuracy"] is None else f"{s['accuracy']:.4f}"
        pour_acc = f"{s['pour_accuracy']:.4f}" if "pour_accuracy" in s else "-"
        dec_acc = f"{s['decidable_accuracy']:.4f}" if "decidable_accuracy" in s else "-"
        pour_exact = f"{s['pour_exact']} of {s['renders']}" if "pour_exact" in s else "-"
        lines.append(
            f"| {fam} | {s['renders']} | {acc} | {s['exact']} of {s['renders']} | "
            f"{s['wrong_unflagged']} | {s['exact_flagged']} | {s.get('wrong_ok', '-')} | "
            f"{s.get('exact_review', '-')} | {s['errors']} | {s['lost']} | "
            f"{s.get('wrong_numbers', '-')} | {s.get('left_null', '-')} | "
            f"{s.get('undecidable', '-')} | {dec_acc} | {pour_acc} | {pour_exact} |"
        )
    return "\n".join(lines)


def _fit_model(config: Any, xy: Sequence[tuple[Any, Any]], out: Path) -> LineModel:
    """Fit the line classifier on stacked (features, labels) and load it from ``out``."""
    import numpy as np

    from giextract.classify import line_labels
    from giextract.features import FEATURE_VERSION, N_FEATURES
    from giextract.train import fit, to_onnx

    x = np.concatenate([a for a, _ in xy])
    y = np.concatenate([b for _, b in xy])
    out.mkdir(parents=True)
    (out / "model.onnx").write_bytes(to_onnx(fit(config, x, y)))
    meta = {
        "name": out.name,
        "labels": list(line_labels()),
        "feature_version": FEATURE_VERSION,
        "n_features": N_FEATURES,
        "training": {"lines": len(y)},
    }
    (out / "meta.json").write_text(json.dumps(meta), "utf-8")
    return load_model_from(out)


def loto(
    pages: Sequence[RenderedPage], groups: Sequence[str], config_path: Path, log: Any = None
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Train without each group's families, score on its held-out pages; ``all`` too.

    The training data is what ``giextract train`` uses (the corpus's train split and the
    config's generated reports, held-out layouts excluded) plus the aligned renders of the
    training pages; it is featurized once and the model refitted per group (``train.fit``).
    """
    from giextract.train import matrix
    from giextract.training.align import render_examples
    from giextract.training.examples import TrainConfig, corpus_examples, generated_examples

    config = TrainConfig.load(config_path)
    base = corpus_examples("train") + generated_examples(
        config.generated, config.generated_seed, exclude=config.held_out_layouts
    )
    base_xy = matrix(base)
    renders = [
        (ex.layout, matrix([ex])) for ex in render_examples([p for p in pages if not p.held_out])
    ]
    held = [p for p in pages if p.held_out]
    summary: dict[str, dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="giextract-loto-") as tmp:
        for group in groups:
            left_out = LOTO_GROUPS.get(group, ())
            t = time.perf_counter()
            xy = [base_xy, *(m for fam, m in renders if fam not in left_out)]
            model = _fit_model(config, xy, Path(tmp) / group)
            group_rows = run(model, held, left_out or FAMILIES)
            summary[group] = {
                **summarize(group_rows)["all"],
                "seconds": round(time.perf_counter() - t),
            }
            rows += [{**r, "group": group} for r in group_rows]
            if log is not None:
                print(group, json.dumps(summary[group]), file=log, flush=True)
    return summary, rows


def line_accuracy(model: LineModel, pages: Sequence[RenderedPage]) -> dict[str, float]:
    """Per family, the share of lines whose predicted label is the aligner's label."""
    from giextract.training.align import render_examples

    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for ex in render_examples(pages):
        pred, _ = model.predict(ex.lines)
        for fam in (ex.layout, "all"):
            right[fam] += sum(a == b for a, b in zip(pred, ex.labels, strict=True))
            total[fam] += len(ex.labels)
    return {fam: round(right[fam] / total[fam], 4) for fam in total if total[fam]}


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    ap.add_argument("--split", choices=("held_out", "train", "all"), default="held_out")
    ap.add_argument("--loto", action="store_true", help="leave-one-tool-out training runs")
    ap.add_argument("--groups", default=",".join([*LOTO_GROUPS, "all"]))
    ap.add_argument("--config", type=Path, default=REPO / "training" / "config.toml")
    ap.add_argument("--json", type=Path, help="also write every row and figure here")
    ap.add_argument("--show-wrong", action="store_true", help="list each wrong render's fields")
    ap.add_argument(
        "--lines", action="store_true", help="also the line-label accuracy against the aligner"
    )
    args = ap.parse_args(argv)
    pages = load_pages()
    if args.loto:
        summary, rows = loto(pages, args.groups.split(","), args.config, log=sys.stderr)
        print(table(summary, "leave-one-tool-out (held-out pages of the group left out)"))
        every = [r for r in rows if r["group"] == "all"]
        if every:
            print()
            print(table(summarize(every), "trained on every family, held-out pages"))
    else:
        chosen = [
            p for p in pages if args.split == "all" or p.held_out == (args.split == "held_out")
        ]
        model = load_model_from(args.model) if args.model else load_model()
        rows = run(model, chosen)
        summary = summarize(rows)
        name = args.model.name if args.model else "shipped model"
        print(table(summary, f"{name}, {args.split} pages ({len(chosen)})"))
        if args.lines:
            acc = line_accuracy(model, chosen)
            print("\nline-label accuracy against the aligner:")
            print(" | ".join(f"{fam} {a:.4f}" for fam, a in acc.items()))
    if args.show_wrong:
        for r in rows:
            if not r.get("lost") and not r["exact"]:
                flag = "flagged" if r["flagged"] else "UNFLAGGED"
                print(
                    r["page"], r["render"], flag, r["error"] or "", len(r["wrong"]), r["wrong"][:4]
                )
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "rows": rows}, indent=1), "utf-8")


if __name__ == "__main__":
    main()
