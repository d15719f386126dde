// CVSS base scores computed from the vector string, so a record's severity does not
// depend on a score someone else rounded. v3.x: https://www.first.org/cvss/v3.1/specification-document
// §7; v2: https://www.first.org/cvss/v2/guide §3.2.1; v4: cvss4.ts.
import { cvss4BaseScore } from './cvss4.ts';

export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';

export interface CvssScore {
  version: CvssVersion;
  score: number;
  vector: string;
}

/** Splits `A:B/C:D` into a map; returns undefined on a repeated or malformed metric. */
export function parseMetrics(parts: string[]): Map<string, string> | undefined {
  const metrics = new Map<string, string>();
  for (const part of parts) {
    const match = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!match || metrics.has(match[1]!)) return undefined;
    metrics.set(match[1]!, match[2]!);
  }
  return metrics;
}

const V3_WEIGHTS: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
};

// Privileges Required weighs more when the scope changes (v3.1 §7.4, table 16).
const PR_UNCHANGED: Record<string, number> = { N: 0.85, L: 0.62, H: 0.27 };
const PR_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };

/**
 * Roundup as v3.1 Appendix A defines it: work on an integer so that 4.000000000000001
 * (a floating-point artefact) rounds to 4.0, not 4.1.
 */
export function roundUp31(value: number): number {
  const scaled = Math.round(value * 100000);
  if (scaled % 10000 === 0) return scaled / 100000;
  return (Math.floor(scaled / 10000) + 1) / 10;
}

/** v3.0 §7.4 Roundup: the smallest one-decimal number equal to or higher than the input. */
export function roundUp30(value: number): number {
  return Math.ceil(value * 10) / 10;
}

function weight(metrics: Map<string, string>, name: string, table: Record<string, number>): number | undefined {
  const value = metrics.get(name);
  return value === undefined ? undefined : table[value];
}

/** CVSS v3.0 / v3.1 base score; undefined when the vector is not a complete base vector. */
export function cvss3BaseScore(vector: string): CvssScore | undefined {
  const [prefix, ...parts] = vector.trim().split('/');
  const version = prefix === 'CVSS:3.1' ? '3.1' : prefix === 'CVSS:3.0' ? '3.0' : undefined;
  const metrics = version ? parseMetrics(parts) : undefined;
  if (!version || !metrics) return undefined;

  const scope = metrics.get('S');
  if (scope !== 'U' && scope !== 'C') return undefined;
  const av = weight(metrics, 'AV', V3_WEIGHTS.AV!);
  const ac = weight(metrics, 'AC', V3_WEIGHTS.AC!);
  const pr = weight(metrics, 'PR', scope === 'C' ? PR_CHANGED : PR_UNCHANGED);
  const ui = weight(metrics, 'UI', V3_WEIGHTS.UI!);
  const c = weight(metrics, 'C', V3_WEIGHTS.C!);
  const i = weight(metrics, 'I', V3_WEIGHTS.I!);
  const a = weight(metrics, 'A', V3_WEIGHTS.A!);
  if (av === undefined || ac === undefined || pr === undefined || ui === undefined) return undefined;
  if (c === undefined || i === undefined || a === undefined) return undefined;

  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av * ac * pr * ui;
  const roundUp = version === '3.1' ? roundUp31 : roundUp30;
  let score = 0;
  if (impact > 0) {
    const sum = scope === 'U' ? impact + exploitability : 1.08 * (impact + exploitability);
    score = roundUp(Math.min(sum, 10));
  }
  return { version, score, vector };
}

const V2_WEIGHTS: Record<string, Record<string, number>> = {
  AV: { L: 0.395, A: 0.646, N: 1.0 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  C: { N: 0, P: 0.275, C: 0.66 },
  I: { N: 0, P: 0.275, C: 0.66 },
  A: { N: 0, P: 0.275, C: 0.66 },
};

/** Round half up to one decimal, tolerant of binary artefacts such as 4.249999999. */
function roundHalfUp1(value: number): number {
  return Math.round((value + 1e-9) * 10) / 10;
}

/** CVSS v2 base score. Accepts the bare vector, `(AV:…)` and a `CVSS:2.0/` prefix. */
export function cvss2BaseScore(vector: string): CvssScore | undefined {
  const bare = vector.trim().replace(/^\(|\)$/g, '').replace(/^CVSS:2\.0\//, '');
  const metrics = parseMetrics(bare.split('/'));
  if (!metrics) return undefined;
  const values: number[] = [];
  for (const name of ['AV', 'AC', 'Au', 'C', 'I', 'A']) {
    const w = weight(metrics, name, V2_WEIGHTS[name]!);
    if (w === undefined) return undefined;
    values.push(w);
  }
  const [av, ac, au, c, i, a] = values as [number, number, number, number, number, number];
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * av * ac * au;
  const f = impact === 0 ? 0 : 1.176;
  const score = roundHalfUp1((0.6 * impact + 0.4 * exploitability - 1.5) * f);
  return { version: '2.0', score: Math.max(0, score), vector };
}

/** Scores any CVSS vector by its prefix: `CVSS:4.0/`, `CVSS:3.x/`, or a v2 vector. */
export function cvssBaseScore(vector: string): CvssScore | undefined {
  const trimmed = vector.trim();
  if (trimmed.startsWith('CVSS:4.0/')) {
    const score = cvss4BaseScore(trimmed);
    return score === undefined ? undefined : { version: '4.0', score, vector: trimmed };
  }
  if (trimmed.startsWith('CVSS:3.')) return cvss3BaseScore(trimmed);
  return cvss2BaseScore(trimmed);
}
