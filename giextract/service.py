"""The HTTP service (``giextract serve``): extraction and checking for parsers in any language.

Endpoints:

* ``POST /v1/extract``: the report as a multipart file (field ``file``), as the raw bytes
  of the body (any other content type; ``?name=`` labels the record), or as JSON
  ``{"text": …, "name": …}``.  Answers the record (:class:`giextract.record.Record`).
* ``POST /v1/check``: JSON ``{"record": {…}, "mapping": {…}, "text": …}`` (mapping and the
  report's text optional).  Answers :func:`giextract.check`'s findings.
* ``GET /health``, ``GET /version``; the OpenAPI schema at ``/openapi.json``.

Each request runs in a worker process of the batch's guarded pool
(:class:`giextract.batch.WorkerPool`, one definition of the workers, their time and memory
limits): a worker past its time is killed and replaced, so a pathological file cannot block
the others.  Bodies larger
than ``max_body`` are refused with 413 before they are read.  A file name in a request
only labels the record; it is never used as a path.  Errors carry the CLI's codes: a
file that cannot be processed is an ordinary record (200) with ``status: "error"``;
413 (E005), 400 (E031) and 504 (E020) answer a record too, so clients parse one shape.

Needs the ``serve`` extra (FastAPI, uvicorn, python-multipart).  Nothing on the
extraction path imports this module.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from .batch import Job, Limits, WorkerPool
from .errors import ErrorCode, GiextractError
from .record import Record
from .report import Report

MIB = 1024 * 1024


@dataclass(frozen=True)
class ServiceSettings:
    """How the service runs: worker processes, the largest body, seconds per request."""

    workers: int = 2
    max_body: int = 20 * MIB
    timeout: float = 30.0


# -- the worker processes ----------------------------------------------------------------
def _error_record(name: str, code: ErrorCode, message: str) -> dict[str, Any]:
    from .pipeline import error_report

    return error_report(name, GiextractError(code, message)).to_dict()


WARM_UP_S = 120.0
"""Seconds a worker may take to start and load the model."""
#: HTTP status of a job the pool cut off, by why.
_CUT_OFF_STATUS = {ErrorCode.TIMEOUT: 504}


class ServicePool:
    """The batch's guarded worker pool behind an async door: each request is a
    :class:`giextract.batch.Job` run by :meth:`giextract.batch.WorkerPool.call` in a thread,
    so the event loop never waits on a worker."""

    def __init__(self, size: int, limits: Limits | None = None) -> None:
        self.pool = WorkerPool(max(1, size), limits or Limits(), start_method="spawn")

    @property
    def workers(self) -> int:
        """The number of worker slots."""
        return self.pool.size

    async def start(self) -> None:
        """Start every worker and wait until each has loaded the model (a warm-up job)."""
        loop = asyncio.get_running_loop()
        warm = Job("text", {"text": "warm-up", "name": "<warm-up>"})
        calls = [
            loop.run_in_executor(None, self.pool.call, warm, WARM_UP_S) for _ in range(self.workers)
        ]
        await asyncio.gather(*calls)

    async def stop(self) -> None:
        """Stop every worker (those working are killed)."""
        await asyncio.get_running_loop().run_in_executor(None, self.pool.close)

    async def run(
        self, kind: str, payload: dict[str, Any], timeout: float | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Run a job in the next free worker: (HTTP status, record or result)."""
        loop = asyncio.get_running_loop()
        result, cut = await loop.run_in_executor(None, self.pool.call, Job(kind, payload), timeout)
        record = result.to_dict() if isinstance(result, Report) else result
        return (200 if cut is None else _CUT_OFF_STATUS.get(cut, 500)), record


# -- requests --------------------------------------------------------------------------------
class _TooLarge(Exception):
    pass


def safe_name(name: str | None, default: str) -> str:
    """A client's file name as a label only: its last path part, printable, at most 200."""
    if not name:
        return default
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()[:200]
    return base or default


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _form_file(request: Request, body: bytes) -> tuple[bytes, str | None]:
    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise GiextractError(ErrorCode.BAD_REQUEST, "the multipart body has no file field 'file'")
    data = await upload.read()
    return data, upload.filename


async def extract_job(request: Request, limit: int) -> tuple[str, dict[str, Any]]:
    """The job a /v1/extract request asks for.

    Raises:
        GiextractError: E031 for a request that names no report.
    """
    body = await _body(request, limit)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        data, filename = await _form_file(request, body)
        return "bytes", {"data": data, "name": safe_name(filename, "<upload>")}
    if ctype == "application/json":
        try:
            doc = json.loads(body)
        except ValueError as exc:
            raise GiextractError(ErrorCode.BAD_REQUEST, f"the body is not JSON: {exc}") from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
            raise GiextractError(ErrorCode.BAD_REQUEST, 'send JSON {"text": "<the report>"}')
        return "text", {"text": doc["text"], "name": safe_name(doc.get("name"), "<text>")}
    return "bytes", {"data": body, "name": safe_name(request.query_params.get("name"), "<bytes>")}


def _record_response(status: int, record: dict[str, Any]) -> JSONResponse:
    return JSONResponse(record, status_code=status)


_EXTRACT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"text": {"type": "string"}, "name": {"type": "string"}},
                    "required": ["text"],
                }
            },
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
_CHECK_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "record": {"type": "object"},
                        "mapping": {"type": "object", "additionalProperties": {"type": "string"}},
                        "text": {"type": "string"},
                    },
                    "required": ["record"],
                }
            }
        },
    }
}


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """The FastAPI application, with its worker pool started and stopped with it."""
    settings = settings or ServiceSettings()
    pool = ServicePool(settings.workers, Limits(timeout_s=settings.timeout))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        yield
        await pool.stop()

    from .version import __version__

    app = FastAPI(
        title="giextract",
        version=__version__,
        summary="The statistical tables of government information disclosure annual reports.",
        lifespan=lifespan,
    )

    @app.post(
        "/v1/extract",
        response_model=Record,
        openapi_extra=_EXTRACT_BODY,
        responses={413: {"model": Record}, 400: {"model": Record}, 504: {"model": Record}},
    )
    async def extract_endpoint(request: Request) -> JSONResponse:
        """Extract one report: a multipart file, raw bytes or JSON ``{"text": …}``."""
        try:
            kind, payload = await extract_job(request, settings.max_body)
        except _TooLarge:
            message = f"the request body is larger than the limit of {settings.max_body} bytes"
            return _record_response(413, _error_record("<request>", ErrorCode.TOO_LARGE, message))
        except GiextractError as exc:
            return _record_response(400, _error_record("<request>", exc.code, exc.message))
        status, record = await pool.run(kind, payload, settings.timeout)
        return _record_response(status, record)

    @app.post("/v1/check", openapi_extra=_CHECK_BODY)
    async def check_endpoint(request: Request) -> JSONResponse:
        """Check a record from any parser (and, with ``text``, against giextract's reading)."""
        try:
            body = await _body(request, settings.max_body)
            doc = json.loads(body)
            if not isinstance(doc, dict) or "record" not in doc:
                raise ValueError('send JSON {"record": {...}}')
        except _TooLarge:
            error = GiextractError(ErrorCode.TOO_LARGE, "the request body is too large")
            return JSONResponse({"status": "error", "error": error.to_dict()}, status_code=413)
        except ValueError as exc:
            error = GiextractError(ErrorCode.BAD_REQUEST, str(exc))
            return JSONResponse({"status": "error", "error": error.to_dict()}, status_code=400)
        status, result = await pool.run("check", doc, settings.timeout)
        return JSONResponse(result, status_code=status)

    @app.get("/health")
    async def health() -> dict[str, Any]:
        """Whether the service is up, and how many workers it has."""
        return {"status": "ok", "workers": pool.workers}

    @app.get("/version")
    async def version() -> dict[str, str | None]:
        """The versions every record names: schema, giextract, line model."""
        from .trust import versions

        return versions(None)

    return app


def run(settings: ServiceSettings, host: str, port: int) -> None:  # pragma: no cover
    """Serve with uvicorn until stopped."""
    import uvicorn

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
