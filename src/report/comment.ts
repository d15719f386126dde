// The pull-request comment: what to deploy, the tags, the scan verdict. One comment
// per key, found again by its hidden marker and updated in place, and always under
// GitHub's comment size limit whatever the number of findings.
import { createHash } from 'node:crypto';
import { layout, type Block } from './layout.ts';
import { code, count, link, sizeOf, withoutLocalPaths } from './markdown.ts';
import type { RunReport } from './run-report.ts';
import { findingTables, notesPointer, notScannedLine, scanVerdict } from './scan-section.ts';
import { deploySection, problemList, runLine, tagTable, titleLine } from './sections.ts';

/** GitHub refuses a comment body over 65,536 characters with 422 "body is too long". */
export const COMMENT_LIMIT = 65_536;

/** What the renderer aims for, in UTF-8 bytes (never fewer than characters), leaving room to spare. */
export const COMMENT_BUDGET = 64_000;

/**
 * The default `comment-key`: the workflow name plus the repositories of `tags`, so
 * that matrix jobs and several images each keep their own comment.
 */
export function defaultCommentKey(workflow: string | undefined, repositories: readonly string[]): string {
  return [workflow ?? '', ...[...new Set(repositories)].sort()].join('\n');
}

/**
 * The hidden first line that identifies the comment. Only a hash of the key appears,
 * so the marker is always `<!-- immutag:` + 16 hex digits + ` -->` whatever the key holds.
 */
export function commentMarker(key: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `<!-- immutag:${hash} -->`;
}

export interface CommentOptions {
  marker: string;
  /** Size limit in UTF-8 bytes; defaults to COMMENT_BUDGET. */
  maxSize?: number;
}

export function renderComment(report: RunReport, options: CommentOptions): string {
  const maxSize = options.maxSize ?? COMMENT_BUDGET;
  const shown = withoutRunnerPaths(report);
  const full = layout(commentBlocks(shown, options.marker), maxSize);
  if (full !== undefined) return full + '\n';
  return renderShortComment(shown, options);
}

function commentBlocks(report: RunReport, marker: string): Block[] {
  const leftOut = leftOutLine(report);
  const blocks: Block[] = [
    marker + '\n' + titleLine(report),
    deploySection(report, { platforms: true }),
    runLine(report),
    problemList(report),
    tagTable(report, 0, leftOut),
  ];
  const scan = report.scan;
  if (scan === undefined) blocks.push(notScannedLine(report));
  if (scan !== undefined) {
    const tables = findingTables(scan, { summary: false, leftOut, priority: 1 });
    // A pull request is about what fails; the rest is there to glance at, and the job summary has it all.
    const other = { ...tables.other, maxShown: OTHER_FINDINGS_SHOWN, leftOut: summaryPointer(report) };
    blocks.push(scanVerdict(scan), tables.failing, tables.moreFailing, other, notesPointer(scan));
  }
  blocks.push(footer());
  return blocks.filter((b) => b !== '');
}

/**
 * Paths on the runner (`/home/runner/work/_temp/image.tar`) mean nothing to someone
 * reading a pull request: the comment keeps their last part. The job summary, read
 * next to the log, keeps them whole.
 */
function withoutRunnerPaths(report: RunReport): RunReport {
  return {
    ...report,
    tags: report.tags.map((t) => (t.reason === undefined ? t : { ...t, reason: withoutLocalPaths(t.reason) })),
    problems: report.problems.map((p) => ({
      ...p, message: withoutLocalPaths(p.message), ...(p.hint !== undefined ? { hint: withoutLocalPaths(p.hint) } : {}),
    })),
  };
}

/** How many findings that do not fail the comment lists; the job summary lists them all. */
export const OTHER_FINDINGS_SHOWN = 50;

function summaryPointer(report: RunReport): (left: number) => string {
  const where = report.run.runUrl !== undefined ? `the job summary of ${link('this run', report.run.runUrl)}` : 'the job summary';
  return (left) => `_… and ${count(left)} more: see ${where}._`;
}

function leftOutLine(report: RunReport): (left: number) => string {
  const where = report.run.runUrl !== undefined ? `the job summary of ${link('this run', report.run.runUrl)}` : 'the job summary';
  const sarif = report.scan?.files?.sarif !== undefined ? ' or the SARIF file' : '';
  return (left) => `_… ${count(left)} more ${left === 1 ? 'row' : 'rows'} left out to keep this comment under GitHub's size limit: see ${where}${sarif}._`;
}

function footer(): string {
  return '<sub>Written by immutag and updated in place on every run.</sub>';
}

/**
 * The last resort, when even the prose does not fit or GitHub refuses the full body:
 * the verdict, the digest and where to read the rest.
 */
export function renderShortComment(report: RunReport, options: Pick<CommentOptions, 'marker'>): string {
  const marker = options.marker;
  const lines = [marker + '\n' + titleLine(report), runLine(report)];
  // Only a passing image in the registry is offered as the one to deploy, as in the full comment.
  if (report.image !== undefined) {
    lines.push(report.result === 'pass' && report.image.inRegistry ? `Deploy: ${code(report.image.digest)}` : deploySection(report, { platforms: false }));
  }
  lines.push('The full report does not fit in a pull-request comment: see the job summary of the run.');
  const body = lines.join('\n\n') + '\n';
  return sizeOf(body) <= COMMENT_LIMIT ? body : marker + '\n' + titleLine(report) + '\n';
}
