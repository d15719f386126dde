// Whether a version is affected by an OSV `affected[]` entry, and which version fixes
// it. Follows the schema's evaluation pseudocode:
// https://ossf.github.io/osv-schema/#evaluation
// ECOSYSTEM and SEMVER ranges are evaluated with the ecosystem's own ordering; GIT
// ranges name commits, not versions, and are skipped (as the pseudocode's callers do
// for version queries).

import type { Comparator } from '../version/index.ts';
import type { OsvAffected, OsvEvent, OsvRange } from './record.ts';

export type Verdict = 'affected' | 'unaffected' | 'unknown';

export interface Evaluation {
  /** `unknown` when a range needed an ordering immutag does not have. */
  verdict: Verdict;
  /** The lowest version above the installed one that fixes it, when the advisory names one. */
  fixed?: string;
}

const ORDERED_RANGES = new Set(['ECOSYSTEM', 'SEMVER']);

interface Point {
  kind: 'introduced' | 'fixed' | 'last_affected';
  version: string;
}

function points(events: OsvEvent[]): Point[] {
  const out: Point[] = [];
  for (const e of events) {
    if (typeof e.introduced === 'string') out.push({ kind: 'introduced', version: e.introduced });
    else if (typeof e.fixed === 'string') out.push({ kind: 'fixed', version: e.fixed });
    else if (typeof e.last_affected === 'string') out.push({ kind: 'last_affected', version: e.last_affected });
  }
  return out;
}

// "0" as introduced sorts before every version.
function comparePoints(compare: Comparator): (a: Point, b: Point) => number {
  const isZero = (p: Point) => p.kind === 'introduced' && p.version === '0';
  return (a, b) => {
    if (isZero(a) || isZero(b)) return isZero(a) === isZero(b) ? 0 : isZero(a) ? -1 : 1;
    return compare(a.version, b.version);
  };
}

/** `limit` events bound the range from above; "*" is infinity. None means no bound. */
function beforeLimits(version: string, events: OsvEvent[], compare: Comparator): boolean {
  const limits = events.map((e) => e.limit).filter((l): l is string => typeof l === 'string');
  if (limits.length === 0) return true;
  return limits.some((limit) => limit === '*' || compare(version, limit) < 0);
}

/** Evaluates one ordered range; returns the fixing version as well when affected. */
export function evaluateRange(version: string, range: OsvRange, compare: Comparator): Evaluation {
  const events = Array.isArray(range.events) ? range.events : [];
  if (!beforeLimits(version, events, compare)) return { verdict: 'unaffected' };
  const sorted = points(events).sort(comparePoints(compare));
  let vulnerable = false;
  for (const p of sorted) {
    if (p.kind === 'introduced' && (p.version === '0' || compare(version, p.version) >= 0)) vulnerable = true;
    else if (p.kind === 'fixed' && compare(version, p.version) >= 0) vulnerable = false;
    else if (p.kind === 'last_affected' && compare(version, p.version) > 0) vulnerable = false;
  }
  if (!vulnerable) return { verdict: 'unaffected' };
  // The interval we are in ends at the first fixed or last_affected point above us;
  // only a fixed point names a fix.
  const end = sorted.find((p) => p.kind !== 'introduced' && compare(p.version, version) > 0);
  return end?.kind === 'fixed' ? { verdict: 'affected', fixed: end.version } : { verdict: 'affected' };
}

function lowest(versions: string[], compare: Comparator): string | undefined {
  let best: string | undefined;
  for (const v of versions) if (best === undefined || compare(v, best) < 0) best = v;
  return best;
}

// Fixed events above the version, from every ordered range: used when only the
// `versions` list said "affected".
function fixesAbove(version: string, ranges: OsvRange[], compare: Comparator): string[] {
  const out: string[] = [];
  for (const r of ranges) {
    if (!ORDERED_RANGES.has(r.type) || !Array.isArray(r.events)) continue;
    for (const e of r.events) if (typeof e.fixed === 'string' && compare(e.fixed, version) > 0) out.push(e.fixed);
  }
  return out;
}

/**
 * Evaluates one `affected[]` entry (already matched to the package by ecosystem and
 * name) for an installed version. Without a comparator only the `versions` list can
 * be used; ranges then make the verdict `unknown`.
 */
export function evaluateAffected(affected: OsvAffected, version: string, compare: Comparator | undefined): Evaluation {
  const ranges = Array.isArray(affected.ranges) ? affected.ranges : [];
  const versions = Array.isArray(affected.versions) ? affected.versions : [];
  const listed = versions.some((v) => v === version || (compare !== undefined && compare(v, version) === 0));
  const ordered = ranges.filter((r) => ORDERED_RANGES.has(r.type));
  if (compare === undefined) {
    if (listed) return { verdict: 'affected' };
    return { verdict: ordered.length > 0 ? 'unknown' : 'unaffected' };
  }
  const fixes: string[] = [];
  let inRange = false;
  for (const range of ordered) {
    const result = evaluateRange(version, range, compare);
    if (result.verdict !== 'affected') continue;
    inRange = true;
    if (result.fixed !== undefined) fixes.push(result.fixed);
  }
  if (!inRange && !listed) return { verdict: 'unaffected' };
  const candidates = fixes.length > 0 ? fixes : fixesAbove(version, ordered, compare);
  const fixed = lowest(candidates, compare);
  return fixed === undefined ? { verdict: 'affected' } : { verdict: 'affected', fixed };
}
