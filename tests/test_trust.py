"""The trust contract: status and reasons, field flags, warning levels (tables of cases)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import REPO

import giextract
from giextract.catalogue import APPLICANT_COLUMNS, load_template
from giextract.checks import run_checks
from giextract.trust import assess, cut_from_run, is_heading_like, model_version, warning_level

GOLDEN = REPO / "tests" / "golden" / "tables"
ROW = "requests.new_received"
COLS = (*APPLICANT_COLUMNS, "total")


@pytest.mark.parametrize(
    ("label", "heading"),
    [
        ("第二十条第（一）项", True),
        ("第二十条第（五）项 / 信息内容", True),
        ("一、总体情况", True),
        ("（二）主动公开政府信息情况", True),
        ("本机关严格按照条例的要求，认真做好政府信息公开申请的办理工作。", True),
        ("收费", False),
        ("文件", False),
        ("其他", False),
    ],
)
def test_heading_like_labels(label: str, heading: bool) -> None:
    assert is_heading_like(label) is heading


@pytest.mark.parametrize(
    ("warning", "rows_missing", "level"),
    [
        (
            {"code": "unmapped_label", "message": "label '第二十条第（一）项' matches no field"},
            False,
            "quiet",
        ),
        ({"code": "unmapped_label", "message": "label '收费' matches no field"}, True, "notice"),
        ({"code": "unmapped_label", "message": "label '性收费' matches no field"}, False, "quiet"),
        ({"code": "stray_value", "message": "value '2024' outside any row"}, False, "quiet"),
        (
            {"code": "unplaced_values", "message": "values [3] belong to no known row"},
            True,
            "notice",
        ),
        ({"code": "row_not_found", "message": "row '规章' not found"}, False, "notice"),
        (
            {"code": "ambiguous_value", "message": "x", "field": "f", "candidates": [1, 2]},
            False,
            "review",
        ),
        ({"code": "unparsed_value", "message": "x", "field": "f"}, False, "review"),
        ({"code": "squashed_undecodable", "message": "x", "row": "active.rules"}, False, "review"),
        ({"code": "squashed_search_cap", "message": "x"}, False, "notice"),
        ({"code": "squashed_search_cap", "message": "x", "row": "active.rules"}, False, "review"),
        ({"code": "damaged_encoding", "message": "x"}, False, "notice"),
        ({"code": "table_dropped", "message": "line 38 reads '[TABLE]'"}, False, "review"),
        ({"code": "value_on_text_line", "message": "x", "field": "f"}, False, "review"),
        ({"code": "value_on_header_line", "message": "x", "field": "f"}, False, "notice"),
        ({"code": "extra_values", "message": "x", "row": "active.fees"}, False, "notice"),
        ({"code": "values_off_the_grid", "message": "x", "row": "active.fees"}, False, "notice"),
        ({"code": "some_new_code", "message": "x"}, False, "notice"),
        ({"code": "some_new_code", "message": "x", "field": "f"}, False, "review"),
    ],
)
def test_warning_levels(warning: dict[str, Any], rows_missing: bool, level: str) -> None:
    assert warning_level(warning, rows_missing) == level


def _record(
    row: list[int | None],
    provenance: dict[str, dict[str, Any]] | None = None,
    warnings: list[dict[str, Any]] | None = None,
) -> tuple[str, list[str], dict[str, list[str]]]:
    """Trust of a 2021 record whose rows new_received, total and granted are ``row`` (the
    column identities hold), the rest null; ``provenance`` is new_received's."""
    template = load_template("2021")
    fields: dict[str, Any] = dict.fromkeys(template.field_ids)
    for key in (ROW, "requests.total", "requests.granted"):
        fields.update({f"{key}.{c}": v for c, v in zip(COLS, row, strict=True)})
    provenance = provenance or {
        f"{ROW}.{c}": {"raw": str(v)} for c, v in zip(COLS, row, strict=True)
    }
    trust = assess("2021", fields, run_checks(template, fields), warnings or [], provenance, None)
    return trust.status, [r.code for r in trust.reasons], trust.flags


def test_plainly_read_arithmetic_error_is_a_notice_not_a_review() -> None:
    status, codes, flags = _record([1, 0, 0, 0, 0, 0, 2])
    assert status == "ok"
    assert "report_arithmetic" in codes
    assert "failed_identity" in flags[f"{ROW}.total"]


def test_failed_identity_over_a_chosen_reading_needs_review() -> None:
    prov = {f"{ROW}.{c}": {"raw": "1", "chosen_among": 7} for c in COLS}
    status, codes, flags = _record([1, 0, 0, 0, 0, 0, 2], prov)
    assert status == "review"
    assert "failed_identity" in codes
    assert flags[f"{ROW}.natural_person"] == ["chosen_among", "failed_identity"]


def test_chosen_reading_confirmed_by_its_identity_is_ok() -> None:
    prov = {f"{ROW}.{c}": {"raw": "1", "chosen_among": 7} for c in COLS}
    status, _, flags = _record([1, 1, 0, 0, 0, 0, 2], prov)
    assert (status, flags[f"{ROW}.total"]) == ("ok", ["chosen_among"])


@pytest.mark.parametrize(
    ("prov", "flag"),
    [
        (
            {"squashed": {"run": "1002", "offset": 0, "length": 1}, "reading": "squashed"},
            "squashed",
        ),
        ({"rules": ["vanished_cell"]}, "repaired"),
    ],
)
def test_provenance_keys_become_flags(prov: dict[str, Any], flag: str) -> None:
    provenance = {f"{ROW}.{c}": {"raw": "1", **prov} for c in COLS}
    status, _, flags = _record([1, 1, 0, 0, 0, 0, 2], provenance)
    assert flag in flags[f"{ROW}.natural_person"]
    # A squashed value confirmed by its identity is fine; a repaired row too.
    assert status == "ok"


def test_padding_rules_do_not_flag() -> None:
    """Dropping a merged cell's padding keeps the values in printed order: no flag."""
    provenance = {f"{ROW}.{c}": {"raw": "1", "rules": ["next_group_padding"]} for c in COLS}
    _, _, flags = _record([1, 1, 0, 0, 0, 0, 2], provenance)
    assert "repaired" not in flags.get(f"{ROW}.natural_person", [])


def test_unverified_choice_in_the_active_table_needs_review() -> None:
    template = load_template("2021")
    fields: dict[str, Any] = dict.fromkeys(template.field_ids)
    fields["active.rules.issued"] = 3
    prov = {"active.rules.issued": {"raw": "3", "chosen_among": 3}}
    trust = assess("2021", fields, run_checks(template, fields), [], prov, None)
    assert trust.status == "review"
    assert trust.reasons[0].code == "unverified_choice"
    assert trust.reasons[0].fields == ("active.rules.issued",)


def test_a_row_that_left_printed_values_out_needs_review_unless_confirmed() -> None:
    """``行政事业性收费|0|1|9|`` (pymupdf4llm cut 19 into two cells) onto two columns: which
    value was extra is a choice; unconfirmed (the active table has no identity), review."""
    template = load_template("2021")
    fields: dict[str, Any] = dict.fromkeys(template.field_ids)
    fields.update({"active.fees.prev_items": 0, "active.fees.change": 1})
    prov = {
        f: {"raw": str(fields[f]), "rules": ["too_many_values"]}
        for f in ("active.fees.prev_items", "active.fees.change")
    }
    trust = assess("2021", fields, run_checks(template, fields), [], prov, None)
    assert trust.status == "review"
    assert trust.reasons[0].code == "unverified_choice"
    assert trust.reasons[0].fields == ("active.fees.change", "active.fees.prev_items")
    # the same row confirmed by an identity is ok
    fields = dict.fromkeys(template.field_ids)
    values = [1, 0, 0, 0, 0, 0, 1]
    for col, v in zip(COLS, values, strict=True):
        fields[f"{ROW}.{col}"] = v
    prov = {f"{ROW}.{c}": {"raw": "1", "rules": ["too_many_values"]} for c in COLS}
    trust = assess("2021", fields, run_checks(template, fields), [], prov, None)
    assert "unverified_choice" not in [r.code for r in trust.reasons]


def test_a_row_off_the_grid_needs_review_unless_confirmed() -> None:
    """pymupdf4llm left 政府集中采购 out of its grid, its values on lines of their own in
    the text's order (render p017): unconfirmed (the active table has no identity), review;
    a requests row whose identities pass is confirmed."""
    template = load_template("2019")
    fields: dict[str, Any] = dict.fromkeys(template.field_ids)
    fields.update({"active.procurement.items": 0, "active.procurement.amount": 15})
    warning = {"code": "values_off_the_grid", "message": "x", "row": "active.procurement"}
    trust = assess("2019", fields, run_checks(template, fields), [warning], {}, None)
    assert trust.status == "review"
    assert [(r.code, r.fields) for r in trust.reasons] == [
        ("values_off_the_grid", ("active.procurement.items", "active.procurement.amount"))
    ]
    status, codes, _ = _record(
        [1, 0, 0, 0, 0, 0, 1],
        warnings=[{"code": "values_off_the_grid", "message": "x", "row": ROW}],
    )
    assert (status, "values_off_the_grid" in codes) == ("ok", False)


@pytest.mark.parametrize(
    ("left", "status"),
    [
        # markitdown (render p022): a row read blank, its seven numbers left outside any row
        (
            [
                {
                    "code": "unplaced_values",
                    "message": "values [0, 0, 0, 0, 0, 0, 0] belong to no known row",
                }
            ],
            "review",
        ),
        (
            [{"code": "stray_value", "message": f"value '{v}' outside any row"} for v in "0000000"],
            "review",
        ),
        # a row read twice left seven numbers (pypdf's layout text, render p023: a group
        # label's 予公开 read as 予以公开): a blank row as wide may be theirs
        (
            [
                {
                    "code": "duplicate_row",
                    "message": "row '（一）予以公开' read twice; kept the first "
                    "(left: values [0, 0, 0, 0, 0, 0, 0])",
                }
            ],
            "review",
        ),
        # a row read twice that left three numbers cannot be a blank row's seven
        (
            [
                {
                    "code": "duplicate_row",
                    "message": "row '规章' read twice; kept the first (left: values [0, 0, 0])",
                }
            ],
            "ok",
        ),
        # one stray number cannot be a blank row's seven
        ([{"code": "stray_value", "message": "value '0' outside any row"}], "ok"),
        # a label's pieces left over hold no number
        ([{"code": "unplaced_values", "message": "values [(] belong to no known row"}], "ok"),
    ],
)
def test_a_blank_row_beside_numbers_left_over_needs_review(
    left: list[dict[str, Any]], status: str
) -> None:
    template = load_template("2021")
    fields: dict[str, Any] = dict.fromkeys(template.field_ids, 0)
    for col in COLS:
        fields[f"requests.partly_granted.{col}"] = None
    trust = assess("2021", fields, run_checks(template, fields), left, {}, None)
    assert trust.status == status
    if status == "review":
        assert trust.reasons[-1].code == "blank_row_values_left"
        assert trust.reasons[-1].fields == tuple(f"requests.partly_granted.{c}" for c in COLS)


@pytest.mark.parametrize("rule", ["placed_by_position", "values_across_text"])
def test_failed_identity_over_an_inferred_order_needs_review(rule: str) -> None:
    """A row whose blanks were placed by position, or whose values were printed across
    other text: a failed identity over it may be the reading's, not the report's
    (render p050 in pypdf's layout text: 其他组织's 4 run into 总计's 4,373)."""
    prov = {f"{ROW}.{c}": {"raw": "1", "rules": [rule]} for c in COLS}
    status, codes, _ = _record([1, 0, 0, 0, 0, 0, 2], prov)
    assert (status, "failed_identity" in codes) == ("review", True)
    # the rows read plainly beside it (总计, 予以公开) fail their sums too: the report's
    status, codes, _ = _record([1, 0, 0, 0, 0, 0, 2])
    assert (status, codes) == ("ok", ["report_arithmetic"])


@pytest.mark.parametrize(
    ("warnings", "status", "codes"),
    [
        ([], "ok", ["report_arithmetic"]),
        (
            [{"code": "row_read_blank", "row": "requests.partly_granted"}],
            "review",
            ["failed_identity"],
        ),
    ],
)
def test_failed_identity_over_a_row_read_blank_for_want_of_values_needs_review(
    warnings: list[dict[str, Any]], status: str, codes: list[str]
) -> None:
    """A row read blank because its label printed no values is an inference: where an
    identity over it fails, its numbers may have gone to the rows around it (training
    render p028 in pdftotext's default mode: 予以公开's label printed with 部分公开's,
    each row's values fell one row down, and every results sum failed)."""
    template = load_template("2021")
    fields: dict[str, Any] = {
        f: 0 for f in template.field_ids if f.startswith(("requests.", "appeals."))
    }
    fields.update(dict.fromkeys(f"requests.partly_granted.{c}" for c in COLS))
    fields["requests.granted.natural_person"] = fields["requests.granted.total"] = 3
    prov = {f: {"raw": str(v)} for f, v in fields.items() if v is not None}
    trust = assess("2021", fields, run_checks(template, fields), warnings, prov, None)
    assert (trust.status, sorted({r.code for r in trust.reasons})) == (status, codes)


def _appeals_record(after_review: list[int], rules: list[str]) -> tuple[str, list[str]]:
    template = load_template("2021")
    fields: dict[str, Any] = dict.fromkeys(template.field_ids)
    ids = [f for f in template.field_ids if f.startswith("appeals.")]
    fields.update(dict.fromkeys(ids, 0))
    after = [f for f in ids if f.startswith("appeals.litigation_after_review.")]
    fields.update(zip(after, after_review, strict=True))
    prov = {f: {"raw": str(fields[f]), "rules": rules} for f in ids}
    trust = assess("2021", fields, run_checks(template, fields), [], prov, None)
    return trust.status, [r.code for r in trust.reasons]


def test_values_printed_across_text_need_review_unless_each_column_is_confirmed() -> None:
    """pdftotext's default mode printed the appeals values between pieces of their header,
    复议后起诉's 21 after its 0s (render p029): a group's sum holds in any order, so it
    confirms no column; values all alike carry no rule (the reading leaves it out).  A
    requests row is confirmed by the columns' identities, one term in the row each."""
    assert _appeals_record([0, 0, 0, 21, 21], ["values_across_text"]) == (
        "review",
        ["values_across_text"],
    )
    assert _appeals_record([0, 0, 0, 21, 21], []) == ("ok", [])
    prov = {f"{ROW}.{c}": {"raw": "1", "rules": ["values_across_text"]} for c in COLS}
    assert _record([1, 0, 0, 0, 0, 0, 1], prov)[:2] == ("ok", [])


def test_values_placed_under_a_header_one_way_need_review() -> None:
    """Fourteen 0s under fifteen columns placed by the header one way only (render p053
    in pypdf's layout text): the groups' sums hold wherever the blank went."""
    rules = ["placed_by_position", "header_placed_one_way"]
    assert _appeals_record([0, 0, 0, 0, 0], rules) == ("review", ["header_placed_one_way"])
    assert _appeals_record([0, 0, 0, 0, 0], ["placed_by_position"]) == ("ok", [])


def test_a_blank_chosen_among_readings_is_no_doubt() -> None:
    """unverified_choice names values only: a blank left by the chosen reading holds none."""
    template = load_template("2021")
    fields: dict[str, Any] = dict.fromkeys(template.field_ids)
    fields["active.rules.issued"] = 3
    prov: dict[str, dict[str, Any]] = {
        "active.rules.issued": {"raw": "3"},
        "active.rules.repealed": {"raw": "", "chosen_among": 3},
    }
    trust = assess("2021", fields, run_checks(template, fields), [], prov, None)
    assert trust.status == "ok"
    assert trust.flags["active.rules.repealed"] == ["chosen_among"]


@pytest.mark.parametrize(
    ("squashed", "cut"),
    [
        ({"run": "270", "offset": 1, "length": 1}, True),  # 2, 7, 0 or 27, 0 and a blank
        ({"run": "008", "offset": 2, "length": 1, "certain": True}, False),
        ({"run": "5949.09", "offset": 0, "length": 7}, False),  # the whole run: one cell
        ({"run": "0", "offset": 0, "length": 1}, False),
        (None, False),  # not squashed
    ],
)
def test_cut_from_run(squashed: dict[str, Any] | None, cut: bool) -> None:
    assert cut_from_run({"squashed": squashed} if squashed else {}) is cut


def test_an_undecodable_squashed_row_needs_review_and_names_its_fields() -> None:
    w = {"code": "squashed_undecodable", "message": "row '规章': no split", "row": "active.rules"}
    template = load_template("2021")
    fields: dict[str, Any] = dict.fromkeys(template.field_ids)
    trust = assess("2021", fields, run_checks(template, fields), [w], {}, None)
    assert trust.status == "review"
    assert trust.reasons[0].code == "squashed_undecodable"
    assert trust.reasons[0].fields == tuple(f"active.rules.{c}" for c in _RULES_COLS)


_RULES_COLS = ("issued", "repealed", "in_force")


def test_ambiguous_value_flags_its_field() -> None:
    w = {
        "code": "ambiguous_value",
        "message": "left null: 3 or 4",
        "field": f"{ROW}.commercial",
        "candidates": [3, 4],
    }
    status, codes, flags = _record([1, None, 0, 0, 0, 0, 1], warnings=[w])
    assert (status, codes) == ("review", ["ambiguous"])
    assert flags[f"{ROW}.commercial"] == ["ambiguous"]


@pytest.mark.parametrize(
    ("extra", "status", "code"),
    [
        ([], "review", "row_absent"),
        (
            [{"code": "stray_value", "message": "value '3' outside any row"}],
            "review",
            "row_missing_values",
        ),
    ],
)
def test_missing_row_needs_review(extra: list[dict[str, Any]], status: str, code: str) -> None:
    missing = {"code": "row_not_found", "message": "row '规章' not found", "row": "active.rules"}
    got, codes, _ = _record([1, 1, 0, 0, 0, 0, 2], warnings=[missing, *extra])
    assert (got, codes) == (status, [code])


def test_error_record() -> None:
    trust = assess(None, {}, [], [], {}, {"code": "E004", "message": "no table"})
    assert trust.status == "error"
    assert [(r.code, r.level) for r in trust.reasons] == [("E004", "error")]


def test_golden_report_with_its_own_arithmetic_error_is_ok() -> None:
    report = giextract.extract_path(GOLDEN / "arithmetic-error-kept" / "input.txt")
    assert report.failed_checks
    assert report.status == "ok"
    record = report.to_dict()
    assert "report_arithmetic" in [r["code"] for r in record["reasons"]]
    headings = [w for w in record["warnings"] if "第二十条" in w["message"]]
    assert all(w["level"] == "quiet" for w in headings)


def test_model_version_from_meta() -> None:
    assert model_version({"name": "giextract-lines", "version": "1.0"}) == "giextract-lines-1.0"
    assert model_version({}) is None


@pytest.mark.parametrize("blank", ["requests.total.other_org", "requests.new_received.social_org"])
def test_a_grid_row_with_a_blank_is_read_with_certainty(blank: str) -> None:
    """An HTML row whose label spans two columns and which has a blank cell: the row sum
    cannot tell its readings apart, but the reader laid the row on the table's grid, so
    the label's padding is certain (rule ``label_span_padding``): no ambiguity, ``ok``."""
    import json

    from fixtures_formats import build_html

    gold = json.loads((GOLDEN / "cell-lone-tabs-browser-copy" / "expected.json").read_text())
    values = {**gold["fields"], blank: None}
    report = giextract.extract_bytes(build_html("2021", values))
    assert report.fields == values
    assert report.status == "ok"
    codes = [r["code"] for r in report.to_dict()["reasons"]]
    assert "ambiguous" not in codes and "ambiguity_confirmed" not in codes


def test_a_table_the_converter_dropped_is_said_not_invented() -> None:
    # pandoc 2 -t plain prints [TABLE] for a table whose cells hold several paragraphs
    text = (REPO / "corpus" / "renders" / "pages" / "p001" / "pandoc-plain.txt").read_text("utf-8")
    report = giextract.extract(text)
    codes = [r["code"] for r in report.to_dict()["reasons"]]
    assert report.status == "review" and "table_dropped" in codes
    assert all(report.fields[f] is None for f in report.fields if f.startswith("requests."))
