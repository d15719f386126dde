// TLS with a private CA. Node reads NODE_EXTRA_CA_CERTS only at startup, so the gate
// runs in a child process, as the Action and the CLI would on a runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registryFor } from './support/registry.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';

const script = join(import.meta.dirname, 'support', 'run-gate.ts');

function runGate(args: object, env: NodeJS.ProcessEnv): Promise<{ result: string; existing: unknown[]; results: Array<{ verdict: string; state: { kind: string; code?: string; reason?: string; hint?: string; digest?: string } }> }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, JSON.stringify(args)], { env }, (err, stdout, stderr) => {
      if (err) reject(new Error(`run-gate failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

test('a registry behind a private CA: trusted through NODE_EXTRA_CA_CERTS, refused without it', async (t) => {
  const reg = await registryFor(t, { auth: 'token', tls: true, tokenAlg: 'ES256', tokenKey: 'x5c' });
  const image = await buildImage();
  const home = await mkdtemp(join(tmpdir(), 'immutag-tls-home-'));
  t.after(async () => {
    await removeLayout(image);
    await rm(home, { recursive: true, force: true });
  });
  const digest = await pushImage(reg, image.ociRef, 'tls/app:1.0');
  const args = { tags: `${reg.host}/tls/app:1.0\n${reg.host}/tls/app:2.0`, username: reg.username, password: reg.password };
  // A clean environment: no Docker config of this machine, no inherited CA settings.
  const env = { PATH: process.env['PATH'], HOME: home };

  const trusted = await runGate(args, { ...env, NODE_EXTRA_CA_CERTS: reg.caFile });
  assert.equal(trusted.result, 'violation');
  assert.deepEqual(trusted.results.map((r) => r.verdict), ['violation', 'new']);
  assert.equal(trusted.results[0]!.state.digest, digest);

  const untrusted = await runGate(args, env);
  assert.equal(untrusted.result, 'error');
  for (const r of untrusted.results) {
    assert.equal(r.verdict, 'unknown');
    assert.equal(r.state.code, 'REGISTRY_UNREACHABLE');
    assert.match(r.state.reason ?? '', /TLS certificate of 127\.0\.0\.1:\d+ was not accepted/);
    assert.match(r.state.hint ?? '', /NODE_EXTRA_CA_CERTS/);
  }
});
