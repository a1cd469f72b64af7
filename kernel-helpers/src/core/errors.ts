import { errorBundle, defineDisplay } from './rich-display';

/** Stable error codes shared by the helpers, the CLI and the extension (see docs/architecture.md). */
export type ErrorCode =
  | 'E_NOT_FOUND'
  | 'E_NETWORK'
  | 'E_CHECKSUM'
  | 'E_FORMAT'
  | 'E_UNSUPPORTED'
  | 'E_USAGE'
  | 'E_DISPLAY';

/** An error whose `code` callers can branch on and whose message names the file, record or position. */
export class OpenDataError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OpenDataError';
    this.code = code;
  }
}

// Node's util.inspect (behind console.error, hence tslab's report of a failed cell and the REPL)
// prints an Error as its stack, its own properties and the whole `[cause]` chain with errno fields:
// 15-40 lines in a notebook for one mistake. The message already says what failed and where, so
// inspect shows that line only; `stack` and `cause` stay on the error for code and debuggers.
// Symbol.for keeps this module browser-safe (no import of node:util).
Object.defineProperty(OpenDataError.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: OpenDataError): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  },
  enumerable: false,
  writable: true,
  configurable: true
});

// A cell ending with such an error (caught, or returned) shows its message (rich-display.ts).
defineDisplay(OpenDataError.prototype, errorBundle);

/**
 * The code of an error from the helpers, also when it crossed a boundary that keeps only plain
 * properties (a worker, a second copy of the module); undefined for any other error.
 */
export function errorCode(error: unknown): ErrorCode | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.startsWith('E_') ? (code as ErrorCode) : undefined;
}
