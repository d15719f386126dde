// Reads a zip archive front to back, as its bytes stream past in a layer tar, from
// the local file headers alone (the central directory at the end is never needed).
// Only entries the caller asks for are kept, each under a cap; everything else is
// counted past. An entry whose sizes follow its data (flag bit 3, what Java's
// ZipOutputStream and a piped `zip` write) ends where a data descriptor's signature
// is followed by a compressed size equal to the bytes seen since the entry began.
// Format: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (4.3.7, 4.3.9, 4.5.3)
import { inflateRawSync } from 'node:zlib';
import type { Analysis, Analyzer, RawPackage, StreamReader } from './analyzer.ts';
import { displayPath } from './analyzer.ts';

const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const CENTRAL = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const LOCAL_HEADER_BYTES = 30;
const LOCAL_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/**
 * How far into a file the first entry may start. A "fully executable" Spring Boot jar
 * opens with its launch script (about 10 KiB), as a self-extracting zip opens with its
 * stub; zip readers find the entries from the central directory, so both are archives.
 */
const MAX_PREFIX = 1024 * 1024;
const FLAG_DESCRIPTOR = 0x8;
const SLACK = 64 * 1024;
const STORED = 0;
const DEFLATED = 8;

export interface ZipEntryHeader {
  name: string;
  method: number;
}

export interface ZipVisitor {
  /** Return a byte cap to receive the entry's (uncompressed) content, or undefined to skip it. */
  wants(entry: ZipEntryHeader): number | undefined;
  /** The content of a wanted entry. */
  entry(entry: ZipEntryHeader, data: Buffer): void;
  /** Something in the archive that could not be read; reading goes on where it can. */
  problem(message: string): void;
}

interface Current extends ZipEntryHeader {
  /** Compressed size when the header gives it; undefined when a data descriptor follows the data. */
  size: number | undefined;
  zip64: boolean;
  cap: number | undefined;
  parts: Buffer[];
  seen: number;
}

export class ZipStream {
  private pending: Buffer = Buffer.alloc(0);
  private current: Current | undefined;
  private finished = false;
  private started = false;
  /** Bytes passed over before the first entry (a launch script). */
  private prefix = 0;
  private readonly visitor: ZipVisitor;

  constructor(visitor: ZipVisitor) {
    this.visitor = visitor;
  }

  /** Feeds bytes; false once the archive's entries are over (the central directory began) or unreadable. */
  write(chunk: Buffer): boolean {
    if (this.finished) return false;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (!this.finished && this.step());
    return !this.finished;
  }

  end(): void {
    if (!this.finished && this.current) this.visitor.problem(`the archive ends inside ${JSON.stringify(this.current.name)}`);
    else if (!this.finished && !this.started) this.visitor.problem('not a zip archive');
    this.finished = true;
    this.pending = Buffer.alloc(0);
  }

  /** One unit of progress; false when more bytes are needed. */
  private step(): boolean {
    return this.current ? this.data(this.current) : this.header();
  }

  private header(): boolean {
    if (this.pending.length < 4) return false;
    const signature = this.pending.readUInt32LE(0);
    if (!this.started && signature !== LOCAL && signature !== END_OF_DIRECTORY) return this.skipPrefix();
    if (signature === DESCRIPTOR) return this.skipDescriptor();
    if (signature !== LOCAL) {
      // The central directory (or an empty archive's end record): every entry has passed.
      this.finished = true;
      return false;
    }
    if (this.pending.length < LOCAL_HEADER_BYTES) return false;
    const flags = this.pending.readUInt16LE(6);
    const method = this.pending.readUInt16LE(8);
    let size: number | undefined = this.pending.readUInt32LE(18);
    const nameLength = this.pending.readUInt16LE(26);
    const extraLength = this.pending.readUInt16LE(28);
    const total = LOCAL_HEADER_BYTES + nameLength + extraLength;
    if (this.pending.length < total) return false;
    const name = this.pending.toString('utf8', LOCAL_HEADER_BYTES, LOCAL_HEADER_BYTES + nameLength);
    const zip64Size = readZip64Size(this.pending.subarray(LOCAL_HEADER_BYTES + nameLength, total));
    if (size === 0xffffffff && zip64Size !== undefined) size = zip64Size;
    if (flags & FLAG_DESCRIPTOR && size === 0) size = undefined;
    this.pending = this.pending.subarray(total);
    this.started = true;
    const entry = { name, method };
    const cap = name.endsWith('/') ? undefined : this.visitor.wants(entry);
    this.current = { ...entry, size, zip64: zip64Size !== undefined, cap, parts: [], seen: 0 };
    return true;
  }

  /** Passes over what comes before the first entry, up to MAX_PREFIX bytes. */
  private skipPrefix(): boolean {
    const at = this.pending.indexOf(LOCAL_SIGNATURE);
    // Without a signature, keep the last bytes: one may begin across the next chunk.
    const skip = at === -1 ? Math.max(0, this.pending.length - (LOCAL_SIGNATURE.length - 1)) : at;
    if (this.prefix + skip > MAX_PREFIX) {
      this.visitor.problem('not a zip archive');
      this.finished = true;
      return false;
    }
    this.prefix += skip;
    this.pending = this.pending.subarray(skip);
    return at !== -1;
  }

  /** A descriptor after data whose size the header already gave: 16 bytes, or 24 with ZIP64 sizes. */
  private skipDescriptor(): boolean {
    if (this.pending.length < 28) return false;
    const next = this.pending.readUInt32LE(16);
    this.pending = this.pending.subarray(next === LOCAL || next === CENTRAL ? 16 : 24);
    return true;
  }

  private data(current: Current): boolean {
    return current.size === undefined ? this.untilDescriptor(current) : this.known(current, current.size);
  }

  private known(current: Current, size: number): boolean {
    const take = Math.min(size - current.seen, this.pending.length);
    this.keep(current, this.pending.subarray(0, take));
    this.pending = this.pending.subarray(take);
    if (current.seen < size) return false;
    this.complete(current);
    return true;
  }

  private untilDescriptor(current: Current): boolean {
    const descriptorBytes = current.zip64 ? 24 : 16;
    for (let at = this.pending.indexOf(DESCRIPTOR_BYTES); at >= 0; at = this.pending.indexOf(DESCRIPTOR_BYTES, at + 1)) {
      if (at + descriptorBytes > this.pending.length) {
        this.consume(current, at);
        return false;
      }
      const size = current.zip64 ? Number(this.pending.readBigUInt64LE(at + 8)) : this.pending.readUInt32LE(at + 8);
      if (size === current.seen + at) {
        this.consume(current, at);
        this.pending = this.pending.subarray(descriptorBytes);
        this.complete(current);
        return true;
      }
    }
    // No descriptor here; keep the last bytes in case its signature straddles the next chunk.
    this.consume(current, Math.max(0, this.pending.length - 3));
    return false;
  }

  private consume(current: Current, bytes: number): void {
    this.keep(current, this.pending.subarray(0, bytes));
    this.pending = this.pending.subarray(bytes);
  }

  private keep(current: Current, part: Buffer): void {
    current.seen += part.length;
    if (current.cap === undefined || part.length === 0) return;
    if (current.seen > current.cap + SLACK) {
      // Deflate never grows data by more than a few bytes per block: this cannot fit the cap.
      this.visitor.problem(`${JSON.stringify(current.name)} is over the ${current.cap}-byte limit for what is read from an archive; skipped`);
      current.cap = undefined;
      current.parts = [];
      return;
    }
    current.parts.push(Buffer.from(part));
  }

  private complete(current: Current): void {
    this.current = undefined;
    if (current.cap === undefined) return;
    const compressed = Buffer.concat(current.parts);
    try {
      if (current.method === STORED) {
        if (compressed.length > current.cap) throw new RangeError('over the limit');
        this.visitor.entry(current, compressed);
      } else if (current.method === DEFLATED) {
        this.visitor.entry(current, inflateRawSync(compressed, { maxOutputLength: Math.max(1, current.cap) }));
      } else {
        this.visitor.problem(`${JSON.stringify(current.name)} uses compression method ${current.method}, which is not read`);
      }
    } catch (err) {
      this.visitor.problem(`${JSON.stringify(current.name)} could not be read (${(err as Error).message})`);
    }
  }
}

const DESCRIPTOR_BYTES = Buffer.from([0x50, 0x4b, 0x07, 0x08]);

/** The compressed size from a ZIP64 extended information field (0x0001), when there is one. */
function readZip64Size(extra: Buffer): number | undefined {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    // Local headers carry both sizes: uncompressed first, then compressed.
    if (id === 0x0001 && length >= 16 && at + 4 + 16 <= extra.length) return Number(extra.readBigUInt64LE(at + 12));
    at += 4 + length;
  }
  return undefined;
}

/**
 * A reader of one zip archive as it streams past (a jar, a Yarn cache zip): the archive
 * plumbing, with each kind saying which entries it wants and what it makes of them.
 */
export abstract class ZipArchiveReader {
  protected readonly notes: string[] = [];
  protected readonly shown: string;
  private readonly zip: ZipStream;

  constructor(shown: string) {
    this.shown = shown;
    this.zip = new ZipStream({
      wants: (entry) => this.wants(entry),
      entry: (entry, data) => this.entry(entry, data),
      problem: (message) => this.notes.push(`${this.shown}: ${message}.`),
    });
  }

  write(chunk: Buffer): boolean {
    return this.zip.write(chunk);
  }

  end(): void {
    this.zip.end();
  }

  /** A byte cap to receive the entry's content, or undefined to skip it. */
  protected abstract wants(entry: ZipEntryHeader): number | undefined;
  protected abstract entry(entry: ZipEntryHeader, data: Buffer): void;
}

/** A kind of archive whose packages are named by members inside it (a Yarn cache zip, a zipped egg). */
export interface ZipMembersSpec {
  name: string;
  /** Archives of this kind, by their path in the image. */
  matches(path: string): boolean;
  /** A byte cap for a member that names packages, else undefined. */
  wants(member: string): number | undefined;
  /** Packages from a wanted member; `shown` is `/archive!/member`. */
  read(data: Buffer, shown: string): Analysis;
  key(pkg: RawPackage): string;
}

/** A content analyser for such archives: read as they stream past, never by path. */
export function zipMembersAnalyzer(spec: ZipMembersSpec): Analyzer {
  return {
    name: spec.name,
    interest() {
      return undefined;
    },
    parse(path, data) {
      const reader = new ZipMembersReader(spec, displayPath(path));
      reader.write(data);
      reader.end();
      return reader.result();
    },
    stream(path) {
      return spec.matches(path) ? new ZipMembersReader(spec, displayPath(path)) : undefined;
    },
    readsName: spec.matches,
    key: spec.key,
  };
}

class ZipMembersReader extends ZipArchiveReader implements StreamReader {
  private readonly packages: RawPackage[] = [];
  private readonly spec: ZipMembersSpec;

  constructor(spec: ZipMembersSpec, shown: string) {
    super(shown);
    this.spec = spec;
  }

  result(): Analysis {
    return { packages: this.packages, notes: this.notes };
  }

  protected wants(entry: ZipEntryHeader): number | undefined {
    return this.spec.wants(entry.name);
  }

  protected entry(entry: ZipEntryHeader, data: Buffer): void {
    const { packages, notes } = this.spec.read(data, `${this.shown}!/${entry.name}`);
    this.packages.push(...packages);
    this.notes.push(...notes);
  }
}
