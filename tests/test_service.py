"""``giextract serve`` for real: uvicorn on 127.0.0.1 and a free port, posted a text
report, a PDF, a DOCX, an oversize body, a corrupt file and 20 concurrent requests; the
answers are compared with the CLI's records; the server is stopped at the end."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import REPO, validate_record
from fixtures_formats import build_docx, build_pdf, sample_values
from typer.testing import CliRunner

from giextract.cli import app
from giextract.service import ServicePool, ServiceSettings, safe_name

EXAMPLE = REPO / "examples" / "liuzhou-bigdata-2019.txt"
MAX_BODY = 3 * 1024 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    cmd = [sys.executable, "-c", "from giextract.cli import app; app()", "serve"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--max-body", str(MAX_BODY)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"giextract serve exited: {out}")
            try:
                if httpx.get(f"{url}/health", timeout=2).json()["workers"] >= 1:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("giextract serve did not come up in 120 s")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if proc.stdout:
            proc.stdout.close()


def _cli_record(path: Path) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["extract", str(path), "--format", "json"])
    record: dict[str, Any] = json.loads(result.stdout)[0]
    return record


def _same_record(served: dict[str, Any], cli: dict[str, Any]) -> None:
    validate_record(served)
    assert {k: v for k, v in served.items() if k != "source"} == {
        k: v for k, v in cli.items() if k != "source"
    }


def test_health_version_openapi(server: str) -> None:
    assert httpx.get(f"{server}/health").json()["status"] == "ok"
    version = httpx.get(f"{server}/version").json()
    assert version["model"] == "giextract-lines-1.0" and version["schema"] == "1.0"
    paths = httpx.get(f"{server}/openapi.json").json()["paths"]
    assert {"/v1/extract", "/v1/check", "/health", "/version"} <= set(paths)
    body = paths["/v1/extract"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "application/json", "application/octet-stream"} <= set(body)


def test_text_report_as_json(server: str) -> None:
    r = httpx.post(f"{server}/v1/extract", json={"text": EXAMPLE.read_text("utf-8")}, timeout=60)
    assert r.status_code == 200
    _same_record(r.json(), _cli_record(EXAMPLE))
    assert r.json()["status"] == "ok"


def test_pdf_as_multipart_and_docx_as_raw_bytes(server: str, tmp_path: Path) -> None:
    values = sample_values("2021")
    pdf, docx = tmp_path / "report.pdf", tmp_path / "report.docx"
    pdf.write_bytes(build_pdf("2021", values))
    docx.write_bytes(build_docx("2021", values))
    files = {"file": ("../../etc/passwd", pdf.read_bytes(), "application/pdf")}
    r = httpx.post(f"{server}/v1/extract", files=files, timeout=60)
    assert r.status_code == 200 and r.json()["format"] == "pdf"
    assert r.json()["source"] == "passwd"  # a label only, never a path
    _same_record(r.json(), _cli_record(pdf))
    r = httpx.post(f"{server}/v1/extract?name=report.docx", content=docx.read_bytes(), timeout=60)
    assert r.status_code == 200 and r.json()["format"] == "docx"
    _same_record(r.json(), _cli_record(docx))


def test_oversize_body_is_413(server: str) -> None:
    r = httpx.post(f"{server}/v1/extract", content=b"0" * (MAX_BODY + 1), timeout=60)
    assert r.status_code == 413
    validate_record(r.json())
    assert r.json()["error"]["code"] == "E005"


def test_corrupt_file_is_a_coded_error(server: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nbroken")
    r = httpx.post(f"{server}/v1/extract", files={"file": ("bad.pdf", bad.read_bytes())})
    assert r.status_code == 200
    cli = _cli_record(bad)
    assert r.json()["error"]["code"] == cli["error"]["code"]
    assert r.json()["status"] == "error"
    validate_record(r.json())


def test_bad_requests_are_400(server: str) -> None:
    r = httpx.post(f"{server}/v1/extract", json={"nope": 1})
    assert r.status_code == 400 and r.json()["error"]["code"] == "E031"
    validate_record(r.json())
    r = httpx.post(f"{server}/v1/extract", files={"other": ("a.txt", b"x")})
    assert r.status_code == 400 and r.json()["error"]["code"] == "E031"


def test_twenty_concurrent_requests(server: str) -> None:
    text = EXAMPLE.read_text("utf-8")
    expected = _cli_record(EXAMPLE)

    def post(i: int) -> dict[str, Any]:
        r = httpx.post(
            f"{server}/v1/extract", json={"text": text, "name": f"r{i}.txt"}, timeout=120
        )
        assert r.status_code == 200
        data: dict[str, Any] = r.json()
        return data

    with ThreadPoolExecutor(20) as pool:
        records = list(pool.map(post, range(20)))
    assert sorted(r["source"] for r in records) == sorted(f"r{i}.txt" for i in range(20))
    for record in records:
        _same_record(record, expected)


def test_check_endpoint(server: str) -> None:
    record = _cli_record(EXAMPLE)
    fields = dict(record["fields"])
    r = httpx.post(f"{server}/v1/check", json={"record": record}, timeout=60)
    assert r.status_code == 200 and r.json()["status"] == "ok"
    fields["nope"] = 1
    body = {"record": {"fields": fields}, "text": EXAMPLE.read_text("utf-8")}
    r = httpx.post(f"{server}/v1/check", json=body, timeout=60)
    assert r.json()["status"] == "review" and r.json()["unknown_ids"] == ["nope"]
    assert httpx.post(f"{server}/v1/check", content=b"{").status_code == 400


def test_a_job_past_its_time_is_cut_off_and_its_worker_replaced() -> None:
    text = EXAMPLE.read_text("utf-8")

    async def scenario() -> tuple[int, dict[str, Any], int, dict[str, Any]]:
        pool = ServicePool(1)
        await pool.start()
        try:
            slow = await pool.run("text", {"text": text, "name": "a"}, timeout=0.001)
            fine = await pool.run("text", {"text": text, "name": "b"}, timeout=120)
        finally:
            await pool.stop()
        return (*slow, *fine)

    slow_status, slow, fine_status, fine = asyncio.run(scenario())
    assert (slow_status, slow["error"]["code"]) == (504, "E020")
    assert (fine_status, fine["status"]) == (200, "ok")


def test_default_settings_and_safe_names() -> None:
    assert ServiceSettings().max_body == 20 * 1024 * 1024
    assert safe_name("../../etc/passwd", "x") == "passwd"
    assert safe_name("C:\\Users\\a\\report.pdf", "x") == "report.pdf"
    assert safe_name("", "<upload>") == "<upload>"


def test_the_extraction_path_does_not_import_the_service() -> None:
    code = (
        "import sys, giextract; giextract.extract_text('x'); "
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'giextract.service') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"
