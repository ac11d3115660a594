"""Properties of the rebuild on arbitrary labelled lines (hypothesis).

Whatever the lines and labels: no exception escapes, no number is invented (every value
of a field was printed in a cell), a blank stays null, and the output is valid JSON.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from giextract.catalogue import TEMPLATES, load_template
from giextract.fields import fields_and_provenance, row_warnings
from giextract.lines import to_lines
from giextract.read import read_text
from giextract.tokens import LineLabel
from giextract.values import listed_markers, parse_value

PIECES = [
    "规章",
    "行政规范性文件",
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（三）不予公开",
    "1.属于国家秘密",
    "（七）总计",
    "四、结转下年度继续办理",
    "行政复议",
    "结果维持",
    "自然人",
    "四、政府信息公开行政复议、行政诉讼情况",
    "三、收到和处理政府信息公开申请情况",
    "0",
    "1",
    "12",
    "3件",
    "1,234",
    "2.5万元",
    "",
    "?",
    "不详",
    "9" * 400,
    "9" * 30 + ".5",
    *listed_markers()[:8],
]

_line = st.lists(st.sampled_from(PIECES), min_size=0, max_size=10).map("\t".join)
_labels = st.sampled_from([label.value for label in LineLabel])


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(_line, _labels), min_size=1, max_size=40),
    tid=st.sampled_from(TEMPLATES),
)
def test_rebuild_never_raises_and_invents_nothing(rows: list[tuple[str, str]], tid: str) -> None:
    from giextract.tables import rebuild

    text = "\n".join(line if line.strip() else "x" for line, _ in rows)
    lines = to_lines(read_text(text))
    labels = [rows[ln.number - 1][1] for ln in lines]
    rebuilt = rebuild(lines, labels, load_template(tid))
    fields, provenance = fields_and_provenance(rebuilt, tid)
    warnings = row_warnings(rebuilt, tid)
    json.dumps({"f": fields, "p": provenance, "w": warnings}, allow_nan=False)
    printed = {parse_value(c).value for ln in lines for c in ln.cells} - {None}
    for fid, value in fields.items():
        if value is not None:
            assert value in printed, fid
            assert provenance[fid]["raw"] != ""  # a blank cell never gives a number
