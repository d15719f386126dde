// The inventory of an image built by real tools: umoci writes the layers (its own
// `.wh.` whiteouts for deleted files, `raw add-layer` for an opaque directory), skopeo
// re-encodes the same image with zstd layers and with uncompressed layers. All three
// encodings must give the same inventory, attributed to the same layers.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type Inventory, inventoryImage } from '../src/scan/inventory.ts';
import { LayoutBlobSource } from './support/blob-source.ts';
import { buildTar } from './support/layer-tar.ts';

const run = promisify(execFile);
const fixture = (p: string): Promise<Buffer> => readFile(new URL(`./fixtures/inventory/${p}`, import.meta.url));
/** umoci needs --rootless to unpack as an ordinary user; as root it must not be given. */
const ROOTLESS = process.getuid?.() === 0 ? [] : ['--rootless'];

async function put(root: string, file: string, content: Buffer | string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), content);
}

describe('an image built with umoci and re-encoded with skopeo', () => {
  let dir: string;
  let stanzas: string[];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'immutag-umoci-'));
    stanzas = (await fixture('dpkg/status')).toString('utf8').trim().split('\n\n');
    const layout = path.join(dir, 'oci');
    const bundle = path.join(dir, 'bundle');
    const rootfs = path.join(bundle, 'rootfs');
    await run('umoci', ['init', '--layout', layout]);
    await run('umoci', ['new', '--image', `${layout}:t`]);
    await run('umoci', ['unpack', ...ROOTLESS, '--image', `${layout}:t`, bundle]);

    // Layer 1: a Debian base with a few hundred packages, an Alpine database, npm and Python packages.
    await put(rootfs, 'usr/lib/os-release', await fixture('os-release/debian-12'));
    await mkdir(path.join(rootfs, 'etc'), { recursive: true });
    await symlink('../usr/lib/os-release', path.join(rootfs, 'etc/os-release'));
    await put(rootfs, 'var/lib/dpkg/status', stanzas.slice(0, 200).join('\n\n') + '\n');
    await put(rootfs, 'lib/apk/db/installed', await fixture('apk/installed'));
    await put(rootfs, 'opt/app/node_modules/tar-stream/package.json', await fixture('npm/tar-stream.package.json'));
    await put(rootfs, 'usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA', await fixture('python/PyYAML-6.0.METADATA'));
    await run('umoci', ['repack', '--refresh-bundle', '--image', `${layout}:t`, bundle]);

    // Layer 2: the Alpine database deleted (umoci writes lib/apk/db/.wh.installed), status rewritten
    // with 20 more packages and one upgrade.
    await rm(path.join(rootfs, 'lib/apk/db/installed'));
    const upgraded = stanzas.slice(0, 220);
    upgraded[7] = upgraded[7]!.replace(/^Version: (.*)$/m, 'Version: $1+deb12u99');
    await put(rootfs, 'var/lib/dpkg/status', upgraded.join('\n\n') + '\n');
    await run('umoci', ['repack', '--refresh-bundle', '--image', `${layout}:t`, bundle]);

    // Layer 3: an opaque opt/app holding only @actions/core.
    const opaque = await buildTar([
      { name: 'opt/app/', type: 'directory' },
      { name: 'opt/app/.wh..wh..opq' },
      { name: 'opt/app/node_modules/@actions/core/package.json', content: await fixture('npm/actions-core.package.json') },
    ]);
    await writeFile(path.join(dir, 'opaque.tar'), opaque);
    await run('umoci', ['raw', 'add-layer', '--image', `${layout}:t`, path.join(dir, 'opaque.tar')]);

    await run('skopeo', ['copy', '--insecure-policy', '--dest-compress-format', 'zstd', `oci:${layout}:t`, `oci:${path.join(dir, 'zstd')}:t`]);
    await run('skopeo', ['copy', '--insecure-policy', '--dest-decompress', `oci:${layout}:t`, `dir:${path.join(dir, 'plain')}`]);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function scan(encoding: string): Promise<{ inventory: Inventory; layers: string[]; mediaTypes: string[] }> {
    const source = new LayoutBlobSource(path.join(dir, encoding));
    const manifest = await source.manifest(encoding === 'plain' ? undefined : 't');
    const inventory = await inventoryImage(source, manifest);
    return { inventory, layers: manifest.layers.map((l) => l.digest), mediaTypes: manifest.layers.map((l) => l.mediaType) };
  }

  /** The inventory with layer digests replaced by their position, so encodings compare. */
  function summary({ inventory, layers }: { inventory: Inventory; layers: string[] }) {
    return {
      os: inventory.os,
      notes: inventory.notes,
      packages: inventory.packages.map((p) => `${p.type} ${p.name} ${p.version} ${p.ecosystem} L${layers.indexOf(p.layer) + 1}`),
    };
  }

  it('applies umoci\'s whiteouts, the opaque directory and the status rewrite', async () => {
    const gzip = await scan('oci');
    assert.deepEqual(gzip.mediaTypes, Array(3).fill('application/vnd.oci.image.layer.v1.tar+gzip'));
    const { inventory } = gzip;
    assert.equal(inventory.os?.id, 'debian');
    assert.deepEqual(inventory.notes, []);
    const byType = (type: string) => inventory.packages.filter((p) => p.type === type);
    assert.equal(byType('apk').length, 0, 'the deleted Alpine database is not reported');
    assert.deepEqual(byType('npm').map((p) => p.name), ['@actions/core'], 'tar-stream is under the opaque directory');
    assert.deepEqual(byType('pypi').map((p) => p.name), ['pyyaml']);
    const debs = byType('deb');
    assert.equal(debs.length, 220);
    assert.ok(debs.every((p) => p.ecosystem === 'Debian:12'));
    const [first, second, third] = gzip.layers;
    assert.equal(debs.filter((p) => p.layer === first).length, 199);
    assert.equal(debs.filter((p) => p.layer === second).length, 21);
    assert.ok(debs.find((p) => p.version.endsWith('+deb12u99'))?.layer === second);
    assert.equal(byType('npm')[0]?.layer, third);
    assert.equal(byType('pypi')[0]?.layer, first);
  });

  it('gives the same inventory for zstd and uncompressed encodings of the image', async () => {
    const gzip = await scan('oci');
    const zstd = await scan('zstd');
    const plain = await scan('plain');
    assert.deepEqual(zstd.mediaTypes, Array(3).fill('application/vnd.oci.image.layer.v1.tar+zstd'));
    assert.deepEqual(plain.mediaTypes, Array(3).fill('application/vnd.oci.image.layer.v1.tar'));
    assert.deepEqual(summary(zstd), summary(gzip));
    assert.deepEqual(summary(plain), summary(gzip));
  });
});
