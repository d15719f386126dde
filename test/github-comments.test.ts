import { getOctokit } from '@actions/github';
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryLogger } from '../src/log.ts';
import { commentMarker } from '../src/report/comment.ts';
import type { RunReport } from '../src/report/run-report.ts';
import { createGitHubClient } from '../src/github/client.ts';
import { upsertComment } from '../src/github/comments.ts';
import { readEventPayload, runContext, type CommentMode, type EventPayload, type RunContext } from '../src/github/context.ts';
import { publishReport, type PublishResult } from '../src/github/publish.ts';
import { pullRequestsForCommit } from '../src/github/pull-requests.ts';
import { BODY_LIMIT, PAT_TOKEN, READ_TOKEN, startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from './support/github-server.ts';
import { manyFindingsReport, passingReport, violationReport } from './support/sample-report.ts';

const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const PUSHED_SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

let github: GitHubStandIn;
let dir: string;

before(async () => {
  github = await startGitHubStandIn();
  dir = await mkdtemp(join(tmpdir(), 'immutag-comments-'));
});

after(async () => {
  await github.close();
  await rm(dir, { recursive: true, force: true });
});

const fixture = (name: string): EventPayload => readEventPayload(fileURLToPath(new URL(`./fixtures/github/${name}`, import.meta.url)));

/** Each test gets its own pull request number, so tests never see each other's comments. */
let nextPr = 100;
function freshPullRequest(): { payload: EventPayload; number: number } {
  const payload = structuredClone(fixture('pull_request.opened.json'));
  const number = nextPr++;
  payload.number = number;
  payload.pull_request!.number = number;
  return { payload, number };
}

function context(eventName: string, payload: EventPayload, extra: Record<string, string> = {}): RunContext {
  return runContext({
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_SHA: PUSHED_SHA,
    GITHUB_WORKFLOW: 'Release image',
    GITHUB_RUN_ID: '4242424242',
    GITHUB_RUN_NUMBER: '87',
    GITHUB_API_URL: github.url,
    ...extra,
  }, payload);
}

interface RunOptions {
  report?: RunReport;
  ctx: RunContext;
  token?: string;
  mode?: CommentMode;
  key?: string;
}

async function publish(options: RunOptions): Promise<PublishResult & { summary: string; logger: MemoryLogger }> {
  const summaryPath = join(dir, `summary-${randomUUID()}.md`);
  const logger = new MemoryLogger();
  const result = await publishReport({
    report: options.report ?? passingReport(),
    context: options.ctx,
    comment: options.mode ?? 'auto',
    token: options.token ?? WRITE_TOKEN,
    summaryPath,
    logger,
    client: { retryAfterBaseMs: 1, throttleId: randomUUID() },
    octokit: getOctokit,
    ...(options.key === undefined ? {} : { commentKey: options.key }),
  });
  const summary = await readFile(summaryPath, 'utf8').catch(() => '');
  return { ...result, summary, logger };
}

function requestsSince(start: number): string[] {
  return github.requests.slice(start).map((r) => `${r.method} ${r.path.replace(/\?.*/, '')} ${r.status}`);
}

test('run twice: exactly one comment, created then updated in place', async () => {
  const { payload, number } = freshPullRequest();
  const ctx = context('pull_request', payload);
  const first = await publish({ ctx, report: violationReport() });
  assert.deepEqual(first.warnings, []);
  assert.equal(first.comments[0]?.action, 'created');
  const second = await publish({ ctx, report: passingReport() });
  assert.equal(second.comments[0]?.action, 'updated');
  const comments = github.comments(OWNER, REPO, number);
  assert.equal(comments.length, 1);
  assert.match(comments[0]!.body, /^<!-- immutag:[0-9a-f]{16} -->\n### ✅ immutag: Pushed: ready to deploy/);
  assert.equal(first.commentUrl, second.commentUrl);
  assert.equal(second.commentUrl, commentUrl(number, comments[0]!.id));
  assert.match(first.summary, /### ❌ immutag: Blocked/);
});

// Who the token is, asked once a marked comment is listed: an installation token cannot
// call GET /user, so GraphQL's viewer names its bot (comments.ts, loginOfToken).
const IDENTITY = ['GET /user 403', 'POST /graphql 200'];

test('the same report again leaves the comment untouched (no PATCH)', async () => {
  const { payload, number } = freshPullRequest();
  const ctx = context('pull_request', payload);
  await publish({ ctx });
  const start = github.requests.length;
  const again = await publish({ ctx });
  assert.equal(again.comments[0]?.action, 'unchanged');
  assert.deepEqual(requestsSince(start), [`GET /repos/${OWNER}/${REPO}/issues/${number}/comments 200`, ...IDENTITY]);
});

test('two comment keys keep two comments', async () => {
  const { payload, number } = freshPullRequest();
  const ctx = context('pull_request', payload);
  await publish({ ctx, key: 'images: api' });
  await publish({ ctx, key: 'images: worker' });
  await publish({ ctx, key: 'images: api', report: violationReport() });
  const comments = github.comments(OWNER, REPO, number);
  assert.equal(comments.length, 2);
  assert.ok(comments[0]!.body.startsWith(commentMarker('images: api')));
  assert.match(comments[0]!.body, /Blocked/);
  assert.ok(comments[1]!.body.startsWith(commentMarker('images: worker')));
});

test('a read-only token: a warning naming the permission, the summary still written, nothing thrown', async () => {
  const { payload, number } = freshPullRequest();
  const result = await publish({ ctx: context('pull_request', payload), token: READ_TOKEN });
  assert.equal(result.summaryWritten, true);
  assert.match(result.summary, /### ✅ immutag: Pushed: ready to deploy/);
  assert.equal(result.commentUrl, undefined);
  assert.equal(result.comments[0]?.action, 'failed');
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0]!, new RegExp(`could not comment on pull request #${number}: the token is not allowed to \\(403 Resource not accessible by integration\\)\\. Add \`permissions: pull-requests: write\``));
  assert.ok(result.logger.lines.some((l) => l.startsWith('warning: immutag could not comment')));
  assert.equal(github.comments(OWNER, REPO, number).length, 0);
});

test('a pull request from a fork: the warning says the token is read-only by design', async () => {
  const { payload } = freshPullRequest();
  payload.pull_request!.head!.repo = { full_name: 'someone-else/Hello-World' };
  const result = await publish({ ctx: context('pull_request', payload), token: READ_TOKEN });
  assert.match(result.warnings[0]!, /Pull requests from forks get a read-only token/);
  assert.equal(result.summaryWritten, true);
});

test('a bad token (401) is a warning about github-token', async () => {
  const { payload } = freshPullRequest();
  const result = await publish({ ctx: context('pull_request', payload), token: 'not-a-token' });
  assert.match(result.warnings[0]!, /401 Bad credentials\)\. Check the github-token input/);
});

test('no token: a warning, no request', async () => {
  const { payload } = freshPullRequest();
  const start = github.requests.length;
  const result = await publish({ ctx: context('pull_request', payload), token: '' });
  assert.match(result.warnings[0]!, /github-token input is empty/);
  assert.equal(github.requests.length, start);
});

test('3,000 findings: GitHub accepts the comment, which says how many rows were left out', async () => {
  const { payload, number } = freshPullRequest();
  const result = await publish({ ctx: context('pull_request', payload), report: manyFindingsReport(3000) });
  assert.deepEqual(result.warnings, []);
  const [comment] = github.comments(OWNER, REPO, number);
  assert.ok(Array.from(comment!.body).length <= BODY_LIMIT);
  assert.match(comment!.body, /more rows left out to keep this comment under GitHub's size limit: see the job summary/);
});

test('an oversized body (422) falls back to the short comment; without a fallback it is a warning', async () => {
  const logger = new MemoryLogger();
  const client = (): ReturnType<typeof createGitHubClient> =>
    createGitHubClient({ octokit: getOctokit, token: WRITE_TOKEN, baseUrl: github.url, logger, retryAfterBaseMs: 1, throttleId: randomUUID() });
  const marker = commentMarker('oversized');
  const huge = marker + '\n' + 'x'.repeat(BODY_LIMIT);
  const { number } = freshPullRequest();
  const existing = github.seedComment(OWNER, REPO, number, `${marker}\nprevious run`, { login: 'github-actions[bot]', type: 'Bot' });
  const withFallback = await upsertComment(client(), { owner: OWNER, repo: REPO, issueNumber: number, marker, body: huge, fallbackBody: `${marker}\nshort` }, logger);
  assert.equal(withFallback.action, 'updated');
  assert.deepEqual(github.comments(OWNER, REPO, number).map((c) => [c.id, c.body]), [[existing.id, `${marker}\nshort`]]);
  assert.ok(logger.lines.some((l) => /422 Validation Failed: body is too long \(maximum is 65536 characters\)\).*Posting a short comment instead/.test(l)));
  const { number: other } = freshPullRequest();
  const without = await upsertComment(client(), { owner: OWNER, repo: REPO, issueNumber: other, marker, body: huge }, logger);
  assert.equal(without.action, 'failed');
  assert.match(without.warning!, /could not comment on pull request #\d+: GitHub refused the request \(422 Validation Failed: body is too long/);
  assert.equal(github.comments(OWNER, REPO, other).length, 0);
});

test('5xx then success: the request is retried and the comment created once', async () => {
  const { payload, number } = freshPullRequest();
  github.failNext(502, 2, { method: 'POST', path: new RegExp(`/issues/${number}/comments$`) });
  const start = github.requests.length;
  const result = await publish({ ctx: context('pull_request', payload) });
  assert.deepEqual(result.warnings, []);
  assert.equal(result.comments[0]?.action, 'created');
  assert.deepEqual(requestsSince(start), [
    `GET /repos/${OWNER}/${REPO}/issues/${number}/comments 200`,
    `POST /repos/${OWNER}/${REPO}/issues/${number}/comments 502`,
    `POST /repos/${OWNER}/${REPO}/issues/${number}/comments 502`,
    `POST /repos/${OWNER}/${REPO}/issues/${number}/comments 201`,
    // After creating, a listing for a duplicate (a concurrent run's, or a POST whose answer was lost).
    `GET /repos/${OWNER}/${REPO}/issues/${number}/comments 200`,
    ...IDENTITY,
  ]);
  assert.equal(github.comments(OWNER, REPO, number).length, 1);
});

test('a create that was stored but answered 502: the retry\'s second comment is merged away, one stays', async () => {
  const { payload, number } = freshPullRequest();
  github.loseAnswerNext(502, 1, { method: 'POST', path: new RegExp(`/issues/${number}/comments$`) });
  const result = await publish({ ctx: context('pull_request', payload) });
  assert.deepEqual(result.warnings, []);
  const comments = github.comments(OWNER, REPO, number);
  assert.equal(comments.length, 1);
  assert.equal(result.commentUrl, commentUrl(number, comments[0]!.id));
  assert.ok(result.logger.lines.some((l) => /comment created: \S+ \(after this run created its comment, an older one of ours was found, from a run at the same time or a create GitHub stored twice; this run's report is in that one\)$/.test(l)), result.logger.lines.join('\n'));
});

for (const kind of ['primary', 'secondary'] as const) {
  test(`a ${kind} rate limit is waited out and the comment created once`, async () => {
    const { payload, number } = freshPullRequest();
    github.rateLimitNext(kind, 1, { method: 'POST', path: new RegExp(`/issues/${number}/comments$`) });
    const start = github.requests.length;
    const result = await publish({ ctx: context('pull_request', payload) });
    assert.equal(result.comments[0]?.action, 'created');
    assert.deepEqual(requestsSince(start).filter((r) => r.startsWith('POST /repos')), [
      `POST /repos/${OWNER}/${REPO}/issues/${number}/comments 403`,
      `POST /repos/${OWNER}/${REPO}/issues/${number}/comments 201`,
    ]);
    assert.equal(github.comments(OWNER, REPO, number).length, 1);
  });
}

test('5xx that does not stop: a warning after the retries, nothing thrown', async () => {
  const { payload, number } = freshPullRequest();
  github.failNext(503, 10, { path: new RegExp(`/issues/${number}/comments$`) });
  const start = github.requests.length;
  const result = await publish({ ctx: context('pull_request', payload) });
  assert.match(result.warnings[0]!, /could not read the comments of pull request #\d+: the GitHub API kept failing \(503/);
  assert.equal(requestsSince(start).length, 4, 'one request and three retries');
});

test('pagination: our comment on page 2 is found and updated, not duplicated', async () => {
  const { payload, number } = freshPullRequest();
  const ctx = context('pull_request', payload);
  for (let i = 0; i < 150; i++) github.seedComment(OWNER, REPO, number, `review comment ${i}`);
  await publish({ ctx, report: violationReport() });
  const start = github.requests.length;
  const second = await publish({ ctx });
  assert.equal(second.comments[0]?.action, 'updated');
  // Both pages, who the token is, then the comment read again right before it is written.
  assert.deepEqual(requestsSince(start).map((r) => r.split(' ').slice(0, 2).join(' ').replace(/\/repos\/.*/, '/repos/…')), ['GET /repos/…', 'GET /repos/…', 'GET /user', 'POST /graphql', 'GET /repos/…', 'PATCH /repos/…']);
  assert.ok(github.requests.slice(start).some((r) => r.path.includes('page=2')));
  assert.equal(github.comments(OWNER, REPO, number).length, 151);
});

test('a marker pasted by someone else is not ours: their comment is left alone', async () => {
  const { payload, number } = freshPullRequest();
  const ctx = context('pull_request', payload);
  const key = 'forged';
  const forged = github.seedComment(OWNER, REPO, number, `${commentMarker(key)}\nDeploy sha256:evil`, { login: 'mallory', type: 'User' });
  const result = await publish({ ctx, key });
  assert.equal(result.comments[0]?.action, 'created');
  const comments = github.comments(OWNER, REPO, number);
  assert.equal(comments.length, 2);
  assert.equal(comments.find((c) => c.id === forged.id)!.body, `${commentMarker(key)}\nDeploy sha256:evil`);
});

test('a personal access token finds the comment its own user wrote', async () => {
  const { payload, number } = freshPullRequest();
  const ctx = context('pull_request', payload);
  await publish({ ctx, token: PAT_TOKEN, report: violationReport() });
  const second = await publish({ ctx, token: PAT_TOKEN });
  assert.equal(second.comments[0]?.action, 'updated');
  assert.equal(github.comments(OWNER, REPO, number).length, 1);
  assert.equal(github.comments(OWNER, REPO, number)[0]!.user.login, 'octocat');
});

test('push: the open pull request whose head is the commit gets the comment', async () => {
  const pull = structuredClone(fixture('pull_request.opened.json').pull_request) as Record<string, unknown>;
  const number = nextPr++;
  github.setCommitPulls(OWNER, REPO, PUSHED_SHA, [
    { ...pull, number, state: 'open', head: { sha: PUSHED_SHA } },
    { ...pull, number: number + 1000, state: 'open', head: { sha: 'f'.repeat(40) } },
  ]);
  const result = await publish({ ctx: context('push', fixture('push.json')) });
  assert.deepEqual(result.warnings, []);
  assert.deepEqual(result.comments.map((c) => [c.issueNumber, c.action]), [[number, 'created']]);
  assert.equal(github.comments(OWNER, REPO, number + 1000).length, 0);
});

test('commit lookup keeps open pull requests at the commit and the one merged as it', async () => {
  const client = createGitHubClient({ octokit: getOctokit, token: WRITE_TOKEN, baseUrl: github.url, logger: new MemoryLogger(), retryAfterBaseMs: 1, throttleId: randomUUID() });
  const sha = 'a'.repeat(40);
  github.setCommitPulls(OWNER, REPO, sha, [
    { number: 1, state: 'open', head: { sha } },
    { number: 2, state: 'open', head: { sha: 'b'.repeat(40) } },
    { number: 3, state: 'closed', merged_at: '2024-05-01T10:00:00Z', merge_commit_sha: sha, head: { sha: 'c'.repeat(40) } },
    { number: 4, state: 'closed', merged_at: null, merge_commit_sha: sha, head: { sha } },
  ]);
  const lookup = await pullRequestsForCommit(client, OWNER, REPO, sha, new MemoryLogger());
  assert.deepEqual(lookup, { numbers: [1, 3] });
  const denied = await pullRequestsForCommit(createGitHubClient({ octokit: getOctokit, token: 'bad', baseUrl: github.url, logger: new MemoryLogger(), throttleId: randomUUID() }), OWNER, REPO, sha, new MemoryLogger());
  assert.deepEqual(denied.numbers, []);
  assert.match(denied.warning!, /could not find the pull requests of commit aaaaaaaaaaaa: the token was refused \(401/);
});

test('workflow_dispatch with comment: auto makes no API request; the summary is still written', async () => {
  const start = github.requests.length;
  const result = await publish({ ctx: context('workflow_dispatch', fixture('workflow_dispatch.json')) });
  assert.equal(github.requests.length, start);
  assert.deepEqual(result.comments, []);
  assert.equal(result.summaryWritten, true);
});

test('the stand-in returns issue comments with the fields of a real one', async () => {
  const real = (fixture('issue_comment.created.json') as { comment: Record<string, unknown> }).comment;
  const { number } = freshPullRequest();
  const client = createGitHubClient({ octokit: getOctokit, token: WRITE_TOKEN, baseUrl: github.url, logger: new MemoryLogger(), throttleId: randomUUID() });
  const created = await client.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: number, body: 'hello' });
  const missing = Object.keys(real).filter((k) => k !== 'reactions' && !(k in (created.data as Record<string, unknown>)));
  assert.deepEqual(missing, []);
});

test('two runs that both found no comment (a push and a pull_request event at once) leave one comment, with the newer run\'s report', async () => {
  const { payload, number } = freshPullRequest();
  // Both listings are answered together, empty: each run goes on to create a comment.
  github.holdLists(2);
  const [older, newer] = await Promise.all([
    publish({ ctx: context('pull_request', payload, { GITHUB_RUN_ID: '6000000001' }), report: passingReport() }),
    publish({ ctx: context('pull_request', payload, { GITHUB_RUN_ID: '6000000002' }), report: violationReport() }),
  ]);
  const comments = github.comments(OWNER, REPO, number);
  assert.equal(comments.length, 1, comments.map((c) => c.body.split('\n')[1]).join(' | '));
  assert.match(comments[0]!.body, /Blocked/);
  assert.match(comments[0]!.body, /<!-- immutag-run: 6000000002 -->/);
  const url = commentUrl(number, comments[0]!.id);
  assert.equal(older.commentUrl, url, 'each run names the comment that stayed');
  assert.equal(newer.commentUrl, url);
  // The next run updates that one comment in place.
  assert.equal((await publish({ ctx: context('pull_request', payload, { GITHUB_RUN_ID: '6000000003' }) })).comments[0]?.action, 'updated');
  assert.equal(github.comments(OWNER, REPO, number).length, 1);
});

test('a second comment the token may not delete (403): the run says so, names the comment that holds its report, and fails nothing', async () => {
  const { payload, number } = freshPullRequest();
  github.holdLists(2);
  // Whichever run creates first, every DELETE of the later comment is refused.
  github.failNext(403, 2, { method: 'DELETE' });
  const results = await Promise.all([
    publish({ ctx: context('pull_request', payload, { GITHUB_RUN_ID: '6100000001' }) }),
    publish({ ctx: context('pull_request', payload, { GITHUB_RUN_ID: '6100000002' }) }),
  ]).finally(() => github.clearFailures());
  const comments = github.comments(OWNER, REPO, number);
  assert.equal(comments.length, 2, 'the DELETE was refused');
  const oldest = commentUrl(number, comments[0]!.id);
  for (const r of results) assert.equal(r.commentUrl, oldest, 'both name the older comment, which holds the newer report');
  assert.match(comments[0]!.body, /immutag-run: 6100000002/);
  assert.ok(results.some((r) => r.warnings.length > 0), 'the refusal is told');
  const later = commentUrl(number, comments[1]!.id);
  for (const r of results) {
    // Which run tried the delete depends on which created first: the newer run (its own
    // report moved into the older comment), or the older run, "kept" (its own outdated comment).
    const outcome = r.comments[0]?.action === 'kept'
      ? `A newer run's report is in ${oldest}; this run's outdated comment stays until the next run, or delete it by hand.`
      : `This run's report is in ${oldest}; the next run tries again, or delete that comment by hand.`;
    for (const w of r.warnings) {
      assert.equal(w, `immutag could not delete the outdated immutag comment ${later} on pull request #${number}: GitHub refused (403 Injected failure). ${outcome}`);
    }
  }
});

/** Tests of concurrent runs and of the settling of duplicates: upsertComment as one run calls it. */
type ApiClient = ReturnType<typeof createGitHubClient>;
type Created = ReturnType<ApiClient['rest']['issues']['createComment']>;
const settleMarker = commentMarker('settle-key');
const settleRequest = (pr: number, run: string) => ({ owner: OWNER, repo: REPO, issueNumber: pr, marker: settleMarker, body: `${settleMarker}\nreport of run ${run}`, runId: run });
const runsShown = (pr: number): (string | undefined)[] => github.comments(OWNER, REPO, pr).map((c) => /report of run (\d+)/.exec(c.body)?.[1]);
const commentUrl = (pr: number, id: number): string => `https://github.com/${OWNER}/${REPO}/pull/${pr}#issuecomment-${id}`;
const apiClient = (): ApiClient =>
  createGitHubClient({ octokit: getOctokit, token: WRITE_TOKEN, baseUrl: github.url, logger: new MemoryLogger(), retryAfterBaseMs: 1, throttleId: randomUUID() });
const seedRun = (pr: number, run: string): void => {
  github.seedComment(OWNER, REPO, pr, `${settleMarker}\nreport of run ${run}\n<!-- immutag-run: ${run} -->\n`, { login: 'github-actions[bot]', type: 'Bot' });
};

/** The client, with `around` in place of its createComment (`create` calls the real one). */
function aroundCreate(client: ApiClient, around: (create: () => Created) => Created): ApiClient {
  const create = client.rest.issues.createComment;
  (client.rest.issues as { createComment: unknown }).createComment = (params: Parameters<typeof create>[0]) => around(() => create(params));
  return client;
}

/** The client, running `then` once its comment listing has read every page. */
function afterListing(client: ApiClient, then: () => Promise<void>): ApiClient {
  const iterator = client.paginate.iterator;
  (client.paginate as { iterator: unknown }).iterator = (...args: Parameters<typeof iterator>) => (async function* () {
    yield* iterator(...args);
    await then();
  })();
  return client;
}

/** A run whose first listing found nothing, and which creates its comment just after an older run created one. */
function racingRun(pr: number, olderRun: string): ApiClient {
  return aroundCreate(apiClient(), async (create) => {
    seedRun(pr, olderRun);
    return create();
  });
}

test('an older run whose comment yields to a newer run\'s says its report was kept out, as an update would', async () => {
  const { number } = freshPullRequest();
  const marker = commentMarker('yield-key');
  const request = (run: string) => ({ owner: OWNER, repo: REPO, issueNumber: number, marker, body: `${marker}\nreport of run ${run}`, runId: run });
  // Both list first; the newer run creates its comment before the older one does.
  github.holdLists(2);
  let newerCreated!: () => void;
  const created = new Promise<void>((resolve) => {
    newerCreated = resolve;
  });
  const older = aroundCreate(apiClient(), async (create) => {
    await created;
    return create();
  });
  const newer = aroundCreate(apiClient(), async (create) => {
    const res = await create();
    newerCreated();
    return res;
  });
  const [a, b] = await Promise.all([
    upsertComment(older, request('7000000001'), new MemoryLogger()),
    upsertComment(newer, request('7000000002'), new MemoryLogger()),
  ]);
  assert.equal(b.action, 'created');
  assert.equal(a.action, 'kept');
  assert.match(a.note ?? '', /run 7000000002, newer than this one \(7000000001\), wrote its report, which stays/);
  assert.equal(a.url, b.url);
  const comments = github.comments(OWNER, REPO, number);
  assert.equal(comments.length, 1);
  assert.match(comments[0]!.body, /report of run 7000000002/);
});


test('the move into the older comment refused: the warning says which comment holds this run\'s report, and the next run leaves one', async () => {
  const pr = nextPr++;
  github.failNext(403, 1, { method: 'PATCH' });
  const res = await upsertComment(racingRun(pr, '1000'), settleRequest(pr, '3000'), new MemoryLogger());
  assert.deepEqual(runsShown(pr), ['1000', '3000']);
  const [older, mine] = github.comments(OWNER, REPO, pr).map((c) => commentUrl(pr, c.id));
  assert.equal(res.action, 'created');
  assert.equal(res.url, mine);
  assert.match(res.warning ?? '', new RegExp(`This run's report is in ${mine!.replaceAll('/', '\\/')}; ${older!.replaceAll('/', '\\/')} holds an earlier run's report, and the next run replaces it\\.$`));
  // A slower run older than 3000 leaves both as they are: a newer run's report is listed.
  assert.equal((await upsertComment(apiClient(), settleRequest(pr, '2000'), new MemoryLogger())).action, 'kept');
  assert.deepEqual(runsShown(pr), ['1000', '3000']);
  const next = await upsertComment(apiClient(), settleRequest(pr, '4000'), new MemoryLogger());
  assert.deepEqual({ action: next.action, warning: next.warning, shown: runsShown(pr) }, { action: 'updated', warning: undefined, shown: ['4000'] });
});

test('a duplicate left by a refused DELETE is deleted by the next run, which shows one verdict again', async () => {
  const pr = nextPr++;
  github.failNext(403, 1, { method: 'DELETE' });
  const first = await upsertComment(racingRun(pr, '1000'), settleRequest(pr, '2000'), new MemoryLogger());
  assert.equal(first.action, 'updated');
  assert.match(first.warning ?? '', /^immutag could not delete the outdated immutag comment \S+ on pull request #\d+: GitHub refused \(403/);
  assert.deepEqual(runsShown(pr), ['2000', '2000']);
  const next = await upsertComment(apiClient(), settleRequest(pr, '3000'), new MemoryLogger());
  assert.deepEqual({ action: next.action, warning: next.warning, shown: runsShown(pr) }, { action: 'updated', warning: undefined, shown: ['3000'] });
});

test('the older comment deleted between the listing and the move (404): this run\'s comment is the one left, with no warning', async () => {
  const pr = nextPr++;
  const client = racingRun(pr, '1000');
  const update = client.rest.issues.updateComment;
  (client.rest.issues as { updateComment: unknown }).updateComment = async (params: Parameters<typeof update>[0]) => {
    await apiClient().rest.issues.deleteComment({ owner: OWNER, repo: REPO, comment_id: params!.comment_id });
    return update(params);
  };
  const res = await upsertComment(client, settleRequest(pr, '3000'), new MemoryLogger());
  assert.deepEqual(runsShown(pr), ['3000']);
  assert.deepEqual({ action: res.action, warning: res.warning }, { action: 'created', warning: undefined });
});

test('a run whose listing is overtaken by a newer run\'s update reads the comment again before writing: the newer report stays', async () => {
  // Found by a review helper. The older run lists (the comment holds run 1000), then
  // run 3000 updates the comment; before, the older run wrote over it from its listing.
  const pr = nextPr++;
  seedRun(pr, '1000');
  let newerDone!: () => void;
  const done = new Promise<void>((resolve) => {
    newerDone = resolve;
  });
  const older = afterListing(apiClient(), () => done);
  github.holdLists(2);
  const [a, b] = await Promise.all([
    upsertComment(older, settleRequest(pr, '2000'), new MemoryLogger()),
    upsertComment(apiClient(), settleRequest(pr, '3000'), new MemoryLogger()).finally(() => newerDone()),
  ]);
  assert.equal(b.action, 'updated');
  assert.deepEqual({ older: a.action, shown: runsShown(pr) }, { older: 'kept', shown: ['3000'] });
});

test('every older comment deleted before the move, a third one listed: this run\'s comment is the one left', async () => {
  // Found by a review helper: with three comments listed, a 404 on the move left the third.
  const pr = nextPr++;
  const client = aroundCreate(apiClient(), async (create) => {
    seedRun(pr, '1000');
    seedRun(pr, '1000');
    return create();
  });
  const update = client.rest.issues.updateComment;
  (client.rest.issues as { updateComment: unknown }).updateComment = async (params: Parameters<typeof update>[0]) => {
    await apiClient().rest.issues.deleteComment({ owner: OWNER, repo: REPO, comment_id: params!.comment_id });
    return update(params);
  };
  const res = await upsertComment(client, settleRequest(pr, '3000'), new MemoryLogger());
  assert.deepEqual({ action: res.action, warning: res.warning, shown: runsShown(pr) }, { action: 'created', warning: undefined, shown: ['3000'] });
});

test('a comment a maintainer edited so it lost the marker is not ours any more: not written over, and a newer report listed as old is not deleted', async () => {
  // Found by a review helper. Run 2000 lists two comments of run 1000; then a maintainer
  // edits the first (no marker: run 3000 lists only the second, and writes it).
  const pr = nextPr++;
  seedRun(pr, '1000');
  seedRun(pr, '1000');
  const older = afterListing(apiClient(), async () => {
    github.comments(OWNER, REPO, pr)[0]!.body = 'Edited by a maintainer: this old report was wrong.';
    assert.equal((await upsertComment(apiClient(), settleRequest(pr, '3000'), new MemoryLogger())).action, 'updated');
  });
  const res = await upsertComment(older, settleRequest(pr, '2000'), new MemoryLogger());
  assert.equal(res.action, 'kept');
  assert.deepEqual(runsShown(pr), [undefined, '3000']);
  assert.equal(github.comments(OWNER, REPO, pr)[0]!.body, 'Edited by a maintainer: this old report was wrong.');
});

test('a kept run that may not delete its own new comment (403) says where the newer report is, and that its own stays', async () => {
  const pr = nextPr++;
  github.failNext(403, 1, { method: 'DELETE' });
  const res = await upsertComment(racingRun(pr, '3000'), settleRequest(pr, '2000'), new MemoryLogger()).finally(() => github.clearFailures());
  assert.equal(res.action, 'kept');
  assert.deepEqual(runsShown(pr), ['3000', '2000']);
  const [newer] = github.comments(OWNER, REPO, pr).map((c) => commentUrl(pr, c.id));
  assert.match(res.warning ?? '', new RegExp(`GitHub refused \\(403 Injected failure\\)\\. A newer run's report is in ${newer!.replaceAll('/', '\\/')}; this run's outdated comment stays until the next run, or delete it by hand\\.$`));
});

test('a run whose new comment a newer run already deleted as outdated says "kept" and names the comment that stayed', async () => {
  // The newer run's comment exists (seeded), this run creates its own, and the newer run
  // settles before this run lists again: this run's comment is gone by then.
  const pr = nextPr++;
  const client = aroundCreate(apiClient(), async (create) => {
    seedRun(pr, '3000');
    const res = await create();
    assert.equal((await upsertComment(apiClient(), settleRequest(pr, '3000'), new MemoryLogger())).action, 'unchanged');
    return res;
  });
  const res = await upsertComment(client, settleRequest(pr, '2000'), new MemoryLogger());
  const comments = github.comments(OWNER, REPO, pr);
  assert.deepEqual(runsShown(pr), ['3000']);
  assert.deepEqual({ action: res.action, url: res.url }, { action: 'kept', url: commentUrl(pr, comments[0]!.id) });
});

test('a run older than the one that wrote the comment does not replace its report: the newer push\'s verdict stays', async () => {
  const { payload, number } = freshPullRequest();
  const newer = await publish({ ctx: context('pull_request', payload, { GITHUB_RUN_ID: '5000000002' }), report: violationReport() });
  assert.equal(newer.comments[0]?.action, 'created');
  // The first push's run, slower, finishes last.
  const older = await publish({ ctx: context('pull_request', payload, { GITHUB_RUN_ID: '5000000001' }), report: passingReport() });
  assert.equal(older.comments[0]?.action, 'kept');
  assert.ok(older.logger.lines.some((l) => /run 5000000002.*newer/.test(l)), older.logger.lines.join('\n'));
  const comments = github.comments(OWNER, REPO, number);
  assert.equal(comments.length, 1);
  assert.match(comments[0]!.body, /Blocked/);
  // The same run again (a re-run attempt) and a later run update it.
  assert.equal((await publish({ ctx: context('pull_request', payload, { GITHUB_RUN_ID: '5000000002', GITHUB_RUN_ATTEMPT: '2' }), report: passingReport() })).comments[0]?.action, 'updated');
  assert.equal((await publish({ ctx: context('pull_request', payload, { GITHUB_RUN_ID: '5000000003' }), report: violationReport() })).comments[0]?.action, 'updated');
  assert.match(github.comments(OWNER, REPO, number)[0]!.body, /Blocked/);
});
