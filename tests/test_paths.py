"""Where the loop reads and writes: options, environment, the checkout, never site-packages."""

from __future__ import annotations

import site
from pathlib import Path

import pytest
from conftest import REPO

from giextract import paths
from giextract.errors import GiextractError


def test_in_a_checkout_the_defaults_are_the_checkout() -> None:
    assert paths.checkout_root() == REPO
    assert paths.corpus_dir() == REPO / "corpus"
    assert paths.models_out_dir() == REPO / "models"
    assert paths.default_config_path() == REPO / "training" / "config.toml"


def test_options_and_environment_come_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paths.corpus_dir(tmp_path) == tmp_path
    monkeypatch.setenv("GIEXTRACT_CORPUS", str(tmp_path))
    monkeypatch.setenv("GIEXTRACT_MODELS", str(tmp_path / "m"))
    assert paths.corpus_dir() == tmp_path
    assert paths.models_out_dir() == tmp_path / "m"


def test_a_missing_corpus_is_a_coded_error_naming_the_option(tmp_path: Path) -> None:
    with pytest.raises(GiextractError) as err:
        paths.corpus_dir(tmp_path / "nope")
    assert err.value.code.value == "E206" and "--corpus" in str(err.value.fix)
    assert paths.corpus_dir(tmp_path / "nope", must_exist=False) == tmp_path / "nope"


def test_nothing_is_written_into_site_packages() -> None:
    target = Path(site.getsitepackages()[0]) / "giextract-models"
    assert paths.inside_installation(target)
    assert not paths.inside_installation(REPO / "models")
    with pytest.raises(GiextractError) as err:
        paths.models_out_dir(target)
    assert err.value.code.value == "E208" and "--models" in str(err.value.fix)
    with pytest.raises(GiextractError) as err:
        paths.ensure_writable(target, "--corpus")
    assert err.value.code.value == "E208" and "--corpus" in str(err.value.fix)
