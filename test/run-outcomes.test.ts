// What a run reports when things go wrong part-way, against the real registry: a tag
// moved by another writer after others were written, a report file that cannot be
// written under a policy violation, and the verify-mode spool directory.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runImmutag } from '../src/run.ts';
import { readSettings } from '../src/settings.ts';
import { MemoryLogger } from '../src/log.ts';
import { renderComment } from '../src/report/comment.ts';
import { annotations } from '../src/report/annotations.ts';
import { useRegistry } from './support/registry.ts';
import { buildImage, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';

const reg = await useRegistry();
let ours: BuiltImage;
let theirs: BuiltImage;
let vulnDb: string;

before(async () => {
  ours = await buildImage({ files: { '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.7"}', '/id': 'ours' } });
  theirs = await buildImage({ files: { '/id': 'theirs' } });
  vulnDb = await mkdtemp(join(tmpdir(), 'immutag-outcomes-db-'));
  await mkdir(join(vulnDb, 'npm'));
  const record = fileURLToPath(new URL('./fixtures/osv/records/npm/GHSA-whgm-jr23-g3j9.json', import.meta.url));
  await copyFile(record, join(vulnDb, 'npm', 'GHSA-whgm-jr23-g3j9.json'));
});

after(async () => {
  await removeLayout(ours);
  await removeLayout(theirs);
  await rm(vulnDb, { recursive: true, force: true });
});

function settings(inputs: Record<string, string>) {
  const all: Record<string, string> = { 'insecure-registries': reg.host, 'vuln-db': vulnDb, ...inputs };
  return readSettings((name) => all[name]);
}

test('a tag moved by another writer after an earlier tag was written: both facts are reported', async () => {
  const s = settings({ tags: `${reg.host}/race/app:1.0\n${reg.host}/race/app:1.1`, image: ours.layout, scan: 'none' });
  let their = '';
  const out = await runImmutag(s, {
    logger: new MemoryLogger(), env: {},
    hooks: { beforeTagWrite: async (ref) => { if (ref.tag === '1.1') their = await pushImage(reg, theirs.ociRef, 'race/app:1.1'); } },
  });
  assert.equal(out.report.result, 'violation');
  assert.equal(out.error?.code, 'TAG_MOVED');
  const [first, second] = out.report.tags;
  assert.equal(first?.state, 'created', 'the tag written before the race is reported as written');
  assert.equal(second?.state, 'refused');
  assert.equal(second?.existingDigest, their);
  assert.deepEqual(out.outputs.pushed, { [`${reg.host}/race/app:1.0`]: 'created' });
  assert.equal(await inspectDigest(reg, 'race/app:1.0'), out.outputs.digest);
  assert.equal(await inspectDigest(reg, 'race/app:1.1'), their, 'the other writer keeps its tag');
  assert.equal(out.outputs.image, undefined, 'a failed push names no repo@digest to deploy');
  // What the pull request reads: the image is in the registry under 1.0, and the fix for a
  // race is a concurrency group, not a new version or mutable-tags.
  const comment = renderComment(out.report, { marker: '<!-- m -->' });
  assert.doesNotMatch(comment, /not pushed/);
  assert.match(comment, /pushed, but the run failed after writing 1 tag: do not deploy/);
  assert.doesNotMatch(comment, /bump the version|list it in `mutable-tags`/);
  assert.match(comment, /`concurrency:`/);
  const [note] = annotations(out.report);
  assert.match(note?.message ?? '', /another job .*concurrency: group/i);
  assert.doesNotMatch(note?.message ?? '', /Bump the version|mutable-tags/);
});

test('a tag taken by another job during the upload refuses the push before any tag is written', async () => {
  const s = settings({ tags: `${reg.host}/late/app:1.0\n${reg.host}/late/app:1.1`, image: ours.layout, scan: 'none' });
  let their = '';
  const out = await runImmutag(s, {
    logger: new MemoryLogger(), env: {},
    hooks: { beforeTagWrites: async () => { their = await pushImage(reg, theirs.ociRef, 'late/app:1.1'); } },
  });
  assert.equal(out.report.result, 'violation');
  assert.equal(out.error?.code, 'TAG_EXISTS', out.error?.message);
  assert.match(out.error?.message ?? '', /no tag was written/);
  assert.deepEqual(out.outputs.pushed ?? {}, {});
  await assert.rejects(inspectDigest(reg, 'late/app:1.0'), 'the first tag was not written');
  assert.equal(await inspectDigest(reg, 'late/app:1.1'), their, 'the other job keeps its tag');
});

test('a report file that cannot be written does not hide a policy violation', async () => {
  const s = settings({ tags: `${reg.host}/report/app:1.0`, image: ours.layout, push: 'false', sarif: '/etc/hostname/scan.sarif' });
  const out = await runImmutag(s, { logger: new MemoryLogger(), env: {} });
  assert.equal(out.report.result, 'violation');
  assert.ok(out.report.scan, 'the findings stay in the report');
  assert.equal(out.outputs.vulnerabilities?.failing, 1);
  assert.ok(out.report.problems.some((p) => p.code === 'INVALID_INPUT' && p.message.includes('/etc/hostname')));
});

test('a report file that cannot be written is an error when the scan passes', async () => {
  const s = settings({ tags: `${reg.host}/report/app:2.0`, image: theirs.layout, push: 'false', sarif: '/etc/hostname/scan.sarif' });
  const out = await runImmutag(s, { logger: new MemoryLogger(), env: {} });
  assert.equal(out.report.result, 'error');
  assert.equal(out.error?.code, 'INVALID_INPUT');
});

test('verify mode scans repo@digest and leaves no spool directory behind', async () => {
  const digest = await pushImage(reg, ours.ociRef, 'verify/app:1.0');
  const temp = await mkdtemp(join(tmpdir(), 'immutag-spool-check-'));
  const saved = process.env['TMPDIR'];
  process.env['TMPDIR'] = temp;
  try {
    const out = await runImmutag(settings({ tags: `${reg.host}/verify/app:1.0`, digest, 'fail-on': 'none' }), { logger: new MemoryLogger(), env: {} });
    assert.equal(out.report.result, 'pass');
    assert.equal(out.outputs.vulnerabilities?.high, 1, 'the scan read the pulled layers');
    assert.deepEqual(await readdir(temp), []);
  } finally {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
    await rm(temp, { recursive: true, force: true });
  }
});
