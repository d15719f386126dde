// The build information the Go toolchain embeds in every binary built in module mode
// (what `go version -m` prints): a 32-byte header starting with `\xff Go buildinf:`,
// then either (Go >= 1.18, flag bit 2) the toolchain version and the module list inline
// as varint-prefixed strings, or (Go 1.13-1.17) two pointers to string headers.
// Format: src/debug/buildinfo/buildinfo.go and src/runtime/debug/mod.go in the Go tree.
import type { Analysis, RawPackage } from './analyzer.ts';

export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
export const BUILDINFO_ALIGN = 16;
const HEADER_BYTES = 32;
const FLAG_INLINE = 0x2;
/** runtime/debug wraps the module text in these 16-byte sentinels. */
export const MODINFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
export const MODINFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');

export type BuildInfoHeader =
  | { format: 'inline'; version: string; modinfo: string }
  | { format: 'pointer' }
  | { format: 'truncated' };

/** Reads the header at the start of `window` (which begins with the magic). */
export function readBuildInfo(window: Buffer): BuildInfoHeader {
  if (window.length < HEADER_BYTES) return { format: 'truncated' };
  if ((window[15]! & FLAG_INLINE) === 0) return { format: 'pointer' };
  const version = readVarString(window, HEADER_BYTES);
  if (!version) return { format: 'truncated' };
  const modinfo = readVarString(window, version.next);
  if (!modinfo) return { format: 'truncated' };
  return { format: 'inline', version: version.text, modinfo: stripSentinels(modinfo.text) };
}

export interface BuildInfoPointers {
  ptrSize: number;
  bigEndian: boolean;
  /** Virtual addresses of the string headers (pointer, length) of the version and the module text. */
  version: number;
  modinfo: number;
}

/** The pointer format's two addresses (Go 1.13-1.17), from the header at the start of `window`. */
export function readPointers(window: Buffer): BuildInfoPointers | undefined {
  const ptrSize = window[14] ?? 0;
  const bigEndian = ((window[15] ?? 0) & 1) === 1;
  if ((ptrSize !== 4 && ptrSize !== 8) || window.length < 16 + 2 * ptrSize) return undefined;
  return { ptrSize, bigEndian, version: readPointer(window, 16, ptrSize, bigEndian), modinfo: readPointer(window, 16 + ptrSize, ptrSize, bigEndian) };
}

export function readPointer(data: Buffer, at: number, size: number, bigEndian: boolean): number {
  if (size === 4) return bigEndian ? data.readUInt32BE(at) : data.readUInt32LE(at);
  return Number(bigEndian ? data.readBigUInt64BE(at) : data.readBigUInt64LE(at));
}

function readVarString(data: Buffer, at: number): { text: string; next: number } | undefined {
  let length = 0;
  let shift = 0;
  let i = at;
  for (; i < data.length && shift < 35; i++, shift += 7) {
    const byte = data[i]!;
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  if (i >= data.length) return undefined;
  const start = i + 1;
  if (start + length > data.length) return undefined;
  return { text: data.toString('utf8', start, start + length), next: start + length };
}

function stripSentinels(modinfo: string): string {
  // As runtime/debug does: the sentinels are present when the text is long enough to hold them.
  if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n') return modinfo.slice(16, -16);
  return modinfo;
}

/** The module text between the sentinels, found by content (pre-1.18 binaries point to it instead). */
export function modinfoBetweenSentinels(data: Buffer): string | undefined {
  const start = data.indexOf(MODINFO_START);
  if (start < 0) return undefined;
  const end = data.indexOf(MODINFO_END, start + MODINFO_START.length);
  if (end < 0) return undefined;
  return data.toString('utf8', start + MODINFO_START.length, end);
}

interface Module {
  path: string;
  version: string;
  replacedBy?: { path: string; version: string };
}

/** `path`, `mod`, `dep` and `=>` lines, tab separated (runtime/debug.ParseBuildInfo). */
export function parseModinfo(text: string): { main?: Module; deps: Module[]; path?: string } {
  const deps: Module[] = [];
  let main: Module | undefined;
  let last: Module | undefined;
  let command: string | undefined;
  for (const line of text.split('\n')) {
    const fields = line.split('\t');
    const [kind, path = '', version = ''] = fields;
    if (kind === 'path') {
      command = path;
    } else if (kind === 'mod') {
      main = { path, version };
      last = main;
    } else if (kind === 'dep') {
      last = { path, version };
      deps.push(last);
    } else if (kind === '=>' && last) {
      last.replacedBy = { path, version };
    }
  }
  const parsed: { main?: Module; deps: Module[]; path?: string } = { deps };
  if (main) parsed.main = main;
  if (command !== undefined) parsed.path = command;
  return parsed;
}

/**
 * `go1.21.5` → `1.21.5`, `go1.21rc2` → `1.21.0-rc.2`, `go1.20` → `1.20.0`, the way
 * golang.org/x/vuln (and so OSV's Go records for `stdlib`) spell toolchain versions.
 * Development toolchains (`devel go1.23-abcdef`) have no release to match: undefined.
 */
export function goToolchainVersion(version: string): string | undefined {
  const match = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?(?:$|[ +-])/.exec(version.trim());
  if (!match) return undefined;
  const [, major, minor, patch, pre, preNumber] = match;
  // From Go 1.21 on releases are go1.N.0: a bare go1.N (go1.22-20231128-RC02) is a development snapshot before go1.Nrc1.
  if (patch === undefined && pre === undefined && (Number(major) > 1 || Number(minor) >= 21)) return undefined;
  return `${major}.${minor}.${patch ?? '0'}${pre ? `-${pre}.${preNumber}` : ''}`;
}

/**
 * Module versions as OSV's Go records spell them: without Go's `v` (`v0.9.1` → `0.9.1`),
 * which OSV's SEMVER ranges do not accept; osv-scanner drops it the same way.
 */
export function osvVersion(version: string): string {
  return version.replace(/^v(?=\d)/, '');
}

/**
 * The packages a Go binary holds: the toolchain as OSV's `stdlib`, the main module
 * when it has a real version (`(devel)` is a local build), and every dependency as
 * compiled in, i.e. its replacement when `go.mod` replaced it.
 */
/**
 * The go command: its build info says `path cmd/go` from Go 1.18 on. Go 1.13-1.17
 * recorded no module info for standard-library commands, so there a `go` file in a
 * Go distribution's bin directory (`…/bin/go`, `…/bin/<os>_<arch>/go`) with none is one.
 */
function isGoCommand(path: string | undefined, modinfo: string, shown: string): boolean {
  if (path !== undefined) return path === 'cmd/go';
  return modinfo.trim() === '' && /(^|\/)bin\/([a-z0-9]+_[a-z0-9]+\/)?go$/.test(shown);
}

export function goPackages(toolchain: string | undefined, modinfo: string, shown: string): Analysis {
  const packages: RawPackage[] = [];
  const notes: string[] = [];
  if (toolchain !== undefined) {
    const version = goToolchainVersion(toolchain);
    if (version) packages.push({ type: 'golang', name: 'stdlib', version });
    else notes.push(`${shown}: built with Go toolchain ${JSON.stringify(toolchain)}, which is not a release; the standard library was not matched.`);
  }
  const { main, deps, path } = parseModinfo(modinfo);
  // The go command's own advisories (GO-2021-0068) are filed under OSV's Go package `toolchain`, not `stdlib`.
  const release = toolchain === undefined ? undefined : goToolchainVersion(toolchain);
  if (release && isGoCommand(path, modinfo, shown)) packages.push({ type: 'golang', name: 'toolchain', version: release });
  if (main) {
    const compiled = main.replacedBy ?? main;
    if (compiled.version && compiled.version !== '(devel)') packages.push({ type: 'golang', name: compiled.path, version: osvVersion(compiled.version) });
  }
  for (const dep of deps) {
    const compiled = dep.replacedBy ?? dep;
    if (compiled.version && compiled.version !== '(devel)') packages.push({ type: 'golang', name: compiled.path, version: osvVersion(compiled.version) });
    else if (dep.replacedBy) notes.push(`${shown}: Go module ${dep.path} is replaced by the local directory ${compiled.path}, which has no version to match.`);
    // A go.work workspace module (kubectl 1.30 on builds its staging modules so): `dep path (devel)`.
    else notes.push(`${shown}: Go module ${dep.path} was built from a workspace directory ((devel)), which has no version to match.`);
  }
  return { packages, notes };
}
