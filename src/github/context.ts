// Which run this is and where its comment goes, from what the runner provides: the
// event name, the event payload (the JSON file at GITHUB_EVENT_PATH) and the GITHUB_*
// variables (https://docs.github.com/actions/reference/variables-reference).
//
// Where an automatic comment goes, by event (comment: auto):
// - pull_request, pull_request_target: the pull request of the event.
// - merge_group: the pull request named by the merge queue's branch
//   `gh-readonly-queue/<base>/pr-<N>-<sha>`. A merge group can batch several pull
//   requests; its branch names only the one that created the group, and that is the
//   only one commented on.
// - push to a branch: the open pull requests whose head is the pushed commit, and the
//   pull request that was merged as that commit, asked of the API
//   (GET /repos/{owner}/{repo}/commits/{sha}/pulls). Tag pushes and deletions: none.
// - anything else (workflow_dispatch, schedule, release…): none.
// comment: always adds the API lookup for every event that has no pull request of its
// own (including tag pushes); comment: never comments nowhere.
import { readFileSync } from 'node:fs';
import { ImmutagError } from '../errors.ts';
import type { RunInfo } from '../report/run-report.ts';

export type CommentMode = 'auto' | 'always' | 'never';

export type CommentTarget =
  | { kind: 'pull-requests'; numbers: number[] }
  /** Ask the API which pull requests contain this commit. */
  | { kind: 'commit'; sha: string }
  | { kind: 'none'; reason: string };

export interface RunContext {
  owner: string;
  repo: string;
  eventName: string;
  /**
   * The commit the run is about: GITHUB_SHA (a test merge commit on pull_request), except
   * on workflow_run, whose GITHUB_SHA is the default branch's tip: there the commit the
   * followed run built (workflow_run.head_sha).
   */
  sha: string;
  /** The pull request head, on pull_request events (where `sha` is its test merge commit). */
  headSha?: string;
  ref?: string;
  workflow?: string;
  job?: string;
  serverUrl: string;
  apiUrl: string;
  runId?: string;
  /**
   * What orders this run's report against others on one pull request: GITHUB_RUN_ID, or on
   * workflow_run the followed run's id. A workflow_run run is created when the run it
   * follows completes, so its own id orders builds by when they finished, and the follow-up
   * of an older, slower build would replace the newer build's report.
   */
  reportOrder?: string;
  runNumber?: number;
  runAttempt?: number;
  runUrl?: string;
  /** A pull request from a fork whose run got a read-only token (not pull_request_target, which runs with the base repository's). */
  fromFork: boolean;
  payload: EventPayload;
}

/** The parts of event payloads immutag reads; everything is optional because payloads vary. */
export interface EventPayload {
  number?: number;
  ref?: string;
  after?: string;
  deleted?: boolean;
  pull_request?: {
    number?: number;
    head?: { sha?: string; repo?: { full_name?: string } | null };
    base?: { repo?: { full_name?: string } };
  };
  merge_group?: { head_sha?: string; head_ref?: string };
  /** issue_comment: `pull_request` is present when the issue is a pull request. */
  issue?: { number?: number; pull_request?: unknown };
  /** workflow_run: the pull requests of the run that triggered this one (same-repository ones only). */
  workflow_run?: { id?: number; head_sha?: string; pull_requests?: { number?: number; base?: { repo?: { url?: string } } }[] };
  repository?: { full_name?: string; name?: string; owner?: { login?: string } };
}

export type Environment = Record<string, string | undefined>;

/** Reads and parses GITHUB_EVENT_PATH; an absent variable is an empty payload (outside Actions). */
export function readEventPayload(path: string | undefined): EventPayload {
  if (path === undefined || path === '') return {};
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ImmutagError('INVALID_INPUT', `cannot read the event payload at ${path}`, {
      cause,
      hint: 'GITHUB_EVENT_PATH is set by the runner; outside GitHub Actions, unset it.',
    });
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as EventPayload) : {};
  } catch (cause) {
    throw new ImmutagError('INVALID_INPUT', `the event payload at ${path} is not JSON`, { cause });
  }
}

export function runContext(env: Environment, payload: EventPayload): RunContext {
  const [owner, repo] = repositoryOf(env, payload);
  const serverUrl = (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
  const ctx: RunContext = {
    owner,
    repo,
    eventName: env['GITHUB_EVENT_NAME'] ?? '',
    sha: builtCommit(env, payload),
    serverUrl,
    apiUrl: (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, ''),
    fromFork: env['GITHUB_EVENT_NAME'] !== 'pull_request_target' && isFromFork(payload),
    payload,
  };
  // Only pull_request builds a test merge commit (GITHUB_SHA) of the head; pull_request_target
  // runs on the base branch's tip, which checkout builds unless told otherwise.
  const headSha = ctx.eventName === 'pull_request' ? payload.pull_request?.head?.sha : undefined;
  if (headSha !== undefined) ctx.headSha = headSha;
  setIfPresent(ctx, 'ref', env['GITHUB_REF']);
  setIfPresent(ctx, 'workflow', env['GITHUB_WORKFLOW']);
  setIfPresent(ctx, 'job', env['GITHUB_JOB']);
  setIfPresent(ctx, 'runId', env['GITHUB_RUN_ID']);
  const followed = ctx.eventName === 'workflow_run' ? positiveInt(String(payload.workflow_run?.id)) : undefined;
  if (followed !== undefined) ctx.reportOrder = String(followed);
  else if (ctx.runId !== undefined) ctx.reportOrder = ctx.runId;
  const runNumber = positiveInt(env['GITHUB_RUN_NUMBER']);
  if (runNumber !== undefined) ctx.runNumber = runNumber;
  const runAttempt = positiveInt(env['GITHUB_RUN_ATTEMPT']);
  if (runAttempt !== undefined) ctx.runAttempt = runAttempt;
  if (ctx.runId !== undefined && owner !== '') {
    const attempt = runAttempt !== undefined && runAttempt > 1 ? `/attempts/${runAttempt}` : '';
    ctx.runUrl = `${serverUrl}/${owner}/${repo}/actions/runs/${ctx.runId}${attempt}`;
  }
  return ctx;
}

function builtCommit(env: Environment, payload: EventPayload): string {
  if (env['GITHUB_EVENT_NAME'] === 'workflow_run') return payload.workflow_run?.head_sha ?? '';
  return env['GITHUB_SHA'] ?? '';
}

function setIfPresent(ctx: RunContext, key: 'ref' | 'workflow' | 'job' | 'runId', value: string | undefined): void {
  if (value !== undefined && value !== '') ctx[key] = value;
}

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function repositoryOf(env: Environment, payload: EventPayload): [string, string] {
  const full = env['GITHUB_REPOSITORY'] || payload.repository?.full_name || '';
  const [owner = '', repo = ''] = full.split('/');
  return [owner, repo];
}

function isFromFork(payload: EventPayload): boolean {
  const head = payload.pull_request?.head?.repo?.full_name;
  const base = payload.pull_request?.base?.repo?.full_name;
  // A deleted fork leaves `head.repo` null: still not the base repository.
  if (payload.pull_request?.head !== undefined && payload.pull_request.head.repo === null) return true;
  return head !== undefined && base !== undefined && head !== base;
}

/** What the report says about the run. */
export function runInfo(ctx: RunContext): RunInfo {
  const info: RunInfo = { serverUrl: ctx.serverUrl, event: ctx.eventName };
  if (ctx.owner !== '') info.repository = `${ctx.owner}/${ctx.repo}`;
  if (ctx.sha !== '') info.sha = ctx.sha;
  if (ctx.headSha !== undefined) info.headSha = ctx.headSha;
  if (ctx.runUrl !== undefined) info.runUrl = ctx.runUrl;
  if (ctx.runNumber !== undefined) info.runNumber = ctx.runNumber;
  if (ctx.runAttempt !== undefined) info.runAttempt = ctx.runAttempt;
  if (ctx.workflow !== undefined) info.workflow = ctx.workflow;
  if (ctx.job !== undefined) info.job = ctx.job;
  return info;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
const ZERO_SHA = /^0{40}$/;

export function commentTarget(ctx: RunContext, mode: CommentMode): CommentTarget {
  if (mode === 'never') return { kind: 'none', reason: 'comment: never' };
  if (PULL_REQUEST_EVENTS.has(ctx.eventName)) {
    const n = ctx.payload.pull_request?.number ?? ctx.payload.number;
    if (n !== undefined && Number.isSafeInteger(n) && n > 0) return { kind: 'pull-requests', numbers: [n] };
    return { kind: 'none', reason: `the ${ctx.eventName} payload has no pull request number` };
  }
  if (ctx.eventName === 'merge_group') {
    const n = mergeQueuePullRequest(ctx.payload.merge_group?.head_ref);
    if (n !== undefined) return { kind: 'pull-requests', numbers: [n] };
    return { kind: 'none', reason: 'the merge group branch does not name a pull request' };
  }
  if (ctx.eventName === 'push') return pushTarget(ctx, mode);
  const named = pullRequestsNamed(ctx);
  if (named.length > 0) return { kind: 'pull-requests', numbers: named };
  if (mode === 'always' && ctx.sha !== '') return { kind: 'commit', sha: ctx.sha };
  return { kind: 'none', reason: `no pull request for a ${ctx.eventName || 'local'} run (comment: auto)` };
}

/**
 * The pull requests an event's payload names. For these events GITHUB_SHA is the default
 * branch's tip (or a test merge commit), so looking it up would find another pull request:
 * the one last merged.
 */
function pullRequestsNamed(ctx: RunContext): number[] {
  const { payload } = ctx;
  const numbers: (number | undefined)[] = [];
  if (ctx.eventName === 'pull_request_review' || ctx.eventName === 'pull_request_review_comment') numbers.push(payload.pull_request?.number);
  if (ctx.eventName === 'issue_comment' && payload.issue?.pull_request !== undefined) numbers.push(payload.issue.number);
  if (ctx.eventName === 'workflow_run') numbers.push(...(payload.workflow_run?.pull_requests ?? []).filter((p) => inThisRepository(ctx, p.base?.repo?.url)).map((p) => p.number));
  return numbers.filter((n): n is number => n !== undefined && Number.isSafeInteger(n) && n > 0);
}

/**
 * workflow_run lists pull requests by branch name, and a run in a fork can list the parent
 * repository's pull request of that branch: its number would name another pull request
 * here. An entry whose base repository is given must be this one (names compare without
 * case, as GitHub's do); one without says nothing and is kept.
 */
function inThisRepository(ctx: RunContext, apiUrl: string | undefined): boolean {
  if (apiUrl === undefined) return true;
  return apiUrl.toLowerCase().endsWith(`/repos/${ctx.owner}/${ctx.repo}`.toLowerCase());
}

function pushTarget(ctx: RunContext, mode: CommentMode): CommentTarget {
  const sha = ctx.payload.after ?? ctx.sha;
  if (ctx.payload.deleted === true || sha === '' || ZERO_SHA.test(sha)) {
    return { kind: 'none', reason: 'the push deleted a branch or tag' };
  }
  const ref = ctx.payload.ref ?? ctx.ref ?? '';
  if (mode === 'auto' && !ref.startsWith('refs/heads/')) {
    return { kind: 'none', reason: `${ref || 'the ref'} is not a branch (comment: auto)` };
  }
  return { kind: 'commit', sha };
}

/** `refs/heads/gh-readonly-queue/main/pr-104-929f…` → 104. */
export function mergeQueuePullRequest(headRef: string | undefined): number | undefined {
  if (headRef === undefined) return undefined;
  const match = /^(?:refs\/heads\/)?gh-readonly-queue\/.+\/pr-(\d{1,9})-[0-9a-f]{40}$/.exec(headRef);
  if (match === null) return undefined;
  return Number(match[1]);
}
