// jsroot is used for what it does well (file header, keys, directories, streamer infos, TTree and
// TBranch metadata, stored objects); basket bytes are decoded by this package (see basket.ts).
// jsroot ships ES modules only and its CommonJS entry is broken under Node, so it is loaded with a
// real `import()` (module node16 keeps it in the CommonJS build). Its console chatter is captured
// and kept out of notebook output.
import { decompress as zstdDecompress } from 'fzstd';
import { ByteSource } from '../../core/byte-source';
import { OpenDataError } from '../../core/errors';

/** A jsroot object as it comes out of its streamers: typed members by ROOT's names. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsrootObject = Record<string, any>;

/** The part of jsroot's TFile this package uses. */
export interface JsrootFile {
  fKeys: JsrootObject[];
  readObject(name: string, cycle?: number): Promise<JsrootObject | null>;
  readDirectory(name: string, cycle?: number): Promise<{ fKeys: JsrootObject[] } | null>;
  delete?(): void;
}

interface JsrootIO {
  openFile(arg: unknown): Promise<JsrootFile>;
  addUserStreamer(type: string, streamer: (buf: JsrootFileBuffer, obj: JsrootObject) => void): void;
  R__unzip(view: DataView, size: number, noalert?: boolean): Promise<DataView | null>;
  FileProxy: new () => object;
}

let io: Promise<JsrootIO> | null = null;

/**
 * jsroot's I/O module, loaded once. Its zstd decoder (a wasm stream wrapper) spins forever on some
 * corrupted frames, so jsroot is handed fzstd instead, through the hook it checks first.
 */
export function loadJsroot(): Promise<JsrootIO> {
  return (io ??= (async () => {
    const core = await import('jsroot/core' as string);
    core.internals._ZstdStream = { decompress: (bytes: Uint8Array) => zstdDecompress(bytes) };
    const jsroot = (await import('jsroot/io' as string)) as JsrootIO;
    guardCollections(jsroot);
    return jsroot;
  })());
}

/** The part of jsroot's TBuffer the collection streamers below use. */
export interface JsrootBuffer {
  o: number;
  length: number;
  last_read_version: number;
  ntou4(): number;
  remain(): number;
  readTString(): string;
  readObjectAny(): unknown;
  classStreamer(obj: JsrootObject, className: string): void;
}

/** A jsroot buffer with the file it reads from, whose streamers a TClonesArray's elements use. */
interface JsrootFileBuffer extends JsrootBuffer {
  fFile: {
    getStreamer(className: string, version: { val: number }): JsrootMemberStreamer[] | null;
    getSplittedStreamer(streamer: JsrootMemberStreamer[] | null): JsrootMemberStreamer[] | null;
  };
}

interface JsrootMemberStreamer {
  func(buf: JsrootFileBuffer, obj: JsrootObject): void;
}

/**
 * A collection's object count as read from damaged bytes, checked against what is left of the
 * buffer: each element takes at least `minBytes`. jsroot allocates `new Array(count)` before
 * reading any element, and a V8 array of up to ~32M holes is 8 bytes each on the JS heap: a
 * flipped count byte in a TTree's fBranches/fLeaves ran a 512 MB heap out of memory (a fatal
 * error, not an exception, so nothing downstream could catch it).
 */
export function checkedCount(buf: JsrootBuffer, what: string, minBytes: number): number {
  const at = buf.o;
  const count = buf.ntou4();
  if (count * minBytes > buf.remain()) {
    throw new Error(
      `${what} at byte ${at} of its object claims ${count} elements, ${buf.remain()} bytes left`
    );
  }
  return count;
}

/**
 * jsroot's TObjArray, TList and TClonesArray streamers, the same reads with the element count
 * bounded (see checkedCount), installed through jsroot's own hook for custom streamers (its table
 * of them, which this replaces entries of) rather than by patching its sources. Every element is at
 * least a 4-byte object tag (a TList's also a 1-byte option); a TClonesArray's elements are
 * TObjects stored member-wise, whose TObject part alone is a 2-byte version, fUniqueID and fBits.
 */
function guardCollections(jsroot: JsrootIO): void {
  // what a TObjArray and a TClonesArray begin with: TObject and name (by version)
  const arrayHead = (buf: JsrootBuffer, obj: JsrootObject, kind: string) => {
    obj._typename ??= kind;
    obj.$kind = kind;
    obj.name = '';
    const ver = buf.last_read_version;
    if (ver > 2) buf.classStreamer(obj, 'TObject');
    if (ver > 1) obj.name = buf.readTString();
  };
  jsroot.addUserStreamer('TObjArray', (buf, list) => {
    arrayHead(buf, list, 'TObjArray');
    const n = checkedCount(buf, 'TObjArray', 4);
    list.arr = new Array(n);
    list.fLast = n - 1;
    list.fLowerBound = buf.ntou4();
    for (let i = 0; i < n; i++) list.arr[i] = buf.readObjectAny();
  });
  const list = (buf: JsrootBuffer, obj: JsrootObject) => {
    obj._typename ??= 'TList';
    obj.$kind = 'TList';
    obj.name = '';
    obj.arr = [];
    obj.opt = [];
    if (buf.last_read_version <= 3) return;
    buf.classStreamer(obj, 'TObject');
    obj.name = buf.readTString();
    const n = checkedCount(buf, 'TList', 5);
    obj.arr = new Array(n);
    obj.opt = new Array(n);
    for (let i = 0; i < n; i++) {
      obj.arr[i] = buf.readObjectAny();
      obj.opt[i] = buf.readTString();
    }
  };
  jsroot.addUserStreamer('TList', list); // THashList is jsroot's alias of TList
  jsroot.addUserStreamer('TClonesArray', (buf, clones) => {
    arrayHead(buf, clones, 'TClonesArray');
    // the element class as "name;version"
    let className = buf.readTString();
    let classVersion = 0;
    const semi = className.lastIndexOf(';');
    if (semi > 0) {
      classVersion = Number.parseInt(className.slice(semi + 1));
      className = className.slice(0, semi);
    }
    const n = checkedCount(buf, 'TClonesArray', 10);
    clones.arr = new Array(n);
    clones.fLast = n - 1;
    clones.fLowerBound = buf.ntou4();
    const file = buf.fFile;
    const members = file.getSplittedStreamer(file.getStreamer(className, { val: classVersion }));
    if (!members) {
      console.log(`Cannot get member-wise streamer for ${className}:${classVersion}`);
      return;
    }
    for (let i = 0; i < n; i++) clones.arr[i] = { _typename: className };
    // member-wise: each member of every element in turn
    for (const member of members) for (let i = 0; i < n; i++) member.func(buf, clones.arr[i]);
  });
}

let silenced = 0;
let saved: Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'> | null = null;
let captured: string[] = [];

/**
 * Runs `work` (a jsroot call) with console output captured, so jsroot's messages never reach a
 * notebook; returns the result and what jsroot said (for error messages).
 */
export async function quietly<T>(work: () => Promise<T>): Promise<{ value: T; said: string[] }> {
  if (silenced++ === 0) {
    saved = {
      log: console.log,
      info: console.info,
      warn: console.warn,
      error: console.error,
      debug: console.debug
    };
    captured = [];
    const keep = (...args: unknown[]) => {
      if (captured.length < 20) captured.push(args.map(String).join(' '));
    };
    console.log = console.info = console.warn = console.error = console.debug = keep;
  }
  const mine = captured;
  try {
    return { value: await work(), said: mine.slice() };
  } finally {
    if (--silenced === 0 && saved) {
      Object.assign(console, saved);
      saved = null;
    }
  }
}

/** Opens a ByteSource with jsroot (through its FileProxy interface): keys and streamers are read. */
export async function openWithJsroot(source: ByteSource): Promise<JsrootFile> {
  const jsroot = await loadJsroot();
  const size = await source.size();
  class SourceProxy extends jsroot.FileProxy {
    async openFile() {
      return true;
    }
    getFileName() {
      return source.name;
    }
    getFileSize() {
      return size;
    }
    async readBuffer(pos: number, len: number): Promise<DataView> {
      const bytes = await source.read(pos, len);
      return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
  }
  let file: JsrootFile | false;
  let said: string[];
  try {
    ({ value: file, said } = await quietly(() => jsroot.openFile(new SourceProxy())));
  } catch (err) {
    // A cut download fails wherever the first missing byte is needed; say what went wrong.
    const end = await declaredEnd(source, size).catch(() => null);
    if (end !== null && end > size) throw truncated(source.name, size, end, err);
    if (err instanceof OpenDataError) throw err;
    throw new OpenDataError(
      'E_FORMAT',
      `${source.name}: not a readable ROOT file (${describe(err)})`,
      {
        cause: err
      }
    );
  }
  if (!file) {
    throw new OpenDataError(
      'E_FORMAT',
      `${source.name}: not a readable ROOT file${said.length ? ` (${said[0]})` : ''}`
    );
  }
  // jsroot leaves the header's fEND on the file; keys and streamers may all sit before the cut,
  // so a truncated file can open and fail only later, at some basket: refuse it here.
  const end = Number((file as JsrootFile & { fEND?: number }).fEND);
  if (Number.isFinite(end) && end > size) {
    file.delete?.();
    throw truncated(source.name, size, end);
  }
  return file;
}

/** Where the ROOT header says the file ends (fEND), or null when the bytes are not a ROOT header. */
async function declaredEnd(source: ByteSource, size: number): Promise<number | null> {
  if (size < 20) return null;
  const head = await source.read(0, Math.min(size, 24));
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (String.fromCharCode(...head.subarray(0, 4)) !== 'root') return null;
  // fVersion, fBEGIN, then fEND: 4 bytes, or 8 in large-file headers (version >= 1000000).
  if (view.getUint32(4) < 1000000) return view.getUint32(12);
  return head.byteLength >= 20 ? Number(view.getBigUint64(12)) : null;
}

function truncated(name: string, size: number, end: number, cause?: unknown): OpenDataError {
  const n = (v: number) => v.toLocaleString('en-US');
  return new OpenDataError(
    'E_FORMAT',
    `${name}: the file is truncated: ${n(size)} of ${n(end)} bytes ` +
      '(an interrupted download or copy?); download or copy it again',
    cause === undefined ? undefined : { cause }
  );
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
