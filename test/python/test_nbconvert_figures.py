"""Plots that render without the extension: a tslab notebook's show() and od.explore outputs, saved
and converted with `jupyter nbconvert --to html`, show a picture for every plot, and each output
stays small. `--to latex` (and `--to pdf` where xelatex is installed) works without Inkscape: each
output carries its picture as application/pdf too, which nbconvert's LaTeX export prefers to SVG.

Each show() must leave one display_data output carrying the Plotly figure, its SVG picture and a
text summary; the HTML must hold that SVG (nbconvert writes it as an <img> data URI) for each
plot. The summaries' numbers are checked against pandas/numpy reading Zmumu.csv here.
"""

from __future__ import annotations

import base64
import json
import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import nbformat
import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from notebook_in_build import run_in_build

ROOT = Path(__file__).resolve().parents[2]

PLOTLY = "application/vnd.plotly.v1+json"
SVG = "image/svg+xml"
TEXT = "text/plain"
PDF = "application/pdf"
EXPLORER = "application/vnd.opendata-lab.explorer+json"

# Saved size of each plot's whole output (figure JSON + SVG + text + PDF) and of its SVG and its
# PDF (base64) alone, bytes.
BUDGETS = {
    "mass": {"output": 30_000, "svg": 4_000, "pdf": 6_000},
    "heatmap": {"output": 58_000, "svg": 6_000, "pdf": 12_000},
    "overlay": {"output": 26_000, "svg": 5_000, "pdf": 7_000},
    # od.explore's output carries the events themselves (2 bytes per value, base64): 3 columns.
    "explorer": {"output": 72_000, "svg": 12_000, "pdf": 12_000},
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
    executed_path = run_in_build(nb, "nbconvert-figures", f"{out.name}.ipynb", out, "cell")
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
        assert set(output.data) == {interactive, SVG, TEXT, PDF}, key
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
        pdf = len(output.data[PDF])
        sizes[key] = (whole, svg, pdf)
        assert whole <= budget["output"], f"{key}: output {whole} B > {budget['output']}"
        assert svg <= budget["svg"], f"{key}: SVG {svg} B > {budget['svg']}"
        assert pdf <= budget["pdf"], f"{key}: PDF {pdf} B > {budget['pdf']}"
    print("output, SVG and PDF (base64) sizes (bytes):", sizes)


def without_inkscape() -> dict:
    """The environment with no directory holding an inkscape executable on PATH."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(
        d for d in env.get("PATH", "").split(os.pathsep) if not (Path(d) / "inkscape").exists()
    )
    assert shutil.which("inkscape", path=env["PATH"]) is None
    return env


@pytest.fixture(scope="module")
def latex(converted, tmp_path_factory):
    """`jupyter nbconvert --to latex` of the executed notebook without Inkscape: (tex, its folder)."""
    executed, _ = converted
    out = tmp_path_factory.mktemp("nbconvert-latex")
    path = out / "figures.ipynb"
    nbformat.write(executed, path)
    jupyter = str(ROOT / ".venv" / "bin" / "jupyter")
    done = subprocess.run(
        [jupyter, "nbconvert", "--to", "latex", str(path)],
        capture_output=True, text=True, timeout=120, env=without_inkscape(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    if shutil.which("xelatex"):
        done = subprocess.run(
            [jupyter, "nbconvert", "--to", "pdf", str(path)],
            capture_output=True, text=True, timeout=300, env=without_inkscape(),
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert (out / "figures.pdf").stat().st_size > 0
    return (out / "figures.tex").read_text(encoding="utf-8"), out


def figure_pdfs(latex) -> list[Path]:
    tex, folder = latex
    names = re.findall(r"\\adjustimage\{max size=\{[^}]*\}\{[^}]*\}\}\{([^}]*)\}", tex)
    return [folder / name for name in names]


def test_latex_export_uses_each_plots_pdf(converted, latex):
    executed, _ = converted
    files = figure_pdfs(latex)
    # One figure per plot, each the PDF the kernel sent (not a conversion of the SVG).
    assert [f.suffix for f in files] == [".pdf"] * len(BUDGETS)
    for f, key in zip(files, BUDGETS):
        assert f.read_bytes() == base64.b64decode(plot_output(executed, key).data[PDF]), key
        reader = PdfReader(f, strict=True)
        assert len(reader.pages) == 1, key


def marked_content(pdf: Path, tag: str) -> list[str]:
    stream = PdfReader(pdf, strict=True).pages[0].get_contents().get_data().decode("latin-1")
    return re.findall(rf"/{tag} BMC (.*?) EMC", stream, flags=re.S)


def test_the_pdf_bars_are_the_histogram_counts(latex):
    mass, heatmap, overlay, explorer = figure_pdfs(latex)
    m = zmumu()["M"].to_numpy()
    counts, _ = np.histogram(m, bins=100, range=(60, 120))
    (bars,) = marked_content(mass, "bars")
    rects = [tuple(map(float, r)) for r in re.findall(r"(\S+) (\S+) (\S+) (\S+) re", bars)]
    filled = counts[counts > 0]
    assert len(rects) == len(filled)
    heights = np.array([h for _, _, _, h in rects])
    # Bars stand on one baseline, in bin order, and their heights are proportional to the counts.
    assert len({round(y + h, 1) for _, y, _, h in rects}) == 1
    assert all(a[0] < b[0] for a, b in zip(rects, rects[1:]))
    scale = heights.max() / filled.max()
    assert np.allclose(heights, filled * scale, atol=0.25)

    # The heatmap's cells are the image's pixels: empty cells are the transparent palette entry.
    df = zmumu()
    cells, _, _ = np.histogram2d(df["eta1"], df["eta2"], bins=24, range=[[-2.4, 2.4], [-2.4, 2.4]])
    page = PdfReader(heatmap, strict=True).pages[0]
    images = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
    heat = next(i for i in images if i["/Width"] == 24 and i["/Height"] == 24)
    pixels = np.frombuffer(heat.get_data(), dtype=np.uint8).reshape(24, 24)
    # Image rows run top-down (highest eta2 first), columns along eta1; a cell's palette index is
    # its count on the colour scale from the smallest count (index 0) to the largest (254).
    levels = np.floor((cells - cells.min()) / (cells.max() - cells.min()) * 254 + 0.5)
    assert np.array_equal(pixels[::-1].T, levels)
    assert "Entries" in PdfReader(mass).pages[0].extract_text()
    # Greek in titles is drawn (Symbol font), the subscripts as plain digits.
    assert "η1 vs η2" in PdfReader(heatmap).pages[0].extract_text()
    text = PdfReader(explorer).pages[0].extract_text()
    for column in ("M", "pt1", "eta1"):
        assert column in text.split()
