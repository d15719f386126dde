// One comment per key on a pull request, updated in place: list the comments (all
// pages), find the one that starts with our marker and was written by us, update it,
// or create it. A failure is returned as a warning, never thrown.
//
// Runs finish out of order: the first push's slow run can end after the second push's.
// Each body ends with the id of the run that wrote it (GitHub's run ids grow with
// time), and a run older than the comment's keeps it: the pull request shows the
// verdict of its latest run, not of the last one to finish.
//
// Runs also start together: a push to a pull request's branch starts the `push` and
// the `pull_request` workflows at once, both find no comment, and both create one (as
// does a create GitHub stored although its answer was lost, then retried). So a run
// that created a comment lists again, and if an older comment of ours is there, the
// new one yields to it: its report goes into the older comment (unless a listed
// comment is from a newer run), and it deletes its own. A run only ever writes its own
// report and deletes its own comment. Why one comment is left: comment ids grow with
// creation, so the run whose comment is newer lists after the older one exists and
// sees it; the run whose comment is the oldest has nothing older to yield to.
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
  /** GITHUB_RUN_ID of this run: recorded in the body, and compared with the comment's. */
  runId?: string;
}

export interface CommentResult {
  issueNumber: number;
  /** `kept`: the comment was written by a newer run, and stays. */
  action: 'created' | 'updated' | 'unchanged' | 'kept' | 'failed';
  /** The comment's html_url. */
  url?: string;
  warning?: string;
  /** Why the comment was left as it was (`kept`). */
  note?: string;
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
    return await write(client, request, existing, request.body, logger);
  } catch (first) {
    let err = first;
    if (statusOf(err) === 422 && request.fallbackBody !== undefined) {
      logger.warning(apiWarning(err, { action: `post the full report on ${where}`, permission: PERMISSION_WRITE }) + ' Posting a short comment instead.');
      try {
        return await write(client, request, existing, request.fallbackBody, logger);
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

const RUN_LINE = /\n<!-- immutag-run: (\d{1,20}) -->\s*$/;

/** GITHUB_RUN_ID when it is one: anything else is neither recorded nor compared. */
function validRunId(runId: string | undefined): runId is string {
  return runId !== undefined && /^\d{1,20}$/.test(runId);
}

/** The body as posted: the run that wrote it on a hidden last line. */
export function withRunLine(body: string, runId: string | undefined): string {
  return validRunId(runId) ? `${body.replace(/\s+$/, '')}\n<!-- immutag-run: ${runId} -->\n` : body;
}

/** The run id an existing comment records, when it is newer than ours. */
function newerRun(existing: ListedComment, runId: string | undefined): string | undefined {
  const theirs = RUN_LINE.exec(existing.body ?? '')?.[1];
  if (theirs === undefined || !validRunId(runId)) return undefined;
  return BigInt(theirs) > BigInt(runId) ? theirs : undefined;
}

async function write(client: GitHubClient, request: CommentRequest, existing: ListedComment | undefined, unmarked: string, logger: Logger): Promise<CommentResult> {
  const { owner, repo, issueNumber } = request;
  const body = withRunLine(unmarked, request.runId);
  if (existing !== undefined) {
    const newer = newerRun(existing, request.runId);
    if (newer !== undefined) {
      return { issueNumber, action: 'kept', url: existing.html_url, note: `run ${newer}, newer than this one (${request.runId}), wrote it; its report stays` };
    }
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
  return yieldToOlder(client, request, { id: res.data.id, url: res.data.html_url, body }, logger);
}

const TWO_SHOW = 'The report was posted; if two immutag comments show on the pull request, delete the later one.';

/** After creating `mine`: folds it into an older comment of ours, if there is one (see the top of this file). */
async function yieldToOlder(client: GitHubClient, request: CommentRequest, mine: { id: number; url: string; body: string }, logger: Logger): Promise<CommentResult> {
  const { owner, repo, issueNumber } = request;
  const made: CommentResult = { issueNumber, action: 'created', url: mine.url };
  let ours: ListedComment[];
  try {
    ours = await ownComments(client, request, logger, 'all');
  } catch (err) {
    return { ...made, warning: apiWarning(err, { action: `look for a second immutag comment on pull request #${issueNumber}`, permission: PERMISSION_READ, outcome: TWO_SHOW }) };
  }
  const older = ours.filter((c) => c.id < mine.id).sort((a, b) => a.id - b.id)[0];
  if (older === undefined) return made;
  const found = 'an older immutag comment was there too (a run at the same time, or a create GitHub stored twice)';
  const newer = ours.map((c) => newerRun(c, request.runId)).find((run) => run !== undefined);
  let result: CommentResult;
  if (newer !== undefined) {
    result = { issueNumber, action: 'kept', url: older.html_url, note: `${found}; run ${newer}, newer than this one (${request.runId}), wrote its report, which stays` };
  } else {
    let url = older.html_url;
    try {
      if (normalise(older.body ?? '') !== normalise(mine.body)) {
        url = (await client.rest.issues.updateComment({ owner, repo, comment_id: older.id, body: mine.body })).data.html_url;
      }
    } catch (err) {
      return { ...made, warning: apiWarning(err, { action: `move this run's report into the older immutag comment on pull request #${issueNumber}`, permission: PERMISSION_WRITE, outcome: TWO_SHOW }) };
    }
    result = { issueNumber, action: 'updated', url, note: `${found}; this run's report went into it` };
  }
  try {
    await client.rest.issues.deleteComment({ owner, repo, comment_id: mine.id });
  } catch (err) {
    if (statusOf(err) !== 404) {
      return { ...result, warning: apiWarning(err, { action: `delete its second comment on pull request #${issueNumber}`, permission: PERMISSION_WRITE, outcome: TWO_SHOW }) };
    }
  }
  return result;
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
  return (await ownComments(client, request, logger, 'first'))[0];
}

/** Our comments (see findOwnComment) in the order listed: the first, or all of them. */
async function ownComments(client: GitHubClient, request: CommentRequest, logger: Logger, how: 'first' | 'all'): Promise<ListedComment[]> {
  const { owner, repo, issueNumber, marker } = request;
  let tokenLogin: Promise<string | undefined> | undefined;
  const found: ListedComment[] = [];
  const iterator = client.paginate.iterator(client.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  for await (const page of iterator) {
    for (const comment of page.data as ListedComment[]) {
      if (!(comment.body ?? '').trimStart().startsWith(marker)) continue;
      let ours = comment.user?.type === 'Bot';
      if (!ours) {
        tokenLogin ??= loginOfToken(client, logger);
        const login = await tokenLogin;
        ours = login !== undefined && comment.user?.login === login;
      }
      if (!ours) {
        logger.debug(`ignoring comment ${comment.id}: it carries the marker but ${comment.user?.login ?? 'an unknown user'} wrote it`);
        continue;
      }
      found.push(comment);
      if (how === 'first') return found;
    }
  }
  return found;
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
