import type { CatalogRecord, ShardLoader } from '@opendata-lab/kernel-helpers/core';
import { fetchSnapshot } from './snapshot';

/**
 * The 64 shards of full records (`data/catalog/records/NN.json.gz`, shard = recid % 64) shipped
 * in the labextension. One literal `new URL` per shard: that is what makes rspack emit each file
 * into `static/` (a computed path would not be). Fetched on demand, one shard per record view.
 *
 * Kept in its own module: jest runs CommonJS, where `import.meta` is a syntax error.
 */
const SHARDS: Record<string, URL> = {
  '00.json.gz': new URL('../data/catalog/records/00.json.gz', import.meta.url),
  '01.json.gz': new URL('../data/catalog/records/01.json.gz', import.meta.url),
  '02.json.gz': new URL('../data/catalog/records/02.json.gz', import.meta.url),
  '03.json.gz': new URL('../data/catalog/records/03.json.gz', import.meta.url),
  '04.json.gz': new URL('../data/catalog/records/04.json.gz', import.meta.url),
  '05.json.gz': new URL('../data/catalog/records/05.json.gz', import.meta.url),
  '06.json.gz': new URL('../data/catalog/records/06.json.gz', import.meta.url),
  '07.json.gz': new URL('../data/catalog/records/07.json.gz', import.meta.url),
  '08.json.gz': new URL('../data/catalog/records/08.json.gz', import.meta.url),
  '09.json.gz': new URL('../data/catalog/records/09.json.gz', import.meta.url),
  '10.json.gz': new URL('../data/catalog/records/10.json.gz', import.meta.url),
  '11.json.gz': new URL('../data/catalog/records/11.json.gz', import.meta.url),
  '12.json.gz': new URL('../data/catalog/records/12.json.gz', import.meta.url),
  '13.json.gz': new URL('../data/catalog/records/13.json.gz', import.meta.url),
  '14.json.gz': new URL('../data/catalog/records/14.json.gz', import.meta.url),
  '15.json.gz': new URL('../data/catalog/records/15.json.gz', import.meta.url),
  '16.json.gz': new URL('../data/catalog/records/16.json.gz', import.meta.url),
  '17.json.gz': new URL('../data/catalog/records/17.json.gz', import.meta.url),
  '18.json.gz': new URL('../data/catalog/records/18.json.gz', import.meta.url),
  '19.json.gz': new URL('../data/catalog/records/19.json.gz', import.meta.url),
  '20.json.gz': new URL('../data/catalog/records/20.json.gz', import.meta.url),
  '21.json.gz': new URL('../data/catalog/records/21.json.gz', import.meta.url),
  '22.json.gz': new URL('../data/catalog/records/22.json.gz', import.meta.url),
  '23.json.gz': new URL('../data/catalog/records/23.json.gz', import.meta.url),
  '24.json.gz': new URL('../data/catalog/records/24.json.gz', import.meta.url),
  '25.json.gz': new URL('../data/catalog/records/25.json.gz', import.meta.url),
  '26.json.gz': new URL('../data/catalog/records/26.json.gz', import.meta.url),
  '27.json.gz': new URL('../data/catalog/records/27.json.gz', import.meta.url),
  '28.json.gz': new URL('../data/catalog/records/28.json.gz', import.meta.url),
  '29.json.gz': new URL('../data/catalog/records/29.json.gz', import.meta.url),
  '30.json.gz': new URL('../data/catalog/records/30.json.gz', import.meta.url),
  '31.json.gz': new URL('../data/catalog/records/31.json.gz', import.meta.url),
  '32.json.gz': new URL('../data/catalog/records/32.json.gz', import.meta.url),
  '33.json.gz': new URL('../data/catalog/records/33.json.gz', import.meta.url),
  '34.json.gz': new URL('../data/catalog/records/34.json.gz', import.meta.url),
  '35.json.gz': new URL('../data/catalog/records/35.json.gz', import.meta.url),
  '36.json.gz': new URL('../data/catalog/records/36.json.gz', import.meta.url),
  '37.json.gz': new URL('../data/catalog/records/37.json.gz', import.meta.url),
  '38.json.gz': new URL('../data/catalog/records/38.json.gz', import.meta.url),
  '39.json.gz': new URL('../data/catalog/records/39.json.gz', import.meta.url),
  '40.json.gz': new URL('../data/catalog/records/40.json.gz', import.meta.url),
  '41.json.gz': new URL('../data/catalog/records/41.json.gz', import.meta.url),
  '42.json.gz': new URL('../data/catalog/records/42.json.gz', import.meta.url),
  '43.json.gz': new URL('../data/catalog/records/43.json.gz', import.meta.url),
  '44.json.gz': new URL('../data/catalog/records/44.json.gz', import.meta.url),
  '45.json.gz': new URL('../data/catalog/records/45.json.gz', import.meta.url),
  '46.json.gz': new URL('../data/catalog/records/46.json.gz', import.meta.url),
  '47.json.gz': new URL('../data/catalog/records/47.json.gz', import.meta.url),
  '48.json.gz': new URL('../data/catalog/records/48.json.gz', import.meta.url),
  '49.json.gz': new URL('../data/catalog/records/49.json.gz', import.meta.url),
  '50.json.gz': new URL('../data/catalog/records/50.json.gz', import.meta.url),
  '51.json.gz': new URL('../data/catalog/records/51.json.gz', import.meta.url),
  '52.json.gz': new URL('../data/catalog/records/52.json.gz', import.meta.url),
  '53.json.gz': new URL('../data/catalog/records/53.json.gz', import.meta.url),
  '54.json.gz': new URL('../data/catalog/records/54.json.gz', import.meta.url),
  '55.json.gz': new URL('../data/catalog/records/55.json.gz', import.meta.url),
  '56.json.gz': new URL('../data/catalog/records/56.json.gz', import.meta.url),
  '57.json.gz': new URL('../data/catalog/records/57.json.gz', import.meta.url),
  '58.json.gz': new URL('../data/catalog/records/58.json.gz', import.meta.url),
  '59.json.gz': new URL('../data/catalog/records/59.json.gz', import.meta.url),
  '60.json.gz': new URL('../data/catalog/records/60.json.gz', import.meta.url),
  '61.json.gz': new URL('../data/catalog/records/61.json.gz', import.meta.url),
  '62.json.gz': new URL('../data/catalog/records/62.json.gz', import.meta.url),
  '63.json.gz': new URL('../data/catalog/records/63.json.gz', import.meta.url)
};

export const loadBundledShard: ShardLoader = async name => {
  const url = SHARDS[name];
  if (!url) {
    throw new Error(`no bundled catalog shard ${name}`);
  }
  return (await fetchSnapshot(url)) as Record<string, CatalogRecord>;
};
