// One marked comment on every pull request a run belongs to, created or updated in place:
// the run's report (publish.ts) and the pin report (pin/publish.ts) both come through
// here. Everything posted passes the scrubber first: the API masks nothing.
import type { Logger } from '../log.ts';
import { scrub } from '../secrets.ts';
import { createGitHubClient, type ClientOptions, type OctokitFactory } from './client.ts';
import { upsertComment, type CommentResult } from './comments.ts';
import { commentTarget, type CommentMode, type RunContext } from './context.ts';
import { pullRequestsForCommit } from './pull-requests.ts';

export interface CommentPost {
  context: RunContext;
  comment: CommentMode;
  /** The `github-token` input. Without one, no comment is attempted. */
  token?: string;
  /** `getOctokit` from @actions/github (main.ts passes it in). */
  octokit: OctokitFactory;
  logger: Logger;
  /** Test knobs for the API client (retry delay unit, throttling queue id). */
  client?: Pick<ClientOptions, 'retryAfterBaseMs' | 'throttleId'>;
}

export interface CommentBody {
  marker: string;
  body: string;
  /** A shorter body for when GitHub refuses the full one (422). */
  fallbackBody?: string;
}

/** Posts `comment` where the run's event says; every problem is a warning, never a throw of the API's. */
export async function postComment(post: CommentPost, comment: CommentBody, warn: (message: string) => void): Promise<CommentResult[]> {
  const { context: ctx, logger } = post;
  const target = commentTarget(ctx, post.comment);
  if (target.kind === 'none') {
    logger.debug(`no pull-request comment: ${target.reason}`);
    return [];
  }
  if (post.token === undefined || post.token === '') {
    warn('immutag could not comment: the github-token input is empty. The report is in the job summary.');
    return [];
  }
  const client = createGitHubClient({ octokit: post.octokit, token: post.token, baseUrl: ctx.apiUrl, logger, ...post.client });
  let numbers: number[];
  if (target.kind === 'commit') {
    const lookup = await pullRequestsForCommit(client, ctx.owner, ctx.repo, target.sha, logger);
    if (lookup.warning !== undefined) warn(lookup.warning);
    numbers = lookup.numbers;
  } else {
    numbers = target.numbers;
  }
  if (numbers.length === 0) logger.debug('no pull request to comment on');
  const body = scrub(comment.body);
  const fallbackBody = comment.fallbackBody === undefined ? undefined : scrub(comment.fallbackBody);
  const results: CommentResult[] = [];
  for (const issueNumber of numbers) {
    const res = await upsertComment(client, {
      owner: ctx.owner, repo: ctx.repo, issueNumber, marker: comment.marker, body, fromFork: ctx.fromFork,
      ...(ctx.reportOrder !== undefined ? { runId: ctx.reportOrder } : {}),
      ...(fallbackBody !== undefined ? { fallbackBody } : {}),
    }, logger);
    results.push(res);
    // A comment can be posted and still carry a warning (a second comment it could not remove).
    if (res.action !== 'failed') logger.info(`pull request #${issueNumber}: comment ${res.action}: ${res.url ?? ''}${res.note !== undefined ? ` (${res.note})` : ''}`);
    if (res.warning !== undefined) warn(res.warning);
  }
  return results;
}
