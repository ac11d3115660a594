"""The render pipeline's DOCX repairs (training/render.py): cases, and the committed DOCX files.

LibreOffice's html → docx keeps the HTML page's quirks that no Word file has: tables wider
than the page (their PDF loses the last columns) and cell text indented by the page margin.
``word_like_docx`` repairs both; the tools are not needed here.
"""

from __future__ import annotations

import re
import zipfile

import pytest

from giextract.training.renders import load_pages
from training.render import add_furniture, fit_tables, text_width, unindent_cells

SECT = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:left="1134" w:right="567" w:gutter="0" w:top="567"/></w:sectPr>'
)


def _table(grid: list[int], rows: list[list[tuple[int, int]]]) -> str:
    """A ``<w:tbl>`` with the given grid; a row is a list of (width, grid span) cells."""
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)

    def cell(w: int, span: int) -> str:
        spans = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        return f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{spans}</w:tcPr><w:p/></w:tc>'

    trs = "".join(
        "<w:tr><w:trPr></w:trPr>" + "".join(cell(*c) for c in r) + "</w:tr>" for r in rows
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(grid)}" w:type="dxa"/>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{cols}</w:tblGrid>{trs}</w:tbl>'
    )


def _widths(xml: str) -> tuple[list[int], list[int], list[int]]:
    """(table widths, grid column widths, cell widths) of a document."""
    return (
        [int(w) for w in re.findall(r'<w:tblW w:w="(\d+)"', xml)],
        [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', xml)],
        [int(w) for w in re.findall(r'<w:tcW w:w="(\d+)"', xml)],
    )


# (case, grid, rows, expected grid after fitting to 10205 twips, expected cell widths)
FIT_CASES = [
    (
        "narrower than the page: unchanged",
        [2715, 1607, 1607, 1622],
        [[(2715, 1), (1607, 1), (1607, 1), (1622, 1)]],
        [2715, 1607, 1607, 1622],
        [2715, 1607, 1607, 1622],
    ),
    (
        "exactly the page: unchanged",
        [5000, 5205],
        [[(10205, 2)], [(5000, 1), (5205, 1)]],
        [5000, 5205],
        [10205, 5000, 5205],
    ),
    (
        "twice the page: halved, spans keep the sum of their columns",
        [10000, 5205, 5205],
        [[(20410, 3)], [(10000, 1), (10410, 2)], [(15205, 2), (5205, 1)]],
        [5000, 2602, 2603],
        [10205, 5000, 5205, 7602, 2603],
    ),
    (
        "the requests table of p002: ten columns, 12434 twips",
        [1322, 1066, 2883, 1022, 1217, 922, 1018, 1312, 827, 845],
        [[(5271, 3), (7163, 7)], [(1322, 1), (3949, 2), *[(w, 1) for w in (1022, 1217)]]],
        [1085, 875, 2366, 839, 999, 756, 836, 1077, 678, 694],
        [4326, 5879, 1085, 3241, 839, 999],
    ),
]


@pytest.mark.parametrize(("case", "grid", "rows", "want_grid", "want_cells"), FIT_CASES)
def test_fit_tables(
    case: str,
    grid: list[int],
    rows: list[list[tuple[int, int]]],
    want_grid: list[int],
    want_cells: list[int],
) -> None:
    xml = f"<w:body>{_table(grid, rows)}<w:p/>{SECT}</w:body>"
    tables, cols, cells = _widths(fit_tables(xml))
    assert cols == want_grid, case
    assert cells == want_cells, case
    assert tables == [min(sum(grid), 10205)], case


def test_fit_tables_fits_every_table_of_a_document() -> None:
    wide = _table([6000, 6000], [[(6000, 1), (6000, 1)]])
    narrow = _table([3000], [[(3000, 1)]])
    tables, cols, _ = _widths(fit_tables(f"<w:body>{wide}{narrow}{wide}{SECT}</w:body>"))
    assert tables == [10205, 3000, 10205]
    assert cols == [5102, 5103, 3000, 5102, 5103]


def test_fit_tables_refuses_nested_tables() -> None:
    inner = _table([100], [[(100, 1)]])
    nested = _table([20000], [[(20000, 1)]]).replace("<w:p/>", inner)
    with pytest.raises(ValueError, match="nested"):
        fit_tables(f"<w:body>{nested}{SECT}</w:body>")


def test_text_width_is_the_last_section_less_its_side_margins() -> None:
    assert text_width(f"<w:body><w:p/>{SECT}</w:body>") == 11906 - 1134 - 567


STYLE = (
    '<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="x"/><w:pPr>{ppr}</w:pPr></w:style>'
)
NO_IND = '<w:ind w:left="0" w:right="0" w:hanging="0"/>'

# (case, styles.xml, expected)
UNINDENT_CASES = [
    (
        "LibreOffice's empty cell style gets no indentation",
        STYLE.format(id="Normal", ppr='<w:ind w:left="360" w:right="360"/>')
        + STYLE.format(id="TableContents", ppr=""),
        STYLE.format(id="Normal", ppr='<w:ind w:left="360" w:right="360"/>')
        + STYLE.format(id="TableContents", ppr=NO_IND),
    ),
    (
        "a cell style with its own indentation: kept",
        STYLE.format(id="TableContents", ppr='<w:ind w:left="20"/>'),
        STYLE.format(id="TableContents", ppr='<w:ind w:left="20"/>'),
    ),
    (
        "a cell style without paragraph properties: the next style's are not touched",
        '<w:style w:type="paragraph" w:styleId="TableContents"><w:name w:val="x"/></w:style>'
        + STYLE.format(id="Normal", ppr=""),
        '<w:style w:type="paragraph" w:styleId="TableContents"><w:name w:val="x"/></w:style>'
        + STYLE.format(id="Normal", ppr=""),
    ),
    (
        "no cell style: unchanged",
        STYLE.format(id="Normal", ppr=""),
        STYLE.format(id="Normal", ppr=""),
    ),
]


@pytest.mark.parametrize(("case", "styles", "want"), UNINDENT_CASES)
def test_unindent_cells(case: str, styles: str, want: str) -> None:
    assert unindent_cells(styles) == want, case


def test_committed_docx_tables_fit_their_page() -> None:
    pages = load_pages()
    assert pages
    for page in pages:
        with zipfile.ZipFile(page.path / "page.docx") as z:
            doc = z.read("word/document.xml").decode("utf-8")
            styles = z.read("word/styles.xml").decode("utf-8")
        width = text_width(doc)
        tables, _, _ = _widths(doc)
        assert len(tables) == 3, page.page_id
        assert max(tables) <= width, page.page_id
        grids = re.findall(r"<w:tblGrid>(.*?)</w:tblGrid>", doc)
        for grid in grids:
            assert sum(map(int, re.findall(r'w:w="(\d+)"', grid))) <= width, page.page_id
        assert unindent_cells(styles) == styles, page.page_id


# (footer style, running header, the footer's field codes in order, texts around them)
FURNITURE_CASES = [
    ("— {n} —", None, ["PAGE"], ["— ", " —"]),
    (
        "第 {n} 页 共 {total} 页",
        "某局政府信息公开工作年度报告",
        ["PAGE", "NUMPAGES"],
        ["第 ", " 页 共 ", " 页"],
    ),
    ("{n}/{total}", None, ["PAGE", "NUMPAGES"], ["/"]),
]


@pytest.mark.parametrize(("footer", "header", "codes", "texts"), FURNITURE_CASES)
def test_add_furniture(footer: str, header: str | None, codes: list[str], texts: list[str]) -> None:
    parts = {
        "word/document.xml": f"<w:document><w:body><w:p/>{SECT}</w:body></w:document>",
        "word/_rels/document.xml.rels": "<Relationships></Relationships>",
        "[Content_Types].xml": "<Types></Types>",
    }
    out = add_furniture(parts, footer, header)
    ftr = out["word/footer1.xml"]
    assert re.findall(r"<w:instrText[^>]*> (\w+) </w:instrText>", ftr) == codes
    assert [t for t in re.findall(r"<w:t [^>]*>([^<]*)</w:t>", ftr) if t != "1"] == texts
    assert ("word/header1.xml" in out) is (header is not None)
    doc = out["word/document.xml"]
    assert 'w:footerReference w:type="default"' in doc
    assert 'w:footer="567"' in doc and 'w:bottom="1418"' in doc
    assert "footer1.xml" in out["word/_rels/document.xml.rels"]
    assert "/word/footer1.xml" in out["[Content_Types].xml"]


def test_committed_footers_carry_page_fields() -> None:
    """Pages drawn with furniture have a footer with a PAGE field in their DOCX."""
    pages = [
        p
        for p in load_pages()
        if p.path.joinpath("gold.json").read_text("utf-8").count('"furniture": true')
    ]
    for page in pages[:5]:
        with zipfile.ZipFile(page.path / "page.docx") as z:
            assert " PAGE " in z.read("word/footer1.xml").decode("utf-8"), page.page_id
