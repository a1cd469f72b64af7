"""Runs a test's notebook with the notebook runner from a folder under build/: the TypeScript
kernels resolve @opendata-lab/kernel-helpers from the notebook's directory upwards, so the
notebook sits inside the repository while it runs and is removed afterwards."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "notebooks"))
from run_notebooks import CellFailure, run_notebook  # noqa: E402


def run_in_build(nb: nbformat.NotebookNode, folder: str, name: str, out: Path, what: str) -> Path:
    """Writes `nb` as build/<folder>/<name>, runs it (the executed copy goes to `out`) and returns
    the executed copy's path; a failing cell fails the test as "<what> failed" with its source."""
    work = ROOT / "build" / folder
    work.mkdir(parents=True, exist_ok=True)
    path = work / name
    nbformat.write(nb, path)
    try:
        run_notebook(path, out, timeout=180)
    except CellFailure as failure:
        pytest.fail(f"{what} failed:\n{failure.source}\n---\n{failure.detail}")
    finally:
        path.unlink(missing_ok=True)
    return out / path.name
