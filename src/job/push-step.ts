// Step 5 of a run: push the verified image and record, per tag, what happened.
import type { LocalImage } from '../image/open-image.ts';
import type { TagInput } from '../inputs/tags.ts';
import type { Logger } from '../log.ts';
import type { RegistryClient } from '../registry/client.ts';
import { pushImage, type PartialPush, type PushHooks, type TagOutcome } from '../registry/push.ts';
import type { TagReport } from '../report/model.ts';
import type { Settings } from '../settings.ts';
import type { GateResult } from '../gate.ts';

export type { PushHooks } from '../registry/push.ts';

export interface PushStepOptions {
  client: RegistryClient;
  image: LocalImage;
  refs: readonly TagInput[];
  /** The gate's answer, so the push does not ask about every tag twice. */
  gate: GateResult;
  rows: TagReport[];
  settings: Settings;
  logger: Logger;
  hooks?: PushHooks;
}

export async function runPush(options: PushStepOptions): Promise<void> {
  try {
    const result = await pushImage({
      client: options.client,
      image: options.image,
      refs: options.refs,
      gate: options.gate,
      mutablePatterns: options.settings.mutableTags,
      logger: options.logger,
      ...(options.hooks ? { hooks: options.hooks } : {}),
    });
    applyOutcomes(options.rows, result.pushed);
    const s = result.stats;
    options.logger.info(`pushed ${result.digest}: ${s.blobsUploaded} blob(s) uploaded, ${s.blobsSkipped} already present, ${s.blobsMounted} mounted`);
  } catch (err) {
    // Tags written before a failure are real: the report must say so, and name the one that failed.
    const partial = (err as { partial?: PartialPush }).partial;
    if (partial) {
      applyOutcomes(options.rows, partial.pushed);
      const failed = options.rows.find((r) => r.reference === partial.failedTag);
      if (failed) {
        // Refused only when the registry said so; a write that failed on the way may
        // or may not have landed, which is "unknown".
        const code = (err as { code?: unknown }).code;
        failed.state = code === 'TAG_EXISTS' || code === 'TAG_MOVED' ? 'refused' : 'unknown';
        failed.reason = err instanceof Error ? err.message : String(err);
        const theirs = (err as { existingDigest?: unknown }).existingDigest;
        if (typeof theirs === 'string') failed.existingDigest = theirs;
      }
    }
    throw err;
  }
}

function applyOutcomes(rows: TagReport[], pushed: Record<string, TagOutcome>): void {
  for (const row of rows) {
    const outcome = pushed[row.reference];
    if (outcome) row.state = outcome;
  }
}
