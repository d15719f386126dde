// rpm's package database. Only the SQLite backend (`rpmdb.sqlite`, the default since
// rpm 4.16: Fedora 33+, RHEL/Rocky/Alma 9, Amazon Linux 2023, openSUSE since 2022)
// is read. The BerkeleyDB `Packages` (RHEL/CentOS 7 and 8, Amazon Linux 2) and
// NDB `Packages.db` (SLES 15) formats are recognised, and finding one stops the scan
// with an error: its packages are unknown, so the image cannot pass.
// Fedora and openSUSE keep the database in /usr/lib/sysimage/rpm with /var/lib/rpm
// as a symlink, so both places are read.
import type { Analysis, Analyzer, Interest, RawPackage, Unread } from './analyzer.ts';
import { displayPath } from './analyzer.ts';
import { parseRpmHeader, type RpmHeader } from './rpm-header.ts';
import { SqliteFile } from './rpmdb-sqlite.ts';

const DIRS = ['var/lib/rpm/', 'usr/lib/sysimage/rpm/'];
const SQLITE = 'rpmdb.sqlite';
const SQLITE_WAL = 'rpmdb.sqlite-wal';
const BERKELEY = 'Packages';
const NDB = 'Packages.db';
const FILES = new Map<string, Interest>([[SQLITE, 'read'], [SQLITE_WAL, 'presence'], [BERKELEY, 'unsupported'], [NDB, 'unsupported']]);
const OTHER_ENGINES = 'Scan this image with scan: trivy or grype, which read it, or build on a base image whose rpm keeps the SQLite database (rpm 4.16 or later).';
/** Imported signing keys are stored as pseudo-packages; they are not software. */
const PUBKEY = 'gpg-pubkey';

export const rpmAnalyzer: Analyzer = {
  name: 'rpm',
  packageDatabase: true,
  interest(path) {
    const file = fileIn(path);
    return file === undefined ? undefined : FILES.get(file);
  },
  parse(path, data) {
    return parseRpmSqlite(data, displayPath(path));
  },
  presenceNote(path, size) {
    const file = fileIn(path);
    const shown = displayPath(path);
    if (file === SQLITE_WAL && size > 0) return `${shown}: ${size} bytes of rpm transactions not yet checkpointed into rpmdb.sqlite are not read; packages from the last rpm run may be missing.`;
    return undefined;
  },
  unsupported(path) {
    const format = fileIn(path) === NDB ? 'an rpm NDB database (SUSE)' : 'an rpm BerkeleyDB database (rpm before 4.16)';
    return { reason: `${displayPath(path)} is ${format}, a format the built-in scanner does not read`, hint: OTHER_ENGINES };
  },
  key(pkg) {
    return `${pkg.name}.${pkg.arch ?? ''}`;
  },
};

function damaged(shown: string, what: string): Unread {
  return { reason: `${shown}: ${what}`, hint: 'The rpm database is damaged, so the image\'s packages are unknown; rebuild the image (rpm --rebuilddb).' };
}

function fileIn(path: string): string | undefined {
  for (const dir of DIRS) {
    if (path.startsWith(dir)) {
      const file = path.slice(dir.length);
      return FILES.has(file) ? file : undefined;
    }
  }
  return undefined;
}

export function parseRpmSqlite(data: Buffer, shown: string): Analysis {
  let rows: Array<{ rowid: number; blob: Buffer }>;
  try {
    rows = packageBlobs(new SqliteFile(data));
  } catch (err) {
    return { packages: [], notes: [], unread: damaged(shown, `not a readable rpm SQLite database (${(err as Error).message})`) };
  }
  const packages: RawPackage[] = [];
  const broken: number[] = [];
  for (const row of rows) {
    try {
      const header = parseRpmHeader(row.blob);
      if (header.name !== PUBKEY) packages.push(toPackage(header));
    } catch {
      broken.push(row.rowid);
    }
  }
  if (broken.length === 0) return { packages, notes: [] };
  const which = `rows ${broken.slice(0, 5).join(', ')}${broken.length > 5 ? ', …' : ''}`;
  return { packages, notes: [], unread: damaged(shown, `${broken.length} package headers could not be read (${which})`) };
}

/** rpm's schema: `Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)`. */
function packageBlobs(db: SqliteFile): Array<{ rowid: number; blob: Buffer }> {
  const root = db.tableRoot('Packages');
  if (root === undefined) throw new Error('no Packages table');
  const blobs: Array<{ rowid: number; blob: Buffer }> = [];
  for (const row of db.rows(root)) {
    const blob = row.values[1];
    if (Buffer.isBuffer(blob)) blobs.push({ rowid: row.rowid, blob });
  }
  return blobs;
}

/** OSV's rpm versions are `[epoch:]version-release`; epoch 0 is the same as none. */
function toPackage(header: RpmHeader): RawPackage {
  const epochPrefix = header.epoch ? `${header.epoch}:` : '';
  const pkg: RawPackage = { type: 'rpm', name: header.name, version: `${epochPrefix}${header.version}-${header.release}` };
  if (header.epoch !== undefined) pkg.epoch = header.epoch;
  if (header.arch) pkg.arch = header.arch;
  if (header.license) pkg.licenses = [header.license];
  const source = parseSourceRpm(header.sourceRpm);
  if (source) {
    pkg.sourceName = source.name;
    pkg.sourceVersion = `${epochPrefix}${source.version}`;
  }
  return pkg;
}

/** `bash-5.1.8-6.el9.src.rpm` → bash, 5.1.8-6.el9 (name-version-release, split from the right). */
export function parseSourceRpm(file: string | undefined): { name: string; version: string } | undefined {
  if (!file) return undefined;
  const base = file.replace(/\.(no)?src\.rpm$/, '');
  const releaseDash = base.lastIndexOf('-');
  const versionDash = releaseDash > 0 ? base.lastIndexOf('-', releaseDash - 1) : -1;
  if (versionDash <= 0) return undefined;
  return { name: base.slice(0, versionDash), version: base.slice(versionDash + 1) };
}
