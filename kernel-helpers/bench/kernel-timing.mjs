// The fresh-kernel measurement shared by kernel-start.bench.mjs (tslab) and deno-start.bench.mjs
// (Deno): a kernel started through its kernelspec (jupyter_client, as the server does) like a
// notebook opened in JupyterLab gets one, timed to "ready" (kernel_info) and to its first Zmumu
// mass histogram (the bundled Zmumu.csv, 60 bins of 1 GeV from 60 GeV, one Plotly figure),
// alternating with ipykernel + pandas + plotly doing the same. Not a bench module itself.
import path from 'node:path';
import { row, runPython } from './lib.mjs';

/** The first-plot cell in TypeScript, as tslab and Deno run it (the helpers from node_modules). */
export const HELPERS_CELL = [
  'import * as od from "@opendata-lab/kernel-helpers";',
  'const t = od.readCSV(od.dataPath("events", "Zmumu.csv"));',
  'od.show(new od.Hist1D(60, 60, 120).fill(od.numericColumn(t, "M")));'
].join('\n');

/** The same plot for ipykernel: pandas reads, numpy bins, one Plotly figure. */
export const PYTHON_CELL = [
  'import numpy as np, pandas as pd, plotly.graph_objects as go',
  'from IPython.display import display',
  'from opendata_lab.samples import data_path',
  't = pd.read_csv(data_path("events", "Zmumu.csv"))',
  'counts, edges = np.histogram(t["M"], bins=60, range=(60, 120))',
  'display(go.Figure(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=1)))'
].join('\n');

// Starts each kernel RUNS times (alternating), reports per kernel the medians of ready seconds,
// first-plot seconds and the kernel's own CPU seconds to the plot. Deno's kernel may publish a
// fresh kernel's first display just after the cell's idle status (test/notebooks/run_notebooks.py,
// LATE_OUTPUT_SECONDS): the plot is timed when it arrives, late or not, so the driver keeps
// reading the cell's messages until the kernel is quiet.
const DRIVER = `
import os, statistics, time
from queue import Empty
from jupyter_client.manager import KernelManager

PLOTLY = "application/vnd.plotly.v1+json"

def cpu_seconds(pid):
    # The kernel's own CPU time (user + system), steadier than wall time on a shared machine.
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")

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
        return ready, plot, cpu_seconds(km.provisioner.process.pid)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

times = {name: [] for name in CELLS}
for _ in range(RUNS):
    for name, code in CELLS.items():
        times[name].append(once(name, code, CWD))
report({name: [statistics.median(t[i] for t in ts) for i in (0, 1, 2)] for name, ts in times.items()})
`;

/**
 * Starts the `kernel` kernelspec and ipykernel (`python3`) `runs` times each, alternating, cwd the
 * notebooks folder; resolves with `{ kernel: {ready, plot, cpu}, python: {ready, plot, cpu} }`,
 * medians in seconds (cpu: the kernel process's own user + system time to the plot).
 */
export async function timeFirstPlot(ctx, kernel, runs) {
  const cells = { [kernel]: HELPERS_CELL, python3: PYTHON_CELL };
  const driver = [
    `RUNS = ${runs}`,
    `CWD = ${JSON.stringify(path.join(ctx.root, 'notebooks'))}`,
    `CELLS = ${JSON.stringify(cells)}`,
    DRIVER
  ].join('\n');
  const got = await runPython(ctx, driver);
  const medians = ([ready, plot, cpu]) => ({ ready, plot, cpu });
  return { kernel: medians(got[kernel]), python: medians(got.python3) };
}

/**
 * The rows both benches report for `label`'s kernel (`kernel` and `python` as timeFirstPlot
 * resolves them): ready and first plot next to ipykernel, first plot next to the issue-14 goal.
 * `plotExtra` and `goalExtra` add each bench's own figures to the plot and goal rows.
 */
export function firstPlotRows(
  label,
  kernel,
  python,
  goalS,
  { plotExtra = {}, goalExtra = {} } = {}
) {
  const slower = { higherIsBetter: false };
  return [
    row(
      `fresh ${label} kernel → ready (kernel_info)`,
      kernel.ready,
      'ipykernel',
      python.ready,
      's',
      slower
    ),
    row(
      `fresh ${label} kernel → first Zmumu plot`,
      kernel.plot,
      'ipykernel + pandas + plotly',
      python.plot,
      's',
      { ...slower, goal_s: goalS, ...plotExtra }
    ),
    row(`${label} first plot vs the issue-14 goal`, kernel.plot, 'goal', goalS, 's', {
      ...slower,
      ...goalExtra
    })
  ];
}
