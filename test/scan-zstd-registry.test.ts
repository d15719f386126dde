// The case issue 9 reports, end to end: an image whose only layer is zstd in two
// frames (made by the real `zstd` CLI), with the dpkg database of a vulnerable Debian
// in frame two, pushed to the real registry by skopeo. `immutag verify` scans it by
// digest and fails the policy; it used to pass with "0 packages".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
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
// apparmor 2.10.95-1 is affected by DEBIAN-CVE-2017-6507 (medium, fixed in 2.11.0-3).
const STATUS = 'Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.10.95-1\n\n';

const reg = await useRegistry();
let work: { dir: string; cleanup: () => Promise<void> };
let digest: string;

async function zstdFrame(data: Buffer, name: string): Promise<Buffer> {
  const file = join(work.dir, name);
  await writeFile(file, data);
  await run('zstd', ['-q', '-f', file, '-o', `${file}.zst`]);
  return readFile(`${file}.zst`);
}

before(async () => {
  work = await tempDir('zstd-registry');
  const layout = join(work.dir, 'layout');
  await run('umoci', ['init', '--layout', layout]);
  const tar = await buildTar([
    { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
    { name: 'srv/filler.bin', content: Buffer.alloc(256 * 1024, 1) },
    { name: 'var/lib/dpkg/status', content: STATUS },
  ]);
  const cut = 3 * 512 + 256 * 1024;
  const layer = await writeBlob(layout, MediaType.ociLayerZstd,
    Buffer.concat([await zstdFrame(tar.subarray(0, cut), 'one'), await zstdFrame(tar.subarray(cut), 'two')]));
  const config = await writeBlob(layout, MediaType.ociConfig, JSON.stringify({
    architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
  }));
  const manifest = await writeBlob(layout, MediaType.ociManifest, JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] }));
  const index = await readIndex(layout);
  index.manifests = [...(index.manifests ?? []), { ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'zstd' } }];
  await writeIndex(layout, index);
  digest = await pushImage(reg, `oci:${layout}:zstd`, 'zstd/app:1.0');
  assert.equal(digest, manifest.digest, 'skopeo pushed the layer as it is');
});

after(async () => {
  await work?.cleanup();
});

test('a vulnerable package in the second zstd frame fails the policy when scanned from the registry', async () => {
  const r = await runCli(['verify', '--digest', digest, `${reg.host}/zstd/app:1.0`, '--insecure-registry', reg.host,
    '--vuln-db', VULN_DB, '--fail-on', 'medium', '--json']);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as { result: string; vulnerabilities: { medium: number } };
  assert.equal(out.result, 'violation');
  assert.equal(out.vulnerabilities.medium, 1);
  assert.match(r.stderr, /1 package, 2 findings/);
});
