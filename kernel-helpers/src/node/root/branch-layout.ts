// What a TBranch holds and how its basket bytes are laid out, from jsroot's TBranch/TLeaf
// metadata. Anything this package does not decode exactly gets kind 'unsupported' with the
// reason, and reading it raises E_UNSUPPORTED naming the branch.
import { JsrootObject } from './jsroot';

/** Element types of decoded columns (big-endian on disk). */
export type Primitive =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64';

export const PRIMITIVE_SIZE: Record<Primitive, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8
};

/**
 * - fixed: every entry is `product(dims)` values (dims [] for a scalar, [3] for `x[3]`);
 * - jagged: leaf-count array `x[n]` (then `dims` are the fixed inner dimensions, `x[n][3]`);
 * - vector: `std::vector<T>`, each entry after a 10-byte header (byte count, version, size);
 * - vector2: `std::vector<std::vector<T>>`, a 6-byte header, then sizes before each inner vector;
 * - string: TLeafC, a length byte (255: a 4-byte length follows) and the characters.
 */
export type BranchLayout =
  | { kind: 'fixed' | 'jagged'; type: Primitive; dims: number[]; counter?: string }
  | { kind: 'vector' | 'vector2'; type: Primitive }
  | { kind: 'string' }
  | { kind: 'unsupported'; reason: string };

const LEAF_TYPES: Record<string, [Primitive, Primitive]> = {
  // [signed, unsigned] by the leaf's fIsUnsigned
  TLeafB: ['int8', 'uint8'],
  TLeafS: ['int16', 'uint16'],
  TLeafI: ['int32', 'uint32'],
  TLeafL: ['int64', 'uint64'],
  TLeafG: ['int64', 'uint64'],
  TLeafF: ['float32', 'float32'],
  TLeafD: ['float64', 'float64'],
  TLeafO: ['bool', 'bool']
};

const CXX_TYPES: Record<string, Primitive> = {
  bool: 'bool',
  Bool_t: 'bool',
  char: 'int8',
  Char_t: 'int8',
  'unsigned char': 'uint8',
  UChar_t: 'uint8',
  short: 'int16',
  Short_t: 'int16',
  'unsigned short': 'uint16',
  UShort_t: 'uint16',
  int: 'int32',
  Int_t: 'int32',
  'unsigned int': 'uint32',
  unsigned: 'uint32',
  UInt_t: 'uint32',
  long: 'int64',
  Long_t: 'int64',
  'long long': 'int64',
  Long64_t: 'int64',
  'unsigned long': 'uint64',
  ULong_t: 'uint64',
  'unsigned long long': 'uint64',
  ULong64_t: 'uint64',
  float: 'float32',
  Float_t: 'float32',
  double: 'float64',
  Double_t: 'float64'
};

/** `vector<vector<int> >` → ['vector', 'vector', 'int'] (element class last). */
function unwrapVectors(className: string): string[] {
  const parts: string[] = [];
  let s = className.replace(/\s+/g, ' ').trim();
  for (;;) {
    const m = /^(?:std::)?vector ?<(.*)>$/.exec(s);
    if (!m) break;
    parts.push('vector');
    s = m[1].trim();
  }
  parts.push(s);
  return parts;
}

/** Dimensions written after the leaf name, e.g. `Jet_pt[nJet][3]` → ['nJet', '3']. */
function bracketDims(title: string): string[] {
  return Array.from(title.matchAll(/\[([^\]]*)\]/g), m => m[1].trim());
}

export function branchLayout(branch: JsrootObject): BranchLayout {
  const leaves: JsrootObject[] = branch.fLeaves?.arr ?? [];
  const subBranches: JsrootObject[] = branch.fBranches?.arr ?? [];
  const unsupported = (reason: string): BranchLayout => ({ kind: 'unsupported', reason });
  if (subBranches.length > 0) {
    return unsupported(
      `a split object with ${subBranches.length} sub-branches (read those instead)`
    );
  }
  if (leaves.length !== 1) return unsupported(`a leaf list of ${leaves.length} leaves`);
  const leaf = leaves[0];

  if (branch._typename === 'TBranchElement') {
    if (leaf._typename !== 'TLeafElement' || branch.fType !== 0 || branch.fStreamerType !== -1) {
      return unsupported(
        `a ${branch.fClassName || branch._typename} member (type ${branch.fType}, streamer type ${branch.fStreamerType})`
      );
    }
    const parts = unwrapVectors(String(branch.fClassName ?? ''));
    const element = CXX_TYPES[parts[parts.length - 1]];
    if (element !== undefined && parts.length === 2) return { kind: 'vector', type: element };
    if (element !== undefined && parts.length === 3) return { kind: 'vector2', type: element };
    return unsupported(`objects of class ${branch.fClassName}`);
  }
  if (branch._typename !== 'TBranch') return unsupported(`a ${branch._typename}`);

  if (leaf._typename === 'TLeafC') {
    return leaf.fLeafCount ? unsupported('a counted array of strings') : { kind: 'string' };
  }
  const types = LEAF_TYPES[leaf._typename];
  if (types === undefined) return unsupported(`leaves of type ${leaf._typename}`);
  const type = types[leaf.fIsUnsigned ? 1 : 0];

  const dims = bracketDims(String(leaf.fTitle ?? ''));
  const counter: string | undefined = leaf.fLeafCount ? String(leaf.fLeafCount.fName) : undefined;
  if (counter !== undefined) dims.shift();
  const fixed = dims.map(Number);
  if (fixed.some(d => !Number.isInteger(d) || d < 1)) {
    return unsupported(`array dimensions ${leaf.fTitle} that are not constants`);
  }
  const len = fixed.reduce((a, b) => a * b, 1);
  if (len !== leaf.fLen) {
    // the title disagrees with the leaf's own length: trust neither
    return unsupported(`leaf ${leaf.fTitle} with fLen ${leaf.fLen}`);
  }
  return counter === undefined
    ? { kind: 'fixed', type, dims: fixed }
    : { kind: 'jagged', type, dims: fixed, counter };
}

/** The type in awkward's notation: `float32`, `3 * int8`, `var * float32`, `string`. */
export function layoutTypeName(layout: BranchLayout): string {
  switch (layout.kind) {
    case 'fixed':
      return [...layout.dims.map(String), layout.type].join(' * ');
    case 'jagged':
      return ['var', ...layout.dims.map(String), layout.type].join(' * ');
    case 'vector':
      return `var * ${layout.type}`;
    case 'vector2':
      return `var * var * ${layout.type}`;
    case 'string':
      return 'string';
    default:
      return 'unsupported';
  }
}
