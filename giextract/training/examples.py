"""Labelled examples for training and evaluation, and the training config.

An :class:`Example` is a document read by giextract with one label per *physical*
line (from the corpus's ``.jsonl`` files or from the generator) and, if known, the
gold fields.  Logical-line labels are derived from the physical ones for whatever
logical lines a stage produces (:func:`labels_for_lines`), so training and
evaluation never depend on two runs splitting lines alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..corpus import load_split
from ..lines import Line, to_lines
from ..paths import default_config_path
from ..read import Document, read_path, read_text
from . import generate


def _toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    with path.open("rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class TrainConfig:
    """Model, hyperparameters and data of a training run (``training/config.toml``).

    ``kind`` is ``mlp`` (the ``[model]`` keys) or ``logreg`` (the ``[model.logreg]``
    keys: ``c``, ``max_iter``, ``tol``); ``renders`` adds the aligned renders of the
    corpus's training pages (``<corpus>/renders``) to the train split; ``path`` and
    ``sha256`` say which file the config was read from.
    """

    name: str
    kind: str
    hidden_layers: tuple[int, ...]
    alpha: float
    max_iter: int
    learning_rate_init: float
    batch_size: int
    c: float
    logreg_max_iter: int
    tol: float
    seed: int
    generated: int
    generated_seed: int
    held_out_layouts: tuple[str, ...]
    eval_generated: int
    eval_seed: int
    renders: bool
    path: Path = field(compare=False)
    sha256: str = ""

    @classmethod
    def load(cls, path: Path | None = None) -> TrainConfig:
        """Read a config file; None is the shipped one (:func:`default_config_path`)."""
        path = Path(path) if path is not None else default_config_path()
        raw = _toml(path)
        m, d = raw["model"], raw["data"]
        lr = m.get("logreg", {})
        return cls(
            name=m["name"],
            kind=m.get("kind", "mlp"),
            hidden_layers=tuple(m.get("hidden_layers", (96,))),
            alpha=m.get("alpha", 1e-4),
            max_iter=m["max_iter"],
            learning_rate_init=m.get("learning_rate_init", 0.002),
            batch_size=m.get("batch_size", 256),
            c=lr.get("c", 1.0),
            logreg_max_iter=lr.get("max_iter", 500),
            tol=lr.get("tol", 1e-4),
            seed=m["seed"],
            generated=d["generated"],
            generated_seed=d["generated_seed"],
            held_out_layouts=tuple(d["held_out_layouts"]),
            eval_generated=d["eval_generated"],
            eval_seed=d["eval_seed"],
            renders=bool(d.get("renders", False)),
            path=path,
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        )


def labels_for_lines(lines: Sequence[Line], physical: Sequence[str]) -> list[str]:
    """Labels of logical lines from the labels of physical lines (first line of each)."""
    return [physical[line.number - 1] for line in lines]


@dataclass
class Example:
    """One labelled document ready for training or evaluation.

    Attributes:
        name: the report's name.
        layout: its layout family (``corpus`` or the gold's layout for corpus reports).
        document: the document as giextract reads it.
        physical_labels: one label per physical line of the document.
        gold: every field of the template, or None when unknown.
        template: the gold template id, or None.
    """

    name: str
    layout: str
    document: Document
    physical_labels: list[str]
    gold: dict[str, int | float | None] | None
    template: str | None

    @cached_property
    def lines(self) -> list[Line]:
        """The document's logical lines (computed once)."""
        return to_lines(self.document)

    @property
    def labels(self) -> list[str]:
        """The gold label of each logical line."""
        return labels_for_lines(self.lines, self.physical_labels)


def corpus_examples(split: str, corpus_dir: Path | None = None) -> list[Example]:
    """The labelled corpus reports of one split as examples."""
    out = []
    for rep in load_split(corpus_dir, split):
        gold = rep.gold
        layout = (gold.layout or "corpus") if gold else "corpus"
        out.append(
            Example(
                rep.name,
                layout,
                read_path(rep.source_path),
                [ll.label for ll in rep.lines],
                None if gold is None else gold.fields,
                None if gold is None else gold.template,
            )
        )
    return out


def generated_examples(
    n: int, seed: int, layouts: Sequence[str] | None = None, exclude: Iterable[str] = ()
) -> list[Example]:
    """``n`` generated reports (deterministic in ``seed``) as examples."""
    excluded = set(exclude)
    chosen = [x for x in (layouts or generate.LAYOUTS) if x not in excluded]
    return [
        Example(
            rep.name,
            rep.layout,
            read_text(rep.text, rep.name),
            list(rep.labels),
            dict(rep.fields),
            rep.template,
        )
        for rep in generate.generate_corpus(n, seed, layouts=chosen)
    ]


def training_examples(
    config: TrainConfig, corpus_dir: Path | None = None, extra: Sequence[Example] = ()
) -> list[Example]:
    """The training set: the corpus's train split, ``extra`` examples, and generated
    reports in the layouts that are not held out."""
    generated = generated_examples(
        config.generated, config.generated_seed, exclude=config.held_out_layouts
    )
    return corpus_examples("train", corpus_dir) + list(extra) + generated


def evaluation_examples(config: TrainConfig, corpus_dir: Path | None = None) -> list[Example]:
    """The evaluation set: the corpus's test split and generated held-out-layout reports."""
    held = generated_examples(
        config.eval_generated, config.eval_seed, layouts=config.held_out_layouts
    )
    return corpus_examples("test", corpus_dir) + held
