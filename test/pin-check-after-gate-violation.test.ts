// Found by a review, fixed since: with tags and pin-check, a refused tag (or a scan that
// failed the policy) ended the run before the deploy-file check, so the job failed with
// no pin-result, no pin annotations and no pin report, though action.yml says
// `pin-result` is "set when pin is given" and an errored run already ran the check.
// pin-check changes nothing, so it now runs however the run ended. The same review found
// that the check started a fresh deadline of the full `timeout` after the run, so the
// step could take nearly twice the time limit; it now works within what the run left.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinAfterRun } from '../src/pin/after-run.ts';
import { RunDeadline, runCancelled } from '../src/registry/deadline.ts';
import { MemoryLogger } from '../src/log.ts';
import { runImmutag } from '../src/run.ts';
import { readSettings } from '../src/settings.ts';
import { useRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runAction } from './support/action-runner.ts';

const GHSA = 'GHSA-whgm-jr23-g3j9';
const reg = await useRegistry();
let image: BuiltImage;
let workspace: string;

before(async () => {
  image = await buildImage();
  workspace = await mkdtemp(join(tmpdir(), 'review-action-pin-check-'));
  await mkdir(join(workspace, 'k8s'), { recursive: true });
});

after(async () => {
  await removeLayout(image);
  await rm(workspace, { recursive: true, force: true });
});

test('pin-check with tags: a refused tag does not skip the deploy-file check; pin-result is set', async () => {
  await pushImage(reg, image.ociRef, 'pincheck/app:1.0');
  // An unpinned reference: pin-check's violation.
  await writeFile(join(workspace, 'k8s', 'app.yaml'), `spec:\n  containers:\n    - image: ${reg.host}/pincheck/app:1.0\n`);
  const r = await runAction({
    tags: `${reg.host}/pincheck/app:1.0`, pin: 'k8s', 'pin-check': 'true',
    'insecure-registries': reg.host, comment: 'never', scan: 'none',
  }, { GITHUB_WORKSPACE: workspace });
  assert.equal(r.outputs['result'], 'violation', r.stdout);
  assert.equal(r.code, 1);
  // The deploy files were checked all the same.
  assert.equal(r.outputs['pin-result'], 'violation', `pin-result must be set when pin is given; outputs: ${JSON.stringify(r.outputs)}`);
});

test('pin-check with tags: an errored run checks the deploy files (control: this path already does)', async () => {
  await writeFile(join(workspace, 'k8s', 'app.yaml'), `spec:\n  containers:\n    - image: ${reg.host}/pincheck/app:1.0\n`);
  // An image path that does not exist: the run stops with an error (thrown, caught) before the gate.
  const r = await runAction({
    tags: `${reg.host}/pincheck/app:2.0`, image: join(workspace, 'missing-layout'), pin: 'k8s', 'pin-check': 'true',
    'insecure-registries': reg.host, comment: 'never', scan: 'none',
  }, { GITHUB_WORKSPACE: workspace });
  assert.equal(r.outputs['result'], 'error', r.stdout);
  assert.equal(r.outputs['pin-result'], 'violation', JSON.stringify(r.outputs));
});

test('pin-check with tags: a scan that fails the policy does not skip the deploy-file check either', async () => {
  const vulnDb = join(workspace, 'osv');
  await mkdir(join(vulnDb, 'npm'), { recursive: true });
  await copyFile(fileURLToPath(new URL(`./fixtures/osv/records/npm/${GHSA}.json`, import.meta.url)), join(vulnDb, 'npm', `${GHSA}.json`));
  const vulnerable = await buildImage({ files: { '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.7"}', '/app/id': `pin-check ${Date.now()}` } });
  try {
    await writeFile(join(workspace, 'k8s', 'app.yaml'), `spec:\n  containers:\n    - image: ${reg.host}/pincheck/app:1.0\n`);
    const r = await runAction({
      tags: `${reg.host}/pincheck/scanned:1.0`, image: vulnerable.layout, 'vuln-db': vulnDb, 'fail-on': 'high', pin: 'k8s', 'pin-check': 'true',
      'insecure-registries': reg.host, comment: 'never',
    }, { GITHUB_WORKSPACE: workspace });
    assert.equal(r.outputs['result'], 'violation', r.stdout);
    assert.equal(JSON.parse(r.outputs['vulnerabilities']!).failing, 1);
    assert.equal(r.outputs['pin-result'], 'violation', JSON.stringify(r.outputs));
  } finally {
    await removeLayout(vulnerable);
  }
});

test('pin without pin-check after a refused tag: still no file is written and no pin-result is set', async () => {
  await pushImage(reg, image.ociRef, 'pincheck/write:1.0');
  const before = `spec:\n  containers:\n    - image: ${reg.host}/pincheck/write:1.0\n`;
  await writeFile(join(workspace, 'k8s', 'app.yaml'), before);
  // Another build than the one 1.0 names: the gate refuses it.
  const other = await buildImage({ files: { '/app/id': `other ${Date.now()}` } });
  try {
    const r = await runAction({
      tags: `${reg.host}/pincheck/write:1.0`, image: other.layout, pin: 'k8s', scan: 'none',
      'insecure-registries': reg.host, comment: 'never',
    }, { GITHUB_WORKSPACE: workspace });
    assert.equal(r.outputs['result'], 'violation', r.stdout);
    assert.equal(r.outputs['pin-result'], undefined);
    assert.match(r.stdout, /pin: nothing pinned: the run did not pass/);
    assert.equal(await readFile(join(workspace, 'k8s', 'app.yaml'), 'utf8'), before);
  } finally {
    await removeLayout(other);
  }
});

function pinCheckSettings(tag: string) {
  const inputs: Record<string, string> = { tags: `${reg.host}/${tag}`, pin: 'k8s', 'pin-check': 'true', 'insecure-registries': reg.host, scan: 'none' };
  return readSettings((name) => inputs[name]);
}

test('pin-check after the run works within the run\'s deadline: a spent one leaves every reference unknown', async () => {
  await writeFile(join(workspace, 'k8s', 'app.yaml'), `spec:\n  containers:\n    - image: ${reg.host}/pincheck/app:1.0\n`);
  const settings = pinCheckSettings('pincheck/app:1.0');
  assert.equal(settings.timeoutMs, 30 * 60_000, 'a fresh deadline of its own would have all of it');
  const spent = new RunDeadline(1);
  try {
    await new Promise((resolve) => spent.signal.addEventListener('abort', resolve, { once: true }));
    const pin = await pinAfterRun(settings, { result: 'violation', mode: 'check', tags: [], problems: [], run: {} }, new MemoryLogger(), workspace, spent.signal);
    assert.equal(pin?.result, 'error', JSON.stringify(pin));
    assert.deepEqual(pin?.rows.map((r) => [r.state, r.code]), [['unknown', 'RUN_TIMEOUT']]);
  } finally {
    spent.dispose();
  }
});

test('a run stopped before it began (its deadline aborted): the pin check after it stops too', async () => {
  await writeFile(join(workspace, 'k8s', 'app.yaml'), `spec:\n  containers:\n    - image: ${reg.host}/pincheck/app:1.0\n`);
  const stop = new AbortController();
  stop.abort(runCancelled('SIGTERM'));
  const out = await runImmutag(pinCheckSettings('pincheck/app:1.0'), { logger: new MemoryLogger(), env: { GITHUB_WORKSPACE: workspace }, cancel: stop.signal });
  assert.equal(out.report.result, 'error');
  assert.equal(out.pin?.result, 'error', JSON.stringify(out.pin));
  assert.deepEqual(out.pin?.rows.map((r) => [r.state, r.code]), [['unknown', 'RUN_CANCELLED']]);
});
