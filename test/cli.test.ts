// The CLI twin: the same core, exit codes 0 pass, 1 violation, 2 error, and a
// password taken from stdin or the environment, never from an argument.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from './support/registry.ts';
import { buildImage, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runCli } from './support/action-runner.ts';

let reg: TestRegistry;
let image: BuiltImage;
let digest: string;

before(async () => {
  reg = await startRegistry({ auth: 'token', tls: true });
  image = await buildImage();
  digest = await pushImage(reg, image.ociRef, 'cli/app:1.0');
});

after(async () => {
  await reg.stop();
  await removeLayout(image);
});

const env = () => ({ NODE_EXTRA_CA_CERTS: reg.caFile!, IMMUTAG_PASSWORD: reg.password });

test('check over token auth and TLS: exit 1 on an existing tag, naming its digest; exit 0 on a new one', async () => {
  const refused = await runCli(['check', `${reg.host}/cli/app:1.0`, '--username', reg.username, '--json'], env());
  assert.equal(refused.code, 1);
  const out = JSON.parse(refused.stdout) as { result: string; existing: { digest: string }[] };
  assert.equal(out.result, 'violation');
  assert.equal(out.existing[0]?.digest, digest);
  assert.match(refused.stderr, new RegExp(digest));
  const fresh = await runCli(['check', `${reg.host}/cli/app:2.0`, '--username', reg.username], env());
  assert.equal(fresh.code, 0, fresh.stderr);
});

test('over TLS the tag checks share one HTTP/2 connection', async (t) => {
  const { startTcpCounter } = await import('./support/tcp-counter.ts');
  const counter = await startTcpCounter(reg.host);
  t.after(() => counter.stop());
  for (let i = 0; i < 10; i++) await pushImage(reg, image.ociRef, `cli/many:1.${i}`);
  const tags = Array.from({ length: 10 }, (_, i) => `${counter.host}/cli/many:1.${i}`);
  const r = await runCli(['check', ...tags, '--username', reg.username, '--mutable-tags', '*', '--json'], env());
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { existing: unknown[] }).existing.length, 10);
  assert.equal(counter.connections(), 1, 'one connection to the registry for the ping and ten GETs');
});

test('--mutable-tags lets a matching tag move', async () => {
  await pushImage(reg, image.ociRef, 'cli/app:latest');
  const r = await runCli(['check', `${reg.host}/cli/app:latest`, '--username', reg.username, '--mutable-tags', 'lat*'], env());
  assert.equal(r.code, 0, r.stderr);
});

test('--password-stdin reads the password from standard input', async () => {
  const r = await runCli(['check', `${reg.host}/cli/app:3.0`, '--username', reg.username, '--password-stdin'],
    { NODE_EXTRA_CA_CERTS: reg.caFile! }, `${reg.password}\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stderr.includes(reg.password));
});

const errors: Array<[string, string[]]> = [
  ['no command', []],
  ['unknown command', ['frobnicate', 'a/b:1']],
  ['unknown flag', ['check', 'a/b:1', '--colour']],
  ['invalid reference', ['check', 'Bad Ref']],
  ['push without --image', ['push', 'a/b:1']],
];

for (const [name, args] of errors) {
  test(`exit 2 with a one-line reason: ${name}`, async () => {
    const r = await runCli(args);
    assert.equal(r.code, 2);
    assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
  });
}

test('exit 2 when the registry cannot be reached: not being able to see is not a pass', async () => {
  const gone = await startRegistry();
  await gone.stop();
  const r = await runCli(['check', `${gone.host}/cli/app:1.0`, '--insecure-registry', gone.host]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /ERROR/);
});

test('push over TLS with token auth (HTTP/2 where the registry offers it): a 20 MiB layer arrives intact, a re-push uploads nothing', async () => {
  const { randomBytes } = await import('node:crypto');
  const big = await buildImage({ files: { '/data/blob.bin': randomBytes(20 * 1024 * 1024), '/id': `big ${Date.now()}` } });
  try {
    const ref = `${reg.host}/cli/big:1.0`;
    const first = await runCli(['push', '--image', big.layout, ref, '--username', reg.username, '--scan', 'none', '--json'], env());
    assert.equal(first.code, 0, first.stderr);
    const out = JSON.parse(first.stdout) as { digest: string; pushed: Record<string, string> };
    assert.deepEqual(out.pushed, { [ref]: 'created' });
    assert.equal(await inspectDigest(reg, 'cli/big:1.0'), out.digest);
    // skopeo pulls every blob back and checks each digest itself.
    const { run } = await import('./support/exec.ts');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'immutag-pull-'));
    try {
      await run('skopeo', ['copy', '--quiet', ...reg.skopeoSrcArgs(), `docker://${reg.host}/cli/big@${out.digest}`, `dir:${join(dir, 'img')}`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const again = await runCli(['push', '--image', big.layout, ref, '--username', reg.username, '--scan', 'none', '--json'], env());
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual((JSON.parse(again.stdout) as { pushed: Record<string, string> }).pushed, { [ref]: 'unchanged' });
  } finally {
    await removeLayout(big);
  }
});
