// The name a layer member is written at is the name Go's archive/tar gives it
// (containerd and moby unpack with it, then filepath.Clean it). tar-stream, which
// reads the entries for the scan, names some members differently; the framing check
// (tar-framing.ts) compares offsets and data lengths only, so a member can reach the
// runtime's /var/lib/dpkg/status while the scan files it elsewhere. Each layer below
// carries Debian's os-release, a fixed apparmor (2.11.0-3) at the literal
// var/lib/dpkg/status, and then the vulnerable apparmor (2.10.95-1) at a name Go
// resolves to var/lib/dpkg/status, so the runtime's dpkg sees only the vulnerable one.
// What Go reads was checked with Go 1.19's archive/tar (and umoci/GNU tar where noted).
// The scan must see the vulnerable package, or refuse the layer (IMAGE_INVALID).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ImmutagError } from '../src/errors.ts';
import { MediaType } from '../src/oci.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { scanImage } from '../src/scan/scan.ts';
import { tarName } from '../src/scan/tar-framing.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { compress, ustarHeader } from './support/layer-tar.ts';

const status = (v: string) => `Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\n\n`;
const VULNERABLE = '2.10.95-1';
const FIXED = '2.11.0-3';

/** Rewrites a header block and fixes its checksum. */
function patch(block: Buffer, edit: (block: Buffer) => void): Buffer {
  edit(block);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

function padded(data: Buffer): Buffer {
  const out = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(out);
  return out;
}

/** A regular-file member; `edit` patches its header (name bytes, prefix, trailer). */
function member(name: string, content: string | Buffer, edit: (block: Buffer) => void = () => {}): Buffer {
  const data = typeof content === 'string' ? Buffer.from(content) : content;
  return Buffer.concat([patch(ustarHeader(name, data.length), edit), padded(data)]);
}

/** A pax ('x') or GNU long-name ('L') / long-link ('K') header with its data. */
function special(type: 'x' | 'L' | 'K', data: Buffer): Buffer {
  const header = patch(ustarHeader(type === 'x' ? 'PaxHeaders/x' : '././@LongLink', data.length), (b) => b.write(type, 156, 'latin1'));
  return Buffer.concat([header, padded(data)]);
}

function pax(records: Record<string, string>): Buffer {
  return Buffer.concat(Object.entries(records).map(([key, value]) => {
    const body = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(body) + 1;
    while (String(length).length + Buffer.byteLength(body) !== length) length++;
    return Buffer.from(`${length}${body}`);
  }));
}

/** Debian's os-release and the fixed apparmor where the scan looks, then `hidden`, then the end marker. */
function layerWith(...hidden: Buffer[]): Buffer {
  return Buffer.concat([
    member('etc/os-release', 'ID=debian\nVERSION_ID="12"\n'),
    member('var/lib/dpkg/status', status(FIXED)),
    ...hidden,
    Buffer.alloc(1024),
  ]);
}

async function inventory(tar: Buffer) {
  const source = new MemoryBlobSource();
  const layer = source.add(compress(tar, 'gzip'), MediaType.ociLayerGzip);
  const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
  return inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] });
}

/** Either the scan sees what the runtime unpacks (the vulnerable apparmor, or an unread database), or it refuses the layer. */
async function assertNotHidden(tar: Buffer): Promise<void> {
  let inv: Awaited<ReturnType<typeof inventory>>;
  try {
    inv = await inventory(tar);
  } catch (err) {
    assert.ok(err instanceof ImmutagError && err.code === 'IMAGE_INVALID', String(err));
    return;
  }
  const seen = inv.packages.map((p) => `${p.name} ${p.version} ${p.path}`);
  assert.ok(inv.unread.length > 0 || seen.some((p) => p.startsWith(`apparmor ${VULNERABLE} `)),
    `the runtime's var/lib/dpkg/status holds apparmor ${VULNERABLE}; the scan saw ${JSON.stringify(seen)} (notes: ${inv.notes.join(' | ')})`);
}

describe('member names Go and tar-stream read differently', () => {
  it('a GNU long name beats a pax path in Go (it is applied after the pax records); tar-stream lets the pax path win', async () => {
    // Go 1.19: name="var/lib/dpkg/status"; tar-stream: "tmp/decoy".
    await assertNotHidden(layerWith(
      special('x', pax({ path: 'tmp/decoy' })),
      special('L', Buffer.from('var/lib/dpkg/status\0')),
      member('short', status(VULNERABLE)),
    ));
  });

  it('a pax GNU sparse 1.0 member is named by GNU.sparse.name and its data starts with the sparse map (Go and GNU tar)', async () => {
    // Go 1.19 and GNU tar: var/lib/dpkg/status with the 67 logical bytes; tar-stream: the ustar name, map block included.
    const data = Buffer.from(status(VULNERABLE));
    const body = Buffer.concat([padded(Buffer.from(`1\n0\n${data.length}\n`)), data]);
    await assertNotHidden(layerWith(
      special('x', pax({ 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.name': 'var/lib/dpkg/status', 'GNU.sparse.realsize': String(data.length) })),
      member('usr/share/doc/GNUSparseFile.0/readme', body),
    ));
  });

  it('a star header (ustar magic, "tar\\0" trailer) has a 131-byte prefix; tar-stream reads 155 bytes into the atime field', async () => {
    // Go 1.19: "var/lib/dpkg//…//status" (cleaned: var/lib/dpkg/status); tar-stream: var/lib/dpkg/0/status.
    const prefix = `var/lib/dpkg${'/'.repeat(119)}`;
    assert.equal(prefix.length, 131);
    await assertNotHidden(layerWith(member('status', status(VULNERABLE), (b) => {
      b.write(prefix, 345, 'latin1');
      b.write('0\0', 476, 'latin1'); // star atime: valid octal for Go
      b.write('tar\0', 508, 'latin1');
    })));
  });

  it('a name over 4096 bytes that cleans to a short path is written there by the runtime, not skipped', async () => {
    // Go + filepath.Clean (containerd, moby) and umoci: var/lib/dpkg/status. The scan skipped it with a note.
    const long = `var/lib/dpkg/${'./'.repeat(2100)}status`;
    await assertNotHidden(layerWith(special('x', pax({ path: long })), member('x', status(VULNERABLE))));
    await assertNotHidden(layerWith(special('L', Buffer.from(`var/lib/dpkg${'/'.repeat(4100)}status\0`)), member('x', status(VULNERABLE))));
  });

  it('two names that are different bytes, not UTF-8, are two files to the runtime and one to the scan', async () => {
    // Go and umoci: status.d/\xfe and status.d/\xff; tar-stream decodes both to status.d/\ufffd, the second replacing the first.
    const pkg = (name: string, v: string) => `Package: ${name}\nArchitecture: amd64\nVersion: ${v}\n\n`;
    const tar = Buffer.concat([
      member('etc/os-release', 'ID=debian\nVERSION_ID="12"\n'),
      member('var/lib/dpkg/status.d/X', pkg('apparmor', VULNERABLE), (b) => { b[22] = 0xfe; }),
      member('var/lib/dpkg/status.d/X', pkg('base-files', '12.4'), (b) => { b[22] = 0xff; }),
      Buffer.alloc(1024),
    ]);
    await assertNotHidden(tar);
  });
});

it('the scan of an image hiding its dpkg status behind a GNU long name fails the policy', async () => {
  const source = new MemoryBlobSource();
  const layer = source.add(compress(layerWith(
    special('x', pax({ path: 'tmp/decoy' })),
    special('L', Buffer.from('var/lib/dpkg/status\0')),
    member('short', status(VULNERABLE)), // DEBIAN-CVE-2017-6507, fixed in 2.11.0-3
  ), 'gzip'), MediaType.ociLayerGzip);
  const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] }));
  const top = source.add(bytes, MediaType.ociManifest);
  const run = scanImage({
    source, top, manifests: new Map([[top.digest, bytes]]), engine: 'osv',
    vulnDb: fileURLToPath(new URL('./fixtures/scan/osv/', import.meta.url)), policy: { failOn: 'medium', ignoreUnfixed: false },
  });
  const outcome = await run.catch((err: unknown) => err);
  if (outcome instanceof ImmutagError) return; // refused: fine
  assert.equal((outcome as Awaited<typeof run>).verdict, 'violation');
});

describe('tar names as bytes', () => {
  it('decodes UTF-8 as UTF-8, and keeps every other byte apart as U+DC80+byte (so no two names collide)', () => {
    assert.equal(tarName(Buffer.from('usr/share/doc/café/€/😀')), 'usr/share/doc/café/€/😀');
    assert.equal(tarName(Buffer.from([0x61, 0xfe, 0x62])), 'a\udcfeb');
    assert.equal(tarName(Buffer.from([0xed, 0xa0, 0x80])), '\udced\udca0\udc80', 'an encoded surrogate is not UTF-8');
    assert.equal(tarName(Buffer.from([0xc0, 0xaf])), '\udcc0\udcaf', 'nor is an overlong slash');
    assert.equal(tarName(Buffer.from([0xe2, 0x82, 0xac, 0xe2, 0x82])), '€\udce2\udc82', 'a sequence cut short');
    // Every byte string back from its name: escapes give their byte, the rest re-encode.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = [0x61, 0x2f, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0xc0, 0xf4, 0x90, 0xff];
    for (let i = 0; i < 20000; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]!));
      const back: number[] = [];
      for (const char of tarName(bytes)) {
        const unit = char.charCodeAt(0);
        if (char.length === 1 && unit >= 0xdc80 && unit <= 0xdcff) back.push(unit - 0xdc00);
        else back.push(...Buffer.from(char, 'utf8'));
      }
      assert.deepEqual(Buffer.from(back), bytes);
    }
  });
});
