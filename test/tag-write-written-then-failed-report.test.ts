// Found by a review, fixed since: a tag this job wrote, whose failure message itself said
// it was written, was reported as not written ("no tag was written" on the final line,
// "not pushed" in the summary and comment). (A) A PUT that landed later than the settle
// window (tag-write.ts step 5) failed with TAG_STATE_UNKNOWN "…names this job's image…";
// (B) a proxy stored the manifest rewritten under the tag and answered 201, which failed
// with DIGEST_MISMATCH "…was written, and now names <X>…". markTagFailed only knew
// UnconfirmedWriteError as perhaps written. The errors now carry the fact as typed fields
// (UnconfirmedWriteError.landed, RewrittenTagError), and the report says it: (A) written
// but too late to be vouched for, (B) written, and now naming another image. Both runs
// still fail.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLogger } from '../src/log.ts';
import { runImmutag } from '../src/run.ts';
import { readSettings } from '../src/settings.ts';
import { finalLine } from '../src/report/final-line.ts';
import { renderSummary } from '../src/report/summary.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { startForwardingProxy } from './support/forwarding-proxy.ts';
import { buildImage, inspectDigest, pushImage as skopeoPush, removeLayout, type BuiltImage } from './support/images.ts';
import { useRegistry } from './support/registry.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
let ours: BuiltImage;
let rewritten: BuiltImage;

before(async () => {
  ours = await buildImage({ files: { '/id': 'ours-late-written' } });
  rewritten = await buildImage({ files: { '/id': 'rewritten-by-proxy' } });
});

after(async () => {
  await removeLayout(ours);
  await removeLayout(rewritten);
});

test('a tag PUT that lands after the settle window: the job fails, and its report does not say "no tag was written"', { timeout: 120_000 }, async () => {
  const proxy = await startForwardingProxy(reg.url);
  const clock = virtualClock();
  try {
    const tag = `${proxy.host}/late-written/app:1.0`;
    // The tag PUT is held by a slow hop for longer than the settle window (5 s), then lands.
    const pause = proxy.pauseWhen((method, path) => method === 'PUT' && path.endsWith('/manifests/1.0'));
    void pause.reached.then(async () => {
      await clock.sleep(6_000);
      pause.release();
    });
    const all: Record<string, string> = { 'insecure-registries': proxy.host, tags: tag, image: ours.layout, scan: 'none' };
    const out = await runImmutag(readSettings((name) => all[name]), {
      logger: new MemoryLogger(), env: {},
      hooks: { settle: { clock } },
    });
    const line = finalLine(out.report);
    const now = await inspectDigest(reg, 'late-written/app:1.0');
    assert.notEqual(out.report.result, 'pass');
    assert.equal(now, out.report.image?.digest, 'the registry holds the tag at this job\'s image');
    assert.match(out.report.problems.map((p) => p.message).join('\n'), /names this job's image/, 'the error itself says the tag names this image');
    assert.doesNotMatch(line, /no tag was written/, `the final line says no tag was written, but ${tag} names ${now}: ${line}`);
    assert.equal(out.report.result, 'error', 'the verdict is unchanged: the write could not be vouched for');
    assert.match(line, /late-written\/app:1\.0 was written and names this job's image, but too late to be vouched for: check that no other job pushed it before deploying it by tag/, line);
    const row = out.report.tags[0];
    assert.equal(row?.state, 'unknown', 'the run cannot vouch for the tag');
    assert.equal(row?.writtenLate, true, JSON.stringify(row));
    const summary = renderSummary(out.report);
    assert.match(summary, /❓ written, but too late to be vouched for/);
    assert.match(summary, /pushed, but the run failed after writing 1 tag: do not deploy/);
    assert.doesNotMatch(summary, /not pushed/);
  } finally {
    await proxy.stop();
  }
});

test('a tag PUT the registry stored rewritten (DIGEST_MISMATCH, "was written"): the report does not say "no tag was written"', { timeout: 120_000 }, async () => {
  const repo = 'rewritten-written/app';
  const other = await inspectDigestAfterPush();
  // A proxy that stores the tag as other bytes and says so in Docker-Content-Digest.
  const proxy = await startFaultProxy(reg.url, [{
    method: 'PUT', path: /\/manifests\/1\.0$/, times: 1,
    during: async () => void await skopeoPush(reg, rewritten.ociRef, `${repo}:1.0`),
    action: { kind: 'status', status: 201, headers: { 'docker-content-digest': other } },
  }]);
  try {
    const tag = `${proxy.host}/${repo}:1.0`;
    const all: Record<string, string> = { 'insecure-registries': proxy.host, tags: tag, image: ours.layout, scan: 'none' };
    const out = await runImmutag(readSettings((name) => all[name]), { logger: new MemoryLogger(), env: {}, hooks: { settle: { clock: virtualClock() } } });
    const line = finalLine(out.report);
    assert.equal(out.report.problems[0]?.code, 'DIGEST_MISMATCH');
    assert.match(out.report.problems[0]?.message ?? '', /was written/);
    assert.equal(await inspectDigest(reg, `${repo}:1.0`), other, 'the tag was written (to the rewritten manifest)');
    assert.doesNotMatch(line, /no tag was written/, `the final line says no tag was written, but ${tag} was written: ${line}`);
    assert.equal(out.report.result, 'error', 'the verdict is unchanged');
    assert.ok(line.includes(`${tag} was written, but now points at ${other}, not at this job's image: do not deploy it by tag`), line);
    const row = out.report.tags[0];
    assert.equal(row?.state, 'refused', 'the tag names another image');
    assert.equal(row?.existingDigest, other);
    assert.equal(row?.writtenThenTaken, true, JSON.stringify(row));
    const summary = renderSummary(out.report);
    assert.ok(summary.includes(`⛔ written, but names another image: it now points at \`${other}\`, not at this job's image; do not deploy it by tag`), summary);
    assert.doesNotMatch(summary, /not pushed|bump the version/i);
  } finally {
    await proxy.stop();
  }
});

/** The digest the rewritten image has once stored (pushed once by digest under a scratch tag). */
async function inspectDigestAfterPush(): Promise<string> {
  await skopeoPush(reg, rewritten.ociRef, 'rewritten-written/scratch:x');
  return inspectDigest(reg, 'rewritten-written/scratch:x');
}
