"""The release artefacts (`npm run release`), checked from the built files, not from the repository.

One run of scripts/release.mjs builds the wheel, the sdist and the helpers' npm tarball into a
temporary folder. The wheel must carry the production labextension (no source maps), install.json,
the settings schema, the server config and the data; the tarball README, LICENSE, the data and the
trimmed jsroot. The tarball is then installed into a fresh folder from the npm registry (about 3 s
with npm's cache, 10 packages, no install scripts) where `npx opendata search` and a Node script
reading `dataPath("events", ...)` must work, and where, with the package's own data removed, the
helpers must find the wheel's data folder (<prefix>/share/opendata-lab/data). Sizes are written to
build/test-results/release-sizes.json. There too, tslab installed from npm (registered with
`tslab install --binary`, as the README says) runs a notebook reading the shipped data. Last, the wheel
is pip-installed into fresh venvs with JupyterLab 4.0.0 and with the newest 4.x, started in an
unrelated folder with no Node on its PATH: the panel must list the snapshot's records in Chromium, the
wheel's TypeScript kernel (Deno from the `deno` wheel, the helpers bundled) must show a histogram, and a
notebook of that kernel in a subfolder gets a loader from the panel's command, runs it and shows a plot
(about 2.5 min in all with pip's and npm's caches).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SHARE = "opendata_lab-{v}.data/data/share"


def run(args, cwd, timeout=600, env=None, check=True):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    if check:
        assert result.returncode == 0, f"{' '.join(map(str, args))} in {cwd}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    run(["node", str(ROOT / "scripts" / "release.mjs"), "--outdir", str(out)], ROOT, timeout=900)
    files = sorted(out.iterdir())
    found = {
        "wheel": [f for f in files if f.suffix == ".whl"],
        "sdist": [f for f in files if f.name.endswith(".tar.gz")],
        "npm": [f for f in files if f.suffix == ".tgz"],
    }
    assert all(len(v) == 1 for v in found.values()), files
    paths = {k: v[0] for k, v in found.items()}
    sizes = {k: p.stat().st_size for k, p in paths.items()}
    results = ROOT / "build" / "test-results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "release-sizes.json").write_text(json.dumps({p.name: sizes[k] for k, p in paths.items()}, indent=2))
    print("release sizes: " + ", ".join(f"{p.name} {sizes[k] / 1e6:.2f} MB" for k, p in paths.items()))
    return paths


def version() -> str:
    return json.loads((ROOT / "package.json").read_text())["version"]


def test_wheel_holds_the_production_extension_install_json_and_data(artefacts):
    with zipfile.ZipFile(artefacts["wheel"]) as wheel:
        names = set(wheel.namelist())
        share = SHARE.format(v=version())
        ext = f"{share}/jupyter/labextensions/opendata-lab"
        assert not [n for n in names if n.endswith(".map")], "source maps in the wheel"
        assert [n for n in names if n.startswith(f"{ext}/static/remoteEntry.") and n.endswith(".js")]
        assert f"{ext}/production.txt" in names
        assert f"{ext}/package.json" in names
        assert f"{ext}/schemas/opendata-lab/browser.json" in names
        install = json.loads(wheel.read(f"{ext}/install.json"))
        assert install["packageManager"] == "python" and install["packageName"] == "opendata_lab"
        config = f"opendata_lab-{version()}.data/data/etc/jupyter/jupyter_server_config.d/opendata_lab.json"
        assert json.loads(wheel.read(config))["ServerApp"]["jpserver_extensions"]["opendata_lab"] is True
        # The data, byte for byte the repository's.
        tracked = subprocess.run(["git", "ls-files", "data"], cwd=ROOT, capture_output=True, text=True).stdout
        assert len(tracked.split()) > 80
        for path in (ROOT / f for f in tracked.split()):
            if path.is_file():
                rel = path.relative_to(DATA).as_posix()
                assert wheel.read(f"{share}/opendata-lab/data/{rel}") == path.read_bytes(), rel
        metadata = wheel.read(f"opendata_lab-{version()}.dist-info/METADATA").decode()
        assert "Requires-Dist: jupyterlab<5,>=4.0.0" in metadata
        # The production bundle is minified: no line of the remote entry is longer in a dev build.
        entry = next(n for n in names if "/static/remoteEntry." in n)
        assert b"sourceMappingURL" not in wheel.read(entry)


def test_wheel_holds_the_deno_kernel_and_the_helpers_bundled_for_it(artefacts):
    """The TypeScript kernel needs no Node: a kernelspec running the launcher, the `deno` wheel as a
    dependency, and the helpers as one bundle with their worker and wasm kernels next to it."""
    share = SHARE.format(v=version())
    helpers = f"{share}/opendata-lab/kernel-helpers"
    with zipfile.ZipFile(artefacts["wheel"]) as wheel:
        names = set(wheel.namelist())
        spec = json.loads(wheel.read(f"{share}/jupyter/kernels/opendata-lab-deno/kernel.json"))
        metadata = wheel.read(f"opendata_lab-{version()}.dist-info/METADATA").decode()
        bundle = wheel.read(f"{helpers}/bundle/index.cjs")
    # `python`: Jupyter starts the kernel with its own interpreter, whatever the environment.
    assert spec["argv"] == ["python", "-m", "opendata_lab.kernel", "--conn", "{connection_file}"]
    assert spec["language"] == "typescript"
    assert "opendata_lab/kernel.py" in names
    assert re.search(r"^Requires-Dist: deno<3,>=2\.9$", metadata, re.M), metadata
    built = sorted(p.name for p in (ROOT / "kernel-helpers" / "dist" / "wasm").glob("*.wasm"))
    assert built and all(f"{helpers}/wasm/{name}" in names for name in built)
    assert f"{helpers}/node/csv-worker.js" in names and f"{helpers}/LICENSE" in names
    # One file, tree-shaken and minified (the helpers' dist/ with its node_modules is ~190 MB).
    assert len(bundle) < 2_000_000
    assert b"require(\"apache-arrow\")" not in bundle and b"require(\"jsroot" not in bundle
    print(f"helpers bundled for Deno: {len(bundle) / 1e6:.2f} MB")


# What JupyterLab 4.0.0 shipped (the @jupyterlab/*@4.0.0 packages on npm and their dependencies).
LAB_4_0 = {"application": "4.0.0", "apputils": "4.0.0", "coreutils": "6.0.0", "debugger": "4.0.0",
           "notebook": "4.0.0", "rendermime": "4.0.0", "rendermime-interfaces": "3.8.0", "services": "7.0.0",
           "settingregistry": "4.0.0", "translation": "4.0.0", "ui-components": "4.0.0"}


def test_wheel_extension_is_compatible_with_jupyterlab_4_0_to_4_x(artefacts):
    """JupyterLab's own check (`jupyter labextension list`) against 4.0.0, this 4.x and a later 4.x."""
    from jupyterlab.commands import _validate_compatibility

    with zipfile.ZipFile(artefacts["wheel"]) as wheel:
        ext = f"{SHARE.format(v=version())}/jupyter/labextensions/opendata-lab/package.json"
        deps = json.loads(wheel.read(ext))["dependencies"]
    import jupyterlab

    core = json.loads((Path(jupyterlab.__file__).parent / "staging" / "package.json").read_text())
    lab = {k: v for k, v in deps.items() if k.startswith("@jupyterlab/")}
    assert set(lab) <= {f"@jupyterlab/{n}" for n in LAB_4_0}
    cores = {
        "4.0.0": {f"@jupyterlab/{n}": f"~{v}" for n, v in LAB_4_0.items()},
        "installed": core["resolutions"],
        # A later patch and minor of every package (4.6.6 is what made the pinned build fail).
        "later": {k: "~" + ".".join([v.lstrip("~^").split(".")[0], "99", "0"]) for k, v in core["resolutions"].items()},
    }
    for name, resolutions in cores.items():
        data = {"resolutions": {**core["resolutions"], **resolutions}, "jupyterlab": core["jupyterlab"]}
        assert _validate_compatibility("opendata-lab", deps, data) == [], name
    major_5 = {k: "~" + str(int(v.lstrip("~^").split(".")[0]) + 1) + ".0.0" for k, v in core["resolutions"].items()
               if k in lab}
    assert _validate_compatibility("opendata-lab", deps, {**core, "resolutions": {**core["resolutions"], **major_5}})


def test_sdist_builds_the_same_wheel_offline(artefacts):
    # The sdist carries the production labextension, so a wheel built from it skips the npm build.
    with tarfile.open(artefacts["sdist"]) as sdist:
        names = sdist.getnames()
    top = names[0].split("/")[0]
    assert f"{top}/opendata_lab/labextension/production.txt" in names
    assert not [n for n in names if n.endswith(".map")]
    assert f"{top}/install.json" in names and f"{top}/pyproject.toml" in names
    # The Deno kernel's bundle and kernelspec too (staged-copy outputs, not in the repository).
    assert f"{top}/deno-kernel/helpers/bundle/index.cjs" in names
    assert f"{top}/deno-kernel/kernelspec/kernel.json" in names


def test_sdist_sources_install_with_the_lockfile(artefacts, tmp_path):
    """Rebuilding from the sdist's sources: npm accepts its package.json with its lockfile."""
    with tarfile.open(artefacts["sdist"]) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        for name in ["package.json", "package-lock.json", "kernel-helpers/package.json"]:
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(sdist.extractfile(f"{top}/{name}").read())
    result = run(["npm", "install", "--dry-run", "--ignore-scripts", "--no-audit", "--no-fund"], tmp_path, check=False)
    if "ENOTFOUND" in result.stderr or "EAI_AGAIN" in result.stderr:
        pytest.skip("the npm registry cannot be reached")
    assert result.returncode == 0, result.stderr
    added = dict(re.findall(r"^add (@jupyterlab/[a-z-]+) (\S+)$", result.stdout, re.M))
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]
    assert added["@jupyterlab/application"] == pinned["@jupyterlab/application"]


def test_npm_tarball_carries_readme_license_data_and_trimmed_jsroot(artefacts):
    with tarfile.open(artefacts["npm"]) as tgz:
        names = set(tgz.getnames())
        manifest = json.load(tgz.extractfile("package/package.json"))
    for name in ["README.md", "LICENSE", "data/catalog/index.json.gz", "data/events/Zmumu.csv",
                 "data/events/Zmumu.root", "dist/index.js", "bin/opendata.js",
                 "node_modules/jsroot/modules/io.mjs", "node_modules/jsroot/LICENSE"]:
        assert f"package/{name}" in names, name
    assert manifest["bundleDependencies"] == ["jsroot"]
    assert not [n for n in names if "/canvas/" in n or n.endswith(".map")]


@pytest.fixture(scope="module")
def installed(artefacts, tmp_path_factory) -> Path:
    """A fresh folder where `npm install <tarball>` ran, as a user would."""
    folder = tmp_path_factory.mktemp("npm-user")
    (folder / "package.json").write_text('{"name": "analysis", "private": true}\n')
    result = run(["npm", "install", "--no-audit", "--no-fund", str(artefacts["npm"])], folder, check=False)
    if result.returncode != 0 and ("ENOTFOUND" in result.stderr or "EAI_AGAIN" in result.stderr) \
            and "registry" in result.stderr:
        pytest.skip(f"the npm registry cannot be reached: {result.stderr[-300:]}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (folder / "node_modules" / "canvas").exists()
    return folder


def test_installed_cli_searches_the_shipped_snapshot(installed):
    got = json.loads(run(["npx", "--no-install", "opendata", "search", "dimuon", "--json"], installed).stdout)
    # The same answer as the repository's CLI over the repository's data/.
    want = json.loads(run(["node", "kernel-helpers/bin/opendata.js", "search", "dimuon", "--json"], ROOT).stdout)
    assert got == want
    assert got["total"] > 0


SCRIPT = """
const od = require('@opendata-lab/kernel-helpers');
(async () => {
  const csv = od.dataPath('events', 'Zmumu.csv');
  const table = od.readTableFile(csv);
  const tree = await (await od.openROOT(od.dataPath('events', 'Zmumu.root'))).tree('events');
  const root = await tree.read(['M']);
  const hits = await (await od.catalog()).search('dimuon');
  console.log(JSON.stringify({ csv, rows: table.numRows, m0: table.getChild('M').get(0),
    rootRows: root.numRows, rootM0: root.getChild('M').get(0), total: hits.total }));
})().catch(e => { console.error(String(e)); process.exit(1); });
"""


def zmumu_csv():
    with open(DATA / "events" / "Zmumu.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return len(rows), float(rows[0]["M"])


def test_installed_helpers_read_the_shipped_data(installed):
    (installed / "read.js").write_text(SCRIPT)
    got = json.loads(run(["node", "read.js"], installed).stdout)
    rows, m0 = zmumu_csv()
    package = installed / "node_modules" / "@opendata-lab" / "kernel-helpers"
    assert Path(got["csv"]) == package / "data" / "events" / "Zmumu.csv"
    assert (got["rows"], got["rootRows"]) == (rows, rows)
    assert got["m0"] == pytest.approx(m0) and got["rootM0"] == pytest.approx(m0)
    assert got["total"] > 0


def test_installed_helpers_find_the_wheels_data_folder(artefacts, installed, tmp_path):
    """Without the package's own data, the wheel's <prefix>/share/opendata-lab/data is found."""
    prefix = tmp_path / "venv"
    share = SHARE.format(v=version()) + "/"
    with zipfile.ZipFile(artefacts["wheel"]) as wheel:
        for name in wheel.namelist():
            if name.startswith(share + "opendata-lab/"):
                target = prefix / "share" / name[len(share):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(wheel.read(name))
    copy = tmp_path / "user"
    shutil.copytree(installed, copy, symlinks=True)
    shutil.rmtree(copy / "node_modules" / "@opendata-lab" / "kernel-helpers" / "data")
    (copy / "read.js").write_text(SCRIPT)
    base = {k: v for k, v in os.environ.items()
            if k not in ("VIRTUAL_ENV", "CONDA_PREFIX", "JUPYTER_PATH", "JUPYTER_DATA_DIR", "OPENDATA_LAB_DATA")}
    base["HOME"] = str(tmp_path / "home")  # no ~/.local/share/opendata-lab from elsewhere
    base["PATH"] = os.pathsep.join(p for p in base["PATH"].split(os.pathsep) if not Path(p, "jupyter").exists())
    failed = run(["node", "read.js"], copy, env=base, check=False)
    assert failed.returncode != 0 and "OPENDATA_LAB_DATA" in failed.stderr
    wanted = prefix / "share" / "opendata-lab" / "data" / "events" / "Zmumu.csv"
    rows, _ = zmumu_csv()
    # An activated venv; a venv's bin/ with jupyter on PATH (not activated); Jupyter's data path.
    (prefix / "bin").mkdir()
    (prefix / "bin" / "jupyter").write_text("#!/bin/sh\n")
    (prefix / "bin" / "jupyter").chmod(0o755)
    for extra in [{"VIRTUAL_ENV": str(prefix)},
                  {"PATH": os.pathsep.join([str(prefix / "bin"), base["PATH"]])},
                  {"JUPYTER_PATH": str(prefix / "share" / "jupyter")}]:
        got = json.loads(run(["node", "read.js"], copy, env={**base, **extra}).stdout)
        assert Path(got["csv"]) == wanted, extra
        assert got["rows"] == rows


# The version the project's own kernel runs (package.json), installed as a user would, from npm.
TSLAB = "1.0.22"

TSLAB_CELL = """import * as od from "@opendata-lab/kernel-helpers";
const csv = od.dataPath("events", "Zmumu.csv");
const table = od.readCSV(csv);
console.log(JSON.stringify({ csv, rows: table.numRows, m0: table.getChild("M").get(0) }));"""


def test_installed_helpers_in_a_tslab_notebook(installed, tmp_path, monkeypatch):
    """tslab installed next to the helpers and registered as the README says (`npx tslab install
    --binary <folder>/node_modules/.bin/tslab`, so it needs no global tslab): a notebook in that
    folder imports the helpers and reads the shipped data."""
    from nbclient import NotebookClient
    import nbformat

    result = run(["npm", "install", "--no-audit", "--no-fund", f"tslab@{TSLAB}"], installed, check=False)
    if result.returncode != 0 and ("ENOTFOUND" in result.stderr or "EAI_AGAIN" in result.stderr):
        pytest.skip(f"the npm registry cannot be reached: {result.stderr[-300:]}")
    assert result.returncode == 0, result.stderr
    prefix = tmp_path / "jupyter"
    run(["npx", "--no-install", "tslab", "install", "--binary", str(installed / "node_modules" / ".bin" / "tslab"),
         "--python", sys.executable, "--prefix", str(prefix)], installed)
    # Only this kernelspec: the repository's own tslab kernel (.venv) must not answer instead.
    monkeypatch.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(TSLAB_CELL)])
    NotebookClient(notebook, kernel_name="tslab", timeout=120,
                   resources={"metadata": {"path": str(installed)}}).execute()
    outputs = notebook.cells[0].outputs
    assert [o.output_type for o in outputs] == ["stream"], outputs
    got = json.loads(outputs[0].text)
    rows, m0 = zmumu_csv()
    assert Path(got["csv"]) == installed / "node_modules" / "@opendata-lab" / "kernel-helpers" / "data" / "events" / "Zmumu.csv"
    assert got["rows"] == rows and got["m0"] == pytest.approx(m0)


PANEL = """
const { chromium } = require(process.argv[2]);

// Opens the notebook (its kernel starts), inserts the loader of record 545 (a bundled CSV) with the
// panel's command, adds a histogram of the loaded table's pt1 and runs all cells; returns the cells
// as saved, and the seconds from opening it to its kernel being ready and to the plot on the page.
async function runNotebook(page, path) {
  const t0 = Date.now();
  await page.evaluate(p => window.jupyterapp.commands.execute('docmanager:open', { path: p }), path);
  await page.waitForFunction(
    () => window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle',
    null, { timeout: 120000, polling: 20 });
  const ready = (Date.now() - t0) / 1000;
  await page.evaluate(() => window.jupyterapp.commands.execute('opendata:insert-loader', { recid: '545' }));
  await page.evaluate(() => {
    const model = window.jupyterapp.shell.currentWidget.content.model.sharedModel;
    const loader = model.cells.map(c => c.getSource()).find(s => s.includes('od.readCSV'));
    const table = /const (\\w+) = od\\.readCSV/.exec(loader ?? '')?.[1] ?? 'no_loader_inserted';
    model.insertCell(model.cells.length, { cell_type: 'code', source:
      `od.show(od.histogramFigure(new od.Hist1D(50, 0, 100).fill(od.numericColumn(${table}, "pt1")), { title: "pt1" }));` });
  });
  return { ready, ...(await runAll(page, t0)) };
}

// Runs all cells, waits for a plot or an error on the page; the cells as saved and the seconds.
async function runAll(page, t0) {
  await page.evaluate(() => window.jupyterapp.commands.execute('notebook:run-all-cells'));
  const notebook = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
  await notebook.locator('.odl-PlotlyRenderer .js-plotly-plot').first()
    .or(notebook.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').first())
    .waitFor({ timeout: 120000 });
  const plot = (Date.now() - t0) / 1000;
  const cells = await page.evaluate(() =>
    window.jupyterapp.shell.currentWidget.content.widgets.map(w => w.model.toJSON()));
  return { plot, cells };
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.argv[3], args: ['--no-sandbox'] });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(process.argv[4]);
  await page.locator('.lm-TabBar-tab[data-id="opendata-lab-browser"]').click({ timeout: 120000 });
  const panel = page.locator('#opendata-lab-browser');
  await panel.getByRole('listitem').first().waitFor({ timeout: 120000 });
  const count = await panel.locator('.odl-Browser-count').textContent();
  const notebook = process.argv[5] ? await runNotebook(page, process.argv[5]) : null;
  console.log(JSON.stringify({ count, errors, notebook }));
  await browser.close();
})().catch(e => { console.error(String(e)); process.exit(1); });
"""


@pytest.mark.parametrize("lab", ["4.0.0", "latest 4.x"])
def test_wheel_in_a_fresh_venv_shows_the_panel_in_chromium(artefacts, tmp_path, lab):
    """pip install of the wheel (and JupyterLab 4.0.0 or the newest 4.x) in a fresh venv, started in
    an unrelated folder with no Node: the panel lists the snapshot's records; the wheel's Deno kernel
    runs the helpers; a loader inserted by the panel runs and a plot renders (~45 s each)."""
    chromium = os.environ.get("CHROMIUM", "/usr/lib/chromium/chromium")
    if not Path(chromium).exists():
        pytest.skip(f"no Chromium at {chromium}")
    venv = tmp_path / "venv"
    run([shutil.which("python3") or "python3", "-m", "venv", str(venv)], tmp_path)
    spec = ["jupyterlab==4.0.0"] if lab == "4.0.0" else []
    pip = run([str(venv / "bin" / "pip"), "install", "-q", *spec, str(artefacts["wheel"])], tmp_path, check=False)
    if pip.returncode != 0 and ("NewConnectionError" in pip.stderr or "No matching distribution" in pip.stderr):
        pytest.skip(f"PyPI cannot be reached: {pip.stderr[-300:]}")
    assert pip.returncode == 0, pip.stderr
    listed = run([str(venv / "bin" / "jupyter"), "labextension", "list"], tmp_path).stderr
    assert re.search(r"opendata-lab v\S+ \S*enabled\S* \S*OK\S* \(python, opendata_lab\)", listed), listed
    folder = tmp_path / "analysis"
    folder.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "VIRTUAL_ENV", "OPENDATA_LAB"))}
    env["HOME"] = str(tmp_path / "home")
    # The user's machine: no Node on the server's (and so the kernels') PATH.
    env["PATH"] = str(venv / "bin")
    assert shutil.which("node", path=env["PATH"]) is None and shutil.which("npm", path=env["PATH"]) is None
    if lab != "4.0.0":
        check_wheel_kernel(venv, folder, env)
    work = folder / "work"
    work.mkdir()
    (work / "zmumu.ipynb").write_text(json.dumps(DENO_NOTEBOOK))
    server = subprocess.Popen([str(venv / "bin" / "jupyter"), "lab", "--no-browser", f"--port={port}",
                               "--ServerApp.token=t", "--allow-root", "--LabApp.expose_app_in_browser=True"],
                              cwd=folder, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/lab?token=t"
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        (tmp_path / "panel.js").write_text(PANEL)
        got = run(["node", str(tmp_path / "panel.js"), str(ROOT / "node_modules" / "playwright-core"), chromium, url,
                   "work/zmumu.ipynb"], tmp_path, timeout=300)
    finally:
        server.terminate()
        server.wait(timeout=30)
    shown = json.loads(got.stdout)
    records = json.loads((DATA / "catalog" / "MANIFEST.json").read_text())["records"]
    assert shown["count"] == f"{records:,} records"
    assert shown["errors"] == []
    check_deno_notebook(shown["notebook"], lab)


# Run by the venv's own Python (jupyter_client comes with JupyterLab): a fresh kernel of the wheel
# reads the shipped CSV through the helpers the launcher names and shows a histogram.
KERNEL_PROBE = r"""
import json, sys, time
from jupyter_client.manager import start_new_kernel
code = sys.stdin.read()
t0 = time.perf_counter()
km, kc = start_new_kernel(kernel_name="opendata-lab-deno", cwd=sys.argv[1], startup_timeout=120)
ready = time.perf_counter() - t0
got = []
reply = kc.execute_interactive(code, output_hook=lambda m: got.append((m["msg_type"], m["content"])), timeout=120)
plot = time.perf_counter() - t0
# Deno 2.9 may publish a cell's outputs after its idle status: read on until 1 s passes quietly
while True:
    try:
        m = kc.get_iopub_msg(timeout=1)
    except Exception:
        break
    if m["parent_header"].get("msg_id") == reply["parent_header"].get("msg_id"):
        got.append((m["msg_type"], m["content"]))
km.shutdown_kernel(now=True)
print(json.dumps({"ready": ready, "plot": plot, "status": reply["content"]["status"], "outputs": got}))
"""

KERNEL_CELL = """const od = await import(Deno.env.get("OPENDATA_LAB_HELPERS"));
const csv = od.dataPath("events", "Zmumu.csv");
const h = new od.Hist1D(60, 60, 120).fill(od.numericColumn(od.readCSV(csv), "M"));
od.show(od.histogramFigure(h));
console.log(JSON.stringify({ csv, cwd: Deno.cwd() }));"""


def check_wheel_kernel(venv, folder, env):
    """The kernelspec's launcher starts Deno from the `deno` wheel with the bundled helpers."""
    (folder / "probe.py").write_text(KERNEL_PROBE)
    result = subprocess.run([str(venv / "bin" / "python"), str(folder / "probe.py"), str(folder)], cwd=folder,
                            env=env, input=KERNEL_CELL, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["status"] == "ok", got
    figures = [c["data"]["application/vnd.plotly.v1+json"] for t, c in got["outputs"] if t == "display_data"]
    assert len(figures) == 1, got["outputs"]
    with open(DATA / "events" / "Zmumu.csv", newline="") as f:
        masses = [float(row["M"]) for row in csv.DictReader(f)]
    assert sum(figures[0]["data"][0]["y"]) == sum(1 for m in masses if 60 <= m < 120)
    text = "".join(c["text"] for t, c in got["outputs"] if t == "stream")
    # Deno's console output may come after the idle status; when it came, it names the wheel's data.
    if text:
        printed = json.loads(text)
        assert Path(printed["csv"]) == venv / "share" / "opendata-lab" / "data" / "events" / "Zmumu.csv"
        assert Path(printed["cwd"]) == folder
    print(f"Deno kernel from the wheel: ready {got['ready']:.2f} s, first plot {got['plot']:.2f} s after start")


DENO_NOTEBOOK = {
    "nbformat": 4, "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "opendata-lab-deno", "display_name": "TypeScript (Deno, opendata-lab)",
                                "language": "typescript"}},
    "cells": [{"cell_type": "code", "id": "start", "metadata": {}, "source": "", "outputs": [], "execution_count": None}],
}


def check_deno_notebook(notebook, lab):
    """The wheel's own kernel (Deno, no Node) ran the panel's loader and the helpers' plot."""
    cells = notebook["cells"]
    errors = [o for c in cells for o in c.get("outputs", []) if o["output_type"] == "error" or o.get("name") == "stderr"]
    assert errors == [], errors
    loader, plot = cells[1], cells[2]
    assert loader["metadata"]["opendata_lab"]["recid"] == "545"
    with open(DATA / "events" / "Zmumu_Run2011A.csv", newline="") as f:
        pt1 = [float(row["pt1"]) for row in csv.DictReader(f)]
    summary = "".join(o["text"] for o in loader["outputs"] if o["output_type"] == "stream")
    assert f"{len(pt1)} rows" in summary, summary
    figure = next(o["data"]["application/vnd.plotly.v1+json"] for o in plot["outputs"] if o["output_type"] == "display_data")
    assert sum(figure["data"][0]["y"]) == sum(1 for v in pt1 if 0 <= v < 100)
    print(f"Deno kernel from the wheel (JupyterLab {lab}): idle {notebook['ready']:.1f} s, "
          f"first plot {notebook['plot']:.1f} s after opening the notebook")
