// A local stand-in for the CERN Open Data portal, for tests: loopback only, started and stopped by
// each test file. Routes are added by modules that know the portal's answers (portal-api.ts for
// /api/records, portal-files.ts for /eos/... files); faults are injected here, for any route.
// Over http or https (as the real portal), with a certificate from the test CA (tls.ts) or, to
// test certificate errors, one from a CA nobody trusts.
import http from 'http';
import https from 'https';
import { AddressInfo } from 'net';
import { Protocol, testCertificates } from './tls';

export type Handler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  match: RegExpMatchArray
) => void | Promise<void>;

/** What goes wrong with a matching request, instead of (or while) serving it. */
export type Fault =
  | { kind: 'status'; status: number; body?: string } // e.g. 404, 500
  | { kind: 'html-error' } // the portal's HTML error page with status 200 (a proxy's habit)
  | { kind: 'reset'; afterBytes: number } // connection reset part-way through the body
  | { kind: 'slow'; bytesPerChunk: number; delayMs: number } // the body trickles in
  | { kind: 'wrong-bytes'; offset: number } // one byte of the body flipped
  | { kind: 'answer'; body: string; status?: number; contentType?: string }; // this raw answer instead (a hostile portal)

export interface RequestLog {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

interface FaultRule {
  pattern: RegExp;
  fault: Fault;
  remaining: number;
}

export interface PortalServerOptions {
  /** Default http. */
  protocol?: Protocol;
  /** For https: a certificate the test CA signed (default) or one from an untrusted CA. */
  certificate?: 'trusted' | 'untrusted';
}

export class PortalServer {
  readonly requests: RequestLog[] = [];
  private readonly _routes: Route[] = [];
  private readonly _faults: FaultRule[] = [];
  readonly protocol: Protocol;
  private readonly _server: http.Server;
  private readonly _sockets = new Set<import('net').Socket>();

  private constructor(options: PortalServerOptions) {
    this.protocol = options.protocol ?? 'http';
    const handle = (req: http.IncomingMessage, res: http.ServerResponse) =>
      void this._handle(req, res);
    if (this.protocol === 'https') {
      const certs = testCertificates();
      const pair = options.certificate === 'untrusted' ? certs.untrusted : certs;
      this._server = https.createServer({ cert: pair.cert, key: pair.key }, handle);
      this._server.on('tlsClientError', () => undefined); // a client refusing our certificate
    } else {
      this._server = http.createServer(handle);
    }
    this._server.on('connection', socket => {
      this._sockets.add(socket);
      socket.on('close', () => this._sockets.delete(socket));
    });
  }

  static async start(options: PortalServerOptions | Protocol = {}): Promise<PortalServer> {
    const server = new PortalServer(typeof options === 'string' ? { protocol: options } : options);
    await new Promise<void>(resolve => server._server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get url(): string {
    const { port } = this._server.address() as AddressInfo;
    return `${this.protocol}://127.0.0.1:${port}`;
  }

  route(method: string, pattern: RegExp, handler: Handler): this {
    this._routes.push({ method, pattern, handler });
    return this;
  }

  /** The next `times` requests whose path matches `pattern` suffer `fault` (Infinity: all of them). */
  fault(pattern: RegExp, fault: Fault, times = 1): this {
    this._faults.push({ pattern, fault, remaining: times });
    return this;
  }

  clearFaults(): void {
    this._faults.length = 0;
  }

  async close(): Promise<void> {
    for (const socket of this._sockets) socket.destroy();
    await new Promise<void>(resolve => this._server.close(() => resolve()));
  }

  private async _handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const rule = this._faults.find(f => f.remaining > 0 && f.pattern.test(path));
    if (rule) rule.remaining--;
    const fault = rule?.fault;
    if (fault?.kind === 'status') {
      res
        .writeHead(fault.status, { 'content-type': 'text/plain' })
        .end(fault.body ?? `status ${fault.status}`);
      return;
    }
    if (fault?.kind === 'answer') {
      res
        .writeHead(fault.status ?? 200, {
          'content-type': fault.contentType ?? 'application/json'
        })
        .end(fault.body);
      return;
    }
    if (fault?.kind === 'html-error') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PORTAL_ERROR_PAGE);
      return;
    }
    for (const route of this._routes) {
      const match = route.method === req.method ? path.match(route.pattern) : null;
      if (!match) continue;
      try {
        await route.handler(req, wrapBody(res, fault), match);
      } catch (e) {
        if (!res.headersSent) res.writeHead(500).end(String(e));
      }
      return;
    }
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end('{"status": 404, "message": "Not found"}');
  }
}

/** An HTML error page in the style of the portal's, served where a file's bytes were expected. */
export const PORTAL_ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>CERN Open Data Portal</title></head><body>' +
  '<h1>Something went wrong</h1><p>The server could not complete your request.</p></body></html>';

/** Applies body-level faults (reset, slow, wrong bytes) to whatever a route writes. */
function wrapBody(res: http.ServerResponse, fault: Fault | undefined): http.ServerResponse {
  if (!fault || (fault.kind !== 'reset' && fault.kind !== 'slow' && fault.kind !== 'wrong-bytes')) {
    return res;
  }
  const chunks: Buffer[] = [];
  const origWrite = res.write.bind(res);
  const origEnd = res.end.bind(res);
  res.write = ((chunk: unknown) => {
    if (chunk != null) chunks.push(Buffer.from(chunk as Buffer));
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown) => {
    if (chunk != null && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as Buffer));
    const body = Buffer.concat(chunks);
    void deliver(body);
    return res;
  }) as typeof res.end;

  async function deliver(body: Buffer): Promise<void> {
    if (fault!.kind === 'wrong-bytes') {
      const copy = Buffer.from(body);
      if (fault!.offset < copy.length) copy[fault!.offset] ^= 0xff;
      origEnd(copy);
    } else if (fault!.kind === 'reset') {
      origWrite(body.subarray(0, fault!.afterBytes));
      // Let the partial body reach the client, then drop the connection mid-response.
      setTimeout(() => res.socket?.destroy(), 20);
    } else if (fault!.kind === 'slow') {
      for (let at = 0; at < body.length; at += fault!.bytesPerChunk) {
        if (res.destroyed) return;
        origWrite(body.subarray(at, at + fault!.bytesPerChunk));
        await new Promise(r => setTimeout(r, fault!.delayMs));
      }
      origEnd();
    }
  }
  return res;
}
