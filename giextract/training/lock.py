"""The lock file of the ``train`` extra: the exact libraries a shipped model was trained with.

``training/train.lock`` pins (``name==version``) every distribution that
``giextract[train]`` pulls in, core dependencies included, as a pip constraints file::

    pip install -e ".[train]" -c training/train.lock

:func:`write_lock` writes it from the environment it runs in (after checking that the
environment satisfies ``pyproject.toml``); :func:`lock_differences` says how the running
environment differs from it, which :func:`giextract.train.train` records in ``meta.json``.

    python -m giextract.training.lock --pyproject pyproject.toml --out training/train.lock
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

HEADER = (
    "# Constraints of giextract[train]: every distribution it installs, pinned.\n"
    '# Use: pip install -e ".[train]" -c training/train.lock\n'
    "# Regenerate: python -m giextract.training.lock --pyproject pyproject.toml "
    "--out training/train.lock\n"
)


def _toml(path: Path) -> dict[str, object]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    with path.open("rb") as fh:
        return tomllib.load(fh)


def extra_requirements(pyproject: Path, extra: str = "train") -> list[Requirement]:
    """The core dependencies of ``pyproject.toml`` and those of one extra."""
    project = _toml(pyproject)["project"]
    assert isinstance(project, dict)
    raw = list(project["dependencies"]) + list(project["optional-dependencies"][extra])
    return [Requirement(r) for r in raw]


def closure(requirements: Iterable[Requirement]) -> dict[str, str]:
    """Every installed distribution the requirements pull in: canonical name → version.

    Raises:
        metadata.PackageNotFoundError: when a required distribution is not installed.
    """
    found: dict[str, str] = {}
    todo = [(r, frozenset(r.extras)) for r in requirements]
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        if name in found:
            continue
        found[name] = metadata.version(req.name)
        for raw in metadata.requires(req.name) or []:
            sub = Requirement(raw)
            envs = [{"extra": e} for e in extras] or [{"extra": ""}]
            if sub.marker is None or any(sub.marker.evaluate(env) for env in envs):
                todo.append((sub, frozenset(sub.extras)))
    return dict(sorted(found.items()))


def mismatches(requirements: Iterable[Requirement], pins: dict[str, str]) -> list[str]:
    """Requirements whose pinned version is outside the declared range."""
    return [
        f"{r.name}=={pins[canonicalize_name(r.name)]} is outside {r}"
        for r in requirements
        if canonicalize_name(r.name) in pins
        and not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)
    ]


def lock_text(pins: dict[str, str]) -> str:
    """The lock file's text."""
    return HEADER + "".join(f"{name}=={version}\n" for name, version in pins.items())


def read_lock(path: Path) -> dict[str, str]:
    """The pins (``name==version`` lines) of a lock file, by canonical name."""
    pins: dict[str, str] = {}
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if "==" in line:
            name, version = (part.strip() for part in line.split("==", 1))
            pins[canonicalize_name(name)] = version
    return pins


def lock_differences(pins: dict[str, str]) -> dict[str, str]:
    """Locked distributions whose installed version differs: name → ``installed (locked)``."""
    out = {}
    for name, version in sorted(pins.items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "missing"
        if installed != version:
            out[name] = f"{installed} (locked {version})"
    return out


def write_lock(pyproject: Path, out: Path) -> dict[str, str]:
    """Write the lock of ``giextract[train]`` from this environment; returns the pins.

    Raises:
        ValueError: when an installed version is outside ``pyproject.toml``'s ranges.
    """
    requirements = extra_requirements(pyproject)
    pins = closure(requirements)
    bad = mismatches(requirements, pins)
    if bad:
        raise ValueError("; ".join(bad))
    Path(out).write_text(lock_text(pins), encoding="utf-8")
    return pins


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m giextract.training.lock --pyproject pyproject.toml --out FILE``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pyproject", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_lock(args.pyproject, args.out)


if __name__ == "__main__":
    main()
