"""The batch on a Dask LocalCluster of two worker processes on loopback: the same
records as a local run, and a missing extra as a coded error."""

from __future__ import annotations

import builtins
import importlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO
from hostile import nested_html

from giextract.batch import Blob, iter_batch
from giextract.errors import GiextractError
from giextract.records import record_json

EXAMPLE = REPO / "examples" / "liuzhou-bigdata-2019.txt"
distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[object]:
    root = tmp_path_factory.mktemp("dist")
    nested = root / "nested.html"
    nested.write_bytes(nested_html())
    return [
        str(EXAMPLE),
        str(nested),
        str(root / "missing.txt"),
        Blob("<stdin>", EXAMPLE.read_bytes()),
        str(EXAMPLE),
    ]


def test_cluster_records_equal_local_ones(cluster: object, sources: list[object]) -> None:
    from giextract.distributed import iter_distributed

    address = cluster.scheduler_address  # type: ignore[attr-defined]
    remote = [record_json(r) for r in iter_distributed(sources, address, chunk=2)]  # type: ignore[arg-type]
    local = [record_json(r) for r in iter_batch(sources, workers=0)]  # type: ignore[arg-type]
    assert remote == local
    assert [json.loads(r)["source"] for r in remote][3] == "<stdin>"


def test_bag_and_dataframe(cluster: object, sources: list[object]) -> None:
    from giextract.distributed import records_bag, records_dataframe

    with distributed.Client(cluster.scheduler_address):  # type: ignore[attr-defined]
        bag = records_bag(sources, chunk=2).compute()  # type: ignore[arg-type]
        frame = records_dataframe(sources, chunk=2).compute()  # type: ignore[arg-type]
    local = [json.loads(record_json(r)) for r in iter_batch(sources, workers=0)]  # type: ignore[arg-type]
    assert bag == local
    assert list(frame["source"]) == [r["source"] for r in local]
    assert frame["active.procurement.amount"].tolist()[0] == 1763847.27
    assert frame["active.rules.new_made"].tolist()[0] == 0
    assert frame["active.rules.new_made"].isna().tolist() == [False, True, True, False, False]


def test_unreachable_scheduler_is_a_coded_error(tmp_path: Path) -> None:
    from giextract.distributed import iter_distributed

    with pytest.raises(GiextractError) as info:
        list(iter_distributed([str(EXAMPLE)], "tcp://127.0.0.1:9", chunk=1, connect_timeout=2))
    assert info.value.code.value == "E026"


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from giextract import distributed as module

    real_import = builtins.__import__

    def no_dask(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("dask"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_dask)
    monkeypatch.setattr(importlib, "import_module", lambda name: no_dask(name))
    with pytest.raises(GiextractError) as info:
        module.records_bag([str(EXAMPLE)])
    assert info.value.code.value == "E023"
    assert "pip install 'giextract[dask]'" in str(info.value)


def test_cli_scheduler_option(cluster: object, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from giextract.cli import app

    missing = str(tmp_path / "missing.txt")
    args = ["extract", str(EXAMPLE), missing, "-f", "jsonl", "-q"]
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    remote = CliRunner().invoke(app, [*args, "--scheduler", address])
    local = CliRunner().invoke(app, [*args, "-w", "0"])
    assert remote.exit_code == local.exit_code == 1
    assert remote.stdout == local.stdout
    assert len(remote.stdout.splitlines()) == 2
