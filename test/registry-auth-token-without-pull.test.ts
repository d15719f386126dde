// A token that grants no pull on the repository cannot read its manifests, and registries
// that hide what the caller may not read answer it 404 NAME_UNKNOWN, not 401/403: the gate
// read that 404 as "absent" and said "new" for a tag that exists at another digest. Now a JWT
// whose `access` claim grants neither pull nor * makes it unknown. Real registry and token
// server; a fault proxy turns the registry's 401 insufficient_scope into that hiding 404.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTags } from '../src/gate.ts';
import { registryFor, type TestRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';
import { startFaultProxy, type FaultRule } from './support/fault-proxy.ts';
import { pullNotGranted, readTokenGrants } from '../src/registry/auth/token-grants.ts';

const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;

type Grant = 'asked' | 'nothing' | 'push';

/** The authorization headers the manifest reads carried, to show no message quotes them. */
function hideUnauthorized(seen: Set<string>): FaultRule {
  return {
    method: 'GET', path: /\/manifests\//,
    caller: (authorization) => {
      if (authorization !== undefined) seen.add(authorization.replace(/^Bearer /, ''));
      return true;
    },
    action: {
      kind: 'replace-status', from: 401, status: 404,
      headers: { 'docker-distribution-api-version': 'registry/2.0' },
      body: JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: { name: 'priv/app' } }] }),
    },
  };
}

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const mode: { grant: Grant } = { grant: 'asked' };
  const reg: TestRegistry = await registryFor(t, {
    auth: 'token',
    tokenGrant: (account, _repository, actions) => (account === undefined || mode.grant === 'nothing' ? [] : mode.grant === 'push' ? ['push'] : actions),
  });
  const image = await buildImage();
  t.after(() => removeLayout(image));
  const digest = await pushImage(reg, image.ociRef, 'priv/app:1.0');
  const tokens = new Set<string>();
  const proxy = await startFaultProxy(reg.url, [hideUnauthorized(tokens)]);
  t.after(() => proxy.stop());
  const { client, logger } = clientFor(reg, { via: proxy.host });
  t.after(() => client.close());
  return { mode, digest, proxy, tokens, client, logger };
}

test('a token that grants no pull: the hidden repository\'s 404 is unknown, not "new"', { timeout: 60_000 }, async (t) => {
  const { mode, proxy, tokens, client, logger } = await setup(t);
  mode.grant = 'nothing';
  const gate = await checkTags({ refs: refs(proxy.host, 'priv/app:1.0'), client, logger, expectedDigest: OTHER_DIGEST });
  const r = gate.results[0]!;
  const reads = proxy.seen.filter((s) => /\/manifests\//.test(s.path));
  assert.equal(r.verdict, 'unknown', `priv/app:1.0 exists at another digest, yet ${JSON.stringify(r.state)}; manifest reads: ${JSON.stringify(reads)}`);
  assert.equal(gate.result, 'error');
  assert.equal(r.state.kind, 'unknown');
  if (r.state.kind !== 'unknown') return;
  t.diagnostic(`${r.state.reason} — ${r.state.hint}`);
  assert.equal(r.state.status, 404);
  assert.match(r.state.reason, /grants no pull on priv\/app/);
  assert.match(r.state.hint, /read access to priv\/app/);
  assert.ok(tokens.size > 0, 'the manifest read carried a token');
  const said = [JSON.stringify(gate.results), ...logger.lines].join('\n');
  for (const token of tokens) {
    assert.ok(!said.includes(token), 'the token is quoted');
    assert.ok(!said.includes(token.split('.')[1]!), 'the token\'s payload is quoted');
  }
});

test('a token that grants only push: the 404 is unknown, and the reason says what it grants', { timeout: 60_000 }, async (t) => {
  const { mode, proxy, client, logger } = await setup(t);
  mode.grant = 'push';
  const gate = await checkTags({ refs: refs(proxy.host, 'priv/app:1.0'), client, logger, expectedDigest: OTHER_DIGEST });
  const r = gate.results[0]!;
  assert.equal(r.verdict, 'unknown', JSON.stringify(r.state));
  assert.equal(gate.result, 'error');
  assert.match(r.state.kind === 'unknown' ? r.state.reason : '', /grants no pull on priv\/app \(it grants only repository:priv\/app:push\)/);
});

test('control: a token that grants pull: an absent tag is "new", an existing one present', { timeout: 60_000 }, async (t) => {
  const { digest, proxy, client, logger } = await setup(t);
  const gate = await checkTags({ refs: refs(proxy.host, 'priv/app:1.0', 'priv/app:2.0', 'other/app:1.0'), client, logger, expectedDigest: OTHER_DIGEST });
  const [existing, absent, noRepository] = gate.results;
  assert.deepEqual(existing!.state.kind === 'present' ? existing!.state.digest : existing!.state, digest);
  assert.equal(existing!.verdict, 'violation');
  assert.deepEqual(absent!.state, { kind: 'absent' });
  assert.equal(absent!.verdict, 'new');
  assert.deepEqual(noRepository!.state, { kind: 'absent' });
  assert.equal(noRepository!.verdict, 'new');
});

test('what a token says: opaque or without `access` says nothing; `*` and split entries grant pull as distribution reads them', () => {
  const jwt = (claims: unknown) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
  const on = (actions: string[], type = 'repository', name = 'team/app') => ({ type, name, actions });
  assert.equal(readTokenGrants('opaque-token-from-some-registry'), undefined);
  assert.equal(readTokenGrants(jwt({ sub: 'someone' })), undefined);
  assert.equal(readTokenGrants('e30.not*base64url.c2ln'), undefined);
  assert.equal(pullNotGranted(readTokenGrants(jwt({ access: [on(['*'])] }))!, 'team/app'), undefined);
  assert.equal(pullNotGranted(readTokenGrants(jwt({ access: [on(['push']), on(['pull'])] }))!, 'team/app'), undefined);
  assert.deepEqual(pullNotGranted(readTokenGrants(jwt({ access: [on(['pull'], 'repository(plugin)'), on(['pull'], 'repository', 'team/other')] }))!, 'team/app'),
    { pullGranted: false, granted: ['repository(plugin):team/app:pull', 'repository:team/other:pull'] });
  assert.deepEqual(pullNotGranted(readTokenGrants(jwt({ access: [] }))!, 'team/app'), { pullGranted: false, granted: [] });
});
