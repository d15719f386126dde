import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  commentTarget, mergeQueuePullRequest, readEventPayload, runContext, runInfo,
  type CommentMode, type CommentTarget, type EventPayload,
} from '../src/github/context.ts';
import { ImmutagError } from '../src/errors.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/github/${name}`, import.meta.url));

function env(eventName: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_SHA: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    GITHUB_REF: 'refs/heads/master',
    GITHUB_WORKFLOW: 'Release image',
    GITHUB_RUN_ID: '4242424242',
    GITHUB_RUN_NUMBER: '87',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    ...extra,
  };
}

test('comment targets for real event payloads', () => {
  const cases: { event: string; file: string; mode: CommentMode; expected: CommentTarget['kind']; numbers?: number[]; sha?: string }[] = [
    { event: 'pull_request', file: 'pull_request.opened.json', mode: 'auto', expected: 'pull-requests', numbers: [2] },
    { event: 'pull_request_target', file: 'pull_request.opened.json', mode: 'auto', expected: 'pull-requests', numbers: [2] },
    { event: 'pull_request', file: 'pull_request.opened.json', mode: 'always', expected: 'pull-requests', numbers: [2] },
    { event: 'pull_request', file: 'pull_request.opened.json', mode: 'never', expected: 'none' },
    { event: 'merge_group', file: 'merge_group.checks_requested.json', mode: 'auto', expected: 'pull-requests', numbers: [104] },
    { event: 'push', file: 'push.json', mode: 'auto', expected: 'commit', sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246' },
    { event: 'push', file: 'push.tag-deleted.json', mode: 'auto', expected: 'none' },
    { event: 'push', file: 'push.tag-deleted.json', mode: 'always', expected: 'none' },
    { event: 'workflow_dispatch', file: 'workflow_dispatch.json', mode: 'auto', expected: 'none' },
    { event: 'workflow_dispatch', file: 'workflow_dispatch.json', mode: 'always', expected: 'commit', sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246' },
  ];
  for (const c of cases) {
    const ctx = runContext(env(c.event), readEventPayload(fixture(c.file)));
    const target = commentTarget(ctx, c.mode);
    const label = `${c.event} ${c.file} ${c.mode}`;
    assert.equal(target.kind, c.expected, label);
    if (target.kind === 'pull-requests') assert.deepEqual(target.numbers, c.numbers, label);
    if (target.kind === 'commit') assert.equal(target.sha, c.sha, label);
  }
});

test('a tag push comments only with comment: always', () => {
  const payload: EventPayload = { ...readEventPayload(fixture('push.json')), ref: 'refs/tags/v1.4.0' };
  const ctx = runContext(env('push', { GITHUB_REF: 'refs/tags/v1.4.0' }), payload);
  assert.equal(commentTarget(ctx, 'auto').kind, 'none');
  assert.equal(commentTarget(ctx, 'always').kind, 'commit');
});

test('run context from the environment and a pull_request payload', () => {
  const ctx = runContext(env('pull_request', { GITHUB_RUN_ATTEMPT: '2' }), readEventPayload(fixture('pull_request.opened.json')));
  assert.equal(ctx.owner, 'Codertocat');
  assert.equal(ctx.repo, 'Hello-World');
  assert.equal(ctx.headSha, 'ec26c3e57ca3a959ca5aad62de7213c562f8c821');
  assert.equal(ctx.runUrl, 'https://github.com/Codertocat/Hello-World/actions/runs/4242424242/attempts/2');
  assert.equal(ctx.fromFork, false);
  assert.deepEqual(runInfo(ctx), {
    serverUrl: 'https://github.com',
    event: 'pull_request',
    repository: 'Codertocat/Hello-World',
    sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    runUrl: 'https://github.com/Codertocat/Hello-World/actions/runs/4242424242/attempts/2',
    runNumber: 87,
    runAttempt: 2,
    workflow: 'Release image',
  });
});

test('a pull request from a fork is recognised (derived from the real payload: head repo changed)', () => {
  const payload = readEventPayload(fixture('pull_request.opened.json'));
  const fork = structuredClone(payload);
  fork.pull_request!.head!.repo = { full_name: 'someone-else/Hello-World' };
  assert.equal(runContext(env('pull_request'), fork).fromFork, true);
  const deletedFork = structuredClone(payload);
  deletedFork.pull_request!.head!.repo = null;
  assert.equal(runContext(env('pull_request'), deletedFork).fromFork, true);
});

test('outside Actions: no payload, the repository from nothing, no comment target', () => {
  const ctx = runContext({}, readEventPayload(undefined));
  assert.equal(ctx.owner, '');
  assert.equal(ctx.apiUrl, 'https://api.github.com');
  assert.equal(ctx.runUrl, undefined);
  assert.equal(commentTarget(ctx, 'auto').kind, 'none');
  assert.equal(commentTarget(ctx, 'always').kind, 'none');
});

test('an unreadable or malformed payload is an INVALID_INPUT error', () => {
  assert.throws(() => readEventPayload('/nonexistent/event.json'), (e: unknown) => e instanceof ImmutagError && e.code === 'INVALID_INPUT');
  assert.throws(() => readEventPayload(fileURLToPath(new URL('./fixtures/github/README.md', import.meta.url))), (e: unknown) => e instanceof ImmutagError && e.code === 'INVALID_INPUT');
});

test('merge queue branch names', () => {
  const cases: { ref: string | undefined; expected: number | undefined }[] = [
    { ref: 'refs/heads/gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64', expected: 104 },
    { ref: 'gh-readonly-queue/release/1.x/pr-7-929f8209d40f77f4abc622a499c93a83babdbe64', expected: 7 },
    { ref: 'refs/heads/gh-readonly-queue/main/pr-104', expected: undefined },
    { ref: 'refs/heads/feature/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64', expected: undefined },
    { ref: undefined, expected: undefined },
  ];
  for (const { ref, expected } of cases) assert.equal(mergeQueuePullRequest(ref), expected, String(ref));
});

test('events whose payload names the pull request comment on it, never on the pull request of GITHUB_SHA (the default branch\'s tip for these events)', () => {
  const tip = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
  const cases: { event: string; payload: EventPayload; expected: CommentTarget }[] = [
    { event: 'issue_comment', payload: { issue: { number: 77, pull_request: { url: 'https://api.github.com/repos/o/r/pulls/77' } } }, expected: { kind: 'pull-requests', numbers: [77] } },
    { event: 'pull_request_review', payload: { pull_request: { number: 78 } }, expected: { kind: 'pull-requests', numbers: [78] } },
    { event: 'pull_request_review_comment', payload: { pull_request: { number: 79 } }, expected: { kind: 'pull-requests', numbers: [79] } },
    { event: 'workflow_run', payload: { workflow_run: { head_sha: 'a'.repeat(40), pull_requests: [{ number: 80 }, { number: 81 }] } }, expected: { kind: 'pull-requests', numbers: [80, 81] } },
    // A fork's pull request is not listed in workflow_run.pull_requests: the run's own commit is.
    { event: 'workflow_run', payload: { workflow_run: { head_sha: 'b'.repeat(40), pull_requests: [] } }, expected: { kind: 'commit', sha: 'b'.repeat(40) } },
  ];
  for (const c of cases) {
    const ctx = runContext(env(c.event, { GITHUB_SHA: tip }), c.payload);
    assert.deepEqual(commentTarget(ctx, 'always'), c.expected, c.event);
  }
  for (const c of cases) {
    const ctx = runContext(env(c.event, { GITHUB_SHA: tip }), c.payload);
    assert.deepEqual(commentTarget(ctx, 'auto'), c.expected.kind === 'commit' ? { kind: 'none', reason: 'no pull request for a workflow_run run (comment: auto)' } : c.expected, `${c.event} auto`);
  }
  // An issue that is not a pull request: as for other events, only comment: always looks up the commit.
  const issue = runContext(env('issue_comment', { GITHUB_SHA: tip }), { issue: { number: 5 } });
  assert.equal(commentTarget(issue, 'auto').kind, 'none');
  assert.deepEqual(commentTarget(issue, 'always'), { kind: 'commit', sha: tip });
});

test('a fork\'s pull request gets a read-only token under pull_request, not under pull_request_target: only the former is told "nothing to fix in the workflow"', () => {
  const payload: EventPayload = { pull_request: { number: 3, head: { repo: { full_name: 'evil/Hello-World' } }, base: { repo: { full_name: 'Codertocat/Hello-World' } } } };
  assert.equal(runContext(env('pull_request'), payload).fromFork, true);
  assert.equal(runContext(env('pull_request_review'), payload).fromFork, true);
  assert.equal(runContext(env('pull_request_target'), payload).fromFork, false, 'pull_request_target runs with the base repository\'s token');
});

// workflow_run.pull_requests is matched by branch, and a run in a fork can list the parent
// repository's pull request of the same branch name (its base.repo is the parent): a
// comment there would land on the same-numbered pull request of this repository.
test('workflow_run: a listed pull request of another repository is not commented on', () => {
  const api = 'https://api.github.com/repos';
  const payload = { workflow_run: { head_sha: 'c'.repeat(40), pull_requests: [
    { number: 12, base: { repo: { url: `${api}/octo-org/Hello-World`, name: 'Hello-World' } } },
    { number: 13, base: { repo: { url: `${api}/codertocat/hello-world`, name: 'hello-world' } } },
    { number: 14 },
  ] } } as EventPayload;
  const ctx = runContext(env('workflow_run'), payload);
  assert.deepEqual(commentTarget(ctx, 'auto'), { kind: 'pull-requests', numbers: [13, 14] });
});
