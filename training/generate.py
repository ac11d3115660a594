"""Compatibility alias: the generator now lives in :mod:`giextract.training.generate`.

It ships inside the package so that the training loop works from an installed wheel.
This alias keeps ``from training.generate import …`` (in scripts of this checkout and
in branches written before the move) working; import ``giextract.training.generate``
in new code.  Remove the alias once nothing imports it.
"""

from __future__ import annotations

import sys

from giextract.training import generate as _generate
from giextract.training.generate import *  # noqa: F403  (the public names, for type checkers)

sys.modules[__name__] = _generate
