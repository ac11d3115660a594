"""The CLI: typer's CliRunner over extract, with good, bad and mixed batches."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import REPO
from typer.testing import CliRunner

from giextract.catalogue import all_field_ids
from giextract.cli import app

EXAMPLE = REPO / "examples" / "liuzhou-bigdata-2019.txt"
runner = CliRunner()


def _bad_files(tmp_path: Path) -> list[Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.bin"
    binary.write_bytes(bytes(range(256)) * 40)
    prose = tmp_path / "prose.txt"
    prose.write_text("这是一篇普通的文章。\n与政府信息公开年报无关。\n", encoding="utf-8")
    return [empty, binary, prose]


def test_extract_json_example() -> None:
    result = runner.invoke(app, ["extract", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert len(records) == 1
    rec = records[0]
    assert rec["template"] == "2019" and rec["year"] == 2019
    assert rec["fields"]["active.procurement.amount"] == 1763847.27
    assert rec["fields"]["appeals.review.upheld"] is None
    assert {"source", "agency", "checks", "warnings", "provenance", "error"} <= set(rec)


def test_batch_goes_on_after_bad_files(tmp_path: Path) -> None:
    bad = _bad_files(tmp_path)
    files = [bad[0], EXAMPLE, bad[1], bad[2]]
    result = runner.invoke(app, ["extract", *map(str, files), "--format", "jsonl"])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["source"]).name for r in records] == [f.name for f in files]
    codes = [r["error"]["code"] if r["error"] else None for r in records]
    assert codes == ["E001", None, "E002", "E004"]
    assert records[1]["fields"]["active.procurement.items"] == 12
    for r in (records[0], records[2], records[3]):
        assert r["fields"] == {}  # nothing invented for a file that failed


def test_csv_has_one_row_per_report_and_every_field(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["extract", str(EXAMPLE), str(_bad_files(tmp_path)[0]), "-f", "csv", "-o", str(out)]
    )
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert len(rows) == 3
    header = rows[0]
    assert header[-len(all_field_ids()) :] == all_field_ids()
    good = dict(zip(header, rows[1], strict=True))
    assert good["active.procurement.amount"] == "1763847.27"
    assert good["appeals.review.total"] == ""  # null, not 0
    assert good["active.rules.issued"] == ""  # a 2021 field in a 2019 report
    assert rows[2][header.index("error")].startswith("E001")


def test_missing_file_is_an_error_record(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt"), "-f", "jsonl"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["code"] == "E006"
