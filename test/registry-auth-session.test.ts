// How one registry's auth state reacts to a 401: which challenges lead to one more
// try (and with which scopes), and which mean another try cannot help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImmutagError } from '../src/errors.ts';
import { MemoryLogger } from '../src/log.ts';
import { parseChallenges } from '../src/registry/auth/challenge.ts';
import { staticCredentials, noCredentials, type CredentialSource } from '../src/registry/auth/credentials.ts';
import { RegistryAuth } from '../src/registry/auth/session.ts';
import { HttpClient } from '../src/registry/http.ts';
import { DEFAULT_RETRY_POLICY, systemClock } from '../src/registry/retry.ts';
import { InsecureHosts } from '../src/registry/scheme.ts';

const BEARER = 'Bearer realm="https://auth.example.com/token",service="reg"';
const PULL_A = ['repository:a:pull'];

function session(challenge: string | undefined, credentials: CredentialSource = staticCredentials('u', 'p')): RegistryAuth {
  const ctx = { http: new HttpClient(), insecure: new InsecureHosts(), logger: new MemoryLogger(), retry: DEFAULT_RETRY_POLICY, clock: systemClock };
  return new RegistryAuth('reg.example.com', challenge === undefined ? undefined : parseChallenges(challenge)[0], credentials, ctx);
}

test('a 401 gets one more try only when something can change', async () => {
  const cases: Array<[string, string | undefined, CredentialSource, string | undefined, string[] | undefined]> = [
    ['open /v2/, then a Bearer challenge with a scope: adopt it', undefined, noCredentials,
      `${BEARER},scope="repository:a:pull"`, ['repository:a:pull']],
    ['open /v2/, then Basic: adopt it', undefined, noCredentials, 'Basic realm="r"', ['repository:a:pull']],
    ['bearer, insufficient_scope asking more: widen', BEARER, staticCredentials('u', 'p'),
      `${BEARER},scope="repository:a:pull,push repository:b:pull",error="insufficient_scope"`, ['repository:a:pull,push', 'repository:b:pull']],
    ['bearer, insufficient_scope on what we had: one fresh token', BEARER, staticCredentials('u', 'p'),
      `${BEARER},scope="repository:a:pull",error="insufficient_scope"`, ['repository:a:pull']],
    ['bearer, invalid_token: one fresh token', BEARER, staticCredentials('u', 'p'), `${BEARER},error="invalid_token"`, ['repository:a:pull']],
    ['bearer, then Basic: never step down', BEARER, staticCredentials('u', 'p'), 'Basic realm="r"', undefined],
    ['basic, Basic again: the password is wrong, trying again cannot help', 'Basic realm="r"', staticCredentials('u', 'p'), 'Basic realm="r"', undefined],
    ['no challenge at all', BEARER, staticCredentials('u', 'p'), undefined, undefined],
    ['registry token: nothing to refresh', BEARER, { lookup: async () => ({ kind: 'registry-token', token: 't0k3n', source: 's' }) }, BEARER, undefined],
  ];
  for (const [name, first, credentials, header, expected] of cases) {
    const auth = session(first, credentials);
    assert.deepEqual(await auth.onUnauthorized('a', PULL_A, header), expected, name);
  }
});

test('Basic sends the credentials, and so does an open registry; token-shaped credentials on Basic are refused, never anonymous', async () => {
  const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
  assert.equal(await session('Basic realm="r"').authorization('a', PULL_A), basic);
  assert.equal(await session('Basic realm="r"', noCredentials).authorization('a', PULL_A), undefined);
  // No challenge: a registry may still hide private repositories from strangers (404).
  assert.equal(await session(undefined).authorization('a', PULL_A), basic);
  assert.equal(await session(undefined, noCredentials).authorization('a', PULL_A), undefined);
  const registryToken: CredentialSource = { lookup: async () => ({ kind: 'registry-token', token: 't0k3n', source: 's' }) };
  assert.equal(await session(BEARER, registryToken).authorization('a', PULL_A), 'Bearer t0k3n');
  await assert.rejects(session('Basic realm="r"', registryToken).authorization('a', PULL_A), (e: ImmutagError) => e.code === 'AUTH_FAILED');
});
