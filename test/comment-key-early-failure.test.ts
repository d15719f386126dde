// Found by a review, fixed since: a run that failed before the gate (the image file
// missing, a build step failed) had no tag rows in its report, so its default comment
// key was the workflow name alone: it wrote a second comment, and the previous run's
// "✅ ready to deploy" comment stayed on the pull request. The key now comes from the
// `tags` input, so one comment per pull request shows the latest verdict.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runAction } from './support/action-runner.ts';
import { startGitHubStandIn, WRITE_TOKEN } from './support/github-server.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const reg = await useRegistry({ auth: 'htpasswd' });
let image: BuiltImage;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'review-pr-key-'));
  image = await buildImage({ files: { '/app/id': `early ${Date.now()}` } });
});
after(async () => {
  await removeLayout(image);
  await rm(work, { recursive: true, force: true });
});

function env(apiUrl: string, runId: string): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: fixture('github/pull_request.opened.json'),
    GITHUB_API_URL: apiUrl, GITHUB_REPOSITORY: 'Codertocat/Hello-World', GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    GITHUB_WORKFLOW: 'image', GITHUB_RUN_ID: runId, GITHUB_SERVER_URL: 'https://github.com',
  };
}

test('a later run that fails before the gate replaces the pull request\'s comment: no stale "ready to deploy" is left beside it', async () => {
  const github = await startGitHubStandIn();
  try {
    const common = { username: reg.username, password: reg.password, 'insecure-registries': reg.host, scan: 'none', comment: 'auto', 'github-token': WRITE_TOKEN };
    const first = await runAction({ ...common, tags: `${reg.host}/early/app:pr-2-a`, image: image.layout }, env(github.url, '500'));
    assert.equal(first.code, 0, first.stdout);
    // The next push to the pull request: its build produced no image file.
    const second = await runAction({ ...common, tags: `${reg.host}/early/app:pr-2-b`, image: join(work, 'missing.tar') }, env(github.url, '501'));
    assert.notEqual(second.code, 0, 'the job fails');
    assert.equal(second.outputs['result'], 'error');
    const comments = github.comments('Codertocat', 'Hello-World', 2);
    const passing = comments.filter((c) => c.body.includes('ready to deploy'));
    assert.deepEqual(passing.map((c) => c.body.split('\n')[1]), [], 'the newer run failed: no comment may still offer the older digest as ready to deploy');
    assert.equal(comments.length, 1, 'one immutag comment per pull request');
    assert.match(comments[0]!.body, /Could not finish/);
  } finally {
    await github.close();
  }
});
