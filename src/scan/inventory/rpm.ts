// rpm's package database, in each of the formats rpm has written:
//  - SQLite `rpmdb.sqlite` (rpm >= 4.16: Fedora 33+, RHEL/Rocky/Alma 9, Amazon Linux 2023,
//    openSUSE since 2022), read by rpmdb-sqlite.ts;
//  - BerkeleyDB `Packages` (RHEL/CentOS 7 and 8, UBI 8, Amazon Linux 2), rpmdb-bdb.ts;
//  - NDB `Packages.db` (SLES 15), rpmdb-ndb.ts.
// Each yields header blobs (rpm-header.ts). Fedora and openSUSE keep the database in
// /usr/lib/sysimage/rpm with /var/lib/rpm as a symlink, and rpm-ostree and bootc images
// (RHEL, AlmaLinux and Rocky bootc, Fedora CoreOS) in /usr/share/rpm, their %_dbpath,
// with /var/lib/rpm linked only at boot; all three places are read.
// The headers' file lists are kept: language packages rpm installed are left to the
// distribution's advisories (see ../inventory.ts). A database found and not read, or
// read only in part, stops the scan (Analysis.unread): its packages are unknown.
import type { Analysis, Analyzer, Interest, RawPackage, Unread } from './analyzer.ts';
import { displayPath } from './analyzer.ts';
import { parseRpmHeader, type RpmHeader } from './rpm-header.ts';
import { readBerkeleyDb, type RpmDbEntry } from './rpmdb-bdb.ts';
import { readNdb } from './rpmdb-ndb.ts';
import { SqliteFile } from './rpmdb-sqlite.ts';
import { committedWal } from './sqlite-wal.ts';

const DIRS = ['var/lib/rpm/', 'usr/lib/sysimage/rpm/', 'usr/share/rpm/'];
const SQLITE = 'rpmdb.sqlite';
const SQLITE_WAL = 'rpmdb.sqlite-wal';
const BERKELEY = 'Packages';
const NDB = 'Packages.db';
const FILES = new Map<string, Interest>([[SQLITE, 'read'], [SQLITE_WAL, 'read'], [BERKELEY, 'read'], [NDB, 'read']]);
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
    const file = fileIn(path);
    if (file === BERKELEY) return parseRpmBerkeley(data, displayPath(path));
    if (file === NDB) return parseRpmNdb(data, displayPath(path));
    if (file === SQLITE_WAL) return parseRpmWal(data, displayPath(path));
    return parseRpmSqlite(data, displayPath(path));
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
  let rows: RpmDbEntry[];
  try {
    rows = packageBlobs(new SqliteFile(data));
  } catch (err) {
    return { packages: [], notes: [], unread: damaged(shown, `not a readable rpm SQLite database (${(err as Error).message})`) };
  }
  return fromHeaders(rows, [], shown, 'rows');
}

/**
 * rpm exits leaving a 0-byte WAL. Committed frames are transactions rpm reads on open
 * that rpmdb.sqlite alone does not hold (rpm was killed, or another process held the
 * database open): its packages are not known, so the scan stops.
 */
function parseRpmWal(data: Buffer, shown: string): Analysis {
  const { transactions, frames } = committedWal(data);
  if (transactions === 0) return { packages: [], notes: [] };
  const what = `${transactions} rpm transaction${transactions === 1 ? '' : 's'} (${frames} pages)`;
  return {
    packages: [], notes: [],
    unread: {
      reason: `${shown}: ${what} not yet in rpmdb.sqlite (rpm was killed, or another process held the database open); rpm reads ${transactions === 1 ? 'it' : 'them'}, immutag cannot`,
      hint: 'The packages of that rpm run are unknown. Add `RUN rpm --rebuilddb` after the last step that installs packages (it folds them into rpmdb.sqlite; this also covers a base image that ships such a file) and rebuild.',
    },
  };
}

/** Instance 0 is not a package: rpm's BerkeleyDB backend keeps the next free instance number there. */
export function parseRpmBerkeley(data: Buffer, shown: string): Analysis {
  let entries: RpmDbEntry[];
  try {
    entries = readBerkeleyDb(data).filter((entry) => entry.key !== 0);
  } catch (err) {
    return { packages: [], notes: [], unread: damaged(shown, `not a readable rpm BerkeleyDB database (${(err as Error).message})`) };
  }
  return fromHeaders(entries, [], shown, 'packages');
}

export function parseRpmNdb(data: Buffer, shown: string): Analysis {
  let contents: ReturnType<typeof readNdb>;
  try {
    contents = readNdb(data);
  } catch (err) {
    return { packages: [], notes: [], unread: damaged(shown, `not a readable rpm NDB database (${(err as Error).message})`) };
  }
  return fromHeaders(contents.entries, contents.broken.map((b) => b.key), shown, 'packages');
}

/** Packages from header blobs; a header that cannot be read skips that package, named by its key. */
function fromHeaders(entries: readonly RpmDbEntry[], unreadable: number[], shown: string, unit: string): Analysis {
  const packages: RawPackage[] = [];
  const owned = new Map<string, string>();
  const installed = new Map<string, string>();
  const broken = [...unreadable];
  for (const entry of entries) {
    try {
      const header = parseRpmHeader(entry.blob, { files: true });
      if (header.name === PUBKEY) continue;
      packages.push(toPackage(header));
      for (const file of header.files ?? []) owned.set(file, header.name);
      for (const [file, digest] of header.fileDigests ?? []) installed.set(file, digest);
    } catch {
      broken.push(entry.key);
    }
  }
  if (broken.length === 0) return owned.size > 0 ? { packages, notes: [], owned: { by: 'rpm', files: owned, installed } } : { packages, notes: [] };
  const which = `${unit} ${broken.slice(0, 5).join(', ')}${broken.length > 5 ? ', …' : ''}`;
  return { packages, notes: [], unread: damaged(shown, `${broken.length} package headers could not be read (${which})`) };
}

/** rpm's schema: `Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)`. */
function packageBlobs(db: SqliteFile): RpmDbEntry[] {
  const root = db.tableRoot('Packages');
  if (root === undefined) throw new Error('no Packages table');
  const blobs: RpmDbEntry[] = [];
  for (const row of db.rows(root)) {
    const blob = row.values[1];
    if (Buffer.isBuffer(blob)) blobs.push({ key: row.rowid, blob });
  }
  return blobs;
}

function toPackage(header: RpmHeader): RawPackage {
  const pkg = rpmPackage(header.name, `${header.version}-${header.release}`, header.epoch, header.arch, header.sourceRpm);
  if (header.license) pkg.licenses = [header.license];
  const stream = moduleStream(header.modularityLabel);
  if (stream !== undefined) pkg.rpmModule = stream;
  return pkg;
}

/** `postgresql:16:9040020240801085316:eb9878bc` → `postgresql:16`. */
function moduleStream(label: string | undefined): string | undefined {
  const [name, stream] = (label ?? '').split(':');
  return name && stream ? `${name}:${stream}` : undefined;
}

/**
 * An rpm package as OSV asks about it, from a database header or rpm -qa's columns
 * (rpm-manifest.ts): `[epoch:]version-release`, epoch 0 the same as none in the version
 * and kept for the purl's qualifier; the source rpm named apart for the distributions
 * whose records name source packages.
 */
export function rpmPackage(name: string, versionRelease: string, epoch: number | undefined, arch: string | undefined, sourceRpm: string | undefined): RawPackage {
  const epochPrefix = epoch ? `${epoch}:` : '';
  const pkg: RawPackage = { type: 'rpm', name, version: `${epochPrefix}${versionRelease}` };
  if (epoch !== undefined) pkg.epoch = epoch;
  if (arch) pkg.arch = arch;
  const source = parseSourceRpm(sourceRpm);
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
