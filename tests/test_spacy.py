"""The spaCy component: registry snapshot, line spans, batching, serialisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import giextract.registrations  # noqa: F401  (registers the factory)
from giextract.classify import LineModel
from giextract.corpus import read_labels
from giextract.errors import GiextractError
from giextract.spacy_component import LineClassifier, source_line_offsets

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SNAPSHOT = HERE / "data" / "factory_registrations.json"
REPORT = REPO / "corpus" / "sources" / "guangxi-liuzhou-bigdata-2019.txt"
LABELS = REPO / "corpus" / "labelled" / "test" / "guangxi-liuzhou-bigdata-2019.jsonl"


@pytest.fixture(scope="module")
def nlp(model: LineModel) -> Language:
    nlp = spacy.blank("zh")
    nlp.add_pipe("giextract_line_classifier")
    _component(nlp)._model = model
    return nlp


def _component(nlp: Language) -> LineClassifier:
    component = nlp.get_pipe("giextract_line_classifier")
    assert isinstance(component, LineClassifier)
    return component


def _registry() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for name in sorted(Language.factories):
        if not name.startswith("giextract"):
            continue
        meta = Language.get_factory_meta(name)
        out[name] = {
            "assigns": list(meta.assigns),
            "default_config": meta.default_config,
            "requires": list(meta.requires),
            "retokenizes": meta.retokenizes,
        }
    return out


def test_factory_registrations_match_the_snapshot() -> None:
    """Like spaCy's factory_registrations.json: a changed factory must change the snapshot."""
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert _registry() == expected


def test_factory_is_the_entry_point_function() -> None:
    from giextract.registrations import make_line_classifier

    assert callable(make_line_classifier)
    nlp = spacy.blank("zh")
    nlp.add_pipe("giextract_line_classifier", config={"spans_key": "lines"})
    assert nlp.pipe_names == ["giextract_line_classifier"]
    assert _component(nlp).spans_key == "lines"


@pytest.mark.parametrize("text", ["a\nb", "a\r\nb\rc\n", "\ufeffx\f\fy\n\nz", "p1\fp2\r\n\f", ""])
def test_source_line_offsets_agree_with_read_text(text: str) -> None:
    from giextract.read import read_text

    offsets = source_line_offsets(text)
    lines = read_text(text).lines
    assert [text[s:e] for s, e in offsets] == [line.text for line in lines]


def test_spans_cover_every_non_blank_line_with_its_label(nlp: Language) -> None:
    text = REPORT.read_text(encoding="utf-8")
    doc = nlp(text)
    spans = list(doc.spans["giextract_lines"])
    lines = LineClassifier.lines_of(doc)
    assert len(spans) == sum(1 for line in lines if not line.is_blank)
    gold = read_labels(LABELS)
    right = sum(gold[s._.giextract_lines[0] - 1].label == s.label_ for s in spans)
    assert right / len(spans) > 0.9
    for span in spans:
        assert 0.0 <= span._.giextract_confidence <= 1.0
        assert span.text.strip() == span.text
        first = gold[span._.giextract_lines[0] - 1].text.strip()
        assert span.text.startswith(first[:5])


def test_predict_has_no_side_effects_and_set_annotations_writes(nlp: Language) -> None:
    component = _component(nlp)
    doc = nlp.make_doc("2019年政府信息公开工作年度报告\n\n规章\t0\t0\t0\n")
    preds = component.predict([doc])
    assert "giextract_lines" not in doc.spans
    assert doc._.giextract_report is None
    ex = preds[0]
    assert len(ex.lines) == len(ex.labels) == len(ex.confidence) == 4  # "" after the last \n
    assert ex.error is not None and ex.error.code.value == "E004"  # labels kept all the same
    component.set_annotations([doc], preds)
    assert [s.text for s in doc.spans["giextract_lines"]] == [
        "2019年政府信息公开工作年度报告",
        "规章\t0\t0\t0",
    ]
    report = doc._.giextract_report
    assert report is not None and report["error"]["code"] == "E004"


def test_the_doc_carries_the_report_of_the_same_run(nlp: Language) -> None:
    doc = nlp(REPORT.read_text(encoding="utf-8"))
    report = doc._.giextract_report
    assert report["error"] is None and report["template"] == "2019"
    assert report["fields"]["active.procurement.amount"] == 1763847.27
    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert again._.giextract_report == report


def test_pipe_matches_call_and_round_trips(nlp: Language) -> None:
    texts = [REPORT.read_text(encoding="utf-8"), "一行\n\n二行", ""]
    piped = list(nlp.pipe(texts, batch_size=2))
    for text, doc in zip(texts, piped, strict=True):
        single = nlp(text)
        assert [(s.start_char, s.label_) for s in doc.spans["giextract_lines"]] == [
            (s.start_char, s.label_) for s in single.spans["giextract_lines"]
        ]
    again = Doc(nlp.vocab).from_bytes(piped[0].to_bytes())
    first, original = again.spans["giextract_lines"][0], piped[0].spans["giextract_lines"][0]
    assert first._.giextract_confidence == original._.giextract_confidence


def test_missing_model_is_a_coded_error(tmp_path: Path) -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("giextract_line_classifier", config={"model_path": str(tmp_path / "none")})
    with pytest.raises(GiextractError) as err:
        nlp("规章\t0\t0\t0")
    assert err.value.code.value == "E101"
    assert str(tmp_path / "none") in str(err.value)
