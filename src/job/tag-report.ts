// Turns the gate's and the push's per-tag answers into the report's TagReport rows.
import type { GateTagResult } from '../gate.ts';
import type { RunMode, TagReport, TagState } from '../report/run-report.ts';
import { repositoryName } from '../reference.ts';
import { floatingTagHint } from '../floating-tag.ts';
import { otherDigestOf, RewrittenTagError, TagExistsError, TagMovedError, UnconfirmedWriteError, type ImmutagError } from '../errors.ts';

export function gateRows(results: readonly GateTagResult[], mode: RunMode): TagReport[] {
  return results.map((r) => {
    const row: TagReport = {
      reference: r.tag,
      repository: repositoryName(r.ref),
      tag: r.ref.tag,
      state: gateState(r, mode),
      mutable: r.pattern !== undefined,
    };
    if (r.state.kind === 'present') row.existingDigest = r.state.digest;
    if (r.state.kind === 'unknown') row.reason = sentences(r.state.reason, r.state.hint);
    if (mode === 'verify' && r.verdict === 'new') row.reason = 'the tag does not exist in the registry';
    // Verify mode refuses a mutable tag at another digest too: "add it to mutable-tags" would not help.
    const floating = r.verdict === 'violation' && mode !== 'verify' ? floatingTagHint(r.ref.tag) : undefined;
    if (floating !== undefined) row.reason = floating;
    return row;
  });
}

/** Joins a reason and a hint into sentences without doubling or dropping the full stop. */
function sentences(...parts: string[]): string {
  return parts.map((p) => p.trim().replace(/\.+$/, '')).filter(Boolean).join('. ');
}

function gateState(r: GateTagResult, mode: RunMode): TagState {
  switch (r.verdict) {
    case 'unknown': return 'unknown';
    case 'violation': return 'refused';
    case 'same': return mode === 'verify' ? 'verified' : 'unchanged';
    case 'mutable': return mode === 'verify' ? 'refused' : 'would-move';
    case 'new': return mode === 'verify' ? 'refused' : 'would-create';
  }
}

/**
 * After a stop, tags that would have been written were not. A mutable tag may be given
 * its own reason: it is written only after every immutable tag held, so a stop at the
 * settle read is a choice to leave it where it was, not an interruption.
 */
export function markSkipped(rows: TagReport[], reason: string, mutableReason = reason): void {
  for (const row of rows) {
    if (row.state === 'would-create' || row.state === 'would-move') {
      row.state = 'skipped';
      row.reason = row.mutable ? mutableReason : reason;
    }
  }
}

/**
 * A tag whose write failed, in the push or a promotion. Refused only when the registry or
 * a read said the tag names another image (TAG_MOVED: taken by another job during the push;
 * a write of ours the registry stored rewritten); a write that failed on the way may or may
 * not have landed, which is "unknown", as is one that landed too late to be vouched for.
 * A tag this run wrote is never reported as not written: the error says whether it was.
 */
export function markTagFailed(row: TagReport, failure: ImmutagError): void {
  const anotherImage = failure.code === 'TAG_EXISTS' || failure.code === 'TAG_MOVED' || failure instanceof RewrittenTagError;
  row.state = anotherImage ? 'refused' : 'unknown';
  row.reason = failure.message;
  // A race, not a reused version: the tag was taken during the run (TAG_MOVED), or after its first check.
  if (failure.code === 'TAG_MOVED' || (failure instanceof TagExistsError && failure.takenSinceCheck)) row.takenDuringPush = true;
  if ((failure instanceof TagMovedError && failure.afterOurWrite) || failure instanceof RewrittenTagError) row.writtenThenTaken = true;
  if (failure instanceof UnconfirmedWriteError && failure.landed) row.writtenLate = true;
  else if (failure instanceof UnconfirmedWriteError) row.mayBeWritten = true;
  const theirs = otherDigestOf(failure);
  if (theirs !== undefined) row.existingDigest = theirs;
}

/** markTagFailed on the row of `reference`, if the report has one. */
export function markRowFailed(rows: TagReport[], reference: string, failure: ImmutagError): void {
  const row = rows.find((r) => r.reference === reference);
  if (row !== undefined) markTagFailed(row, failure);
}

/** A mutable tag this run wrote and another writer moved right after: the row says what it names now. */
export function markOvertaken(row: TagReport, digest: string): void {
  row.overtakenBy = digest;
  row.reason = `then moved by another writer: it now points at ${digest} (a mutable tag: the last write wins; deploy by digest)`;
}

/** After a promotion: a tag refused because it holds this run's own build, not the image promoted. */
export function markOwnBuild(rows: TagReport[], build: string): void {
  for (const row of rows) {
    if (row.state === 'refused' && row.existingDigest === build) {
      row.reason = 'it points at the build of this run, which an earlier attempt pushed, not at the image being promoted';
    }
  }
}
