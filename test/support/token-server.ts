// A token server for the distribution token-auth spec
// (https://distribution.github.io/distribution/spec/auth/token/ and .../oauth/),
// issuing JWTs the real registry verifies: RS256 or ES256, keyed by an x5c chain or a
// libtrust-style kid. It is the registry's peer, not a stand-in for the registry.
import { createHash, createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { run } from './exec.ts';
import type { TlsMaterial } from './tls.ts';

export interface TokenServerOptions {
  dir: string;
  service: string;
  issuer: string;
  username: string;
  password: string;
  alg?: 'RS256' | 'ES256';
  key?: 'x5c' | 'kid';
  tls?: TlsMaterial;
  /** Which field carries the token in responses. */
  field?: 'token' | 'access_token' | 'both';
  expiresIn?: number;
  /** The refresh token accepted by the OAuth2 POST flow (Docker's `identitytoken`). */
  refreshToken?: string;
  /** Refusals quote the Authorization header and the form body they got, as careless token services do. */
  echoOnRefusal?: boolean;
  /** Decides what an account may do on a repository; default: all asked for, none when anonymous. */
  grant?: (account: string | undefined, repository: string, actions: string[]) => string[];
}

export interface IssuedToken {
  account?: string;
  scopes: string[];
  method: 'GET' | 'POST';
}

export interface TokenServer {
  url: string;
  /** The PEM bundle the registry's auth.token.rootcertbundle points at. */
  bundleFile: string;
  issued: IssuedToken[];
  requests(): number;
  stop(): Promise<void>;
}

interface Signer {
  key: KeyObject;
  alg: 'RS256' | 'ES256';
  header: Record<string, unknown>;
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const signer = await makeSigner(options);
  const issued: IssuedToken[] = [];
  let count = 0;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    count++;
    handle(req, res, options, signer, issued).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: await readFile(options.tls.certFile), key: await readFile(options.tls.keyFile) }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/token`,
    bundleFile: join(options.dir, 'token-bundle.pem'),
    issued,
    requests: () => count,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function makeSigner(options: TokenServerOptions): Promise<Signer> {
  const alg = options.alg ?? 'RS256';
  const keyFile = join(options.dir, 'token.key');
  const certFile = join(options.dir, 'token-bundle.pem');
  const keyArgs = alg === 'RS256' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  await run('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=immutag token signer']);
  const cert = new X509Certificate(await readFile(certFile));
  const key = createPrivateKey(await readFile(keyFile));
  const header: Record<string, unknown> = { typ: 'JWT', alg };
  if ((options.key ?? 'x5c') === 'x5c') header['x5c'] = [cert.raw.toString('base64')];
  else header['kid'] = libtrustKeyId(cert);
  await writeFile(certFile, cert.toString());
  return { key, alg, header };
}

/** libtrust's key ID: base32 of the first 240 bits of SHA-256(DER SPKI), in groups of 4. */
export function libtrustKeyId(cert: X509Certificate): string {
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  const hash = createHash('sha256').update(spki).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of hash) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join(':');
}

async function handle(req: IncomingMessage, res: ServerResponse, options: TokenServerOptions, signer: Signer, issued: IssuedToken[]): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://token');
  if (url.pathname !== '/token') {
    res.writeHead(404).end();
    return;
  }
  let account: string | undefined;
  let scopes: string[];
  if (req.method === 'POST') {
    const raw = await readBody(req);
    const form = new URLSearchParams(raw);
    scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const grant = form.get('grant_type');
    if (grant === 'refresh_token' && options.refreshToken && form.get('refresh_token') === options.refreshToken) {
      account = options.username;
    } else if (grant === 'password' && form.get('username') === options.username && form.get('password') === options.password) {
      account = options.username;
    } else {
      sendJson(res, 401, options.echoOnRefusal ? echo(req, raw) : { error: 'invalid_grant' });
      return;
    }
  } else {
    scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    const basic = parseBasic(req.headers.authorization);
    if (basic) {
      if (basic.user !== options.username || basic.pass !== options.password) {
        if (options.echoOnRefusal) {
          sendJson(res, 401, echo(req, ''));
          return;
        }
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="immutag-test-token"' }).end('{"details":"incorrect username or password"}');
        return;
      }
      account = basic.user;
    }
  }
  issued.push({ account, scopes, method: req.method === 'POST' ? 'POST' : 'GET' });
  const token = signJwt(signer, claims(options, account, scopes));
  const expiresIn = options.expiresIn ?? 300;
  const field = options.field ?? 'both';
  const body: Record<string, unknown> = { expires_in: expiresIn, issued_at: new Date().toISOString() };
  if (field !== 'access_token') body['token'] = token;
  if (field !== 'token') body['access_token'] = token;
  sendJson(res, 200, body);
}

function claims(options: TokenServerOptions, account: string | undefined, scopes: string[]): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const access = scopes.map(parseScope).filter((s) => s !== undefined).map((s) => {
    const granted = options.grant ? options.grant(account, s.name, s.actions) : account ? s.actions : [];
    return { type: s.type, name: s.name, actions: granted };
  });
  return {
    iss: options.issuer,
    sub: account ?? '',
    aud: options.service,
    exp: now + (options.expiresIn ?? 300),
    nbf: now - 10,
    iat: now,
    jti: randomUUID(),
    access,
  };
}

function parseScope(scope: string): { type: string; name: string; actions: string[] } | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

function signJwt(signer: Signer, payload: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${enc(signer.header)}.${enc(payload)}`;
  const signature = signer.alg === 'RS256'
    ? sign('sha256', Buffer.from(input), signer.key)
    : sign('sha256', Buffer.from(input), { key: signer.key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function echo(req: IncomingMessage, body: string): Record<string, unknown> {
  return { errors: [{ code: 'UNAUTHORIZED', message: `refused Authorization: ${req.headers.authorization ?? '(none)'} body: ${body}` }] };
}

function parseBasic(header: string | undefined): { user: string; pass: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString();
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
