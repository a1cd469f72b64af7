"""A table over https in a real tslab kernel, as a notebook (or the panel's Load button) reads one.

The kernel is started with OPENDATA_LAB_CA_FILE naming a test CA (make-certs.sh), as a user behind a
TLS-inspecting proxy would start JupyterLab; an https server inside the kernel serves a real CSV
with a certificate from that CA. `od.readTable(url)` must read the same table as the local file, and
a server whose certificate comes from another CA must give one readable certificate error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jupyter_client.manager import start_new_kernel

from portal_standin import make_certificates

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "data" / "events" / "4mu_2012.csv"

SERVE = """
import * as od from "@opendata-lab/kernel-helpers";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
function serve(cert: string, key: string): Promise<https.Server> {
  const server = https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, (req, res) => {
    const body = fs.readFileSync(%(csv)s);
    res.writeHead(200, { "content-type": "text/plain", "content-length": String(body.length) });
    res.end(body);
  });
  server.on("tlsClientError", () => undefined);
  return new Promise(r => server.listen(0, "127.0.0.1", () => r(server)));
}
const trusted = await serve(%(server)s, %(server_key)s);
const impostor = await serve(%(untrusted)s, %(untrusted_key)s);
const urlOf = (s: https.Server) => `https://127.0.0.1:${(s.address() as { port: number }).port}/eos/opendata/cms/4mu_2012.csv`;
"""

READ = """
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "odl-https-kernel-"));
const remote = await od.readTable(urlOf(trusted), { cacheDir, download: { progress: false } });
const local = od.readTableFile(%(csv)s);
console.log(JSON.stringify({
  rows: remote.numRows,
  columns: remote.schema.fields.map(f => f.name),
  same: remote.schema.fields.every(f => {
    const a = remote.getChild(f.name)!, b = local.getChild(f.name)!;
    for (let i = 0; i < local.numRows; i++) if (!Object.is(a.get(i), b.get(i))) return false;
    return remote.numRows === local.numRows;
  }),
}));
try {
  await od.readTable(urlOf(impostor), { cacheDir, download: { progress: false, retryDelayMs: 5000 } });
  console.log("read");
} catch (err) {
  console.log(JSON.stringify({ code: (err as od.OpenDataError).code, message: (err as Error).message }));
} finally {
  trusted.close();
  impostor.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
}
"""


def run(client, code: str) -> str:
    messages: list[dict] = []
    reply = client.execute_interactive(code, timeout=120, output_hook=messages.append)
    streams = {"stdout": "", "stderr": ""}
    for m in messages:
        if m["msg_type"] == "stream":
            streams[m["content"]["name"]] += m["content"]["text"]
        elif m["msg_type"] == "error":
            streams["stderr"] += "\n".join(m["content"]["traceback"])
    assert reply["content"]["status"] == "ok", streams["stderr"]
    assert not streams["stderr"], streams["stderr"]
    return streams["stdout"]


def test_read_table_over_https_with_the_ca_from_the_environment(tmp_path):
    certs = make_certificates(tmp_path / "certs")
    paths = {name: json.dumps(str(p)) for name, p in certs.items()}
    paths["csv"] = json.dumps(str(CSV))
    work = ROOT / "build" / "https-kernel"  # tslab resolves the helpers from its directory up
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, OPENDATA_LAB_CA_FILE=str(certs["ca"]))
    manager, client = start_new_kernel(kernel_name="tslab", cwd=str(work), env=env)
    try:
        run(client, SERVE % paths)
        read, wrong = map(json.loads, run(client, READ % paths).splitlines())
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)

    header = CSV.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert read["columns"] == header
    assert read["rows"] == len(CSV.read_text(encoding="utf-8").strip().splitlines()) - 1
    assert read["same"] is True
    assert wrong["code"] == "E_NETWORK"
    assert "certificate problem: the https certificate of 127.0.0.1:" in wrong["message"]
    assert "OPENDATA_LAB_CA_FILE" in wrong["message"]
