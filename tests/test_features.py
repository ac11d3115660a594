"""The feature matrix: its own-line block is :func:`own_features` of each line."""

from __future__ import annotations

import random

import numpy as np
import pytest

from giextract.features import N_FEATURES, N_OWN, featurize, own_features
from giextract.lines import to_lines
from giextract.read import read_text
from giextract.training.generate import LAYOUTS, generate_report


@pytest.mark.parametrize("layout", LAYOUTS)
def test_own_block_is_own_features_of_each_line(layout: str) -> None:
    lines = to_lines(read_text(generate_report(random.Random(layout), "2021", layout).text))
    n = len(lines)
    matrix = featurize(lines)
    expected = np.array([own_features(ln, i / n) for i, ln in enumerate(lines)], np.float32)
    assert matrix.shape == (n, N_FEATURES)
    assert np.array_equal(matrix[:, :N_OWN], expected)


def test_no_lines_no_rows() -> None:
    assert featurize([]).shape == (0, N_FEATURES)
