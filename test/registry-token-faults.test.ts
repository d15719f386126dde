// The token realm's answer, cut off mid-body by the fault proxy in front of the real
// token server: a dropped connection like any other. It is retried, and when it keeps
// failing it is reported as the network failure it is - never as "not a distribution
// token service", and never remembered for the rest of the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImmutagError } from '../src/errors.ts';
import { MemoryLogger } from '../src/log.ts';
import { BearerTokens } from '../src/registry/auth/bearer.ts';
import { requestToken, type TokenContext } from '../src/registry/auth/token.ts';
import { HttpClient } from '../src/registry/http.ts';
import { systemClock } from '../src/registry/retry.ts';
import { InsecureHosts } from '../src/registry/scheme.ts';
import { registryFor } from './support/registry.ts';
import { startFaultProxy, type FaultRule } from './support/fault-proxy.ts';
import { QUICK_RETRY } from './support/registry-client.ts';

const cut = (times?: number): FaultRule => ({ path: /^\/token/, ...(times ? { times } : {}), action: { kind: 'truncate', bytes: 30, keepLength: true } });

test('a token answer cut off mid-body is retried; cut every time it is a network failure, and the next request tries again', { timeout: 60_000 }, async (t) => {
  const reg = await registryFor(t, { auth: 'token' });
  const realm = new URL(reg.token!.url);
  const proxy = await startFaultProxy(realm.origin, [cut(1)]);
  const http = new HttpClient();
  t.after(async () => {
    await http.close();
    await proxy.stop();
  });
  const ctx: TokenContext = { http, insecure: new InsecureHosts([proxy.host]), logger: new MemoryLogger(), retry: QUICK_RETRY, clock: systemClock };
  const credential = { kind: 'basic' as const, username: reg.username, password: reg.password, source: 'test' };
  const request = { realm: `${proxy.url}${realm.pathname}`, service: 'immutag-test-registry', scopes: ['repository:a/b:pull'], credential };

  const token = await requestToken(ctx, request);
  assert.ok(token.token.length > 20);
  assert.equal(proxy.count(), 2, 'the cut answer was asked for again');

  proxy.setRules([cut()]);
  await assert.rejects(requestToken(ctx, request), (e: unknown) =>
    e instanceof ImmutagError && e.code === 'REGISTRY_UNREACHABLE' && !/not a distribution token service/.test(e.hint));

  const tokens = new BearerTokens(ctx, { scheme: 'bearer', params: { realm: request.realm, service: request.service } });
  await assert.rejects(tokens.authorization(request.scopes, credential, 'test'), { code: 'REGISTRY_UNREACHABLE' });
  proxy.setRules([]);
  assert.match(await tokens.authorization(request.scopes, credential, 'test'), /^Bearer /, 'a network failure is not remembered for the run');
});
