// Publishes a pin report like the rest of immutag: appended to the job summary, and
// as its own pull-request comment (its own marker, so the gate's comment and the pin
// check's comment are each updated in place). Never throws: reporting must not change
// the verdict.
import { appendFile } from 'node:fs/promises';
import { describeError } from '../errors.ts';
import { postComment, type CommentPost } from '../github/post-comment.ts';
import { commentMarker, defaultCommentKey } from '../report/comment.ts';
import { renderPinSummary } from '../report/pin-section.ts';
import { scrub, secrets } from '../secrets.ts';
import type { PinReport } from './model.ts';

export interface PinPublishOptions extends CommentPost {
  report: PinReport;
  commentKey?: string;
  /**
   * What this job pins for (the repositories of its tags, its pin patterns): with the
   * workflow, the default comment key, so two jobs of one workflow keep a comment each.
   */
  scope?: readonly string[];
  summaryPath?: string;
}

/** Well under GitHub's 65,536-character comment limit. */
const COMMENT_BUDGET = 60_000;

/**
 * The report goes through the scrubber before it is rendered (no escaping or cut can
 * hide a secret from it) and the text after, as the run's report does: an unknown
 * row's reason carries the registry's own words, which may echo a credential.
 */
export async function publishPinReport(given: PinPublishOptions): Promise<string | undefined> {
  const options = { ...given, report: secrets.scrubDeep(given.report) };
  const { logger, report } = options;
  if (options.summaryPath) {
    await appendFile(options.summaryPath, scrub(renderPinSummary(report))).catch((err: unknown) => logger.warning(`immutag could not write the pin summary: ${describeError(err)}`));
  }
  try {
    const marker = commentMarker(`pin\n${options.commentKey || defaultCommentKey(options.context.workflow, options.scope ?? [])}`);
    const body = `${marker}\n${renderPinSummary(report, COMMENT_BUDGET)}\n<sub>Written by immutag pin and updated in place on every run.</sub>\n`;
    const results = await postComment(options, { marker, body }, (message) => logger.warning(message));
    return results.find((r) => r.url !== undefined)?.url;
  } catch (err) {
    logger.warning(`immutag could not comment the pin report: ${describeError(err)}. It is in the job summary; the result does not change.`);
    return undefined;
  }
}
