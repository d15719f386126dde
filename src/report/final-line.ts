// The last line of the log: what passed, what failed and why, readable without
// scrolling up. Plain text (not Markdown); strings from outside are flattened to one
// bounded line so a registry message cannot add lines or log commands.
import { countFindings } from './finding-list.ts';
import { givenDigestClause } from './given-digest.ts';
import { clean, plural, sentence } from './markdown.ts';
import { failedTags, repositoriesOf, type RunReport, type TagReport } from './run-report.ts';
import { severityCounts, tagCounts, totalFindings } from './verdict.ts';
import { emptyPlatforms, noPackagesFound } from './scan-section.ts';

const MAX_NAMED_TAGS = 3;

export function finalLine(report: RunReport): string {
  const parts = [...tagPart(report), ...scanPart(report), ...problemPart(report)];
  const line = `immutag: ${report.result.toUpperCase()}: ${parts.join('; ')}`;
  return clean(line, 2000);
}

function tagPart(report: RunReport): string[] {
  const parts: string[] = [];
  const image = report.image;
  const written = report.tags.some((t) => t.state === 'created' || t.state === 'moved' || t.writtenLate);
  if (image !== undefined && report.result === 'pass' && image.inRegistry) {
    const refs = repositoriesOf(report).map((r) => `${r}@${image.digest}`);
    parts.push(`${report.mode === 'verify' ? 'verified' : 'deploy'} ${refs.join(', ')}`);
  } else if (image !== undefined && report.tags.length === 0) {
    parts.push(`image ${image.digest} (no tags given, nothing pushed)`);
  } else if (image !== undefined && report.mode === 'dry-run' && report.result === 'pass') {
    parts.push(`would deploy ${image.digest} (push: false, nothing pushed)`);
  } else if (image !== undefined && report.mode === 'dry-run') {
    parts.push(`image ${image.digest} (push: false, nothing pushed; the run failed: do not deploy it)`);
  }
  if (image === undefined && report.tags.length === 0 && report.result === 'pass') parts.push('no tags were given, nothing to check');
  if (image?.promoted !== undefined) parts.push(promotionPart(report, clean(image.promoted.revision, 80)));
  if (report.tags.length > 0) parts.push(`tags: ${tagCounts(report)}`);
  const failed = failedTags(report);
  const expected = report.mode === 'verify' ? image?.digest : undefined;
  for (const tag of failed.slice(0, MAX_NAMED_TAGS)) parts.push(describeFailedTag(tag, expected));
  if (failed.length > MAX_NAMED_TAGS) parts.push(`and ${plural(failed.length - MAX_NAMED_TAGS, 'more tag')} failed`);
  // A tag written and then found naming another image (taken by another writer, or stored
  // rewritten) was written all the same, as was one written too late (each is named above).
  const taken = report.tags.some((t) => t.writtenThenTaken);
  if (report.mode === 'push' && report.result !== 'pass' && !written && !taken) {
    parts.push(report.tags.some((t) => t.mayBeWritten) ? 'a tag may have been written (unknown: check it before deploying by tag)' : 'no tag was written');
  }
  return parts;
}

/** A promotion happened only when the run passed and wrote its tags; otherwise it was only chosen. */
function promotionPart(report: RunReport, revision: string): string {
  if (report.result !== 'pass') return `would have promoted the image already published for ${revision} (refused: nothing was promoted)`;
  if (report.mode === 'dry-run') return `would promote the image already published for ${revision}`;
  return `promoted the image already published for ${revision}`;
}

function describeFailedTag(tag: TagReport, expected: string | undefined): string {
  const ref = clean(tag.reference, 200);
  if (tag.state === 'unknown' && tag.writtenLate) return `${ref} was written and names this job's image, but too late to be vouched for: check that no other job pushed it before deploying it by tag`;
  if (tag.state === 'unknown') return `could not tell whether ${ref} exists (${clean(tag.reason ?? 'no answer', 200)})`;
  if (tag.writtenThenTaken && tag.existingDigest !== undefined) {
    return `${ref} was written, but now points at ${tag.existingDigest}, not at this job's image: do not deploy it by tag`;
  }
  if (expected !== undefined && tag.existingDigest !== undefined) {
    const why = tag.givenDigestIs === undefined ? '' : ` (${givenDigestClause(tag.givenDigestIs)})`;
    return `${ref} points at ${tag.existingDigest}, not at the expected ${expected}${why}`;
  }
  if (expected !== undefined && tag.state === 'refused') return `${ref} does not exist: the push did not write it`;
  const where = tag.existingDigest === undefined ? '' : ` already points at ${tag.existingDigest}`;
  const why = tag.reason === undefined ? '' : ` (${clean(tag.reason, 200)})`;
  return `${ref}${where}: refused${why}`;
}

function scanPart(report: RunReport): string[] {
  const scan = report.scan;
  if (scan === undefined) return report.notScanned ? ['not scanned (scan: none)'] : [];
  const engine = `scan ${scan.result.engine} (fail-on: ${scan.failOn})`;
  const failing = countFindings(scan.result).failing;
  if (failing > 0) {
    return [`${engine}: ${failing} of ${plural(totalFindings(report), 'finding')} ${failing === 1 ? 'fails' : 'fail'} the policy (${severityCounts(report)})`];
  }
  const empty = emptyPlatforms(scan);
  if (empty.length > 0) return [`${engine}: ${noPackagesFound(empty)} (${severityCounts(report)})`];
  return [`${engine}: nothing fails the policy (${severityCounts(report)})`];
}

function problemPart(report: RunReport): string[] {
  return report.problems
    .filter((p) => p.level === 'error')
    .slice(0, 3)
    .map((p) => `${p.code}: ${p.hint ? `${sentence(clean(p.message, 300))} ${clean(p.hint, 300)}` : clean(p.message, 300)}`);
}
