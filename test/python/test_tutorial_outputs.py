"""The tutorials as saved in notebooks/ (with their outputs, for reading on GitHub) against a fresh run.

scripts/regenerate-tutorials.py saves them; its --check runs every tutorial in its kernel again and
compares the numbers each code cell prints with the saved ones (about 70 s for the seven tutorials
on two busy cores). A change in the helpers or the data that moves a printed number makes the saved
tutorial stale, and this test fails naming the notebook and the cell until it is regenerated. The
other tests here check the comparison and the trimming themselves on hand-made outputs, and that
the saved files stay small and show every plot as a picture.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "regenerate-tutorials.py"
PLOTLY = "application/vnd.plotly.v1+json"
PICTURES = {"image/svg+xml", "image/png"}


def load_script():
    spec = importlib.util.spec_from_file_location("regenerate_tutorials", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


regen = load_script()
SAVED = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
         if any(c.cell_type == "code" for c in nbformat.read(p, as_version=4).cells)]


def test_saved_tutorials_print_what_a_fresh_run_prints():
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], cwd=ROOT, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert sorted(line.split()[1] for line in result.stdout.splitlines() if line.startswith("OK ")) == \
        [p.name for p in SAVED]


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.stem)
def test_saved_with_outputs_small_and_plots_with_a_picture(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "saved without running every cell"
    assert any(o.output_type == "stream" for c in code for o in c.outputs), "saved without outputs"
    for cell in code:
        for output in cell.outputs:
            assert regen.output_size(output) <= regen.BUDGET
            assert not (output.output_type == "stream" and output.name == "stderr")
            assert output.output_type != "error"
        # A cell that must show a plot (or the explorer) shows it as a picture GitHub can draw,
        # its text next to it.
        if cell.metadata.get("opendata_lab", {}).get("expect_mime", []):
            shown = [set(o.get("data", {})) for o in cell.outputs if o.output_type == "display_data"]
            assert any(PICTURES & mimes and "text/plain" in mimes for mimes in shown), cell.source[:80]


def stream(text: str):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def notebook_printing(*texts: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# t")] + [nbformat.v4.new_code_cell("x", outputs=[stream(t)])
                                                           for t in texts]
    return nb


def test_the_comparison_names_the_cell_whose_number_moved():
    saved = notebook_printing("2304 pairs; mean 90.85 GeV\n", "chi2/ndf = 0.57/3, p-value 0.904\n")
    assert regen.compare(saved, saved) == []
    moved = notebook_printing("2304 pairs; mean 90.85 GeV\n", "chi2/ndf = 0.61/3, p-value 0.894\n")
    differences = regen.compare(saved, moved)
    assert len(differences) == 1 and differences[0].startswith("cell 2:")
    assert "'0.57'" in differences[0] and "'0.61'" in differences[0]
    # A number missing from the saved outputs (a cell saved without output) is a difference too.
    assert regen.compare(notebook_printing("", "chi2/ndf = 0.57/3\n"), saved)


def test_the_comparison_leaves_out_paths_and_reads_displays_text():
    a = notebook_printing("wrote /tmp/opendata-lab-tutorials/my-hepdata-4rua2P: submission.yaml, 4 bins\n")
    b = notebook_printing("wrote /var/folders/x1/T/my-hepdata-Q9z0: submission.yaml, 4 bins\n")
    assert regen.compare(a, b) == []
    assert regen.compare(a, notebook_printing("wrote /tmp/a/b: submission.yaml, 5 bins\n"))
    shown = nbformat.v4.new_output("display_data", data={"text/plain": "Hist1D: 60 bins, 2304 entries"})
    assert regen.printed_numbers(nbformat.v4.new_code_cell("h", outputs=[shown])) == ["60", "2304"]


def test_trimming_keeps_the_picture_and_the_text_of_a_large_plot():
    points = {"data": [{"type": "heatmap", "z": [[i * j for j in range(100)] for i in range(100)]}]}
    svg = "<svg xmlns='http://www.w3.org/2000/svg'><rect width='10' height='10'/></svg>"
    output = nbformat.v4.new_output("display_data", data={PLOTLY: points, "image/svg+xml": svg,
                                                          "text/plain": "Heatmap 100 x 100"})
    assert regen.output_size(output) > regen.BUDGET
    saved = regen.trim(output)
    assert set(saved.data) == {"image/svg+xml", "text/plain"}
    assert saved.data["image/svg+xml"] == svg
    assert PLOTLY in output.data  # the fresh run's output is left as it was
    # Any interactive representation goes before the picture: the explorer's data, largest first.
    explorer = nbformat.v4.new_output("display_data", data={
        "application/vnd.opendata-lab.explorer+json": {"columns": list(range(20000))},
        "text/html": "<table></table>", "image/svg+xml": svg, "text/plain": "M 10583 entries"})
    assert set(regen.trim(explorer).data) == {"text/html", "image/svg+xml", "text/plain"}
    # The PDF goes first, even when smaller than the Plotly figure, which then fits and stays.
    pdf = "JVBERi0xLjQK" + "A" * 8000
    figure = nbformat.v4.new_output("display_data", data={
        "application/pdf": pdf, PLOTLY: {"data": [{"y": list(range(1200))}]}, "image/svg+xml": svg,
        "text/plain": "Hist1D"})
    assert regen.output_size(figure) > regen.BUDGET
    assert set(regen.trim(figure).data) == {PLOTLY, "image/svg+xml", "text/plain"}
    small = nbformat.v4.new_output("display_data", data={PLOTLY: {"data": []}, "text/plain": "empty"})
    assert regen.trim(small) == small


def test_trimming_cuts_long_prints_and_merges_consecutive_ones():
    long = stream("".join(f"event {i}: {i * 1.5:.1f} GeV\n" for i in range(5000)))
    saved = regen.trim(long)
    assert regen.output_size(saved) <= regen.BUDGET
    assert saved.text.startswith("event 0: 0.0 GeV\n")
    assert "5000 lines in a fresh run" in saved.text
    merged = regen.merge_streams([stream("a\n"), stream("b\n"),
                                  nbformat.v4.new_output("stream", name="stderr", text="c\n"), stream("d\n")])
    assert [(o.name, o.text) for o in merged] == [("stdout", "a\nb\n"), ("stderr", "c\n"), ("stdout", "d\n")]


def test_the_saved_notebooks_are_what_nbformat_writes():
    # Regenerated, not hand-edited: valid notebooks in nbformat's own layout (no noisy diffs).
    for path in SAVED:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert path.read_text() == nbformat.writes(nb) + "\n" or path.read_text() == nbformat.writes(nb)
        assert json.loads(path.read_text())["metadata"]["kernelspec"]["name"] in {"tslab", "python3"}
