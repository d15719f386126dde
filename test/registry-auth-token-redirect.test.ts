// The token request carries the user's credentials as Basic, but http.ts drops
// Authorization on a redirect to another origin. When the token realm redirects (an auth
// service moved behind a 307 to another host), the token server never sees the
// credentials and issued an ANONYMOUS token with 200; immutag took it as the user's token.
// A registry that answers 404 NAME_UNKNOWN to a caller who may not see the repository
// (the tag-state.ts comment's "a private tag looks missing to a stranger") then read as
// "absent", and the gate said "new" for a tag that exists (found by a review). A token
// answer from another origin than the realm's is now AUTH_FAILED when credentials went.
//
// Real registry + real token server; one fault proxy in front of the registry (it points
// the challenge's realm at a second proxy, and answers 404 to anonymous callers, judged
// by the token's subject), one in front of the token server that redirects to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTags } from '../src/gate.ts';
import { registryFor } from './support/registry.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, insecureHostsFor, refs } from './support/registry-client.ts';
import { startFaultProxy, type FaultRule } from './support/fault-proxy.ts';

/** True for a request with no credentials, or a bearer token issued to nobody. */
function stranger(authorization: string | undefined): boolean {
  if (authorization === undefined) return true;
  if (!authorization.startsWith('Bearer ')) return false;
  const payload = authorization.slice(7).split('.')[1] ?? '';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub?: string };
  return !claims.sub;
}

const HIDE_FROM_STRANGERS: FaultRule = {
  method: 'GET', path: /\/manifests\//, caller: stranger,
  action: { kind: 'status', status: 404, headers: { 'docker-distribution-api-version': 'registry/2.0' },
    body: JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] }) },
};

async function rig(t: { after(fn: () => Promise<void>): void }, redirect: boolean) {
  const image = await buildImage();
  t.after(() => removeLayout(image));
  const reg = await registryFor(t, { auth: 'token' });
  await pushImage(reg, image.ociRef, 'priv/app:1.0');
  const tokenOrigin = new URL(reg.token!.url).origin;
  const realmFront = await startFaultProxy(tokenOrigin, redirect ? [{ action: { kind: 'redirect', base: tokenOrigin, status: 307 } }] : []);
  t.after(() => realmFront.stop());
  const proxy = await startFaultProxy(reg.url, [
    HIDE_FROM_STRANGERS,
    { path: /^\/v2\//, action: { kind: 'set-headers', headers: { 'www-authenticate': `Bearer realm="${realmFront.url}/token",service="immutag-test-registry"` } } },
  ]);
  t.after(() => proxy.stop());
  const { client, logger } = clientFor(reg, { via: proxy.host, options: { insecureRegistries: [...insecureHostsFor(reg, proxy.host), realmFront.host] } });
  t.after(() => client.close());
  return { reg, proxy, client, logger };
}

test('control: no redirect, the user\'s token sees the tag', { timeout: 60_000 }, async (t) => {
  const { reg, proxy, client, logger } = await rig(t, false);
  const gate = await checkTags({ refs: refs(proxy.host, 'priv/app:1.0'), client, logger });
  assert.equal(gate.results[0]!.state.kind, 'present', JSON.stringify(gate.results[0]!.state));
  assert.ok(reg.token!.issued.every((i) => i.account === reg.username));
});

test('token realm redirects to another origin: credentials dropped, anonymous token used, existing tag reads "new"', { timeout: 60_000 }, async (t) => {
  const { reg, proxy, client, logger } = await rig(t, true);
  const gate = await checkTags({ refs: refs(proxy.host, 'priv/app:1.0'), client, logger });
  const issued = JSON.stringify(reg.token!.issued);
  assert.notEqual(gate.results[0]!.verdict, 'new',
    `the tag exists, credentials were configured, yet verdict=new; tokens issued: ${issued}`);
});
