// Found by a review: README (The CLI): "--json prints exactly one JSON document on stdout on
// every path". A SIGTERM/SIGINT (a cancelled CI job, Ctrl-C) made the CLI die of the signal
// (cleanup.ts re-raised it) without printing anything on stdout: `immutag … --json | jq`
// got an empty input. During the settle wait the tag had already been written, and the
// run that wrote it neither vouched for it (no settle read) nor said it wrote it. Now the
// first signal stops the run, which answers with what it knows and exits 128 + the signal.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { startForwardingProxy, type ForwardingProxy } from './support/forwarding-proxy.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const reg = await useRegistry();
let proxy: ForwardingProxy;
let image: BuiltImage;

before(async () => {
  image = await buildImage({ files: { '/hello.txt': 'signal test' } });
  proxy = await startForwardingProxy(reg.url);
});
after(async () => {
  await proxy?.stop();
  if (image) await removeLayout(image);
});

function start(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'] }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function until(what: string, cond: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`${what} did not happen`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} during the upload: --json still prints one JSON document`, async () => {
    const pause = proxy.pauseWhen((method, path) => (method === 'PUT' || method === 'PATCH' || method === 'POST') && /\/blobs\/uploads\//.test(path));
    const run = start(['push', '--image', image.layout, `${proxy.host}/rev/sig-up-${signal.toLowerCase()}:1.0`, '--insecure-registry', proxy.host, '--scan', 'none', '--json']);
    await pause.reached;
    run.child.kill(signal);
    const end = await run.exited;
    pause.release();
    const doc = JSON.parse(run.out()) as { result: string; error?: { code: string } };
    assert.equal(doc.result, 'error');
    assert.equal(doc.error?.code, 'RUN_CANCELLED');
    assert.deepEqual(end, { code: signal === 'SIGINT' ? 130 : 143, signal: null });
  });

  test(`${signal} during the settle wait: --json says what was written`, async () => {
    const repo = `rev/sig-settle-${signal.toLowerCase()}`;
    const run = start(['push', '--image', image.layout, `${proxy.host}/${repo}:1.0`, '--insecure-registry', proxy.host, '--scan', 'none',
      '--tag-settle-seconds', '30', '--json']);
    // The tag PUT went through and was read back; the run now sleeps 30 s before its settle read.
    await until('the tag PUT', () => proxy.seen.some((r) => r.method === 'PUT' && r.path === `/v2/${repo}/manifests/1.0`));
    await new Promise((r) => setTimeout(r, 2000));
    run.child.kill(signal);
    const end = await run.exited;
    const res = await fetch(`${reg.url}/v2/${repo}/manifests/1.0`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    assert.equal(res.status, 200, 'the tag was written before the signal');
    const doc = JSON.parse(run.out()) as { result: string; tags: { tag: string; state: string }[]; error?: { code: string } };
    console.log(JSON.stringify(doc.tags), '\n', run.err().split('\n').filter((l) => /RUN_CANCELLED|1\.0/.test(l)).join('\n'));
    // The tag was written and not read again: unknown, with the signal as the reason.
    assert.equal(doc.result, 'error');
    assert.equal(doc.error?.code, 'TAG_STATE_UNKNOWN');
    assert.equal(doc.tags[0]?.state, 'unknown');
    assert.match(JSON.stringify(doc.tags[0]), new RegExp(`may have been written, but reading it back failed: The run was stopped by ${signal}`));
    assert.deepEqual(end, { code: signal === 'SIGINT' ? 130 : 143, signal: null });
  });
}

// Found by a review: README "a tag written but not yet read again is reported `unknown`,
// 'may have been written'". With ONE tag, a signal during the settle wait reports it
// unknown. With TWO immutable tags, a signal while the second is being written leaves the
// first tag written and read back but never settle-read (not vouched, exactly as in the
// one-tag case), yet --json reports it 'created', the state a vouched tag has.
test('SIGTERM while the second immutable tag is written: the first, never settle-read, is not reported created', async () => {
  const repo = 'rev/sig-two-tags';
  // Hold the re-check of 1.1 that comes after 1.0's PUT (step 1 of 1.1's write).
  const pause = proxy.pauseWhen((method, path) => (method === 'GET' || method === 'HEAD') && path === `/v2/${repo}/manifests/1.1`
    && proxy.seen.some((r) => r.method === 'PUT' && r.path === `/v2/${repo}/manifests/1.0`));
  const run = start(['push', '--image', image.layout, `${proxy.host}/${repo}:1.0`, `${proxy.host}/${repo}:1.1`,
    '--insecure-registry', proxy.host, '--scan', 'none', '--tag-settle-seconds', '30', '--json']);
  await pause.reached;
  run.child.kill('SIGTERM');
  const end = await run.exited;
  pause.release();
  const doc = JSON.parse(run.out()) as { result: string; tags: { reference: string; state: string }[]; error?: { code: string } };
  console.log(JSON.stringify(doc.tags), '\n', run.err().split('\n').filter((l) => /settle|1\.0/.test(l)).join('\n'));
  assert.deepEqual(end, { code: 143, signal: null });
  assert.equal(doc.result, 'error');
  const first = doc.tags.find((t) => t.reference.endsWith(':1.0'));
  // Written and read back, but its settle read (the one that vouches for it) never ran:
  // as in the one-tag case, it must be 'unknown' ("may have been written"), not 'created'.
  assert.notEqual(first?.state, 'created', `1.0 reported as ${first?.state} though its settle read never happened`);
  assert.equal(first?.state, 'unknown');
  // And the final line does not say that nothing was written.
  assert.match(run.err(), /a tag may have been written \(unknown: check it before deploying by tag\)/);
  assert.doesNotMatch(run.err(), /no tag was written/);
});
