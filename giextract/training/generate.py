"""Synthetic annual reports, labelled line by line, for training and held-out evaluation.

Each report is drawn from a seeded :class:`random.Random`: an agency and a year,
prose sections, the three tables of its template with values that mostly obey
the template's identities, rendered in one of the layout families real reports
come in (:data:`LAYOUTS`), plus noise (web chrome, page breaks, traditional
characters, full-width digits, label variants).  Every physical line gets a
label of ``giextract/data/line_labels.json``; the gold holds every field.

    python -m giextract.training.generate --n 20 --seed 1 --out /tmp/gen
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from giextract.catalogue import (
    APPEAL_GROUPS,
    APPLICANT_COLUMNS,
    RowSpec,
    Template,
    load_template,
)

LAYOUTS: tuple[str, ...] = (
    "cell_blank_sep",
    "cell_tab",
    "cell_lynx",
    "tab_rows",
    "pipe_rows",
    "markdown",
    "space_rows",
    "w3m_box",
    "pandoc_grid",
    "html2text",
    "pdf_text",
)
TEMPLATES: tuple[str, ...] = ("2019", "2021")
#: Layouts where an empty cell leaves a trace (lone tab, empty pipe or box cell).
TRACE_LAYOUTS = frozenset(
    {"cell_tab", "tab_rows", "pipe_rows", "markdown", "w3m_box", "pandoc_grid", "html2text"}
)
_PAGE_NOISE_LAYOUTS = frozenset(
    {"cell_blank_sep", "cell_tab", "cell_lynx", "tab_rows", "pipe_rows", "space_rows"}
)
_PLACEHOLDERS = ("/", "—", "-", "无", "／", "——")
_FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
_CELL_ROLE = {
    "header": "header",
    "note": "header",
    "group": "group",
    "label": "row_label",
    "value": "value",
}
_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass
class GeneratedReport:
    """One synthetic report: its text, one label per physical line, and the gold fields."""

    name: str
    template: str
    layout: str
    text: str
    labels: list[str]
    fields: dict[str, int | float | None]
    agency: str
    year: int
    options: dict[str, object] = field(default_factory=dict)


@dataclass
class Cell:
    """One table cell; ``kind`` is header, note, group, label, value, blank or trace."""

    text: str
    kind: str
    span: int = 1


@dataclass
class Table:
    """A table as a grid of rows of cells (spans add up to ``width`` in every row)."""

    key: str
    title: str
    width: int
    rows: list[list[Cell]]
    blocks: list[int]


# --------------------------------------------------------------------------- vocabulary

_PLACES = (
    "柳州市",
    "澄江市",
    "杨陵区",
    "柳州市柳江区",
    "柳北区",
    "昆明市",
    "南宁市青秀区",
    "杭州市西湖区",
    "成都市武侯区",
    "广州市天河区",
    "济南市",
    "合肥市蜀山区",
    "长沙县",
    "大理州",
    "固原市原州区",
    "北京市朝阳区",
    "上海市浦东新区",
    "重庆市渝中区",
    "哈尔滨市道里区",
    "兰州市城关区",
    "贵阳市",
    "桂林市临桂区",
    "宜宾市",
    "咸阳市",
    "鄂尔多斯市",
    "泉州市丰泽区",
    "无锡市",
    "赣州市",
    "西宁市",
    "三亚市",
    "玉溪市",
    "湛江市",
    "洛阳市",
    "绵阳市",
    "包头市",
    "延边州",
    "喀什地区",
    "拉萨市",
)
_DEPTS = (
    "投资促进局",
    "财政局",
    "教育局",
    "人民政府办公室",
    "民政局",
    "司法局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "水利局",
    "商务局",
    "文化广电旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "大数据发展局",
    "政务服务监督管理办公室",
    "人民政府",
    "发展和改革委员会",
    "公安局",
    "人力资源和社会保障局",
    "科学技术局",
    "工业和信息化局",
    "城市管理局",
    "档案馆",
    "招商服务二局",
    "行政审批局",
    "机关事务管理局",
)
_TOWNS = ("城关镇", "大塘镇", "新兴街道", "龙泉镇", "东城街道", "石门乡", "白沙镇")
_INTRO = (
    "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，特向社会公布{year}年度"
    "{agency}政府信息公开工作年度报告。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
    "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、"
    "行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。",
    "根据《中华人民共和国政府信息公开条例》，现公布{we}{year}年政府信息公开工作年度报告。",
    "如对本报告有任何疑问，请与{agency}办公室联系（联系电话：0772-{tel}）。",
)
_PROSE = (
    "{year}年，{we}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持“以公开为常态、不公开为例外”"
    "的原则，扎实推进政务公开工作。",
    "全年通过门户网站主动公开政府信息{n}条，其中工作动态{m}条，通知公告{k}条。",
    "{we}高度重视政府信息公开工作，成立了由主要负责同志任组长的政务公开工作领导小组，明确专人负责"
    "信息发布。",
    "严格落实信息发布保密审查制度，做到“先审查、后公开”和“一事一审”。",
    "及时更新政府信息公开指南和目录，方便公众查阅。",
    "{year}年共收到政府信息公开申请{k}件，均在法定期限内予以答复。",
    "依托政务服务平台、微信公众号等载体，拓宽信息公开渠道。",
    "加强政策解读，对重要政策文件做到同步解读、同步发布，全年发布解读材料{m}篇。",
    "将政务公开工作纳入年度绩效考核，定期开展自查自纠。",
    "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。",
    "组织工作人员参加政务公开业务培训{k}次，不断提高业务能力。",
    "政府网站运行平稳，全年无安全事故发生，网站总访问量{n}人次。",
    "按照上级要求开展政府信息公开专项检查，对发现的问题及时整改。",
    "深入推进重点领域信息公开，及时公开财政预决算、重大建设项目、公共资源配置等信息。",
    "本年度共制发规范性文件{k}件，均按规定在政府网站公开。",
)
_PROBLEMS = (
    "一是信息公开的及时性有待提高；二是政策解读形式较为单一；三是工作人员业务水平有待提升。",
    "下一步，{we}将进一步加强组织领导，完善工作机制，提高信息公开质量。",
    "加强业务培训，提升工作人员的业务素质和工作能力。",
    "丰富政策解读形式，提高政策解读的针对性和实效性。",
    "{year}年，{we}的政府信息公开工作虽取得了一定进展，但与群众的期待相比还存在差距。",
)
_OTHER = (
    "{we}无其他需要报告的事项。",
    "本年度无其他需要报告的事项。",
    "根据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。",
    "无。",
)
_SUBHEADS = {
    "2019": (
        "政府信息公开工作机构和人员设置情况",
        "建立健全政府信息公开工作制度情况",
        "政府信息公开目录、公开指南的编制、更新情况",
        "政府信息公开载体的建设、运行情况",
        "政府信息公开工作考核、社会评议和责任追究结果等监督情况",
    ),
    "2021": ("主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障"),
}
_CN_NUM = "一二三四五六七八九十"


@lru_cache(maxsize=1)
def _variants() -> dict[str, dict[str, list[str]]]:
    raw = resources.files("giextract").joinpath("data", "label_variants.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    return {
        "row": data.get("row_labels") or {},
        "col": data.get("col_labels") or {},
        "title": data.get("table_titles") or {},
    }


@lru_cache(maxsize=1)
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def _we(agency: str) -> str:
    for suffix, we in (
        ("局", "我局"),
        ("委员会", "我委"),
        ("办公室", "我办"),
        ("政府", "本机关"),
        ("馆", "我馆"),
        ("街道", "我街道"),
        ("镇", "我镇"),
    ):
        if agency.endswith(suffix):
            return we
    return "我单位"


def make_agency(rng: random.Random) -> str:
    """A random agency name such as 柳州市财政局 or 杨陵区城关镇人民政府."""
    place = rng.choice(_PLACES)
    if rng.random() < 0.1:
        town = rng.choice(_TOWNS)
        return place + town + ("办事处" if town.endswith("街道") else "人民政府")
    return place + rng.choice(_DEPTS)


# --------------------------------------------------------------------------- options


def _pick(rng: random.Random, table: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def draw_options(rng: random.Random, template: str, layout: str) -> dict[str, Any]:
    """The noise options of one report."""
    o: dict[str, Any] = {
        "activity": _pick(rng, [("zero", 0.35), ("light", 0.45), ("heavy", 0.2)]),
        "chrome": rng.random() < 0.35,
        "title_style": _pick(
            rng, [("agency_line", 0.3), ("inline", 0.4), ("year_first", 0.15), ("spaced", 0.15)]
        ),
        "traditional": rng.random() < 0.08,
        "fullwidth": _pick(rng, [("none", 0.88), ("values", 0.07), ("all", 0.05)]),
        "spaced_labels": rng.random() < 0.15,
        "variants": rng.random() < 0.3,
        "paren": _pick(rng, [("full", 0.6), ("half", 0.3), ("half_space", 0.1)]),
        "dot": _pick(rng, [("1.", 0.5), ("1、", 0.2), ("1．", 0.15), ("1. ", 0.15)]),
        "section_style": _pick(rng, [("一、", 0.9), ("1、 ", 0.1)]),
        "thousands": rng.random() < 0.3,
        "amount_unit": _pick(rng, [("", 0.55), ("元", 0.15), (" 元", 0.15), ("万元", 0.15)])
        if template == "2019"
        else _pick(rng, [("", 0.6), ("万元", 0.3), (" 万元", 0.1)]),
        "blank_mode": _pick(rng, [("none", 0.7), ("scatter", 0.1), ("rows", 0.1), ("group", 0.1)]),
        "placeholder": rng.choice(_PLACEHOLDERS),
        "error": rng.random() < 0.1,
        "table_numbering": rng.random() < 0.85,
        "para_gap": rng.random() < 0.6,
        "page_noise": layout == "pdf_text"
        or (layout in _PAGE_NOISE_LAYOUTS and rng.random() < 0.15),
        "running_header": rng.random() < 0.5,
        "wrap_p": rng.choice((0.0, 0.0, 0.2, 0.5)),
        "appeals_order": rng.choice(("A", "B")),
    }
    o.update(_layout_options(rng, layout))
    return o


def _layout_options(rng: random.Random, layout: str) -> dict[str, Any]:
    if layout == "cell_blank_sep":
        return {"wrap_gap": rng.random() < 0.4, "double_gap": rng.random() < 0.2}
    if layout == "cell_tab":
        return {"traces": rng.random() < 0.8}
    if layout == "cell_lynx":
        return {"indent": rng.choice((3, 3, 6, 9)), "row_gap": rng.random() < 0.5}
    if layout == "tab_rows":
        return {
            "span_pad": rng.choice(("full", "one", "none")),
            "trailing_tab": rng.random() < 0.4,
            "split_label": rng.random() < 0.4,
        }
    if layout == "pipe_rows":
        return {"outer_pipes": rng.random() < 0.5}
    if layout == "markdown":
        return {
            "per_block": rng.random() < 0.4,
            "placeholder_header": rng.choice(("列", "empty")),
            "md_sep": rng.choice(("---", " --- ", ":---")),
        }
    if layout == "space_rows":
        return {"group_own_line": rng.random() < 0.4}
    if layout == "html2text":
        return {"br_p": rng.choice((0.0, 0.1, 0.2)), "per_block": rng.random() < 0.3}
    if layout == "pdf_text":
        return {
            "pdf_sep": rng.choice(("single", "multi")),
            "pdf_group": rng.choice(("inline", "own", "vertical")),
            "pdf_hwrap": rng.random() < 0.6,
            "pdf_lwrap": rng.random() < 0.5,
            "repeat_header": rng.random() < 0.6,
            "split_label": rng.random() < 0.5,
            "page_lines": rng.randint(30, 48),
        }
    return {}


# --------------------------------------------------------------------------- values


def _small(rng: random.Random, act: str) -> int:
    if act == "zero":
        return 0 if rng.random() < 0.97 else rng.randint(1, 5)
    if act == "sparse":
        return 0 if rng.random() < 0.85 else rng.randint(1, 6)
    if rng.random() >= (0.3 if act == "light" else 0.45):
        return 0
    if act == "heavy" and rng.random() < 0.12:
        return rng.randint(100, 5000)
    return rng.randint(1, 30)


def _amount(rng: random.Random, act: str) -> int | float:
    if rng.random() < (0.85 if act == "zero" else 0.45):
        return 0
    kind = rng.random()
    if kind < 0.4:
        return round(rng.uniform(0.1, 500), rng.choice((1, 2)))
    if kind < 0.8:
        return round(rng.uniform(1000, 5_000_000), 2)
    return rng.randint(1, 300)


def _active_value(rng: random.Random, fid: str, ftype: str, act: str) -> int | float:
    if ftype == "amount":
        return _amount(rng, act)
    if fid.endswith(".change") and rng.random() < 0.05:
        return -rng.randint(1, 10)
    return _small(rng, act)


def _draw_requests(rng: random.Random, tpl: Template, act: str, g: dict[str, Any]) -> None:
    rows = tpl.table_rows("requests")
    special = ("new_received", "carried_over", "total", "carried_forward")
    results = [r.key for r in rows if r.key.split(".")[1] not in special]
    for col in APPLICANT_COLUMNS:
        a = (
            act
            if col == "natural_person" or act == "zero"
            else ("zero" if rng.random() < 0.75 else "sparse")
        )
        res = {k: _small(rng, a) for k in results}
        for k, v in res.items():
            g[f"{k}.{col}"] = v
        tot = sum(res.values())
        cf = rng.randint(0, 3) if tot and rng.random() < 0.3 else 0
        co = rng.randint(0, 3) if rng.random() < 0.2 else 0
        nr = tot + cf - co
        if nr < 0:
            co, nr = tot + cf, 0
        g[f"requests.total.{col}"] = tot
        g[f"requests.new_received.{col}"] = nr
        g[f"requests.carried_over.{col}"] = co
        g[f"requests.carried_forward.{col}"] = cf
    for r in rows:
        g[f"{r.key}.total"] = sum(g[f"{r.key}.{c}"] for c in APPLICANT_COLUMNS)


def _draw_appeals(rng: random.Random, act: str, g: dict[str, Any]) -> None:
    a = "zero" if act == "zero" or rng.random() < 0.5 else "light"
    for grp in APPEAL_GROUPS:
        vals = [_small(rng, a) if rng.random() < 0.5 else 0 for _ in range(4)]
        for col, v in zip(("upheld", "corrected", "other", "pending"), vals, strict=True):
            g[f"appeals.{grp}.{col}"] = v
        g[f"appeals.{grp}.total"] = sum(vals)


def draw_gold(rng: random.Random, tpl: Template, o: dict[str, Any]) -> dict[str, Any]:
    """Values for every field that obey the identities, with one total off if ``o['error']``."""
    g: dict[str, Any] = {}
    for f in tpl.fields:
        if f.table == "active":
            g[f.id] = _active_value(rng, f.id, f.type, o["activity"])
    _draw_requests(rng, tpl, o["activity"], g)
    _draw_appeals(rng, o["activity"], g)
    if o["error"]:
        totals = [fid for fid in g if fid.endswith(".total") or fid.startswith("requests.total.")]
        fid = rng.choice(totals)
        g[fid] = max(0, g[fid] + rng.choice((-3, -2, -1, 1, 1, 2, 5)))
        o["error_field"] = fid
    return {fid: g[fid] for fid in tpl.field_ids}


def _format(rng: random.Random, o: dict[str, Any], ftype: str, v: int | float) -> str:
    if ftype == "amount" and isinstance(v, float):
        s = f"{v:,.2f}" if o["thousands"] and v >= 1000 else f"{v:.2f}"
        if rng.random() < 0.3:
            s = s.rstrip("0").rstrip(".") if "." in s else s
    else:
        s = f"{v:,}" if o["thousands"] and abs(v) >= 1000 else str(v)
    if ftype == "amount" and v and o["amount_unit"]:
        big = "万" in o["amount_unit"] and v >= 100_000
        s += o["amount_unit"].replace("万", "") if big else o["amount_unit"]
    if o["fullwidth"] == "values":
        s = s.translate(_FULLWIDTH)
    return s


def print_values(
    rng: random.Random, tpl: Template, gold: dict[str, Any], o: dict[str, Any], traces: bool
) -> dict[str, str]:
    """The printed text of every field; blanks (gold None) become '' or a placeholder."""
    printed = {f.id: _format(rng, o, f.type, gold[f.id]) for f in tpl.fields}
    mode = o["blank_mode"]
    ph = o["placeholder"]
    if mode == "scatter":
        p = rng.uniform(0.03, 0.2)
        for fid in printed:
            if rng.random() < p:
                gold[fid] = None
                printed[fid] = "" if traces and rng.random() < 0.6 else ph
    elif mode == "rows":
        rows = [r for r in tpl.rows if r.table != "appeals"]
        text = "" if traces or rng.random() < 0.6 else ph
        for r in rng.sample(rows, rng.randint(1, 3)):
            for fid in r.field_ids:
                gold[fid], printed[fid] = None, text
    elif mode == "group":
        groups = ["review"] if rng.random() < 0.8 else list(APPEAL_GROUPS)
        text = "" if rng.random() < 0.7 else ph
        for fid in printed:
            if fid.split(".")[0] == "appeals" and fid.split(".")[1] in groups:
                gold[fid], printed[fid] = None, text
    return printed


# --------------------------------------------------------------------------- labels


class Labeller:
    """Label wording per report: numbering styles, variants and spaces inside labels."""

    def __init__(self, rng: random.Random, o: dict[str, Any]) -> None:
        self.rng = rng
        self.o = o

    def row(self, text: str) -> str:
        if self.o["variants"] and text in _variants()["row"] and self.rng.random() < 0.5:
            text = self.rng.choice(_variants()["row"][text])
        return self.number(text)

    def col(self, text: str) -> str:
        if self.o["variants"] and text in _variants()["col"] and self.rng.random() < 0.5:
            text = self.rng.choice(_variants()["col"][text])
        if self.o["spaced_labels"] and 4 <= len(text) <= 6 and self.rng.random() < 0.6:
            if len(text) == 4:
                return text[:2] + " " + text[2:]
            return " ".join(text)
        return self.number(text)

    def number(self, text: str) -> str:
        paren = self.o["paren"]
        if paren != "full":
            text = text.replace("（", "(").replace("）", ")")
            if paren == "half_space":
                text = re.sub(r"^(\([一二三四五六七八九十]\))", r"\1 ", text)
        dot = self.o["dot"]
        if dot != "1.":
            text = re.sub(r"^(\d)\.", lambda m: m.group(1) + dot[1:], text)
        return text


# --------------------------------------------------------------------------- tables


def _values(printed: dict[str, str], row: RowSpec) -> list[Cell]:
    out = []
    for f in row.fields:
        t = printed[f.id]
        out.append(Cell(t, "value" if t else "blank"))
    return out


def build_active(tpl: Template, printed: dict[str, str], lab: Labeller, title: str) -> Table:
    width = 4
    rows: list[list[Cell]] = []
    blocks: list[int] = []
    block = -1
    current = None
    for r in tpl.table_rows("active"):
        if r.group != current:
            current = r.group
            block += 1
            rows.append([Cell(lab.number(r.group or ""), "group", width)])
            head = [Cell("信息内容", "header")] + [
                Cell(lab.col(f.col_label), "header") for f in r.fields
            ]
            head[-1].span = width - len(head) + 1
            rows.append(head)
            blocks += [block, block]
        cells = [Cell(lab.row(r.label), "label"), *_values(printed, r)]
        cells[-1].span = width - len(cells) + 1
        rows.append(cells)
        blocks.append(block)
    return Table("active", title, width, rows, blocks)


def build_requests(tpl: Template, printed: dict[str, str], lab: Labeller, title: str) -> Table:
    cols = [
        lab.col(c)
        for c in (
            "自然人",
            "法人或其他组织",
            "总计",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
        )
    ]
    rows: list[list[Cell]] = [
        [Cell(_NOTE, "note", 3), Cell(lab.col("申请人情况"), "header", 7)],
        [
            Cell("", "trace", 3),
            Cell(cols[0], "header"),
            Cell(cols[1], "header", 5),
            Cell(cols[2], "header"),
        ],
        [
            Cell("", "trace", 3),
            Cell("", "trace"),
            *[Cell(c, "header") for c in cols[3:]],
            Cell("", "trace"),
        ],
    ]
    blocks = [0, 0, 0]
    seen: set[str] = set()
    in_results = False
    for r in tpl.table_rows("requests"):
        label = lab.row(r.label)
        if r.group == "三、本年度办理结果":
            in_results = True
        if r.key.endswith("carried_forward"):
            in_results = False
        if not in_results:
            head = [Cell(label, "label", 3)]
        elif r.group and r.group.startswith("（"):
            first = r.group not in seen
            seen.add(r.group)
            g = Cell(lab.number(r.group), "group") if first else Cell("", "trace")
            head = [Cell("", "trace"), g, Cell(label, "label")]
        else:
            first = bool(r.group) and r.group not in seen
            if r.group:
                seen.add(r.group)
            g0 = Cell(lab.number(r.group or ""), "group") if first else Cell("", "trace")
            head = [g0, Cell(label, "label", 2)]
        rows.append(head + _values(printed, r))
        blocks.append(1)
    return Table("requests", title, 10, rows, blocks)


def build_appeals(
    tpl: Template, printed: dict[str, str], lab: Labeller, title: str, order: str
) -> Table:
    res = [lab.col(c) for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
    r1 = [Cell(lab.col("行政复议"), "header", 5), Cell(lab.col("行政诉讼"), "header", 10)]
    direct = Cell(lab.col("未经复议直接起诉"), "header", 5)
    after = Cell(lab.col("复议后起诉"), "header", 5)
    if order == "A":
        r2 = [*[Cell(c, "header") for c in res], direct, after]
        r3 = [*[Cell("", "trace") for _ in res], *[Cell(c, "header") for c in res * 2]]
    else:
        r2 = [Cell("", "trace", 5), direct, after]
        r3 = [Cell(c, "header") for c in res * 3]
    values = _values(printed, tpl.row("appeals"))
    return Table("appeals", title, 15, [r1, r2, r3, values], [0, 0, 0, 0])


def row_role(cells: Sequence[Cell], sep_trace: bool = True) -> str:
    """The line label of a table row printed on one line."""
    kinds = [c.kind for c in cells if c.text]
    if "label" in kinds:
        return "row" if "value" in kinds else "row_label"
    n_values = kinds.count("value")
    if n_values:
        return "row" if "group" in kinds else ("values" if n_values > 1 else "value")
    if "group" in kinds:
        return "group"
    if kinds:
        return "header"
    return "empty_cell" if sep_trace else "blank"


# --------------------------------------------------------------------------- rendering context


def dwidth(text: str) -> int:
    """Display width: CJK and full-width characters count 2."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def chunk(text: str, width: int) -> list[str]:
    """Split text into pieces of at most ``width`` display columns."""
    out: list[str] = []
    cur, w = "", 0
    for ch in text:
        cw = 2 if ord(ch) >= 0x2E80 else 1
        if cur and w + cw > width:
            out.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    if cur or not out:
        out.append(cur)
    return out


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - dwidth(text))


def split_point(rng: random.Random, text: str, numbering: bool = True) -> int:
    """Where a wrapped label breaks: after its numbering, at a comma or anywhere inside."""
    m = re.match(r"^(?:[（(][一二三四五六七八九十][）)]|\d[.、．]\s?|[一二三四]、)", text)
    if m and numbering and rng.random() < 0.5 and m.end() < len(text) - 1:
        return m.end()
    if "，" in text[2:-2] and rng.random() < 0.7:
        return text.index("，", 2) + 1
    k = rng.randint(2, max(2, len(text) - 2))
    while 0 < k < len(text) - 1 and (text[k] in "）)、，" or text[k - 1] in "（("):
        k += 1
    return k


def cut(text: str, k: int) -> tuple[str, str]:
    """The two parts of a label wrapped at ``k``, without the spaces at the break."""
    return text[:k].rstrip(), text[k:].lstrip()


class Ctx:
    """The report being written: lines, their labels and the report-wide options."""

    def __init__(self, rng: random.Random, o: dict[str, Any], layout: str, title: str) -> None:
        self.rng = rng
        self.o = o
        self.layout = layout
        self.title = title
        self.lines: list[str] = []
        self.labels: list[str] = []
        self.page = 1
        self.pages = rng.randint(self.page + 3, 9)
        self.since_break = 0

    def emit(self, text: str, label: str) -> None:
        self.lines.append(text)
        self.labels.append(label)
        self.since_break += 1

    def blank(self) -> None:
        self.emit(" " if self.rng.random() < 0.03 else "", "blank")

    def page_number(self) -> str:
        n = self.page
        return self.rng.choice(
            (
                f"- {n} -",
                f"— {n} —",
                f"第{n}页 共{self.pages}页",
                f"第 {n} 页",
                f"{n}/{self.pages}",
                f"-{n}-",
            )
        )

    def page_break(self) -> None:
        """Page chrome between two pages: page number, maybe a running header."""
        if self.rng.random() < 0.5:
            self.blank()
        self.emit(self.page_number(), "noise")
        self.page += 1
        self.pages = max(self.pages, self.page + 1)
        if self.rng.random() < 0.5:
            self.blank()
        if self.o["running_header"]:
            self.emit(self.title, "noise")
        self.since_break = 0

    def wraps(self, cell: Cell) -> bool:
        return (
            cell.kind in ("header", "note", "label", "group")
            and len(cell.text) >= 5
            and self.rng.random() < self.o["wrap_p"]
        )


# --------------------------------------------------------------------------- cell-per-line layouts


def _requests_break(ctx: Ctx, table: Table) -> int:
    """The row of the requests table before which a page breaks (-1: none)."""
    if ctx.o["page_noise"] and table.key == "requests":
        return ctx.rng.randrange(4, len(table.rows))
    return -1


def render_cells(ctx: Ctx, table: Table) -> None:
    """cell_blank_sep, cell_tab and cell_lynx: one cell per line."""
    o, lay = ctx.o, ctx.layout
    indent = " " * o.get("indent", 3)
    prefix = {"cell_tab": "\t", "cell_lynx": indent}.get(lay, "")
    cont = indent if lay == "cell_lynx" else ""
    brk = _requests_break(ctx, table)
    for i, row in enumerate(table.rows):
        if i == brk:
            ctx.page_break()
        for cell in row:
            if cell.kind in ("trace", "blank"):
                if lay == "cell_tab" and (cell.kind == "blank" or o.get("traces")):
                    ctx.emit("\t", "empty_cell")
                continue
            parts = [cell.text]
            if ctx.wraps(cell):
                k = split_point(ctx.rng, cell.text)
                parts = list(cut(cell.text, k))
            ctx.emit(prefix + parts[0], _CELL_ROLE[cell.kind])
            for p in parts[1:]:
                if lay == "cell_blank_sep" and o["wrap_gap"]:
                    ctx.blank()
                ctx.emit(cont + p, "continuation")
            if lay == "cell_blank_sep":
                ctx.blank()
                if o["double_gap"] and ctx.rng.random() < 0.2:
                    ctx.blank()
        if lay == "cell_tab" or (lay == "cell_lynx" and o["row_gap"]):
            ctx.blank()


# --------------------------------------------------------------------------- row-per-line layouts


def expand(row: Sequence[Cell], pad_mode: str) -> list[Cell]:
    """The row's cells with colspans padded by empty cells: full, one or none."""
    out: list[Cell] = []
    for c in row:
        out.append(c)
        extra = c.span - 1 if pad_mode == "full" else min(1, c.span - 1) if pad_mode == "one" else 0
        out.extend(Cell("", "trace") for _ in range(extra))
    return out


def _split_candidates(table: Table) -> list[int]:
    return [
        i
        for i, row in enumerate(table.rows)
        if any(c.kind == "label" and len(c.text) >= 8 for c in row)
        and any(c.kind == "value" for c in row)
    ]


def render_tab_rows(ctx: Ctx, table: Table) -> None:
    """tab_rows: one row per line, tab-separated, merged cells leave empty cells."""
    o = ctx.o
    split = -1
    if o["split_label"] and table.key == "requests":
        cands = _split_candidates(table)
        split = ctx.rng.choice(cands) if cands else -1
    brk = _requests_break(ctx, table)
    tail = "\t" if o["trailing_tab"] else ""
    for i, row in enumerate(table.rows):
        if i == brk and i != split:
            ctx.page_break()
        cells = expand(row, o["span_pad"])
        if i != split:
            ctx.emit("\t".join(c.text for c in cells) + tail, row_role(row))
            continue
        j = next(n for n, c in enumerate(cells) if c.kind == "label")
        k = split_point(ctx.rng, cells[j].text, numbering=False)
        head = [c.text for c in cells]
        head[j], rest = cut(head[j], k)
        ctx.emit("\t".join(head) + tail, "row")
        ctx.blank()
        if ctx.rng.random() < 0.5:
            ctx.page_break()
        ctx.emit("\t" * j + rest + "\t" * (len(cells) - j - 1), "continuation")


def render_pipe_rows(ctx: Ctx, table: Table) -> None:
    """pipe_rows: ``a | b | c``."""
    outer = ctx.o["outer_pipes"]
    brk = _requests_break(ctx, table)
    for i, row in enumerate(table.rows):
        if i == brk:
            ctx.page_break()
        body = " | ".join(c.text for c in expand(row, "full"))
        ctx.emit(f"| {body} |" if outer else body, row_role(row))


def _md_blocks(table: Table, per_block: bool) -> list[list[int]]:
    if not per_block:
        return [list(range(len(table.rows)))]
    out: dict[int, list[int]] = {}
    for i, b in enumerate(table.blocks):
        out.setdefault(b, []).append(i)
    return list(out.values())


def render_markdown(ctx: Ctx, table: Table) -> None:
    """markdown: ``| a | b |`` with ``|---|`` under the first row of each table."""
    o = ctx.o
    sep = "|" + "|".join([o["md_sep"]] * table.width) + "|"
    for n, idx in enumerate(_md_blocks(table, o["per_block"])):
        if n:
            ctx.blank()
        if o["per_block"]:
            if o["placeholder_header"] == "列":
                cells = [f"列{k + 1}" for k in range(table.width)]
                ctx.emit("| " + " | ".join(cells) + " |", "noise")
            else:
                ctx.emit("|" + "  |" * table.width, "empty_cell")
            ctx.emit(sep, "noise")
        for m, i in enumerate(idx):
            row = table.rows[i]
            ctx.emit("| " + " | ".join(c.text for c in expand(row, "full")) + " |", row_role(row))
            if m == 0 and not o["per_block"]:
                ctx.emit(sep, "noise")


def render_space_rows(ctx: Ctx, table: Table) -> None:
    """space_rows: a label and its values on one line separated by spaces."""
    brk = _requests_break(ctx, table)
    for i, row in enumerate(table.rows):
        if i == brk:
            ctx.page_break()
        cells = [c for c in row if c.text]
        if ctx.o["group_own_line"] and len(cells) > 1 and cells[0].kind == "group":
            ctx.emit(cells[0].text, "group")
            cells = cells[1:]
        if cells:
            ctx.emit(" ".join(c.text for c in cells), row_role(cells))


def render_html2text(ctx: Ctx, table: Table) -> None:
    """html2text: ``a| b| c  `` rows, ``---|---  `` under each table's first row."""
    o = ctx.o
    for n, idx in enumerate(_md_blocks(table, o["per_block"])):
        if n:
            ctx.blank()
        for m, i in enumerate(idx):
            row = [c for c in table.rows[i] if c.kind != "trace"]
            texts = []
            for c in row:
                t = c.text
                if (
                    c.kind in ("header", "note", "label")
                    and len(t) >= 6
                    and ctx.rng.random() < o["br_p"]
                ):
                    k = split_point(ctx.rng, t)
                    t = "  \n".join(cut(t, k))
                texts.append(t)
            physical = ("| ".join(texts) + "  ").split("\n")
            ctx.emit(physical[0], row_role(row))
            for p in physical[1:]:
                ctx.emit(p, "continuation")
            if m == 0:
                ctx.emit("|".join(["---"] * len(row)) + "  ", "noise")


# --------------------------------------------------------------------------- box and grid layouts


def _col_widths(rng: random.Random, table: Table) -> list[int]:
    if table.key == "active":
        widths = [rng.randint(10, 22)] + [rng.randint(6, 14)] * 3
    elif table.key == "requests":
        widths = [rng.randint(6, 12), rng.randint(8, 16), rng.randint(12, 26)]
        widths += [rng.randint(4, 8)] * 7
    else:
        widths = [rng.randint(4, 8)] * 15
    for row in table.rows:
        col = 0
        for c in row:
            if c.span == 1 and c.kind in ("value", "blank"):
                widths[col] = max(widths[col], dwidth(c.text))
            col += c.span
    return widths


def render_box(ctx: Ctx, table: Table) -> None:
    """w3m_box (┌─┬─┐ │ …) and pandoc_grid (+---+ | …): cells wrap inside their row."""
    w3m = ctx.layout == "w3m_box"
    widths = _col_widths(ctx.rng, table)
    inner = 1 if w3m else 3

    def ruling(left: str, mid: str, right: str, fill: str) -> str:
        extra = 0 if w3m else 2
        return left + mid.join(fill * (w + extra) for w in widths) + right

    top = ruling("┌", "┬", "┐", "─") if w3m else ruling("+", "+", "+", "-")
    midr = ruling("├", "┼", "┤", "─") if w3m else ruling("+", "+", "+", "-")
    head_sep = midr if w3m else ruling("+", "+", "+", "=")
    bottom = ruling("└", "┴", "┘", "─") if w3m else top
    ctx.emit(top, "noise")
    n_head = 0
    while n_head < len(table.rows) and row_role(table.rows[n_head]) == "header":
        n_head += 1
    for i, row in enumerate(table.rows):
        col = 0
        pieces: list[tuple[list[str], int]] = []
        for c in row:
            w = sum(widths[col : col + c.span]) + inner * (c.span - 1)
            pieces.append((chunk(c.text, w), w))
            col += c.span
        height = max(len(p) for p, _ in pieces)
        for k in range(height):
            texts = [pad(p[k] if k < len(p) else "", w) for p, w in pieces]
            line = "│" + "│".join(texts) + "│" if w3m else "| " + " | ".join(texts) + " |"
            ctx.emit(line, row_role(row) if k == 0 else "continuation")
        last = i == len(table.rows) - 1
        ctx.emit(bottom if last else head_sep if i == n_head - 1 else midr, "noise")


# --------------------------------------------------------------------------- pdf text


def _pdf_join(ctx: Ctx, texts: Sequence[str]) -> str:
    if ctx.o["pdf_sep"] == "single":
        return " ".join(texts)
    out = texts[0] if texts else ""
    for t in texts[1:]:
        out += " " * ctx.rng.randint(1, 4) + t
    return out


def _pdf_header(ctx: Ctx, row: Sequence[Cell]) -> None:
    texts = [c.text for c in row if c.text]
    if ctx.o["pdf_hwrap"] and any(len(t) >= 6 for t in texts):
        first, second = [], []
        for t in texts:
            if len(t) >= 6:
                k = split_point(ctx.rng, t)
                a, b = cut(t, k)
                first.append(a)
                second.append(b)
            else:
                first.append(t)
        ctx.emit(_pdf_join(ctx, first), "header")
        ctx.emit(_pdf_join(ctx, second), "continuation")
    else:
        ctx.emit(_pdf_join(ctx, texts), "header")


def _vertical(ctx: Ctx, text: str, role: str) -> None:
    m = re.match(r"^(?:[（(][一二三四五六七八九十][）)]|[一二三四]、)", text)
    head = m.group(0) if m else ""
    chars = [head] if head else []
    chars += [ch for ch in text[len(head) :] if not ch.isspace()]
    ctx.emit(chars[0], role)
    for ch in chars[1:]:
        ctx.emit(ch, "continuation")


def render_pdf(ctx: Ctx, table: Table) -> None:
    """pdf_text: rows on lines with spaces, wrapped headers, page breaks, vertical labels."""
    o = ctx.o
    headers = [r for r in table.rows if row_role(r) == "header"]
    split = -1
    if o["split_label"] and table.key == "requests":
        cands = _split_candidates(table)
        split = ctx.rng.choice(cands) if cands else -1
    for i, row in enumerate(table.rows):
        role = row_role(row)
        if role == "header":
            if table.key == "appeals" and i == 0 and o["pdf_group"] == "vertical":
                _vertical(ctx, row[0].text, "header")
                row = row[1:]
            _pdf_header(ctx, row)
            continue
        cells = [c for c in row if c.text]
        if len(cells) > 1 and cells[0].kind == "group" and o["pdf_group"] != "inline":
            if o["pdf_group"] == "vertical":
                _vertical(ctx, cells[0].text, "group")
            else:
                ctx.emit(cells[0].text, "group")
            cells = cells[1:]
        if not cells:
            continue
        texts = [c.text for c in cells]
        j = next((n for n, c in enumerate(cells) if c.kind == "label"), -1)
        rest = ""
        if j >= 0 and (
            i == split or (o["pdf_lwrap"] and len(texts[j]) >= 14 and ctx.rng.random() < 0.5)
        ):
            k = split_point(ctx.rng, texts[j])
            texts[j], rest = cut(texts[j], k)
        ctx.emit(_pdf_join(ctx, texts), row_role(cells))
        if i == split or (ctx.since_break > o["page_lines"] and i < len(table.rows) - 1):
            ctx.page_break()
            if o["repeat_header"] and table.key == "requests":
                for h in headers:
                    _pdf_header(ctx, h)
        if rest:
            ctx.emit(rest, "continuation")


RENDERERS: dict[str, Callable[[Ctx, Table], None]] = {
    "cell_blank_sep": render_cells,
    "cell_tab": render_cells,
    "cell_lynx": render_cells,
    "tab_rows": render_tab_rows,
    "pipe_rows": render_pipe_rows,
    "markdown": render_markdown,
    "space_rows": render_space_rows,
    "w3m_box": render_box,
    "pandoc_grid": render_box,
    "html2text": render_html2text,
    "pdf_text": render_pdf,
}


# --------------------------------------------------------------------------- prose

_WRAP_WIDTH = {"pdf_text": 38, "w3m_box": 39, "pandoc_grid": 36, "cell_lynx": 36}


def _fill(ctx: Ctx, template: str, agency: str, year: int) -> str:
    r = ctx.rng
    return template.format(
        year=year,
        agency=agency,
        we=_we(agency),
        n=r.randint(20, 3000),
        m=r.randint(1, 200),
        k=r.randint(0, 60),
        tel=r.randint(1000000, 9999999),
    )


def paragraph(ctx: Ctx, text: str, label: str = "prose") -> None:
    """A paragraph, hard-wrapped in the layouts that wrap text, then a gap line maybe."""
    width = _WRAP_WIDTH.get(ctx.layout)
    indent = " " * ctx.o.get("indent", 3) if ctx.layout == "cell_lynx" else ""
    pieces = (
        [text]
        if not width or len(text) <= width
        else [text[i : i + width] for i in range(0, len(text), width)]
    )
    for p in pieces:
        ctx.emit(indent + p, label)
        if ctx.layout == "pdf_text" and ctx.since_break > ctx.o["page_lines"]:
            ctx.page_break()
    if ctx.o["para_gap"]:
        ctx.blank()


def _section_title(ctx: Ctx, n: int, text: str) -> str:
    if ctx.o["section_style"] == "1、 ":
        return f"{n}、 {text}"
    return f"{_CN_NUM[n - 1]}、{text}"


def write_title(ctx: Ctx, agency: str, year: int) -> str:
    style = ctx.o["title_style"]
    if style == "agency_line":
        ctx.emit(agency, "title")
        ctx.blank()
        title = f"{year}年政府信息公开工作年度报告"
    elif style == "year_first":
        title = f"{year}年度{agency}政府信息公开工作年度报告"
    elif style == "spaced":
        title = f"{agency} {year} 年政府信息公开 工作年度报告"
    else:
        title = f"{agency}{year}年{ctx.rng.choice(('', '度'))}政府信息公开工作年度报告"
    ctx.emit(title, "title")
    return title


def write_chrome_top(ctx: Ctx, agency: str, year: int) -> None:
    r = ctx.rng
    ctx.emit(
        r.choice(
            (
                "首页 > 政府信息公开 > 政府信息公开年报",
                "首页/ 政府信息公开 / 政府信息公开年报 / 部门信息公开年报 / 正文",
                "当前位置：首页 > 信息公开 > 年度报告",
            )
        ),
        "noise",
    )
    if r.random() < 0.4:
        ctx.emit("网站支持IPv6", "noise")
    ctx.blank()


def write_source_line(ctx: Ctx, agency: str, year: int) -> None:
    r = ctx.rng
    date = f"{year + 1}-0{r.randint(1, 3)}-{r.randint(10, 28)}"
    ctx.emit(
        r.choice(
            (
                f"来源: {agency}\xa0\xa0| \xa0\xa0发布日期: {date} 1{r.randint(0, 7)}:30",
                f"发布时间：{date}  来源：{agency}  浏览次数：{r.randint(10, 999)}",
                f"【字体：大 中 小】 发布日期：{date}",
            )
        ),
        "noise",
    )
    ctx.blank()


def write_chrome_bottom(ctx: Ctx) -> None:
    ctx.blank()
    ctx.emit(ctx.rng.choice(("打印本页 关闭窗口", "【打印本页】【关闭窗口】", "分享到：")), "noise")
    if ctx.rng.random() < 0.5:
        code = ctx.rng.randint(10**9, 10**10)
        ctx.emit(f"主办单位：{ctx.title[:6]}  网站标识码：{code}", "noise")


def write_overview(ctx: Ctx, template: str, agency: str, year: int) -> None:
    r = ctx.rng
    ctx.emit(_section_title(ctx, 1, "总体情况"), "heading")
    if ctx.o["para_gap"]:
        ctx.blank()
    for n, sub in enumerate(_SUBHEADS[template][: r.randint(0, 5)]):
        num = f"（{_CN_NUM[n]}）" if ctx.o["paren"] == "full" else f"({_CN_NUM[n]})"
        ctx.emit(num + sub, "heading")
        if ctx.o["para_gap"]:
            ctx.blank()
        for _ in range(r.randint(1, 2)):
            text = "".join(_fill(ctx, s, agency, year) for s in r.sample(_PROSE, r.randint(1, 4)))
            paragraph(ctx, text)
    if r.random() < 0.3:
        paragraph(ctx, "".join(_fill(ctx, s, agency, year) for s in r.sample(_PROSE, 3)))


def table_title(ctx: Ctx, key: str, n: int) -> str:
    names = {
        "active": ["主动公开政府信息情况"],
        "requests": ["收到和处理政府信息公开申请情况"],
        "appeals": ["政府信息公开行政复议、行政诉讼情况"],
    }[key]
    if ctx.rng.random() < 0.1:
        names = list(_variants()["title"].get(key, names))
    name = ctx.rng.choice(names)
    return _section_title(ctx, n, name) if ctx.o["table_numbering"] else name


def write_closing(ctx: Ctx, agency: str, year: int) -> None:
    r = ctx.rng
    ctx.emit(_section_title(ctx, 5, "存在的主要问题及改进情况"), "heading")
    for s in r.sample(_PROBLEMS, r.randint(1, 3)):
        paragraph(ctx, _fill(ctx, s, agency, year))
    ctx.emit(_section_title(ctx, 6, "其他需要报告的事项"), "heading")
    paragraph(ctx, _fill(ctx, r.choice(_OTHER), agency, year))
    ctx.blank()
    pad_left = " " * r.choice((0, 0, 0, 20, 30))
    ctx.emit(pad_left + agency, "prose")
    if r.random() < 0.2:
        ctx.blank()
    ctx.emit(pad_left + f"{year + 1}年{r.randint(1, 3)}月{r.randint(1, 28)}日", "prose")


# --------------------------------------------------------------------------- report


def _post(text: str, o: dict[str, Any]) -> str:
    if o["traditional"]:
        text = str(_s2t().convert(text))
    if o["fullwidth"] == "all":
        text = text.translate(_FULLWIDTH)
    return text


def generate_report(
    rng: random.Random, template: str, layout: str, index: int = 0
) -> GeneratedReport:
    """One synthetic report of ``template`` in ``layout``, drawn from ``rng``."""
    if layout not in RENDERERS:
        raise KeyError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    tpl = load_template(template)
    year = rng.choice((2019, 2020)) if template == "2019" else rng.randint(2021, 2025)
    agency = make_agency(rng)
    o = draw_options(rng, template, layout)
    gold = draw_gold(rng, tpl, o)
    printed = print_values(rng, tpl, gold, o, layout in TRACE_LAYOUTS)
    ctx = Ctx(rng, o, layout, "")
    if o["chrome"]:
        write_chrome_top(ctx, agency, year)
    ctx.title = write_title(ctx, agency, year)
    ctx.blank()
    if o["chrome"]:
        write_source_line(ctx, agency, year)
    for s in rng.sample(_INTRO, rng.randint(1, 2)):
        paragraph(ctx, _fill(ctx, s, agency, year))
    write_overview(ctx, template, agency, year)
    lab = Labeller(rng, o)
    tables = [
        build_active(tpl, printed, lab, table_title(ctx, "active", 2)),
        build_requests(tpl, printed, lab, table_title(ctx, "requests", 3)),
        build_appeals(tpl, printed, lab, table_title(ctx, "appeals", 4), o["appeals_order"]),
    ]
    for t in tables:
        ctx.emit(t.title, "table_title")
        if rng.random() < 0.5 or layout in ("markdown", "html2text"):
            ctx.blank()
        RENDERERS[layout](ctx, t)
        ctx.blank()
    write_closing(ctx, agency, year)
    if o["chrome"]:
        write_chrome_bottom(ctx)
    text = _post("\n".join(ctx.lines), o)
    return GeneratedReport(
        name=f"gen-{template}-{layout}-{index:06d}",
        template=template,
        layout=layout,
        text=text,
        labels=ctx.labels,
        fields=gold,
        agency=agency,
        year=year,
        options=o,
    )


def generate_corpus(
    n: int, seed: int, layouts: Sequence[str] | None = None, templates: Sequence[str] = TEMPLATES
) -> Iterator[GeneratedReport]:
    """``n`` reports cycling over layouts and templates; report ``i`` depends on (seed, i) only."""
    lays = tuple(layouts or LAYOUTS)
    for i in range(n):
        layout = lays[i % len(lays)]
        template = templates[(i // len(lays)) % len(templates)]
        yield generate_report(random.Random(f"{seed}-{i}"), template, layout, i)


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--layouts", default="", help="comma-separated layouts (default: all)")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    layouts = [x for x in args.layouts.split(",") if x] or None
    for r in generate_corpus(args.n, args.seed, layouts):
        (args.out / f"{r.name}.txt").write_text(r.text, encoding="utf-8")
        meta = {k: v for k, v in asdict(r).items() if k != "text"}
        (args.out / f"{r.name}.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
