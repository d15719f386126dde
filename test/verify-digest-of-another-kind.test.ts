// Found by a review, fixed since: in verify mode, a digest of the wrong kind was refused
// as a race. build-push-action's `imageid` output is the image CONFIG digest, and
// `docker buildx imagetools inspect` / registry pages list the linux/amd64 MANIFEST
// digest beside the index; buildx (provenance on, the default) pushes an index of one
// platform manifest and an attestation manifest. Given either wrong digest, immutag
// refused (rightly) but said "Another build wrote the tag, or it moved after the push:
// do not deploy it" (TAG_EXISTS), sending the user after a hijack or a concurrent job
// that never happened, although the gate's own answer for the tag lists the index's
// children (tag-state.ts `children`) and the config is one HEAD away. The refusal now
// names what the digest is and which output to pass (DIGEST_WRONG_KIND, still a
// violation, exit 1), and a digest the repository does not hold still reads as another build's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { runCli } from './support/action-runner.ts';
import { buildIndex, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { addAttestation, readJsonBlob } from './support/image-factory.ts';

const VULN_DB = fileURLToPath(new URL('./fixtures/scan/osv/', import.meta.url));
const reg = await useRegistry();
let image: BuiltImage & { platforms: { arch: string; digest: string }[] };
let index: string;
let platformManifest: string;
let config: string;

before(async () => {
  image = await buildIndex({ arches: ['amd64'], files: { '/etc/os-release': 'ID=debian\nVERSION_ID="12"\n' } });
  index = (await addAttestation(image.layout, image.tag)).index;
  assert.equal(await pushImage(reg, image.ociRef, 'kind/app:1.0', { all: true }), index);
  platformManifest = image.platforms[0]!.digest;
  config = (await readJsonBlob<{ config: { digest: string } }>(image.layout, platformManifest)).config.digest;
});

after(async () => {
  if (image) await removeLayout(image);
});

async function verify(digest: string) {
  const r = await runCli(['verify', '--digest', digest, `${reg.host}/kind/app:1.0`, '--insecure-registry', reg.host, '--vuln-db', VULN_DB, '--json', '--summary']);
  const out = JSON.parse(r.stdout) as { result: string; summary?: string; error?: { code: string; message: string; hint?: string } };
  return { r, out, said: `${out.error?.message ?? ''} ${out.error?.hint ?? ''}\n${r.stderr}\n${out.summary ?? ''}` };
}

/** Still a refusal, as strict as before: a violation and exit 1, never a pass or a softer code. */
function refusedAsWrongKind(r: { code: number }, out: { result: string; error?: { code: string } }): void {
  assert.equal(out.result, 'violation');
  assert.equal(r.code, 1);
  assert.equal(out.error?.code, 'DIGEST_WRONG_KIND');
}

test('sanity: the index digest (build-push-action `digest`) verifies and passes', async () => {
  const { out, r } = await verify(index);
  assert.equal(out.result, 'pass', r.stderr);
});

test('the config digest (build-push-action `imageid`) is refused as such, not as a tag another build wrote', async () => {
  const { r, out, said } = await verify(config);
  refusedAsWrongKind(r, out);
  assert.match(said, /config|imageid/i, `the refusal must say ${config} is the image's config (the imageid output), not a manifest; it said:\n${said}`);
  assert.doesNotMatch(said, /Another build wrote the tag/, 'a config digest is the wrong input whatever the tag names: the refusal must say so, not blame a race');
});

test('a platform manifest digest of the index the tag names is refused as such, not as a tag another build wrote', async () => {
  const { r, out, said } = await verify(platformManifest);
  refusedAsWrongKind(r, out);
  assert.match(said, new RegExp(`${platformManifest}[^\\n]*(linux/amd64|platform)|(linux/amd64|platform)[^\\n]*${platformManifest}`),
    `the refusal must say ${platformManifest} is the linux/amd64 manifest inside the index ${index} the tag names; it said:\n${said}`);
  assert.doesNotMatch(said, /Another build wrote the tag/, 'nothing moved the tag: it names the index that lists the digest given');
});

test('a digest the repository does not hold is still refused as a tag another build wrote', async () => {
  const { r, out, said } = await verify(`sha256:${'ab'.repeat(32)}`);
  assert.equal(out.result, 'violation');
  assert.equal(r.code, 1);
  assert.equal(out.error?.code, 'TAG_EXISTS');
  assert.match(said, /Another build wrote the tag/);
  assert.doesNotMatch(said, /config|imageid|platform/i);
});
