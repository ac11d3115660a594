"""The union-find cell finder of ``grid`` gives exactly the cells of a per-character
flood fill (the reference kept here), on random drawings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from giextract import grid


def _flood_cells(
    chars: list[list[str]], border: list[list[bool]]
) -> list[tuple[int, int, str]] | None:
    """The reference: 4-connected regions by flood fill, as (top, left, text)."""
    height, width = len(chars), len(chars[0])
    seen = [[False] * width for _ in range(height)]
    out = []
    for y in range(height):
        for x in range(width):
            if border[y][x] or seen[y][x]:
                continue
            stack, region = [(y, x)], []
            seen[y][x] = True
            while stack:
                cy, cx = stack.pop()
                if cy in (0, height - 1) or cx in (0, width - 1):
                    return None
                region.append((cy, cx))
                for ny, nx in ((cy - 1, cx), (cy + 1, cx), (cy, cx - 1), (cy, cx + 1)):
                    if not border[ny][nx] and not seen[ny][nx]:
                        seen[ny][nx] = True
                        stack.append((ny, nx))
            rows: dict[int, list[tuple[int, str]]] = {}
            for ry, rx in region:
                rows.setdefault(ry, []).append((rx, chars[ry][rx]))
            parts = [
                "".join(ch for _, ch in sorted(cols) if ch != grid._PAD)
                for _, cols in sorted(rows.items())
            ]
            top = min(ry for ry, _ in region)
            left = min(rx for ry, rx in region if ry == top)
            out.append((top, left, grid.join_wrapped([grid._unbreak(p) for p in parts])))
    return sorted(out)


def _union_find_cells(
    chars: list[list[str]], border: list[list[bool]]
) -> list[tuple[int, int, str]] | None:
    regions = grid._components(chars, border)
    if regions is None:
        return None
    out = []
    for region in regions:
        top = min(y for y, _, _ in region)
        left = min(x0 for y, x0, _ in region if y == top)
        out.append((top, left, grid._region_text(chars, region)))
    return sorted(out)


@st.composite
def drawings(draw: st.DrawFn) -> tuple[list[list[str]], list[list[bool]]]:
    height = draw(st.integers(3, 9))
    width = draw(st.integers(3, 14))
    border = [[draw(st.booleans()) for _ in range(width)] for _ in range(height)]
    closed = draw(st.booleans())
    if closed:  # a frame, so that regions are often inside
        for x in range(width):
            border[0][x] = border[-1][x] = True
        for row in border:
            row[0] = row[-1] = True
    chars = [[("│" if b else draw(st.sampled_from("ab1 2中"))) for b in row] for row in border]
    return chars, border


@settings(max_examples=150, deadline=None)
@given(drawings())
def test_union_find_matches_flood_fill(drawing: tuple[list[list[str]], list[list[bool]]]) -> None:
    chars, border = drawing
    assert _union_find_cells(chars, border) == _flood_cells(chars, border)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="│┼─┌┐+-=:| ab1中\0", min_size=1, max_size=30))
def test_text_runs_match_the_border_mask(row: str) -> None:
    """The regex runs of a line are the runs of its per-column border mask."""
    assert grid._text_runs(row) == grid._runs(grid._border_mask(list(row)))
