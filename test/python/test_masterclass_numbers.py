"""Tutorial 08 (the masterclass): its printed numbers and its explorer output, checked against
numpy and pandas on the same CSV file.

The notebook runs once in tslab through the notebook runner; the pair masses are computed here
from pt, eta, phi and the muon mass, and every count, mean and standard deviation it prints (and
the explorer's text summary) must match.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "test" / "notebooks" / "run_notebooks.py"
NAME = "08-masterclass"
EXPLORER_MIME = "application/vnd.opendata-lab.explorer+json"


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> nbformat.NotebookNode:
    out = tmp_path_factory.mktemp("masterclass")
    result = subprocess.run([sys.executable, str(RUNNER), "--out", str(out),
                             str(ROOT / "notebooks" / f"{NAME}.ipynb")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return nbformat.read(out / f"{NAME}.ipynb", as_version=4)


@pytest.fixture(scope="module")
def pairs() -> pd.DataFrame:
    d = pd.read_csv(ROOT / "data" / "events" / "Zmumu_Run2011A.csv")
    m = 0.10566
    px = [d[f"pt{i}"] * np.cos(d[f"phi{i}"]) for i in (1, 2)]
    py = [d[f"pt{i}"] * np.sin(d[f"phi{i}"]) for i in (1, 2)]
    pz = [d[f"pt{i}"] * np.sinh(d[f"eta{i}"]) for i in (1, 2)]
    e = [np.sqrt(px[i] ** 2 + py[i] ** 2 + pz[i] ** 2 + m ** 2) for i in (0, 1)]
    d["M"] = np.sqrt((e[0] + e[1]) ** 2 - (px[0] + px[1]) ** 2 - (py[0] + py[1]) ** 2 - (pz[0] + pz[1]) ** 2)
    d["charge"] = d["Q1"] * d["Q2"]
    return d


def stdout(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def number(pattern: str, text: str) -> str:
    m = re.search(pattern, text)
    assert m, f"no line matching {pattern!r} in:\n{text}"
    return m.group(1)


def test_the_counts_and_the_mass_after_the_cuts(run, pairs):
    text = stdout(run)
    d = pairs
    assert int(number(r"(\d+) pairs; opposite", text)) == len(d)
    assert int(number(r"opposite charges: (\d+)", text)) == int((d.charge < 0).sum())
    others = (d.pt1 >= 20) & (d.pt2 >= 20) & (d.iso1 < 3) & (d.iso2 < 3)
    window = (d.M >= 81) & (d.M < 101)
    selected = others & window & (d.charge < 0)
    assert int(number(r"(\d+) events selected", text)) == int(selected.sum())
    kept = d.M[selected]
    assert number(r"kept: \d+ of \d+ pairs \(([\d.]+)%\)", text) == f"{100 * len(kept) / len(d):.1f}"
    assert number(r"mean ([\d.]+) GeV", text) == f"{kept.mean():.2f}"
    assert number(r"standard deviation ([\d.]+) GeV", text) == f"{kept.std(ddof=0):.2f}"
    assert int(number(r"same-charge pairs passing the same cuts: (\d+)", text)) == int(
        (others & window & (d.charge > 0)).sum())
    assert int(number(r"but the mass window: (\d+) opposite", text)) == int((others & (d.charge < 0)).sum())
    assert int(number(r"opposite-charge, (\d+) same-charge", text)) == int((others & (d.charge > 0)).sum())
    assert "DOI:10.7483/OPENDATA.CMS.RZ34.QR6N" in text


def test_the_explorer_output_carries_a_picture_and_the_summary(run, pairs):
    outputs = [o for c in run.cells for o in c.get("outputs", []) if EXPLORER_MIME in o.get("data", {})]
    assert len(outputs) == 1
    data = outputs[0]["data"]
    assert data["image/svg+xml"].startswith("<svg")
    assert len(json.dumps(data)) <= 2_000_000
    payload = data[EXPLORER_MIME]
    assert payload["events"] == payload["shown"] == len(pairs)
    assert payload["table"] == "pairs"
    rows = {line.split()[0]: line.split() for line in data["text/plain"].splitlines()[2:8]}
    ranges = {"M": (60, 120), "pt1": (0, 100), "pt2": (0, 100), "iso1": (0, 10), "iso2": (0, 10), "charge": (-2, 2)}
    for name, (lo, hi) in ranges.items():
        v = pairs[name].to_numpy()
        inside = v[(v >= lo) & (v < hi)]
        row = rows[name]
        assert int(row[1]) == len(v)
        assert float(row[2]) == pytest.approx(float(f"{inside.mean():.5g}"), rel=1e-9)
        assert float(row[3]) == pytest.approx(float(f"{inside.std():.5g}"), rel=1e-9)
        assert int(row[4]) == int((v < lo).sum())
        assert int(row[5]) == int((v >= hi).sum())


def test_nbconvert_html_shows_a_picture_for_the_explorer_and_the_plot(run):
    """Without the extension (nbconvert --to html), each plot is its SVG picture, not an empty cell."""
    import base64

    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(run)
    pictures = re.findall(r'<img[^>]*src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', body)
    shown = [base64.b64decode(p).decode() for p in pictures]
    plots = [o for c in run.cells for o in c.get("outputs", [])
             if {EXPLORER_MIME, "application/vnd.plotly.v1+json"} & set(o.get("data", {}))]
    assert len(plots) == 2
    for o in plots:
        svg = o["data"]["image/svg+xml"]
        assert (svg if isinstance(svg, str) else "".join(svg)) in shown
    assert EXPLORER_MIME not in body
