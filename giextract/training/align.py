"""Line labels of a rendered report, from aligning the known cells with the tool's output.

A render of a drawn page (``training/render.py``; :mod:`giextract.training.renders` reads
them) comes with what the page held: the texts of each line role (``known.json``: title,
headings, prose, web chrome, table titles, column headers, group labels, row labels) and
every value (``gold.json``).  The aligner reads the tool's output the way giextract does
(:func:`giextract.lines.to_lines`, so one box-drawn row over several source lines is one
line) and labels each line from its cells:

* numbers and blank placeholders are values; a line of values only is ``value`` or
  ``values``, a line with a label and values is ``row``;
* a text cell is matched, after :func:`giextract.normalize.label_key`, against the known
  texts: equal to or the beginning of a known text gives that text's role, a piece from
  inside it (a wrapped label's rest, a character of a vertical label) is ``continuation``;
* inside a table, text no known text accounts for followed by values is a ``row`` whose
  label the tool scrambled (giextract's PDF reader orders the characters of a label
  wrapped around quotes by position: ``“三全一”3.危机安稳定 0 0 0 0 0 0 0``);
* text the page did not hold as a known text falls back to the conventions of
  ``corpus/README.md`` (page numbers and web chrome are ``noise``, short numbered lines are
  ``heading``, a line with 年度报告 before the tables is ``title``, the rest ``prose``).

:func:`template_known` gives the known texts of a template alone (labels, variants,
headers, table titles): with it the aligner labels a real report whose prose it has never
seen, which is how ``tests/test_align.py`` checks it against the hand labels of the seeds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ..catalogue import load_template
from ..errors import ErrorCode, GiextractError
from ..lines import (
    Line,
    is_page_noise,
    is_placeholder,
    is_print_furniture,
    is_value,
    page_furniture,
    to_lines,
)
from ..normalize import label_key, to_simplified
from ..read import Document, read_path, read_text
from .examples import Example
from .renders import TABLE_HEADERS, RenderedPage, family, load_pages, lost_tables, renders_dir

#: Roles matched against known texts, most specific first (ties go to the earlier role).
ROLES: tuple[str, ...] = (
    "table_title",
    "title",
    "group",
    "row_label",
    "header",
    "heading",
    "noise",
    "prose",
)
#: Roles whose wrapped rest stays in the role (a paragraph's second line is still prose).
_SAME_ROLE_WHEN_WRAPPED = frozenset({"prose", "noise"})
#: Text-only line: the role of the line when its cells start several roles.
_LINE_PRIORITY: tuple[str, ...] = (
    "row_label",
    "group",
    "table_title",
    "header",
    "title",
    "heading",
    "noise",
    "prose",
)

_DAMAGE = re.compile(r"[\ufffd_*#|｜│┃>`\\]+")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、．]|[(（][一二三四五六七八九十]{1,3}[)）])"
)
_CHROME = re.compile(
    r"首页\s*[>/＞]|当前位置|欢迎访问|发布日期|发布时间|浏览次数|网站支持IPv6|打印本页|关闭窗口|分享到|网站标识码"
)
_TRAILING_DIGITS = re.compile(r"^(.*?\D)[\d,.]+$")


def _key(text: str) -> str:
    """The matching key of a cell: simplified, damage and markup dropped, :func:`label_key`."""
    return label_key(_DAMAGE.sub("", to_simplified(text)))


@lru_cache(maxsize=2)
def _variants() -> dict[str, dict[str, list[str]]]:
    raw = resources.files("giextract").joinpath("data", "label_variants.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    return {k: data.get(k) or {} for k in ("row_labels", "col_labels", "table_titles")}


def template_known(template_id: str) -> dict[str, list[str]]:
    """The known texts of a template's tables: labels and their variants, headers, titles."""
    tpl = load_template(template_id)
    v = _variants()
    rows = {f.row_label for f in tpl.fields if f.table != "appeals"}
    rows |= {alt for r in list(rows) for alt in v["row_labels"].get(r, [])}
    groups = {f.group for f in tpl.fields if f.table != "appeals" and f.group} | {
        "三、本年度办理结果"
    }
    cols = {f.col_label for f in tpl.fields if f.table == "active"}
    cols |= {alt for c in list(cols) for alt in v["col_labels"].get(c, [])}
    titles = [t for names in v["table_titles"].values() for t in names]
    numbered = [
        f"{n}、{t}"
        for n, names in zip("二三四", v["table_titles"].values(), strict=True)
        for t in names
    ]
    return {
        "table_title": titles + numbered,
        "group": sorted(groups - rows),
        "row_label": sorted(rows),
        "header": sorted(cols | set(TABLE_HEADERS)),
    }


class Matcher:
    """Known texts by role, matched by key: whole, beginning, or a piece from inside.

    A piece of a text started on one of the last few lines (a wrapped row label's rest,
    ``家秘密`` after ``1.属于国``) is taken as that text's continuation first, before any
    other known text that happens to contain or start with it.
    """

    RECENT = 6

    def __init__(self, known: Mapping[str, Sequence[str]]) -> None:
        self.items: list[tuple[str, str]] = []
        for role in ROLES:
            for text in known.get(role, ()):
                k = _key(text)
                if k and (role, k) not in self.items:
                    self.items.append((role, k))
        self.recent: list[tuple[str, str, int]] = []  # (role, key, line index started)

    def _whole(self, k: str, index: int, longer: bool = False) -> tuple[str, bool, str] | None:
        for role, item in self.items:
            if item == k:
                return role, True, item
        for role, item, started in reversed(self.recent):
            if k in item and not item.startswith(k) and index - started <= self.RECENT:
                return role, False, item
        for pred, starts in (
            (lambda item: item == k, True),
            (lambda item: item.startswith(k), True),
            (lambda item: longer and len(k) >= 6 and k.startswith(item), True),
            (lambda item: k in item, False),
        ):
            for role, item in self.items:
                if pred(item):
                    return role, starts, item
        return None

    def match(self, cell: str, index: int) -> list[tuple[str, bool]]:
        """(role, starts) of the known texts a text cell is made of; [] when none.

        A cell is one known text or a piece of one; failing that, a label with its first
        value glued on (``稳定”156``) or two pieces of neighbouring columns run together
        (``予公开5.属于三``).
        """
        k = _key(cell)
        if not k:
            return []
        found = self._whole(k, index)
        if found is None:
            m = _TRAILING_DIGITS.match(k)
            found = self._whole(m.group(1), index) if m else None
        parts = [found] if found else self._split(k, index) if len(k) <= 16 else []
        if not parts:  # a known text with more after it (三、本年度办理结果（一）予以公开)
            longer = self._whole(k, index, longer=True)
            parts = [longer] if longer else []
        for role, starts, item in parts:
            if starts:
                self.recent.append((role, item, index))
        return [(role, starts) for role, starts, _ in parts]

    def _split(self, k: str, index: int) -> list[tuple[str, bool, str]]:
        for i in range(len(k) - 1, 0, -1):
            if i < 2 or len(k) - i < 2:
                continue
            a, b = self._whole(k[:i], index), self._whole(k[i:], index)
            if a and b and (a[1] or b[1]):
                return [a, b]
        return []


def _fallback(text: str, before_tables: bool, in_table: bool) -> str:
    """The role of text the page did not hold as a known text (corpus/README.md).

    Inside a table, a short piece no known text accounts for is a piece of one cut by the
    tool (``机益``: two vertical headers side by side): ``continuation``.
    """
    t = to_simplified(text).strip()
    if is_page_noise(t) or _CHROME.search(t):
        return "noise"
    if in_table and len(_key(t)) <= 6 and "。" not in t:
        return "continuation"
    if before_tables and "年度报告" in t and len(t) <= 60 and "。" not in t:
        return "title"
    if _HEADING.match(t) and len(t) <= 40 and "。" not in t.rstrip("。") and "，" not in t:
        return "heading"
    return "prose"


def _is_value(cell: str) -> bool:
    c = _DAMAGE.sub("", cell).strip()
    return bool(c) and (is_value(c) or is_placeholder(c))


def label_line(line: Line, matcher: Matcher, before_tables: bool, in_table: bool = False) -> str:
    """The label of one logical line."""
    if is_print_furniture(line.text):
        return "noise"
    cells = line.content_cells
    if not cells:
        if line.sep == "ruling" or (line.raw.strip() and set(line.raw.strip()) - set("|｜")):
            return "noise"
        return "empty_cell" if "\t" in line.raw or line.raw.strip() else "blank"
    n_values = sum(1 for c in cells if _is_value(c))
    texts = [c for c in cells if not _is_value(c) and _DAMAGE.sub("", c).strip()]
    if not texts:
        if n_values == 0:
            return "noise" if line.sep == "ruling" else "empty_cell"
        return "value" if n_values == 1 else "values"
    roles = [m for c in texts for m in matcher.match(c, line.index)]
    if not roles:
        if in_table and n_values and not is_page_noise(line.text):
            return "row"  # a label the tool scrambled, before its values
        return _fallback(line.text, before_tables, in_table)
    table_roles = {r for r, _ in roles} - {"prose", "noise", "title", "heading"}
    if n_values:
        if table_roles:
            return "row"
        return roles[0][0]
    starting = {r for r, starts in roles if starts or r in _SAME_ROLE_WHEN_WRAPPED}
    for role in _LINE_PRIORITY:
        if role in starting:
            return role
    return "continuation"


def align_lines(lines: Sequence[Line], known: Mapping[str, Sequence[str]]) -> list[str]:
    """One label per logical line (of :func:`giextract.lines.to_lines`)."""
    matcher = Matcher(known)
    labels: list[str] = []
    before_tables, in_table = True, False
    furniture = page_furniture(lines)  # print header and footer, cut page numbers
    for i, line in enumerate(lines):
        label = "noise" if i in furniture else label_line(line, matcher, before_tables, in_table)
        if label == "title" and not before_tables:
            label = "noise"  # the title again, after the tables began: a running header
        if label in ("table_title", "header", "row", "group"):
            before_tables, in_table = False, True
        elif label in ("heading", "prose"):
            in_table = False
        labels.append(label)
    _agency_above_title(lines, labels)
    return labels


def _agency_above_title(lines: Sequence[Line], labels: list[str]) -> None:
    """A short line just above the title (blank lines between) is the agency's: ``title``."""
    for i, label in enumerate(labels):
        if label != "title":
            continue
        j = i - 1
        while j >= 0 and labels[j] == "blank":
            j -= 1
        text = lines[j].text if j >= 0 else ""
        if (
            j >= 0
            and labels[j] == "prose"
            and 2 <= len(text) <= 25
            and not re.search(r"[。，,：:]", text)
        ):
            labels[j] = "title"
        return


def align_document(doc: Document, known: Mapping[str, Sequence[str]]) -> list[str]:
    """One label per physical line: a logical line's label on its first source line,
    ``continuation`` on the others (what :func:`giextract.train.labels_for_lines` reads)."""
    lines = to_lines(doc)
    physical = ["blank"] * len(doc.lines)
    for line, label in zip(lines, align_lines(lines, known), strict=True):
        physical[line.numbers[0] - 1] = label
        for n in line.numbers[1:]:
            physical[n - 1] = "continuation"
    return physical


# ---------------------------------------------------------------- labelled renders


def page_known(
    page_known_texts: Mapping[str, Sequence[str]], template_id: str
) -> dict[str, list[str]]:
    """A page's known texts together with its template's (labels, variants, titles)."""
    out = {role: list(texts) for role, texts in page_known_texts.items()}
    for role, texts in template_known(template_id).items():
        out.setdefault(role, [])
        out[role] += [t for t in texts if t not in out[role]]
    return out


def read_render(path: Path) -> Document:
    """A render as giextract reads it; a text dump that is not valid UTF-8 (Debian's
    ``html2text`` cuts multi-byte characters) is decoded with replacement characters."""
    try:
        return read_path(path)
    except GiextractError as exc:
        if exc.code is not ErrorCode.UNDECODABLE:
            raise
        return read_text(path.read_bytes().decode("utf-8", errors="replace"), str(path))


def render_example(page: RenderedPage, name: str, path: Path) -> Example:
    """One render of a page as a labelled example (lines labelled by the aligner)."""
    doc = read_render(path)
    lines = to_lines(doc)
    labels = align_lines(lines, page_known(page.known, page.template))
    physical = ["continuation"] * len(doc.lines)
    for line, label in zip(lines, labels, strict=True):
        physical[line.number - 1] = label
    return Example(
        f"{page.page_id}/{name}", family(name), doc, physical, dict(page.gold), page.template
    )


def render_examples(
    pages: Sequence[RenderedPage],
    include: Callable[[str], bool] = lambda family_name: True,
) -> list[Example]:
    """Labelled examples of every render of the pages whose family ``include`` accepts
    (renders whose tool dropped the tables are left out)."""
    return [
        render_example(page, name, path)
        for page in pages
        for name, fam, path in page.renders()
        if include(fam) and not lost_tables(path)
    ]


def split_render_examples(corpus_dir: Path | None = None, held_out: bool = False) -> list[Example]:
    """The aligned renders of a corpus's training pages (never a held-out one), or with
    ``held_out`` of its held-out pages; none when the corpus has no renders."""
    pages = load_pages(renders_dir(corpus_dir))
    return render_examples([p for p in pages if p.held_out == held_out])
