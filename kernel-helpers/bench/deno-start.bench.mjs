// A fresh Deno kernel (`deno jupyter`, the npm package deno) as a notebook opened in JupyterLab
// gets one: how long until it answers (kernel_info, "ready") and until the first Zmumu mass
// histogram is displayed (the helpers imported from node_modules, the bundled Zmumu.csv read,
// 60 bins of 1 GeV from 60 GeV, one Plotly figure through Deno.jupyter.broadcast), side by side
// with ipykernel + pandas + plotly doing the same. Both start through their kernelspecs
// (jupyter_client, as the server does), alternating, medians. Goal (issue 14): ≤ 1.0 s to the
// first plot, ahead of the Python stack. kernel-start.bench.mjs measures tslab the same way.
import { firstPlotRows, timeFirstPlot } from './kernel-timing.mjs';

const GOAL_FIRST_PLOT_S = 1.0;

export async function run(ctx) {
  const runs = ctx.quick ? 1 : 5;
  const { kernel, python } = await timeFirstPlot(ctx, 'deno', runs);
  const { ready: denoReady, plot: denoPlot } = kernel;
  const { ready: pyReady, plot: pyPlot } = python;
  ctx.log(
    `deno-start: Deno ready ${denoReady.toFixed(2)} s, plot ${denoPlot.toFixed(2)} s; ` +
      `ipykernel ready ${pyReady.toFixed(2)} s, plot ${pyPlot.toFixed(2)} s (medians of ${runs})`
  );
  return firstPlotRows('Deno', kernel, python, GOAL_FIRST_PLOT_S, {
    // Where the time goes: the kernel's start, then the cell (the helpers' import, the read,
    // the fill and the display), for Deno and for ipykernel.
    goalExtra: {
      deno_cell_s: Number((denoPlot - denoReady).toFixed(2)),
      python_cell_s: Number((pyPlot - pyReady).toFixed(2))
    }
  });
}
