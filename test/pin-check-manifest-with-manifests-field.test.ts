// Found by a review, fixed since: any manifest whose JSON had a `manifests` array was
// read as an index, whatever its media type, and the reference registry accepts a Docker
// image manifest with such an extra field. Someone overwriting an immutable tag with
// another image whose manifest named the pinned digest under `manifests` made the daily
// `pin --check` say "pinned to a manifest of the index", a pass. A document with the
// other kind's fields (CVE-2021-41190) is now refused, as the local image reader refuses
// it: the check cannot vouch for the tag and fails.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { buildImage, inspectDigest, pushImage, removeLayout } from './support/images.ts';
import { pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const good = await buildImage({ files: { '/app': 'good\n' } });
const evil = await buildImage({ files: { '/app': 'evil\n' } });
after(async () => { await removeLayout(good); await removeLayout(evil); });

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

test('--check: an immutable tag overwritten by an image manifest that names the pinned digest in a `manifests` field is not a pass', async (t) => {
  const pinned = await pushImage(reg, good.ociRef, 'team/app:1.0', { format: 'v2s2' });
  const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: ${reg.host}/team/app:1.0@${pinned}\n`;
  const first = await pinTree(reg, t, { 'deploy/pod.yaml': pod }, { check: true });
  assert.equal(first.report.result, 'pass', first.rows);

  // The overwrite: another image, as a Docker image manifest, with an extra field.
  await pushImage(reg, evil.ociRef, 'team/app:staging', { format: 'v2s2' });
  const res = await fetch(`${reg.url}/v2/team/app/manifests/staging`, { headers: { accept: DOCKER_MANIFEST } });
  const manifest = JSON.parse(await res.text()) as Record<string, unknown>;
  assert.equal(manifest.mediaType, DOCKER_MANIFEST);
  manifest.manifests = [{ mediaType: DOCKER_MANIFEST, digest: pinned, size: 1 }];
  const put = await fetch(`${reg.url}/v2/team/app/manifests/1.0`, { method: 'PUT', headers: { 'content-type': DOCKER_MANIFEST }, body: JSON.stringify(manifest) });
  assert.equal(put.status, 201, 'the registry accepts the manifest');
  const now = await inspectDigest(reg, 'team/app:1.0');
  assert.notEqual(now, pinned, 'the tag names another manifest now (what crane digest says)');

  const second = await pinTree(reg, t, { 'deploy/pod.yaml': pod }, { check: true });
  const row = second.report.rows[0]!;
  assert.notEqual(second.report.result, 'pass', `the tag 1.0 moved from ${pinned} to ${now}: ${second.rows} ${row.reason}`);
  assert.equal(row.state, 'unknown', second.rows);
  assert.match(row.reason ?? '', /is a application\/vnd\.docker\.distribution\.manifest\.v2\+json but also has "manifests".*CVE-2021-41190/);
});
