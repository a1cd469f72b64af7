/** Stable error codes shared by the helpers, the CLI and the extension (see DESIGN.md). */
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
