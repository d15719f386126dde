// Empty `tags`: docker/metadata-action outputs `tags=''` on a pull request when its
// rules are semver-only. With an image there is nothing to gate or push, but the scan
// runs and the digest output and the report name the image's digest; without an image
// the run passes. Either way a notice says no tags were given. Run as the runner runs
// the Action (INPUT_*, a pull_request event) and through the CLI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { entryFor } from './support/image-factory.ts';
import { runAction, runCli, type ActionRun } from './support/action-runner.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const GHSA = 'GHSA-whgm-jr23-g3j9';

const reg = await useRegistry();
let clean: BuiltImage;
let vulnerable: BuiltImage;
let work: string;
let vulnDb: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'immutag-no-tags-'));
  vulnDb = join(work, 'osv');
  await mkdir(join(vulnDb, 'npm'), { recursive: true });
  await copyFile(fixture(`osv/records/npm/${GHSA}.json`), join(vulnDb, 'npm', `${GHSA}.json`));
  clean = await buildImage({ files: { '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.8"}' } });
  vulnerable = await buildImage({ files: { '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.7"}' } });
});

after(async () => {
  await removeLayout(clean);
  await removeLayout(vulnerable);
  await rm(work, { recursive: true, force: true });
});

const pullRequest = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: fixture('github/pull_request.opened.json') };

function action(inputs: Record<string, string>): Promise<ActionRun> {
  // `tags` is passed as the runner passes an empty expression: INPUT_TAGS set to ''.
  return runAction({ tags: '', 'insecure-registries': reg.host, 'vuln-db': vulnDb, comment: 'never', ...inputs }, pullRequest);
}

async function catalog(): Promise<string[]> {
  const res = await fetch(`http://${reg.host}/v2/_catalog`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { repositories: string[] }).repositories;
}

test('an image and no tags: scanned, the digest output and the summary name its digest, nothing pushed, a notice says why', async () => {
  const expected = (await entryFor(clean.layout, clean.tag)).digest;
  const r = await action({ image: clean.layout });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.outputs['result'], 'pass');
  assert.equal(r.outputs['digest'], expected);
  assert.equal(r.outputs['image'], undefined, 'no repository, so no repo@digest to deploy');
  assert.deepEqual(JSON.parse(r.outputs['pushed']!), {});
  assert.equal(JSON.parse(r.outputs['vulnerabilities']!).failing, 0, 'the scan ran');
  assert.match(r.stdout, /::notice title=immutag::No tags were given/);
  assert.ok(r.summary.includes(expected), 'the summary names the digest');
  assert.match(r.summary, /no tags were given/i);
  assert.deepEqual(await catalog(), [], 'nothing reached the registry');
});

test('an image and no tags still fails on the scan policy', async () => {
  const r = await action({ image: vulnerable.layout, 'fail-on': 'high' });
  assert.equal(r.code, 1, r.stdout);
  assert.equal(r.outputs['result'], 'violation');
  assert.equal(JSON.parse(r.outputs['vulnerabilities']!).failing, 1);
});

test('no image and no tags: pass with a notice (the gate has nothing to refuse)', async () => {
  const r = await action({});
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.outputs['result'], 'pass');
  assert.match(r.stdout, /::notice title=immutag::No tags were given: there was nothing to check/);
  assert.match(r.summary, /No tags given/);
  assert.match(r.stdout, /immutag: PASS: no tags were given, nothing to check/);
});

test('the CLI: push --image with no references scans and names the digest; check with none is an error (an empty $REF is not a pass)', async () => {
  const expected = (await entryFor(clean.layout, clean.tag)).digest;
  const pushed = await runCli(['push', '--image', clean.layout, '--vuln-db', vulnDb, '--json']);
  assert.equal(pushed.code, 0, pushed.stderr);
  const out = JSON.parse(pushed.stdout) as { result: string; digest: string };
  assert.equal(out.result, 'pass');
  assert.equal(out.digest, expected);
  assert.match(pushed.stderr, /No tags were given/);
  const checked = await runCli(['check']);
  assert.equal(checked.code, 2, checked.stderr);
  assert.match(checked.stderr, /no REF given/);
});
