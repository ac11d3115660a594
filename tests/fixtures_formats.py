"""Builders of test reports in HTML, Word (.docx) and PDF, made from field values.

Each builder renders a whole annual report: a title ``<agency><year>年政府信息公开
工作年度报告``, some prose, the three tables with their titles, laid out like real
ones (group cells spanning rows, two-level headers), and a signature.  ``values``
maps field ids of the template to a number or ``None`` (a blank cell); missing ids
are blank too.  :func:`sample_values` makes a deterministic set of values.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

from giextract.catalogue import load_template

AGENCY = "柳州市测试局"
TITLES = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
}
Values = dict[str, "int | float | None"]


@dataclass
class Cell:
    """A cell as HTML writes it: its text and spans; covered positions are not cells."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class TableSpec:
    """A table: its rows of cells (HTML-style) and its width in grid columns."""

    kind: str
    ncols: int
    rows: list[list[Cell]] = field(default_factory=list)
    header_rows: int = 0

    def grid(self) -> list[list[Cell | None]]:
        """The table as a full grid: each cell at its top-left, ``None`` where covered."""
        grid: list[list[Cell | bool | None]] = [[False] * self.ncols for _ in self.rows]
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while grid[r][c] is not False:
                    c += 1
                for i in range(cell.rowspan):
                    for j in range(cell.colspan):
                        grid[r + i][c + j] = None
                grid[r][c] = cell
                c += cell.colspan
        return [[x if x is not False else None for x in row] for row in grid]  # type: ignore[misc]


def fmt_value(value: int | float | None) -> str:
    """How a value is written in a report cell (``""`` for blank)."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(int(value))


def sample_values(template: str, seed: int = 0, blank_every: int = 9) -> Values:
    """Deterministic values for every field of a template, some blank, some multi-digit."""
    rng = random.Random(seed)
    values: Values = {}
    for i, f in enumerate(load_template(template).fields):
        if blank_every and i % blank_every == blank_every - 1:
            values[f.id] = None
        elif f.type == "amount":
            values[f.id] = round(rng.uniform(1, 500), 2)
        else:
            values[f.id] = rng.choice([0, 0, 1, 3, 12, 26, 148])
    return values


# ---------------------------------------------------------------- tables


def active_table(template: str, values: Values) -> TableSpec:
    """The 主动公开 table: per group a group row, a header row and its rows, 4 columns."""
    t = TableSpec("active", 4)
    group = None
    for row in load_template(template).table_rows("active"):
        if row.group != group:
            group = row.group
            t.rows.append([Cell(group or "", colspan=4)])
            t.rows.append(_padded([Cell("信息内容")] + [Cell(f.col_label) for f in row.fields]))
        cells = [Cell(row.label)] + [Cell(fmt_value(values.get(f.id))) for f in row.fields]
        t.rows.append(_padded(cells))
    return t


def _padded(cells: list[Cell], width: int = 4) -> list[Cell]:
    used = sum(c.colspan for c in cells)
    cells[-1].colspan += width - used
    return cells


_APPLICANTS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")


def requests_table(template: str, values: Values) -> TableSpec:
    """The requests table: 3 label columns (group cells spanning rows) and 7 value columns."""
    t = TableSpec("requests", 10, header_rows=3)
    t.rows.append(
        [
            Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
            Cell("申请人情况", colspan=7),
        ]
    )
    t.rows.append([Cell("自然人", 2), Cell("法人或其他组织", colspan=5), Cell("总计", 2)])
    t.rows.append([Cell(x) for x in _APPLICANTS])
    rows = load_template(template).table_rows("requests")
    inner = [r for r in rows if r.key not in _OUTER]
    first_inner = True
    sub = None
    for row in rows:
        vals = [Cell(fmt_value(values.get(f.id))) for f in row.fields]
        if row.key in _OUTER:
            t.rows.append([Cell(row.label, colspan=3), *vals])
            continue
        cells: list[Cell] = []
        if first_inner:
            cells.append(Cell("三、本年度办理结果", rowspan=len(inner)))
            first_inner = False
        group = row.group if row.group and row.group.startswith("（") else None
        if group is None:
            cells.append(Cell(row.label, colspan=2))
        else:
            if group != sub:
                cells.append(Cell(group, rowspan=sum(1 for r in inner if r.group == group)))
            cells.append(Cell(row.label))
        sub = group
        t.rows.append(cells + vals)
    return t


_OUTER = ("requests.new_received", "requests.carried_over", "requests.carried_forward")


def appeals_table(template: str, values: Values) -> TableSpec:
    """The appeals table: 行政复议 | 行政诉讼 (未经复议直接起诉 | 复议后起诉), 15 values."""
    cols = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    t = TableSpec("appeals", 15, header_rows=3)
    t.rows.append([Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)])
    t.rows.append(
        [Cell(c, 2) for c in cols]
        + [Cell("未经复议直接起诉", colspan=5), Cell("复议后起诉", colspan=5)]
    )
    t.rows.append([Cell(c) for c in cols * 2])
    row = load_template(template).row("appeals")
    t.rows.append([Cell(fmt_value(values.get(f.id))) for f in row.fields])
    return t


# ---------------------------------------------------------------- report


@dataclass
class Block:
    """A piece of the report: ``title``, ``heading``, ``para`` or ``table``."""

    kind: str
    text: str = ""
    table: TableSpec | None = None


def report_blocks(
    template: str, values: Values, agency: str = AGENCY, year: int | None = None
) -> list[Block]:
    """The report as a list of blocks in reading order."""
    year = year or (2019 if template == "2019" else 2021)
    tables = {
        "active": active_table(template, values),
        "requests": requests_table(template, values),
        "appeals": appeals_table(template, values),
    }
    blocks = [
        Block("title", f"{agency}{year}年政府信息公开工作年度报告"),
        Block(
            "para",
            f"本报告根据《中华人民共和国政府信息公开条例》编制，由{agency}办公室"
            f"负责编写，所列数据统计期限自{year}年1月1日起至{year}年12月31日止。",
        ),
        Block("heading", "一、总体情况"),
        Block(
            "para",
            f"{year}年，{agency}认真贯彻落实政务公开工作要点，"
            "持续推进决策、执行、管理、服务、结果公开，不断提升政务公开质量。",
        ),
    ]
    for kind in ("active", "requests", "appeals"):
        blocks.append(Block("heading", TITLES[kind]))
        blocks.append(Block("table", table=tables[kind]))
    blocks += [
        Block("heading", "五、存在的主要问题及改进情况"),
        Block("para", "信息公开的及时性有待提高。下一步将加强培训，规范发布流程。"),
        Block("heading", "六、其他需要报告的事项"),
        Block("para", "本年度无其他需要报告的事项。"),
        Block("para", agency),
        Block("para", f"{year + 1}年1月20日"),
    ]
    return blocks


# ---------------------------------------------------------------- HTML


def _html_text(text: str, split_numbers: bool) -> str:
    if text == "":
        return "&nbsp;"
    if split_numbers and text.isdigit() and len(text) > 1:
        return "".join(f"<span>{ch}</span>" for ch in text)
    if split_numbers and text.isdigit():
        return f'<font face="宋体"><span style="font-size:12px">{text}</span></font>'
    return f"<p><span>{text}</span></p>" if len(text) > 8 else text


def _html_table(t: TableSpec, split_numbers: bool) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0"><tbody>']
    for row in t.rows:
        out.append("<tr>")
        for c in row:
            attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            )
            out.append(f"<td{attrs}>{_html_text(c.text, split_numbers)}</td>")
        out.append("</tr>\n")
    out.append("</tbody></table>")
    return "".join(out)


def build_html(
    template: str,
    values: Values,
    *,
    agency: str = AGENCY,
    year: int | None = None,
    encoding: str = "utf-8",
    meta_charset: str | None = "utf-8",
    chrome: bool = True,
    split_numbers: bool = True,
) -> bytes:
    """A government portal page holding the report, encoded with ``encoding``.

    ``meta_charset`` is what ``<meta charset>`` declares (``None``: no meta);
    ``chrome`` adds navigation, scripts and styles around the report.
    """
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={meta_charset}">'
        if meta_charset
        else ""
    )
    parts = [f"<!DOCTYPE html>\n<html><head>{meta}<title>{agency}</title>"]
    if chrome:
        parts.append(
            "<style>td { border: 1px solid #000; } .nav { color: red; }</style>"
            "<script>var menu = '首页 机构概况 2020年';</script>"
        )
    parts.append("</head><body>\n")
    if chrome:
        parts.append(
            '<nav class="nav"><ul><li><a href="/">首页</a></li>'
            '<li><a href="/gk">政府信息公开</a></li></ul></nav>\n'
            '<div class="breadcrumb">当前位置：首页 &gt; 年度报告</div>\n'
        )
    parts.append('<div class="article">\n')
    for b in report_blocks(template, values, agency, year):
        if b.kind == "title":
            parts.append(f"<h1>{b.text}</h1>\n")
        elif b.kind == "heading":
            parts.append(f"<p><strong>{b.text}</strong></p>\n")
        elif b.kind == "para":
            parts.append(f"<p>&nbsp;&nbsp;{b.text}</p>\n")
        else:
            assert b.table is not None
            parts.append(_html_table(b.table, split_numbers) + "\n")
    parts.append("</div>\n")
    if chrome:
        parts.append(
            "<script>document.write('访问量 12');</script>"
            "<footer><p>主办：柳州市人民政府 网站标识码 4502000001</p></footer>"
        )
    parts.append("</body></html>\n")
    return "".join(parts).encode(encoding)


# ---------------------------------------------------------------- DOCX


def _docx_table(doc, t: TableSpec, rows: range, drop_text_above: bool = False):  # type: ignore[no-untyped-def]
    """Add the rows ``rows`` of ``t`` as one Word table, merging spanned cells."""
    grid = t.grid()
    table = doc.add_table(rows=len(rows), cols=t.ncols)
    table.style = "Table Grid"
    start, stop = rows.start, rows.stop
    # Cells spanning from above the cut start at the cut, without their text.
    for c in range(t.ncols):
        for r in range(start - 1, -1, -1):
            cell = grid[r][c]
            if cell is None:
                continue
            if r + cell.rowspan > start and r < start:
                span = min(r + cell.rowspan, stop) - start
                _merge(table, 0, c, span, cell.colspan, "" if drop_text_above else cell.text)
            break
    for r in rows:
        for c in range(t.ncols):
            cell = grid[r][c]
            if cell is not None:
                span = min(r + cell.rowspan, stop) - r
                _merge(table, r - start, c, span, cell.colspan, cell.text)
    return table


def _merge(table, r: int, c: int, rowspan: int, colspan: int, text: str) -> None:  # type: ignore[no-untyped-def]
    cell = table.cell(r, c)
    if rowspan > 1 or colspan > 1:
        cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
    cell.text = text


def build_docx(
    template: str,
    values: Values,
    *,
    agency: str = AGENCY,
    year: int | None = None,
    split_requests_at: int | None = 12,
) -> bytes:
    """A Word report; the requests table is cut in two tables at row ``split_requests_at``.

    The second part starts after a page break; a cell spanning the cut is repeated
    in the second part without its text, as Word does when a table is split.
    """
    import docx
    from docx.enum.text import WD_BREAK

    doc = docx.Document()
    for b in report_blocks(template, values, agency, year):
        if b.kind == "title":
            doc.add_heading(b.text, level=1)
        elif b.kind in ("heading", "para"):
            doc.add_paragraph(b.text)
        else:
            assert b.table is not None
            n = len(b.table.rows)
            cut = split_requests_at if b.table.kind == "requests" else None
            if cut and 0 < cut < n:
                _docx_table(doc, b.table, range(0, cut))
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                _docx_table(doc, b.table, range(cut, n), drop_text_above=True)
            else:
                _docx_table(doc, b.table, range(0, n))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- PDF


def _pdf_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


_CELL_PADDING = 12  # reportlab's Table: 6 points of padding left and right


def _no_lone_last_char(text: str, style, width: float) -> str:  # type: ignore[no-untyped-def]
    """``text`` with line breaks that leave at least two characters on its last line.

    pdfium cannot read a CJK character alone in its text object when the font is
    neither embedded nor installed (``giextract.formats.pdf._lost_text``); the fixture
    uses the non-embedded STSong-Light, so a cell wrapped to ``信`` / ``息`` would read
    differently on a machine without CJK fonts.  That loss has its own test.
    """
    from reportlab.platypus import Paragraph

    para = Paragraph(text, style)
    para.wrap(width, 1e6)
    lines = [words for _, words in para.blPara.lines] if para.blPara.kind == 0 else []
    if len(lines) < 2 or len("".join(lines[-1])) != 1:
        return text
    texts = ["".join(words) for words in lines]
    texts[-2:] = [texts[-2][:-1], texts[-2][-1] + texts[-1]]
    return "<br/>".join(texts)


def _pdf_table(t: TableSpec, font: str, width: float, wrap_numbers: bool):  # type: ignore[no-untyped-def]
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    if t.kind == "requests":
        widths = [0.08, 0.1, 0.19] + [0.09] * 7
    elif t.kind == "active":
        widths = [0.31, 0.23, 0.23, 0.23]
    else:
        widths = [1 / 15] * 15
    columns = [w * width for w in widths]
    style = ParagraphStyle("cell", fontName=font, fontSize=7, leading=9, wordWrap="CJK")
    grid = t.grid()
    data = []
    for row in grid:
        out = []
        for c, cell in enumerate(row):
            text = cell.text if cell else ""
            if wrap_numbers and text.isdigit() and len(text) == 2:
                text = f"{text[0]}<br/>{text[1]}"
            elif cell and text:
                room = sum(columns[c : c + cell.colspan]) - _CELL_PADDING
                text = _no_lone_last_char(text, style, room)
            out.append(Paragraph(text, style) if text else "")
        data.append(out)
    cmds = [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("FONT", (0, 0), (-1, -1), font, 7),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell and (cell.rowspan > 1 or cell.colspan > 1):
                cmds.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    table = Table(data, colWidths=columns, repeatRows=0, splitInRow=0)
    table.setStyle(TableStyle(cmds))
    return table


def build_pdf(
    template: str,
    values: Values,
    *,
    agency: str = AGENCY,
    year: int | None = None,
    wrap_numbers: bool = False,
    filler_paragraphs: int = 2,
    space_before_requests: float = 0,
    repeat: int = 1,
) -> bytes:
    """A PDF report with ruled tables; the requests table runs over two pages.

    Every page has a running header and a page number ``- N -``.  ``wrap_numbers``
    writes two-digit values on two lines (``2`` / ``6``) as a narrow column does;
    ``repeat`` renders the report that many times (for benchmarks).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = _pdf_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, topMargin=60, bottomMargin=60)
    story: list = []  # type: ignore[type-arg]
    for _ in range(repeat):
        for b in report_blocks(template, values, agency, year):
            if b.kind == "heading" and b.text == TITLES["requests"]:
                story.append(Spacer(1, space_before_requests))
            if b.kind == "table":
                assert b.table is not None
                story.append(_pdf_table(b.table, font, doc.width, wrap_numbers))
                story.append(Spacer(1, 8))
            else:
                story.append(Paragraph(b.text, title if b.kind == "title" else body))
            if b.kind == "heading" and b.text.startswith("一"):
                story += [Paragraph("政务公开工作稳步推进，" * 12, body)] * filler_paragraphs

    def on_page(canvas, doc_) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 35, f"{agency}政府信息公开工作年度报告")
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc_.page} -")

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()


def build_scanned_pdf() -> bytes:
    """A PDF whose page holds only a drawn shape (no text layer), like a scan."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFillGray(0.5)
    c.rect(50, 50, 400, 600, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def expected_rows(template: str, values: Values) -> list[list[list[str]]]:
    """The rows a reader should give for each of the three tables (covered cells ``""``)."""
    out = []
    for b in report_blocks(template, values):
        if b.table is not None:
            rows = [[c.text if c else "" for c in row] for row in b.table.grid()]
            out.append([r for r in rows if any(r)])
    return out
