"""The result of extracting one report, and its JSON, JSON Lines and CSV forms."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any

from .catalogue import all_field_ids
from .checks import Check
from .memo import keep
from .trust import QUIET, Trust, assess, finite_or_none, versions

if TYPE_CHECKING:
    from .record import Record

Value = int | float | None


@dataclass
class Report:
    """One report's extraction.

    Attributes:
        source: the file name (or ``<text>``).
        template: ``"2019"`` or ``"2021"``; None if the input could not be read.
        agency, year: from the title or the signature.
        fields: every field id of the template, its value or None (never a guessed 0).
        checks: the template's identities with their numbers.
        warnings: labels that map to nothing, values that fit no row, ambiguous readings.
        provenance: for each field found, the source lines of its label and value.
        error: for a file that could not be processed: code, message and fix.
        model: the line model that read it (``giextract-lines-1.0``).

    The trust contract (:mod:`giextract.trust`) is derived from these: :attr:`status`,
    its reasons, the flags of the fields and a level per warning.
    """

    source: str
    template: str | None = None
    agency: str | None = None
    year: int | None = None
    format: str | None = None
    fields: dict[str, Value] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: dict[str, Any] | None = None
    model: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the file was processed (it may still have failed checks)."""
        return self.error is None

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]

    @property
    def trust(self) -> Trust:
        """Status, reasons, field flags and warning levels (computed from the record)."""
        return assess(
            self.template, self.fields, self.checks, self.warnings, self.provenance, self.error
        )

    @property
    def status(self) -> str:
        """``ok``, ``review`` or ``error`` (see :mod:`giextract.trust`)."""
        return self.trust.status

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-ready data (valid JSON: no NaN or Infinity)."""
        fields, warnings = _finite_fields(self.fields, self.warnings)
        trust = assess(self.template, fields, self.checks, warnings, self.provenance, self.error)
        return {
            "source": self.source,
            "template": self.template,
            "agency": self.agency,
            "year": self.year,
            "format": self.format,
            "status": trust.status,
            "reasons": [r.to_dict() for r in trust.reasons],
            "fields": fields,
            "flags": trust.flags,
            "checks": [_finite_check(c.to_dict()) for c in self.checks],
            "warnings": [
                {**w, "level": level} for w, level in zip(warnings, trust.levels, strict=True)
            ],
            "provenance": self.provenance,
            "error": self.error,
            "versions": versions(self.model),
        }

    def record(self) -> Record:
        """The record as the typed model :class:`giextract.record.Record`."""
        from .record import Record

        return Record.model_validate(self.to_dict())

    def to_json(self, indent: int | None = None) -> str:
        """The record as JSON text."""
        return dumps(self.to_dict(), indent)


def _c_encoder(separator: str) -> Callable[[Any], str]:
    """json's C encoder as ``json.dumps(ensure_ascii=False, allow_nan=False)`` runs it, with
    the item ``separator``, made once: a record is plain data built afresh (no value
    refers to itself), so the circular-reference check is left out."""
    if c_make_encoder is None:  # no C accelerator: json's own encoder
        return json.JSONEncoder(
            ensure_ascii=False, allow_nan=False, check_circular=False, separators=(separator, ": ")
        ).encode
    encode = c_make_encoder(
        None,
        json.JSONEncoder().default,
        encode_basestring,
        None,
        ": ",
        separator,
        False,
        False,
        False,
    )
    return lambda data: "".join(encode(data, 0))


_COMPACT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False)
_compact = _c_encoder(", ")


def dumps(data: Any, indent: int | None = None) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)``, faster:
    the same text, by json's C encoder (:class:`_Indented` for an indent)."""
    if indent is None:
        return _compact(data)
    if isinstance(indent, int) and not isinstance(indent, bool):
        return _Indented(indent).encode(data)
    return json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)


_SCALARS = (str, int, float)


class _Indented:
    """The text of ``json.dumps(data, ensure_ascii=False, indent=N, allow_nan=False)``.

    json's C encoder does not indent (before Python 3.13), and its Python encoder passes
    every piece through a generator per level.  Here a list or dict of strings, numbers
    and nulls only (fields, checks, label lines) is laid out by the C encoder with the
    separator of its depth, ``",\n" + indent * depth``; the containers above those are
    walked with the common values (str, int, None) written inline.  As with the compact
    encoder, a record holds no cycle.
    """

    def __init__(self, indent: int) -> None:
        self.unit = " " * indent
        self.flat: dict[int, Callable[[Any], str]] = {}

    def encode(self, data: Any) -> str:
        out: list[str] = []
        self._value(data, 0, out)
        return "".join(out)

    def _flat(self, depth: int) -> Callable[[Any], str]:
        """The C encoder of a flat container whose items sit at ``depth``."""
        encode = self.flat.get(depth)
        if encode is None:
            encode = self.flat[depth] = _c_encoder(",\n" + self.unit * depth)
        return encode

    def _value(self, o: Any, level: int, out: list[str]) -> None:
        if o is None or isinstance(o, _SCALARS):
            out.append(_scalar(o))
            return
        is_list = isinstance(o, list | tuple)
        if not is_list and not isinstance(o, dict):
            out.append(_COMPACT.encode(o))  # raises json's TypeError
            return
        if not o:
            out.append("[]" if is_list else "{}")
            return
        inner = "\n" + self.unit * (level + 1)
        close = "\n" + self.unit * level
        values = o if is_list else o.values()
        if all(v is None or isinstance(v, _SCALARS) for v in values):
            text = self._flat(level + 1)(o)
            out.append(f"{text[0]}{inner}{text[1:-1]}{close}{text[-1]}")
            return
        sep = "," + inner
        out.append("[" if is_list else "{")
        first = True
        for k, v in enumerate(o) if is_list else o.items():
            out.append(inner if first else sep)
            first = False
            if not is_list:
                out.append(_KEYS.get(k) or _key(k))
            t = type(v)
            if t is str:
                out.append(encode_basestring(v))
            elif t is int:
                out.append(int.__repr__(v))
            elif v is None:
                out.append("null")
            else:
                self._value(v, level + 1, out)
        out.append(close + ("]" if is_list else "}"))


def _scalar(o: str | int | float | None) -> str:
    """A string, number or null as json writes it."""
    if isinstance(o, str):
        return encode_basestring(o)
    if o is None:
        return "null"
    if isinstance(o, int):  # json's order: a bool is true or false, another int its digits
        return "true" if o is True else "false" if o is False else int.__repr__(o)
    return _COMPACT.encode(o)  # a float: json's text (or its error, for NaN and infinity)


_KEYS: dict[Any, str] = {}
"""String keys with their separator as json writes them (records repeat their keys)."""
_KEYS_MAX = 65536


def _key(key: Any) -> str:
    """A dict key and its separator, as json writes it (a non-string key as its text)."""
    if not isinstance(key, str):
        text: str = _COMPACT.encode({key: 0})[1:-4]  # json's conversion (or its TypeError)
        return text + ": "
    return keep(_KEYS, key, f"{encode_basestring(key)}: ", _KEYS_MAX)


def _finite_fields(
    fields: dict[str, Value], warnings: list[dict[str, Any]]
) -> tuple[dict[str, Value], list[dict[str, Any]]]:
    """Fields with non-finite values made null, each with a ``value_not_finite`` warning."""
    odd = [f for f, v in fields.items() if v is not None and type(v) is not int]
    if not odd:  # ints and nulls (nearly every record): nothing to make finite
        return fields, warnings
    bad = [f for f in odd if finite_or_none(fields[f]) is None]
    if not bad and not any(isinstance(fields[f], Decimal) for f in odd):
        return fields, warnings
    extra = [
        {
            "code": "value_not_finite",
            "message": f"{f}: the value is too large to represent; the printed text is in "
            "its provenance",
            "field": f,
        }
        for f in bad
    ]
    return {f: finite_or_none(v) for f, v in fields.items()}, [*warnings, *extra]


def _finite_check(check: dict[str, Any]) -> dict[str, Any]:
    """A check's dict with its sides fit for JSON (only ``lhs`` and ``rhs`` are numbers)."""
    lhs, rhs = check["lhs"], check["rhs"]
    if (lhs is None or type(lhs) is int) and (rhs is None or type(rhs) is int):
        return check
    return {k: finite_or_none(v) for k, v in check.items()}


def to_json(reports: Iterable[Report]) -> str:
    """All records as one JSON array."""
    return dumps([r.to_dict() for r in reports], indent=2)


def to_jsonl_line(report: Report) -> str:
    """One record as one line of JSON."""
    return report.to_json()


CSV_META = (
    "source",
    "template",
    "agency",
    "year",
    "status",
    "error",
    "failed_checks",
    "warnings",
)


def csv_header() -> list[str]:
    """The CSV columns: the record's metadata, then every field id of both templates."""
    return [*CSV_META, *all_field_ids()]


def csv_row(report: Report) -> list[str]:
    """One report as one CSV row (empty cells for null and for the other template's fields).

    ``warnings`` counts the warnings that are not quiet.
    """
    trust = report.trust
    meta = [
        report.source,
        report.template or "",
        report.agency or "",
        "" if report.year is None else str(report.year),
        trust.status,
        "" if report.error is None else f"{report.error['code']}: {report.error['message']}",
        str(len(report.failed_checks)),
        str(sum(1 for level in trust.levels if level != QUIET)),
    ]
    values = [
        "" if finite_or_none(report.fields.get(f)) is None else str(report.fields[f])
        for f in all_field_ids()
    ]
    return meta + values


def to_csv(reports: Iterable[Report]) -> str:
    """All records as CSV text with a header row."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(csv_header())
    for r in reports:
        writer.writerow(csv_row(r))
    return buf.getvalue()
