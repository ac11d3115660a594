"""Squashed report pages, made the way scrapers make them from the generated web pages.

Archives of these reports often store a page's text as BeautifulSoup's
``get_text()`` or lxml's ``text_content()`` gives it: every table cell run into the
next with no separator (``一、本年新收政府信息公开申请数量801000081``).  Some keep a
space between most cells (``0 0 0 0 0 00``), and ``get_text(" ")`` spaces every
cell but leaves each table on one line.  This module renders a portal-style page
with :func:`training.web_fixtures.page` (values drawn by
:func:`training.generate.draw_gold`, so they obey the identities, with the
generator's usual share of reports carrying one arithmetic error of their own) and
takes its text in one of :data:`STYLES`:

* ``plain``: ``get_text()``, no separator anywhere;
* ``partial``: value cells spaced except some gaps, always the last of a row
  (``0 0 0 0 0 00``), header words and labels run together, as in the archive;
* ``spaced``: ``get_text(" ")``, one space between every text node.

Each page is one line of text, or keeps the page's line breaks between blocks, and
then maybe one table row per line too (markup with a newline between ``<tr>``s);
``spaced`` with a row per line is an ordinary spaced layout, left to the line reading.
The tools are pure Python; nothing is installed.  Run::

    python -m giextract.training.squash --n 20 --seed 1 --out /tmp/squashed
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..catalogue import TEMPLATES, load_template
from .generate import draw_gold, draw_options, make_agency
from .web_fixtures import page

STYLES = ("plain", "partial", "spaced")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class SquashedReport:
    """One squashed page, its gold values (every field id) and how it was squashed."""

    name: str
    template: str
    style: str
    one_line: bool
    text: str
    fields: dict[str, Any]
    error_field: str | None


class _Cells(HTMLParser):
    """Text nodes of a page, with the cells of each table row kept apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str | list[str]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.row = []
        elif tag == "td" and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.row is not None and self.cell is not None:
            self.row.append("".join(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.parts.append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.row is None:
            self.parts.append(data)


def _row_text(cells: Sequence[str], style: str, rng: random.Random, p_space: float) -> str:
    cells = [c for c in cells if c.strip()]
    if style == "spaced":
        return " ".join(cells) + " "
    if style == "plain":
        return "".join(cells)
    out = cells[0] if cells else ""
    for k in range(1, len(cells)):
        both_values = _NUMBER.match(cells[k - 1]) and _NUMBER.match(cells[k])
        last = k == len(cells) - 1
        out += (" " if both_values and not last and rng.random() < p_space else "") + cells[k]
    return out


def squash_html(
    html: str, style: str, rng: random.Random, *, one_line: bool, row_lines: bool = False
) -> str:
    """The page's text as a scraper stores it, in ``style`` (one of :data:`STYLES`).

    ``row_lines`` ends each table row with a line break (markup with a newline
    between ``<tr>`` elements but none between cells).
    """
    parser = _Cells()
    parser.feed(html)
    p_space = rng.uniform(0.6, 1.0)
    chunks: list[str] = []
    for part in parser.parts:
        if isinstance(part, list):
            chunks.append(_row_text(part, style, rng, p_space) + ("\n" if row_lines else ""))
        else:
            chunks.append(part + (" " if style == "spaced" and part.strip() else ""))
    text = "".join(chunks)
    if one_line:
        text = re.sub(r"\s*\n\s*", "", text)
    return re.sub(r"\n{2,}", "\n", text).strip() + "\n"


def squashed_report(rng: random.Random, template: str, index: int = 0) -> SquashedReport:
    """One generated report of ``template``, squashed in a style drawn from ``rng``."""
    tpl = load_template(template)
    o = draw_options(rng, template, "squashed")
    gold = draw_gold(rng, tpl, o)
    style = rng.choice(STYLES)
    one_line = rng.random() < 0.6
    row_lines = not one_line and rng.random() < 0.5
    agency = make_agency(rng)
    printed: dict[str, Any] = dict(gold)
    if rng.random() < 0.15:
        _placeholders(rng, printed, gold)
    html = page(template, printed).replace("XX局", agency)
    text = squash_html(html, style, rng, one_line=one_line, row_lines=row_lines)
    return SquashedReport(
        name=f"squashed-{template}-{style}-{index:06d}",
        template=template,
        style=style,
        one_line=one_line,
        text=text,
        fields=gold,
        error_field=o.get("error_field"),
    )


def _placeholders(rng: random.Random, printed: dict[str, Any], gold: dict[str, Any]) -> None:
    """Print a few zero cells as a placeholder (``—``, ``/``); their gold becomes null."""
    zeros = [f for f, v in gold.items() if v == 0 and not f.startswith("active.")]
    for fid in rng.sample(zeros, min(len(zeros), rng.randint(1, 3))):
        printed[fid] = rng.choice(("—", "/", "-"))
        gold[fid] = None


def squashed_corpus(n: int, seed: str | int) -> Iterator[SquashedReport]:
    """``n`` squashed reports alternating templates; report ``i`` depends on (seed, i) only."""
    for i in range(n):
        template = TEMPLATES[i % len(TEMPLATES)]
        yield squashed_report(random.Random(f"squash-{seed}-{i}"), template, i)


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=20)
    p.add_argument("--seed", default="1")
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for r in squashed_corpus(args.n, args.seed):
        (args.out / f"{r.name}.txt").write_text(r.text, encoding="utf-8")
        meta = {"template": r.template, "style": r.style, "one_line": r.one_line}
        gold = {**meta, "error_field": r.error_field, "fields": r.fields}
        (args.out / f"{r.name}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
