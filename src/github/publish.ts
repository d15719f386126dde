// Publishes a run's report: the job summary first (it must exist whatever happens to
// the comment), then the pull-request comment(s) wherever `comment` says. Never throws:
// every failure here becomes a warning, because reporting must not change the verdict.
// Both go through the scrubber (secrets.ts): the report before it is rendered (so no
// escaping or truncation can hide a secret from it) and the rendered text after.
import { appendFile } from 'node:fs/promises';
import { describeError } from '../errors.ts';
import { commentMarker, defaultCommentKey, renderComment, renderShortComment } from '../report/comment.ts';
import { repositoriesOf, type RunReport } from '../report/run-report.ts';
import { renderSummary } from '../report/summary.ts';
import type { CommentResult } from './comments.ts';
import { postComment, type CommentPost } from './post-comment.ts';
import { scrub, secrets } from '../secrets.ts';

export interface PublishOptions extends CommentPost {
  report: RunReport;
  /** The `comment-key` input; defaults to the workflow name plus the repositories of `tags`. */
  commentKey?: string;
  /** The repositories of the `tags` input (inputs/tags.ts tagRepositories); else those of the report's tag rows. */
  repositories?: readonly string[];
  /** GITHUB_STEP_SUMMARY; without it, no summary is written. */
  summaryPath?: string;
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
  const key = options.commentKey || defaultCommentKey(options.context.workflow, options.repositories ?? repositoriesOf(options.report));
  const marker = commentMarker(key);
  result.comments.push(...await postComment(options, {
    marker,
    body: renderComment(options.report, { marker }),
    fallbackBody: renderShortComment(options.report, { marker }),
  }, warn));
}
