// The scan part of a report: the verdict with counts by severity, the findings that
// fail the policy, and the rest collapsed.
import { SEVERITY_ORDER } from '../scan/model.ts';
import { countFindings, findingHeader, findingRow, groupFindings, type FindingColumns } from './findings.ts';
import type { TableBlock } from './layout.ts';
import { code, count, plural, tableHeader, tableRow, text } from './markdown.ts';
import type { ScanReport } from './model.ts';

export function scanVerdict(scan: ScanReport): string {
  const settings = [code(scan.result.engine), `fail-on: ${code(scan.failOn)}`];
  if (scan.ignoreUnfixed) settings.push(code('ignore-unfixed'));
  const failing = countFindings(scan.result).failing;
  const verdict = failing > 0
    ? `❌ ${plural(failing, 'finding')} ${failing === 1 ? 'fails' : 'fail'} the policy`
    : '✅ nothing fails the policy';
  const fix = failing > 0
    ? ' Update the packages to the Fixed version and rebuild, or accept an advisory in the `ignore-file` with a reason and an `until:` date.'
    : '';
  return `**Scan** (${settings.join(' · ')}): ${verdict}.${fix}`;
}

export function countsTable(scan: ScanReport): string {
  const names = SEVERITY_ORDER.map((s) => s[0]!.toUpperCase() + s.slice(1));
  const counts = countFindings(scan.result);
  const values = SEVERITY_ORDER.map((s) => count(counts[s]));
  const align = [...names, 'Failing'].map(() => 'right' as const);
  return `${tableHeader([...names, 'Failing'], align)}\n${tableRow([...values, `**${count(counts.failing)}**`])}`;
}

export interface FindingTables {
  failing: TableBlock;
  other: TableBlock;
}

export interface FindingTableOptions {
  /** Include the advisory summary column (the job summary has room for it). */
  summary: boolean;
  /** The line that replaces rows that did not fit. */
  leftOut: (left: number) => string;
  priority: number;
}

export function findingTables(scan: ScanReport, options: FindingTableOptions): FindingTables {
  const grouped = groupFindings(scan.result);
  const base: Omit<FindingColumns, 'note'> = {
    platforms: scan.result.platforms.length > 1,
    summary: options.summary,
    ignoreUnfixed: scan.ignoreUnfixed,
    failOn: scan.failOn,
  };
  const failingColumns = { ...base, note: false };
  const otherColumns = { ...base, note: true };
  return {
    failing: {
      before: '**Findings that fail the policy**',
      header: findingHeader(failingColumns),
      rows: grouped.failing.map((r) => findingRow(r, failingColumns)),
      leftOut: options.leftOut,
      priority: options.priority,
    },
    other: {
      before: `<details><summary>${plural(grouped.other.length, 'other finding')} (ignored, unfixed or below the threshold)</summary>`,
      header: findingHeader(otherColumns),
      rows: grouped.other.map((r) => findingRow(r, otherColumns)),
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
    header: tableHeader(['Platform', 'Manifest digest', 'OS', 'Packages', 'Findings', 'Failing'], ['left', 'left', 'left', 'right', 'right', 'right']),
    rows: scan.result.platforms.map((p) => tableRow([
      code(p.platform, { inTable: true, maxLength: 40 }),
      code(p.manifestDigest, { inTable: true }),
      p.os === undefined ? 'unknown' : text(p.os.prettyName ?? `${p.os.id} ${p.os.versionId}`, 80),
      count(p.packages.length),
      count(p.findings.length),
      count(p.findings.filter((f) => f.failsPolicy === true).length),
    ])),
    leftOut,
    priority,
  };
}

/** Things the scanner could not read, which readers should know were not covered. */
export function scanNotes(scan: ScanReport, priority: number, leftOut: (n: number) => string): TableBlock {
  const rows: string[] = [];
  for (const platform of scan.result.platforms) {
    for (const note of platform.notes) {
      rows.push(tableRow([code(platform.platform, { inTable: true, maxLength: 40 }), text(note, 400)]));
    }
  }
  return {
    before: '**Scan notes** (not covered by the scan)',
    header: tableHeader(['Platform', 'Note']),
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

export function filesLine(scan: ScanReport): string {
  const files = scan.files;
  if (files === undefined) return '';
  const parts: string[] = [];
  if (files.report !== undefined) parts.push(`JSON report ${code(files.report, { maxLength: 200 })}`);
  if (files.sarif !== undefined) parts.push(`SARIF ${code(files.sarif, { maxLength: 200 })}`);
  if (files.sbom !== undefined) parts.push(`SBOM ${code(files.sbom, { maxLength: 200 })}`);
  return parts.length === 0 ? '' : `Files written: ${parts.join(', ')}`;
}
