/**
 * `n` bytes on an ArrayBuffer of their own (Buffer.allocUnsafeSlow: not a slice of Node's shared
 * pool, so at offset 0 and 8-byte aligned), not zero-filled: for a caller that writes every byte
 * or fails. Zero-filling first costs a pass over memory the caller overwrites anyway.
 */
export function uninitializedBytes(n: number): Uint8Array {
  return new Uint8Array(Buffer.allocUnsafeSlow(n).buffer, 0, n);
}
