// The catalog search's inverted index as bytes, so the bundled snapshot ships it prebuilt
// (`search-index.bin.gz`, written by scripts/build-snapshot.mjs) and a cold `opendata search`
// reads it instead of tokenizing 47k records (~350 ms). Browser-safe: no zlib here, the caller
// (node/catalog-search-file.ts) compresses.
//
// Layout: "ODLSRCH1", a varint length + JSON header, then varint sections: the terms ('\n'-joined
// UTF-8, sorted), each term's posting count, the postings' records (ascending per term, as
// deltas), their field masks (one byte each), the title and file-name words of each record
// (count per record, then word id × 2 + starts-a-name), and each facet's key ids per record
// (count per record, then the ids; the keys are in the header).
import { OpenDataError } from './errors';

/** Word ids of one text field per record, with name starts (CSR: tokens[start[i]…start[i+1]]). */
export interface Names {
  start: Uint32Array;
  tokens: Uint32Array;
  starts: Uint8Array;
}

/** What the search builds from a catalog index's text: terms sorted, so a term's id is its rank. */
export interface SearchTables {
  /** Every word of the catalog in code-unit order (term id = position). */
  terms: string[];
  /** Postings in CSR layout: the records of term t are docs[start[t]…start[t+1]], ascending. */
  postStart: Uint32Array;
  postDocs: Uint32Array;
  /** Where in the record the term occurs (the IN_* bit flags of catalog-search.ts). */
  postMask: Uint8Array;
  titleNames: Names;
  fileNames: Names;
  /** Each facet's values per record, in FACET_NAMES order (catalog-search.ts). */
  facets: FacetValues[];
}

/** One facet's values per record: ids into `keys` (CSR: values[offsets[i]…offsets[i+1]]). */
export interface FacetValues {
  keys: string[];
  offsets: Uint32Array;
  values: Uint32Array;
}

interface Header {
  version: 1;
  /** Names the catalog index the tables were built from (the node side: its file's SHA-256). */
  key: string;
  records: number;
  terms: number;
  postings: number;
  titleWords: number;
  fileWords: number;
  /** Per facet: its keys, and how many values its records have in all. */
  facetKeys: string[][];
  facetValues: number[];
}

const MAGIC = 'ODLSRCH1';

/** The tables as bytes, labelled with `key` (what `decodeSearchTables` hands back to check staleness). */
export function encodeSearchTables(tables: SearchTables, key: string): Uint8Array {
  const { terms, postStart, postDocs, postMask, titleNames, fileNames, facets } = tables;
  const records = titleNames.start.length - 1;
  const header: Header = {
    version: 1,
    key,
    records,
    terms: terms.length,
    postings: postDocs.length,
    titleWords: titleNames.tokens.length,
    fileWords: fileNames.tokens.length,
    facetKeys: facets.map(f => f.keys),
    facetValues: facets.map(f => f.values.length)
  };
  const text = new TextEncoder();
  const headerBytes = text.encode(JSON.stringify(header));
  const termBytes = text.encode(terms.join('\n'));
  const out = new ByteWriter(
    64 +
      headerBytes.length +
      termBytes.length +
      5 * (terms.length + (2 + facets.length) * records) +
      6 * postDocs.length +
      4 * (titleNames.tokens.length + fileNames.tokens.length) +
      facets.reduce((sum, f) => sum + 4 * f.values.length, 0)
  );
  out.bytes(text.encode(MAGIC));
  out.varint(headerBytes.length);
  out.bytes(headerBytes);
  out.varint(termBytes.length);
  out.bytes(termBytes);
  for (let t = 0; t < terms.length; t++) out.varint(postStart[t + 1] - postStart[t]);
  for (let t = 0; t < terms.length; t++) {
    let last = 0;
    for (let k = postStart[t]; k < postStart[t + 1]; k++) {
      out.varint(postDocs[k] - last);
      last = postDocs[k];
    }
  }
  out.bytes(postMask);
  for (const names of [titleNames, fileNames]) {
    for (let i = 0; i < records; i++) out.varint(names.start[i + 1] - names.start[i]);
    for (let k = 0; k < names.tokens.length; k++) {
      out.varint(names.tokens[k] * 2 + names.starts[k]);
    }
  }
  for (const f of facets) {
    for (let i = 0; i < records; i++) out.varint(f.offsets[i + 1] - f.offsets[i]);
    for (let k = 0; k < f.values.length; k++) out.varint(f.values[k]);
  }
  return out.done();
}

/**
 * Tables from `encodeSearchTables`' bytes and the key they carry. A foreign, truncated or
 * inconsistent file is E_FORMAT naming `source`.
 */
export function decodeSearchTables(
  bytes: Uint8Array,
  source = 'search index'
): { key: string; records: number; tables: SearchTables } {
  const bad = (why: string) =>
    new OpenDataError('E_FORMAT', `${source}: not an opendata-lab search index (${why})`);
  const text = new TextDecoder();
  if (bytes.length < MAGIC.length || text.decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw bad('no ODLSRCH1 marker');
  }
  const r = new ByteReader(bytes, MAGIC.length, bad);
  let header: Header;
  try {
    header = JSON.parse(text.decode(r.bytes(r.varint()))) as Header;
  } catch {
    throw bad('unreadable header');
  }
  if (header.version !== 1) throw bad(`version ${String(header.version)}`);
  const { records, postings } = header;
  const terms = text.decode(r.bytes(r.varint())).split('\n');
  if (terms.length !== header.terms) throw bad('term count');
  const postStart = r.offsets(terms.length, postings, 'posting count');
  const postDocs = r.varints(postings);
  for (let t = 0; t < terms.length; t++) {
    let doc = 0;
    for (let k = postStart[t]; k < postStart[t + 1]; k++) postDocs[k] = doc += postDocs[k];
    if (doc >= records) throw bad('record out of range');
  }
  const postMask = r.bytes(postings).slice();
  const names = (words: number): Names => {
    const start = r.offsets(records, words, 'word count');
    const tokens = r.varints(words);
    const starts = new Uint8Array(words);
    for (let k = 0; k < words; k++) {
      const v = tokens[k];
      tokens[k] = v >>> 1;
      starts[k] = v & 1;
      if (tokens[k] >= terms.length) throw bad('word id out of range');
    }
    return { start, tokens, starts };
  };
  const titleNames = names(header.titleWords);
  const fileNames = names(header.fileWords);
  if (!Array.isArray(header.facetKeys) || !Array.isArray(header.facetValues)) {
    throw bad('no facets');
  }
  const facets = header.facetKeys.map((keys, g): FacetValues => {
    const offsets = r.offsets(records, header.facetValues[g], 'facet value count');
    const values = r.varints(header.facetValues[g]);
    for (let k = 0; k < values.length; k++) {
      if (values[k] >= keys.length) throw bad('facet key out of range');
    }
    return { keys: keys.map(String), offsets, values };
  });
  if (!r.atEnd()) throw bad('trailing bytes');
  return {
    key: String(header.key),
    records,
    tables: { terms, postStart, postDocs, postMask, titleNames, fileNames, facets }
  };
}

class ByteWriter {
  private _buf: Uint8Array;
  private _at = 0;

  constructor(capacity: number) {
    this._buf = new Uint8Array(capacity);
  }

  private _room(n: number): void {
    if (this._at + n <= this._buf.length) return;
    const grown = new Uint8Array(Math.max(this._buf.length * 2, this._at + n));
    grown.set(this._buf.subarray(0, this._at));
    this._buf = grown;
  }

  varint(v: number): void {
    this._room(5);
    while (v >= 0x80) {
      this._buf[this._at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this._buf[this._at++] = v;
  }

  bytes(b: Uint8Array): void {
    this._room(b.length);
    this._buf.set(b, this._at);
    this._at += b.length;
  }

  done(): Uint8Array {
    return this._buf.slice(0, this._at);
  }
}

class ByteReader {
  private _at: number;

  constructor(
    private readonly _buf: Uint8Array,
    at: number,
    private readonly _bad: (why: string) => Error
  ) {
    this._at = at;
  }

  /** An unsigned LEB128 number below 2^32. */
  varint(): number {
    const buf = this._buf;
    let v = 0;
    let shift = 0;
    for (;;) {
      if (this._at >= buf.length) throw this._bad('truncated');
      const b = buf[this._at++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
      if (shift > 28) throw this._bad('varint too long');
    }
  }

  /** `count` varints (each below 2^32) in one tight loop. */
  varints(count: number): Uint32Array {
    const buf = this._buf;
    const end = buf.length;
    const out = new Uint32Array(count);
    let at = this._at;
    for (let i = 0; i < count; i++) {
      if (at >= end) throw this._bad('truncated');
      let b = buf[at++];
      let v = b & 0x7f;
      // Int32 arithmetic (bit 31 wraps; the Uint32Array store reads it back unsigned).
      for (let shift = 7; b >= 0x80; shift += 7) {
        if (at >= end || shift > 28) throw this._bad(at >= end ? 'truncated' : 'varint too long');
        b = buf[at++];
        v |= (b & 0x7f) << shift;
      }
      out[i] = v;
    }
    this._at = at;
    return out;
  }

  /** CSR offsets from `count` varint lengths, which must add up to `total`. */
  offsets(count: number, total: number, what: string): Uint32Array {
    const lengths = this.varints(count);
    const start = new Uint32Array(count + 1);
    for (let i = 0; i < count; i++) start[i + 1] = start[i] + lengths[i];
    if (start[count] !== total) throw this._bad(what);
    return start;
  }

  bytes(n: number): Uint8Array {
    if (this._at + n > this._buf.length) throw this._bad('truncated');
    const b = this._buf.subarray(this._at, this._at + n);
    this._at += n;
    return b;
  }

  atEnd(): boolean {
    return this._at === this._buf.length;
  }
}
