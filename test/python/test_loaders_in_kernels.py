"""Generated loader cells run in real kernels: Python (ipykernel + uproot) and TypeScript (tslab).

Both loaders for the bundled ROOT sample must report the entry count uproot reads independently,
also when the record's title carries a hostile payload (it must stay a string literal).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import uproot

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "notebooks"))
from run_notebooks import CellFailure, run_notebook  # noqa: E402

PAYLOAD = "<script>alert(1)</script> <img src=x onerror=\"alert(2)\"> '\"`${process.exit(1)}` \\ \n \u2028 \"\"\""


def generate(language: str, record: dict, file: str | None) -> dict:
    """The loader cell from the helpers' built core, exactly as the extension inserts it."""
    script = (
        "const { loaderCode } = require('./kernel-helpers/dist/core');"
        "const [record, options] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(loaderCode(record, options)));"
    )
    options = {"language": language}
    if file:
        options["file"] = file
    out = subprocess.run(["node", "-e", script], input=json.dumps([record, options]), cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout)


def run_cell(cell: dict, kernel: str, language: str, tmp_path: Path) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": language}
    nb.cells.append(nbformat.v4.new_code_cell(cell["source"], metadata=cell["metadata"]))
    # tslab resolves @opendata-lab/kernel-helpers from the notebook's directory upwards.
    work = ROOT / "build" / "loader-notebooks"
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"{tmp_path.name}-{kernel}.ipynb"
    nbformat.write(nb, path)
    try:
        run_notebook(path, tmp_path, timeout=180)
    except CellFailure as failure:
        pytest.fail(f"{kernel} loader failed:\n{failure.source}\n---\n{failure.detail}")
    finally:
        path.unlink(missing_ok=True)
    executed = nbformat.read(tmp_path / path.name, as_version=4)
    return "".join(o.get("text", "") for o in executed.cells[0].outputs if o.get("name") == "stdout")


@pytest.mark.parametrize("title", ["Z to mumu sample", PAYLOAD])
def test_python_and_typescript_loaders_report_uproots_entry_count(tmp_path, title):
    expected = uproot.open(ROOT / "data" / "events" / "Zmumu.root")["events"].num_entries
    record = {"recid": "700", "title": title, "doi": "10.7483/OPENDATA.CMS.CB8H.MFFA"}
    counts = {}
    for language, kernel in (("python", "python3"), ("typescript", "tslab")):
        cell = generate(language, record, "Zmumu.root")
        assert cell["metadata"] == {"opendata_lab": {"recid": "700", "file": "Zmumu.root"}}
        stdout = run_cell(cell, kernel, language, tmp_path)
        match = re.search(r"^(\d+) entries", stdout, re.MULTILINE)
        assert match, f"{kernel}: no entry count in {stdout!r}"
        counts[kernel] = int(match.group(1))
    assert counts == {"python3": expected, "tslab": expected}


def test_python_loader_for_a_bundled_csv_of_a_record_reads_it(tmp_path):
    # Record 5200's 4mu_2012.csv is bundled; pandas must see the same rows as a plain reader.
    record = json.loads(
        subprocess.run(
            [sys.executable, "-c",
             "import gzip, json; print(json.dumps(json.load(gzip.open('data/catalog/records/16.json.gz'))['5200']))"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout
    )
    cell = generate("python", record, None)
    assert cell["metadata"]["opendata_lab"] == {"recid": "5200", "file": "4mu_2012.csv"}
    stdout = run_cell(cell, "python3", "python", tmp_path)
    lines = (ROOT / "data" / "events" / "4mu_2012.csv").read_text().splitlines()
    assert re.search(rf"^{len(lines) - 1} rows", stdout, re.MULTILINE), stdout
