// Shared pieces of the CLI commands: output, option parsers, the command registration shape.
import { Command, InvalidArgumentError } from 'commander';

export type Output = (text: string) => void;

/** What every command module gets: where to write. */
export interface CommandIO {
  out: Output;
  err: Output;
}

/** A command module adds its command(s) to the program. */
export type RegisterCommand = (program: Command, io: CommandIO) => void;

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a positive integer.');
  }
  return n;
}

export function range(value: string): [number, number] {
  const parts = value.split(',');
  const [lo, hi] = parts.map(p => (p.trim() === '' ? NaN : Number(p)));
  if (parts.length !== 2 || !Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
    throw new InvalidArgumentError('expected LO,HI with finite numbers and LO < HI (e.g. 60,120).');
  }
  return [lo, hi];
}

export function writeJSON(out: Output, value: unknown): void {
  out(JSON.stringify(value) + '\n');
}

export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError('expected a non-negative integer.');
  }
  return n;
}
