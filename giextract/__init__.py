"""giextract: the statistical tables of Chinese government information disclosure
annual reports (政府信息公开工作年度报告) as clean, canonical, checked data.

>>> import giextract
>>> report = giextract.extract_path("report.pdf")     # or extract_text(str), extract_bytes(b)
>>> report.status                                     # "ok", "review" or "error"
>>> report.fields["requests.denied.state_secret.natural_person"]
"""

from __future__ import annotations

from .check import check, fallback
from .errors import ErrorCode, GiextractError
from .pipeline import (
    extract,
    extract_bytes,
    extract_many,
    extract_path,
    extract_text,
    iter_extract,
)
from .report import Report
from .version import __version__

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
