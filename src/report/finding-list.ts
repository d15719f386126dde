// Findings as readers want them: one row per advisory and package across platforms
// (a multi-platform image reports the same CVE once per platform), failing ones
// first, worst first.
import { findingKey, SEVERITY_ORDER, type Finding, type ScanResult, type Severity, type SeverityCounts } from '../scan/model.ts';
import { code, digestLabel, link, text } from './markdown.ts';
import type { FailOn } from './run-report.ts';

export interface FindingRow {
  id: string;
  /** A bundle standing alone: the vulnerabilities it names (Finding.names). */
  names?: string[];
  summary: string;
  severity: Severity;
  score?: number;
  url?: string;
  packageName: string;
  sourceName?: string;
  installed: string;
  fixed?: string;
  /** The fix ships only through Ubuntu Pro (ESM): apt sees it only on a Pro-attached build. */
  fixedThroughUbuntuPro?: true;
  layers: string[];
  platforms: string[];
  failing: boolean;
  ignoredReason?: string;
}

export interface GroupedFindings {
  failing: FindingRow[];
  other: FindingRow[];
}

const cache = new WeakMap<ScanResult, GroupedFindings>();

export function groupFindings(scan: ScanResult): GroupedFindings {
  const cached = cache.get(scan);
  if (cached !== undefined) return cached;
  const grouped = groupUncached(scan);
  cache.set(scan, grouped);
  return grouped;
}

/**
 * Counts of distinct findings (one per advisory and package, however many platforms
 * have it), so the counts agree with the rows of the tables. Ignored findings are
 * listed but not counted, as in the policy's `vulnerabilities` output.
 */
export function countFindings(scan: ScanResult): SeverityCounts {
  const { failing, other } = groupFindings(scan);
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, failing: failing.length };
  for (const row of [...failing, ...other]) {
    if (row.ignoredReason === undefined) counts[row.severity]++;
  }
  return counts;
}

function groupUncached(scan: ScanResult): GroupedFindings {
  const rows = new Map<string, FindingRow>();
  for (const platform of scan.platforms) {
    for (const finding of platform.findings) {
      const key = findingKey(finding);
      const row = rows.get(key) ?? newRow(finding);
      addUnique(row.platforms, platform.platform);
      addUnique(row.layers, finding.package.layer);
      row.failing = row.failing || finding.failsPolicy === true;
      rows.set(key, row);
    }
  }
  const all = [...rows.values()].sort(worstFirst);
  return { failing: all.filter((r) => r.failing), other: all.filter((r) => !r.failing) };
}

function newRow(finding: Finding): FindingRow {
  const row: FindingRow = {
    id: finding.id,
    summary: finding.summary,
    severity: finding.severity,
    packageName: finding.package.name,
    installed: finding.installed,
    layers: [],
    platforms: [],
    failing: false,
  };
  if (finding.score !== undefined) row.score = finding.score;
  if (finding.names !== undefined && finding.names.length > 0) row.names = finding.names;
  if (finding.url !== undefined) row.url = finding.url;
  if (finding.fixed !== undefined) row.fixed = finding.fixed;
  if (finding.fixed !== undefined && ubuntuProVersion(finding.package.ecosystem, finding.fixed)) row.fixedThroughUbuntuPro = true;
  if (finding.package.sourceName !== undefined && finding.package.sourceName !== finding.package.name) {
    row.sourceName = finding.package.sourceName;
  }
  if (finding.ignored !== undefined) row.ignoredReason = finding.ignored.reason;
  return row;
}

/** Ubuntu's ESM builds carry `+esm` (or, in older releases, `~esm`) in their version. */
function ubuntuProVersion(ecosystem: string | undefined, version: string): boolean {
  return ecosystem?.startsWith('Ubuntu') === true && /[+~]esm\d*/.test(version);
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function worstFirst(a: FindingRow, b: FindingRow): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    (b.score ?? -1) - (a.score ?? -1) ||
    a.id.localeCompare(b.id) ||
    a.packageName.localeCompare(b.packageName)
  );
}

// OSV, GHSA, CVE, distro and ecosystem IDs (`DSA-5678-1`, `ALPINE-CVE-…`, `PYSEC-2024-1`).
const ADVISORY_ID = /^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9._:-]{1,100}$/;

/**
 * Where the ID links to: osv.dev for a well-formed advisory ID (a link we build, so a
 * record cannot point readers somewhere else), else the advisory's own https URL.
 */
export function advisoryUrl(id: string, url: string | undefined): string | undefined {
  // Debian's not-yet-assigned issues live only in its own tracker.
  if (/^TEMP-[0-9A-F-]{1,40}$/.test(id)) return `https://security-tracker.debian.org/tracker/${id}`;
  if (ADVISORY_ID.test(id)) return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
  return url;
}

export interface FindingColumns {
  /** How many platforms were scanned: a finding that not all of them have names its platforms. */
  platformCount: number;
  /** Say why a finding does not fail (the folded list of other findings). */
  note: boolean;
  /** Add the advisory summary and the layer (the job summary has room for them). */
  summary: boolean;
  ignoreUnfixed: boolean;
  failOn: FailOn;
}

/**
 * One finding as a list item, which wraps on a phone where a table row would not:
 * `- **high 8.1** [CVE-2024-6387](…) in `openssh-client` `1:9.2p1-2` → `1:9.2p1-3``.
 */
export function findingRow(row: FindingRow, columns: FindingColumns): string {
  const parts = [`- **${severityLabel(row)}** ${link(text(row.id, 80), advisoryUrl(row.id, row.url))}${namesCell(row)} in ${packageCell(row)} ${code(row.installed, { maxLength: 80 })}`];
  parts.push(row.fixed === undefined ? ', no fix yet' : ` → ${code(row.fixed, { maxLength: 80 })}${row.fixedThroughUbuntuPro ? ' (Ubuntu Pro)' : ''}`);
  if (row.platforms.length < columns.platformCount) parts.push(` (only on ${row.platforms.map((p) => code(p, { maxLength: 40 })).join(' ')})`);
  if (columns.summary && row.summary.trim() !== '') parts.push(`: ${text(row.summary, 160)}`);
  if (columns.summary && row.layers.length > 0) parts.push(` (layer ${row.layers.map((l) => code(digestLabel(l))).join(' ')})`);
  if (columns.note) parts.push(` — ${noteFor(row, columns)}`);
  return parts.join('');
}

/** How many of a bundle's named vulnerabilities a row shows; the rest are counted. */
const NAMES_SHOWN = 5;

/** ` (names CVE-…, CVE-…)`: what a bundle standing alone covers, which its own ID does not say. */
export function namesText(names: readonly string[] | undefined, shown = NAMES_SHOWN): string {
  if (names === undefined || names.length === 0) return '';
  const listed = names.slice(0, shown).join(', ');
  return names.length > shown ? `${listed} and ${names.length - shown} more` : listed;
}

function namesCell(row: FindingRow): string {
  return row.names === undefined ? '' : ` (names ${text(namesText(row.names), 200)})`;
}

function packageCell(row: FindingRow): string {
  const name = code(row.packageName, { maxLength: 120 });
  if (row.sourceName === undefined) return name;
  return `${name} (source ${code(row.sourceName, { maxLength: 120 })})`;
}

function severityLabel(row: FindingRow): string {
  return row.score === undefined ? row.severity : `${row.severity} ${row.score.toFixed(1)}`;
}

function noteFor(row: FindingRow, columns: FindingColumns): string {
  if (row.ignoredReason !== undefined) {
    return row.ignoredReason.trim() === '' ? 'ignored' : `ignored: ${text(row.ignoredReason, 120)}`;
  }
  if (columns.failOn === 'none') return 'fail-on: none';
  if (row.fixed === undefined && columns.ignoreUnfixed) return 'no fix yet (ignore-unfixed)';
  // Unknown severity is not "below" anything: it fails only when everything does.
  if (row.severity === 'unknown') return 'severity unknown: fails only with fail-on: low';
  return `below fail-on: ${columns.failOn}`;
}
