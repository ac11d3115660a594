"""Bounded memos: the stages keep what a line (or a key) gave them, since reports repeat
their lines (labels, headers, rows of 0s), and empty a memo when it is full, so that
memory stays bounded over any batch."""

from __future__ import annotations

from typing import TypeVar

_K = TypeVar("_K")
_V = TypeVar("_V")


def keep(memo: dict[_K, _V], key: _K, value: _V, most: int) -> _V:
    """Put ``value`` in ``memo`` under ``key``, emptying the memo first when it holds
    ``most`` entries; return ``value``."""
    if len(memo) >= most:
        memo.clear()
    memo[key] = value
    return value


LINE_CHARS = 300
"""A per-line memo keeps lines of up to this many characters (longer ones rarely repeat)."""
LINES_MOST = 4096
"""A per-line memo holds at most this many lines."""


def keep_line(memo: dict[_K, _V], key: _K, value: _V, text: str) -> None:
    """:func:`keep` a per-line result, for a line (``text``) of up to :data:`LINE_CHARS`
    characters, in a memo of at most :data:`LINES_MOST`."""
    if len(text) <= LINE_CHARS:
        keep(memo, key, value, LINES_MOST)
