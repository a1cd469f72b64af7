"""Generated loader cells run in real kernels: Python (ipykernel + uproot) and TypeScript (tslab
and Deno: one TypeScript source for both).

Both loaders for the bundled ROOT sample must report the entry count uproot reads independently,
also when the record's title carries a hostile payload (it must stay a string literal).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from queue import Empty

import nbformat
import pytest
import uproot
from jupyter_client.manager import start_new_kernel

from notebook_in_build import run_in_build
from portal_standin import PortalStandIn, make_certificates

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "notebooks"))
from run_notebooks import LATE_OUTPUT_SECONDS  # noqa: E402

PAYLOAD = "<script>alert(1)</script> <img src=x onerror=\"alert(2)\"> '\"`${process.exit(1)}` \\ \n \u2028 \"\"\""


def generate(language: str, record: dict, file: str | None, taken: set[str] | None = None,
             portal: str | None = None, kernel: str | None = None) -> dict:
    """The loader cell from the helpers' built core, exactly as the extension inserts it into a
    notebook of `kernel` (its kernelspec name: deno gets Deno's import of the helpers)."""
    script = (
        "const { loaderCode, typescriptKernelOf } = require('./kernel-helpers/dist/core');"
        "const [record, options, kernel] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "options.kernel = typescriptKernelOf(kernel);"
        "if (options.taken) options.taken = new Set(options.taken);"
        "process.stdout.write(JSON.stringify(loaderCode(record, options)));"
    )
    options = {"language": language}
    if file:
        options["file"] = file
    if taken is not None:
        options["taken"] = sorted(taken)
    if portal is not None:
        options["portal"] = portal
    out = subprocess.run(["node", "-e", script], input=json.dumps([record, options, kernel]), cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout)


def late_outputs(client, reply: dict, hook, quiet: float) -> None:
    """Feeds `hook` the cell's messages that a kernel publishes after its idle status (Deno does,
    see run_notebooks.LATE_OUTPUT_SECONDS), until the kernel has been quiet `quiet` seconds."""
    while quiet > 0:
        try:
            msg = client.get_iopub_msg(timeout=quiet)
        except Empty:
            return
        if msg["parent_header"].get("msg_id") == reply["parent_header"]["msg_id"] \
                and msg["msg_type"] != "status":
            hook(msg)


def run_cell(cell: dict, kernel: str, language: str, tmp_path: Path) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": language}
    nb.cells.append(nbformat.v4.new_code_cell(cell["source"], metadata=cell["metadata"]))
    executed_path = run_in_build(nb, "loader-notebooks", f"{tmp_path.name}-{kernel}.ipynb", tmp_path,
                                 f"{kernel} loader")
    executed = nbformat.read(executed_path, as_version=4)
    return "".join(o.get("text", "") for o in executed.cells[0].outputs if o.get("name") == "stdout")


@pytest.mark.parametrize("title", ["Z to mumu sample", PAYLOAD])
def test_python_and_typescript_loaders_report_uproots_entry_count(tmp_path, title):
    expected = uproot.open(ROOT / "data" / "events" / "Zmumu.root")["events"].num_entries
    record = {"recid": "700", "title": title, "doi": "10.7483/OPENDATA.CMS.CB8H.MFFA"}
    counts = {}
    for language, kernel in (("python", "python3"), ("typescript", "tslab"), ("typescript", "deno")):
        cell = generate(language, record, "Zmumu.root", kernel=kernel)
        assert cell["metadata"] == {"opendata_lab": {"recid": "700", "file": "Zmumu.root"}}
        stdout = run_cell(cell, kernel, language, tmp_path)
        match = re.search(r"^(\d+) entries", stdout, re.MULTILINE)
        assert match, f"{kernel}: no entry count in {stdout!r}"
        counts[kernel] = int(match.group(1))
    assert counts == {"python3": expected, "tslab": expected, "deno": expected}


def bundled_record(recid: str) -> dict:
    """A record from the bundled catalog (the snapshot the extension serves offline)."""
    script = (
        "import gzip, json, pathlib, sys\n"
        "for shard in sorted(pathlib.Path('data/catalog/records').glob('*.json.gz')):\n"
        "    records = json.load(gzip.open(shard))\n"
        f"    if {recid!r} in records: print(json.dumps(records[{recid!r}])); sys.exit()\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def test_python_loader_for_a_bundled_csv_of_a_record_reads_it(tmp_path):
    # Record 5200's 4mu_2012.csv is bundled; pandas must see the same rows as a plain reader.
    record = bundled_record("5200")
    cell = generate("python", record, None)
    assert cell["metadata"]["opendata_lab"] == {"recid": "5200", "file": "4mu_2012.csv"}
    stdout = run_cell(cell, "python3", "python", tmp_path)
    lines = (ROOT / "data" / "events" / "4mu_2012.csv").read_text().splitlines()
    assert re.search(rf"^{len(lines) - 1} rows", stdout, re.MULTILINE), stdout


def csv_facts(name: str) -> tuple[list[str], int]:
    """Header and row count of a bundled CSV, read as plain text."""
    lines = (ROOT / "data" / "events" / name).read_text().splitlines()
    return lines[0].split(","), len(lines) - 1


def identifiers(source: str) -> set[str]:
    """The names a cell mentions, by the extension's rule (notebook-cells.ts namesInNotebook)."""
    return set(re.findall(r"[A-Za-z_$][A-Za-z0-9_$]*", source))


@pytest.mark.parametrize("language,kernel",
                         [("typescript", "tslab"), ("typescript", "deno"), ("python", "python3")])
def test_loaders_say_what_they_loaded_and_a_second_one_keeps_the_firsts_variables(language, kernel):
    """Three loaders in one notebook: 5200's 4mu_2012.csv, 545's Zmumu.csv (bundled as
    Zmumu_Run2011A.csv), 5200 again. Each prints its rows, columns with types and a histogram line
    of a real column; that line runs; the third loader binds new names; the first table is intact."""
    r5200, r545 = bundled_record("5200"), bundled_record("545")
    zmumu = next(f["uri"] for f in r545["files"] if f["uri"].endswith("/Zmumu.csv"))
    work = ROOT / "build" / "loader-notebooks"  # tslab resolves the helpers from its directory up
    work.mkdir(parents=True, exist_ok=True)
    manager, client = start_new_kernel(kernel_name=kernel, cwd=str(work))

    def run(code: str) -> str:
        out: list[str] = []
        def hook(m: dict) -> None:
            if m["msg_type"] == "stream":
                assert m["content"]["name"] == "stdout", m["content"]["text"]
                out.append(m["content"]["text"])
            assert m["msg_type"] != "error", "\n".join(m["content"]["traceback"])
        reply = client.execute_interactive(code, timeout=180, output_hook=hook)
        late_outputs(client, reply, hook, LATE_OUTPUT_SECONDS.get(kernel, 0))
        assert reply["content"]["status"] == "ok", (code, "".join(out))
        return "".join(out)

    try:
        taken: set[str] = set()
        printed = []
        cells = []
        for record, file in ((r5200, None), (r545, zmumu), (r5200, None)):
            cell = generate(language, record, file, taken, kernel=kernel)
            taken |= identifiers(cell["source"])
            cells.append(cell["source"])
            printed.append(run(cell["source"]))

        for text, csv, variable, column in (
            (printed[0], "4mu_2012.csv", "table_4mu_2012", "M"),
            (printed[1], "Zmumu_Run2011A.csv", "table_zmumu", "pt1"),  # no M: the first float
            (printed[2], "4mu_2012.csv", "table_4mu_2012_2", "M"),
        ):
            header, rows = csv_facts(csv)
            lines = text.strip().splitlines()
            assert lines[0].startswith(f"{rows} rows × {len(header)} columns in {variable} "), text
            listed = [item.split(" ")[0] for item in lines[1].strip().split(", ")]
            assert listed == header, text
            assert lines[2] == f"A histogram of {column}, next:", text
            hint = lines[3].strip()
            assert variable in hint and (f'"{column}"' in hint or f"'{column}'" in hint), hint
            assert len(lines) == 4, text
            run(hint)  # the suggested next line works as printed

        # The third loader (same file as the first) bound new names; the first's are intact.
        assert re.search(r"^(const )?table_4mu_2012_2 = ", cells[2], re.MULTILINE), cells[2]
        assert not re.search(r"^(const )?table_4mu_2012 = ", cells[2], re.MULTILINE), cells[2]
        count = "console.log(table_4mu_2012.numRows, table_zmumu.numRows)" if language == "typescript" \
            else "print(len(table_4mu_2012), len(table_zmumu))"
        assert run(count).split() == [str(csv_facts("4mu_2012.csv")[1]),
                                      str(csv_facts("Zmumu_Run2011A.csv")[1])]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.mark.parametrize("kernel", ["tslab", "deno"])
@pytest.mark.parametrize("recid", ["320", "1344"])
def test_typescript_metadata_loader_runs_in_tslab(tmp_path, recid, kernel):
    """A record without a CSV or ROOT file (320: 20 zip files; 1344: two file indexes) gets a
    loader of its metadata from the bundled catalog; it used to be a syntax error in tslab."""
    record = bundled_record(recid)
    cell = generate("typescript", record, None, kernel=kernel)
    assert cell["metadata"] == {"opendata_lab": {"recid": recid, "file": None}}
    stdout = run_cell(cell, kernel, "typescript", tmp_path)
    # Every entry of `files` (index files too); an index is its .json/.txt pair.
    indexes = {re.sub(r"\.(json|txt)$", "", f["uri"]) for f in record["files"]
               if str(f.get("type") or "").startswith("index")}
    assert f"record {recid}: {len(record['files'])} files, {len(indexes)} file indexes" in stdout, stdout


# File names as the portal could have them: a space, a per cent sign, a non-ASCII letter.
REMOTE_ROOT = "/eos/opendata/cms/upload/Zmumu sample 100% ü.root"
REMOTE_CSV = "/eos/opendata/cms/upload/4mu 2012 (copy).csv"


@pytest.fixture(scope="module")
def https_portal(tmp_path_factory):
    certs = make_certificates(tmp_path_factory.mktemp("certs"))
    files = {REMOTE_ROOT: ROOT / "data" / "events" / "Zmumu.root",
             REMOTE_CSV: ROOT / "data" / "events" / "4mu_2012.csv"}
    with PortalStandIn({}, certificate=(certs["server"], certs["server_key"]), files=files) as standin:
        yield standin, certs


def test_python_loaders_read_remote_root_and_csv_files_over_https(https_portal):
    """The inserted Python loaders for portal files (root:// URIs, read over https from the portal
    stand-in, its test CA trusted through SSL_CERT_FILE, which OpenSSL's default paths honour for
    both urllib and aiohttp) load what the local copies hold. Names with spaces used to be an
    InvalidURL, and uproot over https needs fsspec's HTTP file system (aiohttp) in the venv."""
    standin, certs = https_portal
    record = {"recid": "700", "title": "remote files", "files": [
        {"uri": "root://eospublic.cern.ch/" + REMOTE_ROOT, "size": 1},
        {"uri": "root://eospublic.cern.ch/" + REMOTE_CSV, "size": 1},
    ]}
    root_cell = generate("python", record, record["files"][0]["uri"], portal=standin.url)
    csv_cell = generate("python", record, record["files"][1]["uri"], portal=standin.url)
    assert f'uproot.open("{standin.url}/eos/opendata/cms/upload/Zmumu%20sample%20100%25%20%C3%BC.root")' \
        in root_cell["source"]
    env = dict(os.environ, SSL_CERT_FILE=str(certs["ca"]))
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "build"), env=env)

    def run(code: str) -> str:
        out: list[str] = []
        def hook(m: dict) -> None:
            if m["msg_type"] == "stream":
                out.append(m["content"]["text"])
            assert m["msg_type"] != "error", "\n".join(m["content"]["traceback"])
        reply = client.execute_interactive(code, timeout=180, output_hook=hook)
        assert reply["content"]["status"] == "ok", (code, "".join(out))
        return "".join(out)

    try:
        standin.requests.clear()
        root_out = run(root_cell["source"])
        csv_out = run(csv_cell["source"])
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)

    events = uproot.open(ROOT / "data" / "events" / "Zmumu.root")["events"]
    assert re.search(rf"^{events.num_entries} entries × {len(events.keys())} branches in events_zmumu_sample_100 "
                     r"\(tree events of Zmumu sample 100% ü\.root\):", root_out, re.MULTILINE), root_out
    header, rows = csv_facts("4mu_2012.csv")
    assert re.search(rf"^{rows} rows × {len(header)} columns in table_4mu_2012_copy ", csv_out, re.MULTILINE), csv_out
    # Both files came from the stand-in, by their encoded paths.
    paths = {p.split(" ")[-1].split("?")[0] for p in standin.requests}
    assert paths == {"/eos/opendata/cms/upload/Zmumu%20sample%20100%25%20%C3%BC.root",
                     "/eos/opendata/cms/upload/4mu%202012%20(copy).csv"}, standin.requests


def test_typescript_loaders_read_remote_root_and_csv_files_over_https_in_deno(https_portal):
    """The inserted TypeScript loaders for portal files, in Deno's kernel: downloaded over https
    from the portal stand-in (its CA added with OPENDATA_LAB_CA_FILE, which the helpers read in
    Deno as in Node), progress shown as one display updated in place, then read like the local
    copies: uproot's entry count and the CSV's rows."""
    standin, certs = https_portal
    root_size = (ROOT / "data" / "events" / "Zmumu.root").stat().st_size
    record = {"recid": "700", "title": "remote files", "files": [
        {"uri": "root://eospublic.cern.ch/" + REMOTE_ROOT, "size": root_size},
        {"uri": "root://eospublic.cern.ch/" + REMOTE_CSV},
    ]}
    cells = [generate("typescript", record, f["uri"], portal=standin.url, kernel="deno")["source"]
             for f in record["files"]]
    cache = ROOT / "build" / "loader-notebooks" / "deno-download-cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, OPENDATA_LAB_CA_FILE=str(certs["ca"]), OPENDATA_LAB_CACHE=str(cache))
    manager, client = start_new_kernel(kernel_name="deno", cwd=str(ROOT / "build"), env=env)
    messages: list[dict] = []

    def run(code: str) -> str:
        start = len(messages)
        def hook(m: dict) -> None:
            assert m["msg_type"] != "error", "\n".join(m["content"]["traceback"])
            assert not (m["msg_type"] == "stream" and m["content"]["name"] == "stderr"), m
            messages.append(m)
        reply = client.execute_interactive(code, timeout=180, output_hook=hook)
        late_outputs(client, reply, hook, LATE_OUTPUT_SECONDS["deno"])
        assert reply["content"]["status"] == "ok", code
        return "".join(m["content"]["text"] for m in messages[start:] if m["msg_type"] == "stream")

    try:
        standin.requests.clear()
        root_out, csv_out = run(cells[0]), run(cells[1])
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        shutil.rmtree(cache, ignore_errors=True)

    events = uproot.open(ROOT / "data" / "events" / "Zmumu.root")["events"]
    assert re.search(rf"^{events.num_entries} entries × {len(events.keys())} columns in "
                     r"events_zmumu_sample_100 ", root_out, re.MULTILINE), root_out
    header, rows = csv_facts("4mu_2012.csv")
    assert re.search(rf"^{rows} rows × {len(header)} columns in table_4mu_2012_copy ", csv_out,
                     re.MULTILINE), csv_out
    # Each download: one progress display, then updates of that display only, ending at 100 %.
    displays = [m for m in messages if m["msg_type"] in ("display_data", "update_display_data")]
    ids = [m["content"]["transient"]["display_id"] for m in displays]
    assert [m["msg_type"] for m in displays].count("display_data") == 2, displays
    assert len(set(ids)) == 2
    last = [m["content"]["data"]["text/plain"] for m in displays if m["msg_type"] == "update_display_data"]
    assert last and last[-1].startswith("1/1 files") and last[-1].endswith("100%"), last


def test_deno_loader_imports_the_kernels_bundle_where_no_package_json_lists_the_helpers(tmp_path):
    """The wheel's Deno kernel (opendata-lab-deno) has no package.json or node_modules above the
    notebook: it passes the helpers' bundle (a CommonJS file) in OPENDATA_LAB_HELPERS. A Deno
    loader imports that; tslab's static import cannot resolve there. Here a CommonJS file in an
    empty folder stands for the bundle (it re-exports the built helpers; a CSV loader, as the
    built helpers import jsroot as a module that only the real bundle carries inside it)."""
    folder = tmp_path / "no-package-json"
    folder.mkdir()
    bundle = tmp_path / "bundle.cjs"
    bundle.write_text(f"module.exports = require({json.dumps(str(ROOT / 'kernel-helpers' / 'dist' / 'index.js'))});\n")
    record = {"recid": "700", "title": "Z to mumu sample"}
    deno_cell = generate("typescript", record, "Zmumu.csv", kernel="opendata-lab-deno")["source"]
    tslab_cell = generate("typescript", record, "Zmumu.csv", kernel="tslab")["source"]
    env = dict(os.environ, OPENDATA_LAB_HELPERS=bundle.as_uri())
    manager, client = start_new_kernel(kernel_name="deno", cwd=str(folder), env=env)
    try:
        results = {}
        for name, code in (("deno", deno_cell), ("tslab", tslab_cell)):
            messages: list[dict] = []
            reply = client.execute_interactive(code, timeout=120, output_hook=messages.append)
            late_outputs(client, reply, messages.append, LATE_OUTPUT_SECONDS["deno"])
            results[name] = (reply["content"], "".join(m["content"].get("text", "") for m in messages
                                                       if m["msg_type"] == "stream"))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    header, rows = csv_facts("Zmumu.csv")
    status, stdout = results["deno"]
    assert status["status"] == "ok", status
    assert re.search(rf"^{rows} rows × {len(header)} columns", stdout, re.MULTILINE), stdout
    status, _ = results["tslab"]
    assert status["status"] == "error" and "not a dependency" in status["evalue"], status
