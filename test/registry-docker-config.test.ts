import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { configFileCredentials, type ConfigEnvironment } from '../src/registry/auth/docker-config.ts';
import { findEntry, normaliseKey } from '../src/registry/auth/config-keys.ts';
import { maskCredential } from '../src/registry/auth/credentials.ts';
import { resolveCredentials } from '../src/registry/auth/resolve.ts';
import { ImmutagError } from '../src/errors.ts';
import { MemoryLogger } from '../src/log.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

async function sandbox(t: { after: (fn: () => Promise<void>) => void }): Promise<{ home: string; put: (path: string, json: unknown) => Promise<string> }> {
  const home = await mkdtemp(join(tmpdir(), 'immutag-home-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  return {
    home,
    put: async (path, json) => {
      const full = join(home, path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, typeof json === 'string' ? json : JSON.stringify(json));
      return full;
    },
  };
}

test('Docker config keys match the way docker matches them', () => {
  const keys = ['https://index.docker.io/v1/', 'ghcr.io', 'https://quay.io', 'http://127.0.0.1:5000/v2/', 'quay.io/team', 'quay.io/team/app'];
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['docker.io', 'library/nginx', 'https://index.docker.io/v1/'],
    ['ghcr.io', 'acme/api', 'ghcr.io'],
    ['GHCR.io', 'acme/api', 'ghcr.io'],
    ['127.0.0.1:5000', 'x', 'http://127.0.0.1:5000/v2/'],
    ['127.0.0.1', 'x', undefined],
    ['quay.io', 'other/app', 'https://quay.io'],
    ['quay.io', 'team/web', 'quay.io/team'],
    ['quay.io', 'team/app', 'quay.io/team/app'],
    ['quay.io', 'team/app/sub', 'quay.io/team/app'],
    ['quay.io', 'teamx/app', 'https://quay.io'],
    ['gcr.io', 'p/i', undefined],
  ];
  for (const [registry, repository, expected] of cases) {
    assert.equal(findEntry(keys, registry, repository), expected, `${registry}/${repository}`);
  }
  // The exact server address docker writes wins over an equivalent legacy form.
  assert.equal(findEntry(['index.docker.io', 'https://index.docker.io/v1/', 'docker.io'], 'docker.io', 'library/x'), 'https://index.docker.io/v1/');
  assert.deepEqual(normaliseKey('https://registry-1.docker.io/v2/'), { host: 'docker.io', path: '' });
});

test('auths entries: auth, username/password, identitytoken, registrytoken, and empty placeholders', async (t) => {
  const { home, put } = await sandbox(t);
  await put('.docker/config.json', {
    auths: {
      'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pass:with:colons') },
      'ghcr.io': { username: 'gh', password: 'ghp_secret' },
      'http://127.0.0.1:5000': { auth: b64('<token>:'), identitytoken: 'refresh-123' },
      'reg.example.com': { registrytoken: 'bearer-abc' },
      'empty.example.com': {},
    },
  });
  const source = configFileCredentials({ env: {}, home });
  const config = join(home, '.docker/config.json');
  assert.deepEqual(await source.lookup('docker.io', 'library/nginx'),
    { kind: 'basic', username: 'hubuser', password: 'hub:pass:with:colons', source: `${config} (auths "https://index.docker.io/v1/")` });
  assert.deepEqual(await source.lookup('ghcr.io', 'acme/api'),
    { kind: 'basic', username: 'gh', password: 'ghp_secret', source: `${config} (auths "ghcr.io")` });
  assert.deepEqual(await source.lookup('127.0.0.1:5000', 'x'),
    { kind: 'identity-token', token: 'refresh-123', username: '<token>', source: `${config} (auths "http://127.0.0.1:5000")` });
  assert.deepEqual(await source.lookup('reg.example.com', 'x'),
    { kind: 'registry-token', token: 'bearer-abc', source: `${config} (auths "reg.example.com")` });
  assert.equal(await source.lookup('empty.example.com', 'x'), undefined);
  assert.equal(await source.lookup('other.example.com', 'x'), undefined);
});

test('DOCKER_CONFIG replaces ~/.docker; Docker config wins over containers auth files', async (t) => {
  const { home, put } = await sandbox(t);
  await put('.docker/config.json', { auths: { 'a.io': { auth: b64('home:docker') } } });
  const custom = await put('custom/config.json', { auths: { 'a.io': { auth: b64('custom:docker') } } });
  await put('.config/containers/auth.json', { auths: { 'a.io': { auth: b64('containers:json') }, 'b.io': { auth: b64('containers:b') } } });
  const plain = configFileCredentials({ env: {}, home });
  assert.equal(((await plain.lookup('a.io', 'x')) as { username: string }).username, 'home');
  assert.equal(((await plain.lookup('b.io', 'x')) as { username: string }).username, 'containers');
  const custom2 = configFileCredentials({ env: { DOCKER_CONFIG: dirname(custom) }, home });
  assert.equal(((await custom2.lookup('a.io', 'x')) as { username: string }).username, 'custom');
});

test('REGISTRY_AUTH_FILE is used alone; else XDG_RUNTIME_DIR before ~/.config; namespaces pick the most specific entry', async (t) => {
  const { home, put } = await sandbox(t);
  const runtime = join(home, 'run');
  await put('run/containers/auth.json', { auths: { 'quay.io': { auth: b64('runtime:1') } } });
  await put('.config/containers/auth.json', { auths: { 'quay.io': { auth: b64('config:1') }, 'quay.io/team/app': { auth: b64('config-app:1') }, 'q2.io': { auth: b64('config:2') } } });
  const explicit = await put('elsewhere/auth.json', { auths: { 'quay.io/team': { auth: b64('explicit-team:1') } } });
  const user = async (env: ConfigEnvironment['env'], registry: string, repo: string) =>
    ((await configFileCredentials({ env, home }).lookup(registry, repo)) as { username?: string } | undefined)?.username;

  assert.equal(await user({ XDG_RUNTIME_DIR: runtime }, 'quay.io', 'team/app'), 'runtime');
  assert.equal(await user({ XDG_RUNTIME_DIR: runtime }, 'q2.io', 'x'), 'config');
  assert.equal(await user({}, 'quay.io', 'team/app'), 'config-app');
  assert.equal(await user({}, 'quay.io', 'other/app'), 'config');
  assert.equal(await user({ REGISTRY_AUTH_FILE: explicit, XDG_RUNTIME_DIR: runtime }, 'quay.io', 'team/app'), 'explicit-team');
  assert.equal(await user({ REGISTRY_AUTH_FILE: explicit, XDG_RUNTIME_DIR: runtime }, 'quay.io', 'other/app'), undefined);
});

// A real credential helper, run the way docker runs it: `docker-credential-<name> get`
// with the server on stdin, JSON on stdout, "credentials not found" and exit 1 when it has nothing.
const HELPER = `#!/bin/sh
server=$(cat)
printf '%s\\n' "$server" >> "$HOME/helper.log"
case "$server" in
  helped.example.com) echo '{"ServerURL":"helped.example.com","Username":"helper-user","Secret":"helper-pass"}' ;;
  https://index.docker.io/v1/) echo '{"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"hub-refresh"}' ;;
  broken.example.com) echo 'the keychain is locked' >&2; exit 3 ;;
  leaky.example.com) echo '{"ServerURL":"leaky.example.com","Username":"u","Secret":"leaked-helper-secret"}'; exit 1 ;;
  *) echo 'credentials not found in native keychain'; exit 1 ;;
esac
`;

test('credHelpers and credsStore run a real docker-credential-* helper', async (t) => {
  const { home, put } = await sandbox(t);
  const bin = join(home, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'docker-credential-immutagtest'), HELPER);
  await chmod(join(bin, 'docker-credential-immutagtest'), 0o755);
  const log = join(home, 'helper.log');
  await put('.docker/config.json', {
    credHelpers: { 'helped.example.com': 'immutagtest', 'broken.example.com': 'immutagtest', 'missing.example.com': 'notinstalled' },
    credsStore: 'immutagtest',
    auths: { 'fallback.example.com': { auth: b64('file-user:file-pass') } },
  });
  const source = configFileCredentials({ env: { PATH: `${bin}:${process.env['PATH']}`, HOME: home }, home });

  assert.deepEqual(await source.lookup('helped.example.com', 'x'),
    { kind: 'basic', username: 'helper-user', password: 'helper-pass', source: 'docker-credential-immutagtest' });
  assert.deepEqual(await source.lookup('docker.io', 'library/nginx'),
    { kind: 'identity-token', token: 'hub-refresh', source: 'docker-credential-immutagtest' });
  // The store knows nothing for this host: the file's own auths entry still counts.
  assert.equal(((await source.lookup('fallback.example.com', 'x')) as { username: string }).username, 'file-user');
  assert.equal(await source.lookup('nowhere.example.com', 'x'), undefined);
  await assert.rejects(source.lookup('broken.example.com', 'x'),
    (e: unknown) => e instanceof ImmutagError && e.code === 'AUTH_FAILED' && /exit 3.*keychain is locked/.test(e.message));
  // A helper that fails after printing its answer: its stdout is never quoted (it holds the secret).
  await assert.rejects(source.lookup('leaky.example.com', 'x'),
    (e: unknown) => e instanceof ImmutagError && e.code === 'AUTH_FAILED' && /exit 1/.test(e.message) && !`${e.message} ${e.hint}`.includes('leaked-helper-secret'));
  await assert.rejects(source.lookup('missing.example.com', 'x'),
    (e: unknown) => e instanceof ImmutagError && e.code === 'AUTH_FAILED' && /docker-credential-notinstalled/.test(e.message));

  const asked = (await readFile(log, 'utf8')).trim().split('\n');
  assert.deepEqual(asked, ['helped.example.com', 'https://index.docker.io/v1/', 'fallback.example.com', 'nowhere.example.com', 'broken.example.com', 'leaky.example.com']);
});

test('a broken config file is an AUTH_FAILED error naming the file, never silently anonymous', async (t) => {
  const { home, put } = await sandbox(t);
  const path = await put('.docker/config.json', '{ "auths": ');
  await assert.rejects(configFileCredentials({ env: {}, home }).lookup('a.io', 'x'),
    (e: unknown) => e instanceof ImmutagError && e.code === 'AUTH_FAILED' && e.message.includes(path));
  await put('.docker/config.json', { auths: { 'a.io': { auth: b64('no-colon-here') } } });
  await assert.rejects(configFileCredentials({ env: {}, home }).lookup('a.io', 'x'),
    (e: unknown) => e instanceof ImmutagError && e.code === 'AUTH_FAILED' && !e.message.includes('no-colon-here'));
});

test('explicit username/password come first, only for their registries; half of a pair is refused', async (t) => {
  const { home, put } = await sandbox(t);
  await put('.docker/config.json', { auths: { 'a.io': { auth: b64('file:pw') }, 'b.io': { auth: b64('fileb:pw') } } });
  const source = resolveCredentials({ username: 'input-user', password: 'input-pw', registries: ['a.io'], environment: { env: {}, home } });
  assert.equal(((await source.lookup('a.io', 'x')) as { username: string }).username, 'input-user');
  assert.equal(((await source.lookup('b.io', 'x')) as { username: string }).username, 'fileb');
  assert.throws(() => resolveCredentials({ username: 'u' }), (e: unknown) => e instanceof ImmutagError && e.code === 'INVALID_INPUT');
  assert.throws(() => resolveCredentials({ password: 'p' }), (e: unknown) => e instanceof ImmutagError && e.code === 'INVALID_INPUT');
});

test('every secret part of a credential is masked in the log', () => {
  const logger = new MemoryLogger();
  maskCredential(logger, { kind: 'basic', username: 'alice', password: 'correct-horse', source: 'x' });
  maskCredential(logger, { kind: 'identity-token', token: 'refresh-token-1', source: 'x' });
  logger.info(`pw correct-horse basic ${b64('alice:correct-horse')} token refresh-token-1`);
  assert.equal(logger.lines[0], 'pw *** basic *** token ***');
});
