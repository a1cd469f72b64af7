// A deliberately plain count over the snapshot's columns (data/catalog/index.json.gz), separate from
// the search engine, so panel tests check the numbers they see against something the extension
// did not compute. Covers what the tests ask: a typed word (prefix match, as while typing),
// experiment and year filters, the hidden on-demand records, and the experiment/year facet counts
// (each facet counting with every filter but its own, as the portal does).
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';

export interface SnapshotColumns {
  recid: string[];
  title: string[];
  title_additional: string[];
  doi: string[];
  keywords: string[][];
  abstract: string[];
  /** File names (absent from snapshots built before file names were searched). */
  files?: string[];
  experiment: string[][];
  year: number[][];
  date_published: string[];
  availability: string[];
}

export const SNAPSHOT_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  'data',
  'catalog',
  'index.json.gz'
);

export function readSnapshotColumns(): SnapshotColumns {
  return JSON.parse(zlib.gunzipSync(fs.readFileSync(SNAPSHOT_FILE)).toString('utf8')).columns;
}

export interface OracleQuery {
  /** Words; the last one matches as a prefix. */
  text?: string;
  experiment?: string[];
  /** Inclusive year range. */
  years?: [number, number];
}

export interface OracleAnswer {
  total: number;
  recids: string[];
  experiment: Record<string, number>;
  year: Record<string, number>;
}

const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
// Titles and abstracts also hold their hyphenated short-word compounds as one word ("di-muon" →
// "dimuon"): a word of 1-4 letters, a hyphen, a word of letters.
const compounds = (s: string): string[] =>
  [...s.toLowerCase().matchAll(/(?<![\p{L}\p{N}])(\p{L}{1,4})-(?=(\p{L}+)(?![\p{L}\p{N}]))/gu)].map(
    m => m[1] + m[2]
  );

export function oracleSearch(c: SnapshotColumns, q: OracleQuery): OracleAnswer {
  const terms = words(q.text ?? '');
  const answer: OracleAnswer = { total: 0, recids: [], experiment: {}, year: {} };
  for (let i = 0; i < c.recid.length; i++) {
    if (c.availability[i] === 'ondemand') continue;
    if (terms.length) {
      const tokens = new Set(
        [
          c.title[i],
          c.title_additional[i],
          c.doi[i],
          c.recid[i],
          ...c.keywords[i],
          c.abstract[i],
          c.files?.[i] ?? ''
        ]
          .flatMap(words)
          .concat(compounds(c.title[i]), compounds(c.abstract[i]))
      );
      const ok = terms.every((t, k) =>
        k === terms.length - 1 ? [...tokens].some(w => w.startsWith(t)) : tokens.has(t)
      );
      if (!ok) continue;
    }
    const expOk = !q.experiment || c.experiment[i].some(e => q.experiment!.includes(e));
    const yearOk = !q.years || c.year[i].some(y => y >= q.years![0] && y <= q.years![1]);
    if (expOk && yearOk) {
      answer.total++;
      answer.recids.push(c.recid[i]);
    }
    if (yearOk) {
      for (const e of new Set(c.experiment[i])) {
        answer.experiment[e] = (answer.experiment[e] ?? 0) + 1;
      }
    }
    if (expOk) for (const y of new Set(c.year[i])) answer.year[y] = (answer.year[y] ?? 0) + 1;
  }
  return answer;
}
