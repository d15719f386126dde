// The Action's `pin` input in the simulated runner (node dist/index.js, INPUT_*,
// GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) against the real registry: a push that pins its
// deploy files to the digest it just pushed, and a pull-request check of pinned files
// with annotations on the failing lines and its own comment.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runAction } from './support/action-runner.ts';
import { startGitHubStandIn, WRITE_TOKEN } from './support/github-server.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));

const reg = await useRegistry({ auth: 'htpasswd' });
let image: BuiltImage;
let workspace: string;
let dockerConfig: string;

before(async () => {
  image = await buildImage();
  workspace = await mkdtemp(join(tmpdir(), 'immutag-pin-action-'));
  dockerConfig = join(workspace, '.docker');
  await mkdir(dockerConfig);
  // What docker/login-action leaves behind: a pin-only run takes its credentials from here.
  const auth = Buffer.from(`${reg.username}:${reg.password}`).toString('base64');
  await writeFile(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [reg.host]: { auth } } }));
});

after(async () => {
  await removeLayout(image);
  await rm(workspace, { recursive: true, force: true });
});

async function deployDir(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(workspace, name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

test('push then pin: the deploy files name the digest just pushed for its tags; other images are left alone', async () => {
  const other = await pushImage(reg, image.ociRef, 'flow/base:1.0');
  const manifest = `# the api\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ${reg.host}/flow/api:1.0   # bumped by release PRs\n        - name: base\n          image: ${reg.host}/flow/base:1.0\n`;
  const kustomization = `images:\n  - name: api\n    newName: ${reg.host}/flow/api\n    newTag: "1.0"\n`;
  const dir = await deployDir('push', { 'deploy/api.yaml': manifest, 'deploy/kustomization.yaml': kustomization });
  const r = await runAction({
    tags: `${reg.host}/flow/api:1.0`, image: image.layout, scan: 'none', username: reg.username, password: reg.password,
    'insecure-registries': reg.host, comment: 'never', pin: 'deploy/**/*.yaml',
  }, { GITHUB_WORKSPACE: dir });
  assert.equal(r.code, 0, r.stdout);
  const digest = r.outputs['digest']!;
  assert.match(digest, /^sha256:/);
  assert.equal(r.outputs['pin-result'], 'pass');
  assert.deepEqual(JSON.parse(r.outputs['pinned']!), ['deploy/api.yaml', 'deploy/kustomization.yaml']);
  assert.equal(await readFile(join(dir, 'deploy/api.yaml'), 'utf8'), manifest.replace(`flow/api:1.0 `, `flow/api:1.0@${digest} `));
  assert.equal(await readFile(join(dir, 'deploy/kustomization.yaml'), 'utf8'), `${kustomization}    digest: ${digest}\n`);
  assert.ok((await readFile(join(dir, 'deploy/api.yaml'), 'utf8')).includes(`flow/base:1.0\n`), `${other} is another job's image`);
  assert.match(r.summary, /immutag pin: 2 files rewritten/);
  assert.match(r.summary, /deploy\/api\.yaml:9/);
});

test('pin-check in a pull request: an unpinned line fails with an annotation on it, and the report is its own comment', async () => {
  const digest = await pushImage(reg, image.ociRef, 'check/app:2.0');
  const dir = await deployDir('check', {
    'k8s/ok.yaml': `spec:\n  containers:\n    - image: ${reg.host}/check/app:2.0@${digest}\n`,
    'k8s/new.yaml': `spec:\n  containers:\n    - name: x\n      image: ${reg.host}/check/app:2.0\n`,
  });
  const github = await startGitHubStandIn();
  try {
    const env = {
      GITHUB_WORKSPACE: dir, DOCKER_CONFIG: dockerConfig, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: fixture('github/pull_request.opened.json'),
      GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'Codertocat/Hello-World', GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      GITHUB_WORKFLOW: 'deploy files', GITHUB_RUN_ID: '7', GITHUB_SERVER_URL: 'https://github.com',
    };
    const inputs = { pin: 'k8s', 'pin-check': 'true', 'insecure-registries': reg.host, 'github-token': WRITE_TOKEN };
    const r = await runAction(inputs, env);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.outputs['result'], 'violation');
    // The runner's workflow command: the annotation sits on the unpinned line of the file.
    const title = `Not pinned: ${reg.host}/check/app:2.0`.replace(/:/g, '%3A');
    assert.ok(r.stdout.split('\n').some((l) => l.startsWith(`::error title=${title},file=k8s/new.yaml,line=4::`) && l.includes(digest)), r.stdout);
    assert.match(r.summary, /k8s\/ok\.yaml:3.*up to date/);
    assert.equal(await readFile(join(dir, 'k8s/new.yaml'), 'utf8'), `spec:\n  containers:\n    - name: x\n      image: ${reg.host}/check/app:2.0\n`, 'a check changes nothing');
    // An image given beside pin with no tags is not read: said, not skipped in silence.
    const withImage = await runAction({ ...inputs, digest: digest }, env);
    assert.ok(withImage.stdout.split('\n').some((l) => l.startsWith('::warning::`digest` was not read or scanned: with `pin` and no `tags`, only pin runs')), withImage.stdout);
    const again = await runAction(inputs, env);
    assert.equal(again.code, 1);
    const comments = github.comments('Codertocat', 'Hello-World', 2);
    assert.equal(comments.length, 1, 'updated in place');
    assert.match(comments[0]!.body, /immutag pin check: 1 reference not pinned/);
    assert.match(again.outputs['pin-comment-url'] ?? '', /issuecomment/);
  } finally {
    await github.close();
  }
});

test('push then pin with a broken deploy file: the image is pushed, the job fails naming file:line, no file is changed', async () => {
  const good = `spec:\n  containers:\n    - image: ${reg.host}/flow/broken:1.0\n`;
  const bad = `spec:\n  containers: [\n    - image: ${reg.host}/flow/broken:1.0\n`;
  const dir = await deployDir('broken', { 'deploy/a.yaml': good, 'deploy/b.yaml': bad });
  const r = await runAction({
    tags: `${reg.host}/flow/broken:1.0`, image: image.layout, scan: 'none', username: reg.username, password: reg.password,
    'insecure-registries': reg.host, comment: 'never', pin: 'deploy',
  }, { GITHUB_WORKSPACE: dir });
  assert.equal(r.code, 1, r.stdout);
  assert.equal(r.outputs['result'], 'pass', 'the push itself passed');
  assert.equal(r.outputs['pin-result'], 'error');
  assert.deepEqual(JSON.parse(r.outputs['pinned']!), []);
  assert.match(r.stdout, /::error::immutag pin: ERROR: INVALID_INPUT: deploy\/b\.yaml:\d+: not valid YAML/);
  assert.match(r.stdout, /::error title=immutag pin%3A INVALID_INPUT,file=deploy\/b\.yaml,line=\d+::/);
  assert.equal(await readFile(join(dir, 'deploy/a.yaml'), 'utf8'), good);
  assert.equal(await readFile(join(dir, 'deploy/b.yaml'), 'utf8'), bad);
});

test('verify then pin: with `digest` (another step pushed), the files get the digest every tag was verified to point at', async () => {
  const digest = await pushImage(reg, image.ociRef, 'flow/verified:3.0');
  const dir = await deployDir('verify', { 'compose.yaml': `services:\n  app:\n    image: "${reg.host}/flow/verified:3.0"\n` });
  const r = await runAction({
    tags: `${reg.host}/flow/verified:3.0`, digest, scan: 'none', username: reg.username, password: reg.password,
    'insecure-registries': reg.host, comment: 'never', pin: 'compose.yaml',
  }, { GITHUB_WORKSPACE: dir });
  assert.equal(r.code, 0, r.stdout);
  assert.equal(await readFile(join(dir, 'compose.yaml'), 'utf8'), `services:\n  app:\n    image: "${reg.host}/flow/verified:3.0@${digest}"\n`);
});
