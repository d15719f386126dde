// The contract between the layer walker and the per-ecosystem readers. An analyser
// says which paths it reads and turns one file's bytes into packages. It never
// throws on bad input: what it cannot read becomes a note in the scan result.
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
  /** npm only: the scope of `@scope/name`, for the purl namespace. */
  namespace?: string;
  /** Digest of the layer that introduced the package; set when layers are merged. */
  layer?: string;
}

export interface Analysis {
  packages: RawPackage[];
  notes: string[];
  /** Files a distribution package manager installed (dpkg `.list`, rpm file lists, apk `R:` lines). */
  owned?: OwnedFiles;
}

/** Absolute path (`/usr/lib/…`) → the name of the distribution package that installed it. */
export interface OwnedFiles {
  by: 'deb' | 'rpm' | 'apk';
  files: Map<string, string>;
}

/** `read`: buffer and parse the file. `presence`: only note that it exists (formats we do not read). */
export type Interest = 'read' | 'presence';

export interface Analyzer {
  readonly name: string;
  interest(path: string): Interest | undefined;
  parse(path: string, data: Buffer): Analysis;
  /** What to report about a `presence` file; undefined when there is nothing to say. */
  presenceNote?(path: string, size: number): string | undefined;
  /** Identity of a package across versions of the same database file, for layer attribution. */
  key(pkg: RawPackage): string;
}

export function displayPath(path: string): string {
  return `/${path}`;
}
