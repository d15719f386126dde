// SemVer 2.0.0 precedence (https://semver.org/#spec-item-11), as used by npm and by
// OSV `SEMVER` ranges. Lenient where real advisories are: a leading 'v', missing
// minor/patch (treated as 0), numbers of any size. Build metadata is ignored.

interface SemVer {
  core: string[];
  prerelease: string[];
}

const NUMERIC = /^\d+$/;

export function parseSemver(version: string): SemVer {
  let text = version.trim();
  if (text.startsWith('v') || text.startsWith('V')) text = text.slice(1);
  const plus = text.indexOf('+');
  if (plus >= 0) text = text.slice(0, plus);
  const dash = text.indexOf('-');
  const coreText = dash >= 0 ? text.slice(0, dash) : text;
  const prerelease = dash >= 0 ? text.slice(dash + 1).split('.') : [];
  const parts = coreText.split('.');
  // Anything past major.minor.patch is not SemVer; like osv-scanner's lenient parser
  // we treat it as build metadata (ignored).
  const core = [parts[0] ?? '0', parts[1] ?? '0', parts[2] ?? '0'].map((p) => (p === '' ? '0' : p));
  return { core, prerelease };
}

function compareNumeric(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  if (x === y) return 0;
  return x < y ? -1 : 1;
}

function compareIdentifier(a: string, b: string): number {
  const na = NUMERIC.test(a);
  const nb = NUMERIC.test(b);
  if (na && nb) return compareNumeric(a, b);
  // Numeric identifiers have lower precedence than alphanumeric ones.
  if (na) return -1;
  if (nb) return 1;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function compareCorePart(a: string, b: string): number {
  if (NUMERIC.test(a) && NUMERIC.test(b)) return compareNumeric(a, b);
  return compareIdentifier(a, b);
}

/** Negative, zero or positive as `a` has lower, equal or higher precedence than `b`. */
export function compareSemver(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  for (let i = 0; i < 3; i++) {
    const r = compareCorePart(x.core[i] as string, y.core[i] as string);
    if (r !== 0) return r;
  }
  // A pre-release version has lower precedence than the release.
  if (x.prerelease.length === 0 && y.prerelease.length === 0) return 0;
  if (x.prerelease.length === 0) return 1;
  if (y.prerelease.length === 0) return -1;
  const n = Math.min(x.prerelease.length, y.prerelease.length);
  for (let i = 0; i < n; i++) {
    const r = compareIdentifier(x.prerelease[i] as string, y.prerelease[i] as string);
    if (r !== 0) return r;
  }
  return Math.sign(x.prerelease.length - y.prerelease.length);
}
