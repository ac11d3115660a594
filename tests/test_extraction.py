"""One pipeline run gives every stage's result, and an E004 keeps what was computed."""

from __future__ import annotations

import pytest
from conftest import CORPUS

from giextract.classify import LineModel
from giextract.errors import GiextractError
from giextract.pipeline import analyze_document, extract_document
from giextract.read import read_path, read_text

REPORT = CORPUS / "sources" / "guangxi-liuzhou-bigdata-2019.txt"


def test_a_report_gives_lines_labels_tables_and_fields(model: LineModel) -> None:
    doc = read_path(REPORT)
    ex = analyze_document(doc, model)
    assert ex.ok and ex.error is None and ex.report.error is None
    assert len(ex.lines) == len(ex.labels) == len(ex.confidence) > 100
    assert ex.rebuilt is not None and len(ex.rebuilt.rows) > 25
    assert ex.report.fields["active.procurement.amount"] == 1763847.27
    assert extract_document(doc, model).report.to_dict() == ex.report.to_dict()


def test_no_template_keeps_the_labels(model: LineModel) -> None:
    doc = read_text("通知\n\n请各单位按时报送材料。\n")
    ex = analyze_document(doc, model)
    assert ex.error is not None and ex.error.code.value == "E004"
    assert ex.report.error == ex.error.to_dict()
    assert ex.report.fields == {} and ex.report.template is None and ex.rebuilt is None
    assert len(ex.labels) == len(ex.lines) == len(ex.confidence) == 4
    assert ex.labels[1] == "blank"
    with pytest.raises(GiextractError) as err:
        extract_document(doc, model)
    assert err.value.message == ex.error.message


def test_too_few_rows_keep_the_tables(model: LineModel) -> None:
    text = "2019年政府信息公开工作年度报告\n收到和处理政府信息公开申请情况\n规章\t0\t0\t0\n"
    ex = analyze_document(read_text(text), model)
    assert ex.error is not None and "table rows were recognised" in ex.error.message
    assert ex.rebuilt is not None  # the template was found: the rebuilt tables are kept
    assert ex.report.fields == {}
