"""Readers for HTML, Word and PDF files; each turns a file into source lines.

Every reader returns a list of :class:`giextract.read.SourceLine`: paragraphs as
lines of text, and each table row as one line of tab-separated cells (a merged
cell's covered positions as empty cells), with ``page``/``table``/``row`` filled
where the format knows them.
"""

from __future__ import annotations

from ..errors import ErrorCode, GiextractError
from ..read import SourceLine


def read_format(fmt: str, data: bytes) -> list[SourceLine]:
    """The lines of a document in format ``fmt`` (html, docx, doc, pdf)."""
    if fmt == "html":
        from .html import read_html

        return read_html(data)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(data)
    if fmt == "doc":
        from .docx import read_doc

        return read_doc(data)
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(data)
    raise GiextractError(ErrorCode.UNSUPPORTED_FORMAT, f"files of format {fmt!r} are not supported")
