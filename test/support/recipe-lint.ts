// The lint every README workflow passes (recipes 1–6 and the pin recipes): a complete
// workflow, every third-party action pinned by the verified commit of the release its
// comment names (test/fixtures/recipes/pins.json), immutag inputs that exist in
// action.yml, and pushes guarded in the YAML for pull requests from forks.
import assert from 'node:assert/strict';
import type { Recipe, Step, Workflow } from './workflow.ts';

export type Pins = Record<string, { version: string; commit: string }>;

export const steps = (r: Recipe): Step[] => Object.values(r.workflow.jobs).flatMap((j) => j.steps);
export const actionOf = (s: Step): string => (s.uses ?? '').split('@')[0]!;
export const immutagSteps = (r: Recipe): Step[] => steps(r).filter((s) => actionOf(s) === 'immutag/immutag');
export const triggers = (w: Workflow): Record<string, unknown> => (typeof w.on === 'object' && !Array.isArray(w.on) ? w.on : {});

export function assertStructurePinsInputs(recipe: Recipe, pins: Pins, inputNames: readonly string[], outputNames?: readonly string[]): void {
  const w = recipe.workflow;
  assert.ok(w.on && w.permissions && w.jobs, 'on, permissions and jobs');
  assert.ok(['read', 'write'].includes(w.permissions['contents']!), 'a permissions block replaces the defaults: contents is named');
  for (const [id, job] of Object.entries(w.jobs)) {
    assert.ok(job['runs-on'], `${id}: runs-on`);
    assert.ok(Array.isArray(job.steps) && job.steps.length > 0, `${id}: steps`);
    for (const s of job.steps) assert.ok((s.uses === undefined) !== (s.run === undefined), `a step has uses or run: ${JSON.stringify(s)}`);
  }
  for (const line of recipe.text.split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
    const m = /uses:\s*([\w.-]+\/[\w.-]+)(\/[\w./-]+)?@(\S+)(?:\s+#\s*(\S+))?/.exec(line);
    assert.ok(m, line);
    const [, repo, , ref, comment] = m;
    if (repo === 'immutag/immutag') {
      assert.equal(ref, 'v1', 'immutag/immutag@v1 is the one placeholder, explained in the prose');
      continue;
    }
    assert.match(ref!, /^[0-9a-f]{40}$/, `pinned by commit: ${line.trim()}`);
    assert.ok(pins[repo!], `${repo} is in test/fixtures/recipes/pins.json`);
    assert.equal(ref, pins[repo!]!.commit, `${repo}: the verified commit of ${pins[repo!]!.version}`);
    assert.equal(comment, pins[repo!]!.version, `${repo}: the version comment`);
  }
  for (const s of immutagSteps(recipe)) {
    for (const name of Object.keys(s.with ?? {})) assert.ok(inputNames.includes(name), `immutag has an input named ${name}`);
  }
  // GitHub reads a misspelt step id or output as an empty string, silently: a pre-build
  // check would get no tags and pass, a deploy step would deploy nothing.
  const ids = new Map(steps(recipe).filter((s) => s.id !== undefined).map((s) => [s.id!, s]));
  for (const m of recipe.text.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
    const step = ids.get(m[1]!);
    assert.ok(step, `${m[0]}: no step has the id ${m[1]}`);
    if (outputNames !== undefined && actionOf(step) === 'immutag/immutag') assert.ok(outputNames.includes(m[2]!), `${m[0]}: immutag has no output named ${m[2]}`);
  }
  // A permissions block sets every scope it does not name to none: GITHUB_TOKEN then
  // cannot read a private package, and ghcr.io answers 403 (an error, never a pass).
  const ghcrWithJobToken = steps(recipe).some((s) => actionOf(s) === 'docker/login-action' && s.with?.['registry'] === 'ghcr.io'
    && String(s.with?.['password'] ?? '').includes('secrets.GITHUB_TOKEN'));
  if (ghcrWithJobToken) assert.ok(['read', 'write'].includes(w.permissions['packages']!), 'ghcr.io with GITHUB_TOKEN needs packages: read (or write to push)');
}

/** A step that pushes, in a workflow that runs on pull requests, says so only for the repository's own branches. */
export function assertForkGuards(recipe: Recipe): void {
  if (!('pull_request' in triggers(recipe.workflow))) return;
  for (const s of steps(recipe)) {
    const pushes = (actionOf(s) === 'immutag/immutag' && s.with?.['image'] !== undefined) ||
      (actionOf(s) === 'docker/build-push-action' && /push=|^true$/.test(String(s.with?.['outputs'] ?? s.with?.['push'] ?? '')));
    if (!pushes) continue;
    const guard = `${String(s.with?.['push'] ?? '')} ${String(s.with?.['outputs'] ?? '')} ${s.if ?? ''}`;
    assert.match(guard, /github\.event_name != 'pull_request'/, `${s.uses}: the push is guarded in the YAML for pull requests from forks`);
  }
}
