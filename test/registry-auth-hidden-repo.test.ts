// Found by a review: credentials were configured for the registry, but immutag asked
// anonymously (an open /v2/; a Docker config token on a Basic registry), and a registry
// that hides private repositories from strangers (404 NAME_UNKNOWN to an anonymous
// caller, as the tag-state.ts comment itself warns: "a private tag looks missing to a
// stranger") was then read as "absent": the gate said "new" for a tag that exists with
// another digest. Now a username and password go along unasked (Basic, as crane sends
// them), and a token that cannot answer Basic is AUTH_FAILED.
//
// The registry is the real one; a fault proxy in front answers 404 NAME_UNKNOWN to
// anonymous manifest reads only (authenticated ones reach the registry untouched).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTags } from '../src/gate.ts';
import { configFileCredentials } from '../src/registry/auth/docker-config.ts';
import { registryFor, type TestRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';
import { startFaultProxy, type FaultRule } from './support/fault-proxy.ts';

const HIDE_FROM_ANONYMOUS: FaultRule = {
  method: 'GET', path: /\/manifests\//, anonymous: true,
  action: {
    kind: 'status', status: 404,
    headers: { 'docker-distribution-api-version': 'registry/2.0' },
    body: JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: { name: 'priv/app' } }] }),
  },
};

async function dockerConfig(t: { after(fn: () => Promise<void>): void }, host: string, entry: Record<string, string>) {
  const home = await mkdtemp(join(tmpdir(), 'rv-auth-home-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  await mkdir(join(home, '.docker'));
  await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [host]: entry } }));
  return configFileCredentials({ env: {}, home });
}

async function setup(t: { after(fn: () => Promise<void>): void }, reg: TestRegistry, rules: FaultRule[]) {
  const image = await buildImage();
  t.after(() => removeLayout(image));
  const digest = await pushImage(reg, image.ociRef, 'priv/app:1.0');
  const proxy = await startFaultProxy(reg.url, rules);
  t.after(() => proxy.stop());
  return { digest, proxy };
}

test('open /v2/ but credentials given: the manifest read goes anonymous and a hidden repo reads "new"', { timeout: 60_000 }, async (t) => {
  const reg = await registryFor(t, { auth: 'token' });
  const { proxy } = await setup(t, reg, [
    // /v2/ answers 200 to anyone (anonymous catalogue access on), private repos stay hidden.
    { method: 'GET', path: /^\/v2\/$/, action: { kind: 'status', status: 200, headers: { 'docker-distribution-api-version': 'registry/2.0' }, body: '{}' } },
    HIDE_FROM_ANONYMOUS,
  ]);
  const { client, logger } = clientFor(reg, { via: proxy.host }); // username/password from the inputs
  t.after(() => client.close());
  const gate = await checkTags({ refs: refs(proxy.host, 'priv/app:1.0'), client, logger });
  const manifestReads = proxy.seen.filter((s) => /\/manifests\//.test(s.path));
  assert.notEqual(gate.results[0]!.verdict, 'new',
    `tag exists in the registry, credentials were given, yet verdict=new; manifest reads: ${JSON.stringify(manifestReads)}`);
});

test('Basic registry, Docker config identitytoken: silently anonymous, a hidden repo reads "new"', { timeout: 60_000 }, async (t) => {
  const reg = await registryFor(t, { auth: 'htpasswd' });
  const { proxy } = await setup(t, reg, [HIDE_FROM_ANONYMOUS]);
  const source = await dockerConfig(t, proxy.host, { identitytoken: 'refresh-from-docker-login' });
  const { client, logger } = clientFor(reg, { via: proxy.host, credentials: source });
  t.after(() => client.close());
  const gate = await checkTags({ refs: refs(proxy.host, 'priv/app:1.0'), client, logger });
  const manifestReads = proxy.seen.filter((s) => /\/manifests\//.test(s.path));
  assert.notEqual(gate.results[0]!.verdict, 'new',
    `a configured identitytoken cannot answer Basic, immutag went anonymous, verdict=new; manifest reads: ${JSON.stringify(manifestReads)}`);
});

test('Basic registry, Docker config registrytoken: silently anonymous, a hidden repo reads "new"', { timeout: 60_000 }, async (t) => {
  const reg = await registryFor(t, { auth: 'htpasswd' });
  const { proxy } = await setup(t, reg, [HIDE_FROM_ANONYMOUS]);
  const source = await dockerConfig(t, proxy.host, { registrytoken: 'some-bearer-token' });
  const { client, logger } = clientFor(reg, { via: proxy.host, credentials: source });
  t.after(() => client.close());
  const gate = await checkTags({ refs: refs(proxy.host, 'priv/app:1.0'), client, logger });
  const manifestReads = proxy.seen.filter((s) => /\/manifests\//.test(s.path));
  assert.notEqual(gate.results[0]!.verdict, 'new',
    `a configured registrytoken cannot answer Basic, immutag went anonymous, verdict=new; manifest reads: ${JSON.stringify(manifestReads)}`);
});

test('control: Basic registry with username/password: authenticated read, tag seen as existing', { timeout: 60_000 }, async (t) => {
  const reg = await registryFor(t, { auth: 'htpasswd' });
  const { proxy } = await setup(t, reg, [HIDE_FROM_ANONYMOUS]);
  const { client, logger } = clientFor(reg, { via: proxy.host });
  t.after(() => client.close());
  const gate = await checkTags({ refs: refs(proxy.host, 'priv/app:1.0'), client, logger });
  assert.equal(gate.results[0]!.state.kind, 'present');
});
