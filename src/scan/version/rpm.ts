// RPM version ordering: [epoch:]version[-release], each part compared with rpmvercmp.
// https://github.com/rpm-software-management/rpm/blob/master/rpmio/rpmver.c
// rpmvercmp walks alphanumeric segments; separators only split. '~' sorts before
// everything (even the end), '^' after the end but before any other segment.

interface Evr {
  epoch: number;
  version: string;
  /** Absent and empty differ: a missing release sorts before any release. */
  release: string | undefined;
}

/** rpm's parseEVR: an epoch only when the version starts with digits followed by ':'. */
export function parseEvr(evr: string): Evr {
  let i = 0;
  while (i < evr.length && isDigit(evr.charCodeAt(i))) i++;
  let epoch = 0;
  let rest = evr;
  if (evr[i] === ':') {
    epoch = i === 0 ? 0 : Number(evr.slice(0, i));
    rest = evr.slice(i + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash < 0) return { epoch, version: rest, release: undefined };
  return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

// ASCII only, as rpm's risalpha: other bytes are separators.
function isAlpha(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isSegmentChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const code = ch.charCodeAt(0);
  return isDigit(code) || isAlpha(code) || ch === '~' || ch === '^';
}

function take(s: string, from: number, accept: (code: number) => boolean): number {
  let i = from;
  while (i < s.length && accept(s.charCodeAt(i))) i++;
  return i;
}

/** rpmvercmp: negative, zero or positive. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isSegmentChar(a[i])) i++;
    while (j < b.length && !isSegmentChar(b[j])) j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a.charCodeAt(i));
    const accept = numeric ? isDigit : isAlpha;
    const endA = take(a, i, accept);
    const endB = take(b, j, accept);
    // A numeric segment is newer than an alphabetic one.
    if (endB === j) return numeric ? 1 : -1;
    let segA = a.slice(i, endA);
    let segB = b.slice(j, endB);
    if (numeric) {
      segA = segA.replace(/^0+/, '');
      segB = segB.replace(/^0+/, '');
      if (segA.length !== segB.length) return segA.length > segB.length ? 1 : -1;
    }
    if (segA !== segB) return segA < segB ? -1 : 1;
    i = endA;
    j = endB;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

function compareOptional(a: string | undefined, b: string | undefined): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return rpmvercmp(a, b);
}

/** Negative, zero or positive as EVR `a` sorts before, equal to or after `b`. */
export function compareRpm(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  const version = rpmvercmp(x.version, y.version);
  if (version !== 0) return version;
  return compareOptional(x.release, y.release);
}
