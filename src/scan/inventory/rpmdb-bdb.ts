// rpm's BerkeleyDB package database, `Packages` (rpm < 4.16: RHEL/CentOS 7 and 8,
// UBI 8, Amazon Linux 2), read without Berkeley DB. The file is a hash database
// (btree is read too: rpm's own read-only reader accepts both) of key = the
// package's 4-byte instance number, value = its header blob. Layout: Berkeley DB's
// db_page.h (metadata page, hash and btree pages, H_KEYDATA / H_OFFPAGE and
// B_KEYDATA / B_OVERFLOW items, overflow page chains), as rpm's lib/backend/bdb_ro.c
// reads it. The file is in the byte order of the machine that wrote it; the magic says which.
// Every page number and length is checked and every page is used at most once, so
// a hostile file ends in a BerkeleyDbFormatError, never a hang, and the values
// returned never add up to more bytes than the file holds.

export class BerkeleyDbFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BerkeleyDbFormatError';
  }
}

/** One stored package: its instance number (rpm's key) and header blob. */
export interface RpmDbEntry {
  key: number;
  blob: Buffer;
}

const HASH_MAGIC = 0x061561;
const BTREE_MAGIC = 0x053162;
const META_SIZE = 512;
const PAGE_HEADER = 26;
const P_INVALID = 0;
const P_HASH_UNSORTED = 2;
const P_IBTREE = 3;
const P_LBTREE = 5;
const P_OVERFLOW = 7;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const B_KEYDATA = 1;
const B_OVERFLOW = 3;
const B_DELETE = 0x80;
const HOFFPAGE_SIZE = 12;
const SPARES = 32;

export function readBerkeleyDb(data: Buffer): RpmDbEntry[] {
  return new BerkeleyDb(data).entries();
}

class BerkeleyDb {
  private readonly data: Buffer;
  private readonly le: boolean;
  private readonly hash: boolean;
  private readonly pageSize: number;
  private readonly lastPage: number;
  /** Pages already read: a second visit is a cycle or two owners of one page. */
  private readonly used = new Set<number>();

  constructor(data: Buffer) {
    if (data.length < META_SIZE) throw new BerkeleyDbFormatError('too short for a BerkeleyDB metadata page');
    const magicLe = data.readUInt32LE(12);
    const magicBe = data.readUInt32BE(12);
    this.le = magicLe === HASH_MAGIC || magicLe === BTREE_MAGIC;
    if (!this.le && magicBe !== HASH_MAGIC && magicBe !== BTREE_MAGIC) {
      throw new BerkeleyDbFormatError('not a BerkeleyDB hash or btree database (bad magic)');
    }
    this.data = data;
    this.hash = (this.le ? magicLe : magicBe) === HASH_MAGIC;
    const version = this.u32(16);
    if (this.hash ? version < 8 || version > 10 : version < 9 || version > 10) {
      throw new BerkeleyDbFormatError(`unsupported ${this.hash ? 'hash' : 'btree'} version ${version}`);
    }
    this.pageSize = this.u32(20);
    if (this.pageSize < META_SIZE || this.pageSize > 65536 || (this.pageSize & (this.pageSize - 1)) !== 0) {
      throw new BerkeleyDbFormatError(`invalid page size ${this.pageSize}`);
    }
    if (data[24] !== 0) throw new BerkeleyDbFormatError('the database is encrypted');
    this.lastPage = this.u32(32);
  }

  entries(): RpmDbEntry[] {
    const out: RpmDbEntry[] = [];
    const pages = this.hash ? this.hashPages() : this.btreeLeaves();
    for (const page of pages) this.pairs(page, out);
    return out;
  }

  /** Every bucket's page chain, buckets in order (rpm's bdb_ro walks them the same way). */
  private *hashPages(): Generator<number> {
    const maxBucket = this.u32(72);
    // Every bucket has a page of its own, so there are never more buckets than pages.
    const pages = Math.min(this.lastPage, this.data.length / this.pageSize - 1);
    if (maxBucket > pages) throw new BerkeleyDbFormatError(`${maxBucket + 1} buckets in ${pages} pages`);
    const spares: number[] = [];
    for (let i = 0; i < SPARES; i++) spares.push(this.u32(96 + 4 * i));
    for (let bucket = 0; bucket <= maxBucket; bucket++) {
      // A bucket's page: its number plus the spare count of its doubling (bits of the bucket number).
      let page = bucket + spares[bucketBits(bucket)]!;
      while (page !== 0) {
        const base = this.page(page);
        const type = this.data[base + 25];
        if (type === P_INVALID && this.u16(base + 20) === 0) break;
        if (type !== P_HASH && type !== P_HASH_UNSORTED) throw new BerkeleyDbFormatError(`page ${page} of bucket ${bucket} is not a hash page (type ${type})`);
        yield page;
        page = this.u32(base + 16);
      }
    }
  }

  /** Leaf pages, left to right, found by walking the tree from its root. */
  private *btreeLeaves(): Generator<number> {
    const pending = [this.u32(88)];
    while (pending.length > 0) {
      const page = pending.pop()!;
      const base = this.page(page);
      const type = this.data[base + 25];
      if (type === P_LBTREE) {
        yield page;
      } else if (type === P_IBTREE) {
        // BINTERNAL: length(2) type(1) unused(1) child page(4) records(4) key…
        const children = this.index(base).map((at) => this.u32(this.item(base, at, 12) + 4));
        pending.push(...children.reverse());
      } else {
        throw new BerkeleyDbFormatError(`page ${page} is not a btree page (type ${type})`);
      }
    }
  }

  /** Key/value pairs of a hash or btree leaf page: index entries alternate key, value. */
  private pairs(page: number, out: RpmDbEntry[]): void {
    const base = this.pageBase(page);
    const index = this.index(base);
    const leaf = this.data[base + 25] === P_LBTREE;
    for (let i = 0; i + 1 < index.length; i += 2) {
      if (leaf) {
        if ((this.data[this.item(base, index[i]!, 3) + 2]! & B_DELETE) !== 0) continue;
        out.push({ key: this.keyOf(this.btreeItem(base, index[i]!)), blob: this.btreeItem(base, index[i + 1]!) });
      } else {
        out.push({ key: this.keyOf(this.hashItem(base, index, i)), blob: this.hashItem(base, index, i + 1) });
      }
    }
  }

  /** A hash item runs from its offset to the previous item's (the page end for the first). */
  private hashItem(base: number, index: number[], i: number): Buffer {
    const at = index[i]!;
    const end = i === 0 ? this.pageSize : index[i - 1]!;
    if (end <= at) throw new BerkeleyDbFormatError('hash item with no length');
    const item = this.item(base, at, end - at);
    const type = this.data[item];
    if (type === H_KEYDATA) return this.data.subarray(item + 1, item + end - at);
    if (type === H_OFFPAGE && end - at === HOFFPAGE_SIZE) return this.overflow(this.u32(item + 4), this.u32(item + 8));
    throw new BerkeleyDbFormatError(`hash item of type ${type} (rpm stores only plain and overflow items)`);
  }

  private btreeItem(base: number, at: number): Buffer {
    const item = this.item(base, at, 3);
    const type = this.data[item + 2]! & ~B_DELETE;
    if (type === B_KEYDATA) {
      const length = this.u16(item);
      return this.data.subarray(this.item(base, at + 3, length), item + 3 + length);
    }
    if (type === B_OVERFLOW) {
      const full = this.item(base, at, 12);
      return this.overflow(this.u32(full + 4), this.u32(full + 8));
    }
    throw new BerkeleyDbFormatError(`btree item of type ${type} (rpm stores only plain and overflow items)`);
  }

  /** A value kept on a chain of overflow pages, each holding its share in its header's hf_offset. */
  private overflow(first: number, length: number): Buffer {
    if (length === 0 || length > this.data.length) throw new BerkeleyDbFormatError(`overflow item of ${length} bytes`);
    const out = Buffer.allocUnsafe(length);
    let written = 0;
    let page = first;
    while (written < length) {
      if (page === 0) throw new BerkeleyDbFormatError('overflow chain ends before its item does');
      const base = this.page(page);
      if (this.data[base + 25] !== P_OVERFLOW) throw new BerkeleyDbFormatError(`page ${page} is not an overflow page`);
      const share = this.u16(base + 22);
      if (share === 0 || share > this.pageSize - PAGE_HEADER || share > length - written) {
        throw new BerkeleyDbFormatError(`overflow page ${page} holds ${share} bytes`);
      }
      this.data.copy(out, written, base + PAGE_HEADER, base + PAGE_HEADER + share);
      written += share;
      page = this.u32(base + 16);
    }
    return out;
  }

  /** rpm keys packages by a 4-byte instance number; anything else is reported as -1. */
  private keyOf(key: Buffer): number {
    if (key.length !== 4) return -1;
    return this.le ? key.readUInt32LE(0) : key.readUInt32BE(0);
  }

  /** The item offsets of a page, each checked to lie past the index and inside the page. */
  private index(base: number): number[] {
    const entries = this.u16(base + 20);
    const end = PAGE_HEADER + 2 * entries;
    if (end > this.pageSize) throw new BerkeleyDbFormatError(`${entries} entries do not fit a page`);
    const offsets: number[] = [];
    for (let i = 0; i < entries; i++) {
      const at = this.u16(base + PAGE_HEADER + 2 * i);
      if (at < end || at >= this.pageSize) throw new BerkeleyDbFormatError(`item offset ${at} outside its page`);
      offsets.push(at);
    }
    return offsets;
  }

  private item(base: number, at: number, length: number): number {
    if (at < PAGE_HEADER || at + length > this.pageSize) throw new BerkeleyDbFormatError('item extends past the end of its page');
    return base + at;
  }

  /** A page's offset, once: pages are never shared between buckets, trees or chains. */
  private page(page: number): number {
    if (this.used.has(page)) throw new BerkeleyDbFormatError(`page ${page} is referenced twice (a cycle)`);
    this.used.add(page);
    return this.pageBase(page);
  }

  private pageBase(page: number): number {
    if (!Number.isInteger(page) || page < 1 || page > this.lastPage || (page + 1) * this.pageSize > this.data.length) {
      throw new BerkeleyDbFormatError(`page number ${page} out of range (1-${this.lastPage}, ${this.data.length} bytes)`);
    }
    const base = page * this.pageSize;
    if (this.u32(base + 8) !== page && this.data[base + 25] !== P_INVALID) {
      throw new BerkeleyDbFormatError(`page ${page} says it is page ${this.u32(base + 8)}`);
    }
    return base;
  }

  private u16(at: number): number {
    return this.le ? this.data.readUInt16LE(at) : this.data.readUInt16BE(at);
  }

  private u32(at: number): number {
    return this.le ? this.data.readUInt32LE(at) : this.data.readUInt32BE(at);
  }
}

/** Bits needed for the bucket number: the doubling it was created in (0 for bucket 0). */
function bucketBits(bucket: number): number {
  return bucket === 0 ? 0 : 32 - Math.clz32(bucket);
}
