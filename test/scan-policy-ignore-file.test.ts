import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyIgnoreList, parseIgnoreFile, readIgnoreFile } from '../src/scan/ignore-file.ts';
import type { Finding, Package } from '../src/scan/model.ts';
import type { ImmutagError } from '../src/errors.ts';

const PKG: Package = { type: 'deb', name: 'nginx', version: '1.2.1-2.2', ecosystem: 'Debian:7', path: 'var/lib/dpkg/status', layer: 'sha256:' + 'c'.repeat(64) };
const NOW = new Date('2025-03-15T12:00:00Z');

function finding(id: string, aliases: string[] = []): Finding {
  return { id, aliases, summary: '', severity: 'high', package: PKG, installed: PKG.version };
}

test('entries: ID, reason after #, until: inside or before the comment, exp: suffix', () => {
  const list = parseIgnoreFile([
    '# accepted risks',
    '',
    'CVE-2023-1111',
    'CVE-2023-2222   # not reachable: we never parse untrusted certificates',
    'GHSA-838r-hvwh-24h8 until: 2025-06-30 # vendor fix pending',
    'DSA-3029-1 # accepted until the rebuild until: 2025-01-31',
    'CVE-2018-14618 exp:2025-03-15',
    '  CVE-2024-9999\t# indented, tab',
  ].join('\n'), 'immutag-ignore');
  assert.deepEqual(list.entries.map((e) => [e.line, e.id, e.reason, e.expiry, e.expiresAt?.toISOString()]), [
    [3, 'CVE-2023-1111', undefined, undefined, undefined],
    [4, 'CVE-2023-2222', 'not reachable: we never parse untrusted certificates', undefined, undefined],
    [5, 'GHSA-838r-hvwh-24h8', 'vendor fix pending', '2025-06-30', '2025-07-01T00:00:00.000Z'],
    [6, 'DSA-3029-1', 'accepted until the rebuild', '2025-01-31', '2025-02-01T00:00:00.000Z'],
    [7, 'CVE-2018-14618', undefined, '2025-03-15', '2025-03-15T00:00:00.000Z'],
    [8, 'CVE-2024-9999', 'indented, tab', undefined, undefined],
  ]);
});

test('a real .trivyignore file reads as it is', () => {
  // The form Trivy documents for .trivyignore: comments, plain IDs, exp: suffix.
  const list = parseIgnoreFile('# Accept the risk\nCVE-2018-14618\n\n# Accept the risk until 2023-01-01\nCVE-2019-14697 exp:2023-01-01\n\n# No impact in our settings\nCVE-2019-1543\n', '.trivyignore');
  assert.deepEqual(list.entries.map((e) => [e.id, e.expiry]), [['CVE-2018-14618', undefined], ['CVE-2019-14697', '2023-01-01'], ['CVE-2019-1543', undefined]]);
});

test('until: in the future applies, in the past does not and becomes a note; until is inclusive, exp is not', () => {
  const list = parseIgnoreFile('CVE-A until: 2025-03-15 # last day today\nCVE-B until: 2025-03-14\nCVE-C exp:2025-03-15\nCVE-D exp:2025-03-16\n', 'ignore');
  const outcome = applyIgnoreList(['CVE-A', 'CVE-B', 'CVE-C', 'CVE-D'].map((id) => finding(id)), list, NOW);
  assert.deepEqual(outcome.findings.map((f) => Boolean(f.ignored)), [true, false, false, true]);
  assert.deepEqual(outcome.notes, [
    'ignore:2: CVE-B expired on 2025-03-14; it no longer applies',
    'ignore:3: CVE-C expired on 2025-03-15; it no longer applies',
  ]);
  assert.equal(outcome.findings[0]?.ignored?.reason, 'last day today [ignore:1 CVE-A]');
});

test('an ID matches through aliases in both directions', () => {
  const dsaFinding = finding('DSA-3029-1', ['CVE-2014-3616']);
  const cveFinding = finding('CVE-2021-38555', ['GHSA-838r-hvwh-24h8']);
  const other = finding('CVE-2000-0001');

  const byCve = applyIgnoreList([dsaFinding, cveFinding, other], parseIgnoreFile('cve-2014-3616 # lower case too\n', 'f'), NOW);
  assert.deepEqual(byCve.findings.map((f) => f.ignored?.reason), ['lower case too [f:1 cve-2014-3616 (as DSA-3029-1)]', undefined, undefined]);

  const byGhsa = applyIgnoreList([dsaFinding, cveFinding, other], parseIgnoreFile('GHSA-838r-hvwh-24h8\n', 'f'), NOW);
  assert.deepEqual(byGhsa.findings.map((f) => Boolean(f.ignored)), [false, true, false]);
  assert.equal(byGhsa.findings[1]?.ignored?.reason, 'listed in the ignore file [f:1 GHSA-838r-hvwh-24h8 (as CVE-2021-38555)]');
});

test('malformed lines are refused with the line number', () => {
  const bad: [string, RegExp][] = [
    ['CVE-1 until: 2025-02-30\n', /f:1: "2025-02-30" is not a date/],
    ['CVE-1\nCVE-2 exp:tomorrow\n', /f:2: "tomorrow" is not a date/],
    ['CVE-1 CVE-2\n', /f:1: cannot read "CVE-2" after CVE-1/],
  ];
  for (const [text, message] of bad) {
    assert.throws(() => parseIgnoreFile(text, 'f'), (e: ImmutagError) => e.code === 'INVALID_INPUT' && message.test(e.message));
  }
});

test('readIgnoreFile reads a file and reports a missing one as an input error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-ignore-'));
  try {
    const path = join(dir, '.trivyignore');
    await writeFile(path, 'CVE-2019-1543\n');
    assert.deepEqual((await readIgnoreFile(path)).entries.map((e) => e.id), ['CVE-2019-1543']);
    await assert.rejects(readIgnoreFile(join(dir, 'missing')), (e: ImmutagError) => e.code === 'INVALID_INPUT' && /cannot read ignore-file/.test(e.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
