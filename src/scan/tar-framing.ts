// Where a layer's tar archive ends and where each member's header sits, as Go's
// archive/tar decides (containerd and moby unpack layers with it; GNU tar agrees on
// the end). tar-stream, which reads the entries, differs: it reads past the
// end-of-archive marker (two zero blocks) into whatever follows, and frames some
// odd headers differently (data after a symlink header, pax `size` from a global
// header). Bytes a runtime never unpacks must not reach the scan, and bytes it does
// unpack must not be skipped, so this runs on the decompressed bytes before tar-stream
// sees them (in the budget meter, decompress.ts):
//  - it passes the archive up to and including the marker, nothing after it, and
//    refuses the layer if anything but zero padding follows;
//  - it records every member header's offset and data length by Go's rules, and
//    layers.ts checks each entry tar-stream emits against that record;
//  - it names each member as Go does, and layers.ts uses that name, not tar-stream's:
//    a GNU long name beats a pax path, a star header's prefix is 131 bytes, GNU
//    headers have none, and names are bytes (two names that are not UTF-8 are two
//    files to a runtime, and one to a decoder that replaces what it cannot decode);
//  - it marks pax GNU sparse members (bsdtar writes any file with holes so), which Go
//    names by `GNU.sparse.name` and expands: the scan places them there, unread.
// https://pkg.go.dev/archive/tar (Reader.Next), https://www.gnu.org/software/tar/manual/html_node/Standard.html
import { isUtf8 } from 'node:buffer';
import { ImmutagError } from '../errors.ts';

const BLOCK = 512;
/** Go refuses pax records and GNU long names over 1 MiB (maxSpecialFileSize). */
const META_LIMIT = 1024 * 1024;
const META_TYPES = new Set(['x', 'g', 'L', 'K']);
/** Go reads no data after these headers whatever their size field says (isHeaderOnlyType). */
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);
/** Keys tar-stream would carry from a global pax header into later members; Go never does. */
const GLOBAL_FORBIDDEN = ['size', 'path', 'linkpath'];

export interface MemberFrame {
  /** Offset of the member's own header block (after any pax / long-name headers). */
  header: number;
  /** Bytes of data after the header that belong to the member. */
  data: number;
  /** The name and link name Go's archive/tar gives the member (see tarName). */
  name: string;
  linkname: string;
  /** Go reads it as a directory: type 5, or the legacy NUL type with a trailing slash. */
  directory: boolean;
  /** A pax GNU sparse file: Go names it by `GNU.sparse.name` and expands its holes; its bytes here are the packed map and data. */
  sparse: boolean;
}

const EMPTY = Buffer.alloc(0);
const SLASH = Buffer.from('/');

interface Meta {
  type: string;
  size: number;
  parts: Buffer[];
  missing: number;
}

export class TarFraming {
  private readonly digest: string;
  private readonly block = Buffer.alloc(BLOCK);
  private fill = 0;
  /** Data and padding bytes still to pass before the next header. */
  private skip = 0;
  private meta: Meta | undefined;
  private pax: Map<string, Buffer> | undefined;
  private longName: Buffer | undefined;
  private longLink: Buffer | undefined;
  private zeroBlock = false;
  private ended = false;
  /** Offset of the next chunk's first byte. */
  private position = 0;
  private readonly frames: MemberFrame[] = [];
  private next = 0;

  constructor(digest: string) {
    this.digest = digest;
  }

  /** The next member header Go would read; undefined when it has none left. */
  shiftFrame(): MemberFrame | undefined {
    const frame = this.frames[this.next];
    if (frame === undefined) return undefined;
    this.frames[this.next++] = undefined as never;
    if (this.next > 4096 && this.next * 2 > this.frames.length) {
      this.frames.splice(0, this.next);
      this.next = 0;
    }
    return frame;
  }

  /** Member headers recorded and not yet claimed by an entry. */
  get unclaimed(): number {
    return this.frames.length - this.next;
  }

  /** The part of the next decompressed chunk that belongs to the archive; throws IMAGE_INVALID. */
  pass(chunk: Buffer): Buffer {
    const passed = this.scan(chunk);
    this.position += chunk.length;
    return passed;
  }

  private scan(chunk: Buffer): Buffer {
    if (this.ended) {
      this.requireZeros(chunk, 0);
      return chunk.subarray(0, 0);
    }
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      if (this.meta) {
        at = this.collectMeta(chunk, at);
        continue;
      }
      const n = Math.min(BLOCK - this.fill, chunk.length - at);
      chunk.copy(this.block, this.fill, at, at + n);
      this.fill += n;
      at += n;
      if (this.fill < BLOCK) break;
      this.fill = 0;
      this.onBlock(this.position + at - BLOCK);
      if (this.ended) {
        this.requireZeros(chunk, at);
        return chunk.subarray(0, at);
      }
    }
    return chunk;
  }

  private onBlock(offset: number): void {
    const block = this.block;
    if (isZero(block)) {
      if (this.zeroBlock) this.ended = true;
      this.zeroBlock = true;
      return;
    }
    if (this.zeroBlock) throw this.invalid(`a header at byte ${offset} follows a single zero block (Go's archive/tar refuses such an archive)`);
    if (!checksumOk(block)) throw this.invalid(`the tar header at byte ${offset} has a bad checksum`);
    const type = String.fromCharCode(block[156]!);
    const size = this.numeric(block.subarray(124, 136), offset);
    if (META_TYPES.has(type)) {
      if (size > META_LIMIT) throw this.invalid(`the ${type} header at byte ${offset} carries ${size} bytes of metadata, over Go's 1 MiB limit`);
      if (type === 'g' && (this.pax !== undefined || this.longName !== undefined || this.longLink !== undefined)) {
        throw this.invalid(`a global pax header at byte ${offset} sits between a member's extended header and the member (its framing is ambiguous)`);
      }
      this.meta = { type, size, parts: [], missing: size };
      if (size === 0) this.endMeta();
      return;
    }
    // Old GNU sparse headers may continue in extension blocks Go reads and tar-stream does not.
    if (type === 'S' && block[482] !== 0) throw this.invalid(`the member at byte ${offset} is an old GNU sparse file with extension headers, which the scanner does not read`);
    const sparse = [...(this.pax?.keys() ?? [])].some((key) => key.startsWith('GNU.sparse.'));
    const paxSize = this.pax?.get('size');
    const effective = paxSize !== undefined && paxSize.length > 0 ? this.decimal(paxSize.toString('latin1'), offset) : size;
    const { name, linkname } = this.goNames(block);
    const directory = type === '5' || (type === '\0' && name.endsWith('/'));
    const data = HEADER_ONLY.has(type) || directory ? 0 : effective;
    this.frames.push({ header: offset, data, name, linkname, directory, sparse });
    this.pax = undefined;
    this.longName = undefined;
    this.longLink = undefined;
    this.skip = roundUp(data);
  }

  /**
   * Go's Reader.next: the header's fields, then pax `path`/`linkpath` (unless empty), then
   * GNU long names, then a sparse file's `GNU.sparse.name` (readGNUSparsePAXHeaders).
   */
  private goNames(block: Buffer): { name: string; linkname: string } {
    let name = cBytes(block.subarray(0, 100));
    let linkname = cBytes(block.subarray(157, 257));
    const prefix = goPrefix(block);
    if (prefix.length > 0) name = Buffer.concat([prefix, SLASH, name]);
    const path = this.pax?.get('path');
    if (path !== undefined && path.length > 0) name = path;
    const linkpath = this.pax?.get('linkpath');
    if (linkpath !== undefined && linkpath.length > 0) linkname = linkpath;
    if (this.longName !== undefined && this.longName.length > 0) name = this.longName;
    if (this.longLink !== undefined && this.longLink.length > 0) linkname = this.longLink;
    const sparseName = this.pax?.get('GNU.sparse.name');
    if (sparseName !== undefined && sparseName.length > 0) name = sparseName;
    return { name: tarName(name), linkname: tarName(linkname) };
  }

  private collectMeta(chunk: Buffer, at: number): number {
    const meta = this.meta!;
    const n = Math.min(meta.missing, chunk.length - at);
    meta.parts.push(Buffer.from(chunk.subarray(at, at + n)));
    meta.missing -= n;
    if (meta.missing === 0) this.endMeta();
    return at + n;
  }

  private endMeta(): void {
    const meta = this.meta!;
    this.meta = undefined;
    this.skip = roundUp(meta.size) - meta.size;
    const data = Buffer.concat(meta.parts);
    if (meta.type === 'x') this.pax = this.parsePax(data);
    else if (meta.type === 'L') this.longName = cBytes(data);
    else if (meta.type === 'K') this.longLink = cBytes(data);
    else {
      const global = this.parsePax(data);
      const key = GLOBAL_FORBIDDEN.find((k) => global.has(k));
      if (key) throw this.invalid(`a global pax header sets "${key}", which tar-stream applies to later members and Go's archive/tar does not`);
    }
  }

  /** Go's parseNumeric: base-256 when the top bit is set, else strict octal between NUL/space padding. */
  private numeric(field: Buffer, offset: number): number {
    const first = field[0]!;
    if ((first & 0x80) !== 0) {
      if ((first & 0x40) !== 0) throw this.invalid(`the tar header at byte ${offset} has a negative size`);
      let value = BigInt(first & 0x3f);
      for (const b of field.subarray(1)) value = (value << 8n) | BigInt(b);
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw this.invalid(`the tar header at byte ${offset} has an impossible size`);
      return Number(value);
    }
    const text = cString(trim(field)).toString();
    if (!/^[0-7]*$/.test(text)) throw this.invalid(`the tar header at byte ${offset} has a malformed size field`);
    return text === '' ? 0 : parseInt(text, 8);
  }

  private decimal(text: string, offset: number): number {
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw this.invalid(`the pax size "${text}" before byte ${offset} is not a size`);
    return Number(text);
  }

  /**
   * pax records are "<length> <key>=<value>\n", the length counting the whole record;
   * Go refuses anything else, and a NUL in a path. Values stay bytes, as Go keeps them.
   */
  private parsePax(data: Buffer): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    let pos = 0;
    while (pos < data.length) {
      const space = data.indexOf(0x20, pos);
      const digits = space > pos ? data.subarray(pos, space).toString('latin1') : '';
      const length = /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
      const end = pos + length;
      const record = Number.isSafeInteger(length) && end <= data.length && data[end - 1] === 0x0a ? data.subarray(space + 1, end - 1) : undefined;
      const eq = record?.indexOf(0x3d) ?? -1;
      if (record === undefined || eq <= 0) throw this.invalid('a pax extended header is malformed');
      const key = record.subarray(0, eq).toString('utf8');
      const value = record.subarray(eq + 1);
      if ((key === 'path' || key === 'linkpath') && value.includes(0)) {
        throw this.invalid(`a pax ${key} holds a NUL byte`, 'Go\'s archive/tar refuses it too, so containerd and Docker cannot unpack this layer: the image cannot run. Rebuild it with a standard tool.');
      }
      out.set(key, value);
      pos = end;
    }
    return out;
  }

  private requireZeros(chunk: Buffer, from: number): void {
    for (let i = from; i < chunk.length; i++) {
      if (chunk[i] !== 0) {
        throw this.invalid(`it has data at byte ${this.position + i}, after the end-of-archive marker; GNU tar and Go's archive/tar (containerd, moby) stop at the marker and never unpack it`);
      }
    }
  }

  invalid(what: string, hint = 'What the runtime unpacks and what the scan would read differ, so the image is not scanned as a pass. Rebuild the layer with a standard tool (docker build, buildah, GNU tar).'): ImmutagError {
    return new ImmutagError('IMAGE_INVALID', `Layer ${this.digest} is not a readable tar archive: ${what}`, { hint });
  }
}

/** Whether Go's archive/tar reads these bytes' first block as a member header (its checksum holds). */
export function isTarHeader(bytes: Buffer): boolean {
  if (bytes.length < BLOCK) return false;
  const block = bytes.subarray(0, BLOCK);
  return !isZero(block) && checksumOk(block);
}

function isZero(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** Go accepts the checksum as an unsigned or a signed byte sum, the field counted as spaces. */
function checksumOk(block: Buffer): boolean {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  const stored = cString(trim(block.subarray(148, 156))).toString();
  if (!/^[0-7]+$/.test(stored)) return false;
  const value = parseInt(stored, 8);
  return value === unsigned || value === signed;
}

function trim(field: Buffer): Buffer {
  let start = 0;
  let end = field.length;
  while (start < end && (field[start] === 0 || field[start] === 0x20)) start++;
  while (end > start && (field[end - 1] === 0 || field[end - 1] === 0x20)) end--;
  return field.subarray(start, end);
}

function cString(buf: Buffer): string {
  return cBytes(buf).toString('utf8');
}

/** Go's parser.parseString: the bytes up to the first NUL. */
function cBytes(buf: Buffer): Buffer {
  const end = buf.indexOf(0);
  return end === -1 ? buf : buf.subarray(0, end);
}

/**
 * The prefix Go's readHeader joins to the name: 155 bytes for ustar and pax, 131 for
 * star (ustar magic with a "tar\0" trailer), none for GNU unless its atime/ctime do not
 * parse and the field is ASCII (Go's reading of pre-1.8 Go archives), none for v7.
 */
function goPrefix(block: Buffer): Buffer {
  const magic = block.toString('latin1', 257, 263);
  if (magic === 'ustar\0') {
    const star = block.toString('latin1', 508, 512) === 'tar\0';
    return cBytes(block.subarray(345, star ? 476 : 500));
  }
  if (magic !== 'ustar ' || block.toString('latin1', 263, 265) !== ' \0') return EMPTY;
  if (gnuTimeParses(block.subarray(345, 357)) && gnuTimeParses(block.subarray(357, 369))) return EMPTY;
  const prefix = cBytes(block.subarray(345, 500));
  return prefix.every((b) => b < 0x80) ? prefix : EMPTY;
}

/** A GNU atime/ctime field Go reads without error: unset, base-256, or octal. */
function gnuTimeParses(field: Buffer): boolean {
  if (field[0] === 0 || (field[0]! & 0x80) !== 0) return true;
  return /^[0-7]*$/.test(cString(trim(field)));
}

/**
 * A name's bytes as a string that keeps them apart: UTF-8 decoded when it is UTF-8,
 * else each byte that is not part of a valid sequence becomes U+DC80+byte (Python's
 * surrogateescape), which no decoding of valid UTF-8 produces. A runtime writes the
 * bytes as they are; replacing them with U+FFFD would make two files one.
 */
export function tarName(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  // One UTF-16 unit per byte at most (a 4-byte sequence makes two), decoded in one pass.
  const units = new Uint16Array(bytes.length);
  let count = 0;
  for (let at = 0; at < bytes.length;) {
    const length = validSequence(bytes, at);
    if (length === 0) {
      units[count++] = 0xdc00 + bytes[at]!;
      at++;
      continue;
    }
    const point = codePoint(bytes, at, length);
    if (point >= 0x10000) {
      units[count++] = 0xd800 + ((point - 0x10000) >> 10);
      units[count++] = 0xdc00 + ((point - 0x10000) & 0x3ff);
    } else {
      units[count++] = point;
    }
    at += length;
  }
  let out = '';
  // fromCharCode keeps lone surrogates (a TextDecoder would replace them); in chunks, for the argument limit.
  for (let from = 0; from < count; from += 8192) out += String.fromCharCode(...units.subarray(from, Math.min(count, from + 8192)));
  return out;
}

/** Length of the valid UTF-8 sequence at `at` (RFC 3629: no overlongs, surrogates or values past U+10FFFF), else 0. */
function validSequence(bytes: Buffer, at: number): number {
  const first = bytes[at]!;
  if (first < 0x80) return 1;
  const length = first >= 0xc2 && first <= 0xdf ? 2 : first >= 0xe0 && first <= 0xef ? 3 : first >= 0xf0 && first <= 0xf4 ? 4 : 0;
  if (length === 0 || at + length > bytes.length) return 0;
  // The second byte's range is narrower after E0 (no overlongs), ED (no surrogates), F0 and F4 (U+10000 to U+10FFFF).
  const second = bytes[at + 1]!;
  const low = first === 0xe0 ? 0xa0 : first === 0xf0 ? 0x90 : 0x80;
  const high = first === 0xed ? 0x9f : first === 0xf4 ? 0x8f : 0xbf;
  if (second < low || second > high) return 0;
  for (let i = 2; i < length; i++) {
    const next = bytes[at + i]!;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

function codePoint(bytes: Buffer, at: number, length: number): number {
  const first = bytes[at]!;
  if (length === 1) return first;
  let point = first & (length === 2 ? 0x1f : length === 3 ? 0x0f : 0x07);
  for (let i = 1; i < length; i++) point = (point << 6) | (bytes[at + i]! & 0x3f);
  return point;
}

function roundUp(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}
