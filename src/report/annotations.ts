// Error annotations: one per refused tag and one per finding that fails the policy,
// each saying what happened and what to do. Plain text (annotations are not Markdown);
// the Action passes them to core.error(message, { title }).
import { groupFindings, namesText, type FindingRow } from './finding-list.ts';
import { givenDigestMessage, givenDigestTitle } from './given-digest.ts';
import { clean, plural } from './markdown.ts';
import type { RunReport, ScanReport, TagReport } from './run-report.ts';

export interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
}

/**
 * GitHub shows at most 10 error annotations per step (and 50 per job); past that they
 * are dropped silently. A failed run's verdict line (the adapter's core.setFailed) is
 * an error annotation too, and the one that must never be dropped, so a failed run
 * gets one fewer here; the last one kept says how many more there are.
 */
export const MAX_ANNOTATIONS = 10;

export function annotations(report: RunReport): Annotation[] {
  const all = [...tagAnnotations(report.tags, report.mode === 'verify' ? report.image?.digest : undefined), ...findingAnnotations(report.scan)];
  const room = report.result === 'pass' ? MAX_ANNOTATIONS : MAX_ANNOTATIONS - 1;
  if (all.length <= room) return all;
  const kept = all.slice(0, room - 1);
  const left = all.length - kept.length;
  kept.push({
    level: 'error',
    title: `${plural(left, 'more problem')} not annotated`,
    message: `GitHub shows at most ${MAX_ANNOTATIONS} annotations per step; the job summary lists every refused tag and every finding that fails the policy.`,
  });
  return kept;
}

/** `expected`: in verify mode, the digest the tags must name. */
function tagAnnotations(tags: readonly TagReport[], expected: string | undefined): Annotation[] {
  const out: Annotation[] = [];
  for (const tag of tags) {
    const ref = clean(tag.reference, 300);
    const reason = tag.reason === undefined ? '' : ` ${clean(tag.reason, 500)}.`;
    if (tag.state === 'refused' && expected !== undefined && tag.existingDigest !== undefined && tag.givenDigestIs !== undefined) {
      out.push({
        level: 'error',
        title: givenDigestTitle(tag.givenDigestIs, ref),
        message: givenDigestMessage(tag.givenDigestIs, { reference: ref, repository: clean(tag.repository, 300) }, expected, tag.existingDigest),
      });
    } else if (tag.state === 'refused' && expected !== undefined && tag.existingDigest !== undefined) {
      out.push({
        level: 'error',
        title: `Tag names another digest: ${ref}`,
        message: `${ref} points at ${tag.existingDigest}, not at the expected ${expected}.${reason} Another build wrote the tag, or it moved after the push: do not deploy it. ` +
          'Check that digest is the output of the step that pushed these tags and that no other job pushes the same tags.',
      });
    } else if (tag.state === 'refused' && tag.writtenThenTaken && !tag.takenDuringPush) {
      const theirs = tag.existingDigest === undefined ? 'another image' : tag.existingDigest;
      out.push({
        level: 'error',
        title: `Tag written, then found naming another image: ${ref}`,
        message: `This job wrote ${ref}, and it now points at ${theirs}, not at this job's image: do not deploy it by tag.${reason}`,
      });
    } else if (tag.state === 'refused' && tag.takenDuringPush) {
      const theirs = tag.existingDigest === undefined ? '' : ` (it points at ${tag.existingDigest})`;
      out.push({
        level: 'error',
        title: `Tag taken during the push: ${ref}`,
        message: `Another job wrote ${ref} while this one was pushing${theirs}; immutag does not move it.${reason} ` +
          'Run the jobs that push these tags in one concurrency: group, so they cannot race.',
      });
    } else if (tag.state === 'refused' && expected !== undefined) {
      out.push({
        level: 'error',
        title: `Tag missing: ${ref}`,
        message: `${ref} does not exist in the registry, so it cannot name ${expected}: do not deploy it. ` +
          'The step that pushed did not write it: check that tags lists the tags that step pushed, and that it ran first.',
      });
    } else if (tag.state === 'refused') {
      const where = tag.existingDigest === undefined ? 'was refused by the registry' : `already points at ${tag.existingDigest}`;
      out.push({
        level: 'error',
        title: `Tag refused: ${ref}`,
        // A floating tag's reason already names the mutable-tags line to add; say it once.
        message: `${ref} ${where}; immutag does not move an immutable tag.${reason}${reason.includes('mutable-tags') ? '' : ' Bump the version, or list the tag in mutable-tags if it is meant to move.'}`,
      });
    } else if (tag.state === 'unknown' && (tag.writtenLate || tag.mayBeWritten)) {
      out.push({
        level: 'error',
        title: tag.writtenLate ? `Tag written too late to be vouched for: ${ref}` : `Tag may have been written: ${ref}`,
        message: `${reason.trim()} ${tag.writtenLate ? `Check that no other job pushed ${ref} at the same time` : `Check that ${ref} resolves to this job's digest`} before deploying it by tag.`,
      });
    } else if (tag.state === 'unknown') {
      out.push({
        level: 'error',
        title: `Could not check tag: ${ref}`,
        // The reason carries the client's own hint when it has one, and comes first: it is what to fix.
        message: `${reason.trim() || 'Check the credentials and that the registry is reachable, then re-run.'} The registry did not say whether ${ref} exists, so the gate fails closed.`,
      });
    }
  }
  return out;
}

function findingAnnotations(scan: ScanReport | undefined): Annotation[] {
  if (scan === undefined) return [];
  return groupFindings(scan.result).failing.map((row) => findingAnnotation(row, scan));
}

const UBUNTU_PRO = ' (published through Ubuntu Pro only: the build sees it after `pro attach` and `pro enable esm-infra` or `esm-apps`, or on a base image that carries it)';

function findingAnnotation(row: FindingRow, scan: ScanReport): Annotation {
  const id = clean(row.id, 100);
  const pkg = clean(row.packageName, 200);
  const fix = row.fixed === undefined
    ? 'No fixed version is published yet; accept it in the ignore-file with a reason and an until: date, or set ignore-unfixed: true.'
    : `Update ${pkg} to ${clean(row.fixed, 100)} or later${row.fixedThroughUbuntuPro ? UBUNTU_PRO : ''} and rebuild.`;
  const summary = row.summary.trim() === '' ? '' : ` ${clean(row.summary, 300)}.`;
  return {
    level: 'error',
    title: `${id} (${row.severity}${row.names === undefined ? '' : `; names ${clean(namesText(row.names), 200)}`}) in ${pkg} ${clean(row.installed, 100)}`,
    message: `${id} fails the policy (fail-on: ${scan.failOn}).${summary} ${fix}`,
  };
}
