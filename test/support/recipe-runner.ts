// Runs one job of a README recipe for one event, step by step, as the runner would:
// immutag's steps for real (node dist/index.js with INPUT_* from their `with:`, the
// action.yml defaults, the event payload and GITHUB_* variables, `if:` evaluated),
// against the real local registry; every other step simulated by what it leaves for
// the next ones:
//   - docker/metadata-action: `tags` and `labels` from the fixture table
//     (test/fixtures/metadata-action/tags.json, derived from its documentation);
//   - a `run:` step that exports SOURCE_DATE_EPOCH: the commit's time in the job env;
//   - docker/build-push-action: an image built with umoci (one per platform, an
//     index for several), exported as the OCI archive its `outputs` name or pushed
//     with skopeo (`type=image,push=true`); `digest` output. BuildKit's
//     reproducibility is modelled: with SOURCE_DATE_EPOCH, rewrite-timestamp=true,
//     `provenance: false` and no build-time label, the same commit and labels give
//     the same bytes (the same build is reused); otherwise every build differs;
//   - login, setup and cloud-auth steps: nothing (the registry here needs none),
//     apart from the outputs later steps read (amazon-ecr-login's `registry`);
//   - actions/checkout: the environment's `checkout` fills the workspace, if it has one;
//   - any other step (create-pull-request, `run:` scripts): not run; its `with:` and
//     `run:` are interpolated and returned for the test to assert.
// A failed immutag step fails the job: later steps run only if their `if:` asks for
// failure() or always(), as on GitHub.
// Registries named in the recipe are mapped onto the local one, under /r<recipe>/.
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { buildImage, buildIndex, type BuiltImage } from './images.ts';
import { entryFor, readIndex, tarDirectory, writeIndex } from './image-factory.ts';
import { runAction, type ActionRun } from './action-runner.ts';
import { run } from './exec.ts';
import { condition, interpolate, type Context, type Recipe, type Step } from './workflow.ts';
import type { TestRegistry } from './registry.ts';

export interface MetadataEvent { tags: string[]; version: string }
export interface MetadataRecipe { images: string; tags: string; events: Record<string, MetadataEvent> }

export interface RecipeEvent {
  /** The metadata-action fixture key: `pull_request`, `push main`, `push tag v1.2.3`, … */
  key: string;
  name: string;
  ref: string;
  sha: string;
  attempt: number;
  fork?: boolean;
  payload: Record<string, unknown>;
}

export interface StepRun {
  step: string;
  skipped: boolean;
  run?: ActionRun;
  /** A simulated step's `with:` and `run:`, interpolated when it would have started. */
  inputs?: Record<string, string>;
  script?: string;
}

export interface RecipeEnvironment {
  /** The plain-HTTP registry, and the TLS one for steps that bring their own CA. */
  registry: TestRegistry;
  tlsRegistry: TestRegistry;
  metadata: MetadataRecipe | undefined;
  vulnDb: string;
  githubApi: string;
  writeToken: string;
  readToken: string;
  actionDefaults: Record<string, string>;
  builds: Map<string, BuiltImage>;
  work: string;
  /** What actions/checkout leaves in the workspace for this event (the deploy files). */
  checkout?: (workspace: string, event: RecipeEvent) => Promise<void>;
  /** Called with the workspace once the job ended, before it is removed. */
  afterJob?: (workspace: string) => Promise<void>;
}

const COMMIT_TIME = 1_760_000_000;

export async function runRecipeEvent(recipe: Recipe, event: RecipeEvent, envr: RecipeEnvironment): Promise<StepRun[]> {
  const [jobId, job] = Object.entries(recipe.workflow.jobs)[0]!;
  const dir = await mkdtemp(join(envr.work, 'run-'));
  const eventPath = join(dir, 'event.json');
  await writeFile(eventPath, JSON.stringify(event.payload));
  const repository = String((event.payload['repository'] as { full_name: string }).full_name);
  const token = event.fork ? envr.readToken : envr.writeToken;
  const jobEnv: Record<string, string> = {};
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  const ctx: Context = {
    github: {
      event_name: event.name, ref: event.ref, ref_name: event.ref.replace(/^refs\/(heads|tags)\//, ''),
      ref_type: event.ref.startsWith('refs/tags/') ? 'tag' : 'branch', sha: event.sha, repository, actor: 'octocat',
      run_attempt: String(event.attempt), job: jobId, token, workspace: join(dir, 'workspace'), event: event.payload,
      server_url: 'https://github.com', api_url: envr.githubApi, workflow: recipe.workflow.name ?? 'Image',
    },
    runner: { temp: join(dir, 'temp') },
    secrets: event.fork ? { GITHUB_TOKEN: token } : { GITHUB_TOKEN: token, REGISTRY_USERNAME: envr.tlsRegistry.username, REGISTRY_PASSWORD: envr.tlsRegistry.password },
    vars: {},
    env: jobEnv,
    steps,
    job: { status: 'success' },
  };
  await mkdir(join(dir, 'temp'), { recursive: true });
  const out: StepRun[] = [];
  try {
    for (const [index, step] of job.steps.entries()) {
      const label = step.name ?? step.id ?? step.uses ?? step.run ?? String(index);
      if (!condition(step.if, ctx)) {
        out.push({ step: label, skipped: true });
        continue;
      }
      const outputs: Record<string, string> = {};
      const uses = step.uses?.split('@')[0] ?? '';
      if (uses === 'immutag/immutag') {
        const r = await runImmutag(recipe, step, ctx, event, eventPath, envr, jobEnv);
        Object.assign(outputs, r.outputs);
        out.push({ step: label, skipped: false, run: r });
        if (r.code !== 0) ctx['job'] = { status: 'failure' };
      } else if (uses === 'actions/checkout') {
        const workspace = String((ctx['github'] as { workspace: string }).workspace);
        await mkdir(workspace, { recursive: true });
        await envr.checkout?.(workspace, event);
      } else if (uses === 'docker/metadata-action') {
        Object.assign(outputs, metadataOutputs(step, ctx, event, envr));
      } else if (uses === 'docker/build-push-action') {
        Object.assign(outputs, await buildPush(recipe, step, ctx, event, envr, jobEnv, job.steps.slice(0, index)));
      } else if (uses === 'aws-actions/amazon-ecr-login') {
        outputs['registry'] = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
      } else if (uses === 'google-github-actions/auth') {
        outputs['access_token'] = 'ya29.test-token';
      } else if (step.run?.includes('SOURCE_DATE_EPOCH=') && step.run.includes('GITHUB_ENV')) {
        jobEnv['SOURCE_DATE_EPOCH'] = String(commitTime(event.sha));
      } else {
        const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]));
        out.push({ step: label, skipped: false, inputs, ...(step.run === undefined ? {} : { script: interpolate(step.run, ctx) }) });
      }
      if (step.id) steps[step.id] = { outputs };
    }
    await envr.afterJob?.(String((ctx['github'] as { workspace: string }).workspace));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

/** A fixed time per commit, as `git log -1 --pretty=%ct` gives. */
function commitTime(sha: string): number {
  return COMMIT_TIME + parseInt(sha.slice(0, 6), 16) % 100_000;
}

function metadataOutputs(step: Step, ctx: Context, event: RecipeEvent, envr: RecipeEnvironment): Record<string, string> {
  const fixture = envr.metadata?.events[event.key];
  if (!fixture) throw new Error(`no metadata-action fixture for event "${event.key}"`);
  const image = interpolate(step.with?.['images'], ctx).trim().toLowerCase();
  const sha7 = event.sha.slice(0, 7);
  const tags = fixture.tags.map((t) => `${image}:${t.replace('{{sha7}}', sha7)}`);
  const labelsInput = String(step.with?.['labels'] ?? '');
  // metadata-action's default created label is the current time; the recipes override it with {{commit_date}}.
  const created = /org\.opencontainers\.image\.created=\{\{commit_date /.test(labelsInput)
    ? new Date(commitTime(event.sha) * 1000).toISOString()
    : new Date().toISOString() + randomUUID();
  const repository = String((ctx['github'] as { repository: string }).repository);
  const labels = [
    `org.opencontainers.image.created=${created}`,
    `org.opencontainers.image.revision=${event.sha}`,
    `org.opencontainers.image.source=https://github.com/${repository}`,
    `org.opencontainers.image.version=${fixture.version.replace('{{sha7}}', sha7)}`,
  ];
  return { tags: tags.join('\n'), labels: labels.join('\n'), version: fixture.version };
}

/** What makes BuildKit's output byte-identical across runs (see the README's "Re-runs"). */
export function reproducible(step: Step, before: readonly Step[], metaLabels: boolean, jobEnv: Record<string, string>): boolean {
  const epoch = jobEnv['SOURCE_DATE_EPOCH'] !== undefined || step.env?.['SOURCE_DATE_EPOCH'] !== undefined ||
    before.some((s) => s.run?.includes('SOURCE_DATE_EPOCH=') === true);
  const rewrite = /(^|,)rewrite-timestamp=true(,|$)/.test(String(step.with?.['outputs'] ?? ''));
  const noProvenance = String(step.with?.['provenance']) === 'false';
  return epoch && rewrite && noProvenance && metaLabels;
}

async function buildPush(recipe: Recipe, step: Step, ctx: Context, event: RecipeEvent, envr: RecipeEnvironment,
  jobEnv: Record<string, string>, before: readonly Step[]): Promise<Record<string, string>> {
  const labelsText = interpolate(step.with?.['labels'], ctx);
  const labels = Object.fromEntries(labelsText.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const labelsFixed = labelsText === '' || !/created=\d{4}-[^\n]*Z[0-9a-f-]{36}/.test(labelsText);
  const same = reproducible(step, before, labelsFixed, jobEnv);
  const platforms = interpolate(step.with?.['platforms'], ctx).split(',').map((p) => p.trim()).filter(Boolean);
  const arches = (platforms.length > 0 ? platforms : ['linux/amd64']).map((p) => p.split('/')[1]!);
  const key = JSON.stringify({ recipe: recipe.number, sha: event.sha, labels, arches });
  let built = same ? envr.builds.get(key) : undefined;
  if (built === undefined) {
    const files = { '/app/commit': `${event.sha}\n`, ...(same ? {} : { '/app/built-at': `${randomUUID()}\n` }) };
    built = arches.length > 1
      ? await buildIndex({ arches, tag: 'image', files, labels })
      : await buildImage({ files, labels, tag: 'image' });
    await onlyTop(built);
    envr.builds.set(same ? key : `${key}${randomUUID()}`, built);
  }
  const digest = (await entryFor(built.layout, built.tag)).digest;
  const outputs = interpolate(step.with?.['outputs'], ctx);
  const dest = /(?:^|,)type=oci,(?:.*,)?dest=([^,]+)/.exec(outputs)?.[1];
  if (dest !== undefined) {
    await mkdir(dirname(dest), { recursive: true });
    await tarDirectory(built.layout, dest);
  }
  const pushing = /(^|,)push=true(,|$)/.test(outputs) || interpolate(step.with?.['push'], ctx) === 'true';
  if (pushing) {
    const registry = registryFor(undefined, envr);
    for (const tag of localize(interpolate(step.with?.['tags'], ctx), recipe, registry).split('\n').filter(Boolean)) {
      await run('skopeo', ['copy', '--quiet', '--all', '--preserve-digests', ...registry.skopeoDestArgs(), built.ociRef, `docker://${tag}`]);
    }
  }
  return { digest, imageid: digest };
}

/** The OCI exporter writes one image in index.json; umoci's layout also names each platform. */
async function onlyTop(built: BuiltImage): Promise<void> {
  const index = await readIndex(built.layout);
  await writeIndex(built.layout, { ...index, manifests: index.manifests.filter((m) => m.annotations?.['org.opencontainers.image.ref.name'] === built.tag) });
}

function registryFor(step: Step | undefined, envr: RecipeEnvironment): TestRegistry {
  return step?.env?.['NODE_EXTRA_CA_CERTS'] !== undefined ? envr.tlsRegistry : envr.registry;
}

/** `ghcr.io/acme/api:1.0` → `127.0.0.1:5000/r1/acme/api:1.0`: the recipe's registry, played by the local one. */
export function localize(list: string, recipe: Recipe, registry: TestRegistry): string {
  return list.split(/[\n,]/).map((s) => s.trim()).filter(Boolean).map((ref) => {
    const slash = ref.indexOf('/');
    const first = slash < 0 ? '' : ref.slice(0, slash);
    const hasHost = /[.:]/.test(first) || first === 'localhost';
    const path = hasHost ? ref.slice(slash + 1) : ref;
    return `${registry.host}/r${recipe.number}/${path}`;
  }).join('\n');
}

async function runImmutag(recipe: Recipe, step: Step, ctx: Context, event: RecipeEvent, eventPath: string,
  envr: RecipeEnvironment, jobEnv: Record<string, string>): Promise<ActionRun> {
  const registry = registryFor(step, envr);
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(envr.actionDefaults)) inputs[name] = interpolate(value, ctx);
  for (const [name, value] of Object.entries(step.with ?? {})) inputs[name] = interpolate(value, ctx);
  inputs['tags'] = localize(inputs['tags'] ?? '', recipe, registry);
  // The runner starts actions in GITHUB_WORKSPACE: relative paths land there.
  const workspace = String((ctx['github'] as { workspace: string }).workspace);
  await mkdir(workspace, { recursive: true });
  for (const name of ['report', 'sarif', 'sbom', 'ignore-file']) {
    const value = inputs[name];
    if (value && !isAbsolute(value)) inputs[name] = join(workspace, value);
  }
  // The test environment's own differences: the local registry speaks plain HTTP (the TLS
  // one is trusted through the step's NODE_EXTRA_CA_CERTS), and OSV is read offline.
  if (registry === envr.registry) inputs['insecure-registries'] = registry.host;
  inputs['vuln-db'] = envr.vulnDb;
  const env: Record<string, string> = {
    ...jobEnv,
    GITHUB_EVENT_NAME: event.name, GITHUB_EVENT_PATH: eventPath, GITHUB_REF: event.ref, GITHUB_SHA: event.sha,
    GITHUB_REPOSITORY: String((ctx['github'] as { repository: string }).repository), GITHUB_RUN_ID: '4242', GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: String(event.attempt), GITHUB_WORKFLOW: recipe.workflow.name ?? 'Image', GITHUB_JOB: 'image',
    GITHUB_API_URL: envr.githubApi, GITHUB_SERVER_URL: 'https://github.com', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace,
  };
  for (const [name, value] of Object.entries(step.env ?? {})) env[name] = interpolate(value, ctx);
  if (env['NODE_EXTRA_CA_CERTS'] !== undefined && registry.caFile !== undefined) {
    await mkdir(dirname(env['NODE_EXTRA_CA_CERTS']), { recursive: true });
    await copyFile(registry.caFile, env['NODE_EXTRA_CA_CERTS']);
  }
  return runAction(inputs, env);
}

/** action.yml's inputs and their defaults, as the runner fills them in. */
export async function actionInputs(path: string): Promise<{ names: string[]; defaults: Record<string, string>; outputs: string[] }> {
  const doc = parse(await readFile(path, 'utf8')) as { inputs: Record<string, { default?: unknown }>; outputs?: Record<string, unknown> };
  const defaults: Record<string, string> = {};
  for (const [name, spec] of Object.entries(doc.inputs)) if (spec.default !== undefined) defaults[name] = String(spec.default);
  return { names: Object.keys(doc.inputs), defaults, outputs: Object.keys(doc.outputs ?? {}) };
}

export async function cleanBuilds(builds: Map<string, BuiltImage>): Promise<void> {
  for (const b of builds.values()) await rm(dirname(b.layout), { recursive: true, force: true });
}

export const tmp = (prefix: string) => mkdtemp(join(tmpdir(), prefix));
