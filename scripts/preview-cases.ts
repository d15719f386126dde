// The standard outcomes a reader meets, as sample reports: what `npm run preview`
// renders and what the phone-width test lays out in a browser.
import type { RunReport } from '../src/report/run-report.ts';
import { renderComment, commentMarker } from '../src/report/comment.ts';
import { renderSummary } from '../src/report/summary.ts';
import {
  errorReport, manyFindingsReport, passingReport, refusedReport, singlePlatformReport, verifyMismatchReport, violationReport,
} from '../test/support/sample-report.ts';

export interface PreviewCase {
  name: string;
  title: string;
  report: () => RunReport;
}

export const PREVIEW_CASES: readonly PreviewCase[] = [
  { name: 'pass', title: 'Pass: a single-platform image pushed and scanned', report: singlePlatformReport },
  { name: 'multi-platform', title: 'Pass: a multi-platform image pushed to two registries', report: passingReport },
  { name: 'refused', title: 'Refused: an immutable tag already points elsewhere', report: refusedReport },
  { name: 'verify-mismatch', title: 'Refused: verify mode, the tag names another digest', report: verifyMismatchReport },
  { name: 'violation', title: 'Violation: a refused tag and findings that fail the policy', report: violationReport },
  { name: 'many-findings', title: 'Violation: 150 findings fail the policy', report: () => manyFindingsReport(150) },
  { name: 'error', title: 'Error: the vulnerability database could not be reached', report: errorReport },
];

const MARKER = commentMarker('preview');

export function renderCase(c: PreviewCase): { comment: string; summary: string } {
  const report = c.report();
  return { comment: renderComment(report, { marker: MARKER }), summary: renderSummary(report) };
}
