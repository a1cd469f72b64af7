// A fresh Deno kernel (`deno jupyter`, the npm package deno) as a notebook opened in JupyterLab
// gets one: how long until it answers (kernel_info, "ready") and until the first Zmumu mass
// histogram is displayed (the helpers imported from node_modules, the bundled Zmumu.csv read,
// 60 bins of 1 GeV from 60 GeV, one Plotly figure through Deno.jupyter.broadcast), side by side
// with ipykernel + pandas + plotly doing the same. Both start through their kernelspecs
// (jupyter_client, as the server does), alternating, medians. Goal (issue 14): ≤ 1.0 s to the
// first plot, ahead of the Python stack. kernel-start.bench.mjs measures tslab the same way.
import path from 'node:path';
import { row, runPython } from './lib.mjs';

const GOAL_FIRST_PLOT_S = 1.0;

const DENO_CELL = [
  'import * as od from "@opendata-lab/kernel-helpers";',
  'const t = od.readCSV(od.dataPath("events", "Zmumu.csv"));',
  'od.show(new od.Hist1D(60, 60, 120).fill(od.numericColumn(t, "M")));'
].join('\n');

const PYTHON_CELL = [
  'import numpy as np, pandas as pd, plotly.graph_objects as go',
  'from IPython.display import display',
  'from opendata_lab import data_path',
  't = pd.read_csv(data_path("events", "Zmumu.csv"))',
  'counts, edges = np.histogram(t["M"], bins=60, range=(60, 120))',
  'display(go.Figure(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=1)))'
].join('\n');

// Deno's kernel may publish a fresh kernel's first display just after the cell's idle status
// (test/notebooks/run_notebooks.py, LATE_OUTPUT_SECONDS): the plot is timed when it arrives,
// late or not, so the driver keeps reading the cell's messages until the kernel is quiet.
const DRIVER = `
import statistics, time
from queue import Empty
from jupyter_client.manager import KernelManager

PLOTLY = "application/vnd.plotly.v1+json"

def once(name, code, cwd):
    t0 = time.perf_counter()
    km = KernelManager(kernel_name=name)
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        ready = time.perf_counter() - t0
        plot = None
        def hook(msg):
            nonlocal plot
            if plot is None and PLOTLY in msg["content"].get("data", {}):
                plot = time.perf_counter() - t0
        reply = kc.execute_interactive(code, timeout=120, output_hook=hook)
        while plot is None:
            try:
                msg = kc.get_iopub_msg(timeout=0.5)
            except Empty:
                break
            if msg["parent_header"].get("msg_id") == reply["parent_header"]["msg_id"]:
                hook(msg)
        if reply["content"]["status"] != "ok" or plot is None:
            raise RuntimeError(f"{name}: no plot ({reply['content']})")
        return ready, plot
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

times = {"deno": [], "python3": []}
for _ in range(RUNS):
    times["deno"].append(once("deno", DENO_CELL, CWD))
    times["python3"].append(once("python3", PYTHON_CELL, CWD))
report({name: [statistics.median(t[i] for t in ts) for i in (0, 1)] for name, ts in times.items()})
`;

export async function run(ctx) {
  const runs = ctx.quick ? 1 : 5;
  const driver = [
    `RUNS = ${runs}`,
    `CWD = ${JSON.stringify(path.join(ctx.root, 'notebooks'))}`,
    `DENO_CELL = ${JSON.stringify(DENO_CELL)}`,
    `PYTHON_CELL = ${JSON.stringify(PYTHON_CELL)}`,
    DRIVER
  ].join('\n');
  const got = await runPython(ctx, driver);
  const [denoReady, denoPlot] = got.deno;
  const [pyReady, pyPlot] = got.python3;
  ctx.log(
    `deno-start: Deno ready ${denoReady.toFixed(2)} s, plot ${denoPlot.toFixed(2)} s; ` +
      `ipykernel ready ${pyReady.toFixed(2)} s, plot ${pyPlot.toFixed(2)} s (medians of ${runs})`
  );
  const slower = { higherIsBetter: false };
  return [
    row('fresh Deno kernel → ready (kernel_info)', denoReady, 'ipykernel', pyReady, 's', slower),
    row(
      'fresh Deno kernel → first Zmumu plot',
      denoPlot,
      'ipykernel + pandas + plotly',
      pyPlot,
      's',
      { ...slower, goal_s: GOAL_FIRST_PLOT_S }
    ),
    row('Deno first plot vs the issue-14 goal', denoPlot, 'goal', GOAL_FIRST_PLOT_S, 's', {
      ...slower,
      // Where the time goes: the kernel's start, then the cell (the helpers' import, the read,
      // the fill and the display), for Deno and for ipykernel.
      deno_cell_s: Number((denoPlot - denoReady).toFixed(2)),
      python_cell_s: Number((pyPlot - pyReady).toFixed(2))
    })
  ];
}
