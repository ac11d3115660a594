"""A PDF as Markdown or text by a converter giextract does not depend on, for
:mod:`training.render`.

Run in its own environment (the converters pin a pdfminer.six that pdfplumber's range
excludes, and pymupdf is AGPL: neither is a dependency of giextract)::

    python3 -m venv .venv-md
    .venv-md/bin/pip install "pymupdf4llm>=0.2" "markitdown[pdf]>=0.1" "pypdf>=5"
    .venv-md/bin/python training/pdf_to_markdown.py pymupdf4llm page.pdf > page.md

Tools: ``pymupdf4llm`` (``pymupdf4llm.to_markdown``: tables found by PyMuPDF, wrapped cells
joined by ``<br>``), ``markitdown`` (Microsoft's MarkItDown: pdfminer.six's text, tables
guessed from word positions), PyMuPDF's plain ``page.get_text()`` (``pymupdf``) and pypdf's
``extract_text`` (``pypdf``; ``pypdf-layout`` with ``extraction_mode="layout"``), pages
joined by a line break: the last three, tools no training run sees
(:data:`giextract.training.renders.UNSEEN_TOOLS`).  The output goes to standard output as
UTF-8.
"""

from __future__ import annotations

import contextlib
import sys


def to_markdown(tool: str, pdf: str) -> str:
    """The Markdown of ``pdf`` by ``tool`` (``pymupdf4llm`` or ``markitdown``)."""
    if tool == "pymupdf4llm":
        import pymupdf4llm

        return str(pymupdf4llm.to_markdown(pdf))
    if tool == "markitdown":
        from markitdown import MarkItDown

        return str(MarkItDown().convert(pdf).text_content)
    if tool == "pymupdf":
        import pymupdf

        return "\n".join(str(page.get_text()) for page in pymupdf.open(pdf))
    if tool in ("pypdf", "pypdf-layout"):
        from pypdf import PdfReader

        mode = "layout" if tool == "pypdf-layout" else "plain"
        return "\n".join(page.extract_text(extraction_mode=mode) for page in PdfReader(pdf).pages)
    raise SystemExit(
        f"unknown tool {tool!r}: pymupdf4llm, markitdown, pymupdf, pypdf or pypdf-layout"
    )


def main() -> None:
    tool, pdf = sys.argv[1:3]
    with contextlib.redirect_stdout(sys.stderr):  # pymupdf's own notes ("RapidOCR is missing")
        markdown = to_markdown(tool, pdf)
    sys.stdout.buffer.write(markdown.encode("utf-8"))


if __name__ == "__main__":
    main()
