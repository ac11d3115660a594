"""The package's surface (``giextract/__init__``): every name of ``__all__``, with the
pipeline loaded on first use so that ``import giextract`` stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import giextract

REPO_ROOT = Path(giextract.__file__).resolve().parent.parent


def test_every_public_name_resolves() -> None:
    for name in giextract.__all__:
        assert getattr(giextract, name) is not None, name
    assert set(giextract.__all__) <= set(dir(giextract))
    from giextract import pipeline

    assert giextract.extract_path is pipeline.extract_path
    assert callable(giextract.check)  # the function, not the submodule of the same name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        _ = giextract.nonesuch


def _fresh(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    return out.stdout.strip()


def test_import_leaves_the_pipeline_unloaded_until_first_use() -> None:
    """``import giextract`` and what the command line's parent process needs (the batch,
    the records) load neither numpy, nor the stages of the pipeline, nor PyYAML, nor
    multiprocessing; the first extraction function asked for loads the pipeline."""
    code = (
        "import sys, giextract, giextract.batch, giextract.records; "
        "heavy = ('numpy', 'onnxruntime', 'giextract.pipeline', 'yaml', 'multiprocessing'); "
        "print(sorted(m for m in heavy if m in sys.modules)); "
        "from giextract import extract_text; "
        "print('giextract.pipeline' in sys.modules, extract_text.__module__)"
    )
    assert _fresh(code).splitlines() == ["[]", "True giextract.pipeline"]


def test_check_stays_the_function_after_its_module_is_imported() -> None:
    code = "import giextract.check, giextract; print(callable(giextract.check))"
    assert _fresh(code) == "True"
