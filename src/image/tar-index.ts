// Indexes a tar archive without extracting it: one pass over the headers records
// where each member's data starts and how long it is, so blobs can later be read
// (and hashed) straight out of the archive with positional reads.
// Formats: POSIX ustar (name + prefix), pax extended headers ('x' per entry, 'g'
// global; `path`, `linkpath`, `size`), GNU long names ('L', 'K') and GNU base-256
// sizes. https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13
import type { FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import { ImmutagError } from '../errors.ts';

const BLOCK = 512;
/** pax and GNU long-name records are metadata; anything bigger is not a real archive. */
const META_LIMIT = 1024 * 1024;
/** Header types that describe the next member instead of being one. */
const META_TYPES = new Set(['x', 'g', 'L', 'K']);

export type TarEntry =
  | { kind: 'file'; offset: number; size: number }
  | { kind: 'link'; target: string };

interface Header {
  name: string;
  linkname: string;
  size: number;
  type: string;
}

/** Walks every header of the archive behind `fh` (of `fileSize` bytes) and returns name → entry. */
export async function indexTar(fh: FileHandle, fileSize: number, what: string): Promise<Map<string, TarEntry>> {
  const entries = new Map<string, TarEntry>();
  const block = Buffer.alloc(BLOCK);
  let globalPax: Record<string, string> = {};
  let nextPax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  let pos = 0;
  for (;;) {
    // Every writer ends with zero blocks; running out of bytes before one means a cut-off file.
    if (pos + BLOCK > fileSize) throw invalid(what, `it ends at byte ${fileSize} without an end-of-archive marker (truncated)`);
    await readExactly(fh, block, pos, what);
    const header = parseHeader(block, pos, what);
    if (header === undefined) break; // end-of-archive marker
    const pax = { ...globalPax, ...nextPax }; // only USED_PAX keys: a copy per member stays small
    const isMeta = META_TYPES.has(header.type);
    const size = !isMeta && pax.size !== undefined ? parseDecimal(pax.size, what) : header.size;
    const dataOffset = pos + BLOCK;
    if (dataOffset + size > fileSize) {
      throw invalid(what, `the member at offset ${pos} claims ${size} bytes but the archive ends first (truncated)`);
    }
    switch (header.type) {
      case 'x':
        nextPax = usedPax(parsePax(await readMeta(fh, dataOffset, size, what), what));
        break;
      case 'g':
        globalPax = { ...globalPax, ...usedPax(parsePax(await readMeta(fh, dataOffset, size, what), what)) };
        break;
      case 'L':
        longName = cString(await readMeta(fh, dataOffset, size, what));
        break;
      case 'K':
        longLink = cString(await readMeta(fh, dataOffset, size, what));
        break;
      default: {
        const name = normalizeMemberName(pax.path ?? longName ?? header.name);
        const linkname = pax.linkpath ?? longLink ?? header.linkname;
        record(entries, name, header.type, linkname, dataOffset, size);
        nextPax = {};
        longName = undefined;
        longLink = undefined;
      }
    }
    pos = dataOffset + roundUp(size);
  }
  return entries;
}

/** Follows symbolic and hard links (Docker's legacy `<id>/layer.tar` is often a symlink). */
export function resolveMember(entries: Map<string, TarEntry>, name: string): { offset: number; size: number } | undefined {
  let current = normalizeMemberName(name);
  for (let hops = 0; hops < 16; hops++) {
    const entry = entries.get(current);
    if (entry === undefined) return undefined;
    if (entry.kind === 'file') return { offset: entry.offset, size: entry.size };
    current = entry.target;
  }
  return undefined;
}

/** `./blobs//sha256/x` and `/blobs/sha256/x` name the same member as `blobs/sha256/x`. */
export function normalizeMemberName(name: string): string {
  let out = posix.normalize(name.replace(/\0/g, ''));
  while (out.startsWith('/')) out = out.slice(1);
  if (out.endsWith('/')) out = out.slice(0, -1);
  return out === '.' ? '' : out;
}

function record(entries: Map<string, TarEntry>, name: string, type: string, linkname: string, offset: number, size: number): void {
  // A later member with the same name replaces an earlier one, as when extracting.
  if (type === '0' || type === '\0' || type === '7') {
    entries.set(name, { kind: 'file', offset, size });
  } else if (type === '2') {
    const target = linkname.startsWith('/') ? linkname : posix.join(posix.dirname(name), linkname);
    entries.set(name, { kind: 'link', target: normalizeMemberName(target) });
  } else if (type === '1') {
    // Hard link targets are archive paths, not relative to the link's directory.
    entries.set(name, { kind: 'link', target: normalizeMemberName(linkname) });
  } else {
    entries.delete(name); // a directory, device or fifo hides an earlier file of that name
  }
}

function parseHeader(block: Buffer, pos: number, what: string): Header | undefined {
  if (block.every((b) => b === 0)) return undefined;
  const stored = parseOctal(block.subarray(148, 156));
  if (stored !== checksum(block)) throw invalid(what, `the tar header at offset ${pos} has a bad checksum (not a tar archive, or corrupt)`);
  let name = cString(block.subarray(0, 100));
  // Only POSIX ustar ("ustar\0") has a prefix field; GNU ("ustar ") keeps times there.
  if (block.subarray(257, 263).toString('latin1') === 'ustar\0') {
    const prefix = cString(block.subarray(345, 500));
    if (prefix) name = `${prefix}/${name}`;
  }
  return {
    name,
    linkname: cString(block.subarray(157, 257)),
    size: parseSize(block.subarray(124, 136), pos, what),
    type: String.fromCharCode(block[156] ?? 0),
  };
}

function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum;
}

function parseSize(field: Buffer, pos: number, what: string): number {
  const first = field[0] ?? 0;
  if ((first & 0x80) === 0) {
    const size = parseOctal(field);
    if (Number.isNaN(size)) throw invalid(what, `the tar header at offset ${pos} has a size that is not a number`);
    return size;
  }
  // GNU base-256: big-endian two's complement with the top bit as the marker.
  if ((first & 0x40) !== 0) throw invalid(what, `the tar header at offset ${pos} has a negative size`);
  let value = BigInt(first & 0x3f);
  for (const b of field.subarray(1)) value = (value << 8n) | BigInt(b);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(what, `the tar header at offset ${pos} has an impossible size`);
  return Number(value);
}

function parseOctal(field: Buffer): number {
  const text = field.toString('latin1').replace(/[\0 ]+$/g, '').replace(/^[\0 ]+/g, '');
  if (!/^[0-7]*$/.test(text)) return Number.NaN;
  return text === '' ? 0 : parseInt(text, 8);
}

function parseDecimal(text: string, what: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw invalid(what, `a pax header has an invalid size "${text}"`);
  return Number(text);
}

/** The pax keys indexing reads; the others (times, owners, xattrs) are dropped, or a global header of 100k records is copied per member. */
const USED_PAX = ['path', 'linkpath', 'size'] as const;

function usedPax(records: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of USED_PAX) if (Object.hasOwn(records, key)) out[key] = records[key]!;
  return out;
}

/** pax records are "<length> <key>=<value>\n", the length counting the whole record in bytes. */
function parsePax(data: Buffer, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const length = space > pos ? Number(data.subarray(pos, space).toString('latin1')) : Number.NaN;
    if (!Number.isSafeInteger(length) || length <= space - pos || pos + length > data.length) {
      if (data.subarray(pos).every((b) => b === 0)) break;
      throw invalid(what, 'a pax extended header is malformed');
    }
    const record = data.subarray(space + 1, pos + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return out;
}

async function readMeta(fh: FileHandle, offset: number, size: number, what: string): Promise<Buffer> {
  if (size > META_LIMIT) throw invalid(what, `a tar metadata record of ${size} bytes is larger than ${META_LIMIT}`);
  const buf = Buffer.alloc(size);
  await readExactly(fh, buf, offset, what);
  return buf;
}

async function readExactly(fh: FileHandle, buf: Buffer, position: number, what: string): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) throw invalid(what, 'the archive ended in the middle of a header');
    done += bytesRead;
  }
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.subarray(0, end === -1 ? buf.length : end).toString('utf8');
}

function roundUp(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

function invalid(what: string, detail: string): ImmutagError {
  return new ImmutagError('IMAGE_INVALID', `${what} is not a readable tar archive: ${detail}`, {
    hint: 'Pass the file exactly as docker save or buildx wrote it (an uncompressed tar), or an OCI layout directory.',
  });
}
