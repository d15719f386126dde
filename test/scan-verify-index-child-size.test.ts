// Verify mode scans an index by digest from the registry. Every manifest it reads must
// match the digest AND the size the verified parent names (the rule; the local-image
// path already refuses a child whose size disagrees: verify-tree.ts readSmall). Here the
// real registry holds an index whose child descriptor carries a wrong size: containerd
// refuses to pull such a child (size mismatch), so immutag must not scan it and pass.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MediaType } from '../src/oci.ts';
import { useRegistry } from './support/registry.ts';
import { runCli } from './support/action-runner.ts';
import { readIndex, sha256, tempDir, writeBlob, writeIndex } from './support/image-factory.ts';
import { pushImage } from './support/images.ts';
import { buildTar } from './support/layer-tar.ts';
import { run } from './support/exec.ts';

const VULN_DB = fileURLToPath(new URL('./fixtures/scan/osv/', import.meta.url));
const reg = await useRegistry();
let work: { dir: string; cleanup: () => Promise<void> };
let indexDigest: string;
let child: { digest: string; size: number };

before(async () => {
  work = await tempDir('review-child-size');
  const layout = join(work.dir, 'layout');
  await run('umoci', ['init', '--layout', layout]);
  const tar = await buildTar([{ name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' }]);
  const layer = await writeBlob(layout, MediaType.ociLayer, tar);
  const config = await writeBlob(layout, MediaType.ociConfig, JSON.stringify({
    architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
  }));
  const manifest = await writeBlob(layout, MediaType.ociManifest, JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] }));
  const index = await readIndex(layout);
  index.manifests = [{ ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'child' } }];
  await writeIndex(layout, index);
  const pushed = await pushImage(reg, `oci:${layout}:child`, 'sized/app:child');
  assert.equal(pushed, manifest.digest);
  child = { digest: manifest.digest, size: manifest.size };
  // The index names the child by its true digest but a size 7 bytes too large.
  const body = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: MediaType.ociIndex,
    manifests: [{ mediaType: MediaType.ociManifest, digest: manifest.digest, size: manifest.size + 7, platform: { os: 'linux', architecture: 'amd64' } }],
  }));
  indexDigest = sha256(body);
  const res = await fetch(`${reg.url}/v2/sized/app/manifests/1.0`, { method: 'PUT', headers: { 'content-type': MediaType.ociIndex }, body });
  assert.equal(res.status, 201, await res.text());
});

after(async () => {
  await work?.cleanup();
});

test('verify refuses an index whose child manifest is not the size the index names', async () => {
  const r = await runCli(['verify', '--digest', indexDigest, `${reg.host}/sized/app:1.0`, '--insecure-registry', reg.host,
    '--vuln-db', VULN_DB, '--json']);
  const out = JSON.parse(r.stdout) as { result: string; error?: { code: string; message: string } };
  assert.notEqual(out.result, 'pass', `the child ${child.digest} is ${child.size} bytes, the index says ${child.size + 7}; stderr:\n${r.stderr}`);
  assert.equal(out.error?.code, 'MANIFEST_INVALID');
  assert.match(out.error?.message ?? '', new RegExp(`the index sha256:[0-9a-f]{64} lists manifest ${child.digest} as ${child.size + 7} bytes, but it is ${child.size}: the index is malformed`));
});
