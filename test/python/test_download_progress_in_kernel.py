"""Download progress in a real kernel (tslab and Deno): one display output, updated in place.

A server inside the kernel sends 3 MB in ten slices, 100 ms apart; downloadFiles with its default
progress must create a single display (with a display id) and update it as bytes arrive, ending at
`1/1 files  3.0 MB of 3.0 MB [...] 100%`. nbclient folds updates into the stored output, so the
kernel's messages are read here directly.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from queue import Empty

import pytest
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "notebooks"))
from run_notebooks import LATE_OUTPUT_SECONDS  # noqa: E402

SERVE = """
import * as od from "@opendata-lab/kernel-helpers";
import * as http from "http";
import * as os from "os";
import * as path from "path";
const body = Buffer.alloc(3_000_000, 7);
const server = http.createServer((req, res) => {
  res.writeHead(200, { "content-length": String(body.length) });
  let sent = 0;
  const timer = setInterval(() => {
    const part = body.subarray(sent, sent + 300_000);
    sent += part.length;
    res.write(part);
    if (sent >= body.length) { clearInterval(timer); res.end(); }
  }, 100);
});
await new Promise<void>(r => server.listen(0, "127.0.0.1", () => r()));
const port = (server.address() as { port: number }).port;
"""

DOWNLOAD = """
const dir = path.join(os.tmpdir(), `odl-progress-${process.pid}-${Date.now()}`);
const [result] = await od.downloadFiles([{ uri: `http://127.0.0.1:${port}/blob.bin` }], { dir, verify: false });
server.close();
console.log(`saved ${path.basename(result.path)}`);
"""


def run(client, code: str, late_seconds: float = 0) -> list[dict]:
    messages: list[dict] = []
    reply = client.execute_interactive(code, timeout=120, output_hook=messages.append)
    # Deno may publish a cell's last outputs just after its idle status (run_notebooks.py).
    while late_seconds > 0:
        try:
            msg = client.get_iopub_msg(timeout=late_seconds)
        except Empty:
            break
        if msg["parent_header"].get("msg_id") == reply["parent_header"]["msg_id"] \
                and msg["msg_type"] != "status":
            messages.append(msg)
    assert reply["content"]["status"] == "ok", reply["content"]
    stderr = [m["content"]["text"] for m in messages
              if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"]
    assert not stderr, "".join(stderr)
    return messages


@pytest.mark.parametrize("kernel", ["tslab", "deno"])
def test_download_progress_is_one_display_updated_in_place(kernel):
    work = ROOT / "build" / "progress-kernel"  # the kernel resolves the helpers from its directory up
    work.mkdir(parents=True, exist_ok=True)
    manager, client = start_new_kernel(kernel_name=kernel, cwd=str(work))
    late = LATE_OUTPUT_SECONDS.get(kernel, 0)
    try:
        run(client, SERVE, late)
        messages = run(client, DOWNLOAD, late)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)

    shown = [m for m in messages if m["msg_type"] == "display_data"]
    assert len(shown) == 1, [m["msg_type"] for m in messages]
    display_id = shown[0]["content"]["transient"]["display_id"]
    updates = [m["content"] for m in messages if m["msg_type"] == "update_display_data"]
    assert updates and all(u["transient"]["display_id"] == display_id for u in updates)
    lines = [shown[0]["content"]["data"]["text/plain"]] + [u["data"]["text/plain"] for u in updates]
    percents = [int(re.search(r"(\d+)%$", line).group(1)) for line in lines]
    # Redrawn as the slices arrive (at most every 250 ms over about a second), never backwards.
    assert len(set(percents)) >= 3, lines
    assert percents == sorted(percents), lines
    assert re.fullmatch(r"1/1 files  3\.0 MB of 3\.0 MB \[=+\] 100%", lines[-1]), lines[-1]
    stdout = "".join(m["content"]["text"] for m in messages
                     if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
    assert stdout.strip() == "saved blob.bin"
