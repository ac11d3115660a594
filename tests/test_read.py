"""Reading: encodings, line ends, pages, format sniffing and bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from giextract.errors import ErrorCode, GiextractError
from giextract.read import decode_text, read_bytes, read_path, sniff_format, split_text

TEXT = "柳州市财政局\n2021年政府信息公开工作年度报告\n规章\t0\t1\t2\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
        TEXT.encode("gbk"),
        TEXT.encode("utf-16"),
        TEXT.encode("utf-16-le"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom", "utf16le", "crlf", "cr"],
)
def test_encodings_and_line_ends(data: bytes) -> None:
    doc = read_bytes(data, "x.txt")
    assert [line.text for line in doc.lines[:3]] == TEXT.split("\n")[:3]


def test_form_feed_starts_a_page() -> None:
    lines = split_text("一\n二\f三\n四")
    assert [(x.text, x.page) for x in lines] == [("一", 1), ("二", 1), ("三", 2), ("四", 2)]
    assert [x.number for x in lines] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"PK\x03\x04rest", "docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "doc"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        ("<table><tr><td>规章</td></tr></table>".encode(), "html"),
        ("规章\t0".encode(), "text"),
    ],
)
def test_sniff_format(data: bytes, fmt: str) -> None:
    assert sniff_format(data) == fmt


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", ErrorCode.EMPTY_INPUT),
        (b"   \n\n", ErrorCode.EMPTY_INPUT),
        (bytes(range(256)) * 20, ErrorCode.BINARY_INPUT),
        (b"\x81\x30" * 3 + b"\xff\xfe\xfd" * 50 + b"\x00\x01\x02" * 50, ErrorCode.BINARY_INPUT),
    ],
    ids=["empty", "whitespace", "binary", "binary-noise"],
)
def test_bad_input_is_a_coded_error(data: bytes, code: ErrorCode) -> None:
    with pytest.raises(GiextractError) as err:
        read_bytes(data, "bad")
    assert err.value.code is code


def test_undecodable_text() -> None:
    with pytest.raises(GiextractError) as err:
        decode_text(b"\xff\xfe\xfa" + b"abc\xff\x80\x81" * 40)
    assert err.value.code in (ErrorCode.UNDECODABLE, ErrorCode.BINARY_INPUT)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GiextractError) as err:
        read_path(tmp_path / "nope.txt")
    assert err.value.code is ErrorCode.UNREADABLE_FILE
