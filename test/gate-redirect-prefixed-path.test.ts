// registry.k8s.io answers every /v2/<repo>/manifests/<ref> with a 307 to Artifact
// Registry under another path (https://<region>-docker.pkg.dev/v2/k8s-artifacts-prod/images/<repo>/manifests/<ref>).
// The 200 that comes back is the manifest of the tag asked, served by the backend the
// registry delegates to. a2c6329 read any answer from another manifest path as "unknown",
// so pin (which resolves every reference in deploy files, e.g. registry.k8s.io/pause:3.9)
// could no longer resolve such images (found by a review of that commit). A 200 from a
// path that ends with the asked /<repository>/manifests/<reference> is read again; a 404
// from another path still proves nothing (gate-redirect-other-path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registryFor } from './support/registry.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';

test('a redirect to another origin serving the tag under a prefixed path (registry.k8s.io → pkg.dev) still reads the tag', async (t) => {
  const reg = await registryFor(t);
  const image = await buildImage();
  const digest = await pushImage(reg, image.ociRef, 'k8s-artifacts-prod/images/pause:3.9');
  // The front (registry.k8s.io) redirects to the backend's origin, under its project path.
  const front = await startFaultProxy(reg.url);
  front.setRules([{ method: 'GET', path: /^\/v2\/pause\/manifests\//, action: { kind: 'status', status: 307, headers: { location: `${reg.url}/v2/k8s-artifacts-prod/images/pause/manifests/3.9` } } }]);
  const { client } = clientFor(reg, { via: front.host, credentials: 'none' });
  t.after(async () => {
    await client.close();
    await front.stop();
    await removeLayout(image);
  });
  const state = await client.manifestState({ registry: front.host, repository: 'pause', tag: '3.9' });
  assert.equal(state.kind, 'present', JSON.stringify(state));
  assert.equal((state as { digest: string }).digest, digest);
});
