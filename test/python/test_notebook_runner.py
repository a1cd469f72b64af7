"""The notebook runner itself, driven against a real tslab kernel."""

import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "test" / "notebooks" / "run_notebooks.py"
FIXTURES = ROOT / "test" / "notebooks" / "fixtures"


def run(*args):
    return subprocess.run([sys.executable, str(RUNNER), *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_type_error_fails_with_the_error_and_the_cell_printed():
    result = run(FIXTURES / "type-error.ipynb")
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "(cell 1)" in result.stdout
    assert "const label: number = 'forty-two';" in result.stdout
    assert "Type 'string' is not assignable to type 'number'" in result.stdout
    assert result.stdout.strip().endswith("0 passed, 1 failed")


def test_a_cell_missing_its_expected_display_fails():
    result = run(FIXTURES / "missing-display.ipynb")
    assert result.returncode == 1
    assert "expected output of type text/html" in result.stdout


def test_a_good_notebook_passes_and_keeps_its_outputs(tmp_path):
    result = run("--out", tmp_path, FIXTURES / "passing.ipynb")
    assert result.returncode == 0, result.stdout + result.stderr
    executed = nbformat.read(tmp_path / "passing.ipynb", as_version=4)
    # A cell's last expression is its execute_result, as in ipykernel (the patched tslab; it
    # printed the value on stdout).
    [output] = executed.cells[0].outputs
    assert output["output_type"] == "execute_result", output
    assert output["data"] == {"text/plain": "6"}
    assert output["execution_count"] == 1
