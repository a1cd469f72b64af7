// The WebAssembly fast path of the CSV reader (assembly/csv-numbers.ts): whole records of plain
// numbers and unquoted text parsed in WebAssembly memory, then copied into the parser's columns.
import fs from 'node:fs';
import { builtFile } from './built-file';

interface NumbersExports {
  memory: WebAssembly.Memory;
  parseNumbers(
    input: number,
    length: number,
    columns: number,
    kinds: number,
    out: number,
    stride: number,
    capacity: number,
    delimiter: number
  ): number;
  consumed(): number;
}

/** Rows per call: the output area (rows × 8 bytes × columns) stays within the L2 cache. */
const ROWS_PER_CALL = 4096;
/** Zero bytes the kernel needs after its input (it reads eight bytes at a time). */
const PADDING = 64;

let compiled: WebAssembly.Module | null | undefined;
/** A kernel whose parser has finished, for the next parser on this thread (pieces of a read). */
let spare: NumberKernel | null = null;

/** The compiled module, or null when the build has none (the parser then reads in JavaScript). */
function numbersModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const file = builtFile('wasm', 'csv-numbers.wasm');
    try {
      compiled = file === null ? null : new WebAssembly.Module(fs.readFileSync(file));
    } catch {
      compiled = null; // e.g. a runtime without wasm SIMD: the JavaScript parser reads it all
    }
  }
  return compiled;
}

/** One parser's kernel: its own memory holding the input chunk, column kinds and output rows. */
export class NumberKernel {
  /** The chunk buffer to read the file into (its padding lies beyond `input.length`). */
  readonly input: Uint8Array;
  private readonly kinds: Uint8Array;
  private readonly ints: Int32Array[];
  private readonly floats: Float64Array[];
  private readonly inputAt: number;
  private readonly kindsAt: number;
  private readonly outAt: number;

  private constructor(
    private readonly wasm: NumbersExports,
    private readonly columns: number,
    chunkBytes: number
  ) {
    const stride = ROWS_PER_CALL * 8;
    const base = wasm.memory.buffer.byteLength; // above the module's own data
    const inputAt = base;
    const kindsAt = inputAt + align(chunkBytes + PADDING);
    const outAt = kindsAt + align(columns);
    const top = outAt + stride * columns;
    wasm.memory.grow(Math.ceil((top - base) / 65536));
    // The memory never grows again, so these views stay valid.
    const buffer = wasm.memory.buffer;
    this.input = new Uint8Array(buffer, inputAt, chunkBytes);
    this.kinds = new Uint8Array(buffer, kindsAt, columns);
    this.ints = [];
    this.floats = [];
    for (let j = 0; j < columns; j++) {
      this.ints.push(new Int32Array(buffer, outAt + j * stride, 2 * ROWS_PER_CALL));
      this.floats.push(new Float64Array(buffer, outAt + j * stride, ROWS_PER_CALL));
    }
    this.inputAt = inputAt;
    this.kindsAt = kindsAt;
    this.outAt = outAt;
  }

  /** Rows one parse call reads at most. */
  static readonly ROWS_PER_CALL = ROWS_PER_CALL;

  /** A kernel for `columns` columns and chunks of `chunkBytes`, or null without the build's wasm. */
  static create(columns: number, chunkBytes: number): NumberKernel | null {
    const module = numbersModule();
    if (module === null) return null;
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort: () => {
          throw new Error('csv-numbers.wasm aborted');
        }
      }
    });
    return new NumberKernel(instance.exports as unknown as NumbersExports, columns, chunkBytes);
  }

  /** A kernel of this shape: the thread's spare one when it fits, else a new one. */
  static acquire(columns: number, chunkBytes: number): NumberKernel | null {
    const kernel = spare;
    if (kernel !== null && kernel.columns === columns && kernel.input.length === chunkBytes) {
      spare = null;
      return kernel;
    }
    return NumberKernel.create(columns, chunkBytes);
  }

  /** Its parser is done with it: keep it for the next. */
  static release(kernel: NumberKernel): void {
    spare = kernel;
  }

  /** Whether `buf` is this kernel's input chunk (a longer buffer for a huge record is not). */
  owns(buf: Uint8Array): boolean {
    return buf.buffer === this.input.buffer && buf.byteOffset === this.input.byteOffset;
  }

  /**
   * Parses records from input[start, stop) (input[stop, end) may follow; zeros are written after
   * end): at most `capacity` rows, given each column's kind (1 Int32, 2 Float64). Returns the
   * number of rows; `consumed` then tells the bytes they took. Read them with int32s / float64s / spans.
   */
  parse(
    start: number,
    stop: number,
    end: number,
    kinds: ArrayLike<number>,
    capacity: number,
    delimiter: number
  ): number {
    new Uint8Array(this.input.buffer, this.inputAt + end, PADDING).fill(0);
    for (let j = 0; j < this.columns; j++) this.kinds[j] = kinds[j];
    return this.wasm.parseNumbers(
      this.inputAt + start,
      stop - start,
      this.columns,
      this.kindsAt,
      this.outAt,
      ROWS_PER_CALL * 8,
      Math.min(capacity, ROWS_PER_CALL),
      delimiter
    );
  }

  /** Bytes the last parse consumed. */
  get consumed(): number {
    return this.wasm.consumed();
  }

  int32s(column: number, rows: number): Int32Array {
    return this.ints[column].subarray(0, rows);
  }

  /** A text column's fields: start and end offsets (from the parse's start) per row. */
  spans(column: number, rows: number): Int32Array {
    return this.ints[column].subarray(0, 2 * rows);
  }

  float64s(column: number, rows: number): Float64Array {
    return this.floats[column].subarray(0, rows);
  }
}

function align(n: number): number {
  return (n + 63) & ~63;
}
