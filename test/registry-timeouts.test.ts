// Every phase of an exchange has a deadline, and running into one is "cannot tell",
// never "absent": connect (a peer that accepts but never completes TLS), headers, and
// body (the real registry's answer, stalled part-way by the fault proxy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { parseReference } from '../src/reference.ts';
import { RegistryClient } from '../src/registry/client.ts';
import { noCredentials } from '../src/registry/auth/credentials.ts';
import { MemoryLogger } from '../src/log.ts';
import { registryFor } from './support/registry.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';

const QUICK = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 5000 };

test('a peer that accepts the connection but never completes TLS hits the connect timeout: unknown', async (t) => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const host = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const client = new RegistryClient({
    logger: new MemoryLogger(), credentials: noCredentials,
    timeouts: { connectMs: 200, headersMs: 5000, bodyMs: 5000 }, retry: QUICK,
  });
  t.after(async () => {
    await client.close();
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const state = await client.manifestState(parseReference(`${host}/a/b:1.0`));
  assert.equal(state.kind, 'unknown');
  assert.equal(state.kind === 'unknown' && state.code, 'REGISTRY_UNREACHABLE');
  assert.match(state.kind === 'unknown' ? state.reason : '', /CONNECT_TIMEOUT/, 'the connect deadline is the one that fired');
});

test('a manifest body that stalls part-way hits the body timeout: unknown, never present or absent', async (t) => {
  const reg = await registryFor(t);
  const image = await buildImage();
  await pushImage(reg, image.ociRef, 'slow/app:1.0');
  // The existence GET's body stalls.
  const proxy = await startFaultProxy(reg.url, [
    { method: 'GET', path: /\/manifests\//, action: { kind: 'stall', bytes: 50 } },
  ]);
  const { client } = clientFor(reg, { via: proxy.host, options: { timeouts: { connectMs: 2000, headersMs: 2000, bodyMs: 200 }, retry: QUICK } });
  t.after(async () => {
    await client.close();
    await proxy.stop();
    await removeLayout(image);
  });
  const state = await client.manifestState(parseReference(`${proxy.host}/slow/app:1.0`));
  assert.equal(state.kind, 'unknown', JSON.stringify(state));
  assert.ok(proxy.count('GET', /\/manifests\//) >= 1);
});
