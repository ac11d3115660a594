"""The labelled corpus: typed loading and validation for training and evaluation.

Layout (see ``corpus/README.md``)::

    corpus/sources/<name>.txt                  the source text, byte-for-byte as found
    corpus/labelled/{train,test}/<name>.jsonl  one {"line", "label", "text"} per source line
    corpus/gold/<name>.json                    the hand-read values of every template field
    corpus/splits.json                         the split, generated from the directories

The directory of a labelled file (``train`` or ``test``) is the fixed split: test
reports are never trained on.  Every problem found is a :class:`GiextractError`
with code ``CORPUS_LABEL``, ``CORPUS_FIELD`` or ``CORPUS_FORMAT`` naming file and line.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalogue import TEMPLATES, load_template
from .classify import line_labels
from .errors import ErrorCode, GiextractError
from .paths import corpus_dir as resolve_corpus_dir
from .read import read_path

SPLITS = ("train", "test")
NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SPLITS_NOTE = (
    "Generated from the directories corpus/labelled/{train,test}; the directory is the split. "
    "Test reports are never trained on."
)
_LABELS_FIX = "use one of the labels defined in giextract/data/line_labels.json"


@dataclass
class LabelledLine:
    """The label of one physical source line (1-based ``line``), with its text as in the source."""

    line: int
    label: str
    text: str


@dataclass
class Gold:
    """The hand-read values of one report: every field id of its template (None for blank cells)."""

    template: str
    agency: str | None
    year: int | None
    fields: dict[str, int | float | None]
    layout: str | None
    source: str | None = None
    complete_tables: list[str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class LabelledReport:
    """One report of the corpus: its labelled lines, its split and (if any) its gold."""

    name: str
    split: str
    source_path: Path
    lines: list[LabelledLine]
    gold: Gold | None


def _dir(corpus_dir: Path | None, must_exist: bool = True) -> Path:
    """The corpus directory (:func:`giextract.paths.corpus_dir`): None is the default one."""
    return resolve_corpus_dir(corpus_dir, must_exist=must_exist)


def _format_error(where: str, message: str, fix: str | None = None) -> GiextractError:
    return GiextractError(ErrorCode.CORPUS_FORMAT, f"{where}: {message}", fix)


# ---------------------------------------------------------------------------- labels


def _parse_label_line(path: Path, number: int, raw: str) -> LabelledLine:
    """One JSON line of a labels file, checked for shape and label."""
    where = f"{path}:{number}"
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _format_error(where, f"malformed JSON ({exc.msg})") from exc
    if not isinstance(obj, dict):
        raise _format_error(where, 'expected a JSON object {"line", "label", "text"}')
    line, label, text = obj.get("line"), obj.get("label"), obj.get("text")
    if not isinstance(line, int) or isinstance(line, bool):
        raise _format_error(where, f"'line' must be an integer, got {line!r}")
    if not isinstance(label, str) or not isinstance(text, str):
        raise _format_error(where, "'label' and 'text' must be strings")
    if label not in line_labels():
        raise GiextractError(
            ErrorCode.CORPUS_LABEL,
            f"{where}: unknown label {label!r} (known: {', '.join(line_labels())})",
            _LABELS_FIX,
        )
    return LabelledLine(line, label, text)


def read_labels(path: Path) -> list[LabelledLine]:
    """The labelled lines of one ``.jsonl`` file; line numbers must run 1, 2, 3, …

    Raises:
        GiextractError: CORPUS_FORMAT for malformed JSON or lines out of order,
            CORPUS_LABEL for an unknown label.
    """
    try:
        raw_lines = Path(path).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise _format_error(str(path), f"cannot read the labels: {exc}") from exc
    if raw_lines and not raw_lines[-1]:
        raw_lines.pop()
    lines: list[LabelledLine] = []
    for number, raw in enumerate(raw_lines, 1):
        if not raw.strip():
            raise _format_error(f"{path}:{number}", "empty line (one JSON object per line)")
        item = _parse_label_line(path, number, raw)
        if item.line != len(lines) + 1:
            raise _format_error(
                f"{path}:{number}",
                f"line numbers out of order: expected {len(lines) + 1}, got {item.line}",
            )
        lines.append(item)
    return lines


def check_against_source(path: Path, lines: list[LabelledLine], source_path: Path) -> None:
    """Check that the labels cover the source line for line, with the same text.

    Raises:
        GiextractError: CORPUS_FORMAT when the source is missing, the line counts
            differ, or a line's text is not the source's.
    """
    if not source_path.is_file():
        raise _format_error(str(path), f"no source text {source_path}")
    source = read_path(source_path).lines
    for item, src in zip(lines, source, strict=False):
        if item.text != src.text:
            raise _format_error(
                f"{path}:{item.line}",
                f"text {item.text[:30]!r} differs from source line {src.number} "
                f"{src.text[:30]!r} (a line missing or added above?)",
            )
    if len(lines) != len(source):
        where = f"{path}:{min(len(lines), len(source)) + 1}"
        counts = f"{len(lines)} labelled lines, {len(source)} in the source {source_path.name}"
        raise _format_error(where, counts)


def write_labels(path: Path, lines: list[LabelledLine]) -> None:
    """Write labelled lines as JSON lines (UTF-8, not ASCII-escaped), creating directories."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(
        json.dumps({"line": x.line, "label": x.label, "text": x.text}, ensure_ascii=False) + "\n"
        for x in lines
    )
    path.write_text(body, encoding="utf-8", newline="\n")


# ------------------------------------------------------------------------------ gold


def _json_line(text: str, key: str) -> int | None:
    """The 1-based line of a JSON text where ``"key"`` first appears, if it does."""
    needle = json.dumps(key, ensure_ascii=False)
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return None


def _field_error(path: Path, text: str, fid: str, message: str) -> GiextractError:
    line = _json_line(text, fid)
    where = f"{path}:{line}" if line else str(path)
    return GiextractError(
        ErrorCode.CORPUS_FIELD,
        f"{where}: {message}",
        "use the field ids of giextract/data/fields.json for the gold's template",
    )


def _check_fields(path: Path, text: str, template: str, fields: dict[str, Any]) -> None:
    known = load_template(template).field_ids
    known_set = set(known)
    for fid, value in fields.items():
        if fid not in known_set:
            raise _field_error(path, text, fid, f"unknown field id {fid!r} for template {template}")
        ok = value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))
        if not ok:
            raise _field_error(path, text, fid, f"field {fid!r} must be a number or null")
    missing = [fid for fid in known if fid not in fields]
    if missing:
        shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
        raise GiextractError(
            ErrorCode.CORPUS_FIELD,
            f"{path}: {len(missing)} field ids of template {template} missing: {shown}",
            "list every field id of the template, null for blank cells",
        )


def read_gold(path: Path) -> Gold:
    """The gold of one report.

    Raises:
        GiextractError: CORPUS_FORMAT for malformed JSON or a missing key or template,
            CORPUS_FIELD for an unknown, missing or non-numeric field.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise _format_error(str(path), f"cannot read the gold: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise _format_error(f"{path}:{exc.lineno}", f"malformed JSON ({exc.msg})") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("fields"), dict):
        raise _format_error(str(path), "expected an object with 'template' and 'fields'")
    template = raw.get("template")
    if template not in TEMPLATES:
        where = f"{path}:{_json_line(text, 'template') or 1}"
        raise _format_error(where, f"unknown template {template!r} (known: {', '.join(TEMPLATES)})")
    _check_fields(path, text, str(template), raw["fields"])
    known_keys = {"template", "agency", "year", "fields", "layout", "source", "complete_tables"}
    return Gold(
        template=str(template),
        agency=raw.get("agency"),
        year=raw.get("year"),
        fields=dict(raw["fields"]),
        layout=raw.get("layout"),
        source=raw.get("source"),
        complete_tables=raw.get("complete_tables"),
        extra={k: v for k, v in raw.items() if k not in known_keys},
    )


# --------------------------------------------------------------------------- reports


def labelled_path(corpus_dir: Path | None, name: str) -> tuple[str, Path]:
    """The split and labels file of a report.

    Raises:
        GiextractError: CORPUS_FORMAT when the report is in no split or in both.
    """
    root = _dir(corpus_dir)
    found = [(s, root / "labelled" / s / f"{name}.jsonl") for s in SPLITS]
    found = [(s, p) for s, p in found if p.is_file()]
    if len(found) != 1:
        state = "in both train and test" if found else "not labelled"
        raise _format_error(str(root / "labelled"), f"report {name!r} is {state}")
    return found[0]


def load_report(corpus_dir: Path | None, name: str) -> LabelledReport:
    """One report with its labels (checked against the source) and its gold, if any.

    ``corpus_dir`` None means the default corpus (:func:`giextract.paths.corpus_dir`).
    """
    root = _dir(corpus_dir)
    split, path = labelled_path(root, name)
    source_path = root / "sources" / f"{name}.txt"
    lines = read_labels(path)
    check_against_source(path, lines, source_path)
    gold_path = root / "gold" / f"{name}.json"
    gold = read_gold(gold_path) if gold_path.is_file() else None
    return LabelledReport(name, split, source_path, lines, gold)


def split_names(corpus_dir: Path | None, split: str) -> list[str]:
    """The names of the reports of one split, sorted, from the directory."""
    if split not in SPLITS:
        raise _format_error(str(split), f"unknown split (known: {', '.join(SPLITS)})")
    folder = _dir(corpus_dir) / "labelled" / split
    return sorted(p.stem for p in folder.glob("*.jsonl")) if folder.is_dir() else []


def load_split(corpus_dir: Path | None, split: str) -> list[LabelledReport]:
    """Every report of the split ``train`` or ``test``, sorted by name."""
    return [load_report(corpus_dir, name) for name in split_names(corpus_dir, split)]


def build_splits(corpus_dir: Path | None = None) -> dict[str, Any]:
    """The content of ``splits.json`` as the directories define it."""
    splits: dict[str, Any] = {s: split_names(corpus_dir, s) for s in SPLITS}
    splits["note"] = SPLITS_NOTE
    return splits


def write_splits(corpus_dir: Path | None = None) -> Path:
    """(Re)generate ``splits.json`` from the directories; returns its path."""
    path = _dir(corpus_dir, must_exist=False) / "splits.json"
    text = json.dumps(build_splits(corpus_dir), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------ validation


def _check_report(root: Path, name: str) -> list[str]:
    problems: list[str] = []
    if not NAME_PATTERN.match(name):
        problems.append(f"{name}: report names are lowercase ASCII words joined by '-'")
    try:
        report = load_report(root, name)
    except GiextractError as exc:
        return [*problems, str(exc)]
    gold = report.gold
    if gold is not None and gold.source not in (None, f"{name}.txt"):
        problems.append(
            f"{root / 'gold' / (name + '.json')}: source {gold.source!r} should be '{name}.txt'"
        )
    return problems


def _check_orphans(root: Path, names: set[str]) -> list[str]:
    problems = []
    for sub, suffix in (("sources", ".txt"), ("gold", ".json")):
        folder = root / sub
        for path in sorted(folder.glob(f"*{suffix}")) if folder.is_dir() else []:
            if path.stem not in names:
                problems.append(f"{path}: no labelled file for report {path.stem!r}")
    return problems


def _check_splits_file(root: Path) -> list[str]:
    path = root / "splits.json"
    if not path.is_file():
        return [f"{path}: missing (generate it with giextract.corpus.write_splits)"]
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return [f"{path}: unreadable ({exc})"]
    expected = build_splits(root)
    stale = [s for s in SPLITS if sorted(recorded.get(s, [])) != expected[s]]
    return [f"{path}: {s} list differs from labelled/{s}/ (regenerate it)" for s in stale]


def validate_corpus(corpus_dir: Path | None = None) -> list[str]:
    """Every problem found in the corpus, one message each (empty list: fine)."""
    root = _dir(corpus_dir, must_exist=False)
    if not root.is_dir():
        return [f"{root}: no corpus directory"]
    problems: list[str] = []
    names = {s: split_names(root, s) for s in SPLITS}
    both = sorted(set(names["train"]) & set(names["test"]))
    problems += [f"{root / 'labelled'}: report {n!r} is in both train and test" for n in both]
    everything = set(names["train"]) | set(names["test"])
    for name in sorted(everything - set(both)):
        problems += _check_report(root, name)
    problems += _check_orphans(root, everything)
    problems += _check_splits_file(root)
    return problems


def corpus_hash(corpus_dir: Path | None = None, also: Iterable[Path] = ()) -> str:
    """SHA-256 over the sources, labels and gold, and the files ``also`` (inside the corpus
    directory: the render pages a model was trained on), each file's relative path and
    bytes, in sorted path order."""
    root = _dir(corpus_dir)
    digest = hashlib.sha256()
    files = [p for sub in ("sources", "labelled", "gold") for p in (root / sub).rglob("*")]
    files += [Path(p) for p in also]
    paths = sorted((p.relative_to(root).as_posix(), p) for p in files if p.is_file())
    for rel_text, path in paths:
        rel = rel_text.encode("utf-8")
        data = path.read_bytes()
        digest.update(len(rel).to_bytes(8, "big") + rel + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
