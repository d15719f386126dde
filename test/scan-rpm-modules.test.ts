// RHEL-family module streams. AlmaLinux (as Rocky Linux and Red Hat) files a module
// stream's advisory under the same ecosystem and package names as the distribution's own
// packages: ALSA-2024:5929 ("postgresql:16 security update") names `postgresql`,
// `pg_repack`, `pgaudit`, … in `AlmaLinux:9`, fixed in 16.4-1.module_el9…, while
// AlmaLinux 9's own postgresql is 13.x, outside any module, fixed for the same CVE by
// ALSA-2024:5999 at 13.16-1.el9_4. Read without the module, a patched postgresql 13.16
// was "affected" (13.16 < 16.4), rated high, and failed every run; so was a package of
// the postgresql:15 stream. rpm records a package's module in its header
// (MODULARITYLABEL, name:stream:version:context), which is what tells them apart.
// The packages are built with rpmbuild and installed into a real rpm database here; the
// records are real (test/fixtures/osv/README.md).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findingsFromMatches } from '../src/scan/findings.ts';
import type { Package } from '../src/scan/model.ts';
import { parseRpmSqlite } from '../src/scan/inventory/rpm.ts';
import { matchPackages } from '../src/scan/osv/match.ts';
import { DEFAULT_POLICY, failsPolicy } from '../src/scan/policy.ts';

const DB = fileURLToPath(new URL('./fixtures/osv/rpm-modules/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'immutag-rpm-modules-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Build { name: string; version: string; release: string; module?: string }

/** The packages as an AlmaLinux 9 image's rpm database lists them. */
function installed(builds: Build[]): Package[] {
  const dbpath = mkdtempSync(join(work, 'db-'));
  const rpms = builds.map((b) => {
    const spec = join(work, `${b.name}-${b.release}.spec`);
    writeFileSync(spec, `Name: ${b.name}\nVersion: ${b.version}\nRelease: ${b.release}\nSummary: fixture\nLicense: MIT\nBuildArch: noarch\n%description\nfixture\n%files\n`);
    const label = b.module === undefined ? [] : ['--define', `modularitylabel ${b.module}`];
    execFileSync('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${join(work, 'top')}`, ...label, spec], { stdio: 'ignore' });
    return join(work, 'top', 'RPMS', 'noarch', `${b.name}-${b.version}-${b.release}.noarch.rpm`);
  });
  execFileSync('rpm', ['--dbpath', dbpath, '-i', '--justdb', '--nodeps', '--nosignature', ...rpms], { stdio: 'ignore' });
  const { packages } = parseRpmSqlite(readFileSync(join(dbpath, 'rpmdb.sqlite')), '/var/lib/rpm/rpmdb.sqlite');
  return packages.map((p) => ({ ...p, ecosystem: 'AlmaLinux:9', path: '/var/lib/rpm/rpmdb.sqlite', layer: 'sha256:0' }));
}

async function failing(packages: Package[]): Promise<string[]> {
  const { matches, lookup } = await matchPackages(packages, { vulnDb: DB });
  const findings = await findingsFromMatches(matches, lookup);
  return findings.filter((f) => failsPolicy(f, DEFAULT_POLICY)).map((f) => `${f.package.name} ${f.id} fixed=${f.fixed}`).sort();
}

test('the module a package was built in is read from its header: name and stream', () => {
  const [pkg] = installed([{ name: 'pg_repack', version: '1.4.7', release: '1.module_el9.4.0+66+eb9878bc', module: 'postgresql:16:9040020240801085316:eb9878bc' }]);
  assert.equal(pkg?.rpmModule, 'postgresql:16');
  const [plain] = installed([{ name: 'postgresql', version: '13.16', release: '1.el9_4' }]);
  assert.equal(plain?.rpmModule, undefined);
});

test('a patched postgresql outside any module is not affected by the postgresql:16 stream advisory', async () => {
  assert.deepEqual(await failing(installed([{ name: 'postgresql', version: '13.16', release: '1.el9_4' }])), []);
});

test('an unpatched postgresql outside any module is affected by its own advisory only', async () => {
  assert.deepEqual(await failing(installed([{ name: 'postgresql', version: '13.14', release: '1.el9_3' }])),
    ['postgresql ALSA-2024:5999 fixed=13.16-1.el9_4']);
});

test('a package of the postgresql:16 stream is affected by that stream\'s advisory; one of postgresql:15 is not', async () => {
  const packages = installed([
    { name: 'pg_repack', version: '1.4.7', release: '1.module_el9.3.0+40+d2f4de4f', module: 'postgresql:16:9030020231120082734:rhel9' },
    { name: 'pgaudit', version: '1.7.0', release: '1.module_el9.3.0+41+a1b2c3d4', module: 'postgresql:15:9030020231120082734:rhel9' },
  ]);
  assert.deepEqual(await failing(packages), ['pg_repack ALSA-2024:5929 fixed=1.4.8-1.module_el9.4.0+66+eb9878bc']);
});

test('a module build whose header has no MODULARITYLABEL (AlmaLinux 8 before 8.6) is still judged by module advisories', async () => {
  // Its release says it is a module build (.module_el…); its stream is unknown, so every
  // module entry applies: read as "outside any module" it would take none of them.
  const packages = installed([{ name: 'pg_repack', version: '1.4.7', release: '1.module_el9.3.0+40+d2f4de4f' }]);
  assert.equal(packages[0]?.rpmModule, undefined);
  assert.deepEqual(await failing(packages), ['pg_repack ALSA-2024:5929 fixed=1.4.8-1.module_el9.4.0+66+eb9878bc']);
});
