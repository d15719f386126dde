// The scan part of a report: the verdict with counts by severity, the findings that
// fail the policy (the first few shown, the rest folded), and the others folded.
// Lists, not tables, so nothing is wider than a phone.
import { countFindings, findingRow, groupFindings, type FindingColumns } from './finding-list.ts';
import type { TableBlock } from './layout.ts';
import { code, count, plural, text } from './markdown.ts';
import type { ScanReport } from './run-report.ts';
import { SEVERITY_ORDER } from '../scan/model.ts';

/** How many failing findings show before the rest are folded into a <details>. */
export const FAILING_SHOWN = 10;

export function scanVerdict(scan: ScanReport): string {
  const settings = [code(scan.result.engine), `fail-on ${code(scan.failOn)}`];
  if (scan.ignoreUnfixed) settings.push(code('ignore-unfixed'));
  const counts = countFindings(scan.result);
  const total = SEVERITY_ORDER.reduce((sum, s) => sum + counts[s], 0);
  const bySeverity = SEVERITY_ORDER.filter((s) => counts[s] > 0).map((s) => `${count(counts[s])} ${s}`).join(', ');
  const ignored = groupFindings(scan.result).other.filter((r) => r.ignoredReason !== undefined).length;
  const found = (total === 0 ? 'no findings' : `${plural(total, 'finding')}: ${bySeverity}`) + (ignored > 0 ? `; ${count(ignored)} ignored` : '');
  const failing = counts.failing;
  const empty = emptyPlatforms(scan);
  const checked = packagesChecked(scan);
  const verdict = failing > 0
    ? `❌ ${count(failing)} of ${plural(total, 'finding')} ${failing === 1 ? 'fails' : 'fail'} the policy (${bySeverity}${ignored > 0 ? `; ${count(ignored)} ignored` : ''}).`
    : empty.length > 0
      // A platform name is the image author's text: a code span, as everywhere else.
      ? `⚠️ ${noPackagesFound(empty.map((platform) => code(platform, { maxLength: 60 })))} (${found}).`
      : `✅ nothing fails the policy (${checked === undefined ? '' : `${plural(checked, 'package')} checked; `}${found}).`;
  const fix = failing > 0
    ? ' Update the packages to the fixed version and rebuild, or accept an advisory in the `ignore-file` with a reason and an `until:` date.'
    : '';
  return `**Scan** (${settings.join(', ')}): ${verdict}${fix}`;
}

export interface FindingTables {
  failing: TableBlock;
  /** Failing findings past the first FAILING_SHOWN, folded. */
  moreFailing: TableBlock;
  other: TableBlock;
}

export interface FindingTableOptions {
  /** Include the advisory summary and layer (the job summary has room for them). */
  summary: boolean;
  /** The line that replaces rows that did not fit. */
  leftOut: (left: number) => string;
  priority: number;
}

export function findingTables(scan: ScanReport, options: FindingTableOptions): FindingTables {
  const grouped = groupFindings(scan.result);
  const base: Omit<FindingColumns, 'note'> = {
    platformCount: scan.result.platforms.length,
    summary: options.summary,
    ignoreUnfixed: scan.ignoreUnfixed,
    failOn: scan.failOn,
  };
  const failingRows = grouped.failing.map((r) => findingRow(r, { ...base, note: false }));
  const rest = failingRows.length - FAILING_SHOWN;
  return {
    failing: {
      before: '**Findings that fail the policy**',
      header: '',
      rows: failingRows.slice(0, FAILING_SHOWN),
      leftOut: options.leftOut,
      priority: options.priority,
    },
    moreFailing: {
      before: `<details><summary>${plural(Math.max(0, rest), 'more finding')} that ${rest === 1 ? 'fails' : 'fail'} the policy</summary>`,
      header: '',
      rows: failingRows.slice(FAILING_SHOWN),
      after: '</details>',
      leftOut: options.leftOut,
      priority: options.priority,
    },
    other: {
      before: `<details><summary>${plural(grouped.other.length, 'other finding')} (ignored, unfixed or below the threshold)</summary>`,
      header: '',
      rows: grouped.other.map((r) => findingRow(r, { ...base, note: true })),
      after: '</details>',
      leftOut: options.leftOut,
      priority: options.priority + 1,
    },
  };
}

/** The job summary's per-platform list: each platform's manifest digest and what its scan saw. */
export function platformScanTable(scan: ScanReport, priority: number, leftOut: (n: number) => string): TableBlock {
  return {
    before: '**Scanned platforms**',
    header: '',
    rows: scan.result.platforms.map((p) => {
      const os = p.os === undefined ? 'OS not identified' : text(p.os.prettyName ?? `${p.os.id} ${p.os.versionId}`, 80);
      const failing = p.findings.filter((f) => f.failsPolicy === true).length;
      return `- ${code(p.platform, { maxLength: 40 })} (${os}): ${plural(p.packages.length, 'package')}, ${plural(p.findings.length, 'finding')}, ${count(failing)} failing; manifest ${code(p.manifestDigest)}`;
    }),
    leftOut,
    priority,
  };
}

/** Things the scanner could not read, which readers should know were not covered. */
export function scanNotes(scan: ScanReport, priority: number, leftOut: (n: number) => string): TableBlock {
  const rows: string[] = [];
  for (const platform of scan.result.platforms) {
    for (const note of platform.notes) rows.push(`- ${code(platform.platform, { maxLength: 40 })}: ${text(note, 400)}`);
  }
  return {
    before: '**Scan notes** (not covered by the scan)',
    header: '',
    rows,
    leftOut,
    priority,
  };
}

/** "2 notes" pointer for the comment, which leaves the notes themselves to the summary. */
export function notesPointer(scan: ScanReport): string {
  const n = scan.result.platforms.reduce((sum, p) => sum + p.notes.length, 0);
  return n === 0 ? '' : `ℹ️ The scan left ${plural(n, 'note')} about what it could not read: see the job summary.`;
}

/** The files the run wrote: for the job summary only, as runner paths mean nothing in a pull request. */
export function filesLine(scan: ScanReport): string {
  const files = scan.files;
  if (files === undefined) return '';
  const parts: string[] = [];
  if (files.report !== undefined) parts.push(`JSON report ${code(files.report, { maxLength: 200 })}`);
  if (files.sarif !== undefined) parts.push(`SARIF ${code(files.sarif, { maxLength: 200 })}`);
  if (files.sbom !== undefined) parts.push(`SBOM ${code(files.sbom, { maxLength: 200 })}`);
  return parts.length === 0 ? '' : `Files written: ${parts.join(', ')}`;
}

/** Where the scan's verdict would be, with `scan: none`: an unscanned image must not read as a clean one. */
export function notScannedLine(report: { notScanned?: true }): string {
  return report.notScanned ? '**Scan**: not scanned (`scan: none`).' : '';
}

/**
 * Platforms on which the scan found no package at all (built-in and Trivy inventories;
 * grype lists only matched packages, so none there is no news): nothing was matched
 * against advisories, which a ✅ would hide.
 */
export function emptyPlatforms(scan: ScanReport): string[] {
  if (!listsEveryPackage(scan)) return [];
  return scan.result.platforms.filter((p) => p.packages.length === 0).map((p) => p.platform);
}

export function noPackagesFound(platforms: readonly string[]): string {
  return `no packages found on ${platforms.join(', ')}: nothing was matched against advisories`;
}

/** Packages the scan checked, over every platform; undefined for grype, which lists only the ones it matched. */
function packagesChecked(scan: ScanReport): number | undefined {
  if (!listsEveryPackage(scan)) return undefined;
  return scan.result.platforms.reduce((n, p) => n + p.packages.length, 0);
}

/** grype's report lists only the packages it matched; the other engines list every package they checked. */
function listsEveryPackage(scan: ScanReport): boolean {
  return scan.result.engine !== 'grype';
}
