"""Helper errors in a real tslab kernel read as one message, not a Node dump.

tslab prints a failing cell's error with console.error (util.inspect): for a plain Error that is
the stack, every own property and the `[cause]` chain with its errno fields, about 15-40 lines.
A helper's OpenDataError must print as a few lines naming what failed (the file, the tree and the
branch) with the hint the helpers have (a truncated file says how many bytes it has of how many),
while a TypeScript mistake keeps TypeScript's own diagnostic.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[2]
# As test/support/shared-data.ts: ../shared/data next to the repository, or OPENDATA_SHARED_DATA.
SHARED_DATA = Path(os.environ.get("OPENDATA_SHARED_DATA", ROOT.parent / "shared" / "data"))
ZMUMU = SHARED_DATA / "events" / "root" / "uproot-Zmumu.root"
DUMP_MARKS = ("[cause]", "at Object.", "errno", "syscall", "    at ", "node:internal")


@pytest.fixture(scope="module")
def kernel():
    work = ROOT / "build" / "errors-kernel"  # tslab resolves the helpers from its directory up
    work.mkdir(parents=True, exist_ok=True)
    manager, client = start_new_kernel(kernel_name="tslab", cwd=str(work))
    try:
        reply = run(client, 'import * as od from "@opendata-lab/kernel-helpers";')
        assert reply[0] == "ok", reply
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def run(client, code: str) -> tuple[str, str, str]:
    """(status, stdout, stderr) of one cell."""
    messages: list[dict] = []
    reply = client.execute_interactive(code, timeout=120, output_hook=messages.append)
    streams = {"stdout": "", "stderr": ""}
    for m in messages:
        if m["msg_type"] == "stream":
            streams[m["content"]["name"]] += m["content"]["text"]
        elif m["msg_type"] == "error":  # tslab reports on stderr; count a traceback too
            streams["stderr"] += "\n".join(m["content"]["traceback"])
    status = reply["content"]["status"]
    if status == "error":
        time.sleep(0.5)  # tslab aborts what arrives within 200 ms of a failed cell
    return status, streams["stdout"], streams["stderr"]


def assert_short(stderr: str, *names: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 5, stderr
    assert lines[0].startswith("OpenDataError [E_"), stderr
    for name in names:
        assert name in stderr, (name, stderr)
    for mark in DUMP_MARKS:
        assert mark not in stderr, (mark, stderr)


def test_a_missing_file_names_the_file(kernel, tmp_path):
    missing = tmp_path / "no-such-events.csv"
    status, _, stderr = run(kernel, f"const missingTable = await od.readTable({str(missing)!r});")
    assert status == "error"
    assert_short(stderr, str(missing), "no such file")


def test_a_missing_root_file_names_the_file(kernel, tmp_path):
    missing = tmp_path / "no-such-events.root"
    status, _, stderr = run(kernel, f"const missingFile = await od.openROOT({str(missing)!r});")
    assert status == "error"
    assert_short(stderr, str(missing), "no such file")


def test_a_truncated_root_file_says_how_much_of_it_is_there(kernel, tmp_path):
    # A download cut at 100,000 bytes: the header still says where the file ends.
    size = ZMUMU.stat().st_size
    cut = tmp_path / "Zmumu-cut.root"
    shutil.copyfile(ZMUMU, cut)
    with open(cut, "r+b") as f:
        f.truncate(100_000)
    code = f"""
const cutFile = await od.openROOT({str(cut)!r});
const cutTree = await cutFile.tree("events");
const cutColumns = await cutTree.read(["E1"]);
"""
    status, _, stderr = run(kernel, code)
    assert status == "error"
    assert_short(stderr, str(cut), "truncated", f"100,000 of {size:,} bytes")


def test_a_wrong_branch_name_names_the_tree_and_the_branches_there_are(kernel):
    code = f"""
const zf = await od.openROOT({str(ZMUMU)!r});
const zt = await zf.tree("events");
"""
    assert run(kernel, code)[0] == "ok"
    status, _, stderr = run(kernel, 'const cols = await zt.read(["Px", "M"]);')
    assert status == "error"
    # The branch asked for, the tree, and the real names (px1 ...) to pick from.
    assert_short(stderr, str(ZMUMU), "tree events", '"Px"', "px1")


def test_a_typescript_mistake_keeps_typescripts_message(kernel):
    status, _, stderr = run(kernel, "const n: number = od.readTabel;")
    assert status == "error"
    assert "readTabel" in stderr and "does not exist" in stderr, stderr
    assert "OpenDataError" not in stderr
