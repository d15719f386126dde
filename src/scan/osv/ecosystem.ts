// Matching an advisory's `affected[].package` to an inventory package: ecosystem
// strings and package names as the OSV schema defines them.
// https://ossf.github.io/osv-schema/#affectedpackage-field

/** The part before the first ':' (`Debian` in `Debian:12`). */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return (colon < 0 ? ecosystem : ecosystem.slice(0, colon)).trim();
}

/**
 * A canonical key for an ecosystem string, so that spellings of one release meet:
 * `Alpine:3.19`, `Alpine:v3.19.1` and edge's `Alpine:v3.19_alpha20231219` become `Alpine:v3.19` (the schema requires the
 * `v`; advisories are per release branch); `Ubuntu:22.04:LTS` and `Ubuntu:22.04`
 * become `Ubuntu:22.04` (the `:LTS` marker is redundant with the release), and so does
 * `Ubuntu:Pro:22.04:LTS`: Ubuntu files an advisory there when its fix ships only
 * through Ubuntu Pro (ESM), which is every fix for a release past standard support
 * (20.04 since May 2025) and for universe packages, so the release's own packages are
 * affected all the same; kept apart, ubuntu:20.04's OpenSSL matched nothing. The Pro
 * streams of other builds (`Ubuntu:Pro:FIPS-updates:20.04:LTS`, Realtime) stay
 * distinct: their packages are other builds, with versions of their own.
 * `Debian:12.5` becomes `Debian:12` (point releases share one advisory stream).
 */
export function ecosystemKey(ecosystem: string): string {
  let key = keyCache.get(ecosystem);
  if (key === undefined) {
    key = computeKey(ecosystem);
    // Advisories use a few hundred distinct ecosystem strings; the bound is a safety net.
    if (keyCache.size < 10_000) keyCache.set(ecosystem, key);
  }
  return key;
}

const keyCache = new Map<string, string>();
const UBUNTU_RELEASE = /^\d+\.\d+$/;

/**
 * The ecosystems OSV is asked about for one package: its own, and for an Ubuntu
 * release its Pro stream too (see ecosystemKey). The API compares ecosystems as
 * written, so a fix published only through Ubuntu Pro is found only by asking there.
 */
export function queryEcosystems(ecosystem: string): string[] {
  const parts = ecosystem.split(':');
  if (parts[0] !== 'Ubuntu' || !UBUNTU_RELEASE.test(parts[1] ?? '')) return [ecosystem];
  return [ecosystem, ['Ubuntu', 'Pro', ...parts.slice(1)].join(':')];
}

function computeKey(ecosystem: string): string {
  const parts = ecosystem.trim().split(':');
  const base = parts[0] ?? '';
  if (parts.length === 1) return base;
  if (base === 'Alpine') {
    // An edge stamp (`v3.18_alpha20230329`) is no branch of its own: records carry `v3.18`.
    const branch = /^v?(\d+\.\d+)/.exec(parts[1] ?? '')?.[1];
    return branch === undefined ? parts.join(':') : `Alpine:v${branch}`;
  }
  if (base === 'Ubuntu') {
    const rest = parts.slice(1).filter((p) => p !== 'LTS');
    if (rest[0] === 'Pro' && UBUNTU_RELEASE.test(rest[1] ?? '')) rest.shift();
    return ['Ubuntu', ...rest].join(':');
  }
  if (base === 'Debian' && /^\d+\.\d+$/.test(parts[1] ?? '')) {
    return `Debian:${(parts[1] as string).split('.')[0]}`;
  }
  return parts.join(':');
}

/**
 * Whether an advisory written for `recordEcosystem` applies to a package from
 * `packageEcosystem`. A bare ecosystem (no release suffix) on either side matches
 * every release of that ecosystem, as the OSV API does for queries.
 */
export function ecosystemMatches(recordEcosystem: string, packageEcosystem: string): boolean {
  const record = ecosystemKey(recordEcosystem);
  const pkg = ecosystemKey(packageEcosystem);
  if (record === pkg) return true;
  const recordBase = ecosystemBase(record);
  if (recordBase !== ecosystemBase(pkg)) return false;
  return record === recordBase || pkg === recordBase;
}

/** PEP 503 normalisation: PyPI names compare case-insensitively with runs of `-_.` folded. The name OSV is asked about. */
export function normalizePackageName(ecosystem: string, name: string): string {
  if (ecosystemBase(ecosystem) === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  return name;
}

/**
 * The key two names of one package share: PyPI's normalised name, and NuGet ids in
 * lowercase, as NuGet compares them (GHSA files .NET's runtime under both
 * Microsoft.NETCore.App… and Microsoft.NetCore.App…; Trivy missed CVE-2025-30399 so).
 */
export function packageNameKey(ecosystem: string, name: string): string {
  if (ecosystemBase(ecosystem) === 'NuGet') return name.toLowerCase();
  return normalizePackageName(ecosystem, name);
}

export function packageNameMatches(ecosystem: string, recordName: string, packageName: string): boolean {
  return packageNameKey(ecosystem, recordName) === packageNameKey(ecosystem, packageName);
}

/**
 * The spellings OSV is asked about for one package: its own, and for NuGet ids that
 * start Microsoft.NETCore. or Microsoft.NetCore. the other one as well. OSV's API
 * compares names as written, and GHSA uses both for .NET's runtime packages.
 */
/**
 * The versions a package is asked about and judged at: its own, and for a PyPI build
 * with a local label (`2.7.1+cu126`, PyTorch's CUDA wheels) the public version too.
 * PEP 440 specifiers without a local label ignore the candidate's (`<=2.7.1` and
 * `==2.7.1` contain 2.7.1+cu126), while as an ordering 2.7.1+cu126 > 2.7.1: an
 * advisory's `last_affected: 2.7.1` or `versions: [2.7.1]`, judged on the full version
 * here or by OSV's API, missed the build of the very release it names. No released
 * version sorts between the two, so the public version finds exactly what was missed.
 */
export function queryVersions(ecosystem: string, version: string): string[] {
  const plus = version.indexOf('+');
  if (ecosystemBase(ecosystem) !== 'PyPI' || plus <= 0) return [version];
  return [version, version.slice(0, plus)];
}

export function querySpellings(ecosystem: string, name: string): string[] {
  const asked = normalizePackageName(ecosystem, name);
  if (ecosystemBase(ecosystem) !== 'NuGet') return [asked];
  const other = asked.replace(/^Microsoft\.(NETCore|NetCore)\./, (_, core: string) => `Microsoft.${core === 'NETCore' ? 'NetCore' : 'NETCore'}.`);
  return other === asked ? [asked] : [asked, other];
}
