// Found by a review, fixed since: when a promotion was chosen and the run then fails (here: the published image
// fails the scan policy), the comment and the summary name the published image's digest
// and its findings as "the image", with no word that it is NOT this run's build: a
// reader takes the findings for the build they just made, and the digest for theirs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryLogger } from '../src/log.ts';
import { runImmutag } from '../src/run.ts';
import { readSettings } from '../src/settings.ts';
import { renderComment } from '../src/report/comment.ts';
import { renderSummary } from '../src/report/summary.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { entryFor } from './support/image-factory.ts';
import { useRegistry } from './support/registry.ts';
import { R1, SOURCE } from './support/test-builds.ts';

const reg = await useRegistry();
const layouts: BuiltImage[] = [];
let vulnDb: string;
before(async () => {
  vulnDb = await mkdtemp(join(tmpdir(), 'rv-promote-db-'));
  await mkdir(join(vulnDb, 'npm'));
  await copyFile(fileURLToPath(new URL('./fixtures/osv/records/npm/GHSA-whgm-jr23-g3j9.json', import.meta.url)), join(vulnDb, 'npm', 'GHSA-whgm-jr23-g3j9.json'));
});
after(async () => { for (const l of layouts) await removeLayout(l); await rm(vulnDb, { recursive: true, force: true }); });
const labels = (version: string) => ({
  'org.opencontainers.image.revision': R1, 'org.opencontainers.image.source': SOURCE, 'org.opencontainers.image.version': version,
});

test('a promotion refused by the scan says the findings and the digest are the published image, not this build', async () => {
  const main = await buildImage({ files: { '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.7"}' }, labels: labels('main') });
  const release = await buildImage({ files: { '/app/x': 'clean\n' }, labels: labels('1.2.3') });
  layouts.push(main, release);
  const published = await pushImage(reg, main.ociRef, 'cmt/api:sha-ec26c3e');
  const ours = (await entryFor(release.layout, release.tag)).digest;
  const tags = [`${reg.host}/cmt/api:sha-ec26c3e`, `${reg.host}/cmt/api:1.2.3`].join('\n');
  const inputs: Record<string, string> = { 'insecure-registries': reg.host, tags, image: release.layout, 'vuln-db': vulnDb, 'promote-same-revision': 'true', 'tag-settle-seconds': '0.5' };
  const out = await runImmutag(readSettings((name) => inputs[name]), { logger: new MemoryLogger(), env: {} });
  assert.equal(out.report.result, 'violation');
  assert.equal(out.outputs.vulnerabilities?.failing, 1, 'the published image was scanned and failed');
  assert.equal(out.outputs.digest, published);
  const comment = renderComment(out.report, { marker: '<!-- m -->' });
  const summary = renderSummary(out.report);
  for (const [what, text] of [['comment', comment], ['summary', summary]] as const) {
    console.log(`--- ${what} (this build is ${ours})\n${text.split('\n').filter((l) => /digest|Blocked|promot|sha256/i.test(l)).join('\n')}`);
    assert.match(text, /promot|already published/i, `the ${what} does not say the digest and the findings are the published image's (held by sha-ec26c3e), not this build's`);
  }
});
