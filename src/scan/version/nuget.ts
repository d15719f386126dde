// NuGet version order (NuGet.Versioning's VersionComparer, the default mode): up to
// four numeric parts (`1.0` = `1.0.0` = `1.0.0.0`), then SemVer 2.0 pre-release labels
// compared case-insensitively, numeric labels numerically and below alphanumeric ones,
// a release above its pre-releases; build metadata after `+` ignored.
// https://learn.microsoft.com/en-us/nuget/concepts/package-versioning#version-precedence

interface NuGetVersion {
  parts: string[];
  labels: string[];
}

function parse(version: string): NuGetVersion {
  let text = version.trim();
  const plus = text.indexOf('+');
  if (plus >= 0) text = text.slice(0, plus);
  const dash = text.indexOf('-');
  const core = dash >= 0 ? text.slice(0, dash) : text;
  const labels = dash >= 0 ? text.slice(dash + 1).split('.') : [];
  const parts = core.split('.').map((p) => p.replace(/^0+(?=\d)/, '') || '0');
  while (parts.length < 4) parts.push('0');
  return { parts, labels };
}

const NUMERIC = /^\d+$/;

function compareNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLabel(a: string, b: string): number {
  const na = NUMERIC.test(a);
  const nb = NUMERIC.test(b);
  if (na && nb) return compareNumbers(a.replace(/^0+(?=\d)/, ''), b.replace(/^0+(?=\d)/, ''));
  if (na) return -1;
  if (nb) return 1;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Negative, zero or positive as NuGet orders `a` before, equal to or after `b`. */
export function compareNuGet(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
    const result = compareNumbers(x.parts[i] ?? '0', y.parts[i] ?? '0');
    if (result !== 0) return result;
  }
  if (x.labels.length === 0 || y.labels.length === 0) return Math.sign(y.labels.length - x.labels.length);
  for (let i = 0; i < Math.min(x.labels.length, y.labels.length); i++) {
    const result = compareLabel(x.labels[i]!, y.labels[i]!);
    if (result !== 0) return result;
  }
  return Math.sign(x.labels.length - y.labels.length);
}
