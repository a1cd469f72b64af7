// Certificates for the https portal stand-in, made at run time by make-certs.sh (openssl): a test
// CA, a server certificate from it for 127.0.0.1/localhost, and one from a CA nobody trusts.
// Clients trust the CA the way a user behind a TLS-inspecting proxy would: OPENDATA_LAB_CA_FILE
// in this process, NODE_EXTRA_CA_CERTS (or OPENDATA_LAB_CA_FILE) for child processes.
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

export type Protocol = 'http' | 'https';

/** What the portal stand-in tests run over. */
export const PROTOCOLS: Protocol[] = ['http', 'https'];

export interface TestCertificates {
  dir: string;
  /** The test CA's PEM file: what clients are told to trust. */
  caFile: string;
  /** A certificate for 127.0.0.1 and localhost from that CA, and its key (PEM). */
  cert: string;
  key: string;
  /** The same names from another CA (a wrong certificate). */
  untrusted: { cert: string; key: string };
}

let made: TestCertificates | null = null;

const PREFIX = 'opendata-lab-tls-';

/** Removes the certificate directories of processes that are gone (jest kills its workers). */
function removeStale(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') {
        fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
      }
    }
  }
}

/** The certificates, made once per process into a temporary directory (removed at exit or later). */
export function testCertificates(): TestCertificates {
  if (made) return made;
  removeStale();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
  execFileSync('sh', [path.join(__dirname, 'make-certs.sh'), dir], { stdio: 'pipe' });
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  made = {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    cert: read('server.pem'),
    key: read('server.key'),
    untrusted: { cert: read('untrusted.pem'), key: read('untrusted.key') }
  };
  return made;
}

/** Makes this process trust the test CA (the helpers read OPENDATA_LAB_CA_FILE per request). */
export function trustTestCA(): void {
  process.env.OPENDATA_LAB_CA_FILE = testCertificates().caFile;
}

/** The environment of a child process that trusts the test CA through Node's own variable. */
export function envTrustingTestCA(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, NODE_EXTRA_CA_CERTS: testCertificates().caFile };
}
