// rpm's own "ndb" package database, `Packages.db` (SUSE: SLES 15, openSUSE Leap
// 15 before 2022; rpm's lib/backend/ndb/rpmpkg.c). All integers little-endian.
//   - a 32-byte header ('RpmP', version 0, generation, number of slot pages, next index);
//   - slot pages (4096 bytes each) of 16-byte slots: 'Slot', package index, block
//     offset, block count (offset 0: a free slot);
//   - blobs in 16-byte blocks: 'BlbS', package index, timestamp, length, the header
//     blob, padding, then adler32, length again and 'BlbE'.
// Every slot is checked against the file and against the others (no two blobs may
// overlap, so the blobs never add up to more bytes than the file holds).
import type { RpmDbEntry } from './rpmdb-bdb.ts';

export class NdbFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NdbFormatError';
  }
}

const HEADER_MAGIC = 0x506d7052; // 'RpmP'
const SLOT_MAGIC = 0x746f6c53; // 'Slot'
const BLOB_HEAD_MAGIC = 0x53626c42; // 'BlbS'
const BLOB_TAIL_MAGIC = 0x45626c42; // 'BlbE'
const PAGE_SIZE = 4096;
const SLOT_SIZE = 16;
const BLOCK_SIZE = 16;
const HEADER_SIZE = 32;
const BLOB_HEAD = 16;
const BLOB_TAIL = 12;

interface Slot {
  pkgidx: number;
  blkoff: number;
  blkcnt: number;
}

export interface NdbContents {
  entries: RpmDbEntry[];
  /** Slots whose blob is damaged: the package is skipped, the rest is read. */
  broken: Array<{ key: number; reason: string }>;
}

export function readNdb(data: Buffer): NdbContents {
  if (data.length < PAGE_SIZE) throw new NdbFormatError('too short for an ndb slot page');
  if (data.readUInt32LE(0) !== HEADER_MAGIC) throw new NdbFormatError('not an rpm ndb database (bad magic)');
  const version = data.readUInt32LE(4);
  if (version !== 0) throw new NdbFormatError(`unsupported ndb version ${version}`);
  if (data.length % BLOCK_SIZE !== 0) throw new NdbFormatError(`file size ${data.length} is not a whole number of blocks`);
  const slotPages = data.readUInt32LE(12);
  if (slotPages === 0 || slotPages > data.length / PAGE_SIZE) throw new NdbFormatError(`${slotPages} slot pages in a ${data.length}-byte file`);
  const slots = readSlots(data, slotPages);
  const contents: NdbContents = { entries: [], broken: [] };
  for (const slot of slots) {
    const blob = readBlob(data, slot);
    if (typeof blob === 'string') contents.broken.push({ key: slot.pkgidx, reason: blob });
    else contents.entries.push({ key: slot.pkgidx, blob });
  }
  return contents;
}

/** Used slots, in block order, checked to lie in the file, after the slot pages, without overlapping. */
function readSlots(data: Buffer, slotPages: number): Slot[] {
  const fileBlocks = data.length / BLOCK_SIZE;
  const firstBlock = (slotPages * PAGE_SIZE) / BLOCK_SIZE;
  const slots: Slot[] = [];
  for (let at = HEADER_SIZE; at < slotPages * PAGE_SIZE; at += SLOT_SIZE) {
    if (data.readUInt32LE(at) !== SLOT_MAGIC) throw new NdbFormatError(`slot ${at / SLOT_SIZE} has a bad magic`);
    const blkoff = data.readUInt32LE(at + 8);
    if (blkoff === 0) continue;
    const slot = { pkgidx: data.readUInt32LE(at + 4), blkoff, blkcnt: data.readUInt32LE(at + 12) };
    if (slot.pkgidx === 0 || slot.blkcnt === 0 || slot.blkoff < firstBlock || slot.blkoff + slot.blkcnt > fileBlocks) {
      throw new NdbFormatError(`slot ${at / SLOT_SIZE} (package ${slot.pkgidx}) points outside the blob area`);
    }
    slots.push(slot);
  }
  slots.sort((a, b) => a.blkoff - b.blkoff);
  for (let i = 1; i < slots.length; i++) {
    const before = slots[i - 1]!;
    if (before.blkoff + before.blkcnt > slots[i]!.blkoff) {
      throw new NdbFormatError(`the blobs of packages ${before.pkgidx} and ${slots[i]!.pkgidx} overlap`);
    }
  }
  return slots;
}

/** The header blob a slot points at, or why it cannot be read. rpm does not check the adler32 when reading either. */
function readBlob(data: Buffer, slot: Slot): Buffer | string {
  const start = slot.blkoff * BLOCK_SIZE;
  if (slot.blkcnt * BLOCK_SIZE < BLOB_HEAD + BLOB_TAIL) return 'blob smaller than its head and tail';
  if (data.readUInt32LE(start) !== BLOB_HEAD_MAGIC) return 'bad blob magic';
  if (data.readUInt32LE(start + 4) !== slot.pkgidx) return 'blob of another package';
  const length = data.readUInt32LE(start + 12);
  if (Math.ceil((BLOB_HEAD + length + BLOB_TAIL) / BLOCK_SIZE) !== slot.blkcnt) return 'blob length does not match its slot';
  const tail = start + slot.blkcnt * BLOCK_SIZE - BLOB_TAIL;
  if (data.readUInt32LE(tail + 4) !== length || data.readUInt32LE(tail + 8) !== BLOB_TAIL_MAGIC) return 'bad blob tail';
  return data.subarray(start + BLOB_HEAD, start + BLOB_HEAD + length);
}
