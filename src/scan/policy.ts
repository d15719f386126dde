// The pass/violation decision. `fail-on` names the lowest severity that fails the job.
//
// Unknown severity: a finding no source rated fails only under `fail-on: low`. That is what
// Trivy users get: `trivy --exit-code 1 --severity HIGH,CRITICAL` passes UNKNOWN findings,
// and only the "everything" list (UNKNOWN,LOW,…) fails on them. Under `low` the user asked
// to fail on anything, and an unrated vulnerability is something.
//
// `ignore-unfixed`: a finding with no fixed version never fails; it is still reported.
// Ignored findings (ignore file) never fail and are not counted by severity.
import { ImmutagError } from '../errors.ts';
import { findingKey, type Finding, type PlatformScan, type Severity, type SeverityCounts } from './model.ts';

export type FailOn = 'critical' | 'high' | 'medium' | 'low' | 'none';

export const FAIL_ON_VALUES: readonly FailOn[] = ['critical', 'high', 'medium', 'low', 'none'];

export interface PolicyOptions {
  failOn: FailOn;
  ignoreUnfixed: boolean;
}

export type Verdict = 'pass' | 'violation';

export const DEFAULT_POLICY: PolicyOptions = { failOn: 'high', ignoreUnfixed: false };

const FAILING: Record<FailOn, readonly Severity[]> = {
  critical: ['critical'],
  high: ['critical', 'high'],
  medium: ['critical', 'high', 'medium'],
  low: ['critical', 'high', 'medium', 'low', 'unknown'],
  none: [],
};

export function parseFailOn(value: string): FailOn {
  const v = value.trim().toLowerCase();
  if ((FAIL_ON_VALUES as readonly string[]).includes(v)) return v as FailOn;
  throw new ImmutagError('INVALID_INPUT', `fail-on "${value}" is not one of ${FAIL_ON_VALUES.join(', ')}`, {
    hint: 'Set fail-on to the lowest severity that should fail the job, or none to only report.',
  });
}

/** Whether one finding fails the policy. */
export function failsPolicy(finding: Finding, policy: PolicyOptions): boolean {
  if (finding.ignored) return false;
  if (policy.ignoreUnfixed && !finding.fixed) return false;
  return FAILING[policy.failOn].includes(finding.severity);
}

// The same vulnerability in the same package version on two platforms is one thing to fix.
export interface PolicyOutcome {
  platforms: PlatformScan[];
  counts: SeverityCounts;
  verdict: Verdict;
}

/**
 * Marks every finding with `failsPolicy` and counts findings by severity. Counts are of
 * distinct findings (findingKey) across platforms, ignored ones left out.
 */
export function applyPolicy(platforms: PlatformScan[], policy: PolicyOptions): PolicyOutcome {
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, failing: 0 };
  const counted = new Set<string>();
  const failing = new Set<string>();
  const marked = platforms.map((platform) => ({
    ...platform,
    findings: platform.findings.map((finding) => {
      const fails = failsPolicy(finding, policy);
      const key = findingKey(finding);
      if (!finding.ignored && !counted.has(key)) {
        counted.add(key);
        counts[finding.severity] += 1;
      }
      if (fails) failing.add(key);
      return { ...finding, failsPolicy: fails };
    }),
  }));
  counts.failing = failing.size;
  return { platforms: marked, counts, verdict: counts.failing > 0 ? 'violation' : 'pass' };
}
