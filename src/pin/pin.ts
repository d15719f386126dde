// `immutag pin` end to end:
//
//   1. Expand the paths (files, directories, globs) and read each candidate as text;
//      files that are not text, too large, or reached through a symlink leading
//      outside the paths are noted and skipped.
//   2. Find every image reference; a parse error anywhere stops here (file:line).
//   3. Ask the registry once per distinct tag or digest (pin, --check), or take the
//      digest this run just pushed (push-then-pin).
//   4. Decide each reference: pinned, up to date, moved, update available, ...
//   5. Unless --check, or anything failed: splice the digests into the files, all
//      files or none.
import { asImmutagError, ImmutagError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Reference } from '../reference.ts';
import type { ManifestChild, TagState } from '../registry/tag-state.ts';
import { compileTagPatterns, type TagMatcher } from '../tag-pattern.ts';
import { decide, isErrorState, isViolationState, type Decision } from './decide.ts';
import { expandPaths } from './find/files.ts';
import { findReferences } from './find/find.ts';
import type { FoundReference, PinReport, PinRow } from './model.ts';
import { readReference, type ReadReference } from './reference-text.ts';
import { lookupKey, resolveStates, type StateSource } from './resolve.ts';
import { planWrites, writeAll, type Edit } from './rewrite.ts';

export interface PinOptions {
  paths: readonly string[];
  cwd: string;
  /** Change nothing; fail on unpinned references and moved immutable tags. */
  check: boolean;
  mutableTags: readonly string[];
  logger: Logger;
  now?: () => Date;
}

export interface RegistryPinOptions extends PinOptions {
  client: StateSource & { readonly requestCount?: number };
}

export async function runPin(options: RegistryPinOptions): Promise<PinReport> {
  const mode = options.check ? 'check' : 'pin';
  return pinFiles(options, mode, async (refs) => resolveStates(refs, options.client), () => options.client.requestCount ?? 0);
}

export interface PushedPinOptions extends Omit<PinOptions, 'check'> {
  /** The tags this run pushed, and the digest they now point at. */
  pushed: readonly Reference[];
  digest: string;
  /** The platform manifests of that digest when it is an index: a reference pinned to one is up to date, as --check says. */
  children?: readonly ManifestChild[];
}

/**
 * After a push: pin the references to the tags just pushed, with the digest just
 * pushed, and nothing else (other images in those files are another job's business).
 */
export async function pinPushed(options: PushedPinOptions): Promise<PinReport> {
  const pushed = new Set(options.pushed.map((r) => lookupKey(r)));
  const children = options.children?.map((c) => ({ ...c })) ?? [];
  const present: TagState = { kind: 'present', digest: options.digest, mediaType: '', size: 0, ...(children.length > 0 ? { children } : {}) };
  return pinFiles({ ...options, check: false }, 'push', async (refs) => new Map(refs.map((r) => [lookupKey(r), present])), () => 0, (read) =>
    read.kind === 'ok' && (read.ref.tag !== undefined || read.ref.digest === undefined) && pushed.has(lookupKey(read.ref)));
}

async function pinFiles(
  options: PinOptions,
  mode: PinReport['mode'],
  resolve: (refs: Reference[]) => Promise<Map<string, TagState>>,
  requests: () => number,
  only?: (read: ReadReference) => boolean,
): Promise<PinReport> {
  const now = options.now ?? (() => new Date());
  const report: PinReport = { result: 'pass', mode, checkedAt: now().toISOString(), rows: [], written: [], notes: [], problems: [], requests: 0 };
  try {
    const matcher = await compileTagPatterns(options.mutableTags);
    const expanded = await expandPaths(options.paths, options.cwd);
    const found = await findReferences(expanded.files);
    report.notes.push(...expanded.notes, ...found.notes);
    const items = found.files.flatMap((file) => file.references.map((ref) => ({ file, found: ref, read: readReference(ref.text) })))
      .filter((item) => only === undefined || only(item.read));
    // A reference pin cannot rewrite is still looked up by --check.
    const looked = (f: FoundReference) => f.skip === undefined && (options.check || f.uneditable === undefined);
    const refs = items.flatMap((i) => (i.read.kind === 'ok' && looked(i.found) ? [i.read.ref] : []));
    if (options.check && items.length === 0) throw nothingToCheck(options.paths);
    // Each path must find something: one that matches nothing next to others that do
    // would leave its files unchecked while the check passes.
    if (options.check && expanded.unmatched.length > 0) throw unmatchedPaths(expanded.unmatched);
    report.checkedAt = now().toISOString();
    const states = refs.length === 0 ? new Map<string, TagState>() : await resolve(refs);
    const decisions = items.map((i) => ({ ...i, decision: decideItem(i, states, options.check ? 'check' : 'pin', matcher) }));
    // Both modes: pin must not call a pin to a removed platform manifest up to date either.
    await confirmPinnedDigests(decisions, resolve);
    report.rows = decisions.map((d) => d.decision.row);
    if (options.check && report.rows.every((r) => r.state === 'skipped')) throw nothingCheckable(report.rows.length);
    report.result = resultOf(report.rows);
    if (report.result === 'error') report.error = errorOfRows(report.rows);
    logRows(options.logger, report.rows);
    if (report.result === 'pass' && !options.check) {
      const edits: Edit[] = decisions.flatMap((d) => (d.decision.write !== undefined && d.read.kind === 'ok' ? [{ found: d.found, ref: d.read.ref, digest: d.decision.write }] : []));
      report.written = (await writeAll(planWrites(found.files, edits))).sort();
    } else if (!options.check) {
      markNotWritten(report.rows);
    }
  } catch (err) {
    const e = asImmutagError(err, 'INVALID_INPUT');
    report.result = 'error';
    report.problems.push(problemOf(e));
    report.error = errorField(e);
    report.written = [];
    markNotWritten(report.rows);
  }
  report.requests = requests();
  return report;
}

/**
 * A mutable tag that moved on from the digest the file pins is an update, not a failure,
 * and a pin to one platform's manifest of the index the tag names is up to date; but the
 * runtime pulls the pinned digest: one the registry no longer has (a typo, a hand edit, a
 * digest collected after the tag moved, a platform manifest removed by a registry's
 * "delete untagged" clean-up while its index stays) cannot start, so it is missing, and
 * one the registry cannot vouch for is unknown. One more lookup per such digest.
 */
async function confirmPinnedDigests(decisions: { found: FoundReference; read: ReadReference; decision: Decision }[],
  resolve: (refs: Reference[]) => Promise<Map<string, TagState>>): Promise<void> {
  const asked = decisions.flatMap((d) => (d.decision.confirm !== undefined && d.read.kind === 'ok'
    ? [{ d, confirm: d.decision.confirm, pinned: { registry: d.read.ref.registry, repository: d.read.ref.repository, digest: d.decision.confirm.digest } }]
    : []));
  if (asked.length === 0) return;
  const states = await resolve(asked.map((u) => u.pinned));
  for (const { d, confirm, pinned } of asked) {
    const state = states.get(lookupKey(pinned));
    const row = d.decision.row;
    if (state?.kind === 'absent') {
      d.decision = { row: { ...row, state: 'missing', reason: `the registry has no manifest ${confirm.digest}, the digest the file pins; the tag now points at ${confirm.tagNow}` } };
    } else if (state === undefined || state.kind === 'unknown') {
      const reason = state === undefined ? 'not looked up' : `${state.reason}. ${state.hint}`;
      d.decision = { row: { ...row, state: 'unknown', code: state?.kind === 'unknown' ? state.code : 'TAG_STATE_UNKNOWN', reason: `cannot tell whether the pinned ${confirm.digest} still exists: ${reason}` } };
    }
  }
}

function decideItem(item: { found: FoundReference; read: ReadReference }, states: Map<string, TagState>, mode: 'pin' | 'check', matcher: TagMatcher): Decision {
  const state = item.read.kind === 'ok' ? states.get(lookupKey(item.read.ref)) : undefined;
  return decide(item.found, item.read, state, mode, matcher);
}

/** An error as the report's `error` field, as the main CLI's --json has it. */
export function errorField(e: ImmutagError): NonNullable<PinReport['error']> {
  return { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
}

/** The first row that could not be decided, as the report's `error` (--json: `jq .error.code`). */
function errorOfRows(rows: readonly PinRow[]): PinReport['error'] {
  const row = rows.find((r) => isErrorState(r.state));
  if (row === undefined) return undefined;
  return { code: row.code ?? 'TAG_STATE_UNKNOWN', message: `${row.file}:${row.line}: ${row.reference}: ${row.reason ?? row.state}` };
}

function markNotWritten(rows: PinRow[]): void {
  for (const row of rows) {
    if (row.state === 'pinned' || row.state === 'updated') {
      row.written = false;
      row.reason = 'pin changes every file or none, and something else failed';
    }
  }
}

/** A definite answer (a moved tag, an unpinned reference) wins over "could not tell", as in the gate. */
function resultOf(rows: readonly PinRow[]): PinReport['result'] {
  if (rows.some((r) => isViolationState(r.state))) return 'violation';
  if (rows.some((r) => isErrorState(r.state))) return 'error';
  return 'pass';
}

/**
 * A check that found nothing to check is not a pass: a required check whose globs match
 * no deploy file (a typo, a moved folder) would stay green forever.
 */
function nothingToCheck(paths: readonly string[]): ImmutagError {
  return new ImmutagError('INVALID_INPUT', `--check found no image reference in ${paths.join(', ')}`, {
    hint: 'Check the paths or globs given to pin (the notes say which matched no file); point them at the deploy files that name images.',
  });
}

/** The same when every reference found was skipped (templates, variables, local builds): nothing was checked. */
function nothingCheckable(skipped: number): ImmutagError {
  const what = skipped === 1 ? 'the one image reference it found: it was skipped' : `any of the ${skipped} image references it found: all were skipped`;
  return new ImmutagError('INVALID_INPUT', `--check could not check ${what} (the table says why)`, {
    hint: 'Point pin --check at files that name images to pull (rendered manifests, not templates), or drop it for these files.',
  });
}

function unmatchedPaths(paths: readonly string[]): ImmutagError {
  return new ImmutagError('INVALID_INPUT', `--check: ${paths.join(', ')} matched no deploy file`, {
    hint: 'Every path or glob given to pin --check must name deploy files: fix the typo or the moved folder, or drop the entry.',
  });
}

function problemOf(e: ImmutagError): PinReport['problems'][number] {
  const at = /^(.+?):(\d+): /.exec(e.message);
  return {
    code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}),
    ...(at ? { file: at[1]!, line: Number(at[2]) } : {}),
  };
}

function logRows(logger: Logger, rows: readonly PinRow[]): void {
  for (const r of rows) logger.debug(`${r.file}:${r.line}: ${r.reference}: ${r.state}${r.reason ? ` (${r.reason})` : ''}`);
}
