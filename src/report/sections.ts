// The parts of a report that the comment and the job summary share: the headline,
// which run it describes, what to deploy, the tags, and the problems. Scan sections
// live in scan-section.ts.
//
// Everything here reads on a phone (390 px): no tables. A table cell does not wrap
// inside a code span, so a digest or a long tag widens the whole table past the
// screen; lists and code blocks wrap or scroll on their own.
import { clean, code, codeBlock, count, digestLabel, link, plural, sentence, text } from './markdown.ts';
import { repositoriesOf, type GivenDigest, type PlatformDigest, type RunReport, type TagReport, type TagState } from './run-report.ts';
import type { TableBlock } from './layout.ts';
import { givenDigestClause } from './given-digest.ts';
import { headline, problemHeadline } from './verdict.ts';

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
 * What to deploy, first: the digest's short label, then the full references in a code
 * block (it scrolls on a phone, and copies whole). Only a digest that is in the
 * registry and passed is offered as "deploy"; otherwise it is marked as not pushed.
 */
export function deploySection(report: RunReport, options: { platforms: boolean }): string {
  const image = report.image;
  if (image === undefined) return '';
  const repositories = repositoriesOf(report).map((r) => clean(r, 255));
  if (report.mode === 'verify' && report.result !== 'pass') {
    return `**Expected digest** (the \`digest\` input; do not deploy these tags): ${code(image.digest)}`;
  }
  // Tags this run wrote are real, whatever they name now: the image is in the registry, pushed before them.
  const written = report.tags.filter((t) => t.state === 'created' || t.state === 'moved' || t.writtenLate || t.writtenThenTaken).length;
  if (report.result !== 'pass' && report.mode === 'push' && written > 0) {
    return `**Image digest** (pushed, but the run failed after writing ${plural(written, 'tag')}: do not deploy): ${code(image.digest)}`;
  }
  if (report.result !== 'pass' && report.mode === 'push' && report.tags.some((t) => t.mayBeWritten)) {
    return `**Image digest** (pushed, and a tag may have been written, but the run failed: do not deploy): ${code(image.digest)}` + promotedLine(image, false);
  }
  if (report.result !== 'pass' || !image.inRegistry) {
    return `**Image digest** (${notPushed(report)}): ${code(image.digest)}` + promotedLine(image, false);
  }
  const lines: string[] = [
    `**Deploy** ${code(digestLabel(image.digest))}` + promotedLine(image),
    codeBlock(repositories.length > 0 ? repositories.map((r) => `${r}@${image.digest}`) : [image.digest], 'text'),
  ];
  const first = repositories[0];
  if (options.platforms && image.platforms.length > 0 && first !== undefined) {
    lines.push(platformDetails(first, image.platforms, repositories.length > 1));
  }
  return lines.join('\n\n');
}

function notPushed(report: RunReport): string {
  if (report.tags.length === 0) return 'not pushed: no tags were given';
  if (report.mode !== 'dry-run') return 'not pushed, do not deploy';
  return report.result === 'pass' ? 'not pushed: `push: false`' : 'not pushed: `push: false`; the run failed, do not deploy';
}

/**
 * promote-same-revision: say that the digest is the image already published, not this
 * run's build; on a failed run too, where the findings shown are that image's.
 */
function promotedLine(image: NonNullable<RunReport['image']>, passed = true): string {
  const p = image.promoted;
  if (p === undefined) return '';
  const what = `the image already published for ${code(p.revision, { maxLength: 80 })} (${code(p.heldBy, { maxLength: 300 })})`;
  if (!passed) return `\n\nThis is ${what}, chosen to promote instead of this run's build: the scan results here are that image's.`;
  return `\n\nPromoted ${what}; this run's build was not pushed.`;
}

const MAX_PLATFORM_ROWS = 50;

function platformDetails(repository: string, platforms: readonly PlatformDigest[], several: boolean): string {
  const shown = platforms.slice(0, MAX_PLATFORM_ROWS);
  const names = shown.map((p) => clean(p.platform, 40));
  const width = Math.max(...names.map((n) => n.length));
  const rows = shown.map((p, i) => `${names[i]!.padEnd(width)}  ${repository}@${p.digest}`);
  if (platforms.length > MAX_PLATFORM_ROWS) rows.push(`… ${count(platforms.length - MAX_PLATFORM_ROWS)} more`);
  const note = several ? ' The digests are the same in every repository above.' : '';
  return [
    `<details><summary>Per platform: ${text(names.join(', '), 200)}</summary>`,
    `The reference above is an index that selects the right platform by itself; these are for tools that need one.${note}`,
    codeBlock(rows, 'text'),
    '</details>',
  ].join('\n\n');
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
  skipped: '⏸️ skipped',
};

/** One list item per tag: its state, the digest it was at, and why it failed. */
export function tagTable(report: RunReport, priority: number, leftOut: (n: number) => string): TableBlock {
  return {
    before: '**Tags**',
    header: '',
    rows: report.tags.map((t) => tagRow(t, report)),
    after: tagAdvice(report),
    leftOut,
    priority,
  };
}

/** A tag this run wrote that failed after its write is labelled as written, not as refused or unchecked. */
function stateLabel(tag: TagReport): string {
  if (tag.state === 'refused' && tag.writtenThenTaken) return '⛔ written, but names another image';
  if (tag.state === 'unknown' && tag.writtenLate) return '❓ written, but too late to be vouched for';
  if (tag.state === 'unknown' && tag.mayBeWritten) return '❓ may have been written';
  return STATE_LABEL[tag.state];
}

function tagRow(tag: TagReport, report: RunReport): string {
  const parts = [`- ${code(tag.reference, { maxLength: 300 })}: ${stateLabel(tag)}`];
  const existing = tag.existingDigest;
  if (tag.state === 'refused' && tag.writtenThenTaken && existing !== undefined) {
    parts.push(`: it now points at ${code(existing)}, not at this job's image; do not deploy it by tag`);
  } else if (tag.state === 'refused' && existing !== undefined) {
    const expected = report.mode === 'verify' ? report.image?.digest : undefined;
    parts.push(expected !== undefined
      ? `, points at ${code(existing)}, not at the expected ${code(expected)}`
      : `, already points at ${code(existing)}`);
  } else if ((tag.state === 'moved' || tag.state === 'would-move') && existing !== undefined) {
    parts.push(`, was ${code(digestLabel(existing))}`);
  }
  if (tag.state === 'refused' && tag.givenDigestIs !== undefined) parts.push(` — ${text(givenDigestClause(tag.givenDigestIs), 400)}`);
  if (tag.reason !== undefined) parts.push(` — ${text(tag.reason, 300)}`);
  return parts.join('');
}

/** What to do about refused tags, said once under the list rather than on every row. */
function tagAdvice(report: RunReport): string | undefined {
  const race = report.tags.some((t) => t.state === 'refused' && t.takenDuringPush);
  // A tag this run wrote, found naming another image, was not a reused version: bumping it would not help.
  const refused = report.tags.filter((t) => t.state === 'refused' && t.existingDigest !== undefined && !t.mutable && !t.takenDuringPush && !t.writtenThenTaken);
  if (race && refused.length === 0) {
    return '⛔ Another job pushed the same tag while this one ran, and the tag is now its: run the jobs that push these tags in one `concurrency:` group, so they cannot race.';
  }
  if (refused.length === 0) return undefined;
  if (report.mode === 'verify') return verifyAdvice(refused);
  return '⛔ An immutable tag is never moved: bump the version so the tag is new, or, if the tag is meant to move (`latest`, `1.4`, `pr-*`), list it in `mutable-tags`.';
}

/**
 * Verify mode: a digest given that is one of the manifests the tag's index lists, or a
 * blob, is the build's wrong output and no sign of a race; a tag at any other digest may
 * well be one.
 */
function verifyAdvice(refused: readonly TagReport[]): string {
  const kinds = new Set(refused.flatMap((t) => (t.givenDigestIs === undefined ? [] : [t.givenDigestIs.kind])));
  const advice = kinds.size === 0 ? [] : [wrongKindAdvice(kinds)];
  if (refused.some((t) => t.givenDigestIs === undefined)) {
    advice.push('A tag that names another digest than the one this job was given was written by another build, or moved after the push: do not deploy it. ' +
      'Check that `digest` is the output of the step that pushed these tags (`steps.<build>.outputs.digest`) and that no other job pushes the same tags; ' +
      'a new build needs new tags.');
  }
  return advice.join('\n\n');
}

function wrongKindAdvice(kinds: ReadonlySet<GivenDigest['kind']>): string {
  const said: string[] = [];
  if (kinds.has('listed-manifest')) said.push('The digest given is one of the manifests the index the tag names lists (a platform\'s, or the attestation), not the index: nothing points to another build.');
  if (kinds.has('blob')) said.push('The digest given is a blob of the repository, not a manifest: most likely the image config, build-push-action\'s `imageid` output, which no tag names.');
  said.push('Pass build-push-action\'s `digest` output (`steps.<build>.outputs.digest`) as `digest` and run again: nothing was verified or scanned, so do not deploy these tags until that run passes.');
  return said.join(' ');
}

/** The job summary's list of platform manifests when there was no scan (the scan section lists them otherwise). */
export function platformDigestTable(report: RunReport, priority: number, leftOut: (n: number) => string): TableBlock {
  const platforms = report.image?.platforms ?? [];
  return {
    before: '**Platforms**',
    header: '',
    rows: platforms.map((p) => `- ${code(p.platform, { maxLength: 40 })}: ${code(p.digest)}`),
    leftOut,
    priority,
  };
}

/** Errors and warnings, each headed in words (the code beside, for searching), then what happened and what to do. Bounded: the first 20. */
export function problemList(report: RunReport): string {
  if (report.problems.length === 0) return '';
  const items = report.problems.slice(0, 20).map((p) => {
    const icon = p.level === 'error' ? '⚠️' : 'ℹ️';
    const hint = p.hint ? ` ${text(p.hint, 500)}` : '';
    const words = problemHeadline(p);
    return `- ${icon} **${words[0]!.toUpperCase()}${words.slice(1)}** (${code(p.code, { maxLength: 40 })}): ${sentence(text(p.message, 500))}${hint}`;
  });
  const more = report.problems.length > 20 ? [`- … and ${count(report.problems.length - 20)} more in the log`] : [];
  const heading = report.problems.every((p) => p.level === 'notice') ? '**Notes**' : '**Problems**';
  return [heading, '', ...items, ...more].join('\n');
}
