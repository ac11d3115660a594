"""Errors with stable codes, in the spirit of spaCy's ``Errors`` table.

Every error giextract raises on purpose is a :class:`GiextractError` whose
``code`` is stable across releases, so scripts can branch on it and users can
search for it.  The message says what went wrong and, where there is one, the
command that fixes it.
"""

from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    """Stable error codes.  E0xx: input, E1xx: model, E2xx: corpus and training."""

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
    TIMEOUT = "E030"
    BAD_REQUEST = "E031"
    BAD_INPUT_TYPE = "E032"
    BAD_RECORD = "E033"
    WORKER_FAILED = "E034"
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
    """

    def __init__(self, code: ErrorCode, message: str, fix: str | None = None) -> None:
        self.code = code
        self.message = message
        self.fix = fix
        text = f"[{code.value}] {message}"
        if fix:
            text += f" (fix: {fix})"
        super().__init__(text)

    def to_dict(self) -> dict[str, str | None]:
        """The error as a JSON-ready dict: code, message and fix."""
        return {"code": self.code.value, "message": self.message, "fix": self.fix}
