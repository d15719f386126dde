// One comment per key on a pull request, updated in place: list the comments (all
// pages), find the one that starts with our marker and was written by us, update it,
// or create it. A failure is returned as a warning, never thrown.
import type { Logger } from '../log.ts';
import { apiWarning, statusOf } from './api-warnings.ts';
import type { GitHubClient } from './client.ts';

export interface CommentRequest {
  owner: string;
  repo: string;
  issueNumber: number;
  /** The hidden first line (`<!-- immutag:<hash> -->`) that `body` starts with. */
  marker: string;
  body: string;
  /** A short body to send when GitHub refuses `body` as too long (422). */
  fallbackBody?: string;
  fromFork?: boolean;
}

export interface CommentResult {
  issueNumber: number;
  action: 'created' | 'updated' | 'unchanged' | 'failed';
  /** The comment's html_url. */
  url?: string;
  warning?: string;
}

interface ListedComment {
  id: number;
  body?: string | null;
  html_url: string;
  user?: { login?: string; type?: string } | null;
}

const PERMISSION_WRITE = 'pull-requests: write';
const PERMISSION_READ = 'pull-requests: read';

export async function upsertComment(client: GitHubClient, request: CommentRequest, logger: Logger): Promise<CommentResult> {
  const { issueNumber } = request;
  const where = `pull request #${issueNumber}`;
  let existing: ListedComment | undefined;
  try {
    existing = await findOwnComment(client, request, logger);
  } catch (err) {
    return failed(issueNumber, apiWarning(err, { action: `read the comments of ${where}`, permission: PERMISSION_READ, fromFork: request.fromFork ?? false }));
  }
  try {
    return await write(client, request, existing, request.body);
  } catch (first) {
    let err = first;
    if (statusOf(err) === 422 && request.fallbackBody !== undefined) {
      logger.warning(apiWarning(err, { action: `post the full report on ${where}`, permission: PERMISSION_WRITE }) + ' Posting a short comment instead.');
      try {
        return await write(client, request, existing, request.fallbackBody);
      } catch (again) {
        err = again;
      }
    }
    return failed(issueNumber, apiWarning(err, { action: `comment on ${where}`, permission: PERMISSION_WRITE, fromFork: request.fromFork ?? false }));
  }
}

function failed(issueNumber: number, warning: string): CommentResult {
  return { issueNumber, action: 'failed', warning };
}

async function write(client: GitHubClient, request: CommentRequest, existing: ListedComment | undefined, body: string): Promise<CommentResult> {
  const { owner, repo, issueNumber } = request;
  if (existing !== undefined) {
    if (normalise(existing.body ?? '') === normalise(body)) {
      return { issueNumber, action: 'unchanged', url: existing.html_url };
    }
    try {
      const res = await client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      return { issueNumber, action: 'updated', url: res.data.html_url };
    } catch (err) {
      // Deleted between our listing and our update: create a new one below.
      if (statusOf(err) !== 404) throw err;
    }
  }
  const res = await client.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return { issueNumber, action: 'created', url: res.data.html_url };
}

/** GitHub may store line ends as CRLF. */
function normalise(body: string): string {
  return body.replace(/\r\n/g, '\n').trim();
}

/**
 * The first comment that starts with the marker and that we wrote. Anyone can paste
 * the marker into a comment; updating theirs would put our report under their name
 * (and let them edit it afterwards), so a comment counts only when a bot account wrote
 * it (GITHUB_TOKEN comments as github-actions[bot], app tokens as <app>[bot]) or the
 * token's own user did (a personal access token).
 */
async function findOwnComment(client: GitHubClient, request: CommentRequest, logger: Logger): Promise<ListedComment | undefined> {
  const { owner, repo, issueNumber, marker } = request;
  let tokenLogin: Promise<string | undefined> | undefined;
  const iterator = client.paginate.iterator(client.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  for await (const page of iterator) {
    for (const comment of page.data as ListedComment[]) {
      if (!(comment.body ?? '').trimStart().startsWith(marker)) continue;
      if (comment.user?.type === 'Bot') return comment;
      tokenLogin ??= loginOfToken(client, logger);
      const login = await tokenLogin;
      if (login !== undefined && comment.user?.login === login) return comment;
      logger.debug(`ignoring comment ${comment.id}: it carries the marker but ${comment.user?.login ?? 'an unknown user'} wrote it`);
    }
  }
  return undefined;
}

/** The user a personal access token acts as; undefined for installation tokens, which cannot ask. */
async function loginOfToken(client: GitHubClient, logger: Logger): Promise<string | undefined> {
  try {
    const res = await client.rest.users.getAuthenticated();
    return res.data.login;
  } catch (err) {
    logger.debug(`the token has no user (${statusOf(err) ?? 'error'}): only bot-authored comments are ours`);
    return undefined;
  }
}
