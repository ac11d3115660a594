"""Checking a record made by any parser, and the fallback merge behind a rule-based parser.

:func:`check` takes a record — giextract's own, or another parser's with our field ids
or a mapping onto them — and returns its failed identities, unknown ids, invalid values,
rows whose values look shifted by a column and, given the report itself (``source``),
every field where the record disagrees with giextract's own reading.

A record is a JSON object, either ``{"template": "2021", "fields": {id: value}}`` or the
flat ``{id: value}``.  ``mapping`` renames the record's keys onto field ids
(``{"申请-自然人-新收": "requests.new_received.natural_person"}``); keys that map onto no
field are reported as unknown.  Values are numbers or null; a numeric string
(``"1,234"``, ``"/"`` for blank) is read like a printed cell.

:func:`fallback` merges a rule parser's record with giextract's reading; its policy is in
its docstring.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .catalogue import APPEAL_GROUPS, APPLICANT_COLUMNS, TEMPLATES, Template, load_template
from .checks import Check, identities, run_checks
from .errors import ErrorCode, GiextractError
from .report import Report
from .trust import DOUBTFUL, ERROR, FLAG_FAILED, OK, REVIEW

Value = int | float | None
Source = str | bytes | os.PathLike[str] | Report
ROW_COLUMNS = (*APPLICANT_COLUMNS, "total")
APPEAL_PARTS = ("upheld", "corrected", "other", "pending", "total")


@dataclass(frozen=True)
class Finding:
    """Something wrong in a record: a code, a message and the fields concerned."""

    code: str
    message: str
    fields: tuple[str, ...] = ()
    record: tuple[Value, ...] = ()
    giextract: tuple[Value, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        out["fields"] = list(self.fields)
        if self.record or self.giextract:
            out["record"], out["giextract"] = list(self.record), list(self.giextract)
        return out


@dataclass
class CheckResult:
    """What :func:`check` found in a record."""

    status: str
    template: str | None
    fields: dict[str, Value] = field(default_factory=dict)
    failed: list[Check] = field(default_factory=list)
    unknown_ids: list[str] = field(default_factory=list)
    invalid: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    shifts: list[Finding] = field(default_factory=list)
    disagreements: list[Finding] = field(default_factory=list)
    error: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {
            "status": self.status,
            "template": self.template,
            "failed_identities": [c.to_dict() for c in self.failed],
            "unknown_ids": self.unknown_ids,
            "invalid_values": [f.to_dict() for f in self.invalid],
            "missing_ids": self.missing,
            "shifts": [f.to_dict() for f in self.shifts],
            "disagreements": [f.to_dict() for f in self.disagreements],
            "error": self.error,
        }


# -- reading a foreign record ------------------------------------------------------
#: Keys of a flat record that describe it rather than hold a field.
META_KEYS = frozenset(
    {"source", "template", "agency", "year", "format", "status", "error", "versions"}
)


def _raw_fields(record: Mapping[str, Any]) -> Mapping[str, Any]:
    inner = record.get("fields")
    if isinstance(inner, Mapping):
        return inner
    return {k: v for k, v in record.items() if k not in META_KEYS}


def _value(raw: Any) -> tuple[Value, bool]:
    """A record's value as a number or None, and whether it was valid."""
    from .fields import parse_value

    if raw is None:
        return None, True
    if isinstance(raw, bool):
        return None, False
    if isinstance(raw, int | float):
        return (raw, True) if raw == raw and abs(raw) != float("inf") else (None, False)
    if isinstance(raw, str):
        parsed = parse_value(raw)
        return parsed.value, parsed.ok
    return None, False


def _template_of(record: Mapping[str, Any], ids: Sequence[str]) -> str:
    declared = record.get("template")
    if declared is not None and str(declared) in TEMPLATES:
        return str(declared)
    overlap = {t: len(set(ids) & set(load_template(t).field_ids)) for t in TEMPLATES}
    best = max(overlap.values())
    tied = [t for t in TEMPLATES if overlap[t] == best]
    if len(tied) == 1:
        return tied[0]
    year = record.get("year")
    return "2019" if isinstance(year, int) and year < 2021 else "2021"


def read_record(
    record: Mapping[str, Any], mapping: Mapping[str, str] | None = None
) -> tuple[str, dict[str, Value], list[str], list[Finding]]:
    """A foreign record as (template, fields by our ids, unknown ids, invalid values).

    Raises:
        GiextractError: E033 when the record is not a JSON object of fields, E035 when the
            mapping is not an object of strings.
    """
    if not isinstance(record, Mapping):
        raise GiextractError(ErrorCode.BAD_RECORD, "a record must be a JSON object of fields")
    if mapping is not None and not (
        isinstance(mapping, Mapping) and all(isinstance(v, str) for v in mapping.values())
    ):
        raise GiextractError(
            ErrorCode.BAD_MAPPING, "a mapping must be a JSON object of key -> field id"
        )
    raw = _raw_fields(record)
    renamed = {(mapping or {}).get(str(k), str(k)): v for k, v in raw.items()}
    template = _template_of(record, list(renamed))
    known = set(load_template(template).field_ids)
    unknown = sorted(k for k in renamed if k not in known)
    fields: dict[str, Value] = {}
    invalid: list[Finding] = []
    for fid, v in renamed.items():
        if fid not in known:
            continue
        value, ok = _value(v)
        fields[fid] = value
        if not ok:
            invalid.append(Finding("invalid_value", f"{fid}: {v!r} is not a number", (fid,)))
    if not fields and not unknown:
        raise GiextractError(ErrorCode.BAD_RECORD, "the record holds no fields")
    return template, fields, unknown, invalid


# -- shifted columns -----------------------------------------------------------------
def _sums(values: Sequence[Value]) -> bool:
    *parts, total = (0.0 if v is None else float(v) for v in values)
    return abs(sum(parts) - total) < 1e-6


def _moved_left(values: list[Value]) -> bool:
    """Whether a row's values look moved one column left: a cell was lost and the values
    after it moved, leaving the last cell (the total) empty, and the row sums once moved
    back.  Where the cell was lost the sum cannot tell, so the whole row is flagged.  (A
    move to the right pushes the total out: the failed row sum shows it.)
    """
    if all(v in (None, 0) for v in values) or _sums(values):
        return False
    return values[-1] is None and values[-2] is not None and _sums([None, *values[:-1]])


def _row_groups(template: Template) -> list[list[str]]:
    rows = [[f"{r.key}.{c}" for c in ROW_COLUMNS] for r in template.table_rows("requests")]
    rows += [[f"appeals.{g}.{c}" for c in APPEAL_PARTS] for g in APPEAL_GROUPS]
    return rows


def find_shifts(template: Template, fields: Mapping[str, Value]) -> list[Finding]:
    """Rows whose sum fails but holds once the values are moved back one column."""
    out = []
    for ids in _row_groups(template):
        if not all(f in fields for f in ids):
            continue
        values = [fields[f] for f in ids]
        if _moved_left(values):
            out.append(
                Finding(
                    "column_shift",
                    f"{ids[0].rsplit('.', 1)[0]}: the values look moved one column left "
                    "(the row sums once moved back)",
                    tuple(ids),
                    tuple(values),
                )
            )
    return out


# -- comparing with giextract's reading ---------------------------------------------------
def _reading(source: Source) -> Report:
    from .pipeline import extract

    if isinstance(source, Report):
        return source
    return extract(source)


def _same(a: Value, b: Value) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-9


def disagreements(fields: Mapping[str, Value], report: Report) -> list[Finding]:
    """Where a record's fields differ from giextract's reading of the same report."""
    out = []
    for fid, ours in report.fields.items():
        if fid not in fields or _same(fields[fid], ours):
            continue
        theirs = fields[fid]
        if ours is None and theirs == 0:
            code, what = "blank_as_zero", "the report leaves the cell blank; the record has 0"
        elif theirs is None:
            code, what = "value_dropped", f"the report prints {ours}; the record has null"
        elif ours is None:
            code, what = "value_added", f"the report leaves it blank; the record has {theirs}"
        else:
            code, what = "different_value", f"the report prints {ours}; the record has {theirs}"
        out.append(Finding(code, f"{fid}: {what}", (fid,), (theirs,), (ours,)))
    out += _shifted_rows(fields, report)
    return out


def _shifted_rows(fields: Mapping[str, Value], report: Report) -> list[Finding]:
    if report.template is None:
        return []
    out = []
    for ids in _row_groups(load_template(report.template)):
        theirs = [fields.get(f) for f in ids]
        ours = [report.fields.get(f) for f in ids]
        if theirs == ours or not any(v is not None for v in ours):
            continue
        for d in (1, -1):
            moved = ours[d:] + [None] * d if d > 0 else [None, *ours[:d]]
            if all(_same(a, b) for a, b in zip(moved, theirs, strict=True)):
                side = "left" if d > 0 else "right"
                out.append(
                    Finding(
                        "column_shift",
                        f"{ids[0].rsplit('.', 1)[0]}: the record's values are giextract's "
                        f"moved one column {side}",
                        tuple(ids),
                        tuple(theirs),
                        tuple(ours),
                    )
                )
    return out


def check(
    record: Mapping[str, Any],
    *,
    mapping: Mapping[str, str] | None = None,
    source: Source | None = None,
) -> CheckResult:
    """Check a record from any parser against the catalogue and the identities.

    Args:
        record: ``{"template": …, "fields": {id: value}}`` or a flat ``{id: value}``.
        mapping: the record's keys → our field ids, for records with keys of their own.
        source: the report itself (text, bytes, a Path or giextract's Report): also
            report where the record disagrees with giextract's reading.

    Returns:
        The findings; ``status`` is ``ok`` when there are none, ``review`` otherwise,
        ``error`` when the record holds no fields.  Nothing is raised for bad input.
    """
    try:
        template_id, fields, unknown, invalid = read_record(record, mapping)
    except GiextractError as exc:
        return CheckResult(ERROR, None, error=exc.to_dict())
    template = load_template(template_id)
    failed = [c for c in run_checks(template, fields) if c.status == "fail"]
    result = CheckResult(
        OK,
        template_id,
        fields,
        failed,
        unknown,
        invalid,
        [f for f in template.field_ids if f not in fields],
        find_shifts(template, fields),
    )
    if source is not None:
        report = _reading(source)
        if report.error is None:
            result.disagreements = disagreements(fields, report)
    if result.failed or result.unknown_ids or result.invalid or result.shifts:
        result.status = REVIEW
    if result.disagreements:
        result.status = REVIEW
    return result


# -- the fallback merge ----------------------------------------------------------------
@dataclass
class Fallback:
    """The merged record: values, where each came from, and the status of the merge."""

    status: str
    template: str | None
    fields: dict[str, Value]
    origin: dict[str, str]
    reasons: list[Finding]
    rule: CheckResult
    report: Report

    def to_dict(self) -> dict[str, Any]:
        """The merge as JSON-ready data."""
        return {
            "status": self.status,
            "template": self.template,
            "fields": self.fields,
            "origin": self.origin,
            "reasons": [r.to_dict() for r in self.reasons],
            "rule_check": self.rule.to_dict(),
            "giextract": self.report.to_dict(),
        }


def _terms(template: Template) -> dict[str, list[str]]:
    return {cid: left + right for cid, left, right in identities(template)}


def _doubtful_in(report: Report) -> set[str]:
    """giextract's fields that are not to be preferred: failed or doubtful readings."""
    return {
        f
        for f, flags in report.trust.flags.items()
        if FLAG_FAILED in flags or DOUBTFUL & set(flags)
    }


def fallback(
    rule_record: Mapping[str, Any] | None,
    source: Source,
    *,
    mapping: Mapping[str, str] | None = None,
) -> Fallback:
    """Merge a rule parser's record with giextract's reading of the same report.

    Policy, field by field (``origin`` says which source each value came from):

    1. The rule parser's record is checked (:func:`check`).  If it passes every identity
       and has no shifted row, all its values are kept (``rule``).
    2. Otherwise, each field taking part in a failed identity or a shifted row takes
       giextract's value (``giextract``), unless giextract's own reading of that field is
       doubtful (it fails an identity too, or was chosen, squashed or ambiguous): then
       the rule parser's value stays (``rule``) and the merge needs review.
    3. Fields the rule record lacks, or holds invalid values for, take giextract's.
    4. The merged fields are checked again: an identity that fails in the merge but holds
       in giextract's reading takes giextract's values for all its terms.
    5. ``status``: ``error`` when neither source gave fields; ``review`` when the merge
       fails an identity, kept a doubtful value, or the two sources disagree on a field
       the identities cannot check (the rule value is kept there); else ``ok``.

    With no usable rule record (None, or no fields), the result is giextract's reading.
    """
    report = _reading(source)
    rule = (
        check(rule_record, mapping=mapping)
        if rule_record is not None
        else CheckResult(ERROR, None, error={"code": "E033", "message": "no rule record"})
    )
    template_id = rule.template or report.template
    if template_id is None:
        reason = Finding("no_fields", "neither the rule parser nor giextract read the report")
        return Fallback(ERROR, None, {}, {}, [reason], rule, report)
    template = load_template(template_id)
    if report.template not in (None, template_id):
        report = Report(source=report.source, error={"code": "E004", "message": "other template"})
    return _Merge(template, rule, report).run()


class _Merge:
    def __init__(self, template: Template, rule: CheckResult, report: Report) -> None:
        self.template, self.rule, self.report = template, rule, report
        self.ours = report.fields if report.error is None else {}
        self.doubtful = _doubtful_in(report) if report.error is None else set()
        self.terms = _terms(template)
        self.fields: dict[str, Value] = {}
        self.origin: dict[str, str] = {}
        self.reasons: list[Finding] = []

    def take(self, fid: str, origin: str) -> None:
        self.fields[fid] = self.rule.fields.get(fid) if origin == "rule" else self.ours.get(fid)
        self.origin[fid] = origin

    def suspects(self) -> set[str]:
        out = {f for c in self.rule.failed for f in self.terms.get(c.id, ())}
        out |= {f for s in self.rule.shifts for f in s.fields}
        out |= {f for s in self.rule.invalid for f in s.fields}
        return out

    def run(self) -> Fallback:
        suspects = self.suspects()
        have_ours = bool(self.ours)
        for fid in self.template.field_ids:
            if fid not in self.rule.fields:
                self.take(fid, "giextract" if have_ours else "none")
            elif fid in suspects and have_ours:
                if fid in self.doubtful:
                    self.take(fid, "rule")
                    self.reasons.append(
                        Finding("both_doubtful", f"{fid}: both readings are in doubt", (fid,))
                    )
                else:
                    self.take(fid, "giextract")
            else:
                self.take(fid, "rule")
        self.repair()
        return self.finish()

    def repair(self) -> None:
        if not self.ours:
            return
        theirs = {c.id: c.status for c in run_checks(self.template, self.ours)}
        for c in run_checks(self.template, self.fields):
            if c.status == "fail" and theirs.get(c.id) == "pass":
                for fid in self.terms[c.id]:
                    self.take(fid, "giextract")

    def finish(self) -> Fallback:
        failed = [c for c in run_checks(self.template, self.fields) if c.status == "fail"]
        self.reasons += [
            Finding("failed_identity", f"{c.id} fails in the merge", tuple(self.terms[c.id]))
            for c in failed
        ]
        if self.ours:
            for d in disagreements(
                {f: v for f, v in self.fields.items() if self.origin[f] == "rule"}, self.report
            ):
                if d.code != "column_shift":
                    self.reasons.append(Finding("sources_disagree", d.message, d.fields))
        if not any(o != "none" for o in self.origin.values()):
            status = ERROR
        elif self.reasons:
            status = REVIEW
        else:
            status = OK
        return Fallback(
            status,
            self.template.id,
            self.fields,
            self.origin,
            self.reasons,
            self.rule,
            self.report,
        )
