"""The loop from an installed wheel: extract, evaluate and train, and nothing written inside.

A wheel is built from this checkout (``pip wheel --no-build-isolation``: hatchling from
the test venv, no network) and installed with ``--no-deps`` into a fresh venv that sees
the test venv's libraries through a ``.pth`` file (``venv --system-site-packages`` would
only see the base interpreter's).  The commands run in an empty directory, without
``PYTHONPATH``, so they cannot fall back to this checkout.
"""

from __future__ import annotations

import json
import os
import re
import site
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "liuzhou-bigdata-2019.txt"
CORPUS = REPO / "corpus"
PIP = (sys.executable, "-m", "pip")


class Venv:
    """A venv with the wheel installed, and a clean environment to run its commands."""

    def __init__(self, root: Path, work: Path) -> None:
        self.root = root
        self.work = work
        self.bin = root / "bin"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "GIEXTRACT"))}
        env.pop("VIRTUAL_ENV", None)
        self.env = env

    def run(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / str(args[0])), *map(str, args[1:])]
        return subprocess.run(
            cmd, cwd=self.work, env=self.env, capture_output=True, text=True, timeout=600
        )

    def package_dir(self) -> Path:
        out = self.run(
            "python", "-c", "import giextract, os; print(os.path.dirname(giextract.__file__))"
        )
        assert out.returncode == 0, out.stderr
        return Path(out.stdout.strip())


def _build_and_install(tmp: Path) -> Venv:
    dist = tmp / "dist"
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("giextract-*.whl"))
    root = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    purelib = next(root.glob("lib/python*/site-packages"))
    (purelib / "test-venv-libraries.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    python = str(root / "bin" / "python")
    install = [*PIP, "--python", python, "install", "--no-deps", "--no-index", "-q", str(wheel)]
    subprocess.run(install, check=True, capture_output=True)
    work = tmp / "work"
    work.mkdir()
    return Venv(root, work)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return _build_and_install(tmp_path_factory.mktemp("wheel"))


def _tree(path: Path) -> dict[str, int]:
    return {
        str(p.relative_to(path)): p.stat().st_size
        for p in path.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def _tiny_config(venv: Venv, package: Path) -> Path:
    """The config shipped in the wheel, with few generated reports and epochs."""
    text = (package / "training" / "config.toml").read_text(encoding="utf-8")
    for key, value in (("generated", 12), ("eval_generated", 4), ("max_iter", 10)):
        text = re.sub(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
    path = venv.work / "tiny.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_wheel_runs_the_loop_and_writes_nothing_inside(venv: Venv) -> None:
    package = venv.package_dir()
    assert package.is_relative_to(venv.root), package  # the wheel's copy, not the checkout
    before = _tree(package)

    out = venv.run("giextract", "extract", EXAMPLE, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)[0]["fields"]["active.procurement.amount"] == 1763847.27

    # No corpus and no models directory outside a checkout: coded refusals naming the option.
    for args, code, option in (
        (("evaluate",), "E206", "--corpus"),
        (("compare", package / "models" / "giextract-lines-1.0", "b"), "E206", "--corpus"),
        (("label", EXAMPLE, "--name", "x"), "E206", "--corpus"),
        (("train",), "E206", "--corpus"),
        (("train", "--corpus", CORPUS), "E207", "--models"),
        (("train", "--corpus", CORPUS, "--models", package / "models"), "E208", "--models"),
        (("label", EXAMPLE, "--corpus", package / "corpus"), "E208", "--corpus"),
    ):
        out = venv.run("giextract", *args)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert code in out.stderr and option in out.stderr, (args, out.stderr)

    config = _tiny_config(venv, package)
    out = venv.run("giextract", "evaluate", "--corpus", CORPUS, "--config", config, "--json")
    assert out.returncode == 0, out.stderr
    metrics = json.loads(out.stdout)
    assert metrics["fields"]["reports"] == 2 + 4
    assert metrics["fields"]["accuracy"] > 0.99

    models = venv.work / "models"
    out = venv.run("giextract", "train", "--corpus", CORPUS, "--config", config, "--models", models)
    assert out.returncode == 0, out.stderr
    meta = json.loads((models / "giextract-lines-1.0" / "meta.json").read_text("utf-8"))
    assert meta["training"]["generated_reports"] == 12
    assert meta["training"]["lock"] == "training/train.lock"  # shipped in the wheel too
    assert 0 < meta["f1_floor"] <= meta["corpus_test_macro_f1"]

    assert _tree(package) == before
    assert sorted(p.name for p in venv.work.iterdir()) == ["models", "tiny.toml"]
