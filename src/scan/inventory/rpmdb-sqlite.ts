// A read-only reader for the one thing rpm's SQLite backend needs from us: the rows
// of a table b-tree. Node cannot open a SQLite database from memory and nothing
// from an image may be written to disk, so this walks the file format directly:
// https://www.sqlite.org/fileformat2.html (§1.3 header, §1.6 b-tree pages,
// §1.6 overflow computation, §2.1 record format, §2.6 schema table).
// Every offset is bounds-checked and every page is visited at most once, so a
// hostile file yields a SqliteFormatError, never a hang or an out-of-range read.
import { TextDecoder } from 'node:util';

export class SqliteFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqliteFormatError';
  }
}

export type SqlValue = null | number | Buffer | string;

export interface Row {
  rowid: number;
  values: SqlValue[];
}

const MAGIC = 'SQLite format 3\0';
const PAGE_INTERIOR_TABLE = 0x05;
const PAGE_LEAF_TABLE = 0x0d;
const SCHEMA_ROOT = 1;
const TEXT_ENCODINGS: Record<number, string> = { 1: 'utf-8', 2: 'utf-16le', 3: 'utf-16be' };

export class SqliteFile {
  readonly pageSize: number;
  readonly usableSize: number;
  readonly pageCount: number;
  /** True when the file was last written in WAL mode (header bytes 18/19 = 2). */
  readonly wal: boolean;
  private readonly data: Buffer;
  private readonly text: TextDecoder;

  constructor(data: Buffer) {
    if (data.length < 100 || data.toString('latin1', 0, 16) !== MAGIC) {
      throw new SqliteFormatError('not a SQLite 3 database (bad header magic)');
    }
    const raw = data.readUInt16BE(16);
    this.pageSize = raw === 1 ? 65536 : raw;
    if (this.pageSize < 512 || (this.pageSize & (this.pageSize - 1)) !== 0) {
      throw new SqliteFormatError(`invalid page size ${raw}`);
    }
    this.usableSize = this.pageSize - data[20]!;
    if (this.usableSize < 480) throw new SqliteFormatError('invalid reserved space per page');
    this.pageCount = Math.floor(data.length / this.pageSize);
    this.wal = data[18] === 2 || data[19] === 2;
    const encoding = TEXT_ENCODINGS[data.readUInt32BE(56)] ?? 'utf-8';
    this.text = new TextDecoder(encoding);
    this.data = data;
  }

  /** The root page of a table, from the schema table on page 1. */
  tableRoot(name: string): number | undefined {
    for (const row of this.rows(SCHEMA_ROOT)) {
      const [type, tableName, , rootPage] = row.values;
      if (type === 'table' && tableName === name && typeof rootPage === 'number') return rootPage;
    }
    return undefined;
  }

  /** Every row of the table b-tree rooted at `root`, in rowid order. */
  *rows(root: number): Generator<Row> {
    const visited = new Set<number>();
    const pending = [root];
    while (pending.length > 0) {
      const page = pending.pop()!;
      if (visited.has(page)) throw new SqliteFormatError(`page ${page} is referenced twice (a cycle)`);
      visited.add(page);
      const base = this.pageOffset(page);
      const header = page === 1 ? base + 100 : base;
      const type = this.data[header];
      if (type === PAGE_INTERIOR_TABLE) {
        // Children pushed in reverse so the left-most is read first.
        pending.push(...this.interiorChildren(base, header).reverse());
      } else if (type === PAGE_LEAF_TABLE) {
        yield* this.leafRows(base, header);
      } else {
        throw new SqliteFormatError(`page ${page} is not a table b-tree page (type ${type})`);
      }
    }
  }

  private interiorChildren(base: number, header: number): number[] {
    const cells = this.cellOffsets(base, header, 12);
    const children = cells.map((cell) => this.u32(cell, base));
    children.push(this.u32(header + 8, base));
    return children;
  }

  private *leafRows(base: number, header: number): Generator<Row> {
    for (const cell of this.cellOffsets(base, header, 8)) {
      const [payloadSize, a] = this.varint(cell, base);
      const [rowid, b] = this.varint(cell + a, base);
      const payload = this.payload(cell + a + b, payloadSize, base);
      yield { rowid, values: this.record(payload) };
    }
  }

  private cellOffsets(base: number, header: number, headerSize: number): number[] {
    const count = this.u16(header + 3, base);
    const offsets: number[] = [];
    for (let i = 0; i < count; i++) {
      const cell = base + this.u16(header + headerSize + 2 * i, base);
      this.check(cell, 1, base);
      offsets.push(cell);
    }
    return offsets;
  }

  /** The cell's payload, gathered from its page and its overflow chain (§1.6). */
  private payload(start: number, size: number, base: number): Buffer {
    const local = this.localSize(size);
    this.check(start, local, base);
    if (local === size) return this.data.subarray(start, start + size);
    if (size > this.data.length) throw new SqliteFormatError('payload larger than the database');
    const out = Buffer.allocUnsafe(size);
    this.data.copy(out, 0, start, start + local);
    let written = local;
    let next = this.u32(start + local, base);
    const seen = new Set<number>();
    while (written < size) {
      if (next === 0 || seen.has(next)) throw new SqliteFormatError('broken overflow chain');
      seen.add(next);
      const page = this.pageOffset(next);
      const take = Math.min(size - written, this.usableSize - 4);
      this.data.copy(out, written, page + 4, page + 4 + take);
      written += take;
      next = this.data.readUInt32BE(page);
    }
    return out;
  }

  private localSize(size: number): number {
    const usable = this.usableSize;
    const maxLocal = usable - 35;
    if (size <= maxLocal) return size;
    const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
    const k = minLocal + ((size - minLocal) % (usable - 4));
    return k <= maxLocal ? k : minLocal;
  }

  /** Record format (§2.1): a header of serial types, then the values. */
  private record(payload: Buffer): SqlValue[] {
    const [headerSize, first] = readVarint(payload, 0);
    if (headerSize > payload.length || headerSize < first) throw new SqliteFormatError('record header out of range');
    const types: number[] = [];
    for (let at = first; at < headerSize;) {
      const [type, n] = readVarint(payload, at);
      types.push(type);
      at += n;
    }
    const values: SqlValue[] = [];
    let at = headerSize;
    for (const type of types) {
      const size = serialSize(type);
      if (at + size > payload.length) throw new SqliteFormatError('record value out of range');
      values.push(this.value(payload, at, type, size));
      at += size;
    }
    return values;
  }

  private value(payload: Buffer, at: number, type: number, size: number): SqlValue {
    if (type === 0) return null;
    if (type === 8) return 0;
    if (type === 9) return 1;
    if (type === 7) return payload.readDoubleBE(at);
    if (type === 6) return Number(payload.readBigInt64BE(at));
    if (type >= 1 && type <= 5) return payload.readIntBE(at, size);
    const bytes = payload.subarray(at, at + size);
    return type % 2 === 0 ? bytes : this.text.decode(bytes);
  }

  private pageOffset(page: number): number {
    if (!Number.isInteger(page) || page < 1 || page > this.pageCount) {
      throw new SqliteFormatError(`page number ${page} out of range (1-${this.pageCount})`);
    }
    return (page - 1) * this.pageSize;
  }

  private check(offset: number, length: number, base: number): void {
    if (offset < base || offset + length > base + this.pageSize) {
      throw new SqliteFormatError('cell extends past the end of its page');
    }
  }

  private u16(offset: number, base: number): number {
    this.check(offset, 2, base);
    return this.data.readUInt16BE(offset);
  }

  private u32(offset: number, base: number): number {
    this.check(offset, 4, base);
    return this.data.readUInt32BE(offset);
  }

  private varint(offset: number, base: number): [number, number] {
    const [value, length] = readVarint(this.data, offset);
    this.check(offset, length, base);
    return [value, length];
  }
}

/** SQLite varint: 1-9 bytes, big-endian, 7 bits per byte except all 8 in the ninth. */
export function readVarint(buf: Buffer, offset: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    const byte = buf[offset + i];
    if (byte === undefined) throw new SqliteFormatError('varint runs past the end of the data');
    if (i === 8) return [value * 256 + byte, 9];
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [value, i + 1];
  }
  return [value, 9];
}

/** Bytes a value of this serial type occupies (§2.1 table). */
function serialSize(type: number): number {
  if (type >= 12) return Math.floor((type - 12) / 2);
  const sizes = [0, 1, 2, 3, 4, 6, 8, 8, 0, 0];
  const size = sizes[type];
  if (size === undefined) throw new SqliteFormatError(`reserved serial type ${type}`);
  return size;
}
