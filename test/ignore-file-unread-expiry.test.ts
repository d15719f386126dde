// Found by a review: an expiry written `exp: YYYY-MM-DD` (a space after the colon) in the comment of an
// ignore-file line is read as part of the reason, so the acceptance never expires and the
// finding stays hidden forever. Trivy, whose `.trivyignore` meaning the file claims to keep,
// sees the field "exp:" (empty date), fails to parse it and drops the line: the finding is
// NOT ignored. In the body the same spelling is refused ("cannot read"), and `until:` takes
// a space; only the comment form of exp: silently turns into "forever".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyIgnoreList, parseIgnoreFile } from '../src/scan/ignore-file.ts';
import type { Finding, Package } from '../src/scan/model.ts';

const PKG: Package = { type: 'deb', name: 'openssl', version: '1.1.1n-0', ecosystem: 'Debian:11', path: 'var/lib/dpkg/status', layer: 'sha256:' + 'c'.repeat(64) };
const NOW = new Date('2025-03-15T12:00:00Z');
const finding: Finding = { id: 'CVE-2023-0286', aliases: [], summary: '', severity: 'critical', package: PKG, installed: PKG.version };

function ignored(line: string): boolean {
  try {
    const out = applyIgnoreList([finding], parseIgnoreFile(line, '.trivyignore'), NOW);
    return Boolean(out.findings[0]?.ignored);
  } catch {
    return false; // refusing the file is fine: the finding is not hidden
  }
}

test('control: exp:2024-01-01 in the comment has expired and no longer hides the finding', () => {
  assert.equal(ignored('CVE-2023-0286 # accepted exp:2024-01-01'), false);
  assert.equal(ignored('CVE-2023-0286 # accepted until: 2024-01-01'), false);
});

test('an expired `exp: 2024-01-01` (space after the colon) must not hide the finding', () => {
  // Trivy: strings.Fields → ["CVE-2023-0286", "#", "accepted", "exp:", "2024-01-01"];
  // time.Parse("2006-01-02", "") fails → the line is skipped → finding reported.
  assert.equal(ignored('CVE-2023-0286 # accepted exp: 2024-01-01'), false);
});

test('the body form with the same space is refused (fail closed), so the comment form should be too', () => {
  assert.throws(() => parseIgnoreFile('CVE-2023-0286 exp: 2024-01-01', '.trivyignore'));
  assert.throws(() => parseIgnoreFile('CVE-2023-0286 # accepted exp: 2024-01-01', '.trivyignore'));
});

test('an expiry the parser cannot read is refused wherever it is, naming the line', () => {
  for (const line of ['CVE-2023-0286 # accepted until:', 'CVE-2023-0286 until: 2030-01-01 # or until: 2020-01-01', 'CVE-2023-0286 # exp: 2030-01-01']) {
    assert.throws(() => parseIgnoreFile(line, '.trivyignore'), (e: Error & { code?: string; hint?: string }) => {
      assert.equal(e.code, 'INVALID_INPUT');
      assert.match(e.message, /^\.trivyignore:1: cannot read the (exp|until): expiry/);
      assert.match(e.hint ?? '', /exp:YYYY-MM-DD with no space/);
      return true;
    });
  }
});
