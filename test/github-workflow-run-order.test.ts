// Comments written from `workflow_run` runs (the documented way to comment on a fork's
// pull request with a write token). A review found two wrong results, now fixed:
// 1. Ordering. comments.ts keeps "the verdict of the latest run" by comparing run ids.
//    A workflow_run run is created when the run it follows *completes*, so its own id
//    orders by completion, exactly the "runs finish out of order" case comments.ts guards:
//    the follow-up of the older, slower build overwrote the newer build's report. The
//    followed run's id now orders them (context.ts reportOrder).
// 2. The report named GITHUB_SHA as the commit, which for workflow_run is the default
//    branch's tip, not workflow_run.head_sha that was built.
import { getOctokit } from '@actions/github';
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MemoryLogger } from '../src/log.ts';
import { runContext, runInfo, type EventPayload } from '../src/github/context.ts';
import { publishReport } from '../src/github/publish.ts';
import { renderComment } from '../src/report/comment.ts';
import { startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from './support/github-server.ts';
import { passingReport, violationReport } from './support/sample-report.ts';

const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const MAIN_TIP = '1111111111111111111111111111111111111111';
const OLD_HEAD = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const NEW_HEAD = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
let github: GitHubStandIn;
before(async () => { github = await startGitHubStandIn(); });
after(async () => { await github.close(); });

function followUp(runId: string, triggering: { id: number; headSha: string }, pr: number) {
  const payload = {
    workflow_run: { id: triggering.id, head_sha: triggering.headSha, pull_requests: [{ number: pr }] },
  } as unknown as EventPayload;
  return runContext({
    GITHUB_EVENT_NAME: 'workflow_run', GITHUB_REPOSITORY: `${OWNER}/${REPO}`, GITHUB_SHA: MAIN_TIP,
    GITHUB_WORKFLOW: 'Image report', GITHUB_RUN_ID: runId, GITHUB_API_URL: github.url,
  }, payload);
}

async function publish(ctx: ReturnType<typeof followUp>, report = passingReport()) {
  return publishReport({
    report: { ...report, run: runInfo(ctx) }, context: ctx, comment: 'auto', token: WRITE_TOKEN, logger: new MemoryLogger(),
    client: { retryAfterBaseMs: 1, throttleId: randomUUID() }, octokit: getOctokit,
  });
}

test('workflow_run: the follow-up of an older build that finished last does not overwrite the newer build\'s report', async () => {
  const pr = 4701;
  // Build of the newer commit (run 900) finished first: its follow-up is run 1000, verdict: blocked.
  const newer = await publish(followUp('1000', { id: 900, headSha: NEW_HEAD }, pr), violationReport());
  assert.equal(newer.comments[0]?.action, 'created');
  // Build of the older commit (run 800) finished later: its follow-up gets the larger id 1001.
  const older = await publish(followUp('1001', { id: 800, headSha: OLD_HEAD }, pr), passingReport());
  const body = github.comments(OWNER, REPO, pr)[0]!.body;
  assert.equal(older.comments[0]?.action, 'kept', `the older commit's report replaced the newer one: action ${older.comments[0]?.action}`);
  assert.match(body, /Blocked/, 'the pull request must still show the newer commit\'s (failing) verdict');
});

test('workflow_run: the report names the commit that was built (workflow_run.head_sha), not the default branch tip', () => {
  const ctx = followUp('1000', { id: 900, headSha: NEW_HEAD }, 1);
  const body = renderComment({ ...passingReport(), run: runInfo(ctx) }, { marker: '<!-- m -->' });
  assert.ok(!body.includes(MAIN_TIP.slice(0, 7)), `the comment names the default branch tip ${MAIN_TIP.slice(0, 7)} as the commit:\n${body.split('\n').find((l) => l.includes('commit'))}`);
  assert.ok(body.includes(NEW_HEAD.slice(0, 7)), 'the comment should name the built commit');
});
