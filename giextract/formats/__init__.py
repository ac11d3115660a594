"""Readers for HTML, Word and PDF files; each turns a file into source lines.

Every reader returns a list of :class:`giextract.source.SourceLine`: paragraphs as
lines of text, and each table row as one line of tab-separated cells (a merged
cell's covered positions as empty cells), with ``page``/``table``/``row`` filled
where the format knows them.  The readers import only :mod:`giextract.source` and
:mod:`giextract.errors`: :mod:`giextract.read` calls them, never the other way.
"""

from __future__ import annotations

from ..errors import ErrorCode, GiextractError
from ..source import DEFAULT_LIMITS, Limits, SourceLine


def read_format(
    fmt: str,
    data: bytes,
    limits: Limits = DEFAULT_LIMITS,
    warnings: list[dict[str, object]] | None = None,
) -> list[SourceLine]:
    """The lines of a document in format ``fmt`` (html, docx, doc, pdf).

    What a reader reads through but should be told (e.g. ``damaged_encoding``) is
    appended to ``warnings`` when given.
    """
    if fmt == "html":
        from .html import read_html

        return read_html(data, limits, warnings)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(data, limits)
    if fmt == "doc":
        from .docx import read_doc

        return read_doc(data, limits)
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, limits, warnings)
    raise GiextractError(ErrorCode.UNSUPPORTED_FORMAT, f"files of format {fmt!r} are not supported")
