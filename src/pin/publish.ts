// Publishes a pin report like the rest of immutag: appended to the job summary, and
// as its own pull-request comment (its own marker, so the gate's comment and the pin
// check's comment are each updated in place). Never throws: reporting must not change
// the verdict.
import { appendFile } from 'node:fs/promises';
import { describeError } from '../errors.ts';
import { createGitHubClient, type OctokitFactory } from '../github/client.ts';
import { upsertComment } from '../github/comments.ts';
import { commentTarget, type CommentMode, type RunContext } from '../github/context.ts';
import { pullRequestsForCommit } from '../github/pull-requests.ts';
import type { Logger } from '../log.ts';
import { commentMarker } from '../report/comment.ts';
import { renderPinSummary } from '../report/pin-section.ts';
import type { PinReport } from './model.ts';

export interface PinPublishOptions {
  report: PinReport;
  context: RunContext;
  comment: CommentMode;
  commentKey?: string;
  token?: string;
  octokit: OctokitFactory;
  summaryPath?: string;
  logger: Logger;
}

/** Well under GitHub's 65,536-character comment limit. */
const COMMENT_BUDGET = 60_000;

export async function publishPinReport(options: PinPublishOptions): Promise<string | undefined> {
  const { logger, report } = options;
  if (options.summaryPath) {
    await appendFile(options.summaryPath, renderPinSummary(report)).catch((err: unknown) => logger.warning(`immutag could not write the pin summary: ${describeError(err)}`));
  }
  try {
    return await comment(options);
  } catch (err) {
    logger.warning(`immutag could not comment the pin report: ${describeError(err)}. It is in the job summary; the result does not change.`);
    return undefined;
  }
}

async function comment(options: PinPublishOptions): Promise<string | undefined> {
  const { context: ctx, logger } = options;
  const target = commentTarget(ctx, options.comment);
  if (target.kind === 'none' || !options.token) return undefined;
  const client = createGitHubClient({ octokit: options.octokit, token: options.token, baseUrl: ctx.apiUrl, logger });
  const numbers = target.kind === 'commit' ? (await pullRequestsForCommit(client, ctx.owner, ctx.repo, target.sha, logger)).numbers : target.numbers;
  const marker = commentMarker(`pin\n${options.commentKey || ctx.workflow || ''}`);
  const body = `${marker}\n${renderPinSummary(options.report, COMMENT_BUDGET)}\n<sub>Written by immutag pin and updated in place on every run.</sub>\n`;
  let url: string | undefined;
  for (const issueNumber of numbers) {
    const res = await upsertComment(client, { owner: ctx.owner, repo: ctx.repo, issueNumber, marker, body, fromFork: ctx.fromFork }, logger);
    if (res.warning !== undefined) logger.warning(res.warning);
    url ??= res.url;
  }
  return url;
}
