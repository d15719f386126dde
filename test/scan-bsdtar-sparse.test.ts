// bsdtar (libarchive 3.6, the tar of macOS, FreeBSD and Windows, and `bsdtar` on Linux)
// reads a file's holes from disk and, in its default restricted-pax format, writes a
// sparse file as pax GNU sparse 1.0 (GNU.sparse.major/minor/name/realsize) without being
// asked: no --sparse option exists to leave out. A sparse file is common in a root
// filesystem: `useradd -u 1000000 app` extends /var/log/lastlog and /var/log/faillog
// to hundreds of MiB of holes. Go's archive/tar (containerd, moby) expands such a member,
// so the layer runs; the scan refuses it, with a hint to drop a --sparse option the
// user never passed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { MediaType } from '../src/oci.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { compress } from './support/layer-tar.ts';

const run = promisify(execFile);

describe('a layer bsdtar wrote from a root filesystem holding a sparse lastlog', () => {
  let dir: string;
  let layer: Buffer;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'immutag-bsdtar-sparse-'));
    const root = path.join(dir, 'root');
    await mkdir(path.join(root, 'etc'), { recursive: true });
    await mkdir(path.join(root, 'var/lib/dpkg'), { recursive: true });
    await mkdir(path.join(root, 'var/log'), { recursive: true });
    await writeFile(path.join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
    await writeFile(path.join(root, 'var/lib/dpkg/status'), 'Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.10.95-1\n\n');
    // What `useradd -u 1000000` leaves: a 292 MiB lastlog of holes around one record.
    const lastlog = await open(path.join(root, 'var/log/lastlog'), 'w');
    await lastlog.truncate(292 * 1024 * 1024);
    await lastlog.write(Buffer.alloc(292, 1), 0, 292, 292 * 1_000_000);
    await lastlog.close();
    await run('bsdtar', ['-cf', path.join(dir, 'layer.tar'), '-C', root, '.']);
    layer = await readFile(path.join(dir, 'layer.tar'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('bsdtar wrote the lastlog as a pax GNU sparse 1.0 member, unasked', () => {
    assert.ok(layer.includes('GNU.sparse.major=1'), 'the archive carries GNU sparse records');
    assert.ok(layer.length < 1024 * 1024, 'and only the data, not the holes');
  });

  it('is scanned: containerd and Docker unpack it, and the sparse file is no package database', async () => {
    const source = new MemoryBlobSource();
    const descriptor = source.add(compress(layer, 'gzip'), MediaType.ociLayerGzip);
    const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
    const inv = await inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [descriptor] });
    assert.deepEqual(inv.packages.map((p) => `${p.name} ${p.version}`), ['apparmor 2.10.95-1']);
  });
});
