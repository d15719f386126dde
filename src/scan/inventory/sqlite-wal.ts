// What a SQLite write-ahead log adds to its database, counted the way SQLite decides it
// on open (https://www.sqlite.org/fileformat2.html §4.1-4.3): a valid header, then
// frames whose salts match the header and whose running checksum holds, up to the
// first that fails; only frames up to the last commit frame are part of the database.
// rpm leaves a 0-byte WAL when it exits; committed frames mean a transaction that rpm
// (and every reader of the image's database) sees but rpmdb.sqlite alone does not.

const HEADER = 32;
const FRAME_HEADER = 24;
const MAGIC_LITTLE = 0x377f0682;
const MAGIC_BIG = 0x377f0683;

export interface WalContents {
  /** Committed transactions. */
  transactions: number;
  /** Pages those transactions wrote. */
  frames: number;
}

const NOTHING: WalContents = { transactions: 0, frames: 0 };

export function committedWal(data: Buffer): WalContents {
  if (data.length < HEADER) return NOTHING;
  const magic = data.readUInt32BE(0);
  if (magic !== MAGIC_LITTLE && magic !== MAGIC_BIG) return NOTHING;
  const little = magic === MAGIC_LITTLE;
  const pageSize = data.readUInt32BE(8);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return NOTHING;
  let sum = checksum(data, 0, 24, [0, 0], little);
  if (sum[0] !== data.readUInt32BE(24) || sum[1] !== data.readUInt32BE(28)) return NOTHING;
  const salts = data.subarray(16, 24);
  const found = { transactions: 0, frames: 0 };
  let frames = 0;
  for (let at = HEADER; at + FRAME_HEADER + pageSize <= data.length; at += FRAME_HEADER + pageSize) {
    if (data.readUInt32BE(at) === 0 || !data.subarray(at + 8, at + 16).equals(salts)) break;
    sum = checksum(data, at, at + 8, sum, little);
    sum = checksum(data, at + FRAME_HEADER, at + FRAME_HEADER + pageSize, sum, little);
    if (sum[0] !== data.readUInt32BE(at + 16) || sum[1] !== data.readUInt32BE(at + 20)) break;
    frames++;
    if (data.readUInt32BE(at + 4) !== 0) {
      found.transactions++;
      found.frames = frames;
    }
  }
  return found;
}

/** §4.2: two running 32-bit sums over pairs of words, in the byte order the magic names. */
function checksum(data: Buffer, start: number, end: number, [first, second]: [number, number], little: boolean): [number, number] {
  let s0 = first;
  let s1 = second;
  for (let i = start; i < end; i += 8) {
    const x0 = little ? data.readUInt32LE(i) : data.readUInt32BE(i);
    const x1 = little ? data.readUInt32LE(i + 4) : data.readUInt32BE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}
