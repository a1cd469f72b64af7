"""A dataset run in a real tslab kernel (issue 13): worker processes start from the notebook, the
progress is one display updated in place (files done, events, MB/s, then the time taken), and the
merged cut-flow equals uproot's count over the same files."""

from __future__ import annotations

import re
from pathlib import Path

import awkward as ak
import uproot
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "events" / "nano_dimuon.root"
FILES = 12

RUN = f"""
import * as od from "@opendata-lab/kernel-helpers";
const files = Array.from({{ length: {FILES} }}, () => od.dataPath("events", "nano_dimuon.root"));
const result = await od.runDataset(files, {{
  tree: "Events",
  cuts: ["nMuon >= 2"],
  histograms: [{{ branch: "Muon_pt", bins: 50, range: [0, 200] }}]
}}, {{ threads: 2 }});
console.log(JSON.stringify({{ files: result.files.length, cutflow: result.cutflow.map(r => r.events) }}));
"""


def test_dataset_progress_is_one_display_updated_in_place():
    work = ROOT / "build" / "dataset-kernel"  # the kernel resolves the helpers from its directory up
    work.mkdir(parents=True, exist_ok=True)
    manager, client = start_new_kernel(kernel_name="tslab", cwd=str(work))
    messages: list[dict] = []
    try:
        reply = client.execute_interactive(RUN, timeout=120, output_hook=messages.append)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok", reply["content"]

    shown = [m for m in messages if m["msg_type"] == "display_data"]
    assert len(shown) == 1, [m["msg_type"] for m in messages]
    display_id = shown[0]["content"]["transient"]["display_id"]
    updates = [m["content"] for m in messages if m["msg_type"] == "update_display_data"]
    assert all(u["transient"]["display_id"] == display_id for u in updates)
    lines = [shown[0]["content"]["data"]["text/plain"]] + [u["data"]["text/plain"] for u in updates]
    done = [int(re.match(r"(\d+)/12 files", line).group(1)) for line in lines]
    assert done == sorted(done), lines
    assert re.fullmatch(rf"{FILES}/{FILES} files  480 events  [\d.]+ [kM]?B/s  in 0:\d\d", lines[-1]), lines

    stdout = "".join(m["content"]["text"] for m in messages
                     if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
    events = uproot.open(SAMPLE)["Events"].arrays(["nMuon"])
    assert stdout.strip().splitlines()[-1] == (
        f'{{"files":{FILES},"cutflow":[{FILES * len(events)},{FILES * int(ak.sum(events.nMuon >= 2))}]}}'
    )
