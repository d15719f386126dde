// The rpm header blob as rpm stores it in its database (the "header blob" without
// the 8-byte magic that .rpm files carry): a count of index entries, the size of
// the data store, the index entries, then the data store.
// https://rpm-software-management.github.io/rpm/manual/format_v4.html (Header)
// Only the tags a scanner needs are read; everything is bounds-checked.

export class RpmHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RpmHeaderError';
  }
}

export const RpmTag = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  license: 1014,
  arch: 1022,
  sourceRpm: 1044,
  dirIndexes: 1116,
  baseNames: 1117,
  dirNames: 1118,
  fileStates: 1029,
  fileDigests: 1035,
  fileDigestAlgo: 5011,
  modularityLabel: 5096,
} as const;

const TYPE_CHAR = 1;
const TYPE_INT8 = 2;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;
/** rpm's own limits (lib/header.c: HEADER_TAGS_MAX, HEADER_DATA_MAX). */
const MAX_TAGS = 0xffff;
const MAX_DATA = 256 * 1024 * 1024;
const HEADER_MAGIC = Buffer.from([0x8e, 0xad, 0xe8, 0x01]);

export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  sourceRpm?: string;
  license?: string;
  /** `name:stream:version:context` of the module stream the package was built in (RHEL 8+ family). */
  modularityLabel?: string;
  /**
   * Absolute paths of the files the package owns (BASENAMES joined to DIRNAMES by
   * DIRINDEXES), without those FILESTATES says it does not hold: replaced by another
   * package (`rpm -i --replacefiles`), not installed, on a network share, or of another
   * multilib color. rpm itself checks only the rest (`rpm -V`).
   */
  files?: string[];
  /** Path → `<algorithm>:<hex>` of the content rpm installed (FILEDIGESTS; directories and links have none). */
  fileDigests?: Map<string, string>;
}

/** FILEDIGESTALGO's values (rpm's PGPHASHALGO); absent means MD5. */
const DIGEST_ALGORITHMS = new Map<number, string>([[1, 'md5'], [2, 'sha1'], [8, 'sha256'], [9, 'sha384'], [10, 'sha512'], [11, 'sha224']]);
/** RPMFILE_STATE_NORMAL: the file is the package's, as installed. */
const FILE_STATE_NORMAL = 0;

interface IndexEntry {
  type: number;
  offset: number;
  count: number;
}

export function parseRpmHeader(blob: Buffer, options: { files?: boolean } = {}): RpmHeader {
  const start = blob.subarray(0, 4).equals(HEADER_MAGIC) ? 8 : 0;
  if (blob.length < start + 8) throw new RpmHeaderError('header blob too short');
  const tags = blob.readUInt32BE(start);
  const dataLength = blob.readUInt32BE(start + 4);
  if (tags === 0 || tags > MAX_TAGS || dataLength > MAX_DATA) throw new RpmHeaderError('header sizes out of range');
  const dataStart = start + 8 + tags * 16;
  const dataEnd = dataStart + dataLength;
  if (dataEnd > blob.length) throw new RpmHeaderError('header blob truncated');
  const index = readIndex(blob, start + 8, tags);
  const read = new TagReader(blob, dataStart, dataEnd, index);
  const name = read.string(RpmTag.name);
  const version = read.string(RpmTag.version);
  const release = read.string(RpmTag.release);
  if (!name || !version || release === undefined) throw new RpmHeaderError('header has no NAME, VERSION or RELEASE');
  const header: RpmHeader = { name, version, release };
  const epoch = read.int32(RpmTag.epoch);
  if (epoch !== undefined) header.epoch = epoch;
  const arch = read.string(RpmTag.arch);
  if (arch) header.arch = arch;
  const sourceRpm = read.string(RpmTag.sourceRpm);
  if (sourceRpm) header.sourceRpm = sourceRpm;
  const license = read.string(RpmTag.license);
  if (license) header.license = license;
  const modularityLabel = read.string(RpmTag.modularityLabel);
  if (modularityLabel) header.modularityLabel = modularityLabel;
  if (options.files) {
    // A damaged file list costs only the ownership marks (its language packages are then
    // matched upstream, the safe side), never the package itself.
    let files: string[] = [];
    try {
      files = fileList(read);
    } catch {
      files = [];
    }
    const held = heldFiles(read, files);
    if (held.length > 0) header.files = held.map((i) => files[i]!);
    // Damaged digests cost only the content check: the files stay the package's, as before.
    try {
      const digests = fileDigests(read, files, held);
      if (digests.size > 0) header.fileDigests = digests;
    } catch {
      // no digests
    }
  }
  return header;
}

/** rpm >= 4.1 stores each path as a directory (DIRNAMES, ending in `/`) and a base name. */
function fileList(read: TagReader): string[] {
  const baseNames = read.strings(RpmTag.baseNames);
  if (baseNames.length === 0) return [];
  const dirNames = read.strings(RpmTag.dirNames);
  const dirIndexes = read.int32s(RpmTag.dirIndexes);
  if (dirIndexes.length !== baseNames.length) throw new RpmHeaderError('BASENAMES and DIRINDEXES differ in length');
  return baseNames.map((base, i) => {
    const dir = dirNames[dirIndexes[i]!];
    if (dir === undefined) throw new RpmHeaderError('DIRINDEXES points past DIRNAMES');
    return dir + base;
  });
}

/**
 * The indexes of the files the package holds: FILESTATES normal. Without FILESTATES (or
 * with one that does not match the list, or is damaged) every listed file counts, as before.
 */
function heldFiles(read: TagReader, files: readonly string[]): number[] {
  const all = files.map((_f, i) => i);
  let states: number[];
  try {
    states = read.int8s(RpmTag.fileStates);
  } catch {
    return all;
  }
  if (states.length !== files.length) return all;
  return all.filter((i) => states[i] === FILE_STATE_NORMAL);
}

/** The held files' FILEDIGESTS entries, when the list matches the files and the algorithm is known. */
function fileDigests(read: TagReader, files: readonly string[], held: readonly number[]): Map<string, string> {
  const digests = new Map<string, string>();
  const algorithm = DIGEST_ALGORITHMS.get(read.int32(RpmTag.fileDigestAlgo) ?? 1);
  const hex = read.strings(RpmTag.fileDigests);
  if (algorithm === undefined || hex.length !== files.length) return digests;
  for (const i of held) {
    if (/^[0-9a-f]{32,128}$/.test(hex[i]!)) digests.set(files[i]!, `${algorithm}:${hex[i]}`);
  }
  return digests;
}

/** Only the tags we read are kept; the first entry of a tag wins. */
function readIndex(blob: Buffer, at: number, tags: number): Map<number, IndexEntry> {
  const wanted = new Set<number>(Object.values(RpmTag));
  const index = new Map<number, IndexEntry>();
  for (let i = 0; i < tags; i++) {
    const entry = at + i * 16;
    const tag = blob.readInt32BE(entry);
    if (!wanted.has(tag) || index.has(tag)) continue;
    index.set(tag, { type: blob.readUInt32BE(entry + 4), offset: blob.readInt32BE(entry + 8), count: blob.readUInt32BE(entry + 12) });
  }
  return index;
}

class TagReader {
  private readonly blob: Buffer;
  private readonly dataStart: number;
  private readonly dataEnd: number;
  private readonly index: Map<number, IndexEntry>;

  constructor(blob: Buffer, dataStart: number, dataEnd: number, index: Map<number, IndexEntry>) {
    this.blob = blob;
    this.dataStart = dataStart;
    this.dataEnd = dataEnd;
    this.index = index;
  }

  /** STRING, I18NSTRING (first translation) or the first element of a STRING_ARRAY. */
  string(tag: number): string | undefined {
    const entry = this.index.get(tag);
    if (!entry) return undefined;
    if (entry.type !== TYPE_STRING && entry.type !== TYPE_I18NSTRING && entry.type !== TYPE_STRING_ARRAY) {
      throw new RpmHeaderError(`tag ${tag} has type ${entry.type}, expected a string`);
    }
    const at = this.position(entry.offset, 1);
    const nul = this.blob.indexOf(0, at);
    if (nul < 0 || nul >= this.dataEnd) throw new RpmHeaderError(`tag ${tag} string is not terminated`);
    return this.blob.toString('utf8', at, nul);
  }

  /** Every element of a STRING_ARRAY; empty when the tag is absent. */
  strings(tag: number): string[] {
    const entry = this.index.get(tag);
    if (!entry) return [];
    if (entry.type !== TYPE_STRING_ARRAY) throw new RpmHeaderError(`tag ${tag} has type ${entry.type}, expected a string array`);
    // Each element takes at least its NUL, so a count above the data size is a lie.
    if (entry.count > this.dataEnd - this.dataStart) throw new RpmHeaderError(`tag ${tag} count out of range`);
    const out: string[] = [];
    let at = this.position(entry.offset, 1);
    for (let i = 0; i < entry.count; i++) {
      const nul = this.blob.indexOf(0, at);
      if (nul < 0 || nul >= this.dataEnd) throw new RpmHeaderError(`tag ${tag} string is not terminated`);
      out.push(this.blob.toString('utf8', at, nul));
      at = nul + 1;
    }
    return out;
  }

  /** A CHAR or INT8 array, as signed bytes (FILESTATES); empty when the tag is absent. */
  int8s(tag: number): number[] {
    const entry = this.index.get(tag);
    if (!entry) return [];
    if (entry.type !== TYPE_CHAR && entry.type !== TYPE_INT8) throw new RpmHeaderError(`tag ${tag} is not a CHAR or INT8 array`);
    if (entry.count > this.dataEnd - this.dataStart) throw new RpmHeaderError(`tag ${tag} count out of range`);
    const at = this.position(entry.offset, entry.count);
    const out: number[] = [];
    for (let i = 0; i < entry.count; i++) out.push(this.blob.readInt8(at + i));
    return out;
  }

  int32s(tag: number): number[] {
    const entry = this.index.get(tag);
    if (!entry) return [];
    if (entry.type !== TYPE_INT32) throw new RpmHeaderError(`tag ${tag} is not an INT32 array`);
    if (entry.count > (this.dataEnd - this.dataStart) / 4) throw new RpmHeaderError(`tag ${tag} count out of range`);
    const at = this.position(entry.offset, 4 * entry.count);
    const out: number[] = [];
    for (let i = 0; i < entry.count; i++) out.push(this.blob.readInt32BE(at + 4 * i));
    return out;
  }

  int32(tag: number): number | undefined {
    const entry = this.index.get(tag);
    if (!entry) return undefined;
    if (entry.type !== TYPE_INT32 || entry.count < 1) throw new RpmHeaderError(`tag ${tag} is not an INT32`);
    return this.blob.readInt32BE(this.position(entry.offset, 4));
  }

  private position(offset: number, size: number): number {
    const at = this.dataStart + offset;
    if (offset < 0 || at + size > this.dataEnd) throw new RpmHeaderError('tag data out of range');
    return at;
  }
}
