// The bundled Zmumu.csv (data/events) read here with a plain split, so that the helpers' tests
// and the UI tests compare what they show with numbers that do not come from the code under test.
import fs from 'fs';
import path from 'path';

export const ZMUMU_CSV = path.resolve(__dirname, '..', '..', 'data', 'events', 'Zmumu.csv');

/** Zmumu.csv's columns, in the file's order, each as numbers. */
export function zmumuColumns(): Record<string, number[]> {
  const [header, ...rows] = fs.readFileSync(ZMUMU_CSV, 'utf8').trim().split(/\r?\n/);
  const names = header.split(',');
  const out: Record<string, number[]> = {};
  names.forEach(n => (out[n] = []));
  for (const row of rows) row.split(',').forEach((v, j) => out[names[j]].push(Number(v)));
  return out;
}

/** Zmumu.csv's M column counted into 60 bins of 1 GeV from 60 GeV, the tutorial's histogram. */
export function zmumuMassCounts(): number[] {
  const counts = new Array<number>(60).fill(0);
  for (const m of zmumuColumns().M) if (m >= 60 && m < 120) counts[Math.floor(m - 60)]++;
  return counts;
}
