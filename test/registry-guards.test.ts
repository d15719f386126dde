// Guards that no other test would notice missing: the transport (and the ping) wait
// as long as Retry-After says, and a manifest answer is read up to 4 MiB and no
// further. The clock is injected: the test reads what the transport asked to sleep,
// it never waits or times anything.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ImmutagError } from '../src/errors.ts';
import { parseReference } from '../src/reference.ts';
import { MANIFEST_SIZE_LIMIT } from '../src/registry/manifest.ts';
import type { RetryClock } from '../src/registry/retry.ts';
import { useRegistry, type TestRegistry } from './support/registry.ts';
import { startFaultProxy, type FaultProxy, type FaultRule } from './support/fault-proxy.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, QUICK_RETRY } from './support/registry-client.ts';

const MANIFEST = /\/manifests\//;

function fakeClock(start: number): RetryClock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return { slept, now: () => now, random: () => 0.5, sleep: async (ms) => { slept.push(ms); now += ms; } };
}

const reg = await useRegistry();
let shared: Promise<{ reg: TestRegistry; proxy: FaultProxy; digest: string }> | undefined;
function fixture(t: TestContext) {
  shared ??= (async () => {
    const image = await buildImage();
    const digest = await pushImage(reg, image.ociRef, 'guard/app:1.0');
    await removeLayout(image);
    return { reg, proxy: await startFaultProxy(reg.url), digest };
  })();
  void t;
  return shared;
}

test.after(async () => {
  if (shared === undefined) return;
  const { proxy } = await shared;
  await proxy.stop();
});

async function stateWith(t: TestContext, rules: FaultRule[], clock: RetryClock) {
  const { reg, proxy } = await fixture(t);
  proxy.setRules(rules);
  const { client } = clientFor(reg, { via: proxy.host, options: { clock, retry: { ...QUICK_RETRY, maxTotalMs: 60_000 } } });
  try {
    return await client.manifestState(parseReference(`${proxy.host}/guard/app:1.0`));
  } finally {
    await client.close();
  }
}

test('the transport waits as long as Retry-After says, in seconds or as an HTTP date', async (t) => {
  const { digest } = await fixture(t);
  const start = Date.parse('2026-01-01T00:00:00Z');

  const seconds = fakeClock(start);
  const a = await stateWith(t, [{ method: 'GET', path: MANIFEST, times: 1, action: { kind: 'status', status: 429, headers: { 'retry-after': '7' } } }], seconds);
  assert.ok(a.kind === 'present' && a.digest === digest, JSON.stringify(a));
  assert.deepEqual(seconds.slept, [7000]);

  const date = fakeClock(start);
  const inNine = new Date(start + 9000).toUTCString();
  const b = await stateWith(t, [{ method: 'GET', path: MANIFEST, times: 1, action: { kind: 'status', status: 503, headers: { 'retry-after': inNine } } }], date);
  assert.equal(b.kind, 'present');
  assert.deepEqual(date.slept, [9000], 'an HTTP date is read against the injected clock');
});

test('the ping waits as long as Retry-After says', async (t) => {
  const clock = fakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const state = await stateWith(t, [{ method: 'GET', path: /^\/v2\/$/, times: 1, action: { kind: 'status', status: 503, headers: { 'retry-after': '4' } } }], clock);
  assert.equal(state.kind, 'present');
  assert.deepEqual(clock.slept, [4000]);
});

/** A well-formed OCI manifest of exactly `size` bytes, served with its true digest. */
function paddedManifest(size: number): FaultRule {
  const base = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'0'.repeat(64)}`, size: 2 }, layers: [], annotations: { pad: '' } };
  const pad = size - Buffer.byteLength(JSON.stringify(base));
  const body = JSON.stringify({ ...base, annotations: { pad: 'x'.repeat(pad) } });
  assert.equal(Buffer.byteLength(body), size);
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  return { path: MANIFEST, action: { kind: 'status', status: 200, body,
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': digest } } };
}

test('a manifest answer over 4 MiB is not read: unknown, and the read fails; 4 MiB exactly is read', async (t) => {
  const clock = fakeClock(0);
  const over = await stateWith(t, [paddedManifest(MANIFEST_SIZE_LIMIT + 1)], clock);
  assert.ok(over.kind === 'unknown', JSON.stringify(over).slice(0, 300));
  assert.equal(over.code, 'LIMIT_EXCEEDED');

  const { reg, proxy } = await fixture(t);
  const { client } = clientFor(reg, { via: proxy.host });
  t.after(() => client.close());
  await assert.rejects(client.getManifest(parseReference(`${proxy.host}/guard/app:1.0`)),
    (e: unknown) => e instanceof ImmutagError && e.code === 'LIMIT_EXCEEDED');

  const at = await stateWith(t, [paddedManifest(MANIFEST_SIZE_LIMIT)], clock);
  assert.ok(at.kind === 'present' && at.size === MANIFEST_SIZE_LIMIT, JSON.stringify(at).slice(0, 300));
});
