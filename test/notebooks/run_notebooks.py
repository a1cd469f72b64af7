"""Execute notebooks in their real kernels and fail on any error.

tslab reports a failed cell only as text on stderr (no `error` output), so any stderr output counts
as a failure here. A cell may also state what it must display, in its metadata:
    "opendata_lab": {"expect_mime": ["application/vnd.plotly.v1+json"]}

Usage: python run_notebooks.py [--out DIR] [--timeout S] NOTEBOOK_OR_DIR...
Prints one line per notebook, the failing cell with its stderr, and `N passed, N failed` last;
exits 1 when any notebook failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


class CellFailure(Exception):
    def __init__(self, index: int, source: str, detail: str):
        super().__init__(detail)
        self.index, self.source, self.detail = index, source, detail


def output_mimes(cell) -> set[str]:
    mimes = set()
    for out in cell.get("outputs", []):
        if out.get("output_type") in ("display_data", "execute_result"):
            mimes.update(out.get("data", {}).keys())
    return mimes


def check_cell(index: int, cell) -> None:
    stderr = "".join(
        out.get("text", "")
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    )
    errors = [out for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    if stderr or errors:
        detail = stderr + "".join(f"{e.get('ename')}: {e.get('evalue')}\n" for e in errors)
        raise CellFailure(index, cell.source, detail.rstrip())
    expected = cell.get("metadata", {}).get("opendata_lab", {}).get("expect_mime", [])
    missing = [m for m in expected if m not in output_mimes(cell)]
    if missing:
        raise CellFailure(index, cell.source, f"expected output of type {', '.join(missing)}; got {sorted(output_mimes(cell)) or 'none'}")


def run_notebook(path: Path, out_dir: Path | None, timeout: int) -> None:
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "tslab")
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                try:
                    client.execute_cell(cell, index)
                except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
                    raise CellFailure(index, cell.source, str(err)) from err
                check_cell(index, cell)
    finally:
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, out_dir / path.name)


def collect(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for p in map(Path, paths):
        found.extend(sorted(p.glob("*.ipynb")) if p.is_dir() else [p])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--out", type=Path, default=None, help="write executed notebooks here")
    parser.add_argument("--timeout", type=int, default=180, help="seconds a cell may run")
    args = parser.parse_args()

    notebooks = collect(args.paths)
    if not notebooks:
        print(f"no notebooks in {' '.join(args.paths)}", file=sys.stderr)
        return 2
    passed = failed = 0
    for path in notebooks:
        start = time.monotonic()
        try:
            run_notebook(path, args.out, args.timeout)
        except CellFailure as f:
            failed += 1
            print(f"FAIL {path} (cell {f.index})")
            print("---- cell source ----")
            print(f.source)
            print("---- stderr / error ----")
            print(f.detail)
            print("---------------------")
        else:
            passed += 1
            print(f"PASS {path} ({time.monotonic() - start:.1f} s)")
        sys.stdout.flush()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
