// Starts the real reference registry (distribution, Debian's docker-registry) on
// 127.0.0.1 with a generated config: anonymous, htpasswd or token auth, with or
// without TLS. Every registry test talks to one of these, never to a fake.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { run } from './exec.ts';
import { makeTls, type TlsMaterial } from './tls.ts';
import { startTokenServer, type TokenServer, type TokenServerOptions } from './token-server.ts';

export type AuthMode = 'none' | 'htpasswd' | 'token';

export interface StartOptions {
  auth?: AuthMode;
  tls?: boolean;
  tokenAlg?: 'RS256' | 'ES256';
  tokenKey?: 'x5c' | 'kid';
  /** Serve the token realm over HTTPS (default: same as `tls`). */
  tokenTls?: boolean;
  tokenField?: TokenServerOptions['field'];
  tokenGrant?: TokenServerOptions['grant'];
  refreshToken?: string;
  /** The token server quotes what it refused (token-server.ts echoOnRefusal). */
  tokenEcho?: boolean;
  deleteEnabled?: boolean;
  /** The TLS certificate's subjectAltName (default: IP:127.0.0.1,DNS:localhost). */
  tlsSan?: string;
}

export interface TestRegistry {
  host: string;
  url: string;
  auth: AuthMode;
  tls: boolean;
  username: string;
  password: string;
  caFile?: string;
  certDir?: string;
  token?: TokenServer;
  dir: string;
  /** The registry's storage root, for tests that inspect what was written. */
  storage: string;
  stop(): Promise<void>;
  /** skopeo flags for this registry as a copy destination (TLS trust and credentials). */
  skopeoDestArgs(): string[];
  /** skopeo flags for this registry as a copy source. */
  skopeoSrcArgs(): string[];
  /** skopeo flags for `inspect`/`delete` (no src/dest prefix). */
  skopeoArgs(): string[];
}

const USER = 'immutag';
const PASS = 'test-password-9f3';
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Starts one registry; whoever calls it stops it. Tests take useRegistry() or
 * registryFor() instead; this stays for the scripts (bench, demo), which have no
 * node:test hooks, and for tests that stop a registry on purpose.
 */
export async function startRegistry(options: StartOptions = {}): Promise<TestRegistry> {
  const auth = options.auth ?? 'none';
  const tlsOn = options.tls ?? false;
  const dir = await mkdtemp(join(tmpdir(), 'immutag-registry-'));
  const storage = join(dir, 'data');
  await mkdir(storage);
  const tls = tlsOn || options.tokenTls ? await makeTls(join(dir, 'tls'), options.tlsSan) : undefined;
  let token: TokenServer | undefined;
  if (auth === 'token') {
    token = await startTokenServer({
      dir, service: 'immutag-test-registry', issuer: 'immutag-test-issuer', username: USER, password: PASS,
      alg: options.tokenAlg, key: options.tokenKey, tls: (options.tokenTls ?? tlsOn) ? tls : undefined,
      field: options.tokenField, grant: options.tokenGrant, refreshToken: options.refreshToken,
      ...(options.tokenEcho ? { echoOnRefusal: true } : {}),
    });
  }
  if (auth === 'htpasswd') {
    const { stdout } = await run('htpasswd', ['-Bbn', USER, PASS]);
    await writeFile(join(dir, 'htpasswd'), stdout);
  }
  // The registry binds port 0 itself and logs the port it got: handing it a port that
  // freePort() found free would race any other process binding in between.
  await writeFile(join(dir, 'config.yml'), config({ storage, addr: '127.0.0.1:0', auth, tls: tlsOn ? tls : undefined, token, dir, deleteEnabled: options.deleteEnabled ?? true }));
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let stderr = '';
  const listening = new Promise<string>((resolve) => {
    child.stderr?.on('data', (c: Buffer) => {
      if (stderr.length < 16384) stderr += c.toString();
      const m = /listening on (127\.0\.0\.1:\d+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
  });
  const host = await boundAddress(listening, child, () => stderr);
  const url = `${tlsOn ? 'https' : 'http'}://${host}`;
  await waitReady(url, tlsOn ? tls : undefined, child, () => stderr);
  const credsArgs = auth === 'none' ? [] : [`${USER}:${PASS}`];
  const trust = (prefix: string) => (tlsOn ? [`--${prefix}cert-dir`, tls!.certDir] : [`--${prefix}tls-verify=false`]);
  const creds = (prefix: string) => credsArgs.flatMap((c) => [`--${prefix}creds`, c]);
  return {
    host, url, auth, tls: tlsOn, username: USER, password: PASS,
    caFile: tls?.caFile, certDir: tls?.certDir, token, dir, storage,
    skopeoDestArgs: () => [...trust('dest-'), ...creds('dest-')],
    skopeoSrcArgs: () => [...trust('src-'), ...creds('src-')],
    skopeoArgs: () => [...trust(''), ...creds('')],
    stop: async () => {
      await stopChild(child);
      live.delete(child);
      await token?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One registry for the whole test file: `const reg = await useRegistry()` at the top
 * level starts it, an after() hook stops it. Awaited at the top rather than started in
 * a before() hook because node:test runs a file's before() hooks at once, side by side:
 * the file's own before() could otherwise read a registry not yet started. Call it
 * above every test() of the file: a test registered before the await starts while the
 * module still loads, and the file never ends.
 */
export async function useRegistry(options: StartOptions = {}): Promise<TestRegistry> {
  let reg: TestRegistry | undefined;
  after(async () => {
    await reg?.stop();
  });
  reg = await startRegistry(options);
  return reg;
}

/** A registry for one test: started now, stopped when the test ends, pass or fail. */
export async function registryFor(t: { after(fn: () => Promise<void>): void }, options: StartOptions = {}): Promise<TestRegistry> {
  const reg = await startRegistry(options);
  t.after(() => reg.stop());
  return reg;
}

function config(o: { storage: string; addr: string; auth: AuthMode; tls?: TlsMaterial; token?: TokenServer; dir: string; deleteEnabled: boolean }): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info', // the "listening on" line names the port; request lines are dropped unread
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${o.storage}`,
    '  delete:',
    `    enabled: ${o.deleteEnabled}`,
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${o.addr}`,
    '  secret: immutag-test-http-secret',
  ];
  if (o.tls) lines.push('  tls:', `    certificate: ${o.tls.certFile}`, `    key: ${o.tls.keyFile}`);
  if (o.auth === 'htpasswd') lines.push('auth:', '  htpasswd:', '    realm: immutag-test', `    path: ${join(o.dir, 'htpasswd')}`);
  if (o.auth === 'token' && o.token) {
    lines.push('auth:', '  token:', `    realm: ${o.token.url}`, '    service: immutag-test-registry',
      '    issuer: immutag-test-issuer', `    rootcertbundle: ${o.token.bundleFile}`);
  }
  return lines.join('\n') + '\n';
}

async function boundAddress(listening: Promise<string>, child: ChildProcess, log: () => string): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`docker-registry did not say where it listens within 10 s: ${log()}`)), 10_000);
    child.once('exit', (code) => reject(new Error(`docker-registry exited with ${code}: ${log()}`)));
  });
  try {
    return await Promise.race([listening, failed]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function waitReady(url: string, tls: TlsMaterial | undefined, child: ChildProcess, log: () => string): Promise<void> {
  const ca = tls ? await readFile(tls.caFile) : undefined;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${log()}`);
    const status = await probe(`${url}/v2/`, ca).catch(() => 0);
    if (status === 200 || status === 401) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`docker-registry did not answer on ${url} within 10 s: ${log()}`);
}

function probe(url: string, ca: Buffer | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    // Readiness only: a test may give the registry a certificate that does not name the
    // address on purpose (tlsSan), which is what it then tests.
    const req = (url.startsWith('https') ? httpsRequest : httpRequest)(url, { method: 'GET', ca, agent: false, checkServerIdentity: () => undefined }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
