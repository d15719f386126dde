// Found by a review, fixed since: Photon OS packages were asked of OSV by binary name, and
// Photon's OSV records name the spec (source) package, never its subpackages, so they met
// nothing. PHSA-2026-5.0-0802 (captn3m0/photon-os-advisories, the feed osv.dev imports,
// commit 3398dd50d13b0e5d8f14d9285b0d32b17366e8d3) lists `sqlite`, fixed in 3.43.2-6.ph5.
// Photon's sqlite.spec (vmware/photon SPECS/sqlite/sqlite.spec) ships the library as the
// subpackage `sqlite-libs` (source rpm sqlite-<v>-<r>.src.rpm), which is what a Photon image
// that needs libsqlite3 installs. Across the feed's newest 400 advisories no `*-libs` name
// appeared at all, while `sqlite`, `expat`, `xz`, `nss`, `curl`, `e2fsprogs` did: sqlite-libs,
// expat-libs, xz-libs, nss-libs, curl-libs, e2fsprogs-libs were missed. Photon OS now asks by
// source rpm, as SUSE, openSUSE, Azure Linux, openEuler and Mageia did already (match.ts
// RPM_BY_SOURCE; Trivy's Photon detector looks Photon's advisories up by SrcName too).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Package } from '../src/scan/model.ts';
import { osEcosystem } from '../src/scan/os-ecosystem.ts';
import { parseOsRelease } from '../src/scan/os-release.ts';
import { buildQueries, matchPackages } from '../src/scan/osv/match.ts';

const scratch = mkdtempSync(join(tmpdir(), 'immutag-review-photon-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// The sqlite entries of PHSA-2026-5.0-0802, as the record carries them.
const PHSA = {
  id: 'PHSA-2026-5.0-0802',
  modified: '2026-08-01T00:00:00Z',
  related: ['CVE-2025-70873'],
  affected: [
    { package: { ecosystem: 'Photon OS:5.0', name: 'sqlite', purl: 'pkg:rpm/vmware/sqlite?distro=photon-5' } },
    {
      package: { ecosystem: 'Photon OS:5.0', name: 'sqlite', purl: 'pkg:rpm/vmware/sqlite?distro=photon-5' },
      ranges: [{ events: [{ introduced: '0' }, { fixed: '3.43.2-6.ph5' }], type: 'ECOSYSTEM' }],
    },
  ],
};

// What rpm.ts makes of the rpm header of Photon 5's sqlite-libs (SOURCERPM sqlite-3.43.2-5.ph5.src.rpm).
const sqliteLibs: Package = {
  type: 'rpm', name: 'sqlite-libs', version: '3.43.2-5.ph5', sourceName: 'sqlite', sourceVersion: '3.43.2-5.ph5',
  ecosystem: 'Photon OS:5.0', path: '/var/lib/rpm/rpmdb.sqlite', layer: 'sha256:' + '0'.repeat(64),
};

test('a Photon OS os-release names the Photon OS ecosystem', () => {
  const release = parseOsRelease('NAME="VMware Photon OS"\nVERSION="5.0"\nID=photon\nVERSION_ID=5.0\nPRETTY_NAME="VMware Photon OS/Linux"\n');
  assert.equal(osEcosystem(release).ecosystem, 'Photon OS:5.0');
});

test('Photon rpm packages are asked about by source package, as Photon\'s OSV records name them', () => {
  assert.deepEqual(buildQueries([sqliteLibs]).map((q) => [q.ecosystem, q.name, q.version]), [['Photon OS:5.0', 'sqlite', '3.43.2-5.ph5']]);
});

test('Photon\'s sqlite-libs below the fix meets PHSA-2026-5.0-0802 (offline vuln-db)', async () => {
  const dir = join(scratch, 'db');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${PHSA.id}.json`), JSON.stringify(PHSA));
  const { matches } = await matchPackages([sqliteLibs], { vulnDb: dir });
  assert.deepEqual(matches.map((m) => [m.package.name, m.record.id, m.fixed]), [['sqlite-libs', 'PHSA-2026-5.0-0802', '3.43.2-6.ph5']]);
});
