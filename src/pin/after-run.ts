// The Action's `pin` input after a gate/push run: with the digest this run pushed (or
// verified), rewrite the references to its tags in the given files: no registry round
// trip, the digest is the one just written. With `pin-check`, check the files instead.
import type { Logger } from '../log.ts';
import { parseReference, withDefaultTag, type TagReference } from '../reference.ts';
import { RegistryClient } from '../registry/client.ts';
import { RunDeadline } from '../registry/deadline.ts';
import type { RunReport } from '../report/run-report.ts';
import type { Settings } from '../settings.ts';
import type { PinReport } from './model.ts';
import { pinPushed, runPin } from './pin.ts';

const WRITTEN = new Set(['created', 'unchanged', 'moved', 'verified']);

/**
 * Called whatever the run's result. `runSignal`: the run's deadline (and stop), which the
 * check works within.
 */
export async function pinAfterRun(settings: Settings, report: RunReport, logger: Logger, cwd: string, runSignal?: AbortSignal): Promise<PinReport | undefined> {
  // A check changes nothing, so a refused tag or a failed scan is no reason to skip it:
  // the deploy files may name tags that are not pinned either way.
  if (settings.pinCheck) return checkPins(settings, logger, cwd, runSignal);
  const digest = report.image?.digest;
  if (report.result !== 'pass' || digest === undefined || (report.mode !== 'push' && report.mode !== 'verify')) {
    logger.info(`pin: nothing pinned: the run ${report.result !== 'pass' ? 'did not pass' : 'pushed nothing'} (${report.mode})`);
    return undefined;
  }
  const pushed: TagReference[] = report.tags.filter((t) => WRITTEN.has(t.state)).map((t) => withDefaultTag(parseReference(t.reference)));
  const children = report.image?.platforms.map((p) => ({ digest: p.digest, platform: p.platform })) ?? [];
  return logger.group('Pin the deploy files', () => pinPushed({ paths: settings.pin ?? [], cwd, mutableTags: settings.mutableTags, logger, pushed, digest, children }));
}

/**
 * `pin` alone, or `pin-check`: ask the registry, through the same client and credentials as the gate.
 * `runSignal`: the deadline of the run this check follows; without it (pin alone) the check has its own.
 */
export async function checkPins(settings: Settings, logger: Logger, cwd: string, runSignal?: AbortSignal): Promise<PinReport> {
  if (settings.username && settings.tags.length === 0) {
    // Sending it to every registry a deploy file names would hand it to whoever edits the files.
    logger.warning('pin: username/password are sent only to the registries of `tags`; with no tags, log in with docker/login-action before this step');
  }
  // The run's `timeout` bounds a pin-only run as it bounds the gate: past it, unknown.
  const deadline = runSignal === undefined ? new RunDeadline(settings.timeoutMs) : undefined;
  const client = new RegistryClient({
    logger,
    // An explicit password goes only to the registries of `tags`; otherwise docker/login-action's config.
    auth: { username: settings.username, password: settings.password, registries: registriesOf(settings.tags) },
    insecureRegistries: settings.insecureRegistries,
    signal: runSignal ?? deadline!.signal,
  });
  try {
    return await logger.group(settings.pinCheck ? 'Check the pinned references' : 'Pin the deploy files', () =>
      runPin({ paths: settings.pin ?? [], cwd, check: settings.pinCheck ?? false, mutableTags: settings.mutableTags, logger, client }));
  } finally {
    deadline?.dispose();
    await client.close().catch(() => undefined);
  }
}

function registriesOf(tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    try {
      out.add(parseReference(t).registry);
    } catch {
      // The gate reports invalid tags; here they only scope credentials.
    }
  }
  return [...out];
}
