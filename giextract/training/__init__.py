"""The training loop's data, shipped with the package so the loop works from a wheel.

* :mod:`giextract.training.generate` — synthetic reports in every layout family,
  labelled line by line (``python -m giextract.training.generate --out DIR``);
* :mod:`giextract.training.examples` — labelled examples from a corpus and from the
  generator, and the training config (:class:`~giextract.training.examples.TrainConfig`);
* :mod:`giextract.training.web_fixtures` — web pages dumped with real text-mode tools,
  as test fixtures (needs w3m, lynx, pandoc; never needed by giextract itself).

The project's own config is ``training/config.toml`` of the source tree; wheels ship it
as ``giextract/training/config.toml`` (:func:`giextract.paths.default_config_path`).
Fitting and exporting the model is :mod:`giextract.train`; scoring is
:mod:`giextract.evaluate`.
"""
