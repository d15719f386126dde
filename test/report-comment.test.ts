import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMENT_LIMIT, commentMarker, defaultCommentKey, renderComment } from '../src/report/comment.ts';
import { renderSummary, SUMMARY_LIMIT } from '../src/report/summary.ts';
import { finalLine } from '../src/report/final-line.ts';
import { annotations, MAX_ANNOTATIONS } from '../src/report/annotations.ts';
import type { RunReport } from '../src/report/run-report.ts';
import { assertGolden } from './support/golden.ts';
import { finding, manyFindingsReport, OTHER_DIGEST, passingReport, violationReport } from './support/sample-report.ts';

const MARKER = commentMarker(defaultCommentKey('Release image', ['ghcr.io/octo-org/api', 'docker.io/octoorg/api']));

/** Code spans removed: what is left is the text GitHub parses as Markdown and HTML. */
function outsideCode(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, '').replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, '');
}

function characters(s: string): number {
  return Array.from(s).length;
}

test('golden: comment and summary of a passing multi-platform push', async () => {
  const report = passingReport();
  await assertGolden('report/pass.comment.md', renderComment(report, { marker: MARKER }));
  await assertGolden('report/pass.summary.md', renderSummary(report));
});

test('golden: comment and summary of a refused tag and a failing scan', async () => {
  const report = violationReport();
  await assertGolden('report/violation.comment.md', renderComment(report, { marker: MARKER }));
  await assertGolden('report/violation.summary.md', renderSummary(report));
});

test('the marker is a hash of the key, and the key defaults to workflow plus sorted repositories', () => {
  assert.match(MARKER, /^<!-- immutag:[0-9a-f]{16} -->$/);
  assert.equal(defaultCommentKey('CI', ['b/x', 'a/y', 'b/x']), 'CI\na/y\nb/x');
  assert.notEqual(commentMarker('CI\na/y'), commentMarker('CI\nb/x'));
  assert.equal(commentMarker('--> <img>'), commentMarker('--> <img>'));
  assert.match(commentMarker('--> <img>'), /^<!-- immutag:[0-9a-f]{16} -->$/);
});

/** Finding list items of the 3,000-findings report: `- **high** [CVE-2024-1xxxx](…)`. */
function findingItems(markdown: string): number {
  return (markdown.match(/^- \*\*[a-z]+( [\d.]+)?\*\* \[CVE-2024-1[0-9]{4}\]/gm) ?? []).length;
}

test('3,000 failing findings: the comment stays under the limit, folds all but the first ten, and says how many were left out', () => {
  const report = manyFindingsReport(3000);
  const body = renderComment(report, { marker: MARKER });
  assert.ok(characters(body) <= COMMENT_LIMIT, `${characters(body)} characters`);
  assert.ok(Buffer.byteLength(body) <= COMMENT_LIMIT);
  const visible = body.slice(0, body.indexOf('<details>'));
  assert.equal(findingItems(visible), 10, 'the first ten failing findings are shown unfolded');
  assert.match(body, /<details><summary>2,990 more findings that fail the policy<\/summary>/);
  const shown = findingItems(body);
  assert.ok(shown > 50, `only ${shown} findings shown`);
  const leftOut = [...body.matchAll(/_… ([\d,]+) more rows left out to keep this comment under GitHub's size limit/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
  // The findings that do not fail: at most 50, the rest pointed to the job summary.
  const others = [...body.matchAll(/_… and ([\d,]+) more: see the job summary/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
  assert.ok(leftOut.length >= 1);
  // Each list says what it left out; shown and left out add up to 6,000.
  assert.equal(shown + [...leftOut, ...others].reduce((a, b) => a + b, 0), 6000);
  assert.ok(body.startsWith(MARKER + '\n'));
  assert.equal(body.split('<details>').length, body.split('</details>').length, 'every folded section is closed even when its rows were left out');
  assert.match(body, /❌ 3,000 of 6,000 findings fail the policy/);
});

test('3,000 failing findings: the summary is bounded too, and keeps more rows than the comment', () => {
  const report = manyFindingsReport(3000);
  const summary = renderSummary(report);
  const comment = renderComment(report, { marker: MARKER });
  assert.ok(Buffer.byteLength(summary) <= SUMMARY_LIMIT);
  assert.ok(findingItems(summary) > findingItems(comment));
  const small = renderSummary(report, { maxSize: 20_000 });
  assert.ok(Buffer.byteLength(small) <= 20_000);
  assert.match(small, /more rows left out to stay under the job summary size limit/);
});

test('150 failing findings: the comment is a third shorter than it was, and nothing but the first ten is unfolded', () => {
  const body = renderComment(manyFindingsReport(150), { marker: MARKER });
  // It was 51,050 characters with every finding in wide tables; the job summary has the 100 other findings it leaves out.
  assert.ok(characters(body) < 35_000, `${characters(body)} characters`);
  assert.match(body, /_… and 100 more: see the job summary of \[this run\]/);
  const unfolded = body.replace(/<details>[\s\S]*?<\/details>/g, '');
  assert.equal(findingItems(unfolded), 10);
  assert.ok(characters(unfolded) < 6_000, `${characters(unfolded)} characters outside <details>`);
});

function hostileReport(): RunReport {
  const report = violationReport();
  report.tags[0]!.reference = 'ghcr.io/octo-org/api:<img src=x onerror=alert(1)>';
  report.tags[0]!.reason = 'registry said: <script>alert(1)</script>\n### injected heading @org/team';
  report.problems.push({ level: 'error', code: 'REGISTRY_ERROR', message: '[x](javascript:alert(1)) | cell @octocat', hint: 'see ![i](https://evil.example/p.png)' });
  report.run.workflow = 'CI <b>bold</b> @org/team';
  const platform = report.scan!.result.platforms[0]!;
  platform.findings.push(
    finding({ id: 'GHSA-<img>-x', pkg: '@org/team', installed: '1.0.0`; rm -rf /', fixed: 'a|b', severity: 'critical', summary: '[x](javascript:alert(1)) <img src=x onerror=alert(1)> @org/team', failing: true }),
    finding({ id: 'CVE-2024-0001', pkg: '<!-- immutag:0123456789abcdef -->', installed: '1', severity: 'low', summary: '<!-- immutag:0123456789abcdef -->', failing: false, ignored: '@security-team said <b>ok</b>' }),
  );
  platform.notes.push('<img src=x onerror=alert(1)> in a note');
  return report;
}

test('hostile strings are inert in the comment and the summary', () => {
  const report = hostileReport();
  for (const output of [renderComment(report, { marker: MARKER }), renderSummary(report)]) {
    const markdown = outsideCode(output);
    assert.doesNotMatch(markdown, /<img|<script|<b>/i, 'no raw HTML outside code spans');
    assert.doesNotMatch(markdown, /\]\(javascript:/i, 'no javascript: link');
    assert.doesNotMatch(markdown, /!\[/, 'no image');
    assert.doesNotMatch(markdown, /@(org|octocat|security)/, 'no mention outside code spans');
    assert.doesNotMatch(markdown, /^#{1,6} injected/m, 'no injected heading');
    assert.equal(output.split('<!-- immutag:').length - 1, output.startsWith('<!--') ? 1 : 0, 'the marker appears only as the first line');
  }
  const comment = renderComment(report, { marker: MARKER });
  assert.match(comment, /`@org\/team`/, 'the package name is shown exactly, in a code span');
  assert.match(comment, /``1\.0\.0`; rm -rf \/``/, 'backticks in a version stay inside the span');
  assert.match(comment, /→ `a\|b`/, 'a pipe is shown as it is (no table to escape it for)');
});

test('every table row has as many cells as its header, even with pipes and newlines in the data', () => {
  const output = renderSummary(hostileReport());
  const lines = output.split('\n');
  let columns = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('| ')) {
      columns = 0;
      continue;
    }
    const cells = outsideCode(line.replace(/\\\|/g, '')).split('|').length - 2;
    if (columns === 0) columns = cells;
    else assert.equal(cells, columns, `row ${i + 1}: ${line}`);
  }
});

test('annotations: one per refused tag and per failing finding, capped with a pointer to the summary', () => {
  const few = annotations(violationReport());
  assert.deepEqual(few.map((a) => a.title), [
    'Tag refused: ghcr.io/octo-org/api:1.4.0',
    'CVE-2024-6387 (high) in openssh-client 1:9.2p1-2+deb12u2',
    'CVE-2023-4911 (high) in libc6 2.36-9+deb12u1',
    'CVE-2023-5363 (high) in libssl3 3.0.11-1~deb12u1',
  ]);
  assert.match(few[0]!.message, new RegExp(`already points at ${OTHER_DIGEST}.*Bump the version, or list the tag in mutable-tags`));
  // A failed run's verdict line (core.setFailed) is an annotation too: it must be the tenth, never the dropped eleventh.
  const many = annotations(manyFindingsReport(3000));
  assert.equal(many.length + 1, MAX_ANNOTATIONS);
  assert.match(many.at(-1)!.title, /^2,993 more problems not annotated$/);
  const passing = manyFindingsReport(3000);
  passing.result = 'pass';
  assert.equal(annotations(passing).length, MAX_ANNOTATIONS, 'a pass has no verdict annotation, so all ten are findings');
});

test('the final line says what passed, what failed and why', () => {
  const cases: { report: RunReport; expected: RegExp }[] = [
    { report: passingReport(), expected: /^immutag: PASS: deploy ghcr\.io\/octo-org\/api@sha256:9f86d0.*; tags: 1 created, 1 moved, 1 unchanged; scan osv \(fail-on: critical\): nothing fails the policy \(3 high, 1 medium, 1 low, 1 unknown\)$/ },
    { report: violationReport(), expected: new RegExp(`^immutag: VIOLATION: tags: 1 refused, 2 skipped; ghcr\\.io/octo-org/api:1\\.4\\.0 already points at ${OTHER_DIGEST}: refused; no tag was written; scan osv \\(fail-on: high\\): 3 of 6 findings fail the policy \\(3 high, 1 medium, 1 low, 1 unknown\\)$`) },
    { report: hostileReport(), expected: /^immutag: VIOLATION: [^\n]*<script>alert\(1\)<\/script> ### injected heading/ },
  ];
  for (const { report, expected } of cases) assert.match(finalLine(report), expected);
  const error = violationReport();
  error.result = 'error';
  error.scan = undefined;
  error.tags = [{ reference: 'ghcr.io/a/b:1', repository: 'ghcr.io/a/b', tag: '1', state: 'unknown', mutable: false, reason: '503 Service Unavailable after 4 attempts' }];
  error.problems = [{ level: 'error', code: 'REGISTRY_UNREACHABLE', message: 'ghcr.io answered 503', hint: 'Retry later.' }];
  assert.equal(finalLine(error), 'immutag: ERROR: tags: 1 unknown; could not tell whether ghcr.io/a/b:1 exists (503 Service Unavailable after 4 attempts); no tag was written; REGISTRY_UNREACHABLE: ghcr.io answered 503. Retry later.');
});

test('scan: none is said where the scan would be: the comment, the summary and the final line never read as a clean scan', () => {
  const report: RunReport = { ...passingReport(), notScanned: true };
  delete report.scan;
  const comment = renderComment(report, { marker: '<!-- m -->' });
  assert.match(comment, /\*\*Scan\*\*: not scanned \(`scan: none`\)/);
  assert.match(renderSummary(report), /\*\*Scan\*\*: not scanned \(`scan: none`\)/);
  assert.match(finalLine(report), /not scanned \(scan: none\)/);
});

test('a scan that found no packages on a platform is not shown as a clean pass: the verdict says so, and how many packages were checked', () => {
  const report = passingReport();
  const empty: RunReport = { ...report, scan: { ...report.scan!, result: { ...report.scan!.result, platforms: report.scan!.result.platforms.map((p) => ({ ...p, packages: [], findings: [] })) } } };
  for (const text of [renderComment(empty, { marker: '<!-- m -->' }), renderSummary(empty)]) {
    assert.doesNotMatch(text, /✅ nothing fails the policy/);
    assert.match(text, /⚠️ no packages found on `linux\/amd64`, `linux\/arm64`: nothing was matched against advisories/);
  }
  assert.match(finalLine(empty), /no packages found on linux\/amd64, linux\/arm64/);
  const counted = renderComment(report, { marker: '<!-- m -->' });
  const packages = report.scan!.result.platforms.reduce((n, p) => n + p.packages.length, 0);
  assert.match(counted, new RegExp(`✅ nothing fails the policy \\(${packages} packages checked; `));
});

test('the short comment (past the size limit) says "do not deploy" on a failed run, and "Deploy" only on a pass', async () => {
  const { renderShortComment } = await import('../src/report/comment.ts');
  const failed = renderShortComment(violationReport(), { marker: '<!-- m -->' });
  assert.match(failed, /do not deploy/);
  assert.doesNotMatch(failed, /^Digest: /m);
  assert.match(renderShortComment(passingReport(), { marker: '<!-- m -->' }), /^Deploy: `sha256:/m);
});
