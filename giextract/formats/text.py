"""Plain text: decoding bytes that may be damaged, and splitting text into lines.

Decoding tries, in order: a byte-order mark; UTF-16 without one (ASCII-heavy text
by its zero bytes, Chinese-heavy text by what its code units decode to); strict
UTF-8; UTF-8 with some broken sequences (Debian's ``html2text`` cuts multi-byte
characters at the column width), read with U+FFFD and a ``damaged_encoding``
warning that counts them; then a legacy Chinese encoding told by
charset-normalizer (GB18030/GBK or Big5, so Big5 is not read as GB18030).
"""

from __future__ import annotations

import codecs
import re

from ..errors import ErrorCode, GiextractError
from ..source import SourceLine

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# pandoc 2 -t plain gives up on a table whose cells hold several paragraphs: "[TABLE]".
_DROPPED_TABLE = re.compile(r"^\s*\[TABLE\]\s*$")
_SAMPLE = 8192
_LEGACY = ("gb18030", "big5", "utf_16_le", "utf_16_be")
_CODECS = {"big5": ("cp950", "big5hkscs", "big5"), "gb2312": ("gb18030",), "gbk": ("gb18030",)}
_DAMAGE_RATIO = 1  # valid non-ASCII characters per broken sequence, at least
_INTACT_RUN = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]{8}")
_UTF16_PLAUSIBLE = 0.95

_HEADING_ATTRIBUTES = re.compile(r"\{#[^{}]*\}\s*")


def strip_heading_attributes(line: str) -> str:
    r"""The line without pandoc's attributes after a Markdown heading, and the spaces before
    them: ``# 标题 {#标题 style="text-align:center"}`` -> ``# 标题``.  Only the last ``{#``
    can open them (they hold no brace), so no regex scans the line's spaces (``\s*\{#…``
    searched a long run of spaces in quadratic time)."""
    at = line.rfind("{#")
    if at < 0 or not _HEADING_ATTRIBUTES.fullmatch(line, at):
        return line
    return line[:at].rstrip()


Warnings = list[dict[str, object]]


def split_text(text: str) -> list[SourceLine]:
    """Split text into numbered lines; form feeds start new pages, and an HTML line
    break outside a table row starts a new line (:func:`markup_line_breaks`)."""
    return split_text_lines(text)[0]


def split_text_lines(text: str) -> tuple[list[SourceLine], dict[int, int]]:
    """:func:`split_text`, and the line of the text each line numbered differently came
    from: an HTML line break outside a table row makes a text line several lines, and the
    lines after them are numbered as read (empty when no break split a line)."""
    if "\f" not in text and ("<" not in text or not MARKUP_BREAK.search(text)):
        # one page and no <br> (most text): a line for each piece, no page
        return [SourceLine(n, raw) for n, raw in enumerate(_LINE_BREAK.split(text), 1)], {}
    lines: list[SourceLine] = []
    file_lines: dict[int, int] = {}
    has_pages = "\f" in text
    page = 1
    number = 0
    for in_file, raw in enumerate(_LINE_BREAK.split(text), 1):
        parts = raw.split("\f")
        for i, part in enumerate(parts):
            if i > 0:
                page += 1
                if not part.strip():
                    continue
            for piece in markup_line_breaks(part):
                number += 1
                lines.append(SourceLine(number, piece, page if has_pages else None))
                if number != in_file:
                    file_lines[number] = in_file
    return lines, file_lines


MARKUP_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
"""An HTML line break, as Markdown writers leave it in text (pymupdf4llm): a line break
outside a table row (:func:`markup_line_breaks`), a space inside a cell
(:func:`giextract.normalize.normalize_text`)."""


def markup_line_breaks(line: str) -> list[str]:
    """Rule: HTML line breaks in a line that is no table row are its line breaks.

    Repairs (pymupdf4llm's text of a table it took for a picture, one line of Markdown)::

        一、本年新收政府信息公开<br>170 0 0 0 4 7 181<br>申请数量<br>二、上年结转…
            -> 一、本年新收政府信息公开 / 170 0 0 0 4 7 181 / 申请数量 / 二、上年结转…

    In a pipe row the breaks stay: they wrap a cell's text (``|行政机<br>关不再处理|``),
    and :func:`giextract.normalize.normalize_text` reads them so.  Lines after such a
    line are numbered as read, one more per break.
    """
    if "<" not in line or "|" in line or "｜" in line:
        return [line]
    return MARKUP_BREAK.split(line)


def dropped_tables(lines: list[SourceLine]) -> Warnings:
    """A ``table_dropped`` warning for each line where a converter printed a placeholder
    instead of a table (pandoc 2's ``[TABLE]``): the table's values are not in the text,
    so its fields are null because they are missing, not blank."""
    return [
        {
            "code": "table_dropped",
            "message": f"line {line.number} reads '[TABLE]': the converter (pandoc) left a "
            "table out of this text; its values are missing, convert the page another way",
            "line": line.number,
        }
        for line in lines
        if "[TABLE]" in line.text and _DROPPED_TABLE.match(line.text)
    ]


def looks_binary(data: bytes) -> bool:
    """Whether the bytes hold too many control characters to be text."""
    sample = data[:_SAMPLE]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample) > 0.05


def _plausible(text: str) -> float:
    """Share of characters a Chinese report is made of: CJK, ASCII, CJK punctuation."""
    if not text:
        return 0.0
    good = sum(
        1
        for ch in text
        if " " <= ch <= "~"
        or ch in "\t\n\r\f"
        or "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or ch in "“”‘’—…·"
    )
    return good / len(text)


def utf16_without_bom(data: bytes) -> str | None:
    """The text if the bytes are UTF-16 without a byte-order mark, else ``None``.

    ASCII-heavy text shows zero bytes in every other place; Chinese-heavy text has
    none, so each byte order is decoded and kept when it reads as a report's text
    (CJK, ASCII and punctuation, with line ends).
    """
    sample = data[: _SAMPLE - _SAMPLE % 2]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_nuls = sample[1::2].count(0) / max(1, len(sample[1::2]))
    for enc, ratio in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        probe = sample.decode(enc, errors="replace")
        if ratio > 0.3 or ("\n" in probe and _plausible(probe) >= _UTF16_PLAUSIBLE):
            try:
                return data[: len(data) - len(data) % 2].decode(enc)
            except UnicodeDecodeError:
                return None
    return None


def damaged_utf8(data: bytes, warnings: Warnings | None) -> str | None:
    """The text if the bytes are UTF-8 but for some broken sequences, else ``None``.

    Broken sequences become U+FFFD and a ``damaged_encoding`` warning counts them.
    Debian's ``html2text`` cuts a character at every cell edge of a table, so a dump
    can hold one broken sequence per three intact characters; but its prose is
    intact, with runs of Chinese text.  Text in another encoding (GB18030, Big5)
    decodes to several broken sequences per character and no such run (a chance
    valid sequence stands alone), so it is not mistaken for damaged UTF-8.
    """
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = sum(1 for ch in text if ch > "\x7f") - broken
    if broken == 0 or valid < _DAMAGE_RATIO * broken or not _INTACT_RUN.search(text):
        return None
    if warnings is not None:
        warnings.append(
            {
                "code": "damaged_encoding",
                "message": f"the text is UTF-8 with {broken} broken byte sequences "
                "(replaced by U+FFFD); labels next to them may be cut",
                "count": broken,
            }
        )
    return text


def _decode_as(data: bytes, encoding: str) -> str | None:
    for name in _CODECS.get(encoding, (encoding,)):
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def detect_legacy(data: bytes) -> tuple[str, str] | None:
    """Text and encoding of bytes in a legacy Chinese encoding, told by charset-normalizer."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * _SAMPLE], cp_isolation=list(_LEGACY)).best()
    if best is not None:
        text = _decode_as(data, best.encoding)
        if text is not None:
            return text, best.encoding
    text = _decode_as(data, "gb18030")
    return (text, "gb18030") if text is not None else None


def decode_text(data: bytes, warnings: Warnings | None = None) -> tuple[str, str]:
    """Decode the bytes of a text file; returns the text and the encoding used.

    Warnings (e.g. ``damaged_encoding``) are appended to ``warnings`` when given.

    Raises:
        GiextractError: E002 for binary data, E003 when no supported encoding fits.
    """
    if data.startswith(codecs.BOM_UTF8):
        body = data[3:]
        try:
            return body.decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            return damaged_utf8(body, warnings) or body.decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise GiextractError(
                ErrorCode.UNDECODABLE, f"the text starts as UTF-16 but is not: {exc.reason}"
            ) from exc
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        return utf16, "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    damaged = damaged_utf8(data, warnings)
    if damaged is not None:
        return damaged, "utf-8"
    if looks_binary(data):
        raise GiextractError(
            ErrorCode.BINARY_INPUT, "the file is binary, not text or a known document format"
        )
    legacy = detect_legacy(data)
    if legacy is not None:
        return legacy
    raise GiextractError(
        ErrorCode.UNDECODABLE,
        "the text is neither UTF-8, UTF-16, GB18030/GBK nor Big5",
        "convert it to UTF-8, e.g. iconv -f <encoding> -t utf-8",
    )
