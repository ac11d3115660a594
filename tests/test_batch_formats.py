"""A mixed batch through the CLI: every format, misnamed and broken files; each bad file
gets its own coded error and the good ones are unaffected."""

from __future__ import annotations

import json
from pathlib import Path

from fixtures_formats import build_docx, build_html, build_pdf, build_scanned_pdf, sample_values
from typer.testing import CliRunner

from giextract.cli import app


def test_mixed_batch(tmp_path: Path) -> None:
    vals = sample_values("2021", seed=4)
    pdf = build_pdf("2021", vals)
    docx = build_docx("2021", vals)
    files = {
        "good.html": build_html("2021", vals),
        "corrupt.pdf": pdf[: len(pdf) // 2],
        "good.docx": docx,
        "truncated.docx": docx[: len(docx) // 3],
        "no-report.html": "<html><body><p>本站介绍</p><p>联系我们</p></body></html>".encode(),
        "scanned.pdf": build_scanned_pdf(),
        "misnamed.txt": pdf,
    }
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    result = CliRunner().invoke(app, ["extract", *paths, "--format", "jsonl"])
    assert result.exit_code == 1
    records = {Path(r["source"]).name: r for r in map(json.loads, result.stdout.splitlines())}
    assert list(records) == list(files)
    codes = {name: (r["error"] or {}).get("code") for name, r in records.items()}
    assert codes == {
        "good.html": None,
        "corrupt.pdf": "E008",
        "good.docx": None,
        "truncated.docx": "E008",
        "no-report.html": "E004",
        "scanned.pdf": "E009",
        "misnamed.txt": None,
    }
    for name in ("good.html", "good.docx", "misnamed.txt"):
        got = records[name]["fields"]
        assert {k: got[k] for k in vals} == vals, name
