// Python version ordering per PEP 440 (https://peps.python.org/pep-0440/), with the
// normalisation `packaging` applies. Strings that are not PEP 440 versions sort before
// every valid one, ordered the way packaging's LegacyVersion did (still used by OSV
// for old PyPI releases).

// The regular expression from PEP 440, Appendix B.
const PEP440 = new RegExp(
  '^\\s*v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?' +
    '(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$',
  'i',
);

type Part = bigint | string;

interface Pep440Key {
  epoch: bigint;
  release: bigint[];
  /** [rank, number]: rank -1 dev-only, 0 a, 1 b, 2 rc, 3 no pre-release. */
  pre: [number, bigint];
  /** -1n when absent. */
  post: bigint;
  /** undefined when absent (sorts last). */
  dev: bigint | undefined;
  /** undefined when absent (sorts first). */
  local: Part[] | undefined;
}

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

export function parsePep440(version: string): Pep440Key | undefined {
  const m = PEP440.exec(version);
  const g = m?.groups;
  if (!g) return undefined;
  const release = (g['release'] as string).split('.').map((n) => BigInt(n));
  while (release.length > 1 && release[release.length - 1] === 0n) release.pop();
  const dev = g['dev'] === undefined ? undefined : BigInt(g['devN'] ?? '0');
  const hasPost = g['post'] !== undefined;
  const post = hasPost ? BigInt(g['postN1'] ?? g['postN2'] ?? '0') : -1n;
  let pre: [number, bigint];
  if (g['pre'] !== undefined) pre = [PRE_RANK[(g['preL'] as string).toLowerCase()] ?? 2, BigInt(g['preN'] ?? '0')];
  // A dev release of a final version (1.0.dev1) sorts before its pre-releases (1.0a1).
  else if (dev !== undefined && !hasPost) pre = [-1, 0n];
  else pre = [3, 0n];
  const local = g['local']?.toLowerCase().split(/[-_.]/).map((p): Part => (/^\d+$/.test(p) ? BigInt(p) : p));
  return { epoch: BigInt(g['epoch'] ?? '0'), release, pre, post, dev, local };
}

function cmp<T extends bigint | number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRelease(a: bigint[], b: bigint[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = cmp(a[i] ?? 0n, b[i] ?? 0n);
    if (r !== 0) return r;
  }
  return 0;
}

// Numeric local segments sort after alphanumeric ones (PEP 440 "Local version identifiers").
function comparePart(a: Part, b: Part): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return cmp(a, b);
  if (typeof a === 'bigint') return 1;
  if (typeof b === 'bigint') return -1;
  return cmp(a, b);
}

function compareLocal(a: Part[] | undefined, b: Part[] | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = comparePart(a[i] as Part, b[i] as Part);
    if (r !== 0) return r;
  }
  return cmp(a.length, b.length);
}

function compareKeys(a: Pep440Key, b: Pep440Key): number {
  return (
    cmp(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    cmp(a.pre[0], b.pre[0]) ||
    cmp(a.pre[1], b.pre[1]) ||
    cmp(a.post, b.post) ||
    (a.dev === b.dev ? 0 : a.dev === undefined ? 1 : b.dev === undefined ? -1 : cmp(a.dev, b.dev)) ||
    compareLocal(a.local, b.local)
  );
}

// packaging's LegacyVersion key: runs of digits (zero-padded) and letters, with
// pre-release words mapped so they sort before "final".
const LEGACY_WORDS: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };

export function legacyKey(version: string): string[] {
  const parts: string[] = [];
  const tokens = version.toLowerCase().split(/(\d+|[a-z]+|\.|-)/);
  for (const raw of [...tokens, 'final']) {
    const token = raw === 'final' ? '*final' : raw;
    const mapped = LEGACY_WORDS[token] ?? token;
    if (mapped === '' || mapped === '.') continue;
    const part = mapped.startsWith('*') ? mapped : /^\d/.test(mapped) ? mapped.padStart(8, '0') : '*' + mapped;
    if (part.startsWith('*')) {
      if (part < '*final') while (parts[parts.length - 1] === '*final-') parts.pop();
      while (parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
}

function compareLegacy(a: string, b: string): number {
  const x = legacyKey(a);
  const y = legacyKey(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const r = cmp(x[i] as string, y[i] as string);
    if (r !== 0) return r;
  }
  return cmp(x.length, y.length);
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b`. */
export function comparePep440(a: string, b: string): number {
  const x = parsePep440(a);
  const y = parsePep440(b);
  if (x && y) return compareKeys(x, y);
  if (x) return 1;
  if (y) return -1;
  return compareLegacy(a, b);
}
