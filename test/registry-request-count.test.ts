// What the gate costs the registry, counted by the token server and by a proxy that
// forwards everything untouched: one /v2/ ping per registry, one token per
// repository, one GET per tag. (It was a HEAD per tag plus a GET per new tag to read
// why it is 404; a HEAD's digest header cannot carry a pass, so the bytes are read
// once for every tag: tag-state.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTags } from '../src/gate.ts';
import { registryFor } from './support/registry.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';

test('token mode: one ping, one token per repository, one GET per tag', async (t) => {
  const reg = await registryFor(t, { auth: 'token' });
  const image = await buildImage();
  const proxy = await startFaultProxy(reg.url);
  const { client, logger } = clientFor(reg, { via: proxy.host });
  t.after(async () => {
    await client.close();
    await proxy.stop();
    await removeLayout(image);
  });
  const existing = ['1', '2', '3', '4', '5', '6'];
  for (const tag of existing) {
    await pushImage(reg, image.ociRef, `count/one:${tag}`);
    await pushImage(reg, image.ociRef, `count/two:${tag}`);
  }
  const tokensBefore = reg.token!.requests();
  const tags = refs(proxy.host, ...existing.map((x) => `count/one:${x}`), ...existing.map((x) => `count/two:${x}`), 'count/one:new', 'count/two:new');

  const gate = await checkTags({ refs: tags, client, logger, concurrency: 8 });

  assert.equal(gate.results.filter((r) => r.verdict === 'violation').length, 12);
  assert.equal(gate.results.filter((r) => r.verdict === 'new').length, 2);
  assert.equal(proxy.count('GET', /^\/v2\/$/), 1, 'one ping');
  assert.equal(reg.token!.requests() - tokensBefore, 2, 'one token per repository');
  assert.equal(await client.tokensFetched(proxy.host), 2);
  assert.equal(proxy.count('HEAD', /\/manifests\//), 0, 'no HEAD');
  assert.equal(proxy.count('GET', /\/manifests\//), 14, 'one GET per tag');
  assert.equal(proxy.seen.length, 1 + 14);
  assert.equal(client.requestCount, 1 + 2 + 14);
});

test('HTTP/1.1 connections are kept alive: no request asks the registry to close one', async (t) => {
  const reg = await registryFor(t);
  const image = await buildImage();
  await pushImage(reg, image.ociRef, 'alive/app:1.0');
  const proxy = await startFaultProxy(reg.url);
  const { client, logger } = clientFor(reg, { via: proxy.host });
  t.after(async () => {
    await client.close();
    await proxy.stop();
    await removeLayout(image);
  });
  const result = await checkTags({ refs: refs(proxy.host, 'alive/app:1.0', 'alive/app:2.0', 'alive/app:3.0'), client, logger });
  assert.equal(result.results[0]?.state.kind, 'present');
  // undici, the transport before, closed after a HEAD (undici #258); the check sends none.
  assert.equal(proxy.seen.length, 1 + 3, 'the ping and one GET per tag');
  assert.deepEqual(proxy.seen.filter((s) => s.method === 'HEAD' || s.connection?.toLowerCase() === 'close'), []);
});

test('over plain HTTP the connections a check opens do not grow with its tags', async (t) => {
  const { startTcpCounter } = await import('./support/tcp-counter.ts');
  const reg = await registryFor(t);
  const image = await buildImage();
  await pushImage(reg, image.ociRef, 'conn/app:1.0');
  const counter = await startTcpCounter(reg.host);
  const { client, logger } = clientFor(reg, { via: counter.host });
  t.after(async () => {
    await client.close();
    await counter.stop();
    await removeLayout(image);
  });
  const tags = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? `conn/app:1.0` : `conn/app:2.${i}`));
  const result = await checkTags({ refs: refs(counter.host, ...tags), client, logger, concurrency: 8, mutablePatterns: ['*'] });
  assert.equal(result.result, 'pass');
  // A HEAD per tag used to cost a TCP connection per tag (undici closes after a HEAD).
  // Kept-alive connections serve 8 at a time, the ping's among them.
  assert.ok(counter.connections() <= 8, `connections: ${counter.connections()} for 40 tags, 8 at a time`);
});
