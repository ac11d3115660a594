"""Reading Word files into source lines.

``.docx``: paragraphs and tables in document order, read from the XML so that a
merged cell is seen once (python-docx's ``row.cells`` repeats it): a horizontal
merge (``gridSpan``) leaves empty cells after it, a vertical one (``vMerge``)
empty cells below it.  A table directly followed (across a page break, with only
empty paragraphs between) by a table of the same width continues it: same table
index, row numbers going on.  Legacy ``.doc`` files are converted with LibreOffice
or antiword when one is installed.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ErrorCode, GiextractError
from ..source import DEFAULT_LIMITS, Limits, SourceLine
from ._cells import LineSink, join_parts
from .text import split_text

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CONVERT_TIMEOUT = 120


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _para_text(p: Any) -> str:
    """The text of a ``w:p`` element: runs, tabs as spaces, breaks as spaces."""
    out: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}delText"):
        name = _local(el.tag)
        if name == "t":
            out.append(el.text or "")
        elif name in ("tab", "br", "cr"):
            out.append(" ")
    return "".join(out)


def _cell_text(tc: Any) -> str:
    return join_parts(_para_text(p) for p in tc.iter(f"{_W}p"))


def _int_attr(el: Any, default: int) -> int:
    if el is None:
        return default
    try:
        return max(int(el.get(f"{_W}val")), 0)
    except (TypeError, ValueError):
        return default


def _row_cells(tr: Any) -> list[str]:
    """A ``w:tr`` as grid cells: merged cells' covered positions empty."""
    cells: list[str] = []
    trpr = tr.find(f"{_W}trPr")
    if trpr is not None:
        cells += [""] * _int_attr(trpr.find(f"{_W}gridBefore"), 0)
    for tc in tr.iterchildren(f"{_W}tc", f"{_W}sdt"):
        for cell in tc.iter(f"{_W}tc") if _local(tc.tag) == "sdt" else (tc,):
            tcpr = cell.find(f"{_W}tcPr")
            span = 1
            continued = False
            if tcpr is not None:
                span = max(_int_attr(tcpr.find(f"{_W}gridSpan"), 1), 1)
                vmerge = tcpr.find(f"{_W}vMerge")
                continued = vmerge is not None and vmerge.get(f"{_W}val") in (None, "continue")
            cells.append("" if continued else _cell_text(cell))
            cells += [""] * (span - 1)
    return cells


def _table_rows(tbl: Any) -> list[list[str]]:
    grid = tbl.find(f"{_W}tblGrid")
    width = len(grid.findall(f"{_W}gridCol")) if grid is not None else 0
    rows = [_row_cells(tr) for tr in tbl.iterchildren(f"{_W}tr")]
    width = max([width] + [len(r) for r in rows])
    return [r + [""] * (width - len(r)) for r in rows]


def _blocks(body: Any) -> Iterator[tuple[str, Any]]:
    """Paragraphs and tables of the body in order, looking into content controls."""
    for el in body.iterchildren():
        name = _local(el.tag)
        if name == "p":
            yield "p", el
        elif name == "tbl":
            yield "tbl", el
        elif name in ("sdt", "sdtContent", "customXml"):
            yield from _blocks(el.find(f"{_W}sdtContent") if name == "sdt" else el)


def check_inflated_size(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zip whose parts would inflate past the limits, before inflating any.

    The sizes are the ones the zip declares: :mod:`zipfile` never inflates a part
    past its declared size (it stops there and the CRC check fails), so they bound
    what reading costs.

    Raises:
        GiextractError: E012 past ``limits.max_inflated_bytes`` in all, or past
            ``limits.max_xml_bytes`` of XML (what the parser holds in memory).
    """
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # python-docx says what is wrong with it
    total = sum(i.file_size for i in infos)
    xml = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
    for size, limit, what in (
        (total, limits.max_inflated_bytes, "its parts"),
        (xml, limits.max_xml_bytes, "its XML parts"),
    ):
        if size > limit:
            raise GiextractError(
                ErrorCode.INFLATES_TOO_MUCH,
                f"the Word file's {what} inflate to {size} bytes, more than the limit of "
                f"{limit} (a zip bomb, or a file too big to read)",
                "raise Limits.max_inflated_bytes / max_xml_bytes if the file is genuine",
            )


def read_docx(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[SourceLine]:
    """The lines of a .docx file: paragraphs and table rows in document order.

    Raises:
        GiextractError: CORRUPT_DOCUMENT when the file is not a readable .docx,
            INFLATES_TOO_MUCH for a zip bomb.
    """
    import docx

    check_inflated_size(data, limits)
    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as exc:
        raise GiextractError(
            ErrorCode.CORRUPT_DOCUMENT,
            f"the Word file cannot be opened ({type(exc).__name__}: {exc})",
            "re-save it from Word or LibreOffice as .docx",
        ) from exc
    sink = LineSink()
    tables = -1
    last_width = None  # width of the table just read, while only blank paragraphs follow
    row_no = 0
    for kind, el in _blocks(body):
        if kind == "p":
            text = _para_text(el)
            if text.strip():
                last_width = None
            sink.text(text)
            continue
        rows = [r for r in _table_rows(el) if any(c for c in r)]
        if not rows:
            continue
        width = len(rows[0])
        if width != last_width:
            tables += 1
            row_no = 0
        for cells in rows:
            sink.row(cells, tables, row_no)
            row_no += 1
        last_width = width
    return sink.lines


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[SourceLine]:
    """The lines of a legacy .doc file, converted with LibreOffice or antiword.

    Raises:
        GiextractError: CONVERTER_MISSING when neither tool is installed;
            CORRUPT_DOCUMENT when the conversion fails.
    """
    soffice = _soffice()
    if soffice:
        return read_docx(_convert_with_soffice(soffice, data), limits)
    antiword = shutil.which("antiword")
    if antiword:
        return split_text(_run([antiword, "-w", "0", "-"], data).decode("utf-8", "replace"))
    raise GiextractError(
        ErrorCode.CONVERTER_MISSING,
        "legacy .doc files need LibreOffice or antiword to be read, and neither is installed",
        "apt-get install libreoffice-writer (or: apt-get install antiword), "
        "or save the file as .docx",
    )


def _run(cmd: list[str], data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            cmd, input=data, capture_output=True, timeout=_CONVERT_TIMEOUT, check=True
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        raise GiextractError(
            ErrorCode.CORRUPT_DOCUMENT, f"converting the .doc file failed: {exc}"
        ) from exc
    return done.stdout


def _convert_with_soffice(soffice: str, data: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="giextract-doc-") as tmp:
        src = Path(tmp) / "input.doc"
        src.write_bytes(data)
        profile = Path(tmp, "profile").as_uri()
        _run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "docx",
                "--outdir",
                tmp,
                str(src),
            ]
        )
        out = Path(tmp) / "input.docx"
        if not out.exists():
            raise GiextractError(
                ErrorCode.CORRUPT_DOCUMENT, "LibreOffice could not convert the .doc file"
            )
        return out.read_bytes()
