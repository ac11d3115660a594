"""Compatibility alias: the web-page fixture builder now lives in
:mod:`giextract.training.web_fixtures`.

It ships inside the package so that the training loop works from an installed wheel.
This alias keeps ``from training.web_fixtures import …`` (in scripts of this checkout and
in branches written before the move) working; import ``giextract.training.web_fixtures``
in new code.  Remove the alias once nothing imports it.
"""

from __future__ import annotations

import sys

from giextract.training import web_fixtures as _web_fixtures
from giextract.training.web_fixtures import *  # noqa: F403  (the public names, for type checkers)

sys.modules[__name__] = _web_fixtures
