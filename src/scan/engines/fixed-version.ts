// The fixed version a finding shows, from an engine's list of fixes. A record fixed on
// several release branches lists one fix per branch (jackson-databind: 2.12.7.1 and
// 2.13.4.1); the one to upgrade to is the lowest above the installed version, as the osv
// engine's matcher computes it (src/scan/osv/ranges.ts). A fix below the installed
// version is on another branch: showing it would tell the user to downgrade.
import type { Comparator } from '../version/index.ts';

/** The lowest of `versions` above `installed`, or undefined when none is. */
export function lowestFixAbove(versions: readonly string[], installed: string, compare: Comparator): string | undefined {
  let lowest: string | undefined;
  for (const version of versions) {
    if (compare(version, installed) <= 0) continue;
    if (lowest === undefined || compare(version, lowest) < 0) lowest = version;
  }
  return lowest;
}
