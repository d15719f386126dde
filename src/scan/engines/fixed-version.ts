// The fixed version a finding shows, from an engine's list of fixes. A record fixed on
// several release branches lists one fix per branch (jackson-databind: 2.12.7.1 and
// 2.13.4.1); the one to upgrade to is the lowest above the installed version, as the osv
// engine's matcher computes it (src/scan/osv/ranges.ts). A fix below the installed
// version is on another branch: showing it would tell the user to downgrade.
import type { Package } from '../model.ts';
import { comparatorFor, compareRpm, type Comparator } from '../version/index.ts';

/** The lowest of `versions` above `installed`, or undefined when none is. */
export function lowestFixAbove(versions: readonly string[], installed: string, compare: Comparator): string | undefined {
  let lowest: string | undefined;
  for (const version of versions) {
    if (compare(version, installed) <= 0) continue;
    if (lowest === undefined || compare(version, lowest) < 0) lowest = version;
  }
  return lowest;
}

const EPOCH = /^\d+:/;

/**
 * Engines' RPM fixes often lack the epoch the installed version carries (openssl-libs
 * 1:1.0.2k-24.amzn2.0.6, fixed in 1.0.2k-24.amzn2.0.7). Read as epoch 0 the fix sorts
 * below the install and would be dropped, leaving the finding unfixed; epochs are
 * compared only when both versions carry one. Other orderings are returned as they are.
 */
export function fixOrdering(compare: Comparator): Comparator {
  if (compare !== compareRpm) return compare;
  return (a, b) => (EPOCH.test(a) && EPOCH.test(b) ? compare(a, b) : compare(a.replace(EPOCH, ''), b.replace(EPOCH, '')));
}

/**
 * How an engine's fixes compare with `pkg`'s version: its ecosystem's ordering, else
 * the one `ecosystemOfType` names for the first of the engine's type names it knows.
 */
export function fixComparator(pkg: Package, ecosystemOfType: Readonly<Record<string, string>>, types: readonly (string | undefined)[]): Comparator | undefined {
  const named = types.map((t) => (t === undefined ? undefined : ecosystemOfType[t])).find((e) => e !== undefined);
  const compare = comparatorFor(pkg.ecosystem) ?? comparatorFor(named ?? '');
  return compare === undefined ? undefined : fixOrdering(compare);
}
