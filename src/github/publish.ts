// Publishes a run's report: the job summary first (it must exist whatever happens to
// the comment), then the pull-request comment(s) wherever `comment` says. Never throws:
// every failure here becomes a warning, because reporting must not change the verdict.
// Both go through the scrubber (secrets.ts): the report before it is rendered (so no
// escaping or truncation can hide a secret from it) and the rendered text after.
import { appendFile } from 'node:fs/promises';
import { describeError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { commentMarker, defaultCommentKey, renderComment, renderShortComment } from '../report/comment.ts';
import { repositoriesOf, type RunReport } from '../report/run-report.ts';
import { renderSummary } from '../report/summary.ts';
import { createGitHubClient, type ClientOptions, type OctokitFactory } from './client.ts';
import { upsertComment, type CommentResult } from './comments.ts';
import { commentTarget, type CommentMode, type RunContext } from './context.ts';
import { pullRequestsForCommit } from './pull-requests.ts';
import { scrub, secrets } from '../secrets.ts';

export interface PublishOptions {
  report: RunReport;
  context: RunContext;
  comment: CommentMode;
  /** The `comment-key` input; defaults to the workflow name plus the repositories of `tags`. */
  commentKey?: string;
  /** The `github-token` input. Without one, no comment is attempted. */
  token?: string;
  /** `getOctokit` from @actions/github (main.ts passes it in). */
  octokit: OctokitFactory;
  /** GITHUB_STEP_SUMMARY; without it, no summary is written. */
  summaryPath?: string;
  logger: Logger;
  /** Test knobs for the API client (retry delay unit, throttling queue id). */
  client?: Pick<ClientOptions, 'retryAfterBaseMs' | 'throttleId'>;
}

export interface PublishResult {
  summaryWritten: boolean;
  /** The first comment's URL: the `comment-url` output. */
  commentUrl?: string;
  comments: CommentResult[];
  /** Already logged with logger.warning; returned for the CLI's JSON and the tests. */
  warnings: string[];
}

export async function publishReport(given: PublishOptions): Promise<PublishResult> {
  const options = { ...given, report: secrets.scrubDeep(given.report) };
  const { logger } = options;
  const result: PublishResult = { summaryWritten: false, comments: [], warnings: [] };
  const warn = (message: string): void => {
    result.warnings.push(message);
    logger.warning(message);
  };
  result.summaryWritten = await writeSummary(options, warn);
  try {
    await comment(options, result, warn);
  } catch (err) {
    warn(`immutag could not comment: ${describeError(err)}. The report is in the job summary; the result of the run does not change.`);
  }
  const url = result.comments.find((c) => c.url !== undefined)?.url;
  if (url !== undefined) result.commentUrl = url;
  return result;
}

async function writeSummary(options: PublishOptions, warn: (m: string) => void): Promise<boolean> {
  if (options.summaryPath === undefined || options.summaryPath === '') return false;
  try {
    await appendFile(options.summaryPath, scrub(renderSummary(options.report)));
    return true;
  } catch (err) {
    warn(`immutag could not write the job summary to ${options.summaryPath}: ${describeError(err)}`);
    return false;
  }
}

async function comment(options: PublishOptions, result: PublishResult, warn: (m: string) => void): Promise<void> {
  const { context: ctx, logger } = options;
  const target = commentTarget(ctx, options.comment);
  if (target.kind === 'none') {
    logger.debug(`no pull-request comment: ${target.reason}`);
    return;
  }
  if (options.token === undefined || options.token === '') {
    warn('immutag could not comment: the github-token input is empty. The report is in the job summary.');
    return;
  }
  const client = createGitHubClient({ octokit: options.octokit, token: options.token, baseUrl: ctx.apiUrl, logger, ...options.client });
  let numbers: number[];
  if (target.kind === 'commit') {
    const lookup = await pullRequestsForCommit(client, ctx.owner, ctx.repo, target.sha, logger);
    if (lookup.warning !== undefined) warn(lookup.warning);
    numbers = lookup.numbers;
  } else {
    numbers = target.numbers;
  }
  if (numbers.length === 0) {
    logger.debug('no pull request to comment on');
    return;
  }
  const key = options.commentKey || defaultCommentKey(ctx.workflow, repositoriesOf(options.report));
  const marker = commentMarker(key);
  const body = scrub(renderComment(options.report, { marker }));
  const fallbackBody = scrub(renderShortComment(options.report, { marker }));
  for (const issueNumber of numbers) {
    const res = await upsertComment(client, {
      owner: ctx.owner, repo: ctx.repo, issueNumber, marker, body, fallbackBody, fromFork: ctx.fromFork,
    }, logger);
    result.comments.push(res);
    if (res.warning !== undefined) warn(res.warning);
    else logger.info(`pull request #${issueNumber}: comment ${res.action}: ${res.url ?? ''}`);
  }
}
