import fs from 'node:fs';
import path from 'node:path';

/**
 * A file of the helpers' build (dist/…) that is not a TypeScript module: worker scripts, wasm.
 * From dist/node it lies in dist; from the sources (tests run them through ts-jest) it is the
 * built one. Null when there is none (the caller then does without).
 */
export function builtFile(...parts: string[]): string | null {
  const candidates = [
    path.join(__dirname, '..', ...parts),
    path.join(__dirname, '..', '..', 'dist', ...parts)
  ];
  return candidates.find(f => fs.existsSync(f)) ?? null;
}
