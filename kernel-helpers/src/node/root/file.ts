// openROOT: a ROOT file from a local path, a URL (HTTP range reads) or any ByteSource: its keys
// (directories included), its trees and its stored histograms and graphs.
import { ByteSource } from '../../core/byte-source';
import { OpenDataError } from '../../core/errors';
import { isRemoteUri } from '../../core/record-files';
import { FileByteSource } from '../file-byte-source';
import { HttpByteSource } from '../http-range';
import { JsrootFile, JsrootObject, describe, openWithJsroot, quietly } from './jsroot';
import { StoredObject, storedObject } from './objects';
import { ROOTTree } from './tree';

/** One key of the file: `name` is its path from the top directory (`dir/sub/name`). */
export interface ROOTKey {
  name: string;
  className: string;
  cycle: number;
  title: string;
}

export interface OpenROOTOptions {
  /** Where `root://eospublic.cern.ch//eos/...` URIs are read from (a stand-in in tests). */
  portal?: string;
}

const TREE_CLASSES = new Set(['TTree', 'TNtuple', 'TNtupleD']);
const DIRECTORY_CLASSES = new Set(['TDirectory', 'TDirectoryFile']);

export class ROOTFile {
  readonly name: string;
  /** Every key, directories first then their contents; the streamer list is left out. */
  readonly keys: ROOTKey[];
  private readonly _source: ByteSource;
  private readonly _file: JsrootFile;

  /** @internal Use openROOT(). */
  constructor(source: ByteSource, file: JsrootFile, keys: ROOTKey[]) {
    this._source = source;
    this._file = file;
    this.name = source.name;
    this.keys = keys;
  }

  /** The keys that are trees (highest cycle of each name). */
  get treeNames(): string[] {
    return this._latest(k => TREE_CLASSES.has(k.className)).map(k => k.name);
  }

  /** Keys that are neither trees nor directories (highest cycle of each name). */
  get objectKeys(): ROOTKey[] {
    return this._latest(k => !TREE_CLASSES.has(k.className) && !DIRECTORY_CLASSES.has(k.className));
  }

  async tree(name: string): Promise<ROOTTree> {
    const key = this._key(name);
    if (!TREE_CLASSES.has(key.className)) {
      throw new OpenDataError(
        'E_FORMAT',
        `${this.name}: ${key.name} is a ${key.className}, not a TTree`
      );
    }
    const obj = await this._read(key);
    try {
      return new ROOTTree(this._source, key.name, obj);
    } catch (err) {
      if (err instanceof OpenDataError) throw err;
      throw new OpenDataError(
        'E_FORMAT',
        `${this.name}: damaged TTree ${key.name} (${describe(err)})`,
        {
          cause: err
        }
      );
    }
  }

  /** A stored TH1/TH2/TProfile/TGraph* as a plain object (see StoredObject). */
  async object(name: string): Promise<StoredObject> {
    const key = this._key(name);
    return storedObject(await this._read(key), `${this.name}: ${key.name}`);
  }

  /** jsroot's own object for a key, for classes this package does not convert. */
  async rawObject(name: string): Promise<Record<string, unknown>> {
    return this._read(this._key(name));
  }

  async close(): Promise<void> {
    this._file.delete?.();
    await this._source.close();
  }

  private _latest(pred: (k: ROOTKey) => boolean): ROOTKey[] {
    const best = new Map<string, ROOTKey>();
    for (const k of this.keys) {
      if (!pred(k)) continue;
      const seen = best.get(k.name);
      if (!seen || k.cycle > seen.cycle) best.set(k.name, k);
    }
    return Array.from(best.values());
  }

  /** `name` or `name;cycle`; the highest cycle when none is given. */
  private _key(spec: string): ROOTKey {
    const m = /^(.*);(\d+)$/.exec(spec);
    const name = (m ? m[1] : spec).replace(/^\/+/, '');
    const cycle = m ? Number(m[2]) : undefined;
    let found: ROOTKey | undefined;
    for (const k of this.keys) {
      if (k.name !== name || (cycle !== undefined && k.cycle !== cycle)) continue;
      if (!found || k.cycle > found.cycle) found = k;
    }
    if (!found) {
      const names = this.keys.map(k => `${k.name} (${k.className})`).join(', ');
      throw new OpenDataError('E_NOT_FOUND', `${this.name}: no key "${spec}" (keys: ${names})`);
    }
    return found;
  }

  private async _read(key: ROOTKey): Promise<JsrootObject> {
    let obj: JsrootObject | null;
    let said: string[];
    try {
      ({ value: obj, said } = await quietly(() => this._file.readObject(key.name, key.cycle)));
    } catch (err) {
      throw new OpenDataError(
        'E_FORMAT',
        `${this.name}: cannot read ${key.name} (${describe(err)})`,
        {
          cause: err
        }
      );
    }
    if (!obj) {
      throw new OpenDataError(
        'E_FORMAT',
        `${this.name}: cannot read ${key.name}${said.length ? ` (${said[0]})` : ''}`
      );
    }
    return obj;
  }
}

function sourceFor(input: string | ByteSource, options: OpenROOTOptions): ByteSource {
  if (typeof input !== 'string') return input;
  if (isRemoteUri(input)) {
    return new HttpByteSource(input, { portal: options.portal });
  }
  return new FileByteSource(input.replace(/^file:\/\//, ''));
}

async function listKeys(file: JsrootFile, where: string): Promise<ROOTKey[]> {
  const out: ROOTKey[] = [];
  const walk = async (keys: JsrootObject[], prefix: string, depth: number) => {
    for (const k of keys) {
      const className = String(k.fClassName);
      const name = prefix + String(k.fName);
      if (prefix === '' && name === 'StreamerInfo' && className === 'TList') continue;
      const key = { name, className, cycle: Number(k.fCycle), title: String(k.fTitle ?? '') };
      out.push(key);
      if (DIRECTORY_CLASSES.has(className)) {
        if (depth > 32) {
          throw new OpenDataError('E_FORMAT', `${where}: directories nested too deep at ${name}`);
        }
        const { value: dir } = await quietly(() => file.readDirectory(name, key.cycle));
        if (!dir) throw new OpenDataError('E_FORMAT', `${where}: cannot read directory ${name}`);
        await walk(dir.fKeys ?? [], `${name}/`, depth + 1);
      }
    }
  };
  try {
    await walk(file.fKeys ?? [], '', 0);
  } catch (err) {
    if (err instanceof OpenDataError) throw err;
    throw new OpenDataError('E_FORMAT', `${where}: cannot list keys (${describe(err)})`, {
      cause: err
    });
  }
  return out;
}

/**
 * Opens a ROOT file: a local path, an http(s):// URL or portal `root://` URI (read with HTTP range
 * requests), or any ByteSource. Reads the header, the keys and the streamers; trees and objects are
 * read on demand. Close it when done.
 */
export async function openROOT(
  input: string | ByteSource,
  options: OpenROOTOptions = {}
): Promise<ROOTFile> {
  const source = sourceFor(input, options);
  try {
    const file = await openWithJsroot(source);
    return new ROOTFile(source, file, await listKeys(file, source.name));
  } catch (err) {
    await source.close().catch(() => undefined);
    throw err;
  }
}
