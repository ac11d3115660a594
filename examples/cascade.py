"""A cascade: a small rule-based parser first, giextract behind it (:func:`giextract.fallback`).

The rule parser reads the tab-separated layout a browser gives when a report's tables are
copied from a web page: one table row per line, cells separated by tabs, the row's label
in its last text cell, then its values.  It is honest rather than clever: it matches a
label only when, numbering and spaces aside, it is the template's own wording (or the
start of it, cut by a page break), and it gives up on a row — leaving its fields out —
when the number of values is not the template's or a cell is not a number or a blank
marker.  Everything it leaves out, or that fails the identities, giextract fills in.

    python examples/cascade.py            # the three figures on the evaluation set
    python examples/cascade.py --tab 200  # and on 200 generated tab-separated reports

Figures: field accuracy (a field absent from the rule parser's record counts as null) and
the share of reports with every field right, for the rule parser alone, giextract alone
and the cascade.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import giextract  # noqa: E402
from giextract.catalogue import RowSpec, Template, load_template  # noqa: E402

BLANKS = frozenset({"", "/", "／", "-", "—", "——", "无"})
NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+[.、．])"
)
NUMBER = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
UNIT = re.compile(r"(万元|元|件|个|项)$")
MIN_PREFIX = 6


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _words(label: str) -> str:
    return NUMBERING.sub("", _norm(label))


def value(cell: str) -> tuple[bool, int | float | None]:
    """A cell as (ok, number or None for a blank marker)."""
    text = UNIT.sub("", _norm(cell))
    if text in BLANKS:
        return True, None
    if not NUMBER.match(text):
        return False, None
    number = text.replace(",", "")
    return True, float(number) if "." in number else int(number)


def detect_template(text: str) -> str | None:
    """``2021`` or ``2019`` from the active table's column headings, else None."""
    norm = _norm(text)
    if "本年制发件数" in norm:
        return "2021"
    if "本年新制作数量" in norm:
        return "2019"
    return None


def _row_for(label: str, template: Template, table: str) -> RowSpec | None:
    words = _words(label)
    if not words:
        return None
    rows = [r for r in template.rows if r.table == table and r.key != "appeals"]
    exact = [r for r in rows if _words(r.label) == words]
    if len(exact) == 1:
        return exact[0]
    prefix = [r for r in rows if len(words) >= MIN_PREFIX and _words(r.label).startswith(words)]
    return prefix[0] if len(prefix) == 1 else None


def _split(line: str) -> tuple[str | None, list[str]]:
    """A tab row as (its label: the last text cell before the values, the value cells)."""
    cells = line.split("\t")
    last_text = None
    for i, cell in enumerate(cells):
        ok, _ = value(cell)
        if not ok:
            last_text = i
    if last_text is None:
        return None, cells
    return cells[last_text], cells[last_text + 1 :]


def _table_of(line: str, current: str | None) -> str | None:
    norm = _norm(line)
    if "主动公开政府信息情况" in norm and "\t" not in line:
        return "active"
    if "收到和处理政府信息公开申请情况" in norm and "\t" not in line:
        return "requests"
    if "行政复议" in norm and "行政诉讼情况" in norm and "\t" not in line:
        return "appeals"
    return current


def rule_parse(text: str) -> dict[str, Any] | None:
    """The rule parser: ``{"template", "fields"}`` with the fields it read, or None."""
    template_id = detect_template(text)
    if template_id is None:
        return None
    template = load_template(template_id)
    fields: dict[str, int | float | None] = {}
    table: str | None = None
    for line in text.splitlines():
        table = _table_of(line, table)
        if "\t" not in line or table is None:
            continue
        label, cells = _split(line)
        if label is None:
            if table == "appeals":
                _read_appeals(cells, fields)
            continue
        row = _row_for(label, template, table)
        if row is not None and row.key not in {f.rsplit(".", 1)[0] for f in fields}:
            _read_row(row, label, cells, fields)
    return {"template": template_id, "fields": fields} if fields else None


def _values(cells: list[str], width: int) -> list[int | float | None] | None:
    while len(cells) > width and cells[-1].strip() == "":
        cells = cells[:-1]
    if len(cells) != width:
        return None
    out = []
    for cell in cells:
        ok, v = value(cell)
        if not ok:
            return None
        out.append(v)
    return out


def _read_row(
    row: RowSpec, label: str, cells: list[str], fields: dict[str, int | float | None]
) -> None:
    """A row's values, unless they cannot be trusted.

    A row of blanks whose label lacks the template's numbering is most likely the rest of
    a label cut by a page break (its values printed before the break): it is skipped.
    """
    values = _values(cells, row.width)
    if values is None:
        return
    numbered = NUMBERING.match(_norm(row.label)) is not None
    if all(v is None for v in values) and numbered and not NUMBERING.match(_norm(label)):
        return
    fields.update(zip(row.field_ids, values, strict=True))


def _read_appeals(cells: list[str], fields: dict[str, int | float | None]) -> None:
    row = load_template("2021").row("appeals")  # the same 15 fields in both templates
    if any(f.startswith("appeals.") for f in fields):
        return
    values = _values(cells, row.width)
    if values is not None and any(v is not None for v in values):
        fields.update(zip(row.field_ids, values, strict=True))


# -- the figures -----------------------------------------------------------------------------
def _right(gold: dict[str, Any], got: dict[str, Any]) -> int:
    def same(a: Any, b: Any) -> bool:
        return (a is None and b is None) or (
            a is not None and b is not None and abs(float(a) - float(b)) < 1e-9
        )

    return sum(same(v, got.get(f)) for f, v in gold.items())


def figures(examples: list[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, float]]:
    """Field accuracy and exact reports of the rule parser, giextract and the cascade."""
    totals = {"rule": [0, 0], "giextract": [0, 0], "cascade": [0, 0]}
    n_fields = 0
    for text, gold in examples:
        rule = rule_parse(text)
        report = giextract.extract_text(text)
        merged = giextract.fallback(rule, report)
        n_fields += len(gold)
        for name, got in (
            ("rule", (rule or {}).get("fields", {})),
            ("giextract", report.fields),
            ("cascade", merged.fields),
        ):
            right = _right(gold, got)
            totals[name][0] += right
            totals[name][1] += right == len(gold)
    return {
        name: {
            "field_accuracy": round(right / max(1, n_fields), 5),
            "exact_reports": round(exact / max(1, len(examples)), 4),
        }
        for name, (right, exact) in totals.items()
    }


def _evaluation_set() -> list[tuple[str, dict[str, Any]]]:
    from giextract.training.examples import TrainConfig, evaluation_examples

    return [
        (ex.document.text, ex.gold) for ex in evaluation_examples(TrainConfig.load()) if ex.gold
    ]


def _tab_set(n: int) -> list[tuple[str, dict[str, Any]]]:
    from giextract.training.examples import generated_examples

    return [
        (ex.document.text, ex.gold)
        for ex in generated_examples(n, 4242, layouts=["tab_rows"])
        if ex.gold
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description="The cascade's three figures.")
    parser.add_argument("--tab", type=int, default=0, help="Also N generated tab-row reports.")
    args = parser.parse_args()
    sets = {"evaluation set": _evaluation_set()}
    if args.tab:
        sets[f"{args.tab} generated tab-row reports"] = _tab_set(args.tab)
    for title, examples in sets.items():
        print(f"== {title} ({len(examples)} reports)")
        for name, m in figures(examples).items():
            print(
                f"  {name:<10} field accuracy {m['field_accuracy']:.5f}, exact reports "
                f"{m['exact_reports']:.4f}"
            )


if __name__ == "__main__":
    main()
