// The explorer's cuts as code the student pastes into the next cell: od.maskWhere with value
// ranges, so the interactive selection becomes a step of a real analysis.
import type { ColumnRanges } from './physics';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(['const', 'let', 'var', 'new', 'this', 'class', 'function', 'await']);

/** A variable name usable in generated code, else `fallback`. */
export function codeIdentifier(name: string | undefined, fallback = 'table'): string {
  return name !== undefined && IDENTIFIER.test(name) && !RESERVED.has(name) ? name : fallback;
}

/** A number as code: ±Infinity by name, else its shortest form at 12 significant digits. */
export function cutValueCode(value: number): string {
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return String(Number(value.toPrecision(12)));
}

/**
 * Two lines of TypeScript: the mask of the cuts and the count it keeps. Column names go in as
 * string literals (JSON.stringify escapes them) unless they are plain identifiers.
 */
export function cutCode(table: string, cuts: ColumnRanges): string {
  const entries = Object.entries(cuts).map(([name, [lo, hi]]) => {
    const key = IDENTIFIER.test(name) ? name : JSON.stringify(name);
    return `${key}: [${cutValueCode(lo)}, ${cutValueCode(hi)}]`;
  });
  const ranges = entries.length > 0 ? `{ ${entries.join(', ')} }` : '{}';
  return (
    `const selected = od.maskWhere(${codeIdentifier(table)}, ${ranges});\n` +
    'console.log(`${selected.reduce((n, keep) => n + keep, 0)} events selected`);'
  );
}
