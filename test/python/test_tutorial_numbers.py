"""The tutorials' key numbers, checked against values computed here from the data files.

Each tutorial (notebooks/03-07) runs once in its real kernel through the notebook runner (tslab;
ipykernel for 07); the numbers it prints are compared with what numpy, pandas, PyYAML, uproot and
awkward make of the same CSV, YAML, ROOT and catalog files, so a change in the helpers (or the data) that moves a tutorial's result fails here.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "test" / "notebooks" / "run_notebooks.py"
NOTEBOOKS = ["03-find-read-cite", "04-higgs-four-leptons", "05-hepdata-compare"]
DATA = ROOT / "data"
CHANNELS = {"4mu_2012.csv": "4μ (2012)", "4e_2012.csv": "4e (2012)", "2e2mu_2011.csv": "2e2μ (2011)"}


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, str]:
    """Each tutorial's stdout, from one run of the notebook runner."""
    out = tmp_path_factory.mktemp("tutorials")
    paths = [ROOT / "notebooks" / f"{name}.ipynb" for name in NOTEBOOKS]
    result = subprocess.run([sys.executable, str(RUNNER), "--out", str(out), *map(str, paths)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    texts = {}
    for name in NOTEBOOKS:
        nb = nbformat.read(out / f"{name}.ipynb", as_version=4)
        texts[name] = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
                              if o.get("output_type") == "stream" and o.get("name") == "stdout")
    return texts


def number(pattern: str, text: str) -> str:
    m = re.search(pattern, text)
    assert m, f"no line matching {pattern!r} in:\n{text}"
    return m.group(1)


def catalog_columns() -> dict:
    with gzip.open(DATA / "catalog" / "index.json.gz") as f:
        return json.load(f)["columns"]


def full_record(recid: int) -> dict:
    with gzip.open(DATA / "catalog" / "records" / f"{recid % 64}.json.gz") as f:
        return json.load(f)[str(recid)]


def four_lepton_mass(d: pd.DataFrame) -> np.ndarray:
    total = {k: sum(d[f"{k}{i}"] for i in range(1, 5)) for k in ("E", "px", "py", "pz")}
    return np.sqrt(total["E"] ** 2 - total["px"] ** 2 - total["py"] ** 2 - total["pz"] ** 2).to_numpy()


def read_events(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / "events" / name)


# --- 03: find, read and cite -------------------------------------------------------------------

def test_find_counts_the_facet_query_as_the_snapshot_holds_it(printed):
    text = printed["03-find-read-cite"]
    c = catalog_columns()
    selected = [i for i in range(len(c["recid"]))
                if "CMS" in c["experiment"][i] and "Dataset::Derived" in c["type"][i] and 2011 in c["year"][i]
                and c["availability"][i] != "ondemand"]
    assert int(number(r"CMS derived datasets from 2011: (\d+) records", text)) == len(selected)
    # "higgs" as the start of a word in any searched field (the last word matches as a prefix).
    word = re.compile(r"(?<![a-z0-9])higgs", re.I)
    fields = ("title", "title_additional", "abstract", "files", "doi")
    higgs = {c["recid"][i] for i in selected
             if any(word.search(c[f][i] or "") for f in fields) or any(word.search(k) for k in c["keywords"][i])}
    assert int(number(r'"higgs" among them: (\d+) records', text)) == len(higgs)
    shown = set(re.findall(r"^\s+(\d+)  ", text.split('"higgs" among them')[1].split("record 5200:")[0], re.M))
    assert shown == higgs
    # The type facet's counts: CMS records with data from 2011, per primary type (its own filter left out).
    cms2011 = [i for i in range(len(c["recid"]))
               if "CMS" in c["experiment"][i] and 2011 in c["year"][i] and c["availability"][i] != "ondemand"]
    simulated = sum(1 for i in cms2011 if "Dataset::Simulated" in c["type"][i])
    assert int(number(r"Dataset::Simulated\s+(\d+)", text)) == simulated


def test_read_list_and_check_the_record_and_its_bundled_file(printed):
    text = printed["03-find-read-cite"]
    record = full_record(5200)
    assert f"DOI:       {record['doi']}" in text
    assert f"licence:   {record['license']['attribution']}" in text
    assert int(number(r"record 5200: (\d+) files", text)) == len(record["files"])
    csvs = [f for f in record["files"] if f["uri"].endswith(".csv")]
    assert int(number(r"CSV files: (\d+)", text)) == len(csvs)
    declared = next(f for f in csvs if f["uri"].endswith("/4mu_2012.csv"))
    bundled = DATA / "events" / "4mu_2012.csv"
    raw = bundled.read_bytes()
    assert number(r"record declares (\d+) bytes", text) == str(declared["size"])
    assert number(r"the copy has (\d+) bytes", text) == str(len(raw))
    assert number(r"bytes in (\d+) lines", text) == str(raw.count(b"\n"))
    # The bundled copy is the portal's file with CR LF line endings: one byte more per line.
    assert len(raw) - raw.count(b"\r\n") == declared["size"]
    assert "verified:" not in text
    assert int(number(r"(\d+) events, \d+ columns", text)) == len(read_events("4mu_2012.csv"))


def test_citations_come_from_the_record(printed):
    record = full_record(5200)
    for name in NOTEBOOKS:
        text = printed[name]
        assert f"doi = {{{record['doi']}}}" in text, name
        assert f"DOI:{record['doi']}" in text, name
        assert "note = {CERN Open Data Portal record 5200}" in text, name


# --- 04: the Higgs boson in four leptons -------------------------------------------------------

def test_four_lepton_numbers(printed):
    text = printed["04-higgs-four-leptons"]
    masses = {}
    for file, label in CHANNELS.items():
        d = read_events(file)
        assert int(number(rf"{re.escape(label)}\s+(\d+) events", text)) == len(d)
        masses[label] = four_lepton_mass(d)
    every = np.concatenate(list(masses.values()))
    assert int(number(r"all channels: (\d+) events", text)) == len(every)
    largest = max(float(np.abs(four_lepton_mass(read_events(f)) - read_events(f)["M"]).max()) for f in CHANNELS)
    assert number(r"largest difference from the stored M: ([\d.]+) GeV", text) == f"{largest:.4f}"

    counts, edges = np.histogram(every, bins=37, range=(70, 181))
    assert int(number(r"in 70–181 GeV: (\d+) events", text)) == counts.sum()
    assert int(number(r"\((\d+) above 181 GeV\)", text)) == (every >= 181).sum()
    top = int(np.argmax(counts))
    assert number(r"fullest bin: (\S+) GeV", text) == f"{edges[top]:g}–{edges[top + 1]:g}"
    assert int(number(r"fullest bin: \S+ GeV with (\d+) events", text)) == counts[top]

    def window(m: np.ndarray, lo: float, hi: float) -> int:
        return int(((m >= lo) & (m < hi)).sum())

    assert int(number(r"candidates in 120–130 GeV: (\d+)", text)) == window(every, 120, 130)
    for label, m in masses.items():
        assert int(number(rf"\n  {re.escape(label)}\s+(\d+)", text)) == window(m, 120, 130)
    for lo in range(100, 160, 10):
        assert int(number(rf"{lo}–{lo + 10} GeV: #* (\d+)", text)) == window(every, lo, lo + 10)


# --- 05: compare with HEPData ------------------------------------------------------------------

def test_hepdata_comparison_numbers(printed):
    text = printed["05-hepdata-compare"]
    data = yaml.safe_load((DATA / "hepdata" / "atlas-zz-7tev" / "data7.yaml").read_text())
    bins = data["independent_variables"][0]["values"]
    edges = np.array([bins[0]["low"]] + [b["high"] for b in bins], float)
    points = data["dependent_variables"][0]["values"]
    table = np.array([p["value"] for p in points], float)
    table_err = np.array([math.sqrt(sum(e["symerror"] ** 2 for e in p["errors"])) for p in points])

    selected = []
    for file in CHANNELS:
        d = read_events(file)
        on_shell = d[(d.mZ1 > 66) & (d.mZ1 < 116) & (d.mZ2 > 66) & (d.mZ2 < 116)]
        assert int(number(rf"{re.escape(file)}\s+\d+ candidates, (\d+) with two Z bosons", text)) == len(on_shell)
        selected.append(on_shell.M.to_numpy())
    counts, _ = np.histogram(np.concatenate(selected), bins=edges)
    assert number(r"per bin: ([\d, ]+)\n", text) == ", ".join(str(n) for n in counts)

    # Shape comparison: density, scaled to the table's integral; errors in quadrature with √N.
    widths = np.diff(edges)
    factor = (table * widths).sum() / counts.sum()
    hist = factor * counts / widths
    hist_err = factor * np.sqrt(counts) / widths
    pulls = (hist - table) / np.sqrt(table_err ** 2 + hist_err ** 2)
    chi2 = float((pulls ** 2).sum())
    ndf = len(counts) - 1
    assert ndf == 3
    p_value = math.erfc(math.sqrt(chi2 / 2)) + math.sqrt(2 * chi2 / math.pi) * math.exp(-chi2 / 2)  # χ² tail, 3 dof
    assert number(r"chi2/ndf = ([\d.]+)/", text) == f"{chi2:.2f}"
    assert int(number(r"chi2/ndf = [\d.]+/(\d+)", text)) == ndf
    assert number(r"p-value ([\d.]+)", text) == f"{p_value:.3f}"
    assert number(r"pulls: (.+)\n", text) == ", ".join(f"{p:.2f}" for p in pulls)

    assert number(r'read back "[^"]+": (.+)\n', text) == ", ".join(str(n) for n in counts)


def test_the_tutorials_hepdata_submission_validates(printed):
    from hepdata_validator.full_submission_validator import FullSubmissionValidator

    text = printed["05-hepdata-compare"]
    written = Path(number(r"wrote (\S+): submission\.yaml", text))
    validator = FullSubmissionValidator()
    assert validator.validate(directory=str(written)), validator.get_messages()
    tables = list(yaml.safe_load_all((written / "submission.yaml").read_text()))[1:]
    data = yaml.safe_load((written / tables[0]["data_file"]).read_text())
    table = yaml.safe_load((DATA / "hepdata" / "atlas-zz-7tev" / "data7.yaml").read_text())
    assert data["independent_variables"][0]["values"] == table["independent_variables"][0]["values"]
    masses = []
    for file in CHANNELS:
        d = read_events(file)
        masses.append(d[(d.mZ1 > 66) & (d.mZ1 < 116) & (d.mZ2 > 66) & (d.mZ2 < 116)].M.to_numpy())
    bins = table["independent_variables"][0]["values"]
    counts, _ = np.histogram(np.concatenate(masses), bins=[bins[0]["low"]] + [b["high"] for b in bins])
    assert [v["value"] for v in data["dependent_variables"][0]["values"]] == counts.tolist()


# --- 06: jagged events; 07: hand on to Python ----------------------------------------------------

# 02 runs first: it writes the Arrow file that 07 reads (07 falls back to the CSV without it).
MORE = ["06-jagged-events", "02-root-selections", "07-hand-on-to-python"]


@pytest.fixture(scope="module")
def printed_more(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("tutorials-more")
    paths = [ROOT / "notebooks" / f"{name}.ipynb" for name in MORE]
    result = subprocess.run([sys.executable, str(RUNNER), "--out", str(out), *map(str, paths)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return {name: "".join(o.get("text", "") for c in nbformat.read(out / f"{name}.ipynb", as_version=4).cells
                          for o in c.get("outputs", [])
                          if o.get("output_type") == "stream" and o.get("name") == "stdout")
            for name in MORE}


def by_count(counts: np.ndarray) -> str:
    return ", ".join(f"{c}: {n}" for c, n in enumerate(np.bincount(counts)))


def pt_eta_phi_m_pair_mass(pt, eta, phi, mass) -> np.ndarray:
    """Mass of objects 0 and 1 of each row (numpy arrays of shape (events, 2))."""
    px, py, pz = pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)
    e = np.sqrt(px ** 2 + py ** 2 + pz ** 2 + mass ** 2)
    s = [a.sum(axis=1) for a in (e, px, py, pz)]
    return np.sqrt(np.maximum(s[0] ** 2 - s[1] ** 2 - s[2] ** 2 - s[3] ** 2, 0))


def test_jagged_events_numbers(printed_more):
    import awkward as ak
    import uproot

    text = printed_more["06-jagged-events"]
    tree = uproot.open(DATA / "events" / "nano_dimuon.root")["Events"]
    a = tree.arrays(["nMuon", "Muon_pt", "Muon_eta", "Muon_phi", "Muon_mass", "Muon_charge",
                     "nJet", "Jet_pt", "Jet_eta", "Jet_phi", "Jet_mass"])
    assert int(number(r"Events: (\d+) events", text)) == tree.num_entries
    n_muon = ak.to_numpy(a.nMuon)
    assert int(number(r"muons: (\d+) in", text)) == n_muon.sum()
    assert number(r"events by number of muons: (.+)\n", text) == by_count(n_muon)
    assert number(r"muons with pT > 20 GeV, events by count: (.+)\n", text) == by_count(
        ak.to_numpy(ak.sum(a.Muon_pt > 20, axis=1)))
    good = (a.Muon_pt > 20) & (abs(a.Muon_eta) < 2.4)
    assert int(number(r"\|η\| < 2\.4: (\d+);", text)) == ak.sum(good)
    assert number(r"\|η\| < 2\.4: \d+; events by count: (.+)\n", text) == by_count(ak.to_numpy(ak.sum(good, axis=1)))

    leading = ak.to_numpy(ak.fill_none(ak.firsts(a.Muon_pt), np.nan)).astype(float)
    assert number(r"leading muon pT, first five events: (.+) GeV", text) == ", ".join(f"{v:.2f}" for v in leading[:5])
    assert int(number(r"events with a muon: (\d+)", text)) == (n_muon > 0).sum()
    assert number(r"mean leading pT ([\d.]+) GeV", text) == f"{np.nanmean(leading):.2f}"

    sel = (ak.num(a.Muon_pt) == 2) & (ak.sum(a.Muon_charge, axis=1) == 0)
    mu = a[sel]
    cols = [ak.to_numpy(mu[f"Muon_{k}"]).astype(float) for k in ("pt", "eta", "phi", "mass")]
    masses = pt_eta_phi_m_pair_mass(*cols)
    assert int(number(r"exactly two opposite-charge muons: (\d+)", text)) == len(masses) == ak.sum(sel)
    assert number(r"their masses: (.+) GeV", text) == ", ".join(f"{m:.1f}" for m in np.sort(masses))
    assert int(number(r"Z window 70–110 GeV: (\d+)", text)) == ((masses >= 70) & (masses < 110)).sum()
    counts, _ = np.histogram(masses, bins=12, range=(0, 120))
    assert number(r"from 0 to 120 GeV: (.+)\n", text) == ", ".join(str(n) for n in counts)

    # Every pair of each event, as ak.combinations makes them.
    pairs = ak.combinations(ak.zip({k: a[f"Muon_{k}"] for k in ("pt", "eta", "phi", "mass")}), 2)
    flat = ak.flatten(pairs)
    both = [np.stack([ak.to_numpy(flat["0"][k]), ak.to_numpy(flat["1"][k])], axis=1).astype(float)
            for k in ("pt", "eta", "phi", "mass")]
    every = pt_eta_phi_m_pair_mass(*both)
    assert int(number(r"muon pairs in all events: (\d+)", text)) == len(every)
    in_z = int(((every >= 70) & (every < 110)).sum())
    assert int(number(r"muon pairs in all events: \d+; in 70–110 GeV: (\d+)", text)) == in_z

    n_jet = ak.to_numpy(a.nJet)
    assert int(number(r"jets: (\d+); most in one event: (?:\d+)", text)) == n_jet.sum()
    assert int(number(r"most in one event: (\d+)", text)) == n_jet.max()
    good_jets = ak.to_numpy(ak.sum((a.Jet_pt > 30) & (abs(a.Jet_eta) < 2.4), axis=1))
    assert number(r"jets with pT > 30 GeV and \|η\| < 2\.4, events by count: (.+)\n", text) == by_count(good_jets)
    lead_jet = ak.to_numpy(ak.fill_none(ak.firsts(a.Jet_pt), np.nan)).astype(float)
    assert int(number(r"events with a jet: (\d+)", text)) == (n_jet > 0).sum()
    assert number(r"mean leading jet pT ([\d.]+) GeV", text) == f"{np.nanmean(lead_jet):.2f}"
    two = a[n_jet >= 2]
    jets = [ak.to_numpy(two[f"Jet_{k}"][:, :2]).astype(float) for k in ("pt", "eta", "phi", "mass")]
    dijet = np.sort(pt_eta_phi_m_pair_mass(*jets))
    assert int(number(r"events with at least two jets: (\d+)", text)) == len(dijet)
    assert number(r"median dijet mass ([\d.]+) GeV", text) == f"{dijet[len(dijet) // 2]:.1f}"

    record = full_record(30527)
    assert f"doi = {{{record['doi']}}}" in text
    assert f"DOI:{record['doi']}" in text


def test_hand_on_to_python_numbers(printed_more):
    text = printed_more["07-hand-on-to-python"]
    # The Arrow file of 02 is read (the test ran 02 first); its values are the CSV twin's.
    assert "read from the Arrow file of 02-root-selections: 2304 rows, 15 columns" in text
    d = read_events("Zmumu.csv")
    assert number(r"read from the Arrow file of 02-root-selections: (\d+) rows", text) == str(len(d))
    m = d.M.to_numpy()
    inside = m[(m >= 60) & (m < 120)]
    assert int(number(r"(\d+) entries:", text)) == len(inside)
    assert int(number(r"(\d+) below 60 GeV", text)) == (m < 60).sum()
    assert int(number(r"(\d+) from 120 GeV up", text)) == (m >= 120).sum()
    counts = np.bincount(np.floor(inside - 60).astype(int), minlength=60)
    top = int(np.argmax(counts))
    assert number(r"fullest bin: (\S+) GeV", text) == f"{60 + top}–{61 + top}"
    assert int(number(r"fullest bin: \S+ GeV with (\d+) pairs", text)) == counts[top]
    assert number(r"mean mass in 60–120 GeV: ([\d.]+) GeV", text) == f"{inside.mean():.2f}"
    for lo in range(80, 100):
        assert int(number(rf"\n\s*{lo} GeV\s+(\d+) ", text)) == counts[lo - 60]
    opposite = d[d.Q1 * d.Q2 < 0]
    assert int(number(r"opposite charges: (\d+) pairs", text)) == len(opposite)
    assert int(number(r"with both pT > 20 GeV: (\d+) pairs", text)) == ((opposite.pt1 > 20) & (opposite.pt2 > 20)).sum()
    assert int(number(r"same charge: (\d+) pairs", text)) == (d.Q1 * d.Q2 > 0).sum()
    record = full_record(307)
    assert f"DOI:{record['doi']}" in text
    assert f"CMS Collaboration ({record['date_published'][:4]}). {record['title']}." in text


def test_hand_on_to_python_reads_the_bundled_csv_without_the_arrow_file(printed_more, tmp_path):
    # A fresh temporary directory: no zmumu-pairs.arrow there, so 07 reads Zmumu.csv.
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    name = "07-hand-on-to-python"
    result = subprocess.run([sys.executable, str(RUNNER), "--out", str(tmp_path / "out"),
                             str(ROOT / "notebooks" / f"{name}.ipynb")],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    text = "".join(o.get("text", "") for c in nbformat.read(tmp_path / "out" / f"{name}.ipynb", as_version=4).cells
                   for o in c.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stdout")
    assert "read from the bundled CSV file (run 02-root-selections for the Arrow file): 2304 rows" in text
    # The same numbers from the CSV twin as from the Arrow file (after the header and column lines).
    assert text.split("\n")[2:] == printed_more[name].split("\n")[2:]
