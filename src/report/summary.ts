// The job summary (GITHUB_STEP_SUMMARY): the comment's content on every event, with
// room for more — the per-platform digests and scan results, advisory summaries and
// scan notes. GitHub accepts up to 1 MiB per step; the renderer stays well below so
// other steps' output and our own annotations are never the ones cut.
import { layout, type Block } from './layout.ts';
import { code, count } from './markdown.ts';
import type { RunReport } from './run-report.ts';
import { filesLine, findingTables, notScannedLine, platformScanTable, scanNotes, scanVerdict } from './scan-section.ts';
import { deploySection, platformDigestTable, problemList, runLine, tagTable, titleLine } from './sections.ts';

/** GitHub's limit for one step's summary. */
export const SUMMARY_LIMIT = 1024 * 1024;

/** What the renderer aims for, in UTF-8 bytes. */
export const SUMMARY_BUDGET = 800 * 1024;

export function renderSummary(report: RunReport, options: { maxSize?: number } = {}): string {
  const maxSize = options.maxSize ?? SUMMARY_BUDGET;
  const full = layout(summaryBlocks(report), maxSize);
  if (full !== undefined) return full + '\n';
  return [titleLine(report), runLine(report), 'The report is too large for the job summary: see the log.'].join('\n\n') + '\n';
}

function summaryBlocks(report: RunReport): Block[] {
  const leftOut = leftOutLine(report);
  const blocks: Block[] = [
    titleLine(report),
    deploySection(report, { platforms: false }),
    runLine(report),
    problemList(report),
    tagTable(report, 0, leftOut),
  ];
  const scan = report.scan;
  if (scan === undefined) {
    blocks.push(notScannedLine(report), platformDigestTable(report, 1, leftOut));
  } else {
    const tables = findingTables(scan, { summary: true, leftOut, priority: 2 });
    blocks.push(
      scanVerdict(scan),
      platformScanTable(scan, 1, leftOut),
      tables.failing,
      tables.moreFailing,
      tables.other,
      scanNotes(scan, 4, leftOut),
      filesLine(scan),
    );
  }
  return blocks.filter((b) => b !== '');
}

function leftOutLine(report: RunReport): (left: number) => string {
  const files = report.scan?.files;
  const where = files?.report !== undefined
    ? `the JSON report ${code(files.report, { maxLength: 200 })}`
    : files?.sarif !== undefined ? `the SARIF file ${code(files.sarif, { maxLength: 200 })}` : 'the `report` or `sarif` output file';
  return (left) => `_… ${count(left)} more ${left === 1 ? 'row' : 'rows'} left out to stay under the job summary size limit: ${where} has them all._`;
}
