"""report.dumps: the text of json.dumps(ensure_ascii=False, allow_nan=False), by other routes."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Any

import pytest

from giextract import extract, extract_path
from giextract.report import dumps


class _Status(str, enum.Enum):
    PASS = "pass"


class _Count(enum.IntEnum):
    THREE = 3


CASES: list[Any] = [
    None,
    1,
    -0.0,
    1.5,
    1e300,
    10**30,
    True,
    "",
    'x\n"é\\',
    [],
    {},
    (),
    (1,),
    [[]],
    {"a": {}},
    [1, [2, {"b": None}], "c"],
    {2: 2, 1.5: [1], True: False, None: "n", "k": _Status.PASS, "i": _Count.THREE},
    {"t": (1, 2), "e": (), "s": [_Status.PASS, _Count.THREE]},
    {"p": {"label_lines": [45], "value_line": 46, "raw": "0", "f": 0.1, "page": None}},
    {"deep": [[[{"x": [1, {"y": []}]}]]]},
]


@pytest.mark.parametrize("indent", [None, 0, 2, 4])
@pytest.mark.parametrize("data", CASES)
def test_dumps_is_json_dumps(data: Any, indent: int | None) -> None:
    assert dumps(data, indent) == json.dumps(
        data, ensure_ascii=False, indent=indent, allow_nan=False
    )


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize(
    "data",
    [float("nan"), [float("inf")], {"a": [float("nan")], "b": {}}, {(1,): 2}, [object()]],
)
def test_dumps_refuses_what_json_refuses(data: Any, indent: int | None) -> None:
    with pytest.raises((ValueError, TypeError)) as ours:
        dumps(data, indent)
    with pytest.raises((ValueError, TypeError)) as theirs:
        json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    assert ours.type is theirs.type


@pytest.mark.parametrize("indent", [None, 2])
def test_a_record_as_json_dumps_writes_it(seeds_dir: Path, indent: int | None) -> None:
    for path in [*sorted(seeds_dir.glob("*.txt"))[:3], None]:
        record = (extract_path(path) if path else extract("not a report at all")).to_dict()
        expected = json.dumps(record, ensure_ascii=False, indent=indent, allow_nan=False)
        assert dumps(record, indent) == expected
