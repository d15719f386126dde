// A credential pasted where a registry name belongs - userinfo in a tag reference
// (`user:password@host/repo:tag`, the URL habit) or in insecure-registries - is a
// secret the user handed immutag by mistake. immutag refuses both, as it should, but
// its refusal must not quote the password: the error reaches the log, the job
// summary, the pull-request comment (which no runner masks) and --json. docker says
// "invalid reference format" without quoting; immutag says what is wrong and shows the
// reference with its userinfo as ***, and an insecure-registries entry is refused for
// its "@" before anything else is read from it (a `/` in the password once cut it first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runAction, runCli } from './support/action-runner.ts';
import { startGitHubStandIn, WRITE_TOKEN } from './support/github-server.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));

function pullRequestEnv(apiUrl: string): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: fixture('github/pull_request.opened.json'),
    GITHUB_API_URL: apiUrl, GITHUB_REPOSITORY: 'Codertocat/Hello-World', GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    GITHUB_WORKFLOW: 'image', GITHUB_RUN_ID: '7', GITHUB_SERVER_URL: 'https://github.com',
  };
}

const PASSWORD = 'Sup3rS3cretPassw0rd';

function assertNoPassword(where: string, text: string, password = PASSWORD): void {
  // Case-insensitively: insecure-registries entries are lowercased before they are quoted.
  const found = (line: string) => line.toLowerCase().includes(password.toLowerCase());
  assert.ok(!found(text), `${where} quotes the password ${JSON.stringify(password)}:\n${text.split('\n').filter(found).join('\n')}`);
}

test('a tag reference with user:password@ is refused without quoting the password: CLI stderr and --json', async () => {
  const r = await runCli(['check', `ci-bot:${PASSWORD}@registry.example.com/acme/api:1.0`, '--json']);
  assert.equal(r.code, 2, r.stderr);
  assertNoPassword('stderr', r.stderr);
  assertNoPassword('--json', r.stdout);
  assert.match(r.stderr, /Invalid image reference "\*\*\*@registry\.example\.com\/acme\/api:1\.0": it holds credentials/);
});

test('a tag reference with user:password@ is refused without quoting the password: the Action\'s comment, summary, outputs and log', async () => {
  const github = await startGitHubStandIn();
  try {
    const r = await runAction({ tags: `https://ci-bot:${PASSWORD}@registry.example.com/acme/api:1.0`, comment: 'auto', 'github-token': WRITE_TOKEN, scan: 'none' },
      pullRequestEnv(github.url));
    assert.equal(r.outputs['result'], 'error', r.stdout);
    const comments = github.comments('Codertocat', 'Hello-World', 2);
    // The pull-request comment is posted through the API: no runner masking applies there.
    for (const c of comments) assertNoPassword('the pull-request comment', c.body);
    assertNoPassword('the job summary', r.summary);
    assertNoPassword('the outputs', JSON.stringify(r.outputs));
    assertNoPassword('the log', r.stdout + r.stderr);
  } finally {
    await github.close();
  }
});

test('an insecure-registries entry with user:password@ is refused without quoting any of the password, `/` in it or not', async () => {
  const password = 'Sup3rS3cret/Passw0rd';
  const r = await runCli(['check', 'registry.example.com/acme/api:1.0', '--insecure-registry', `ci-bot:${password}@registry.example.com:5000`, '--json']);
  assert.equal(r.code, 2, r.stderr);
  for (const part of [password, password.split('/')[0]!]) {
    assertNoPassword('stderr', r.stderr, part);
    assertNoPassword('--json', r.stdout, part);
  }
});
