import { readFileSync } from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import type { CatalogIndexData } from '@opendata-lab/kernel-helpers/core';

/** The bundled snapshot that the extension ships. */
export const SNAPSHOT_PATH = path.resolve(__dirname, '../../data/catalog/index.json.gz');

let text: string | null = null;

/** The snapshot parsed afresh (decoded with Node's zlib), so a test may edit its copy. */
export function readSnapshot(): CatalogIndexData {
  text ??= gunzipSync(readFileSync(SNAPSHOT_PATH)).toString('utf8');
  return JSON.parse(text) as CatalogIndexData;
}
