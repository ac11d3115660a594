"""From rebuilt tables to canonical fields; the template, agency and year of a report.

:func:`fields_and_provenance` maps each row reading of the rebuilt tables onto
the field ids of the catalogue (with where each value was printed), and
:func:`row_warnings` says what the rebuild could not read.  :func:`detect_template`
and :func:`title_info` read the report's template, agency and year.

Label matching (:func:`match_row`, :func:`table_of_title`) lives in
:mod:`giextract.labels` and value parsing (:func:`parse_value`) in
:mod:`giextract.values`, below the table rebuild; both are re-exported here.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from .catalogue import load_template, row_of
from .formats.text import strip_heading_attributes
from .labels import MATCH_THRESHOLD, RowMatch, label_tails, match_row, table_of_title
from .lines import Line, Separator, compact, is_print_furniture
from .normalize import REPORT_WORDS, label_key, normalize_text
from .resolve import DROPPED_VALUE_RULES
from .segment import BLANK_INFERRED_RULES
from .tables import Rebuilt, RowReading
from .values import ParsedValue, ValueIssue, is_value, parse_value

__all__ = [
    "MATCH_THRESHOLD",
    "FieldValue",
    "ParsedValue",
    "RowMatch",
    "detect_template",
    "fields_and_provenance",
    "label_tails",
    "match_row",
    "parse_value",
    "row_warnings",
    "table_of_title",
    "title_info",
]

FieldValue = int | float | None
TITLE_MAX_CHARS = 80
"""A line longer than this is prose, not a title."""


def fields_and_provenance(
    rebuilt: Rebuilt, template_id: str
) -> tuple[dict[str, FieldValue], dict[str, dict[str, object]]]:
    """Every field of the template (null where nothing was read) and where each value was printed.

    Provenance per field: ``label_lines``, ``value_line``, ``cell``, ``page``, ``raw``, the
    ``unit`` if one was printed, and (shared contract) ``rules``, the names of the repair
    rules that shaped the row, when any did, and ``chosen_among`` when the identities chose
    between several plausible readings.  A field the tied readings of an ambiguous row
    fill differently (``RowReading.disputed``) is null, never the prior's guess; its
    provenance keeps the cell the prior chose and the ``candidates``.
    """
    template = load_template(template_id)
    fields: dict[str, FieldValue] = dict.fromkeys(template.field_ids)
    provenance: dict[str, dict[str, object]] = {}
    for reading in rebuilt.rows.values():
        disputes = reading.disputed
        rules, among = reading.rules, reading.readings
        for i, (spec, cell) in enumerate(zip(reading.row.fields, reading.cells, strict=True)):
            disputed = disputes.get(i) if disputes else None
            if disputed is None:
                if cell is None:
                    continue
                fields[spec.id] = cell.parsed.value
            else:
                fields[spec.id] = None
            prov: dict[str, object]
            if cell is not None:  # where the cell was printed, its text (and unit, if any)
                parsed = cell.parsed
                prov = {
                    "label_lines": reading.label_lines,
                    "value_line": cell.line,
                    "cell": cell.cell,
                    "page": cell.page,
                    "raw": parsed.raw,
                }
                if parsed.unit:
                    prov["unit"] = parsed.unit
            else:
                prov = {"label_lines": reading.label_lines, "value_line": reading.first_line}
            if disputed is not None:
                prov["candidates"] = list(disputed)
            if rules:
                prov["rules"] = list(rules)
            if among > 1:
                prov["chosen_among"] = among
            provenance[spec.id] = prov
    return fields, provenance


def row_warnings(rebuilt: Rebuilt, template_id: str) -> list[dict[str, object]]:
    """The rebuild's warnings, then per template row: not found, ambiguous, read blank
    for want of values (:data:`~giextract.segment.BLANK_INFERRED_RULES`), printed values
    left out (:data:`~giextract.resolve.DROPPED_VALUE_RULES`), unparsed cells."""
    out: list[dict[str, object]] = list(rebuilt.warnings)
    template = load_template(template_id)
    for row in template.rows:
        reading = rebuilt.rows.get(row.key)
        if reading is None:
            out.append(
                {"code": "row_not_found", "message": f"row {row.label!r} not found", "row": row.key}
            )
            continue
        if reading.ambiguous:
            out.append(
                {
                    "code": "ambiguous_reading",
                    "message": f"row {row.label!r} can be read in more than one way; "
                    "the identities could not tell which",
                    "line": reading.cells[0].line if reading.cells and reading.cells[0] else None,
                    "row": row.key,
                }
            )
        if BLANK_INFERRED_RULES & set(reading.rules):
            out.append(
                {
                    "code": "row_read_blank",
                    "message": f"row {row.label!r} printed its label with no values; "
                    "read with every cell blank",
                    "line": reading.first_line,
                    "row": row.key,
                }
            )
        if DROPPED_VALUE_RULES & set(reading.rules):
            out.append(
                {
                    "code": "extra_values",
                    "message": f"row {row.label!r} printed more values than it has columns; "
                    "which were extra is a guess",
                    "line": reading.first_line,
                    "row": row.key,
                }
            )
        for i, candidates in reading.disputed.items():
            out.append(_disputed_warning(row.fields[i].id, candidates, reading))
        for spec, cell in zip(row.fields, reading.cells, strict=True):
            if cell is not None and not cell.parsed.ok:
                out.append(_value_warning(spec.id, cell.parsed, cell.line))
    return out


#: Line labels of lines that hold no table value: a value read from one is in doubt.
NO_VALUE_LABELS = frozenset({"title", "heading", "prose", "noise", "table_title", "header"})


def values_on_text_lines(
    fields: Mapping[str, FieldValue],
    provenance: Mapping[str, Mapping[str, object]],
    label_of_line: Mapping[int, str],
) -> list[dict[str, object]]:
    """A warning for each value read from a line the line classifier took for text (a
    heading, prose, page noise: ``value_on_text_line``) or for a header
    (``value_on_header_line``): the reading and the classifier disagree about the line,
    so the value may not be the table's (pymupdf4llm mixing a table's last rows with the
    next table's header, render p055: ``219申法人`` read 219 of 219.40).  A row's first
    line is often taken for a header beside the header above it, so that one is a
    notice in the trust contract, the others a review."""
    out: list[dict[str, object]] = []
    for fid, prov in provenance.items():
        line = prov.get("value_line")
        label = label_of_line.get(line) if isinstance(line, int) else None
        if label in NO_VALUE_LABELS and fields.get(fid) is not None:
            out.append(
                {
                    "code": "value_on_header_line" if label == "header" else "value_on_text_line",
                    "message": f"{fid}: read from line {line}, which reads as {label}, not a row",
                    "line": line,
                    "field": fid,
                }
            )
    return out


#: Labels of the lines between a header and a row's values that say nothing of the table:
#: the row's own label pieces, blank lines and noise.
_BETWEEN_HEADER_AND_VALUES = frozenset(
    {"blank", "noise", "row_label", "continuation", "value", "empty_cell"}
)


def values_off_the_grid(
    provenance: Mapping[str, Mapping[str, object]], lines: Sequence[Line], labels: Sequence[str]
) -> list[dict[str, object]]:
    """A warning for each row read from values on lines of their own under a header that
    was a pipe row: the converter drew the table but left this row out of it, and the
    order of its values is that of its text, not its columns (``values_off_the_grid``).

    pymupdf4llm's Markdown of a PDF table whose last row its grid missed (render p017)::

        |信息内容|采购项目数量|采购总|金额|     header, a pipe row
        政府集中采购                          row_label
        0                                     value   <- printed under 采购总金额
        15                                    value   <- printed under 采购项目数量

    The trust contract reviews such a row unless an identity confirms it (the active
    table has none).
    """
    if not any(line.sep == Separator.PIPE for line in lines):
        return []  # no table drawn with pipes: nothing stands off one
    by_number = {line.number: (line, label) for line, label in zip(lines, labels, strict=True)}
    numbers = sorted(by_number)
    value_lines: dict[str, set[int]] = {}
    for fid, prov in provenance.items():
        line = prov.get("value_line")
        if isinstance(line, int):
            value_lines.setdefault(row_of(fid), set()).add(line)
    out: list[dict[str, object]] = []
    for row, found in value_lines.items():
        pipe_rows = [n for n in found if n in by_number and by_number[n][0].sep == Separator.PIPE]
        if len(found) < 2 or pipe_rows:
            continue
        header = _header_above(min(found), numbers, by_number)
        if header is not None and header.sep == Separator.PIPE:
            out.append(
                {
                    "code": "values_off_the_grid",
                    "message": f"row {row}: its values stand on lines of their own under a "
                    "table drawn with pipes; their order is the text's, not the columns'",
                    "line": min(found),
                    "row": row,
                }
            )
    return out


def _header_above(
    first: int, numbers: Sequence[int], by_number: Mapping[int, tuple[Line, str]]
) -> Line | None:
    """The header line right above a row's first value line (past the row's own label,
    blank lines and noise), or None when something else of the table comes first."""
    for k in range(bisect.bisect_left(numbers, first) - 1, -1, -1):  # no copy of the lines
        line, label = by_number[numbers[k]]
        if label == "header":
            return line
        if label not in _BETWEEN_HEADER_AND_VALUES:
            return None
    return None


def values_on_noise_lines(lines: Sequence[Line], labels: Sequence[str]) -> list[dict[str, object]]:
    """An ``unplaced_values`` warning for each line of values alone (two or more, nothing
    else) that the line classifier took for page noise: no row read them, and a row read
    blank beside them may have lost them (the trust contract's ``blank_row_values_left``).

    A classifier trained without the PDF libraries' text (leave-one-tool-out, render p017's
    pdfplumber text) took a row's values for noise, and the row was read blank, silently::

        （五）不予 1.信访、举报、投诉类申      row_label
        0 0 0 0 0 0 0                        noise   <- the row's seven values
        处理 请                              continuation

    Page furniture is text beside its numbers (``第 3 页``, ``12/7/26, 11:46 AM``) or one
    number alone (``- 3 -``), never such a line.
    """
    out: list[dict[str, object]] = []
    for line, label in zip(lines, labels, strict=True):
        if label != "noise":
            continue
        cells = [c for c in line.cells if c]
        if len(cells) >= 2 and all(is_value(c) for c in cells):
            out.append(
                {
                    "code": "unplaced_values",
                    "message": f"values [{', '.join(cells)}] belong to no known row",
                    "line": line.number,
                }
            )
    return out


def _disputed_warning(
    field_id: str, candidates: tuple[object, ...], reading: RowReading
) -> dict[str, object]:
    """The warning for a field left null because the row's tied readings disagree on it."""
    return {
        "code": "ambiguous_value",
        "message": f"{field_id}: the row's cells can be laid in several ways that put "
        "different values here, and the identities cannot tell which; left null",
        "line": reading.first_line,
        "field": field_id,
        "candidates": list(candidates),
    }


def _value_warning(field_id: str, parsed: ParsedValue, line: int) -> dict[str, object]:
    if parsed.issue is ValueIssue.TOO_MANY_DIGITS:
        return {
            "code": "value_too_long",
            "message": f"{field_id}: a number of {len(parsed.raw)} characters has more "
            "digits than the limit or than a JSON number carries exactly; left null",
            "line": line,
            "field": field_id,
        }
    return {
        "code": "unparsed_value",
        "message": f"{field_id}: {parsed.raw!r} is not a number",
        "line": line,
        "field": field_id,
    }


_MARKERS = {
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "采购项目数量",
        "采购总金额",
        "本年新制作",
        "对外公开总",
    ),
    "2021": (
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "申请人无正当理由逾期不补正",
        "申请人逾期未按收费通知要求缴纳费用",
        "行政规范性文件",
    ),
}
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
#: Each template's markers as one pattern: a key holds a marker iff the pattern finds it.
_MARKER_PATTERNS = {
    tid: re.compile("|".join(map(re.escape, markers))) for tid, markers in _MARKERS.items()
}


@lru_cache(maxsize=8192)
def _template_markers(cell: str) -> tuple[str, ...]:
    """The templates whose markers a cell's label key holds (cached: a pure function of
    the cell, and cells repeat a lot)."""
    key = label_key(cell)
    return tuple(tid for tid, pattern in _MARKER_PATTERNS.items() if pattern.search(key))


@lru_cache(maxsize=8192)
def _line_markers(cells: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`_template_markers` of each cell of a line, together (cached: one call a
    line, and lines repeat)."""
    return tuple(tid for cell in cells if cell for tid in _template_markers(cell))


def detect_template(lines: Iterable[Line], year: int | None) -> tuple[str | None, dict[str, int]]:
    """Tell the template from the content; the year decides only a tie."""
    hits = {"2019": 0, "2021": 0}
    for line in lines:
        if line.cells:
            for tid in _line_markers(line.cells):
                hits[tid] += 1
    if hits["2019"] > hits["2021"]:
        return "2019", hits
    if hits["2021"] > hits["2019"]:
        return "2021", hits
    if year is not None:
        return ("2021" if year >= 2021 else "2019"), hits
    return None, hits


_AGENCY_TAIL = re.compile(r"[（(].*?[)）]$")
_YEAR_FIRST = re.compile(r"^((?:19|20)\d{2})年度?(.+?)(?:关于)?政府信息公开")
_AGENCY_FIRST = re.compile(r"^(.+?)(?:关于)?((?:19|20)\d{2})年度?(?:的)?政府信息公开")
_DATE_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def _clean_agency(name: str) -> str:
    name = normalize_text(name).strip(" 　:：,，*#`>")
    return compact(name)


def title_info(lines: Sequence[Line]) -> tuple[str | None, int | None, int | None]:
    """The agency and year from the title (or the signature), and the title's line index.

    The title is the first short line naming the report; it may sit far down
    (a web page's navigation before it).  A line that names only the year
    (``2019 年政府信息公开工作年度报告``, a PDF's running header) gives way to a title
    naming the agency within the next :data:`TITLE_LOOKAHEAD` lines.
    """
    year_only: tuple[int, int] | None = None
    for i in range(len(lines)):
        if year_only is not None and i > year_only[1] + TITLE_LOOKAHEAD:
            break
        found = _title_at(lines, i)
        if found is None:
            continue
        agency, year = found
        if agency is not None:
            return agency, year, i
        if year_only is None:
            year_only = (year, i)
    if year_only is not None:
        year, i = year_only
        return _agency_above(lines, i) or _signature_agency(lines), year, i
    return _signature_agency(lines), None, None


TITLE_LOOKAHEAD = 6
"""Lines after a year-only title line searched for a title that names the agency."""


def _title_at(lines: Sequence[Line], i: int) -> tuple[str | None, int] | None:
    """The agency (None when the title names none) and year of a title at line ``i``."""
    text = strip_heading_attributes(wrapped_title(lines, i))
    if len(text) > TITLE_MAX_CHARS or not REPORT_WORDS.search(text):
        return None
    if is_print_furniture(lines[i].text):
        return None  # a browser's print header: the date, then the page title
    compact = re.sub(r"[\s*#`>]+", "", text)
    m = _YEAR_FIRST.match(compact)
    if m:
        return _clean_agency(m.group(2)) or _agency_above(lines, i), int(m.group(1))
    m = _AGENCY_FIRST.match(compact)
    if m:
        agency = _clean_agency(m.group(1))
        if agency in ("", "本机关", "我局"):
            agency = _agency_above(lines, i) or agency
        return agency or None, int(m.group(2))
    ym = _TITLE_YEAR.search(compact)
    return (None, int(ym.group(1))) if ym else None


def wrapped_title(lines: Sequence[Line], i: int) -> str:
    """Line ``i``'s text, joined with the next line's where a title wrapped between them.

    A PDF's centred title wraps where the page ends, and text tools print it on two
    lines; neither half names the report alone::

        杨陵区市场监督管理局2020年政府信息公开工作年度报     -> 杨陵区…工作年度报告
        告

    The next line is joined only when it does not name the report by itself (a title
    of its own, or a running header).
    """
    text = "".join(lines[i].cells)
    if REPORT_WORDS.search(text) or i + 1 >= len(lines):
        return text
    after = "".join(lines[i + 1].cells)
    joined = text + after
    if after and not REPORT_WORDS.search(after) and REPORT_WORDS.search(joined):
        return joined
    return text


def _agency_above(lines: Sequence[Line], i: int) -> str | None:
    for j in range(i - 1, max(-1, i - 4), -1):
        text = "".join(lines[j].cells)
        if text and 2 <= len(text) <= 40 and re.search(r"[局委办院府会处厅部室所中心站队]$", text):
            return _clean_agency(text)
    return None


def _signature_agency(lines: Sequence[Line]) -> str | None:
    for i in range(len(lines) - 1, max(-1, len(lines) - 15), -1):
        if _DATE_LINE.match("".join(lines[i].cells)):
            for j in range(i - 1, max(-1, i - 4), -1):
                text = "".join(lines[j].cells)
                if text:
                    return _clean_agency(text) if len(text) <= 40 else None
    return None
