"""Not a test: dump the JSON records of a fixed set of inputs, to check that an
optimisation leaves the output byte-identical.

The set: the shared seeds and squashed real reports, every file under
``tests/fixtures`` and ``tests/golden`` that giextract reads (text, HTML, PDF, DOCX),
every text and file of ``corpus/renders/pages/*``, and ``--generated`` reports
cycling over every layout and both templates (:mod:`giextract.training.generate`).

Run: ``python benchmarks/dump_records.py OUT.jsonl`` before a change, then
``python benchmarks/dump_records.py NEW.jsonl --compare OUT.jsonl`` after it: it
prints every input whose record differs (and the inputs new or gone since) and exits 1
if any record differs or is gone.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_NUM_THREADS", "1")
if os.environ.get("PYTHONHASHSEED") != "0":  # one order of sets and dicts of str, run to run
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, *sys.argv])
SHARED = (REPO.parent / "shared").resolve()
if not SHARED.is_dir():
    SHARED = Path("/work/shared")
SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx", ".md"}


def _files() -> list[Path]:
    roots = [
        SHARED / "seeds",
        SHARED / "real",
        REPO / "tests" / "fixtures",
        REPO / "tests" / "golden",
        REPO / "corpus" / "renders" / "pages",
    ]
    found: list[Path] = []
    for root in roots:
        found += sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    return found


def records(generated: int, seed: int) -> Iterator[tuple[str, str]]:
    """(name, record JSON) of every input of the fixed set, in a fixed order."""
    import giextract
    from giextract.records import record_json
    from giextract.training.generate import generate_corpus

    os.chdir(REPO)  # the records name the repository's files by relative path
    for path in _files():
        base = REPO if path.is_relative_to(REPO) else SHARED
        name = str(path.relative_to(base))
        source = path.relative_to(REPO) if base is REPO else path
        yield name, record_json(giextract.extract_path(source))
    for rep in generate_corpus(generated, seed):
        yield f"generated/{rep.name}", record_json(giextract.extract_text(rep.text, name=rep.name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--compare", type=Path, help="a previous dump to compare with")
    parser.add_argument("--generated", type=int, default=330, help="generated reports")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    args.out = args.out.resolve()
    args.compare = args.compare.resolve() if args.compare else None
    start = time.process_time()
    with args.out.open("w", encoding="utf-8") as out:
        for name, rec in records(args.generated, args.seed):
            out.write(json.dumps({"name": name, "record": rec}, ensure_ascii=False) + "\n")
    print(f"dumped to {args.out} in {time.process_time() - start:.1f} s CPU")
    if args.compare is None:
        return
    old = _by_name(args.compare)
    new = _by_name(args.out)
    differ = [name for name in new if name in old and old[name] != new[name]]
    added = [name for name in new if name not in old]
    gone = [name for name in old if name not in new]
    for label, names in (("DIFFERS", differ), ("NEW", added), ("GONE", gone)):
        for name in names:
            print(f"{label}: {name}")
    print(f"{len(new)} records, {len(differ)} differ, {len(added)} new, {len(gone)} gone")
    sys.exit(1 if differ or gone else 0)


def _by_name(path: Path) -> dict[str, object]:
    """The records of a dump by input name (an input added since only shows as new)."""
    rows = (json.loads(x) for x in path.read_text(encoding="utf-8").splitlines())
    return {row["name"]: row["record"] for row in rows}


if __name__ == "__main__":
    main()
