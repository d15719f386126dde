// promote-same-revision, run as the runner runs the Action against the real registry:
// main built revision R and pushed it as sha-<R>; the release of the same commit builds
// again (another digest: the version label differs, as metadata-action sets it). The
// release is refused without the option; with it, the image already published is the
// one to deploy, its tags are written to it, and the new build never reaches the
// registry. A different revision, an image without the labels, and a repository that
// does not hold the image are still refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { buildImage, buildIndex, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { entryFor } from './support/image-factory.ts';
import { runAction, runCli, type ActionRun } from './support/action-runner.ts';
import { run } from './support/exec.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const GHSA = 'GHSA-whgm-jr23-g3j9';
const SOURCE = 'https://github.com/acme/api';
const R1 = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const R2 = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const FILES = { '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.8"}' };

const reg = await useRegistry();
let work: string;
let vulnDb: string;
const layouts: BuiltImage[] = [];

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'immutag-promote-'));
  vulnDb = join(work, 'osv');
  await mkdir(join(vulnDb, 'npm'), { recursive: true });
  await copyFile(fixture(`osv/records/npm/${GHSA}.json`), join(vulnDb, 'npm', `${GHSA}.json`));
});

after(async () => {
  for (const l of layouts) await removeLayout(l);
  await rm(work, { recursive: true, force: true });
});

function labels(revision: string, version: string, source = SOURCE): Record<string, string> {
  return {
    'org.opencontainers.image.revision': revision,
    'org.opencontainers.image.source': source,
    'org.opencontainers.image.version': version,
  };
}

async function build(l: Record<string, string>): Promise<BuiltImage> {
  const image = await buildImage({ files: FILES, labels: l });
  layouts.push(image);
  return image;
}

function action(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({ 'insecure-registries': reg.host, 'vuln-db': vulnDb, comment: 'never', ...inputs });
}

async function exists(repoAtDigest: string): Promise<boolean> {
  const r = await run('skopeo', ['inspect', '--raw', ...reg.skopeoArgs(), `docker://${reg.host}/${repoAtDigest}`]).then(() => true, () => false);
  return r;
}

test('the release of a commit main already built: refused without the option; with it, the published image is deployed and tagged', async () => {
  const main = await build(labels(R1, 'main'));
  const published = await pushImage(reg, main.ociRef, 'rel/api:sha-ec26c3e');
  const release = await build(labels(R1, '1.2.3'));
  const ours = (await entryFor(release.layout, release.tag)).digest;
  assert.notEqual(ours, published, 'the rebuild is not reproducible: the version label differs');
  const tags = [`${reg.host}/rel/api:1.2.3`, `${reg.host}/rel/api:sha-ec26c3e`, `${reg.host}/rel/api:latest`].join('\n');

  const refused = await action({ tags, image: release.layout, 'mutable-tags': 'latest' });
  assert.equal(refused.code, 1, refused.stdout);
  assert.equal(refused.outputs['result'], 'violation');

  const r = await action({ tags, image: release.layout, 'mutable-tags': 'latest', 'promote-same-revision': 'true' });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.outputs['result'], 'pass');
  assert.equal(r.outputs['digest'], published, 'the digest to deploy is the image already published');
  assert.equal(r.outputs['image'], `${reg.host}/rel/api@${published}`);
  assert.deepEqual(JSON.parse(r.outputs['pushed']!), {
    [`${reg.host}/rel/api:1.2.3`]: 'created', [`${reg.host}/rel/api:sha-ec26c3e`]: 'unchanged', [`${reg.host}/rel/api:latest`]: 'created',
  });
  for (const tag of ['1.2.3', 'sha-ec26c3e', 'latest']) assert.equal(await inspectDigest(reg, `rel/api:${tag}`), published);
  assert.equal(await exists(`rel/api@${ours}`), false, 'the new build was not pushed');
  assert.equal(JSON.parse(r.outputs['vulnerabilities']!).failing, 0, 'the published image was scanned');
  assert.match(r.summary, new RegExp(`Promoted the image already published for \`${R1}\``));
  assert.match(r.stdout, new RegExp(`promoted the image already published for ${R1}`));

  const again = await action({ tags, image: release.layout, 'mutable-tags': 'latest', 'promote-same-revision': 'true' });
  assert.equal(again.code, 0, again.stdout);
  assert.equal(again.outputs['digest'], published);
  assert.ok(Object.values(JSON.parse(again.outputs['pushed']!)).every((s) => s === 'unchanged'), 'a re-run of the release writes nothing');
});

test('a different revision, or an image without the labels, is still refused, saying why', async () => {
  const other = await build(labels(R2, 'main'));
  await pushImage(reg, other.ociRef, 'diff/api:sha-ec26c3e');
  const release = await build(labels(R1, '1.2.3'));
  const r = await action({ tags: `${reg.host}/diff/api:sha-ec26c3e\n${reg.host}/diff/api:1.2.3`, image: release.layout, 'promote-same-revision': 'true' });
  assert.equal(r.code, 1, r.stdout);
  assert.equal(r.outputs['result'], 'violation');
  assert.match(r.summary, new RegExp(`not promoted: it holds revision ${R2}.*this build is revision ${R1}`));
  await assert.rejects(inspectDigest(reg, 'diff/api:1.2.3'), 'nothing was written');

  const bare = await buildImage({ files: FILES });
  layouts.push(bare);
  await pushImage(reg, bare.ociRef, 'bare/api:sha-ec26c3e');
  const unlabelled = await action({ tags: `${reg.host}/bare/api:sha-ec26c3e`, image: release.layout, 'promote-same-revision': 'true', scan: 'none' });
  assert.equal(unlabelled.code, 1);
  assert.match(unlabelled.summary, /not promoted: the image at .* does not carry both org\.opencontainers\.image\.revision and org\.opencontainers\.image\.source/);
});

test('a repository of the run that does not hold the published image: not promoted (a promotion never copies blobs)', async () => {
  const main = await build(labels(R1, 'main'));
  await pushImage(reg, main.ociRef, 'two/api:sha-ec26c3e');
  const release = await build(labels(R1, '1.2.3'));
  const r = await action({ tags: `${reg.host}/two/api:sha-ec26c3e\n${reg.host}/two/mirror:1.2.3`, image: release.layout, 'promote-same-revision': 'true', scan: 'none' });
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.summary, /two\/mirror does not hold sha256:/);
});

test('multi-platform: every platform carries the labels; the published index is promoted whole (the CLI flag)', async () => {
  const main = await buildIndex({ arches: ['amd64', 'arm64'], tag: 'main', files: FILES, labels: labels(R1, 'main') });
  const release = await buildIndex({ arches: ['amd64', 'arm64'], tag: '1.2.3', files: FILES, labels: labels(R1, '1.2.3') });
  layouts.push(main, release);
  const published = await pushImage(reg, main.ociRef, 'multi/api:sha-ec26c3e', { all: true });
  const r = await runCli(['push', '--image', release.layout, `${reg.host}/multi/api:sha-ec26c3e`, `${reg.host}/multi/api:1.2.3`,
    '--insecure-registry', reg.host, '--vuln-db', vulnDb, '--promote-same-revision', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { digest: string; pushed: Record<string, string> };
  assert.equal(out.digest, published);
  assert.equal(await inspectDigest(reg, 'multi/api:1.2.3'), published);
  assert.equal(out.pushed[`${reg.host}/multi/api:1.2.3`], 'created');
});

test('the comment and the summary say the image was promoted, and for which revision; a no-tags run says why nothing was pushed', async () => {
  const { passingReport } = await import('./support/sample-report.ts');
  const { renderComment, commentMarker } = await import('../src/report/comment.ts');
  const { renderSummary } = await import('../src/report/summary.ts');
  const report = passingReport();
  report.image!.promoted = { revision: R1, source: SOURCE, heldBy: 'ghcr.io/octo-org/api:sha-ec26c3e' };
  for (const text of [renderComment(report, { marker: commentMarker('k') }), renderSummary(report)]) {
    assert.match(text, new RegExp(`Promoted the image already published for \`${R1}\` \\(\`ghcr.io/octo-org/api:sha-ec26c3e\`\\)`));
    assert.match(text, /Promoted: ready to deploy/);
  }
  const none = passingReport();
  none.tags = [];
  none.image!.inRegistry = false;
  none.problems = [{ level: 'notice', code: 'NO_TAGS', message: 'No tags were given: nothing was checked or pushed' }];
  const summary = renderSummary(none);
  assert.match(summary, /Scanned: no tags given, nothing pushed/);
  assert.match(summary, /\*\*Image digest\*\* \(not pushed: no tags were given\)/);
  assert.match(summary, /\*\*Notes\*\*/);
});
