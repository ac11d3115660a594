"""Where the training loop reads and writes: explicit paths, and never the installation.

The loop's commands (``train``, ``evaluate``, ``label``, ``compare``) work on a corpus
directory, a config file and a models directory.  Each is taken from, in order: the
command's option (``--corpus``, ``--config``, ``--models``), an environment variable
(``GIEXTRACT_CORPUS``, ``GIEXTRACT_MODELS``), and — only when giextract runs from a
source checkout — the checkout's ``corpus/``, ``training/config.toml`` and ``models/``.
An installed giextract has no default corpus or models directory: the commands then
refuse with a coded error naming the option, and nothing is ever written inside the
installation (site-packages).
"""

from __future__ import annotations

import os
import site
import sysconfig
from functools import lru_cache
from pathlib import Path

from .errors import ErrorCode, GiextractError

PACKAGE_DIR = Path(__file__).resolve().parent
CONFIG_NAME = "config.toml"


@lru_cache(maxsize=1)
def installation_dirs() -> tuple[Path, ...]:
    """The directories packages are installed in (site-packages and the like)."""
    found = {Path(p) for p in site.getsitepackages()}
    found |= {Path(sysconfig.get_paths()[k]) for k in ("purelib", "platlib")}
    user = site.getusersitepackages()
    if user:
        found.add(Path(user))
    return tuple(sorted({p.resolve() for p in found}))


def inside_installation(path: Path) -> bool:
    """Whether ``path`` is in (or is) an installation directory or the installed package."""
    target = Path(path).resolve()
    roots = [*installation_dirs()]
    if checkout_root() is None:
        roots.append(PACKAGE_DIR)
    return any(target == r or r in target.parents for r in roots)


def checkout_root() -> Path | None:
    """The source checkout giextract runs from, or None when it runs installed."""
    root = PACKAGE_DIR.parent
    if not (root / "pyproject.toml").is_file():
        return None
    if any(root == r or r in root.parents for r in installation_dirs()):
        return None
    return root


def _from_env_or_checkout(given: Path | None, env: str, sub: str) -> Path | None:
    if given is not None:
        return Path(given)
    if os.environ.get(env):
        return Path(os.environ[env])
    root = checkout_root()
    return root / sub if root is not None else None


def corpus_dir(given: Path | None = None, *, must_exist: bool = True) -> Path:
    """The corpus directory: ``given``, ``$GIEXTRACT_CORPUS`` or the checkout's ``corpus/``.

    Raises:
        GiextractError: E206 when there is none, or (``must_exist``) it is not a directory.
    """
    path = _from_env_or_checkout(given, "GIEXTRACT_CORPUS", "corpus")
    if path is None:
        raise GiextractError(
            ErrorCode.CORPUS_MISSING,
            "no corpus directory given, and giextract is not running from a source checkout",
            "pass --corpus DIR (a directory with sources/, labelled/{train,test}/ and gold/) "
            "or set GIEXTRACT_CORPUS",
        )
    if must_exist and not path.is_dir():
        raise GiextractError(
            ErrorCode.CORPUS_MISSING,
            f"corpus directory {path} does not exist",
            "pass --corpus DIR (a directory with sources/, labelled/{train,test}/ and gold/)",
        )
    return path


def models_out_dir(given: Path | None = None) -> Path:
    """Where new models are written: ``given``, ``$GIEXTRACT_MODELS`` or the checkout's
    ``models/``; never inside the installation.

    Raises:
        GiextractError: E207 when there is none, E208 when it is inside the installation.
    """
    path = _from_env_or_checkout(given, "GIEXTRACT_MODELS", "models")
    if path is None:
        raise GiextractError(
            ErrorCode.OUTPUT_MISSING,
            "no models directory to write to, and giextract is not running from a checkout",
            "pass --models DIR or set GIEXTRACT_MODELS",
        )
    return ensure_writable(path, "--models")


def ensure_writable(path: Path, option: str) -> Path:
    """``path``, unless it is inside the installation (site-packages or the package).

    Raises:
        GiextractError: E208 naming ``option``.
    """
    if inside_installation(path):
        raise GiextractError(
            ErrorCode.WRITE_REFUSED,
            f"{path} is inside the installation of giextract; nothing is written there",
            f"pass {option} DIR outside site-packages",
        )
    return Path(path)


def training_file(name: str) -> Path | None:
    """A file of the project's ``training/`` directory: the copy a wheel ships in
    ``giextract/training/``, or the checkout's; None when there is neither."""
    packaged = PACKAGE_DIR / "training" / name
    if packaged.is_file():
        return packaged
    root = checkout_root()
    if root is not None and (root / "training" / name).is_file():
        return root / "training" / name
    return None


def default_config_path() -> Path:
    """The shipped training config (the project's ``training/config.toml``).

    Raises:
        GiextractError: E209 when this installation lacks it.
    """
    path = training_file(CONFIG_NAME)
    if path is None:
        raise GiextractError(
            ErrorCode.CONFIG_MISSING,
            f"no training config: {PACKAGE_DIR / 'training' / CONFIG_NAME} is missing",
            "pass --config FILE (see training/config.toml of the project)",
        )
    return path
