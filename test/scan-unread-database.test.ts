// A package database that is in the image and was not read — over the per-file limit,
// in a format the built-in scanner does not read, damaged, out of reach behind a
// link — makes the scan an error, never a pass on the packages it did read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ImmutagError, type ErrorCode } from '../src/errors.ts';
import { type Descriptor, MediaType } from '../src/oci.ts';
import { scanImage } from '../src/scan/scan.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { buildTar, compress, type TarMember } from './support/layer-tar.ts';

const VULN_DB = fileURLToPath(new URL('./fixtures/scan/osv/', import.meta.url));
const MiB = 1024 * 1024;
const DEBIAN: TarMember = { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' };
const STATUS = 'Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.11.0-3\n\n';

async function scanLayers(layers: TarMember[][], limits?: { maxFileBytes?: number }) {
  const source = new MemoryBlobSource();
  const descriptors: Descriptor[] = [];
  for (const members of layers) descriptors.push(source.add(compress(await buildTar(members), 'gzip'), MediaType.ociLayerGzip));
  const config = source.add(Buffer.from('{"os":"linux","architecture":"amd64"}'), MediaType.ociConfig);
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: descriptors }));
  const top = source.add(bytes, MediaType.ociManifest);
  return scanImage({
    source, top, manifests: new Map([[top.digest, bytes]]), engine: 'osv', vulnDb: VULN_DB,
    policy: { failOn: 'high', ignoreUnfixed: false }, ...(limits ? { limits } : {}),
  });
}

const stops = (code: ErrorCode, message: RegExp, hint: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ImmutagError, String(err));
  assert.equal(err.code, code);
  assert.match(err.message, message);
  assert.match(err.hint, hint);
  return true;
};

describe('a package database found and not read stops the scan', () => {
  it('a dpkg database over the default 64 MiB per-file limit: LIMIT_EXCEEDED, as the README says', async () => {
    const big = STATUS + 'X'.repeat(64 * MiB);
    await assert.rejects(scanLayers([[DEBIAN, { name: 'var/lib/dpkg/status', content: big }]]),
      stops('LIMIT_EXCEEDED', /found a package database it did not read: \/var\/lib\/dpkg\/status is 64\.0 MiB, over the 64 MiB per-file limit/, /trivy or grype/));
  });

  it('a damaged rpm BerkeleyDB database (RHEL 8, Amazon Linux 2)', async () => {
    await assert.rejects(scanLayers([[DEBIAN, { name: 'var/lib/rpm/Packages', content: Buffer.alloc(8192) }]]),
      stops('SCANNER_FAILED', /\/var\/lib\/rpm\/Packages: not a readable rpm BerkeleyDB database/, /damaged/));
  });

  it('a damaged rpm NDB database (SUSE)', async () => {
    await assert.rejects(scanLayers([[DEBIAN, { name: 'usr/lib/sysimage/rpm/Packages.db', content: Buffer.alloc(8192) }]]),
      stops('SCANNER_FAILED', /Packages\.db: not a readable rpm NDB database/, /damaged/));
  });

  it('a damaged rpm SQLite database', async () => {
    await assert.rejects(scanLayers([[DEBIAN, { name: 'var/lib/rpm/rpmdb.sqlite', content: 'SQLite format 3\0 and nothing else' }]]),
      stops('SCANNER_FAILED', /rpmdb\.sqlite: not a readable rpm SQLite database/, /damaged/));
  });

  it('a dpkg database that is a symlink out of the image\'s reach', async () => {
    await assert.rejects(scanLayers([[DEBIAN, { name: 'var/lib/dpkg/status', type: 'symlink', linkname: '/run/secrets/status' }]]),
      stops('SCANNER_FAILED', /\/var\/lib\/dpkg\/status is a symlink to "\/run\/secrets\/status"; not followed/, /packages are unknown/));
  });

  it('lists every database not read, and all of them must be', async () => {
    await assert.rejects(scanLayers([[DEBIAN, { name: 'var/lib/rpm/Packages', content: 'x' }, { name: 'lib/apk/db/installed', type: 'character-device' }]]),
      stops('SCANNER_FAILED', /found 2 package databases it did not read: \(1\) \/lib\/apk\/db\/installed is not a regular file; not read \(2\) \/var\/lib\/rpm\/Packages: not a readable rpm BerkeleyDB/, /packages are unknown/));
  });

  it('a database a later layer deletes or replaces no longer counts', async () => {
    const outcome = await scanLayers([
      [DEBIAN, { name: 'var/lib/rpm/Packages', content: 'x' }, { name: 'var/lib/dpkg/status', content: 'X'.repeat(2048) }],
      [{ name: 'var/lib/rpm/.wh.Packages', content: '' }, { name: 'var/lib/dpkg/status', content: STATUS }],
    ], { maxFileBytes: 1024 });
    assert.equal(outcome.verdict, 'pass');
    assert.deepEqual(outcome.result.platforms[0]!.packages.map((p) => p.name), ['apparmor']);
  });

  it('an oversized metadata file of a language ecosystem stays a note', async () => {
    const outcome = await scanLayers([[DEBIAN, { name: 'app/node_modules/big/package.json', content: `{"name":"big","version":"1.0.0","x":"${'y'.repeat(4096)}"}` }]], { maxFileBytes: 1024 });
    assert.equal(outcome.verdict, 'pass');
    assert.match(outcome.result.platforms[0]!.notes.join('\n'), /package\.json is 4\.\d KiB, over the 1 KiB per-file limit; it was not read/);
  });
});
