"""Run every tutorial in notebooks/ in its kernel and save it with its outputs, small enough to read
on GitHub; or, with --check, say whether the saved outputs still show a fresh run's numbers.

Usage (from the repository root, after `make setup`):
    .venv/bin/python scripts/regenerate-tutorials.py            # rewrite notebooks/*.ipynb
    .venv/bin/python scripts/regenerate-tutorials.py --check    # compare, write nothing
    .venv/bin/python scripts/regenerate-tutorials.py notebooks/04-higgs-four-leptons.ipynb

Each output is kept whole when it fits the budget (--budget bytes, 20 kB by default). A bigger one
loses the representations a reader of the saved file can do without, the figure's PDF first,
then largest first a Plotly figure's JSON, the explorer's data, HTML (a plot keeps its static SVG or PNG picture and its text,
which GitHub shows); what is still too big keeps its first lines of text with a note. Tutorials run with TMPDIR set to one
fixed folder, so the paths they print (02's Arrow file, 05's HEPData submission) are the same on
every regeneration, and 07 finds the Arrow file 02 wrote.

The check (test/python/test_tutorial_outputs.py runs it) compares, cell by cell, the numbers in
each code cell's printed text (stdout and the text/plain of displays), paths left out: a saved
tutorial whose numbers a fresh run no longer prints fails, and names the cell.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
STABLE_TMPDIR = Path(tempfile.gettempdir()) / "opendata-lab-tutorials"
BUDGET = 20_000
# What a saved output keeps longest when it is over budget: what GitHub shows.
KEPT = ("image/svg+xml", "image/png", "image/jpeg", "text/plain")
DROPPED_FIRST = ("application/pdf",)
TEXT_LINES_KEPT = 40
# Absolute paths (two or more segments): where a file was written differs between machines.
PATH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][\w.@%+~-]+){2,}[/\\]?")
# Numbers standing alone (not the 2012 of 4mu_2012.csv or the 1 of Hist1D).
NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?!\w)")


def tutorials(paths: list[str]) -> list[Path]:
    found = [Path(p).resolve() for p in paths] if paths else sorted(NOTEBOOKS.glob("*.ipynb"))
    return [p for p in found if any(c.cell_type == "code" for c in nbformat.read(p, as_version=4).cells)]


def execute(path: Path, tmpdir: Path, timeout: int = 300):
    """The notebook run top to bottom in its kernel (the kernelspec it names)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    kernel = nb.metadata.get("kernelspec", {}).get("name", "tslab")
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=True, record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute(env={**os.environ, "TMPDIR": str(tmpdir)})
    failures = [(i, o) for i, c in enumerate(nb.cells) for o in c.get("outputs", [])
                if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")]
    if failures:
        index, output = failures[0]
        raise RuntimeError(f"{path.name}, cell {index}: {output.get('text') or output.get('evalue')}")
    return nb


def output_size(output) -> int:
    """Bytes the output takes in the saved file (nbformat writes JSON indented by one space)."""
    return len(json.dumps(output, ensure_ascii=False, indent=1).encode())


def merge_streams(outputs: list) -> list:
    """Consecutive prints to the same stream as one output (tslab sends each console.log alone)."""
    merged = []
    for output in outputs:
        last = merged[-1] if merged else None
        if output.output_type == "stream" and last is not None and last.output_type == "stream" \
                and last.name == output.name:
            last.text += output.text
        else:
            merged.append(copy.deepcopy(output))
    return merged


def trim_text(text: str, budget: int) -> str:
    """The first lines of `text` (and at most half the budget), with a note of what was cut."""
    lines = text.splitlines(keepends=True)
    kept = "".join(lines[:TEXT_LINES_KEPT])[: budget // 2]
    return kept if kept == text else kept + f"… (cut to fit the saved notebook: {len(lines)} lines in a fresh run)\n"


def trim(output, budget: int = BUDGET):
    """The output as saved: whole when it fits `budget` bytes, else without what a reader can spare."""
    output = copy.deepcopy(output)
    if output_size(output) <= budget:
        return output
    if output.output_type == "stream":
        output.text = trim_text(output.text, budget)
        return output
    data = output.get("data", {})
    # First the PDF (only nbconvert's LaTeX route uses it), then the interactive representations
    # GitHub cannot draw (a Plotly figure, the explorer's data), largest first; the pictures and
    # the text stay while they fit. The Plotly figure is worth keeping when it fits: JupyterLab
    # draws it in a notebook it does not trust yet, where it refuses the SVG picture.
    spare = sorted((m for m in data if m not in KEPT),
                   key=lambda m: (m not in DROPPED_FIRST, -output_size(data[m])))
    for mime in spare:
        if output_size(output) <= budget:
            break
        del data[mime]
        output.get("metadata", {}).pop(mime, None)
    if output_size(output) > budget:  # no picture small enough either: the text alone
        text = str(data.get("text/plain", "")) or "(output too large to save: run the cell)"
        data.clear()
        data["text/plain"] = trim_text(text, budget)
    return output


def printed_numbers(cell) -> list[str]:
    """The numbers of a code cell's printed text, in order, without those inside paths."""
    texts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream" and output.name == "stdout":
            texts.append(output.text)
        elif output.output_type in ("display_data", "execute_result"):
            texts.append(str(output.get("data", {}).get("text/plain", "")))
    text = PATH.sub(" ", "".join(texts))
    return [n.replace("−", "-") for n in NUMBER.findall(text)]


def compare(saved, fresh) -> list[str]:
    """How the saved notebook's numbers differ from the fresh run's, one line per code cell."""
    differences = []
    code = [(i, s, f) for i, (s, f) in enumerate(zip(saved.cells, fresh.cells)) if s.cell_type == "code"]
    for index, s, f in code:
        old, new = printed_numbers(s), printed_numbers(f)
        if old != new:
            first = next((k for k, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
            differences.append(f"cell {index}: saved {old[first:first + 6]} where a fresh run prints "
                               f"{new[first:first + 6]} (number {first + 1} of {len(new)})")
    if len(saved.cells) != len(fresh.cells):
        differences.append(f"{len(saved.cells)} cells saved, {len(fresh.cells)} in the notebook")
    return differences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="default: every notebook in notebooks/ with code")
    parser.add_argument("--check", action="store_true", help="compare the saved outputs, write nothing")
    parser.add_argument("--budget", type=int, default=BUDGET, help="bytes an output may take when saved")
    parser.add_argument("--out", type=Path, help="write the notebooks here instead of over the saved ones")
    args = parser.parse_args()

    failed = 0
    with tempfile.TemporaryDirectory(prefix="opendata-lab-tutorials-") as scratch:
        tmpdir = Path(scratch) if args.check else STABLE_TMPDIR
        tmpdir.mkdir(parents=True, exist_ok=True)
        for path in tutorials(args.notebooks):
            fresh = execute(path, tmpdir)
            for cell in fresh.cells:
                if cell.cell_type == "code":
                    cell.outputs = [trim(o, args.budget) for o in merge_streams(cell.outputs)]
            if args.check:
                differences = compare(nbformat.read(path, as_version=4), fresh)
                failed += bool(differences)
                print(f"{'STALE' if differences else 'OK'} {path.name}")
                for line in differences:
                    print(f"  {line}")
            else:
                target = args.out / path.name if args.out else path
                target.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(fresh, target)
                sizes = [output_size(o) for c in fresh.cells for o in c.get("outputs", [])]
                print(f"wrote {target}: {len(sizes)} outputs, {sum(sizes) / 1000:.1f} kB, "
                      f"largest {max(sizes, default=0) / 1000:.1f} kB")
            sys.stdout.flush()
    if args.check and failed:
        print(f"{failed} saved tutorial(s) no longer match a fresh run: "
              "run .venv/bin/python scripts/regenerate-tutorials.py")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
