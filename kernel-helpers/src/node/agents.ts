// The one place that picks the client for a URL: node:http or node:https by its protocol, through
// keep-alive agents (one per protocol), with extra certificate authorities from
// OPENDATA_LAB_CA_FILE added to Node's own (for a proxy that inspects https, or a test portal).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { OpenDataError } from '../core/errors';

/** A PEM file of certificate authorities trusted for https, on top of Node's own. */
export const CA_FILE_ENV = 'OPENDATA_LAB_CA_FILE';

export type Client = typeof http | typeof https;

/** The module that fetches `url` (http: or https:), or null for any other protocol. */
export function clientFor(url: URL): Client | null {
  return url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
}

let caCache: { key: string; ca: string[] | undefined } | null = null;

function readPem(file: string, variable: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new OpenDataError(
      'E_USAGE',
      `${variable}=${file}: cannot read the certificate file (${(err as Error).message})`,
      { cause: err }
    );
  }
}

/**
 * The certificate authorities for https: undefined (Node's defaults) unless OPENDATA_LAB_CA_FILE
 * is set; then Node's bundled roots, NODE_EXTRA_CA_CERTS (which a custom list would otherwise
 * drop) and the file's certificates. Read again whenever the variables change.
 */
export function certificateAuthorities(): string[] | undefined {
  const file = process.env[CA_FILE_ENV];
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  const key = `${file ?? ''}\0${extra ?? ''}`;
  if (caCache?.key === key) return caCache.ca;
  let ca: string[] | undefined;
  if (file) {
    const own = readPem(file, CA_FILE_ENV);
    if (!/-----BEGIN CERTIFICATE-----/.test(own)) {
      throw new OpenDataError(
        'E_USAGE',
        `${CA_FILE_ENV}=${file}: not a PEM certificate file (no BEGIN CERTIFICATE line)`
      );
    }
    ca = [...tls.rootCertificates];
    if (extra && fs.existsSync(extra)) ca.push(readPem(extra, 'NODE_EXTRA_CA_CERTS'));
    ca.push(own);
  }
  caCache = { key, ca };
  return ca;
}

/** Keep-alive agents, one per protocol, made when first needed; https ones follow the CA setting. */
export class Agents {
  private _http: http.Agent | null = null;
  private _https: https.Agent | null = null;
  private _httpsCa: string[] | undefined;

  /** The agent for `url`'s protocol (http: or https:). */
  for(url: URL): http.Agent {
    if (url.protocol !== 'https:') return (this._http ??= new http.Agent({ keepAlive: true }));
    const ca = certificateAuthorities();
    if (!this._https || this._httpsCa !== ca) {
      this._https?.destroy();
      this._https = new https.Agent({ keepAlive: true, ca });
      this._httpsCa = ca;
    }
    return this._https;
  }

  /** Closes every socket (a later request makes new agents). */
  destroy(): void {
    this._http?.destroy();
    this._https?.destroy();
    this._http = this._https = null;
  }
}

/** The agents of requests that bring none (file indexes, catalog requests). */
export const sharedAgents = new Agents();
