// RubyGems version order (Gem::Version#<=>, rubygems/version.rb): a version is split
// into runs of digits and runs of letters; `-` reads as `.pre.`; trailing zeros of the
// numeric part and of the part from the first letter on are dropped (canonical
// segments); then segment by segment, a missing one is 0, a letter run sorts before a
// number (so `1.0.a` is a prerelease of `1.0`), numbers numerically (exactly: Ruby's
// Integers have no 2^53 limit, so neither do these), letters bytewise.

type Segment = bigint | string;

function segments(version: string): Segment[] {
  const text = version.trim().replace(/-/g, '.pre.');
  return (text.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) => (/^\d+$/.test(s) ? BigInt(s) : s));
}

function dropTrailingZeros(list: Segment[]): Segment[] {
  let end = list.length;
  while (end > 0 && list[end - 1] === 0n) end--;
  return list.slice(0, end);
}

export function canonicalSegments(version: string): Segment[] {
  const all = segments(version);
  const firstString = all.findIndex((s) => typeof s === 'string');
  const numeric = firstString < 0 ? all : all.slice(0, firstString);
  const rest = firstString < 0 ? [] : all.slice(firstString);
  return [...dropTrailingZeros(numeric), ...dropTrailingZeros(rest)];
}

/** Negative, zero or positive as RubyGems orders `a` before, equal to or after `b`. */
export function compareRubyGems(a: string, b: string): number {
  const left = canonicalSegments(a);
  const right = canonicalSegments(b);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = left[i] ?? 0n;
    const r = right[i] ?? 0n;
    if (l === r) continue;
    if (typeof l === 'string' && typeof r === 'bigint') return -1;
    if (typeof l === 'bigint' && typeof r === 'string') return 1;
    return l < r ? -1 : 1;
  }
  return 0;
}
