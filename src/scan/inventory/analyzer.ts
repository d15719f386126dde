// The contract between the layer walker and the per-ecosystem readers. An analyser
// says which paths it reads and turns one file's bytes into packages. It never
// throws on bad input: what it cannot read becomes a note in the scan result.
import type { EntrySink } from '../layers.ts';
import type { PackageType } from '../model.ts';

/** A package as a database file describes it, before OS and layer are known. */
export interface RawPackage {
  type: PackageType;
  name: string;
  version: string;
  arch?: string;
  sourceName?: string;
  sourceVersion?: string;
  licenses?: string[];
  /** rpm only: kept apart for the purl `epoch` qualifier (also folded into `version`). */
  epoch?: number;
  /** rpm only: the module stream (`name:stream`) the package was built in. */
  rpmModule?: string;
  /** npm only: the scope of `@scope/name`, for the purl namespace. */
  namespace?: string;
  /** The name as the metadata writes it, when `name` is normalised for matching (PyPI): the purl keeps it. */
  purlName?: string;
  /** Digest of the layer that introduced the package; set when layers are merged. */
  layer?: string;
}

export interface Analysis {
  packages: RawPackage[];
  notes: string[];
  /**
   * Set when the file is a package database whose packages could not all be read
   * (damaged, partly unreadable). The scan then stops with an error: a pass must not
   * rest on an inventory that leaves packages out.
   */
  unread?: Unread;
  /** Files a distribution package manager installed (dpkg `.list`, rpm file lists, apk `R:` lines). */
  owned?: OwnedFiles;
  /** Yarn's Plug'n'Play loader: the cache zips it registers (image paths), which Node can load from. */
  loads?: string[];
  /** A package cache's marker file, checked to be the tool's own (package-cache.ts). */
  cacheMarker?: boolean;
}

/** Absolute path (`/usr/lib/…`) → the name of the distribution package that installed it. */
export interface OwnedFiles {
  by: 'deb' | 'rpm' | 'apk';
  files: Map<string, string>;
  /**
   * What the package manager installed at each path, as `<algorithm>:<hex>` (`md5:…` from
   * dpkg's .md5sums, `sha1:…` from apk's Z: lines, rpm's FILEDIGESTS in its
   * FILEDIGESTALGO): a file with other content was put there by something else since.
   * Absent on a list whose records are kept per package elsewhere (dpkg's .list files;
   * its .md5sums carry `installed` and `installedBy`).
   */
  installed?: Map<string, string>;
  /**
   * The one package `installed` speaks for (dpkg's .md5sums, one file a package): a
   * package that took a file over (Replaces:) leaves the old owner's line behind, stale,
   * so a path is checked against the record of the package whose file list claims it.
   */
  installedBy?: string;
}

/** Why a package database that is in the image was not read, and what to do about it. */
export interface Unread {
  reason: string;
  hint: string;
  /** Too large for the per-file limit: reported as LIMIT_EXCEEDED. */
  limit?: boolean;
}

/**
 * `read`: buffer and parse the file. `presence`: only note that it exists.
 * `unsupported`: a package database in a format not read; finding it stops the scan
 * (`unsupported` says why). A reader for the format turns it into `read`.
 */
export type Interest = 'read' | 'presence' | 'unsupported';

export interface Analyzer {
  readonly name: string;
  interest(path: string): Interest | undefined;
  parse(path: string, data: Buffer): Analysis;
  /** What to report about a `presence` file; undefined when there is nothing to say. */
  presenceNote?(path: string, size: number): string | undefined;
  /** Why an `unsupported` file is not read. */
  unsupported?(path: string): Unread;
  /**
   * An OS package database (dpkg, apk, rpm): found and not read — too large, a symlink
   * out of reach, not a regular file — stops the scan. Unset for per-package metadata
   * files (npm, Python), where such a file only gets a note.
   */
  readonly packageDatabase?: boolean;
  /** Files recognised by content, not path (executables): a reader of their bytes as they stream past. */
  stream?(path: string, size: number): StreamReader | undefined;
  /**
   * A content analyser that reads only files of certain names (archives: `.jar`, `.egg`…):
   * whether `path` is one. A hard link by such a name to a file stored under another
   * (ostree's objects) is read again under the link's name (hard-link-targets.ts).
   */
  readsName?(path: string): boolean;
  /** Identity of a package across versions of the same database file, for layer attribution. */
  key(pkg: RawPackage): string;
}

export interface StreamReader extends EntrySink {
  /** After `end`: what the file held, or undefined when it is not a file this reader reads. */
  result(): Analysis | undefined;
}

export function displayPath(path: string): string {
  return `/${path}`;
}
