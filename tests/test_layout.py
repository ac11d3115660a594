"""Layout text in two dimensions: display columns, column centres, values placed under them."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giextract.layout import (
    char_spans,
    column_centres,
    display_width,
    header_centres,
    place,
    place_scaled,
    place_told,
    token_spans,
)


def test_display_width_counts_cjk_twice() -> None:
    assert display_width("规章 0") == 6


def test_token_spans_are_display_centres() -> None:
    assert token_spans("规章  0   12") == [("规章", 2.0), ("0", 6.5), ("12", 11.0)]


FULL = [[36.5, 43.5, 56.5, 63.5, 69.5, 76.5, 81.0], [39.5, 46.5, 59.5, 66.5, 72.5, 79.5, 84.0]]

PLACES = [
    # a vanished blank in the 4th column; the row itself shifted by 3 columns
    ([39.5, 46.5, 59.5, 72.5, 79.5, 84.0], [0, 1, 2, 4, 5, 6]),
    # two vanished blanks at the start
    ([56.5, 63.5, 69.5, 76.5, 81.0], [2, 3, 4, 5, 6]),
    # a value half-way between two columns: the layout does not tell
    ([36.5, 43.5, 50.0, 63.5, 69.5, 76.5], None),
]


@pytest.mark.parametrize(("positions", "columns"), PLACES)
def test_place(positions: list[float], columns: list[int] | None) -> None:
    centres = column_centres(FULL)
    assert centres is not None
    assert place(positions, centres) == columns


def test_values_that_do_not_line_up_have_no_columns() -> None:
    # pdftotext -raw: single spaces, positions follow the digits' lengths (such lines are
    # not laid out at all, sequence._laid_out; their rows do not align either)
    assert column_centres([[1, 3, 5, 7], [1, 7, 13, 19]]) is None
    # columns too close to be columns (:data:`~giextract.layout.MIN_SPACING`)
    assert column_centres([[1, 2.5, 6, 9], [1, 2.5, 6, 9]]) is None
    # lynx's narrow columns, two apart, are columns
    assert column_centres([[1, 3, 5, 7], [1, 3, 5, 7]]) == [1.0, 3.0, 5.0, 7.0]


def _reference_spans(text: str) -> list[tuple[str, float]]:
    """The per-character reference that :func:`token_spans` replaced."""

    def width(t: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in t)

    out: list[tuple[str, float]] = []
    col, token, start = 0, "", 0
    for ch in text + " ":
        if ch.isspace():
            if token:
                out.append((token, start + width(token) / 2))
                token = ""
            col += 1 if ch != "\t" else 8 - col % 8
            continue
        if not token:
            start = col
        token += ch
        col += width(ch)
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\u3000\xa0\x1c\u2003a1.规章０－", max_size=40))
def test_token_spans_match_the_per_character_reference(text: str) -> None:
    assert token_spans(text) == _reference_spans(text)


# pdftotext -layout spaces each line a little differently: one full row's columns
# (p007 of the renders: 3.其他 0 0 4 0 0 0 4) and a row with a vanished blank.
ONE_ROW = [38.5, 46.5, 54.5, 58.5, 62.5, 66.5, 74.5]
ONE_ROW_PLACES = [
    # the first value pushed 2.5 aside by the wrapped label: the others fit exactly
    ([34.0, 44.5, 56.5, 60.5, 64.5, 73.0], [0, 1, 3, 4, 5, 6]),
    # a value half-way between two columns says nothing
    ([38.5, 46.5, 50.5, 58.5, 62.5, 66.5], None),
]


# Render p021 (pdftotext -layout of the LibreOffice PDF, and lynx): 规章 0 26 0 and
# 规范性文件 _ 0 0.  Shifted, two values fit either pair of three evenly spaced columns;
# where the row stands tells.
P021_FULL = [21.5, 35.0, 48.5]
STANDING_PLACES = [
    (P021_FULL, [36.5, 50.5], [1, 2]),
    (P021_FULL, [22.5, 36.0], [0, 1]),
    # half-way between: neither tells
    (P021_FULL, [28.5, 42.0], None),
    # a row 5 columns aside: shifted it fits one placement, where it stands another
    ([36.5, 43.5, 56.5, 63.5, 69.5, 76.5, 81.0], [41.8, 61.8, 68.8, 74.8, 81.8], None),
    # lynx (render p032): columns two apart (社会公益组织, 法律服务机构 …); 1.属于国家秘密
    # printed five values, its blanks under 法律服务机构 and 总计
    ([75.0, 80.5, 85.5, 87.5, 89.5, 92.5, 95.0], [74.5, 79.5, 84.5, 86.5, 91.5], [0, 1, 2, 3, 5]),
    # lynx (render p012): narrow columns three apart, each row shifted by its label; the
    # gaps 6 5 3 4 say the two blanks are the last columns, under the row above (shifted
    # by 7) and the row below alike
    (
        [90.5, 96.5, 101.5, 104.5, 108.5, 112.5, 116.5],
        [83.5, 89.5, 94.5, 97.5, 101.5],
        [0, 1, 2, 3, 4],
    ),
    (
        [82.5, 88.5, 93.5, 96.5, 100.5, 104.5, 108.5],
        [83.5, 89.5, 94.5, 97.5, 101.5],
        [0, 1, 2, 3, 4],
    ),
]


@pytest.mark.parametrize(("full", "positions", "columns"), STANDING_PLACES)
def test_place_where_the_row_stands(
    full: list[float], positions: list[float], columns: list[int] | None
) -> None:
    centres = column_centres([full])
    assert centres is not None
    assert place(positions, centres) == columns


def test_column_centres_stand_where_the_rows_stand() -> None:
    assert column_centres([[10.0, 20.0, 30.0], [12.0, 22.0, 32.0]]) == [11.0, 21.0, 31.0]


@pytest.mark.parametrize(("positions", "columns"), ONE_ROW_PLACES)
def test_place_under_one_row(positions: list[float], columns: list[int] | None) -> None:
    centres = column_centres([ONE_ROW])
    assert centres is not None
    assert place(positions, centres) == columns


# pdftotext -layout of a Chromium PDF (render p032): the full row 一、本年新收… and rows
# below it spaced about twice as wide.
SCALE_REF = [59.5, 69.5, 74.5, 81.5, 89.0, 93.5, 98.5]
SCALED_PLACES = [
    # 四、结转下年度继续办理 0 0 0 0 _ 0 0: the blank is the fifth column
    ([68.5, 77.5, 86.5, 95.5, 114.5, 119.5], [0, 1, 2, 3, 5, 6]),
    # the same values at the full row's own scale
    ([59.5, 69.5, 74.5, 81.5, 93.5, 98.5], [0, 1, 2, 3, 5, 6]),
    # evenly spaced values: any scale fits several placements, the layout does not tell
    ([10.0, 20.0, 30.0, 40.0, 50.0, 60.0], None),
    # two values: a scale and a shift fit any two columns
    ([68.5, 119.5], None),
    # as many values as columns: nothing vanished
    ([59.5, 69.5, 74.5, 81.5, 89.0, 93.5, 98.5], None),
]


@pytest.mark.parametrize(("positions", "columns"), SCALED_PLACES)
def test_place_scaled(positions: list[float], columns: list[int] | None) -> None:
    assert place_scaled(positions, SCALE_REF) == columns


APPEAL_WORDS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

# pdftotext -layout of a Chromium PDF (render p053): the words of each header cell
# stacked a character or a few per line, on pdftotext's grid (a CJK character one column),
# then the bare line of values
*STACKED_HEADER, BARE_LINE = (
    (Path(__file__).parent / "data" / "layout" / "appeals-stacked-header.txt")
    .read_text("utf-8")
    .splitlines()
)

HEADERS = [
    # 15 cells, one a column: the bare line's 14 values leave the first blank
    (STACKED_HEADER, 1, list(range(1, 15))),
    # counted two columns a CJK character (a terminal's measure), the cells run together
    (STACKED_HEADER, 2, None),
    # a group heading alone names no column: too few cells
    (STACKED_HEADER[:2], 1, None),
]


@pytest.mark.parametrize(("header", "wide", "columns"), HEADERS)
def test_header_centres_place_a_bare_line(
    header: list[str], wide: int, columns: list[int] | None
) -> None:
    centres = header_centres(header, 15, APPEAL_WORDS, wide)
    if columns is None:
        assert centres is None
        return
    assert centres is not None and len(centres) == 15
    assert place([c for _, c in char_spans(BARE_LINE)], centres) == columns


def test_char_spans_count_every_character_one_column() -> None:
    assert char_spans("结果维  0") == [("结果维", 1.5), ("0", 5.5)]
    assert char_spans("\t0") == [("0", 8.5)]


# pdftotext -layout spaces the rows of one table differently (render p005): 上年结转's five
# values stand value for value under the row above, and one column off, once shifted, under
# the narrower row below; place_told says how many ways told each placement.
CARRIED_OVER = [59.5, 69.5, 73.5, 77.5, 85.5]
TOLD = [
    ([47.5, 59.5, 69.5, 73.5, 77.5, 81.5, 85.5], ([1, 2, 3, 4, 6], 2)),
    ([38.5, 47.5, 51.5, 55.5, 59.5, 63.5, 67.5], ([0, 1, 2, 3, 5], 1)),
]


@pytest.mark.parametrize(("full", "told"), TOLD)
def test_place_told_counts_the_ways_that_tell(
    full: list[float], told: tuple[list[int], int]
) -> None:
    centres = column_centres([full])
    assert centres is not None
    assert place_told(CARRIED_OVER, centres) == told
