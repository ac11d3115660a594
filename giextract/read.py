"""Reading input: bytes of any supported format to a :class:`Document` of source lines.

The format is told from the content (magic bytes, markup), never from the file
name.  Text is decoded by :func:`giextract.formats.text.decode_text` (UTF-8, damaged
UTF-8 with a warning, UTF-16 with or without BOM, GB18030/GBK, Big5); CRLF and CR
end lines; a form feed starts a new page.  HTML, Word and PDF files are turned into
the same stream of lines by :mod:`giextract.formats`, each table row as one line of
tab-separated cells.  Every limit (:class:`Limits`) has its own error code, and
what was read through (e.g. damaged UTF-8) is in :attr:`Document.warnings`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ErrorCode, GiextractError
from .formats.text import decode_text, dropped_tables, split_text, split_text_lines
from .source import DEFAULT_LIMITS, Limits, SourceLine

MAX_BYTES = DEFAULT_LIMITS.max_bytes

__all__ = [
    "Document",
    "Limits",
    "SourceLine",
    "decode_text",
    "read_bytes",
    "read_path",
    "read_text",
    "sniff_format",
    "split_text",
    "split_text_lines",
]


@dataclass
class Document:
    """The input as a list of lines, with its source name and format.

    ``warnings`` holds what the reader noticed but read through (e.g.
    ``damaged_encoding``), as plain dicts with ``code`` and ``message``.
    """

    source: str
    format: str
    lines: list[SourceLine] = field(default_factory=list)
    warnings: list[dict[str, object]] = field(default_factory=list)
    file_lines: dict[int, int] = field(default_factory=dict)
    """The line of the file each line numbered differently came from (an HTML line break
    outside a table row split a text line: :func:`~giextract.formats.text.markup_line_breaks`);
    a record's provenance and warnings give file lines."""

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def sniff_format(data: bytes) -> str:
    """Tell the format of a file from its content: pdf, docx, doc, rtf, html, markdown or text.

    ``markdown`` is Markdown with raw HTML tables in it (pandoc's output), told from an
    HTML page by its Markdown lines and the lack of document tags.

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
        from .formats.markdown import is_markdown_with_html

        return "markdown" if is_markdown_with_html(head) else "html"
    return "text"


def _check_text_size(size: int, limits: Limits) -> None:
    if size > limits.max_text_chars:
        raise GiextractError(
            ErrorCode.TEXT_TOO_LONG,
            f"the text has {size} characters, more than the limit of {limits.max_text_chars}",
            "raise Limits.max_text_chars, or pass the report's pages only",
        )


def read_text(text: str, source: str = "<text>", limits: Limits = DEFAULT_LIMITS) -> Document:
    """A document from text already decoded.

    Raises:
        GiextractError: E014 when the text is longer than ``limits.max_text_chars``.
    """
    _check_text_size(len(text), limits)
    if text.startswith("\ufeff"):
        text = text[1:]
    lines, file_lines = split_text_lines(text)
    return Document(source, "text", lines, dropped_tables(lines), file_lines)


def read_bytes(data: bytes, source: str = "<bytes>", limits: Limits = DEFAULT_LIMITS) -> Document:
    """A document from the bytes of a file of any supported format.

    Raises:
        GiextractError: for empty, too large, binary, undecodable, encrypted or
            corrupt input, and for input past one of ``limits``.
    """
    if not data.strip():
        raise GiextractError(ErrorCode.EMPTY_INPUT, "the file is empty")
    if len(data) > limits.max_bytes:
        raise GiextractError(
            ErrorCode.TOO_LARGE,
            f"the file has {len(data)} bytes, more than the limit of {limits.max_bytes}",
        )
    fmt = sniff_format(data)
    warnings: list[dict[str, object]] = []
    if fmt == "text":
        text, _ = decode_text(data, warnings)
        doc = read_text(text, source, limits)
        doc.warnings = warnings + doc.warnings
        return doc
    from . import formats

    lines = formats.read_format(fmt, data, limits, warnings)
    _check_text_size(sum(len(line.text) + 1 for line in lines), limits)
    return Document(source, fmt, lines, warnings)


def read_path(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """A document from a file of any supported format."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > limits.max_bytes:
            raise GiextractError(
                ErrorCode.TOO_LARGE,
                f"the file has {size} bytes, more than the limit of {limits.max_bytes}",
            )
        data = p.read_bytes()
    except OSError as exc:
        raise GiextractError(
            ErrorCode.UNREADABLE_FILE, f"cannot read {p}: {exc.strerror or exc}"
        ) from exc
    return read_bytes(data, str(path), limits)
