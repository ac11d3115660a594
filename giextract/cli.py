"""The command line: thin typer wrappers over library functions that return data."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import typer

from .errors import GiextractError
from .pipeline import iter_extract
from .report import csv_header, csv_row, to_jsonl_line

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
    config: Path | None = typer.Option(None, help="Training config (training/config.toml)."),
    corpus: Path | None = typer.Option(None, help="Corpus directory (corpus/)."),
    promote: bool = typer.Option(False, "--promote", help="Ship the new model if not worse."),
    force: bool = typer.Option(False, "--force", help="With --promote: ship even if worse."),
) -> None:
    """Train a new line classifier from the corpus and generated reports."""
    from .train import promote as promote_model
    from .train import train

    try:
        path = train(config, corpus)
        meta = json.loads((path / "meta.json").read_text("utf-8"))
        typer.echo(f"wrote {path}")
        typer.echo(_metrics_text(meta["metrics"]))
        if promote:
            promote_model(path, force=force)
            typer.echo(f"shipped {path.name} (models/current)")
    except GiextractError as exc:
        _fail(exc)


def _metrics_text(metrics: dict) -> str:
    lines = [
        f"line macro-F1 {metrics['lines']['macro_f1']:.4f}, "
        f"line accuracy {metrics['lines']['accuracy']:.4f} over {metrics['lines']['lines']} lines",
        f"fields: accuracy {metrics['fields']['accuracy']:.5f} over {metrics['fields']['fields']} "
        f"fields of {metrics['fields']['reports']} reports; non-zero recall "
        f"{metrics['fields']['nonzero_recall']:.5f}; exact reports "
        f"{metrics['fields']['exact_reports']:.4f}",
        "per label (precision / recall / F1 / support):",
    ]
    for lab, m in metrics["lines"]["per_label"].items():
        if m["support"]:
            lines.append(
                f"  {lab:<13} {m['precision']:.4f} {m['recall']:.4f} {m['f1']:.4f} {m['support']}"
            )
    lines.append("by layout (field accuracy / exact reports / line accuracy):")
    for lay, m in metrics["by_layout"].items():
        lines.append(
            f"  {lay:<16} {m['fields']['accuracy']:.5f} {m['fields']['exact_reports']:.4f} "
            f"{m['line_accuracy']:.4f}"
        )
    return "\n".join(lines)


@app.command("evaluate")
def evaluate_cli(
    model: Path | None = typer.Option(None, help="Model directory (default: the shipped one)."),
    config: Path | None = typer.Option(None, help="Training config naming the held-out set."),
    corpus: Path | None = typer.Option(None, help="Corpus directory (corpus/)."),
    as_json: bool = typer.Option(False, "--json", help="JSON for scripts."),
) -> None:
    """Evaluate a model on the corpus's evaluation split and held-out generated layouts."""
    from .classify import current_model_path
    from .evaluate import evaluate_examples
    from .train import TrainConfig, evaluation_examples

    try:
        path = model or current_model_path()
        examples = evaluation_examples(TrainConfig.load(config), corpus)
        metrics = evaluate_examples(path, examples)
    except GiextractError as exc:
        _fail(exc)
        return
    typer.echo(json.dumps(metrics, indent=2) if as_json else _metrics_text(metrics))


def main() -> None:  # pragma: no cover
    app()
