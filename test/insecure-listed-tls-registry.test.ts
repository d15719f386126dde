// Found by a review: a registry that serves HTTPS but is listed in insecure-registries (the
// Docker daemon's meaning of the list is "HTTPS with an unverified certificate, or HTTP",
// so people carry a self-signed registry over from daemon.json). immutag speaks plain HTTP
// to it; the Go server answers 400 "Client sent an HTTP request to an HTTPS server.", a
// non-JSON body. The tag is "unknown" with "GET http://…/v2/ failed with HTTP 400" and the
// hint "the message above carries its reason" - it carries none, and nothing says what to
// do. The opposite mistake (a plain-HTTP registry not listed) gets "answers in plain HTTP,
// not HTTPS" and the exact fix (errors.ts networkError); this one should too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReference } from '../src/reference.ts';
import { registryFor } from './support/registry.ts';
import { clientFor } from './support/registry-client.ts';

test('a TLS registry listed in insecure-registries: the error says it speaks HTTPS and what to change', async (t) => {
  const reg = await registryFor(t, { tls: true, auth: 'htpasswd' });
  const { client } = clientFor(reg, { options: { insecureRegistries: [reg.host] } });
  t.after(() => client.close());

  const state = await client.manifestState(parseReference(`${reg.host}/x/app:1.0`));

  assert.equal(state.kind, 'unknown');
  console.log(state.kind === 'unknown' ? `${state.reason}\n${state.hint}` : state);
  const said = state.kind === 'unknown' ? `${state.reason} ${state.hint}` : '';
  assert.match(said, /HTTPS|TLS/i, `the error should say the registry speaks HTTPS: ${said}`);
  assert.match(said, /insecure-registries/, `the error should say to take it out of insecure-registries: ${said}`);
  assert.doesNotMatch(said, /the message above carries its reason/, `the hint points at a reason the message does not carry: ${said}`);
});
