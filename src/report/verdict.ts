// The verdict in words, shared by the comment's headline, the job summary and the
// final log line. Phrases here hold only counts and words of our own (never a string
// from outside), so they are safe in Markdown as they are.
import { SEVERITY_ORDER } from '../scan/model.ts';
import { countFindings } from './finding-list.ts';
import { givenKind } from './given-digest.ts';
import { count, plural } from './markdown.ts';
import type { Problem, RunReport, TagReport, TagState } from './run-report.ts';

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

/** What failed, as counts and words: `1 tag refused`, `3 findings fail the policy`, `the registry could not be reached`. */
export function failurePhrases(report: RunReport): string[] {
  const phrases: string[] = [];
  const missing = report.tags.filter((t) => missingInVerify(t, report.mode)).length;
  const wrongKind = wrongKindPhrase(report);
  const explained = report.tags.filter((t) => t.state === 'refused' && t.givenDigestIs !== undefined).length;
  // Tags this run wrote are said to be written, never counted as refused or unchecked.
  const taken = report.tags.filter((t) => t.state === 'refused' && t.writtenThenTaken).length;
  const late = report.tags.filter((t) => t.state === 'unknown' && t.writtenLate).length;
  const refused = report.tags.filter((t) => t.state === 'refused').length - missing - explained - taken;
  const unknown = report.tags.filter((t) => t.state === 'unknown').length - late;
  if (missing > 0) phrases.push(`${plural(missing, 'tag')} missing`);
  if (wrongKind !== undefined) phrases.push(wrongKind);
  if (refused > 0 && report.mode === 'verify') phrases.push(`${plural(refused, 'tag')} ${refused === 1 ? 'names' : 'name'} another digest`);
  else if (refused > 0) phrases.push(`${plural(refused, 'tag')} refused`);
  if (taken > 0) phrases.push(`${plural(taken, 'tag')} written, then found naming another image`);
  if (late > 0) phrases.push(`${plural(late, 'tag')} written too late to be vouched for`);
  if (unknown > 0) phrases.push(`${plural(unknown, 'tag')} could not be checked`);
  const failing = report.scan === undefined ? 0 : countFindings(report.scan.result).failing;
  if (failing > 0) phrases.push(`${plural(failing, 'finding')} ${failing === 1 ? 'fails' : 'fail'} the policy`);
  const said = new Set<string>();
  for (const problem of report.problems.filter((p) => p.level === 'error')) {
    const words = problemHeadline(problem);
    if (!said.has(words)) phrases.push(words);
    said.add(words);
  }
  return phrases;
}

/** `the digest given is a platform manifest, not the digest the tag names`, when some refused tag says so. */
function wrongKindPhrase(report: RunReport): string | undefined {
  const kinds = [...new Set(report.tags.flatMap((t) => (t.state === 'refused' && t.givenDigestIs !== undefined ? [givenKind(t.givenDigestIs)] : [])))];
  return kinds.length === 0 ? undefined : `the digest given is ${kinds.join(' or ')}, not the digest the tag names`;
}

/** Verify mode: a tag that does not exist at all (the push step did not write it), refused without a digest. */
export function missingInVerify(tag: Pick<TagReport, 'state' | 'existingDigest'>, mode: RunReport['mode']): boolean {
  return mode === 'verify' && tag.state === 'refused' && tag.existingDigest === undefined;
}

const CODE_WORDS: Readonly<Record<string, string>> = {
  INVALID_INPUT: 'an input is not valid',
  INVALID_REFERENCE: 'an image reference is not valid',
  TAG_EXISTS: 'a tag already exists',
  DIGEST_WRONG_KIND: 'the digest given is a platform manifest or a blob, not the digest the tags name',
  TAG_MOVED: 'another writer moved a tag during the push',
  TAG_MISSING: 'a tag does not exist',
  TAG_STATE_UNKNOWN: 'a tag could not be checked',
  REGISTRY_UNREACHABLE: 'the registry could not be reached',
  REGISTRY_ERROR: 'the registry answered with an error',
  AUTH_REQUIRED: 'the registry needs credentials',
  AUTH_FAILED: 'the registry refused the credentials',
  DIGEST_MISMATCH: 'bytes did not match their digest',
  MANIFEST_INVALID: 'a manifest is not valid',
  IMAGE_INVALID: 'the image file is not valid',
  IMAGE_NOT_FOUND: 'the image file was not found',
  LIMIT_EXCEEDED: 'the image is over a size limit',
  POLICY_VIOLATION: 'the scan policy failed',
  SCANNER_FAILED: 'the scan could not finish',
  GITHUB_API: 'the GitHub API failed',
};

/**
 * A problem's headline in words ("the vulnerability database could not be reached"),
 * never its code: readers act on words, and the code follows for searching. Only our
 * own words: the message is outside text and never becomes a headline.
 */
export function problemHeadline(problem: Pick<Problem, 'code' | 'message'>): string {
  if (problem.code === 'SCANNER_FAILED') {
    if (/^The OSV API\b/.test(problem.message)) return 'the vulnerability database could not be reached';
    if (/^The vulnerability database\b/.test(problem.message)) return 'the vulnerability database could not be read';
  }
  const words = CODE_WORDS[problem.code];
  if (words !== undefined) return words;
  return /^[A-Z_]{1,40}$/.test(problem.code) ? problem.code.toLowerCase().replace(/_/g, ' ') : 'an error occurred';
}

const STATE_ORDER: readonly TagState[] = [
  'created', 'moved', 'unchanged', 'verified', 'would-create', 'would-move', 'refused', 'unknown', 'skipped',
];

/** `2 created, 1 unchanged`. */
export function tagCounts(report: RunReport): string {
  const parts: string[] = [];
  const missing = report.tags.filter((t) => missingInVerify(t, report.mode)).length;
  for (const state of STATE_ORDER) {
    const n = report.tags.filter((t) => t.state === state).length - (state === 'refused' ? missing : 0);
    if (n > 0) parts.push(`${count(n)} ${state}`);
  }
  if (missing > 0) parts.push(`${count(missing)} missing`);
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
