"""The record as a typed model (pydantic v2) and its published JSON Schema.

Every record giextract writes — by the library (:meth:`giextract.Report.to_dict`), the
CLI, the HTTP service, errors included — is an instance of :class:`Record`, and the JSON
Schema ``giextract/data/record.schema.json`` (:func:`record_schema`) validates it.  Values
are JSON numbers or null, never NaN or Infinity; the text the report printed for each
value stays in ``provenance[field]["raw"]``, so a decimal is never only a float.

>>> from giextract.record import Record
>>> Record.model_validate_json(text).status
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from .catalogue import data_text
from .trust import FLAGS, SCHEMA_VERSION

FiniteFloat = Annotated[float, Field(allow_inf_nan=False, strict=True)]
Number = StrictInt | FiniteFloat
Flag = Literal[FLAGS]  # type: ignore[valid-type]
SCHEMA_FILE = "record.schema.json"


class Versions(BaseModel):
    """What produced the record: its schema version, giextract's and the line model's."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: str = Field(alias="schema", description="Version of this record schema.")
    giextract: str = Field(description="Version of the giextract package.")
    model: str | None = Field(description="Name and version of the line model (meta.json).")


class ErrorInfo(BaseModel):
    """Why a file could not be processed: a stable code (``E004``), a message, a fix."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(pattern=r"^E\d{3}$")
    message: str
    fix: str | None = None


class ReasonInfo(BaseModel):
    """One reason for the record's status, with the fields it concerns."""

    model_config = ConfigDict(extra="forbid")

    code: str
    level: Literal["error", "review", "notice"]
    message: str
    fields: list[str] = Field(default_factory=list)


class CheckInfo(BaseModel):
    """One identity of the template with both sides and its outcome."""

    model_config = ConfigDict(extra="forbid")

    id: str
    expression: str
    lhs: Number | None
    rhs: Number | None
    status: Literal["pass", "fail", "skipped"]
    nulls: int


class WarningInfo(BaseModel):
    """Something worth knowing about the reading, with its level."""

    model_config = ConfigDict(extra="allow")

    code: str
    message: str
    level: Literal["quiet", "notice", "review"]
    line: int | None = None
    field: str | None = None
    candidates: list[Any] | None = None


class Record(BaseModel):
    """One input's record: the report's fields, checks, trust and provenance, or its error."""

    model_config = ConfigDict(extra="forbid", title="giextract record")

    source: str = Field(description="The file name, or <text> / <bytes>.")
    template: Literal["2019", "2021"] | None
    agency: str | None
    year: int | None
    format: str | None = Field(description="text, html, docx or pdf, from the content.")
    status: Literal["ok", "review", "error"]
    reasons: list[ReasonInfo]
    fields: dict[str, Number | None] = Field(
        description="Every field id of the template: its number, or null for a blank cell."
    )
    flags: dict[str, list[Flag]] = Field(description="Fields that need a second look, and why.")
    checks: list[CheckInfo]
    warnings: list[WarningInfo]
    provenance: dict[str, dict[str, Any]] = Field(
        description="For each field read: source lines of its label and value, raw text."
    )
    error: ErrorInfo | None
    versions: Versions


def record_schema() -> dict[str, Any]:
    """The JSON Schema of a record, as generated from :class:`Record`."""
    schema = Record.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://giextract.invalid/record-{SCHEMA_VERSION}.schema.json"
    return schema


@lru_cache(maxsize=1)
def published_schema() -> dict[str, Any]:
    """The JSON Schema shipped in ``giextract/data/record.schema.json``."""
    data: dict[str, Any] = json.loads(data_text(SCHEMA_FILE))
    return data


def schema_text() -> str:
    """The schema as the text of ``record.schema.json``."""
    return json.dumps(record_schema(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
