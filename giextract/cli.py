"""giextract: the statistical tables of government information disclosure annual reports
(政府信息公开工作年度报告) as canonical, checked data.

Run `giextract extract --help` to start.
"""

from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .errors import GiextractError
from .paths import corpus_dir

if TYPE_CHECKING:
    from .evaluate import Comparison, Metrics

app = typer.Typer(
    add_completion=True,
    no_args_is_help=True,
    help=__doc__,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        from .version import __version__

        typer.echo(f"giextract {__version__}")
        raise typer.Exit()


@app.callback()
def main_cli(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    """giextract: the statistical tables of government information disclosure annual
    reports (政府信息公开工作年度报告) as canonical, checked data."""


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class FailOn(str, Enum):
    error = "error"
    review = "review"
    never = "never"


def _fail(exc: GiextractError) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()


@app.command("extract")
def extract_cli(
    inputs: list[str] = typer.Argument(
        ...,
        metavar="INPUT...",
        help="Report files (text, HTML, Word, PDF), directories (searched recursively), "
        "or - to read one report from standard input.",
        show_default=False,
    ),
    output_format: OutputFormat = typer.Option(
        OutputFormat.json, "--format", "-f", help="Output format."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the records to this file instead of the screen."
    ),
    include: list[str] = typer.Option(
        [],
        "--include",
        "-i",
        help="In directories, take only files whose names match this pattern (repeatable; "
        "default: *.txt *.md *.html *.htm *.docx *.doc *.pdf and similar).",
        show_default=False,
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        "-w",
        help="Processes working in parallel (default: one per core; 0: in this process, "
        "without time or memory limits).",
        show_default=False,
        min=0,
    ),
    timeout: float = typer.Option(
        30.0, "--timeout", help="Give up on a file after this many seconds (0: never).", min=0
    ),
    memory_limit: int = typer.Option(
        2048, "--memory-limit", help="Memory each worker may use, in MiB (0: no limit).", min=0
    ),
    fail_on: FailOn = typer.Option(
        FailOn.error,
        "--fail-on",
        help="Exit with status 1 when any file failed (error), or also when any report "
        "needs review (review), or never.",
    ),
    progress: bool | None = typer.Option(
        None,
        "--progress/--no-progress",
        help="Show a progress bar (default: when the screen is a terminal).",
        show_default=False,
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="No summary line and no per-file errors on stderr."
    ),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="Run on a Dask cluster at this address (e.g. tcp://host:8786; needs "
        "giextract\\[dask], and the files readable by the cluster's workers).",
        show_default=False,
    ),
) -> None:
    """Extract every field of each report's three tables, with checks and provenance.

    Each input gives exactly one record, in input order: its fields (null where the
    report left a cell blank), the identity checks, warnings and where each value was
    read.  A file that cannot be processed (unreadable, not a report, too slow, too
    big) gives a record with a coded error, and the others go on.  A summary line
    goes to stderr.

    Examples:

      giextract extract report.pdf

      giextract extract reports/ -f jsonl -o records.jsonl

      cat report.txt | giextract extract - -f csv

    Exit status: 0 when all went well, 1 when --fail-on says so, 2 for a usage error
    such as an output file that cannot be written.
    """
    from .batch import DEFAULT_INCLUDE, expand_inputs

    sources = expand_inputs(inputs, tuple(include) or DEFAULT_INCLUDE, _read_stdin)
    try:
        stats = _run_extract(
            sources,
            output_format,
            output,
            workers,
            timeout or None,
            memory_limit or None,
            _show_progress(progress),
            quiet,
            scheduler,
        )
    except GiextractError as exc:
        _fail(exc)
        return
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        _silence_stdout()
        raise typer.Exit(1) from None
    failed = stats["errors"] > 0
    review = stats["review"] > 0
    if fail_on is FailOn.never:
        raise typer.Exit(0)
    raise typer.Exit(1 if failed or (review and fail_on is FailOn.review) else 0)


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. under a test)
        pass


def _show_progress(option: bool | None) -> bool:
    if option is not None:
        return option
    return sys.stderr.isatty()


def _run_extract(
    sources: Any,
    output_format: OutputFormat,
    output: Path | None,
    workers: int | None,
    timeout: float | None,
    memory_mb: int | None,
    progress: bool,
    quiet: bool,
    scheduler: str | None,
) -> dict[str, int]:
    from .batch import Limits, iter_batch, open_writer
    from .records import BatchSummary

    writer = open_writer(output_format.value, output, sys.stdout)
    summary = BatchSummary()
    start = time.monotonic()
    if progress:
        sources = list(sources)  # the bar needs the total
    if scheduler:
        from .distributed import iter_distributed

        records = iter_distributed(sources, scheduler)
    else:
        records = iter_batch(sources, workers=workers, limits=Limits(timeout, memory_mb))
    bar = _ProgressBar(len(sources)) if progress else None
    try:
        for report in records:
            writer.write(report)
            summary.add(report)
            if report.error and output is not None and not quiet:
                _echo_error(report, bar)
            if bar is not None:
                bar.advance(summary)
    finally:
        if bar is not None:
            bar.stop()
        writer.close()
    if summary.files == 0 and not quiet:
        typer.echo("giextract: no input files (check the paths and --include)", err=True)
    elif not quiet:
        typer.echo(f"giextract: {summary.line(time.monotonic() - start)}", err=True)
    return {"errors": summary.errors, "review": summary.review}


def _echo_error(report: Any, bar: _ProgressBar | None) -> None:
    error = report.error
    text = f"error: {report.source}: [{error.get('code')}] {error.get('message')}"
    if bar is not None:
        bar.console.print(text, markup=False, highlight=False, soft_wrap=True)
    else:
        typer.echo(text, err=True)


class _ProgressBar:
    """A rich progress bar on stderr: files done, errors, reports to review."""

    def __init__(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("extracting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task = self.progress.add_task("extract", total=total, status="")
        self.progress.start()

    def advance(self, summary: Any) -> None:
        self.progress.update(self.task, advance=1, status=summary.counts())

    def stop(self) -> None:
        self.progress.stop()


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
    """Train a new line classifier from the corpus, its renders and generated reports."""
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
    each gets right that the other does not; then on the held-out renders, per tool family."""
    from .evaluate import compare
    from .training.align import split_render_examples
    from .training.examples import TrainConfig, evaluation_examples

    try:
        root = corpus_dir(corpus)
        examples = evaluation_examples(TrainConfig.load(config), root)
        result = compare(model_a, model_b, examples)
        renders = compare(model_a, model_b, split_render_examples(root, held_out=True))
    except GiextractError as exc:
        _fail(exc)
        return
    if as_json:
        out = {**result.to_dict(), "renders": renders.to_dict()}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    typer.echo(_compare_text(result, model_a, model_b))
    if renders.a.by_layout:
        typer.echo(_families_text(renders))


def _families_text(renders: Comparison) -> str:
    """Both models on the held-out renders, per tool family; a drop of b is marked."""
    from .train import family_drops

    out = ["== held-out renders by tool family (field accuracy / exact reports: a, b)"]
    dropped = {d.family for d in family_drops(renders.b, renders.a)}
    for fam, a in renders.a.by_layout.items():
        b = renders.b.by_layout[fam]
        mark = "  (b worse)" if fam in dropped else ""
        out.append(
            f"  {fam:<17} {a.fields.accuracy:.4f} / {a.fields.exact_reports:.4f}, "
            f"{b.fields.accuracy:.4f} / {b.fields.exact_reports:.4f}{mark}"
        )
    return "\n".join(out)


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


if __name__ == "__main__":  # pragma: no cover
    main()
