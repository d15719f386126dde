// Found by a review, fixed since: A bundle whose own ID is itself a CVE (grype oriented by CVE; an OSV CVE record aliasing
// two more) names only the CVEs it relates, never its own: accepting those two accepted the
// finding, although the CVE it is reported as was never accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGrypeReport } from '../src/scan/engines/grype.ts';
import { findingsFromMatches } from '../src/scan/findings.ts';
import { applyIgnoreList, parseIgnoreFile } from '../src/scan/ignore-file.ts';
import type { Package } from '../src/scan/model.ts';

const others = 'CVE-2024-0002\nCVE-2024-0003\n';

test('grype: a CVE match relating two other CVEs is not accepted by those two alone', () => {
  const scan = readGrypeReport({ matches: [{
    vulnerability: { id: 'CVE-2024-0001', severity: 'Critical', fix: { versions: ['1.0.1'], state: 'fixed' } },
    relatedVulnerabilities: [{ id: 'CVE-2024-0002', severity: 'Low' }, { id: 'CVE-2024-0003', severity: 'Low' }],
    artifact: { name: 'example', version: '1.0.0', type: 'npm' },
  }] });
  const { findings } = applyIgnoreList(scan.findings, parseIgnoreFile(others, '.trivyignore'));
  assert.equal(findings[0]!.id, 'CVE-2024-0001');
  assert.equal(findings[0]!.ignored, undefined, `CVE-2024-0001 accepted without being listed: ${findings[0]!.ignored?.reason} (names ${findings[0]!.names})`);
});

test('osv: a CVE record aliasing two other CVEs is not accepted by those two alone', async () => {
  const pkg: Package = { type: 'npm', name: 'example', version: '1.0.0', ecosystem: 'npm', path: 'app/node_modules/example/package.json', layer: 'sha256:' + 'a'.repeat(64) };
  const record = {
    id: 'CVE-2024-0001', aliases: ['CVE-2024-0002', 'CVE-2024-0003'], summary: 'x',
    affected: [{ package: { ecosystem: 'npm', name: 'example' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
  };
  const found = await findingsFromMatches([{ package: pkg, record, fixed: '1.0.1' }], async () => undefined);
  const { findings } = applyIgnoreList(found, parseIgnoreFile(others, '.trivyignore'));
  assert.equal(findings[0]!.id, 'CVE-2024-0001');
  assert.equal(findings[0]!.ignored, undefined, `CVE-2024-0001 accepted without being listed: ${findings[0]!.ignored?.reason} (names ${findings[0]!.names})`);
});
