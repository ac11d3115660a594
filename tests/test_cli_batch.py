"""`giextract extract` as a batch tool: directories, stdin, progress, summary, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO
from typer.testing import CliRunner

from giextract import __version__
from giextract.cli import app

EXAMPLE = REPO / "examples" / "liuzhou-bigdata-2019.txt"
runner = CliRunner()


def _review_report(tmp_path: Path) -> Path:
    """The example with one cell of a requests row gone and a number changed: the row's
    reading is a guess that an identity then fails (status ``review``)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    line = next(x for x in text.split("\n") if x.startswith("一、本年新收政府信息公开申请数量"))
    cells = line.split("\t")
    broken = "\t".join([*cells[:-2], cells[-1]]).replace("\t\t0\t", "\t\t5\t", 1)
    path = tmp_path / "review.txt"
    path.write_text(text.replace(line, broken), encoding="utf-8")
    return path


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    (root / "2019").mkdir(parents=True)
    (root / "2019" / "a.txt").write_bytes(EXAMPLE.read_bytes())
    (root / "2019" / "notes.json").write_text("{}", encoding="utf-8")
    (root / "b.txt").write_text("这是一篇普通的文章。\n与年报无关。\n", encoding="utf-8")
    return root


def test_directory_is_searched_recursively_with_patterns(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    result = runner.invoke(app, ["extract", str(root), "-f", "jsonl", "-w", "1"])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(Path(r["source"]).name for r in records) == ["a.txt", "b.txt"]
    assert result.exit_code == 1  # b.txt is not a report
    only = runner.invoke(app, ["extract", str(root), "-i", "a.*", "-f", "jsonl", "-w", "1"])
    assert only.exit_code == 0
    assert [Path(json.loads(x)["source"]).name for x in only.stdout.splitlines()] == ["a.txt"]


def test_stdin_is_one_report() -> None:
    result = runner.invoke(
        app, ["extract", "-", "-f", "jsonl", "-w", "1"], input=EXAMPLE.read_bytes()
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["source"] == "<stdin>"
    assert record["fields"]["active.procurement.amount"] == 1763847.27


def test_summary_line_on_stderr(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    files = [str(root), str(_review_report(tmp_path))]
    result = runner.invoke(app, ["extract", *files, "-f", "jsonl", "-w", "1"])
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("giextract: 3 files, 1 error, 1 needs review, in ")
    )
    quiet = runner.invoke(app, ["extract", *files, "-f", "jsonl", "-w", "1", "-q"])
    assert quiet.stderr == ""
    assert quiet.stdout == result.stdout


def test_progress_bar_when_asked(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    result = runner.invoke(
        app,
        ["extract", str(root), "-f", "jsonl", "-w", "1", "--progress", "-o", str(tmp_path / "o")],
    )
    assert "2/2" in result.stderr
    assert "1 error, 0 need review" in result.stderr
    assert "error: " in result.stderr and "b.txt: [E004]" in result.stderr
    plain = runner.invoke(app, ["extract", str(root), "-f", "jsonl", "-w", "1"])
    assert "2/2" not in plain.stderr  # not a terminal: no bar


def test_fail_on(tmp_path: Path) -> None:
    review = str(_review_report(tmp_path))
    args = ["extract", review, "-f", "jsonl", "-w", "1"]
    assert runner.invoke(app, args).exit_code == 0
    assert runner.invoke(app, [*args, "--fail-on", "review"]).exit_code == 1
    assert runner.invoke(app, [*args, "--fail-on", "error"]).exit_code == 0
    bad = ["extract", str(tmp_path / "missing.txt"), "-w", "1"]
    assert runner.invoke(app, [*bad, "--fail-on", "never"]).exit_code == 0
    assert runner.invoke(app, bad).exit_code == 1


def test_unwritable_output_is_a_clean_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(EXAMPLE), "-o", "/nonexistent/dir/out.json"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "E024" in result.stderr and "/nonexistent/dir/out.json" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_failed_file_is_on_stderr_with_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["extract", str(EXAMPLE), str(missing), "-o", str(out), "-w", "1"])
    assert result.exit_code == 1
    assert f"error: {missing}: [E006]" in result.stderr
    records = json.loads(out.read_text("utf-8"))
    assert [r["error"] and r["error"]["code"] for r in records] == [None, "E006"]


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"giextract {__version__}"


def test_no_input_files_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path), "-w", "1"])
    assert "no input files" in result.stderr
    assert json.loads(result.stdout) == []


def test_parquet_round_trips_through_pandas(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    out = tmp_path / "r.parquet"
    missing = tmp_path / "missing.txt"
    result = runner.invoke(
        app, ["extract", str(EXAMPLE), str(missing), "-f", "parquet", "-o", str(out), "-w", "1"]
    )
    assert result.exit_code == 1, result.output
    frame = pd.read_parquet(out)
    assert list(frame["source"]) == [str(EXAMPLE), str(missing)]
    good = frame.iloc[0]
    assert good["active.procurement.amount"] == 1763847.27
    assert good["active.procurement.items"] == 12
    assert good["active.rules.new_made"] == 0  # a printed 0 stays 0 ...
    assert pd.isna(good["appeals.review.upheld"])  # ... and a blank stays null
    assert frame["active.rules.new_made"].isna().tolist() == [False, True]
    assert frame["error_code"].tolist()[1] == "E006"


def test_parquet_needs_an_output_file() -> None:
    result = runner.invoke(app, ["extract", str(EXAMPLE), "-f", "parquet"])
    assert result.exit_code == 2
    assert "E024" in result.stderr and "-o" in result.stderr


def test_extraction_path_imports_no_spacy_and_no_unused_reader() -> None:
    import subprocess
    import sys

    code = (
        "import sys, giextract, giextract.cli, giextract.batch; "
        f"r = giextract.extract_path({str(EXAMPLE)!r}); assert r.ok; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('spacy', 'pdfplumber', 'pdfminer', 'docx', 'pyarrow', 'dask', 'pandas', 'rich')); "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "giextract.cli", "extract", *[str(EXAMPLE)] * 6, "-f", "jsonl"]
    cmd += ["-w", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err
