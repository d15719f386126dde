// Messages a person reads when a run refuses, produced by the committed dist/ against the
// real registry: each must say what happened in terms true of this run, and what to do.
// Found by a review of what a person reads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MediaType } from '../src/oci.ts';
import { useRegistry } from './support/registry.ts';
import { revisionBuilds } from './support/test-builds.ts';
import { runAction, runCli } from './support/action-runner.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { entryFor, readIndex, sha256, tempDir, writeBlob, writeIndex } from './support/image-factory.ts';
import { buildTar } from './support/layer-tar.ts';
import { run } from './support/exec.ts';

const reg = await useRegistry();
const layouts: BuiltImage[] = [];
after(async () => { for (const l of layouts) await removeLayout(l); });

const build = revisionBuilds();

test('a promotion refused because a tag holds this run\'s own build: the final line does not say the image was promoted, and the row says whose build the tag holds', async () => {
  const main = await build('main');
  await pushImage(reg, main.ociRef, 'uxp/api:sha-ec26c3e');
  const release = await build('1.2.3');
  const ours = (await entryFor(release.layout, release.tag)).digest;
  await pushImage(reg, release.ociRef, 'uxp/api:1.2.3');
  const r = await runAction({
    tags: [`${reg.host}/uxp/api:1.2.3`, `${reg.host}/uxp/api:sha-ec26c3e`].join('\n'), image: release.layout,
    'promote-same-revision': 'true', 'insecure-registries': reg.host, scan: 'none', comment: 'never', push: 'true',
  });
  assert.equal(r.outputs['result'], 'violation');
  const final = r.stdout.split('\n').find((l) => l.startsWith('::error::immutag: VIOLATION')) ?? '';
  assert.match(final, /VIOLATION: would have promoted the image already published for \w+ \(refused: nothing was promoted\)/, `nothing was promoted, yet:\n${final}`);
  const row = r.summary.split('\n').find((l) => l.includes('/uxp/api:1.2.3`')) ?? '';
  assert.ok(row.includes(ours));
  assert.match(row, /the build of this run, which an earlier attempt pushed/, `1.2.3 names this run's own build (${ours}); the row does not say so:\n${row}`);
});

test('user:password@ in a tag: the refusal says where credentials go and that the password must be changed', async () => {
  const r = await runCli(['check', 'ci-bot:Sup3rS3cretPassw0rd@registry.example.com/acme/api:1.0', '--json']);
  const { error } = JSON.parse(r.stdout) as { error: { message: string; hint: string } };
  const said = `${error.message}. ${error.hint}`;
  assert.match(said, /docker login|username|--password-stdin/, `where credentials belong is not said:\n${said}`);
  assert.match(said, /(?:change|rotate|revoke)[^.]*password|password[^.]*(?:change|rotate|revoke)/i, `the exposed password is not called out:\n${said}`);
});

test('an insecure-registries entry with user:password@: the refusal names the entry (without the userinfo) and where credentials go', async () => {
  const r = await runCli(['check', 'registry.example.com/acme/api:1.0', '--insecure-registry', 'ci-bot:Sup3rS3cret/Passw0rd@registry.example.com:5000', '--json']);
  const { error } = JSON.parse(r.stdout) as { error: { message: string; hint: string } };
  const said = `${error.message}. ${error.hint}`;
  assert.doesNotMatch(said, /Sup3rS3cret/);
  assert.match(said, /registry\.example\.com:5000/, `which entry is not said:\n${said}`);
  assert.match(said, /docker login|username|--password-stdin/, `where credentials belong is not said:\n${said}`);
});

let index = '';
let child = { digest: '', size: 0 };
let work: { dir: string; cleanup: () => Promise<void> } | undefined;
before(async () => {
  work = await tempDir('ux-child-size');
  const layout = join(work.dir, 'layout');
  await run('umoci', ['init', '--layout', layout]);
  const tar = await buildTar([{ name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' }]);
  const layer = await writeBlob(layout, MediaType.ociLayer, tar);
  const config = await writeBlob(layout, MediaType.ociConfig, JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha256(tar)] } }));
  const manifest = await writeBlob(layout, MediaType.ociManifest, JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] }));
  const idx = await readIndex(layout);
  idx.manifests = [{ ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'child' } }];
  await writeIndex(layout, idx);
  await pushImage(reg, `oci:${layout}:child`, 'uxsized/app:child');
  child = { digest: manifest.digest, size: manifest.size };
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex,
    manifests: [{ mediaType: MediaType.ociManifest, digest: manifest.digest, size: manifest.size + 7, platform: { os: 'linux', architecture: 'amd64' } }] }));
  index = sha256(body);
  const res = await fetch(`${reg.url}/v2/uxsized/app/manifests/1.0`, { method: 'PUT', headers: { 'content-type': MediaType.ociIndex }, body });
  assert.equal(res.status, 201, await res.text());
});
after(async () => { await work?.cleanup(); });

test('verify of an index that lists its child at the wrong size: the message blames the index, not truncated or tampered bytes', async () => {
  const r = await runCli(['verify', '--digest', index, `${reg.host}/uxsized/app:1.0`, '--insecure-registry', reg.host, '--vuln-db', fileURLToPath(new URL('./fixtures/scan/osv/', import.meta.url)), '--summary']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, new RegExp(`index ${index}[^\\n]*${child.digest}|${child.digest}[^\\n]*index ${index}`), `the message does not say the index names the wrong size:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr + r.stdout, /truncated, padded or tampered|bytes did not match their digest/i, 'the child\'s bytes match its digest; the index is what is wrong');
});

test('a dry run (push: false) that is refused: the final line does not offer the digest as "would deploy", and the summary says not to deploy it', async () => {
  const ours = await buildImage({ files: { '/id': 'dry-ours' } });
  const theirs = await buildImage({ files: { '/id': 'dry-theirs' } });
  layouts.push(ours, theirs);
  await pushImage(reg, theirs.ociRef, 'uxdry/app:2.0.0');
  const r = await runAction({ tags: `${reg.host}/uxdry/app:2.0.0`, image: ours.layout, push: 'false', 'insecure-registries': reg.host, scan: 'none', comment: 'never' });
  assert.equal(r.outputs['result'], 'violation');
  const final = r.stdout.split('\n').find((l) => l.startsWith('::error::immutag: VIOLATION')) ?? '';
  assert.doesNotMatch(final, /would deploy/, `a refused dry run names a digest to deploy:\n${final}`);
  const deploy = r.summary.split('\n').find((l) => l.startsWith('**Image digest**')) ?? '';
  assert.match(deploy, /do not deploy/, `a failed push says "do not deploy"; the failed dry run says only:\n${deploy}`);
});

test('a refused floating tag: the annotation gives the mutable-tags advice once', async () => {
  const ours = await buildImage({ files: { '/id': 'float-ours' } });
  const theirs = await buildImage({ files: { '/id': 'float-theirs' } });
  layouts.push(ours, theirs);
  await pushImage(reg, theirs.ociRef, 'uxfloat/app:1.0');
  const r = await runAction({ tags: `${reg.host}/uxfloat/app:1.0`, image: ours.layout, push: 'false', 'insecure-registries': reg.host, scan: 'none', comment: 'never' });
  const annotation = r.stdout.split('\n').find((l) => l.startsWith('::error title=Tag refused')) ?? '';
  assert.equal(annotation.match(/mutable-tags/g)?.length, 1, `the advice is given twice:\n${annotation}`);
});
