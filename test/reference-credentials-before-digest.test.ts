// Found by a review: the user:password@ refusal (reference.ts refuseCredentials) looked only
// at the LAST "@" of a reference. A reference pinned by digest has its own "@sha256:…"
// after the userinfo, so the check sees "sha256:…" (no "/") and lets the reference
// through to the ordinary parser, whose "Invalid image reference" message quotes the
// whole input, password included. Nothing registered that password as a secret, so it
// reaches the CLI's stderr/--json and the Action's log, summary and pull-request comment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runAction, runCli } from './support/action-runner.ts';
import { startGitHubStandIn, WRITE_TOKEN } from './support/github-server.ts';
import { parseReference } from '../src/reference.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const PASSWORD = 'Sup3rS3cretPassw0rd';
const DIGEST = `sha256:${'a'.repeat(64)}`;

function pullRequestEnv(apiUrl: string): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: fixture('github/pull_request.opened.json'),
    GITHUB_API_URL: apiUrl, GITHUB_REPOSITORY: 'Codertocat/Hello-World', GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    GITHUB_WORKFLOW: 'image', GITHUB_RUN_ID: '7', GITHUB_SERVER_URL: 'https://github.com',
  };
}

function assertNoPassword(where: string, text: string): void {
  const lines = text.split('\n').filter((l) => l.includes(PASSWORD));
  assert.equal(lines.length, 0, `${where} quotes the password:\n${lines.join('\n')}`);
}

for (const ref of [
  `ci-bot:${PASSWORD}@registry.example.com/acme/api@${DIGEST}`,
  `ci-bot:${PASSWORD}@registry.example.com/acme/api:1.0@${DIGEST}`,
  `https://ci-bot:${PASSWORD}@registry.example.com/acme/api:1.0@${DIGEST}`,
]) {
  test(`parseReference refuses ${ref.replace(PASSWORD, '<password>')} without quoting the password`, () => {
    assert.throws(() => parseReference(ref), (err: Error) => {
      assert.ok(!err.message.includes(PASSWORD), `the message quotes the password: ${err.message}`);
      return true;
    });
  });
}

test('CLI: a digest-pinned reference with user:password@ - stderr and --json must not quote the password', async () => {
  const r = await runCli(['check', `ci-bot:${PASSWORD}@registry.example.com/acme/api:1.0@${DIGEST}`, '--json']);
  assert.equal(r.code, 2, r.stderr);
  assertNoPassword('stderr', r.stderr);
  assertNoPassword('--json', r.stdout);
});

test('Action: a digest-pinned tag with user:password@ - comment, summary, outputs and log must not quote the password', async () => {
  const github = await startGitHubStandIn();
  try {
    const r = await runAction({ tags: `ci-bot:${PASSWORD}@registry.example.com/acme/api:1.0@${DIGEST}`, comment: 'auto', 'github-token': WRITE_TOKEN, scan: 'none' },
      pullRequestEnv(github.url));
    assert.equal(r.outputs['result'], 'error', r.stdout);
    for (const c of github.comments('Codertocat', 'Hello-World', 2)) assertNoPassword('the pull-request comment', c.body);
    assertNoPassword('the job summary', r.summary);
    assertNoPassword('the outputs', JSON.stringify(r.outputs));
    // The runner would not mask it either: the password was never given to setSecret.
    assertNoPassword('the log', r.stdout + r.stderr);
  } finally {
    await github.close();
  }
});

test('an @ not followed by a digest hides what comes before it, wherever the parser would have stopped', () => {
  for (const [ref, shown] of [
    [`ci-bot:${PASSWORD}@registry.example.com`, '***@registry.example.com'],
    [`ci-bot:${PASSWORD}@registry.example.com:5000`, '***@registry.example.com:5000'],
    [`ci-bot:${PASSWORD}$!@registry`, '***@registry'], // the password would have been read as an invalid tag and quoted
    [`ci-bot:pass@${PASSWORD}@registry.example.com/acme/api`, '***@registry.example.com/acme/api'],
  ]) {
    assert.throws(() => parseReference(ref!), (err: Error) => {
      assert.ok(!err.message.includes(PASSWORD), `the message quotes the password: ${err.message}`);
      assert.ok(err.message.includes(`"${shown}"`), err.message);
      return true;
    });
  }
  // A digest's own @ stays, and its mistakes are still named.
  assert.throws(() => parseReference('ghcr.io/acme/api@sha256:abc'), /digest "sha256:abc"/);
  assert.throws(() => parseReference('ghcr.io/acme/api@'), /digest ""/);
});
