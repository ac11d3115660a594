"""spaCy registrations: the ``giextract_line_classifier`` factory.

Importing this module registers the factory; installed, the package's entry point
(``spacy_factories``) lets spaCy find it without the import::

    import spacy
    import giextract.registrations  # noqa: F401
    nlp = spacy.blank("zh")
    nlp.add_pipe("giextract_line_classifier")
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language

from .spacy_component import LineClassifier

FACTORY = "giextract_line_classifier"
DEFAULT_CONFIG: dict[str, Any] = {"model_path": None, "spans_key": "giextract_lines"}


def make_line_classifier(
    nlp: Language, name: str, model_path: str | None, spans_key: str
) -> LineClassifier:
    """Build the line classifier component (``model_path`` None: the shipped model)."""
    return LineClassifier(nlp, name, model_path=model_path, spans_key=spans_key)


if not Language.has_factory(FACTORY):
    Language.factory(
        FACTORY, assigns=["doc.spans"], default_config=DEFAULT_CONFIG, func=make_line_classifier
    )
