// Ubuntu files an advisory under `Ubuntu:Pro:<release>:LTS` when its fix ships only
// through Ubuntu Pro (ESM): every fix for a release past standard support (20.04 since
// May 2025) and for universe packages of current ones. The release's own packages are
// affected all the same, so those entries match them, offline and online; the Pro
// streams of other builds (FIPS-updates) do not. Before, ubuntu:20.04's OpenSSL matched
// nothing and the image passed. Found by a review helper, with a real record.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MemoryLogger } from '../src/log.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import type { Package } from '../src/scan/model.ts';
import { matchPackages } from '../src/scan/osv/match.ts';
import type { OsvRecord } from '../src/scan/osv/record.ts';
import { InventoryImage } from './support/inventory-image.ts';
import { OsvServer } from './support/osv-server.ts';

const DB = fileURLToPath(new URL('./fixtures/osv/ubuntu-pro/', import.meta.url));
const RECORD = JSON.parse(readFileSync(new URL('./Ubuntu/UBUNTU-CVE-2025-9230.json', `file://${DB}`), 'utf8')) as OsvRecord;
const osRelease = (name: string) => readFileSync(new URL(`./fixtures/inventory/os-release/${name}`, import.meta.url));

/** An image with one dpkg package, as dpkg writes its status stanza. */
async function packagesOf(release: string, stanza: string): Promise<Package[]> {
  const image = new InventoryImage();
  await image.layer([{ name: 'etc/os-release', content: osRelease(release) }, { name: 'var/lib/dpkg/status', content: `${stanza}\n` }]);
  return (await inventoryImage(image.source, image.manifest)).packages;
}

// 1.1.1f-1ubuntu2.24 is focal's last version before ESM (the record's own version list ends with it).
const FOCAL_LIBSSL = 'Package: libssl1.1\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 1.1.1f-1ubuntu2.24\n';
const JAMMY_NODEJS = 'Package: nodejs\nStatus: install ok installed\nArchitecture: amd64\nVersion: 12.22.9~dfsg-1ubuntu3.6\n';

describe('advisories Ubuntu files under Ubuntu Pro', () => {
  it('ubuntu:20.04: libssl1.1 1.1.1f-1ubuntu2.24 is affected by UBUNTU-CVE-2025-9230, offline, with the ESM fix named', async () => {
    const packages = await packagesOf('ubuntu-20.04', FOCAL_LIBSSL);
    assert.equal(packages[0]?.ecosystem, 'Ubuntu:20.04:LTS');
    const { matches } = await matchPackages(packages, { vulnDb: DB, logger: new MemoryLogger() });
    assert.deepEqual(matches.map((m) => `${m.package.name} ${m.record.id} ${m.fixed}`), ['libssl1.1 UBUNTU-CVE-2025-9230 1.1.1f-1ubuntu2.24+esm1']);
  });

  it('ubuntu:20.04: the same online: OSV is asked about the Pro stream too', async () => {
    const server = await new OsvServer([RECORD]).start();
    try {
      const packages = await packagesOf('ubuntu-20.04', FOCAL_LIBSSL);
      const result = await matchPackages(packages, { osvUrl: server.url, logger: new MemoryLogger() });
      await result.close?.();
      assert.deepEqual(result.matches.map((m) => `${m.package.name} ${m.record.id}`), ['libssl1.1 UBUNTU-CVE-2025-9230']);
    } finally {
      await server.stop();
    }
  });

  it('ubuntu:22.04: a universe package (nodejs, fixed only in esm-apps) is affected', async () => {
    const packages = await packagesOf('ubuntu-22.04', JAMMY_NODEJS);
    const { matches } = await matchPackages(packages, { vulnDb: DB, logger: new MemoryLogger() });
    assert.deepEqual(matches.map((m) => `${m.package.name} ${m.record.id}`), ['nodejs UBUNTU-CVE-2025-9230']);
  });

  it('a package already at the ESM fix is not affected, and the FIPS-updates stream (other builds) does not reach it', async () => {
    const packages = await packagesOf('ubuntu-20.04', FOCAL_LIBSSL.replace('1.1.1f-1ubuntu2.24', '1.1.1f-1ubuntu2.24+esm1'));
    const { matches } = await matchPackages(packages, { vulnDb: DB, logger: new MemoryLogger() });
    assert.deepEqual(matches, []);
  });
});
