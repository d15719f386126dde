// Found by a review: ownComments() counts every comment whose author has type "Bot" as ours, so a
// comment another GitHub App (another bot account) wrote is edited, deleted, or, when it
// carries a forged run line, kept as "a newer run's report" in place of this run's verdict.
import { getOctokit } from '@actions/github';
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MemoryLogger } from '../src/log.ts';
import { commentMarker } from '../src/report/comment.ts';
import { runContext, readEventPayload } from '../src/github/context.ts';
import { publishReport } from '../src/github/publish.ts';
import { startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from './support/github-server.ts';
import { passingReport } from './support/sample-report.ts';
import { fileURLToPath } from 'node:url';

const OWNER = 'Codertocat';
const REPO = 'Hello-World';
let github: GitHubStandIn;
before(async () => { github = await startGitHubStandIn(); });
after(async () => { await github.close(); });

function ctxFor(number: number) {
  const payload = readEventPayload(fileURLToPath(new URL('./fixtures/github/pull_request.opened.json', import.meta.url)));
  payload.number = number;
  payload.pull_request!.number = number;
  return runContext({
    GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: `${OWNER}/${REPO}`, GITHUB_SHA: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    GITHUB_WORKFLOW: 'Release image', GITHUB_RUN_ID: '4242424242', GITHUB_API_URL: github.url,
  }, payload);
}

function publish(number: number, key: string) {
  return publishReport({
    report: passingReport(), context: ctxFor(number), comment: 'auto', token: WRITE_TOKEN, logger: new MemoryLogger(),
    client: { retryAfterBaseMs: 1, throttleId: randomUUID() }, octokit: getOctokit, commentKey: key,
  });
}

test('a comment another bot wrote with our marker is not edited', async () => {
  const key = 'k1';
  const other = github.seedComment(OWNER, REPO, 501, `${commentMarker(key)}\nDeploy sha256:evil`, { login: 'echo-app[bot]', type: 'Bot' });
  const result = await publish(501, key);
  const after = github.comments(OWNER, REPO, 501).find((c) => c.id === other.id)!;
  assert.equal(after.body, `${commentMarker(key)}\nDeploy sha256:evil`, `another app's comment was ${result.comments[0]?.action}`);
});

test('another bot\'s comment with a forged run line does not stand in for this run\'s report', async () => {
  const key = 'k2';
  github.seedComment(OWNER, REPO, 502, `${commentMarker(key)}\n### ✅ immutag: Pushed: ready to deploy\n\nDeploy sha256:evil\n<!-- immutag-run: 99999999999999 -->\n`, { login: 'echo-app[bot]', type: 'Bot' });
  const result = await publish(502, key);
  assert.notEqual(result.comments[0]?.action, 'kept', `this run's report was kept out: ${result.comments[0]?.note}`);
});
