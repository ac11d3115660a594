"""Hostile and odd inputs for the readers, built in memory (never downloaded).

Each builder returns the bytes of one file: HTML nested deep, a PDF that needs a
password, one that only restricts permissions, a PDF Flate bomb, a DOCX zip bomb,
a PDF whose object refers to itself, and text in the encodings that used to be
misread (UTF-16 without BOM, Big5, UTF-8 cut by Debian's ``html2text``).

The batch test (``tests/test_hostile_batch.py``) uses :data:`BUILDERS`; run
``python tests/hostile.py DIR`` to write them all to DIR (e.g. to try the CLI).
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOOD = REPO / "examples" / "liuzhou-bigdata-2019.txt"
MIB = 1024 * 1024

REPORT_TEXT = (
    "柳州市财政局\n2021年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
    "规章\t0\t1\t2\n行政规范性文件\t3\t4\t5\n三、收到和处理政府信息公开申请情况\n"
)
TRADITIONAL_TEXT = (
    "臺北市政府財政局\n2021年政府資訊公開工作年度報告\n二、主動公開政府資訊情況\n"
    "規章\t0\t1\t2\n行政規範性文件\t3\t4\t5\n三、收到和處理政府資訊公開申請情況\n"
)


def nested_html(depth: int = 1000, tag: str = "div") -> bytes:
    """A page whose text sits ``depth`` elements deep."""
    body = f"<{tag}>" * depth + "2021年政府信息公开工作年度报告" + f"</{tag}>" * depth
    return f"<html><body>{body}</body></html>".encode()


def report_pdf(*, user_password: str | None = None, owner_password: str | None = None) -> bytes:
    """A one-page PDF with a report title and a row of numbers, optionally encrypted."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    encrypt = None
    if user_password is not None or owner_password is not None:
        encrypt = pdfencrypt.StandardEncryption(
            user_password or "", owner_password or "owner", canPrint=0, canCopy=0
        )
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    c.setFont("STSong-Light", 12)
    c.drawString(50, 750, "柳州市财政局2021年政府信息公开工作年度报告")
    c.drawString(50, 700, "规章")
    for i, v in enumerate(("0", "12", "3")):
        c.drawString(200 + 80 * i, 700, v)
    c.showPage()
    c.save()
    return buf.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of the given objects (numbered from 1) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _bomb_stream(inflated: int) -> bytes:
    """A zlib stream that inflates to at least ``inflated`` zero bytes, built cheaply.

    One MiB of zeros is deflated and fully flushed, and that block repeated: the
    stream stays small and valid up to its (wrong) checksum at the end.
    """
    block = b"\0" * (1 << 20)
    z = zlib.compressobj(9)
    head = z.compress(block) + z.flush(zlib.Z_FULL_FLUSH)
    unit = z.compress(block) + z.flush(zlib.Z_FULL_FLUSH)
    return head + unit * max(0, inflated // len(block)) + z.flush()


def flate_bomb_pdf(inflated: int = 2 << 30) -> bytes:
    """A PDF whose page content stream inflates to ``inflated`` bytes (2 GiB by default)."""
    stream = _bomb_stream(inflated)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
        ]
    )


def self_referencing_pdf() -> bytes:
    """A PDF whose page contents object is a reference to itself (``4 0 obj 4 0 R``)."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"4 0 R",
        ]
    )


def zip_bomb_docx(inflated: int = 4 << 30) -> bytes:
    """A .docx whose document part declares (and would inflate to) ``inflated`` bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as part:
            chunk = b" " * (1 << 24)
            for _ in range(inflated // len(chunk)):
                part.write(chunk)
    return buf.getvalue()


def damaged_utf8(text: str = REPORT_TEXT * 4, every: int = 23) -> bytes:
    """UTF-8 with a multi-byte character cut every ``every`` characters, as html2text does."""
    out = bytearray()
    for i, ch in enumerate(text):
        enc = ch.encode("utf-8")
        out += enc[:-1] if len(enc) > 1 and i % every == every - 1 else enc
    return bytes(out)


def zeros_zlib(size: int) -> bytes:
    """A zlib stream of ``size`` zero bytes (a whole number of MiB), built in milliseconds.

    One MiB of zeros is compressed once with a full flush; the flushed segment only
    refers back to zeros, so repeating it is valid deflate data, and the Adler-32 of
    zeros has a closed form.
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * MIB
    first = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    repeat = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    final = comp.flush()
    adler = ((size % 65521) << 16) | 1
    raw = first + repeat * (size // MIB - 1) + final
    return b"\x78\xda" + raw + adler.to_bytes(4, "big")


def docx_bomb(paragraphs: int = 8_000_000) -> bytes:
    """A DOCX of ``paragraphs`` empty paragraphs: 48 MB of XML by default, a GB once parsed."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>"
    )
    per_chunk = 1 << 16
    xml_chunk = b"<w:p/>" * per_chunk
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(head)
            for _ in range(paragraphs // per_chunk):
                f.write(xml_chunk)
            f.write(b"</w:body></w:document>")
    return buf.getvalue()


def pdf_bomb(inflated: int = 2048 * MIB) -> bytes:
    """A one-page PDF whose Flate content stream inflates to ``inflated`` zero bytes."""
    stream = zeros_zlib(inflated)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>",
        b"<</Length %d/Filter/FlateDecode>>stream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj " % i + obj + b" endobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer <</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def digits_report(digits: int) -> bytes:
    """The good example report with one requests cell replaced by ``digits`` nines."""
    text = GOOD.read_text(encoding="utf-8")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("一、本年新收政府信息公开申请数量"):
            lines[i] = re.sub(r"\t0\t", "\t" + "9" * digits + "\t", line, count=1)
            break
    else:  # pragma: no cover - the example changed
        raise AssertionError("the example has no new-requests row")
    return "\n".join(lines).encode("utf-8")


def encrypted_pdf(password: str = "secret") -> bytes:
    """A PDF of the report's text that needs a user password to open."""
    return report_pdf(user_password=password)


BUILDERS: dict[str, Callable[[], bytes]] = {
    "nested.html": nested_html,
    "selfref.pdf": self_referencing_pdf,
    "bomb.docx": docx_bomb,
    "bomb.pdf": pdf_bomb,
    "digits309.txt": lambda: digits_report(309),
    "digits4301.txt": lambda: digits_report(4301),
    "encrypted.pdf": encrypted_pdf,
}
"""The hostile files of the batch test, each followed there by a good report."""


def write_all(directory: Path) -> dict[str, Path]:
    """Write every hostile file to ``directory``; returns name → path, in BUILDERS order."""
    directory.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, build in BUILDERS.items():
        path = directory / name
        path.write_bytes(build())
        out[name] = path
    return out


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")).values():
        print(p, p.stat().st_size)
