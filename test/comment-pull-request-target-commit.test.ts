// Found by a review, fixed since: pull_request_target runs in the base branch's context:
// GITHUB_SHA is the last commit of the base branch (what actions/checkout checks out by
// default), not a test merge commit of the pull request, yet the comment's run line
// named the pull request's head "built as merge commit" of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readEventPayload, runContext, runInfo } from '../src/github/context.ts';
import { commentMarker, renderComment } from '../src/report/comment.ts';
import { passingReport } from './support/sample-report.ts';

const payload = readEventPayload(fileURLToPath(new URL('./fixtures/github/pull_request.opened.json', import.meta.url)));
const BASE_TIP = (payload.pull_request as unknown as { base: { sha: string } }).base.sha;
const HEAD = payload.pull_request!.head!.sha!;

test('pull_request_target: the run line names the base commit that ran, never as the pull request\'s merge commit', () => {
  const ctx = runContext({
    GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_REPOSITORY: 'Codertocat/Hello-World', GITHUB_SHA: BASE_TIP,
    GITHUB_WORKFLOW: 'image', GITHUB_RUN_ID: '900', GITHUB_SERVER_URL: 'https://github.com',
  }, payload);
  const report = { ...passingReport(), run: runInfo(ctx) };
  const body = renderComment(report, { marker: commentMarker('k') });
  const runLine = body.split('\n').find((l) => l.includes('pull_request_target'))!;
  assert.ok(runLine !== undefined, body);
  assert.doesNotMatch(runLine, /merge commit/, `${BASE_TIP.slice(0, 7)} is the base branch's tip, not a merge commit: ${runLine}`);
  assert.doesNotMatch(runLine, new RegExp(`commit \\[\`${HEAD.slice(0, 7)}\`\\]`), `the pull request head ${HEAD.slice(0, 7)} is not what ran: ${runLine}`);
});
