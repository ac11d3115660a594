"""Build report web pages and dump them with the real text-mode tools, as test fixtures.

Most annual reports are published as web pages, and users paste what a browser or
converter makes of the page's tables.  This script writes, for each template, a
realistic portal-style HTML page (rowspan/colspan structure, blank cells, long labels
that wrap in narrow columns) and runs the tools people really use on it:

* ``w3m -dump`` (box-drawn tables), ``lynx -dump`` (no rulings),
* ``pandoc -t plain`` / ``-t markdown`` / ``-t gfm``,
* the ``html2text`` Python module (Markdown pipe tables),
* pandoc 3 (grid tables with partial rulings for spans) when ``pypandoc_binary`` is
  importable, e.g. ``pip install --target /tmp/pp pypandoc_binary`` and ``PYTHONPATH=/tmp/pp``.

Dumps where a tool gave up on the tables (pandoc 2's ``[TABLE]``, raw HTML from gfm) are
not written.

Outputs go to the directory given (the project's are in ``tests/fixtures/web/``):
``<template>.html``, ``<tool>-<template>.txt`` and ``<template>.expected.json`` (every
field id of the template, ``None`` for blank cells).  The tools are needed only here,
never by giextract itself::

    apt-get install -y w3m lynx pandoc && pip install html2text
    python -m giextract.training.web_fixtures --out tests/fixtures/web
"""

from __future__ import annotations

import argparse
import html
import json
import subprocess
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from giextract.catalogue import APPLICANT_COLUMNS

Values = dict[str, int | float | None]

# Fields left blank on the page (an empty ``<td>`` or ``&nbsp;``), as portals often do.
BLANK = {
    "2019": ("requests.denied.admin_query.research", "appeals.litigation_after_review.pending"),
    "2021": ("requests.other.unpaid_fee.social_org", "active.fees.amount"),
}
BLANK_AS_NBSP = {"requests.other.unpaid_fee.social_org", "appeals.litigation_after_review.pending"}

# Word-exported pages wrap each cell's text in <p> (lynx then puts every cell on its own
# line); hand-made pages do not.  The 2021 page uses <p>, the 2019 page bare cells.
CELL_STYLE = {"p": False}

APPLICANTS = (*APPLICANT_COLUMNS, "total")


def load_fields(template: str) -> list[dict[str, str]]:
    """The field definitions of a template, in order."""
    text = resources.files("giextract").joinpath("data", "fields.json").read_text("utf-8")
    data = json.loads(text)
    fields: list[dict[str, str]] = data["templates"][template]["fields"]
    return fields


def sample_values(template: str) -> Values:
    """Deterministic, varied values (multi-digit numbers, amounts, blanks) for every field."""
    values: Values = {}
    for i, f in enumerate(load_fields(template)):
        fid = f["id"]
        if f["type"] == "amount":
            values[fid] = round(12.5 + i * 3.17, 2)
        elif fid.endswith(".change"):
            values[fid] = (i % 5) - 2
        else:
            values[fid] = (i * 37) % 9 if i % 4 else (i * 53) % 1300
    for fid in BLANK[template]:
        values[fid] = None
    _fix_totals(values)
    return values


def _fix_totals(values: Values) -> None:
    """Make each requests row's 总计 the sum of its applicants (when nothing is blank)."""
    rows = {k.rsplit(".", 1)[0] for k in values if k.startswith("requests.")}
    for row in rows:
        parts = [values.get(f"{row}.{a}") for a in APPLICANTS[:-1]]
        if f"{row}.total" in values and all(isinstance(p, int) for p in parts):
            values[f"{row}.total"] = sum(p for p in parts if isinstance(p, int))


# ---------------------------------------------------------------- HTML building


def td(text: str = "", *, rowspan: int = 1, colspan: int = 1, width: int | None = None) -> str:
    """One portal-style cell: a ``<td>`` wrapping a centred ``<p><span>``."""
    attrs = ""
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    if width:
        attrs += f' width="{width}"'
    if text == "":
        return f"<td{attrs}></td>"
    body = ["&nbsp;"] if text == "\xa0" else [html.escape(p) for p in text.split("\n")]
    if CELL_STYLE["p"]:
        paras = "".join(f'<p style="text-align:center"><span>{b}</span></p>' for b in body)
        return f'<td{attrs} valign="middle">{paras}</td>'
    return f'<td{attrs} align="center"><span>{"<br>".join(body)}</span></td>'


def tr(*cells: str) -> str:
    return "<tr>" + "".join(cells) + "</tr>"


def cell_value(values: Values, fid: str) -> str:
    """The text of a value cell: the number, or blank (empty / ``&nbsp;``)."""
    v = values[fid]
    if v is None:
        return "\xa0" if fid in BLANK_AS_NBSP else ""
    return str(v)


def table(rows: list[str]) -> str:
    return (
        '<table border="1" cellspacing="0" cellpadding="0" '
        'style="width:600px;border-collapse:collapse"><tbody>' + "".join(rows) + "</tbody></table>"
    )


def _row_fields(fields: list[dict[str, str]], tbl: str) -> dict[str, list[dict[str, str]]]:
    """Fields of one table grouped by row (id without its last part), in order."""
    rows: dict[str, list[dict[str, str]]] = {}
    for f in fields:
        if f["table"] == tbl:
            rows.setdefault(f["id"].rsplit(".", 1)[0], []).append(f)
    return rows


def active_table(fields: list[dict[str, str]], values: Values) -> str:
    """主动公开: per 第二十条 item a section header row, a column header row, then data rows."""
    rows: list[str] = []
    group = None
    for fs in _row_fields(fields, "active").values():
        if fs[0]["group"] != group:
            group = fs[0]["group"]
            rows.append(tr(td(group, colspan=4)))
            heads = [td(f["col_label"]) for f in fs]
            heads[-1] = td(fs[-1]["col_label"], colspan=4 - len(fs))
            rows.append(tr(td("信息内容", width=180), *heads))
        vals = [td(cell_value(values, f["id"])) for f in fs]
        vals[-1] = td(cell_value(values, fs[-1]["id"]), colspan=4 - len(fs))
        rows.append(tr(td(fs[0]["row_label"]), *vals))
    return table(rows)


def _request_label_cells(
    fs: list[dict[str, str]], spans: dict[str, int], seen: set[str]
) -> list[str]:
    """The label cells of one requests row (group cells only on their first row)."""
    f = fs[0]
    group, label = f["group"], f["row_label"]
    if label.startswith(("一、", "二、", "四、")):
        return [td(label, colspan=3)]
    outer = "三、本年度办理结果"
    cells: list[str] = []
    if outer not in seen:
        seen.add(outer)
        cells.append(td(outer, rowspan=spans[outer]))
    if group in (outer, None):
        return [*cells, td(label.replace("（区分", "\n（区分"), colspan=2)]
    if group not in seen:
        seen.add(group)
        cells.append(td(group, rowspan=spans[group]))
    return [*cells, td(label)]


def requests_table(fields: list[dict[str, str]], values: Values) -> str:
    """收到和处理: a three-row two-level header, then 23 or 25 rows of 7 values."""
    rows_by_id = _row_fields(fields, "requests")
    spans: dict[str, int] = {}
    for fs in rows_by_id.values():
        g = fs[0]["group"]
        if g and g != "None":
            spans[g] = spans.get(g, 0) + 1
    spans["三、本年度办理结果"] = sum(
        1
        for k in rows_by_id
        if k not in ("requests.new_received", "requests.carried_over", "requests.carried_forward")
    )
    rows = [
        tr(
            td(
                "（本列数据的勾稽关系为：\n第一项加第二项之和，\n等于第三项加第四项之和）",
                rowspan=3,
                colspan=3,
            ),
            td("申请人情况", colspan=7),
        ),
        tr(td("自然人", rowspan=2), td("法人或其他组织", colspan=5), td("总计", rowspan=2)),
        tr(*(td(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))),
    ]
    seen: set[str] = set()
    for row_id, fs in rows_by_id.items():
        labels = _request_label_cells(fs, spans, seen)
        vals = [td(cell_value(values, f"{row_id}.{a}")) for a in APPLICANTS]
        rows.append(tr(*labels, *vals))
    return table(rows)


def appeals_table(values: Values) -> str:
    """复议诉讼: 行政复议 / 行政诉讼 (未经复议直接起诉, 复议后起诉), 15 values."""
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    ids = ("upheld", "corrected", "other", "pending", "total")
    groups = ("review", "litigation_direct", "litigation_after_review")
    rows = [
        tr(td("行政复议", colspan=5), td("行政诉讼", colspan=10)),
        tr(
            *(td(r, rowspan=2) for r in results),
            td("未经复议直接起诉", colspan=5),
            td("复议后起诉", colspan=5),
        ),
        tr(*(td(r) for r in results * 2)),
        tr(*(td(cell_value(values, f"appeals.{g}.{i}")) for g in groups for i in ids)),
    ]
    return table(rows)


def page(template: str, values: Values) -> str:
    """A whole report page: title, prose, the three tables with their titles, a signature."""
    fields = load_fields(template)
    year = 2021 if template == "2021" else 2019
    title = f"XX局{year}年政府信息公开工作年度报告"
    para = (
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制。全文包括总体情况、主动公开政府信息情况、"
        f"收到和处理政府信息公开申请情况等。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"><title>' + title + "</title></head><body>",
        '<div class="header"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>',
        f'<div class="article"><h1 style="text-align:center">{title}</h1>',
        f"<p>{para}</p>",
        "<p><strong>一、总体情况</strong></p>",
        f"<p>{year}年，我局认真贯彻落实政府信息公开工作要求，进一步推进决策、执行、管理、服务、结果公开。</p>",
        "<p><strong>二、主动公开政府信息情况</strong></p>",
        active_table(fields, values),
        "<p><strong>三、收到和处理政府信息公开申请情况</strong></p>",
        requests_table(fields, values),
        "<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>",
        appeals_table(values),
        "<p><strong>五、存在的主要问题及改进情况</strong></p>",
        "<p>政府信息公开工作仍存在公开内容不够全面等问题。下一步，我局将进一步加强培训。</p>",
        "<p><strong>六、其他需要报告的事项</strong></p>",
        "<p>本年度未收取信息处理费。</p>",
        '<p style="text-align:right">XX局</p>',
        f'<p style="text-align:right">{year + 1}年1月20日</p>',
        "</div></body></html>",
    ]
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- the tools


def _run(cmd: list[str], source: str) -> str:
    return subprocess.run(
        cmd, input=source.encode("utf-8"), capture_output=True, check=True
    ).stdout.decode("utf-8")


def _html2text(source: str) -> str:
    import html2text

    return str(html2text.html2text(source))


def _pandoc3() -> str | None:
    """A pandoc 3 binary (grid tables with row/col spans), from ``pypandoc_binary`` if present."""
    try:
        import pypandoc

        path = str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return None
    return path if _run([path, "--version"], "").startswith("pandoc 3") else None


def tools() -> dict[str, Callable[[str], str]]:
    """The dump commands: name -> function from HTML to text."""
    found: dict[str, Callable[[str], str]] = {
        "w3m": lambda s: _run(
            ["w3m", "-dump", "-cols", "100", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8"], s
        ),
        "lynx": lambda s: _run(
            [
                "lynx",
                "-dump",
                "-nolist",
                "-width",
                "100",
                "-display_charset=utf-8",
                "-assume_charset=utf-8",
                "-stdin",
            ],
            s,
        ),
        "html2text": _html2text,
    }
    pandocs = {"pandoc": "pandoc", "pandoc3": _pandoc3()}
    for name, binary in pandocs.items():
        if binary is None:
            continue
        for fmt in ("plain", "markdown", "gfm"):
            found[f"{name}-{fmt}"] = _pandoc_tool(binary, fmt)
    return found


def _pandoc_tool(binary: str, fmt: str) -> Callable[[str], str]:
    """A converter from HTML to pandoc's ``fmt`` with the given pandoc binary."""

    def convert(source: str) -> str:
        return _run([binary, "-f", "html", "-t", fmt], source)

    return convert


def useful(dump: str) -> bool:
    """Whether a dump has the tables as text: pandoc 2 gives up with ``[TABLE]`` on cells of
    several paragraphs with spans, and gfm falls back to raw HTML for spanned cells."""
    return "[TABLE]" not in dump and "<table" not in dump


def build(out: Path) -> list[Path]:
    """Write the HTML, the expected fields and every tool's dump for both templates."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for template in ("2019", "2021"):
        values = sample_values(template)
        CELL_STYLE["p"] = template == "2021"
        source = page(template, values)
        targets = {out / f"{template}.html": source}
        targets[out / f"{template}.expected.json"] = (
            json.dumps({"template": template, "fields": values}, ensure_ascii=False, indent=1)
            + "\n"
        )
        for name, tool in tools().items():
            dump = tool(source)
            if useful(dump):
                targets[out / f"{name}-{template}.txt"] = dump
        for path, text in targets.items():
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m giextract.training.web_fixtures --out DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="e.g. tests/fixtures/web")
    build(parser.parse_args(argv).out)


if __name__ == "__main__":
    main()
