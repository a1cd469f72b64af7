import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type { FetchLike } from '@opendata-lab/kernel-helpers/core';

/**
 * A fetch through the Jupyter server's route: same origin, with the server's credentials.
 * `no-cache` (revalidate) rather than the default `no-store`: for `no-store` JupyterLab appends a
 * cache-busting `?<timestamp>` parameter, which the route's allow-list rightly refuses.
 */
export const serverFetch: FetchLike = (url, init) =>
  ServerConnection.makeRequest(
    url,
    { signal: init?.signal, headers: init?.headers, cache: 'no-cache' },
    ServerConnection.makeSettings()
  );

/** The base URL of the server extension's portal route (`<base_url>opendata-lab/portal`). */
export function portalRouteBase(): string {
  return URLExt.join(PageConfig.getBaseUrl(), 'opendata-lab', 'portal');
}
