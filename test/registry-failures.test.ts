// Whole-service failures and auth refusals against the real registry and token
// server: each gives `unknown` with a reason and a hint, the gate says `error`, and
// no credential appears in any message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTags, tagError } from '../src/gate.ts';
import { staticCredentials } from '../src/registry/auth/credentials.ts';
import type { UnknownState } from '../src/registry/tag-state.ts';
import { registryFor, type StartOptions, type TestRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, insecureHostsFor, refs, type ClientSetup } from './support/registry-client.ts';

interface Failure {
  name: string;
  start: StartOptions;
  setup?: (reg: TestRegistry) => ClientSetup;
  /** Breaks something after the image was pushed. */
  breakIt?: (reg: TestRegistry) => Promise<void>;
  code: UnknownState['code'];
  reason: RegExp;
  hint: RegExp;
  /** Token requests the whole check may make (a refused password is tried once, not per tag). */
  maxTokenRequests?: number;
  /** The registry as the tags name it (default: its own host). */
  host?: (reg: TestRegistry) => string;
}

const wrongPassword = (reg: TestRegistry): ClientSetup => ({ credentials: staticCredentials(reg.username, 'wrong-password-123') });

const failures: Failure[] = [
  { name: 'registry stopped', start: {}, breakIt: (reg) => reg.stop(),
    code: 'REGISTRY_UNREACHABLE', reason: /nothing accepts connections/, hint: /running/ },
  { name: 'wrong password, htpasswd', start: { auth: 'htpasswd' }, setup: wrongPassword,
    code: 'AUTH_FAILED', reason: /HTTP 401 with basic credentials as immutag/, hint: /grant pull/ },
  { name: 'wrong password, token server', start: { auth: 'token' }, setup: wrongPassword,
    code: 'AUTH_FAILED', reason: /Token request .* failed with HTTP 401/, hint: /refused these credentials/, maxTokenRequests: 1 },
  { name: 'no credentials, htpasswd', start: { auth: 'htpasswd' }, setup: () => ({ credentials: 'none' }),
    code: 'AUTH_REQUIRED', reason: /anonymous request/, hint: /Docker Hub, GHCR and Google/ },
  { name: 'no credentials, token server grants nothing to anonymous', start: { auth: 'token' }, setup: () => ({ credentials: 'none' }),
    code: 'AUTH_REQUIRED', reason: /anonymous request/, hint: /docker\/login-action/ },
  { name: 'token server down', start: { auth: 'token' }, breakIt: async (reg) => reg.token!.stop(),
    code: 'REGISTRY_UNREACHABLE', reason: /Token request to http:\/\/127\.0\.0\.1:\d+\/token: nothing accepts connections/, hint: /running/,
    maxTokenRequests: 0 },
  { name: 'credentials refused to a plain-HTTP token realm not listed as insecure', start: { auth: 'token' },
    setup: (reg) => ({ options: { insecureRegistries: [reg.host] } }),
    code: 'AUTH_FAILED', reason: /Refusing to send basic credentials as immutag .* over plain HTTP/, hint: /insecure-registries/, maxTokenRequests: 0 },
  // Loopback hosts fall back to plain HTTP (scheme.ts); the IPv4-mapped spelling of the
  // same address is, as for crane, not one of them, so it stands for any remote host.
  { name: 'a plain-HTTP registry not listed as insecure', start: {}, setup: () => ({ options: { insecureRegistries: [] } }),
    host: (reg) => `[::ffff:7f00:1]:${new URL(reg.url).port}`,
    code: 'REGISTRY_UNREACHABLE', reason: /\[::ffff:7f00:1\]:\d+ answers in plain HTTP, not HTTPS$/, hint: /^List \[::ffff:7f00:1\]:\d+ in insecure-registries/ },
];

test('failures give unknown with a reason and a hint, and the gate never passes', async (t) => {
  const image = await buildImage();
  t.after(() => removeLayout(image));
  for (const f of failures) {
    await t.test(f.name, async (st) => {
      const reg = await registryFor(st, f.start);
      const { client, logger } = clientFor(reg, f.setup?.(reg) ?? {});
      try {
        await pushImage(reg, image.ociRef, 'fail/app:1.0');
        const tokensBefore = reg.token?.requests() ?? 0;
        await f.breakIt?.(reg);
        const gate = await checkTags({ refs: refs(f.host?.(reg) ?? reg.host, 'fail/app:1.0', 'fail/app:2.0', 'fail/app:3.0'), client, logger });
        assert.equal(gate.result, 'error');
        assert.deepEqual(gate.existing, []);
        for (const r of gate.results) {
          assert.equal(r.verdict, 'unknown');
          assert.ok(r.state.kind === 'unknown');
          assert.equal(r.state.code, f.code, r.state.reason);
          assert.match(r.state.reason, f.reason);
          assert.match(r.state.hint, f.hint);
          const err = tagError(r);
          assert.equal(err?.code, 'TAG_STATE_UNKNOWN');
          assert.ok(!`${err?.message} ${err?.hint}`.includes(reg.password));
          assert.ok(!`${err?.message} ${err?.hint}`.includes('wrong-password-123'));
        }
        if (f.maxTokenRequests !== undefined && reg.token) {
          assert.ok((reg.token.requests() - tokensBefore) <= f.maxTokenRequests, `token requests: ${reg.token.requests() - tokensBefore}`);
        }
      } finally {
        await client.close();
      }
    });
  }
});

test('a token without the scope is re-challenged once (insufficient_scope) and then works', async (t) => {
  let armed = false;
  // Once armed, the next token is issued without any access, as a token server that misjudged the scope would.
  const grant = (_account: string | undefined, _repo: string, actions: string[]) => {
    if (!armed) return actions;
    armed = false;
    return [];
  };
  const reg = await registryFor(t, { auth: 'token', tokenGrant: grant });
  const image = await buildImage();
  t.after(async () => {
    await removeLayout(image);
  });
  const digest = await pushImage(reg, image.ociRef, 'scope/app:1.0');
  armed = true;
  const { client, logger } = clientFor(reg);
  try {
    const gate = await checkTags({ refs: refs(reg.host, 'scope/app:1.0'), client, logger });
    assert.equal(gate.results[0]!.state.kind === 'present' && gate.results[0]!.state.digest, digest);
    assert.equal(await client.tokensFetched(reg.host), 2);
  } finally {
    await client.close();
  }
});

test('tokens are reused until expires_in runs out, then fetched again', async (t) => {
  const reg = await registryFor(t, { auth: 'token' }); // the token server says expires_in: 300
  const image = await buildImage();
  t.after(async () => {
    await removeLayout(image);
  });
  await pushImage(reg, image.ociRef, 'expiry/app:1.0');
  let offset = 0;
  const clock = { now: () => Date.now() + offset, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), random: Math.random };
  const { client } = clientFor(reg, { options: { clock, insecureRegistries: insecureHostsFor(reg) } });
  try {
    const ref = refs(reg.host, 'expiry/app:1.0')[0]!;
    await client.manifestState(ref);
    offset = 200_000;
    await client.manifestState(ref);
    assert.equal(await client.tokensFetched(reg.host), 1);
    offset = 400_000;
    assert.equal((await client.manifestState(ref)).kind, 'present');
    assert.equal(await client.tokensFetched(reg.host), 2);
  } finally {
    await client.close();
  }
});
