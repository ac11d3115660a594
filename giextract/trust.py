"""The trust contract of a record: ``status`` with its ``reasons``, per-field ``flags``, and a
``level`` for every warning, so that a caller can tell "look at this" from noise.

Status:

* ``error``: the file could not be processed (the record's ``error`` has the code).
* ``review``: something may be wrong in the numbers; each reason of level ``review`` says
  what, and which fields.
* ``ok``: nothing points at a misreading.  Reasons of level ``notice`` may remain (e.g. the
  report's own arithmetic fails, a blank row is absent): they are facts about the report,
  not doubts about the reading.

A report gets ``review`` when (chosen on evidence: ``benchmarks/bench_trust.py --signals``
measures, per reason, how many correct and wrong reports carry it and how many wrong ones
only it catches, on the evaluation set, the golden cases and the training pages of the
real-tool renders; a reason that catches nothing alone and flags correct reports is a
notice, and a coarse one is made precise where it is raised):

* ``failed_identity``: an identity fails and one of its terms is doubtful: its row was
  chosen among several readings, decoded from a squashed run, repaired by a rule that
  infers a value's column (:data:`giextract.resolve.POSITION_GUESS_RULES`), had its
  values' order inferred (:data:`giextract.sequence.ORDER_DOUBT_RULES`: blanks placed by
  position, values printed across other text), is ambiguous, was not found, or was read
  blank because its label printed no values (``row_read_blank``: its numbers may have
  gone to the rows around it).  A failed identity whose terms were all read plainly (the
  row printed exactly the template's cells) is the report's own arithmetic: a notice
  (``report_arithmetic``).
* ``ambiguous``: a row or field could be read in several ways the identities could not
  tell apart (an ``ambiguous_reading`` or ``ambiguous_value`` warning), except a whole
  appeals group left blank where reports usually leave it (行政复议), a notice.
* ``unverified_choice``: a value was chosen among rival numbers (readings of its row that
  give different fields, readings of its table that give it another number, or a cut of a
  squashed run that reads in other ways: :func:`cut_from_run`; a reading that left it
  blank is no rival, or a row that left printed values out: ``too_many_values``, which
  were extra is a choice) and no identity confirms it (the active table has none).  A blank is
  never an unverified choice: a misplaced number shows where it went.  On the renders'
  training pages it marks no correct reading; ``ambiguous`` rows whose rivals only trade
  a blank and a 0 still need review (alone they catch 73 wrong rows there).
* ``values_off_the_grid``: a row's values stand on lines of their own under a header the
  converter drew as a pipe table (pymupdf4llm left the row out of its grid), so their order
  is the text's, not the columns' (render p017 printed a row's two values the other way
  round), and no identity confirms them.
* ``values_across_text``: a row's values were printed in runs parted by other text
  (pdftotext's default mode reorders a table's blocks: render p056, p029), so their order
  is the text's, and no passing identity places each in its column (a row's own sum holds
  in any order; the columns' identities, one term in the row each, do).
* ``header_placed_one_way``: a bare line's values placed under a header laid out in two
  dimensions one way only (shifted to fit, or where they stand, not both), and no passing
  identity places each in its column (render p053 in pypdf's layout text: fourteen 0s
  under fifteen columns, the blank put last; it was first).
* ``row_missing_values``: a row of the template was not found while values were left
  outside any row; they may be its values.
* ``blank_row_values_left``: a row was read with every cell blank while numbers enough to
  fill it were left outside any row (a PDF-to-Markdown converter split the row's label from
  its values: markitdown, pymupdf4llm), or a row's worth was left by a row read twice (a
  group label's ``予公开`` read as 予以公开: render p023 in pypdf's layout text).
* ``row_absent``: a row of the template was not found (its fields are null).  On the
  renders, which print every row, it never marks a correct reading, and it alone catches
  a row whose values a tool merged into a header line.
* ``squashed_undecodable`` (or ``squashed_search_cap`` naming a row): a row of numbers
  run together could not be split into its cells; its fields are null.
* ``unparsed_value``: a cell is neither a number nor a blank marker.
* ``few_rows``: fewer than half of the template's rows were found.
* ``table_not_found``: no row of one of the three tables was found (its fields are null,
  though the report printed them, most likely: the record is incomplete).
* ``value_not_finite``: a value could not be represented (it is null in the record).
* ``table_dropped``: the converter that made the text left a table out (pandoc's
  ``[TABLE]``): its fields are null because they are missing.
* any warning code this module does not know, with a ``field``: it names a doubt.

Warning levels: ``quiet`` (means nothing for the numbers: section headings and prose read
as labels, numbers in prose; and, when every row of the template was found, any label or
number left over, such as the pieces of a label a PDF tool wrapped: ``性收费``),
``notice`` (facts worth a look, no doubt about a value, e.g. ``damaged_encoding``,
``duplicate_row``, ``cells_joined``: a number printed in two cells under a column header cut
in two, read as one) and ``review`` (a value may be wrong).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any

from .catalogue import APPEAL_GROUPS, TABLES, load_template, row_of
from .checks import Check, identities
from .lines import compact as compact_text
from .resolve import DROPPED_VALUE_RULES, POSITION_GUESS_RULES
from .sequence import HEADER_PLACED_ONE_WAY, ORDER_DOUBT_RULES, VALUES_ACROSS_TEXT

SCHEMA_VERSION = "1.0"

OK, REVIEW, ERROR = "ok", "review", "error"
QUIET, NOTICE = "quiet", "notice"

FLAG_FAILED = "failed_identity"
FLAG_CHOSEN = "chosen_among"
FLAG_SQUASHED = "squashed"
FLAG_REPAIRED = "repaired"
FLAG_AMBIGUOUS = "ambiguous"
FLAG_UNPARSED = "unparsed"
FLAG_NOT_FINITE = "not_finite"
FLAGS = (
    FLAG_FAILED,
    FLAG_CHOSEN,
    FLAG_SQUASHED,
    FLAG_REPAIRED,
    FLAG_AMBIGUOUS,
    FLAG_UNPARSED,
    FLAG_NOT_FINITE,
)
#: Flags that make a field doubtful (a failed identity over one needs review).
DOUBTFUL = frozenset({FLAG_CHOSEN, FLAG_SQUASHED, FLAG_REPAIRED, FLAG_AMBIGUOUS, FLAG_UNPARSED})

#: Rules of the template-order reading whose row's order is a guess unless an identity
#: confirms each column (:meth:`_Assessor.unverified_orders`), with what the reason says.
UNVERIFIED_ORDER_RULES = {
    VALUES_ACROSS_TEXT: "its values were printed across other text; their order is the text's",
    HEADER_PLACED_ONE_WAY: (
        "its values were placed under the header one way only; where its blanks stand is a guess"
    ),
}

ORPHAN_CODES = frozenset({"stray_value", "unplaced_values"})
#: A squashed row whose run was not split into its cells (its fields are null), when the
#: warning names the row; the joint search's cap names none (its cells say ambiguous_value).
ROW_LOST_CODES = frozenset({"squashed_undecodable", "squashed_search_cap"})
#: Warning codes whose level is fixed.
_LEVELS = {
    "ambiguous_value": REVIEW,
    "unparsed_value": REVIEW,
    "value_not_finite": REVIEW,
    "row_not_found": NOTICE,
    # a failed identity over the row is a review (failed_identities)
    "row_read_blank": NOTICE,
    "table_dropped": REVIEW,
    "duplicate_row": NOTICE,
    # which values were extra is a choice: unverified_choice reviews it when no identity
    # confirms the row
    "extra_values": NOTICE,
    # the line classifier often takes a row beside a header for one (value_on_text_line,
    # prose or noise, is a review)
    "value_on_header_line": NOTICE,
    # the order of a row's values outside the converter's grid: unverified_orders reviews
    # the row when no identity confirms it
    "values_off_the_grid": NOTICE,
    # a number printed in two cells under a header cut in two, read as one (the header says so)
    "cells_joined": NOTICE,
}
#: Text read as a label that is a heading, a legal reference or prose, not a table row:
#: 第二十条第（一）项, 一、总体情况, （二）主动公开政府信息情况, long sentences.
_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+[条章节款项]|[一二三四五六七八九十]+[、.．]|"
    r"[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])?"
    r"(?:.*(?:条例|规定|办法|通知|情况|概述|总体|工作|报告|说明|问题|改进|措施|其他需要)|"
    r"第[一二三四五六七八九十百\d]+[条款项].*)$"
)
_PROSE_MIN = 30
_CODE_FLAGS = {"unparsed_value": FLAG_UNPARSED, "value_not_finite": FLAG_NOT_FINITE}


@dataclass(frozen=True)
class Reason:
    """Why a record has its status: a code, a level, a message and the fields concerned."""

    code: str
    level: str
    message: str
    fields: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "level": self.level,
            "message": self.message,
            "fields": list(self.fields),
        }


@dataclass
class Trust:
    """A record's status, its reasons, the flags of its fields and a level per warning."""

    status: str
    reasons: list[Reason] = field(default_factory=list)
    flags: dict[str, list[str]] = field(default_factory=dict)
    levels: list[str] = field(default_factory=list)


# -- versions ------------------------------------------------------------------
def model_version(meta: Mapping[str, Any]) -> str | None:
    """A model's name and version from its ``meta.json`` (``giextract-lines-1.0``)."""
    name, version = meta.get("name"), meta.get("version")
    return f"{name}-{version}" if name and version else None


@lru_cache(maxsize=1)
def shipped_model_version() -> str | None:
    """The shipped model's version, read from its ``meta.json``; None if there is none."""
    from .classify import current_model_path

    try:
        meta = json.loads((current_model_path() / "meta.json").read_text(encoding="utf-8"))
    except Exception:  # a missing or broken model is reported by extraction itself
        return None
    return model_version(meta)


def versions(model: str | None) -> dict[str, str | None]:
    """The versions a record names: its schema, giextract and the line model."""
    from .version import __version__

    return {
        "schema": SCHEMA_VERSION,
        "giextract": __version__,
        "model": model or shipped_model_version(),
    }


# -- warning levels --------------------------------------------------------------
def is_heading_like(text: str) -> bool:
    """Whether a label that matched no row is a heading, a legal reference or prose."""
    compact = compact_text(text)
    if len(compact) >= _PROSE_MIN or compact.endswith(("。", "；", "：", ":")):
        return True
    return any(_HEADING.match(part) for part in compact.split("/") if part)


def _label_of(warning: Mapping[str, Any]) -> str:
    m = re.search(r"label '(.*)' matches", str(warning.get("message", "")))
    return m.group(1) if m else str(warning.get("message", ""))


def warning_level(warning: Mapping[str, Any], rows_missing: bool) -> str:
    """The level of one warning, given whether some template row was not found."""
    code = str(warning.get("code", ""))
    if code in _LEVELS:
        return _LEVELS[code]
    if code == "unmapped_label":
        # with every row found, it is a heading or a piece of a wrapped label
        return NOTICE if rows_missing and not is_heading_like(_label_of(warning)) else QUIET
    if code in ORPHAN_CODES:
        return NOTICE if rows_missing else QUIET
    if code == "ambiguous_reading" or (code in ROW_LOST_CODES and warning.get("row")):
        return REVIEW
    return REVIEW if warning.get("field") else NOTICE


# -- assessment -------------------------------------------------------------------
def _flag(flags: dict[str, list[str]], fid: str, flag: str) -> None:
    got = flags.setdefault(fid, [])
    if flag not in got:
        got.append(flag)


def provenance_flags(provenance: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    """Flags from the per-field provenance keys (``chosen_among``, ``squashed``, ``rules``)."""
    flags: dict[str, list[str]] = {}
    for fid, prov in provenance.items():
        if int(prov.get("chosen_among") or 0) > 1:
            _flag(flags, fid, FLAG_CHOSEN)
        if prov.get("squashed") or prov.get("reading") == "squashed":
            _flag(flags, fid, FLAG_SQUASHED)
        rules = prov.get("rules")
        if rules and not POSITION_GUESS_RULES.isdisjoint(rules):
            _flag(flags, fid, FLAG_REPAIRED)
    return flags


def cut_from_run(prov: Mapping[str, Any]) -> bool:
    """Whether a squashed value was cut from a longer run that reads in other ways too
    (``270`` as 2, 7, 0 may be 27, 0 and a blank).  A whole run (``5949.09``, one cell) was
    not cut; a run whose cut is ``certain`` (``008``: ``00`` and ``08`` are no numbers, see
    :func:`giextract.squashed.blank_may_hide`) has no other reading."""
    squashed = prov.get("squashed")
    if not isinstance(squashed, Mapping) or squashed.get("certain"):
        return False
    return int(squashed.get("length") or 0) < len(str(squashed.get("run") or "").strip())


_LEFT_VALUES = re.compile(r"values? \[?'?([^\]']*)")
_LEFT_WITH_ROW = re.compile(r"\(left: values \[([^\]]*)\]\)")
_A_DIGIT = re.compile(r"\d")


def _orphan_numbers(warning: Mapping[str, Any]) -> int:
    """How many numbers a warning says were left outside any row (``value '0' outside any
    row``: 1; ``values [0, 0, (] belong to no known row``: 2; a label's piece is none), or
    left with a row's second reading (``duplicate_row``: ``read twice; kept the first
    (left: values [0, 0])``: 2, numbers that may be another row's, render p023 in pypdf's
    layout text: a group label's ``予公开`` read as 予以公开)."""
    code = warning.get("code")
    message = str(warning.get("message", ""))
    if code == "duplicate_row":
        m = _LEFT_WITH_ROW.search(message)
    elif code in ORPHAN_CODES:
        m = _LEFT_VALUES.match(message)
    else:
        return 0
    if m is None:
        return 0
    return sum(1 for v in m.group(1).split(", ") if _A_DIGIT.search(v))


def _blank_review_group(fields: Mapping[str, Any]) -> bool:
    """Appeals read with exactly the 行政复议 group blank, the others whole."""

    def blank(g: str) -> bool:
        return all(fields.get(f"appeals.{g}.{c}") is None for c in _APPEAL_COLS)

    def whole(g: str) -> bool:
        return all(fields.get(f"appeals.{g}.{c}") is not None for c in _APPEAL_COLS)

    first, *rest = APPEAL_GROUPS
    return blank(first) and all(whole(g) for g in rest)


_APPEAL_COLS = ("upheld", "corrected", "other", "pending", "total")


@dataclass(frozen=True)
class _TemplateIndex:
    """What an assessment looks up in its template, computed once per template."""

    terms: dict[str, tuple[str, ...]]
    """Each identity's field ids, left then right."""
    rows: dict[str, tuple[str, ...]]
    """Each row key's field ids (``appeals``: the whole appeals table), in field order."""
    row_of: dict[str, str]
    """Each field id's row key, in field order."""


@lru_cache(maxsize=4)
def _template_index(tid: str) -> _TemplateIndex:
    template = load_template(tid)
    rows_of = {fid: row_of(fid) for fid in template.field_ids}
    rows: dict[str, list[str]] = {}
    for fid, row in rows_of.items():
        rows.setdefault(row, []).append(fid)
    return _TemplateIndex(
        {cid: (*left, *right) for cid, left, right in identities(template)},
        {row: tuple(fids) for row, fids in rows.items()},
        rows_of,
    )


class _Assessor:
    """Builds one record's :class:`Trust` from its parts."""

    def __init__(
        self,
        template: str,
        fields: Mapping[str, Any],
        checks: Sequence[Check],
        warnings: Sequence[Mapping[str, Any]],
        provenance: Mapping[str, Mapping[str, Any]],
    ) -> None:
        self.template = load_template(template)
        self.fields, self.checks, self.warnings = fields, checks, warnings
        self.flags = provenance_flags(provenance)
        self.provenance = provenance
        self.reasons: list[Reason] = []
        self.index = _template_index(template)
        self.terms = self.index.terms
        self.rows = self.index.rows
        self.missing_rows = {
            str(w.get("row") or self._row_by_label(w))
            for w in warnings
            if w.get("code") == "row_not_found"
        }
        self.levels = [warning_level(w, bool(self.missing_rows)) for w in warnings]

    def _row_by_label(self, w: Mapping[str, Any]) -> str:
        m = re.search(r"row '(.*)' not found", str(w.get("message", "")))
        label = m.group(1) if m else ""
        return next((r.key for r in self.template.rows if r.label == label), label)

    def add(self, code: str, level: str, message: str, fields: Sequence[str] = ()) -> None:
        self.reasons.append(Reason(code, level, message, tuple(dict.fromkeys(fields))))

    def run(self) -> Trust:
        self.warning_reasons()
        self.missing_rows_reason()
        self.blank_rows_reason()
        self.failed_identities()
        self.unverified_choices()
        self.unverified_orders()
        status = REVIEW if any(r.level == REVIEW for r in self.reasons) else OK
        return Trust(status, self.reasons, self.flags, self.levels)

    def warning_reasons(self) -> None:
        for i, (w, level) in enumerate(zip(self.warnings, self.levels, strict=True)):
            code = str(w.get("code", ""))
            fid = w.get("field")
            if code in ("ambiguous_reading", "ambiguous_value"):
                self.levels[i] = self.ambiguity(w)
            elif level == REVIEW:
                fids = [str(fid)] if fid else self.row_fields(str(w.get("row") or ""))
                for f in fids:
                    _flag(self.flags, f, _CODE_FLAGS.get(code, FLAG_AMBIGUOUS))
                self.add(code, REVIEW, str(w.get("message", code)), fids)

    def row_fields(self, row: str) -> list[str]:
        """The field ids of a template row (``appeals`` is the whole appeals table)."""
        return list(self.rows.get(row, ())) if row else []

    def ambiguity(self, w: Mapping[str, Any]) -> str:
        """Flag the fields of an ambiguous row or field; returns the warning's level."""
        fids = [str(w["field"])] if w.get("field") else self.row_fields(str(w.get("row") or ""))
        for f in fids:
            _flag(self.flags, f, FLAG_AMBIGUOUS)
        if w.get("row") == "appeals" and _blank_review_group(self.fields):
            message = (
                "the appeals table lacks five cells; they were read as the blank 行政复议 "
                "group, as reports usually leave it"
            )
            self.add("blank_group_placed", NOTICE, message, fids)
            return NOTICE
        row = str(w.get("row") or "")
        if row.startswith("requests.") and self.confirmed_by_columns(row, fids):
            message = (
                f"{row}: the row could be laid out in several ways; the column identities "
                "confirm the one read"
            )
            self.add("ambiguity_confirmed", NOTICE, message, fids)
            return NOTICE
        self.add("ambiguous", REVIEW, str(w.get("message", "ambiguous reading")), fids)
        return REVIEW

    def confirmed_by_columns(self, row: str, fids: Sequence[str]) -> bool:
        """Whether the column identities confirm an ambiguous requests row's reading.

        Rival readings of a row move its values between columns, so every column identity
        over its fields passing confirms the one read, unless the row holds a 0: a blank
        and a 0 trade places without changing any sum.
        """
        if any(self.fields.get(f) == 0 for f in fids):
            return False
        own = f"{row}.row_sum"
        covering = [
            c for c in self.checks if c.id != own and set(self.terms.get(c.id, ())) & set(fids)
        ]
        columns = {f.rsplit(".", 1)[1] for f in fids}
        covered = {
            f.rsplit(".", 1)[1] for c in covering for f in self.terms[c.id] if f in set(fids)
        }
        return covered == columns and all(c.status == "pass" for c in covering)

    def blank_rows_reason(self) -> None:
        """Rows read with every cell blank while numbers enough to fill them were left
        outside any row: the numbers may be theirs (a converter that split a row's label
        from its values, markitdown putting a row's cells on lines of their own).  One
        stray number beside a blank row of three is no such doubt."""
        left = sum(_orphan_numbers(w) for w in self.warnings if w.get("code") in ORPHAN_CODES)
        # a row read twice left one row's worth: a blank row as wide may be theirs
        widths = {_orphan_numbers(w) for w in self.warnings if w.get("code") == "duplicate_row"}
        widths.discard(0)
        if not (left or widths) or any(r.code == "row_missing_values" for r in self.reasons):
            return  # none left over, or said already: rows missing, their values left
        blank = [
            self.rows[row]
            for row in self.blank_rows
            if len(self.rows[row]) <= left or len(self.rows[row]) in widths
        ]
        if blank:
            self.add(
                "blank_row_values_left",
                REVIEW,
                "rows read with every cell blank while numbers were left outside any row",
                [f for fids in blank for f in fids],
            )

    @cached_property
    def blank_rows(self) -> tuple[str, ...]:
        """The rows found and read with every cell blank (a row found is no missing row)."""
        return tuple(
            row
            for row, fids in self.rows.items()
            if row not in self.missing_rows and all(self.fields.get(f) is None for f in fids)
        )

    @cached_property
    def blank_inferred_rows(self) -> frozenset[str]:
        """The rows read blank because their label printed no values (``row_read_blank``)."""
        return frozenset(
            str(w.get("row")) for w in self.warnings if w.get("code") == "row_read_blank"
        )

    def missing_rows_reason(self) -> None:
        if not self.missing_rows:
            return
        fids = [f for f, row in self.index.row_of.items() if row in self.missing_rows]
        found = len(self.template.rows) - len(self.missing_rows)
        if found * 2 < len(self.template.rows):
            self.add(
                "few_rows",
                REVIEW,
                f"only {found} of the template's {len(self.template.rows)} rows were found",
                fids,
            )
        elif lost := [
            t
            for t in TABLES
            if all(r.key in self.missing_rows for r in self.template.table_rows(t))
        ]:
            self.add(
                "table_not_found",
                REVIEW,
                "no row of the " + ", ".join(lost) + " table was found: the record is incomplete",
                fids,
            )
        elif any(w.get("code") in ORPHAN_CODES for w in self.warnings):
            self.add(
                "row_missing_values",
                REVIEW,
                "rows not found while values were left outside any row: "
                + ", ".join(sorted(self.missing_rows)),
                fids,
            )
        else:
            self.add(
                "row_absent",
                REVIEW,
                "rows not found (their fields are null; if the report printed them, their "
                "values were lost): " + ", ".join(sorted(self.missing_rows)),
                fids,
            )

    def failed_identities(self) -> None:
        plain: list[str] = []
        plain_fields: list[str] = []
        # the failed flag added below is not doubtful: the doubtful fields are known now
        doubtful_fields = {f for f, fl in self.flags.items() if not DOUBTFUL.isdisjoint(fl)}
        doubtful_fields.update(f for row in self.missing_rows for f in self.rows.get(row, ()))
        # a row read blank for want of values, in a failed identity: its numbers may have
        # gone to the rows around it (pdftotext's default mode printed two rows' labels
        # before their values, and the values of one fell to the next: training render p028)
        doubtful_fields.update(
            f for row in self.blank_inferred_rows for f in self.rows.get(row, ())
        )
        doubtful_fields.update(self.order_doubted)
        for check in self.checks:
            if check.status != "fail":
                continue
            terms = self.terms.get(check.id, ())
            for f in terms:
                _flag(self.flags, f, FLAG_FAILED)
            doubtful = [f for f in terms if f in doubtful_fields]
            if doubtful:
                self.add(
                    "failed_identity",
                    REVIEW,
                    f"{check.id} fails ({check.lhs} ≠ {check.rhs}) over fields read with doubt",
                    terms,
                )
            else:
                plain.append(check.id)
                plain_fields += terms
        if plain:
            self.add(
                "report_arithmetic",
                NOTICE,
                "the report's own numbers do not add up (read as printed): " + ", ".join(plain),
                plain_fields,
            )

    def chosen(self, fid: str, flags: Sequence[str]) -> bool:
        """Whether a field's value was chosen among others: rival readings, a row that
        left printed values out (:data:`~giextract.resolve.DROPPED_VALUE_RULES`), or a
        piece cut from a squashed run (:func:`cut_from_run`)."""
        if FLAG_CHOSEN in flags:
            return True
        prov = self.provenance.get(fid, {})
        if not DROPPED_VALUE_RULES.isdisjoint(prov.get("rules") or ()):
            return True
        return FLAG_SQUASHED in flags and cut_from_run(prov)

    @cached_property
    def passing(self) -> frozenset[str]:
        """The fields of the identities that pass (made once: both the choices and the
        orders read off the grid are confirmed by them)."""
        return frozenset(
            f
            for check in self.checks
            if check.status == "pass"
            for f in self.terms.get(check.id, ())
        )

    def unverified_choices(self) -> None:
        passing = self.passing
        unverified = [
            f
            for f, fl in self.flags.items()
            if f not in passing and self.fields.get(f) is not None and self.chosen(f, fl)
        ]
        if unverified:
            self.add(
                "unverified_choice",
                REVIEW,
                "values chosen among several readings with no identity to confirm them",
                sorted(unverified),
            )

    @cached_property
    def order_doubted(self) -> frozenset[str]:
        """Fields of rows whose values' order the template-order reading inferred
        (:data:`giextract.sequence.ORDER_DOUBT_RULES`: placed by position, or printed
        across other text)."""
        return frozenset(
            f
            for f, prov in self.provenance.items()
            if not ORDER_DOUBT_RULES.isdisjoint(prov.get("rules") or ())
        )

    @cached_property
    def columns_confirmed(self) -> frozenset[str]:
        """Fields a passing identity places in their column: one with no other term in the
        field's row.  A row's own sum (总计 = the six) holds whatever the order of its terms;
        the columns' identities (本年新收 + 上年结转 = 总计 + 结转下年, column by column) do not."""
        rows = self.index.row_of
        out: set[str] = set()
        for check in self.checks:
            if check.status != "pass":
                continue
            terms = self.terms.get(check.id, ())
            per_row = Counter(rows.get(f) for f in terms)
            out.update(f for f in terms if per_row[rows.get(f)] == 1)
        return frozenset(out)

    def unverified_orders(self) -> None:
        """Rows whose values' order is their text's, not the columns' (read off the
        converter's grid, ``values_off_the_grid``; or printed across other text,
        :func:`giextract.sequence.values_across_text`), or placed under a header one way
        only (:func:`giextract.sequence.header_placed_one_way`), need review where no
        passing identity confirms each value's column (:attr:`columns_confirmed`)."""
        confirmed = self.columns_confirmed
        doubted: dict[str, tuple[str, str]] = {}
        for w in self.warnings:
            if w.get("code") == "values_off_the_grid":
                row = str(w.get("row") or "")
                doubted.setdefault(row, ("values_off_the_grid", str(w.get("message", ""))))
        for f, prov in self.provenance.items():
            for rule in prov.get("rules") or ():  # most fields name no rule: no set made
                if rule in UNVERIFIED_ORDER_RULES:
                    row = row_of(f)
                    doubted.setdefault(row, (rule, f"row {row}: {UNVERIFIED_ORDER_RULES[rule]}"))
        for row, (code, message) in doubted.items():
            fids = [
                f
                for f in self.row_fields(row)
                if f not in confirmed and self.fields.get(f) is not None
            ]
            if fids:
                self.add(code, REVIEW, message, fids)


def assess(
    template: str | None,
    fields: Mapping[str, Any],
    checks: Sequence[Check],
    warnings: Sequence[Mapping[str, Any]],
    provenance: Mapping[str, Mapping[str, Any]],
    error: Mapping[str, Any] | None,
) -> Trust:
    """The trust of one record (see the module docstring for the policy)."""
    if error is not None or template is None:
        code = str((error or {}).get("code", "E004"))
        message = str((error or {}).get("message", "no template"))
        return Trust(ERROR, [Reason(code, ERROR, message)], {}, [NOTICE] * len(warnings))
    return _Assessor(template, fields, checks, warnings, provenance).run()


def finite_or_none(value: Any) -> Any:
    """A value fit for JSON: a ``Decimal`` becomes an int or a float, and a non-finite
    number None (the printed text stays in the field's provenance)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
