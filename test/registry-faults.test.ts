// Faults injected between immutag and the real registry. Transient ones are ridden
// out and give the right answer; lasting ones give `unknown` with a reason. No fault
// ever turns into a wrong `present` digest, a false `absent`, or a gate `pass`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImmutagError } from '../src/errors.ts';
import { checkTags } from '../src/gate.ts';
import { parseReference } from '../src/reference.ts';
import type { TagState } from '../src/registry/tag-state.ts';
import { registryFor } from './support/registry.ts';
import { startFaultProxy, type FaultRule } from './support/fault-proxy.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, QUICK_RETRY, refs } from './support/registry-client.ts';

const MANIFEST = /\/manifests\//;
const stripDigest = (method: 'HEAD' | 'GET'): FaultRule => ({ method, path: MANIFEST, action: { kind: 'strip-headers', headers: ['docker-content-digest'] } });
/** The label the real registry puts on every answer, /v2/ included. */
const LABEL = { 'docker-distribution-api-version': 'registry/2.0' };
const acceptRefused = JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'OCI manifest found, but accept header does not support OCI manifests' }] });
// gcr.io's wording (reported in dkregistry-rs#161): the tag exists, in a type the client did not ask for.
const typeRefused = JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: "Manifest with tag 'new' has media type 'application/vnd.docker.distribution.manifest.v1+prettyjws', but client accepts 'application/vnd.oci.image.manifest.v1+json'." }] });

interface Case {
  name: string;
  tag: '1.0' | 'new';
  rules: FaultRule[];
  /** `present`: the pushed digest; `absent`; or the unknown code expected. */
  expect: 'present' | 'absent' | `unknown:${string}`;
  timeouts?: { connectMs: number; headersMs: number; bodyMs: number };
  maxAttempts?: number;
  /** Requests the proxy must have seen on manifests: [HEAD, GET]. */
  manifestRequests?: [number, number];
}

// The existence check is one GET per tag (tag-state.ts): the faults hit that GET.
const cases: Case[] = [
  { name: '429 with Retry-After seconds, then success', tag: '1.0', expect: 'present', manifestRequests: [0, 2],
    rules: [{ method: 'GET', path: MANIFEST, times: 1, action: { kind: 'status', status: 429, headers: { 'retry-after': '1' } } }] },
  { name: '429 with a Retry-After HTTP date, then success', tag: '1.0', expect: 'present', manifestRequests: [0, 2],
    rules: [{ method: 'GET', path: MANIFEST, times: 1, action: { kind: 'status', status: 429, headers: { 'retry-after': new Date(Date.now() + 1000).toUTCString() } } }] },
  { name: 'a burst of two 503s, then success', tag: '1.0', expect: 'present', manifestRequests: [0, 3],
    rules: [{ method: 'GET', path: MANIFEST, times: 2, action: { kind: 'status', status: 503 } }] },
  { name: '503 forever on an existing tag', tag: '1.0', expect: 'unknown:REGISTRY_ERROR', manifestRequests: [0, 3],
    rules: [{ path: MANIFEST, action: { kind: 'status', status: 503 } }] },
  { name: '503 forever on a new tag', tag: 'new', expect: 'unknown:REGISTRY_ERROR',
    rules: [{ path: MANIFEST, action: { kind: 'status', status: 503 } }] },
  { name: '429 forever', tag: 'new', expect: 'unknown:REGISTRY_ERROR',
    rules: [{ path: MANIFEST, action: { kind: 'status', status: 429, headers: { 'retry-after': '0' } } }] },
  { name: 'one connection reset, then success', tag: '1.0', expect: 'present', manifestRequests: [0, 2],
    rules: [{ method: 'GET', path: MANIFEST, times: 1, action: { kind: 'reset' } }] },
  { name: 'connection resets forever', tag: 'new', expect: 'unknown:REGISTRY_UNREACHABLE',
    rules: [{ path: MANIFEST, action: { kind: 'reset' } }] },
  { name: 'no Docker-Content-Digest: the bytes are hashed', tag: '1.0', expect: 'present', manifestRequests: [0, 1],
    rules: [stripDigest('GET')] },
  { name: 'GET body cut short (length rewritten) against the digest header', tag: '1.0', expect: 'unknown:DIGEST_MISMATCH',
    rules: [{ method: 'GET', path: MANIFEST, action: { kind: 'truncate', bytes: 100 } }] },
  { name: 'GET body cut short and no digest header anywhere', tag: '1.0', expect: 'unknown:MANIFEST_INVALID',
    rules: [{ method: 'GET', path: MANIFEST, action: { kind: 'truncate', bytes: 100, stripHeaders: ['docker-content-digest'] } }] },
  { name: 'GET body breaks off once, then success', tag: '1.0', expect: 'present', manifestRequests: [0, 2],
    rules: [{ method: 'GET', path: MANIFEST, times: 1, action: { kind: 'truncate', bytes: 100, keepLength: true } }] },
  { name: 'GET body breaks off every time', tag: '1.0', expect: 'unknown:REGISTRY_UNREACHABLE',
    rules: [{ method: 'GET', path: MANIFEST, action: { kind: 'truncate', bytes: 100, keepLength: true } }] },
  { name: 'a 404 body cut short on a new tag is not proof of absence', tag: 'new', expect: 'unknown:REGISTRY_ERROR',
    rules: [{ method: 'GET', path: MANIFEST, action: { kind: 'truncate', bytes: 20 } }] },
  // Headers that never come, not late ones: however coarsely the headers timer ticks on a busy
  // machine, the headers timeout is the only way this exchange can end.
  { name: 'slow headers past the headers timeout', tag: '1.0', expect: 'unknown:REGISTRY_UNREACHABLE',
    timeouts: { connectMs: 2000, headersMs: 200, bodyMs: 2000 }, maxAttempts: 2,
    rules: [{ path: MANIFEST, action: { kind: 'hold' } }] },
  { name: 'a 404 saying the Accept header was refused', tag: 'new', expect: 'unknown:REGISTRY_ERROR',
    rules: [{ method: 'GET', path: MANIFEST, action: { kind: 'status', status: 404, body: acceptRefused, headers: LABEL } }] },
  { name: 'a 404 saying the stored media type is not one the client accepts (gcr.io wording)', tag: 'new', expect: 'unknown:REGISTRY_ERROR',
    rules: [{ method: 'GET', path: MANIFEST, action: { kind: 'status', status: 404, body: typeRefused, headers: LABEL } }] },
  { name: 'a 404 without a registry error code', tag: 'new', expect: 'unknown:REGISTRY_ERROR',
    rules: [{ path: MANIFEST, action: { kind: 'status', status: 404, body: '<html>Not Found</html>', headers: { 'content-type': 'text/html' } } }] },
  { name: '401 to an anonymous caller', tag: 'new', expect: 'unknown:AUTH_REQUIRED',
    rules: [{ path: MANIFEST, action: { kind: 'status', status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } } }] },
  { name: '403', tag: '1.0', expect: 'unknown:AUTH_REQUIRED',
    rules: [{ path: MANIFEST, action: { kind: 'status', status: 403 } }] },
  { name: '500 forever', tag: '1.0', expect: 'unknown:REGISTRY_ERROR',
    rules: [{ method: 'GET', path: MANIFEST, action: { kind: 'status', status: 500 } }] },
  { name: 'no faults: a new tag is absent, with one GET', tag: 'new', expect: 'absent', manifestRequests: [0, 1], rules: [] },
];

test('faults between immutag and the real registry', async (t) => {
  const reg = await registryFor(t);
  const image = await buildImage();
  const digest = await pushImage(reg, image.ociRef, 'faults/app:1.0');
  const proxy = await startFaultProxy(reg.url);
  t.after(async () => {
    await proxy.stop();
    await removeLayout(image);
  });
  for (const c of cases) {
    await t.test(c.name, async () => {
      proxy.setRules(c.rules);
      proxy.seen.length = 0;
      const options = {
        ...(c.timeouts ? { timeouts: c.timeouts } : {}),
        ...(c.maxAttempts ? { retry: { ...QUICK_RETRY, maxAttempts: c.maxAttempts } } : {}),
      };
      const { client, logger } = clientFor(reg, { via: proxy.host, options });
      try {
        const gate = await checkTags({ refs: refs(proxy.host, `faults/app:${c.tag}`), client, logger });
        const state = gate.results[0]!.state;
        assertState(state, c.expect, digest);
        assert.equal(gate.result, c.expect === 'present' ? 'violation' : c.expect === 'absent' ? 'pass' : 'error');
        if (c.manifestRequests) {
          assert.deepEqual([proxy.count('HEAD', MANIFEST), proxy.count('GET', MANIFEST)], c.manifestRequests);
        }
      } finally {
        await client.close();
      }
    });
  }
});

function assertState(state: TagState, expect: Case['expect'], digest: string): void {
  if (expect === 'present') {
    assert.deepEqual(state.kind === 'present' && state.digest, digest, JSON.stringify(state));
    return;
  }
  if (expect === 'absent') {
    assert.equal(state.kind, 'absent', JSON.stringify(state));
    return;
  }
  assert.ok(state.kind === 'unknown', JSON.stringify(state));
  assert.equal(state.code, expect.slice('unknown:'.length), state.reason);
  assert.ok(state.reason.length > 0 && state.hint.length > 0);
}

test('a manifest read by digest is checked against that digest, whatever the headers say', async (t) => {
  const reg = await registryFor(t);
  const image = await buildImage();
  const digest = await pushImage(reg, image.ociRef, 'faults/app:1.0');
  const proxy = await startFaultProxy(reg.url, [
    { method: 'GET', path: MANIFEST, action: { kind: 'truncate', bytes: 120, stripHeaders: ['docker-content-digest'] } },
  ]);
  const { client } = clientFor(reg, { via: proxy.host });
  t.after(async () => {
    await client.close();
    await proxy.stop();
    await removeLayout(image);
  });
  await assert.rejects(client.getManifest(parseReference(`${proxy.host}/faults/app@${digest}`)),
    (e: unknown) => e instanceof ImmutagError && e.code === 'DIGEST_MISMATCH' && e.message.includes(digest));
  proxy.setRules([]);
  const manifest = await client.getManifest(parseReference(`${proxy.host}/faults/app@${digest}`));
  assert.equal(manifest.digest, digest);
});
