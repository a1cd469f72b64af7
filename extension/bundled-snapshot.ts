import { fetchSnapshot, type SnapshotLoader } from './snapshot';

/**
 * The catalog snapshot shipped inside the labextension. rspack recognises
 * `new URL('<literal>', import.meta.url)`, emits the file into `static/` and resolves the URL
 * against the extension's public path at run time. `../data` is right both from `extension/*.ts`
 * and from the compiled `lib/*.js` that rspack bundles.
 *
 * Kept in its own module: jest runs CommonJS, where `import.meta` is a syntax error.
 */
export const loadBundledSnapshot: SnapshotLoader = () =>
  fetchSnapshot(new URL('../data/catalog/index.json.gz', import.meta.url));
