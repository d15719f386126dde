// OSV matches → findings. One vulnerability often reaches a package through several
// records (a Debian DSA, the DEBIAN-CVE record, the CVE itself): those share an ID or
// alias and become one finding that lists every ID, so counts, the policy and the ignore
// file see one vulnerability once.
import { mapPool } from '../pool.ts';
import type { Finding, Package, Severity } from './model.ts';
import type { OsvRecord } from './osv/record.ts';
import { compareSeverity, severityOfRecord, type RatedSeverity } from './severity.ts';

/** What the matcher (src/scan/osv/match.ts) returns for each affected package. */
export interface Match {
  package: Package;
  record: OsvRecord;
  fixed?: string;
}

export type RecordLookup = (id: string) => Promise<OsvRecord | undefined>;

/**
 * Alias records looked up at once for one finding. Every alias is consulted, not the
 * first few: an advisory listing dozens of CVEs (a SUSE kernel update) is rated by the
 * worst of them, and a cap let a critical one listed 11th pass fail-on: high. Lookups
 * are cached and shared (match.ts), so the bound only keeps a long list from bursting.
 */
const ALIAS_LOOKUPS_AT_ONCE = 4;

/**
 * Every ID a record is known by: its own, `aliases`, and `upstream` when that names one
 * vulnerability (DEBIAN-CVE-X → CVE-X; a DLA fixing CVE-X names CVE-X and DEBIAN-CVE-X).
 * An advisory that names several, in `upstream` (a USN or DSA fixing three CVEs) or in
 * `aliases` (RUSTSEC-2020-0014, a DSA listing its CVEs), is not another name for any one
 * of them: merging through it would make one finding of distinct vulnerabilities, rated
 * by one of them, and ignoring one would ignore them all. It is known by its own ID only.
 */
export function idsOf(record: OsvRecord): string[] {
  if (isBundle(record)) return [record.id];
  const ids = [record.id, ...(record.aliases ?? []), ...(record.upstream ?? [])];
  return [...new Set(ids.filter((id) => typeof id === 'string' && id.length > 0))];
}

/** The vulnerability an ID names: a distribution's per-CVE record (DEBIAN-CVE-X, UBUNTU-CVE-X) names CVE-X. */
function vulnerabilityOf(id: string): string {
  const perCve = /^[A-Z]+-(CVE-\d{4}-\d+)$/i.exec(id);
  return (perCve ? perCve[1]! : id).toUpperCase();
}

/**
 * The IDs, as written, of the vulnerabilities an advisory names: its `upstream`, and the
 * CVEs among its `aliases`. A GHSA or CVE record is held to this too: one that aliases
 * two CVEs names two vulnerabilities, and accepting one must not accept the other. They
 * were once exempt because a flaw is now and then assigned a CVE twice, but nothing in the
 * records says when two CVEs are that duplicate rather than two flaws fixed together, and
 * mistaking two flaws for one hides the second behind an ignore entry for the first.
 * Taken as distinct, a true duplicate costs a second ignore entry at most.
 */
function namedIds(record: OsvRecord): string[] {
  const cves = (record.aliases ?? []).filter((id) => typeof id === 'string' && /^CVE-/i.test(id));
  return [...(record.upstream ?? []), ...cves].filter((id) => typeof id === 'string' && id.length > 0);
}

/** The distinct vulnerabilities an advisory names. */
function namedVulnerabilities(record: OsvRecord): Set<string> {
  return new Set(namedIds(record).map(vulnerabilityOf));
}

function isBundle(record: OsvRecord): boolean {
  return namedVulnerabilities(record).size > 1;
}

export function packageKey(pkg: Package): string {
  return [pkg.type, pkg.ecosystem, pkg.name, pkg.version, pkg.path, pkg.layer].join('\u0000');
}

/** Groups a package's matches into clusters whose ID sets overlap (transitively). */
function cluster(matches: Match[]): Match[][] {
  const clusters: { ids: Set<string>; members: Match[] }[] = [];
  for (const match of matches) {
    const ids = new Set(idsOf(match.record).map((id) => id.toUpperCase()));
    const joined = clusters.filter((c) => [...ids].some((id) => c.ids.has(id)));
    const merged = { ids, members: [match] };
    for (const c of joined) {
      for (const id of c.ids) merged.ids.add(id);
      merged.members.unshift(...c.members);
      clusters.splice(clusters.indexOf(c), 1);
    }
    clusters.push(merged);
  }
  return clusters.map((c) => c.members);
}

// The ID a finding is shown under: the CVE when one of the records is named by it, then a
// GHSA, then the distro's per-CVE record, then advisories (DSA/USN…). People search for CVEs.
function idPreference(id: string): number {
  if (/^CVE-/i.test(id)) return 0;
  if (/^GHSA-/i.test(id)) return 1;
  if (/^[A-Z]+-CVE-/i.test(id)) return 2;
  return 3;
}

function pickPrimary(members: Match[]): Match {
  const sorted = [...members].sort(
    (a, b) => idPreference(a.record.id) - idPreference(b.record.id) || a.record.id.localeCompare(b.record.id),
  );
  return sorted[0]!;
}

function worst(ratings: (RatedSeverity | undefined)[]): RatedSeverity | undefined {
  let best: RatedSeverity | undefined;
  for (const rating of ratings) {
    if (rating && (!best || compareSeverity(rating.severity, best.severity) > 0)) best = rating;
  }
  return best;
}

function worstOfBundle(own: RatedSeverity, named: readonly (RatedSeverity | undefined)[]): RatedSeverity {
  const raising = own.distro ? named.filter((r) => r?.distro) : named;
  return worst([own, ...raising]) ?? own;
}

function summaryOf(records: OsvRecord[]): string {
  for (const record of records) if (record.summary?.trim()) return record.summary.trim();
  for (const record of records) {
    const firstLine = record.details?.trim().split('\n')[0];
    if (firstLine) return firstLine.length > 200 ? `${firstLine.slice(0, 197)}...` : firstLine;
  }
  return '';
}

/** Severity from the aliases' own records, for findings whose records have none. */
async function severityFromAliases(ids: string[], pkg: Package, lookup: RecordLookup): Promise<RatedSeverity | undefined> {
  return worst(await aliasRatings(ids, pkg, lookup));
}

async function aliasRatings(ids: string[], pkg: Package, lookup: RecordLookup): Promise<(RatedSeverity | undefined)[]> {
  const candidates = [...ids].sort((a, b) => idPreference(a) - idPreference(b));
  // A failed lookup throws (mapPool rethrows the first failure): the finding is not
  // rated from the aliases that happened to answer.
  return mapPool(candidates, ALIAS_LOOKUPS_AT_ONCE, (id) => aliasRating(id, pkg, lookup));
}

async function aliasRating(id: string, pkg: Package, lookup: RecordLookup): Promise<RatedSeverity | undefined> {
  const record = await lookup(id);
  const rating = record && !record.withdrawn ? severityOfRecord(record, pkg) : undefined;
  return rating ? { ...rating, source: `alias ${id}: ${rating.source}` } : undefined;
}

/**
 * `advisories`: bundles listed under this finding. `standsFor`: for a bundle standing
 * alone, the IDs of what it stands for: its rating's fallback, and its `names`.
 */
async function toFinding(members: Match[], lookup: RecordLookup, advisories: readonly string[] = [], standsFor: readonly string[] = []): Promise<Finding> {
  const primary = pickPrimary(members);
  const records = [primary.record, ...members.filter((m) => m !== primary).map((m) => m.record)];
  const pkg = primary.package;
  const allIds = [...new Set([...records.flatMap(idsOf), ...advisories])];
  const ownIds = new Set(records.map((r) => r.id));

  // Within one vulnerability, a distribution's rating outranks other records' vectors,
  // as it does within one record (see severity.ts).
  const ratings = records.map((r) => severityOfRecord(r, pkg));
  const distroRatings = ratings.filter((r) => r?.distro);
  let rating = worst(distroRatings.length > 0 ? distroRatings : ratings);
  if (!rating) rating = await severityFromAliases([...allIds.filter((id) => !ownIds.has(id)), ...standsFor], pkg, lookup);
  // An advisory standing alone is the only finding of the CVEs it stands for: its own
  // rating is of the advisory as a whole, and must not hide a worse one a named CVE has.
  // A distribution's own rating still outranks other records' vectors (as above): only
  // another distribution rating of a named CVE may raise it.
  else if (standsFor.length > 0) rating = worstOfBundle(rating, await aliasRatings([...standsFor], pkg, lookup));

  const severity: Severity = rating?.severity ?? 'unknown';
  const finding: Finding = {
    id: primary.record.id,
    aliases: allIds.filter((id) => id !== primary.record.id).sort(),
    summary: summaryOf(records),
    severity,
    severitySource: rating?.source ?? `no severity in ${allIds.join(', ')}`,
    package: pkg,
    installed: pkg.version,
    url: `https://osv.dev/vulnerability/${encodeURIComponent(primary.record.id)}`,
  };
  if (rating?.score !== undefined) finding.score = rating.score;
  if (standsFor.length > 0) finding.names = [...new Set(standsFor.map(vulnerabilityOf))].sort();
  const fixed = primary.fixed ?? members.find((m) => m.fixed)?.fixed;
  if (fixed) finding.fixed = fixed;
  return finding;
}

/**
 * Turns matcher output into findings: withdrawn records are dropped, records that name the
 * same vulnerability for the same package are merged, and a severity is found for each
 * (its records, else its aliases' records via `lookup`, else `unknown` saying so).
 */
export async function findingsFromMatches(matches: Match[], lookup: RecordLookup): Promise<Finding[]> {
  const byPackage = new Map<string, Match[]>();
  for (const match of matches) {
    if (match.record.withdrawn) continue;
    const key = packageKey(match.package);
    const list = byPackage.get(key) ?? [];
    list.push(match);
    byPackage.set(key, list);
  }
  const findings: Finding[] = [];
  for (const group of byPackage.values()) findings.push(...(await packageFindings(group, lookup)));
  return findings.sort((a, b) => compareSeverity(b.severity, a.severity) || a.id.localeCompare(b.id) ||
    a.package.name.localeCompare(b.package.name));
}

/**
 * One package's findings. An advisory that fixes several vulnerabilities (a bundle) is
 * listed under each of them that has a finding of its own, so its ID finds them all,
 * and stands as a finding itself only for what none of them covers, naming those
 * (`names`). An ignore entry naming one CVE then ignores that CVE alone; the bundle's
 * finding is accepted by its own ID, or when every vulnerability it names is accepted.
 */
async function packageFindings(group: Match[], lookup: RecordLookup): Promise<Finding[]> {
  const bundles: Match[] = [];
  const singles: Match[] = [];
  for (const m of group) (isBundle(m.record) ? bundles : singles).push(m);
  const clusters = cluster(singles);
  const covered = clusters.map((members) => new Set(members.flatMap((m) => idsOf(m.record)).map(vulnerabilityOf)));
  const advisories = clusters.map((): string[] => []);
  const standalone: { bundle: Match; uncovered: string[] }[] = [];
  for (const bundle of bundles) {
    const named = namedVulnerabilities(bundle.record);
    covered.forEach((c, i) => {
      if ([...named].some((v) => c.has(v))) advisories[i]!.push(bundle.record.id);
    });
    const uncovered = namedIds(bundle.record).filter((id) => !covered.some((c) => c.has(vulnerabilityOf(id))));
    if (uncovered.length > 0) standalone.push({ bundle, uncovered });
  }
  const findings: Finding[] = [];
  for (const [i, members] of clusters.entries()) findings.push(await toFinding(members, lookup, advisories[i]));
  // Rated by the worst of its own rating and those of what it stands for.
  for (const { bundle, uncovered } of standalone) findings.push(await toFinding([bundle], lookup, [], uncovered));
  return findings;
}
