// Step 5 of a run: push the verified image and record, per tag, what happened.
import type { LocalImage } from '../image/open-image.ts';
import type { TagInput } from '../inputs/tags.ts';
import type { Logger } from '../log.ts';
import type { RegistryClient } from '../registry/client.ts';
import { PartialPushError } from '../errors.ts';
import { markOvertaken, markRowFailed } from './tag-report.ts';
import { pushImage, type PushHooks, type TagOutcome } from '../registry/push.ts';
import type { TagReport } from '../report/run-report.ts';
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
      settle: { settleMs: options.settings.tagSettleMs },
      ...(options.hooks ? { hooks: options.hooks } : {}),
    });
    applyOutcomes(options.rows, result.pushed);
    for (const [tag, digest] of Object.entries(result.overtaken)) {
      const row = options.rows.find((r) => r.reference === tag);
      if (row !== undefined) markOvertaken(row, digest);
    }
    const s = result.stats;
    options.logger.info(`pushed ${result.digest}: ${s.blobsUploaded} blob(s) uploaded, ${s.blobsSkipped} already present, ${s.blobsMounted} mounted`);
  } catch (err) {
    // Tags written before a failure are real: the report must say so, and name the one that failed.
    if (err instanceof PartialPushError) {
      applyOutcomes(options.rows, err.pushed);
      markRowFailed(options.rows, err.failedTag, err.failure);
      for (const [tag, failure] of Object.entries(err.alsoFailed)) markRowFailed(options.rows, tag, failure);
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
