"""Hostile input files, built here (never downloaded), for the batch and limit tests.

Each builder returns the bytes of one file that once took a whole batch down:

* ``nested.html``: HTML nested 1,000 ``<div>`` deep (a recursive walk raises
  RecursionError);
* ``selfref.pdf``: a 200-byte PDF whose content object refers to itself
  (``4 0 obj 4 0 R endobj``; pdfminer loops forever);
* ``bomb.docx``: a small DOCX whose ``word/document.xml`` inflates to millions of
  empty paragraphs;
* ``bomb.pdf``: a 2 MB PDF whose Flate content stream inflates to 2 GiB of zeros;
* ``digits309.txt`` / ``digits4301.txt``: a real report with one cell of 309 or
  4,301 digits (OverflowError as a float; past Python's 4,300-digit limit, ValueError);
* ``encrypted.pdf``: a PDF encrypted with a user password.

Run ``python tests/hostile.py DIR`` to write them all to DIR (e.g. to try the CLI).
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


def nested_html(depth: int = 1000) -> bytes:
    """HTML nested ``depth`` divs deep around one word."""
    return ("<html><body>" + "<div>" * depth + "x" + "</div>" * depth + "</body></html>").encode()


def selfref_pdf() -> bytes:
    """A page whose content stream is an object that refers to itself."""
    return (
        b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
        b"3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>> endobj\n"
        b"4 0 obj 4 0 R endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
    )


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
    """A one-page PDF with a line of text, encrypted with a user password."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=password)
    c.drawString(72, 720, "2019 annual report")
    c.showPage()
    c.save()
    return buf.getvalue()


BUILDERS: dict[str, Callable[[], bytes]] = {
    "nested.html": nested_html,
    "selfref.pdf": selfref_pdf,
    "bomb.docx": docx_bomb,
    "bomb.pdf": pdf_bomb,
    "digits309.txt": lambda: digits_report(309),
    "digits4301.txt": lambda: digits_report(4301),
    "encrypted.pdf": encrypted_pdf,
}


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
