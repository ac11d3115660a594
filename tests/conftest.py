"""Shared fixtures: paths to the repo, the shared seeds and the golden cases."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from giextract.classify import LineModel, load_model
from giextract.report import Report

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = REPO / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/*/expected.json from the current output.",
    )
    parser.addoption(
        "--skip-slow",
        action="store_true",
        default=False,
        help="Skip the tests marked slow (training runs, the wheel); also GIEXTRACT_SKIP_SLOW=1.",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slow switch: ``--skip-slow`` (or ``GIEXTRACT_SKIP_SLOW=1``) skips slow tests."""
    if not (config.getoption("--skip-slow") or os.environ.get("GIEXTRACT_SKIP_SLOW") == "1"):
        return
    skip = pytest.mark.skip(reason="slow test skipped (--skip-slow / GIEXTRACT_SKIP_SLOW=1)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def model() -> LineModel:
    """The shipped line model (a missing one is a failure: the model is committed)."""
    return load_model()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    return SEEDS


def validate_record(record: dict[str, Any]) -> None:
    """Assert that a record (as JSON data) follows the published JSON Schema."""
    import jsonschema

    from giextract.record import published_schema

    jsonschema.Draft202012Validator(published_schema()).validate(record)


@pytest.fixture(autouse=True)
def records_follow_the_schema(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every record a test makes in this process, errors included, is valid JSON that the
    published schema validates (checked when the test ends)."""
    made: list[Report] = []
    original = Report.__init__

    def init(self: Report, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(Report, "__init__", init)
    yield
    for report in made:
        validate_record(json.loads(report.to_json()))
