// Go binaries, recognised by content as they stream past in a layer: the executable
// headers (first 16 KiB) say where the writable data lies; the build info header is
// searched for there, 16-byte aligned, as debug/buildinfo does, and only from the
// magic on are bytes kept (at most MAX_CAPTURE). Anything that is not an ELF, PE or
// Mach-O file is dropped after its first chunk; a binary without build info (stripped
// of it, or not Go) costs a scan of its data segment and nothing is kept.
import type { Analysis, Analyzer, StreamReader } from './analyzer.ts';
import { displayPath } from './analyzer.ts';
import { type FileRegion, fileOffsetOf, HEAD_BYTES, isExecutableMagic, type LoadSegment, parseExecutable } from './executable.ts';
import { BUILDINFO_ALIGN, BUILDINFO_MAGIC, goPackages, readBuildInfo, readPointer, readPointers } from './go-buildinfo.ts';
import { ModinfoText } from './go-modinfo-text.ts';
import { VersionStrings } from './go-version-strings.ts';

/** Build info of the largest real binaries is tens of KiB; this bounds what one file may hold in memory. */
const MAX_CAPTURE = 1024 * 1024;
/** Executables smaller than an ELF header plus a program header cannot hold Go build info. */
const MIN_SIZE = 128;
const MAGIC_LENGTH = BUILDINFO_MAGIC.length;

export const goBinaryAnalyzer: Analyzer = {
  name: 'go-binary',
  interest() {
    return undefined;
  },
  parse(path, data) {
    const reader = new GoBinaryReader(displayPath(path));
    reader.write(data);
    reader.end();
    return reader.result() ?? { packages: [], notes: [] };
  },
  stream(path, size) {
    return size < MIN_SIZE ? undefined : new GoBinaryReader(displayPath(path));
  },
  key(pkg) {
    return pkg.name;
  },
};

type State = 'head' | 'scan' | 'done';

export class GoBinaryReader implements StreamReader {
  private state: State = 'head';
  private position = 0;
  private head: Buffer[] = [];
  private headBytes = 0;
  private regions: FileRegion[] = [];
  /** The bytes from the build info magic on. */
  private capture: Buffer[] = [];
  private captured = 0;
  /** File offset of the build info magic. */
  private magicAt = 0;
  /** Pre-1.18 binaries: the module text, found between its sentinels wherever it lies… */
  private readonly sentinel = new ModinfoText();
  /** …and the toolchain version, among the `go1.` strings of the read-only data the pointers lead back to. */
  private readonly versions = new VersionStrings();
  private loads: readonly LoadSegment[] = [];
  /** The last bytes of the previous chunk, so a magic split across chunks is still found. */
  private carry = Buffer.alloc(0);
  private readonly shown: string;
  private analysis: Analysis | undefined;

  constructor(shown: string) {
    this.shown = shown;
  }

  write(chunk: Buffer): boolean {
    if (this.state === 'head') this.collectHead(chunk);
    else this.scan(chunk);
    return this.state !== 'done';
  }

  end(): void {
    if (this.state === 'head') this.startScan();
    if (this.captured > 0) this.finish();
    this.state = 'done';
  }

  result(): Analysis | undefined {
    return this.analysis;
  }

  private collectHead(chunk: Buffer): void {
    if (this.headBytes === 0 && chunk.length >= 4 && !isExecutableMagic(chunk)) {
      this.state = 'done';
      return;
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes >= HEAD_BYTES) this.startScan();
  }

  /** Parses the headers, then scans what was buffered as the first chunk. */
  private startScan(): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    const executable = parseExecutable(head);
    if (!executable || executable.data.length === 0) {
      this.state = 'done';
      return;
    }
    this.regions = executable.data;
    // Only a Go-linked ELF (or a PE/Mach-O, which have no such note) can hold Go 1.13-1.17 module text.
    if (executable.format === 'elf' && !executable.goNote) this.sentinel.active = false;
    if (executable.goNote && executable.loads) this.loads = executable.loads;
    else this.versions.active = false;
    this.state = 'scan';
    this.scan(head);
  }

  private scan(chunk: Buffer): void {
    const start = this.position;
    this.position += chunk.length;
    if (this.captured > 0) {
      this.keep(chunk);
      return;
    }
    this.sentinel.write(chunk);
    this.versions.write(chunk, start);
    const found = this.findMagic(chunk, start);
    if (found !== undefined) {
      this.magicAt = this.position - found.length;
      this.keep(found);
    } else if (this.position >= this.regionsEnd()) {
      this.state = 'done';
    }
  }

  /**
   * The bytes from the magic on, when the magic starts at an aligned offset of a data
   * region. Chunks are searched in place; only a magic straddling two chunks is looked
   * for in a small join of the previous chunk's tail and this chunk's head.
   */
  private findMagic(chunk: Buffer, start: number): Buffer | undefined {
    const overlap = MAGIC_LENGTH - 1;
    if (this.carry.length > 0) {
      const seam = Buffer.concat([this.carry, chunk.subarray(0, overlap)]);
      const at = this.alignedMagic(seam, start - this.carry.length);
      if (at >= 0) return Buffer.concat([seam.subarray(at), chunk.subarray(overlap)]);
    }
    this.carry = Buffer.from(chunk.subarray(Math.max(0, chunk.length - overlap)));
    if (!this.regions.some((r) => r.offset < start + chunk.length && start < r.offset + r.size)) return undefined;
    const at = this.alignedMagic(chunk, start);
    return at >= 0 ? chunk.subarray(at) : undefined;
  }

  /** Index in `data` (at file offset `base`) of a magic on a 16-byte boundary of a data region, or -1. */
  private alignedMagic(data: Buffer, base: number): number {
    for (let at = data.indexOf(BUILDINFO_MAGIC); at >= 0; at = data.indexOf(BUILDINFO_MAGIC, at + 1)) {
      const offset = base + at;
      const region = this.regions.find((r) => offset >= r.offset && offset < r.offset + r.size);
      // Go aligns the build info in the file (its section's address, and so its offset, is
      // 16-aligned), not within its segment: an external link can start the writable
      // segment 8 bytes off, and every cgo binary built so was skipped. Aligned to the
      // segment is what Go's reader accepts when the section table is gone.
      if (region && (offset % BUILDINFO_ALIGN === 0 || (offset - region.offset) % BUILDINFO_ALIGN === 0)) return at;
    }
    return -1;
  }

  private regionsEnd(): number {
    return Math.max(...this.regions.map((r) => r.offset + r.size));
  }

  private keep(part: Buffer): void {
    const room = MAX_CAPTURE - this.captured;
    const slice = part.length > room ? part.subarray(0, room) : part;
    this.capture.push(Buffer.from(slice));
    this.captured += slice.length;
    const window = Buffer.concat(this.capture);
    const header = readBuildInfo(window);
    if (this.captured < MAX_CAPTURE) {
      if (header.format === 'truncated') return;
      // The pointer format's version string header lies further on in the data: read on to it.
      if (header.format === 'pointer' && this.captured < Math.min(MAX_CAPTURE, this.versionHeaderEnd(window))) return;
    }
    this.finish();
  }

  /** How many bytes from the magic on hold the version's string header (0 when it cannot be located). */
  private versionHeaderEnd(window: Buffer): number {
    const pointers = readPointers(window);
    const at = pointers ? fileOffsetOf(this.loads, pointers.version) : undefined;
    return pointers && at !== undefined && at >= this.magicAt ? at - this.magicAt + 2 * pointers.ptrSize : 0;
  }

  /** Go 1.13-1.17: the version string the header's pointer leads to, through its string header. */
  private pointerVersion(window: Buffer): string | undefined {
    const pointers = readPointers(window);
    const at = pointers ? fileOffsetOf(this.loads, pointers.version) : undefined;
    if (!pointers || at === undefined || at < this.magicAt || at - this.magicAt + 2 * pointers.ptrSize > window.length) return undefined;
    const { ptrSize, bigEndian } = pointers;
    const address = readPointer(window, at - this.magicAt, ptrSize, bigEndian);
    const length = readPointer(window, at - this.magicAt + ptrSize, ptrSize, bigEndian);
    const offset = fileOffsetOf(this.loads, address);
    return offset === undefined ? undefined : this.versions.at(offset, length);
  }

  private finish(): void {
    if (this.state === 'done' && this.analysis) return;
    this.state = 'done';
    const window = Buffer.concat(this.capture);
    const header = readBuildInfo(window);
    this.capture = [];
    if (header.format === 'inline') {
      this.analysis = goPackages(header.version, header.modinfo, this.shown);
    } else if (header.format === 'pointer') {
      const modinfo = this.sentinel.text();
      const version = this.pointerVersion(window);
      const analysis = goPackages(version, modinfo ?? '', this.shown);
      const unread = [version === undefined ? 'toolchain version' : '', modinfo === undefined ? 'modules' : ''].filter(Boolean);
      if (unread.length > 0) {
        const consequence = version === undefined ? ', so the standard library was not matched' : '';
        analysis.notes.push(`${this.shown}: a Go binary from before Go 1.18; its ${unread.join(' and ')} could not be read${consequence}.`);
      }
      this.analysis = analysis;
    } else {
      this.analysis = { packages: [], notes: [`${this.shown}: Go build info is truncated or over ${MAX_CAPTURE} bytes; not read.`] };
    }
  }
}
