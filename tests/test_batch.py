"""The worker pool: one record per input in input order, each failure that file's record."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from hostile import nested_html, self_referencing_pdf

from giextract import batch, pipeline
from giextract.batch import Blob, Limits, PoolStats, expand_inputs, iter_batch
from giextract.errors import ErrorCode
from giextract.records import JsonArrayWriter, record_json
from giextract.report import Report

EXAMPLE = REPO / "examples" / "liuzhou-bigdata-2019.txt"


def _codes(reports: list[Report]) -> list[str | None]:
    return [(r.error or {}).get("code") for r in reports]


def test_guarded_unit_turns_any_exception_into_e000(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(pipeline, "extract_document", boom)
    report = pipeline.extract_guarded(EXAMPLE)
    assert report.error is not None
    assert report.error["code"] == "E000"
    assert report.error["type"] == "KeyError"
    assert "surprise" in report.error["message"]
    assert "boom" in report.error["trace"]  # the innermost frames


def test_public_api_never_raises_on_bad_input(tmp_path: Path) -> None:
    nested = tmp_path / "nested.html"
    nested.write_bytes(nested_html())
    reports = pipeline.extract_many([str(nested), str(EXAMPLE), "x\n" + "9" * 5000])
    assert [r.ok for r in reports] == [False, True, False]
    assert pipeline.extract_guarded(bytes(range(256)) * 40).error["code"] == "E002"  # type: ignore[index]


def test_pool_keeps_input_order_and_matches_in_process(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    text = EXAMPLE.read_text(encoding="utf-8")
    sources: list[batch.Source] = [
        str(EXAMPLE),
        str(empty),
        Blob("<stdin>", EXAMPLE.read_bytes()),
        Blob("<text>", text.encode("utf-8")),
        str(tmp_path / "missing.txt"),
    ] * 3
    pooled = list(iter_batch(sources, workers=2))
    local = list(iter_batch(sources, workers=0))
    assert [r.source for r in pooled] == [r.source for r in local]
    assert [record_json(r) for r in pooled] == [record_json(r) for r in local]
    assert _codes(pooled[:5]) == [None, "E001", None, None, "E006"]
    assert pooled[2].source == "<stdin>" and pooled[3].source == "<text>"


def _hang_on(name: str) -> object:
    real = batch.extract_source

    def extract(source: batch.Source) -> Report:
        if str(source).endswith(name):
            while True:  # a reader stuck in a loop, in C or in Python
                time.sleep(0.05)
        return real(source)

    return extract


def test_a_hang_is_cut_off_and_costs_one_record(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the pool forks its workers, so they inherit the patched extraction
    monkeypatch.setattr(batch, "extract_source", _hang_on("hang.txt"))
    hang = tmp_path / "hang.txt"
    hang.write_text("x", encoding="utf-8")
    stats = PoolStats()
    reports = list(
        iter_batch([str(hang), str(EXAMPLE)], workers=1, limits=Limits(timeout_s=2), stats=stats)
    )
    assert _codes(reports) == ["E020", None]
    assert "2 s" in reports[0].error["message"]  # type: ignore[index]
    assert stats.timeouts == 1 and stats.workers_started == 2


def test_a_self_referencing_pdf_is_refused_at_once() -> None:
    """``4 0 obj 4 0 R endobj`` looped forever in pdfminer; pdfium reads an empty page."""
    report = pipeline.extract_guarded(self_referencing_pdf(), name="selfref.pdf")
    assert _codes([report]) == ["E008"]


def _crash_on(name: str) -> object:
    real = batch.extract_source

    def extract(source: batch.Source) -> Report:
        if str(source).endswith(name):
            os._exit(3)  # a worker dying as a segfault in a C library would
        return real(source)

    return extract


def test_a_dead_worker_costs_one_record(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # the pool forks its workers, so they inherit the patched extraction
    monkeypatch.setattr(batch, "extract_source", _crash_on("crash.txt"))
    crash = tmp_path / "crash.txt"
    crash.write_text("x", encoding="utf-8")
    stats = PoolStats()
    sources = [str(EXAMPLE), str(crash), str(EXAMPLE), str(crash), str(EXAMPLE)]
    reports = list(iter_batch(sources, workers=2, stats=stats))
    assert _codes(reports) == [None, "E022", None, "E022", None]
    assert "exit code 3" in reports[1].error["message"]  # type: ignore[index]
    assert stats.crashes == 2


def test_memory_limit_breach_is_e021_and_the_worker_is_replaced(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"  # plain text costs many times its size to split into lines
    big.write_text(("规章\t1\t2\t3\n" * 320_000), encoding="utf-8")  # under the text limit
    stats = PoolStats()
    reports = list(
        iter_batch(
            [str(big), str(EXAMPLE)],
            workers=1,
            limits=Limits(timeout_s=60, memory_mb=400),
            stats=stats,
        )
    )
    assert _codes(reports) == ["E021", None]
    assert stats.memory_breaches == 1 and stats.workers_started == 2


def test_inputs_are_read_lazily_within_the_window() -> None:
    pulled = 0

    def sources() -> Iterator[str]:
        nonlocal pulled
        for _ in range(30):
            pulled += 1
            yield str(EXAMPLE)

    pool = batch.WorkerPool(2, window=6)
    with pool:
        records = pool.map(sources())
        next(records)
        assert pulled <= 6 + 1  # never more than the window ahead of the output
        rest = sum(1 for _ in records)
    assert rest == 29
    assert pool.stats.files == 30


def _as_dict(result: batch.Result) -> dict[str, Any]:
    return result.to_dict() if isinstance(result, Report) else result


def test_one_pool_serves_single_calls_from_several_threads() -> None:
    """The service's path: jobs and files through WorkerPool.call, from threads at once;
    a job past its time is cut off (E020) and its worker replaced."""
    from concurrent.futures import ThreadPoolExecutor

    text = EXAMPLE.read_text("utf-8")
    jobs: list[batch.Task] = [batch.Job("text", {"text": text, "name": f"t{i}"}) for i in range(3)]
    jobs += [str(EXAMPLE), batch.Job("check", {"record": {"fields": {"nope": 1}}})]
    with batch.WorkerPool(2, Limits(timeout_s=120)) as pool:
        with ThreadPoolExecutor(4) as ex:
            results = list(ex.map(pool.call, jobs))
        slow, cut = pool.call(batch.Job("text", {"text": text, "name": "slow"}), 0.001)
        again, fine = pool.call(batch.Job("text", {"text": text, "name": "again"}))
    assert [c for _, c in results] == [None] * 5
    assert [_as_dict(r)["status"] for r, _ in results[:4]] == ["ok"] * 4
    assert isinstance(results[3][0], Report)  # a file's record, as in a batch
    assert _as_dict(results[4][0])["unknown_ids"] == ["nope"]
    assert cut is ErrorCode.TIMEOUT and _as_dict(slow)["error"]["code"] == "E020"
    assert fine is None and _as_dict(again)["status"] == "ok"


def test_expand_inputs_walks_directories_with_patterns(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "y.PDF").write_bytes(b"%PDF-")
    (tmp_path / "a" / "notes.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "z.txt").write_text("z", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>", encoding="utf-8")
    found = list(expand_inputs([str(tmp_path)]))
    names = [Path(str(p)).relative_to(tmp_path).as_posix() for p in found]
    assert names == ["b.html", "a/x.txt", "a/y.PDF"] or names == ["a/x.txt", "a/y.PDF", "b.html"]
    only_pdf = list(expand_inputs([str(tmp_path)], include=["*.pdf"]))
    assert [Path(str(p)).name for p in only_pdf] == ["y.PDF"]
    explicit = list(
        expand_inputs([str(tmp_path / "a" / "notes.json"), "-"], read_stdin=lambda: b"t")
    )
    assert explicit == [str(tmp_path / "a" / "notes.json"), Blob("<stdin>", b"t")]


def test_json_is_always_valid() -> None:
    report = Report(source="x", fields={"a": float("inf"), "b": 3, "c": None})
    record = json.loads(record_json(report))
    assert record["fields"] == {"a": None, "b": 3, "c": None}
    assert [w["code"] for w in record["warnings"]] == ["value_not_finite"]


def test_json_array_is_streamed_as_one_document() -> None:
    import io

    out = io.StringIO()
    writer = JsonArrayWriter(out)
    reports = [Report(source="a"), Report(source="b", fields={"x": 1})]
    for r in reports:
        writer.write(r)
    writer.close()
    assert out.getvalue() == json.dumps([r.to_dict() for r in reports], indent=2) + "\n"
    empty = io.StringIO()
    JsonArrayWriter(empty).close()
    assert json.loads(empty.getvalue()) == []


def test_an_html_page_without_text_is_not_an_internal_error() -> None:
    """Found by the long fuzz run (input 9837): a document of no lines."""
    report = pipeline.extract_guarded(b"<html><body><script>x</script></body></html>")
    assert report.error is not None
    assert report.error["code"] != "E000"
