"""Parquet records: one column per field, null and 0 distinct, nothing silently changed."""

from __future__ import annotations

import builtins
from pathlib import Path

import pytest

from giextract.errors import GiextractError
from giextract.report import Report

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")


def test_values_a_column_cannot_hold_are_named(tmp_path: Path) -> None:
    from giextract.parquet import write_parquet

    fields = {
        "active.rules.new_made": 0,
        "active.rules.new_published": None,
        "active.rules.total_published": 2.5,  # a count with a fraction
        "active.normative_docs.new_made": 10**30,  # beyond int64
        "active.procurement.amount": 12.5,
    }
    out = tmp_path / "r.parquet"
    assert write_parquet([Report(source="a", template="2019", fields=fields)], out) == 1
    row = pd.read_parquet(out).iloc[0]
    assert row["active.rules.new_made"] == 0
    assert pd.isna(row["active.rules.new_published"])
    assert pd.isna(row["active.rules.total_published"])
    assert row["active.procurement.amount"] == 12.5
    assert row["unstored"] == (
        '{"active.rules.total_published": "2.5", "active.normative_docs.new_made": "'
        + "1"
        + "0" * 30
        + '"}'
    )
    assert row["status"] == "ok"


def test_missing_pyarrow_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from giextract import parquet

    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(GiextractError) as info:
        parquet.schema()
    assert info.value.code.value == "E023"
    assert "pip install 'giextract[parquet]'" in str(info.value)
