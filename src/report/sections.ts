// The parts of a report that the comment and the job summary share: the headline,
// which run it describes, what to deploy, the tags, and the problems. Scan sections
// live in scan-section.ts.
import {
  clean, code, codeBlock, count, link, shortDigest, tableHeader, tableRow, text, sentence,
} from './markdown.ts';
import { repositoriesOf, type PlatformDigest, type RunReport, type TagReport, type TagState } from './model.ts';
import type { TableBlock } from './layout.ts';
import { headline } from './verdict.ts';

export function titleLine(report: RunReport): string {
  const h = headline(report);
  return `### ${h.icon} immutag: ${h.title}`;
}

/** "`ghcr.io/acme/api` · commit `abc1234` · run #12 (attempt 2) · workflow CI · `pull_request`", linked where possible. */
export function runLine(report: RunReport): string {
  const run = report.run;
  const parts: string[] = [];
  const images = imagesPart(report);
  if (images !== '') parts.push(images);
  const sha = run.sha !== undefined && /^[0-9a-f]{40}$/.test(run.sha) ? run.sha : undefined;
  const head = run.headSha !== undefined && /^[0-9a-f]{40}$/.test(run.headSha) ? run.headSha : undefined;
  const repoUrl = run.serverUrl !== undefined && run.repository !== undefined
    ? `${run.serverUrl.replace(/\/+$/, '')}/${run.repository}`
    : undefined;
  const commitLink = (s: string): string => link(code(s.slice(0, 7)), repoUrl && `${repoUrl}/commit/${s}`);
  if (head !== undefined && sha !== undefined && head !== sha) {
    parts.push(`commit ${commitLink(head)} (built as merge commit ${commitLink(sha)})`);
  } else if (sha !== undefined) {
    parts.push(`commit ${commitLink(sha)}`);
  }
  const runLabel = run.runNumber !== undefined ? `run #${count(run.runNumber)}` : 'this run';
  const attempt = run.runAttempt !== undefined && run.runAttempt > 1 ? ` (attempt ${run.runAttempt})` : '';
  if (run.runUrl !== undefined) parts.push(link(runLabel + attempt, run.runUrl));
  if (run.workflow !== undefined) parts.push(`workflow ${text(run.workflow, 100)}`);
  if (run.event !== undefined) parts.push(code(run.event, { maxLength: 40 }));
  return parts.join(' · ');
}

const NAMED_REPOSITORIES = 3;

/** Which images the report is about, so that several comments on one pull request tell themselves apart. */
function imagesPart(report: RunReport): string {
  const repositories = repositoriesOf(report);
  const named = repositories.slice(0, NAMED_REPOSITORIES).map((r) => code(r, { maxLength: 255 }));
  if (named.length === 0) return '';
  const more = repositories.length > NAMED_REPOSITORIES ? ` and ${count(repositories.length - NAMED_REPOSITORIES)} more` : '';
  return `${named.join(', ')}${more}`;
}

/**
 * What to deploy. Only a digest that is in the registry and passed is offered as
 * "deploy this"; otherwise the digest is shown for reference and marked as not pushed.
 */
export function deploySection(report: RunReport, options: { platforms: boolean }): string {
  const image = report.image;
  if (image === undefined) return '';
  const repositories = repositoriesOf(report).map((r) => clean(r, 255));
  if (report.result !== 'pass' || !image.inRegistry) {
    const why = report.tags.length === 0 ? 'not pushed: no tags were given' : report.mode === 'dry-run' ? 'not pushed: `push: false`' : 'not pushed';
    return `**Image digest** (${why}): ${code(image.digest)}`;
  }
  const first = repositories[0];
  const lines: string[] = [
    '**Deploy this digest**' + promotedLine(image),
    codeBlock(repositories.map((r) => `docker pull ${r}@${image.digest}`), 'sh'),
    codeBlock(repositories.map((r) => `image: ${r}@${image.digest}`), 'yaml'),
  ];
  if (options.platforms && image.platforms.length > 0 && first !== undefined) {
    lines.push(platformTable(first, image.platforms, repositories.length > 1));
  }
  return lines.join('\n\n');
}

/** promote-same-revision: say that the digest is the image already published, not this run's build. */
function promotedLine(image: NonNullable<RunReport['image']>): string {
  const p = image.promoted;
  if (p === undefined) return '';
  return `\n\nPromoted the image already published for ${code(p.revision, { maxLength: 80 })} (${code(p.heldBy, { maxLength: 300 })}); this run's build was not pushed.`;
}

const MAX_PLATFORM_ROWS = 50;

function platformTable(repository: string, platforms: readonly PlatformDigest[], several: boolean): string {
  const rows = platforms.slice(0, MAX_PLATFORM_ROWS).map((p) => tableRow([
    code(p.platform, { inTable: true, maxLength: 40 }),
    code(`${repository}@${p.digest}`, { inTable: true, maxLength: 400 }),
  ]));
  if (platforms.length > MAX_PLATFORM_ROWS) rows.push(tableRow([`… ${count(platforms.length - MAX_PLATFORM_ROWS)} more`, '']));
  const note = several ? '\n\nDigests are the same in every repository listed above.' : '';
  return `Per platform (the index above selects the right one automatically):\n\n${tableHeader(['Platform', 'Reference'])}\n${rows.join('\n')}${note}`;
}

const STATE_LABEL: Record<TagState, string> = {
  created: '🆕 created',
  unchanged: '✔️ unchanged',
  moved: '🔁 moved (mutable)',
  'would-create': '🆓 free, would be created',
  'would-move': '🔁 would move (mutable)',
  verified: '✔️ verified',
  refused: '⛔ refused',
  unknown: '❓ could not check',
  skipped: '⏸️ not reached',
};

/** One row per tag: its state, and for refused tags the digest the tag already points at. */
export function tagTable(report: RunReport, priority: number, leftOut: (n: number) => string): TableBlock {
  return {
    before: '**Tags**',
    header: tableHeader(['Tag', 'State', 'Details']),
    rows: report.tags.map(tagRow),
    leftOut,
    priority,
  };
}

function tagRow(tag: TagReport): string {
  return tableRow([code(tag.reference, { inTable: true, maxLength: 300 }), STATE_LABEL[tag.state], tagDetails(tag)]);
}

function tagDetails(tag: TagReport): string {
  const parts: string[] = [];
  const existing = tag.existingDigest;
  if (tag.state === 'refused' && existing !== undefined) {
    parts.push(`already points at ${code(existing, { inTable: true })}`);
  } else if ((tag.state === 'moved' || tag.state === 'would-move') && existing !== undefined) {
    parts.push(`was ${code(shortDigest(existing), { inTable: true })}`);
  }
  if (tag.reason !== undefined) parts.push(text(tag.reason, 300));
  if (tag.state === 'refused' && existing !== undefined && !tag.mutable) {
    parts.push('Bump the version, or list the tag in `mutable-tags`');
  }
  return parts.join('. ');
}

/** The job summary's list of platform manifests (the deploy section shows them only when deployable). */
export function platformDigestTable(report: RunReport, priority: number, leftOut: (n: number) => string): TableBlock {
  const platforms = report.image?.platforms ?? [];
  return {
    before: '**Platforms**',
    header: tableHeader(['Platform', 'Manifest digest']),
    rows: platforms.map((p) => tableRow([code(p.platform, { inTable: true, maxLength: 40 }), code(p.digest, { inTable: true })])),
    leftOut,
    priority,
  };
}

/** Errors and warnings, each with its code and what to do. Bounded: the first 20, each to 500 characters. */
export function problemList(report: RunReport): string {
  if (report.problems.length === 0) return '';
  const items = report.problems.slice(0, 20).map((p) => {
    const icon = p.level === 'error' ? '⚠️' : 'ℹ️';
    const hint = p.hint ? ` ${text(p.hint, 500)}` : '';
    return `- ${icon} ${code(p.code, { maxLength: 40 })}: ${sentence(text(p.message, 500))}${hint}`;
  });
  const more = report.problems.length > 20 ? [`- … and ${count(report.problems.length - 20)} more in the log`] : [];
  const heading = report.problems.every((p) => p.level === 'notice') ? '**Notes**' : '**Problems**';
  return [heading, '', ...items, ...more].join('\n');
}
