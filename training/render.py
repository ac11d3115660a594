"""Render report pages with the real tools: training and evaluation data that carry their quirks.

GROBID's principle: train and evaluate on inputs with the real upstream errors.  Each page is
drawn from its seed (template, agency, values that obey the identities, blank cells, amounts
with units, label variants of ``giextract/data/label_variants.yaml``, traditional characters
sometimes, Word-style ``<p>`` cells or bare cells, CSS table widths and font sizes that make
labels wrap); the tables are built with the page builder of :mod:`training.web_fixtures`
(rowspan and colspan).  Every page is then rendered by the tools people use:

* files: the HTML itself, a DOCX from LibreOffice (html → docx, its tables then made as
  Word files have them: fitted to the page, cell text not indented; :func:`word_like_docx`),
  PDFs from Chromium's print-to-PDF (html) and from LibreOffice (docx → pdf);
* PDF to text, for both PDFs: ``pdftotext -layout``, ``pdftotext -raw``, pdfplumber
  ``extract_text``, pypdfium2 text;
* PDF to Markdown, for both PDFs: pymupdf4llm and markitdown (:mod:`training.pdf_to_markdown`,
  run by the Python of ``$GIEXTRACT_MD_PYTHON``: their own environment);
* HTML to text: ``w3m -dump``, ``lynx -dump``, ``pandoc -t plain|markdown|gfm``, the
  ``html2text`` Python module, Debian's ``/usr/bin/html2text`` program (its output bytes are
  kept as they are: it cuts multi-byte characters) and the browser's ``innerText``.

Output: ``corpus/renders/`` (see its README).  The one command that rebuilds it::

    GIEXTRACT_MD_PYTHON=.venv-md/bin/python nice -n 10 python training/render.py --pages 60

``--only pymupdf4llm.md,markitdown.md`` remakes just those PDF renders of the pages already
drawn (their PDFs as committed).  The tools are needed here only, never to extract or to
run the tests.
"""

from __future__ import annotations

import argparse
import functools
import html as htmllib
import itertools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from giextract.catalogue import load_template
from giextract.training import generate
from giextract.training import web_fixtures as wf
from giextract.training.renders import TABLE_HEADERS, TOOLS, UNSEEN_TOOLS, is_held_out

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "corpus" / "renders"

# ---------------------------------------------------------------- one page


@dataclass
class Page:
    """One drawn page: its HTML, gold and the known texts of each line role (for alignment)."""

    page_id: str
    template: str
    html: str
    gold: dict[str, int | float | None]
    options: dict[str, Any]
    known: dict[str, list[str]] = field(default_factory=dict)
    furniture: dict[str, Any] = field(default_factory=dict)


#: Page-number footers of real reports (``{n}`` this page, ``{total}`` the page count).
FOOTER_STYLES: tuple[str, ...] = ("— {n} —", "- {n} -", "第 {n} 页 共 {total} 页", "{n}/{total}")


def draw_furniture(seed: int, agency: str, year: int) -> dict[str, Any]:
    """The page's furniture, from its own RNG stream (the other options stay as they were).

    Half the pages get a DOCX footer with a page-number field (:data:`FOOTER_STYLES`), some
    of them a running header too; a share of those are printed by Chromium with its own
    header and footer (date, page title, URL, ``1/3``).  The other half carry none.
    """
    rng = random.Random(f"furniture:{seed}")
    if rng.random() >= 0.5:
        return {"furniture": False}
    header = rng.choice(
        (None, None, f"{year}年政府信息公开工作年度报告", f"{agency}政府信息公开工作年度报告")
    )
    return {
        "furniture": True,
        "footer": rng.choice(FOOTER_STYLES),
        "running_header": header,
        "chromium_header_footer": rng.random() < 0.6,
    }


def _options(rng: random.Random, template: str) -> dict[str, Any]:
    """The generator's noise options, plus the page's own (cell style, widths, blanks)."""
    o = generate.draw_options(rng, template, "html")
    o["activity"] = rng.choice(("light", "light", "heavy", "heavy", "zero"))
    o["error"] = False
    o["fullwidth"] = "none"
    o["spaced_labels"] = False
    o["cell_p"] = rng.random() < 0.5
    o["table_width"] = rng.choice(("600px", "560px", "640px", "100%", "480px"))
    o["font_px"] = rng.choice((12, 13, 14, 15, 16))
    o["label_width"] = rng.choice((None, 60, 90, 140))
    o["blank_share"] = rng.choice((0.0, 0.0, 0.05, 0.2))
    o["blank_text"] = rng.choice(("", "", "\xa0", "/", "—"))
    o["chrome"] = rng.random() < 0.6
    return o


def _labelled_fields(rng: random.Random, template: str, o: dict[str, Any]) -> list[dict[str, str]]:
    """The template's fields with this page's wording of row and column labels."""
    lab = generate.Labeller(rng, o)
    fields = [dict(f) for f in wf.load_fields(template)]
    rows: dict[str, str] = {}
    cols: dict[str, str] = {}
    for f in fields:
        if f["table"] == "appeals":
            continue
        if f["row_label"] not in rows:
            rows[f["row_label"]] = lab.row(f["row_label"])
        if f["table"] == "active" and f["col_label"] not in cols:
            cols[f["col_label"]] = lab.col(f["col_label"])
        f["row_label"] = rows[f["row_label"]]
        if f["table"] == "active":
            f["col_label"] = cols[f["col_label"]]
    return fields


def _printed(
    rng: random.Random, template: str, gold: dict[str, Any], o: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, int | float | None]]:
    """Printed cell texts and the gold: some zero cells left blank (gold ``None``)."""
    tpl = load_template(template)
    printed: dict[str, Any] = {}
    final: dict[str, int | float | None] = {}
    for f in tpl.fields:
        v = gold[f.id]
        if v == 0 and rng.random() < o["blank_share"]:
            printed[f.id] = o["blank_text"]
            final[f.id] = None
        else:
            printed[f.id] = generate._format(rng, o, f.type, v)
            final[f.id] = v
    return printed, final


def _style(o: dict[str, Any]) -> str:
    label = f"td:first-child{{width:{o['label_width']}px}}" if o["label_width"] else ""
    return (
        "<style>*{font-family:'WenQuanYi Zen Hei';font-weight:normal !important}"
        f"body{{font-size:{o['font_px']}px;margin:24px}}"
        f"td{{padding:2px 4px}}{label}</style>"
    )


def draw_page(page_id: str, seed: int) -> Page:
    """Draw one page from its seed: options, values, wording, HTML and known texts."""
    rng = random.Random(seed)
    template = rng.choice(generate.TEMPLATES)
    o = _options(rng, template)
    tpl = load_template(template)
    year = rng.choice((2019, 2020)) if template == "2019" else rng.choice((2021, 2022, 2023, 2024))
    agency = generate.make_agency(rng)
    gold = generate.draw_gold(rng, tpl, o)
    printed, gold = _printed(rng, template, gold, o)
    fields = _labelled_fields(rng, template, o)
    wf.CELL_STYLE["p"] = o["cell_p"]
    tables = {
        "active": wf.active_table(fields, printed),
        "requests": wf.requests_table(fields, printed),
        "appeals": wf.appeals_table(printed),
    }
    tables = {k: v.replace("width:600px", f"width:{o['table_width']}") for k, v in tables.items()}
    known = _known(fields, agency, year)
    body = _body(rng, o, agency, year, tables, known)
    head = f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{known["title"][0]}</title>'
    page_html = head + _style(o) + "</head><body>\n" + body + "\n</body></html>\n"
    if o["traditional"]:
        page_html = str(generate._s2t().convert(page_html))
    opts = {k: v for k, v in o.items() if isinstance(v, (str, int, float, bool, type(None)))}
    furniture = draw_furniture(seed, agency, year)
    if furniture.get("running_header"):
        known["noise"].append(furniture["running_header"])
    opts.update({f"page_{k}" if k != "furniture" else k: v for k, v in furniture.items()})
    return Page(page_id, template, page_html, gold, opts, known, furniture)


def _known(fields: list[dict[str, str]], agency: str, year: int) -> dict[str, list[str]]:
    """The texts of each line role that the tables hold (title and prose are added later)."""
    groups = {f["group"] for f in fields if f["table"] != "appeals" and f["group"]}
    groups.add("三、本年度办理结果")
    rows = {f["row_label"] for f in fields if f["table"] != "appeals"}
    heads = {f["col_label"] for f in fields if f["table"] == "active"} | set(TABLE_HEADERS)
    return {
        "title": [f"{agency}{year}年政府信息公开工作年度报告"],
        "group": sorted(groups - rows),
        "row_label": sorted(rows),
        "header": sorted(heads),
        "table_title": [],
        "heading": [],
        "prose": [],
        "noise": [],
    }


def _body(
    rng: random.Random,
    o: dict[str, Any],
    agency: str,
    year: int,
    tables: dict[str, str],
    known: dict[str, list[str]],
) -> str:
    """The page around the tables: web chrome, title, prose sections, signature."""
    we = generate._we(agency)
    title = known["title"][0]
    parts: list[str] = []
    if o["chrome"]:
        nav = rng.choice(
            ("首页 > 政务公开 > 政府信息公开年报", "当前位置：首页 > 信息公开 > 年度报告")
        )
        date = f"来源：{agency} 发布日期：{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"
        parts += [f'<div class="nav">{htmllib.escape(nav)}</div>', f"<div>{date}</div>"]
        known["noise"] += [nav, date]
    parts.append(f'<h1 style="text-align:center">{title}</h1>')
    intro = (
        f"本报告根据《中华人民共和国政府信息公开条例》要求，由{agency}编制。全文包括总体情况、"
        "主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
        f"存在的主要问题及改进情况、其他需要报告的事项。本报告中所列数据的统计期限自{year}年1月1日起"
        f"至{year}年12月31日止。"
    )
    overview = (
        f"{year}年，{we}认真贯彻落实政府信息公开工作要求，"
        "进一步推进决策、执行、管理、服务、结果公开。"
    )
    closing = f"{year + 1}年，{we}将进一步加强政府信息公开工作培训，提高公开质量。"
    other = rng.choice(("本年度未收取信息处理费。", "无。", f"{year}年度{we}未收取信息处理费。"))
    date = f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日"
    numbered = o["table_numbering"]
    titles = {
        "active": "二、主动公开政府信息情况" if numbered else "主动公开政府信息情况",
        "requests": "三、收到和处理政府信息公开申请情况"
        if numbered
        else "收到和处理政府信息公开申请情况",
        "appeals": "四、政府信息公开行政复议、行政诉讼情况"
        if numbered
        else "政府信息公开行政复议、行政诉讼情况",
    }
    heads = ["一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    known["prose"] += [intro, overview, closing, other, agency, date]
    known["heading"] += heads
    known["table_title"] += list(titles.values())
    parts += [
        f"<p>{intro}</p>",
        f"<p><strong>{heads[0]}</strong></p>",
        f"<p>{overview}</p>",
    ]
    for key in ("active", "requests", "appeals"):
        parts += [f"<p><strong>{titles[key]}</strong></p>", tables[key]]
    parts += [
        f"<p><strong>{heads[1]}</strong></p>",
        f"<p>{closing}</p>",
        f"<p><strong>{heads[2]}</strong></p>",
        f"<p>{other}</p>",
        f'<p style="text-align:right">{agency}</p>',
        f'<p style="text-align:right">{date}</p>',
    ]
    return "\n".join(parts)


# ---------------------------------------------------------------- the tools


def _run(cmd: Sequence[str], data: bytes = b"", timeout: int = 120) -> bytes:
    return subprocess.run(
        list(cmd), input=data, capture_output=True, check=True, timeout=timeout
    ).stdout


def _chromium(*args: str) -> bytes:
    """Run headless Chromium with a fresh profile (removed afterwards); its stdout."""
    profile = tempfile.mkdtemp(prefix="giextract-chromium-")
    try:
        return _run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                *args,
            ]
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


_INNER_TEXT_SCRIPT = (
    "<script>window.addEventListener('load',function(){var t=document.body.innerText;"
    "var p=document.createElement('pre');p.id='giextract-innertext';p.textContent=t;"
    "document.body.innerHTML='';document.body.appendChild(p);});</script>"
)
_INNER_TEXT = re.compile(r'<pre id="giextract-innertext">(.*?)</pre>', re.S)


def chromium_pdf(html_path: Path, pdf_path: Path, header_footer: bool = False) -> None:
    """Chromium's print-to-PDF of a page; with ``header_footer``, Chromium's own print header
    (date, page title) and footer (URL, ``page/pages``) on every page."""
    raw = pdf_path.with_suffix(".raw.pdf")
    flags = () if header_footer else ("--no-pdf-header-footer",)
    _chromium(*flags, f"--print-to-pdf={raw}", html_path.as_uri())
    # Lossless: Chromium compresses streams weakly; qpdf recompresses them (a third the size).
    qpdf = ["qpdf", "--object-streams=generate", "--compression-level=9", "--recompress-flate"]
    _run([*qpdf, str(raw), str(pdf_path)])
    raw.unlink()


def inner_text(html_path: Path) -> str:
    """The page's ``document.body.innerText`` in headless Chromium."""
    probe = html_path.with_suffix(".innertext.html")
    probe.write_text(
        html_path.read_text("utf-8").replace("</body>", _INNER_TEXT_SCRIPT + "</body>"), "utf-8"
    )
    try:
        dom = _chromium("--dump-dom", probe.as_uri()).decode("utf-8")
    finally:
        probe.unlink()
    m = _INNER_TEXT.search(dom)
    if m is None:
        raise RuntimeError(f"no innerText in Chromium's DOM of {html_path}")
    return htmllib.unescape(m.group(1))


def libreoffice(files: Sequence[Path], target: str, outdir: Path) -> None:
    """Convert files with LibreOffice headless (one process for the batch)."""
    profile = Path(tempfile.mkdtemp(prefix="giextract-lo-"))
    try:
        _run(
            [
                "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            timeout=900,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def pdfplumber_text(pdf: Path) -> str:
    """pdfplumber's ``extract_text`` of every page, pages joined by newlines."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages) + "\n"


def pypdfium2_text(pdf: Path) -> str:
    """pypdfium2's text of every page (``get_text_range``), pages joined by newlines."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))) + "\n"
    finally:
        doc.close()


def html_dumps() -> dict[str, Callable[[bytes], bytes]]:
    """HTML → text tools: output file name -> function of the page's bytes."""
    w3m = ["w3m", "-dump", "-cols", "100", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8"]
    lynx = ["lynx", "-dump", "-nolist", "-width", "100", "-display_charset=utf-8"]
    lynx += ["-assume_charset=utf-8", "-stdin"]

    def py_html2text(data: bytes) -> bytes:
        import html2text

        return str(html2text.html2text(data.decode("utf-8"))).encode("utf-8")

    tools: dict[str, Callable[[bytes], bytes]] = {
        "w3m.txt": lambda d: _run(w3m, d),
        "lynx.txt": lambda d: _run(lynx, d),
        "html2text-py.txt": py_html2text,
        "html2text-deb.txt": lambda d: _run(["/usr/bin/html2text", "-utf8"], d),
    }
    for fmt in ("plain", "markdown", "gfm"):
        tools[f"pandoc-{fmt}.txt"] = functools.partial(_pandoc, fmt)
    return tools


def _pandoc(fmt: str, data: bytes) -> bytes:
    return _run(["pandoc", "-f", "html", "-t", fmt], data)


def pdf_texts(pdf: Path) -> dict[str, Callable[[], bytes]]:
    """PDF → text tools on one PDF: suffix -> how to make its output bytes."""
    return {
        "pdftotext-layout.txt": lambda: _run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"]
        ),
        "pdftotext-raw.txt": lambda: _run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"]),
        "pdfplumber.txt": lambda: pdfplumber_text(pdf).encode("utf-8"),
        "pypdfium2.txt": lambda: pypdfium2_text(pdf).encode("utf-8"),
        "pymupdf4llm.md": lambda: pdf_markdown("pymupdf4llm", pdf),
        "markitdown.md": lambda: pdf_markdown("markitdown", pdf),
    }


MARKDOWN_PYTHON = os.environ.get("GIEXTRACT_MD_PYTHON", sys.executable)
"""The Python that runs :mod:`training.pdf_to_markdown` (an environment with the converters)."""


def pdf_markdown(tool: str, pdf: Path) -> bytes:
    """``tool``'s Markdown of ``pdf`` (:mod:`training.pdf_to_markdown`), UTF-8 bytes."""
    script = Path(__file__).resolve().parent / "pdf_to_markdown.py"
    return _run([MARKDOWN_PYTHON, str(script), tool, str(pdf)], timeout=600)


def tool_versions() -> dict[str, str]:
    """The version line of every tool used (for the README and the manifest)."""

    def first(cmd: Sequence[str]) -> str:
        try:
            out = subprocess.run(list(cmd), capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return "unavailable"
        text = (out.stdout or out.stderr).decode("utf-8", "replace").strip()
        return text.splitlines()[0] if text else "unknown"

    import html2text
    import pdfplumber
    import pypdfium2

    return {
        "chromium": first(["chromium", "--version"]),
        "libreoffice": first(["soffice", "--version"]),
        "pdftotext": first(["pdftotext", "-v"]),
        "w3m": first(["w3m", "-version"]),
        "lynx": first(["lynx", "-version"]),
        "pandoc": first(["pandoc", "--version"]),
        "html2text (Debian)": first(["dpkg-query", "-W", "-f=${Version}", "html2text"]),
        "html2text (Python)": ".".join(map(str, html2text.__version__)),
        "pdfplumber": pdfplumber.__version__,
        "pypdfium2": f"{pypdfium2.version.PYPDFIUM_INFO} (pdfium {pypdfium2.version.PDFIUM_INFO})",
        "pymupdf4llm, markitdown": first([MARKDOWN_PYTHON, "-c", _MD_VERSIONS]),
        "pypdf": first([MARKDOWN_PYTHON, "-c", _PYPDF_VERSION]),
        "pymupdf (plain text)": first([MARKDOWN_PYTHON, "-c", _PYMUPDF_VERSION]),
        "pdfminer.six (pdf2txt.py)": _pdfminer_version(),
    }


_PYPDF_VERSION = "from importlib.metadata import version as v; print('pypdf', v('pypdf'))"
_PYMUPDF_VERSION = "from importlib.metadata import version as v; print('pymupdf', v('pymupdf'))"


def _pdfminer_version() -> str:
    from importlib.metadata import version

    return version("pdfminer.six")


_MD_VERSIONS = (
    "from importlib.metadata import version as v; "
    "print('pymupdf4llm', v('pymupdf4llm'), 'pymupdf', v('pymupdf'), "
    "'markitdown', v('markitdown'), 'pdfminer.six', v('pdfminer.six'))"
)


# ---------------------------------------------------------------- the corpus


def page_seed(index: int, base: int) -> int:
    """The seed of page ``index`` of a corpus drawn with ``base``."""
    return base * 100_003 + index


def write_page(page: Page, out: Path) -> Path:
    """Write a page's HTML, gold and known texts, and every render, under ``out/<page_id>/``."""
    d = out / page.page_id
    d.mkdir(parents=True, exist_ok=True)
    html_path = d / "page.html"
    html_path.write_text(page.html, encoding="utf-8")
    gold = {
        "page": page.page_id,
        "template": page.template,
        "split": "held_out" if is_held_out(page.page_id) else "train",
        "options": page.options,
        "fields": page.gold,
    }
    (d / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", "utf-8")
    (d / "known.json").write_text(
        json.dumps(page.known, ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    data = page.html.encode("utf-8")
    for name, tool in html_dumps().items():
        (d / name).write_bytes(tool(data))
    (d / "innertext.txt").write_text(inner_text(html_path), encoding="utf-8")
    chromium_pdf(html_path, d / "chromium.pdf", page.furniture.get("chromium_header_footer", False))
    return d


_TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_ROW = re.compile(r"<w:tr[ >].*?</w:tr>", re.S)
_CELL = re.compile(r"<w:tc>.*?</w:tc>", re.S)
_GRID_COL = re.compile(r'<w:gridCol w:w="(\d+)"/>')
_TCW = re.compile(r'<w:tcW w:w="\d+" w:type="dxa"/>')
_TBLW = re.compile(r'<w:tblW w:w="\d+" w:type="dxa"/>')
_SPAN = re.compile(r'<w:gridSpan w:val="(\d+)"/>')
_GRID_BEFORE = re.compile(r'<w:gridBefore w:val="(\d+)"/>')


def _attr(tag: str, name: str) -> int:
    m = re.search(rf'w:{name}="(\d+)"', tag)
    if m is None:
        raise ValueError(f"no w:{name} in {tag}")
    return int(m.group(1))


def text_width(document_xml: str) -> int:
    """The text area's width in twips: the body section's page width less its side margins."""
    sect = document_xml[document_xml.rindex("<w:sectPr") :]
    size = re.search(r"<w:pgSz [^>]*>", sect)
    margins = re.search(r"<w:pgMar [^>]*>", sect)
    if size is None or margins is None:
        raise ValueError("no page size or margins in the body's section")
    return (
        _attr(size.group(0), "w")
        - _attr(margins.group(0), "left")
        - _attr(margins.group(0), "right")
    )


def _fit_table(tbl: str, width: int) -> str:
    """One ``<w:tbl>`` scaled to ``width`` twips if wider (grid, cell and table widths)."""
    if "<w:tbl>" in tbl[1:]:
        raise ValueError("nested tables are not supported")
    edges = list(itertools.accumulate((int(w) for w in _GRID_COL.findall(tbl)), initial=0))
    total = edges[-1]
    if total <= width:
        return tbl
    edges = [round(e * width / total) for e in edges]  # column boundaries, scaled
    grid = iter(b - a for a, b in itertools.pairwise(edges))
    tbl = _GRID_COL.sub(lambda _: f'<w:gridCol w:w="{next(grid)}"/>', tbl)

    def row(m: re.Match[str]) -> str:
        before = _GRID_BEFORE.search(m.group(0))
        pos = int(before.group(1)) if before else 0

        def cell(c: re.Match[str]) -> str:
            nonlocal pos
            span = _SPAN.search(c.group(0))
            end = pos + (int(span.group(1)) if span else 1)
            w = edges[end] - edges[pos]
            pos = end
            return _TCW.sub(f'<w:tcW w:w="{w}" w:type="dxa"/>', c.group(0), count=1)

        return _CELL.sub(cell, m.group(0))

    tbl = _ROW.sub(row, tbl)
    return _TBLW.sub(f'<w:tblW w:w="{width}" w:type="dxa"/>', tbl, count=1)


def fit_tables(document_xml: str) -> str:
    """Every table wider than the text area scaled down to it, column widths in proportion.

    LibreOffice's HTML import sizes a table's columns by their content: the requests
    table of a 640px page comes out ``<w:tblW w:w="12434" w:type="dxa"/>`` on a page whose
    text area is 10205 twips wide, and its PDF drops the last columns (其他组织, 总计) off
    the right edge.  Agency Word files fit their tables on the page; so does this: the grid
    (``<w:gridCol>``), every cell's ``<w:tcW>`` (the sum of the columns it spans) and the
    table's ``<w:tblW>`` are scaled by ``text width / table width``.  The layout stays
    fixed, so the narrower columns wrap their labels more, as the real ones do.
    """
    width = text_width(document_xml)
    return _TABLE.sub(lambda m: _fit_table(m.group(0), width), document_xml)


_TABLE_CONTENTS = re.compile(
    r'<w:style w:type="paragraph" w:styleId="TableContents">(?:(?!</w:style>).)*?<w:pPr>'
    r"(.*?)</w:pPr>",
    re.S,
)


def unindent_cells(styles_xml: str) -> str:
    """The table cell style (``TableContents``) without the page's indentation.

    LibreOffice carries the HTML body's margin (``body{margin:24px}``) into the ``Normal``
    style as ``<w:ind w:left="360" w:right="360"/>``, and cell paragraphs inherit it
    (``TableContents`` ← ``TextBody`` ← ``Normal``): 36 pt of a 34-pt column, so every
    digit of ``12`` goes on its own line.  Word files do not indent cell text by the page
    margin: the cell style gets ``<w:ind w:left="0" w:right="0" w:hanging="0"/>``.
    """
    m = _TABLE_CONTENTS.search(styles_xml)
    if m is None or "<w:ind " in m.group(1):
        return styles_xml
    ind = '<w:ind w:left="0" w:right="0" w:hanging="0"/>'
    return styles_xml[: m.end(1)] + ind + styles_xml[m.end(1) :]


#: The parts of a LibreOffice DOCX made to look like an agency's Word file.
_WORD_LIKE: dict[str, Callable[[str], str]] = {
    "word/document.xml": fit_tables,
    "word/styles.xml": unindent_cells,
}


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_FIELD = re.compile(r"\{(n|total)\}")
_PART_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"


def _run_xml(text: str) -> str:
    font = '<w:rPr><w:rFonts w:ascii="WenQuanYi Zen Hei" w:hAnsi="WenQuanYi Zen Hei" '
    font += 'w:eastAsia="WenQuanYi Zen Hei"/><w:sz w:val="18"/></w:rPr>'
    return f'<w:r>{font}<w:t xml:space="preserve">{htmllib.escape(text)}</w:t></w:r>'


def _field_xml(name: str) -> str:
    """A Word field (``PAGE``, ``NUMPAGES``) as Word writes it: begin, code, result, end."""
    fld = '<w:r><w:fldChar w:fldCharType="{}"/></w:r>'
    return (
        fld.format("begin")
        + f'<w:r><w:instrText xml:space="preserve"> {name} </w:instrText></w:r>'
        + fld.format("separate")
        + _run_xml("1")
        + fld.format("end")
    )


def furniture_part(kind: str, text: str) -> str:
    """A header or footer part (``hdr``/``ftr``): one centred line; ``{n}`` and ``{total}``
    become ``PAGE`` and ``NUMPAGES`` fields (``第 {n} 页 共 {total} 页``)."""
    runs = []
    for i, piece in enumerate(_FIELD.split(text)):
        if i % 2:
            runs.append(_field_xml("PAGE" if piece == "n" else "NUMPAGES"))
        elif piece:
            runs.append(_run_xml(piece))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:{kind} xmlns:w="{_W_NS}" xmlns:r="{_REL_NS}"><w:p><w:pPr><w:jc w:val="center"/>'
        f"</w:pPr>{''.join(runs)}</w:p></w:{kind}>"
    )


def add_furniture(parts: dict[str, str], footer: str, header: str | None) -> dict[str, str]:
    """A DOCX's text parts with a page-number footer (and a running header) on every page.

    LibreOffice's HTML import has no page header or footer; agency Word files do.  Adds
    ``word/footer1.xml`` (``word/header1.xml``), their relationships and content types,
    references them from the body's section and makes room for them in the margins.
    """
    out = dict(parts)
    new = {"ftr": ("footer", footer)} | ({"hdr": ("header", header)} if header else {})
    refs, rels, types = "", "", ""
    for kind, (name, text) in new.items():
        out[f"word/{name}1.xml"] = furniture_part(kind, text)
        rid = f"rIdGiextract{name.title()}"
        refs += f'<w:{name}Reference w:type="default" r:id="{rid}"/>'
        rels += f'<Relationship Id="{rid}" Type="{_REL_NS}/{name}" Target="{name}1.xml"/>'
        types += f'<Override PartName="/word/{name}1.xml" ContentType="{_PART_TYPE.format(name)}"/>'
    doc = out["word/document.xml"]
    at = doc.rindex("<w:sectPr>") + len("<w:sectPr>")
    doc = doc[:at] + refs + doc[at:]
    i = doc.rindex("<w:pgMar ")
    j = doc.index(">", i)
    out["word/document.xml"] = doc[:i] + furniture_margins(doc[i:j]) + doc[j:]
    rels_xml = out["word/_rels/document.xml.rels"]
    out["word/_rels/document.xml.rels"] = rels_xml.replace(
        "</Relationships>", rels + "</Relationships>"
    )
    out["[Content_Types].xml"] = out["[Content_Types].xml"].replace("</Types>", types + "</Types>")
    return out


#: Page margins (twips) that leave room for a header and a footer, as Word's defaults do.
_FURNITURE_MARGINS = {"header": 567, "footer": 567, "top": 1418, "bottom": 1418}


def furniture_margins(pg_mar: str) -> str:
    """A ``<w:pgMar …/`` tag (without its ``>``) with the header and footer distances and
    the top and bottom margins of :data:`_FURNITURE_MARGINS` (LibreOffice writes 0 and 567)."""
    tag = pg_mar.rstrip("/").rstrip()
    for name, twips in _FURNITURE_MARGINS.items():
        attr = f'w:{name}="{twips}"'
        tag, n = re.subn(rf'w:{name}="\d+"', attr, tag)
        if not n:
            tag += f" {attr}"
    return tag + "/"


def word_like_docx(docx: Path, furniture: dict[str, Any] | None = None) -> None:
    """Rewrite a LibreOffice DOCX's tables as Word files have them: :func:`fit_tables` and
    :func:`unindent_cells`, and with page ``furniture`` its footer and running header
    (:func:`add_furniture`); every other part of the archive (and every entry's date and
    compression) is kept as it was."""
    with zipfile.ZipFile(docx) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    texts = {
        info.filename: data.decode("utf-8")
        for info, data in entries
        if info.filename in _WORD_LIKE or info.filename.endswith((".rels", ".xml"))
    }
    texts |= {name: fix(texts[name]) for name, fix in _WORD_LIKE.items() if name in texts}
    if furniture and furniture.get("furniture"):
        texts = add_furniture(texts, furniture["footer"], furniture.get("running_header"))
    with zipfile.ZipFile(docx, "w") as z:
        done = set()
        for info, data in entries:
            text = texts.get(info.filename)
            z.writestr(info, text.encode("utf-8") if text is not None else data)
            done.add(info.filename)
        for name in sorted(set(texts) - done):
            z.writestr(
                zipfile.ZipInfo(name, entries[0][0].date_time),
                texts[name].encode("utf-8"),
                zipfile.ZIP_DEFLATED,
            )


def finish_pdfs(d: Path, furniture: dict[str, Any] | None = None) -> None:
    """LibreOffice's DOCX of the page (its tables made Word-like, with the page's furniture:
    :func:`word_like_docx`) and PDF of that DOCX, then the PDF text dumps."""
    libreoffice([d / "page.html"], "docx:MS Word 2007 XML", d)
    word_like_docx(d / "page.docx", furniture)
    with tempfile.TemporaryDirectory() as tmp:
        libreoffice([d / "page.docx"], "pdf", Path(tmp))
        shutil.move(Path(tmp) / "page.pdf", d / "lo.pdf")
    write_pdf_texts(d)


def unseen_texts(d: Path) -> dict[str, Callable[[], bytes]]:
    """The renders of one page by tools no training run sees (file name -> how to make
    its bytes; :data:`giextract.training.renders.UNSEEN_TOOLS`), from its committed PDFs
    and DOCX: ``pdftotext`` in its default mode, PyMuPDF's ``page.get_text()`` and pypdf's
    ``extract_text`` plain and with ``extraction_mode="layout"`` (run by
    :mod:`training.pdf_to_markdown`), pdfminer.six's ``pdf2txt.py``, and LibreOffice's DOCX
    → text."""
    pdf2txt = str(Path(sys.executable).parent / "pdf2txt.py")
    script = str(Path(__file__).resolve().parent / "pdf_to_markdown.py")
    out: dict[str, Callable[[], bytes]] = {}
    for name in ("chromium", "lo"):
        pdf = str(d / f"{name}.pdf")
        out[f"{name}.pdftotext-default.txt"] = functools.partial(
            _run, ["pdftotext", "-enc", "UTF-8", pdf, "-"]
        )
        for tool in ("pymupdf", "pypdf", "pypdf-layout"):
            out[f"{name}.{tool}.txt"] = functools.partial(
                _run, [MARKDOWN_PYTHON, script, tool, pdf], timeout=600
            )
        out[f"{name}.pdfminer.txt"] = functools.partial(_run, [pdf2txt, pdf], timeout=600)
    out["docx.lo-text.txt"] = functools.partial(_libreoffice_text, d / "page.docx")
    return out


def _libreoffice_text(docx: Path) -> bytes:
    """LibreOffice's plain text of a DOCX (``--convert-to txt``, UTF-8)."""
    with tempfile.TemporaryDirectory(prefix="giextract-lo-") as tmp:
        _run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "txt:Text (encoded):UTF8",
                "--outdir",
                tmp,
                str(docx),
            ],
            timeout=300,
        )
        return (Path(tmp) / f"{docx.stem}.txt").read_bytes()


def write_unseen_texts(d: Path) -> None:
    """A held-out page's renders by the tools no training run sees."""
    for name, make in unseen_texts(d).items():
        (d / name).write_bytes(make())


def write_pdf_texts(d: Path, only: Sequence[str] = ()) -> None:
    """The PDF text dumps of a page's two PDFs (``only`` these suffixes, if given)."""
    for pdf in ("chromium.pdf", "lo.pdf"):
        for suffix, make in pdf_texts(d / pdf).items():
            if not only or suffix in only:
                (d / f"{pdf.removesuffix('.pdf')}.{suffix}").write_bytes(make())


def build(n_pages: int, base_seed: int = 1, out: Path = OUT, start: int = 0) -> list[Path]:
    """Draw and render pages ``start`` … ``n_pages - 1``; write the manifest."""
    dirs = []
    for i in range(start, n_pages):
        page = draw_page(f"p{i:03d}", page_seed(i, base_seed))
        d = write_page(page, out / "pages")
        finish_pdfs(d, page.furniture)
        dirs.append(d)
    write_manifest(n_pages, base_seed, out)
    return dirs


def write_manifest(n_pages: int, base_seed: int, out: Path) -> None:
    """The renders' manifest: base seed, pages, held-out ids, tools and their versions."""
    manifest = {
        "base_seed": base_seed,
        "pages": n_pages,
        "held_out": sorted(p.name for p in (out / "pages").iterdir() if is_held_out(p.name)),
        "tools": TOOLS,
        "unseen_tools": UNSEEN_TOOLS,
        "versions": tool_versions(),
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8"
    )


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--start", type=int, default=0, help="first page index to (re)render")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--only",
        default="",
        help="comma-separated PDF render suffixes (pymupdf4llm.md,…) to remake on drawn pages",
    )
    ap.add_argument(
        "--unseen",
        action="store_true",
        help="only render the held-out pages already drawn by the tools no training run sees",
    )
    args = ap.parse_args(argv)
    if args.unseen:
        for i in range(args.start, args.pages):
            if is_held_out(f"p{i:03d}"):
                write_unseen_texts(args.out / "pages" / f"p{i:03d}")
        write_manifest(args.pages, args.seed, args.out)
        return
    if args.only:
        only = args.only.split(",")
        for i in range(args.start, args.pages):
            write_pdf_texts(args.out / "pages" / f"p{i:03d}", only)
        write_manifest(args.pages, args.seed, args.out)
        return
    for d in build(args.pages, args.seed, args.out, args.start):
        print(d.relative_to(ROOT) if d.is_relative_to(ROOT) else d)


if __name__ == "__main__":
    main()
