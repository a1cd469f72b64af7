"""The "whole record on Dask" cell (issue 13) runs in a real ipykernel against a LocalCluster.

A record whose file index lists 20 copies of the bundled NanoAOD sample (as root://eospublic URIs),
served with the index by the portal stand-in over http: the inserted cell fetches the index, reads
the files with uproot.dask on two Dask workers and ends with a histogram; the TypeScript run of
`opendata hist` over the same URLs on worker processes gives the same counts.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

from portal_standin import PortalStandIn

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "events" / "nano_dimuon.root"
EOS = "root://eospublic.cern.ch/"
RECID = "990013"
FILES = 20


def dask_cell(record: dict, options: dict) -> dict:
    """The cell from the helpers' built core, as the extension inserts it."""
    script = (
        "const { daskLoaderCode } = require('./kernel-helpers/dist/core');"
        "const [record, options] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(daskLoaderCode(record, options)));"
    )
    out = subprocess.run(["node", "-e", script], input=json.dumps([record, options]),
                         cwd=ROOT, capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout)


def run(client, code: str) -> str:
    outputs: list[str] = []

    def hook(msg):
        content = msg["content"]
        if msg["msg_type"] == "stream" and content["name"] == "stdout":  # not the cluster's logs
            outputs.append(content["text"])
        elif msg["msg_type"] == "error":
            outputs.append("\n".join(content["traceback"]))

    reply = client.execute_interactive(code, timeout=120, output_hook=hook)
    text = "".join(outputs)
    assert reply["content"]["status"] == "ok", text
    return text


def test_whole_record_on_dask_equals_the_typescript_run(tmp_path):
    paths = [f"/eos/opendata/cms/test/dask/nano_{i:02d}.root" for i in range(FILES)]
    index_path = "/eos/opendata/cms/test/dask/CMS_test_file_index.json"
    index = tmp_path / "CMS_test_file_index.json"
    index.write_text(json.dumps([
        {"uri": EOS + "/" + p.lstrip("/"), "size": SAMPLE.stat().st_size, "checksum": None}
        for p in paths
    ]))
    files = {p: SAMPLE for p in paths}
    files[index_path] = index
    record = {
        "recid": RECID,
        "title": 'A "record" \\ with\nquotes',
        "files": [{"uri": EOS + index_path, "type": "index.json", "size": index.stat().st_size}],
    }
    with PortalStandIn({RECID: record}, files=files) as portal:
        # One partition a file: the machine running the tests has 2 cores.
        cell = dask_cell(record, {"portal": portal.url, "stepsPerFile": 1})
        manager, client = start_new_kernel(kernel_name="python3", cwd=str(tmp_path))
        try:
            started = time.monotonic()
            printed = run(client, cell["source"])
            print(f"the Dask cell ran in {time.monotonic() - started:.1f} s")
            answer = run(client, "\n".join([
                "import json",
                f"print(json.dumps({{'counts': counts_{RECID}.tolist(), 'edges': edges_{RECID}.tolist(),"
                f" 'branch': BRANCH, 'tree': TREE, 'files': files_{RECID},"
                f" 'workers': len(client_{RECID}.scheduler_info()['workers'])}}))",
                f"_cluster = client_{RECID}.cluster; client_{RECID}.close(); _cluster.close()",
            ]))
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
        dask = json.loads(answer.strip().splitlines()[-1])
        assert dask["workers"] == 2
        assert dask["files"] == [portal.url + p for p in paths]
        assert f"{FILES} files" in printed

        edges = dask["edges"]
        ts = subprocess.run(
            ["node", str(ROOT / "kernel-helpers" / "bin" / "opendata.js"), "hist", *dask["files"],
             "--tree", dask["tree"], "--branch", dask["branch"], "--bins", str(len(edges) - 1),
             "--range", f"{edges[0]},{edges[-1]}", "--threads", "2", "--json"],
            capture_output=True, text=True, check=True, timeout=120)
    typescript = json.loads(ts.stdout)
    assert typescript["files"] == dask["files"]
    assert typescript["edges"] == pytest.approx(edges, rel=1e-12, abs=1e-12)
    assert typescript["counts"] == dask["counts"]
    assert sum(dask["counts"]) > 0
