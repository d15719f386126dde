// The harness itself: each auth mode and TLS starts a real registry that skopeo,
// a real client, can push to and read back. If this fails, every registry test would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { registryFor, type StartOptions } from './support/registry.ts';
import { buildImage, buildIndex, inspectDigest, pushImage, removeLayout } from './support/images.ts';
import { run } from './support/exec.ts';

// One fresh connection per call: a pooled one could outlive the registry it reached.
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

const modes: Array<[string, StartOptions]> = [
  ['anonymous', {}],
  ['htpasswd', { auth: 'htpasswd' }],
  ['token RS256 x5c over TLS', { auth: 'token', tls: true, tokenAlg: 'RS256', tokenKey: 'x5c' }],
  ['token ES256 kid', { auth: 'token', tokenAlg: 'ES256', tokenKey: 'kid' }],
];

test('a real registry in every auth mode takes a skopeo push and serves it back', async (t) => {
  const image = await buildImage();
  t.after(() => removeLayout(image));
  for (const [name, options] of modes) {
    await t.test(name, async (st) => {
      const reg = await registryFor(st, options);
      const pushed = await pushImage(reg, image.ociRef, 'harness/app:1.0');
      assert.match(pushed, /^sha256:[a-f0-9]{64}$/);
      assert.equal(await inspectDigest(reg, 'harness/app:1.0'), pushed);
      if (options.auth === 'token') assert.ok(reg.token!.issued.some((i) => i.account === reg.username));
    });
  }
});

test('a multi-platform index built with umoci is pushed whole by skopeo --all', async (t) => {
  const image = await buildIndex({ arches: ['amd64', 'arm64'] });
  const reg = await registryFor(t);
  try {
    const pushed = await pushImage(reg, image.ociRef, 'harness/multi:1.0', { all: true });
    const { stdout } = await run('skopeo', ['inspect', '--raw', ...reg.skopeoArgs(), `docker://${reg.host}/harness/multi:1.0`]);
    const index = JSON.parse(stdout) as { manifests: Array<{ digest: string; platform: { architecture: string } }> };
    assert.deepEqual(index.manifests.map((m) => m.platform.architecture), ['amd64', 'arm64']);
    assert.deepEqual(index.manifests.map((m) => m.digest), image.platforms.map((p) => p.digest));
    assert.equal(await inspectDigest(reg, 'harness/multi:1.0'), pushed);
  } finally {
    await removeLayout(image);
  }
});

test('registryFor stops its registry when the test that asked for it ends, and not before', async (t) => {
  let url = '';
  await t.test('a test with a registry', async (st) => {
    const reg = await registryFor(st);
    url = `${reg.url}/v2/`;
    assert.equal(await statusOf(url), 200);
  });
  await assert.rejects(statusOf(url), { code: 'ECONNREFUSED' });
});
