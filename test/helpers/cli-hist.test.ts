// `opendata hist` on CSV and Arrow IPC files against numpy's histogram of pyarrow's reading.
import { main } from '../../kernel-helpers/src/cli';
import { python } from '../support/python';
import { sharedPath } from '../support/shared-data';

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(
    ['node', 'opendata', 'hist', ...args],
    t => (out += t),
    t => (err += t)
  );
  return { code, out, err };
}

const ARROW = sharedPath('events', 'derived', 'uproot-Zmumu.derived.arrow');
const CSV = sharedPath('events', 'derived', 'uproot-Zmumu.derived.csv');

/** numpy's histogram of a column read by pyarrow, flows and sums the ROOT way. */
function truth(column: string, weight?: string) {
  return python<Record<string, number | number[]>>(
    `
import json, sys
import numpy as np, pyarrow.ipc as ipc
t = ipc.open_file(sys.argv[1]).read_all()
x = t.column(sys.argv[2]).to_numpy()
w = t.column(sys.argv[3]).to_numpy() if len(sys.argv) > 3 else np.ones_like(x)
inr = (x >= 60) & (x < 120)
c, e = np.histogram(x[inr], bins=60, range=(60, 120), weights=w[inr])
print(json.dumps({'edges': e.tolist(), 'counts': c.tolist(), 'underflow': float(w[x < 60].sum()),
  'overflow': float(w[x >= 120].sum()), 'entries': int(len(x)), 'sum_weights': float(w[inr].sum())}))
`,
    [ARROW, column, ...(weight ? [weight] : [])]
  );
}

test.each([ARROW, CSV])('hist %s --column M: numpy counts, flows and entries', async file => {
  const r = await run(file, '--column', 'M', '--bins', '60', '--range', '60,120', '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out);
  const t = truth('M');
  expect(Object.keys(json)).toEqual([
    'edges',
    'counts',
    'underflow',
    'overflow',
    'entries',
    'sum_weights'
  ]);
  expect(json.counts).toEqual(t.counts);
  (t.edges as number[]).forEach((e, i) => expect(json.edges[i]).toBeCloseTo(e, 12));
  expect([json.underflow, json.overflow, json.entries, json.sum_weights]).toEqual([
    t.underflow,
    t.overflow,
    t.entries,
    t.sum_weights
  ]);
});

test('--weight: weighted contents as numpy with weights', async () => {
  const r = await run(
    ARROW,
    '--column',
    'M',
    '--weight',
    'pt1',
    '--bins',
    '60',
    '--range',
    '60,120',
    '--json'
  );
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out);
  const t = truth('M', 'pt1');
  (t.counts as number[]).forEach((c, i) => expect(json.counts[i]).toBeCloseTo(c, 9));
  expect(json.sum_weights).toBeCloseTo(t.sum_weights as number, 9);
});

test('errors: unknown column (exit 1, names the file), no column given (usage, exit 2)', async () => {
  const missing = await run(ARROW, '--column', 'nope', '--bins', '2', '--range', '0,1');
  expect(missing.code).toBe(1);
  expect(missing.err).toContain(`${ARROW}: no column "nope"`);
  const usage = await run(ARROW, '--bins', '2', '--range', '0,1');
  expect(usage.code).toBe(2);
  const text = await run(ARROW, '--column', 'Type', '--bins', '2', '--range', '0,1');
  expect(text.code).toBe(1);
  expect(text.err).toContain('not numbers');
});
