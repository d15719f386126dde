// Every README recipe is a workflow that works: its YAML is taken from the README,
// linted (structure, pins, inputs, permissions, fork guards, what its tag rules make
// move), and its jobs run for every event it declares (pull request, fork pull
// request, merge queue, push to the default branch, tag push, and re-runs), with the
// tags docker/metadata-action outputs for each event, immutag's steps for real
// against the real local registry (test/support/recipe-runner.ts says what is
// simulated). A recipe that fails on an event it declares fails here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recipesOf, type Recipe, type Workflow } from './support/workflow.ts';
import { actionOf, assertForkGuards, assertStructurePinsInputs, immutagSteps, steps, triggers } from './support/recipe-lint.ts';
import {
  actionInputs, cleanBuilds, runRecipeEvent, tmp, type MetadataRecipe, type RecipeEnvironment, type RecipeEvent, type StepRun,
} from './support/recipe-runner.ts';
import { useRegistry } from './support/registry.ts';
import { READ_TOKEN, startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from './support/github-server.ts';
import type { BuiltImage } from './support/images.ts';
import { floatingTag } from '../src/floating-tag.ts';
import { compileTagPatterns, parseTagPatterns } from '../src/tag-pattern.ts';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const fixture = (p: string) => root(`test/fixtures/${p}`);
const json = async <T>(p: string): Promise<T> => JSON.parse(await readFile(p, 'utf8')) as T;

const recipes = recipesOf(await readFile(root('README.md'), 'utf8'));
const pins = (await json<{ pins: Record<string, { version: string; commit: string }> }>(fixture('recipes/pins.json'))).pins;
const metadata = (await json<{ recipes: Record<string, MetadataRecipe> }>(fixture('metadata-action/tags.json'))).recipes;
const inputs = await actionInputs(root('action.yml'));

// Test commits: stand-ins for a pull request's merge commit, two commits of main, a merge-queue commit.
const commit = (name: string) => createHash('sha1').update(name).digest('hex');
const PR_MERGE = commit('pull request 2, test merge commit');
const C1 = commit('main, first commit');
const C2 = commit('main, second commit');
const FORK_MERGE = commit('pull request from a fork, test merge commit');

const reg = await useRegistry();
const tlsReg = await useRegistry({ auth: 'htpasswd', tls: true });
let github: GitHubStandIn;
let work: string;
const builds = new Map<string, BuiltImage>();

before(async () => {
  github = await startGitHubStandIn();
  work = await tmp('immutag-recipes-');
  await mkdir(join(work, 'osv', 'npm'), { recursive: true });
  await copyFile(fixture('osv/records/npm/GHSA-whgm-jr23-g3j9.json'), join(work, 'osv', 'npm', 'GHSA-whgm-jr23-g3j9.json'));
});

after(async () => {
  await github.close();
  await cleanBuilds(builds);
  await rm(work, { recursive: true, force: true });
});

test('the README has recipes 1 to 6, each a complete workflow', () => {
  assert.deepEqual(recipes.map((r) => r.number), ['1', '2', '3', '4', '5', '6']);
});

for (const recipe of recipes) {
  test(`recipe ${recipe.number} (${recipe.title}): structure, pins and inputs`, () => {
    assertStructurePinsInputs(recipe, pins, inputs.names, inputs.outputs);
    assert.equal(recipe.workflow.permissions?.['contents'], 'read', 'a job-level permissions block replaces the defaults: contents: read');
  });

  test(`recipe ${recipe.number}: permissions, SARIF, fork guards and reproducible builds`, () => {
    const w = recipe.workflow;
    const sarif = steps(recipe).filter((s) => actionOf(s) === 'github/codeql-action/upload-sarif');
    for (const s of sarif) {
      assert.ok(s.with?.['category'], 'upload-sarif has a category (one per matrix job)');
      assert.equal(w.permissions?.['security-events'], 'write');
      assert.equal(w.permissions?.['actions'], 'read', 'upload-sarif needs actions: read on private repositories');
    }
    assertForkGuards(recipe);
    for (const s of steps(recipe).filter((x) => actionOf(x) === 'docker/build-push-action')) {
      assert.match(String(s.with?.['outputs'] ?? ''), /rewrite-timestamp=true/, 'file timestamps rewritten to SOURCE_DATE_EPOCH');
      assert.equal(String(s.with?.['provenance']), 'false', 'no provenance attestation (it records the run)');
      assert.ok(steps(recipe).some((x) => x.run?.includes('SOURCE_DATE_EPOCH=$(git log -1 --pretty=%ct)')), 'SOURCE_DATE_EPOCH from the commit');
    }
    const meta = steps(recipe).find((s) => actionOf(s) === 'docker/metadata-action');
    if (meta) assert.match(String(meta.with?.['labels'] ?? ''), /org\.opencontainers\.image\.created=\{\{commit_date /, 'the created label from the commit, not the build');
  });

  const fixtureFor: MetadataRecipe | undefined = metadata[recipe.number];
  test(`recipe ${recipe.number}: mutable-tags lists exactly what its tag rules make move`, async () => {
    const meta = steps(recipe).find((s) => actionOf(s) === 'docker/metadata-action');
    if (!meta) return;
    assert.ok(fixtureFor, `test/fixtures/metadata-action/tags.json has recipe ${recipe.number}`);
    assert.equal(String(meta.with?.['tags']), fixtureFor.tags, 'the fixture table was derived for the README\'s rules');
    assert.equal(String(meta.with?.['images']), fixtureFor.images);
    for (const s of immutagSteps(recipe)) {
      const matcher = await compileTagPatterns(parseTagPatterns(String(s.with?.['mutable-tags'] ?? '')));
      const events: [string, { tags: string[] }][] = Object.entries(fixtureFor.events);
      for (const [event, out] of events) {
        for (const tag of out.tags.map((t: string): string => t.replace('{{sha7}}', 'abcdef0'))) {
          const moves: boolean = floatingTag(tag) !== undefined;
          assert.equal(matcher.isMutable(tag), moves, `${event}: ${tag} ${moves ? 'moves and must be' : 'must not be'} in mutable-tags`);
        }
      }
    }
  });
}

function declaredEvents(w: Workflow): RecipeEvent[] {
  const on = triggers(w);
  const push = (on['push'] ?? {}) as { branches?: string[]; tags?: string[] };
  // A trigger or filter this test does not run would pass unseen: every one must be known.
  for (const name of Object.keys(on)) assert.ok(['pull_request', 'merge_group', 'push'].includes(name), `the recipe declares ${name}, which this test does not run`);
  for (const branch of push.branches ?? []) assert.equal(branch, 'main', 'push.branches: only main is run');
  for (const tag of push.tags ?? []) assert.equal(tag, 'v*', 'push.tags: only v* is run');
  const pr = JSON.parse(readFileSyncJson('github/pull_request.opened.json')) as Record<string, unknown>;
  const fork = structuredClone(pr) as { pull_request: { head: { repo: { full_name: string } } } };
  fork.pull_request.head.repo.full_name = 'a-fork/Hello-World';
  const mq = JSON.parse(readFileSyncJson('github/merge_group.checks_requested.json')) as { merge_group: { head_sha: string; head_ref: string }; repository: unknown };
  // The same repository as the other events: the queue's commit then lands on main as it is.
  mq.repository = (pr as { repository: unknown }).repository;
  const branchPush = (sha: string): Record<string, unknown> => {
    const p = JSON.parse(readFileSyncJson('github/push.json')) as { repository: { default_branch: string }; after: string; ref: string };
    p.repository.default_branch = 'main';
    p.ref = 'refs/heads/main';
    p.after = sha;
    return p;
  };
  const tagPush = (sha: string, tag: string): Record<string, unknown> => ({ ...branchPush(sha), ref: `refs/tags/${tag}`, base_ref: null });
  const events: RecipeEvent[] = [];
  const add = (e: Omit<RecipeEvent, 'attempt'>, rerun: boolean) => {
    events.push({ ...e, attempt: 1 });
    if (rerun) events.push({ ...e, attempt: 2 });
  };
  if ('pull_request' in on) {
    add({ key: 'pull_request', name: 'pull_request', ref: 'refs/pull/2/merge', sha: PR_MERGE, payload: pr }, true);
    add({ key: 'pull_request', name: 'pull_request', ref: 'refs/pull/2/merge', sha: FORK_MERGE, payload: fork as unknown as Record<string, unknown>, fork: true }, false);
  }
  const onMain = push.branches?.includes('main') === true;
  if ('merge_group' in on) {
    add({ key: 'merge_group', name: 'merge_group', ref: mq.merge_group.head_ref, sha: mq.merge_group.head_sha, payload: mq as unknown as Record<string, unknown> }, false);
    // Merged: main moves to the very commit the queue built, and its push runs the workflow again.
    if (onMain) add({ key: 'push main', name: 'push', ref: 'refs/heads/main', sha: mq.merge_group.head_sha, payload: branchPush(mq.merge_group.head_sha) }, false);
  }
  const onTags = push.tags?.includes('v*') === true;
  if (onMain) add({ key: 'push main', name: 'push', ref: 'refs/heads/main', sha: C1, payload: branchPush(C1) }, true);
  if (onTags) add({ key: 'push tag v1.2.3', name: 'push', ref: 'refs/tags/v1.2.3', sha: C1, payload: tagPush(C1, 'v1.2.3') }, true);
  if (onMain) add({ key: 'push main', name: 'push', ref: 'refs/heads/main', sha: C2, payload: branchPush(C2) }, false);
  if (onTags) add({ key: 'push tag v1.2.4', name: 'push', ref: 'refs/tags/v1.2.4', sha: C2, payload: tagPush(C2, 'v1.2.4') }, false);
  return events;
}

import { readFileSync } from 'node:fs';
function readFileSyncJson(p: string): string {
  return readFileSync(fixture(p), 'utf8');
}

function environment(recipe: Recipe): RecipeEnvironment {
  return {
    registry: reg, tlsRegistry: tlsReg, metadata: metadata[recipe.number], vulnDb: join(work, 'osv'), githubApi: github.url,
    writeToken: WRITE_TOKEN, readToken: READ_TOKEN, actionDefaults: inputs.defaults, builds, work,
  };
}

function describe(recipe: Recipe, e: RecipeEvent, s: StepRun): string {
  return `recipe ${recipe.number}, ${e.key}${e.fork ? ' (fork)' : ''} ${e.sha.slice(0, 7)} attempt ${e.attempt}, step "${s.step}"`;
}

const last = (runs: StepRun[]): StepRun | undefined => runs.filter((r) => r.run !== undefined).at(-1);

for (const recipe of recipes) {
  test(`recipe ${recipe.number} runs on every event it declares, re-runs included`, async () => {
    const envr = environment(recipe);
    const digests = new Map<string, string>();
    for (const event of declaredEvents(recipe.workflow)) {
      const runs = await runRecipeEvent(recipe, event, envr);
      assert.ok(runs.some((r) => r.run), `recipe ${recipe.number}, ${event.key}: an immutag step ran`);
      for (const s of runs.filter((r) => r.run)) {
        const r = s.run!;
        assert.equal(r.code, 0, `${describe(recipe, event, s)} failed:\n${r.stdout.split('\n').filter((l) => /::(error|warning|notice)|immutag:/.test(l)).join('\n')}`);
        assert.equal(r.outputs['result'], 'pass');
      }
      const final = last(runs)!.run!;
      const noTags = (metadata[recipe.number]?.events[event.key]?.tags.length ?? 1) === 0;
      if (noTags) assert.match(final.stdout, /::notice title=immutag::No tags were given/, 'no tags: a notice');
      const pushed = final.outputs['pushed'] ? Object.values(JSON.parse(final.outputs['pushed']) as Record<string, string>) : [];
      if (event.fork) assert.equal(final.outputs['pushed'], undefined, 'a fork\'s pull request pushes nothing');
      const id = `${event.key}@${event.sha}`;
      if (event.attempt === 2 && !noTags) {
        assert.equal(final.outputs['digest'], digests.get(id), 'a re-run rebuilds the same digest');
        if (pushed.length > 0) assert.ok(pushed.every((p) => p === 'unchanged'), `a re-run writes nothing: ${final.outputs['pushed']}`);
      }
      if (event.attempt === 1 && final.outputs['digest']) digests.set(id, final.outputs['digest']);
      // What a reviewer reads: the pull request's comment names the digest this run checked.
      if (event.name === 'pull_request' && !event.fork && recipe.workflow.permissions?.['pull-requests'] === 'write' && final.outputs['digest']) {
        const number = (event.payload['pull_request'] as { number: number }).number;
        const mine = github.comments('Codertocat', 'Hello-World', number).filter((c) => c.body.includes(final.outputs['digest']!));
        assert.equal(mine.length, 1, `recipe ${recipe.number}, ${event.key} attempt ${event.attempt}: one comment names ${final.outputs['digest']}`);
        assert.match(mine[0]!.body, /^<!-- immutag:[0-9a-f]{16} -->\n### ✅ immutag: /, 'the verdict first');
      }
      if (event.fork) assert.match(final.stdout, /::warning.*(read-only|could not comment)/i, 'a fork\'s run says why there is no comment');
      if (recipe.number === '1' && event.key.startsWith('push tag')) {
        assert.equal(final.outputs['digest'], digests.get(`push main@${event.sha}`), 'the release deploys the image main published for the commit');
        assert.match(final.summary, /Promoted the image already published for/);
      }
    }
  });
}

test('a re-run whose build is not reproducible is refused, and promoted with promote-same-revision', async () => {
  const original = recipes.find((r) => r.number === '1')!;
  const variant = (promote: boolean): Recipe => {
    const copy = structuredClone(original);
    const job = Object.values(copy.workflow.jobs)[0]!;
    for (const s of job.steps) {
      if (actionOf(s) === 'docker/build-push-action') s.with!['outputs'] = String(s.with!['outputs']).replace(',rewrite-timestamp=true', '');
      if (actionOf(s) === 'immutag/immutag' && s.id === 'immutag') s.with!['promote-same-revision'] = promote;
    }
    return { ...copy, number: promote ? '1p' : '1n' };
  };
  const main = (attempt: number): RecipeEvent => ({
    key: 'push main', name: 'push', ref: 'refs/heads/main', sha: C1, attempt,
    payload: { ...JSON.parse(readFileSyncJson('github/push.json')), ref: 'refs/heads/main', after: C1 },
  });
  const envr = { ...environment(original) };
  const strict = variant(false);
  const first = last(await runRecipeEvent(strict, main(1), envr))!.run!;
  assert.equal(first.code, 0, first.stdout);
  const again = last(await runRecipeEvent(strict, main(2), envr))!.run!;
  assert.equal(again.code, 1, 'the rebuild has another digest and sha-… is immutable');
  assert.equal(again.outputs['result'], 'violation');

  const lenient = variant(true);
  const firstP = last(await runRecipeEvent(lenient, main(1), envr))!.run!;
  assert.equal(firstP.code, 0, firstP.stdout);
  const againP = last(await runRecipeEvent(lenient, main(2), envr))!.run!;
  assert.equal(againP.code, 0, againP.stdout);
  assert.equal(againP.outputs['digest'], firstP.outputs['digest'], 'the image of the first attempt is deployed');
  assert.match(againP.summary, /Promoted the image already published for/);
});

test('the recipe lint refuses a misspelt step id or immutag output (GitHub reads either as empty, silently), and == compares as GitHub does', async () => {
  const { evaluate } = await import('./support/workflow.ts');
  const one = recipes.find((r) => r.number === '1')!;
  const typos: Array<[string, string]> = [['steps.immutag.outputs.image', 'steps.imutag.outputs.image'], ['steps.immutag.outputs.sarif', 'steps.immutag.outputs.sarif-file']];
  for (const [from, to] of typos) {
    assert.ok(one.text.includes(from), from);
    const broken = { ...one, text: one.text.split(from).join(to) };
    assert.throws(() => assertStructurePinsInputs(broken, pins, inputs.names, inputs.outputs), /no step has the id imutag|no output named sarif-file/, to);
  }
  const ctx = { steps: { immutag: { outputs: {} } } };
  assert.equal(evaluate("steps.immutag.outputs.sarif != ''", ctx), false, 'a missing output equals the empty string');
  assert.equal(evaluate("github.run_attempt == '1'", { github: { run_attempt: 1 } }), true);
  assert.equal(evaluate("'abc' == 0", {}), false);
});
