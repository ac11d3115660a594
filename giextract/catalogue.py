"""The canonical field catalogue of both templates, and the row structure derived from it.

The catalogue (``giextract/data/fields.json``) is the output contract: a copy of
``shared/spec/fields.json``.  This module reads it once and arranges its fields
into the rows of the three tables, in the template's order, so that table
rebuilding can align what it reads against what the template prescribes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .normalize import label_key

DATA_DIR = Path(__file__).parent / "data"
"""The data files shipped with the package (``giextract/data``)."""

TEMPLATES = ("2019", "2021")
TABLES = ("active", "requests", "appeals")
APPLICANT_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_org",
    "legal_service",
    "other_org",
)
APPEAL_GROUPS = ("review", "litigation_direct", "litigation_after_review")


APPEAL_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


@lru_cache(maxsize=4096)
def row_of(fid: str) -> str:
    """The key of a field's template row (``appeals``: every field of the appeals table);
    cached, a pure function of the id."""
    return "appeals" if fid.startswith("appeals.") else fid.rsplit(".", 1)[0]


@dataclass(frozen=True)
class FieldSpec:
    """One canonical field: its id and where it sits in the template."""

    id: str
    table: str
    group: str | None
    row_label: str
    col_label: str
    type: str


@dataclass(frozen=True)
class RowSpec:
    """One row of a table as the template prescribes it, with its fields in column order."""

    table: str
    key: str
    label: str
    group: str | None
    fields: tuple[FieldSpec, ...]

    @property
    def width(self) -> int:
        """How many values the row holds."""
        return len(self.fields)

    @cached_property
    def field_ids(self) -> tuple[str, ...]:
        """The ids of the row's fields, in column order (made once)."""
        return tuple(f.id for f in self.fields)


@dataclass(frozen=True)
class Template:
    """One template (``2019`` or ``2021``): its fields and the rows they form."""

    id: str
    source: str
    fields: tuple[FieldSpec, ...]
    rows: tuple[RowSpec, ...]
    by_id: dict[str, FieldSpec] = field(repr=False, compare=False, hash=False)

    @cached_property
    def field_ids(self) -> tuple[str, ...]:
        """The ids of every field, in the template's order (made once)."""
        return tuple(f.id for f in self.fields)

    @cached_property
    def _by_table(self) -> dict[str, tuple[RowSpec, ...]]:
        """The rows of each table, in the template's order (made once)."""
        return {
            t: tuple(r for r in self.rows if r.table == t) for t in {r.table for r in self.rows}
        }

    @cached_property
    def _by_key(self) -> dict[str, RowSpec]:
        """Each row by its key, the first of a key (made once)."""
        return {r.key: r for r in reversed(self.rows)}

    def table_rows(self, table: str) -> tuple[RowSpec, ...]:
        """The rows of one table, in the template's order."""
        return self._by_table.get(table, ())

    def row(self, key: str) -> RowSpec:
        """The row of a key (``KeyError`` if there is none)."""
        return self._by_key[key]


def row_key(f: FieldSpec) -> str:
    """The key of a field's template row (``appeals``: the whole appeals table is one row)."""
    if f.table == "appeals":
        return "appeals"
    return f.id.rsplit(".", 1)[0]


def _build_template(tid: str, raw: dict[str, Any]) -> Template:
    specs = tuple(FieldSpec(**f) for f in raw["fields"])
    rows: dict[str, list[FieldSpec]] = {}
    for f in specs:
        rows.setdefault(row_key(f), []).append(f)
    row_specs = []
    for key, fs in rows.items():
        first = fs[0]
        label = "行政复议、行政诉讼" if key == "appeals" else first.row_label
        group = None if key == "appeals" else first.group
        row_specs.append(RowSpec(first.table, key, label, group, tuple(fs)))
    return Template(tid, raw["source"], specs, tuple(row_specs), {f.id: f for f in specs})


def data_text(name: str) -> str:
    """The text of a data file of :data:`DATA_DIR`."""
    return (DATA_DIR / name).read_text(encoding="utf-8")


def data_yaml(name: str) -> Any:
    """A YAML data file of :data:`DATA_DIR`, parsed by libyaml where PyYAML has it.

    PyYAML is imported here, on first use: code that never reads these files (the
    command line's parent process, the records) does not pay for it.
    """
    import yaml

    return yaml.load(data_text(name), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=1)
def raw_catalogue() -> dict[str, Any]:
    """The catalogue file as it is shipped (a copy of the shared spec)."""
    data: dict[str, Any] = json.loads(data_text("fields.json"))
    return data


@lru_cache(maxsize=2)
def load_template(tid: str) -> Template:
    """The template ``2019`` or ``2021``."""
    if tid not in TEMPLATES:
        raise KeyError(f"unknown template {tid!r}; known: {', '.join(TEMPLATES)}")
    return _build_template(tid, raw_catalogue()["templates"][tid])


def all_field_ids() -> list[str]:
    """Every field id of both templates, 2019's first, each once (the CSV columns)."""
    seen: dict[str, None] = {}
    for tid in TEMPLATES:
        for fid in load_template(tid).field_ids:
            seen.setdefault(fid, None)
    return list(seen)


@dataclass(frozen=True)
class Variants:
    """The curated label variants: catalogue wording -> variant keys."""

    row_labels: dict[str, tuple[str, ...]]
    col_labels: dict[str, tuple[str, ...]]
    table_titles: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def load_variants() -> Variants:
    """The hand-curated label variants of ``giextract/data/label_variants.yaml``."""
    raw = data_yaml("label_variants.yaml")

    def keyed(d: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
        return {label_key(k): tuple(label_key(v) for v in vs) for k, vs in (d or {}).items()}

    return Variants(
        row_labels=keyed(raw.get("row_labels", {})),
        col_labels=keyed(raw.get("col_labels", {})),
        table_titles={k: tuple(label_key(v) for v in vs) for k, vs in raw["table_titles"].items()},
    )


@lru_cache(maxsize=1)
def label_lexicon() -> dict[str, frozenset[str]]:
    """Label keys by role over both templates: row labels, groups, column headers, titles.

    Used by the line features (how much a line looks like each kind of label).
    """
    rows: set[str] = set()
    groups: set[str] = set()
    cols: set[str] = set()
    for tid in TEMPLATES:
        t = load_template(tid)
        for f in t.fields:
            if f.table != "appeals":
                rows.add(label_key(f.row_label))
            if f.group:
                groups.add(label_key(f.group))
            cols.add(label_key(f.col_label))
    variants = load_variants()
    for k, vs in variants.row_labels.items():
        if k in rows:
            rows.update(vs)
    for vs in variants.col_labels.values():
        cols.update(vs)
    groups.update({"三、本年度办理结果", "第二十条第(一)项"})
    cols.update(
        label_key(x)
        for x in (
            "信息内容",
            "申请人情况",
            "自然人",
            "法人或其他组织",
            "行政复议",
            "行政诉讼",
            "未经复议直接起诉",
            "复议后起诉",
            "结果维持",
            "结果纠正",
            "其他结果",
            "尚未审结",
            "总计",
            "本年新制作数量",
            "本年新公开数量",
            "对外公开总数量",
        )
    )
    groups = {g for g in groups if not g.startswith("行政")}
    titles = {v for vs in variants.table_titles.values() for v in vs}
    return {
        "row": frozenset(rows),
        "group": frozenset(groups),
        "col": frozenset(cols),
        "title": frozenset(titles),
    }


# -- identities (勾稽关系) -------------------------------------------------------------
RESULT_PREFIXES = ("granted", "partly_granted", "denied.", "unable.", "not_processed.", "other")
"""Key prefixes of the requests rows that are results (summed into （七）总计)."""

Identity = tuple[str, list[str], list[str]]
"""An identity: its id, the field ids of its left side and of its right side."""


def result_rows(template: Template) -> list[str]:
    """Keys of the requests rows that are results (summed into （七）总计)."""
    return [
        r.key
        for r in template.table_rows("requests")
        if r.key.removeprefix("requests.").startswith(RESULT_PREFIXES)
    ]


TOLERANCE = 1e-6
"""Two sides of an identity are equal when they differ by less than this (the checks and
the rebuild's scoring of a row's readings alike)."""


def identities(template: Template) -> list[Identity]:
    """Every identity of the template as (id, left field ids, right field ids), cached."""
    return list(_identities(template.id))


@lru_cache(maxsize=2)
def _identities(tid: str) -> tuple[Identity, ...]:
    template = load_template(tid)
    out: list[Identity] = []
    columns = (*APPLICANT_COLUMNS, "total")
    results = result_rows(template)
    for col in columns:
        out.append(
            (
                f"requests.balance.{col}",
                [f"requests.new_received.{col}", f"requests.carried_over.{col}"],
                [f"requests.total.{col}", f"requests.carried_forward.{col}"],
            )
        )
        out.append(
            (
                f"requests.results_sum.{col}",
                [f"requests.total.{col}"],
                [f"{key}.{col}" for key in results],
            )
        )
    for row in template.table_rows("requests"):
        out.append(
            (
                f"{row.key}.row_sum",
                [f"{row.key}.total"],
                [f"{row.key}.{c}" for c in APPLICANT_COLUMNS],
            )
        )
    for group in APPEAL_GROUPS:
        parts = [f"appeals.{group}.{c}" for c in APPEAL_COLUMNS[:4]]
        out.append((f"appeals.{group}.sum", [f"appeals.{group}.total"], parts))
    return tuple(out)


def row_identities(template: Template, row: RowSpec) -> list[tuple[str, list[int], list[int]]]:
    """The identities whose terms all lie in one row, as column indices of that row.

    The table rebuild scores the readings of a row with these (``总计`` = the six
    applicant columns; each appeals group's total = its four outcomes).
    """
    return list(identities_within(template.id, row.field_ids))


@lru_cache(maxsize=256)
def identities_within(
    tid: str, field_ids: tuple[str, ...]
) -> tuple[tuple[str, list[int], list[int]], ...]:
    """The identities of template ``tid`` whose terms are all among ``field_ids`` (cached),
    as indices into ``field_ids``."""
    cols = {fid: i for i, fid in enumerate(field_ids)}
    return tuple(
        (iid, [cols[f] for f in left], [cols[f] for f in right])
        for iid, left, right in _identities(tid)
        if all(f in cols for f in (*left, *right))
    )
