"""Errors with stable codes, in the spirit of spaCy's ``Errors`` table.

Every error giextract raises on purpose is a :class:`GiextractError` whose
``code`` is stable across releases, so scripts can branch on it and users can
search for it.  The message says what went wrong and, where there is one, the
command that fixes it.
"""

from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    """Stable error codes.  E0xx: input (E02x: batch limits and workers), E1xx: model,
    E2xx: corpus and training."""

    INTERNAL = "E000"
    EMPTY_INPUT = "E001"
    BINARY_INPUT = "E002"
    UNDECODABLE = "E003"
    NOT_A_REPORT = "E004"
    TOO_LARGE = "E005"
    UNREADABLE_FILE = "E006"
    UNSUPPORTED_FORMAT = "E007"
    CORRUPT_DOCUMENT = "E008"
    SCANNED_PDF = "E009"
    CONVERTER_MISSING = "E010"
    ENCRYPTED_PDF = "E011"
    INFLATES_TOO_MUCH = "E012"
    NESTED_TOO_DEEP = "E013"
    TEXT_TOO_LONG = "E014"
    TOO_MANY_PAGES = "E015"
    TIMEOUT = "E020"  # a file (CLI) or a request (service) past its time limit
    MEMORY_LIMIT = "E021"
    WORKER_CRASHED = "E022"  # the worker process died on the file or request
    EXTRA_MISSING = "E023"
    OUTPUT_UNWRITABLE = "E024"
    NO_INPUT = "E025"
    DISTRIBUTED_FAILED = "E026"
    BAD_REQUEST = "E031"
    BAD_INPUT_TYPE = "E032"
    BAD_RECORD = "E033"
    BAD_MAPPING = "E035"
    MODEL_MISSING = "E101"
    MODEL_FEATURE_VERSION = "E102"
    MODEL_LABELS = "E103"
    MODEL_INVALID = "E104"
    CORPUS_LABEL = "E201"
    CORPUS_FIELD = "E202"
    CORPUS_FORMAT = "E203"
    TRAINING_DEPS = "E204"
    PROMOTION_REFUSED = "E205"
    CORPUS_MISSING = "E206"
    OUTPUT_MISSING = "E207"
    WRITE_REFUSED = "E208"
    CONFIG_MISSING = "E209"


class GiextractError(Exception):
    """An error with a stable :class:`ErrorCode`.

    Args:
        code: the error's code.
        message: what went wrong, for people.
        fix: the command or step that fixes it, if there is one.
        details: more JSON-ready facts for the record (e.g. an internal error's
            exception type and short trace).
    """

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        fix: str | None = None,
        details: dict[str, str] | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.fix = fix
        self.details = details or {}
        text = f"[{code.value}] {message}"
        if fix:
            text += f" (fix: {fix})"
        super().__init__(text)

    def to_dict(self) -> dict[str, str | None]:
        """The error as a JSON-ready dict: code, message and fix (and any details)."""
        return {"code": self.code.value, "message": self.message, "fix": self.fix, **self.details}


_TRACE_FRAMES = 6


def internal_error(exc: BaseException) -> GiextractError:
    """An unexpected exception as a coded E000 error: its type, message and a short trace.

    The trace keeps the innermost frames (where it went wrong), so a record stays
    small even for a RecursionError a thousand frames deep.
    """
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)[-_TRACE_FRAMES:]
    trace = "".join(traceback.format_list(frames)).rstrip()
    kind = type(exc).__name__
    text = str(exc)
    if len(text) > 300:
        text = text[:300] + "…"
    return GiextractError(
        ErrorCode.INTERNAL,
        f"internal error: {kind}: {text}" if text else f"internal error: {kind}",
        "please report it with the file that caused it",
        {"type": kind, "trace": trace},
    )
