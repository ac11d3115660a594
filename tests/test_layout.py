"""Layout text in two dimensions: display columns, column centres, values placed under them."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giextract.layout import column_centres, display_width, place, place_scaled, token_spans


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
    # pdftotext -raw: single spaces, positions follow the digits' lengths
    assert column_centres([[1, 3, 5, 7], [1, 5, 9, 11]]) is None
    # columns too close to be columns
    assert column_centres([[1, 3, 5, 7], [1, 3, 5, 7]]) is None


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
