// Time is bounded, not just silence: a server that trickles its answer a byte at a time
// never trips the transport's idle timeouts, so every request has an overall deadline and the
// run a total one. Running into either ends with "unknown", never "absent" or a pass.
// The deadlines here are seconds and the trickle would take minutes; each test has its
// own timeout so that the old behaviour (waiting it out) fails instead of hanging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImmutagError } from '../src/errors.ts';
import { checkTags } from '../src/gate.ts';
import { parseReference } from '../src/reference.ts';
import { getBlob } from '../src/registry/blob.ts';
import { requestBudgetMs, RunDeadline } from '../src/registry/deadline.ts';
import type { ImageManifest } from '../src/oci.ts';
import { registryFor, type TestRegistry } from './support/registry.ts';
import { startFaultProxy, type FaultProxy, type FaultRule } from './support/fault-proxy.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { clientFor, QUICK_RETRY, refs } from './support/registry-client.ts';
import { runCli } from './support/action-runner.ts';

const MANIFEST = /\/manifests\//;
const TRICKLE = { kind: 'trickle', bytes: 1, everyMs: 250 } as const;
const LIMIT = { timeout: 60_000 };

interface Setup { reg: TestRegistry; image: BuiltImage; digest: string; proxy: FaultProxy }

async function setup(t: { after: (fn: () => Promise<void>) => void }, rules: FaultRule[]): Promise<Setup> {
  const reg = await registryFor(t);
  const image = await buildImage();
  const digest = await pushImage(reg, image.ociRef, 'slow/app:1.0');
  const proxy = await startFaultProxy(reg.url, rules);
  t.after(async () => {
    await proxy.stop();
    await removeLayout(image);
  });
  return { reg, image, digest, proxy };
}

const timedOut = (e: unknown) => e instanceof ImmutagError && e.code === 'REGISTRY_UNREACHABLE' && /did not finish within/.test(e.message);

test('a manifest trickled a byte at a time: check and verify end at the request deadline with unknown', LIMIT, async (t) => {
  const { reg, digest, proxy } = await setup(t, [{ method: 'GET', path: MANIFEST, action: TRICKLE }]);
  const { client } = clientFor(reg, { via: proxy.host, options: { deadlines: { floorMs: 3000 } } });
  t.after(() => client.close());
  const gate = await checkTags({ refs: refs(proxy.host, 'slow/app:1.0'), client, logger: client.logger });
  const state = gate.results[0]!.state;
  assert.equal(state.kind, 'unknown', JSON.stringify(state));
  assert.equal(gate.result, 'error');
  assert.match(state.kind === 'unknown' ? state.reason : '', /did not finish within 3 s/);
  await assert.rejects(client.getManifest(parseReference(`${proxy.host}/slow/app@${digest}`)), timedOut);
});

test('a blob trickled a byte at a time ends at its deadline, which grows with the blob size', LIMIT, async (t) => {
  const { reg, digest, proxy } = await setup(t, []);
  const { client } = clientFor(reg, { via: proxy.host, options: { deadlines: { floorMs: 3000, minBytesPerSecond: 1024 * 1024 } } });
  t.after(() => client.close());
  const manifest = JSON.parse((await client.getManifest(parseReference(`${proxy.host}/slow/app@${digest}`))).bytes.toString()) as ImageManifest;
  const layer = manifest.layers[0]!;
  proxy.setRules([{ method: 'GET', path: /\/blobs\//, action: TRICKLE }]);
  const read = async () => {
    const body = await getBlob(client.transport, { registry: proxy.host, repository: 'slow/app' }, layer);
    for await (const chunk of body) void chunk;
  };
  await assert.rejects(read(), timedOut);
  assert.equal(requestBudgetMs({ floorMs: 120_000, minBytesPerSecond: 256 * 1024 }, 1024 ** 3), 120_000 + 4096_000);
});

test('a Retry-After longer than what is left of the deadline ends the retries at once: unknown', LIMIT, async (t) => {
  const { reg, proxy } = await setup(t, [{ path: MANIFEST, action: { kind: 'status', status: 503, headers: { 'retry-after': '40' } } }]);
  const { client } = clientFor(reg, { via: proxy.host, options: { deadlines: { floorMs: 2000 }, retry: { ...QUICK_RETRY, maxTotalMs: 120_000 } } });
  t.after(() => client.close());
  const state = await client.manifestState(parseReference(`${proxy.host}/slow/app:1.0`));
  assert.equal(state.kind === 'unknown' && state.status, 503, JSON.stringify(state));
  assert.equal(proxy.count('GET', MANIFEST), 1, 'no second attempt after a wait the deadline cannot cover');
});

test('the run deadline ends a request the server holds open, and a retry wait under way: RUN_TIMEOUT', LIMIT, async (t) => {
  const { reg, proxy } = await setup(t, [{ method: 'GET', path: MANIFEST, action: { kind: 'hold' } }]);
  for (const rules of [[{ method: 'GET', path: MANIFEST, action: { kind: 'hold' } }], [{ path: MANIFEST, action: { kind: 'status', status: 503, headers: { 'retry-after': '40' } } }]] as FaultRule[][]) {
    proxy.setRules(rules);
    const run = new RunDeadline(2000);
    const { client } = clientFor(reg, { via: proxy.host, options: { signal: run.signal, retry: { ...QUICK_RETRY, maxTotalMs: 120_000 } } });
    try {
      const state = await client.manifestState(parseReference(`${proxy.host}/slow/app:1.0`));
      assert.equal(state.kind === 'unknown' && state.code, 'RUN_TIMEOUT', JSON.stringify(state));
      assert.match(state.kind === 'unknown' ? state.hint : '', /timeout/);
      // After the run's deadline nothing more is sent: the next request fails at once.
      const again = await client.manifestState(parseReference(`${proxy.host}/slow/app:2.0`));
      assert.equal(again.kind === 'unknown' && again.code, 'RUN_TIMEOUT');
    } finally {
      run.dispose();
      await client.close();
    }
  }
});

test('immutag check --timeout: the run ends at its time limit with exit 2 and RUN_TIMEOUT', LIMIT, async (t) => {
  const { proxy } = await setup(t, [{ path: MANIFEST, action: { kind: 'hold' } }]);
  const out = await runCli(['check', `${proxy.host}/slow/app:1.0`, '--insecure-registry', proxy.host, '--timeout', '3s', '--json']);
  assert.equal(out.code, 2, out.stderr);
  assert.match(out.stderr, /time limit of 3 s ran out/);
  assert.equal(JSON.parse(out.stdout).result, 'error');
  const bad = await runCli(['check', `${proxy.host}/slow/app:1.0`, '--timeout', 'soon']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /`timeout` must be a duration/);
});

test('the timeout input: a duration with a unit, a bare number of minutes, 30 minutes by default', async () => {
  const { readSettings } = await import('../src/settings.ts');
  const read = (timeout?: string) => readSettings((name) => ({ tags: 'ghcr.io/a/b:1', timeout } as Record<string, string | undefined>)[name]).timeoutMs;
  assert.equal(read(), 30 * 60_000);
  assert.equal(read('90s'), 90_000);
  assert.equal(read('1h'), 3_600_000);
  assert.equal(read('2'), 120_000);
  assert.equal(read('1500ms'), 1500);
  for (const bad of ['soon', '0', '-5m', '10 days']) assert.throws(() => read(bad), { code: 'INVALID_INPUT' });
});
