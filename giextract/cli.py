"""The command line: thin typer wrappers over library functions that return data."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .errors import GiextractError
from .paths import corpus_dir
from .pipeline import iter_extract
from .report import csv_header, csv_row, to_jsonl_line

if TYPE_CHECKING:
    from .evaluate import Comparison, Metrics

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def _fail(exc: GiextractError) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


@app.command("extract")
def extract_cli(
    files: list[Path] = typer.Argument(..., help="Report files (text, HTML, Word, PDF)."),
    output_format: OutputFormat = typer.Option(OutputFormat.json, "--format", "-f"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here, not stdout."),
) -> None:
    """Extract every canonical field of each report, with checks and provenance.

    A file that cannot be processed gives a record with an ``error``; the others go
    on.  The exit code is 1 if any file failed, else 0.
    """
    import csv

    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    failed = 0
    try:
        if output_format is OutputFormat.csv:
            writer = csv.writer(out)
            writer.writerow(csv_header())
        records = []
        for report in iter_extract([str(f) for f in files]):
            failed += not report.ok
            if output_format is OutputFormat.jsonl:
                out.write(to_jsonl_line(report) + "\n")
                out.flush()
            elif output_format is OutputFormat.csv:
                writer.writerow(csv_row(report))
            else:
                records.append(report.to_dict())
        if output_format is OutputFormat.json:
            out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    finally:
        if output:
            out.close()
    raise typer.Exit(1 if failed else 0)


@app.command("train")
def train_cli(
    config: Path | None = typer.Option(
        None, help="Training config (default: the shipped one, training/config.toml)."
    ),
    corpus: Path | None = typer.Option(
        None, help="Corpus directory (needed when giextract is installed, not a checkout)."
    ),
    models: Path | None = typer.Option(
        None, help="Where to write the new model (needed when installed; never site-packages)."
    ),
    promote: bool = typer.Option(False, "--promote", help="Ship the new model if not worse."),
    force: bool = typer.Option(False, "--force", help="With --promote: ship even if worse."),
) -> None:
    """Train a new line classifier from the corpus and generated reports."""
    from .train import promote as promote_model
    from .train import stored_metrics, train

    try:
        path = train(config, corpus, models)
        typer.echo(f"wrote {path}")
        typer.echo(_metrics_text(stored_metrics(path)))
        if promote:
            promote_model(path, force=force, corpus_dir=corpus, config_path=config)
            typer.echo(f"shipped {path.name} ({path.parent / 'current'})")
    except GiextractError as exc:
        _fail(exc)


def _metrics_text(metrics: Metrics) -> str:
    lm, fm = metrics.lines, metrics.fields
    lines = [
        f"line macro-F1 {lm.macro_f1:.4f}, line accuracy {lm.accuracy:.4f} over {lm.lines} lines",
        f"fields: accuracy {fm.accuracy:.5f} over {fm.fields} fields of {fm.reports} reports; "
        f"non-zero recall {fm.nonzero_recall:.5f}; exact reports {fm.exact_reports:.4f}",
        "per label (precision / recall / F1 / support):",
    ]
    for lab, m in lm.per_label.items():
        if m.support:
            lines.append(f"  {lab:<13} {m.precision:.4f} {m.recall:.4f} {m.f1:.4f} {m.support}")
    lines.append("by layout (field accuracy / exact reports / line accuracy):")
    for lay, bm in metrics.by_layout.items():
        lines.append(
            f"  {lay:<16} {bm.fields.accuracy:.5f} {bm.fields.exact_reports:.4f} "
            f"{bm.line_accuracy:.4f}"
        )
    return "\n".join(lines)


@app.command("evaluate")
def evaluate_cli(
    model: Path | None = typer.Option(None, help="Model directory (default: the shipped one)."),
    config: Path | None = typer.Option(None, help="Training config naming the held-out set."),
    corpus: Path | None = typer.Option(
        None, help="Corpus directory (needed when giextract is installed, not a checkout)."
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON for scripts."),
) -> None:
    """Evaluate a model on the corpus's evaluation split and held-out generated layouts."""
    from .classify import current_model_path
    from .evaluate import evaluate_examples
    from .training.examples import TrainConfig, evaluation_examples

    try:
        path = model or current_model_path()
        examples = evaluation_examples(TrainConfig.load(config), corpus_dir(corpus))
        metrics = evaluate_examples(path, examples)
    except GiextractError as exc:
        _fail(exc)
        return
    typer.echo(json.dumps(metrics.to_dict(), indent=2) if as_json else _metrics_text(metrics))


class Split(str, Enum):
    train = "train"
    test = "test"


def _review_text(draft: object) -> str:
    from .labeling import LabelDraft

    assert isinstance(draft, LabelDraft)
    out = [f"wrote {draft.source_path}", f"wrote {draft.labels_path} ({len(draft.lines)} lines)"]
    if draft.gold_path:
        out.append(f"wrote {draft.gold_path} (draft: check every value)")
    if not draft.review:
        out.append("nothing flagged; still read the labels and the gold once")
        return "\n".join(out)
    out.append(f"{len(draft.review)} to review, most important first:")
    for x in draft.review:
        conf = "" if x.confidence is None else f" {x.confidence:.2f}"
        label = f" {x.label}{conf}" if x.label else ""
        msg = f" ({x.message})" if x.message else ""
        out.append(f"  {x.where}: [{x.reason}]{label} {x.text.strip()[:60]!r}{msg}")
    return "\n".join(out)


def _interactive_review(corpus_dir: Path, draft: object, start: int) -> None:
    from .classify import line_labels
    from .labeling import LabelDraft, apply_corrections, save_review_state

    assert isinstance(draft, LabelDraft)
    typer.echo(f"labels: {', '.join(line_labels())}; Enter keeps, q stops (resumable)")
    for i in range(start, len(draft.review)):
        item = draft.review[i]
        if item.line is None:
            continue
        answer = typer.prompt(
            f"{item.where} [{item.reason}] {item.text.strip()[:60]!r}", default=item.label or ""
        ).strip()
        if answer == "q":
            save_review_state(corpus_dir, draft, i)
            typer.echo(f"stopped at {i}/{len(draft.review)}; run the same command to resume")
            return
        if answer and answer != item.label:
            apply_corrections(draft.labels_path, {item.line: answer})
        save_review_state(corpus_dir, draft, i + 1)
    save_review_state(corpus_dir, draft, len(draft.review))
    typer.echo("review done")


@app.command("label")
def label_cli(
    file: Path = typer.Argument(..., help="The report to add to the corpus."),
    corpus: Path | None = typer.Option(
        None, help="Corpus directory (needed when giextract is installed, not a checkout)."
    ),
    split: Split = typer.Option(Split.train, help="Split to add the report to."),
    name: str | None = typer.Option(None, help="Corpus name (default: from the file name)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing corpus entry."),
    interactive: bool = typer.Option(
        False, "--interactive", help="Accept or correct each flagged line at a prompt."
    ),
) -> None:
    """Pre-label a report with the current model and add it to the corpus as a draft.

    Writes corpus/sources/NAME.txt, corpus/labelled/SPLIT/NAME.jsonl and a draft
    corpus/gold/NAME.json, then lists what to check first (file:line, reason,
    label, confidence, text): failed identities, rows not found, unmapped labels,
    low-confidence lines.  Correct the .jsonl and the gold by hand, or use
    --interactive (resumable: run it again after stopping).
    """
    from .labeling import default_name, label_report, review_state, writable_corpus_dir

    try:
        root = writable_corpus_dir(corpus)
        state = review_state(root, name or default_name(file)) if interactive else None
        if state is not None and not force:
            draft, start = state
            typer.echo(f"resuming the review of {draft.name} at item {start + 1}")
        else:
            draft, start = label_report(file, root, split.value, name, force=force), 0
            typer.echo(_review_text(draft))
        if interactive:
            _interactive_review(root, draft, start)
    except GiextractError as exc:
        _fail(exc)


@app.command("show")
def show_cli(
    file: Path = typer.Argument(..., help="The report to show."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the HTML here."),
    model: Path | None = typer.Option(None, help="Model directory (default: the shipped one)."),
) -> None:
    """Render a report as HTML: every line with its label (one colour per label), then
    every field's value and the line it came from, the checks and the warnings."""
    from .classify import load_model_from
    from .show import render_report

    try:
        page = render_report(file, load_model_from(model) if model else None)
    except GiextractError as exc:
        _fail(exc)
        return
    if output:
        output.write_text(page, encoding="utf-8")
        typer.echo(f"wrote {output}")
    else:
        typer.echo(page)


def _compare_text(result: Comparison, a: Path, b: Path) -> str:
    out = []
    for key, path, metrics in (("a", a, result.a), ("b", b, result.b)):
        out += [f"== {key}: {path}", _metrics_text(metrics)]
    for key, other, items in (("a", "b", result.only_a_right), ("b", "a", result.only_b_right)):
        out.append(f"== {len(items)} fields {key} gets right and {other} does not")
        out += [f"  {x.report}: {x.field} gold {x.gold} a {x.a} b {x.b}" for x in items[:200]]
    return "\n".join(out)


@app.command("compare")
def compare_cli(
    model_a: Path = typer.Argument(..., help="First model directory."),
    model_b: Path = typer.Argument(..., help="Second model directory."),
    config: Path | None = typer.Option(None, help="Training config naming the held-out set."),
    corpus: Path | None = typer.Option(
        None, help="Corpus directory (needed when giextract is installed, not a checkout)."
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON for scripts."),
) -> None:
    """Compare two models on the evaluation examples: each one's figures, and the fields
    each gets right that the other does not."""
    from .evaluate import compare
    from .training.examples import TrainConfig, evaluation_examples

    try:
        examples = evaluation_examples(TrainConfig.load(config), corpus_dir(corpus))
        result = compare(model_a, model_b, examples)
    except GiextractError as exc:
        _fail(exc)
        return
    typer.echo(
        json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
        if as_json
        else _compare_text(result, model_a, model_b)
    )


def _load_json(path: Path) -> Any:
    from .errors import ErrorCode

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise GiextractError(
            ErrorCode.BAD_RECORD, f"cannot read {path.name} as JSON: {exc}"
        ) from exc


@app.command("check")
def check_cli(
    record: Path = typer.Argument(..., help="A record (JSON): {'fields': {id: value}} or flat."),
    source: Path | None = typer.Option(
        None, "--source", help="The report itself: also list where the record disagrees."
    ),
    mapping: Path | None = typer.Option(
        None, "--mapping", help="JSON object: the record's keys -> giextract field ids."
    ),
) -> None:
    """Check a record made by any parser: failed identities, unknown field ids, invalid
    values, rows that look shifted by a column and, with --source, every field where the
    record disagrees with giextract's own reading of the report.

    Prints the findings as JSON.  Exit code 0 if the record passes, 1 if it needs review,
    2 if it cannot be read.  A JSON array of records is checked record by record.
    """
    from .check import CheckResult, check

    try:
        data = _load_json(record)
        keys = _load_json(mapping) if mapping else None
    except GiextractError as exc:
        typer.echo(json.dumps({"status": "error", "error": exc.to_dict()}, ensure_ascii=False))
        raise typer.Exit(2) from None
    items = data if isinstance(data, list) and data and isinstance(data[0], dict) else [data]
    results: list[CheckResult] = [check(x, mapping=keys, source=source) for x in items]
    out = [r.to_dict() for r in results]
    typer.echo(json.dumps(out if len(out) > 1 else out[0], ensure_ascii=False, indent=2))
    statuses = {r.status for r in results}
    raise typer.Exit(2 if "error" in statuses else 1 if "review" in statuses else 0)


@app.command("serve")
def serve_cli(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(2, help="Worker processes that run extractions."),
    max_body: int = typer.Option(20 * 1024 * 1024, help="Largest request body, in bytes."),
    timeout: float = typer.Option(30.0, help="Seconds one extraction may take."),
) -> None:
    """Serve extraction over HTTP (needs the serve extra: pip install "giextract[serve]").

    POST /v1/extract (a multipart file, raw bytes, or JSON {"text": ...}), POST /v1/check,
    GET /health, GET /version; the OpenAPI schema is at /openapi.json and /docs.
    """
    try:
        from .service import ServiceSettings, run
    except ImportError as exc:
        typer.echo(f'error: the service needs {exc.name}: pip install "giextract[serve]"', err=True)
        raise typer.Exit(2) from exc
    run(ServiceSettings(workers=workers, max_body=max_body, timeout=timeout), host, port)


def main() -> None:  # pragma: no cover
    app()
