"""giextract: the statistical tables of Chinese government information disclosure
annual reports (政府信息公开工作年度报告) as clean, canonical, checked data.

>>> import giextract
>>> report = giextract.extract_path("report.pdf")     # or extract_text(str), extract_bytes(b)
>>> report.status                                     # "ok", "review" or "error"
>>> report.fields["requests.denied.state_secret.natural_person"]

The extraction functions load the pipeline (numpy, the model's runtime, every stage) on
first use, so ``import giextract`` stays light for code that needs only the records,
the checks or the command line.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .check import check, fallback
from .errors import ErrorCode, GiextractError
from .report import Report
from .version import __version__

if TYPE_CHECKING:
    from .pipeline import (
        extract,
        extract_bytes,
        extract_many,
        extract_path,
        extract_text,
        iter_extract,
    )

_PIPELINE = frozenset(
    ("extract", "extract_bytes", "extract_many", "extract_path", "extract_text", "iter_extract")
)

__all__ = [
    "ErrorCode",
    "GiextractError",
    "Report",
    "__version__",
    "check",
    "extract",
    "extract_bytes",
    "extract_many",
    "extract_path",
    "extract_text",
    "fallback",
    "iter_extract",
]


def __getattr__(name: str) -> Any:
    """The pipeline's functions, imported on first use (PEP 562)."""
    if name not in _PIPELINE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(".pipeline", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PIPELINE})
