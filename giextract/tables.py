"""Rebuilding the three tables from labelled lines: tokens, segments, readings.

Three steps, each a module of its own:

1. :func:`giextract.tokens.tokens_of`: labelled lines become tokens (label text,
   headers, value and empty cells);
2. :func:`giextract.segment.segment`: the tokens are grouped into row candidates,
   each label matched onto a template row, through the named repair rules of
   :data:`giextract.segment.SEGMENT_RULES`;
3. :func:`giextract.resolve.read_row`: each candidate's cells are laid onto its
   row's columns, the identities then the priors of
   :data:`giextract.resolve.RESOLVE_RULES` choosing among the readings.

Printed numbers are never changed.  :class:`Rebuilt`, :class:`RowReading` and
:class:`CellReading` are the contract other readings (layout, sequence, squashed)
build too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .catalogue import TABLES, Template
from .joint import joint_layings
from .lines import Line
from .resolve import (
    RESOLVE_RULES,
    CellReading,
    RowReading,
    differing_columns,
    field_of_cell,
    read_row,
)
from .segment import SEGMENT_RULES, RowCandidate, Segments, segment
from .tokens import SKIPPED, Token, TokenKind, tokens_of
from .values import MAX_DIGITS

__all__ = [
    "MAX_DIGITS",
    "REPAIR_RULES",
    "SKIPPED",
    "CellReading",
    "Rebuilt",
    "RowCandidate",
    "RowReading",
    "Segments",
    "Token",
    "TokenKind",
    "read_row",
    "rebuild",
    "resolve",
    "segment",
    "tokens_of",
]

REPAIR_RULES: tuple[str, ...] = (
    "unknown_marker_keeps_its_cell",
    *(r.name for r in SEGMENT_RULES),
    *(r.name for r in RESOLVE_RULES),
    "columns_decided_jointly",
)
"""Every repair rule's name, in the order the rebuild applies them."""


@dataclass
class Rebuilt:
    """The rebuilt tables: a reading per row found, and what could not be placed."""

    rows: dict[str, RowReading] = field(default_factory=dict)
    warnings: list[dict[str, object]] = field(default_factory=list)


def resolve(
    candidate: RowCandidate, template: Template, max_digits: int = MAX_DIGITS
) -> RowReading:
    """The reading of one row candidate: its cells on the row's columns, and its label."""
    if candidate.empty:
        tok = candidate.label[0]
        return RowReading(
            candidate.row,
            [tok.line.number],
            tok.text,
            [None] * candidate.row.width,
            rules=candidate.rules,
        )
    label_lines = candidate.label_lines
    reading = read_row(candidate.row, candidate.values, label_lines, template, max_digits)
    reading.label_lines = sorted(label_lines)
    reading.label_text = "".join(t.text for t in candidate.label)
    reading.rules = (*candidate.rules, *reading.rules)
    return reading


def rebuild(
    lines: Sequence[Line],
    labels: Sequence[str],
    template: Template,
    *,
    max_digits: int = MAX_DIGITS,
) -> Rebuilt:
    """Rebuild the tables of a report from its labelled lines.

    Args:
        lines: the report's logical lines.
        labels: one line label per line.
        template: the report's template.
        max_digits: the longest number (in digits) read as a value; a longer one is a
            value error on its field (null, with a ``value_too_long`` warning).
    """
    segments = segment(lines, labels, template, max_digits)
    result = Rebuilt(warnings=list(segments.warnings))
    for candidate in segments.candidates:
        result.rows[candidate.row.key] = resolve(candidate, template, max_digits)
    columns_decided_jointly(result, template)
    return result


def columns_decided_jointly(rebuilt: Rebuilt, template: Template) -> None:
    """Narrow the tied readings of each table's rows to those the table's identities
    allow together (:func:`giextract.joint.joint_layings`); a column the readings left
    then agree on is read, the others stay disputed.

    ``pdftotext -raw`` lost a blank in 上年结转 and in 总计 (render p032)::

        一、本年新收政府信息公开申请 150 0 0 2 15 0 167
        二、上年结转政府信息公开申请数量 0 0 1 0 0 1
        (七)总计 150 0 0 3 15 168

    Alone, each row may have its blank in several columns; with 本年新收 + 上年结转 =
    总计 + 结转下年 in every column, 上年结转's 1 stands only under 社会公益组织.  A row
    with disputed columns but no kept readings (too many) takes no part, nor do the
    identities with a term in it.
    """
    for table in TABLES:
        readings = [
            r
            for r in rebuilt.rows.values()
            if r.row.table == table and (r.layings or not r.disputed)
        ]
        if not any(r.layings for r in readings):
            continue
        kept = joint_layings(
            template,
            [(r.row, [_values(c) for c in (r.layings or (tuple(r.cells),))]) for r in readings],
        )
        if kept is None:
            continue
        for reading, keep in zip(readings, kept, strict=True):
            if reading.layings and len(keep) < len(reading.layings):
                rebuilt.rows[reading.row.key] = _narrowed(
                    reading, [reading.layings[i] for i in keep]
                )


def _values(cells: Sequence[CellReading | None]) -> list[int | float | None]:
    return [None if c is None else c.parsed.value for c in cells]


def _narrowed(reading: RowReading, layings: list[tuple[CellReading | None, ...]]) -> RowReading:
    """The row read from the tied readings left: its columns disputed where they differ."""
    disputed = differing_columns(reading.row.width, layings, field_of_cell)
    return replace(
        reading,
        cells=list(layings[0]),
        disputed=disputed,
        layings=tuple(layings) if disputed else (),
        rules=(*reading.rules, columns_decided_jointly.__name__),
    )
