"""The notebook runner's --kernels: a TypeScript notebook runs once in each kernel (tslab and
Deno, the kernel switched in its metadata), a Python notebook in its own kernel only. One runner
call for every case: each tslab start costs seconds."""

import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "test" / "notebooks" / "run_notebooks.py"
FIXTURES = ROOT / "test" / "notebooks" / "fixtures"


def notebook(path: Path, kernel: str, language: str, source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": language}
    nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, path)
    return path


def test_typescript_notebooks_run_in_tslab_and_in_deno_python_ones_in_their_own(tmp_path):
    passing = FIXTURES / "passing.ipynb"
    only_deno_fails = notebook(tmp_path / "only-deno-fails.ipynb", "tslab", "typescript",
                               'if ("Deno" in globalThis) throw new Error("only in Deno");')
    python = notebook(tmp_path / "python.ipynb", "python3", "python", "print(6 * 7)")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(RUNNER), "--kernels", "tslab,deno", "--out", str(out),
         str(passing), str(only_deno_fails), str(python)],
        capture_output=True, text=True, timeout=300)

    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert [line.split(" (")[0] for line in lines] == [
        f"PASS {passing} [tslab]",
        f"PASS {passing} [deno]",
        f"PASS {only_deno_fails} [tslab]",
        f"FAIL {only_deno_fails} [deno]",
        f"PASS {python}",
    ]
    assert f"FAIL {only_deno_fails} [deno] (cell 0)" in result.stdout
    assert "Error: only in Deno" in result.stdout
    assert result.stdout.strip().endswith("4 passed, 1 failed")

    # The first kernel's run keeps the name; Deno's is saved with Deno's kernelspec and outputs.
    assert nbformat.read(out / "passing.ipynb", as_version=4).metadata.kernelspec.name == "tslab"
    deno = nbformat.read(out / "passing.deno.ipynb", as_version=4)
    assert deno.metadata.kernelspec == {"name": "deno", "display_name": "TypeScript (Deno)",
                                        "language": "typescript"}
    # 1 + 2 + 3, the cell's last value: Deno shows it as the cell's execute_result.
    results = [o for o in deno.cells[0].outputs if o.output_type == "execute_result"]
    assert [o.data["text/plain"] for o in results] == ["6"]
