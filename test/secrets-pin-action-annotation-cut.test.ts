// Review: the Action's pin-only path (src/main.ts pinOnly -> reportPin) builds the
// annotations from a pin report that was never scrubDeep'd: pinAnnotations() cuts each
// row's reason to 600 characters (clean()), and only then is the message scrubbed. A
// secret the registry or token service echoed that straddles the cut is no longer the
// whole secret, so scrub() (and the runner's own masking) miss the part left in the
// annotation. The run path does `secrets.scrubDeep(await running)` first for exactly this.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runAction } from './support/action-runner.ts';
import { startRegistry } from './support/registry.ts';

const reg = await startRegistry({ auth: 'token', tokenEcho: true, refreshToken: 'the-right-refresh-token' });
const realmHost = new URL(reg.token!.url).host;
const work = await mkdtemp(join(tmpdir(), 'immutag-review-cred-pin-action-'));
after(async () => {
  await reg.stop();
  await rm(work, { recursive: true, force: true });
});

test('Action pin only: an echoed identity token cut by the annotation length is not shown in part', async () => {
  const refresh = `R${randomBytes(500).toString('hex')}`; // 1001 characters, only [0-9a-fR]
  const config = join(work, 'docker');
  await mkdir(config, { recursive: true });
  await writeFile(join(config, 'config.json'), JSON.stringify({ auths: { [reg.host]: { identitytoken: refresh } } }));
  const dir = join(work, 'ws');
  await mkdir(join(dir, 'k8s'), { recursive: true });
  await writeFile(join(dir, 'k8s/app.yaml'), `spec:\n  containers:\n    - image: ${reg.host}/words/app:1.0\n`);
  const r = await runAction({ pin: 'k8s', 'pin-check': 'true', 'insecure-registries': `${reg.host}\n${realmHost}`, comment: 'never' },
    { GITHUB_WORKSPACE: dir, DOCKER_CONFIG: config });
  const everything = r.stdout + r.stderr + r.summary + JSON.stringify(r.outputs);
  assert.match(everything, /refresh_token=/, 'the echo reached the output');
  const prefix = refresh.slice(0, 64);
  // ::add-mask:: is the runner's command that registers the secret; it is never shown.
  const line = everything.split('\n').find((l) => l.includes(prefix) && !l.startsWith('::add-mask::'));
  assert.equal(line, undefined, `the first 64 characters of the identity token are shown:\n${line?.slice(0, 400)}…`);
});
