"""Plots that render without the extension: a tslab notebook's show() and od.explore outputs, saved
and converted with `jupyter nbconvert --to html`, show a picture for every plot, and each output
stays small.

Each show() must leave one display_data output carrying the Plotly figure, its SVG picture and a
text summary; the HTML must hold that SVG (nbconvert writes it as an <img> data URI) for each
plot. The summaries' numbers are checked against pandas/numpy reading Zmumu.csv here.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import nbformat
import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "notebooks"))
from run_notebooks import CellFailure, run_notebook  # noqa: E402

PLOTLY = "application/vnd.plotly.v1+json"
SVG = "image/svg+xml"
TEXT = "text/plain"
EXPLORER = "application/vnd.opendata-lab.explorer+json"

# Saved size of each plot's whole output (figure JSON + SVG + text) and of its SVG alone, bytes.
BUDGETS = {
    "mass": {"output": 24_000, "svg": 4_000},
    "heatmap": {"output": 48_000, "svg": 6_000},
    "overlay": {"output": 20_000, "svg": 5_000},
    # od.explore's output carries the events themselves (2 bytes per value, base64): 3 columns.
    "explorer": {"output": 60_000, "svg": 12_000},
}

CELLS = {
    "setup": """import * as od from "@opendata-lab/kernel-helpers";
const events = od.readCSV(od.dataPath("events", "Zmumu.csv"));
const mass = od.numericColumn(events, "M");""",
    "mass": """const h = new od.Hist1D(100, 60, 120).fill(mass);
od.show(h);""",
    "heatmap": """const h2 = new od.Hist2D(new od.Axis(24, -2.4, 2.4), new od.Axis(24, -2.4, 2.4))
  .fill(od.numericColumn(events, "eta1"), od.numericColumn(events, "eta2"));
od.show(od.histogram2DFigure(h2, { title: "η₁ vs η₂ <script>x</script>", xTitle: "η₁", yTitle: "η₂" }));""",
    "overlay": """const q1 = od.numericColumn(events, "Q1"), q2 = od.numericColumn(events, "Q2");
const opposite = mass.filter((_, i) => q1[i] !== q2[i]), same = mass.filter((_, i) => q1[i] === q2[i]);
od.show(od.histogramsFigure([
  { hist: new od.Hist1D(60, 60, 120).fill(opposite), name: "opposite charges" },
  { hist: new od.Hist1D(60, 60, 120).fill(same), name: "same charge" },
], { title: "Dimuon mass", xTitle: "M [GeV]" }));""",
    "explorer": """od.explore(events, ["M", "pt1", "eta1"], { tableName: "events" });""",
}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The notebook run in tslab, saved, and converted to HTML: (executed notebook, HTML)."""
    out = tmp_path_factory.mktemp("nbconvert-figures")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "tslab", "display_name": "TypeScript", "language": "typescript"}
    for key, source in CELLS.items():
        nb.cells.append(nbformat.v4.new_code_cell(source, metadata={"name": key}))
    # tslab resolves @opendata-lab/kernel-helpers from the notebook's directory upwards.
    work = ROOT / "build" / "nbconvert-figures"
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"{out.name}.ipynb"
    nbformat.write(nb, path)
    try:
        run_notebook(path, out, timeout=180)
    except CellFailure as failure:
        pytest.fail(f"cell failed:\n{failure.source}\n---\n{failure.detail}")
    finally:
        path.unlink(missing_ok=True)
    executed_path = out / path.name
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "jupyter"), "nbconvert", "--to", "html", str(executed_path)],
        check=True, capture_output=True, timeout=120,
    )
    executed = nbformat.read(executed_path, as_version=4)
    return executed, executed_path.with_suffix(".html").read_text(encoding="utf-8")


def plot_output(executed, key: str) -> dict:
    cell = next(c for c in executed.cells if c.metadata.get("name") == key)
    displays = [o for o in cell.outputs if o.output_type == "display_data"]
    assert len(displays) == 1, f"{key}: {len(displays)} display outputs"
    return displays[0]


def zmumu() -> pd.DataFrame:
    return pd.read_csv(ROOT / "data" / "events" / "Zmumu.csv")


def test_each_plot_is_one_output_with_its_data_picture_and_text(converted):
    executed, _ = converted
    for key in BUDGETS:
        output = plot_output(executed, key)
        interactive = EXPLORER if key == "explorer" else PLOTLY
        assert set(output.data) == {interactive, SVG, TEXT}, key
        ElementTree.fromstring(output.data[SVG])  # well-formed XML


def test_the_text_summaries_match_pandas(converted):
    executed, _ = converted
    m = zmumu()["M"].to_numpy()
    text = plot_output(executed, "mass").data[TEXT]
    inside = m[(m >= 60) & (m < 120)]

    def number(label: str) -> float:
        return float(re.search(rf"{label} ([\d,.−]+)", text).group(1).replace(",", "").replace("−", "-"))

    assert number("entries") == len(m)
    assert number("underflow") == np.sum(m < 60)
    assert number("overflow") == np.sum(m >= 120)
    assert number("mean") == pytest.approx(inside.mean(), rel=5e-4)
    assert number("std") == pytest.approx(inside.std(), rel=5e-4)

    df = zmumu()
    counts, _, _ = np.histogram2d(df["eta1"], df["eta2"], bins=24, range=[[-2.4, 2.4], [-2.4, 2.4]])
    heat = plot_output(executed, "heatmap").data[TEXT]
    assert "24 × 24 bins" in heat
    assert f"{int(counts.sum()):,} in range" in heat


def test_html_shows_a_picture_for_every_plot(converted):
    executed, html = converted
    soup = BeautifulSoup(html, "html.parser")
    pictures = []
    for area in soup.select(".jp-OutputArea-output"):
        if area.get("data-mime-type") != SVG:
            continue
        img = area.find("img")
        svg = area.find("svg")
        if img is not None:
            src = img["src"]
            assert src.startswith("data:image/svg+xml;base64,")
            pictures.append(base64.b64decode(src.split(",", 1)[1]).decode("utf-8"))
        else:
            assert svg is not None
            pictures.append(str(svg))
    # One picture per plot, in order, each the SVG the kernel sent (nothing else rendered instead).
    assert pictures == [plot_output(executed, key).data[SVG] for key in BUDGETS]
    # No script from the hostile title made it into the page's markup outside nbconvert's own.
    assert "<script>x</script>" not in html
    # The 100-bin picture: one bar per non-empty bin, counted here with numpy.
    m = zmumu()["M"].to_numpy()
    counts, _ = np.histogram(m, bins=100, range=(60, 120))
    bars = re.search(r'<path class="bars"[^>]* d="([^"]*)"', pictures[0]).group(1)
    assert bars.count("M") == int(np.count_nonzero(counts))


def test_saved_outputs_stay_within_budget(converted):
    executed, _ = converted
    sizes = {}
    for key, budget in BUDGETS.items():
        output = plot_output(executed, key)
        whole = len(json.dumps(output, ensure_ascii=False).encode("utf-8"))
        svg = len(output.data[SVG].encode("utf-8"))
        sizes[key] = (whole, svg)
        assert whole <= budget["output"], f"{key}: output {whole} B > {budget['output']}"
        assert svg <= budget["svg"], f"{key}: SVG {svg} B > {budget['svg']}"
    print("output and SVG sizes (bytes):", sizes)
