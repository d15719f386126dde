// Builds layer tarballs in memory for tests, with tar-stream's packer (or by hand
// for what a well-behaved packer refuses to write: sizes past 8 GiB).
import zlib from 'node:zlib';
import tar from 'tar-stream';

export interface TarMember {
  name: string;
  content?: string | Buffer;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device';
  linkname?: string;
  /** Force a PAX header, which carries the name verbatim (a NUL byte included). */
  pax?: boolean;
}

export type Compression = 'gzip' | 'zstd' | 'none';

export async function buildTar(members: TarMember[]): Promise<Buffer> {
  const pack = tar.pack();
  const done = collect(pack);
  for (const member of members) {
    const type = member.type ?? 'file';
    const content = typeof member.content === 'string' ? Buffer.from(member.content) : member.content ?? Buffer.alloc(0);
    const header = { name: member.name, type, mode: type === 'directory' ? 0o755 : 0o644, mtime: new Date(0), ...(member.linkname ? { linkname: member.linkname } : {}), ...(member.pax ? { pax: {} } : {}) };
    await new Promise<void>((resolve, reject) => {
      pack.entry(type === 'file' ? { ...header, size: content.length } : header, type === 'file' ? content : undefined as never, (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  return done;
}

function collect(pack: tar.Pack): Promise<Buffer> {
  const parts: Buffer[] = [];
  return new Promise((resolve, reject) => {
    pack.on('data', (chunk: unknown) => {
      parts.push(Buffer.from(chunk as Uint8Array));
    });
    pack.on('end', () => resolve(Buffer.concat(parts)));
    pack.on('error', reject);
  });
}

export function compress(data: Buffer, compression: Compression): Buffer {
  if (compression === 'gzip') return zlib.gzipSync(data);
  if (compression === 'zstd') return zlib.zstdCompressSync(data);
  return data;
}

/** A ustar header for a regular file; sizes of 8 GiB and more use the base-256 form GNU tar writes. */
export function ustarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  if (size < 8 ** 11) {
    header.write(size.toString(8).padStart(11, '0') + '\0', 124);
  } else {
    header[124] = 0x80;
    let rest = BigInt(size);
    for (let i = 135; i > 124; i--) {
      header[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  }
  header.write('00000000000\0', 136);
  header.write('0', 156);
  header.write('ustar\0' + '00', 257, 'latin1');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return header;
}
