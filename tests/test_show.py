"""giextract show: the HTML page of labelled lines, fields and checks."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from giextract.classify import LineModel
from giextract.cli import app
from giextract.show import COLORS, render_report

REPO = Path(__file__).resolve().parent.parent
REPORT = REPO / "corpus" / "sources" / "guangxi-liuzhou-bigdata-2019.txt"


def test_page_has_labelled_lines_and_fields(model: LineModel) -> None:
    page = render_report(REPORT, model)
    assert page.startswith("<!DOCTYPE html>") or "<html" in page[:200]
    assert page.count('<mark class="entity"') > 50
    assert COLORS["row"] in page and COLORS["table_title"] in page
    assert "active.procurement.amount" in page and "1763847.27" in page
    assert "<h2>Checks</h2>" in page and "requests.balance.total" in page
    assert page.rstrip().endswith("</html>")


def test_not_a_report_still_shows_labels(model: LineModel, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("通知\n\n请各单位按时报送材料。\n", encoding="utf-8")
    page = render_report(path, model)
    assert "E004" in page and '<mark class="entity"' in page


def test_cli_writes_the_file(model: LineModel, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["show", str(REPORT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count("<mark") > 50
