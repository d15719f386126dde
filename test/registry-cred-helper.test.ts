// Credential helpers are programs someone else wrote: real shell-script helpers here
// leave a child holding our stdout, hang, print without end and dump their environment.
// The time limit holds for all they start, the output is capped, and they never see
// the GitHub token or the Action's inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImmutagError } from '../src/errors.ts';
import { credentialHelperRunner } from '../src/registry/auth/cred-helper.ts';

const LIMIT = { timeout: 30_000 };

async function helperBin(t: { after: (fn: () => Promise<void>) => void }, scripts: Record<string, string>) {
  const home = await mkdtemp(join(tmpdir(), 'immutag-helper-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  const bin = join(home, 'bin');
  await mkdir(bin);
  for (const [name, body] of Object.entries(scripts)) {
    await writeFile(join(bin, `docker-credential-${name}`), `#!/bin/sh\ncat >/dev/null\n${body}\n`);
    await chmod(join(bin, `docker-credential-${name}`), 0o755);
  }
  return { home, env: { PATH: `${bin}:${process.env['PATH']}`, HOME: home } };
}

/** Whether process `pid` is dead (gone, or a zombie no one reaped yet), waiting up to 5 s for a SIGKILL to land. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined || /^\d+ \(.*\) Z/.test(stat)) return true;
    await sleep(100);
  }
  return false;
}

const ANSWER = `echo '{"ServerURL":"r.example.com","Username":"u","Secret":"s"}'`;

test('a helper that answers and leaves a child holding stdout: the answer counts, the child is killed', LIMIT, async (t) => {
  const { home, env } = await helperBin(t, { lingering: `sleep 600 &\necho $! > "$HOME/child.pid"\n${ANSWER}` });
  const found = await credentialHelperRunner()('lingering', 'r.example.com', env);
  assert.deepEqual(found, { username: 'u', secret: 's' });
  assert.ok(await gone(Number(await readFile(join(home, 'child.pid'), 'utf8'))), 'the leftover child was killed');
});

test('a helper that hangs, with a child of its own, is stopped at the time limit with everything it started', LIMIT, async (t) => {
  const { home, env } = await helperBin(t, { hanging: `sleep 600 &\necho $! > "$HOME/child.pid"\nsleep 600` });
  await assert.rejects(credentialHelperRunner({ timeoutMs: 1000, maxOutputBytes: 1024 })('hanging', 'r.example.com', env),
    (e: unknown) => e instanceof ImmutagError && e.code === 'AUTH_FAILED' && /did not finish within 1 s/.test(e.message));
  assert.ok(await gone(Number(await readFile(join(home, 'child.pid'), 'utf8'))));
});

test('a helper that prints without end is stopped at the output cap', LIMIT, async (t) => {
  const { env } = await helperBin(t, { chatty: 'head -c 3000000 /dev/zero' });
  await assert.rejects(credentialHelperRunner()('chatty', 'r.example.com', env),
    (e: unknown) => e instanceof ImmutagError && /printed more than 1048576 bytes/.test(e.message));
});

test('a helper gets PATH, HOME and the variables helpers document, never the GitHub token or the inputs', LIMIT, async (t) => {
  const { home, env } = await helperBin(t, { nosy: `env > "$HOME/env.txt"\n${ANSWER}` });
  const secrets = {
    GITHUB_TOKEN: 'ghs_githubtoken', INPUT_PASSWORD: 'input-password', 'INPUT_GITHUB-TOKEN': 'ghs_input', IMMUTAG_PASSWORD: 'cli-password',
    ACTIONS_RUNTIME_TOKEN: 'runtime-token', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
  };
  const wanted = { DOCKER_CONFIG: '/home/x/.docker', XDG_RUNTIME_DIR: '/run/user/1000', AWS_REGION: 'eu-west-1', LC_ALL: 'C.UTF-8' };
  await credentialHelperRunner()('nosy', 'r.example.com', { ...env, ...secrets, ...wanted });
  const seen = await readFile(join(home, 'env.txt'), 'utf8');
  for (const value of Object.values(secrets)) assert.ok(!seen.includes(value), `${value} reached the helper`);
  for (const [k, v] of Object.entries({ ...wanted, PATH: env.PATH, HOME: home })) assert.ok(seen.includes(`${k}=${v}\n`), `${k} is missing`);
});
