// The offline vulnerability database (`vuln-db`): a directory holding OSV JSON records
// (at any depth) and/or per-ecosystem `all.zip` archives as osv.dev publishes them
// (`<Ecosystem>/all.zip`, a zip of `<ID>.json`). Only records for the ecosystems in
// the inventory are parsed, and only those naming an inventory package are kept, in
// an in-memory index; nothing touches the network. A second pass then keeps the records
// those name as aliases or upstream (the NVD CVE record a Debian advisory points to, in
// the GIT export), so that severity resolves through them exactly as online.

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ImmutagError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { ecosystemBase, ecosystemMatches, packageNameKey } from './ecosystem.ts';
import { mapPool } from '../../pool.ts';
import type { OsvRecord } from './record.ts';
import { readZip } from './zip.ts';
import { plural } from '../../report/markdown.ts';

// Ecosystem names osv.dev uses for its export directories: a zip under one of these
// that no inventory ecosystem matches is skipped unread.
const EXPORT_ECOSYSTEMS = new Set([
  'AlmaLinux', 'Alpaquita', 'Alpine', 'Android', 'Bitnami', 'Chainguard', 'CRAN', 'crates.io', 'Debian', 'Echo', 'GHC', 'GIT',
  'GitHub Actions', 'Go', 'Hackage', 'Hex', 'Linux', 'Mageia', 'Maven', 'MinimOS', 'npm', 'NuGet', 'openEuler',
  'openSUSE', 'OSS-Fuzz', 'Packagist', 'Photon OS', 'Pub', 'PyPI', 'Red Hat', 'Rocky Linux', 'RubyGems', 'SUSE',
  'SwiftURL', 'Ubuntu', 'UVI', 'Wolfi',
]);

export interface WantedPackage {
  ecosystem: string;
  name: string;
}

/**
 * Records of the offline database that name an inventory package, indexed by
 * ecosystem base and package name. Keeping only those bounds memory by the inventory,
 * not by the size of the export (Debian's all.zip alone holds every Debian release).
 */
export class VulnIndex {
  private readonly byPackage = new Map<string, OsvRecord[]>();
  private readonly byId = new Map<string, OsvRecord>();
  private readonly ecosystems: readonly string[];
  private readonly wanted: ReadonlySet<string>;

  constructor(packages: readonly WantedPackage[]) {
    this.ecosystems = [...new Set(packages.map((p) => p.ecosystem))];
    this.wanted = new Set(packages.map((p) => this.key(p.ecosystem, p.name)));
  }

  get size(): number {
    return this.byId.size;
  }

  add(record: OsvRecord): boolean {
    const keys = new Set<string>();
    for (const entry of Array.isArray(record.affected) ? record.affected : []) {
      const p = entry.package;
      if (!p || typeof p.ecosystem !== 'string' || typeof p.name !== 'string') continue;
      const key = this.key(p.ecosystem, p.name);
      if (!this.wanted.has(key) || !this.ecosystems.some((e) => ecosystemMatches(p.ecosystem, e))) continue;
      keys.add(key);
    }
    if (keys.size === 0) return false;
    this.byId.set(record.id, record);
    for (const key of keys) {
      const list = this.byPackage.get(key);
      if (list) list.push(record);
      else this.byPackage.set(key, [record]);
    }
    return true;
  }

  /** Kept for lookups only: a record another kept record names as alias or upstream. */
  addReferenced(record: OsvRecord): void {
    if (!this.byId.has(record.id)) this.byId.set(record.id, record);
  }

  /** Ids the kept records name (aliases, upstream) that the index does not hold yet. */
  missingReferences(): Set<string> {
    const missing = new Set<string>();
    for (const record of this.byId.values()) {
      for (const id of [...(record.aliases ?? []), ...(record.upstream ?? [])]) {
        if (!this.byId.has(id)) missing.add(id);
      }
    }
    return missing;
  }

  /** Records naming this package in any release of its ecosystem; the caller evaluates them. */
  candidates(ecosystem: string, name: string): OsvRecord[] {
    return this.byPackage.get(this.key(ecosystem, name)) ?? [];
  }

  get(id: string): OsvRecord | undefined {
    return this.byId.get(id);
  }

  private key(ecosystem: string, name: string): string {
    return `${ecosystemBase(ecosystem)}\u0000${packageNameKey(ecosystem, name)}`;
  }
}

function unreadable(path: string, what: string, cause?: unknown): ImmutagError {
  return new ImmutagError('SCANNER_FAILED', `The vulnerability database ${path} could not be read: ${what}`, {
    hint: 'vuln-db must be a directory of OSV JSON records or of <Ecosystem>/all.zip files downloaded from osv.dev.',
    cause,
  });
}

interface LoadState {
  index: VulnIndex;
  bases: readonly string[];
}

// Cheap test before JSON.parse: a record for our ecosystems names one of their bases.
function parseRecord(text: string, origin: string, state: LoadState): void {
  if (!state.bases.some((b) => text.includes(b))) return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw unreadable(origin, 'a record is not valid JSON', err);
  }
  if (typeof value !== 'object' || value === null || typeof (value as OsvRecord).id !== 'string') return;
  state.index.add(value as OsvRecord);
}

function zipIsWanted(path: string, ecosystems: readonly string[]): boolean {
  const folder = basename(dirname(path));
  if (!EXPORT_ECOSYSTEMS.has(ecosystemBase(folder))) return true;
  return ecosystems.some((e) => ecosystemMatches(folder, e));
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * Reads the offline database at `root`, keeping the records that name one of the
 * `packages` (ecosystem as OSV spells it, `Debian:12`, `npm`…; source package name
 * for distributions).
 */
export async function loadVulnDb(root: string, packages: readonly WantedPackage[], logger?: Logger): Promise<VulnIndex> {
  const ecosystems = [...new Set(packages.map((p) => p.ecosystem))];
  const info = await stat(root).catch((err: unknown) => {
    throw unreadable(root, 'the path does not exist', err);
  });
  const files = info.isDirectory() ? await listFiles(root) : [root];
  const jsonFiles = files.filter((f) => f.endsWith('.json'));
  const zipFiles = files.filter((f) => f.endsWith('.zip'));
  if (jsonFiles.length === 0 && zipFiles.length === 0) throw unreadable(root, 'it holds no .json records and no all.zip archives');
  const state: LoadState = { index: new VulnIndex(packages), bases: [...new Set(ecosystems.map(ecosystemBase))] };
  if (state.bases.length === 0) return state.index;
  await mapPool(jsonFiles, 16, async (file) => {
    const text = await readFile(file, 'utf8').catch((err: unknown) => {
      throw unreadable(file, 'a record file could not be read', err);
    });
    parseRecord(text, file, state);
  });
  const wanted = zipFiles.filter((f) => zipIsWanted(f, ecosystems));
  for (const file of wanted) {
    for await (const entry of readZip(file, { accept: (name) => name.endsWith('.json') })) {
      parseRecord(entry.data.toString('utf8'), `${file}:${entry.name}`, state);
    }
  }
  const applying = state.index.size;
  // Aliases live in the same ecosystem's export, or, for CVE ids, in GIT's (NVD's records).
  const referenced = await loadReferenced(state.index, jsonFiles, zipFiles.filter((f) => wanted.includes(f) || basename(dirname(f)) === 'GIT'));
  logger?.info(
    `vuln-db: ${plural(applying, 'record')} for ${ecosystems.join(', ')}, plus ${plural(referenced, 'record')} they name as aliases ` +
      `(read ${plural(jsonFiles.length, 'JSON file')} and ${wanted.length} of ${plural(zipFiles.length, 'zip archive')})`,
  );
  warnUnresolved(state.index.missingReferences(), logger);
  return state.index;
}

/**
 * Debian's advisories (and others') carry no rating of their own: online, the CVE
 * records they name rate them. Offline, those are in osv.dev's GIT export, and without
 * it such a finding is `unknown`, which passes every `fail-on` but `low` where the
 * same image scanned online fails: say which records were missing and where they are.
 */
function warnUnresolved(missing: Set<string>, logger: Logger | undefined): void {
  if (missing.size === 0) return;
  const some = [...missing].sort().slice(0, 5).join(', ');
  logger?.warning(
    `vuln-db: ${plural(missing.size, 'record')} that the advisories for this image name as aliases or upstream ` +
      `${missing.size === 1 ? 'is' : 'are'} not in vuln-db (${some}${missing.size > 5 ? ', …' : ''}): a finding rated only through ` +
      "them is `unknown`, which fails only fail-on: low. Add osv.dev's GIT/all.zip (the CVE records) beside the ecosystem archives.",
  );
}

/**
 * The second pass: records named as alias or upstream by a kept record, found by file
 * name (`<ID>.json`, as osv.dev lays out its exports) in the directory and in the given
 * archives. Entries of other names are not even decompressed.
 */
async function loadReferenced(index: VulnIndex, jsonFiles: readonly string[], zipFiles: readonly string[]): Promise<number> {
  const missing = index.missingReferences();
  if (missing.size === 0) return 0;
  const idOf = (name: string) => basename(name).replace(/\.json$/, '');
  const before = index.size;
  const keep = (text: string, origin: string) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw unreadable(origin, 'a record is not valid JSON', err);
    }
    if (typeof value === 'object' && value !== null && missing.has((value as OsvRecord).id)) index.addReferenced(value as OsvRecord);
  };
  await mapPool(jsonFiles.filter((f) => missing.has(idOf(f))), 16, async (file) => {
    keep(await readFile(file, 'utf8'), file);
  });
  for (const file of zipFiles) {
    for await (const entry of readZip(file, { accept: (name) => missing.has(idOf(name)) })) {
      keep(entry.data.toString('utf8'), `${file}:${entry.name}`);
    }
  }
  return index.size - before;
}
