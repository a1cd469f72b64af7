import { readFileSync } from 'fs';
import { gzipSync } from 'zlib';
import { fetchSnapshot } from '../../extension/snapshot';
import { readSnapshot, SNAPSHOT_PATH } from './snapshot-fixture';

const URL_ = 'https://example.test/static/index.json.gz';

function respond(body: BodyInit | null, init?: ResponseInit) {
  return jest.fn((_url: string | URL) => Promise.resolve(new Response(body, init)));
}

describe('fetchSnapshot', () => {
  it('inflates the bundled gzip file in the browser and parses it', async () => {
    const fetchFn = respond(readFileSync(SNAPSHOT_PATH));
    const data = (await fetchSnapshot(URL_, fetchFn)) as ReturnType<typeof readSnapshot>;
    expect(fetchFn).toHaveBeenCalledWith(URL_);
    expect(data).toEqual(readSnapshot());
  });

  it('accepts a body that the server already inflated (Content-Encoding: gzip)', async () => {
    const data = await fetchSnapshot(URL_, respond(JSON.stringify({ format: 'x', count: 0 })));
    expect(data).toEqual({ format: 'x', count: 0 });
  });

  it('reports HTTP errors with the URL as E_NETWORK', async () => {
    const failing = fetchSnapshot(
      URL_,
      respond('missing', { status: 404, statusText: 'Not Found' })
    );
    await expect(failing).rejects.toMatchObject({
      code: 'E_NETWORK',
      message: `${URL_}: HTTP 404 Not Found`
    });
  });

  it('reports a failed request as E_NETWORK', async () => {
    const failing = fetchSnapshot(URL_, () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(failing).rejects.toMatchObject({
      code: 'E_NETWORK',
      message: `${URL_}: Failed to fetch`
    });
  });

  it('reports a damaged gzip file or non-JSON content as E_FORMAT', async () => {
    const truncated = gzipSync(Buffer.from('{"format": "opendata-lab/catalog-index"}')).subarray(
      0,
      12
    );
    await expect(fetchSnapshot(URL_, respond(truncated))).rejects.toMatchObject({
      code: 'E_FORMAT'
    });
    await expect(fetchSnapshot(URL_, respond('<html>login</html>'))).rejects.toMatchObject({
      code: 'E_FORMAT',
      message: expect.stringContaining('not JSON')
    });
  });
});
