// "Whole record on Dask": a Python cell that lists every ROOT file of a record (its own files and
// those its file indexes list, fetched when the cell runs), reads them with uproot.dask in
// partitions on a dask.distributed cluster (a LocalCluster unless the user points it elsewhere)
// and ends with a histogram the cluster computed. Record fields are untrusted: they enter the
// cell only as escaped string literals (pythonString), never as code or comments.
import { OpenDataError } from './errors';
import { pythonString, type LoaderCell, type LoaderRecord } from './loader-code';
import { PORTAL_URL } from './portal-catalog';
import { fileName } from './record-files';

export interface DaskLoaderOptions {
  /** Where `root://eospublic…` URIs and file indexes are read from over https. */
  portal?: string;
  /** Names the notebook already uses: the cell's get a `_2`, `_3`… suffix instead. */
  taken?: ReadonlySet<string>;
  /** Partitions per file (uproot.dask's steps_per_file). Default 2. */
  stepsPerFile?: number;
  /** Dask workers of the LocalCluster. Default 2. */
  workers?: number;
}

function isIndex(f: { uri: string; type?: string }): boolean {
  return f.type?.startsWith('index') === true || /_file_index\.(json|txt)$/.test(f.uri);
}

/** The cell for a Python kernel that histograms a whole record on Dask. */
export function daskLoaderCode(record: LoaderRecord, options: DaskLoaderOptions = {}): LoaderCell {
  const recid = String(record.recid ?? '').trim();
  if (!/^\d+$/.test(recid)) {
    throw new OpenDataError(
      'E_USAGE',
      `loader: a record needs a numeric recid (got ${JSON.stringify(recid)})`
    );
  }
  const files = (record.files ?? []).filter(
    (f): f is { uri: string; type?: string } => typeof f?.uri === 'string' && f.uri !== ''
  );
  // A JSON index lists sizes and checksums too; its .txt twin is the same list.
  const indexes = files.filter(f => isIndex(f) && !/\.txt$/i.test(f.uri)).map(f => f.uri);
  for (const f of files) {
    if (
      isIndex(f) &&
      /\.txt$/i.test(f.uri) &&
      !indexes.includes(f.uri.replace(/\.txt$/i, '.json'))
    ) {
      indexes.push(f.uri);
    }
  }
  const listed = files.filter(f => !isIndex(f) && /\.root$/i.test(fileName(f.uri))).map(f => f.uri);
  if (listed.length === 0 && indexes.length === 0) {
    throw new OpenDataError(
      'E_UNSUPPORTED',
      `record ${recid}: no ROOT files or file indexes to read on Dask`
    );
  }
  const s = pythonString;
  const taken = options.taken ?? new Set<string>();
  let tail = '';
  for (
    let n = 2;
    ['files', 'events', 'counts', 'edges', 'client'].some(w => taken.has(`${w}_${recid}${tail}`));
    n++
  ) {
    tail = `_${n}`;
  }
  const v = (word: string) => `${word}_${recid}${tail}`;
  const list = (uris: string[]) =>
    uris.length === 0 ? '[]' : `[\n${uris.map(u => `    ${s(u)},`).join('\n')}\n]`;
  const steps = options.stepsPerFile ?? 2;
  const workers = options.workers ?? 2;
  const title = typeof record.title === 'string' ? record.title : '';
  return {
    language: 'python',
    metadata: { opendata_lab: { recid, file: null } },
    source: [
      'import json',
      'import math',
      'import urllib.parse',
      'import urllib.request',
      '',
      'import awkward as ak',
      'import dask.array as da',
      'import dask_awkward as dak',
      'import uproot',
      'from dask.distributed import Client, LocalCluster',
      '',
      `record_${recid}${tail} = {"recid": ${s(recid)}, "title": ${s(title)}}`,
      `PORTAL = ${s((options.portal ?? PORTAL_URL).replace(/\/+$/, ''))}`,
      '# "https" reads root://eospublic… files through the portal; "root" reads them over XRootD',
      '# (needs `pip install fsspec-xrootd` and an XRootD client; usually faster at a site with EOS).',
      'PROTOCOL = "https"',
      '',
      'def _https(uri):',
      '    eos = "root://eospublic.cern.ch/"',
      '    if uri.startswith(eos):',
      '        return PORTAL + "/" + urllib.parse.quote(uri[len(eos):].lstrip("/"))',
      '    return uri',
      '',
      'def _url(uri):',
      '    return _https(uri) if PROTOCOL == "https" else uri',
      '',
      "# The record's ROOT files: those it lists, then those of its file indexes (fetched now).",
      `_listed = ${list(listed)}`,
      `_indexes = ${list(indexes)}`,
      `${v('files')} = [_url(u) for u in _listed]`,
      'for _index in _indexes:',
      '    with urllib.request.urlopen(_https(_index)) as _answer:  # indexes: always over https',
      '        _text = _answer.read().decode("utf-8")',
      '    _uris = [f["uri"] for f in json.loads(_text)] if _text.lstrip().startswith("[") else _text.split()',
      `    ${v('files')} += [_url(u) for u in _uris if u.endswith(".root")]`,
      '',
      '# A cluster on this machine. For a remote one, replace the next line by',
      '#   client = Client("tcp://SCHEDULER:8786")  (or dask-gateway: Gateway().new_cluster().get_client())',
      `${v('client')} = Client(LocalCluster(n_workers=${workers}, threads_per_worker=1, dashboard_address=":0"))`,
      '',
      '# The tree, a branch (a mass if there is one, else the first floating-point one) and a',
      '# range from the first file; change BRANCH, BINS and RANGE to what you want to see.',
      `_first = uproot.open(${v('files')}[0])`,
      'TREE = _first.keys(filter_classname="TTree", cycle=False)[0]',
      '_types = _first[TREE].typenames()',
      '_floats = [n for n, t in _types.items() if t.rstrip("[]") in ("float", "double")]',
      'BRANCH = next((n for n in _floats if n.lower() in ("m", "mass")), _floats[0] if _floats else next(iter(_types)))',
      '_x = ak.to_numpy(ak.flatten(_first[TREE][BRANCH].array(entry_stop=100_000), axis=None)).astype(float)',
      '_lo, _hi = (float(_x.min()), float(_x.max())) if len(_x) else (0.0, 1.0)',
      '_step = 10 ** math.floor(math.log10(_hi - _lo)) if _hi > _lo else 1.0',
      'BINS, RANGE = 50, (math.floor(_lo / _step) * _step, (math.floor(_hi / _step) + 1) * _step)',
      '',
      `# ${steps} partitions a file (steps_per_file): each a task that reads only the branches used.`,
      `${v('events')} = uproot.dask({u: TREE for u in ${v('files')}}, steps_per_file=${steps}, open_files=False)`,
      `_values = dak.to_dask_array(dak.flatten(${v('events')}[BRANCH], axis=None))`,
      `${v('counts')}, ${v('edges')} = da.histogram(_values, bins=BINS, range=RANGE)`,
      `${v('counts')} = ${v('counts')}.compute()  # the cluster reads every file here`,
      `print(f"{len(${v('files')})} files, {int(${v('counts')}.sum())} values of {BRANCH} in [{RANGE[0]}, {RANGE[1]}) (tree {TREE}), computed on {len(${v('client')}.scheduler_info()['workers'])} Dask workers")`,
      `print(f"Plot it: import matplotlib.pyplot as plt; plt.stairs(${v('counts')}, ${v('edges')})")`
    ].join('\n')
  };
}
