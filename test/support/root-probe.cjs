// Runs the helpers' ROOT reader (the compiled dist/, as a notebook loads it) outside jest, whose
// module system cannot load jsroot's ES modules, and prints what it read as JSON in the format of
// uproot_dump.py: per branch its list levels (counts per entry) and flattened leaf values
// (little-endian bytes in base64, or strings). A branch we refuse carries the error code and message.
//
// usage: node root-probe.cjs '{"files": [...], "entryStart"?, "entryStop"?, "branches"?, "step"?,
//   "recycle"?, "portal"?}'
'use strict';
const path = require('node:path');
const { TextDecoder } = require('node:util');
const helpers = require(path.join(__dirname, '..', '..', 'kernel-helpers', 'dist', 'index.js'));

const DTYPES = {
  Int8: 'int8',
  Uint8: 'uint8',
  Int16: 'int16',
  Uint16: 'uint16',
  Int32: 'int32',
  Uint32: 'uint32',
  Int64: 'int64',
  Uint64: 'uint64',
  Float32: 'float32',
  Float64: 'float64',
  Bool: 'bool'
};

/** Appends one Arrow Data (a column chunk) to `acc` = {levels: [...], parts: [Buffer], strings}. */
function walk(data, acc, depth) {
  const name = data.type.constructor.name;
  if (name === 'List') {
    const off = data.valueOffsets.subarray(data.offset, data.offset + data.length + 1);
    const counts = [];
    for (let i = 0; i < data.length; i++) counts.push(off[i + 1] - off[i]);
    (acc.levels[depth] ??= { var: [] }).var.push(...counts);
    walk(data.children[0].slice(off[0], off[data.length] - off[0]), acc, depth + 1);
  } else if (name === 'FixedSizeList') {
    const size = data.type.listSize;
    acc.levels[depth] ??= { regular: size };
    walk(data.children[0].slice(data.offset * size, data.length * size), acc, depth + 1);
  } else if (name === 'Utf8') {
    const off = data.valueOffsets;
    const dec = new TextDecoder();
    acc.strings ??= [];
    for (let i = data.offset; i < data.offset + data.length; i++) {
      acc.strings.push(dec.decode(data.values.subarray(off[i], off[i + 1])));
    }
  } else if (name === 'Bool') {
    const out = Buffer.alloc(data.length);
    for (let i = 0; i < data.length; i++) {
      const j = data.offset + i;
      out[i] = (data.values[j >> 3] >> (j & 7)) & 1;
    }
    acc.dtype = 'bool';
    acc.parts.push(out);
  } else {
    const v = data.values.subarray(data.offset, data.offset + data.length);
    acc.dtype = DTYPES[name] ?? name;
    const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    // a recycled chunk's memory serves the next chunk: keep a copy
    acc.parts.push(acc.copy ? Buffer.from(bytes) : bytes);
  }
}

function finish(acc) {
  const levels = acc.levels;
  if (acc.strings) return { levels, strings: acc.strings };
  return { levels, dtype: acc.dtype, b64: Buffer.concat(acc.parts).toString('base64') };
}

async function dumpTree(file, treeName, req) {
  const tree = await file.tree(treeName);
  const branches = {};
  const wanted = tree.branches.filter(b => !req.branches || req.branches.includes(b.name));
  const range = { entryStart: req.entryStart, entryStop: req.entryStop };
  const decodable = wanted.filter(b => b.unsupported === undefined).map(b => b.name);
  for (const b of wanted) {
    if (b.unsupported === undefined) continue;
    try {
      await tree.read([b.name], range);
      branches[b.name] = { unexpectedly: 'read' };
    } catch (err) {
      branches[b.name] = { refused: b.unsupported, code: err.code, message: err.message };
    }
  }
  const accs = Object.fromEntries(
    decodable.map(n => [n, { levels: [], parts: [], copy: Boolean(req.recycle) }])
  );
  const tables = req.step
    ? tree.iterate(decodable, { ...range, step: req.step, recycle: Boolean(req.recycle) })
    : [await tree.read(decodable, range)];
  let chunks = 0;
  // chunks whose columns' values sit in memory a chunk before them had
  let reused = 0;
  const seen = new Set();
  for await (const table of tables) {
    chunks++;
    let again = false;
    for (const n of decodable) {
      for (const d of table.getChild(n).data) {
        walk(d, accs[n], 0);
        let leaf = d;
        while (leaf.children.length > 0) leaf = leaf.children[0];
        if (leaf.values) {
          if (seen.has(leaf.values.buffer)) again = true;
          seen.add(leaf.values.buffer);
        }
      }
    }
    if (again) reused++;
  }
  for (const n of decodable) branches[n] = finish(accs[n]);
  return {
    entries: tree.entries,
    chunks,
    reused,
    branches,
    types: Object.fromEntries(tree.branches.map(b => [b.name, b.type]))
  };
}

async function main() {
  const req = JSON.parse(process.argv[2]);
  const out = {};
  for (const f of req.files) {
    const file = await helpers.openROOT(f, { portal: req.portal });
    try {
      const trees = {};
      for (const t of file.treeNames) trees[t] = await dumpTree(file, t, req);
      out[f] = trees;
    } finally {
      await file.close();
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch(err => {
  process.stderr.write(`${err.code ?? ''} ${err.stack}\n`);
  process.exitCode = 1;
});
