// What the comment, the summary, the annotations and the final line say in the cases
// readers stumbled on: verify-mode mismatches, unknown severities, errors, local paths,
// URLs and the digest to deploy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderComment } from '../src/report/comment.ts';
import { renderSummary } from '../src/report/summary.ts';
import { annotations } from '../src/report/annotations.ts';
import { finalLine } from '../src/report/final-line.ts';
import { headline } from '../src/report/verdict.ts';
import {
  AMD64_DIGEST, errorReport, INDEX_DIGEST, OTHER_DIGEST, passingReport, singlePlatformReport, verifyMismatchReport, violationReport,
} from './support/sample-report.ts';

const MARKER = '<!-- immutag:0123456789abcdef -->';
const ZWJ = '\u200d';

test('the digest to deploy comes first: a short label, then the full references in a code block', () => {
  const body = renderComment(passingReport(), { marker: MARKER });
  const lines = body.split('\n');
  assert.equal(lines[3], '**Deploy** `sha256:9f86d081…`', 'right after the headline');
  const block = body.slice(body.indexOf('```text\n') + 8, body.indexOf('\n```', body.indexOf('```text\n')));
  assert.deepEqual(block.split('\n'), [`ghcr.io/octo-org/api@${INDEX_DIGEST}`, `docker.io/octoorg/api@${INDEX_DIGEST}`]);
  assert.doesNotMatch(body, /^\|/m, 'no tables: a digest in a table cell is wider than a phone');
});

test('a verify-mode mismatch names both digests, and does not advise mutable-tags', () => {
  const report = verifyMismatchReport();
  const [a] = annotations(report);
  assert.match(a!.message, new RegExp(`points at ${OTHER_DIGEST}, not at the expected ${INDEX_DIGEST}`));
  assert.doesNotMatch(a!.message, /mutable-tags/);
  assert.match(a!.message, /do not deploy it/);
  for (const body of [renderComment(report, { marker: MARKER }), renderSummary(report)]) {
    assert.match(body, new RegExp(`points at \`${OTHER_DIGEST}\`, not at the expected \`${INDEX_DIGEST}\``));
    assert.doesNotMatch(body, /mutable-tags/);
    assert.match(body, /Blocked: 1 tag names another digest/);
  }
  assert.match(finalLine(report), new RegExp(`points at ${OTHER_DIGEST}, not at the expected ${INDEX_DIGEST}`));
});

test('findings of unknown severity are not "below fail-on: high"', () => {
  const body = renderComment(violationReport(), { marker: MARKER });
  const bash = body.split('\n').find((l) => l.includes('TEMP-0841856-B18BAF'))!;
  assert.match(bash, /severity unknown: fails only with fail-on: low/);
  assert.doesNotMatch(bash, /below fail-on/);
});

test('error headlines are words, with the code beside them for searching', () => {
  const report = errorReport();
  assert.equal(headline(report).title, 'Could not finish: the vulnerability database could not be reached');
  const body = renderComment(report, { marker: MARKER });
  assert.match(body, /^### ⚠️ immutag: Could not finish: the vulnerability database could not be reached$/m);
  assert.match(body, /^- ⚠️ \*\*The vulnerability database could not be reached\*\* \(`SCANNER_FAILED`\): /m);
  const offline = errorReport();
  offline.problems[0] = { level: 'error', code: 'REGISTRY_UNREACHABLE', message: 'ghcr.io did not answer' };
  assert.equal(headline(offline).title, 'Could not finish: the registry could not be reached');
});

test('URLs are code spans, never split by zero-width joiners', () => {
  const body = renderComment(errorReport(), { marker: MARKER });
  assert.match(body, /The OSV API at `https:\/\/api\.osv\.dev` did not answer/);
  for (const span of body.match(/`[^`\n]*:\/\/[^`\n]*`/g) ?? []) assert.ok(!span.includes(ZWJ), span);
});

test('runner-local paths stay out of the comment (the job summary keeps them)', () => {
  const report = errorReport();
  report.problems[0] = {
    level: 'error', code: 'IMAGE_NOT_FOUND',
    message: '/home/runner/work/_temp/build/image.tar does not exist',
    hint: 'Check the path written by the build step (outputs: type=oci,dest=/home/runner/work/_temp/build/image.tar).',
  };
  report.scan = violationReport().scan;
  report.scan!.files = { sarif: '/home/runner/work/_temp/immutag.sarif' };
  const comment = renderComment(report, { marker: MARKER });
  assert.doesNotMatch(comment, /\/home\/runner/);
  assert.match(comment, /…\/image\.tar does not exist/);
  assert.match(renderSummary(report), /\/home\/runner\/work\/\\_temp\/build\/image\.tar does not exist/);
});

test('"skipped" is the one word for a tag the run did not reach, in the report and the final line', () => {
  const report = violationReport();
  const body = renderComment(report, { marker: MARKER });
  assert.match(body, /`docker\.io\/octoorg\/api:1\.4\.0`: ⏸️ skipped$/m);
  assert.doesNotMatch(body + renderSummary(report), /not reached/);
  assert.match(finalLine(report), /2 skipped/);
});

test('a single-platform image: no per-platform section, the scanned platform named', () => {
  const report = singlePlatformReport();
  const body = renderComment(report, { marker: MARKER });
  assert.doesNotMatch(body, /Per platform/);
  assert.match(renderSummary(report), new RegExp(`- \`linux/amd64\` \\(Debian GNU/Linux 12 \\\\\\(bookworm\\\\\\)\\): 0 packages, 0 findings, 0 failing; manifest \`${AMD64_DIGEST}\``));
});

test('a fix published only through Ubuntu Pro (a +esm version) says so: apt in the build does not see it without a Pro attachment', () => {
  const report = violationReport();
  for (const platform of report.scan!.result.platforms) {
    for (const f of platform.findings) {
      if (f.id !== 'CVE-2024-6387') continue;
      f.package.ecosystem = 'Ubuntu:20.04:LTS';
      f.installed = '1:8.2p1-4ubuntu0.11';
      f.fixed = '1:8.2p1-4ubuntu0.13+esm1';
    }
  }
  const a = annotations(report).find((x) => x.title.startsWith('CVE-2024-6387'))!;
  assert.match(a.message, /Update openssh-client to 1:8\.2p1-4ubuntu0\.13\+esm1 or later \(published through Ubuntu Pro/);
  const row = renderComment(report, { marker: MARKER }).split('\n').find((l) => l.includes('CVE-2024-6387'))!;
  assert.match(row, /→ `1:8\.2p1-4ubuntu0\.13\+esm1` \(Ubuntu Pro\)/);
  const glibc = annotations(report).find((x) => x.title.startsWith('CVE-2023-4911'))!;
  assert.doesNotMatch(glibc.message, /Ubuntu Pro/, 'a Debian fix is an ordinary update');
});
