// Recognises ELF, PE and Mach-O executables from their first bytes and says where
// their writable data lies in the file, all from headers that sit at the start of
// the file (ELF program headers, the PE section table, Mach-O load commands), so a
// binary streaming past in a layer tar never has to be buffered or read twice.
// This is where Go's linker puts the build info (`debug/buildinfo` looks there too
// when a binary has no section table).
// ELF: https://refspecs.linuxfoundation.org/elf/gabi4+/ch5.pheader.html
// PE: https://learn.microsoft.com/en-us/windows/win32/debug/pe-format#section-table-section-headers
// Mach-O: <mach-o/loader.h> (segment_command_64, section_64)

export type ExecutableFormat = 'elf' | 'pe' | 'macho';

export interface FileRegion {
  offset: number;
  size: number;
}

export interface LoadSegment extends FileRegion {
  vaddr: number;
}

/** The file offset holding virtual address `vaddr`, or undefined when no segment's file bytes hold it. */
export function fileOffsetOf(loads: readonly LoadSegment[], vaddr: number): number | undefined {
  const load = loads.find((l) => vaddr >= l.vaddr && vaddr < l.vaddr + l.size);
  return load ? vaddr - load.vaddr + load.offset : undefined;
}

export interface Executable {
  format: ExecutableFormat;
  /** Writable, initialised, non-executable data, in file order. */
  data: FileRegion[];
  /** ELF only: where the section header table lies, for readers of named sections. */
  sectionTable?: FileRegion;
  /** ELF only: the section holding section names (e_shstrndx), and the size of one section header. */
  sectionNames?: number;
  sectionEntrySize?: number;
  /** ELF only: where the last loaded segment ends; non-allocated sections (.comment, .dep-v0, debug info) follow. */
  loadedEnd?: number;
  /** ELF only: a `Go` build ID note (every Go-linked ELF has one in its first page). */
  goNote?: boolean;
  /** ELF only: every loaded segment, to turn a virtual address into a file offset. */
  loads?: LoadSegment[];
  is64: boolean;
  littleEndian: boolean;
}

/** How many leading bytes `parseExecutable` needs to see (headers of real binaries fit well within). */
export const HEAD_BYTES = 16 * 1024;

export function isExecutableMagic(head: Buffer): boolean {
  if (head.length < 4) return false;
  const magic = head.readUInt32BE(0);
  return magic === 0x7f454c46 || head.readUInt16BE(0) === 0x4d5a || magic === 0xcffaedfe || magic === 0xcefaedfe;
}

/** The data regions of an executable, or undefined when `head` is not one we read. */
export function parseExecutable(head: Buffer): Executable | undefined {
  if (head.length < 64) return undefined;
  try {
    if (head.readUInt32BE(0) === 0x7f454c46) return elf(head);
    if (head.readUInt16BE(0) === 0x4d5a) return pe(head);
    const magic = head.readUInt32LE(0);
    if (magic === 0xfeedfacf || magic === 0xfeedface) return macho(head, magic === 0xfeedfacf);
  } catch {
    // A header pointing past what we hold: not an executable we can read from the head.
  }
  return undefined;
}

const PT_LOAD = 1;
const PT_NOTE = 4;
const NT_GO_BUILDID = 4;
const PF_X = 1;
const PF_W = 2;

function elf(head: Buffer): Executable | undefined {
  const is64 = head[4] === 2;
  const le = head[5] === 1;
  const u16 = (at: number): number => (le ? head.readUInt16LE(at) : head.readUInt16BE(at));
  const u32 = (at: number): number => (le ? head.readUInt32LE(at) : head.readUInt32BE(at));
  const word = (at: number): number => (is64 ? Number(le ? head.readBigUInt64LE(at) : head.readBigUInt64BE(at)) : u32(at));
  const phoff = word(is64 ? 32 : 28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  const shoff = word(is64 ? 40 : 32);
  const shentsize = u16(is64 ? 58 : 46);
  const shnum = u16(is64 ? 60 : 48);
  const data: FileRegion[] = [];
  const loads: LoadSegment[] = [];
  let loadedEnd = 0;
  let goNote = false;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (u32(at) === PT_NOTE) goNote ||= hasGoNote(head, word(at + (is64 ? 8 : 4)), word(at + (is64 ? 32 : 16)), u32);
    if (u32(at) !== PT_LOAD) continue;
    const region = { offset: word(at + (is64 ? 8 : 4)), size: word(at + (is64 ? 32 : 16)) };
    loads.push({ ...region, vaddr: word(at + (is64 ? 16 : 8)) });
    loadedEnd = Math.max(loadedEnd, region.offset + region.size);
    const flags = u32(at + (is64 ? 4 : 24));
    if ((flags & (PF_W | PF_X)) === PF_W) data.push(region);
  }
  const executable: Executable = { format: 'elf', data: ordered(data), loads, loadedEnd, goNote, is64, littleEndian: le };
  if (shoff > 0 && shnum > 0) {
    executable.sectionTable = { offset: shoff, size: shnum * shentsize };
    executable.sectionNames = u16(is64 ? 62 : 50);
    executable.sectionEntrySize = shentsize;
  }
  return executable;
}

/** Notes are (namesz, descsz, type, name, desc), name and desc padded to 4 bytes. */
function hasGoNote(head: Buffer, offset: number, size: number, u32: (at: number) => number): boolean {
  const end = Math.min(offset + size, head.length);
  for (let at = offset; at + 12 <= end; ) {
    const nameSize = u32(at);
    const descSize = u32(at + 4);
    if (u32(at + 8) === NT_GO_BUILDID && nameSize === 3 && head.toString('latin1', at + 12, at + 14) === 'Go') return true;
    at += 12 + Math.ceil(nameSize / 4) * 4 + Math.ceil(descSize / 4) * 4;
  }
  return false;
}

const SCN_CNT_INITIALIZED_DATA = 0x40;
const SCN_MEM_EXECUTE = 0x20000000;
const SCN_MEM_READ = 0x40000000;
const SCN_MEM_WRITE = 0x80000000;

function pe(head: Buffer): Executable | undefined {
  const pe = head.readUInt32LE(0x3c);
  if (head.readUInt32BE(pe) !== 0x50450000) return undefined;
  const sections = head.readUInt16LE(pe + 6);
  const optional = head.readUInt16LE(pe + 20);
  const table = pe + 24 + optional;
  const data: FileRegion[] = [];
  const wanted = SCN_CNT_INITIALIZED_DATA | SCN_MEM_READ | SCN_MEM_WRITE;
  for (let i = 0; i < sections; i++) {
    const at = table + i * 40;
    const characteristics = head.readUInt32LE(at + 36);
    if ((characteristics & wanted) >>> 0 !== wanted >>> 0 || characteristics & SCN_MEM_EXECUTE) continue;
    const size = head.readUInt32LE(at + 16);
    if (size > 0) data.push({ offset: head.readUInt32LE(at + 20), size });
  }
  return { format: 'pe', data: ordered(data), is64: false, littleEndian: true };
}

const LC_SEGMENT = 0x1;
const LC_SEGMENT_64 = 0x19;
const VM_PROT_RW = 3;

function macho(head: Buffer, is64: boolean): Executable {
  const commands = head.readUInt32LE(16);
  let at = is64 ? 32 : 28;
  const data: FileRegion[] = [];
  for (let i = 0; i < commands; i++) {
    const cmd = head.readUInt32LE(at);
    const size = head.readUInt32LE(at + 4);
    if (cmd === LC_SEGMENT_64 || cmd === LC_SEGMENT) {
      const fileoff = is64 ? Number(head.readBigUInt64LE(at + 40)) : head.readUInt32LE(at + 32);
      const filesize = is64 ? Number(head.readBigUInt64LE(at + 48)) : head.readUInt32LE(at + 36);
      const initprot = head.readUInt32LE(at + (is64 ? 60 : 44));
      if (initprot === VM_PROT_RW && filesize > 0) data.push({ offset: fileoff, size: filesize });
    }
    if (size < 8) break;
    at += size;
  }
  return { format: 'macho', data: ordered(data), is64, littleEndian: true };
}

function ordered(regions: FileRegion[]): FileRegion[] {
  return regions.filter((r) => r.size > 0).sort((a, b) => a.offset - b.offset);
}
