// Does a whole OSV record affect one queried package (ecosystem, name, version)?
// https://ossf.github.io/osv-schema/#evaluation (IsVulnerable)

import { comparatorFor } from '../version/index.ts';
import { ecosystemMatches, packageNameMatches } from './ecosystem.ts';
import { type Evaluation, evaluateAffected } from './ranges.ts';
import type { OsvRecord } from './record.ts';
import { entryFitsModule } from './rpm-modules.ts';

export interface PackageCoordinates {
  ecosystem: string;
  name: string;
  version: string;
  /** rpm only: the module stream the package was built in (rpm-modules.ts). */
  rpmModule?: string;
}

/** Withdrawn records no longer apply (https://ossf.github.io/osv-schema/#withdrawn-field). */
export function isWithdrawn(record: OsvRecord): boolean {
  return typeof record.withdrawn === 'string' && record.withdrawn.trim() !== '';
}

/**
 * Combines every `affected[]` entry naming this package: affected if any entry says
 * so; `fixed` is the lowest fix among those entries. `unaffected` when no entry names
 * the package at all (the record matched for another reason).
 */
export function evaluateRecord(record: OsvRecord, pkg: PackageCoordinates): Evaluation {
  if (isWithdrawn(record)) return { verdict: 'unaffected' };
  const compare = comparatorFor(pkg.ecosystem);
  let unknown = false;
  let affected = false;
  let fixed: string | undefined;
  for (const entry of Array.isArray(record.affected) ? record.affected : []) {
    const p = entry.package;
    if (!p || typeof p.ecosystem !== 'string' || typeof p.name !== 'string') continue;
    if (!ecosystemMatches(p.ecosystem, pkg.ecosystem) || !packageNameMatches(pkg.ecosystem, p.name, pkg.name)) continue;
    if (!entryFitsModule(record, entry, pkg.ecosystem, pkg.version, pkg.rpmModule)) continue;
    const result = evaluateAffected(entry, pkg.version, compare);
    if (result.verdict === 'unknown') unknown = true;
    if (result.verdict !== 'affected') continue;
    affected = true;
    if (result.fixed !== undefined && (fixed === undefined || (compare && compare(result.fixed, fixed) < 0))) {
      fixed = result.fixed;
    }
  }
  if (affected) return fixed === undefined ? { verdict: 'affected' } : { verdict: 'affected', fixed };
  return { verdict: unknown ? 'unknown' : 'unaffected' };
}
