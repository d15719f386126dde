// The three workflows of the README's "Pin deploy files to digests" section, held to
// the rule that every README workflow runs in the test suite for the events it
// declares: taken from the README, linted like recipes 1–6 (test/support/recipe-lint.ts),
// and run step by step (test/support/recipe-runner.ts) against the real local registry,
// with actions/checkout played by a copy of the pin fixture repository (test/fixtures/pin/)
// laid out as the recipes' paths expect. The steps that are not immutag's (the issue
// that `gh issue create` opens, create-pull-request) are asserted by their `if:` and
// their interpolated inputs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, matchesGlob, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinRecipesOf, type Recipe, type Workflow } from './support/workflow.ts';
import { actionOf, assertForkGuards, assertStructurePinsInputs, immutagSteps, steps, triggers, type Pins } from './support/recipe-lint.ts';
import {
  actionInputs, cleanBuilds, localize, runRecipeEvent, tmp, type MetadataRecipe, type RecipeEnvironment, type RecipeEvent, type StepRun,
} from './support/recipe-runner.ts';
import { startRegistry, type TestRegistry } from './support/registry.ts';
import { READ_TOKEN, startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from './support/github-server.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { floatingTag } from '../src/floating-tag.ts';
import { compileTagPatterns, parseTagPatterns } from '../src/tag-pattern.ts';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const fixture = (p: string) => root(`test/fixtures/${p}`);
const json = async <T>(p: string): Promise<T> => JSON.parse(await readFile(p, 'utf8')) as T;

const recipes = pinRecipesOf(await readFile(root('README.md'), 'utf8'));
const pins = (await json<{ pins: Pins }>(fixture('recipes/pins.json'))).pins;
const metadata = (await json<{ recipes: Record<string, MetadataRecipe> }>(fixture('metadata-action/tags.json'))).recipes;
const inputs = await actionInputs(root('action.yml'));
const [prCheck, daily, pushPin] = recipes as [Recipe, Recipe, Recipe];

const commit = (name: string) => createHash('sha1').update(name).digest('hex');
const PR_MERGE = commit('pull request 2, test merge commit');
const C1 = commit('main, first commit');
const C2 = commit('main, second commit');

// The fixture repository's tags (test/pin-registry.test.ts), pushed here without auth.
const PLACEHOLDER_HOST = 'registry.example:5000';
const TAGS = ['team/app:1.0', 'team/worker:2.1', 'tools/migrate:0.9', 'tools/debug:1.0', 'base/python:3.12', 'team/web:1.2',
  'base/golang:1.22', 'base/distroless:nonroot', 'ci/node:20', 'cache/redis:7', 'ci/lint:1.0', 'docker/dockerfile:1'];
// Where each fixture file sits in the workspace the recipes' paths read.
const LAYOUT: Record<string, string> = {
  'k8s/app.yaml': 'deploy/k8s/app.yaml',
  'kustomize/kustomization.yaml': 'deploy/kustomize/kustomization.yaml',
  'helm/templates/deploy.yaml': 'deploy/helm/templates/deploy.yaml',
  'compose/docker-compose.yml': 'docker-compose.yml',
  'docker/Dockerfile': 'docker/Dockerfile',
  '.github/workflows/ci.yml': '.github/workflows/ci.yml',
};

let reg: TestRegistry;
let github: GitHubStandIn;
let work: string;
let one: BuiltImage;
let other: BuiltImage;
const digests = new Map<string, string>();
const builds = new Map<string, BuiltImage>();

before(async () => {
  reg = await startRegistry();
  github = await startGitHubStandIn();
  work = await tmp('immutag-recipes-pin-');
  // The push recipe scans: the offline OSV database the recipe suite uses.
  await mkdir(join(work, 'osv', 'npm'), { recursive: true });
  await copyFile(fixture('osv/records/npm/GHSA-whgm-jr23-g3j9.json'), join(work, 'osv', 'npm', 'GHSA-whgm-jr23-g3j9.json'));
  one = await buildImage();
  other = await buildImage();
  for (const tag of TAGS) digests.set(tag, await pushImage(reg, one.ociRef, tag));
});

after(async () => {
  await reg.stop();
  await github.close();
  await cleanBuilds(builds);
  for (const image of [one, other]) await removeLayout(image);
  await rm(work, { recursive: true, force: true });
});

test('the README\'s pin section has three recipes, each a complete workflow', () => {
  assert.deepEqual(recipes.map((r) => r.title), [
    'a required check on pull requests that change deploy files',
    'a daily check that an immutable tag has not moved',
    'push, pin the deploy manifests to the digest just pushed, open a pull request',
  ]);
  for (const r of recipes) assert.ok(r.workflow.on && r.workflow.jobs && !Array.isArray(r.workflow), `${r.number}: a workflow with on: and jobs:, not a fragment`);
});

for (const recipe of recipes) {
  test(`${recipe.number} (${recipe.title}): structure, pins, inputs and fork guards`, () => {
    assertStructurePinsInputs(recipe, pins, inputs.names, inputs.outputs);
    assertForkGuards(recipe);
    assert.ok(immutagSteps(recipe).every((s) => s.with?.['pin'] !== undefined), 'every immutag step pins or checks');
  });
}

test('pin-1 and pin-2 check and need only to read; pin-3 writes its branch and opens the pull request', () => {
  for (const r of [prCheck, daily]) {
    assert.equal(r.workflow.permissions?.['contents'], 'read');
    assert.equal(String(immutagSteps(r)[0]!.with?.['pin-check']), 'true');
  }
  assert.equal(prCheck.workflow.permissions?.['pull-requests'], 'write', 'the pin report comment');
  assert.equal(daily.workflow.permissions?.['issues'], 'write', 'gh issue create');
  assert.equal(pushPin.workflow.permissions?.['contents'], 'write', 'create-pull-request pushes a branch');
  assert.equal(pushPin.workflow.permissions?.['pull-requests'], 'write');
  assert.equal(pushPin.workflow.permissions?.['packages'], 'write', 'the push to ghcr.io');
});

test('pin-3: mutable-tags lists exactly what its tag rules make move; merging its pull request does not build again', async () => {
  const meta = steps(pushPin).find((s) => actionOf(s) === 'docker/metadata-action')!;
  const table = metadata[pushPin.number]!;
  assert.equal(String(meta.with?.['tags']), table.tags, 'the fixture table was derived for the README\'s rules');
  assert.equal(String(meta.with?.['images']), table.images);
  const matcher = await compileTagPatterns(parseTagPatterns(String(immutagSteps(pushPin)[0]!.with?.['mutable-tags'] ?? '')));
  for (const tag of Object.values(table.events).flatMap((e) => e.tags).map((t) => t.replace('{{sha7}}', 'abcdef0'))) {
    assert.equal(matcher.isMutable(tag), floatingTag(tag) !== undefined, `${tag}`);
  }
  const ignored = ((triggers(pushPin.workflow)['push'] ?? {}) as { 'paths-ignore'?: string[] })['paths-ignore'] ?? [];
  const prStep = steps(pushPin).find((s) => actionOf(s) === 'peter-evans/create-pull-request')!;
  const committed = String(prStep.with?.['add-paths']);
  assert.ok(ignored.includes(committed), `push.paths-ignore has ${committed}: the merge of the pin pull request changes only those files`);
});

/** actions/checkout of a branch whose deploy files are pinned: the fixture repository's `expected` tree, laid out as the recipes read it. */
async function checkoutPinned(workspace: string): Promise<void> {
  for (const [from, to] of Object.entries(LAYOUT)) {
    await mkdir(join(workspace, to, '..'), { recursive: true });
    await writeFile(join(workspace, to), fill(await readFile(join(fixture('pin/expected'), from), 'latin1')), 'latin1');
  }
}

function fill(text: string): string {
  return text.split(PLACEHOLDER_HOST).join(reg.host).replace(/DIGEST\(([^)]+)\)/g, (_, key: string) => digests.get(key)!);
}

function environment(recipe: Recipe, checkout: (workspace: string, event: RecipeEvent) => Promise<void>, afterJob?: (workspace: string) => Promise<void>): RecipeEnvironment {
  return {
    registry: reg, tlsRegistry: reg, metadata: metadata[recipe.number], vulnDb: join(work, 'osv'), githubApi: github.url,
    writeToken: WRITE_TOKEN, readToken: READ_TOKEN, actionDefaults: inputs.defaults, builds, work, checkout, ...(afterJob ? { afterJob } : {}),
  };
}

const payload = (name: string): Record<string, unknown> => JSON.parse(readFileSync(fixture(`github/${name}`), 'utf8')) as Record<string, unknown>;

/** The events a pin recipe declares, as the runner would start it. */
function declaredEvents(w: Workflow): RecipeEvent[] {
  const on = triggers(w);
  const out: RecipeEvent[] = [];
  if ('pull_request' in on) {
    const pr = payload('pull_request.opened.json');
    out.push({ key: 'pull_request', name: 'pull_request', ref: 'refs/pull/2/merge', sha: PR_MERGE, payload: pr, attempt: 1 });
    const fork = structuredClone(pr) as { pull_request: { head: { repo: { full_name: string } } } };
    fork.pull_request.head.repo.full_name = 'a-fork/Hello-World';
    out.push({ key: 'pull_request', name: 'pull_request', ref: 'refs/pull/2/merge', sha: PR_MERGE, payload: fork as unknown as Record<string, unknown>, attempt: 1, fork: true });
  }
  // The default branch's newest commit: schedule and workflow_dispatch run there too.
  const main = (sha: string, attempt: number, name: string, extra: Record<string, unknown>): RecipeEvent => {
    const push = payload('push.json') as { repository: Record<string, unknown> };
    push.repository['default_branch'] = 'main';
    const body = name === 'push' ? { ...push, ref: 'refs/heads/main', after: sha } : { repository: push.repository };
    return { key: name === 'push' ? 'push main' : name, name, ref: 'refs/heads/main', sha, attempt, payload: { ...body, ...extra } };
  };
  if ('schedule' in on) out.push(main(C1, 1, 'schedule', { schedule: '17 6 * * *' }));
  if ('workflow_dispatch' in on) out.push(main(C1, 1, 'workflow_dispatch', { ref: 'refs/heads/main', inputs: {} }));
  if ('push' in on) out.push(main(C1, 1, 'push', {}), main(C1, 2, 'push', {}), main(C2, 1, 'push', {}));
  return out;
}

const immutagRun = (runs: StepRun[]) => runs.find((r) => r.run !== undefined)!.run!;
const stepOf = (runs: StepRun[], pattern: RegExp) => runs.find((r) => pattern.test(r.step))!;

test('pin-1 (a required check on pull requests): every file it reads is in its paths filter; pinned files pass, an unpinned line fails with its annotation', async () => {
  const events = declaredEvents(prCheck.workflow);
  assert.deepEqual(events.map((e) => `${e.name}${e.fork ? ' (fork)' : ''}`), ['pull_request', 'pull_request (fork)']);
  const filter = ((triggers(prCheck.workflow)['pull_request'] ?? {}) as { paths: string[] }).paths;
  const read: string[] = [];
  for (const event of events) {
    const pass = immutagRun(await runRecipeEvent(prCheck, event, environment(prCheck, (w) => checkoutPinned(w))));
    assert.equal(pass.code, 0, pass.stdout);
    assert.equal(pass.outputs['pin-result'], 'pass');
    assert.match(pass.summary, /deploy\/k8s\/app\.yaml:\d+.*up to date/);
    assert.match(pass.summary, /docker-compose\.yml:\d+.*up to date/);
    assert.match(pass.summary, /\.github\/workflows\/ci\.yml:\d+.*up to date/);
    assert.match(pass.summary, /docker\/Dockerfile:\d+.*up to date/);

    const unpin = async (w: string) => {
      await checkoutPinned(w);
      const file = join(w, 'deploy/k8s/app.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace(`tools/migrate:0.9@${digests.get('tools/migrate:0.9')}`, 'tools/migrate:0.9'));
      read.push(...(await listFiles(w)).map((f) => relative(w, f)));
    };
    const fail = immutagRun(await runRecipeEvent(prCheck, event, environment(prCheck, unpin)));
    assert.equal(fail.code, 1, fail.stdout);
    assert.equal(fail.outputs['result'], 'violation');
    const title = `Not pinned: ${reg.host}/tools/migrate:0.9`.replace(/:/g, '%3A');
    assert.ok(fail.stdout.split('\n').some((l) => l.startsWith(`::error title=${title},file=deploy/k8s/app.yaml,line=12::`) && l.includes(digests.get('tools/migrate:0.9')!)), fail.stdout);
    assert.match(fail.summary, /### ❌ immutag pin check: 1 reference not pinned/);
    if (event.fork) assert.match(fail.stdout, /::warning::immutag could not comment on pull request #2: .*read-only token/, 'a fork\'s read-only token: no comment, the same result');
  }
  const comments = github.comments('Codertocat', 'Hello-World', 2);
  assert.equal(comments.length, 1, 'the pin report is one comment, updated in place');
  assert.match(comments[0]!.body, /immutag pin check: 1 reference not pinned/);
  for (const file of new Set(read)) {
    if (file.startsWith('deploy/helm/')) continue;
    assert.ok(filter.some((p) => matchesGlob(file, p)), `a change to ${file} (read by the check) starts the check: it is in on.pull_request.paths`);
  }
});

test('pin-2 (the daily check): passes on pinned files; after an immutable tag is moved with skopeo it fails naming both digests, and its failure() step opens the issue', async (t) => {
  const events = declaredEvents(daily.workflow);
  assert.deepEqual(events.map((e) => e.name), ['schedule', 'workflow_dispatch']);
  const pinned = digests.get('tools/migrate:0.9')!;
  const python = digests.get('base/python:3.12')!;
  t.after(async () => {
    await pushImage(reg, one.ociRef, 'tools/migrate:0.9');
    await pushImage(reg, one.ociRef, 'base/python:3.12');
  });
  for (const event of events) {
    const runs = await runRecipeEvent(daily, event, environment(daily, (w) => checkoutPinned(w)));
    const r = immutagRun(runs);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(stepOf(runs, /^gh issue create/).skipped, true, 'no issue while the check passes');
  }
  // A mutable tag that moved is a notice; an immutable one is the failure the recipe is for.
  const fresh = await pushImage(reg, other.ociRef, 'base/python:3.12');
  const moved = await pushImage(reg, other.ociRef, 'tools/migrate:0.9');
  assert.notEqual(moved, pinned);
  assert.notEqual(fresh, python);
  for (const event of events) {
    const runs = await runRecipeEvent(daily, event, environment(daily, (w) => checkoutPinned(w)));
    const r = immutagRun(runs);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.outputs['pin-result'], 'violation');
    assert.ok(r.stdout.split('\n').some((l) => l.startsWith('::error ') && l.includes('file=deploy/k8s/app.yaml,line=12') && l.includes(pinned) && l.includes(moved)), r.stdout);
    assert.ok(r.summary.includes(pinned) && r.summary.includes(moved), `the summary names both digests:\n${r.summary}`);
    assert.match(r.summary, /update available/i, 'base/python:3.12 moved too, and the recipe lists 3.12 as a tag that may move');
    const issue = stepOf(runs, /^gh issue create/);
    assert.equal(issue.skipped, false, 'if: failure() is true after the check failed');
    assert.match(issue.script!, /gh issue create --repo "\$GITHUB_REPOSITORY"/);
    assert.match(issue.script!, /\(pin-result: violation\)/, 'the issue body carries the pin result');
  }
});

test('pin-3 (push, pin, open a pull request): the deploy files get the digest just pushed, and create-pull-request opens it with that image', async () => {
  const image = localize('ghcr.io/codertocat/hello-world', pushPin, reg);
  const deployment = (ref: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${ref}   # bumped by the pin pull request\n        - name: cache\n          image: ${reg.host}/cache/redis:7\n`;
  const events = declaredEvents(pushPin.workflow);
  assert.deepEqual(events.map((e) => `${e.key} ${e.sha.slice(0, 7)} attempt ${e.attempt}`), [`push main ${C1.slice(0, 7)} attempt 1`, `push main ${C1.slice(0, 7)} attempt 2`, `push main ${C2.slice(0, 7)} attempt 1`]);
  // What each commit of main holds: C1 the bare tag; C2 the pin pull request C1 opened, merged.
  const onMain = new Map([[C1, `${image}:main`]]);
  const seen: string[] = [];
  for (const event of events) {
    let after = '';
    const envr = environment(pushPin, async (w) => {
      await mkdir(join(w, 'deploy'), { recursive: true });
      await writeFile(join(w, 'deploy/app.yaml'), deployment(onMain.get(event.sha)!));
    }, async (w) => {
      after = await readFile(join(w, 'deploy/app.yaml'), 'utf8');
    });
    const runs = await runRecipeEvent(pushPin, event, envr);
    const r = immutagRun(runs);
    assert.equal(r.code, 0, r.stdout);
    const digest = r.outputs['digest']!;
    assert.equal(r.outputs['pin-result'], 'pass');
    const when = `${event.sha.slice(0, 7)} attempt ${event.attempt}`;
    assert.deepEqual(JSON.parse(r.outputs['pinned']!), ['deploy/app.yaml'], `${when}: ${r.stdout}`);
    assert.equal(after, deployment(`${image}:main@${digest}`), 'the app is pinned to the digest this run pushed; the cache image is left alone');
    const pr = stepOf(runs, /^peter-evans\/create-pull-request/);
    assert.equal(pr.skipped, false, 'if: pinned != \'[]\' is true: the pull request is opened');
    assert.deepEqual(pr.inputs, {
      branch: `immutag/pin-${event.sha}`,
      'commit-message': `Deploy ${r.outputs['image']}`,
      title: `Deploy ${r.outputs['image']}`,
      body: 'Pins the deploy manifests to the digest this run pushed and checked.',
      'add-paths': 'deploy/**',
    });
    assert.ok(r.outputs['image']!.endsWith(`@${digest}`), r.outputs['image']);
    seen.push(digest);
    if (event.sha === C1) onMain.set(C2, `${image}:main@${digest}`);
  }
  assert.equal(seen[1], seen[0], 'a re-run rebuilds and pins the same digest');
  assert.notEqual(seen[2], seen[0], 'the next commit of main: a file pinned to the previous push of main moves on to this one');

  // Deploy files that do not name the image: nothing pinned, no pull request.
  const none = await runRecipeEvent(pushPin, { ...events[2]!, attempt: 2 }, environment(pushPin, async (w) => {
    await mkdir(join(w, 'deploy'), { recursive: true });
    await writeFile(join(w, 'deploy/app.yaml'), deployment(`${reg.host}/cache/redis:7`));
  }));
  assert.equal(immutagRun(none).code, 0);
  assert.equal(immutagRun(none).outputs['pinned'], '[]');
  assert.equal(stepOf(none, /^peter-evans\/create-pull-request/).skipped, true, 'if: pinned != \'[]\' is false');

  // A push that fails (the commit's sha- tag is taken by another image) fails the job:
  // the files are not pinned and no pull request is opened (an `if:` without a status function is success() && …).
  const C3 = commit('main, third commit');
  await pushImage(reg, other.ociRef, `${image.slice(reg.host.length + 1)}:sha-${C3.slice(0, 7)}`);
  let untouched = '';
  const failed = await runRecipeEvent(pushPin, { ...events[2]!, sha: C3, payload: { ...events[2]!.payload, after: C3 } }, environment(pushPin, async (w) => {
    await mkdir(join(w, 'deploy'), { recursive: true });
    await writeFile(join(w, 'deploy/app.yaml'), deployment(`${image}:main`));
  }, async (w) => {
    untouched = await readFile(join(w, 'deploy/app.yaml'), 'utf8');
  }));
  assert.equal(immutagRun(failed).code, 1, immutagRun(failed).stdout);
  assert.equal(immutagRun(failed).outputs['result'], 'violation');
  assert.equal(untouched, deployment(`${image}:main`));
  assert.equal(stepOf(failed, /^peter-evans\/create-pull-request/).skipped, true, 'a failed job opens no pull request');
});

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...await listFiles(p));
    else out.push(p);
  }
  return out.sort();
}
