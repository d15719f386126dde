// CVSS v4.0 scoring as the specification defines it (§8.2, "CVSS v4.0 Scoring"):
// the vector falls into one of 270 MacroVectors (six equivalence classes EQ1..EQ6), whose
// score comes from the published table; the vector's distance from the most severe vector
// of its MacroVector moves the score towards the next lower MacroVector.
// https://www.first.org/cvss/v4-0/specification-document
import { parseMetrics } from './cvss.ts';
import { MACROVECTOR_SCORES } from './cvss4-macrovectors.ts';

type Metrics = Map<string, string>;

const BASE_VALUES: Record<string, string[]> = {
  AV: ['N', 'A', 'L', 'P'], AC: ['L', 'H'], AT: ['N', 'P'], PR: ['N', 'L', 'H'], UI: ['N', 'P', 'A'],
  VC: ['H', 'L', 'N'], VI: ['H', 'L', 'N'], VA: ['H', 'L', 'N'],
  SC: ['H', 'L', 'N'], SI: ['H', 'L', 'N'], SA: ['H', 'L', 'N'],
};

// Severity levels used for the distance inside a MacroVector (spec §8.2, "severity distance").
const LEVELS: Record<string, Record<string, number>> = {
  AV: { N: 0, A: 0.1, L: 0.2, P: 0.3 },
  PR: { N: 0, L: 0.1, H: 0.2 },
  UI: { N: 0, P: 0.1, A: 0.2 },
  AC: { L: 0, H: 0.1 },
  AT: { N: 0, P: 0.1 },
  VC: { H: 0, L: 0.1, N: 0.2 },
  VI: { H: 0, L: 0.1, N: 0.2 },
  VA: { H: 0, L: 0.1, N: 0.2 },
  SC: { H: 0.1, L: 0.2, N: 0.3 },
  SI: { S: 0, H: 0.1, L: 0.2, N: 0.3 },
  SA: { S: 0, H: 0.1, L: 0.2, N: 0.3 },
  CR: { H: 0, M: 0.1, L: 0.2 },
  IR: { H: 0, M: 0.1, L: 0.2 },
  AR: { H: 0, M: 0.1, L: 0.2 },
};

// The most severe vectors of each EQ level (spec §8.2, table "highest severity vectors").
const MAX_VECTORS: { eq1: string[][]; eq2: string[][]; eq3eq6: Record<string, string[]>; eq4: string[][]; eq5: string[][] } = {
  eq1: [['AV:N/PR:N/UI:N'], ['AV:A/PR:N/UI:N', 'AV:N/PR:L/UI:N', 'AV:N/PR:N/UI:P'], ['AV:P/PR:N/UI:N', 'AV:A/PR:L/UI:P']],
  eq2: [['AC:L/AT:N'], ['AC:H/AT:N', 'AC:L/AT:P']],
  eq3eq6: {
    '00': ['VC:H/VI:H/VA:H/CR:H/IR:H/AR:H'],
    '01': ['VC:H/VI:H/VA:L/CR:M/IR:M/AR:H', 'VC:H/VI:H/VA:H/CR:M/IR:M/AR:M'],
    '10': ['VC:L/VI:H/VA:H/CR:H/IR:H/AR:H', 'VC:H/VI:L/VA:H/CR:H/IR:H/AR:H'],
    '11': ['VC:L/VI:H/VA:L/CR:H/IR:M/AR:H', 'VC:L/VI:H/VA:H/CR:H/IR:M/AR:M', 'VC:H/VI:L/VA:H/CR:M/IR:H/AR:M',
      'VC:H/VI:L/VA:L/CR:M/IR:H/AR:H', 'VC:L/VI:L/VA:H/CR:H/IR:H/AR:M'],
    '21': ['VC:L/VI:L/VA:L/CR:H/IR:H/AR:H'],
  },
  eq4: [['SC:H/SI:S/SA:S'], ['SC:H/SI:H/SA:H'], ['SC:L/SI:L/SA:L']],
  eq5: [['E:A'], ['E:P'], ['E:U']],
};

// Depth of each MacroVector in severity-distance steps (+1), per EQ level.
const MAX_SEVERITY = {
  eq1: [1, 4, 5],
  eq2: [1, 2],
  eq3eq6: { '00': 7, '01': 6, '10': 8, '11': 8, '21': 10 } as Record<string, number>,
  eq4: [6, 5, 4],
};

/** The effective value of a metric: the environmental override when set, else the base value. */
function effective(metrics: Metrics, name: string): string {
  if (name === 'E') return orDefault(metrics.get('E'), 'A');
  if (name === 'CR' || name === 'IR' || name === 'AR') return orDefault(metrics.get(name), 'H');
  const modified = metrics.get('M' + name);
  if (modified !== undefined && modified !== 'X') return modified;
  return metrics.get(name) ?? '';
}

function orDefault(value: string | undefined, fallback: string): string {
  return value === undefined || value === 'X' ? fallback : value;
}

function isValidBase(metrics: Metrics): boolean {
  return Object.entries(BASE_VALUES).every(([name, allowed]) => allowed.includes(metrics.get(name) ?? ''));
}

function macroVector(m: (name: string) => string): string {
  const av = m('AV'), pr = m('PR'), ui = m('UI');
  let eq1 = 2;
  if (av === 'N' && pr === 'N' && ui === 'N') eq1 = 0;
  else if ((av === 'N' || pr === 'N' || ui === 'N') && av !== 'P') eq1 = 1;

  const eq2 = m('AC') === 'L' && m('AT') === 'N' ? 0 : 1;

  const vc = m('VC'), vi = m('VI'), va = m('VA');
  let eq3 = 2;
  if (vc === 'H' && vi === 'H') eq3 = 0;
  else if (vc === 'H' || vi === 'H' || va === 'H') eq3 = 1;

  let eq4 = 2;
  if (m('MSI') === 'S' || m('MSA') === 'S') eq4 = 0;
  else if (m('SC') === 'H' || m('SI') === 'H' || m('SA') === 'H') eq4 = 1;

  const eq5 = { A: 0, P: 1, U: 2 }[m('E')] ?? 0;
  const highReq = (m('CR') === 'H' && vc === 'H') || (m('IR') === 'H' && vi === 'H') || (m('AR') === 'H' && va === 'H');
  const eq6 = highReq ? 0 : 1;
  return `${eq1}${eq2}${eq3}${eq4}${eq5}${eq6}`;
}

function withDigit(macro: string, index: number, delta: number): string {
  const digits = macro.split('').map(Number);
  digits[index] = digits[index]! + delta;
  return digits.join('');
}

/** The score of the next lower MacroVector along EQ3+EQ6, which move together (spec §8.2). */
function lowerEq3Eq6(macro: string): number | undefined {
  const eq3 = macro[2], eq6 = macro[5];
  if (eq3 === '0' && eq6 === '0') {
    const left = MACROVECTOR_SCORES[withDigit(macro, 5, 1)];
    const right = MACROVECTOR_SCORES[withDigit(macro, 2, 1)];
    if (left === undefined) return right;
    if (right === undefined) return left;
    return Math.max(left, right);
  }
  if (eq3 === '1' && eq6 === '0') return MACROVECTOR_SCORES[withDigit(macro, 5, 1)];
  if (eq6 === '1' && (eq3 === '0' || eq3 === '1')) return MACROVECTOR_SCORES[withDigit(macro, 2, 1)];
  return undefined;
}

function composedMaxVectors(macro: string): string[] {
  const d = macro.split('').map(Number) as [number, number, number, number, number, number];
  const lists = [MAX_VECTORS.eq1[d[0]]!, MAX_VECTORS.eq2[d[1]]!, MAX_VECTORS.eq3eq6[`${d[2]}${d[5]}`]!,
    MAX_VECTORS.eq4[d[3]]!, MAX_VECTORS.eq5[d[4]]!];
  let combos = [''];
  for (const list of lists) combos = combos.flatMap((prefix) => list.map((part) => (prefix ? `${prefix}/${part}` : part)));
  return combos;
}

/** Per-metric distance from the first max vector that the vector does not exceed. */
function distances(m: (name: string) => string, macro: string): Record<string, number> {
  let found: Record<string, number> = {};
  for (const max of composedMaxVectors(macro)) {
    const maxMetrics = parseMetrics(max.split('/'))!;
    found = {};
    for (const name of Object.keys(LEVELS)) {
      found[name] = LEVELS[name]![m(name)]! - LEVELS[name]![maxMetrics.get(name)!]!;
    }
    if (Object.values(found).every((d) => d >= 0)) break;
  }
  return found;
}

/** Round half up to one decimal with the specification calculator's epsilon (1.45 → 1.5). */
function round1(value: number): number {
  return Math.round((value + 1e-6) * 10) / 10;
}

/** CVSS v4.0 score of a vector (base, with threat/environmental metrics when present). */
export function cvss4BaseScore(vector: string): number | undefined {
  const [prefix, ...parts] = vector.trim().split('/');
  const metrics = prefix === 'CVSS:4.0' ? parseMetrics(parts) : undefined;
  if (!metrics || !isValidBase(metrics)) return undefined;
  const m = (name: string): string => effective(metrics, name);

  // No impact on any system scores 0 (spec §8.2).
  if (['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((name) => m(name) === 'N')) return 0;

  const macro = macroVector(m);
  const value = MACROVECTOR_SCORES[macro];
  if (value === undefined) return undefined;

  const d = distances(m, macro);
  const eq = macro.split('').map(Number) as [number, number, number, number, number, number];
  const steps = [
    { lower: MACROVECTOR_SCORES[withDigit(macro, 0, 1)], current: d.AV! + d.PR! + d.UI!, depth: MAX_SEVERITY.eq1[eq[0]]! },
    { lower: MACROVECTOR_SCORES[withDigit(macro, 1, 1)], current: d.AC! + d.AT!, depth: MAX_SEVERITY.eq2[eq[1]]! },
    {
      lower: lowerEq3Eq6(macro),
      current: d.VC! + d.VI! + d.VA! + d.CR! + d.IR! + d.AR!,
      depth: MAX_SEVERITY.eq3eq6[`${eq[2]}${eq[5]}`]!,
    },
    { lower: MACROVECTOR_SCORES[withDigit(macro, 3, 1)], current: d.SC! + d.SI! + d.SA!, depth: MAX_SEVERITY.eq4[eq[3]]! },
    // EQ5 (exploit maturity) has no distance inside its MacroVector: it counts, but moves nothing.
    { lower: MACROVECTOR_SCORES[withDigit(macro, 4, 1)], current: 0, depth: 1 },
  ];

  let existing = 0;
  let total = 0;
  for (const step of steps) {
    if (step.lower === undefined) continue;
    existing += 1;
    total += (value - step.lower) * (step.current / (step.depth * 0.1));
  }
  const mean = existing === 0 ? 0 : total / existing;
  if (Number.isNaN(mean)) return undefined;
  return round1(Math.max(0, Math.min(10, value - mean)));
}
