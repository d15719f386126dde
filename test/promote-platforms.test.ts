// Found by a review, fixed since: promote-same-revision compares only the revision/source labels, never the
// platforms. A build for arm64 (or a multi-platform build) is "promoted" to a
// published image of the same revision that does not run on those platforms: the run
// passes and writes the release tags to an image that lacks what this run built.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLogger } from '../src/log.ts';
import { runImmutag } from '../src/run.ts';
import { readSettings } from '../src/settings.ts';
import { buildImage, buildIndex, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { useRegistry } from './support/registry.ts';
import { R1, SOURCE } from './support/test-builds.ts';

const reg = await useRegistry();
const layouts: BuiltImage[] = [];
after(async () => { for (const l of layouts) await removeLayout(l); });
const labels = (version: string) => ({
  'org.opencontainers.image.revision': R1, 'org.opencontainers.image.source': SOURCE, 'org.opencontainers.image.version': version,
});

async function run(repo: string, layout: string) {
  const tags = [`${repo}:sha-ec26c3e`, `${repo}:1.2.3`].map((t) => `${reg.host}/${t}`).join('\n');
  const inputs: Record<string, string> = { 'insecure-registries': reg.host, tags, image: layout, scan: 'none', 'promote-same-revision': 'true', 'tag-settle-seconds': '0.5' };
  return runImmutag(readSettings((name) => inputs[name]), { logger: new MemoryLogger(), env: {} });
}

test('an arm64 build is not promoted to a published amd64-only image of the same revision', async () => {
  const main = await buildImage({ arch: 'amd64', files: { '/app': 'x\n' }, labels: labels('main') });
  const release = await buildImage({ arch: 'arm64', files: { '/app': 'x\n' }, labels: labels('1.2.3') });
  layouts.push(main, release);
  const published = await pushImage(reg, main.ociRef, 'arch/api:sha-ec26c3e');
  const out = await run('arch/api', release.layout);
  const written = await inspectDigest(reg, 'arch/api:1.2.3').catch(() => undefined);
  assert.notEqual(out.report.result, 'pass',
    `the run passed and wrote 1.2.3 -> ${written} (published amd64 ${published}) for an arm64 build; outputs.image=${out.outputs.image}`);
});

test('a multi-platform build is not promoted to a published single-platform image (arm64 is dropped)', async () => {
  const main = await buildImage({ arch: 'amd64', files: { '/app': 'x\n' }, labels: labels('main') });
  const release = await buildIndex({ arches: ['amd64', 'arm64'], tag: '1.2.3', files: { '/app': 'x\n' }, labels: labels('1.2.3') });
  layouts.push(main, release);
  const published = await pushImage(reg, main.ociRef, 'drop/api:sha-ec26c3e');
  const out = await run('drop/api', release.layout);
  const written = await inspectDigest(reg, 'drop/api:1.2.3').catch(() => undefined);
  assert.notEqual(out.report.result, 'pass',
    `the run passed and wrote 1.2.3 -> ${written} (single amd64 manifest ${published}) for a linux/amd64+linux/arm64 build`);
});
