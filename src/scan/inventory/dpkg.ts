// dpkg's database: `var/lib/dpkg/status` (one stanza per package dpkg knows about,
// installed or not) and the distroless layout `var/lib/dpkg/status.d/<name>` (one
// control file per installed package, no Status field).
// Field syntax: https://manpages.debian.org/bookworm/dpkg-dev/deb-control.5.en.html
// Source field: "Source: name (version)" when the source version differs, else "Source: name".
// `var/lib/dpkg/info/<name>[:<arch>].list` lists every path a package installed: kept
// so that language packages dpkg installed are left to Debian's advisories.
import type { Analysis, Analyzer, RawPackage } from './analyzer.ts';
import { displayPath } from './analyzer.ts';
import { readStanzas } from './stanzas.ts';

const STATUS = 'var/lib/dpkg/status';
const STATUS_DIR = 'var/lib/dpkg/status.d/';
const INFO_DIR = 'var/lib/dpkg/info/';
const LIST = '.list';
const MD5SUMS = '.md5sums';
/** Files distroless writes next to each control file; they hold no package stanza. */
const STATUS_DIR_SIDECARS = ['.md5sums', '.list', '.conffiles'];

export const dpkgAnalyzer: Analyzer = {
  name: 'dpkg',
  packageDatabase: true,
  interest(path) {
    if (path === STATUS) return 'read';
    if (!path.startsWith(STATUS_DIR)) return undefined;
    const name = path.slice(STATUS_DIR.length);
    if (name === '' || name.includes('/') || STATUS_DIR_SIDECARS.some((s) => name.endsWith(s))) return undefined;
    return 'read';
  },
  parse(path, data) {
    return parseDpkg(data.toString('utf8'), path === STATUS ? 'status' : 'status.d', displayPath(path));
  },
  key(pkg) {
    return `${pkg.name}:${pkg.arch ?? ''}`;
  },
};

/**
 * The file lists are not the package database: one that cannot be read (a link, over
 * the size limit) only costs the ownership marks, so it gets a note, never an error.
 */
export const dpkgFileListAnalyzer: Analyzer = {
  name: 'dpkg-file-list',
  interest(path) {
    return isInfoFile(path, LIST) || isInfoFile(path, MD5SUMS) ? 'read' : undefined;
  },
  parse(path, data) {
    if (path.endsWith(MD5SUMS)) return parseDpkgMd5sums(data.toString('utf8'), path.slice(INFO_DIR.length, -MD5SUMS.length));
    return parseDpkgFileList(data.toString('utf8'), path.slice(INFO_DIR.length, -LIST.length));
  },
  key(pkg) {
    return pkg.name;
  },
};

function isInfoFile(path: string, suffix: string): boolean {
  return path.startsWith(INFO_DIR) && path.endsWith(suffix) && path.indexOf('/', INFO_DIR.length) < 0 && path.length > INFO_DIR.length + suffix.length;
}

/**
 * `<md5>  <path without the leading />` a line: what dpkg installed at each path. A file
 * whose content differs (`dpkg --verify`'s `??5??????`) was replaced after dpkg installed
 * it (`npm install -g npm@latest` over a .deb's npm): its package is not dpkg's.
 */
function parseDpkgMd5sums(text: string, file: string): Analysis {
  const installed = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{32}) [ *](.+)$/.exec(line);
    if (match) installed.set(`/${match[2]!.replace(/^\/+/, '')}`, `md5:${match[1]!}`);
  }
  return { packages: [], notes: [], owned: { by: 'deb', files: new Map(), installed, installedBy: ownerOf(file) } };
}

/** `name:arch` files belong to `name`. */
function ownerOf(file: string): string {
  const colon = file.indexOf(':');
  return colon < 0 ? file : file.slice(0, colon);
}

/** One absolute path a line; `/.` is the root every list starts with. `name:arch` lists belong to `name`. */
export function parseDpkgFileList(text: string, file: string): Analysis {
  const owner = ownerOf(file);
  const files = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.length > 2 && line.charCodeAt(0) === 0x2f) files.set(line, owner);
  }
  return { packages: [], notes: [], owned: { by: 'deb', files } };
}

interface Stanza {
  name?: string;
  version?: string;
  arch?: string;
  source?: string;
  status?: string;
}

/**
 * `status`: only packages whose files are on disk (every Status but not-installed and
 * config-files; see isInstalled). `status.d`: every stanza is installed.
 */
export function parseDpkg(text: string, kind: 'status' | 'status.d', shown: string): Analysis {
  const packages: RawPackage[] = [];
  let incomplete = 0;
  let current: Stanza = {};
  readStanzas(text, {
    line(t, start, end) {
      readField(t, start, end, current);
    },
    end() {
      const stanza = current;
      current = {};
      if (kind === 'status' && !isInstalled(stanza.status)) return;
      if (!stanza.name || !stanza.version) {
        incomplete++;
        return;
      }
      packages.push(toPackage(stanza as Stanza & { name: string; version: string }));
    },
  });
  const notes: string[] = [];
  if (incomplete > 0) notes.push(`${shown}: ${incomplete} installed entries without a Package or Version field were skipped.`);
  if (packages.length === 0 && incomplete === 0 && kind === 'status.d') notes.push(`${shown}: no package stanza found.`);
  return { packages, notes };
}

const FIELDS = new Map<string, keyof Stanza>([
  ['package', 'name'],
  ['version', 'version'],
  ['architecture', 'arch'],
  ['source', 'source'],
  ['status', 'status'],
]);

/**
 * Field names are case-insensitive (deb822). Only the first letter is tested before
 * anything is sliced, so description and file-list lines cost almost nothing.
 */
function readField(t: string, start: number, end: number, stanza: Stanza): void {
  const colon = fieldColon(t, start, end);
  if (colon < 0) return;
  const field = FIELDS.get(t.slice(start, colon).toLowerCase());
  if (field) stanza[field] = t.slice(colon + 1, end).trim();
}

/** First letters of the fields above; continuation lines start with a space and never match. */
const FIELDS_BY_LETTER = new Set([...'pvasPVAS'].map((c) => c.charCodeAt(0)));
/** Longest field name we read ("architecture"); a colon further in means another field. */
const MAX_KEY = 13;

function fieldColon(t: string, start: number, end: number): number {
  if (!FIELDS_BY_LETTER.has(t.charCodeAt(start))) return -1;
  const limit = Math.min(end, start + MAX_KEY);
  for (let i = start + 1; i < limit; i++) {
    if (t.charCodeAt(i) === 0x3a) return i;
  }
  return -1;
}

/**
 * Whether the package's files are on disk: every state but `not-installed` and
 * `config-files` (only conffiles left). `unpacked`, `half-configured`, `half-installed`
 * and the `triggers-*` states hold the package's files as much as `installed` does, and
 * a scan that left them out would pass an image with the vulnerable library in it.
 */
function isInstalled(status: string | undefined): boolean {
  if (!status) return false;
  const words = status.trim().split(/\s+/);
  const state = words[2];
  return words.length === 3 && state !== 'not-installed' && state !== 'config-files';
}

function toPackage(stanza: Stanza & { name: string; version: string }): RawPackage {
  const pkg: RawPackage = { type: 'deb', name: stanza.name, version: stanza.version };
  if (stanza.arch) pkg.arch = stanza.arch;
  const source = parseSource(stanza.source);
  pkg.sourceName = source?.name ?? stanza.name;
  pkg.sourceVersion = source?.version ?? stanza.version;
  return pkg;
}

/** "openssl (3.0.11-1~deb12u2)" → name and version; "glibc" → name only. */
export function parseSource(value: string | undefined): { name: string; version?: string } | undefined {
  if (!value) return undefined;
  const open = value.indexOf('(');
  if (open < 0) return { name: value.trim() };
  const close = value.indexOf(')', open);
  const name = value.slice(0, open).trim();
  const version = value.slice(open + 1, close < 0 ? value.length : close).trim();
  if (name === '') return undefined;
  return version === '' ? { name } : { name, version };
}
