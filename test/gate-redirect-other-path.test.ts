// Review: a 404 counts as "absent" only when the registry said so about the tag asked.
// A redirect on the registry's own origin to another path (a misrouted or rewriting
// front) leads to a 404 about some other repository; that is no proof the tag asked
// about is free. Real registry, fault proxy in front of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTags } from '../src/gate.ts';
import { registryFor } from './support/registry.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';

test('a same-origin redirect to another repository path does not make an existing tag "absent"', async (t) => {
  const reg = await registryFor(t);
  const image = await buildImage();
  const digest = await pushImage(reg, image.ociRef, 'gate/app:1.0');
  const proxy = await startFaultProxy(reg.url);
  // Only the path asked about is redirected, on the same origin (the target path is not, so no loop).
  proxy.setRules([{ method: 'GET', path: /^\/v2\/gate\/app\/manifests\//, action: { kind: 'status', status: 307, headers: { location: '/v2/moved/gate/app/manifests/1.0' } } }]);
  const { client, logger } = clientFor(reg, { via: proxy.host });
  t.after(async () => {
    await client.close();
    await proxy.stop();
    await removeLayout(image);
  });
  const gate = await checkTags({ refs: refs(proxy.host, 'gate/app:1.0'), client, logger });
  const state = gate.results[0]!.state;
  assert.notEqual(state.kind, 'absent', `gate/app:1.0 exists at ${digest}, yet the gate says: ${JSON.stringify(state)} → ${gate.result}`);
  assert.notEqual(gate.result, 'pass');
});

test('a same-origin redirect to another tag holding the expected digest does not make a taken tag "same"', async (t) => {
  const reg = await registryFor(t);
  const old = await buildImage({ files: { 'a.txt': 'old' } });
  const fresh = await buildImage({ files: { 'a.txt': 'fresh' } });
  const taken = await pushImage(reg, old.ociRef, 'gate/app:1.0');
  const expected = await pushImage(reg, fresh.ociRef, 'gate/app:candidate');
  assert.notEqual(taken, expected);
  const proxy = await startFaultProxy(reg.url);
  proxy.setRules([{ method: 'GET', path: /^\/v2\/gate\/app\/manifests\/1\.0$/, action: { kind: 'status', status: 307, headers: { location: '/v2/gate/app/manifests/candidate' } } }]);
  const { client, logger } = clientFor(reg, { via: proxy.host });
  t.after(async () => {
    await client.close();
    await proxy.stop();
    await removeLayout(old);
    await removeLayout(fresh);
  });
  const gate = await checkTags({ refs: refs(proxy.host, 'gate/app:1.0'), client, logger, expectedDigest: expected });
  const r = gate.results[0]!;
  assert.notEqual(gate.result, 'pass', `gate/app:1.0 holds ${taken}, yet the gate says ${r.verdict} (${JSON.stringify(r.state)})`);
});
