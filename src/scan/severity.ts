// How bad an OSV record says a vulnerability is, from what the record itself carries.
// Sources, in the order they are trusted for one record:
//   1. the distribution's own rating when the package is a distribution package (Debian
//      urgency, Ubuntu priority, the Red Hat rating heading an AlmaLinux or Rocky Linux
//      advisory's summary): the distro judged the impact on the build it ships, which
//      is what Trivy and Grype report too (e.g. bash CVE-2019-18276: NVD 7.8, Debian low);
//   2. CVSS vectors (record-level and the matching `affected[].severity`), scored here from
//      the vector, preferring v3 over v4 over v2 and the highest score within a version;
//   3. a textual rating in `database_specific.severity` (GHSA: CRITICAL/HIGH/MODERATE/LOW)
//      or `affected[].ecosystem_specific.severity`.
// https://ossf.github.io/osv-schema/#severity-field
import type { Package, Severity } from './model.ts';
import type { OsvAffected, OsvRecord, OsvSeverity } from './osv/record.ts';
import { cvssBaseScore, type CvssScore } from './cvss.ts';

export interface RatedSeverity {
  severity: Severity;
  /** Human-readable origin, e.g. `CVSS_V3 9.8`, `Debian urgency low`, `GHSA HIGH`. */
  source: string;
  /** The CVSS base score, when the record has a vector (even if a distro rating won). */
  score?: number;
  /** Whether a distribution rated it (Debian urgency, Ubuntu priority, a Red Hat-family advisory's rating). */
  distro?: boolean;
}

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 };

/** Orders severities: positive when `a` is worse than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[a] - RANK[b];
}

/** The qualitative rating of a CVSS score (v3.1 §5, v4.0 §6): 0.0 None is reported as low. */
export function ratingForScore(score: number): Severity {
  if (score >= 9.0) return 'critical';
  if (score >= 7.0) return 'high';
  if (score >= 4.0) return 'medium';
  return 'low';
}

/** A textual rating (GHSA, Trivy, Grype, distro trackers) → Severity; undefined when it says nothing. */
export function ratingForLabel(label: string): Severity | undefined {
  // Debian marks urgencies inferred from NVD with a trailing `**`.
  const word = label.trim().toLowerCase().replace(/\*+$/, '');
  switch (word) {
    case 'critical':
      return 'critical';
    case 'high':
    case 'important':
      return 'high';
    case 'medium':
    case 'moderate':
      return 'medium';
    case 'low':
    case 'negligible':
    case 'unimportant':
      return 'low';
    default:
      // `not yet assigned`, `end-of-life`, `untriaged`, `unknown`: no rating.
      return undefined;
  }
}

const CVSS_PREFERENCE = ['CVSS_V3', 'CVSS_V4', 'CVSS_V2'];

/** The CVSS score the record's vectors give, by version preference, then highest score. */
function bestCvss(entries: OsvSeverity[]): { type: string; cvss: CvssScore } | undefined {
  for (const type of CVSS_PREFERENCE) {
    let best: CvssScore | undefined;
    for (const entry of entries) {
      if (entry.type !== type || typeof entry.score !== 'string') continue;
      const cvss = cvssBaseScore(entry.score);
      if (cvss && (!best || cvss.score > best.score)) best = cvss;
    }
    if (best) return { type, cvss: best };
  }
  return undefined;
}

function affectedFor(record: OsvRecord, pkg: Package | undefined): OsvAffected[] {
  const all = Array.isArray(record.affected) ? record.affected : [];
  if (!pkg) return all;
  const names = new Set([pkg.name, pkg.sourceName].filter((n): n is string => Boolean(n)));
  const matching = all.filter((a) => a.package?.ecosystem === pkg.ecosystem && names.has(a.package.name));
  return matching.length > 0 ? matching : all;
}

function stringField(bag: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = bag?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** Debian urgency or Ubuntu priority carried by the record, when it has one. */
function distroRating(record: OsvRecord, affected: OsvAffected[]): { severity: Severity; source: string } | undefined {
  for (const entry of [...(record.severity ?? []), ...affected.flatMap((a) => a.severity ?? [])]) {
    if (entry.type !== 'Ubuntu' || typeof entry.score !== 'string') continue;
    const severity = ratingForLabel(entry.score);
    if (severity) return { severity, source: `Ubuntu priority ${entry.score}` };
  }
  const urgencies = [
    ...affected.map((a) => stringField(a.ecosystem_specific, 'urgency') ?? stringField(a.database_specific, 'urgency')),
    stringField(record.database_specific, 'urgency'),
  ];
  for (const urgency of urgencies) {
    const severity = urgency === undefined ? undefined : ratingForLabel(urgency);
    if (severity) return { severity, source: `Debian urgency ${urgency}` };
  }
  return advisoryRating(record, affected);
}

const RED_HAT_FAMILY = ['AlmaLinux', 'Rocky Linux', 'Red Hat'];

/**
 * Red Hat's rating of an advisory, where the distribution writes it only as the first
 * word of the summary ("Important: krb5 security update"): AlmaLinux's records carry no
 * severity, aliases or upstream at all, so without it every one of them was unknown.
 */
function advisoryRating(record: OsvRecord, affected: OsvAffected[]): { severity: Severity; source: string } | undefined {
  const ecosystem = affected.map((a) => a.package?.ecosystem ?? '').find((e) => RED_HAT_FAMILY.some((f) => e === f || e.startsWith(`${f}:`)));
  const word = /^(Critical|Important|Moderate|Low):/.exec(typeof record.summary === 'string' ? record.summary : '')?.[1];
  if (ecosystem === undefined || word === undefined) return undefined;
  const severity = ratingForLabel(word);
  return severity ? { severity, source: `${ecosystem.split(':')[0]} ${word}` } : undefined;
}

function labelRating(record: OsvRecord, affected: OsvAffected[]): { severity: Severity; source: string } | undefined {
  const recordLabel = stringField(record.database_specific, 'severity');
  const labels = [
    { label: recordLabel, source: record.id.startsWith('GHSA-') ? 'GHSA' : 'database_specific' },
    ...affected.map((a) => ({ label: stringField(a.ecosystem_specific, 'severity'), source: 'ecosystem_specific' })),
  ];
  for (const { label, source } of labels) {
    const severity = label === undefined ? undefined : ratingForLabel(label);
    if (severity) return { severity, source: `${source} ${label}` };
  }
  return undefined;
}

/** The severity one record gives for `pkg`, or undefined when it carries none. */
export function severityOfRecord(record: OsvRecord, pkg?: Package): RatedSeverity | undefined {
  const affected = affectedFor(record, pkg);
  const cvss = bestCvss([...(record.severity ?? []), ...affected.flatMap((a) => a.severity ?? [])]);
  const score = cvss?.cvss.score;
  const withScore = (rated: { severity: Severity; source: string }): RatedSeverity =>
    score === undefined ? rated : { ...rated, score };

  const distro = distroRating(record, affected);
  if (distro) return { ...withScore(distro), distro: true };
  if (cvss) return { severity: ratingForScore(cvss.cvss.score), source: `${cvss.type} ${cvss.cvss.score}`, score: cvss.cvss.score };
  const label = labelRating(record, affected);
  return label ? withScore(label) : undefined;
}
