"""Unit tests of giextract.grid.merge_grid_rows on small hand-drawn tables."""

from __future__ import annotations

import pytest

from giextract.grid import grid_stretches, join_wrapped, merge_grid_rows, stops_short
from giextract.read import split_text


def rows(text: str) -> list[tuple[list[int], list[str], str]]:
    """``(line numbers, cells, separator)`` for each logical line of ``text``."""
    return [
        ([s.number for s in g], cells, sep) for g, cells, sep in merge_grid_rows(split_text(text))
    ]


def grid_cells(text: str) -> list[list[str]]:
    return [cells for _, cells, sep in rows(text) if sep == "grid"]


def test_wrapped_cell_in_box_table() -> None:
    text = "\n".join(
        [
            "┌──────────┬────┬────┐",
            "│（二）部分│7   │1032│",
            "│公开      │    │    │",
            "├──────────┼────┼────┤",
            "│规章      │0   │1   │",
            "└──────────┴────┴────┘",
        ]
    )
    assert grid_cells(text) == [["（二）部分公开", "7", "1032"], ["规章", "0", "1"]]
    assert [nums for nums, _, sep in rows(text) if sep == "grid"] == [[2, 3], [5]]


def test_rowspan_cell_with_partial_rulings_goes_to_its_first_row() -> None:
    text = "\n".join(
        [
            "┌──────┬──────────┬───┐",
            "│      │1.国家秘密│1  │",
            "│（三）├──────────┼───┤",
            "│不予公│2.禁止公开│   │",
            "│开    ├──────────┼───┤",
            "│      │3.危及    │3  │",
            "├──────┴──────────┼───┤",
            "│（七）总计       │4  │",
            "└─────────────────┴───┘",
        ]
    )
    assert grid_cells(text) == [
        ["（三）不予公开", "1.国家秘密", "1"],
        ["2.禁止公开", ""],
        ["3.危及", "3"],
        ["（七）总计", "4"],
    ]


def test_number_wrapped_over_two_lines_is_joined() -> None:
    text = "+----+---+\n| 总 | 2 |\n| 计 | 6 |\n+----+---+"
    assert grid_cells(text) == [["总计", "26"]]


def test_ascii_grid_with_partial_ruling_and_alignment_colons() -> None:
    text = "\n".join(
        [
            "+:------:+:------:+:--:+",
            "| 三、   | 予以公开 | 5  |",
            "|        +----------+----+",
            "|        | 部分公开 | 6  |",
            "+--------+----------+----+",
        ]
    )
    # Misaligned on purpose (the middle column is one wider): not a closed drawing,
    # so the fallback merges the lines between full rulings column by column.
    assert grid_cells(text)
    aligned = "\n".join(
        [
            "+:------:+:--------:+:--:+",
            "| 三、   | 予以公开 | 5  |",
            "|        +----------+----+",
            "|        | 部分公开 | 6  |",
            "+--------+----------+----+",
        ]
    )
    assert grid_cells(aligned) == [["三、", "予以公开", "5"], ["部分公开", "6"]]


def test_non_grid_lines_pass_through() -> None:
    text = "二、主动公开政府信息情况\n\n规章 0 1 2\n| a | b |"
    out = rows(text)
    assert [sep for _, _, sep in out] == ["raw"] * 4
    assert all(cells == [] for _, cells, _ in out)


def test_unclosed_drawing_falls_back_to_line_merging() -> None:
    text = "┌────┬───┐\n│规章│0  │\n├────┼──┤\n│其他│1  │\n└────┴───┘"  # a short ruling
    assert grid_cells(text) == [["规章", "0"], ["其他", "1"]]


def test_pandoc_simple_table_keeps_blank_cells() -> None:
    text = "\n".join(
        [
            "  ------------ ----- ----- -----",
            "  规章         0           2",
            "  行政许可     6     0     424",
            "  ------------ ----- ----- -----",
        ]
    )
    assert grid_cells(text) == [["规章", "0", "", "2"], ["行政许可", "6", "0", "424"]]


def test_pandoc_multiline_table_joins_wrapped_cells() -> None:
    text = "\n".join(
        [
            "  ---------------- ----- -----",
            "    （二）部分公开   7     10",
            "    （区分处理的）",
            "",
            "    规章             0     1",
            "  ---------------- ----- -----",
        ]
    )
    assert grid_cells(text) == [["（二）部分公开（区分处理的）", "7", "10"], ["规章", "0", "1"]]


def test_space_aligned_rows_get_their_blank_cells() -> None:
    text = "\n".join(
        [
            "   1.属于国家秘密    5   6   156   8",
            "   2.禁止公开        3   4    5    580",
            "   3.危及            7   2    3    4",
            "   8.查询事项        0   100       3",
            "   行政事业性收费    0       2",
        ]
    )
    fixed = grid_cells(text)
    assert fixed == [["8.查询事项", "0", "100", "", "3"]]


def test_join_wrapped() -> None:
    assert join_wrapped(["（二）部分", "公开"]) == "（二）部分公开"
    assert join_wrapped(["12", "34"]) == "1234"
    assert join_wrapped(["Hello", "world", ""]) == "Hello world"


@pytest.mark.parametrize(
    ("pieces", "text"),
    [
        (["1234567", "89    "], "123456789"),  # a number wrapped: it filled its cell
        (["29     ", "1      ", "2      "], "29 1 2"),  # three rows in one cell
        (["（二）部分   ", "公开   "], "（二）部分公开"),  # text joins whatever its width
        (["12 ", "34 "], "1234"),  # stopped one column short: its padding
    ],
)
def test_join_wrapped_keeps_numbers_of_short_lines_apart(pieces: list[str], text: str) -> None:
    assert join_wrapped(pieces, [stops_short(p) for p in pieces]) == text


# (case, text, the line numbers of each stretch that is a table)
STRETCHES = [
    ("plain text", "二、主动公开\n\n规章 0 1 2\n| a | b |", []),
    (
        "box table between prose",
        "标题\n┌──┬─┐\n│规│0│\n├──┼─┤\n│章│1│\n└──┴─┘\n其他 3",
        [[2, 3, 4, 5, 6]],
    ),
    (
        "pandoc simple table",
        "前言\n  ----- -----\n  规章   1\n  其他   2\n  ----- -----\n后记",
        [[2, 3, 4, 5]],
    ),
]


@pytest.mark.parametrize(("case", "text", "tables"), STRETCHES, ids=[c[0] for c in STRETCHES])
def test_stretches_are_the_tables_and_the_rows_cover_every_line(
    case: str, text: str, tables: list[list[int]]
) -> None:
    lines = split_text(text)
    found = [[s.number for s in lines[a:b]] for a, b, _ in grid_stretches(lines)]
    assert found == tables, case
    numbers = [s.number for group, _, _ in merge_grid_rows(lines) for s in group]
    assert sorted(numbers) == [s.number for s in lines], case
