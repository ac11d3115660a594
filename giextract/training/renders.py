"""The rendered report pages of ``corpus/renders/``: their tools, split and gold.

Each page directory holds the page (``page.html``), what it printed (``gold.json``,
``known.json``) and its renders by real tools (``training/render.py`` draws and renders
them; ``corpus/renders/README.md`` describes them).  Read here so that training
(``[data] renders`` of the config), promotion and the benchmarks need no rendering tool.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..paths import corpus_dir as resolve_corpus_dir

#: The renders' directory inside a corpus directory.
RENDERS = "renders"

#: Every render of a page: file name -> tool family (families group tools for evaluation).
TOOLS: dict[str, str] = {
    "page.html": "file-html",
    "page.docx": "file-docx",
    "chromium.pdf": "file-pdf",
    "lo.pdf": "file-pdf",
    "chromium.pdftotext-layout.txt": "pdftotext-layout",
    "lo.pdftotext-layout.txt": "pdftotext-layout",
    "chromium.pdftotext-raw.txt": "pdftotext-raw",
    "lo.pdftotext-raw.txt": "pdftotext-raw",
    "chromium.pdfplumber.txt": "pdfplumber",
    "lo.pdfplumber.txt": "pdfplumber",
    "chromium.pypdfium2.txt": "pypdfium2",
    "lo.pypdfium2.txt": "pypdfium2",
    "chromium.pymupdf4llm.md": "pymupdf4llm",
    "lo.pymupdf4llm.md": "pymupdf4llm",
    "chromium.markitdown.md": "markitdown",
    "lo.markitdown.md": "markitdown",
    "w3m.txt": "w3m",
    "lynx.txt": "lynx",
    "pandoc-plain.txt": "pandoc",
    "pandoc-markdown.txt": "pandoc",
    "pandoc-gfm.txt": "pandoc",
    "html2text-py.txt": "html2text-py",
    "html2text-deb.txt": "html2text-deb",
    "innertext.txt": "innertext",
}

#: Renders by tools no training run sees, made for the held-out pages only: a test of
#: generality (tools people use that the rules and the classifier were not built on).
#: File name -> family, as :data:`TOOLS`.
UNSEEN_TOOLS: dict[str, str] = {
    "chromium.pdftotext-default.txt": "pdftotext-default",
    "lo.pdftotext-default.txt": "pdftotext-default",
    "chromium.pymupdf.txt": "pymupdf",
    "lo.pymupdf.txt": "pymupdf",
    "chromium.pypdf.txt": "pypdf",
    "lo.pypdf.txt": "pypdf",
    "chromium.pypdf-layout.txt": "pypdf-layout",
    "lo.pypdf-layout.txt": "pypdf-layout",
    "chromium.pdfminer.txt": "pdfminer",
    "lo.pdfminer.txt": "pdfminer",
    "docx.lo-text.txt": "lo-docx-text",
}

#: Pages held out of every training run, fixed by page id before any result was looked at.
HELD_OUT_EVERY = 3


def is_held_out(page_id: str) -> bool:
    """Whether a page is in the held-out split: every third page id (``p002``, ``p005``, …)."""
    return int(page_id.lstrip("p")) % HELD_OUT_EVERY == HELD_OUT_EVERY - 1


#: Column headers and notes every page of both templates carries besides the active table's.
TABLE_HEADERS: tuple[str, ...] = (
    "信息内容",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "行政复议",
    "行政诉讼",
    "未经复议直接起诉",
    "复议后起诉",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
)


@dataclass(frozen=True)
class RenderedPage:
    """A committed page: its directory, template, split, gold and known texts."""

    page_id: str
    path: Path
    template: str
    held_out: bool
    gold: dict[str, int | float | None]
    known: dict[str, list[str]]

    def renders(self, unseen: bool = False) -> list[tuple[str, str, Path]]:
        """(render name, family, path) of every render of the page that exists; with
        ``unseen``, also those of the tools no training run sees (:data:`UNSEEN_TOOLS`)."""
        tools = {**TOOLS, **UNSEEN_TOOLS} if unseen else TOOLS
        return [(n, fam, self.path / n) for n, fam in tools.items() if (self.path / n).exists()]


def renders_dir(corpus_dir: Path | None = None) -> Path:
    """The renders of a corpus: ``<corpus>/renders`` (None: the default corpus)."""
    return resolve_corpus_dir(corpus_dir, must_exist=False) / RENDERS


def load_pages(root: Path | None = None) -> list[RenderedPage]:
    """Every committed page under ``root/pages`` (None: the default corpus's renders), in
    page id order; none when there are no renders."""
    root = renders_dir() if root is None else Path(root)
    pages = []
    for d in sorted((root / "pages").iterdir()) if (root / "pages").is_dir() else []:
        gold = json.loads((d / "gold.json").read_text("utf-8"))
        known = json.loads((d / "known.json").read_text("utf-8"))
        pages.append(
            RenderedPage(d.name, d, gold["template"], is_held_out(d.name), gold["fields"], known)
        )
    return pages


def family(name: str) -> str:
    """The tool family of a render name (``lo.pdftotext-raw.txt`` -> ``pdftotext-raw``)."""
    return TOOLS[name] if name in TOOLS else UNSEEN_TOOLS[name]


def lost_tables(path: Path) -> bool:
    """Whether the tool dropped the tables: pandoc 2's ``[TABLE]`` for cells of several
    paragraphs.  Such a render has no values to read; it is counted, not scored."""
    return path.suffix == ".txt" and b"[TABLE]" in path.read_bytes()
