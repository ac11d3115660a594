"""Reading input: bytes of any supported format to a :class:`Document` of source lines.

The format is told from the content (magic bytes, markup), never from the file
name.  Text is decoded from UTF-8 (with or without BOM), UTF-16 and GB18030/GBK;
CRLF and CR end lines; a form feed starts a new page.  HTML, Word and PDF files
are turned into the same stream of lines by :mod:`giextract.formats`, each table
row as one line of tab-separated cells.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ErrorCode, GiextractError

MAX_BYTES = 50 * 1024 * 1024
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class SourceLine:
    """One line of the input as found, with where it came from.

    ``number`` is 1-based within the document.  ``page`` is known for PDFs and for
    text with form feeds; ``table`` and ``row`` for rows of HTML, Word and PDF tables.
    """

    number: int
    text: str
    page: int | None = None
    table: int | None = None
    row: int | None = None


@dataclass
class Document:
    """The input as a list of lines, with its source name and format."""

    source: str
    format: str
    lines: list[SourceLine] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def sniff_format(data: bytes) -> str:
    """Tell the format of a file from its content: pdf, docx, doc, rtf, html or text.

    Zip files other than Word documents come out as ``zip`` (unsupported); the file
    name plays no part, so a misnamed file is still read right.
    """
    head = data[:4096]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        import io
        import zipfile

        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return "docx"  # a broken Word file, most likely: its reader says so
        return "docx" if "word/document.xml" in names else "zip"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "doc"
    if head.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    probe = head.lower()
    if probe.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        probe = head.decode("utf-16", errors="ignore").lower().encode("utf-8")
    markup = (
        rb"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<table[\s>]|<meta[\s>][^>]*charset"
        rb"|<div[\s>][\s\S]*</div>|<p[\s>][\s\S]*</p>"
    )
    if re.search(markup, probe):
        return "html"
    return "text"


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample) > 0.05


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_nuls = sample[1::2].count(0) / max(1, len(sample[1::2]))
    for enc, ratio in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        if ratio > 0.3:
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                return None
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file; returns the text and the encoding used.

    Raises:
        GiextractError: E002 for binary data, E003 when no supported encoding fits.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise GiextractError(
                ErrorCode.UNDECODABLE, f"the text starts as UTF-16 but is not: {exc.reason}"
            ) from exc
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16, "utf-16"
    if _looks_binary(data):
        raise GiextractError(
            ErrorCode.BINARY_INPUT, "the file is binary, not text or a known document format"
        )
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise GiextractError(
        ErrorCode.UNDECODABLE,
        "the text is neither UTF-8, UTF-16 nor GB18030/GBK",
        "convert it to UTF-8, e.g. iconv -f <encoding> -t utf-8",
    )


def split_text(text: str) -> list[SourceLine]:
    """Split text into numbered lines; form feeds start new pages."""
    lines: list[SourceLine] = []
    has_pages = "\f" in text
    page = 1
    number = 0
    for raw in _LINE_BREAK.split(text):
        parts = raw.split("\f")
        for i, part in enumerate(parts):
            if i > 0:
                page += 1
                if not part.strip():
                    continue
            number += 1
            lines.append(SourceLine(number, part, page if has_pages else None))
    return lines


def read_text(text: str, source: str = "<text>") -> Document:
    """A document from text already decoded."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return Document(source, "text", split_text(text))


def read_bytes(data: bytes, source: str = "<bytes>") -> Document:
    """A document from the bytes of a file of any supported format.

    Raises:
        GiextractError: for empty, too large, binary, undecodable or corrupt input.
    """
    if not data.strip():
        raise GiextractError(ErrorCode.EMPTY_INPUT, "the file is empty")
    if len(data) > MAX_BYTES:
        raise GiextractError(
            ErrorCode.TOO_LARGE,
            f"the file has {len(data)} bytes, more than the limit of {MAX_BYTES}",
        )
    fmt = sniff_format(data)
    if fmt == "text":
        text, _ = decode_text(data)
        return read_text(text, source)
    from . import formats

    lines = formats.read_format(fmt, data)
    return Document(source, fmt, lines)


def read_path(path: str | Path) -> Document:
    """A document from a file of any supported format."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise GiextractError(
            ErrorCode.UNREADABLE_FILE, f"cannot read {p}: {exc.strerror or exc}"
        ) from exc
    return read_bytes(data, str(path))
