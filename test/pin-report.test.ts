// How a pin report reads: the headline, both digests of a moved tag, annotations on
// the failing lines, and text from files that cannot break the table or the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PinReport } from '../src/pin/model.ts';
import { pinAnnotations, pinFinalLine, renderPinSummary } from '../src/report/pin-section.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getOctokit } from '@actions/github';
import { readEventPayload, runContext } from '../src/github/context.ts';
import { MemoryLogger } from '../src/log.ts';
import { publishPinReport } from '../src/pin/publish.ts';
import { registerSecret } from '../src/secrets.ts';
import { startGitHubStandIn, WRITE_TOKEN } from './support/github-server.ts';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

function report(over: Partial<PinReport> = {}): PinReport {
  return {
    result: 'violation', mode: 'check', checkedAt: '2026-12-03T06:17:00.000Z', written: [], notes: [], problems: [], requests: 3,
    rows: [
      { file: 'k8s/app.yaml', line: 4, column: 14, kind: 'kubernetes', reference: `r.example/app:1.0@${A}`, state: 'up-to-date', digest: A },
      { file: 'k8s/app.yaml', line: 9, column: 14, kind: 'kubernetes', reference: `r.example/api:2.0@${A}`, state: 'moved', digest: A, pinnedDigest: A, currentDigest: B,
        reason: `the tag moved: pinned ${A} (what the tag pointed at when last pinned), the tag now points at ${B}` },
      { file: 'values.yaml', line: 2, column: 8, kind: 'yaml', reference: '{{ .x | quote }} <!-- @team', state: 'skipped', reason: 'built from a variable or template' },
    ],
    ...over,
  };
}

test('a moved tag: the headline says so, the row names both digests, failing rows come first', () => {
  const md = renderPinSummary(report());
  assert.match(md, /^### ❌ immutag pin check: 1 immutable tag moved\n/);
  const rows = md.split('\n').filter((l) => l.startsWith('| `'));
  assert.match(rows[0]!, /^\| `k8s\/app\.yaml:9` \| `r\.example\/api:2\.0` \| pinned `sha256:a{64}`, now `sha256:b{64}` \| ⛔ tag moved \|$/);
  assert.match(md, /registry checked at 2026-12-03T06:17:00\.000Z/);
});

test('text from a file cannot split a table cell, open a comment or mention anyone', () => {
  const row = renderPinSummary(report()).split('\n').find((l) => l.includes('values.yaml'))!;
  assert.equal(row.split(/(?<!\\)\|/).length, 6, 'four cells');
  assert.ok(!row.includes('<!--'));
  assert.ok(!/@team/.test(row.replace(/`[^`]*`/g, '')), 'outside code spans no mention');
});

test('annotations sit on the failing line; a mutable move is a notice; the final line counts states', () => {
  const notes = pinAnnotations(report());
  assert.deepEqual(notes.map((a) => [a.level, a.file, a.line]), [['error', 'k8s/app.yaml', 9]]);
  assert.match(notes[0]!.message, new RegExp(`${A}.*${B}.*checked at 2026-12-03T06:17:00\\.000Z`));
  const update = pinAnnotations(report({ result: 'pass', rows: [{ file: 'c.yml', line: 3, column: 1, kind: 'compose', reference: `p:3.12@${A}`, state: 'update-available', mutable: true, pinnedDigest: A, currentDigest: B, reason: 'update available' }] }));
  assert.deepEqual(update.map((a) => a.level), ['notice']);
  assert.equal(pinFinalLine(report()), 'immutag pin: VIOLATION: 1 up-to-date; 1 moved; 1 skipped');
});

test('a parse error: the problem names file:line, and the headline says the run could not finish', () => {
  const r = report({ result: 'error', rows: [], problems: [{ code: 'INVALID_INPUT', message: 'k8s/x.yaml:3: not valid YAML: bad indent', file: 'k8s/x.yaml', line: 3 }] });
  assert.match(renderPinSummary(r), /could not finish: INVALID_INPUT[\s\S]*k8s\/x\.yaml:3: not valid YAML/);
  assert.deepEqual(pinAnnotations(r).map((a) => [a.file, a.line]), [['k8s/x.yaml', 3]]);
});

test('a pin report is published through the scrubber: a registry echo of a credential reaches neither the summary nor the comment', async () => {
  const secret = Buffer.from('ci:s3cret-pin-pass').toString('base64');
  registerSecret(secret);
  const echoed = report({
    result: 'error',
    rows: [{ file: 'deploy.yaml', line: 1, column: 1, kind: 'yaml', reference: 'r.example/app:1.0', state: 'unknown',
      reason: `GET r.example/app:1.0 answered HTTP 400: BAD_REQUEST: got Authorization: Basic ${secret}` }],
  });
  const github = await startGitHubStandIn();
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-publish-'));
  try {
    const payload = readEventPayload(fileURLToPath(new URL('./fixtures/github/pull_request.opened.json', import.meta.url)));
    const context = runContext({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'Codertocat/Hello-World', GITHUB_WORKFLOW: 'Deploy files', GITHUB_API_URL: github.url }, payload);
    const summaryPath = join(dir, 'summary.md');
    const url = await publishPinReport({ report: echoed, context, comment: 'auto', token: WRITE_TOKEN, octokit: getOctokit, summaryPath, logger: new MemoryLogger() });
    assert.ok(url, 'the comment was posted');
    const summary = await readFile(summaryPath, 'utf8');
    const comments = github.comments('Codertocat', 'Hello-World', payload.number!);
    assert.match(summary, /Authorization: Basic (\\?\*){3}/, 'the reason is still there, masked (Markdown escapes the stars)');
    for (const [where, text] of [['summary', summary], ['comment', comments.map((c) => c.body).join('\n')]] as const) {
      assert.ok(!text.includes(secret), `the ${where} holds the credential`);
    }
  } finally {
    await github.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('one moved tag named in two files is one tag in the headline; healthy rows are apart from the ones that need attention', () => {
  const movedRow = report().rows[1]!;
  const r = report({ rows: [report().rows[0]!, movedRow, { ...movedRow, file: 'k8s/worker.yaml', line: 7 }] });
  const text = renderPinSummary(r);
  assert.match(text, /^### ❌ immutag pin check: 1 immutable tag moved \(2 references\)/);
  const attention = text.slice(text.indexOf('**Needs attention**'), text.indexOf('**The other references**'));
  assert.ok(attention.includes('k8s/worker.yaml:7') && !attention.includes('k8s/app.yaml:4'), attention);
  assert.ok(text.slice(text.indexOf('**The other references**')).includes('k8s/app.yaml:4'));
});

test('two jobs of one workflow that pin for different repositories or files keep a comment each; a re-run updates its own', async () => {
  const github = await startGitHubStandIn();
  try {
    const payload = readEventPayload(fileURLToPath(new URL('./fixtures/github/pull_request.opened.json', import.meta.url)));
    const context = runContext({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'Codertocat/Hello-World', GITHUB_WORKFLOW: 'Release', GITHUB_API_URL: github.url }, payload);
    const publish = (r: PinReport, scope: string[]) => publishPinReport({ report: r, context, comment: 'auto', token: WRITE_TOKEN, octokit: getOctokit, logger: new MemoryLogger(), scope });
    await publish(report(), ['ghcr.io/o/api', 'deploy/api']);
    await publish(report({ result: 'pass', rows: [report().rows[0]!] }), ['ghcr.io/o/worker', 'deploy/worker']);
    const bodies = () => github.comments('Codertocat', 'Hello-World', payload.number!).map((c) => c.body);
    assert.equal(bodies().length, 2, 'the worker job\'s pass does not replace the api job\'s violation');
    assert.ok(bodies().some((b) => /immutable tag moved/.test(b)));
    await publish(report(), ['deploy/api', 'ghcr.io/o/api']);
    assert.equal(bodies().length, 2, 'the same job again updates its comment');
  } finally {
    await github.close();
  }
});
