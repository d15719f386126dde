// PyPI builds with a local version label (PEP 440 `+local`): PyTorch's CUDA and CPU
// wheels from download.pytorch.org install as `2.7.1+cu126`, `2.4.0+cpu`. GHSA writes
// PyPI ranges as PEP 440 specifiers, and a specifier without a local label ignores the
// candidate's (`<=2.7.1` and `==2.7.1` both contain 2.7.1+cu126, as
// packaging.specifiers.SpecifierSet says). An advisory with no fix yet reaches OSV as
// `introduced: 0, last_affected: 2.7.1` (GHSA-887c-mr87-cxwp, CVE-2025-3730, torch
// <= 2.7.1, until 2.8.0 shipped): ordered as versions, 2.7.1+cu126 > 2.7.1, so the
// GPU build of the very release the advisory names was reported clean. The record is
// that advisory's affected entry as OSV carried it before 2.8.0 (hand-built).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Package } from '../src/scan/model.ts';
import { buildQueries, matchPackages } from '../src/scan/osv/match.ts';

const db = mkdtempSync(join(tmpdir(), 'immutag-pypi-local-'));
after(() => rmSync(db, { recursive: true, force: true }));
mkdirSync(join(db, 'PyPI'));
writeFileSync(join(db, 'PyPI', 'GHSA-887c-mr87-cxwp.json'), JSON.stringify({
  id: 'GHSA-887c-mr87-cxwp', modified: '2025-04-15T00:00:00Z', aliases: ['CVE-2025-3730'],
  summary: 'PyTorch Improper Resource Shutdown or Release vulnerability',
  affected: [{ package: { ecosystem: 'PyPI', name: 'torch' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '2.7.1' }] }] }],
}));
writeFileSync(join(db, 'PyPI', 'PYSEC-0000-LISTED.json'), JSON.stringify({
  id: 'PYSEC-0000-LISTED', modified: '2025-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'PyPI', name: 'torch' }, versions: ['2.4.0', '2.4.1'] }],
}));

function torch(version: string): Package {
  return { type: 'pypi', name: 'torch', version, ecosystem: 'PyPI', path: `/usr/lib/python3/site-packages/torch-${version}.dist-info/METADATA`, layer: 'sha256:0' };
}

async function advisories(version: string): Promise<string[]> {
  const { matches } = await matchPackages([torch(version)], { vulnDb: db });
  return matches.map((m) => m.record.id).sort();
}

test('torch 2.7.1 and its CUDA and CPU builds are all affected by a `<= 2.7.1` advisory; 2.8.0+cu126 is not', async () => {
  for (const version of ['2.7.1', '2.7.1+cu126', '2.7.1+cu118', '2.7.1+cpu']) {
    assert.deepEqual(await advisories(version), ['GHSA-887c-mr87-cxwp'], `torch ${version}`);
  }
  assert.deepEqual(await advisories('2.8.0+cu126'), []);
});

test('a `versions` list naming 2.4.1 covers the local build 2.4.1+cu121 (PEP 440 `==2.4.1`)', async () => {
  assert.deepEqual(await advisories('2.4.1+cu121'), ['GHSA-887c-mr87-cxwp', 'PYSEC-0000-LISTED']);
});

test('OSV is asked about the public version too: its API orders 2.7.1+cu126 after last_affected 2.7.1', () => {
  assert.deepEqual(buildQueries([torch('2.7.1+cu126')]).map((q) => q.version), ['2.7.1+cu126', '2.7.1']);
  assert.deepEqual(buildQueries([torch('2.7.1')]).map((q) => q.version), ['2.7.1']);
});
