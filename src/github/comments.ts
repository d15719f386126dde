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
// does a create GitHub stored although its answer was lost, then retried). So every
// run lists all our comments, and a run that created one lists again; the oldest is
// the one that stays. A run writes only its own report, and only into the oldest (not
// when a listed comment is from a newer run); it deletes every other comment of ours
// that is not from a newer run, its own new one included. Why one comment is left:
// nobody deletes the oldest; comment ids grow with creation, so a run whose comment is
// newer lists after the older one exists and sees it; and a duplicate some run could
// not delete (a refused DELETE) is deleted by the next run that is newer than it.
// What is left open: a run that read a comment and then wrote or deleted it can undo
// a newer run's report that landed in between (the API has no conditional write); each
// comment is read again right before it is written or deleted, which leaves one round
// trip of that window.
// A run without a run id (outside GitHub Actions) compares with nothing: it writes.

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
  /** The run id that orders this report (context.ts reportOrder): recorded in the body, and compared with the comment's. */
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
  let ours: ListedComment[];
  try {
    ours = await ownComments(client, request, logger);
  } catch (err) {
    return failed(issueNumber, apiWarning(err, { action: `read the comments of ${where}`, permission: PERMISSION_READ, fromFork: request.fromFork ?? false }));
  }
  try {
    return await write(client, request, ours, request.body, logger);
  } catch (first) {
    let err = first;
    if (statusOf(err) === 422 && request.fallbackBody !== undefined) {
      logger.warning(apiWarning(err, { action: `post the full report on ${where}`, permission: PERMISSION_WRITE }) + ' Posting a short comment instead.');
      try {
        return await write(client, request, ours, request.fallbackBody, logger);
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

async function write(client: GitHubClient, request: CommentRequest, ours: readonly ListedComment[], unmarked: string, logger: Logger): Promise<CommentResult> {
  const body = withRunLine(unmarked, request.runId);
  const settled = await settle(client, request, ours, body, undefined);
  // undefined: none listed, or each was deleted between our listing and our update; create one.
  if (settled !== undefined) return settled;
  const { owner, repo, issueNumber } = request;
  const res = await client.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return afterCreate(client, request, { id: res.data.id, url: res.data.html_url }, body, logger);
}

/** After creating `mine`: our comments listed again, and settled if there is more than one (see the top of this file). */
async function afterCreate(client: GitHubClient, request: CommentRequest, mine: { id: number; url: string }, body: string, logger: Logger): Promise<CommentResult> {
  const { issueNumber } = request;
  const made: CommentResult = { issueNumber, action: 'created', url: mine.url };
  let ours: ListedComment[];
  try {
    ours = await ownComments(client, request, logger);
  } catch (err) {
    return { ...made, warning: apiWarning(err, { action: `look for a second immutag comment on pull request #${issueNumber}`, permission: PERMISSION_READ, outcome: `This run's report is in ${mine.url}; if another immutag comment shows, the next run removes it.` }) };
  }
  // Alone, or gone (a newer run that saw this one as outdated deleted it): the latter settles too.
  if (ours.length === 0 || (ours.length === 1 && ours[0]!.id === mine.id)) return made;
  try {
    return await settle(client, request, ours, body, mine) ?? made;
  } catch (err) {
    const oldest = ours[0]!;
    return { ...made, warning: apiWarning(err, { action: `move this run's report into the older immutag comment ${oldest.html_url}`, permission: PERMISSION_WRITE, outcome: `This run's report is in ${mine.url}; ${oldest.html_url} holds an earlier run's report, and the next run replaces it.` }) };
  }
}

/**
 * With our comments listed (oldest first): the oldest gets this run's report unless a
 * newer run's is there, and every other one not from a newer run is deleted. `mine`
 * is the comment this run just created. A listed comment deleted meanwhile is passed
 * over: the next one is the oldest. Undefined when every listed comment is gone.
 */
async function settle(client: GitHubClient, request: CommentRequest, ours: readonly ListedComment[], body: string, mine: { id: number } | undefined): Promise<CommentResult | undefined> {
  for (let left = ours; left.length > 0; left = left.slice(1)) {
    const settled = await settleInto(client, request, left, body, mine);
    if (settled !== undefined) return settled;
  }
  return undefined;
}

/** settle() for the oldest of `ours`; undefined when that comment is gone. */
async function settleInto(client: GitHubClient, request: CommentRequest, ours: readonly ListedComment[], body: string, mine: { id: number } | undefined): Promise<CommentResult | undefined> {
  const { owner, repo, issueNumber } = request;
  let oldest = ours[0]!;
  const created = mine !== undefined && oldest.id !== mine.id
    ? 'after this run created its comment, an older one of ours was found, from a run at the same time or a create GitHub stored twice'
    : undefined;
  let result: CommentResult | undefined = keptFor(request, ours, created);
  if (result === undefined && normalise(oldest.body ?? '') !== normalise(body)) {
    // Read again right before writing: a newer run may have written since the listing,
    // which may have taken many pages. This narrows the window; the API has no
    // conditional write to close it.
    const now = await readAgain(client, request, oldest.id);
    if (now === undefined) return undefined;
    oldest = now;
    result = keptFor(request, [now], created);
  }
  if (result === undefined && normalise(oldest.body ?? '') === normalise(body)) {
    result = { issueNumber, action: mine === undefined ? 'unchanged' : 'created', url: oldest.html_url };
  }
  if (result === undefined) {
    try {
      const res = await client.rest.issues.updateComment({ owner, repo, comment_id: oldest.id, body });
      result = { issueNumber, action: 'updated', url: res.data.html_url };
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      return undefined;
    }
  }
  if (created !== undefined && result.action !== 'kept') result.note = `${created}; this run's report is in that one`;
  return deleteOutdated(client, request, ours.slice(1), result);
}

/**
 * 'kept' when one of `comments` (oldest first) is from a newer run than this one. It
 * names the oldest comment, where that run's report goes (a newer run whose comment is
 * not the oldest moves its report there; if it could not, it warned, and the next run will).
 */
function keptFor(request: CommentRequest, comments: readonly ListedComment[], created: string | undefined): CommentResult | undefined {
  let newest: string | undefined;
  for (const comment of comments) {
    const run = newerRun(comment, request.runId);
    if (run !== undefined && (newest === undefined || BigInt(run) > BigInt(newest))) newest = run;
  }
  if (newest === undefined) return undefined;
  const why = `run ${newest}, newer than this one (${request.runId}), wrote its report, which stays`;
  return { issueNumber: request.issueNumber, action: 'kept', url: comments[0]!.html_url, note: created === undefined ? why : `${created}; ${why}` };
}

/** One of our comments as it is now; undefined when it was deleted, or edited so it no longer carries the marker. */
async function readAgain(client: GitHubClient, request: CommentRequest, id: number): Promise<ListedComment | undefined> {
  let comment: ListedComment;
  try {
    comment = (await client.rest.issues.getComment({ owner: request.owner, repo: request.repo, comment_id: id })).data as ListedComment;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
  return isMarked(comment, request.marker) ? comment : undefined;
}

/**
 * Deletes our comments other than the oldest that are not from a newer run (this run's
 * own new one among them). Each is read again first: one a newer run wrote since the
 * listing, or one someone edited so it no longer carries the marker, stays.
 */
async function deleteOutdated(client: GitHubClient, request: CommentRequest, others: readonly ListedComment[], result: CommentResult): Promise<CommentResult> {
  const { owner, repo, issueNumber } = request;
  for (const listed of others) {
    if (newerRun(listed, request.runId) !== undefined) continue;
    try {
      const now = await readAgain(client, request, listed.id);
      if (now === undefined || newerRun(now, request.runId) !== undefined) continue;
      await client.rest.issues.deleteComment({ owner, repo, comment_id: listed.id });
    } catch (err) {
      // Another run deleted it first.
      if (statusOf(err) === 404) continue;
      const outcome = result.action === 'kept'
        ? `A newer run's report is in ${result.url}; this run's outdated comment stays until the next run, or delete it by hand.`
        : `This run's report is in ${result.url}; the next run tries again, or delete that comment by hand.`;
      return { ...result, warning: apiWarning(err, { action: `delete the outdated immutag comment ${listed.html_url} on pull request #${issueNumber}`, permission: PERMISSION_WRITE, outcome }) };
    }
  }
  return result;
}

/** Whether a comment starts with the marker: one edited away from it is not ours any more. */
function isMarked(comment: ListedComment, marker: string): boolean {
  return (comment.body ?? '').trimStart().startsWith(marker);
}

/** GitHub may store line ends as CRLF. */
function normalise(body: string): string {
  return body.replace(/\r\n/g, '\n').trim();
}

/**
 * Our comments, oldest first: those that start with the marker and that we wrote.
 * Anyone can paste the marker into a comment, and any app that posts text an outsider
 * chose can too; updating theirs would put our report under their name, deleting it as
 * a duplicate would remove their comment, and a run line in it would keep our report
 * out. So a comment counts only when the token's own account wrote it: the user of a
 * personal access token, the bot of an installation token (github-actions[bot] for
 * GITHUB_TOKEN, <app>[bot] for an app's). Only when GitHub cannot say who the token is
 * does any bot's comment count, as before this was asked.
 */
async function ownComments(client: GitHubClient, request: CommentRequest, logger: Logger): Promise<ListedComment[]> {
  const { owner, repo, issueNumber, marker } = request;
  const found: ListedComment[] = [];
  const iterator = client.paginate.iterator(client.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  for await (const page of iterator) {
    for (const comment of page.data as ListedComment[]) {
      if (!isMarked(comment, marker)) continue;
      const login = await loginOfToken(client, logger);
      const ours = login === undefined ? comment.user?.type === 'Bot' : comment.user?.login === login;
      if (ours) found.push(comment);
      else logger.debug(`ignoring comment ${comment.id}: it carries the marker but ${comment.user?.login ?? 'an unknown user'} wrote it`);
    }
  }
  return found.sort((a, b) => a.id - b.id);
}

/**
 * The account the token acts as: GET /user for a personal access token; installation
 * tokens cannot call it, and GraphQL's viewer names their bot. Undefined when neither answers.
 */
function loginOfToken(client: GitHubClient, logger: Logger): Promise<string | undefined> {
  let login = tokenLogins.get(client);
  if (login === undefined) {
    login = askLogin(client, logger);
    tokenLogins.set(client, login);
  }
  return login;
}

/** Asked once per client: a run lists the comments again after writing. */
const tokenLogins = new WeakMap<GitHubClient, Promise<string | undefined>>();

async function askLogin(client: GitHubClient, logger: Logger): Promise<string | undefined> {
  try {
    const res = await client.rest.users.getAuthenticated();
    return res.data.login;
  } catch (err) {
    logger.debug(`the token has no user (${statusOf(err) ?? 'error'}): asking GraphQL's viewer`);
  }
  try {
    const res = await client.graphql<{ viewer?: { login?: string } }>('query { viewer { login } }');
    return res.viewer?.login || undefined;
  } catch (err) {
    logger.debug(`GraphQL's viewer did not answer (${statusOf(err) ?? 'error'}): any bot's marked comment counts as ours`);
    return undefined;
  }
}
