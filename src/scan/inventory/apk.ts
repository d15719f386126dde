// Alpine's installed database, `lib/apk/db/installed` (and `usr/lib/apk/db/installed`
// where /lib is merged into /usr): stanzas of one-letter `K:value` lines.
// https://wiki.alpinelinux.org/wiki/Apk_spec#Installed_Database_V2
// P name, V version, A arch, L license, o origin (the source package OSV indexes by);
// F a directory the package installed into, each R after it a file in that directory
// (kept so that language packages apk installed are left to Alpine's advisories), and
// Z after an R the file's checksum as apk installed it (kept so that a file replaced
// since, npm upgraded over apk's npm, is not): `Q1` and a base64 SHA-1, or the first 20
// bytes of the SHA-256 when the package's `f:` flags hold S (apk-tools 3, a package
// installed from a v3 package: src/database.c reads it so), `Q2` and a base64 SHA-256.
//
// Entries are split as apk-tools splits them (database.c, apk_db_fdb_read), not as dpkg's
// stanzas: any line shorter than two bytes ends an entry (a line holding only `x` too,
// where a blank-line reader would let the next entry's P: and V: overwrite this one's),
// and a longer line whose second byte is not `:` makes apk refuse the whole database.
import type { Analysis, Analyzer, RawPackage } from './analyzer.ts';
import { displayPath } from './analyzer.ts';

const PATHS = new Set(['lib/apk/db/installed', 'usr/lib/apk/db/installed']);

export const apkAnalyzer: Analyzer = {
  name: 'apk',
  packageDatabase: true,
  interest(path) {
    return PATHS.has(path) ? 'read' : undefined;
  },
  parse(path, data) {
    return parseApkInstalled(data.toString('utf8'), displayPath(path));
  },
  key(pkg) {
    return pkg.name;
  },
};

interface Stanza {
  name?: string;
  version?: string;
  arch?: string;
  origin?: string;
  license?: string;
  files?: string[];
  /** The F: directory the next R: files are in. */
  dir?: string;
  /** Z: lines, by file, resolved when the stanza ends (its `f:` flags may come anywhere). */
  checksums?: [string, string][];
  /** `f:` holds S: Q1 checksums are SHA-256 cut to 20 bytes. */
  sha256Cut?: boolean;
}

const FIELDS = new Map<number, 'name' | 'version' | 'arch' | 'origin' | 'license'>([
  [0x50 /* P */, 'name'],
  [0x56 /* V */, 'version'],
  [0x41 /* A */, 'arch'],
  [0x6f /* o */, 'origin'],
  [0x4c /* L */, 'license'],
]);

export function parseApkInstalled(text: string, shown: string): Analysis {
  const packages: RawPackage[] = [];
  let incomplete = 0;
  const owned = new Map<string, string>();
  const installed = new Map<string, string>();
  let current: Stanza = {};
  let refused: number | undefined;
  readApkEntries(text, {
    line(t, start, end, lineNumber) {
      if (t.charCodeAt(start + 1) !== 0x3a) {
        refused ??= lineNumber;
        return;
      }
      const letter = t.charCodeAt(start);
      if (letter === 0x46 /* F */) current.dir = t.slice(start + 2, end).trim();
      else if (letter === 0x52 /* R */) {
        current.files ??= [];
        current.files.push(`/${current.dir ? `${current.dir}/` : ''}${t.slice(start + 2, end).trim()}`);
      } else if (letter === 0x5a /* Z */ && current.files !== undefined) {
        // A Z: line describes the last R: file.
        current.checksums ??= [];
        current.checksums.push([current.files.at(-1)!, t.slice(start + 2, end).trim()]);
      } else if (letter === 0x66 /* f */ && t.slice(start + 2, end).includes('S')) {
        current.sha256Cut = true;
      }
      const field = FIELDS.get(letter);
      if (field) current[field] = t.slice(start + 2, end).trim();
    },
    end() {
      const stanza = current;
      current = {};
      if (!stanza.name || !stanza.version) {
        incomplete++;
        return;
      }
      packages.push(toPackage(stanza as Stanza & { name: string; version: string }));
      for (const file of stanza.files ?? []) owned.set(file, stanza.name);
      for (const [file, checksum] of stanza.checksums ?? []) {
        const digest = contentDigest(checksum, stanza.sha256Cut ?? false);
        if (digest !== undefined) installed.set(file, digest);
      }
    },
  });
  if (refused !== undefined) {
    return {
      packages: [], notes: [],
      unread: {
        reason: `${shown}: line ${refused} is not a K:value line, and apk refuses a database holding one`,
        hint: 'The image\'s apk database is damaged, so its packages are unknown: rebuild the image (apk fix, or a fresh base image).',
      },
    };
  }
  const notes: string[] = [];
  if (incomplete > 0) notes.push(`${shown}: ${incomplete} entries without a package name (P:) or version (V:) were skipped.`);
  const analysis: Analysis = { packages, notes };
  if (owned.size > 0) analysis.owned = { by: 'apk', files: owned, installed };
  return analysis;
}

/** `<algorithm>:<hex>` of a `Q1…` or `Q2…` checksum; undefined for another kind or a malformed one. */
function contentDigest(checksum: string, sha256Cut: boolean): string | undefined {
  const base64 = checksum.slice(2);
  if (checksum.startsWith('Q1') && /^[A-Za-z0-9+/]{27}=$/.test(base64)) {
    return `${sha256Cut ? 'sha256-160' : 'sha1'}:${Buffer.from(base64, 'base64').toString('hex')}`;
  }
  if (checksum.startsWith('Q2') && /^[A-Za-z0-9+/]{43}=$/.test(base64)) return `sha256:${Buffer.from(base64, 'base64').toString('hex')}`;
  return undefined;
}

function toPackage(stanza: Stanza & { name: string; version: string }): RawPackage {
  // Subpackages share their origin's version, so the source version is the package version.
  const pkg: RawPackage = {
    type: 'apk',
    name: stanza.name,
    version: stanza.version,
    sourceName: stanza.origin || stanza.name,
    sourceVersion: stanza.version,
  };
  if (stanza.arch) pkg.arch = stanza.arch;
  if (stanza.license) pkg.licenses = [stanza.license];
  return pkg;
}

interface ApkEntryReader {
  /** A line of two bytes or more, as offsets into the text (`end` excludes the newline). */
  line(text: string, start: number, end: number, lineNumber: number): void;
  /** A line shorter than two bytes, or the end of the text, closes the current entry. */
  end(): void;
}

function readApkEntries(text: string, reader: ApkEntryReader): void {
  let open = false;
  let lineNumber = 0;
  for (let start = 0; start < text.length;) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    lineNumber++;
    if (end - start < 2) {
      if (open) reader.end();
      open = false;
    } else {
      reader.line(text, start, end, lineNumber);
      open = true;
    }
    start = end + 1;
  }
  if (open) reader.end();
}
