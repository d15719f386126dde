// The Trivy engine: `trivy image --format json` against the image layout or repo@digest,
// its report read into the shared finding model.
// https://trivy.dev/latest/docs/configuration/reporting/#json
import type { Finding, OsInfo, Package, PackageType, PlatformScan, Severity } from '../model.ts';
import type { ImmutagError } from '../../errors.ts';
import { compareSeverity, ratingForScore } from '../severity.ts';
import { ecosystemFor, engineSeverity, pinnedReference, scanEachPlatform, type EngineOptions, type EngineScan, type EngineTarget } from './engine.ts';
import { fixComparator, lowestFixAbove } from './fixed-version.ts';
import { scannerFailed, unexpectedReport } from './process.ts';

export const TRIVY_INSTALL_HINT =
  'Install Trivy before this step, e.g. with the aquasecurity/setup-trivy action, or choose scan: osv (built in).';

interface TrivyPackage {
  ID?: string; Name?: string; Version?: string; Release?: string; Epoch?: number;
  SrcName?: string; SrcVersion?: string; SrcRelease?: string; Licenses?: string[];
  Identifier?: { PURL?: string }; Layer?: { Digest?: string; DiffID?: string }; FilePath?: string;
}

interface TrivyVulnerability {
  VulnerabilityID?: string; VendorIDs?: string[]; PkgID?: string; PkgName?: string; PkgPath?: string;
  PkgIdentifier?: { PURL?: string }; InstalledVersion?: string; FixedVersion?: string; Status?: string;
  Layer?: { Digest?: string }; SeveritySource?: string; PrimaryURL?: string; Title?: string; Description?: string;
  Severity?: string; CVSS?: Record<string, { V3Score?: number; V40Score?: number; V2Score?: number }>;
  /** Each data source's rating: 0 unknown, 1 low, 2 medium, 3 high, 4 critical. */
  VendorSeverity?: Record<string, number>;
}

interface TrivyResult { Target?: string; Class?: string; Type?: string; Packages?: TrivyPackage[]; Vulnerabilities?: TrivyVulnerability[] }

interface TrivyReport { SchemaVersion?: unknown; Metadata?: { OS?: { Family?: string; Name?: string } }; Results?: TrivyResult[] }

const DEB = ['debian', 'ubuntu'];
const APK = ['alpine', 'wolfi', 'chainguard'];
const RPM = ['redhat', 'centos', 'rocky', 'alma', 'amazon', 'oracle', 'fedora', 'suse linux enterprise server', 'opensuse',
  'opensuse.leap', 'opensuse.tumbleweed', 'photon', 'cbl-mariner', 'azurelinux'];
const NPM = ['npm', 'node-pkg', 'yarn', 'pnpm', 'bun'];
const PYPI = ['pip', 'pipenv', 'poetry', 'python-pkg', 'uv'];

function packageType(resultType: string): PackageType {
  if (DEB.includes(resultType)) return 'deb';
  if (APK.includes(resultType)) return 'apk';
  if (RPM.includes(resultType)) return 'rpm';
  if (NPM.includes(resultType)) return 'npm';
  if (PYPI.includes(resultType)) return 'pypi';
  return 'other';
}

function osVersion(p: TrivyPackage): string {
  const epoch = p.Epoch ? `${p.Epoch}:` : '';
  return `${epoch}${p.Version ?? ''}${p.Release ? `-${p.Release}` : ''}`;
}

function toPackage(p: TrivyPackage, result: TrivyResult, os: OsInfo | undefined): Package {
  const type = packageType(result.Type ?? '');
  const isOs = result.Class === 'os-pkgs';
  const pkg: Package = {
    type,
    name: p.Name ?? '',
    version: isOs ? osVersion(p) : p.Version ?? '',
    ecosystem: ecosystemFor(type, os?.id, os?.versionId, result.Type ?? ''),
    path: p.FilePath ?? result.Target ?? '',
    layer: p.Layer?.Digest ?? '',
  };
  if (p.SrcName) pkg.sourceName = p.SrcName;
  if (p.SrcVersion) pkg.sourceVersion = `${p.SrcVersion}${p.SrcRelease ? `-${p.SrcRelease}` : ''}`;
  if (p.Identifier?.PURL) pkg.purl = p.Identifier.PURL;
  if (p.Licenses?.length) pkg.licenses = p.Licenses;
  return pkg;
}

function vulnPackage(v: TrivyVulnerability, result: TrivyResult, os: OsInfo | undefined, known: Package[]): Package {
  const found = known.find((p) => p.name === v.PkgName && p.version === v.InstalledVersion);
  if (found) return found;
  const type = packageType(result.Type ?? '');
  const pkg: Package = {
    type, name: v.PkgName ?? '', version: v.InstalledVersion ?? '',
    ecosystem: ecosystemFor(type, os?.id, os?.versionId, result.Type ?? ''),
    path: v.PkgPath ?? result.Target ?? '', layer: v.Layer?.Digest ?? '',
  };
  if (v.PkgIdentifier?.PURL) pkg.purl = v.PkgIdentifier.PURL;
  return pkg;
}

function toFinding(v: TrivyVulnerability, pkg: Package, resultType: string): Finding {
  const source = v.SeveritySource ?? '';
  const cvss = v.CVSS?.[source] ?? v.CVSS?.nvd;
  const score = cvss?.V3Score ?? cvss?.V40Score ?? cvss?.V2Score;
  const finding: Finding = {
    id: v.VulnerabilityID ?? '',
    aliases: (v.VendorIDs ?? []).filter((id) => id !== v.VulnerabilityID),
    summary: v.Title ?? v.Description?.split('\n')[0] ?? '',
    severity: engineSeverity(v.Severity),
    severitySource: `trivy ${v.Severity ?? 'UNKNOWN'}${source ? ` (${source})` : ''}`,
    package: pkg,
    installed: v.InstalledVersion ?? pkg.version,
  };
  if (finding.severity === 'unknown') rateUnknown(finding, v, score);
  if (score !== undefined) finding.score = score;
  const fixed = fixedVersion(v, pkg, resultType);
  if (fixed) finding.fixed = fixed;
  if (v.PrimaryURL) finding.url = v.PrimaryURL;
  return finding;
}

// Trivy result types (and, for OS packages, package types) whose package ecosystem
// (engine.ts ecosystemFor) names no OSV ecosystem, mapped to the OSV ecosystem whose
// version ordering they use.
const ORDERING_OF_TYPE: Record<string, string> = {
  deb: 'Debian', apk: 'Alpine', rpm: 'Red Hat',
  jar: 'Maven', pom: 'Maven', gradle: 'Maven', sbt: 'Maven', gomod: 'Go', gobinary: 'Go', cargo: 'crates.io',
  'rust-binary': 'crates.io', gemspec: 'RubyGems', bundler: 'RubyGems', nuget: 'NuGet', 'dotnet-core': 'NuGet',
  'packages-props': 'NuGet', composer: 'Packagist', 'composer-vendor': 'Packagist',
};

/**
 * FixedVersion lists every fix, one per release branch ("2.12.7.1, 2.13.4.1"): the
 * finding shows the lowest above the installed version, as the osv and grype engines do.
 * Where none is above, or immutag cannot order the versions, Trivy's text stands.
 */
function fixedVersion(v: TrivyVulnerability, pkg: Package, resultType: string): string | undefined {
  if (!v.FixedVersion) return undefined;
  const compare = fixComparator(pkg, ORDERING_OF_TYPE, [resultType, pkg.type]);
  const versions = v.FixedVersion.split(',').map((f) => f.trim()).filter((f) => f.length > 0);
  const above = compare ? lowestFixAbove(versions, v.InstalledVersion ?? pkg.version, compare) : undefined;
  return above ?? v.FixedVersion;
}

const VENDOR_SEVERITY: readonly Severity[] = ['unknown', 'low', 'medium', 'high', 'critical'];

/**
 * Trivy rates a CVE UNKNOWN when the source it prefers (the distribution) has not
 * triaged it, though another source has: the worst other vendor's rating decides, else the
 * CVSS score, as grype's unknowns take their related records' and the osv engine rates
 * from the vector. Left unknown, a new critical CVE passed fail-on: high.
 */
function rateUnknown(finding: Finding, v: TrivyVulnerability, score: number | undefined): void {
  let worst: { vendor: string; severity: Severity } | undefined;
  for (const [vendor, n] of Object.entries(v.VendorSeverity ?? {})) {
    const severity = VENDOR_SEVERITY[n];
    if (severity === undefined || severity === 'unknown') continue;
    if (worst === undefined || compareSeverity(severity, worst.severity) > 0) worst = { vendor, severity };
  }
  if (worst !== undefined) {
    finding.severity = worst.severity;
    finding.severitySource += `; ${worst.vendor} rates it ${worst.severity}`;
  } else if (score !== undefined) {
    finding.severity = ratingForScore(score);
    finding.severitySource += `; CVSS ${score}`;
  }
}

/**
 * Trivy recognises some distributions it has no advisories for (Fedora, CentOS Stream): it
 * exits 0 and leaves their OS packages out of Results, which is otherwise always there for
 * the OS it names. Those packages were never checked, which is not a clean scan.
 */
function unscannedOs(report: TrivyReport): ImmutagError | undefined {
  const os = report.Metadata?.OS;
  if (!os?.Family || (report.Results ?? []).some((r) => r.Class === 'os-pkgs')) return undefined;
  return scannerFailed(`trivy recognised the OS (${`${os.Family} ${os.Name ?? ''}`.trim()}) but reported no OS packages for it: it does not scan that OS, so its packages were not checked`,
    'Scan this image with scan: osv (the built-in scanner) or grype, or use a base image Trivy supports.');
}

/** Reads one Trivy JSON report (schema version 2). */
export function readTrivyReport(json: unknown): EngineScan {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw unexpectedReport('trivy', 'not a JSON object (schema version 1 was an array)');
  const report = json as TrivyReport;
  if (report.SchemaVersion !== 2) throw unexpectedReport('trivy', `SchemaVersion is ${JSON.stringify(report.SchemaVersion ?? null)}, not 2`);
  if (report.Results !== undefined && !Array.isArray(report.Results)) throw unexpectedReport('trivy', 'Results is not a list');
  const unscanned = unscannedOs(report);
  if (unscanned !== undefined) throw unscanned;
  const family = report.Metadata?.OS?.Family;
  const os: OsInfo | undefined = family ? { id: family, versionId: report.Metadata?.OS?.Name ?? '' } : undefined;
  const packages: Package[] = [];
  const findings: Finding[] = [];
  const notes: string[] = [];
  if (!Array.isArray(report.Results)) notes.push('trivy reported no results for this image');
  for (const result of report.Results ?? []) {
    const own = (result.Packages ?? []).map((p) => toPackage(p, result, os));
    packages.push(...own);
    for (const v of result.Vulnerabilities ?? []) {
      const pkg = vulnPackage(v, result, os, own);
      if (!own.includes(pkg) && !packages.includes(pkg)) packages.push(pkg);
      findings.push(toFinding(v, pkg, result.Type ?? ''));
    }
  }
  const scan: EngineScan = { packages, findings, notes };
  if (os) scan.os = os;
  return scan;
}

export function trivyArgs(target: EngineTarget, platform: string | undefined): string[] {
  const args = ['image', '--format', 'json', '--quiet', '--scanners', 'vuln', '--list-all-pkgs'];
  // By digest, from the registry: trivy would try a Docker daemon first, which ignores --platform.
  if (target.kind === 'registry') args.push('--image-src', 'remote');
  if (platform) args.push('--platform', platform);
  if (target.kind === 'layout') args.push('--input', target.dir);
  else args.push(pinnedReference(target.reference));
  return args;
}

/** Runs Trivy once per platform (engine.ts scanEachPlatform). */
export function scanWithTrivy(options: EngineOptions): Promise<PlatformScan[]> {
  return scanEachPlatform({ name: 'trivy', installHint: TRIVY_INSTALL_HINT, args: trivyArgs, read: readTrivyReport }, options);
}
