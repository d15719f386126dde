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
//    layers.ts checks each entry tar-stream emits against that record.
// https://pkg.go.dev/archive/tar (Reader.Next), https://www.gnu.org/software/tar/manual/html_node/Standard.html
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
}

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
  private pax: Record<string, string> | undefined;
  private longName: string | undefined;
  private pendingLongLink = false;
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
      if (type === 'g' && (this.pax !== undefined || this.longName !== undefined || this.pendingLongLink)) {
        throw this.invalid(`a global pax header at byte ${offset} sits between a member's extended header and the member (its framing is ambiguous)`);
      }
      this.meta = { type, size, parts: [], missing: size };
      if (size === 0) this.endMeta();
      return;
    }
    // Old GNU sparse headers may continue in extension blocks Go reads and tar-stream does not.
    if (type === 'S' && block[482] !== 0) throw this.invalid(`the member at byte ${offset} is an old GNU sparse file with extension headers, which the scanner does not read`);
    const effective = this.pax?.size !== undefined ? this.decimal(this.pax.size, offset) : size;
    const data = HEADER_ONLY.has(type) || (type === '\0' && this.name(block).endsWith('/')) ? 0 : effective;
    this.frames.push({ header: offset, data });
    this.pax = undefined;
    this.longName = undefined;
    this.pendingLongLink = false;
    this.skip = roundUp(data);
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
    else if (meta.type === 'L') this.longName = cString(data);
    else if (meta.type === 'K') this.pendingLongLink = true;
    else {
      const global = this.parsePax(data);
      const key = GLOBAL_FORBIDDEN.find((k) => global[k] !== undefined);
      if (key) throw this.invalid(`a global pax header sets "${key}", which tar-stream applies to later members and Go's archive/tar does not`);
    }
  }

  /** The member's name as Go sees it, only to tell a legacy directory (type NUL, trailing slash). */
  private name(block: Buffer): string {
    const path = this.pax?.path ?? this.longName;
    if (path !== undefined) return path;
    const name = cString(block.subarray(0, 100));
    const ustar = block.subarray(257, 265).toString('latin1') === 'ustar\u000000';
    const prefix = ustar ? cString(block.subarray(345, 500)) : '';
    return prefix ? `${prefix}/${name}` : name;
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

  /** pax records are "<length> <key>=<value>\n", the length counting the whole record; Go refuses anything else. */
  private parsePax(data: Buffer): Record<string, string> {
    const out: Record<string, string> = {};
    let pos = 0;
    while (pos < data.length) {
      const space = data.indexOf(0x20, pos);
      const digits = space > pos ? data.subarray(pos, space).toString('latin1') : '';
      const length = /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
      const end = pos + length;
      const record = Number.isSafeInteger(length) && end <= data.length && data[end - 1] === 0x0a ? data.subarray(space + 1, end - 1).toString('utf8') : undefined;
      const eq = record?.indexOf('=') ?? -1;
      if (record === undefined || eq <= 0) throw this.invalid('a pax extended header is malformed');
      out[record.slice(0, eq)] = record.slice(eq + 1);
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

  invalid(what: string): ImmutagError {
    return new ImmutagError('IMAGE_INVALID', `Layer ${this.digest} is not a readable tar archive: ${what}`, {
      hint: 'What the runtime unpacks and what the scan would read differ, so the image is not scanned as a pass. Rebuild the layer with a standard tool (docker build, buildah, GNU tar).',
    });
  }
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
  const end = buf.indexOf(0);
  return buf.subarray(0, end === -1 ? buf.length : end).toString('utf8');
}

function roundUp(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}
