// A directory written the pre-POSIX way: typeflag NUL and a trailing slash (bsdtar
// --format v7 writes every directory so; so did tools on Go <= 1.9 that left Typeflag
// unset). Go's archive/tar reads it as TypeDir, so containerd and moby make a directory.
// tar-stream computes its entry type before its own trailing-slash rule (headers.js:
// `const type = toType(typeflag)` precedes `typeflag = 5`), so it calls it a file. Both
// agree there is no data; the kind is Go's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MediaType } from '../src/oci.ts';
import { ByteBudget } from '../src/scan/decompress.ts';
import { type LayerEntry, type LayerVisitor, readLayer } from '../src/scan/layers.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { compress } from './support/layer-tar.ts';

/** A v7 header (no magic), as bsdtar --format v7 writes it. */
function v7(name: string, type: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'latin1');
  h.write('000755 \0', 100);
  h.write('000000 \0', 108);
  h.write('000000 \0', 116);
  h.write(`${size.toString(8).padStart(11, '0')} `, 124);
  h.write('15304426173 ', 136);
  h.write(type, 156, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

class Recorder implements LayerVisitor {
  readonly entries: Array<[string, string]> = [];
  entry(entry: LayerEntry): boolean {
    this.entries.push([entry.path, entry.type]);
    return false;
  }
  file(): void {}
  oversized(): void {}
}

describe('legacy NUL-typed directories', () => {
  it('reads "etc/" with typeflag NUL as the directory Go reads', async () => {
    const body = Buffer.from('ID=debian\n');
    const tar = Buffer.concat([v7('etc/', '\0', 0), v7('etc/os-release', '\0', body.length), body, Buffer.alloc(512 - body.length), Buffer.alloc(1024)]);
    const source = new MemoryBlobSource();
    const layer = source.add(compress(tar, 'gzip'), MediaType.ociLayerGzip);
    const recorder = new Recorder();
    await readLayer(source, layer, recorder, { budget: new ByteBudget(1 << 30), maxFileBytes: 1 << 20 });
    assert.deepEqual(recorder.entries, [['etc', 'directory'], ['etc/os-release', 'file']]);
  });
});
