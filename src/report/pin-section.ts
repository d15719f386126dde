// How a pin run reads: the job summary and pull-request section (a table of
// file:line, reference, digest, state), the annotations on the failing lines, and
// the final log line. Everything from a file goes through the markdown escapers.
import type { PinReport, PinRow, PinState } from '../pin/model.ts';
import { layout, type Block } from './layout.ts';
import { clean, code, count, plural, sentence, tableHeader, tableRow, text } from './markdown.ts';

const STATE_LABEL: Record<PinState, string> = {
  pinned: '📌 pinned',
  'up-to-date': '✔️ up to date',
  exists: '✔️ digest exists',
  unpinned: '⛔ not pinned',
  moved: '⛔ tag moved',
  'update-available': '🔁 update available',
  updated: '🔁 updated (mutable)',
  missing: '⛔ not in registry',
  unknown: '❓ could not check',
  invalid: '⚠️ invalid reference',
  skipped: '⏭️ skipped',
};

const FAILING: readonly PinState[] = ['unpinned', 'moved', 'missing', 'unknown', 'invalid'];

export function pinTitle(report: PinReport): string {
  const what = report.mode === 'check' ? 'pin check' : 'pin';
  if (report.result === 'pass') {
    const updates = report.rows.filter((r) => r.state === 'update-available').length;
    const skipped = report.rows.filter((r) => r.state === 'skipped').length;
    const every = skipped > 0 ? 'every reference checked' : 'every reference';
    const tail = report.mode === 'check'
      ? `${updates > 0 ? `${every} is pinned; ${plural(updates, 'update')} available` : `${every} is pinned and current`}${skipped > 0 ? ` (${count(skipped)} skipped)` : ''}`
      : `${plural(report.written.length, 'file')} rewritten`;
    return `### ✅ immutag ${what}: ${tail}`;
  }
  const why = failurePhrases(report).join(', ');
  return report.result === 'violation' ? `### ❌ immutag ${what}: ${why}` : `### ⚠️ immutag ${what}: could not finish: ${why}`;
}

function failurePhrases(report: PinReport): string[] {
  const n = (s: PinState) => report.rows.filter((r) => r.state === s).length;
  const out: string[] = [];
  // Tags, not references: one moved tag named in two files is one tag that moved.
  const moved = new Set(report.rows.filter((r) => r.state === 'moved').map((r) => r.reference));
  if (moved.size > 0) out.push(`${plural(moved.size, 'immutable tag')} moved${n('moved') > moved.size ? ` (${plural(n('moved'), 'reference')})` : ''}`);
  if (n('unpinned') > 0) out.push(`${plural(n('unpinned'), 'reference')} not pinned`);
  if (n('missing') > 0) out.push(`${plural(n('missing'), 'reference')} not in the registry`);
  if (n('unknown') > 0) out.push(`${plural(n('unknown'), 'reference')} could not be checked`);
  if (n('invalid') > 0) out.push(`${plural(n('invalid'), 'invalid reference', 'invalid references')}`);
  for (const p of report.problems) if (/^[A-Z_]{1,40}$/.test(p.code)) out.push(p.code);
  return out.length > 0 ? out : ['an error occurred'];
}

function digestCell(row: PinRow): string {
  if (row.state === 'moved' || row.state === 'update-available') {
    return `pinned ${code(row.pinnedDigest ?? '', { inTable: true })}, now ${code(row.currentDigest ?? '', { inTable: true })}`;
  }
  if (row.digest !== undefined) return code(row.digest, { inTable: true });
  if (row.currentDigest !== undefined) return `tag is at ${code(row.currentDigest, { inTable: true })}`;
  return '';
}

/** A pinned or updated row of a run that wrote nothing says so, in the table and the final line. */
const NOT_WRITTEN: Partial<Record<PinState, { label: string; counted: string }>> = {
  pinned: { label: '📌 to pin, not written', counted: 'to pin, not written' },
  updated: { label: '🔁 to update, not written', counted: 'to update, not written' },
};

function notWritten(row: PinRow): { label: string; counted: string } | undefined {
  return row.written === false ? NOT_WRITTEN[row.state] : undefined;
}

function stateLabel(row: PinRow): string {
  return notWritten(row)?.label ?? STATE_LABEL[row.state];
}

function rowLine(row: PinRow): string {
  const state = stateLabel(row) + (row.reason !== undefined && row.state !== 'moved' && row.state !== 'update-available' ? `: ${text(row.reason, 300)}` : '');
  return tableRow([code(`${row.file}:${row.line}`, { inTable: true, maxLength: 200 }), code(shownReference(row.reference), { inTable: true, maxLength: 300 }), digestCell(row), state]);
}

/** `name:tag@sha256:…` shows as `name:tag`: the digest has its own column. A digest-only reference keeps it. */
function shownReference(reference: string): string {
  const at = reference.indexOf('@');
  if (at === -1) return reference;
  const name = reference.slice(0, at);
  return name.lastIndexOf(':') > name.lastIndexOf('/') ? name : reference;
}

/** The blocks of the pin section: failing rows first, so a size cut drops the good news. */
export function pinBlocks(report: PinReport, leftOut: (n: number) => string): Block[] {
  const rows = [...report.rows].sort((a, b) => Number(FAILING.includes(b.state)) - Number(FAILING.includes(a.state)));
  const blocks: Block[] = [pinTitle(report)];
  if (report.rows.length === 0 && report.problems.length === 0) {
    blocks.push(report.mode === 'push' ? 'No reference to the pushed tags was found in the given paths.' : 'No image references were found in the given paths.');
  }
  const problems = report.problems.slice(0, 20).map((p) => `- ⚠️ ${code(p.code, { maxLength: 40 })}: ${sentence(text(p.message, 500))}${p.hint ? ` ${text(p.hint, 500)}` : ''}`);
  if (problems.length > 0) blocks.push(['**Problems**', '', ...problems].join('\n'));
  const checked = `(registry checked at ${text(report.checkedAt, 40)})`;
  const failing = rows.filter((r) => FAILING.includes(r.state));
  const others = rows.filter((r) => !FAILING.includes(r.state));
  const header = tableHeader(['File', 'Reference', 'Digest', 'State']);
  // What needs attention apart from what is fine, so a healthy row never reads as a problem.
  if (failing.length > 0) blocks.push({ before: `**Needs attention** ${checked}`, header, rows: failing.map(rowLine), leftOut, priority: 0 });
  if (others.length > 0) {
    blocks.push({ before: failing.length > 0 ? '**The other references**' : `**Image references** ${checked}`, header, rows: others.map(rowLine), leftOut, priority: 0 });
  }
  if (report.written.length > 0) blocks.push(`**Rewritten:** ${report.written.slice(0, 50).map((f) => code(f, { maxLength: 200 })).join(', ')}${report.written.length > 50 ? ` and ${count(report.written.length - 50)} more` : ''}`);
  const notes = report.notes.slice(0, 50).map((n) => `- ${code(n.path, { maxLength: 200 })}: ${text(n.reason, 300)}`);
  if (notes.length > 0) blocks.push(['**Not read**', '', ...notes].join('\n'));
  return blocks;
}

export function renderPinSummary(report: PinReport, maxSize = 800 * 1024): string {
  const leftOut = (n: number) => `_… ${plural(n, 'more row')} left out to stay under the size limit: run with --json for all of them._`;
  return (layout(pinBlocks(report, leftOut), maxSize) ?? pinTitle(report)) + '\n';
}

export interface PinAnnotation {
  level: 'error' | 'warning' | 'notice';
  title: string;
  message: string;
  file?: string;
  line?: number;
}

/** One annotation per failing reference, on its line; a moved mutable tag is a notice. */
export function pinAnnotations(report: PinReport): PinAnnotation[] {
  const out: PinAnnotation[] = [];
  for (const p of report.problems) {
    out.push({ level: 'error', title: `immutag pin: ${p.code}`, message: clean(`${p.message}${p.hint ? ` ${p.hint}` : ''}`, 1000), ...(p.file ? { file: p.file } : {}), ...(p.line ? { line: p.line } : {}) });
  }
  for (const row of report.rows) {
    const at = { file: row.file, line: row.line };
    const ref = clean(row.reference, 300);
    const reason = clean(row.reason ?? '', 600);
    switch (row.state) {
      case 'moved':
        out.push({ level: 'error', title: `Tag moved: ${ref}`, message: `${reason} (registry checked at ${report.checkedAt}). The tag is immutable: find out who pushed over it before deploying; the pinned digest still deploys what was checked.`, ...at });
        break;
      case 'unpinned':
        out.push({ level: 'error', title: `Not pinned: ${ref}`, message: `${reason}. Run immutag pin on this file to pin it to the digest.`, ...at });
        break;
      case 'missing':
      case 'invalid':
      case 'unknown':
        out.push({ level: 'error', title: `${STATE_LABEL[row.state].replace(/^\S+ /, '')}: ${ref}`, message: reason, ...at });
        break;
      case 'update-available':
        out.push({ level: 'notice', title: `Update available: ${ref}`, message: `${reason}. Run immutag pin to take it.`, ...at });
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * The Action's share of a step's error annotations (annotations.ts MAX_ANNOTATIONS):
 * `room` errors at most, the last kept one saying how many more the summary lists, so
 * that the verdict line the Action fails with is never the one GitHub drops. Notices
 * and warnings are counted apart by GitHub and stay as they are.
 */
export function pinAnnotationsWithin(all: readonly PinAnnotation[], room: number): PinAnnotation[] {
  const errors = all.filter((a) => a.level === 'error').length;
  if (errors <= room) return [...all];
  const keep = Math.max(0, room - 1);
  const out: PinAnnotation[] = [];
  let kept = 0;
  for (const a of all) {
    if (a.level !== 'error') out.push(a);
    else if (kept < keep) {
      out.push(a);
      kept++;
    }
  }
  if (room > 0) {
    out.push({
      level: 'error',
      title: `${plural(errors - keep, 'more pin problem')} not annotated`,
      message: 'GitHub shows at most 10 error annotations per step; the job summary lists every reference that needs attention.',
    });
  }
  return out;
}

export function pinFinalLine(report: PinReport): string {
  const counts = new Map<string, number>();
  for (const r of report.rows) {
    const shown = notWritten(r)?.counted ?? r.state;
    counts.set(shown, (counts.get(shown) ?? 0) + 1);
  }
  const parts = [...counts.entries()].map(([s, n]) => `${count(n)} ${s}`);
  if (report.written.length > 0) parts.push(`${plural(report.written.length, 'file')} rewritten`);
  if (report.notes.length > 0) parts.push(`${plural(report.notes.length, 'file')} not read`);
  for (const p of report.problems.slice(0, 3)) parts.push(`${p.code}: ${p.message}`);
  return clean(`immutag pin: ${report.result.toUpperCase()}: ${parts.join('; ') || 'no image references found'}`, 2000);
}
