"""Types shared by the read stage and every stage after it.

:class:`SourceLine` is what a reader makes of a file, :class:`Limits` how far a
reader may go before it refuses an input.  This module imports nothing of
giextract's, so the readers (:mod:`giextract.formats`), :mod:`giextract.read`
and the later stages can all import it without import cycles.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, unsafe_hash=True)
class SourceLine:
    """One line of the input as found, with where it came from.

    ``number`` is 1-based within the document.  ``page`` is known for PDFs and for
    text with form feeds; ``table`` and ``row`` for rows of HTML, Word and PDF tables.

    A slotted dataclass compared and hashed by value (``dataclasses.replace`` works),
    not frozen: a reader makes one per line of the input, and a frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__``.  Source lines are never
    changed once made.
    """

    number: int
    text: str
    page: int | None = None
    table: int | None = None
    row: int | None = None


@dataclass(frozen=True)
class Limits:
    """How much a reader takes before it refuses an input with a coded error.

    Attributes:
        max_bytes: size of the file (E005).
        max_text_chars: characters of decoded text, also for text passed to the API (E014).
        max_inflated_bytes: bytes that the compressed parts of one DOCX or PDF may
            inflate to, checked before inflating (E012).
        max_xml_bytes: bytes of the XML parts of one DOCX, checked before parsing (E012).
        max_html_depth: nesting depth of HTML elements (E013).
        max_pages: pages of a PDF (E015).
    """

    max_bytes: int = 50 * 1024 * 1024
    max_text_chars: int = 4_000_000
    max_inflated_bytes: int = 256 * 1024 * 1024
    max_xml_bytes: int = 16 * 1024 * 1024  # a report's document.xml is a few MB
    max_html_depth: int = 4096
    max_pages: int = 2000


DEFAULT_LIMITS = Limits()
