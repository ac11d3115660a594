"""Reading: encodings, line ends, pages, format sniffing and bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

import giextract
from giextract.errors import ErrorCode, GiextractError
from giextract.read import (
    decode_text,
    read_bytes,
    read_path,
    read_text,
    sniff_format,
    split_text,
    split_text_lines,
)

GOLDEN = Path(__file__).parent / "golden" / "tables"
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
    ("text", "lines"),
    [
        # pymupdf4llm's text of a table it took for a picture: one line, <br> between lines
        (
            "一、本年新收政府信息公开<br>170 0 0 0 4 7 181<br>申请数量<br />",
            ["一、本年新收政府信息公开", "170 0 0 0 4 7 181", "申请数量", ""],
        ),
        ("（七）总计 87 2<BR>— —", ["（七）总计 87 2", "— —"]),
        # a pipe row keeps its breaks: they wrap a cell's text
        ("|行政机<br>关不再处理|0|", ["|行政机<br>关不再处理|0|"]),
        ("规章 0 0 0", ["规章 0 0 0"]),
    ],
)
def test_markup_line_breaks_outside_table_rows(text: str, lines: list[str]) -> None:
    """Rule :func:`giextract.formats.text.markup_line_breaks`: lines numbered as read."""
    got = split_text(text + "\n末行")
    assert [x.text for x in got] == [*lines, "末行"]
    assert [x.number for x in got] == list(range(1, len(lines) + 2))


def test_lines_split_at_line_breaks_map_back_to_the_file() -> None:
    """A record gives file lines: the lines after a line split at ``<br>`` are numbered as
    read, and :attr:`Document.file_lines` maps them back."""
    lines, file_lines = split_text_lines("一<br>二<br>三\n四\n|五<br>六|\n七")
    assert [x.text for x in lines] == ["一", "二", "三", "四", "|五<br>六|", "七"]
    assert file_lines == {2: 1, 3: 1, 4: 2, 5: 3, 6: 4}
    assert split_text_lines("一\n二")[1] == {}


def test_provenance_of_a_split_file_is_in_file_lines() -> None:
    """pymupdf4llm's picture text (golden case): every value's line in the record is the
    file line that prints its digits."""
    path = GOLDEN / "pymupdf4llm-picture-text" / "input.txt"
    text = path.read_text("utf-8")
    file_lines = text.split("\n")
    report = giextract.extract(text)
    assert read_text(text).file_lines  # the case splits lines
    placed = [p for p in report.provenance.values() if p.get("raw") and p.get("value_line")]
    assert placed
    for prov in placed:
        line = file_lines[int(str(prov["value_line"])) - 1]
        assert str(prov["raw"]).replace(" ", "") in line.replace("<br>", " ").replace(" ", "")


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


# ------------------------------------------------------------------ damaged and odd encodings

from hostile import (  # noqa: E402
    REPORT_TEXT,
    TRADITIONAL_TEXT,
    damaged_utf8,
    flate_bomb_pdf,
    nested_html,
    report_pdf,
    self_referencing_pdf,
    zip_bomb_docx,
)

from giextract.read import Limits  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


def test_damaged_utf8_is_read_with_a_warning_counting_the_damage() -> None:
    data = damaged_utf8()
    doc = read_bytes(data, "dump.txt")
    broken = data.decode("utf-8", "replace").count("\ufffd")
    assert broken > 5
    assert [w["code"] for w in doc.warnings] == ["damaged_encoding"]
    assert doc.warnings[0]["count"] == broken
    assert doc.lines[3].text == "规章\t0\t1\t2"  # what survives is intact


@pytest.mark.parametrize("year", ["2019", "2021"])
def test_debian_html2text_dump_is_read_not_refused(year: str) -> None:
    path = FIXTURES / "pdf" / f"html2text-debian-w60-{year}.txt"
    doc = read_path(path)
    warning = doc.warnings[0]
    assert warning["code"] == "damaged_encoding"
    assert warning["count"] == doc.text.count("\ufffd") > 0
    assert f"XX局{year}年政府信息公开工作年度报告" in doc.text


PROSE = "本报告根据《中华人民共和国政府信息公开条例》要求编制。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        # html2text cuts a character at every cell edge: one broken sequence per three
        # intact characters in the tables, intact prose around them
        (PROSE.encode() + damaged_utf8(REPORT_TEXT * 4, every=4), "utf-8"),
        (damaged_utf8(REPORT_TEXT * 4, every=23), "utf-8"),
        (REPORT_TEXT.encode("gb18030"), "gb18030"),
        (TRADITIONAL_TEXT.encode("big5"), "big5"),
    ],
)
def test_heavy_damage_is_damaged_utf8_not_a_legacy_encoding(data: bytes, encoding: str) -> None:
    warnings: list[dict[str, object]] = []
    _, used = decode_text(data, warnings)
    assert used == encoding
    assert [w["code"] for w in warnings] == (["damaged_encoding"] if encoding == "utf-8" else [])


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("三、收到和处理政府信息公开申请情况\n\n[TABLE]\n\n四、", [3]),
        ("  [TABLE]  \n[TABLE]", [1, 2]),
        ("表格见附件 [TABLE] 说明", []),  # in prose: not the placeholder
    ],
)
def test_a_dropped_table_is_a_warning(text: str, lines: list[int]) -> None:
    doc = read_bytes(text.encode("utf-8"))
    assert [w["line"] for w in doc.warnings if w["code"] == "table_dropped"] == lines


def test_clean_text_has_no_warning() -> None:
    assert read_bytes(REPORT_TEXT.encode("utf-8")).warnings == []
    assert read_bytes(REPORT_TEXT.encode("gbk")).warnings == []


@pytest.mark.parametrize(
    ("text", "encoding", "detected"),
    [
        (REPORT_TEXT, "utf-16-le", "utf-16"),
        (REPORT_TEXT, "utf-16-be", "utf-16"),
        (TRADITIONAL_TEXT, "big5", "big5"),
        (TRADITIONAL_TEXT, "gb18030", "gb18030"),
        (REPORT_TEXT, "gb18030", "gb18030"),
    ],
)
def test_encodings_told_apart(text: str, encoding: str, detected: str) -> None:
    data = text.encode(encoding)
    decoded, used = decode_text(data)
    assert decoded == text
    assert used == detected


def test_text_size_limit() -> None:
    with pytest.raises(GiextractError) as err:
        read_bytes(REPORT_TEXT.encode() * 10, limits=Limits(max_text_chars=100))
    assert err.value.code is ErrorCode.TEXT_TOO_LONG
    from giextract.read import read_text

    with pytest.raises(GiextractError) as err:
        read_text(REPORT_TEXT * 10, limits=Limits(max_text_chars=100))
    assert err.value.code is ErrorCode.TEXT_TOO_LONG


def test_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(REPORT_TEXT.encode() * 10)
    with pytest.raises(GiextractError) as err:
        read_path(path, limits=Limits(max_bytes=100))
    assert err.value.code is ErrorCode.TOO_LARGE


# ------------------------------------------------------------------ hostile files


def test_html_nested_1000_deep_reads() -> None:
    doc = read_bytes(nested_html(1000))
    assert [line.text for line in doc.lines] == ["2021年政府信息公开工作年度报告"]


@pytest.mark.parametrize("depth", [100_000, 120])
def test_html_nested_past_the_limit(depth: int) -> None:
    with pytest.raises(GiextractError) as err:
        read_bytes(nested_html(depth), limits=Limits(max_html_depth=100))
    assert err.value.code is ErrorCode.NESTED_TOO_DEEP
    assert "100 levels" in err.value.message


def test_html_unclosed_paragraphs_are_not_deep() -> None:
    page = "<html><body>" + "<p>规章" * 300 + "</body></html>"
    assert len(read_bytes(page.encode(), limits=Limits(max_html_depth=50)).lines) == 300


def test_encrypted_pdf_says_how_to_decrypt() -> None:
    with pytest.raises(GiextractError) as err:
        read_bytes(report_pdf(user_password="secret"))
    assert err.value.code is ErrorCode.ENCRYPTED_PDF
    assert "qpdf" in (err.value.fix or "") and "--decrypt" in (err.value.fix or "")


def test_owner_password_pdf_is_read() -> None:
    doc = read_bytes(report_pdf(owner_password="owner"))
    assert [line.text for line in doc.lines] == [
        "柳州市财政局2021年政府信息公开工作年度报告",
        "规章\t0\t12\t3",
    ]


def test_pdf_flate_bomb_refused_before_inflating() -> None:
    with pytest.raises(GiextractError) as err:
        read_bytes(flate_bomb_pdf(64 << 20), limits=Limits(max_inflated_bytes=16 << 20))
    assert err.value.code is ErrorCode.INFLATES_TOO_MUCH


def test_pdf_self_reference_is_a_coded_error() -> None:
    with pytest.raises(GiextractError) as err:
        read_bytes(self_referencing_pdf())
    assert err.value.code is ErrorCode.CORRUPT_DOCUMENT


@pytest.mark.parametrize(
    "limits",
    [Limits(max_inflated_bytes=8 << 20), Limits(max_xml_bytes=8 << 20)],
    ids=["parts", "xml"],
)
def test_docx_zip_bomb_refused_before_inflating(limits: Limits) -> None:
    with pytest.raises(GiextractError) as err:
        read_bytes(zip_bomb_docx(16 << 20), limits=limits)
    assert err.value.code is ErrorCode.INFLATES_TOO_MUCH
