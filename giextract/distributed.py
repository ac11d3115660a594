"""Many machines: the batch on a Dask cluster (extra ``giextract[dask]``).

Every file still runs in the guarded unit (one record each, errors as records), in
chunks of files per Dask task; the files must be readable by the cluster's workers
(a shared or mounted file system), or be :class:`~giextract.batch.Blob` inputs.  On
a cluster, Dask's own nanny limits a worker's memory and restarts it; the per-file
time limit of :mod:`giextract.batch` applies to local runs.

From Python::

    from dask.distributed import Client
    from giextract.distributed import records_bag, records_dataframe

    client = Client("tcp://scheduler:8786")
    bag = records_bag(paths)              # one JSON-ready record per file
    df = records_dataframe(paths)         # one row per file, one column per field
    df.to_parquet("records/")             # or: bag.map(json.dumps).to_textfiles(...)

From the shell: ``giextract extract DIR --scheduler tcp://scheduler:8786 -f parquet -o r.parquet``.
"""

from __future__ import annotations

import importlib
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .batch import Source, extract_source
from .errors import ErrorCode, GiextractError
from .report import Report

INSTALL = "pip install 'giextract[dask]'"
DEFAULT_CHUNK = 20


def _dask(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise GiextractError(
            ErrorCode.EXTRA_MISSING,
            f"running on Dask needs {module}, which is not installed",
            INSTALL,
        ) from exc


def extract_chunk(sources: Sequence[Source]) -> list[Report]:
    """One Dask task: the records of a chunk of files, each guarded."""
    return [extract_source(s) for s in sources]


def _record_dicts(sources: Sequence[Source]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in extract_chunk(sources)]


def _record_rows(sources: Sequence[Source]) -> Any:
    import pandas as pd

    from .parquet import record_row, schema

    rows = [record_row(r) for r in extract_chunk(sources)]
    return pd.DataFrame(rows, columns=schema().names).astype(_dtypes())


def _dtypes() -> dict[str, str]:
    from .parquet import META_COLUMNS, TRAILING_COLUMNS, field_types

    types = {c: "string" for c in (*META_COLUMNS, *TRAILING_COLUMNS)}
    types.update({"year": "Int32", "failed_checks": "Int32", "warnings": "Int32"})
    types.update(
        {fid: ("Int64" if kind == "count" else "Float64") for fid, kind in field_types().items()}
    )
    return types


def records_bag(sources: Iterable[Source], chunk: int = DEFAULT_CHUNK) -> Any:
    """A Dask bag of records (JSON-ready dicts, never NaN), one per source, in order.

    Computed on the current Dask client (``dask.distributed.Client(address)``), or
    Dask's local scheduler when there is none.

    Raises:
        GiextractError: E023 when Dask is not installed.
    """
    bag = _dask("dask.bag")
    items = list(sources)
    return bag.from_sequence(items, partition_size=max(1, chunk)).map_partitions(_record_dicts)


def records_dataframe(sources: Iterable[Source], chunk: int = DEFAULT_CHUNK) -> Any:
    """A Dask dataframe of records: one row per source, one column per field (as in
    :mod:`giextract.parquet`, nullable integer columns, so null and 0 stay distinct).

    Raises:
        GiextractError: E023 when Dask or pandas is not installed.
    """
    _dask("pandas")
    dd = _dask("dask.dataframe")
    bag = _dask("dask.bag")
    from .parquet import schema

    items = list(sources)
    parts = bag.from_sequence(items, partition_size=max(1, chunk)).to_delayed()
    meta = _empty_frame(schema().names)
    delayed = _dask("dask").delayed
    frames = [delayed(_rows_of_partition)(p) for p in parts]
    return dd.from_delayed(frames, meta=meta, verify_meta=False)


def _rows_of_partition(partition: Sequence[Source]) -> Any:
    return _record_rows(list(partition))


def _empty_frame(columns: Sequence[str]) -> Any:
    import pandas as pd

    return pd.DataFrame({c: [] for c in columns}).astype(_dtypes())


def iter_distributed(
    sources: Iterable[Source],
    scheduler: str,
    chunk: int = DEFAULT_CHUNK,
    in_flight: int = 64,
    connect_timeout: float = 30.0,
) -> Iterator[Report]:
    """Records of a batch run on the Dask cluster at ``scheduler``, streamed in input order.

    At most ``in_flight`` chunks are submitted at once, so memory stays bounded.

    Raises:
        GiextractError: E023 without Dask's distributed scheduler, E026 when the
            scheduler cannot be reached.
    """
    dist = _dask("dask.distributed")
    try:
        client = dist.Client(scheduler, timeout=connect_timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise GiextractError(
            ErrorCode.DISTRIBUTED_FAILED,
            f"cannot reach the Dask scheduler at {scheduler}: {exc}",
            "check the address (tcp://host:8786) and that the scheduler runs",
        ) from exc
    try:
        yield from _stream(client, sources, chunk, in_flight)
    finally:
        client.close()


def _chunks(sources: Iterable[Source], size: int) -> Iterator[list[Source]]:
    chunk: list[Source] = []
    for source in sources:
        chunk.append(source)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _stream(client: Any, sources: Iterable[Source], chunk: int, in_flight: int) -> Iterator[Report]:
    futures: deque[tuple[list[Source], Any]] = deque()
    for part in _chunks(sources, max(1, chunk)):
        futures.append((part, client.submit(extract_chunk, part, pure=False)))
        if len(futures) >= in_flight:
            yield from _result(*futures.popleft())
    while futures:
        yield from _result(*futures.popleft())


def _result(part: list[Source], future: Any) -> list[Report]:
    """A chunk's records; a chunk the cluster lost (e.g. its worker died) is an error
    record for each of its files, and the batch goes on."""
    try:
        reports: list[Report] = future.result()
    except Exception as exc:  # whatever Dask raises for a lost task
        from .batch import source_name
        from .pipeline import error_report

        error = GiextractError(
            ErrorCode.DISTRIBUTED_FAILED,
            f"the cluster lost the task of this file ({type(exc).__name__}: {exc})"[:400],
            "run it again, or locally without --scheduler",
        )
        return [error_report(source_name(s), error) for s in part]
    return reports
