"""The shipped data files as :mod:`giextract.catalogue` reads them."""

from __future__ import annotations

import pytest
import yaml

from giextract.catalogue import DATA_DIR, data_yaml


@pytest.mark.parametrize("name", sorted(p.name for p in DATA_DIR.glob("*.yaml")))
def test_yaml_data_reads_as_pyyaml_safe_load_reads_it(name: str) -> None:
    """libyaml's loader (used when PyYAML has it) gives the same data as the pure one."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    assert data_yaml(name) == yaml.safe_load(text)
