// A fresh kernel, as a notebook opened in JupyterLab gets one: how long until it answers
// (kernel_info, "ready") and until the first Zmumu mass histogram is displayed, tslab with the
// helpers side by side with ipykernel + pandas + plotly doing the same (read the bundled Zmumu.csv,
// 60 bins of 1 GeV from 60 GeV, one Plotly figure). Both kernels start through their kernelspecs
// (jupyter_client, as the server does), alternating, medians. Goal (issue 14): tslab ≤ 2.5 s to
// the first plot. A second row set says where tslab's time goes, measured in one Node process
// with tslab's own converter: TypeScript's start, type-checking the helpers' import, loading them.
import path from 'node:path';
import { runNode } from './lib.mjs';
import { firstPlotRows, timeFirstPlot } from './kernel-timing.mjs';

const GOAL_FIRST_PLOT_S = 2.5;

// tslab's phases in one process, with the converter the kernel uses (cwd: the notebooks), in CPU
// seconds (user + system: steadier than wall time on a shared machine).
const PHASES = `
const laps = {};
const lap = name => {
  const { user, system } = process.cpuUsage();
  laps[name] = (user + system) / 1e6;
};
process.chdir(NOTEBOOKS);
const { createConverter } = require(CONVERTER);
lap('load');
const conv = createConverter({ isJS: false, isBrowser: false });
lap('compiler');
const out = conv.convert('', 'import * as od from "@opendata-lab/kernel-helpers";');
if (out.diagnostics.length) throw new Error(JSON.stringify(out.diagnostics));
lap('check');
require(HELPERS);
lap('helpers');
conv.close();
_report(laps);
`;

export async function run(ctx) {
  const runs = ctx.quick ? 1 : 3;
  const notebooks = path.join(ctx.root, 'notebooks');
  const { kernel, python } = await timeFirstPlot(ctx, 'tslab', runs);
  const { ready: tslabReady, plot: tslabPlot, cpu: tslabCpu } = kernel;
  const { ready: pyReady, plot: pyPlot, cpu: pyCpu } = python;
  ctx.log(
    `kernel-start: tslab ready ${tslabReady.toFixed(2)} s, plot ${tslabPlot.toFixed(2)} s; ` +
      `ipykernel ready ${pyReady.toFixed(2)} s, plot ${pyPlot.toFixed(2)} s (medians of ${runs}); ` +
      `kernel CPU to the plot: tslab ${tslabCpu} s, ipykernel ${pyCpu} s`
  );

  const converter = path.join(ctx.root, 'node_modules', 'tslab', 'dist', 'converter.js');
  const phases = await runNode(
    ctx,
    `const NOTEBOOKS = ${JSON.stringify(notebooks)};\nconst CONVERTER = ${JSON.stringify(converter)};\n${PHASES}`,
    'tslab-phases'
  );
  const phase = (from, to) => Number((phases[to] - (from ? phases[from] : 0)).toFixed(2));
  ctx.log(
    `kernel-start: tslab's phases in one process, CPU: load ${phase(null, 'load')} s, ` +
      `compiler start ${phase('load', 'compiler')} s, helpers import type-check ` +
      `${phase('compiler', 'check')} s, helpers load ${phase('check', 'helpers')} s`
  );

  return firstPlotRows('tslab', kernel, python, GOAL_FIRST_PLOT_S, {
    plotExtra: { cpu_s: tslabCpu, peer_cpu_s: pyCpu },
    // Where tslab's time goes (one process, no kernel): loading tslab and TypeScript, the
    // compiler's start (lib and @types/node), type-checking the helpers' import, loading them.
    goalExtra: {
      load_s: phase(null, 'load'),
      compiler_start_s: phase('load', 'compiler'),
      import_check_s: phase('compiler', 'check'),
      helpers_load_s: phase('check', 'helpers')
    }
  });
}
