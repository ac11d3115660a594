"""Squashed tables: detection, splits of one run, joint decoding, the real pages, properties."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giextract import squashed
from giextract.catalogue import load_template
from giextract.checks import run_checks
from giextract.classify import LineModel
from giextract.normalize import normalize_text, to_simplified
from giextract.pipeline import extract_document
from giextract.read import SourceLine, read_path, read_text
from giextract.squashed import (
    FoundRow,
    Run,
    blank_may_hide,
    decode_squashed,
    find_rows,
    prose_evidence,
    read_run,
    row_splits,
    split_row,
    to_stream,
)
from giextract.training.generate import draw_gold, draw_options
from giextract.training.squash import STYLES, squash_html, squashed_report
from giextract.training.web_fixtures import page

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real" / "squashed"
T2021 = load_template("2021")


def _stream(text: str) -> squashed.Stream:
    return to_stream([SourceLine(1, text)])


def _row(key: str, run: str, template: str = "2021") -> FoundRow:
    return FoundRow(load_template(template).row(key), 0, Run(run, 0, 1))


def _values(key: str, run: str) -> list[list[Any]]:
    splits, _ = row_splits(_row(key, run), consistent=key.startswith(("requests", "appeals")))
    return [[c.value for c in s] for s in splits]


# ---------------------------------------------------------------- detection

DETECTION = [
    # (text, row key, the run found)
    ("一、本年新收政府信息公开申请数量801000081二、上年", "requests.new_received", "801000081"),
    (
        "一、本年新收政府信息公开申请数量0 0 0 0 0 00二、上年",
        "requests.new_received",
        "0 0 0 0 0 00",
    ),
    (
        "一、本年新收政府信息公开申请数量 11 0 0 0 0 0 11 二、上年",
        "requests.new_received",
        "11 0 0 0 0 0 11",
    ),
    (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）00 0 0 0 00（三）",
        "requests.partly_granted",
        "00 0 0 0 00",
    ),
    ("（二）部分公开1000001（三）不予公开", "requests.partly_granted", "1000001"),
    (
        "1.属于国家秘密00000002.其他法律行政法规禁止公开0000000",
        "requests.denied.state_secret",
        "0000000",
    ),
    ("3.危及“三安全一稳定”0000000", "requests.denied.security_stability", "0000000"),
    ("3．危机“三安全一稳定”1000001", "requests.denied.security_stability", "1000001"),
]


@pytest.mark.parametrize(("text", "key", "run"), DETECTION)
def test_a_label_running_into_digits_is_found_with_its_run(text: str, key: str, run: str) -> None:
    rows = find_rows(_stream(text), T2021)["requests"]
    assert {r.spec.key: r.run.text for r in rows}[key] == run


@pytest.mark.parametrize(
    ("text", "run"),
    [
        ("行政事业性收费5949.09(二)主动公开", "5949.09"),
        ("行政事业性收费0 2023年我局", "0"),
        ("规章000行政规范性文件", "000"),
        ("行政事业性收费1,234.56万元", "1,234.56"),
    ],
)
def test_a_run_stops_at_prose(text: str, run: str) -> None:
    start = text.index(next(ch for ch in text if ch.isdigit()))
    found = read_run(text, start, len(text))
    assert found is not None and found.text == run


def test_the_appeals_run_follows_the_header_words() -> None:
    head = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
    head += "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
    rows = find_rows(_stream(head + "00 0 00 0 0 0 00 0 0 0 00五、存在"), T2021)["appeals"]
    assert [r.run.text for r in rows] == ["00 0 00 0 0 0 00 0 0 0 00"]


def test_a_label_and_its_value_on_separate_lines_is_not_squashed() -> None:
    lines = [
        SourceLine(1, "规章"),
        SourceLine(2, "7"),
        SourceLine(3, "行政规范性文件"),
        SourceLine(4, "0"),
    ]
    assert decode_squashed(lines, T2021) is None


STREAM_LINES = [
    # (source lines, one per entry: the stream is each normalised on its own)
    ["一、本年新收政府資訊公開申請數量801000081", "二、上年結轉政府資訊公開申請數量0000000"],
    ["行政許可", "", "規章      0      10", "發佈 公開"],  # a line with cells is left out
    ["二、上年结转", "a\nb", "網站"],  # a line holding a newline: converted line by line
    [],
]


@pytest.mark.parametrize("texts", STREAM_LINES)
def test_the_stream_converts_the_document_as_each_line(texts: list[str]) -> None:
    lines = [SourceLine(i + 1, t) for i, t in enumerate(texts)]
    one_by_one = [
        "" if squashed._has_cells(s) else normalize_text(to_simplified(s.text)) for s in lines
    ]
    stream = to_stream(lines)
    assert stream.text == "\n".join(one_by_one)
    assert stream.numbers == tuple(range(1, len(texts) + 1))


# ---------------------------------------------------------------- splits of one run

SPLITS = [
    # (row key, run, every split that satisfies the row's own identities)
    ("requests.new_received", "801000081", [[80, 1, 0, 0, 0, 0, 81]]),
    ("requests.new_received", "0 0 0 0 0 00", [[0] * 7]),
    ("requests.new_received", "00 0 0 0 00", [[0] * 7]),
    ("requests.granted", "3000003", [[3, 0, 0, 0, 0, 0, 3]]),
    ("requests.granted", "1050006", [[1, 0, 5, 0, 0, 0, 6]]),
    ("requests.granted", "10500015", []),  # 05 and 01 are not numbers; nothing adds up
    ("active.normative_docs", "1129", [[1, 1, 29], [1, 12, 9], [11, 2, 9]]),
    ("active.normative_docs", "008", [[0, 0, 8]]),
    ("active.fees", "5949.09", [[5949.09]]),
    ("requests.granted", "0/00000", [[0, None, 0, 0, 0, 0, 0]]),  # a placeholder is a cell
    ("requests.granted", "1,200 0 0 0 0 0 1,200", [[1200, 0, 0, 0, 0, 0, 1200]]),
    ("active.fees", "1,234.56", [[1234.56]]),
    ("appeals", "010000000000000", []),  # review 0 1 0 0 total 0: the report's error
    ("active.fees", "1" * 25, []),  # past the digits limit: no cell (values.MAX_DIGITS)
    ("active.fees", "12345678901234567890.1234", []),  # a double would change the number
    ("active.rules", "1" * 4301, []),  # fuzz 662, 1306: no bound on the cuts; int() refused
]


@pytest.mark.parametrize(("key", "run", "expected"), SPLITS)
def test_splits_of_one_run(key: str, run: str, expected: list[list[Any]]) -> None:
    assert sorted(_values(key, run)) == sorted(expected)


HIDDEN_BLANKS = [
    # (row key, run, whether the run also reads as fewer cells: a blank that printed nothing)
    ("active.rules", "270", True),  # 27, 0 and a blank
    ("active.normative_docs", "008", False),  # 00 and 08 are not numbers
    ("active.rules", "000", False),
    ("active.normative_docs", "1129", True),
    ("active.fees", "5949.09", False),  # one cell
    ("requests.granted", "3000003", True),  # 30, 0, 0, 0, 0, 3 (the row identity decides)
    ("active.rules", "1,200 0 0", False),  # a grouped number is one cell
    ("active.rules", "1" * 4400, False),  # no piece past the digits limit is a cell
]


@pytest.mark.parametrize(("key", "run", "hides"), HIDDEN_BLANKS)
def test_a_blank_may_hide_in_a_run(key: str, run: str, hides: bool) -> None:
    assert blank_may_hide(_row(key, run)) is hides


def test_a_row_whose_own_identity_fails_keeps_every_split() -> None:
    rs = split_row(_row("appeals", "010000000000000"))
    assert not rs.consistent
    assert [[c.value for c in s] for s in rs.splits] == [[0, 1] + [0] * 13]


def test_a_cell_records_its_place_in_the_run() -> None:
    (split,) = row_splits(_row("requests.new_received", "0 0 0 0 0 00"), consistent=True)[0]
    assert [(c.offset, c.length) for c in split] == [
        (0, 1),
        (2, 1),
        (4, 1),
        (6, 1),
        (8, 1),
        (10, 1),
        (11, 1),
    ]


def test_the_row_cap_is_a_warning_not_a_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(squashed, "MAX_ROW_SPLITS", 2)
    text = "规章000行政规范性文件164640第二十条"
    decoded = decode_squashed([SourceLine(1, text)], T2021)
    assert decoded is not None
    assert all(
        decoded.fields[f"active.normative_docs.{c}"] is None
        for c in ("issued", "repealed", "in_force")
    )
    assert any(w["code"] == "squashed_search_cap" for w in decoded.warnings["active"])


# ---------------------------------------------------------------- evidence


def test_prose_evidence() -> None:
    assert prose_evidence("2024年，共收到政府信息公开申请3条。") == 3
    assert prose_evidence("共收到申请3件，共收到申请4件") is None
    assert prose_evidence("没有数字") is None


# ---------------------------------------------------------------- the three real pages


def _gold(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REAL / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    return data


REAL_PAGES = ["pt_czj_2023", "pt_jjf_2024", "pt_jjf_2025"]


@pytest.mark.parametrize("name", REAL_PAGES)
def test_real_pages_every_gold_field_right(name: str, model: LineModel) -> None:
    if not REAL.exists():
        pytest.skip("../shared/real/squashed is not beside this checkout")
    report = extract_document(read_path(str(REAL / f"{name}.txt")), model).report
    gold = _gold(name)
    assert report.error is None and report.template == gold["template"]
    assert {k: report.fields[k] for k in gold["fields"]} == gold["fields"]
    for fid, value in gold["fields"].items():
        prov = report.provenance[fid]
        assert prov["reading"] == "squashed"
        run, at, length = (prov["squashed"][k] for k in ("run", "offset", "length"))
        assert str(value).rstrip("0").rstrip(".") in run[at : at + length] or value == 0


@pytest.mark.parametrize(("name", "run"), [("pt_jjf_2024", "1129"), ("pt_jjf_2025", "164640")])
def test_real_ambiguous_active_rows_are_null_with_candidates(
    name: str, run: str, model: LineModel
) -> None:
    if not REAL.exists():
        pytest.skip("../shared/real/squashed is not beside this checkout")
    report = extract_document(read_path(str(REAL / f"{name}.txt")), model).report
    ambiguous = {w["field"]: w for w in report.warnings if w["code"] == "ambiguous_value"}
    for col in ("issued", "repealed", "in_force"):
        fid = f"active.normative_docs.{col}"
        assert report.fields[fid] is None
        assert len(ambiguous[fid]["candidates"]) >= 2
        assert run in ambiguous[fid]["message"]


def test_real_page_arithmetic_errors_are_failed_checks(model: LineModel) -> None:
    if not REAL.exists():
        pytest.skip("../shared/real/squashed is not beside this checkout")
    report = extract_document(read_path(str(REAL / "pt_jjf_2025.txt")), model).report
    failed = {c.id for c in report.failed_checks}
    assert {"requests.results_sum.natural_person", "appeals.review.sum"} <= failed
    assert report.fields["appeals.review.corrected"] == 1  # the printed digit, not "fixed"


def test_search_cap_leaves_only_what_each_run_decides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not REAL.exists():
        pytest.skip("../shared/real/squashed is not beside this checkout")
    monkeypatch.setattr(squashed, "MAX_SEARCH_NODES", 3)
    doc = read_path(str(REAL / "pt_jjf_2025.txt"))
    decoded = decode_squashed(doc.lines, T2021)
    assert decoded is not None
    assert any(w["code"] == "squashed_search_cap" for w in decoded.warnings["requests"])
    assert decoded.fields["requests.new_received.total"] == 4  # one split only: still decided


# ---------------------------------------------------------------- properties


def _decoded_page(
    seed: int, template: str, style: str, one_line: bool
) -> tuple[Any, dict[str, Any], bool]:
    rng = random.Random(seed)
    tpl = load_template(template)
    o = draw_options(rng, template, "squashed")
    o["error"] = False
    gold = draw_gold(rng, tpl, o)
    text = squash_html(page(template, dict(gold)), style, rng, one_line=one_line)
    return decode_squashed(read_text(text).lines, tpl), gold, one_line


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**9),
    template=st.sampled_from(["2019", "2021"]),
    style=st.sampled_from(STYLES),
    one_line=st.booleans(),
)
def test_squash_then_decode_gives_the_table_or_an_honest_ambiguity(
    seed: int, template: str, style: str, one_line: bool
) -> None:
    decoded, gold, _ = _decoded_page(seed, template, style, one_line)
    assert decoded is not None
    candidates = {
        w["field"]: w["candidates"]
        for ws in decoded.warnings.values()
        for w in ws
        if w["code"] == "ambiguous_value"
    }
    for fid, value in decoded.fields.items():
        if value is None:
            assert gold[fid] in candidates[fid], fid
        else:
            assert value == gold[fid], fid
    checks = run_checks(load_template(template), {**gold, **decoded.fields})
    assert not [c for c in checks if c.status == "fail" and c.nulls == 0]


def test_generated_reports_carry_gold_for_every_field() -> None:
    r = squashed_report(random.Random(1), "2021", 0)
    assert set(r.fields) == set(T2021.field_ids)
    assert r.style in STYLES and "申请人情况" in r.text


def test_prose_evidence_decides_between_decodings_and_says_so() -> None:
    row = split_row(_row("requests.new_received", "3000003"))
    other = squashed.RowSplits(
        row.row, [row.splits[0], (*row.splits[0][:6], squashed.Cell(4, 6, 1))], True
    )
    sol = squashed.Solution(["requests.new_received"], [(0,), (1,)], 0, True)
    kept, note = squashed._apply_evidence(sol, [other], 3)
    assert kept.assignments == [(0,)] and note is not None and "3" in note
    same, none = squashed._apply_evidence(sol, [other], 5)  # evidence fits nothing: not used
    assert same is sol and none is None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), template=st.sampled_from(["2019", "2021"]))
def test_no_wrong_number_without_a_flag(seed: int, template: str) -> None:
    """With the generator's own arithmetic errors and placeholders too."""
    r = squashed_report(random.Random(seed), template, seed)
    decoded = decode_squashed(read_text(r.text).lines, load_template(template))
    if decoded is None:  # get_text(" ") with a row per line: nothing run together
        assert r.style == "spaced" and not r.one_line
        return
    warned = {w.get("field") for ws in decoded.warnings.values() for w in ws}
    checks = run_checks(load_template(template), {**r.fields, **decoded.fields})
    failed = " ".join(c.expression for c in checks if c.status == "fail")
    for fid, value in decoded.fields.items():
        if value != r.fields[fid] and value is not None:
            assert fid in warned or fid in failed.split(), fid


def test_between_chars_are_the_class_of_between() -> None:
    between = {chr(c) for c in range(0x10000) if re.fullmatch(squashed._BETWEEN, chr(c))}
    assert between == squashed._BETWEEN_CHARS


ENDS_FOUND = [
    # (text, characters that may end a label, those found running into digits)
    ("总计 5", "计", "计"),
    ("总计”“ 5", "计”", "计”"),  # an end character among the quotes: the places overlap
    ("合计5 其他 七", "计他", "计"),
    ("无数字", "计", ""),
]


@pytest.mark.parametrize(("text", "chars", "found"), ENDS_FOUND)
def test_the_ends_found_in_one_pass(text: str, chars: str, found: str) -> None:
    assert squashed._ends_into_digits(text, frozenset(chars)) == frozenset(found)


@pytest.mark.parametrize("tid", ["2019", "2021"])
def test_the_ends_found_in_one_pass_are_those_label_ends_finds(tid: str) -> None:
    """A row is skipped only where :func:`squashed.label_ends` finds its label's end
    running into digits nowhere: the one-pass set agrees with it, label by label."""
    texts = [text for text, _, _ in DETECTION]
    texts += [p.read_text(encoding="utf-8") for p in sorted(REAL.glob("*.txt"))]
    texts += ["规章  0", "（二）部分公开“ 3", "其他）7", "总计,5", "无数字"]
    rows = [r for t in ("active", "requests") for r in load_template(tid).table_rows(t)]
    every = squashed._end_chars(tuple(r.label for r in rows))
    hits = 0
    for text in texts:
        stream = _stream(text).text
        found = squashed._ends_into_digits(stream, every)
        for row in rows:
            ends = squashed.label_ends((row.label,)).search(stream) is not None
            assert ends == (not found.isdisjoint(squashed._end_chars((row.label,))))
            hits += ends
    assert hits  # the texts hold labels running into digits


@pytest.mark.parametrize("tid", ["2019", "2021"])
def test_label_ends_is_implied_by_every_label_match(tid: str) -> None:
    """Every place a row's label runs into digits (each spelling, as the template and
    its variants print it) is also a place :func:`squashed.label_ends` finds."""
    template = load_template(tid)
    for table in ("active", "requests"):
        rows = template.table_rows(table)
        ends = squashed.label_ends(tuple(r.label for r in rows))
        for row in rows:
            for spelling in squashed._label_words(row.label)[1]:
                for text in (f"{spelling}801000081", f"{spelling}“ 0 0", f"{row.label}/"):
                    m = squashed.label_pattern(row.label).search(text)
                    assert m is not None, text
                    assert ends.search(text, m.start()) is not None, text
        assert ends.search("二、本年度政府信息公开工作情况 共 3 页") is None


def test_the_squashed_reading_is_made_only_where_a_table_was_not_read_plainly(
    model: LineModel, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report whose every table the line reading read plainly (each row with its cells,
    no identity failing) has no cells run together: the squashed decoding is skipped
    (a seed); a squashed page still gets it."""
    from giextract import pipeline

    calls: list[str] = []
    decode = squashed.decode_squashed

    def counted(lines: Any, template: Any) -> Any:
        calls.append(template.id)
        return decode(lines, template)

    monkeypatch.setattr(pipeline, "decode_squashed", counted)
    seed = extract_document(read_path(str(seeds_dir / "000_f7d84b5c63deda8f.txt")), model)
    assert seed.report.error is None and calls == []
    if not REAL.exists():
        pytest.skip("../shared/real/squashed is not beside this checkout")
    page = extract_document(read_path(str(REAL / "pt_czj_2023.txt")), model)
    assert calls == [page.report.template]
