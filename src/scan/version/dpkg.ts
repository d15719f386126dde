// Debian version ordering, as `dpkg --compare-versions` does it.
// Debian Policy 5.6.12: [epoch:]upstream_version[-debian_revision].
// https://www.debian.org/doc/debian-policy/ch-controlfields.html#version

interface DpkgVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/** Splits at the first ':' (epoch) and the last '-' (revision), as dpkg's parseversion does. */
export function parseDpkgVersion(version: string): DpkgVersion {
  const text = version.trim();
  let rest = text;
  let epoch = 0;
  const colon = text.indexOf(':');
  if (colon >= 0) {
    const digits = text.slice(0, colon);
    epoch = /^\d+$/.test(digits) ? Number(digits) : 0;
    rest = text.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash < 0) return { epoch, upstream: rest, revision: '' };
  return { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

// The weight of one non-digit character: '~' sorts before everything, even the end
// of the string; letters sort before all other characters.
function order(code: number | undefined): number {
  if (code === undefined || isDigit(code)) return 0;
  if (isLetter(code)) return code;
  if (code === 126) return -1;
  return code + 256;
}

/** Compares upstream versions or revisions: alternating non-digit and digit runs. */
function compareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit prefix, character by character with the order() weights.
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(i < a.length ? a.charCodeAt(i) : undefined);
      const bc = order(j < b.length ? b.charCodeAt(j) : undefined);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    // Digit run, compared numerically without converting (runs may be long).
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    let firstDiff = 0;
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a.charCodeAt(i))) return 1;
    if (isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b`. */
export function compareDpkg(a: string, b: string): number {
  const va = parseDpkgVersion(a);
  const vb = parseDpkgVersion(b);
  if (va.epoch !== vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
  const upstream = compareFragment(va.upstream, vb.upstream);
  if (upstream !== 0) return Math.sign(upstream);
  return Math.sign(compareFragment(va.revision, vb.revision));
}
