// The Action end to end, run as the runner runs it (node dist/index.js, INPUT_*,
// GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) against the real registry, with a real npm
// advisory (GHSA-whgm-jr23-g3j9: ansi-html < 0.0.8, CVSS 7.5) in an offline vuln-db
// and the GitHub REST stand-in for the pull-request comment.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRegistry, useRegistry } from './support/registry.ts';
import { buildImage, buildIndex, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runAction, type ActionRun } from './support/action-runner.ts';
import { READ_TOKEN, startGitHubStandIn, WRITE_TOKEN } from './support/github-server.ts';
import { loadSchemas, validate } from './support/json-schema.ts';
import { run } from './support/exec.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const GHSA = 'GHSA-whgm-jr23-g3j9';

const reg = await useRegistry({ auth: 'htpasswd' });
let clean: BuiltImage;
let vulnerable: BuiltImage;
let work: string;
let vulnDb: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'immutag-action-test-'));
  vulnDb = join(work, 'osv');
  await mkdir(join(vulnDb, 'npm'), { recursive: true });
  await copyFile(fixture(`osv/records/npm/${GHSA}.json`), join(vulnDb, 'npm', `${GHSA}.json`));
  clean = await buildImage({ files: { '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.8"}', '/app/id': `clean ${Date.now()}` } });
  vulnerable = await buildImage({ files: { '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.7"}', '/app/id': `vuln ${Date.now()}` } });
});

after(async () => {
  await removeLayout(clean);
  await removeLayout(vulnerable);
  await rm(work, { recursive: true, force: true });
});

function action(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({ username: reg.username, password: reg.password, 'insecure-registries': reg.host, 'vuln-db': vulnDb, comment: 'never', ...inputs }, env);
}

/** What the runner sets for a pull_request run (the event payload is a real one, from the fixtures). */
function pullRequestEnv(apiUrl: string, runId: string): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: fixture('github/pull_request.opened.json'),
    GITHUB_API_URL: apiUrl, GITHUB_REPOSITORY: 'Codertocat/Hello-World', GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    GITHUB_WORKFLOW: 'image', GITHUB_RUN_ID: runId, GITHUB_SERVER_URL: 'https://github.com',
  };
}

/** `::add-mask::` lines are how a value is registered for masking; the runner never shows them. */
function printed(r: ActionRun): string {
  return `${r.stdout}${r.stderr}${r.summary}`.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
}

function assertNoSecrets(r: ActionRun, secret = reg.password): void {
  assert.ok(!printed(r).includes(secret), 'the password must never be printed');
}

test('gate only: an existing immutable tag fails the job with its digest; a new tag passes', async () => {
  const existing = await pushImage(reg, clean.ociRef, 'gate/app:1.0');
  const r = await action({ tags: `${reg.host}/gate/app:1.0\n${reg.host}/gate/app:2.0` });
  assert.equal(r.code, 1);
  assert.equal(r.outputs['result'], 'violation');
  assert.deepEqual(JSON.parse(r.outputs['existing']!), [{ tag: `${reg.host}/gate/app:1.0`, digest: existing }]);
  assert.match(r.stdout, new RegExp(`::error .*${existing}`));
  assert.match(r.stdout, /::group::Check the tags\n[\s\S]*::endgroup::/, 'long steps are grouped in the log');
  assert.ok(r.summary.includes(existing));
  assertNoSecrets(r);

  const ok = await action({ tags: `${reg.host}/gate/app:2.0`, 'mutable-tags': 'latest' });
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal(ok.outputs['result'], 'pass');
  assert.equal(ok.outputs['existing'], '[]');
});

test('push: outputs name the digest skopeo sees for every tag; a re-run changes nothing and passes', async () => {
  const tags = `${reg.host}/push/app:1.0,${reg.host}/push/other:1.0`;
  const r = await action({ tags, image: clean.layout });
  assert.equal(r.code, 0, r.stdout);
  const digest = r.outputs['digest']!;
  assert.equal(await inspectDigest(reg, 'push/app:1.0'), digest);
  assert.equal(await inspectDigest(reg, 'push/other:1.0'), digest);
  assert.equal(r.outputs['image'], `${reg.host}/push/app@${digest}`);
  assert.deepEqual(r.outputs['images']!.split('\n'), [`${reg.host}/push/app@${digest}`, `${reg.host}/push/other@${digest}`]);
  assert.deepEqual(JSON.parse(r.outputs['pushed']!), { [`${reg.host}/push/app:1.0`]: 'created', [`${reg.host}/push/other:1.0`]: 'created' });
  assert.equal(JSON.parse(r.outputs['vulnerabilities']!).failing, 0);
  assertNoSecrets(r);

  const again = await action({ tags, image: clean.layout });
  assert.equal(again.code, 0, again.stdout);
  assert.equal(again.outputs['digest'], digest);
  assert.deepEqual(JSON.parse(again.outputs['pushed']!), { [`${reg.host}/push/app:1.0`]: 'unchanged', [`${reg.host}/push/other:1.0`]: 'unchanged' });
});

test('multi-platform: the index is pushed whole, outputs carry its digest, the summary lists each platform', async () => {
  // The layout also holds each platform's image under its own name; the index is named for the tag.
  const multi = await buildIndex({ arches: ['amd64', 'arm64'], tag: '1.0' });
  try {
    const r = await action({ tags: `${reg.host}/multi/app:1.0`, image: multi.layout });
    assert.equal(r.code, 0, r.stdout);
    const digest = r.outputs['digest']!;
    assert.equal(await inspectDigest(reg, 'multi/app:1.0'), digest);
    const { stdout } = await run('skopeo', ['inspect', '--raw', ...reg.skopeoArgs(), `docker://${reg.host}/multi/app:1.0`]);
    assert.deepEqual((JSON.parse(stdout) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest), multi.platforms.map((p) => p.digest));
    for (const p of multi.platforms) {
      assert.ok(r.summary.includes(p.digest.slice(0, 19)), `the summary names the ${p.arch} digest`);
      assert.ok(r.summary.includes(`linux/${p.arch}`));
    }
  } finally {
    await removeLayout(multi);
  }
});

test('scan policy: a known-vulnerable package fails fail-on high before anything is pushed', async () => {
  const sarif = join(work, 'out', 'scan.sarif');
  const report = join(work, 'out', 'report.json');
  const r = await action({ tags: `${reg.host}/scan/app:1.0`, image: vulnerable.layout, 'fail-on': 'high', sarif, report });
  assert.equal(r.code, 1, r.stdout);
  assert.equal(r.outputs['result'], 'violation');
  const counts = JSON.parse(r.outputs['vulnerabilities']!);
  assert.equal(counts.high, 1);
  assert.equal(counts.failing, 1);
  assert.match(r.summary, new RegExp(GHSA.replace(/-/g, '.')));
  await assert.rejects(inspectDigest(reg, 'scan/app:1.0'), 'nothing reaches the registry on a policy violation');
  const schemas = loadSchemas([fixture('scan/schemas/sarif-schema-2.1.0.json')]);
  assert.deepEqual(validate(JSON.parse(await readFile(sarif, 'utf8')), 'sarif-schema-2.1.0.json', schemas), []);
  assert.equal(r.outputs['sarif'], sarif);
  assert.ok(JSON.parse(await readFile(report, 'utf8')));
});

const verdicts: Array<[string, Record<string, string>, number]> = [
  ['fail-on none passes', { 'fail-on': 'none' }, 0],
  ['fail-on critical passes a high finding', { 'fail-on': 'critical' }, 0],
  ['ignore-unfixed does not excuse a finding that has a fix', { 'ignore-unfixed': 'true' }, 1],
  ['an ignore-file entry for the CVE alias excuses the GHSA record', { 'ignore-file': 'IGNORE' }, 0],
  ['an expired ignore-file entry no longer applies', { 'ignore-file': 'EXPIRED' }, 1],
];

for (const [name, inputs, code] of verdicts) {
  test(`scan policy: ${name}`, async () => {
    const resolved = { ...inputs };
    if (inputs['ignore-file'] === 'IGNORE') {
      resolved['ignore-file'] = join(work, 'ignore.txt');
      await writeFile(resolved['ignore-file'], 'CVE-2021-23424 # ansi-html is only used at build time\n');
    }
    if (inputs['ignore-file'] === 'EXPIRED') {
      resolved['ignore-file'] = join(work, 'expired.txt');
      await writeFile(resolved['ignore-file'], `${GHSA} # accepted until the upgrade until: 2020-01-01\n`);
    }
    const tag = `${reg.host}/policy/app:${name.replace(/[^a-z]+/g, '-').slice(0, 60)}`;
    const r = await action({ tags: tag, image: vulnerable.layout, push: 'false', ...resolved });
    assert.equal(r.code, code, r.stdout);
    assert.equal(r.outputs['result'], code === 0 ? 'pass' : 'violation');
  });
}

test('scan policy: ignore-unfixed excuses a finding that has no fix (DEBIAN-CVE-2016-1585, apparmor, Debian 12)', async () => {
  const db = join(work, 'osv-debian');
  await mkdir(join(db, 'Debian'), { recursive: true });
  await copyFile(fixture('scan/osv/DEBIAN-CVE-2016-1585.json'), join(db, 'Debian', 'DEBIAN-CVE-2016-1585.json'));
  const debian = await buildImage({ files: {
    '/usr/lib/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n',
    '/var/lib/dpkg/status': 'Package: apparmor\nStatus: install ok installed\nPriority: optional\nSection: admin\nInstalled-Size: 2643\nMaintainer: Debian AppArmor Team <pkg-apparmor-team@lists.alioth.debian.org>\nArchitecture: amd64\nVersion: 3.0.8-3\nDescription: user-space parser utility for AppArmor\n',
    '/id': `debian ${Date.now()}`,
  } });
  try {
    const inputs = { tags: `${reg.host}/unfixed/app:1.0`, image: debian.layout, push: 'false', 'vuln-db': db, 'fail-on': 'low' };
    const strict = await action(inputs);
    assert.equal(strict.code, 1, strict.stdout);
    assert.equal(JSON.parse(strict.outputs['vulnerabilities']!).low, 1);
    const lenient = await action({ ...inputs, 'ignore-unfixed': 'true' });
    assert.equal(lenient.code, 0, lenient.stdout);
    assert.equal(JSON.parse(lenient.outputs['vulnerabilities']!).failing, 0);
    assert.match(lenient.summary, /DEBIAN-CVE-2016-1585|CVE-2016-1585/, 'still reported');
  } finally {
    await removeLayout(debian);
  }
});

test('verify mode: every tag must resolve to the digest another step pushed', async () => {
  const digest = await pushImage(reg, clean.ociRef, 'verify/app:1.0');
  const ok = await action({ tags: `${reg.host}/verify/app:1.0`, digest });
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal(ok.outputs['image'], `${reg.host}/verify/app@${digest}`);
  const missing = await action({ tags: `${reg.host}/verify/app:1.0\n${reg.host}/verify/app:nope`, digest, scan: 'none' });
  assert.equal(missing.code, 1);
  assert.equal(missing.outputs['result'], 'violation', 'a tag that does not exist does not resolve to the digest');
  assert.equal(missing.outputs['image'], undefined, 'a failed run names nothing to deploy');
  const other = await pushImage(reg, vulnerable.ociRef, 'verify/app:2.0');
  const bad = await action({ tags: `${reg.host}/verify/app:1.0\n${reg.host}/verify/app:2.0`, digest, scan: 'none' });
  assert.equal(bad.code, 1);
  assert.equal(bad.outputs['result'], 'violation');
  assert.ok(bad.stdout.includes(other));
});

test('a scan that cannot finish is an error, never a violation or a pass: the decompression cap, a missing trivy', async () => {
  const capped = await action({ tags: `${reg.host}/limits/app:1.0`, image: vulnerable.layout, push: 'false', 'max-scan-size': '1KiB' });
  assert.equal(capped.code, 1);
  assert.equal(capped.outputs['result'], 'error');
  assert.match(capped.stdout, /LIMIT_EXCEEDED/);
  const noTrivy = await action({ tags: `${reg.host}/limits/app:1.0`, image: vulnerable.layout, push: 'false', scan: 'trivy' }, { PATH: '/usr/bin:/bin' });
  assert.equal(noTrivy.code, 1);
  assert.equal(noTrivy.outputs['result'], 'error');
  assert.match(noTrivy.stdout, /setup-trivy/);
});

test('push: false pushes nothing and names the digest that would be deployed', async () => {
  const r = await action({ tags: `${reg.host}/dry/app:1.0`, image: clean.layout, push: 'false' });
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.outputs['digest'] ?? '', /^sha256:/);
  assert.equal(r.outputs['image'], `${reg.host}/dry/app@${r.outputs['digest']}`);
  assert.equal(r.outputs['pushed'], undefined);
  await assert.rejects(inspectDigest(reg, 'dry/app:1.0'), 'the registry is untouched');
});

test('cannot tell is an error, never a pass: wrong password and a stopped registry', async () => {
  const wrong = await runAction({ tags: `${reg.host}/gate/app:9.0`, username: reg.username, password: 'not-the-password', 'insecure-registries': reg.host, scan: 'none' });
  assert.equal(wrong.code, 1);
  assert.equal(wrong.outputs['result'], 'error');
  assertNoSecrets(wrong, 'not-the-password');
  assert.match(wrong.stdout, /401/);
  // startRegistry, not the fixture: this registry is stopped on purpose, for an address nothing answers on.
  const gone = await startRegistry();
  await gone.stop();
  const down = await runAction({ tags: `${gone.host}/gate/app:1.0`, 'insecure-registries': gone.host });
  assert.equal(down.code, 1);
  assert.equal(down.outputs['result'], 'error');
});

test('pull request: one comment, found again and updated in place on the next run', async () => {
  const github = await startGitHubStandIn();
  try {
    const env = pullRequestEnv(github.url, '42');
    const inputs = { tags: `${reg.host}/comment/app:1.0`, image: clean.layout, comment: 'auto', 'github-token': WRITE_TOKEN };
    const first = await action(inputs, env);
    assert.equal(first.code, 0, first.stdout);
    const second = await action(inputs, env);
    assert.equal(second.code, 0, second.stdout);
    const comments = github.comments('Codertocat', 'Hello-World', 2);
    assert.equal(comments.length, 1);
    assert.ok(comments[0]!.body.includes(first.outputs['digest']!));
    assert.match(second.outputs['comment-url'] ?? '', /issuecomment/);
    assert.ok(!JSON.stringify(github.requests).includes(WRITE_TOKEN));
  } finally {
    await github.close();
  }
});

test('a token that cannot comment (fork, read-only) is a warning naming the permission; summary written, verdict unchanged', async () => {
  const github = await startGitHubStandIn();
  try {
    const env = pullRequestEnv(github.url, '43');
    const r = await action({ tags: `${reg.host}/fork/app:1.0`, image: clean.layout, comment: 'auto', 'github-token': READ_TOKEN }, env);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.outputs['result'], 'pass');
    assert.match(r.stdout, /::warning::.*pull-requests: write/);
    assert.ok(r.summary.includes(r.outputs['digest']!), 'the job summary has the report');
    assert.equal(r.outputs['comment-url'], undefined);
    assert.equal(github.comments('Codertocat', 'Hello-World', 2).length, 0);
  } finally {
    await github.close();
  }
});

test('the bundle runs on its own, as in the runner\'s checkout of the action (no node_modules)', async (t) => {
  const { cp } = await import('node:fs/promises');
  const copy = await mkdtemp(join(tmpdir(), 'immutag-action-copy-'));
  t.after(() => rm(copy, { recursive: true, force: true }));
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const entry of ['action.yml', 'package.json', 'dist']) await cp(join(root, entry), join(copy, entry), { recursive: true });
  const r = await runAction({ tags: `${reg.host}/standalone/app:1.0`, image: vulnerable.layout, username: reg.username, password: reg.password,
    'insecure-registries': reg.host, 'vuln-db': vulnDb, comment: 'never', 'fail-on': 'none' }, {}, join(copy, 'dist', 'index.js'));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(await inspectDigest(reg, 'standalone/app:1.0'), r.outputs['digest']);
  assert.equal(JSON.parse(r.outputs['vulnerabilities']!).high, 1, 'the scan ran from the bundle too');
});

test('bad input is an error with a hint, not a stack trace', async () => {
  const r = await runAction({ tags: 'UPPER/Case:1.0' });
  assert.equal(r.code, 1);
  assert.equal(r.outputs['result'], 'error');
  assert.match(r.stdout, /::error::.*UPPER\/Case/);
  assert.ok(!/\n\s+at /.test(r.stdout), 'no stack trace');
  assert.match(r.summary, /INVALID_REFERENCE[\s\S]*must be lowercase\. List tags/, 'the job summary says why, then what to do');
  const badInput = await runAction({ tags: 'r/a:1.0', 'fail-on': 'severe' });
  assert.equal(badInput.code, 1);
  assert.match(badInput.summary, /immutag: error[\s\S]*fail-on/, 'even an input that stops everything leaves a summary');
});

test('text from a registry is one line in the log: its newlines cannot start workflow commands', async (t) => {
  const { startFaultProxy } = await import('./support/fault-proxy.ts');
  const injected = 'denied\n::stop-commands::zz\n::set-output name=image::evil.example/x@sha256:' + 'e'.repeat(64) + '\r\n::error::forged\u001b[2J';
  const proxy = await startFaultProxy(reg.url, [{ path: /\/manifests\//, action: {
    kind: 'status', status: 400, headers: { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' },
    body: JSON.stringify({ errors: [{ code: 'DENIED', message: injected }] }),
  } }]);
  t.after(() => proxy.stop());
  const r = await action({ tags: `${proxy.host}/inject/app:1.0`, 'insecure-registries': proxy.host });
  assert.equal(r.code, 1, r.stdout);
  const lines = `${r.stdout}\n${r.stderr}`.split(/\r?\n|\r/);
  for (const command of ['::stop-commands::', '::set-output', '::error::forged']) {
    assert.ok(!lines.some((l) => l.trimStart().startsWith(command)), `${command} began a line:\n${r.stdout}`);
  }
  assert.ok(!`${r.stdout}${r.stderr}`.includes('\u001b'), 'no terminal escape reaches the log');
  assert.match(r.stdout, /denied\\n::stop-commands::zz\\n::set-output/, 'the text is shown, escaped, on the tag\'s line');
  assert.equal(r.outputs['image'], undefined);
});
