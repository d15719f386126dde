// The finding model every scanner engine (built-in, trivy, grype) maps into, so that
// policy, ignore file, reports, the summary and the comment are engine-agnostic.

/** OSV ecosystem names, exactly as OSV spells them: `Debian:12`, `Alpine:v3.19`, `npm`, `PyPI`. */
export type Ecosystem = string;

/**
 * `other`: a package another engine (Trivy, Grype) reports in an ecosystem the built-in
 * inventory does not read; its findings still count.
 */
export type PackageType = 'deb' | 'apk' | 'rpm' | 'npm' | 'pypi' | 'golang' | 'maven' | 'nuget' | 'composer' | 'gem' | 'cargo' | 'other';

export interface Package {
  type: PackageType;
  name: string;
  version: string;
  /** Source package (Debian/Alpine/RPM): OSV indexes distro advisories by it. */
  sourceName?: string;
  sourceVersion?: string;
  ecosystem: Ecosystem;
  /** The file the package was read from, inside the image filesystem. */
  path: string;
  /** Digest of the layer that introduced this package (the last layer that wrote it). */
  layer: string;
  purl?: string;
  licenses?: string[];
  /**
   * rpm only: the module stream (`postgresql:16`) the package was built in, from its
   * header's MODULARITYLABEL. RHEL-family advisories of a stream name the same packages
   * as the distribution's own builds; see scan/osv/rpm-modules.ts.
   */
  rpmModule?: string;
  /**
   * A language package whose metadata a distribution package installed (dpkg, rpm or apk
   * file lists): in the SBOM, but left to the distribution's advisories, not matched
   * against the upstream ecosystem's (as Trivy does by default).
   */
  ownedBy?: { type: 'deb' | 'rpm' | 'apk'; name: string };
}

export interface OsInfo {
  id: string;
  versionId: string;
  prettyName?: string;
  versionCodename?: string;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'unknown';

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'unknown'];

export interface Finding {
  /** The advisory ID as the source names it (OSV id, CVE, GHSA, DSA…). */
  id: string;
  aliases: string[];
  /**
   * Set on a finding that stands alone for an advisory naming several vulnerabilities (a
   * bundle: a DSA or USN fixing three CVEs, a GHSA aliasing two): the IDs of those it
   * stands for, none of which is another name for it, so `aliases` leaves them out. The
   * ignore file accepts it when it accepts every one of them (ignore-file.ts).
   */
  names?: string[];
  summary: string;
  severity: Severity;
  /** Where the severity came from, e.g. `CVSS_V3 9.8`, `GHSA`, `Debian urgency`, `alias CVE-…`. */
  severitySource?: string;
  score?: number;
  package: Package;
  installed: string;
  /** The lowest version that fixes it, when one exists. */
  fixed?: string;
  url?: string;
  /** Set by policy evaluation. */
  ignored?: { reason: string };
  failsPolicy?: boolean;
}

export interface PlatformScan {
  /** `linux/amd64`; `unknown` for a single-platform image without platform info. */
  platform: string;
  /** Digest of the platform's image manifest. */
  manifestDigest: string;
  os?: OsInfo;
  packages: Package[];
  findings: Finding[];
  /** Things the scan could not read (malformed databases, unsupported formats), reported not fatal. */
  notes: string[];
}

export interface ScanResult {
  engine: 'osv' | 'trivy' | 'grype' | 'none';
  /** The digest that was scanned: the index or manifest digest the outputs name. */
  digest: string;
  platforms: PlatformScan[];
}

export interface SeverityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  unknown: number;
  /** Findings that fail the configured policy. */
  failing: number;
}

/**
 * What makes two findings one: the vulnerability and the installed package version, on
 * any platform and under any metadata path (a package recorded twice, or in two
 * site-packages, is one package). The policy counts, the JSON report, the summary, the
 * comment and the final line all count by this key.
 */
export function findingKey(finding: Finding): string {
  const p = finding.package;
  return [finding.id, p.ecosystem, p.name, finding.installed].join('\u0000');
}
