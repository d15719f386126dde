// One immutag run, in the order that keeps tags immutable:
//
//   1. Parse the tags and open a registry client (one per run: one ping, one token
//      per repository and scope set).
//   2. With `image`: read the built image and verify every byte against its digest.
//   3. Gate: ask the registry about every tag. A tag on another digest (not mutable)
//      is a violation; a tag whose state cannot be seen is an error. Nothing has been
//      written yet, so a stop here leaves the registry as it was.
//   4. Scan the exact bytes the digest names (the local image, or repo@digest).
//      A policy violation stops the run before anything reaches the registry.
//   5. Push: blobs, then manifests by digest, then each tag last, re-checked just
//      before and re-verified just after it is written.
//
// The result is a RunReport (what the comment, summary and annotations render) and
// the outputs derived from it. Failures become `problems`, never a thrown stack.
import { asImmutagError, isViolation, type ImmutagError } from './errors.ts';
import { checkTags, rejudge, type GateResult } from './gate.ts';
import type { LocalImage } from './image/open-image.ts';
import { parseTagsInput, type TagInput } from './inputs/tags.ts';
import type { Logger } from './log.ts';
import { RegistryClient } from './registry/client.ts';
import { RunDeadline } from './registry/deadline.ts';
import type { Problem, RunMode, RunReport, RunInfo, TagReport } from './report/run-report.ts';
import type { Settings } from './settings.ts';
import type { SeverityCounts } from './scan/model.ts';
import { gateRows, markOwnBuild, markSkipped } from './job/tag-report.ts';
import { outputsOf, type Outputs } from './job/outputs.ts';
import { imageReport, registryImageReport } from './job/image-report.ts';
import type { PushHooks } from './job/push-step.ts';
import type { Promotion, PromotionDecision } from './job/promote.ts';
import type { PinReport } from './pin/model.ts';

export interface RunDeps {
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Describes the workflow run for the report; absent outside Actions. */
  run?: RunInfo;
  /** Test hooks (the tag-write race). */
  hooks?: PushHooks;
  /** Aborted when the run is asked to stop (the CLI on a signal): it ends as an error with what it knows. */
  cancel?: AbortSignal;
}

export interface RunOutcome {
  report: RunReport;
  outputs: Outputs;
  /** The first error that decided the result, for exit codes and tests. */
  error?: ImmutagError;
  /** HTTP requests sent to registries, for the benchmark. */
  requests: number;
  /** The `pin` input's result (deploy files pinned to the pushed digest). */
  pin?: PinReport;
}

export function modeOf(settings: Settings): RunMode {
  if (settings.image) return settings.push ? 'push' : 'dry-run';
  if (settings.digest) return 'verify';
  return 'check';
}

export async function runImmutag(settings: Settings, deps: RunDeps): Promise<RunOutcome> {
  const deadline = new RunDeadline(settings.timeoutMs, deps.cancel);
  try {
    // Every way the gate, scan or push ends returns here, so the deploy files are seen
    // (pin-check) or left alone (pin after a failed run) on each of them alike.
    const outcome = await gateScanPush(settings, deps, deadline);
    if (settings.pin?.length) {
      const { pinAfterRun } = await import('./pin/after-run.ts');
      // `timeout` bounds the whole step: the check gets what the run left, not a second limit.
      outcome.pin = await pinAfterRun(settings, outcome.report, deps.logger, deps.env['GITHUB_WORKSPACE'] || process.cwd(), deadline.signal);
    }
    return outcome;
  } finally {
    deadline.dispose();
  }
}

async function gateScanPush(settings: Settings, deps: RunDeps, deadline: RunDeadline): Promise<RunOutcome> {
  const { logger } = deps;
  const mode = modeOf(settings);
  const report: RunReport = { result: 'pass', mode, tags: [], problems: [], run: deps.run ?? {} };
  let counts: SeverityCounts | undefined;
  let decisive: ImmutagError | undefined;
  let client: RegistryClient | undefined;
  let image: LocalImage | undefined;
  try {
    const refs = parseTagsInput(settings.tags.join('\n'));
    client = new RegistryClient({
      logger,
      auth: { username: settings.username, password: settings.password, registries: [...new Set(refs.map((r) => r.registry))] },
      insecureRegistries: settings.insecureRegistries,
      signal: deadline.signal,
    });
    if (settings.image) {
      const path = settings.image;
      // Loaded on demand: a tag check alone needs none of the image, scan or push code.
      const { openImage } = await import('./image/open-image.ts');
      // Without a scan nothing reads the layers but the upload, which hashes them as it sends.
      // A dry run uploads nothing, so it hashes them here: else a corrupt layer passes it.
      const deferLayerHashing = settings.scan === 'none' && mode === 'push';
      image = await logger.group('Read and verify the image', () => openImage(path, { names: candidateNames(refs), logger, deferLayerHashing }));
      report.image = imageReport(image.top, image.platforms, false);
    }
    if (refs.length === 0) {
      const notice = noTagsNotice(mode, settings.digest);
      report.problems.push(notice);
      logger.info(notice.message);
    }
    const expected = image?.top.digest ?? settings.digest;
    let gate = await logger.group('Check the tags', () =>
      checkTags({ refs, mutablePatterns: settings.mutableTags, client: client!, logger, expectedDigest: expected }));
    report.tags = gateRows(gate.results, mode);
    if (mode === 'verify' && settings.digest && refs.length > 0) report.image = registryImageReport(settings.digest, gate.results);
    report.result = verdictOf(report);
    if (mode === 'verify' && settings.digest && report.result === 'violation') {
      const { explainGivenDigest } = await import('./job/given-digest.ts');
      await explainGivenDigest(gate.results, report.tags, settings.digest, client);
    }
    let promotion: Promotion | undefined;
    if (report.result === 'violation' && settings.promoteSameRevision && image) {
      const found = await logger.group('Look for the same revision already published', () => promote(image!, refs, gate, client!, logger, deps.env['GITHUB_SHA']));
      if (found.kind === 'promote') {
        promotion = found.promotion;
        gate = await rejudge(gate, promotion.top.digest, settings.mutableTags);
        report.tags = gateRows(gate.results, mode);
        markOwnBuild(report.tags, image.top.digest);
        report.image = { ...imageReport(promotion.top, promotion.platforms, mode === 'push'), promoted: { ...promotion.identity, heldBy: promotion.heldBy } };
        report.result = verdictOf(report);
      } else {
        for (const row of report.tags) if (row.state === 'refused') row.reason = row.reason ? `${row.reason}. ${found.reason}` : found.reason;
      }
    }
    if (report.result !== 'pass') {
      markSkipped(report.tags, 'another tag was refused or could not be checked; nothing was written');
      return finish(report, counts, decisive, client);
    }
    const scannable = mode !== 'check' && !(mode === 'verify' && refs.length === 0);
    if (settings.scan === 'none' && scannable) report.notScanned = true;
    if (settings.scan !== 'none' && scannable) {
      const { runScan } = await import('./job/scan-step.ts');
      // A promotion scans the published image by digest, in a repository that holds it.
      const scanOptions = promotion
        ? { settings: { ...settings, digest: promotion.top.digest }, refs: [promotion.scanRef, ...refs], client: client!, logger, signal: deadline.signal }
        : { settings, image, refs, client: client!, logger, signal: deadline.signal };
      const scanned = await logger.group('Scan the image', () => runScan(scanOptions));
      // A limit that passed during the scan is the run's error, never a pass, whatever part
      // of the scan (reading a local layout, matching) did not notice it.
      deadline.check();
      report.scan = scanned.report;
      counts = scanned.counts;
      if (report.image && scanned.platforms.length > 0) report.image.platforms = scanned.platforms;
      if (scanned.writeError) report.problems.push(problemOf(scanned.writeError));
      if (scanned.verdict === 'violation' || scanned.writeError) {
        // A policy violation stays the verdict even when a report file also failed.
        report.result = scanned.verdict === 'violation' ? 'violation' : 'error';
        decisive = scanned.writeError;
        markSkipped(report.tags, scanned.verdict === 'violation'
          ? 'the scan failed the policy; nothing was pushed'
          : 'a requested report file could not be written; nothing was pushed');
        return finish(report, counts, decisive, client);
      }
    }
    if (mode === 'push' && promotion) {
      const chosen = promotion;
      const { writePromotedTags } = await import('./job/promote.ts');
      await logger.group('Tag the promoted image', () => writePromotedTags({
        client: client!, promotion: chosen, refs, gate, rows: report.tags, mutablePatterns: settings.mutableTags, logger,
        settleMs: settings.tagSettleMs, ...(deps.hooks ? { hooks: deps.hooks } : {}),
      }));
    } else if (mode === 'push' && image && refs.length > 0) {
      const local = image;
      const { runPush } = await import('./job/push-step.ts');
      const checked = gate;
      await logger.group('Push the image', () => runPush({ client: client!, image: local, refs, gate: checked, rows: report.tags, settings, logger, hooks: deps.hooks }));
      if (report.image) report.image.inRegistry = true;
    }
  } catch (err) {
    decisive = asImmutagError(err);
    report.result = isViolation(decisive) ? 'violation' : 'error';
    report.problems.push(problemOf(decisive));
    markSkipped(report.tags, 'the run stopped before the tag was written', mutableLeftReason(report.tags));
  } finally {
    await image?.close().catch(() => undefined);
  }
  return finish(report, counts, decisive, client);
}

function noTagsNotice(mode: RunMode, digest: string | undefined): Problem {
  const what = mode === 'push' || mode === 'dry-run'
    ? 'nothing was checked or pushed; the image was still read and scanned, and the digest output names it'
    : mode === 'verify' && digest !== undefined
      // The tags name the repository the digest is read from: say that no policy was applied to it.
      ? `nothing was checked, and ${digest} was neither verified nor scanned (the tags name the repository it is read from), so no scan policy was applied to it`
      : 'there was nothing to check';
  return { level: 'notice', code: 'NO_TAGS', message: `No tags were given: ${what}`,
    hint: 'docker/metadata-action outputs no tags when none of its rules fits the event (type=semver on a pull request); add type=ref,event=pr to check pr-<number> too.' };
}

/**
 * Why a mutable tag was not written when the run failed at its immutable tags: mutable
 * tags are moved only after every immutable tag held (tag-write.ts, "Order").
 */
function mutableLeftReason(rows: readonly TagReport[]): string {
  const failed = rows.filter((t) => !t.mutable && (t.state === 'refused' || t.state === 'unknown')).map((t) => t.reference);
  const reached = rows.some((t) => !t.mutable && (t.state === 'created' || t.state === 'moved' || t.takenDuringPush || t.writtenLate || t.writtenThenTaken));
  if (!reached || failed.length === 0) return 'the run stopped before the tag was written';
  const which = failed.length === 1 ? `${failed[0]} did not hold` : `${failed.length} immutable tags did not hold (${failed.slice(0, 3).join(', ')})`;
  return `not written: ${which}, and mutable tags are moved only after every immutable tag of the run held; it still names what it named before (do not move it to this image by hand)`;
}

async function promote(image: LocalImage, refs: readonly TagInput[], gate: GateResult, client: RegistryClient, logger: Logger, commit: string | undefined): Promise<PromotionDecision> {
  const { decidePromotion } = await import('./job/promote.ts');
  return decidePromotion({ client, image, refs, gate, logger, ...(commit ? { commit } : {}) });
}

function problemOf(e: ImmutagError): Problem {
  return { level: 'error', code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
}

/** Names the image file may hold the image under: full references and bare tags. */
function candidateNames(refs: readonly TagInput[]): string[] {
  return [...new Set(refs.flatMap((r) => [r.input, `${r.registry}/${r.repository}:${r.tag}`, r.tag]))];
}

function verdictOf(report: RunReport): RunReport['result'] {
  if (report.tags.some((t) => t.state === 'refused')) return 'violation';
  if (report.tags.some((t) => t.state === 'unknown')) return 'error';
  return 'pass';
}

async function finish(report: RunReport, counts: SeverityCounts | undefined, error: ImmutagError | undefined, client: RegistryClient | undefined): Promise<RunOutcome> {
  const requests = client?.requestCount ?? 0;
  await client?.close().catch(() => undefined);
  const outcome: RunOutcome = { report, outputs: outputsOf(report, counts), requests };
  if (error) outcome.error = error;
  return outcome;
}
