// The verdict in words, shared by the comment's headline, the job summary and the
// final log line. Phrases here hold only counts and words of our own (never a string
// from outside), so they are safe in Markdown as they are.
import { SEVERITY_ORDER } from '../scan/model.ts';
import { countFindings } from './findings.ts';
import { count, plural } from './markdown.ts';
import type { RunReport, TagState } from './model.ts';

export interface Headline {
  icon: string;
  title: string;
}

export function headline(report: RunReport): Headline {
  if (report.result === 'pass') return { icon: '✅', title: passTitle(report) };
  const why = failurePhrases(report);
  if (report.result === 'violation') return { icon: '❌', title: `Blocked: ${why.join(', ')}` };
  return { icon: '⚠️', title: `Could not finish: ${why.join(', ') || 'an error occurred'}` };
}

function passTitle(report: RunReport): string {
  if (report.tags.length === 0) return report.image ? 'Scanned: no tags given, nothing pushed' : 'No tags given: nothing to check';
  if (report.image?.promoted) return report.mode === 'push' ? 'Promoted: ready to deploy' : 'Checked: would promote the image already published (push: false)';
  switch (report.mode) {
    case 'push':
      return 'Pushed: ready to deploy';
    case 'verify':
      return 'Verified: ready to deploy';
    case 'dry-run':
      return 'Checked: nothing pushed (push: false)';
    case 'check':
      return 'Tags are free';
  }
}

/** What failed, as counts: `1 tag refused`, `3 findings fail the policy`, `REGISTRY_UNREACHABLE`. */
export function failurePhrases(report: RunReport): string[] {
  const phrases: string[] = [];
  const refused = report.tags.filter((t) => t.state === 'refused').length;
  const unknown = report.tags.filter((t) => t.state === 'unknown').length;
  if (refused > 0) phrases.push(`${plural(refused, 'tag')} refused`);
  if (unknown > 0) phrases.push(`${plural(unknown, 'tag')} could not be checked`);
  const failing = report.scan === undefined ? 0 : countFindings(report.scan.result).failing;
  if (failing > 0) phrases.push(`${plural(failing, 'finding')} ${failing === 1 ? 'fails' : 'fail'} the policy`);
  const codes = new Set(report.problems.filter((p) => p.level === 'error').map((p) => p.code));
  for (const code of codes) {
    if (/^[A-Z_]{1,40}$/.test(code)) phrases.push(code);
  }
  return phrases;
}

const STATE_ORDER: readonly TagState[] = [
  'created', 'moved', 'unchanged', 'verified', 'would-create', 'would-move', 'refused', 'unknown', 'skipped',
];

/** `2 created, 1 unchanged`. */
export function tagCounts(report: RunReport): string {
  const parts: string[] = [];
  for (const state of STATE_ORDER) {
    const n = report.tags.filter((t) => t.state === state).length;
    if (n > 0) parts.push(`${count(n)} ${state}`);
  }
  return parts.join(', ');
}

/** `2 critical, 1 high` over all findings; `no findings` when there are none. */
export function severityCounts(report: RunReport): string {
  if (report.scan === undefined) return '';
  const counts = countFindings(report.scan.result);
  const parts = SEVERITY_ORDER.filter((s) => counts[s] > 0).map((s) => `${count(counts[s])} ${s}`);
  return parts.length === 0 ? 'no findings' : parts.join(', ');
}

/** Total findings across severities. */
export function totalFindings(report: RunReport): number {
  if (report.scan === undefined) return 0;
  const counts = countFindings(report.scan.result);
  return SEVERITY_ORDER.reduce((sum, s) => sum + counts[s], 0);
}
