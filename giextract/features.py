"""Line features: the one place where features are computed, for training and inference.

Each line gets features of its own (shape, cells, numbering, how much its text
looks like each kind of catalogue label) and, as context, the same features of
the two non-blank lines before and after it.  :data:`FEATURE_VERSION` is written
into every model's metadata; a model trained on other features is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from .catalogue import label_lexicon
from .lines import Line, is_page_noise
from .memo import keep
from .normalize import is_cjk, label_key
from .values import is_feature_placeholder, is_number
from .values import is_feature_value as is_value

FEATURE_VERSION = 1
CONTEXT_OFFSETS = (-2, -1, 1, 2)

_LENGTH_BUCKETS = (1, 2, 4, 8, 16, 32, 64)
_NUM_PAREN = re.compile(r"^[(（][一二三四五六七八九十\d]{1,3}[)）]")
_NUM_CN = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]")
_NUM_DIGIT = re.compile(r"^\d{1,2}\s*[.、．]")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十]+条")
_DATE = re.compile(r"\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}")
_CHROME = re.compile(
    r"首页|网站|来源|发布日期|发布时间|浏览次数|打印|关闭|分享|字体|访问|当前位置|责任编辑|扫一扫|版权所有|主办|ICP|IPv6|【|】"
)

OWN_NAMES: tuple[str, ...] = (
    "blank",
    "empty_cell",
    "n_cells",
    "n_content",
    "n_values",
    "frac_values",
    "first_is_value",
    "first_is_number",
    "first_is_placeholder",
    "indented",
    "sep_tab",
    "sep_pipe",
    "sep_space",
    "sep_grid",
    "sep_ruling",
    *(f"len_le_{b}" for b in _LENGTH_BUCKETS),
    "len_gt_64",
    "num_paren",
    "num_cn",
    "num_digit",
    "article",
    "ends_period",
    "sentence_punct",
    "page_noise",
    "chrome",
    "date",
    "report_title_words",
    "single_cjk",
    "sim_row",
    "sim_group",
    "sim_col",
    "sim_title",
    "exact_row",
    "exact_col",
    "exact_group",
    "partial_row",
    "partial_header",
    "digit_ratio",
    "n_text_cells",
    "note_words",
    "ascii_ratio",
    "short_cjk",
    "last_is_value",
    "position",
)
N_OWN = len(OWN_NAMES)
EXTRA_NAMES = ("prev_blank", "next_blank", "since_title", "table_zone")


def feature_names() -> list[str]:
    """The names of the feature columns, in order."""
    names = list(OWN_NAMES)
    for off in CONTEXT_OFFSETS:
        names += [f"{'p' if off < 0 else 'n'}{abs(off)}_{n}" for n in OWN_NAMES]
    return names + list(EXTRA_NAMES)


N_FEATURES = len(feature_names())


@lru_cache(maxsize=8192)
def _similarities(key: str) -> tuple[float, ...]:
    """How much a label key looks like each kind of label: ratios in [0, 1] and exact flags."""
    if not key:
        return (0.0,) * 9
    lex = label_lexicon()
    out: list[float] = []
    for kind in ("row", "group", "col", "title"):
        best = process.extractOne(key, lex[kind], scorer=fuzz.ratio)
        out.append(best[1] / 100.0 if best else 0.0)
    out.append(float(key in lex["row"]))
    out.append(float(key in lex["col"]))
    out.append(float(key in lex["group"]))
    if len(key) >= 3:
        pr = process.extractOne(key, lex["row"] | lex["group"], scorer=fuzz.partial_ratio)
        ph = process.extractOne(key, lex["col"] | lex["title"], scorer=fuzz.partial_ratio)
        out.append(pr[1] / 100.0 if pr else 0.0)
        out.append(ph[1] / 100.0 if ph else 0.0)
    else:
        out += [0.0, 0.0]
    return tuple(out)


def _length_onehot(n: int) -> list[float]:
    out = [0.0] * (len(_LENGTH_BUCKETS) + 1)
    for i, b in enumerate(_LENGTH_BUCKETS):
        if n <= b:
            out[i] = 1.0
            return out
    out[-1] = 1.0
    return out


def own_features(line: Line, position: float) -> list[float]:
    """The features of one line on its own."""
    return [*_content_features(line.cells, line.sep, line.indent > 0, line.text), position]


@lru_cache(maxsize=8192)
def _content_features(
    cells: tuple[str, ...], sep: str, indented: bool, line_text: str
) -> tuple[float, ...]:
    """The features that depend on the line's content only (cached: lines repeat a lot)."""
    content = [c for c in cells if c]
    values = [c for c in content if is_value(c)]
    texts = [c for c in content if not is_value(c)]
    first = content[0] if content else ""
    text = texts[0] if texts else ""
    joined = "".join(content)
    sims = _similarities(label_key(text)) if text else (0.0,) * 9
    n_chars = max(1, len(joined))
    return (
        float(not cells),
        float(len(cells) == 1 and not cells[0]),
        min(len(cells), 16) / 16,
        min(len(content), 16) / 16,
        min(len(values), 16) / 16,
        len(values) / max(1, len(content)),
        float(bool(first) and is_value(first)),
        float(bool(first) and is_number(first)),
        float(is_feature_placeholder(first)) if first else 0.0,
        float(indented),
        float(sep == "tab"),
        float(sep == "pipe"),
        float(sep == "space"),
        float(sep == "grid"),
        float(sep == "ruling"),
        *_length_onehot(len(text)),
        float(bool(_NUM_PAREN.match(text))),
        float(bool(_NUM_CN.match(text))),
        float(bool(_NUM_DIGIT.match(text))),
        float(bool(_ARTICLE.match(text))),
        float(joined.endswith(("。", ";", "；", ":", "："))),
        float(joined.count(",") + joined.count("，") + joined.count("。") > 1),
        float(is_page_noise(line_text)),
        float(bool(_CHROME.search(joined))),
        float(bool(_DATE.search(joined))),
        float("年度报告" in joined),
        float(len(text) == 1 and is_cjk(text)),
        *sims,
        sum(ch.isdigit() for ch in joined) / n_chars,
        min(len(texts), 8) / 8,
        float("勾稽" in joined),
        sum(ch.isascii() for ch in joined) / n_chars,
        float(0 < len(text) <= 4 and not _NUM_PAREN.match(text) and not _NUM_DIGIT.match(text)),
        float(bool(content) and is_value(content[-1])),
    )


_ROWS_MAX = 8192
"""The most distinct line contents whose feature rows :data:`_ROWS` keeps."""
_ROWS: dict[tuple[tuple[str, ...], str, bool], bytes] = {}
""":func:`_content_features` as the bytes of float32 rows, by (cells, separator, indented):
a pure function of the key (the line's text is its content cells joined), so safe to
keep.  Lines repeat a lot; bytes join into a matrix at once and take little memory."""


def _content_matrix(lines: Sequence[Line]) -> np.ndarray:
    """The lines' :func:`_content_features`, computed once per distinct content:
    float32, shape ``(len(lines), N_OWN - 1)``."""
    rows = _ROWS
    out: list[bytes] = []
    for line in lines:
        key = (line.cells, line.sep, line.indent > 0)
        row = rows.get(key)
        if row is None:
            features = _content_features.__wrapped__(*key, line.text)
            row = keep(rows, key, np.array(features, dtype=np.float32).tobytes(), _ROWS_MAX)
        out.append(row)
    return np.frombuffer(b"".join(out), dtype=np.float32).reshape(len(out), N_OWN - 1)


_REACH = max(abs(off) for off in CONTEXT_OFFSETS)
_OFFSETS = np.array(CONTEXT_OFFSETS) + _REACH
_GAP_OFFSETS = np.where(_OFFSETS < _REACH, _OFFSETS, _OFFSETS - 1)
"""Offsets count from a non-blank line itself, from a blank line's gap otherwise (both
shifted by :data:`_REACH`, into the non-blank lines padded on both sides)."""


def featurize(lines: Sequence[Line]) -> np.ndarray:
    """The feature matrix of a document's lines: shape ``(len(lines), N_FEATURES)``, float32."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, N_FEATURES), dtype=np.float32)
    out = np.zeros((n + 1, N_FEATURES), dtype=np.float32)  # row n: zeros, no line's context
    own = out[:, :N_OWN]
    own[:n, :-1] = _content_matrix(lines)
    own[:n, -1] = np.arange(n) / n  # position: i / n, as own_features computes it
    is_nb = np.fromiter((bool(line.cells) for line in lines), dtype=bool, count=n)
    nonblank = np.flatnonzero(is_nb)
    # For each line, its rank among non-blank lines (blank lines take the next one's rank).
    rank = np.searchsorted(nonblank, np.arange(n))
    # The context lines of each line; past either end, row n (zeros).
    padded = np.full(len(nonblank) + 2 * _REACH, n)
    padded[_REACH:-_REACH] = nonblank
    source = padded[rank[:, None] + np.where(is_nb[:, None], _OFFSETS, _GAP_OFFSETS)]
    context = len(CONTEXT_OFFSETS) * N_OWN
    out[:n, N_OWN : N_OWN + context] = own[source].reshape(n, context)
    extra = out[:n, N_OWN + context :]
    blank = ~is_nb
    extra[0, 0] = 1.0  # prev_blank: none before the first line
    extra[1:, 0] = blank[:-1]
    extra[:-1, 1] = blank[1:]  # next_blank: none after the last line
    extra[-1, 1] = 1.0
    title_col = OWN_NAMES.index("sim_title")
    titles = own[:n, title_col] >= 0.85
    # lines since the last title line at or before each line (1000: none yet)
    at = np.arange(n)
    last = np.maximum.accumulate(np.where(titles, at, -1))
    since = np.where(last >= 0, at - last, 1000).astype(np.float32)
    extra[:, 2] = np.log1p(since) / 7.0
    extra[:, 3] = since < 1000
    return out[:n]
