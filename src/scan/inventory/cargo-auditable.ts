// Rust binaries built with cargo-auditable: the crate graph, as zlib-compressed JSON,
// in an ELF section named `.dep-v0` that is not loaded into memory, so the linker puts
// it among the sections after the loaded segments: right after them in a stripped
// binary, just before the section header table when debug info sits in between.
// Both places are captured as the file streams past (LEAD after the loaded segments,
// TAIL before the section headers, whose offset the ELF header gives), then the
// section headers say where `.dep-v0` is. Only crates from crates.io are listed:
// local, git and other-registry crates have no crates.io advisories.
// Format: https://github.com/rust-secure-code/cargo-auditable (cargo-auditable.schema.json).
import { inflateSync } from 'node:zlib';
import type { Analysis, Analyzer, RawPackage, StreamReader } from './analyzer.ts';
import { displayPath } from './analyzer.ts';
import { type Executable, HEAD_BYTES, parseExecutable } from './executable.ts';
import { RangeCapture } from './range-capture.ts';

const SECTION = '.dep-v0';
const MIB = 1024 * 1024;
const LEAD = MIB;
/**
 * With debug info, the linker puts `.dep-v0` after the debug sections and before
 * `.symtab` and `.strtab`, whose size grows with the crate graph (1.3 MB for 12,000
 * functions): 512 KiB missed a large app's crates. Allocated only when the stream
 * reaches it, and only as large as the file's tail.
 */
const TAIL = 16 * MIB;
/** The JSON of the largest real dependency graphs is tens of KiB. */
const MAX_JSON = 16 * 1024 * 1024;
const ELF_MAGIC = 0x7f454c46;

export const cargoAuditableAnalyzer: Analyzer = {
  name: 'cargo-auditable',
  interest() {
    return undefined;
  },
  parse(path, data) {
    const reader = new CargoAuditableReader(displayPath(path), data.length);
    reader.write(data);
    reader.end();
    return reader.result() ?? { packages: [], notes: [] };
  },
  stream(path, size) {
    return size < 64 ? undefined : new CargoAuditableReader(displayPath(path), size);
  },
  key(pkg) {
    return pkg.name;
  },
};

export class CargoAuditableReader implements StreamReader {
  private head: Buffer[] = [];
  private headBytes = 0;
  private position = 0;
  private elf: Executable | undefined;
  private capture: RangeCapture | undefined;
  private done = false;
  private analysis: Analysis | undefined;
  private readonly shown: string;
  private readonly size: number;

  constructor(shown: string, size: number) {
    this.shown = shown;
    this.size = size;
  }

  write(chunk: Buffer): boolean {
    if (this.done) return false;
    if (this.capture) {
      this.capture.write(chunk, this.position);
      this.position += chunk.length;
      if (this.capture.passed(this.position)) this.done = true;
      return !this.done;
    }
    if (this.headBytes === 0 && chunk.length >= 4 && chunk.readUInt32BE(0) !== ELF_MAGIC) {
      this.done = true;
      return false;
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes >= HEAD_BYTES) this.start();
    return !this.done;
  }

  end(): void {
    if (!this.capture && !this.done) this.start();
    if (this.capture) this.analysis = this.read();
    this.done = true;
    this.capture = undefined;
  }

  result(): Analysis | undefined {
    return this.analysis;
  }

  /** Plans the capture from the headers, then feeds it what was buffered as the first chunk. */
  private start(): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    const elf = head.length >= 4 && head.readUInt32BE(0) === ELF_MAGIC ? parseExecutable(head) : undefined;
    // A Go-linked binary (its build ID note) carries no cargo-auditable data: no need to read on.
    if (!elf?.sectionTable || elf.loadedEnd === undefined || elf.goNote) {
      this.done = true;
      return;
    }
    this.elf = elf;
    const table = elf.sectionTable;
    const lead = { offset: elf.loadedEnd, size: LEAD };
    const tailStart = Math.max(lead.offset + lead.size, table.offset - TAIL);
    this.capture = new RangeCapture([lead, { offset: tailStart, size: Math.max(0, table.offset - tailStart) }, table], this.size);
    this.capture.write(head, 0);
    this.position = head.length;
    if (this.capture.passed(this.position)) this.done = true;
  }

  private read(): Analysis | undefined {
    const section = this.findSection();
    if (section === undefined) return undefined;
    if (section === 'names unread') {
      return { packages: [], notes: [`${this.shown}: its section names lie more than ${TAIL / MIB} MiB before the section headers and were not read; cargo-auditable data (${SECTION}), if it has any, is not listed.`] };
    }
    if (section === 'unread') {
      return { packages: [], notes: [`${this.shown}: has cargo-auditable data (${SECTION}) where it was not read (more than ${LEAD / MIB} MiB after the loaded segments and ${TAIL / MIB} MiB before the section headers); its crates are not listed.`] };
    }
    try {
      const json = inflateSync(section, { maxOutputLength: MAX_JSON }).toString('utf8');
      return auditablePackages(JSON.parse(json) as unknown, this.shown);
    } catch (err) {
      return { packages: [], notes: [`${this.shown}: cargo-auditable data (${SECTION}) could not be read (${(err as Error).message}).`] };
    }
  }

  /** The section's bytes; 'unread' when it exists outside the captured ranges, 'names unread' when that cannot be told; undefined when absent. */
  private findSection(): Buffer | 'unread' | 'names unread' | undefined {
    const elf = this.elf!;
    const capture = this.capture!;
    const table = capture.bytes(elf.sectionTable!.offset, elf.sectionTable!.size);
    if (!table) return undefined;
    const headers = readSectionHeaders(table, elf, elf.sectionEntrySize ?? 0);
    const names = headers[elf.sectionNames ?? -1];
    if (!names) return undefined;
    const strings = capture.bytes(names.offset, names.size);
    if (!strings) return 'names unread';
    for (const header of headers) {
      if (strings.toString('latin1', header.name, header.name + SECTION.length + 1) !== `${SECTION}\0`) continue;
      return capture.bytes(header.offset, header.size) ?? 'unread';
    }
    return undefined;
  }
}

interface SectionHeader {
  name: number;
  offset: number;
  size: number;
}

function readSectionHeaders(table: Buffer, elf: Executable, entrySize: number): SectionHeader[] {
  const le = elf.littleEndian;
  const u32 = (at: number): number => (le ? table.readUInt32LE(at) : table.readUInt32BE(at));
  const u64 = (at: number): number => Number(le ? table.readBigUInt64LE(at) : table.readBigUInt64BE(at));
  const headers: SectionHeader[] = [];
  const size = elf.is64 ? 64 : 40;
  for (let at = 0; at + size <= table.length; at += Math.max(size, entrySize)) {
    headers.push(elf.is64
      ? { name: u32(at), offset: u64(at + 24), size: u64(at + 32) }
      : { name: u32(at), offset: u32(at + 16), size: u32(at + 20) });
  }
  return headers;
}

/** The crates.io packages of a cargo-auditable `VersionInfo`. */
export function auditablePackages(info: unknown, shown: string): Analysis {
  const list = typeof info === 'object' && info !== null && Array.isArray((info as Record<string, unknown>)['packages'])
    ? ((info as Record<string, unknown>)['packages'] as unknown[])
    : undefined;
  if (!list) return { packages: [], notes: [`${shown}: cargo-auditable data has no package list; not read.`] };
  const packages: RawPackage[] = [];
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { name, version, source } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || typeof version !== 'string') continue;
    if (source === 'crates.io' || source === 'CratesIo') packages.push({ type: 'cargo', name, version });
  }
  return { packages, notes: [] };
}
