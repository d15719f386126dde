// An index entry is skipped as an attestation only when it verifiably is one
// (platform unknown/unknown AND only in-toto layers, as BuildKit writes them); a
// runnable image behind an attestation annotation is scanned, and fails the policy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openImage, type LocalImage } from '../src/image/open-image.ts';
import { scanImage } from '../src/scan/scan.ts';
import { fileURLToPath } from 'node:url';
import { buildImage, buildIndex, removeLayout, type BuiltImage } from './support/images.ts';
import { addAttestation, entryFor, readIndex, readJsonBlob, writeBlob, writeIndex } from './support/image-factory.ts';

const VULN_DB = fileURLToPath(new URL('./fixtures/scan/osv/', import.meta.url));
const OS_RELEASE = 'VERSION_ID="12"\nID=debian\n';
const status = (version: string) => `Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n\n`;
const FIXED = '2.11.0-3';
const VULNERABLE = '2.10.95-1'; // DEBIAN-CVE-2017-6507, medium, fixed in 2.11.0-3

let image: BuiltImage;

before(async () => {
  image = await buildIndex({ files: { '/etc/os-release': OS_RELEASE, '/var/lib/dpkg/status': status(FIXED) } });
  await addAttestation(image.layout, image.tag);
  await buildImage({ layout: image.layout, tag: 'hidden', files: { '/etc/os-release': OS_RELEASE, '/var/lib/dpkg/status': status(VULNERABLE) } });
});

after(async () => {
  if (image) await removeLayout(image);
});

/** Adds the image tagged `hidden` to the index under `tag`, labelled as BuildKit labels attestations. */
async function disguise(tag: string, platform: { os: string; architecture: string }): Promise<void> {
  const index = await readJsonBlob<{ manifests: object[] }>(image.layout, (await entryFor(image.layout, image.tag)).digest);
  const hidden = await entryFor(image.layout, 'hidden');
  const base = index.manifests[0] as { digest: string };
  index.manifests.push({
    mediaType: hidden.mediaType, digest: hidden.digest, size: hidden.size, platform,
    annotations: { 'vnd.docker.reference.digest': base.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
  });
  const blob = await writeBlob(image.layout, 'application/vnd.oci.image.index.v1+json', JSON.stringify(index));
  const top = await readIndex(image.layout);
  top.manifests.push({ ...blob, annotations: { 'org.opencontainers.image.ref.name': tag } });
  await writeIndex(image.layout, top);
}

async function scan(tag: string) {
  let local: LocalImage | undefined;
  try {
    local = await openImage(image.layout, { names: [tag] });
    const outcome = await scanImage({
      source: local.source, top: local.top, manifests: local.manifests, engine: 'osv', vulnDb: VULN_DB,
      policy: { failOn: 'medium', ignoreUnfixed: false },
    });
    return { outcome, platforms: local.platforms.map((p) => p.platform) };
  } finally {
    await local?.close();
  }
}

test('the real BuildKit attestation is still not scanned', async () => {
  const { outcome } = await scan(image.tag);
  assert.deepEqual(outcome.result.platforms.map((p) => p.platform), ['linux/amd64', 'linux/arm64']);
  assert.equal(outcome.verdict, 'pass');
});

test('a linux/amd64 image annotated as an attestation is scanned and fails the policy', async () => {
  await disguise('annotated-amd64', { os: 'linux', architecture: 'amd64' });
  const { outcome, platforms } = await scan('annotated-amd64');
  assert.deepEqual(outcome.result.platforms.map((p) => [p.platform, p.packages.map((x) => x.version)]), [
    ['linux/amd64', [FIXED]], ['linux/arm64', [FIXED]], ['linux/amd64', [VULNERABLE]],
  ]);
  assert.equal(outcome.verdict, 'violation');
  assert.ok(outcome.result.platforms[2]!.findings.some((f) => f.id === 'DEBIAN-CVE-2017-6507'));
  assert.equal(platforms.length, 3, 'the image lists it as a platform too');
});

test('an unknown/unknown entry with filesystem layers is scanned: only in-toto layers make an attestation', async () => {
  await disguise('annotated-unknown', { os: 'unknown', architecture: 'unknown' });
  const { outcome } = await scan('annotated-unknown');
  assert.deepEqual(outcome.result.platforms.map((p) => p.platform), ['linux/amd64', 'linux/arm64', 'unknown/unknown']);
  assert.equal(outcome.verdict, 'violation');
});
