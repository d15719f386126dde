// A jar (or any archive read by its name as it streams past: .jar/.war, .egg, .pyz, a
// Yarn cache zip) that a layer stores once under another name and links to by hard
// link. rpm-ostree / bootc layers (ostree-ext encapsulation, `rpm-ostree compose
// build-chunked-oci`, rechunked bootc images) store every file under
// sysroot/ostree/repo/objects/<xx>/<sha>.file and link the /usr path to it. Such an
// archive was never read, and said nothing: content-recognised executables (Go, Rust)
// were read at the object's name and copied to the link, but an archive is read only
// under its own name, and the link was not queued for the second pass that package.json
// and rpmdb.sqlite links get. Now the link is queued, and the object's bytes stream
// through the reader the link's name selects, as the same file is read under its own name.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { MediaType } from '../src/oci.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { buildZip } from './support/zip-writer.ts';

const fixture = (path: string): Buffer => readFileSync(new URL(`./fixtures/inventory/${path}`, import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'immutag-scan-hardlinked-archive-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A root filesystem on disk, each group of names one inode, archived by GNU tar in name order (as the hard-link test does). */
function gnuTarLayer(name: string, files: Array<{ paths: string[]; content: string | Buffer }>): Buffer {
  const root = join(work, name);
  for (const { paths, content } of files) {
    const [first, ...others] = paths as [string, ...string[]];
    mkdirSync(dirname(join(root, first)), { recursive: true });
    writeFileSync(join(root, first), content);
    for (const other of others) {
      mkdirSync(dirname(join(root, other)), { recursive: true });
      linkSync(join(root, first), join(root, other));
    }
  }
  return execFileSync('tar', ['--sort=name', '--format=pax', '-C', root, '-cf', '-', '.'], { maxBuffer: 64 * 1024 * 1024 });
}

function imageOf(tar: Buffer) {
  const source = new MemoryBlobSource();
  const layer = source.add(tar, MediaType.ociLayer);
  const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
  return { source, manifest: { schemaVersion: 2 as const, mediaType: MediaType.ociManifest, config, layers: [layer] } };
}

const log4j = buildZip([
  { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\nImplementation-Version: 2.14.1\r\n\r\n' },
  { name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties', data: 'groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n' },
]);
const egg = buildZip([{ name: 'EGG-INFO/PKG-INFO', data: 'Metadata-Version: 1.1\nName: PyYAML\nVersion: 5.3\n' }]);

describe('an archive hard-linked to an ostree object (bootc / rpm-ostree layer)', () => {
  for (const [what, link, content, expected] of [
    ['jar', 'usr/share/app/lib/log4j-core-2.14.1.jar', log4j, 'org.apache.logging.log4j:log4j-core@2.14.1'],
    ['zipped egg', 'usr/lib/python3.9/site-packages/PyYAML-5.3-py3.9.egg', egg, 'pyyaml@5.3'],
  ] as const) {
    it(`a ${what} at ${link} is read, as the same file is when stored under its own name`, async () => {
      const object = 'sysroot/ostree/repo/objects/3c/5f0e1d2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e.file';
      const layer = gnuTarLayer(what.replace(' ', '-'), [
        { paths: ['usr/lib/os-release'], content: fixture('os-release/rocky-9.5') },
        { paths: [object, link], content },
      ]);
      // GNU tar stored the bytes under the object's name, and the /usr path is the hard link.
      assert.match(execFileSync('tar', ['-tvf', '-'], { input: layer }).toString(), new RegExp(`^h.*${link.replace(/\./g, '\\.')} link to \\./sysroot/`, 'm'));
      const plain = gnuTarLayer(`${what.replace(' ', '-')}-plain`, [{ paths: [link], content }]);
      const control = await inventoryImage(...Object.values(imageOf(plain)) as [never, never]);
      assert.deepEqual(control.packages.map((p) => `${p.name}@${p.version}`), [expected], 'the same archive as a plain file');
      const { source, manifest } = imageOf(layer);
      const inventory = await inventoryImage(source, manifest);
      assert.deepEqual(inventory.packages.map((p) => `${p.name}@${p.version}`), [expected], `notes: ${inventory.notes.join(' | ')}`);
    });
  }
});
