// The Grype engine: `grype oci-dir:<layout>` or `grype registry:<repo@digest>` with `-o json`,
// its matches read into the shared finding model. Grype's JSON lists matched packages only,
// so the package inventory of a Grype scan is the vulnerable packages.
// https://github.com/anchore/grype#output-formats
import type { Finding, OsInfo, Package, PackageType, PlatformScan, Severity } from '../model.ts';
import { compareSeverity, ratingForScore } from '../severity.ts';
import { ecosystemFor, engineSeverity, pinnedReference, scanEachPlatform, type EngineOptions, type EngineScan, type EngineTarget } from './engine.ts';
import { fixComparator, lowestFixAbove } from './fixed-version.ts';
import { unexpectedReport } from './process.ts';

export const GRYPE_INSTALL_HINT =
  'Install Grype before this step, e.g. with the anchore/scan-action/download-grype action, or choose scan: osv (built in).';

interface GrypeCvss { source?: string; version?: string; metrics?: { baseScore?: number } }

interface GrypeMatch {
  vulnerability?: {
    id?: string; severity?: string; description?: string; dataSource?: string; urls?: string[];
    cvss?: GrypeCvss[]; fix?: { versions?: string[]; state?: string };
  };
  relatedVulnerabilities?: { id?: string; description?: string; severity?: string; cvss?: GrypeCvss[] }[];
  /** fix.suggestedVersion: grype's own choice among fix.versions for this package. */
  matchDetails?: { fix?: { suggestedVersion?: string } }[];
  /** On ignoredMatches: the rules that ignored the match. */
  appliedIgnoreRules?: { vulnerability?: string; 'fix-state'?: string; package?: unknown }[];
  artifact?: {
    name?: string; version?: string; type?: string; purl?: string; licenses?: string[];
    locations?: { path?: string; layerID?: string }[]; upstreams?: { name?: string; version?: string }[];
  };
}

interface GrypeReport { matches?: GrypeMatch[]; ignoredMatches?: GrypeMatch[]; distro?: { name?: string; version?: string } }

function packageType(grypeType: string): PackageType {
  switch (grypeType) {
    case 'deb':
    case 'apk':
    case 'rpm':
    case 'npm':
      return grypeType;
    case 'python':
      return 'pypi';
    default:
      return 'other';
  }
}

function toPackage(artifact: NonNullable<GrypeMatch['artifact']>, os: OsInfo | undefined): Package {
  const type = packageType(artifact.type ?? '');
  const location = artifact.locations?.[0];
  const pkg: Package = {
    type,
    name: artifact.name ?? '',
    version: artifact.version ?? '',
    ecosystem: ecosystemFor(type, os?.id, os?.versionId, artifact.type ?? ''),
    path: location?.path ?? '',
    layer: location?.layerID ?? '',
  };
  const upstream = artifact.upstreams?.[0];
  if (upstream?.name) pkg.sourceName = upstream.name;
  if (upstream?.version) pkg.sourceVersion = upstream.version;
  if (artifact.purl) pkg.purl = artifact.purl;
  if (artifact.licenses?.length) pkg.licenses = artifact.licenses;
  return pkg;
}

function scoreOf(cvss: GrypeCvss[] | undefined): number | undefined {
  const list = cvss ?? [];
  const preferred = list.find((c) => c.source === 'nvd' && c.version?.startsWith('3')) ?? list.find((c) => c.version?.startsWith('3')) ?? list[0];
  return preferred?.metrics?.baseScore;
}

function toFinding(match: GrypeMatch, pkg: Package): Finding {
  const v = match.vulnerability ?? {};
  const id = v.id ?? '';
  const related = (match.relatedVulnerabilities ?? []).map((r) => r.id).filter((r): r is string => Boolean(r) && r !== id);
  // An advisory that fixes several CVEs (ALAS, ELSA, a GHSA relating two) is not any one
  // of them: accepting one CVE must not accept the advisory and the others with it (as
  // in the osv engine, findings.ts namedIds). It names them instead (Finding.names): an
  // ignore file accepting every one of them accepts it.
  const relatedCves = new Set(related.filter((r) => /^CVE-/i.test(r)).map((r) => r.toUpperCase()));
  const bundle = relatedCves.size > 1;
  const description = v.description ?? match.relatedVulnerabilities?.find((r) => r.description)?.description ?? '';
  const finding: Finding = {
    id,
    aliases: bundle ? [] : [...new Set(related)],
    summary: description.split('\n')[0] ?? '',
    severity: engineSeverity(v.severity),
    severitySource: `grype ${v.severity ?? 'Unknown'}`,
    package: pkg,
    installed: pkg.version,
  };
  if (bundle) finding.names = [...relatedCves].sort();
  const score = finding.severity === 'unknown' ? rateUnknown(finding, match) : scoreOf(v.cvss);
  if (score !== undefined) finding.score = score;
  const fixed = fixedVersion(match, pkg);
  if (fixed) finding.fixed = fixed;
  const url = v.dataSource || v.urls?.[0];
  if (url) finding.url = url;
  return finding;
}

/**
 * Matches a user's rule ignored (one naming a vulnerability, or only-fixed's fix-state
 * rule) are findings like the others: the policy is immutag's. grype runs on our own
 * empty configuration, so none should come; this holds if a grype ever reads one anyway.
 * grype's built-in rules (kernel headers matched through the `linux` source package,
 * known false positives) name neither, and stay ignored.
 */
function userIgnored(ignored: GrypeMatch[] | undefined): GrypeMatch[] {
  if (!Array.isArray(ignored)) return [];
  return ignored.filter((m) => (m.appliedIgnoreRules ?? []).some((rule) => Boolean(rule.vulnerability) || Boolean(rule['fix-state'])));
}

// grype artifact types whose package ecosystem (engine.ts ecosystemFor) names no OSV
// ecosystem, mapped to the OSV ecosystem whose version ordering they use.
const ORDERING_OF_TYPE: Record<string, string> = {
  deb: 'Debian', apk: 'Alpine', rpm: 'Red Hat', 'java-archive': 'Maven', 'jenkins-plugin': 'Maven',
  'go-module': 'Go', 'rust-crate': 'crates.io', gem: 'RubyGems', dotnet: 'NuGet', 'php-composer': 'Packagist',
};

/**
 * fix.versions lists one fix per release branch, in no order that follows the installed
 * version: the lowest above it is the upgrade (as the osv engine reports). Where no fix is
 * above it, or immutag cannot order the versions, grype's own suggestion stands, else its
 * list as it wrote it (as trivy's text is kept): grype says a fix exists, and a finding
 * left without one would count as unfixed and pass under ignore-unfixed.
 */
function fixedVersion(match: GrypeMatch, pkg: Package): string | undefined {
  const fix = match.vulnerability?.fix;
  if (fix?.state !== 'fixed') return undefined;
  const versions = fix.versions ?? [];
  const compare = fixComparator(pkg, ORDERING_OF_TYPE, [match.artifact?.type]);
  const above = compare ? lowestFixAbove(versions, pkg.version, compare) : undefined;
  const suggested = match.matchDetails?.find((d) => d.fix?.suggestedVersion)?.fix?.suggestedVersion;
  return above ?? suggested ?? (versions.length > 0 ? versions.join(', ') : undefined);
}

interface RelatedRating { id: string; severity: Severity; source: string; score?: number }

/**
 * grype rates a match Unknown when its provider gave no severity word (a GHSA grype has
 * not rated, a CVE the distribution has not triaged): the worst related record's word
 * decides, as the osv engine falls back to the aliases' records; else the CVSS score, the
 * match's own or the worst related record's, as trivy's UNKNOWN and the osv engine's
 * vectors are rated. Left unknown, a 9.8 passed fail-on: high. Returns the score to show.
 */
function rateUnknown(finding: Finding, match: GrypeMatch): number | undefined {
  const ownScore = scoreOf(match.vulnerability?.cvss);
  const worded = worstRelated(match, wordRating);
  if (worded !== undefined) {
    finding.severity = worded.severity;
    finding.severitySource = worded.source;
    return worded.score ?? ownScore;
  }
  if (ownScore !== undefined) {
    finding.severity = ratingForScore(ownScore);
    finding.severitySource += `; CVSS ${ownScore}`;
    return ownScore;
  }
  const scored = worstRelated(match, scoreRating);
  if (scored !== undefined) {
    finding.severity = scored.severity;
    finding.severitySource += `; ${scored.source}`;
  }
  return scored?.score;
}

type Related = NonNullable<GrypeMatch['relatedVulnerabilities']>[number];

function wordRating(r: Related): RelatedRating | undefined {
  const severity = engineSeverity(r.severity);
  if (r.id === undefined || severity === 'unknown') return undefined;
  const score = scoreOf(r.cvss);
  return { id: r.id, severity, source: `grype ${r.severity} (${r.id})`, ...(score !== undefined ? { score } : {}) };
}

function scoreRating(r: Related): RelatedRating | undefined {
  const score = scoreOf(r.cvss);
  if (r.id === undefined || score === undefined) return undefined;
  return { id: r.id, severity: ratingForScore(score), source: `CVSS ${score} (${r.id})`, score };
}

/** The worst rating `rate` gives a related record; the first listed among equals. */
function worstRelated(match: GrypeMatch, rate: (r: Related) => RelatedRating | undefined): RelatedRating | undefined {
  let worst: RelatedRating | undefined;
  for (const r of match.relatedVulnerabilities ?? []) {
    const rating = rate(r);
    if (rating !== undefined && (worst === undefined || compareSeverity(rating.severity, worst.severity) > 0)) worst = rating;
  }
  return worst;
}

/** Reads one Grype JSON report. */
export function readGrypeReport(json: unknown): EngineScan {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as GrypeReport).matches)) throw unexpectedReport('grype', 'no matches list');
  const report = json as GrypeReport;
  const os: OsInfo | undefined = report.distro?.name ? { id: report.distro.name, versionId: report.distro.version ?? '' } : undefined;
  const packages = new Map<string, Package>();
  const findings: Finding[] = [];
  for (const match of [...(report.matches ?? []), ...userIgnored(report.ignoredMatches)]) {
    if (!match.artifact) continue;
    const candidate = toPackage(match.artifact, os);
    const key = [candidate.type, candidate.name, candidate.version, candidate.path].join('\u0000');
    const pkg = packages.get(key) ?? candidate;
    packages.set(key, pkg);
    findings.push(toFinding(match, pkg));
  }
  const scan: EngineScan = {
    packages: [...packages.values()],
    findings,
    notes: ['grype lists only the packages it matched; the package count covers vulnerable packages'],
  };
  if (os) scan.os = os;
  return scan;
}

export function grypeArgs(target: EngineTarget, platform: string | undefined): string[] {
  const source = target.kind === 'layout' ? `oci-dir:${target.dir}` : `registry:${pinnedReference(target.reference)}`;
  const args = [source, '-o', 'json', '--quiet'];
  if (platform) args.push('--platform', platform);
  return args;
}

/**
 * grype's configuration when immutag runs it: its defaults. Given with -c, it is the only
 * file grype reads: not ./.grype.yaml, ~/.grype.yaml nor the XDG directories, where a rule
 * ignoring a package, or only-fixed, would drop matches before the policy saw them.
 * Database and registry settings still come from GRYPE_DB_* and GRYPE_REGISTRY_*.
 */
const GRYPE_OWN_CONFIG = {
  flag: '-c',
  name: 'grype.yaml',
  text: '# immutag runs grype with its defaults: the policy is immutag\'s fail-on and ignore file.\n',
};

/** Runs Grype once per platform (engine.ts scanEachPlatform). */
export function scanWithGrype(options: EngineOptions): Promise<PlatformScan[]> {
  return scanEachPlatform({ name: 'grype', installHint: GRYPE_INSTALL_HINT, args: grypeArgs, ownConfig: GRYPE_OWN_CONFIG, read: readGrypeReport }, options);
}
