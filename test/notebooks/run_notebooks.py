"""Execute notebooks in their real kernels and fail on any error.

tslab reports a failed cell only as text on stderr (no `error` output), so any stderr output counts
as a failure here. A cell may also state what it must display, in its metadata:
    "opendata_lab": {"expect_mime": ["application/vnd.plotly.v1+json"]}

`--kernels tslab,deno` runs every TypeScript notebook (kernelspec language typescript) once in
each of these kernels, the kernel switched in its metadata; other notebooks run in their own.

Usage: python run_notebooks.py [--out DIR] [--timeout S] [--kernels K1,K2] NOTEBOOK_OR_DIR...
Prints one line per notebook run, the failing cell with its stderr, and `N passed, N failed`
last; exits 1 when any run failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from queue import Empty

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

# Deno's kernel (2.9) may publish a cell's last outputs just after the cell's idle status: its
# server sends stdout from another task and waits only 5 ms for it, and sends displays from the
# cell's own pending operation. nbclient stops listening at idle and would miss them, so for Deno
# the runner keeps the cell's messages until the kernel has been quiet this long after idle.
LATE_OUTPUT_SECONDS = {"deno": 0.15}


class RunnerClient(NotebookClient):
    """nbclient, plus the outputs a kernel sends just after a cell's idle status (see above)."""

    late_output_seconds = 0.0
    late_outputs = 0

    async def _async_poll_output_msg(self, parent_msg_id: str, cell, cell_index: int) -> None:
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        if self.late_output_seconds <= 0:
            return
        # Until the kernel has been quiet that long: a burst of late lines is kept whole.
        while True:
            try:
                msg = await ensure_async(
                    self.kc.iopub_channel.get_msg(timeout=self.late_output_seconds))
            except Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id and msg["msg_type"] != "status":
                self.late_outputs += 1
                self.process_message(msg, cell, cell_index)


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


def switch_kernel(nb, kernel: str) -> None:
    """Points the notebook's metadata at another installed kernel (as JupyterLab's switch does)."""
    spec = KernelSpecManager().get_kernel_spec(kernel)
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": spec.display_name,
                                 "language": spec.language}


def run_notebook(path: Path, out_dir: Path | None, timeout: int, kernel: str | None = None,
                 out_name: str | None = None) -> RunnerClient:
    """Runs the notebook in its own kernel, or in `kernel`; writes it to out_dir/out_name."""
    nb = nbformat.read(path, as_version=4)
    if kernel is not None:
        switch_kernel(nb, kernel)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "tslab")
    client = RunnerClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=True,
                          resources={"metadata": {"path": str(path.parent)}})
    client.late_output_seconds = LATE_OUTPUT_SECONDS.get(kernel, 0.0)
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
            nbformat.write(nb, out_dir / (out_name or path.name))
    return client


def runs_of(path: Path, kernels: list[str]) -> list[str | None]:
    """The kernels a notebook runs in: each of `kernels` for a TypeScript notebook, else its own."""
    language = nbformat.read(path, as_version=4).metadata.get("kernelspec", {}).get("language")
    return list(kernels) if kernels and language == "typescript" else [None]


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
    parser.add_argument("--kernels", default="",
                        help="comma-separated kernels to run each TypeScript notebook in "
                             "(default: the notebook's own)")
    args = parser.parse_args()
    kernels = [k for k in args.kernels.split(",") if k]

    notebooks = collect(args.paths)
    if not notebooks:
        print(f"no notebooks in {' '.join(args.paths)}", file=sys.stderr)
        return 2
    passed = failed = 0
    for path in notebooks:
        for kernel in runs_of(path, kernels):
            label = f"{path} [{kernel}]" if kernel else str(path)
            # The first kernel's run keeps the notebook's name; the others get the kernel's added.
            first = kernel is None or kernel == kernels[0]
            out_name = None if first else f"{path.stem}.{kernel}{path.suffix}"
            start = time.monotonic()
            try:
                client = run_notebook(path, args.out, args.timeout, kernel, out_name)
            except CellFailure as f:
                failed += 1
                print(f"FAIL {label} (cell {f.index})")
                print("---- cell source ----")
                print(f.source)
                print("---- stderr / error ----")
                print(f.detail)
                print("---------------------")
            else:
                passed += 1
                late = f", {client.late_outputs} outputs after idle" if client.late_outputs else ""
                print(f"PASS {label} ({time.monotonic() - start:.1f} s{late})")
            sys.stdout.flush()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
