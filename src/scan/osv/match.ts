// Which OSV records affect which inventory packages. The whole flow:
//   0. language packages a distribution package installed (`ownedBy`) are not asked
//      about: the distribution's advisories cover them (inventory.ts says so once);
//      nor are the packages of an OS OSV does not cover (an empty ecosystem);
//   1. one query per distinct (ecosystem, name, version); dpkg and apk packages are
//      asked for by source package and source version, as OSV indexes Debian, Ubuntu
//      and Alpine; rpm packages by binary package, as the Red Hat, Rocky and AlmaLinux
//      records name them (krb5-libs, never krb5), except Azure Linux, openEuler, Mageia,
//      SUSE, openSUSE and Photon OS, whose records name the source rpm (Azure Linux's
//      `python-webob`, not python3-webob; openSUSE's `curl`, not libcurl4; Photon's
//      `sqlite`, never the `sqlite-libs` its images install);
//   2. candidates: from the OSV API (querybatch, then each record once by ID) or,
//      when `vulnDb` is set, from the offline export with no network at all;
//   3. every candidate is evaluated here against the package (evaluate.ts): withdrawn
//      records and records OSV returned for another reason are dropped, `fixed` computed.

import type { Logger } from '../../log.ts';
import type { Package } from '../model.ts';
import { OsvClient, type OsvQuery } from './client.ts';
import { queryEcosystems, querySpellings, queryVersions } from './ecosystem.ts';
import { evaluateRecord } from './evaluate.ts';
import { comparatorFor } from '../version/index.ts';
import { loadVulnDb } from './offline.ts';
import { mapPool } from '../../pool.ts';
import type { OsvRecord } from './record.ts';
import type { RetryPolicy } from '../../registry/retry.ts';
import { plural } from '../../report/markdown.ts';

export interface MatchOptions {
  /** OSV API base URL; default https://api.osv.dev. */
  osvUrl?: string;
  /** Offline export path; when set, no network is used. */
  vulnDb?: string;
  /** Parallel `vulns/{id}` requests (default 8). */
  concurrency?: number;
  logger?: Logger;
  /** Per-request timeout (default 60 s). */
  fetchTimeoutMs?: number;
  /** Retry tuning for the OSV API (default: 5 tries, 0.5 s doubling, 30 s cap). */
  retry?: Partial<RetryPolicy>;
  /** The run's signal: the OSV API's requests and retry waits end with it (client.ts). */
  signal?: AbortSignal;
}

export interface Match {
  package: Package;
  record: OsvRecord;
  /** Lowest fixed version above the installed one, if any. */
  fixed?: string;
}

export interface MatchResult {
  matches: Match[];
  /** A record by ID (for aliases); each ID is fetched at most once. */
  lookup(id: string): Promise<OsvRecord | undefined>;
  /** Releases the HTTP connections once no more lookups are needed (idle ones do not hold the process). */
  close?(): Promise<void>;
}

export const DEFAULT_OSV_URL = 'https://api.osv.dev';

interface Query extends OsvQuery {
  packages: Package[];
  /** rpm only: one query per module stream, whose records are read apart (rpm-modules.ts). */
  rpmModule?: string;
}

/**
 * rpm ecosystems whose records name source packages (osv-schema's ecosystem list; Mageia's
 * advisories list SRPMs; SUSE's and openSUSE's list the binaries beside the source).
 * Photon OS's schema entry says only "the RPM package", but its advisories (PHSA, the feed
 * osv.dev imports) name the spec: `sqlite`, `expat`, `xz`, never a `-libs` subpackage.
 */
const RPM_BY_SOURCE = ['Azure Linux:', 'openEuler:', 'Mageia:', 'SUSE:', 'openSUSE:', 'Photon OS:'];

/** Groups packages by what is asked of OSV: dpkg and apk binary packages of one source share a query. */
export function buildQueries(packages: readonly Package[]): Query[] {
  const byKey = new Map<string, Query>();
  for (const pkg of packages) {
    // An empty ecosystem is an OS OSV does not cover (the inventory says so): asked, OSV
    // would search every ecosystem by name, and no answer could apply.
    if (pkg.ownedBy || pkg.ecosystem === '') continue;
    const bySource = pkg.type !== 'rpm' || RPM_BY_SOURCE.some((prefix) => pkg.ecosystem.startsWith(prefix));
    const installed = (bySource && pkg.sourceVersion) || pkg.version;
    for (const ecosystem of queryEcosystems(pkg.ecosystem)) {
      for (const name of querySpellings(ecosystem, (bySource && pkg.sourceName) || pkg.name)) {
        for (const version of queryVersions(ecosystem, installed)) {
          const key = `${ecosystem}\u0000${name}\u0000${version}\u0000${pkg.rpmModule ?? ''}`;
          const query = byKey.get(key);
          if (query) query.packages.push(pkg);
          else byKey.set(key, { ecosystem, name, version, packages: [pkg], ...(pkg.rpmModule === undefined ? {} : { rpmModule: pkg.rpmModule }) });
        }
      }
    }
  }
  return [...byKey.values()];
}

function matchesFor(query: Query, records: Iterable<OsvRecord>, keepUnknown: boolean): Match[] {
  const out: Match[] = [];
  for (const record of records) {
    const { verdict, fixed } = evaluateRecord(record, query);
    if (verdict === 'unaffected' || (verdict === 'unknown' && !keepUnknown)) continue;
    for (const pkg of query.packages) out.push(fixed === undefined ? { package: pkg, record } : { package: pkg, record, fixed });
  }
  return out;
}

async function matchOffline(queries: Query[], vulnDb: string, logger?: Logger): Promise<MatchResult> {
  const index = await loadVulnDb(vulnDb, queries, logger);
  const matches = queries.flatMap((q) => matchesFor(q, index.candidates(q.ecosystem, q.name), false));
  // Offline, a record whose ranges cannot be ordered is dropped (online, OSV's own answer
  // stands): an ecosystem with no version ordering here must not go quiet.
  const unordered = new Set(queries.filter((q) => comparatorFor(q.ecosystem) === undefined && index.candidates(q.ecosystem, q.name).length > 0).map((q) => q.ecosystem));
  for (const ecosystem of unordered) {
    logger?.warning(`vuln-db: immutag has no version ordering for ${ecosystem}, so its records' version ranges were not evaluated and none of them is in the findings; scan this image online (without vuln-db) or with trivy or grype`);
  }
  return { matches, lookup: async (id) => index.get(id) };
}

async function matchOnline(queries: Query[], options: MatchOptions): Promise<MatchResult> {
  const concurrency = options.concurrency ?? 8;
  const client = new OsvClient({
    baseUrl: options.osvUrl ?? DEFAULT_OSV_URL,
    concurrency,
    ...(options.fetchTimeoutMs === undefined ? {} : { timeoutMs: options.fetchTimeoutMs }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  // One promise per ID: concurrent and later lookups of the same ID share one request.
  const cache = new Map<string, Promise<OsvRecord | undefined>>();
  const fetchOnce = (id: string): Promise<OsvRecord | undefined> => {
    let pending = cache.get(id);
    if (!pending) {
      pending = client.getVuln(id);
      cache.set(id, pending);
    }
    return pending;
  };
  let ids: string[][];
  let unique: string[];
  let records: (OsvRecord | undefined)[];
  try {
    ids = await client.queryBatch(queries);
    unique = [...new Set(ids.flat())];
    records = await mapPool(unique, concurrency, fetchOnce);
  } catch (err) {
    await client.close();
    throw err;
  }
  options.logger?.info(`OSV: ${plural(queries.length, 'query', 'queries')}, ${plural(unique.length, 'distinct advisory', 'distinct advisories')}`);
  const byId = new Map<string, OsvRecord>();
  unique.forEach((id, i) => {
    const record = records[i];
    if (record) byId.set(id, record);
    else options.logger?.warning(`OSV listed ${id} but has no record for it any more; skipped`);
  });
  const matches = queries.flatMap((q, i) => {
    const candidates = (ids[i] ?? []).map((id) => byId.get(id)).filter((r): r is OsvRecord => r !== undefined);
    // OSV already decided these affect the version; where immutag has no ordering for
    // the ecosystem (verdict unknown) its answer stands.
    return matchesFor(q, candidates, true);
  });
  return { matches, lookup: fetchOnce, close: () => client.close() };
}

/** Finds the OSV records affecting each package, online or from `options.vulnDb`. */
export async function matchPackages(packages: Package[], options: MatchOptions): Promise<MatchResult> {
  const queries = buildQueries(packages);
  if (queries.length === 0 && !options.vulnDb) return { matches: [], lookup: async () => undefined };
  const result = options.vulnDb ? await matchOffline(queries, options.vulnDb, options.logger) : await matchOnline(queries, options);
  return { ...result, matches: distinct(result.matches) };
}

/** One match per package and record: a package asked about under two spellings (querySpellings) may meet a record twice. */
function distinct(matches: Match[]): Match[] {
  const seen = new Map<Package, Set<string>>();
  return matches.filter((m) => {
    const ids = seen.get(m.package) ?? new Set<string>();
    seen.set(m.package, ids);
    if (ids.has(m.record.id)) return false;
    ids.add(m.record.id);
    return true;
  });
}
