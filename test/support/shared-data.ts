// Where the real test data lives: ../shared/data next to the repository (as on CI's clean clone),
// or OPENDATA_SHARED_DATA. Tests use this, never an absolute path of one machine.
import path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SHARED_DATA =
  process.env.OPENDATA_SHARED_DATA ?? path.resolve(REPO_ROOT, '..', 'shared', 'data');

export const sharedPath = (...segments: string[]): string => path.join(SHARED_DATA, ...segments);
